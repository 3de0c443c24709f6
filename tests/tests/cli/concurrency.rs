//! Several processes on one data folder, as in real use: the app and any
//! number of `qrjump` scripts. Each test runs the real binary many times at
//! once, against the simulator, and repeats to catch races that strike one
//! run in several.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use qrjump::history::{Filter, History, Status, Verification};
use qrjump::sim::{AccountKind, Simulator};
use qrjump::wechat::PATH_DELETE;
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000c0c01";

/// One test at a time: each already runs many processes at once, and a
/// second test's load would only add scheduling jitter to what is measured.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn qrjump(sim: &Simulator, secret: &str, data: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(qrjump_tests::workspace_bin("qrjump"));
    command
        .args(args)
        .env("QRJUMP_API_BASE", sim.base_url())
        .env("QRJUMP_DATA_DIR", data)
        .env("QRJUMP_APPID", MP)
        .env("QRJUMP_APP_SECRET", secret)
        .env_remove("QRJUMP_ACCESS_TOKEN")
        .env("LANG", "en_US.UTF-8")
        .stdin(Stdio::null());
    command
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// Every record of the folder completed as `ok`, and the chain intact.
fn assert_all_recorded(data: &Path, expected: usize) {
    let history = History::open(data).unwrap();
    let records = history.page(&Filter::default(), None, 1000).unwrap();
    assert_eq!(records.len(), expected, "{records:#?}");
    assert!(records.iter().all(|r| r.status == Status::Ok), "{records:#?}");
    assert_eq!(history.verify().unwrap(), Verification::Intact { records: expected as u64 });
}

/// Fault 1 of the foundation issue: the first start by several processes at
/// once used to fail one run in three with "table attempts already exists",
/// "duplicate column name" or "database is locked", and lose its delete.
#[test]
fn three_processes_starting_at_once_on_a_new_folder_all_record() {
    let _serial = one_at_a_time();
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("concurrency");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    sim.set_rate_limit(false);
    for round in 0..15 {
        let data = tempfile::tempdir().unwrap();
        let prefixes: Vec<String> = (0..3).map(|i| format!("https://c.example.com/{round}/{i}/")).collect();
        for prefix in &prefixes {
            sim.add_rule(MP, None, rules::published(prefix));
        }
        let children: Vec<_> = prefixes
            .iter()
            .map(|prefix| {
                qrjump(&sim, &secret, data.path(), &["delete", "--prefix", prefix, "--yes"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            secrets::assert_clean("qrjump output", &text(&output));
            assert!(output.status.success(), "round {round}: {}", text(&output));
        }
        assert_all_recorded(data.path(), 3);
        secrets::assert_dir_clean(data.path());
    }
}

/// Fault 2: each process used to throttle alone, so three of them together
/// drew 10 to 20 answers of 44990. Three scripts deleting 5 rules each, one
/// process per delete as a shell loop makes them, must draw none.
#[test]
fn three_scripts_together_stay_within_five_calls_a_second() {
    let _serial = one_at_a_time();
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("throttle");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    let data = tempfile::tempdir().unwrap();
    for round in 0..2 {
        let start = Instant::now();
        let scripts: Vec<_> = (0..3)
            .map(|script| {
                let prefixes: Vec<String> =
                    (0..5).map(|i| format!("https://t.example.com/{round}/{script}/{i}/")).collect();
                for prefix in &prefixes {
                    sim.add_rule(MP, None, rules::published(prefix));
                }
                let (base, secret, data) = (sim.base_url(), secret.clone(), data.path().to_owned());
                std::thread::spawn(move || {
                    for prefix in prefixes {
                        let output = Command::new(qrjump_tests::workspace_bin("qrjump"))
                            .args(["delete", "--prefix", &prefix, "--yes"])
                            .env("QRJUMP_API_BASE", &base)
                            .env("QRJUMP_DATA_DIR", &data)
                            .env("QRJUMP_APPID", MP)
                            .env("QRJUMP_APP_SECRET", &secret)
                            .env_remove("QRJUMP_ACCESS_TOKEN")
                            .stdin(Stdio::null())
                            .output()
                            .unwrap();
                        assert!(output.status.success(), "{prefix}: {}", text(&output));
                    }
                })
            })
            .collect();
        for script in scripts {
            script.join().unwrap();
        }
        eprintln!("round {round}: 3 scripts × 5 deletes in {:.2} s", start.elapsed().as_secs_f64());
    }
    assert_eq!(sim.refusals(), 0, "the simulator answered 44990 to {} call(s)", sim.refusals());
    assert_eq!(sim.count(PATH_DELETE), 30);
    assert_all_recorded(data.path(), 30);
}

/// Runs `args` with the data folder mounted read-only (as root, in a mount
/// namespace of its own), or made read-only by permissions otherwise.
fn on_read_only_folder(sim: &Simulator, secret: &str, data: &Path, args: &[&str]) -> Output {
    let mut command = qrjump(sim, secret, data, args);
    if unsafe { libc::geteuid() } == 0 {
        // Root ignores permissions: a read-only bind mount is what a backup
        // medium looks like.
        let program = command.get_program().to_owned();
        let mut wrapped = Command::new("unshare");
        wrapped
            .args(["--mount", "--", "sh", "-c", r#"mount --bind -o ro "$0" "$0" && exec "$@""#])
            .arg(data)
            .arg(program)
            .args(args)
            .envs(command.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .env_remove("QRJUMP_ACCESS_TOKEN")
            .stdin(Stdio::null());
        wrapped.output().unwrap()
    } else {
        use std::os::unix::fs::PermissionsExt;
        let set = |mode| {
            for path in std::fs::read_dir(data).unwrap().map(|e| e.unwrap().path()).chain([data.to_owned()]) {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            }
        };
        set(0o555);
        let output = command.output().unwrap();
        set(0o755);
        output
    }
}

/// Fault 4: with the data folder on a read-only disk, reading the history
/// failed with "unable to open database file". Reading must not need write
/// access, and a delete there is refused plainly, before anything is sent.
#[test]
fn a_history_on_a_read_only_disk_can_be_read_checked_and_exported() {
    let _serial = one_at_a_time();
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("readonly");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    sim.set_rate_limit(false);
    sim.add_rule(MP, None, rules::published("https://ro.example.com/1/"));
    sim.add_rule(MP, None, rules::published("https://ro.example.com/2/"));
    let data = tempfile::tempdir().unwrap();
    let output = qrjump(&sim, &secret, data.path(), &["delete", "--prefix", "https://ro.example.com/1/", "--yes"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let outside = tempfile::tempdir().unwrap();
    let csv = outside.path().join("audit.csv");

    let verify = on_read_only_folder(&sim, &secret, data.path(), &["history", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(text(&verify).contains("History intact: 1 completed record(s)"), "{}", text(&verify));
    let list = on_read_only_folder(&sim, &secret, data.path(), &["history", "list", "--json"]);
    assert!(list.status.success(), "{}", text(&list));
    let export =
        on_read_only_folder(&sim, &secret, data.path(), &["history", "export", "--out", csv.to_str().unwrap()]);
    assert!(export.status.success(), "{}", text(&export));
    assert!(std::fs::read_to_string(&csv).unwrap().contains("https://ro.example.com/1/"));

    let deletes = sim.count(PATH_DELETE);
    let delete =
        on_read_only_folder(&sim, &secret, data.path(), &["delete", "--prefix", "https://ro.example.com/2/", "--yes"]);
    assert_eq!(delete.status.code(), Some(3), "{}", text(&delete));
    assert!(text(&delete).contains("cannot be written"), "{}", text(&delete));
    assert!(text(&delete).contains("nothing is sent"), "{}", text(&delete));
    assert_eq!(sim.count(PATH_DELETE), deletes, "a delete was sent though it could not be recorded");
    assert_eq!(sim.rules(MP, None).len(), 1);
}
