//! Batches: what a batch was to do, written before its first call, so an
//! interrupted batch can be accounted for item by item afterwards (done,
//! failed, outcome unknown, never sent) from its records.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::fields::{from_row, select_list};
use super::record::Record;
use super::{History, Result, now_utc};
use crate::wechat::Mode;

/// A batch about to start.
#[derive(Debug, Clone)]
pub struct NewBatch {
    pub id: String,
    /// The desktop app's account id (none for the command line).
    pub account_id: Option<String>,
    pub account_name: String,
    pub caller_appid: Option<String>,
    pub mode: Mode,
    pub target_appid: Option<String>,
    /// Where the account's rule list was saved before the first delete.
    pub backup_path: Option<String>,
    pub operator: String,
    pub demo: bool,
    pub items: Vec<BatchItem>,
}

/// One rule of a batch, in the order it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchItem {
    pub position: i64,
    pub prefix: String,
    /// The rule as the list read at the start showed it (JSON).
    pub rule_snapshot: Option<String>,
}

/// A stored batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Batch {
    pub id: String,
    pub created_at: String,
    pub account_id: Option<String>,
    pub account_name: String,
    pub caller_appid: Option<String>,
    pub mode: Mode,
    pub target_appid: Option<String>,
    pub backup_path: Option<String>,
    pub operator: String,
    pub demo: bool,
    pub closed_at: Option<String>,
    pub items: Vec<BatchItem>,
}

impl History {
    /// Writes a batch and all its items in one transaction, before anything is sent.
    pub fn create_batch(&mut self, batch: &NewBatch) -> Result<()> {
        self.writer()?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO batches (id, created_at, account_id, account_name, caller_appid, mode, target_appid, backup_path,
                operator, demo)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                batch.id,
                now_utc(),
                batch.account_id,
                batch.account_name,
                batch.caller_appid,
                batch.mode.as_str(),
                batch.target_appid,
                batch.backup_path,
                batch.operator,
                batch.demo
            ],
        )?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO batch_items (batch_id, position, prefix, rule_snapshot) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for item in &batch.items {
                insert.execute(params![batch.id, item.position, item.prefix, item.rule_snapshot])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn batch(&self, id: &str) -> Result<Option<Batch>> {
        batch(&self.conn, id)
    }

    /// The batches not yet closed, oldest first.
    pub fn open_batches(&self) -> Result<Vec<Batch>> {
        let ids: Vec<String> = {
            let mut statement =
                self.conn.prepare("SELECT id FROM batches WHERE closed_at IS NULL ORDER BY created_at, id")?;
            statement.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        let mut batches = Vec::with_capacity(ids.len());
        for id in ids {
            batches.extend(batch(&self.conn, &id)?);
        }
        Ok(batches)
    }

    /// Marks a batch as closed: all accounted for, or set aside by the admin.
    pub fn close_batch(&mut self, id: &str) -> Result<()> {
        self.writer()?;
        self.conn
            .execute("UPDATE batches SET closed_at = ?2 WHERE id = ?1 AND closed_at IS NULL", params![id, now_utc()])?;
        Ok(())
    }

    /// Every record of a batch, oldest first.
    pub fn batch_records(&self, id: &str) -> Result<Vec<Record>> {
        let sql = format!("SELECT {} FROM attempts a WHERE a.batch_id = ?1 ORDER BY a.id", select_list());
        let mut statement = self.conn.prepare_cached(&sql)?;
        Ok(statement.query_map([id], from_row)?.collect::<rusqlite::Result<_>>()?)
    }

    /// The records that point at any of `ids` (checks and restores of them), oldest first.
    pub fn linked_to(&self, ids: &[i64]) -> Result<Vec<Record>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; ids.len()].join(", ");
        let sql = format!("SELECT {} FROM attempts a WHERE a.related_id IN ({marks}) ORDER BY a.id", select_list());
        let mut statement = self.conn.prepare(&sql)?;
        Ok(statement.query_map(rusqlite::params_from_iter(ids), from_row)?.collect::<rusqlite::Result<_>>()?)
    }
}

fn batch(conn: &Connection, id: &str) -> Result<Option<Batch>> {
    let found = conn
        .query_row(
            "SELECT id, created_at, account_id, account_name, mode, target_appid, backup_path, operator, demo, closed_at,
                caller_appid
             FROM batches WHERE id = ?1",
            [id],
            |row| {
                let mode: String = row.get(4)?;
                Ok(Batch {
                    id: row.get(0)?,
                    created_at: row.get(1)?,
                    account_id: row.get(2)?,
                    account_name: row.get(3)?,
                    caller_appid: row.get(10)?,
                    mode: Mode::parse(&mode).unwrap_or(Mode::Ordinary),
                    target_appid: row.get(5)?,
                    backup_path: row.get(6)?,
                    operator: row.get(7)?,
                    demo: row.get(8)?,
                    closed_at: row.get(9)?,
                    items: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut found) = found else { return Ok(None) };
    let mut statement = conn.prepare_cached(
        "SELECT position, prefix, rule_snapshot FROM batch_items WHERE batch_id = ?1 ORDER BY position",
    )?;
    found.items = statement
        .query_map([id], |row| {
            Ok(BatchItem { position: row.get(0)?, prefix: row.get(1)?, rule_snapshot: row.get(2)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(found))
}
