//! A history record as the window acts on it: the records linked to it,
//! the account that made it, and checking whether its rule is gone.

use std::collections::HashMap;

use serde::Serialize;

use super::{AppError, AppState, DEMO_ID, Result};
use crate::history::{Action, Conclusion, Status};
use crate::lang::Lang;
use crate::service::check;
use crate::service::{ActionOutcome, Target};
use crate::sync::lock;

/// A record and the latest check or restore linked to it, for the review table.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Linked {
    pub related_id: i64,
    pub id: i64,
    pub action: Action,
    pub status: Status,
    pub conclusion: Option<Conclusion>,
}

impl AppState {
    /// The latest check or restore linked to each of `ids`.
    pub fn history_links(&self, ids: &[i64]) -> Result<Vec<Linked>> {
        let records = lock(&self.history).linked_to(ids)?;
        let mut latest: HashMap<(i64, Action), Linked> = HashMap::new();
        for r in records {
            let Some(related_id) = r.related_id else { continue };
            latest.insert(
                (related_id, r.action),
                Linked { related_id, id: r.id, action: r.action, status: r.status, conclusion: r.conclusion },
            );
        }
        let mut links: Vec<Linked> = latest.into_values().collect();
        links.sort_by_key(|l| l.id);
        Ok(links)
    }

    pub(super) fn record_target(&self, record_id: i64) -> Result<(crate::history::Record, Target)> {
        let record = lock(&self.history).get(record_id)?.ok_or(AppError::NoRecord(record_id))?;
        let account_id = self.account_id_named(&record.account_name, record.demo).ok_or(AppError::RecordAccountGone)?;
        let target = self.resolve(&account_id, record.mode)?;
        Ok((record, target))
    }

    /// The account id of the account the history names `name`.
    pub(super) fn account_id_named(&self, name: &str, demo: bool) -> Option<String> {
        if demo {
            return Some(DEMO_ID.into());
        }
        lock(&self.accounts).list().iter().find(|a| a.name == name).map(|a| a.id.clone())
    }

    /// Records, linked to an "outcome unknown" delete, whether its rule is gone.
    pub async fn check_record(&self, record_id: i64, lang: Lang) -> Result<ActionOutcome> {
        let (record, target) = self.record_target(record_id)?;
        Ok(check::check_record(&target, &self.history, &record, lang).await?)
    }
}
