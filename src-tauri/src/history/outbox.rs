//! The outbox of the team history: which completed records have reached
//! the team's server. Records are pushed in chain order, so one number (the
//! last chain position the server confirmed) says what is still waiting.

use rusqlite::{OptionalExtension, params};

use super::{History, Record, Result, fields, now_utc};

/// What the outbox holds right now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxState {
    /// This history's id on the team's server.
    pub installation_id: String,
    /// Completed records the server does not have yet.
    pub waiting: u64,
    pub last_push_at: Option<String>,
    /// Why the last push failed, in words; None after a push that worked.
    pub last_error: Option<String>,
}

impl History {
    /// This history's installation id (made when the file was created or upgraded).
    pub fn installation_id(&self) -> Result<String> {
        Ok(self.conn.query_row("SELECT installation_id FROM team_outbox WHERE id = 1", [], |row| row.get(0))?)
    }

    pub fn outbox(&self) -> Result<OutboxState> {
        let (installation_id, pushed, last_push_at, last_error): (String, i64, Option<String>, Option<String>) =
            self.conn.query_row(
                "SELECT installation_id, pushed_seq, last_push_at, last_error FROM team_outbox WHERE id = 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )?;
        let waiting: i64 =
            self.conn.query_row("SELECT count(*) FROM attempts WHERE chain_seq > ?1", [pushed], |row| row.get(0))?;
        Ok(OutboxState { installation_id, waiting: waiting as u64, last_push_at, last_error })
    }

    /// Up to `limit` completed records not yet pushed, in chain order.
    pub fn unpushed(&self, limit: u32) -> Result<Vec<Record>> {
        let sql = format!(
            "SELECT {} FROM attempts a WHERE a.chain_seq > (SELECT pushed_seq FROM team_outbox WHERE id = 1) \
             ORDER BY a.chain_seq LIMIT ?1",
            fields::select_list()
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map([limit], fields::from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The server confirmed every record up to chain position `seq`. Never
    /// moves back: two processes pushing at once may confirm out of order.
    pub fn mark_pushed(&self, seq: i64) -> Result<()> {
        self.writer()?;
        self.conn.execute(
            "UPDATE team_outbox SET pushed_seq = max(pushed_seq, ?1), last_push_at = ?2, last_error = NULL WHERE id = 1",
            params![seq, now_utc()],
        )?;
        Ok(())
    }

    /// A push failed: why, for the app to show. What waits keeps waiting.
    pub fn note_push_error(&self, error: &str) -> Result<()> {
        self.writer()?;
        self.conn.execute("UPDATE team_outbox SET last_error = ?1 WHERE id = 1", [error])?;
        Ok(())
    }

    /// The chain position of the last record pushed (0 for none).
    pub fn pushed_seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT pushed_seq FROM team_outbox WHERE id = 1", [], |row| row.get(0))
            .optional()?
            .unwrap_or(0))
    }
}
