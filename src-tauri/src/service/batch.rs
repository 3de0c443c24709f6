//! Batch delete: many rules, one confirmation, at WeChat's own pace.
//!
//! A batch is planned from one read of the rule list (each item's snapshot
//! comes from it), the whole list is saved as a backup, and the batch with
//! all its items is written to the history before the first delete. Each
//! item is then an ordinary audited delete carrying the batch id, so a
//! batch interrupted in any way (cancel, crash, kill) is accounted for item
//! by item from its records: done, failed, outcome unknown (checked or
//! not), never sent. Resuming checks the unknown ones first and sends only
//! what is still there or was never sent: nothing is sent twice unless a
//! check found the rule still in place.
//!
//! The pace is the client's throttle: WeChat's 5 calls a second per AppID
//! and API, and in service-account mode also 200 calls a minute
//! (`wechat::limits`), shared with every process on the data folder.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use serde::Serialize;

use super::backup::{self, RuleBackup};
use super::check::{self, Link};
use super::{Error, Intent, Target, delete_with, operator};
use crate::history::{Action, Batch, BatchItem, Conclusion, History, NewBatch, Record, Status};
use crate::lang::Lang;
use crate::matching::{self, Impact};
use crate::sync::lock;
use crate::wechat::limits::PER_SECOND;
use crate::wechat::{Prefix, Rule, RuleList, Scope};

/// Reads a list of prefixes as an admin pastes or imports it: one a line
/// (blank lines and `#` comments skipped), or a CSV whose header has a
/// `prefix` column (what the rule backup and most spreadsheets give).
pub fn parse_prefix_list(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let header: Vec<String> =
        first.split([',', ';', '\t']).map(|h| h.trim().trim_matches('"').to_lowercase()).collect();
    if let Some(column) = header.iter().position(|h| h == "prefix" || h == "前缀") {
        let delimiter = [b',', b';', b'\t'].into_iter().find(|d| first.as_bytes().contains(d)).unwrap_or(b',');
        let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
        return reader
            .records()
            .filter_map(Result::ok)
            .filter_map(|row| row.get(column).map(|p| p.trim().to_owned()))
            .filter(|p| !p.is_empty())
            .collect();
    }
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned).collect()
}

/// A line of the admin's list that is not a prefix, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invalid {
    pub text: String,
    pub message: String,
}

/// What a batch would do, shown before anything is sent.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The rules to delete, as the list shows them, in the admin's order.
    pub rules: Vec<Rule>,
    /// Prefixes that are not in the account's current list.
    pub missing: Vec<String>,
    /// Lines that are not prefixes.
    pub invalid: Vec<Invalid>,
    /// Prefixes listed more than once (sent once).
    pub duplicates: usize,
    /// What deleting them all does to the codes under them (and to the
    /// printed codes given to [`Plan::count_codes`]).
    pub impact: Impact,
    /// The whole list as read, for the backup.
    #[serde(skip)]
    pub list: RuleList,
}

/// Plans a batch against a list already read.
pub fn plan_from_list(list: RuleList, inputs: &[String], lang: Lang) -> Plan {
    let by_prefix: HashMap<&str, &Rule> = list.rule_list.iter().map(|r| (r.prefix.as_str(), r)).collect();
    let (mut rules, mut missing, mut invalid, mut seen, mut duplicates) =
        (Vec::new(), Vec::new(), Vec::new(), HashSet::new(), 0);
    for text in inputs {
        let prefix = match Prefix::parse(text) {
            Ok(prefix) => prefix,
            Err(error) => {
                invalid.push(Invalid { text: text.clone(), message: crate::explain::input(&error, lang) });
                continue;
            }
        };
        if !seen.insert(prefix.as_str().to_owned()) {
            duplicates += 1;
            continue;
        }
        match by_prefix.get(prefix.as_str()) {
            Some(rule) => rules.push((*rule).clone()),
            None => missing.push(prefix.as_str().to_owned()),
        }
    }
    let deleted: Vec<&str> = rules.iter().map(|r| r.prefix.as_str()).collect();
    let impact = matching::impact(&deleted, &list.rule_list, &[]);
    Plan { rules, missing, invalid, duplicates, impact, list }
}

impl Plan {
    /// Counts which of the account's printed codes the batch breaks or moves.
    pub fn count_codes(&mut self, codes: &[String]) {
        let deleted: Vec<&str> = self.rules.iter().map(|r| r.prefix.as_str()).collect();
        self.impact = matching::impact(&deleted, &self.list.rule_list, codes);
    }
}

/// Reads the account's whole list once and plans the batch against it.
pub async fn plan(target: &Target, scope: &Scope, inputs: &[String], lang: Lang) -> Result<Plan, Error> {
    let list = target.client.all_jump_qrcodes(&target.account, scope).await?;
    Ok(plan_from_list(list, inputs, lang))
}

/// A new batch id: when it was made, and a random tail.
pub fn new_batch_id() -> String {
    format!("{}-{:04x}", chrono::Local::now().format("%Y%m%d-%H%M%S"), rand::random::<u16>())
}

/// Saves the backup of the whole list and writes the batch to the history:
/// after this, nothing about the batch can be lost.
pub fn begin(
    history: &Mutex<History>,
    target: &Target,
    account_id: Option<&str>,
    scope: &Scope,
    plan: &Plan,
) -> Result<Batch, Error> {
    if plan.rules.is_empty() {
        return Err(Error::EmptyBatch);
    }
    let id = new_batch_id();
    let data_dir = data_dir(history);
    let backup_path = backup::batch_backup_path(&data_dir, &id);
    std::fs::create_dir_all(backup_path.parent().unwrap_or(&data_dir))
        .map_err(|e| Error::RuleFile { path: backup_path.clone(), problem: e.into() })?;
    let target_appid = scope.target_appid().map(|a| a.as_str().to_owned());
    let saved = RuleBackup::new(&target.account_name, scope.mode(), target_appid.as_deref(), &plan.list);
    backup::write(&backup_path, &saved)?;
    let batch = NewBatch {
        id: id.clone(),
        account_id: account_id.map(Into::into),
        account_name: target.account_name.clone(),
        caller_appid: target.account.appid().map(|a| a.as_str().to_owned()),
        mode: scope.mode(),
        target_appid,
        backup_path: Some(backup_path.display().to_string()),
        operator: operator(),
        demo: target.demo,
        items: plan
            .rules
            .iter()
            .enumerate()
            .map(|(i, rule)| BatchItem {
                position: i as i64 + 1,
                prefix: rule.prefix.clone(),
                rule_snapshot: serde_json::to_string(rule).ok(),
            })
            .collect(),
    };
    let mut history = lock(history);
    history.create_batch(&batch)?;
    history.batch(&id)?.ok_or(Error::NoBatch(id))
}

/// Where one item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// No delete was sent for it.
    NeverSent,
    /// Its delete is being sent right now (by a running process).
    InFlight,
    Done,
    Failed,
    /// Sent, but no answer came back (see `check`).
    Unknown,
}

/// One item with its latest delete and, for an unknown outcome, its check.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemStatus {
    pub position: i64,
    pub prefix: String,
    pub state: ItemState,
    pub record_id: Option<i64>,
    pub errcode: Option<i64>,
    pub errmsg: Option<String>,
    pub explanation: Option<String>,
    /// What a check of an unknown outcome found.
    pub check: Option<Conclusion>,
    pub check_record_id: Option<i64>,
}

impl ItemStatus {
    /// Whether resuming sends it: never sent, or checked and still there.
    pub fn to_send(&self) -> bool {
        self.state == ItemState::NeverSent
            || (self.state == ItemState::Unknown && self.check == Some(Conclusion::Present))
    }

    /// Whether it waits for a check before anything else is done with it.
    pub fn to_check(&self) -> bool {
        self.state == ItemState::Unknown && self.check.is_none()
    }

    /// Whether the rule is known to be deleted.
    pub fn deleted(&self) -> bool {
        self.state == ItemState::Done || (self.state == ItemState::Unknown && self.check == Some(Conclusion::Gone))
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub total: usize,
    /// Deleted (answered ok, or checked and gone).
    pub done: usize,
    pub failed: usize,
    /// Outcome unknown and not checked yet.
    pub unknown: usize,
    /// Outcome unknown, checked, still there: resuming sends it again.
    pub still_there: usize,
    pub never_sent: usize,
    pub in_flight: usize,
}

impl Counts {
    pub fn of(items: &[ItemStatus]) -> Counts {
        let mut counts = Counts { total: items.len(), ..Counts::default() };
        for item in items {
            match item.state {
                _ if item.deleted() => counts.done += 1,
                ItemState::Failed => counts.failed += 1,
                ItemState::Unknown if item.to_check() => counts.unknown += 1,
                ItemState::Unknown => counts.still_there += 1,
                ItemState::NeverSent => counts.never_sent += 1,
                ItemState::InFlight => counts.in_flight += 1,
                ItemState::Done => counts.done += 1,
            }
        }
        counts
    }

    /// Every item has its final answer: nothing to check, resume or wait for.
    pub fn finished(&self) -> bool {
        self.unknown + self.still_there + self.never_sent + self.in_flight == 0
    }
}

/// A batch with every item's state.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchStatus {
    pub batch: Batch,
    pub items: Vec<ItemStatus>,
    pub counts: Counts,
}

/// Each item's state from the batch's records (pure, for tests).
pub fn item_states(batch: &Batch, records: &[Record]) -> Vec<ItemStatus> {
    let mut deletes: HashMap<&str, &Record> = HashMap::new();
    let mut checks: HashMap<i64, &Record> = HashMap::new();
    for record in records {
        match record.action {
            Action::Delete => {
                deletes.insert(record.prefix.as_str(), record);
            }
            Action::Check if record.conclusion.is_some() => {
                if let Some(related) = record.related_id {
                    checks.insert(related, record);
                }
            }
            _ => {}
        }
    }
    batch
        .items
        .iter()
        .map(|item| {
            let record = deletes.get(item.prefix.as_str());
            let check = record.and_then(|r| checks.get(&r.id));
            ItemStatus {
                position: item.position,
                prefix: item.prefix.clone(),
                state: match record.map(|r| r.status) {
                    None => ItemState::NeverSent,
                    Some(Status::Pending) => ItemState::InFlight,
                    Some(Status::Ok) => ItemState::Done,
                    Some(Status::Failed) => ItemState::Failed,
                    Some(Status::Unknown) => ItemState::Unknown,
                },
                record_id: record.map(|r| r.id),
                errcode: record.and_then(|r| r.errcode),
                errmsg: record.and_then(|r| r.errmsg.clone()),
                explanation: record.and_then(|r| r.explanation.clone()),
                check: check.and_then(|c| c.conclusion),
                check_record_id: check.map(|c| c.id),
            }
        })
        .collect()
}

/// The batch and where each item stands. Pending records of processes that
/// stopped are settled as "unknown" first.
pub fn status(history: &Mutex<History>, batch_id: &str) -> Result<BatchStatus, Error> {
    let mut history = lock(history);
    if history.writable() {
        history.recover_pending()?;
    }
    let batch = history.batch(batch_id)?.ok_or_else(|| Error::NoBatch(batch_id.into()))?;
    let records = history.batch_records(batch_id)?;
    let items = item_states(&batch, &records);
    Ok(BatchStatus { counts: Counts::of(&items), batch, items })
}

/// The batches that are not closed, with where they stand.
pub fn unfinished(history: &Mutex<History>) -> Result<Vec<BatchStatus>, Error> {
    let ids: Vec<String> = lock(history).open_batches()?.into_iter().map(|b| b.id).collect();
    ids.iter().map(|id| status(history, id)).collect()
}

/// How a running batch is doing, after each item.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchProgress {
    pub batch_id: String,
    pub counts: Counts,
    /// Items this run has left to send.
    pub remaining: usize,
    /// The prefix being sent now (none between items and at the end).
    pub current: Option<String>,
    /// Estimated seconds until this run is done.
    pub eta_seconds: f64,
    /// The item just finished, and its full outcome.
    pub last: Option<ItemStatus>,
    pub outcome: Option<super::ActionOutcome>,
}

/// Stops a running batch after the call in flight.
#[derive(Debug, Default)]
pub struct Cancel(AtomicBool);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Held while a process sends a batch: two windows or scripts never send
/// the same batch at once.
struct Sending {
    _file: File,
    path: PathBuf,
}

fn data_dir(history: &Mutex<History>) -> PathBuf {
    lock(history).path().parent().map(Path::to_owned).unwrap_or_default()
}

fn claim(history: &Mutex<History>, batch_id: &str) -> Result<Sending, Error> {
    let path = data_dir(history).join("locks").join(format!("batch-{batch_id}"));
    // Not truncated: on Windows a file another process has locked cannot be.
    let file =
        File::options().create(true).truncate(false).write(true).open(&path).map_err(crate::history::Error::from)?;
    file.try_lock().map_err(|_| Error::BatchBusy(batch_id.into()))?;
    Ok(Sending { _file: file, path })
}

/// The scope a batch was made in.
pub fn scope_of(batch: &Batch) -> Result<Scope, Error> {
    Ok(Scope::from_input(batch.mode, batch.target_appid.as_deref())?)
}

/// Sends the items of the batch that `pick` chooses, in order, one audited
/// delete each, until done or cancelled (after the call in flight). Closes
/// the batch when every item has its final answer.
async fn send(
    target: &Target,
    history: &Mutex<History>,
    batch_id: &str,
    pick: impl Fn(&ItemStatus) -> bool,
    cancel: &Cancel,
    progress: &mut impl FnMut(BatchProgress),
    lang: Lang,
) -> Result<BatchStatus, Error> {
    let before = status(history, batch_id)?;
    let scope = scope_of(&before.batch)?;
    let snapshots: HashMap<i64, Option<Rule>> = before
        .batch
        .items
        .iter()
        .map(|i| (i.position, i.rule_snapshot.as_deref().and_then(|s| serde_json::from_str(s).ok())))
        .collect();
    let queue: Vec<ItemStatus> = before.items.iter().filter(|i| pick(i)).cloned().collect();
    // Kept up to date item by item, so counts need no re-read of the history.
    let mut items = before.items.clone();
    let started = Instant::now();
    // At best WeChat's pace; measured once items have gone.
    let floor = PER_SECOND.per.as_secs_f64() / PER_SECOND.calls as f64;
    for (sent, item) in queue.iter().enumerate() {
        if cancel.is_cancelled() {
            break;
        }
        let remaining = queue.len() - sent;
        let pace = if sent == 0 { floor } else { (started.elapsed().as_secs_f64() / sent as f64).max(floor) };
        progress(BatchProgress {
            batch_id: batch_id.into(),
            counts: Counts::of(&items),
            remaining,
            current: Some(item.prefix.clone()),
            eta_seconds: pace * remaining as f64,
            last: None,
            outcome: None,
        });
        let prefix = Prefix::parse(&item.prefix)?;
        let intent = Intent {
            snapshot: snapshots.get(&item.position).cloned().flatten(),
            batch_id: Some(batch_id.into()),
            ..Intent::new(Action::Delete, prefix, scope.clone())
        };
        let outcome = delete_with(target, history, intent, lang).await?;
        let now = status_of_outcome(item, &outcome);
        if let Some(slot) = items.iter_mut().find(|i| i.position == now.position) {
            *slot = now.clone();
        }
        let pace = (started.elapsed().as_secs_f64() / (sent + 1) as f64).max(floor);
        progress(BatchProgress {
            batch_id: batch_id.into(),
            counts: Counts::of(&items),
            remaining: remaining - 1,
            current: None,
            eta_seconds: pace * (remaining - 1) as f64,
            last: Some(now),
            outcome: Some(outcome),
        });
    }
    finish(history, batch_id)
}

/// The batch as it stands, closed first when every item has its final answer.
fn finish(history: &Mutex<History>, batch_id: &str) -> Result<BatchStatus, Error> {
    let after = status(history, batch_id)?;
    if !after.counts.finished() || after.batch.closed_at.is_some() {
        return Ok(after);
    }
    lock(history).close_batch(batch_id)?;
    status(history, batch_id)
}

/// What one run of a batch sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// The items never sent: a batch just begun.
    Fresh,
    /// An interrupted batch: check each item whose outcome is unknown, then
    /// send those whose rule is still there and those never sent.
    Resume,
}

/// Sends a batch as `how` says, one audited delete per item, until done or
/// cancelled; one process at a time.
pub async fn run(
    target: &Target,
    history: &Mutex<History>,
    batch_id: &str,
    how: Run,
    cancel: &Cancel,
    mut progress: impl FnMut(BatchProgress),
    lang: Lang,
) -> Result<BatchStatus, Error> {
    let sending = claim(history, batch_id)?;
    let result = async {
        match how {
            Run::Fresh => {
                let never_sent = |i: &ItemStatus| i.state == ItemState::NeverSent;
                send(target, history, batch_id, never_sent, cancel, &mut progress, lang).await
            }
            Run::Resume => {
                check_items(target, history, batch_id, lang).await?;
                send(target, history, batch_id, ItemStatus::to_send, cancel, &mut progress, lang).await
            }
        }
    }
    .await;
    release(sending, &result);
    result
}

/// Checks the items whose outcome is unknown (one linked check record
/// each), without sending anything.
pub async fn check_unknown(
    target: &Target,
    history: &Mutex<History>,
    batch_id: &str,
    lang: Lang,
) -> Result<BatchStatus, Error> {
    let sending = claim(history, batch_id)?;
    let result = check_items(target, history, batch_id, lang).await;
    release(sending, &result);
    result
}

async fn check_items(
    target: &Target,
    history: &Mutex<History>,
    batch_id: &str,
    lang: Lang,
) -> Result<BatchStatus, Error> {
    let before = status(history, batch_id)?;
    let scope = scope_of(&before.batch)?;
    for item in before.items.iter().filter(|i| i.to_check()) {
        let Some(related_id) = item.record_id else { continue };
        let prefix = Prefix::parse(&item.prefix)?;
        let link = Link { related_id, batch_id: Some(batch_id.into()) };
        // A check that cannot read the list leaves the item unknown.
        let _ = check::check_rule(target, history, &prefix, &scope, link, lang).await;
    }
    finish(history, batch_id)
}

/// Sets a batch aside: it is no longer offered for resuming. Its records stay.
pub fn close(history: &Mutex<History>, batch_id: &str) -> Result<(), Error> {
    let sending = claim(history, batch_id)?;
    lock(history).close_batch(batch_id)?;
    let path = sending.path.clone();
    drop(sending);
    // Closed: nobody sends it again, so its lock file goes too.
    let _ = std::fs::remove_file(path);
    Ok(())
}

/// Lets go of a batch; once it is closed, nobody sends it again and its
/// lock file goes too.
fn release(sending: Sending, result: &Result<BatchStatus, Error>) {
    let closed = matches!(result, Ok(status) if status.counts.finished());
    let path = sending.path.clone();
    drop(sending);
    if closed {
        let _ = std::fs::remove_file(path);
    }
}

fn status_of_outcome(item: &ItemStatus, outcome: &super::ActionOutcome) -> ItemStatus {
    ItemStatus {
        state: match outcome.status {
            Status::Ok => ItemState::Done,
            Status::Failed => ItemState::Failed,
            Status::Unknown => ItemState::Unknown,
            Status::Pending => ItemState::InFlight,
        },
        record_id: Some(outcome.record_id),
        errcode: outcome.errcode,
        errmsg: outcome.errmsg.clone(),
        explanation: Some(outcome.explanation.text()),
        check: outcome.check.as_ref().and_then(|c| c.conclusion),
        check_record_id: outcome.check.as_ref().map(|c| c.record_id),
        ..item.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_lists_come_as_lines_or_as_a_csv_with_a_prefix_column() {
        let lines = "https://a.com/1/\n\n# campaign 2025\n  https://a.com/2/  \n";
        assert_eq!(parse_prefix_list(lines), ["https://a.com/1/", "https://a.com/2/"]);
        let csv = "\u{feff}path,prefix,state\r\npages/a,https://a.com/1/,2\r\n\"pages/b, c\",https://a.com/2/,1\r\n";
        assert_eq!(parse_prefix_list(csv), ["https://a.com/1/", "https://a.com/2/"]);
        assert_eq!(parse_prefix_list("前缀\nhttps://a.com/1/\n"), ["https://a.com/1/"]);
    }

    #[test]
    fn a_plan_says_what_is_missing_invalid_or_repeated() {
        let rule = |p: &str| Rule {
            prefix: p.into(),
            path: "pages/a".into(),
            state: 2,
            open_version: None,
            debug_url: None,
            permit_sub_rule: None,
        };
        let list =
            RuleList { rule_list: vec![rule("https://a.com/1/"), rule("https://a.com/2/")], ..RuleList::default() };
        let inputs: Vec<String> =
            ["https://a.com/2/", "https://a.com/3/", "not a link", "https://a.com/2/", "https://a.com/1/"]
                .map(String::from)
                .into();
        let plan = plan_from_list(list, &inputs, Lang::En);
        let prefixes: Vec<&str> = plan.rules.iter().map(|r| r.prefix.as_str()).collect();
        assert_eq!(prefixes, ["https://a.com/2/", "https://a.com/1/"], "the admin's order");
        assert_eq!(plan.missing, ["https://a.com/3/"]);
        assert_eq!((plan.invalid.len(), plan.invalid[0].text.as_str(), plan.duplicates), (1, "not a link", 1));
    }
}
