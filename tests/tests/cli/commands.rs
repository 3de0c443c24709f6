//! The `qrjump` command line, run as a real process against the simulator.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use qrjump::history::{Filter, History, Status};
use qrjump::sim::{AccountKind, Fault, Simulator};
use qrjump::wechat::{PATH_DELETE, Rule};
use qrjump_tests::process::wait_until;
use qrjump_tests::{rules, secrets};

pub(crate) const MP: &str = "wx00000000000c1101";
pub(crate) const SA: &str = "wx00000000000c1102";
pub(crate) const TARGET: &str = "wx00000000000c1103";

/// A simulator with a Mini Program (two published rules) and a service
/// account (one unpublished rule for TARGET), and an empty data folder.
pub(crate) struct Setup {
    pub(crate) sim: Simulator,
    pub(crate) data: tempfile::TempDir,
    secret: String,
}

pub(crate) fn setup() -> Setup {
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("cli");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    sim.add_account(SA, &secret, AccountKind::ServiceAccount);
    sim.set_rate_limit(false);
    for prefix in ["https://a.example.com/1/", "https://a.example.com/2/"] {
        sim.add_rule(MP, None, rules::published(prefix));
    }
    sim.add_rule(
        SA,
        Some(TARGET),
        Rule {
            prefix: "http://weixin.qq.com/q/cli1".into(),
            path: "pages/b".into(),
            state: 1,
            open_version: None,
            debug_url: None,
            permit_sub_rule: None,
        },
    );
    Setup { sim, data: tempfile::tempdir().unwrap(), secret }
}

impl Setup {
    pub(crate) fn command(&self, appid: &str, args: &[&str]) -> Command {
        let mut command = Command::new(qrjump_tests::workspace_bin("qrjump"));
        command
            .args(args)
            .env("QRJUMP_API_BASE", self.sim.base_url())
            .env("QRJUMP_DATA_DIR", self.data.path())
            .env("QRJUMP_APPID", appid)
            .env("QRJUMP_APP_SECRET", &self.secret)
            .env_remove("QRJUMP_ACCESS_TOKEN")
            .env("LANG", "en_US.UTF-8")
            .stdin(Stdio::null());
        command
    }

    pub(crate) fn run(&self, appid: &str, args: &[&str]) -> (i32, serde_json::Value, Output) {
        let output = self.command(appid, args).output().unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        secrets::assert_clean("qrjump output", &text);
        let json = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
        (output.status.code().unwrap_or(-1), json, output)
    }

    pub(crate) fn history(&self) -> History {
        History::open(self.data.path()).unwrap()
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        secrets::assert_dir_clean(self.data.path());
    }
}

#[test]
fn delete_in_ordinary_mode_records_the_attempt() {
    let s = setup();
    let (code, json, _) = s.run(MP, &["delete", "--prefix", "https://a.example.com/1/", "--yes", "--json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["errcode"], 0);
    assert_eq!(json["errmsg"], "ok");
    assert_eq!(s.sim.rules(MP, None).len(), 1);
    let records = s.history().page(&Filter::default(), None, 10).unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].status, Status::Ok);
    assert_eq!(records[0].caller_appid.as_deref(), Some(MP));
    let snapshot: Rule = serde_json::from_str(records[0].rule_snapshot.as_deref().unwrap()).unwrap();
    assert_eq!(snapshot.path, "pages/a", "the rule as it was, for restoring");
}

#[test]
fn delete_in_service_account_mode() {
    let s = setup();
    let (code, json, _) =
        s.run(SA, &["delete", "--prefix", "http://weixin.qq.com/q/cli1", "--appid", TARGET, "--yes", "--json"]);
    assert_eq!(code, 0, "{json}");
    assert!(s.sim.rules(SA, Some(TARGET)).is_empty());
    let record = &s.history().page(&Filter::default(), None, 1).unwrap()[0];
    assert_eq!(record.target_appid.as_deref(), Some(TARGET));
    assert_eq!(record.mode, qrjump::wechat::Mode::ServiceAccount);
}

#[test]
fn a_wechat_error_exits_1_with_errcode_and_errmsg() {
    let s = setup();
    s.sim.answer_next(PATH_DELETE, 85066, "illegal prefix");
    let (code, json, _) = s.run(MP, &["delete", "--prefix", "https://a.example.com/1/", "--yes", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(json["errcode"], 85066);
    assert!(json["errmsg"].as_str().unwrap().starts_with("illegal prefix rid: "));
    assert!(json["message"].as_str().unwrap().contains("not a valid QR code rule"));
    // A prefix WeChat does not hold: refused (WeChat documents no code for
    // it, so any errcode will do).
    let (code, _, output) = s.run(MP, &["delete", "--prefix", "https://a.example.com/9/", "--yes"]);
    assert_eq!(code, 1);
    assert!(String::from_utf8_lossy(&output.stderr).contains("errcode "));
    let records = s.history().page(&Filter::default(), None, 10).unwrap();
    assert!(records.iter().all(|r| r.status == Status::Failed));
}

#[test]
fn bad_input_exits_2_before_any_request() {
    let s = setup();
    let cases: [(&[&str], &str); 6] = [
        (&["delete", "--prefix", "   ", "--yes"], "prefix: must not be empty"),
        (&["delete", "--prefix", "example.com/qr", "--yes"], "must be a link with a scheme and a host"),
        (&["delete", "--prefix", "https://a.com/\u{1b}x", "--yes"], "control character"),
        (&["delete", "--prefix", &format!("https://a.com/{}", "x".repeat(2100)), "--yes"], "at most 2048"),
        (&["delete", "--prefix", "https://a.com/", "--appid", "wx123", "--yes"], "Mini Program AppID: must be \"wx\""),
        (&["delete", "--prefix", "https://a.com/"], "stdin is not a terminal"),
    ];
    for (args, message) in cases {
        let (code, _, output) = s.run(MP, args);
        assert_eq!(code, 2, "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    let mut command = s.command(MP, &["rules"]);
    command.env_remove("QRJUMP_APPID");
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("QRJUMP_APP_SECRET"));
    assert!(s.sim.received().is_empty(), "nothing was sent");
    assert!(s.history().page(&Filter::default(), None, 10).unwrap().is_empty(), "nothing was recorded");
}

#[test]
fn under_a_chinese_locale_the_command_line_asks_and_reports_in_chinese() {
    let s = setup();
    let zh = |args: &[&str]| {
        let mut command = s.command(MP, args);
        command.env("LANG", "zh_CN.UTF-8").env_remove("LC_ALL").env_remove("LC_MESSAGES");
        let output = command.output().unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        (output.status.code(), text)
    };
    let (code, text) = zh(&["delete", "--prefix", "https://a.example.com/1/"]);
    assert_eq!(code, Some(2));
    assert!(text.contains("未经确认不会删除：标准输入不是终端"), "{text}");
    let (_, text) = zh(&["delete", "--prefix", "https://a.example.com/1/", "--appid", "wx1", "--yes"]);
    assert!(text.contains("--appid："), "{text}");

    let list = s.data.path().join("prefixes.txt");
    std::fs::write(&list, "https://a.example.com/9/\nnot a prefix\n").unwrap();
    let (code, text) = zh(&["delete", "--from-file", list.to_str().unwrap(), "--yes"]);
    assert_eq!(code, Some(2));
    assert!(text.contains("已跳过，账号的规则列表里没有：https://a.example.com/9/"), "{text}");
    assert!(text.contains("都不在账号的规则列表里：没有可删除的"), "{text}");

    std::fs::write(&list, "https://a.example.com/1/\nhttps://a.example.com/2/\n").unwrap();
    let (code, text) = zh(&["delete", "--from-file", list.to_str().unwrap(), "--yes"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("2 条中已删除 2，失败 0。"), "{text}");
    let (_, text) = zh(&["history", "list"]);
    assert!(text.contains(" 删除 ") && text.contains(" 成功 ") && text.contains("共 2 条记录"), "{text}");
    let (_, text) = zh(&["batch", "list"]);
    assert!(text.contains("共 0 个未完成的批次"), "{text}");
    assert!(!text.contains("batch(es)"), "no English left in: {text}");

    s.sim.add_rule(MP, None, rules::published("https://a.example.com/3/"));
    let (code, text) = zh(&["match", "https://a.example.com/3/x", "http://a.example.com/3/x"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("打开小程序: https://a.example.com/3/"), "{text}");
    assert!(text.contains("换个协议就会命中这条规则"), "{text}");
    let (code, text) = zh(&["impact", "--prefix", "https://a.example.com/3/"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("删除 https://a.example.com/3/：它的二维码将无法再打开小程序"), "{text}");
    let (code, text) = zh(&["accounts", "test"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("令牌：正常，来自微信（用 AppSecret 取得）"), "{text}");
    let mut command = s.command(MP, &["rules"]);
    command.env("LANG", "zh_CN.UTF-8").env_remove("LC_ALL").env_remove("LC_MESSAGES").env_remove("QRJUMP_APPID");
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("没有凭据"));
    let mut command = s.command(MP, &["policy"]);
    command.env("LANG", "zh_CN.UTF-8").env_remove("LC_ALL").env("QRJUMP_POLICY_FILE", s.data.path().join("none.json"));
    let said = String::from_utf8_lossy(&command.output().unwrap().stdout).into_owned();
    assert!(said.starts_with("没有设置策略（"), "{said}");
}

/// The CLI's sentences are explain's: none of its modules picks words by
/// language itself (a new message goes in `qrjump::explain`).
#[test]
fn the_command_line_chooses_no_words_by_language_itself() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../src-tauri/src/bin/qrjump");
    let mut read = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            assert!(
                !line.contains("Lang::ZhCn") && !line.contains(".pick("),
                "{}:{}: words chosen by language outside explain: {line}",
                path.display(),
                n + 1
            );
        }
        read += 1;
    }
    assert!(read > 10, "the CLI's modules were read from {}", dir.display());
}

#[test]
fn faults_exit_3() {
    let s = setup();
    s.sim.inject(PATH_DELETE, Fault::Hang);
    let (code, json, _) =
        s.run(MP, &["delete", "--prefix", "https://a.example.com/1/", "--yes", "--json", "--timeout", "1"]);
    assert_eq!(code, 3);
    assert_eq!(json["kind"], "timeout");
    assert_eq!(json["status"], "unknown", "the rule may or may not be gone");
    assert_eq!(json["verdict"], "timeout");
    let record = s.history().get(json["record"].as_i64().unwrap()).unwrap().unwrap();
    assert_eq!(record.verdict.as_deref(), Some("timeout"), "the record keeps the verdict's code");
    let mut command = s.command(MP, &["rules", "--json"]);
    command.env("QRJUMP_API_BASE", format!("http://127.0.0.1:{}", qrjump_tests::process::free_port()));
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(3));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["kind"], "connect");
}

#[test]
fn rules_lists_in_both_modes() {
    let s = setup();
    let (code, json, _) = s.run(MP, &["rules", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(json["errcode"], 0);
    assert_eq!(json["rule_list"].as_array().unwrap().len(), 2);
    let (code, _, output) = s.run(SA, &["rules", "--appid", TARGET]);
    assert_eq!(code, 0);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("unpublished  http://weixin.qq.com/q/cli1  ->  pages/b"), "{text}");
}

#[test]
fn a_given_access_token_works() {
    let s = setup();
    let token = s.sim.issue_token(MP);
    let mut command = s.command(MP, &["delete", "--prefix", "https://a.example.com/2/", "--yes"]);
    command.env_remove("QRJUMP_APPID").env_remove("QRJUMP_APP_SECRET").env("QRJUMP_ACCESS_TOKEN", &token);
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    secrets::assert_clean("output", &String::from_utf8_lossy(&output.stdout));
}

#[test]
fn help_is_there_for_every_command() {
    let run = |args: &[&str]| {
        let output = Command::new(qrjump_tests::workspace_bin("qrjump")).args(args).output().unwrap();
        assert!(output.status.success(), "{args:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let main = run(&["--help"]);
    for words in ["delete", "rules", "history", "QRJUMP_APP_SECRET", "QRJUMP_ACCESS_TOKEN", "Exit status"] {
        assert!(main.contains(words), "{words}");
    }
    assert!(run(&["delete", "--help"]).contains("--appid"));
    assert!(run(&["rules", "--help"]).contains("--appid"));
    assert!(run(&["history", "export", "--help"]).contains("--out"));
    assert!(run(&["history", "verify", "--help"]).contains("hash chain"));
}

#[test]
fn a_killed_delete_is_recovered_as_unknown() {
    let s = setup();
    s.sim.inject(PATH_DELETE, Fault::Hang);
    let mut child =
        s.command(MP, &["delete", "--prefix", "https://a.example.com/1/", "--yes", "--timeout", "60"]).spawn().unwrap();
    // The delete request has reached WeChat: its pending record is written.
    assert!(wait_until(Duration::from_secs(20), || s.sim.count(PATH_DELETE) == 1), "the delete never arrived");
    {
        // While the CLI still runs, another opener leaves its record alone.
        let history = s.history();
        assert_eq!(history.page(&Filter::default(), None, 10).unwrap()[0].status, Status::Pending);
    }
    // SIGKILL: no destructor, no chance to write anything more.
    child.kill().unwrap();
    child.wait().unwrap();
    let (code, json, _) = s.run(MP, &["history", "list", "--json"]);
    assert_eq!(code, 0);
    let record = &json["records"][0];
    assert_eq!(record["status"], "unknown");
    assert_eq!(record["errorKind"], "interrupted");
    assert_eq!(record["prefix"], "https://a.example.com/1/");
    let (code, json, _) = s.run(MP, &["history", "verify", "--json"]);
    assert_eq!(code, 0, "{json}");
}

#[test]
fn history_export_and_verify_from_the_command_line() {
    let s = setup();
    s.run(MP, &["delete", "--prefix", "https://a.example.com/1/", "--yes"]);
    s.run(MP, &["delete", "--prefix", "https://a.example.com/404/", "--yes"]);
    let out = s.data.path().join("failed.csv");
    let (code, json, _) =
        s.run(MP, &["history", "export", "--out", out.to_str().unwrap(), "--status", "failed", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(json["records"], 1);
    assert!(std::fs::read_to_string(&out).unwrap().contains("https://a.example.com/404/"));
    let (code, _, output) = s.run(MP, &["history", "verify"]);
    assert_eq!(code, 0);
    assert!(String::from_utf8_lossy(&output.stdout).contains("intact"));
    let (code, _, output) = s.run(MP, &["history", "list", "--from", "tomorrow"]);
    assert_eq!(code, 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("--from: "));
}

#[test]
fn verify_against_an_exports_manifest_sees_the_newest_records_cut_off() {
    let s = setup();
    s.run(MP, &["delete", "--prefix", "https://a.example.com/1/", "--yes"]);
    s.run(MP, &["delete", "--prefix", "https://a.example.com/2/", "--yes"]);
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("audit.csv");
    let (code, json, _) = s.run(MP, &["history", "export", "--out", csv.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{json}");
    let manifest = json["manifest"].as_str().unwrap().to_owned();
    assert!(manifest.ends_with("audit.csv.manifest.json"), "{manifest}");
    let (code, json, output) = s.run(MP, &["history", "verify", "--against", &manifest]);
    assert_eq!(code, 0, "{json}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("is still there, unchanged"));

    // Remove the newest record and set SQLite's id counter back.
    let file = s.data.path().join(qrjump::history::FILE_NAME);
    let cut = Command::new("sqlite3")
        .arg(&file)
        .arg("DROP TRIGGER attempts_no_delete; DELETE FROM attempts WHERE id = 2; UPDATE sqlite_sequence SET seq = 1;")
        .output()
        .unwrap();
    assert!(cut.status.success());
    let (code, _, _) = s.run(MP, &["history", "verify"]);
    assert_eq!(code, 0, "the file alone cannot tell");
    let (code, json, _) = s.run(MP, &["history", "verify", "--against", &manifest, "--json"]);
    assert_eq!(code, 1, "{json}");
    assert_eq!(json["verification"]["state"], "truncated");
    assert_eq!((json["verification"]["expected"].as_u64(), json["verification"]["found"].as_u64()), (Some(2), Some(1)));
    // Not a manifest: bad input, exit 2.
    let (code, _, _) = s.run(MP, &["history", "verify", "--against", csv.to_str().unwrap()]);
    assert_eq!(code, 2);
}
