//! `verify` on the team history: every installation's chain checked again
//! from the records the server holds, reporting per installation the
//! records whose content no longer matches their hash and the gaps where
//! records were removed.

use crate::history::{GENESIS, chain_hash};

use super::rows::{COLUMNS, record};
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

impl Team {
    pub async fn verify(&self) -> Result<TeamVerification> {
        let installations: Vec<String> = self
            .limit()
            .run(self.client.query("SELECT DISTINCT installation_id FROM qrjump_records ORDER BY 1", &[]))
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
        let limit = self.limit();
        let query = limit.run(self.client.prepare(&sql)).await?;
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
            let rows = limit.run(self.client.query(&query, &[&check.installation_id, &last_seq, &PAGE])).await?;
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
