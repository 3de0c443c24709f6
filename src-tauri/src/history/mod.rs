//! The local audit history: one SQLite file, one record per attempt,
//! written before the call and completed after, append-only and chained.
//!
//! Knows nothing of HTTP or Tauri.

mod chain;
mod export;
mod query;
mod record;
pub mod schema;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

pub use export::{HEADER, local as local_time, neutralise};
pub use record::{Filter, NewAttempt, Outcome, Record, Status};

use crate::wechat::Mode;

pub const FILE_NAME: &str = "history.sqlite3";

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
}

pub struct History {
    conn: Connection,
    path: PathBuf,
    /// Name of this process's lock file; pending records carry it.
    owner: String,
    // Held (locked) for as long as this History lives; see recover_pending.
    _owner_lock: File,
}

const COLUMNS: &str = "id, started_at, finished_at, status, account_name, caller_appid, mode, prefix, target_appid, errcode, errmsg, explanation, error_kind, duration_ms, operator, app_version, rule_snapshot, demo, chain_seq, hash";

fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl History {
    /// Opens (creating if needed) the history in `data_dir`, upgrades its
    /// schema, and marks the pending records of apps that are no longer
    /// running as `unknown`.
    pub fn open(data_dir: &Path) -> Result<History> {
        std::fs::create_dir_all(data_dir.join("locks"))?;
        let path = data_dir.join(FILE_NAME);
        let mut conn = Connection::open(&path)?;
        // WAL lets the review screen read while an attempt is written; the
        // busy timeout lets the CLI and the app share the file.
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        schema::migrate(&mut conn)?;
        let owner = format!("{}-{}", std::process::id(), chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default());
        let lock = File::create(data_dir.join("locks").join(&owner))?;
        lock.try_lock().map_err(|e| std::io::Error::other(e.to_string()))?;
        let mut history = History { conn, path, owner, _owner_lock: lock };
        history.recover_pending()?;
        Ok(history)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Marks as `unknown` the pending records of apps that stopped before
    /// completing them (killed, crashed, power cut). Records of an app that
    /// is still running (its lock file is locked) are left alone.
    pub fn recover_pending(&mut self) -> Result<usize> {
        let owners: Vec<Option<String>> = {
            let mut statement = self.conn.prepare("SELECT DISTINCT owner FROM attempts WHERE status = 'pending'")?;
            statement.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        let locks = self.path.with_file_name("locks");
        let mut recovered = 0;
        for owner in owners {
            if owner.as_deref() == Some(self.owner.as_str()) {
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
                explanation: Some("应用在收到微信回应之前停止，无法确定规则是否已删除，请刷新规则列表确认。 / The app stopped before WeChat answered: it is not known whether the rule was deleted; refresh the rule list to check.".into()),
                error_kind: Some("interrupted".into()),
                ..Outcome::default()
            };
            for id in ids {
                self.finish(id, Status::Unknown, &outcome)?;
                recovered += 1;
            }
            if let Some(path) = lock_path {
                let _ = std::fs::remove_file(path);
            }
        }
        Ok(recovered)
    }

    /// Writes the `pending` record of an attempt about to be made.
    pub fn start(&mut self, attempt: &NewAttempt) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO attempts (started_at, status, account_name, caller_appid, mode, prefix, target_appid, operator, app_version, rule_snapshot, demo, owner)
             VALUES (?1, 'pending', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                now_utc(), attempt.account_name, attempt.caller_appid, attempt.mode.as_str(), attempt.prefix, attempt.target_appid,
                attempt.operator, attempt.app_version, attempt.rule_snapshot, attempt.demo, self.owner
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Completes a pending record with its outcome and chains it.
    pub fn finish(&mut self, id: i64, status: Status, outcome: &Outcome) -> Result<Record> {
        // IMMEDIATE: the chain head read here must not move before the write.
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
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
            chain_seq: Some(seq + 1),
            ..current
        };
        let hash = chain::hash(&previous, &record);
        tx.execute(
            "UPDATE attempts SET finished_at = ?2, status = ?3, errcode = ?4, errmsg = ?5, explanation = ?6, error_kind = ?7,
                duration_ms = ?8, chain_seq = ?9, hash = ?10 WHERE id = ?1",
            params![id, record.finished_at, status.as_str(), record.errcode, record.errmsg, record.explanation, record.error_kind, record.duration_ms, record.chain_seq, hash],
        )?;
        tx.commit()?;
        record.hash = Some(hash);
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

    /// Checks the chain from the first record: reports the first one that
    /// was altered or removed outside the app.
    pub fn verify(&self) -> Result<Verification> {
        let mut statement = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM attempts WHERE chain_seq IS NOT NULL ORDER BY chain_seq"))?;
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

fn chain_head(tx: &Transaction<'_>) -> Result<(i64, String)> {
    let head = tx
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
    let record = conn.query_row(&format!("SELECT {COLUMNS} FROM attempts WHERE id = ?1"), [id], from_row).optional()?;
    Ok(record)
}

pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Record> {
    let status: String = row.get(3)?;
    let mode: String = row.get(6)?;
    let bad = |column: usize, text: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            format!("unexpected value {text:?}").into(),
        )
    };
    Ok(Record {
        id: row.get(0)?,
        started_at: row.get(1)?,
        finished_at: row.get(2)?,
        status: Status::parse(&status).ok_or_else(|| bad(3, &status))?,
        account_name: row.get(4)?,
        caller_appid: row.get(5)?,
        mode: Mode::parse(&mode).ok_or_else(|| bad(6, &mode))?,
        prefix: row.get(7)?,
        target_appid: row.get(8)?,
        errcode: row.get(9)?,
        errmsg: row.get(10)?,
        explanation: row.get(11)?,
        error_kind: row.get(12)?,
        duration_ms: row.get(13)?,
        operator: row.get(14)?,
        app_version: row.get(15)?,
        rule_snapshot: row.get(16)?,
        demo: row.get(17)?,
        chain_seq: row.get(18)?,
        hash: row.get(19)?,
    })
}
