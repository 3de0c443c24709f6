//! `qrjump` clean-ups as a script runs them: the real binary against the
//! simulator on loopback and a real data folder. Batches from a file (one
//! JSON line per item), a batch killed in the middle and resumed by two
//! scripts at once, restore, rule backups and the owner search.

use std::collections::HashMap;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use qrjump::history::{Action, Conclusion, Filter, History, Status, Verification};
use qrjump::sim::{AccountKind, Fault, Simulator};
use qrjump::wechat::{PATH_DELETE, PATH_PUBLISH};
use qrjump_tests::process::{GroupChild, wait_until};
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000cb001";

struct Setup {
    sim: Simulator,
    data: tempfile::TempDir,
    secret: String,
}

fn prefixes(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("https://k.example.com/qr/2025/{i:03}/")).collect()
}

fn setup(n: usize) -> Setup {
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("cli-batch");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    for prefix in prefixes(n) {
        sim.add_rule(MP, None, rules::published(&prefix));
    }
    Setup { sim, data: tempfile::tempdir().unwrap(), secret }
}

impl Setup {
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(qrjump_tests::workspace_bin("qrjump"));
        command
            .args(args)
            .env("QRJUMP_API_BASE", self.sim.base_url())
            .env("QRJUMP_DATA_DIR", self.data.path())
            .env("QRJUMP_APPID", MP)
            .env("QRJUMP_APP_SECRET", &self.secret)
            .env_remove("QRJUMP_ACCESS_TOKEN")
            .env("LANG", "en_US.UTF-8")
            .stdin(Stdio::null());
        command
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let output: Output = self.command(args).output().unwrap();
        let (out, err) = (
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        );
        secrets::assert_clean("qrjump output", &format!("{out}{err}"));
        (output.status.code().unwrap_or(-1), out, err)
    }

    fn list_file(&self, name: &str, text: &str) -> String {
        let path = self.data.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    fn history(&self) -> History {
        History::open(self.data.path()).unwrap()
    }

    /// How many deletes of each prefix reached the simulator.
    fn deletes(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for received in self.sim.received().iter().filter(|r| r.path == PATH_DELETE) {
            *counts.entry(received.body["prefix"].as_str().unwrap_or_default().to_owned()).or_default() += 1;
        }
        counts
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        secrets::assert_dir_clean(self.data.path());
    }
}

fn json_lines(out: &str) -> Vec<serde_json::Value> {
    out.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}"))).collect()
}

#[test]
fn a_batch_from_a_csv_prints_one_json_line_per_item_and_exits_1_on_a_wechat_error() {
    let s = setup(6);
    let all = prefixes(6);
    let mut csv = String::from("\u{feff}shop,prefix,note\r\n");
    for (i, prefix) in all.iter().enumerate() {
        csv.push_str(&format!("Store {i},{prefix},\"ends, 2025\"\r\n"));
    }
    csv.push_str("Gone,https://k.example.com/not-there/,\r\n");
    let file = s.list_file("campaign.csv", &csv);

    // Without --yes and without a terminal: refused, nothing sent.
    let (code, _, err) = s.run(&["delete", "--from-file", &file]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("stdin is not a terminal"), "{err}");
    assert_eq!(s.sim.count(PATH_DELETE), 0);

    s.sim.inject_times(PATH_DELETE, Fault::Delay(Duration::ZERO), 3);
    s.sim.inject(PATH_DELETE, Fault::Errcode(85066, "illegal prefix".into()));
    let (code, out, err) = s.run(&["delete", "--from-file", &file, "--yes", "--json"]);
    assert_eq!(code, 1, "a WeChat error on any item: {out}{err}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 8, "the missing prefix, six items, the summary: {out}");
    assert_eq!(
        (lines[0]["status"].as_str(), lines[0]["prefix"].as_str()),
        (Some("not_in_list"), Some("https://k.example.com/not-there/"))
    );
    let items = &lines[1..7];
    for (item, prefix) in items.iter().zip(&all) {
        // The same shape as a single delete's --json, plus the batch.
        for key in ["ok", "status", "errcode", "errmsg", "kind", "message", "hint", "record", "prefix", "batch"] {
            assert!(item.get(key).is_some(), "{key} missing in {item}");
        }
        assert_eq!(item["prefix"].as_str(), Some(prefix.as_str()));
    }
    assert_eq!((items[3]["ok"].as_bool(), items[3]["errcode"].as_i64()), (Some(false), Some(85066)));
    let summary = &lines[7];
    assert_eq!((summary["counts"]["done"].as_u64(), summary["counts"]["failed"].as_u64()), (Some(5), Some(1)));
    assert_eq!(summary["finished"], true);
    assert_eq!(s.sim.rules(MP, None).len(), 1);

    // The backup made before the first delete holds all six rules.
    let batch = summary["batch"].as_str().unwrap();
    let backup = s.data.path().join("backups").join(format!("{batch}.json"));
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(backup).unwrap()).unwrap();
    assert_eq!(saved["rules"].as_array().unwrap().len(), 6);
    let (code, out, _) = s.run(&["history", "list", "--batch", batch, "--json"]);
    assert_eq!((code, json_lines(&out)[0]["records"].as_array().unwrap().len()), (0, 6));
}

/// Kills `qrjump` in the middle of a batch (the call in flight took effect
/// at WeChat, its answer never came), then two scripts resume at once.
#[test]
fn a_batch_killed_in_the_middle_is_accounted_for_and_resumed_without_sending_anything_twice() {
    for round in 0..3 {
        let s = setup(12);
        let all = prefixes(12);
        let file = s.list_file("list.txt", &all.join("\n"));
        let in_flight = 4 + round;
        s.sim.inject_times(PATH_DELETE, Fault::Delay(Duration::ZERO), in_flight);
        // The call in flight reaches WeChat late (150 ms), as a slow network
        // would have it: the scripts that resume must still keep to 5 a second.
        s.sim.inject(PATH_DELETE, Fault::ActThenHang(Duration::from_millis(150)));
        let mut command = s.command(&["delete", "--from-file", &file, "--yes", "--json"]);
        command.stdout(Stdio::null()).stderr(Stdio::null());
        let mut script = GroupChild::spawn("qrjump", &mut command).unwrap();
        assert!(wait_until(Duration::from_secs(20), || s.sim.count(PATH_DELETE) > in_flight), "round {round}");
        std::thread::sleep(Duration::from_millis(300));
        // SAFETY: a plain signal to the child this test started: killed, as by a crash.
        unsafe { libc::kill(script.id() as libc::pid_t, libc::SIGKILL) };
        assert!(wait_until(Duration::from_secs(5), || matches!(script.try_wait(), Ok(Some(_)))));

        // Every item is accounted for: done, in flight (now unknown), never sent.
        let (code, out, _) = s.run(&["batch", "list", "--json"]);
        assert_eq!(code, 0);
        let listed = &json_lines(&out)[0]["batches"][0];
        let counts = &listed["counts"];
        assert_eq!(counts["done"].as_u64(), Some(in_flight as u64), "round {round}: {listed}");
        assert_eq!(counts["unknown"].as_u64(), Some(1), "the call in flight: outcome unknown");
        assert_eq!(counts["neverSent"].as_u64(), Some((12 - in_flight - 1) as u64));

        // Two scripts resume at once: one sends, the other is told it is busy
        // (or finds nothing left); no rule is sent twice.
        let resume = || {
            let mut command = s.command(&["batch", "resume", "--yes", "--json"]);
            command.stdout(Stdio::piped()).stderr(Stdio::piped());
            command.spawn().unwrap()
        };
        let (a, b) = (resume(), resume());
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let codes = [a.status.code(), b.status.code()];
        let said = format!("{}{}", String::from_utf8_lossy(&a.stdout), String::from_utf8_lossy(&b.stdout));
        assert!(codes.contains(&Some(0)), "round {round}: one resume succeeds: {codes:?} {said}");
        assert!(codes.iter().all(|c| matches!(c, Some(0 | 2))), "round {round}: the other is told: {codes:?} {said}");
        let deletes = s.deletes();
        assert_eq!(deletes.len(), 12, "round {round}: every rule was sent");
        let answers: Vec<String> =
            s.sim.received().iter().filter(|r| r.path == PATH_DELETE).map(|r| r.body["prefix"].to_string()).collect();
        assert!(
            deletes.values().all(|n| *n == 1),
            "round {round}: nothing sent twice: {deletes:?}\n{said}\n{}\nrefusals {}: {answers:?}",
            String::from_utf8_lossy(&a.stderr),
            s.sim.refusals()
        );
        assert!(s.sim.rules(MP, None).is_empty());
        assert_eq!(s.sim.refusals(), 0, "round {round}: no 44990");

        // The history: 12 deletes with the batch id, the interrupted one
        // marked as such and settled by a linked check finding it gone.
        let history = s.history();
        let records = history.page(&Filter::default(), None, 100).unwrap();
        let deletes: Vec<_> = records.iter().filter(|r| r.action == Action::Delete).collect();
        assert_eq!(deletes.len(), 12, "round {round}");
        let interrupted: Vec<_> = deletes.iter().filter(|r| r.status == Status::Unknown).collect();
        assert_eq!(interrupted.len(), 1);
        assert_eq!(interrupted[0].error_kind.as_deref(), Some("interrupted"));
        assert_eq!(interrupted[0].verdict.as_deref(), Some("interrupted"));
        assert_eq!(interrupted[0].prefix, all[in_flight]);
        let checks: Vec<_> = records.iter().filter(|r| r.action == Action::Check).collect();
        assert_eq!(checks.len(), 1);
        assert_eq!((checks[0].related_id, checks[0].conclusion), (Some(interrupted[0].id), Some(Conclusion::Gone)));
        assert_eq!(history.verify().unwrap(), Verification::Intact { records: 13 });
        let (_, out, _) = s.run(&["batch", "list", "--json"]);
        assert!(json_lines(&out)[0]["batches"].as_array().unwrap().is_empty(), "closed once all is known");
        drop(script);
    }
}

#[test]
fn restore_rules_export_and_find() {
    let s = setup(3);
    let all = prefixes(3);
    let (code, out, err) = s.run(&["delete", "--prefix", &all[0], "--yes", "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let record = json_lines(&out)[0]["record"].as_i64().unwrap().to_string();

    let (code, _, err) = s.run(&["restore", &record]);
    assert_eq!(code, 2, "refused without a terminal or --yes: {err}");
    let (code, out, err) = s.run(&["restore", &record, "--publish", "--yes", "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let answer = &json_lines(&out)[0];
    assert_eq!((answer["ok"].as_bool(), answer["publish"]["ok"].as_bool()), (Some(true), Some(true)));
    assert!(s.sim.rules(MP, None).iter().any(|r| r.prefix == all[0] && r.state == 2));
    let (code, out, _) = s.run(&["restore", &record, "--yes", "--json"]);
    assert_eq!((code, json_lines(&out)[0]["errcode"].as_i64()), (1, Some(85071)), "it exists now");

    // Backups: JSON and CSV by extension; a CSV backup is a batch list and a restore source.
    let json = s.data.path().join("rules.json").display().to_string();
    let csv = s.data.path().join("rules.csv").display().to_string();
    for out_file in [&json, &csv] {
        let (code, out, err) = s.run(&["rules", "export", "--out", out_file]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.starts_with("Wrote 3 rule(s)"), "{out}");
    }
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(saved["format"], "qrjump-rules/1");
    assert_eq!(
        serde_json::from_value::<Vec<qrjump::wechat::Rule>>(saved["rules"].clone()).unwrap(),
        s.sim.rules(MP, None)
    );
    let (code, _, err) = s.run(&["rules", "export", "--out", "rules.xlsx"]);
    assert!(code == 2 && err.contains(".json or .csv"), "{err}");

    let (code, out, err) = s.run(&["delete", "--from-file", &csv, "--yes"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(s.sim.rules(MP, None).is_empty());
    s.sim.set_publish_quota(MP, 0);
    let (code, out, err) =
        s.run(&["restore", "--from-backup", &csv, "--prefix", &all[1], "--publish", "--yes", "--json"]);
    assert_eq!(code, 1, "no publishes left: {out}{err}");
    let answer = &json_lines(&out)[0];
    assert_eq!((answer["ok"].as_bool(), answer["publish"]["errcode"].as_i64()), (Some(true), Some(886000)));
    assert_eq!(s.sim.count(PATH_PUBLISH), 2);

    let (code, out, _) = s.run(&["find", &all[1]]);
    assert_eq!(code, 0);
    assert!(out.contains(&format!("cli {MP} holds it: {}", all[1])), "{out}");
    let (_, out, _) = s.run(&["find", "https://k.example.com/qr/2025/002/x"]);
    assert!(out.contains("has a broader rule") && out.contains("No searched account holds"), "{out}");
    assert_eq!(s.history().verify().unwrap(), Verification::Intact { records: 9 });
}
