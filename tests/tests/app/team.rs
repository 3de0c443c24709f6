//! The team history on a real PostgreSQL server (started by each test): the
//! `qrjump` scripts of two computers push at once, the server goes away and
//! comes back, a forger edits the server; nothing is lost, nothing counted
//! twice, and `qrjump team verify` names what was changed.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use qrjump::history::History;
use qrjump::sim::{AccountKind, Simulator};
use qrjump_tests::postgres::Postgres;
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000d7701";

fn simulator(rules_count: usize) -> (Simulator, String) {
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("team");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    sim.set_rate_limit(false);
    for n in 0..rules_count {
        sim.add_rule(MP, None, rules::published(&format!("https://t.example.com/{n}/")));
    }
    (sim, secret)
}

fn qrjump(sim: &Simulator, secret: &str, data: &Path, team_url: &str, args: &[&str]) -> Command {
    let mut command = Command::new(qrjump_tests::workspace_bin("qrjump"));
    command
        .args(args)
        .env("QRJUMP_API_BASE", sim.base_url())
        .env("QRJUMP_DATA_DIR", data)
        .env("QRJUMP_APPID", MP)
        .env("QRJUMP_APP_SECRET", secret)
        .env("QRJUMP_TEAM_DATABASE_URL", team_url)
        .env_remove("QRJUMP_ACCESS_TOKEN")
        .env("LANG", "en_US.UTF-8")
        .stdin(Stdio::null());
    command
}

fn text(output: &Output) -> String {
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    secrets::assert_clean("qrjump's output", &text);
    text
}

fn completed(data: &Path) -> (String, u64, u64) {
    let history = History::open_read_only(data).unwrap();
    let outbox = history.outbox().unwrap();
    let completed = history.pushed_seq().unwrap() as u64 + outbox.waiting;
    (outbox.installation_id, completed, outbox.waiting)
}

fn count(pg: &Postgres, installation: &str) -> u64 {
    pg.sql(&format!("SELECT count(*) FROM qrjump_records WHERE installation_id = '{installation}'")).parse().unwrap()
}

#[test]
fn two_computers_scripts_pushing_at_once_deliver_every_record_once() {
    let pg = Postgres::database();
    let (sim, secret) = simulator(24);
    let computers = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    // Twenty-four scripts at once on an empty server, half on each computer's
    // folder: each connects, finds no schema, and the advisory lock lets
    // one create it while the others wait.
    let mut children = Vec::new();
    for n in 0..12 {
        let data = computers[n % 2].path();
        for rule in [n * 2, n * 2 + 1] {
            let prefix = format!("https://t.example.com/{rule}/");
            let mut command = qrjump(&sim, &secret, data, &pg.url(), &["delete", "--prefix", &prefix, "--yes"]);
            children.push(command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn());
        }
    }
    for child in children {
        let output = child.unwrap().wait_with_output().unwrap();
        assert!(output.status.success(), "{}", text(&output));
        let said = text(&output);
        assert!(!said.contains("not pushed"), "{said}");
    }

    let mut total = 0;
    for data in &computers {
        let (installation, completed, waiting) = completed(data.path());
        assert_eq!(waiting, 0, "every record pushed");
        assert_eq!(count(&pg, &installation), completed, "each record once");
        total += completed;
    }
    assert_eq!(total, 24);
    assert_eq!(pg.sql("SELECT count(DISTINCT installation_id) FROM qrjump_records"), "2");

    let output = qrjump(&sim, &secret, computers[0].path(), &pg.url(), &["team", "verify"]).output().unwrap();
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert_eq!(said.matches("intact").count(), 2, "{said}");
}

#[test]
fn a_server_away_during_deletes_catches_up_without_loss_or_duplicates() {
    // A server of its own: this test stops and restarts it.
    let mut pg = Postgres::start();
    let (sim, secret) = simulator(6);
    let data = tempfile::tempdir().unwrap();
    let delete = |rule: usize, url: &str| {
        let prefix = format!("https://t.example.com/{rule}/");
        qrjump(&sim, &secret, data.path(), url, &["delete", "--prefix", &prefix, "--yes"]).output().unwrap()
    };
    assert!(delete(0, &pg.url()).status.success());

    // The server goes away: deletes still work and record locally; each
    // says on stderr that its records wait, and exits 0 as the delete did.
    pg.stop();
    for rule in 1..4 {
        let output = delete(rule, &pg.url());
        let said = text(&output);
        assert!(output.status.success(), "{said}");
        assert!(said.contains(&format!("team history not pushed ({rule} record(s) waiting)")), "{said}");
        assert!(said.contains("cannot reach the team database at 127.0.0.1"), "{said}");
    }
    let history = History::open_read_only(data.path()).unwrap();
    let outbox = history.outbox().unwrap();
    assert_eq!(outbox.waiting, 3);
    assert!(outbox.last_error.as_deref().is_some_and(|e| e.contains("cannot reach")), "{outbox:?}");
    drop(history);

    pg.restart();
    let output = qrjump(&sim, &secret, data.path(), &pg.url(), &["team", "push"]).output().unwrap();
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("Pushed 3 record(s) to the team history (0 already there); 0 waiting."), "{said}");
    let (installation, completed, waiting) = completed(data.path());
    assert_eq!((waiting, count(&pg, &installation)), (0, completed));
    let history = History::open_read_only(data.path()).unwrap();
    assert_eq!(history.outbox().unwrap().last_error, None, "the error is cleared by a push that worked");
    drop(history);

    // A push whose confirmation never reached the file (a crash after the
    // server's commit) sends everything again: the server keeps one of each.
    let conn = rusqlite::Connection::open(data.path().join(qrjump::history::FILE_NAME)).unwrap();
    conn.execute("UPDATE team_outbox SET pushed_seq = 0", []).unwrap();
    drop(conn);
    let output = qrjump(&sim, &secret, data.path(), &pg.url(), &["team", "push"]).output().unwrap();
    let said = text(&output);
    assert!(said.contains(&format!("Pushed 0 record(s) to the team history ({completed} already there)")), "{said}");
    assert_eq!(count(&pg, &installation), completed);
    let output = qrjump(&sim, &secret, data.path(), &pg.url(), &["team", "verify"]).output().unwrap();
    assert!(output.status.success(), "{}", text(&output));
}

#[test]
fn the_server_refuses_changes_and_verify_names_what_a_superuser_changed() {
    let pg = Postgres::database();
    let (sim, secret) = simulator(6);
    let data = tempfile::tempdir().unwrap();
    for rule in 0..6 {
        let prefix = format!("https://t.example.com/{rule}/");
        let output =
            qrjump(&sim, &secret, data.path(), &pg.url(), &["delete", "--prefix", &prefix, "--yes"]).output().unwrap();
        assert!(output.status.success(), "{}", text(&output));
    }
    let (installation, _, _) = completed(data.path());

    // The app's role (and anyone without superuser rights) cannot change or
    // remove a record: the triggers refuse.
    let app_role = |sql: &str| {
        let output = Command::new("psql")
            .args([&pg.url(), "-AtqX", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
    };
    for sql in ["UPDATE qrjump_records SET prefix = 'x'", "DELETE FROM qrjump_records", "TRUNCATE qrjump_records"] {
        let (ok, said) = app_role(sql);
        assert!(!ok && said.contains("append-only"), "{sql}: {said}");
    }

    // A superuser goes past them: record 2's prefix changed, position 4 removed.
    pg.sql(&format!(
        "SET session_replication_role = replica;
         UPDATE qrjump_records SET prefix = 'https://t.example.com/other/' WHERE installation_id = '{installation}' AND chain_seq = 2;
         DELETE FROM qrjump_records WHERE installation_id = '{installation}' AND chain_seq = 4;"
    ));
    let local_id_of_2 = pg.sql("SELECT local_id FROM qrjump_records WHERE chain_seq = 2");
    let output = qrjump(&sim, &secret, data.path(), &pg.url(), &["team", "verify"]).output().unwrap();
    let said = text(&output);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains(&format!("{installation} (")) && said.contains("ALTERED"), "{said}");
    assert!(said.contains(&format!("record {local_id_of_2} was changed on the server")), "{said}");
    assert!(said.contains("chain position 4 was removed from the server"), "{said}");
    // Only those: the records after the gap still check out.
    assert_eq!(said.matches("was changed").count(), 1, "{said}");

    let output = qrjump(&sim, &secret, data.path(), &pg.url(), &["--json", "team", "verify"]).output().unwrap();
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["ok"], false);
    assert_eq!(answer["installations"][0]["gaps"], serde_json::json!([[4, 4]]));
}

#[test]
fn a_server_set_up_by_a_newer_version_is_refused_in_words() {
    let pg = Postgres::database();
    let (sim, secret) = simulator(1);
    let data = tempfile::tempdir().unwrap();
    let output = qrjump(&sim, &secret, data.path(), &pg.url(), &["team", "push"]).output().unwrap();
    assert!(output.status.success(), "{}", text(&output));
    pg.sql("UPDATE qrjump_schema SET version = 99");
    let output = qrjump(&sim, &secret, data.path(), &pg.url(), &["team", "push"]).output().unwrap();
    let said = text(&output);
    assert_eq!(output.status.code(), Some(3), "{said}");
    assert!(said.contains("set up by a newer version of QR Jump Admin (schema 99"), "{said}");
}

#[test]
fn an_unencrypted_address_to_another_computer_is_refused_before_connecting() {
    let (sim, secret) = simulator(1);
    let data = tempfile::tempdir().unwrap();
    let url = format!("postgres://qrjump:{}@db.example.com/audit?sslmode=disable", qrjump_tests::postgres::PASSWORD);
    let output = qrjump(&sim, &secret, data.path(), &url, &["team", "push"]).output().unwrap();
    let said = text(&output);
    assert_eq!(output.status.code(), Some(2), "{said}");
    assert!(said.contains("QRJUMP_TEAM_DATABASE_URL") && said.contains("must be encrypted (TLS)"), "{said}");
}

/// The flag instead of the environment's address, with the password kept
/// apart in QRJUMP_TEAM_PASSWORD (never in argv, never in the output).
#[test]
fn the_flag_and_a_separate_password_reach_the_same_database() {
    let pg = Postgres::database();
    let (sim, secret) = simulator(1);
    let data = tempfile::tempdir().unwrap();
    let without_password = pg.url().replace(&format!(":{}@", qrjump_tests::postgres::PASSWORD), "@");
    let run = |password: Option<&str>| {
        let mut command =
            qrjump(&sim, &secret, data.path(), "", &["--team-database-url", &without_password, "team", "push"]);
        command.env_remove("QRJUMP_TEAM_DATABASE_URL");
        match password {
            Some(p) => command.env("QRJUMP_TEAM_PASSWORD", p),
            None => command.env_remove("QRJUMP_TEAM_PASSWORD"),
        };
        command.output().unwrap()
    };
    let output = run(None);
    assert_eq!(output.status.code(), Some(3), "no password: refused by the server: {}", text(&output));
    let output = run(Some(qrjump_tests::postgres::PASSWORD));
    assert!(output.status.success(), "{}", text(&output));
    let output = qrjump(&sim, &secret, data.path(), "", &["team", "push"])
        .env_remove("QRJUMP_TEAM_DATABASE_URL")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("no team database: --team-database-url or QRJUMP_TEAM_DATABASE_URL"),
        "{}",
        text(&output)
    );
}

/// The README's grants: once the owner has set the schema up, a role that
/// may only insert and select pushes and verifies, and can change nothing.
#[test]
fn an_insert_and_select_only_role_pushes_and_verifies() {
    // A server of its own: roles are the whole server's.
    let pg = Postgres::start();
    let (sim, secret) = simulator(2);
    let data = tempfile::tempdir().unwrap();
    let output = qrjump(&sim, &secret, data.path(), &pg.url(), &["team", "push"]).output().unwrap();
    assert!(output.status.success(), "the owner sets the schema up: {}", text(&output));
    let password = qrjump_tests::postgres::PASSWORD;
    pg.sql(&format!(
        "CREATE ROLE qrjump_app LOGIN PASSWORD '{password}';
         GRANT CONNECT ON DATABASE {db} TO qrjump_app;
         GRANT USAGE ON SCHEMA public TO qrjump_app;
         GRANT SELECT, INSERT ON qrjump_records, qrjump_installations, qrjump_conflicts TO qrjump_app;
         GRANT SELECT ON qrjump_schema TO qrjump_app;",
        db = qrjump_tests::postgres::DATABASE
    ));
    let app_url = pg.url().replace("postgres://qrjump:", "postgres://qrjump_app:");
    for rule in 0..2 {
        let prefix = format!("https://t.example.com/{rule}/");
        let output =
            qrjump(&sim, &secret, data.path(), &app_url, &["delete", "--prefix", &prefix, "--yes"]).output().unwrap();
        let said = text(&output);
        assert!(output.status.success() && !said.contains("not pushed"), "{said}");
    }
    let output = qrjump(&sim, &secret, data.path(), &app_url, &["team", "verify"]).output().unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let refused = Command::new("psql")
        .args([&app_url, "-AtqX", "-c", "UPDATE qrjump_records SET prefix = 'x'"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&refused.stderr).contains("permission denied"), "{refused:?}");
    // The desktops' role cannot create or alter what the owner set up either.
    let refused = Command::new("psql")
        .args([&app_url, "-AtqX", "-c", "ALTER TABLE qrjump_records DROP COLUMN signature"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&refused.stderr).contains("must be owner"), "{refused:?}");
}

/// Issue 24: a colleague who writes a row first under this installation and
/// record number (the shared login may insert) used to hide the real one:
/// the push skipped it and said "Pushed 0". Now it is an alarm: nothing is
/// counted as sent, the conflict is noted on the server and locally, and
/// `team verify` names it.
#[test]
fn a_conflicting_row_written_first_is_an_alarm_not_a_quiet_skip() {
    let pg = Postgres::database();
    let (sim, secret) = simulator(3);
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| qrjump(&sim, &secret, data.path(), &pg.url(), args).output().unwrap();
    assert!(run(&["delete", "--prefix", "https://t.example.com/0/", "--yes"]).status.success());
    let (installation, _, _) = completed(data.path());
    // The colleague's row: the next record number and chain position, another content.
    pg.sql(&format!(
        "INSERT INTO qrjump_records SELECT installation_id, local_id + 1, 'OTHER-PC', action, started_at, finished_at,
            status, account_name, caller_appid, mode, 'https://t.example.com/forged/', target_appid, errcode, errmsg,
            explanation, error_kind, duration_ms, operator, app_version, rule_snapshot, demo, related_id, batch_id,
            conclusion, chain_seq + 1, hash_version, repeat('f', 64)
         FROM qrjump_records WHERE installation_id = '{installation}'"
    ));
    let output = qrjump(&sim, &secret, data.path(), "", &["delete", "--prefix", "https://t.example.com/1/", "--yes"])
        .env_remove("QRJUMP_TEAM_DATABASE_URL")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let output = run(&["team", "push"]);
    let said = text(&output);
    assert!(!output.status.success(), "an alarm is not a success: {said}");
    assert!(said.contains("ALARM") && said.contains("different hash") && !said.contains("Pushed"), "{said}");
    let (_, _, waiting) = completed(data.path());
    assert_eq!(waiting, 1, "this computer's record still waits: never counted as sent");
    let history = History::open_read_only(data.path()).unwrap();
    assert!(history.outbox().unwrap().last_error.is_some_and(|e| e.contains("ALARM")), "noted locally");
    drop(history);
    assert_eq!(pg.sql("SELECT count(*) FROM qrjump_conflicts"), "1", "noted on the server");
    // Pushing again notes it again (once) and stays an alarm.
    assert!(!run(&["team", "push"]).status.success());
    assert_eq!(pg.sql("SELECT count(*) FROM qrjump_conflicts"), "1");
    let output = run(&["team", "verify"]);
    let said = text(&output);
    assert!(!output.status.success(), "{said}");
    assert!(said.contains("push(es) met another record already there"), "{said}");
    assert!(said.contains("were not made here (positions [2])"), "the server's record 2 is not ours: {said}");
}

/// Issue 24: each installation signs its records with the key its
/// credential store holds (here GNOME Keyring's Secret Service), registered
/// with the first push. A record that only claims to be its, a copy of the
/// data folder with another key, and records removed from the end are each
/// named by `team verify`.
#[test]
fn signed_records_tell_the_installation_from_those_that_only_claim_to_be_it() {
    let pg = Postgres::database();
    let (sim, secret) = simulator(4);
    let store = qrjump_tests::secret_service::SecretService::start();
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        qrjump(&sim, &secret, data.path(), &pg.url(), args)
            .env("DBUS_SESSION_BUS_ADDRESS", store.address())
            .output()
            .unwrap()
    };
    for rule in 0..2 {
        let output = run(&["delete", "--prefix", &format!("https://t.example.com/{rule}/"), "--yes"]);
        assert!(output.status.success() && !text(&output).contains("not pushed"), "{}", text(&output));
    }
    let (installation, _, _) = completed(data.path());
    assert_eq!(pg.sql("SELECT count(*) FROM qrjump_records WHERE signature IS NOT NULL"), "2");
    assert_eq!(pg.sql("SELECT count(*) FROM qrjump_installations"), "1", "the key registered");
    let output = run(&["team", "verify"]);
    let said = text(&output);
    assert!(output.status.success() && said.contains("every record signed by its key"), "{said}");

    // A copy of the data folder on another computer (another credential
    // store, whose key is not the one that signed it) deletes and pushes
    // under the same name: its record carries no signature, and the
    // original's verify names it as not made there.
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(data.path()).unwrap().flatten().filter(|e| e.path().is_file()) {
        std::fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
    }
    let elsewhere = qrjump_tests::secret_service::SecretService::start();
    let output =
        qrjump(&sim, &secret, copy.path(), &pg.url(), &["delete", "--prefix", "https://t.example.com/2/", "--yes"])
            .env("DBUS_SESSION_BUS_ADDRESS", elsewhere.address())
            .output()
            .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let output = run(&["team", "verify"]);
    let said = text(&output);
    assert!(!output.status.success(), "{said}");
    assert!(said.contains("1 record(s) without a signature only claim to be its"), "{said}");
    assert!(said.contains("were not made here (positions [3])"), "{said}");

    // Someone with the shared login adds a record under this installation
    // with a made-up signature: it only claims to be the installation's.
    pg.sql(&format!(
        "INSERT INTO qrjump_records SELECT installation_id, local_id + 100, 'OTHER-PC', action, started_at,
            finished_at, status, account_name, caller_appid, mode, prefix, target_appid, errcode, errmsg, explanation,
            error_kind, duration_ms, operator, app_version, rule_snapshot, demo, related_id, batch_id, conclusion,
            chain_seq + 2, hash_version, hash, now(), repeat('ab', 64)
         FROM qrjump_records WHERE installation_id = '{installation}' AND chain_seq = 2"
    ));
    let output = run(&["team", "verify"]);
    let said = text(&output);
    let forged_id: i64 = pg
        .sql(&format!("SELECT local_id FROM qrjump_records WHERE installation_id = '{installation}' AND chain_seq = 4"))
        .parse()
        .unwrap();
    assert!(said.contains(&format!("record {forged_id} is NOT signed by this installation's key")), "{said}");

    // A copy of the history file alone, with a key of its own: the server
    // has pinned the installation's key, so it pushes nothing, an alarm.
    let bare = tempfile::tempdir().unwrap();
    std::fs::copy(data.path().join(qrjump::history::FILE_NAME), bare.path().join(qrjump::history::FILE_NAME)).unwrap();
    let third = qrjump_tests::secret_service::SecretService::start();
    let output = qrjump(&sim, &secret, bare.path(), &pg.url(), &["team", "push"])
        .env("DBUS_SESSION_BUS_ADDRESS", third.address())
        .output()
        .unwrap();
    let said = text(&output);
    assert!(!output.status.success() && said.contains("another key registered for this installation"), "{said}");
}

/// The auditor's review from the command line: every computer's records
/// newest first, the filters (with operator and computer), text search in
/// any case, keyset pages, and the audit CSV of a filter.
#[tokio::test(flavor = "multi_thread")]
async fn the_team_history_is_reviewed_filtered_searched_and_exported() {
    let pg = Postgres::database();
    let (sim, secret) = simulator(3);
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| qrjump(&sim, &secret, data.path(), &pg.url(), args).output().unwrap();
    for prefix in ["https://t.example.com/0/", "https://t.example.com/1/", "https://t.example.com/gone/"] {
        run(&["delete", "--prefix", prefix, "--yes"]);
    }
    // Another computer's record, as its push would have written it.
    pg.sql(
        "INSERT INTO qrjump_records SELECT '=finance-install', local_id, 'FINANCE-PC', action, started_at, '+cmd|x',
            status, account_name, caller_appid, mode, '=HYPERLINK(\"x\")', target_appid, errcode, errmsg, explanation,
            error_kind, duration_ms, 'li.lei', app_version, rule_snapshot, demo, related_id, batch_id, conclusion,
            chain_seq, hash_version, hash
         FROM qrjump_records WHERE chain_seq = 1",
    );

    let list = |args: &[&str]| {
        let mut all = vec!["--json", "team", "history", "list"];
        all.extend(args);
        let output = run(&all);
        assert!(output.status.success(), "{}", text(&output));
        let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        answer["records"].as_array().unwrap().clone()
    };
    let all = list(&[]);
    assert_eq!(all.len(), 4);
    let started: Vec<&str> = all.iter().map(|r| r["startedAt"].as_str().unwrap()).collect();
    assert!(started.windows(2).all(|w| w[0] >= w[1]), "newest first: {started:?}");
    let finance = list(&["--computer", "FINANCE-PC"]);
    assert_eq!((finance.len(), finance[0]["operator"].as_str()), (1, Some("li.lei")));
    assert_eq!(list(&["--operator", "li.lei"]).len(), 1);
    assert_eq!(list(&["--status", "failed"]).len(), 1);
    let found = list(&["--text", "EXAMPLE.COM/1/"]);
    assert_eq!((found.len(), found[0]["prefix"].as_str()), (1, Some("https://t.example.com/1/")));
    assert_eq!(list(&["--text", "50%_"]).len(), 0, "% and _ are text, not wildcards");

    let output = run(&["team", "history", "list", "--from", "yesterday"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("from: \"yesterday\" is not a date"), "{}", text(&output));
    let output = run(&["team", "history", "list", "--linked-to", "3"]);
    assert_eq!(output.status.code(), Some(2));

    // Pages through the library: no record twice, none left out.
    let team = qrjump::team::TeamConfig::parse(&pg.url(), None).unwrap().connect().await.unwrap();
    let filter = qrjump::team::TeamFilter::default();
    let first = team.page(&filter, None, 3).await.unwrap();
    let rest = team.page(&filter, Some(&first.last().unwrap().cursor()), 3).await.unwrap();
    let mut seen: Vec<_> = first.iter().chain(&rest).map(|r| (r.installation_id.clone(), r.record.id)).collect();
    assert_eq!(seen.len(), 4);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 4, "a record on two pages");

    let csv_path = data.path().join("team.csv");
    let output = run(&["team", "history", "export", "--out", csv_path.to_str().unwrap(), "--status", "ok"]);
    assert!(text(&output).contains("Wrote 3 record(s) of the team history"), "{}", text(&output));
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a BOM for Excel");
    let csv = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(csv.starts_with("installation,computer,id,action,started_at"), "{csv}");
    assert_eq!(csv.matches("\r\n").count(), 4, "header and three rows, CRLF: {csv}");
    assert!(csv.contains("FINANCE-PC") && csv.contains("\"'=HYPERLINK"), "a formula is neutralised: {csv}");
    // The installation and an unparsed time come from the shared database too.
    assert!(csv.contains("'=finance-install") && csv.contains("'+cmd|x"), "every cell is neutralised: {csv}");
}

/// A server that accepts the connection and then says nothing (a hung
/// database, a half-open firewall): the delete is not held hostage; the
/// push gives up after QRJUMP_TEAM_TIMEOUT and says so.
#[test]
fn a_database_that_never_answers_costs_a_bounded_wait() {
    let (sim, secret) = simulator(1);
    let data = tempfile::tempdir().unwrap();
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    // Accept and hold every connection, never answering.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in silent.incoming().flatten() {
            held.push(stream);
        }
    });
    let url = format!("postgres://qrjump:{}@127.0.0.1:{port}/audit", qrjump_tests::postgres::PASSWORD);
    let output = qrjump(&sim, &secret, data.path(), &url, &["delete", "--prefix", "https://t.example.com/0/", "--yes"])
        .env("QRJUMP_TEAM_TIMEOUT", "2")
        .output()
        .unwrap();
    let said = text(&output);
    assert!(output.status.success(), "the delete itself worked: {said}");
    assert!(said.contains("Deleted https://t.example.com/0/"), "{said}");
    assert!(said.contains("did not answer within 2 s") && said.contains("1 record(s) waiting"), "{said}");

    let output = qrjump(&sim, &secret, data.path(), &url, &["team", "push"])
        .env("QRJUMP_TEAM_TIMEOUT", "soon")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("QRJUMP_TEAM_TIMEOUT: \"soon\" is not a number"), "{}", text(&output));
}
