//! `qrjump update` against a feed served on loopback, with the key pair and
//! the package Tauri's CLI signed (src-tauri/src/update/testdata): the offer
//! and its notes, a download saved under the install's own name, and the
//! refusals (a package changed after signing, another key, a downgrade,
//! updates turned off by policy). And `qrjump policy` as IT reads it.

use std::path::Path;
use std::process::{Command, Output};

use qrjump_tests::feed::{Feed, test_key as key, testdata};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A feed offering `version` with the signed test package.
fn feed(version: &str) -> Feed {
    Feed::offering(version, "- Rule sets from a file.\n- Signed updates.", "linux-x86_64-deb", "next.deb")
}

fn qrjump(data: &Path, trusted: &str, args: &[&str]) -> Output {
    Command::new(qrjump_tests::workspace_bin("qrjump"))
        .args(args)
        .env("QRJUMP_DATA_DIR", data)
        .env("QRJUMP_UPDATER_PUBKEY", key(trusted))
        .env("QRJUMP_POLICY_FILE", data.join("no-policy.json"))
        .env("LANG", "en_US.UTF-8")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn a_newer_version_is_offered_downloaded_checked_and_its_install_command_given() {
    let data = tempfile::tempdir().unwrap();
    let next = "99.0.0";
    let feed = feed(next);

    let out = qrjump(data.path(), "test.key.pub", &["update", "check", "--feed", &feed.url()]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains(&format!("QR Jump Admin {next} is available (this is {VERSION})")), "{said}");
    assert!(said.contains("  - Rule sets from a file.") && said.contains("Published 2026-12-01"), "{said}");
    assert_eq!(feed.requests(), ["/latest.json"], "a check downloads nothing");

    // This build runs from target/, not from an install: the package is
    // downloaded and checked, and the admin is told the command to run.
    let out = qrjump(data.path(), "test.key.pub", &["--json", "update", "install", "--yes", "--feed", &feed.url()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains("Downloading"), "no progress line into a pipe: {}", text(&out));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let saved = data.path().join("updates").join(format!("qr-jump-admin_{next}_amd64.deb"));
    assert_eq!(answer["state"], "newer");
    assert_eq!(answer["version"], next);
    assert_eq!(answer["installed"], false);
    assert_eq!(answer["saved"], saved.display().to_string());
    assert_eq!(answer["run"], format!("sudo apt install {}", saved.display()));
    assert_eq!(std::fs::read(&saved).unwrap(), std::fs::read(testdata("pkg.deb")).unwrap());

    // Without --yes and without a terminal: refused before any download.
    let before = feed.requests().len();
    let out = qrjump(data.path(), "test.key.pub", &["update", "install", "--feed", &feed.url()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--yes"), "{}", text(&out));
    assert_eq!(feed.requests().len(), before + 1, "only the feed was read");
}

/// In a terminal (`script` gives it one), the download's progress on one
/// line, to its end; piped, as above, none.
#[test]
fn in_a_terminal_the_download_shows_its_progress() {
    let data = tempfile::tempdir().unwrap();
    let feed = feed("99.0.0");
    let size = std::fs::metadata(testdata("pkg.deb")).unwrap().len();
    let line =
        format!("{} update install --yes --feed {}", qrjump_tests::workspace_bin("qrjump").display(), feed.url());
    let out = Command::new("script")
        .args(["--quiet", "--return", "--command", &line, "/dev/null"])
        .env("QRJUMP_DATA_DIR", data.path())
        .env("QRJUMP_UPDATER_PUBKEY", key("test.key.pub"))
        .env("QRJUMP_POLICY_FILE", data.path().join("no-policy.json"))
        .env("LANG", "en_US.UTF-8")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run script (util-linux)");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    let kb = size.div_ceil(1024);
    assert!(said.contains(&format!("\rDownloading: {kb} KB of {kb} KB (100%)\r\n")), "{said:?}");
    assert!(said.contains("sudo apt install"), "then the outcome: {said}");
}

#[test]
fn a_changed_package_another_key_and_a_downgrade_are_refused() {
    let data = tempfile::tempdir().unwrap();
    let feed = feed("99.0.0");

    // Changed after signing: refused, nothing saved.
    let mut changed = std::fs::read(testdata("pkg.deb")).unwrap();
    changed[12] ^= 1;
    std::fs::write(feed.path("next.deb"), &changed).unwrap();
    let out = qrjump(data.path(), "test.key.pub", &["update", "install", "--yes", "--feed", &feed.url()]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(text(&out).contains("does not match its signature: refused, not installed"), "{}", text(&out));
    assert!(
        !data.path().join("updates").exists() || std::fs::read_dir(data.path().join("updates")).unwrap().count() == 0
    );

    // Signed by another key than the one trusted: refused before downloading.
    let feed = self::feed("99.0.0");
    let out = qrjump(data.path(), "other.key.pub", &["update", "install", "--yes", "--feed", &feed.url()]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(text(&out).contains("signed with another key"), "{}", text(&out));
    assert_eq!(feed.requests(), ["/latest.json"], "nothing downloaded");

    // An older version: never installed.
    let older = self::feed("0.0.1");
    let out = qrjump(data.path(), "test.key.pub", &["--json", "update", "install", "--yes", "--feed", &older.url()]);
    assert!(out.status.success(), "{}", text(&out));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((answer["state"].as_str(), answer["offered"].as_str()), (Some("older"), Some("0.0.1")));
    assert_eq!(older.requests(), ["/latest.json"]);

    // A feed over plain HTTP to another computer: refused before connecting.
    let out =
        qrjump(data.path(), "test.key.pub", &["update", "check", "--feed", "http://updates.corp.invalid/latest.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("must be https://"), "{}", text(&out));
}

#[test]
fn policy_turns_updates_off_or_fixes_the_feed_and_qrjump_policy_says_so() {
    let data = tempfile::tempdir().unwrap();
    let feed = feed("99.0.0");
    let policy = data.path().join("policy.json");
    let with_policy = |json: &str, args: &[&str]| {
        std::fs::write(&policy, json).unwrap();
        let mut command = Command::new(qrjump_tests::workspace_bin("qrjump"));
        command.args(args).env("QRJUMP_DATA_DIR", data.path()).env("QRJUMP_POLICY_FILE", &policy);
        command.env("QRJUMP_UPDATER_PUBKEY", key("test.key.pub")).env("LANG", "en_US.UTF-8");
        command.output().unwrap()
    };

    let out = with_policy(r#"{"updates": 0}"#, &["update", "check", "--feed", &feed.url()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("IT policy turns updates off on this PC (UPDATES=0)"), "{}", text(&out));
    assert!(feed.requests().is_empty());

    // A locked feed wins over the one asked for.
    let locked = format!(r#"{{"update_url": "{}", "locked": true}}"#, feed.url());
    let elsewhere = "http://127.0.0.1:9/latest.json";
    let out = with_policy(&locked, &["update", "check", "--feed", elsewhere]);
    assert!(out.status.success() && text(&out).contains("99.0.0 is available"), "{}", text(&out));

    // `qrjump policy --json`: the settings under the file's keys, where they
    // came from, and what was ignored and why.
    let json = format!(
        r#"{{"api_base": "https://wx-gw.corp.example", "update_url": "{}", "updates": 1, "SHOWDEMO": 0, "proxy_url": "http://u:pw@proxy:3128", "colour": "blue"}}"#,
        feed.url()
    );
    let out = with_policy(&json, &["policy", "--json"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(out.stderr.is_empty(), "said once, in the answer: {}", text(&out));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["source"], policy.display().to_string());
    assert_eq!(
        answer["settings"],
        serde_json::json!({ "api_base": "https://wx-gw.corp.example", "show_demo": false, "updates": true, "update_url": feed.url() })
    );
    let ignored: Vec<(&str, &str)> = answer["ignored"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["key"].as_str().unwrap(), i["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(ignored.len(), 2, "{ignored:?}");
    let reason = |key: &str| ignored.iter().find(|(k, _)| *k == key).map(|(_, r)| *r).unwrap_or("");
    assert!(reason("proxy_url").contains("holds a password") && !reason("proxy_url").contains("pw"), "{ignored:?}");
    assert!(reason("colour").contains("is not a policy this app knows"), "{ignored:?}");
    let mut codes: Vec<(&str, &str)> = answer["ignored"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["key"].as_str().unwrap(), i["code"].as_str().unwrap()))
        .collect();
    codes.sort_unstable();
    assert_eq!(codes, [("colour", "unknown"), ("proxy_url", "holds_password")], "a stable code beside each reason");

    let out = with_policy("{}", &["policy"]);
    assert!(text(&out).starts_with("No policy is set"), "{}", text(&out));
}
