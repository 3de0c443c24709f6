//! `verify` on the team history: every installation's chain checked again
//! from the records the server holds, reporting per installation the
//! records whose content no longer matches their hash, the gaps where
//! records were removed, the records whose signature is not the pinned
//! key's (forged), those without one, and the conflicts pushes met. From a
//! desktop, [`Team::compare_local`] also holds the server's copy of this
//! installation against the local chain.

use std::sync::Mutex;

use crate::history::signing::verify_record;
use crate::history::{GENESIS, History, chain_hash};
use crate::sync::lock;

use super::rows::{columns, record};
use super::{Result, Team};

/// Rows read per query: memory stays flat over millions of records.
const PAGE: i64 = 5_000;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamVerification {
    pub installations: Vec<InstallationCheck>,
    /// This computer's records held against the server's, when checked
    /// from a desktop (see [`Team::compare_local`]).
    pub local: Option<LocalComparison>,
}

impl TeamVerification {
    pub fn intact(&self) -> bool {
        self.installations.iter().all(InstallationCheck::intact)
            && self.local.as_ref().is_none_or(LocalComparison::agrees)
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
    /// Whether the installation registered a key: its records are signed.
    pub signed: bool,
    /// Local ids of records whose signature is not the pinned key's: they
    /// only claim to be this installation's.
    pub forged: Vec<i64>,
    /// Records without a signature (pushed before signing, or by a
    /// process of the installation without the credential store).
    pub unsigned: u64,
    /// Conflicts its pushes met: another record was there first.
    pub conflicts: u64,
}

impl InstallationCheck {
    pub fn intact(&self) -> bool {
        self.altered.is_empty() && self.gaps.is_empty() && self.forged.is_empty() && self.conflicts == 0
    }
}

/// The server's copy of this installation held against the local chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalComparison {
    pub installation_id: String,
    /// The last chain position the server confirmed to this computer.
    pub pushed: i64,
    /// The last chain position the server holds now.
    pub on_server: i64,
    /// Completed records here not yet on the server.
    pub waiting: u64,
    /// Positions whose record on the server is not the one made here (a
    /// second copy of the data folder pushing under the same name).
    pub foreign: Vec<i64>,
}

impl LocalComparison {
    /// Records the server confirmed were removed from the end since.
    pub fn removed_from_end(&self) -> bool {
        self.on_server < self.pushed
    }

    pub fn agrees(&self) -> bool {
        !self.removed_from_end() && self.foreign.is_empty()
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
        Ok(TeamVerification { installations: checks, local: None })
    }

    async fn verify_installation(&self, installation_id: String) -> Result<InstallationCheck> {
        let sql = format!(
            "SELECT {} FROM qrjump_records WHERE installation_id = $1 AND chain_seq > $2 \
             ORDER BY chain_seq LIMIT $3",
            columns()
        );
        let limit = self.limit();
        let query = limit.run(self.client.prepare(&sql)).await?;
        let pinned: Option<String> = limit
            .run(self.client.query_opt(
                "SELECT public_key FROM qrjump_installations WHERE installation_id = $1",
                &[&installation_id],
            ))
            .await?
            .map(|row| row.get(0));
        let conflicts: i64 = limit
            .run(
                self.client
                    .query_one("SELECT count(*) FROM qrjump_conflicts WHERE installation_id = $1", &[&installation_id]),
            )
            .await?
            .get(0);
        let mut check = InstallationCheck {
            installation_id,
            computer: String::new(),
            records: 0,
            altered: Vec::new(),
            gaps: Vec::new(),
            signed: pinned.is_some(),
            forged: Vec::new(),
            unsigned: 0,
            conflicts: conflicts as u64,
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
                match (row.get::<_, Option<String>>("signature"), &pinned) {
                    (None, _) => check.unsigned += 1,
                    (Some(signature), Some(key))
                        if verify_record(key, &check.installation_id, seq, &stored, &signature) => {}
                    (Some(_), _) => check.forged.push(row.get("local_id")),
                }
                previous = Some(stored);
                last_seq = seq;
            }
        }
        Ok(check)
    }

    /// This installation's records on the server against the local chain:
    /// records removed from the end, records another copy pushed under
    /// this name, and how many wait here.
    pub async fn compare_local(&self, history: &Mutex<History>) -> Result<LocalComparison> {
        let (installation, pushed, waiting) = {
            let history = lock(history);
            (history.installation_id()?, history.pushed_seq()?, history.outbox()?.waiting)
        };
        let limit = self.limit();
        let sql = "SELECT chain_seq, hash FROM qrjump_records WHERE installation_id = $1 AND chain_seq > $2 \
                   ORDER BY chain_seq LIMIT $3";
        let query = limit.run(self.client.prepare(sql)).await?;
        let mut comparison = LocalComparison {
            installation_id: installation.clone(),
            pushed,
            on_server: 0,
            waiting,
            foreign: Vec::new(),
        };
        let mut last = 0i64;
        loop {
            let rows = limit.run(self.client.query(&query, &[&installation, &last, &PAGE])).await?;
            if rows.is_empty() {
                break;
            }
            let hashes: Vec<(i64, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
            let history = lock(history);
            for (seq, hash) in &hashes {
                if history.hash_at(*seq)?.as_deref() != Some(hash.as_str()) {
                    comparison.foreign.push(*seq);
                }
            }
            last = hashes.last().map(|(seq, _)| *seq).unwrap_or(last);
        }
        comparison.on_server = last;
        Ok(comparison)
    }
}
