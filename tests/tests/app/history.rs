//! The SQLite history: a real file in a temporary folder.

use std::process::Command;

use qrjump::history::{Action, CsvCheck, Filter, History, Outcome, Status, Verification, schema};
use qrjump::wechat::Mode;
use qrjump_tests::history_data::{attempt, outcome, record};

fn sqlite3(file: &std::path::Path, sql: &str) -> std::process::Output {
    Command::new("sqlite3").arg(file).arg(sql).output().expect("the sqlite3 shell (apt-get install sqlite3)")
}

#[test]
fn an_attempt_is_pending_until_completed() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = History::open(dir.path()).unwrap();
    let id = history.start(&attempt("Shop", Mode::Ordinary, "https://a.com/")).unwrap();
    let pending = history.get(id).unwrap().unwrap();
    assert_eq!(pending.status, Status::Pending);
    assert!(pending.finished_at.is_none() && pending.hash.is_none());
    let done = history.finish(id, Status::Ok, &outcome(0, "ok")).unwrap();
    assert_eq!(done.status, Status::Ok);
    assert_eq!(done.chain_seq, Some(1));
    assert_eq!(history.get(id).unwrap().unwrap(), done);
    // Completing twice is refused.
    assert!(history.finish(id, Status::Failed, &outcome(1, "x")).is_err());
}

#[test]
fn an_older_schema_is_upgraded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(qrjump::history::FILE_NAME);
    {
        let conn = rusqlite::Connection::open(&file).unwrap();
        conn.execute_batch(schema::V1).unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO attempts (started_at, finished_at, status, account_name, mode, prefix, errcode, errmsg, operator, app_version)
             VALUES ('2025-01-02T03:04:05.000Z', '2025-01-02T03:04:06.000Z', 'ok', 'Old', 'ordinary', 'https://old.com/', 0, 'ok', 'amy', '0.0.9');
             INSERT INTO attempts (started_at, status, account_name, mode, prefix, operator, app_version)
             VALUES ('2025-01-03T03:04:05.000Z', 'pending', 'Old', 'service_account', 'http://weixin.qq.com/q/1', 'amy', '0.0.9');",
        )
        .unwrap();
    }
    let history = History::open(dir.path()).unwrap();
    let version: i64 =
        rusqlite::Connection::open(&file).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, schema::LATEST);
    let records = history.page(&Filter::default(), None, 10).unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].prefix, "https://old.com/");
    assert_eq!(records[1].operator, "amy");
    // The old pending record's app is long gone: its outcome is unknown.
    assert_eq!(records[0].status, Status::Unknown);
    assert_eq!(history.verify().unwrap(), Verification::Intact { records: 2 });
    // The new indexes serve the search on old rows too.
    let found = history.page(&Filter { text: Some("old.com".into()), ..Filter::default() }, None, 10).unwrap();
    assert_eq!(found.len(), 1);
}

#[test]
fn triggers_refuse_update_of_completed_records_and_any_delete() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = History::open(dir.path()).unwrap();
    let done = record(&mut history, &attempt("Shop", Mode::Ordinary, "https://a.com/"), Status::Ok, &outcome(0, "ok"));
    let pending = history.start(&attempt("Shop", Mode::Ordinary, "https://b.com/")).unwrap();
    let conn = rusqlite::Connection::open(history.path()).unwrap();
    let update = conn.execute("UPDATE attempts SET errmsg = 'forged' WHERE id = ?1", [done]).unwrap_err();
    assert!(update.to_string().contains("cannot be changed"), "{update}");
    let delete = conn.execute("DELETE FROM attempts WHERE id = ?1", [pending]).unwrap_err();
    assert!(delete.to_string().contains("cannot be deleted"), "{delete}");
    // A pending record may be completed but not rewritten.
    let rewrite =
        conn.execute("UPDATE attempts SET prefix = 'https://evil.com/' WHERE id = ?1", [pending]).unwrap_err();
    assert!(rewrite.to_string().contains("cannot be changed"));
}

#[test]
fn verify_finds_an_edit_made_with_the_sqlite3_shell() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = History::open(dir.path()).unwrap();
    for i in 0..4 {
        record(
            &mut history,
            &attempt("Shop", Mode::Ordinary, &format!("https://a.com/{i}")),
            Status::Failed,
            &outcome(85066, "bad"),
        );
    }
    assert_eq!(history.verify().unwrap(), Verification::Intact { records: 4 });
    let output = sqlite3(
        history.path(),
        "DROP TRIGGER attempts_no_update; UPDATE attempts SET status = 'ok', errcode = 0 WHERE id = 3;",
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(history.verify().unwrap(), Verification::Altered { id: 3, checked: 2 });
}

#[test]
fn verify_finds_a_removed_record() {
    let (_dir, history) = with_deletes(4);
    let output = sqlite3(history.path(), "DROP TRIGGER attempts_no_delete; DELETE FROM attempts WHERE id = 2;");
    assert!(output.status.success());
    assert_eq!(history.verify().unwrap(), Verification::Removed { after_id: 1, checked: 1 });

    // Removing the newest record leaves no gap in the chain, but SQLite's
    // id counter still remembers it.
    let (_dir, history) = with_deletes(3);
    sqlite3(history.path(), "DROP TRIGGER attempts_no_delete; DELETE FROM attempts WHERE id = 3;");
    assert_eq!(history.verify().unwrap(), Verification::Removed { after_id: 2, checked: 2 });
}

#[test]
fn every_filter_and_keyset_paging() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = History::open(dir.path()).unwrap();
    // Times are kept to the millisecond: keep the four apart.
    let pause = || std::thread::sleep(std::time::Duration::from_millis(3));
    let a =
        record(&mut history, &attempt("Shop", Mode::Ordinary, "https://shop.com/qr/1"), Status::Ok, &outcome(0, "ok"));
    pause();
    let b = record(
        &mut history,
        &attempt("Shop", Mode::ServiceAccount, "http://weixin.qq.com/q/AbC"),
        Status::Failed,
        &outcome(85066, "illegal prefix rid: 77"),
    );
    pause();
    let c = record(
        &mut history,
        &attempt("Brand", Mode::Ordinary, "https://brand.cn/x_%"),
        Status::Unknown,
        &Outcome::default(),
    );
    pause();
    let d = history.start(&attempt("Brand", Mode::Ordinary, "https://brand.cn/pending")).unwrap();
    let ids =
        |filter: Filter| -> Vec<i64> { history.page(&filter, None, 100).unwrap().into_iter().map(|r| r.id).collect() };

    assert_eq!(ids(Filter::default()), [d, c, b, a], "newest first");
    assert_eq!(ids(Filter { status: Some(Status::Failed), ..Filter::default() }), [b]);
    assert_eq!(ids(Filter { status: Some(Status::Pending), ..Filter::default() }), [d]);
    assert_eq!(ids(Filter { mode: Some(Mode::ServiceAccount), ..Filter::default() }), [b]);
    assert_eq!(ids(Filter { account: Some("Brand".into()), ..Filter::default() }), [d, c]);
    assert_eq!(ids(Filter { text: Some("weixin".into()), ..Filter::default() }), [b], "prefix");
    assert_eq!(ids(Filter { text: Some("00000000bb".into()), ..Filter::default() }), [b], "Mini Program AppID");
    assert_eq!(ids(Filter { text: Some("rid: 77".into()), ..Filter::default() }), [b], "errmsg");
    assert_eq!(ids(Filter { text: Some("AbC".into()), ..Filter::default() }), [b]);
    assert_eq!(
        ids(Filter { text: Some("_%".into()), ..Filter::default() }),
        [c],
        "short text, LIKE wildcards taken literally"
    );
    assert_eq!(ids(Filter { text: Some("say \"hi\"".into()), ..Filter::default() }), Vec::<i64>::new());
    assert_eq!(ids(Filter { text: Some("brand".into()), status: Some(Status::Unknown), ..Filter::default() }), [c]);

    let all = history.page(&Filter::default(), None, 100).unwrap();
    let first = &all[3].started_at;
    let last = &all[0].started_at;
    assert_eq!(ids(Filter { from: Some(last.clone()), ..Filter::default() }), [d]);
    assert_eq!(ids(Filter { to: Some(last.clone()), ..Filter::default() }).last(), Some(&a));
    assert_eq!(
        ids(Filter { from: Some(first.clone()), to: Some(first.clone()), ..Filter::default() }),
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(Filter {
            from: Some("2000-01-01".into()),
            to: Some("2999-01-01T00:00:00+08:00".into()),
            ..Filter::default()
        })
        .len(),
        4
    );
    assert!(history.page(&Filter { from: Some("last week".into()), ..Filter::default() }, None, 10).is_err());

    // Keyset pages: two, then the rest, never overlapping.
    let page1 = history.page(&Filter::default(), None, 2).unwrap();
    let page2 = history.page(&Filter::default(), Some(page1[1].id), 2).unwrap();
    assert_eq!(page1.iter().chain(&page2).map(|r| r.id).collect::<Vec<_>>(), [d, c, b, a]);
    let text_page = history.page(&Filter { text: Some("https".into()), ..Filter::default() }, Some(c), 10).unwrap();
    assert_eq!(text_page.iter().map(|r| r.id).collect::<Vec<_>>(), [a]);
    assert_eq!(history.account_names().unwrap(), ["Brand", "Shop"]);
}

/// Values a CSV and a spreadsheet can trip on, each as an errmsg.
const HARD: [&str; 12] = [
    "comma, inside",
    "quote \" inside",
    "line\nbreak",
    "crlf\r\nbreak",
    "中文错误信息，含逗号",
    "=1+2",
    "+SUM(A1)",
    "-2+3",
    "@cmd",
    "\tTAB",
    "\rCR",
    "plain",
];

#[test]
fn the_csv_reads_back_the_same_in_python() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = History::open(dir.path()).unwrap();
    for text in HARD {
        let mut a = attempt("店铺 Shop", Mode::Ordinary, "https://a.com/?x=1,2");
        a.account_name = format!("=acct {}", text.len());
        record(&mut history, &a, Status::Failed, &outcome(-1, text));
    }
    let csv_path = dir.path().join("audit.csv");
    let written = history.export_csv(&Filter::default(), std::fs::File::create(&csv_path).unwrap()).unwrap();
    assert_eq!(written, HARD.len() as u64);

    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with("\u{feff}id,".as_bytes()), "BOM then header");
    assert!(bytes.windows(2).any(|w| w == b"\r\n"));
    assert!(!String::from_utf8_lossy(&bytes).replace("\r\n", "").contains("\n\""), "records end in CRLF");

    let script = r#"
import csv, json, sys
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    rows = list(csv.DictReader(f))
print(json.dumps([[r['errmsg'], r['account'], r['errcode'], r['prefix'], r['started_at']] for r in rows]))
"#;
    let output = Command::new("python3").args(["-c", script]).arg(&csv_path).output().expect("python3");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let rows: Vec<Vec<String>> = serde_json::from_slice(&output.stdout).unwrap();
    for (row, text) in rows.iter().zip(HARD) {
        let expected = if matches!(text.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')) {
            format!("'{text}")
        } else {
            text.to_owned()
        };
        assert_eq!(row[0], expected);
        assert!(row[1].starts_with("'=acct"), "account names are neutralised too");
        assert_eq!(row[2], "-1", "numbers are not text: errcode stays a number");
        assert_eq!(row[3], "https://a.com/?x=1,2");
        chrono_like_offset(&row[4]);
    }
}

/// ISO 8601 with an offset: ...T..:..:..(.mmm)+hh:mm or Z-free.
fn chrono_like_offset(time: &str) {
    assert!(time.len() >= 25 && time.contains('T'), "{time}");
    let offset = &time[time.len() - 6..];
    assert!((offset.starts_with('+') || offset.starts_with('-')) && offset.as_bytes()[3] == b':', "{time}");
}

#[test]
fn the_csv_uses_the_review_filters() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = History::open(dir.path()).unwrap();
    record(&mut history, &attempt("Shop", Mode::Ordinary, "https://a.com/1"), Status::Ok, &outcome(0, "ok"));
    record(&mut history, &attempt("Shop", Mode::Ordinary, "https://a.com/2"), Status::Failed, &outcome(85066, "bad"));
    let mut out = Vec::new();
    let written = history.export_csv(&Filter { status: Some(Status::Failed), ..Filter::default() }, &mut out).unwrap();
    assert_eq!(written, 1);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("https://a.com/2") && !text.contains("https://a.com/1"));
}

#[test]
fn times_in_the_csv_carry_the_local_offset() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = History::open(dir.path()).unwrap();
    record(&mut history, &attempt("Shop", Mode::Ordinary, "https://a.com/1"), Status::Ok, &outcome(0, "ok"));
    drop(history);
    // A child process in Shanghai's time zone exports the same file.
    let output = Command::new(qrjump_tests::workspace_bin("qrjump"))
        .args(["history", "export", "--out"])
        .arg(dir.path().join("sh.csv"))
        .env("QRJUMP_DATA_DIR", dir.path())
        .env("TZ", "Asia/Shanghai")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = std::fs::read_to_string(dir.path().join("sh.csv")).unwrap();
    assert!(text.lines().nth(1).unwrap().split(',').nth(2).unwrap().ends_with("+08:00"), "{text}");
}

/// Fault 6 of the foundation issue: whoever cut off the newest records and
/// also set back SQLite's id counter left `verify` nothing to see. The
/// manifest written with each export anchors the chain outside the file.
#[test]
fn an_exports_manifest_proves_nothing_it_saw_was_removed_or_changed() {
    let (_dir, mut history) = with_deletes(5);
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("audit.csv");
    let exported = history.export_with_manifest(&Filter::default(), &csv).unwrap();
    assert_eq!(exported.records, 5);
    assert_eq!(exported.manifest, out.path().join("audit.csv.manifest.json"));
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(&exported.manifest).unwrap()).unwrap();
    assert_eq!((manifest["chain_records"].as_u64(), manifest["last_id"].as_i64()), (Some(5), Some(5)));
    assert_eq!(manifest["csv_sha256"].as_str().unwrap().len(), 64);
    let intact = history.verify_against(&exported.manifest).unwrap();
    assert_eq!(intact.verification, Verification::Intact { records: 5 });
    assert_eq!(intact.csv, CsvCheck::Matches);

    // Later records do not disturb the anchor.
    record(&mut history, &attempt("Shop", Mode::Ordinary, "https://a.com/later"), Status::Ok, &outcome(0, "ok"));
    assert_eq!(history.verify_against(&exported.manifest).unwrap().verification, Verification::Intact { records: 6 });

    // Cut off the newest three records and set the id counter back: the
    // file alone looks intact...
    let cut = sqlite3(
        history.path(),
        "DROP TRIGGER attempts_no_delete; DELETE FROM attempts WHERE id >= 4;
         UPDATE sqlite_sequence SET seq = 3 WHERE name = 'attempts';",
    );
    assert!(cut.status.success(), "{}", String::from_utf8_lossy(&cut.stderr));
    assert_eq!(history.verify().unwrap(), Verification::Intact { records: 3 });
    // ...the manifest does not.
    let report = history.verify_against(&exported.manifest).unwrap();
    assert_eq!(report.verification, Verification::Truncated { expected: 5, found: 3 });

    // A CSV edited after the export is told apart from the one exported.
    std::fs::write(&csv, b"\xef\xbb\xbfid\r\n1\r\n").unwrap();
    assert_eq!(history.verify_against(&exported.manifest).unwrap().csv, CsvCheck::Differs);
    std::fs::remove_file(&csv).unwrap();
    assert_eq!(history.verify_against(&exported.manifest).unwrap().csv, CsvCheck::Missing);

    // Not a manifest: said so.
    let error = history.verify_against(&out.path().join("nothing.json")).unwrap_err();
    assert!(error.to_string().contains("manifest"), "{error}");
}

/// Rewriting the whole chain after removing records (its hashes are not
/// secret) passes `verify`, but not the manifest's head hash.
#[test]
fn a_rewritten_chain_does_not_match_the_manifest() {
    let (_dir, history) = with_deletes(3);
    let out = tempfile::tempdir().unwrap();
    let exported = history.export_with_manifest(&Filter::default(), &out.path().join("a.csv")).unwrap();
    // Forge record 2's errmsg, then re-chain 2 and 3 as the app would.
    let forge =
        sqlite3(history.path(), "DROP TRIGGER attempts_no_update; UPDATE attempts SET errmsg = 'forged' WHERE id = 2;");
    assert!(forge.status.success());
    assert!(matches!(history.verify().unwrap(), Verification::Altered { id: 2, .. }));
    rechain(history.path());
    assert_eq!(history.verify().unwrap(), Verification::Intact { records: 3 });
    let report = history.verify_against(&exported.manifest).unwrap();
    assert!(matches!(report.verification, Verification::Altered { id: 3, .. }), "{report:?}");
}

/// Recomputes every hash of the file with the app's own function, as a
/// forger with the source code could.
fn rechain(file: &std::path::Path) {
    let dir = file.parent().unwrap();
    let history = History::open(dir).unwrap();
    let conn = rusqlite::Connection::open(file).unwrap();
    let mut previous = qrjump::history::GENESIS.to_owned();
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM attempts ORDER BY chain_seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    for id in ids {
        let record = history.get(id).unwrap().unwrap();
        let hash = qrjump::history::chain_hash(&previous, &record);
        conn.execute("UPDATE attempts SET hash = ?2 WHERE id = ?1", rusqlite::params![id, hash]).unwrap();
        previous = hash;
    }
}

/// A file written by the previous release (schema 2) upgrades in place, its
/// records keep the hashes they were chained with (hash version 1), and new
/// records chain on with the fields added since.
#[test]
fn a_file_of_the_previous_release_upgrades_and_keeps_its_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/history-v2.sqlite3");
    std::fs::copy(fixture, dir.path().join(qrjump::history::FILE_NAME)).unwrap();
    let before: Vec<String> = {
        let conn = rusqlite::Connection::open(dir.path().join(qrjump::history::FILE_NAME)).unwrap();
        assert_eq!(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap(), 2);
        let mut statement = conn.prepare("SELECT hash FROM attempts ORDER BY id").unwrap();
        statement.query_map([], |r| r.get(0)).unwrap().map(|h| h.unwrap()).collect()
    };
    let mut history = History::open(dir.path()).unwrap();
    assert_eq!(history.verify().unwrap(), Verification::Intact { records: 4 });
    let old = history.page(&Filter::default(), None, 10).unwrap();
    assert_eq!(old.len(), 4);
    for record in &old {
        assert_eq!((record.action, record.hash_version), (Action::Delete, 1));
        assert_eq!(record.hash.as_ref(), Some(&before[record.id as usize - 1]), "record {} kept its hash", record.id);
    }
    assert_eq!(old[0].mode, Mode::ServiceAccount);
    assert_eq!(old[2].errcode, Some(40097));
    let mut a = attempt("Shop", Mode::Ordinary, "https://a.com/new");
    a.batch_id = Some("batch-1".into());
    let id = record(&mut history, &a, Status::Ok, &outcome(0, "ok"));
    let new = history.get(id).unwrap().unwrap();
    assert_eq!((new.hash_version, new.batch_id.as_deref(), new.verdict.as_deref()), (4, Some("batch-1"), Some("done")));
    assert_eq!(history.verify().unwrap(), Verification::Intact { records: 5 });
    let batch = Filter { batch_id: Some("batch-1".into()), ..Filter::default() };
    assert_eq!(history.page(&batch, None, 10).unwrap().len(), 1);
}

/// A new history holding `n` successful deletes of `https://a.com/0` and on.
fn with_deletes(n: usize) -> (tempfile::TempDir, History) {
    let dir = tempfile::tempdir().unwrap();
    let mut history = History::open(dir.path()).unwrap();
    for i in 0..n {
        let prefix = format!("https://a.com/{i}");
        record(&mut history, &attempt("Shop", Mode::Ordinary, &prefix), Status::Ok, &outcome(0, "ok"));
    }
    (dir, history)
}

/// Issue 24: anyone with the file can recompute every hash, so the chain's
/// head is signed with the installation's key (held by the credential
/// store, never in the data folder). A rewrite by someone without the key
/// passes `verify`, but not the signature; neither does removing it.
#[test]
fn a_rewrite_by_someone_without_the_key_breaks_the_signature() {
    use qrjump::history::signing::{Broken, InstallationKey, SIGNATURE_FILE, Signing};
    let dir = tempfile::tempdir().unwrap();
    let key = InstallationKey::generate();
    let secret = key.to_secret_hex();
    let mut history = History::open(dir.path()).unwrap();
    assert_eq!(history.signing().unwrap(), Signing::Unsigned, "no key, no signature");
    history.sign_with(InstallationKey::from_secret_hex(&secret).unwrap(), false).unwrap();
    for n in 0..3 {
        let id = history.start(&attempt("Shop", Mode::Ordinary, &format!("https://a.com/{n}/"))).unwrap();
        history.finish(id, Status::Ok, &outcome(0, "ok")).unwrap();
    }
    assert_eq!(history.signing().unwrap(), Signing::Signed { seq: 3, after: 0 });
    // The key is nowhere in the data folder; the public key is.
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten().filter(|e| e.path().is_file()) {
        let bytes = std::fs::read(entry.path()).unwrap();
        assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "{:?} holds the key", entry.path());
    }
    let signature = std::fs::read_to_string(dir.path().join(SIGNATURE_FILE)).unwrap();
    assert!(signature.contains(&key.public_hex()));
    let out = tempfile::tempdir().unwrap();
    let exported = history.export_with_manifest(&Filter::default(), &out.path().join("a.csv")).unwrap();

    // A process without the key (a script on a PC without a credential
    // store) adds a record: signed up to 3, one after.
    drop(history);
    let mut keyless = History::open(dir.path()).unwrap();
    let id = keyless.start(&attempt("Shop", Mode::Ordinary, "https://a.com/x/")).unwrap();
    keyless.finish(id, Status::Ok, &outcome(0, "ok")).unwrap();
    assert_eq!(keyless.signing().unwrap(), Signing::Signed { seq: 3, after: 1 });
    let path = keyless.path().to_owned();
    drop(keyless);

    // The forger edits record 2 and recomputes every hash: the chain checks out...
    let forge = sqlite3(&path, "DROP TRIGGER attempts_no_update; UPDATE attempts SET errmsg = 'forged' WHERE id = 2;");
    assert!(forge.status.success());
    rechain(&path);
    let mut reopened = History::open(dir.path()).unwrap();
    assert_eq!(reopened.verify().unwrap(), Verification::Intact { records: 4 });
    // ...the signature does not, and the key opening it again does not bless it.
    assert_eq!(reopened.signing().unwrap(), Signing::Broken { reason: Broken::Rewritten });
    reopened.sign_with(InstallationKey::from_secret_hex(&secret).unwrap(), true).unwrap();
    assert_eq!(reopened.signing().unwrap(), Signing::Broken { reason: Broken::Rewritten });
    let report = reopened.verify_against(&exported.manifest).unwrap();
    assert_eq!(report.signing, Signing::Broken { reason: Broken::Rewritten }, "the export's signed head too");
    // A signature made with the forger's own key is not this installation's.
    let forged_key = InstallationKey::generate();
    let installation = reopened.installation_id().unwrap();
    let head: (i64, String) = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT chain_seq, hash FROM attempts ORDER BY chain_seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    qrjump::history::signing::SignedHead::new(&forged_key, &installation, head.0, &head.1).write(dir.path()).unwrap();
    assert_eq!(reopened.signing().unwrap(), Signing::Broken { reason: Broken::OtherKey });
    // Removing the signature: this installation has a key, so that is seen too.
    std::fs::remove_file(dir.path().join(SIGNATURE_FILE)).unwrap();
    assert_eq!(reopened.signing().unwrap(), Signing::Broken { reason: Broken::Missing });
}
