//! `verify` on the team history: every installation's chain checked again
//! from the records the server holds, reporting per installation the
//! records whose content no longer matches their hash and the gaps where
//! records were removed.

use tokio_postgres::Row;

use crate::history::{Action, Conclusion, GENESIS, Record, Status, chain_hash};
use crate::wechat::Mode;

use super::{Result, Team};

/// Rows read per query: memory stays flat over millions of records.
const PAGE: i64 = 5_000;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamVerification {
    pub installations: Vec<InstallationCheck>,
}

impl TeamVerification {
    pub fn intact(&self) -> bool {
        self.installations.iter().all(InstallationCheck::intact)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstallationCheck {
    pub installation_id: String,
    /// The computer that pushed its latest record.
    pub computer: String,
    pub records: u64,
    /// Local ids of records whose content or hash was changed on the server.
    pub altered: Vec<i64>,
    /// Chain positions missing (removed on the server), as first..=last.
    pub gaps: Vec<(i64, i64)>,
}

impl InstallationCheck {
    pub fn intact(&self) -> bool {
        self.altered.is_empty() && self.gaps.is_empty()
    }
}

const COLUMNS: &str = "local_id, computer, action, started_at, finished_at, status, account_name, caller_appid, \
    mode, prefix, target_appid, errcode, errmsg, explanation, error_kind, duration_ms, operator, app_version, \
    rule_snapshot, demo, related_id, batch_id, conclusion, chain_seq, hash_version, hash";

impl Team {
    pub async fn verify(&self) -> Result<TeamVerification> {
        let installations: Vec<String> = self
            .client
            .query("SELECT DISTINCT installation_id FROM qrjump_records ORDER BY 1", &[])
            .await?
            .iter()
            .map(|row| row.get(0))
            .collect();
        let mut checks = Vec::with_capacity(installations.len());
        for installation in installations {
            checks.push(self.verify_installation(installation).await?);
        }
        Ok(TeamVerification { installations: checks })
    }

    async fn verify_installation(&self, installation_id: String) -> Result<InstallationCheck> {
        let sql = format!(
            "SELECT {COLUMNS} FROM qrjump_records WHERE installation_id = $1 AND chain_seq > $2 \
             ORDER BY chain_seq LIMIT $3"
        );
        let query = self.client.prepare(&sql).await?;
        let mut check = InstallationCheck {
            installation_id,
            computer: String::new(),
            records: 0,
            altered: Vec::new(),
            gaps: Vec::new(),
        };
        // The hash the next record must chain from; None after a gap,
        // where the missing record's hash is unknown.
        let mut previous = Some(GENESIS.to_owned());
        let mut last_seq = 0i64;
        loop {
            let rows = self.client.query(&query, &[&check.installation_id, &last_seq, &PAGE]).await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let seq: i64 = row.get("chain_seq");
                let stored: String = row.get("hash");
                check.computer = row.get("computer");
                check.records += 1;
                if seq != last_seq + 1 {
                    check.gaps.push((last_seq + 1, seq - 1));
                    previous = None;
                }
                if let Some(previous) = &previous {
                    let matches = record(row).is_some_and(|record| chain_hash(previous, &record) == stored);
                    if !matches {
                        check.altered.push(row.get("local_id"));
                    }
                }
                previous = Some(stored);
                last_seq = seq;
            }
        }
        Ok(check)
    }
}

/// The record as the desktop hashed it; None where a field no longer parses
/// (which is itself an alteration).
fn record(row: &Row) -> Option<Record> {
    let conclusion = match row.get::<_, Option<String>>("conclusion") {
        None => None,
        Some(text) => Some(Conclusion::parse(&text)?),
    };
    Some(Record {
        id: row.get("local_id"),
        action: Action::parse(row.get("action"))?,
        started_at: row.get("started_at"),
        finished_at: row.get("finished_at"),
        status: Status::parse(row.get("status"))?,
        account_name: row.get("account_name"),
        caller_appid: row.get("caller_appid"),
        mode: Mode::parse(row.get("mode"))?,
        prefix: row.get("prefix"),
        target_appid: row.get("target_appid"),
        errcode: row.get("errcode"),
        errmsg: row.get("errmsg"),
        explanation: row.get("explanation"),
        error_kind: row.get("error_kind"),
        duration_ms: row.get("duration_ms"),
        operator: row.get("operator"),
        app_version: row.get("app_version"),
        rule_snapshot: row.get("rule_snapshot"),
        demo: row.get("demo"),
        related_id: row.get("related_id"),
        batch_id: row.get("batch_id"),
        conclusion,
        chain_seq: row.get("chain_seq"),
        hash_version: i64::from(row.get::<_, i32>("hash_version")),
        hash: row.get("hash"),
    })
}
