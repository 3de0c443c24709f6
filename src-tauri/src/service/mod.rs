//! Admin actions end to end, shared by the desktop app and the CLI.
//!
//! Every action that changes something at WeChat goes through [`run`]:
//! record the intent (with the rule as it was) → make the call → judge
//! the reply ([`Verdict`]) → record it → explain it (`explain`). The front ends only resolve an account into a
//! [`Target`] and say what to do; a new action is an [`Intent`] and a call.
//! Batches ([`batch`]), restores ([`restore`]) and checks ([`check`]) are
//! built on it.

pub mod backup;
pub mod batch;
pub mod check;
pub mod code_lookup;
pub mod error;
pub mod owners;
pub mod plan;
pub mod restore;
pub mod rules;
pub mod verdict;

pub use error::{Error, FileProblem};
pub use verdict::Verdict;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::Serialize;

use crate::explain::{self, Explanation};
use crate::history::{self, Action, Conclusion, History, NewAttempt, Outcome, Status};
use crate::lang::Lang;
use crate::sync::lock;
use crate::wechat::{self, Account, Answer, Client, Deletion, Prefix, Rule, Scope};

/// Who acts: an account ready to call, and how the history names it.
#[derive(Debug, Clone)]
pub struct Target {
    pub client: Client,
    pub account: Arc<Account>,
    /// The account's name as the admin knows it ("Shop Mini Program").
    pub account_name: String,
    /// The built-in demo account, against the simulator.
    pub demo: bool,
}

/// What an audited action is about: all of it is in the record before the
/// call is made.
#[derive(Debug, Clone)]
pub struct Intent {
    pub action: Action,
    pub prefix: Prefix,
    pub scope: Scope,
    /// The rule as it was before the action, when it could be read.
    pub snapshot: Option<Rule>,
    /// The record this one relates to (a restore points at its delete).
    pub related_id: Option<i64>,
    pub batch_id: Option<String>,
}

impl Intent {
    pub fn new(action: Action, prefix: Prefix, scope: Scope) -> Intent {
        Intent { action, prefix, scope, snapshot: None, related_id: None, batch_id: None }
    }
}

/// What happened, in the shape both front ends show.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionOutcome {
    pub record_id: i64,
    pub action: Action,
    pub status: Status,
    /// The verdict's stable code (`verdict::CODES`), as the record keeps it.
    pub verdict: &'static str,
    /// WeChat's errcode and errmsg exactly as sent (none when no answer came).
    pub errcode: Option<i64>,
    pub errmsg: Option<String>,
    /// For faults that are not a WeChat answer.
    pub kind: Option<wechat::Kind>,
    pub explanation: Explanation,
    /// The rule as it was before the action, when it could be read.
    pub rule: Option<Rule>,
    /// What a check found (check records only).
    pub conclusion: Option<Conclusion>,
    /// The check made to settle this outcome, when one was needed.
    pub check: Option<Box<ActionOutcome>>,
}

/// What a call came to, as the pipeline records it.
#[derive(Debug)]
pub enum Reply {
    /// WeChat's answer (or the fault that kept it from us), as it came.
    Answered(Result<Answer, wechat::Error>),
    /// An answer left in doubt ("busy", then a failed retry) and settled by
    /// reading the rule list.
    Settled(Settled),
    /// A check read the rule list: whether the rule is still there.
    Checked(Result<bool, wechat::Error>),
}

/// How a doubtful answer was settled; the record says which.
#[derive(Debug)]
pub enum Settled {
    /// The rule is gone: the first try did it, the retry answered `retry`.
    DoneBeforeRetry { retry: wechat::Error },
    /// The rule is still there: not done; the retry answered `retry`.
    NotDone { retry: wechat::Error },
    /// The list could not be read: not known.
    Unknown { retry: wechat::Error, lookup: wechat::Error },
}

impl From<Result<Answer, wechat::Error>> for Reply {
    fn from(result: Result<Answer, wechat::Error>) -> Reply {
        Reply::Answered(result)
    }
}

impl From<Deletion> for Reply {
    fn from(deletion: Deletion) -> Reply {
        match deletion {
            Deletion::Deleted(answer) => Reply::Answered(Ok(answer)),
            Deletion::Failed(error) => Reply::Answered(Err(error)),
            Deletion::DeletedBeforeRetry { retry } => Reply::Settled(Settled::DoneBeforeRetry { retry }),
            Deletion::StillThere { retry } => Reply::Settled(Settled::NotDone { retry }),
            Deletion::Unsettled { retry, lookup } => Reply::Settled(Settled::Unknown { retry, lookup }),
        }
    }
}

/// The verdict on a reply: what the call came to, before any words.
fn judge(reply: Reply) -> Verdict {
    match reply {
        Reply::Answered(Ok(answer)) => Verdict::Done(answer),
        Reply::Answered(Err(error)) | Reply::Checked(Err(error)) => Verdict::Failed(error),
        Reply::Checked(Ok(present)) => Verdict::Found(if present { Conclusion::Present } else { Conclusion::Gone }),
        Reply::Settled(Settled::DoneBeforeRetry { retry }) => Verdict::DoneBeforeRetry { retry },
        Reply::Settled(Settled::NotDone { retry }) => Verdict::StillThere { retry },
        Reply::Settled(Settled::Unknown { retry, lookup }) => Verdict::Unsettled { retry, lookup },
    }
}

/// The OS user name of whoever runs the app, for the audit record.
pub fn operator() -> String {
    whoami::username().unwrap_or_else(|_| "unknown".into())
}

/// Runs one audited action: writes the `pending` record, then awaits
/// `call` (a future does nothing until awaited, so nothing is sent before
/// the record is on disk), then completes the record and explains the
/// outcome. An `Err` means the history could not be written; if that
/// happens before the call, nothing was sent.
pub async fn run(
    target: &Target,
    history: &Mutex<History>,
    intent: Intent,
    call: impl Future<Output = impl Into<Reply>>,
    lang: Lang,
) -> Result<ActionOutcome, history::Error> {
    run_linked(target, history, intent, |_| call, lang).await
}

/// [`run`], for a call that needs its own record's id (to link a check
/// made on the way, as a delete settled after "busy" does).
pub async fn run_linked<F: Future<Output = impl Into<Reply>>>(
    target: &Target,
    history: &Mutex<History>,
    intent: Intent,
    call: impl FnOnce(i64) -> F,
    lang: Lang,
) -> Result<ActionOutcome, history::Error> {
    let attempt = NewAttempt {
        action: intent.action,
        account_name: target.account_name.clone(),
        caller_appid: target.account.appid().map(|a| a.as_str().to_owned()),
        mode: intent.scope.mode(),
        prefix: intent.prefix.as_str().to_owned(),
        target_appid: intent.scope.target_appid().map(|a| a.as_str().to_owned()),
        operator: operator(),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        rule_snapshot: intent.snapshot.as_ref().and_then(|r| serde_json::to_string(r).ok()),
        demo: target.demo,
        related_id: intent.related_id,
        batch_id: intent.batch_id.clone(),
    };
    let id = lock(history).start(&attempt)?;
    let started = Instant::now();
    let reply = call(id).await.into();
    let duration_ms = Some(started.elapsed().as_millis() as i64);
    let verdict = judge(reply);
    let explanation = explain::verdict(&verdict, intent.action, intent.scope.mode(), lang);
    let (errcode, errmsg) = verdict.wechat_words();
    let outcome = Outcome {
        errcode,
        errmsg,
        explanation: Some(explain::recorded(&verdict, &explanation)),
        error_kind: verdict.error_kind().map(str::to_owned),
        duration_ms,
        conclusion: verdict.conclusion(),
        verdict: Some(verdict.code().to_owned()),
    };
    let record = lock(history).finish(id, verdict.status(), &outcome).map_err(|source| {
        let answer = match (&outcome.errcode, &outcome.errmsg) {
            (Some(code), Some(msg)) => format!("errcode {code}, {msg}: {}", explanation.meaning),
            _ => explanation.meaning.clone(),
        };
        history::Error::NotCompleted { id, answer, source: Box::new(source) }
    })?;
    Ok(ActionOutcome {
        record_id: record.id,
        action: intent.action,
        status: verdict.status(),
        verdict: verdict.code(),
        errcode: outcome.errcode,
        errmsg: outcome.errmsg,
        kind: verdict.fault(),
        explanation,
        rule: intent.snapshot,
        conclusion: verdict.conclusion(),
        check: None,
    })
}

/// A rule to delete.
#[derive(Debug, Clone)]
pub struct DeleteRequest {
    pub prefix: Prefix,
    pub scope: Scope,
    /// Set when the delete is one item of a batch.
    pub batch_id: Option<String>,
}

/// Deletes one rule and records the attempt, with the rule as it was.
pub async fn delete_rule(
    target: &Target,
    history: &Mutex<History>,
    request: &DeleteRequest,
    lang: Lang,
) -> Result<ActionOutcome, history::Error> {
    let (client, account) = (&target.client, target.account.as_ref());
    // The snapshot lets the rule be restored later; failing to read it does
    // not stop the delete (the delete's own answer will say why)...
    let read = client.find_rule(account, &request.scope, &request.prefix).await;
    let intent = Intent {
        snapshot: read.as_ref().ok().cloned().flatten(),
        batch_id: request.batch_id.clone(),
        ..Intent::new(Action::Delete, request.prefix.clone(), request.scope.clone())
    };
    match read {
        // ...unless no repeat could change the refusal (an IP whitelist, a
        // refused AppSecret): the attempt is recorded with it, and WeChat
        // is not asked a second time.
        Err(refused) if refused.is_final() => run(target, history, intent, async { Err(refused) }, lang).await,
        _ => delete_with(target, history, intent, lang).await,
    }
}

/// Deletes the rule of `intent` (whose snapshot is already read: a batch
/// reads the whole list once). A doubtful outcome is settled by a check
/// record linked to the delete: after "busy" and a failed retry, before the
/// delete's record is completed; after a timeout or a broken answer, right
/// after it. The delete's own record never changes once complete.
pub(crate) async fn delete_with(
    target: &Target,
    history: &Mutex<History>,
    intent: Intent,
    lang: Lang,
) -> Result<ActionOutcome, history::Error> {
    let (client, account) = (&target.client, target.account.as_ref());
    let (prefix, scope, batch_id) = (intent.prefix.clone(), intent.scope.clone(), intent.batch_id.clone());
    let mut settled_by = None;
    let settled = &mut settled_by;
    let (prefix_ref, scope_ref, batch_ref) = (&prefix, &scope, &batch_id);
    let call = move |id: i64| {
        let (prefix, scope, batch_id) = (prefix_ref, scope_ref, batch_ref);
        async move {
            let attempt = client.delete_attempt(account, prefix, scope).await;
            match attempt.result {
                Err(retry @ wechat::Error::Api { .. }) if attempt.busy > 0 => {
                    let link = check::Link { related_id: id, batch_id: batch_id.clone() };
                    let (record, found) = check::check_rule(target, history, prefix, scope, link, lang).await;
                    *settled = record.ok();
                    match found {
                        Ok(false) => Deletion::DeletedBeforeRetry { retry },
                        Ok(true) => Deletion::StillThere { retry },
                        Err(lookup) => Deletion::Unsettled { retry, lookup },
                    }
                }
                Ok(answer) => Deletion::Deleted(answer),
                Err(error) => Deletion::Failed(error),
            }
        }
    };
    let mut outcome = run_linked(target, history, intent, call, lang).await?;
    if settled_by.is_none() && outcome.status == Status::Unknown {
        // Timeout, HTTP 500, a broken answer: read the list once and say.
        let link = check::Link { related_id: outcome.record_id, batch_id: batch_id.clone() };
        settled_by = check::check_rule(target, history, &prefix, &scope, link, lang).await.0.ok();
    }
    outcome.check = settled_by.map(Box::new);
    Ok(outcome)
}
