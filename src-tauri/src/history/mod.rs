//! The local audit history: one SQLite file, one record per attempt,
//! written before the call and completed after, append-only and chained.
//!
//! Knows nothing of HTTP or Tauri.

mod anchor;
mod batch;
mod chain;
mod export;
pub mod fields;
mod outbox;
mod query;
mod record;
pub mod schema;
pub mod signing;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params};

pub use anchor::{AnchorReport, CsvCheck, Exported, Manifest, manifest_path};
pub use batch::{Batch, BatchItem, NewBatch};
/// The chain's hash function: not a secret (the anchor is what a forger
/// cannot redo), public so tests can play the forger.
pub use chain::{GENESIS, hash as chain_hash, hex as chain_hex};
pub(crate) use export::format as csv_cell;
pub use export::{local as local_time, neutralise};
pub use fields::{Cell, csv_header, csv_row, from_row};
pub use outbox::OutboxState;
pub(crate) use query::to_utc;
pub use record::{Action, Conclusion, Filter, INTERRUPTED, NewAttempt, Outcome, Record, Status};

pub const FILE_NAME: &str = "history.sqlite3";

/// How long opening waits for another process that holds the file (an
/// upgrade, a write), before it gives up with "busy".
const OPEN_PATIENCE: Duration = Duration::from_secs(20);

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the history database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the history folder or export file: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing the CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("{field}: {problem}")]
    Filter { field: &'static str, problem: String },
    #[error("record {0} is not pending: it was already completed")]
    NotPending(i64),
    #[error(
        "the history folder {} cannot be written (a read-only disk or no permission): nothing can be recorded, \
         so nothing is sent; reading, checking and exporting the history still work",
        .dir.display()
    )]
    ReadOnly { dir: PathBuf },
    #[error(
        "the history file was made by a newer version of QR Jump Admin (schema {found}, this one reads {supported}): update the app"
    )]
    NewerFile { found: i64, supported: i64 },
    /// The call was made and answered, but its record could not be
    /// completed: WeChat's answer travels with the error, so it is not lost.
    #[error(
        "WeChat answered ({answer}), but record {id} could not be completed ({source}); it will show as \"unknown\" until checked"
    )]
    NotCompleted { id: i64, answer: String, source: Box<Error> },
    /// A version below zero: no version of the app writes one.
    #[error(
        "the history file says schema {found}, which no version of QR Jump Admin writes: the file was changed by another program; restore it from a backup"
    )]
    BadSchema { found: i64 },
    #[error(
        "the history file has an older layout (schema {found}) and is on a read-only disk: open it once where it can be written to upgrade it to schema {latest}"
    )]
    NeedsUpgrade { found: i64, latest: i64 },
    #[error("the export file {}: {source}", .path.display())]
    ExportFile { path: PathBuf, source: std::io::Error },
    #[error("the export manifest {}: {problem}", .path.display())]
    Manifest { path: PathBuf, problem: String },
}

impl Error {
    /// Another process holds the file past our patience.
    fn is_busy(&self) -> bool {
        matches!(self, Error::Sqlite(e) if matches!(e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)))
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// The result of checking the hash chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum Verification {
    /// Every completed record is unchanged and none is missing.
    Intact { records: u64 },
    /// The first record whose content no longer matches its hash.
    Altered { id: i64, checked: u64 },
    /// A record was removed: the chain or the ids have a gap after `after_id`.
    Removed { after_id: i64, checked: u64 },
    /// Checked against an export's manifest: the chain is shorter than it
    /// was at that export, so its newest records were removed.
    Truncated { expected: u64, found: u64 },
}

/// Who may write: the process's lock file, held for as long as the history
/// is open, names the pending records it writes (see `recover_pending`).
struct Writer {
    owner: String,
    lock: PathBuf,
    file: File,
}

impl Drop for Writer {
    /// A closing history removes its lock file: otherwise every run of the
    /// CLI would leave one behind for good. Pending records it leaves (a
    /// record whose completion could not be written) then count as
    /// abandoned, which is what they are.
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.lock);
    }
}

pub struct History {
    conn: Connection,
    path: PathBuf,
    /// None when opened read-only.
    writer: Option<Writer>,
    /// The installation's key, when the credential store holds it: each
    /// completed record re-signs the chain's head.
    signer: Option<signing::InstallationKey>,
    /// That key's public half, and whether the store held it before this
    /// run (then a missing signature means a removed one).
    known_key: Option<(String, bool)>,
}

fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Whether an I/O error means "this folder cannot be written".
fn refused(error: &std::io::Error) -> bool {
    matches!(error.kind(), std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied)
}

/// Runs `step` again while another process holds the file, up to
/// `OPEN_PATIENCE`. SQLite's busy handler covers most waits; switching the
/// journal mode and the first write to a new file can still answer "busy"
/// at once.
fn patiently<T>(mut step: impl FnMut() -> Result<T>) -> Result<T> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        match step() {
            Err(error) if error.is_busy() && start.elapsed() < OPEN_PATIENCE => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            other => return other,
        }
    }
}

impl History {
    /// Opens (creating if needed) the history in `data_dir` for writing,
    /// upgrades its schema, and marks the pending records of processes that
    /// are no longer running as `unknown`. Waits for other processes that
    /// are opening or writing the same file.
    pub fn open(data_dir: &Path) -> Result<History> {
        let read_only = |error: std::io::Error| {
            if refused(&error) { Error::ReadOnly { dir: data_dir.to_owned() } } else { Error::Io(error) }
        };
        // The history and the settings beside it are this user's alone.
        crate::files::create_private_dir(data_dir).map_err(read_only)?;
        std::fs::create_dir_all(data_dir.join("locks")).map_err(read_only)?;
        let owner = format!("{}-{}", std::process::id(), chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default());
        let lock_path = data_dir.join("locks").join(&owner);
        let lock = File::create(&lock_path).map_err(read_only)?;
        // From here on, leaving (also by an error below) removes the lock file.
        let writer = Writer { owner, lock: lock_path, file: lock };
        writer.file.try_lock().map_err(|e| std::io::Error::other(e.to_string()))?;
        let path = data_dir.join(FILE_NAME);
        // Made 0600 before SQLite opens it: its -wal and -shm files take
        // the main file's mode. Another process may have made it first.
        let _ = crate::files::private_options().open(&path);
        let mut conn = patiently(|| {
            let conn = Connection::open(&path)?;
            conn.busy_timeout(Duration::from_secs(10))?;
            // WAL lets the review screen read while an attempt is written.
            conn.pragma_update(None, "journal_mode", "WAL")?;
            // FULL: a record is on disk when `start` returns, so a power
            // cut cannot lose the note of a call WeChat then carried out.
            // One fsync per record costs nothing at 5 calls a second.
            conn.pragma_update(None, "synchronous", "FULL")?;
            Ok(conn)
        })?;
        patiently(|| schema::migrate(&mut conn))?;
        let mut history = History { conn, path, writer: Some(writer), signer: None, known_key: None };
        patiently(|| history.recover_pending())?;
        Ok(history)
    }

    /// Opens the history for reading only: review, verify and export work
    /// on a read-only disk (an auditor's copy, a backup medium) and never
    /// change the file. A missing file is an empty history.
    pub fn open_read_only(data_dir: &Path) -> Result<History> {
        let path = data_dir.join(FILE_NAME);
        if !path.exists() {
            // Nothing recorded yet: an empty history in memory, with the schema.
            let mut conn = Connection::open_in_memory()?;
            schema::migrate(&mut conn)?;
            return Ok(History { conn, path, writer: None, signer: None, known_key: None });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let open = |immutable: bool| -> Result<Connection> {
            let conn = if immutable {
                // On a read-only disk SQLite cannot make the WAL index; the
                // file cannot change there, so it may be read as immutable.
                Connection::open_with_flags(uri(&path, "mode=ro&immutable=1"), flags)?
            } else {
                Connection::open_with_flags(&path, flags)?
            };
            conn.busy_timeout(Duration::from_secs(10))?;
            schema::check_readable(schema::version(&conn)?)?;
            Ok(conn)
        };
        let conn = match patiently(|| open(false)) {
            Ok(conn) => conn,
            Err(Error::Sqlite(e)) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) => open(true)?,
            Err(other) => return Err(other),
        };
        Ok(History { conn, path, writer: None, signer: None, known_key: None })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn writer(&self) -> Result<&Writer> {
        self.writer
            .as_ref()
            .ok_or_else(|| Error::ReadOnly { dir: self.path.parent().map(Path::to_owned).unwrap_or_default() })
    }

    /// Whether this history was opened for writing.
    pub fn writable(&self) -> bool {
        self.writer.is_some()
    }

    /// The `synchronous` setting in force (2 = FULL).
    pub fn synchronous(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA synchronous", [], |row| row.get(0))?)
    }

    /// Marks as `unknown` the pending records of processes that stopped
    /// before completing them (killed, crashed, power cut). Records of a
    /// process that is still running (its lock file is locked) are left alone.
    pub fn recover_pending(&mut self) -> Result<usize> {
        let me = self.writer()?.owner.clone();
        let owners: Vec<Option<String>> = {
            let mut statement = self.conn.prepare("SELECT DISTINCT owner FROM attempts WHERE status = 'pending'")?;
            statement.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        let locks = self.path.with_file_name("locks");
        let mut recovered = 0;
        for owner in owners {
            if owner.as_deref() == Some(me.as_str()) {
                continue;
            }
            let lock_path = owner.as_ref().map(|o| locks.join(o));
            let alive = match &lock_path {
                Some(path) => match File::options().write(true).open(path) {
                    Ok(file) => file.try_lock().is_err(),
                    Err(_) => false,
                },
                None => false,
            };
            if alive {
                continue;
            }
            let ids: Vec<i64> = {
                let mut statement = self
                    .conn
                    .prepare("SELECT id FROM attempts WHERE status = 'pending' AND owner IS ?1 ORDER BY id")?;
                statement.query_map([&owner], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?
            };
            let outcome = Outcome {
                explanation: Some("应用在收到微信回应之前停止，无法确定操作是否已生效，请刷新规则列表确认。 / The app stopped before WeChat answered: it is not known whether the action took effect; refresh the rule list to check.".into()),
                error_kind: Some(record::INTERRUPTED.into()),
                verdict: Some(record::INTERRUPTED.into()),
                ..Outcome::default()
            };
            for id in ids {
                match self.finish(id, Status::Unknown, &outcome) {
                    // Another process recovering at the same moment did it first.
                    Ok(_) | Err(Error::NotPending(_)) => recovered += 1,
                    Err(other) => return Err(other),
                }
            }
            if let Some(path) = lock_path {
                let _ = std::fs::remove_file(path);
            }
        }
        Ok(recovered)
    }

    /// Writes the `pending` record of an attempt about to be made; it is on
    /// disk when this returns.
    pub fn start(&mut self, attempt: &NewAttempt) -> Result<i64> {
        let owner = self.writer()?.owner.clone();
        let pending = Record::pending(attempt, now_utc(), chain::CURRENT);
        let values: Vec<fields::Value<'_>> = fields::written(|w| w.start).map(|f| (f.get)(&pending)).collect();
        let owner = fields::Value::Text(Some(owner.into()));
        self.conn.execute(fields::insert_pending(), rusqlite::params_from_iter(values.iter().chain([&owner])))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Completes a pending record with its outcome and chains it.
    pub fn finish(&mut self, id: i64, status: Status, outcome: &Outcome) -> Result<Record> {
        self.writer()?;
        // IMMEDIATE: the chain head read here must not move before the write.
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = get(&tx, id)?.ok_or(Error::NotPending(id))?;
        if current.status != Status::Pending || status == Status::Pending {
            return Err(Error::NotPending(id));
        }
        let (seq, previous) = chain_head(&tx)?;
        let mut record = Record {
            finished_at: Some(now_utc()),
            status,
            errcode: outcome.errcode,
            errmsg: outcome.errmsg.clone(),
            explanation: outcome.explanation.clone(),
            error_kind: outcome.error_kind.clone(),
            duration_ms: outcome.duration_ms,
            conclusion: outcome.conclusion,
            verdict: outcome.verdict.clone(),
            chain_seq: Some(seq + 1),
            ..current
        };
        record.hash = Some(chain::hash(&previous, &record));
        let values: Vec<fields::Value<'_>> = fields::written(|w| w.finish).map(|f| (f.get)(&record)).collect();
        let id = fields::Value::Int(Some(id));
        tx.execute(fields::update_finished(), rusqlite::params_from_iter([&id].into_iter().chain(&values)))?;
        tx.commit()?;
        self.sign_head();
        Ok(record)
    }

    pub fn get(&self, id: i64) -> Result<Option<Record>> {
        get(&self.conn, id)
    }

    /// One page of records, newest first, older than `before` (an id).
    pub fn page(&self, filter: &Filter, before: Option<i64>, limit: u32) -> Result<Vec<Record>> {
        query::page(&self.conn, filter, before, limit)
    }

    /// The account names that appear in the history, for the filter list.
    pub fn account_names(&self) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare("SELECT DISTINCT account_name FROM attempts ORDER BY account_name")?;
        let names = statement.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(names)
    }

    /// Writes the audit CSV of the records matching `filter` to `out`,
    /// streaming; returns the number of records written.
    pub fn export_csv(&self, filter: &Filter, out: impl std::io::Write) -> Result<u64> {
        export::write(&self.conn, filter, out)
    }

    /// Writes the audit CSV to `path` and, beside it, the manifest that
    /// anchors the chain as it was at this moment (see `verify_against`).
    pub fn export_with_manifest(&self, filter: &Filter, path: &Path) -> Result<Exported> {
        // The head's signature as it is now: the export carries it away
        // from the data folder, out of reach of whoever rewrites the file.
        let signed = self.path.parent().and_then(signing::SignedHead::read).and_then(|read| read.ok());
        anchor::export(&self.conn, filter, path, signed)
    }

    /// Checks the chain, then that it still holds everything an export's
    /// manifest saw: nothing that existed then was changed or removed since.
    pub fn verify_against(&self, manifest_file: &Path) -> Result<AnchorReport> {
        let verification = self.verify()?;
        let installation = self.installation_id()?;
        let expected = self.known_key.as_ref().map(|(public, _)| public.as_str());
        anchor::verify_against(&self.conn, verification, manifest_file, &installation, expected)
    }

    /// Signs the chain's head with `key` from now on. A signature already
    /// there that no longer holds (the file was rewritten while the app was
    /// closed) is left as it is, so the check keeps saying so: the key never
    /// blesses a chain it did not see made.
    /// `existed`: the credential store held the key before this run.
    pub fn sign_with(&mut self, key: signing::InstallationKey, existed: bool) -> Result<()> {
        self.known_key = Some((key.public_hex(), existed));
        if !matches!(self.signing()?, signing::Signing::Broken { .. }) {
            self.signer = Some(key);
            self.sign_head();
        }
        Ok(())
    }

    /// The chain hash recorded at position `seq`, if there is one.
    pub fn hash_at(&self, seq: i64) -> Result<Option<String>> {
        hash_at(&self.conn, seq)
    }

    /// The public key this history signs with, when it does.
    pub fn signing_public_key(&self) -> Option<String> {
        self.signer.as_ref().map(signing::InstallationKey::public_hex)
    }

    /// The signature of `record`'s chain hash for the team database, when
    /// this history signs.
    pub fn sign_record(&self, record: &Record) -> Option<String> {
        let key = self.signer.as_ref()?;
        let installation = self.installation_id().ok()?;
        Some(key.sign_record(&installation, record.chain_seq?, record.hash.as_deref()?))
    }

    /// Signs the current head (read afresh: another process may have
    /// added records). A failure to write leaves the records after the
    /// last signed one counted as unsigned, which the check says.
    fn sign_head(&self) {
        let Some(key) = &self.signer else { return };
        let Some(dir) = self.path.parent() else { return };
        let (Ok(installation), Ok((seq, hash))) = (self.installation_id(), chain_head(&self.conn)) else { return };
        let _ = signing::SignedHead::new(key, &installation, seq, &hash).write(dir);
    }

    /// What the head's signature says of the chain, checked against this
    /// installation's key when the credential store could be read.
    pub fn signing(&self) -> Result<signing::Signing> {
        let expected_key = self.known_key.as_ref().map(|(public, _)| public.as_str());
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let installation = self.installation_id()?;
        let (head, _) = chain_head(&self.conn)?;
        let hash_at = |seq: i64| hash_at(&self.conn, seq).ok().flatten();
        let checked = signing::check(signing::SignedHead::read(dir), &installation, head, hash_at, expected_key);
        // The key signs from the first record on (the empty chain too): a
        // key kept from before with no signature beside it means a removed one.
        if checked == signing::Signing::Unsigned && self.known_key.as_ref().is_some_and(|(_, existed)| *existed) {
            return Ok(signing::Signing::Broken { reason: signing::Broken::Missing });
        }
        Ok(checked)
    }

    /// Checks the chain from the first record: reports the first one that
    /// was altered or removed outside the app.
    pub fn verify(&self) -> Result<Verification> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {} FROM attempts a WHERE chain_seq IS NOT NULL ORDER BY chain_seq",
            fields::select_list()
        ))?;
        let mut rows = statement.query([])?;
        let mut previous = chain::GENESIS.to_owned();
        let mut expected_seq = 1;
        let mut checked = 0;
        let mut last_id = 0;
        while let Some(row) = rows.next()? {
            let record = from_row(row)?;
            let seq = record.chain_seq.unwrap_or_default();
            if seq != expected_seq {
                return Ok(Verification::Removed { after_id: last_id, checked });
            }
            let stored = record.hash.clone().unwrap_or_default();
            if chain::hash(&previous, &record) != stored || record.status == Status::Pending {
                return Ok(Verification::Altered { id: record.id, checked });
            }
            previous = stored;
            expected_seq += 1;
            checked += 1;
            last_id = record.id;
        }
        drop(rows);
        // A completed record without a chain position was edited in place.
        let unchained: Option<i64> = self.conn.query_row(
            "SELECT min(id) FROM attempts WHERE status <> 'pending' AND chain_seq IS NULL",
            [],
            |row| row.get(0),
        )?;
        if let Some(id) = unchained {
            return Ok(Verification::Altered { id, checked });
        }
        // Ids are never reused (AUTOINCREMENT): a gap, or a highest id below
        // the one SQLite handed out, means a record was removed.
        let (count, max_id): (i64, Option<i64>) =
            self.conn.query_row("SELECT count(*), max(id) FROM attempts", [], |row| Ok((row.get(0)?, row.get(1)?)))?;
        let issued: i64 = self
            .conn
            .query_row("SELECT seq FROM sqlite_sequence WHERE name = 'attempts'", [], |row| row.get(0))
            .optional()?
            .unwrap_or(0);
        if count != max_id.unwrap_or(0) || issued != max_id.unwrap_or(0) {
            let gap: Option<i64> = self.conn.query_row(
                "SELECT min(id) FROM attempts a WHERE id > 1 AND NOT EXISTS (SELECT 1 FROM attempts b WHERE b.id = a.id - 1)",
                [],
                |row| row.get(0),
            )?;
            let after_id = gap
                .map(|g| {
                    self.conn
                        .query_row("SELECT max(id) FROM attempts WHERE id < ?1", [g], |row| {
                            row.get::<_, Option<i64>>(0)
                        })
                        .ok()
                        .flatten()
                        .unwrap_or(0)
                })
                .unwrap_or(max_id.unwrap_or(0));
            return Ok(Verification::Removed { after_id, checked });
        }
        Ok(Verification::Intact { records: checked })
    }
}

/// `file:` URI of `path` with `query`, for SQLite's URI parameters.
fn uri(path: &Path, query: &str) -> String {
    let text = path.to_string_lossy().replace('%', "%25").replace('?', "%3f").replace('#', "%23");
    let text = if cfg!(windows) { format!("/{}", text.replace('\\', "/")) } else { text };
    format!("file:{text}?{query}")
}

/// The newest chained record's position and hash (0 and the genesis hash
/// for an empty chain).
/// The chain hash recorded at position `seq`, if there is one.
fn hash_at(conn: &Connection, seq: i64) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT hash FROM attempts WHERE chain_seq = ?1", [seq], |row| row.get(0)).optional()?)
}

fn chain_head(conn: &Connection) -> Result<(i64, String)> {
    let head = conn
        .query_row(
            "SELECT chain_seq, hash FROM attempts WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1",
            [],
            |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
        )
        .optional()?;
    Ok(head.unwrap_or((0, chain::GENESIS.to_owned())))
}

/// Chains completed records that have no hash yet (records written by
/// schema version 1), in id order. Runs inside the migration.
pub(crate) fn chain_completed_unchained(tx: &Transaction<'_>) -> Result<()> {
    let ids: Vec<i64> = {
        let mut statement =
            tx.prepare("SELECT id FROM attempts WHERE status <> 'pending' AND chain_seq IS NULL ORDER BY id")?;
        statement.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?
    };
    for id in ids {
        let (seq, previous) = chain_head(tx)?;
        let Some(mut record) = get(tx, id)? else { continue };
        record.chain_seq = Some(seq + 1);
        let hash = chain::hash(&previous, &record);
        tx.execute("UPDATE attempts SET chain_seq = ?2, hash = ?3 WHERE id = ?1", params![id, seq + 1, hash])?;
    }
    Ok(())
}

fn get(conn: &Connection, id: i64) -> Result<Option<Record>> {
    let sql = format!("SELECT {} FROM attempts a WHERE id = ?1", fields::select_list());
    Ok(conn.query_row(&sql, [id], from_row).optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_written_with_full_synchronous() {
        let dir = tempfile::tempdir().unwrap();
        let history = History::open(dir.path()).unwrap();
        assert_eq!(history.synchronous().unwrap(), 2, "synchronous=FULL");
    }

    #[test]
    fn a_closed_history_leaves_no_lock_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        for _ in 0..3 {
            let history = History::open(dir.path()).unwrap();
            assert_eq!(std::fs::read_dir(dir.path().join("locks")).unwrap().count(), 1, "its own, while open");
            drop(history);
        }
        assert_eq!(std::fs::read_dir(dir.path().join("locks")).unwrap().count(), 0);
    }

    #[test]
    fn the_schema_the_record_and_the_csv_agree() {
        let dir = tempfile::tempdir().unwrap();
        let history = History::open(dir.path()).unwrap();
        let mut statement = history.conn.prepare("SELECT name FROM pragma_table_info('attempts')").unwrap();
        let table: Vec<String> = statement.query_map([], |row| row.get(0)).unwrap().map(|c| c.unwrap()).collect();
        // Every field is a column; every column but the process-private
        // owner is a field.
        let names: Vec<&str> = fields::FIELDS.iter().map(|f| f.name).collect();
        for name in &names {
            assert!(table.iter().any(|c| c == name), "{name} is a field but not in the table");
        }
        for column in &table {
            assert!(column == "owner" || names.contains(&column.as_str()), "{column} is in the table but no field");
        }
        // The record serialises exactly its fields (camelCase).
        let json = serde_json::to_value(crate::history::record::tests_support::sample()).unwrap();
        assert_eq!(json.as_object().unwrap().len(), names.len());
        // The CSV has every field an auditor needs: all but the hash version.
        assert_eq!(csv_header().len(), names.len() - 1);
    }
}
