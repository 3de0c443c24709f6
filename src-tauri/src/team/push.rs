//! The push: completed records, in chain order, from the local outbox to
//! the team database. Each batch is one transaction; a record the server
//! already has (a push repeated after a crash or a dropped connection) is
//! skipped by its key, so nothing is duplicated and nothing lost.

use std::sync::Mutex;

use crate::history::{History, Record};
use crate::sync::lock;

use super::{Result, Team};

/// Records sent per transaction: a week offline catches up in a few.
const BATCH: u32 = 500;

const INSERT: &str = "
INSERT INTO qrjump_records (
    installation_id, local_id, computer, action, started_at, finished_at, status, account_name, caller_appid,
    mode, prefix, target_appid, errcode, errmsg, explanation, error_kind, duration_ms, operator, app_version,
    rule_snapshot, demo, related_id, batch_id, conclusion, chain_seq, hash_version, hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
        $23, $24, $25, $26, $27)
ON CONFLICT (installation_id, local_id) DO NOTHING";

/// What one push did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pushed {
    /// Records sent (including any the server already had).
    pub sent: u64,
    /// Completed records still waiting (recorded meanwhile).
    pub waiting: u64,
}

impl Team {
    /// Pushes everything waiting in `history`'s outbox. A failure is noted
    /// in the outbox (for the app to show) and what waits keeps waiting.
    /// The history is locked only between network steps, never across one.
    pub async fn push(&mut self, history: &Mutex<History>) -> Result<Pushed> {
        let result = self.push_all(history).await;
        if let Err(error) = &result {
            lock(history).note_push_error(&error.to_string())?;
        }
        result
    }

    async fn push_all(&mut self, history: &Mutex<History>) -> Result<Pushed> {
        let installation = lock(history).installation_id()?;
        let computer = super::computer_name();
        let mut sent = 0;
        loop {
            let records = lock(history).unpushed(BATCH)?;
            let Some(last) = records.last().and_then(|r| r.chain_seq) else { break };
            let limit = self.limit();
            let batch = async {
                let tx = self.client.transaction().await?;
                let insert = tx.prepare(INSERT).await?;
                for record in &records {
                    tx.execute(&insert, &row(&installation, &computer, record).as_params()).await?;
                }
                tx.commit().await
            };
            limit.run(batch).await?;
            // Only now, confirmed by the server: a crash before this line
            // sends the batch again, and the server skips what it has.
            lock(history).mark_pushed(last)?;
            sent += records.len() as u64;
        }
        let waiting = lock(history).outbox()?.waiting;
        Ok(Pushed { sent, waiting })
    }
}

/// One record's values, in the order of `INSERT`.
struct Row<'a> {
    installation: &'a str,
    computer: &'a str,
    record: &'a Record,
    action: &'static str,
    status: &'static str,
    mode: &'static str,
    conclusion: Option<&'static str>,
    hash_version: i32,
}

fn row<'a>(installation: &'a str, computer: &'a str, record: &'a Record) -> Row<'a> {
    Row {
        installation,
        computer,
        record,
        action: record.action.as_str(),
        status: record.status.as_str(),
        mode: record.mode.as_str(),
        conclusion: record.conclusion.map(|c| c.as_str()),
        hash_version: record.hash_version as i32,
    }
}

impl Row<'_> {
    fn as_params(&self) -> [&(dyn tokio_postgres::types::ToSql + Sync); 27] {
        let r = self.record;
        [
            &self.installation,
            &r.id,
            &self.computer,
            &self.action,
            &r.started_at,
            &r.finished_at,
            &self.status,
            &r.account_name,
            &r.caller_appid,
            &self.mode,
            &r.prefix,
            &r.target_appid,
            &r.errcode,
            &r.errmsg,
            &r.explanation,
            &r.error_kind,
            &r.duration_ms,
            &r.operator,
            &r.app_version,
            &r.rule_snapshot,
            &r.demo,
            &r.related_id,
            &r.batch_id,
            &self.conclusion,
            &r.chain_seq,
            &self.hash_version,
            &r.hash,
        ]
    }
}
