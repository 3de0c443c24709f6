//! The push: completed records, in chain order, from the local outbox to
//! the team database. Each batch is one transaction; a record the server
//! already has with the same hash (a push repeated after a crash or a
//! dropped connection) is skipped, so nothing is duplicated and nothing
//! lost. One it has with another hash is a conflict: an alarm, noted on the
//! server and locally, never counted as sent.
//!
//! Where the credential store holds the installation's key, each record
//! goes with its hash's signature, and the key's public half is registered
//! with the first push and pinned from then on.

use std::sync::Mutex;

use crate::history::History;
use crate::sync::lock;

use super::{Result, Team};

/// Records sent per transaction: a week offline catches up in a few.
const BATCH: u32 = 500;

/// What the server holds where an insert met a conflict (by number or by
/// chain position).
const STORED: &str = "
SELECT local_id, chain_seq, hash FROM qrjump_records
WHERE installation_id = $1 AND (local_id = $2 OR chain_seq = $3) LIMIT 1";

const NOTE_CONFLICT: &str = "
INSERT INTO qrjump_conflicts (installation_id, local_id, chain_seq, pushed_hash, stored_hash, computer)
VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";

/// What one push did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pushed {
    /// Records the server took now.
    pub sent: u64,
    /// Records the server already had, identical (a push repeated).
    pub already: u64,
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
        let public_key = lock(history).signing_public_key();
        if let Some(key) = &public_key {
            self.register(&installation, key, &computer).await?;
        }
        let (mut sent, mut already) = (0, 0);
        loop {
            let records = lock(history).unpushed(BATCH)?;
            if records.is_empty() {
                break;
            }
            let signatures: Vec<Option<String>> = {
                let history = lock(history);
                records.iter().map(|r| history.sign_record(r)).collect()
            };
            let limit = self.limit();
            let batch = async {
                let tx = self.client.transaction().await?;
                let insert = tx.prepare(super::rows::insert()).await?;
                let mut outcome = Batch::default();
                for (record, signature) in records.iter().zip(&signatures) {
                    let values = super::rows::values(&installation, &computer, signature.as_deref(), record);
                    let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                        values.iter().map(|v| v.as_ref() as _).collect();
                    if !tx.query(&insert, &params).await?.is_empty() {
                        outcome.sent += 1;
                        outcome.last = record.chain_seq;
                        continue;
                    }
                    let seq = record.chain_seq.unwrap_or_default();
                    let stored = tx.query_opt(STORED, &[&installation, &record.id, &seq]).await?;
                    let ours = record.hash.as_deref().unwrap_or_default();
                    match stored {
                        Some(stored) if stored.get::<_, String>("hash") == ours => {
                            outcome.already += 1;
                            outcome.last = record.chain_seq;
                        }
                        stored => {
                            let theirs: String = stored.map(|s| s.get("hash")).unwrap_or_default();
                            outcome.conflict = Some((record.id, seq, ours.to_owned(), theirs));
                            break;
                        }
                    }
                }
                tx.commit().await?;
                Ok::<_, tokio_postgres::Error>(outcome)
            };
            let outcome = limit.run(batch).await?;
            // Only now, confirmed by the server: a crash before this line
            // sends the batch again, and the server skips what it has.
            if let Some(last) = outcome.last {
                lock(history).mark_pushed(last)?;
            }
            sent += outcome.sent;
            already += outcome.already;
            if let Some((local_id, seq, ours, theirs)) = outcome.conflict {
                let params: [&(dyn tokio_postgres::types::ToSql + Sync); 6] =
                    [&installation, &local_id, &seq, &ours, &theirs, &computer];
                limit.run(self.client.execute(NOTE_CONFLICT, &params)).await?;
                return Err(super::Error::Conflict { local_id, seq });
            }
        }
        let waiting = lock(history).outbox()?.waiting;
        Ok(Pushed { sent, already, waiting })
    }

    /// Registers this installation's public key with its first push, and
    /// refuses to push under a name whose pinned key is another.
    async fn register(&self, installation: &str, key: &str, computer: &str) -> Result<()> {
        let limit = self.limit();
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 3] = [&installation, &key, &computer];
        let register = "INSERT INTO qrjump_installations (installation_id, public_key, computer) VALUES ($1, $2, $3) \
                        ON CONFLICT DO NOTHING";
        limit.run(self.client.execute(register, &params)).await?;
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&installation];
        let pinned = "SELECT public_key FROM qrjump_installations WHERE installation_id = $1";
        let pinned: String = limit.run(self.client.query_one(pinned, &params)).await?.get(0);
        if pinned != key {
            return Err(super::Error::KeyMismatch);
        }
        Ok(())
    }
}

/// What one batch's transaction did.
#[derive(Default)]
struct Batch {
    sent: u64,
    already: u64,
    /// The last chain position the server now holds as ours.
    last: Option<i64>,
    /// The record met a different one: local id, position, our hash, theirs.
    conflict: Option<(i64, i64, String, String)>,
}
