//! "Is it really gone?": a check reads the rule list once and records, as
//! its own record linked to the attempt in doubt, whether the rule is still
//! there. The attempt's record itself is never changed.

use std::sync::Mutex;

use super::{ActionOutcome, Error, Intent, Reply, Target, run};
use crate::history::{self, Action, History, Record, Status};
use crate::lang::Lang;
use crate::wechat::{self, Prefix, Scope};

/// The record a check settles, and the batch it belongs to.
#[derive(Debug, Clone)]
pub struct Link {
    pub related_id: i64,
    pub batch_id: Option<String>,
}

/// Reads the list once and records whether `prefix` is still there, linked
/// to `link`. Returns the check's outcome (or why the history could not be
/// written: the read is then still made, to settle the attempt, but not
/// recorded) and the finding.
pub async fn check_rule(
    target: &Target,
    history: &Mutex<History>,
    prefix: &Prefix,
    scope: &Scope,
    link: Link,
    lang: Lang,
) -> (Result<ActionOutcome, history::Error>, Result<bool, wechat::Error>) {
    let intent = Intent {
        related_id: Some(link.related_id),
        batch_id: link.batch_id,
        ..Intent::new(Action::Check, prefix.clone(), scope.clone())
    };
    let mut found = None;
    let read = async {
        let present = target.client.find_rule(&target.account, scope, prefix).await.map(|rule| rule.is_some());
        found = Some(present.clone());
        Reply::Checked(present)
    };
    let recorded = run(target, history, intent, read, lang).await;
    let found = match found {
        Some(found) => found,
        None => target.client.find_rule(&target.account, scope, prefix).await.map(|rule| rule.is_some()),
    };
    (recorded, found)
}

/// Checks a record of the history whose outcome is unknown.
pub async fn check_record(
    target: &Target,
    history: &Mutex<History>,
    record: &Record,
    lang: Lang,
) -> Result<ActionOutcome, Error> {
    if record.action != Action::Delete || record.status != Status::Unknown {
        return Err(Error::NotCheckable(record.id));
    }
    let prefix = Prefix::parse(&record.prefix)?;
    let scope = Scope::from_input(record.mode, record.target_appid.as_deref())?;
    let link = Link { related_id: record.id, batch_id: record.batch_id.clone() };
    Ok(check_rule(target, history, &prefix, &scope, link, lang).await.0?)
}
