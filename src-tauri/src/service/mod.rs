//! Admin actions end to end, shared by the desktop app and the CLI.
//!
//! Every action that changes something at WeChat goes through [`run`]:
//! record the intent (with the rule as it was) → make the call → record
//! the outcome → explain it. The front ends only resolve an account into a
//! [`Target`] and say what to do; a new action is an [`Intent`] and a call.
//! Batches ([`batch`]), restores ([`restore`]) and checks ([`check`]) are
//! built on it.

pub mod backup;
pub mod batch;
pub mod check;
pub mod code_check;
pub mod error;
pub mod owners;
pub mod restore;

pub use error::Error;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::Serialize;

use crate::history::{self, Action, Conclusion, History, NewAttempt, Outcome, Status};
use crate::lang::Lang;
use crate::sync::lock;
use crate::wechat::{self, Account, Answer, Client, Deletion, Explanation, Mode, Prefix, Rule, Scope};

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

/// A completed record's outcome and what the front ends show of it.
struct Judged {
    status: Status,
    conclusion: Option<Conclusion>,
    outcome: Outcome,
    kind: Option<wechat::Kind>,
    explanation: Explanation,
}

/// WeChat's own words of an error: errcode and errmsg (none for a fault).
fn wechat_words(error: &wechat::Error) -> (Option<i64>, Option<String>) {
    match error {
        wechat::Error::Api { errcode, errmsg, .. } => (Some(*errcode), Some(errmsg.clone())),
        _ => (None, None),
    }
}

fn judge(reply: Reply, action: Action, mode: Mode, lang: Lang, duration_ms: Option<i64>) -> Judged {
    match reply {
        Reply::Answered(Ok(answer)) => {
            let explanation = Explanation { meaning: success(action, lang).into(), what_to_do: String::new() };
            let outcome = Outcome {
                errcode: Some(answer.errcode),
                errmsg: Some(answer.errmsg),
                explanation: Some(explanation.meaning.clone()),
                error_kind: None,
                duration_ms,
                conclusion: None,
            };
            Judged { status: Status::Ok, conclusion: None, outcome, kind: None, explanation }
        }
        Reply::Checked(Ok(present)) => {
            let conclusion = if present { Conclusion::Present } else { Conclusion::Gone };
            let explanation = check::explain(conclusion, lang);
            let text = format!("{} {}", explanation.meaning, explanation.what_to_do).trim_end().to_owned();
            let outcome = Outcome {
                errcode: Some(0),
                errmsg: Some("ok".into()),
                explanation: Some(text),
                error_kind: None,
                duration_ms,
                conclusion: Some(conclusion),
            };
            Judged { status: Status::Ok, conclusion: Some(conclusion), outcome, kind: None, explanation }
        }
        Reply::Checked(Err(error)) => judge(Reply::Answered(Err(error)), action, mode, lang, duration_ms),
        Reply::Answered(Err(error)) => {
            let explanation = error.explain_in(lang, Some(mode));
            let (errcode, errmsg) = wechat_words(&error);
            let kind = error.kind();
            let status = if error.outcome_unknown() { Status::Unknown } else { Status::Failed };
            let mut text = format!("{} {}", explanation.meaning, explanation.what_to_do);
            // A fault's technical detail goes with the explanation.
            if errcode.is_none() {
                text.push_str(&format!(" ({error})"));
            }
            let error_kind = (kind != wechat::Kind::Wechat).then(|| kind.as_str().to_owned());
            let outcome =
                Outcome { errcode, errmsg, explanation: Some(text), error_kind, duration_ms, conclusion: None };
            let kind = Some(kind).filter(|k| *k != wechat::Kind::Wechat);
            Judged { status, conclusion: None, outcome, kind, explanation }
        }
        Reply::Settled(settled) => {
            let (status, retry, kind_name, explanation) = match &settled {
                Settled::DoneBeforeRetry { retry } => {
                    let code = retry.errcode().unwrap_or_default();
                    let meaning = match lang {
                        Lang::ZhCn => format!(
                            "{}微信先回答“系统繁忙”，但删除其实已生效：重试时微信回答了错误码 {code}，而规则已不在列表中。",
                            success(action, lang)
                        ),
                        Lang::En => format!(
                            "{} WeChat first answered “system busy”, but the delete had taken effect: the retry was answered with errcode {code}, and the rule is no longer in the list.",
                            success(action, lang)
                        ),
                    };
                    (Status::Ok, retry, "done_before_retry", Explanation { meaning, what_to_do: String::new() })
                }
                Settled::NotDone { retry } => {
                    let base = retry.explain_in(lang, Some(mode));
                    let note = lang.pick(
                        "（微信先回答“系统繁忙”；重试失败后核对了规则列表：规则仍在，没有被删除。）",
                        "(WeChat first answered “system busy”; after the retry failed, the rule list was checked: the rule is still there, not deleted.)",
                    );
                    let explanation =
                        Explanation { meaning: format!("{} {note}", base.meaning), what_to_do: base.what_to_do };
                    (Status::Failed, retry, "still_there_after_retry", explanation)
                }
                Settled::Unknown { retry, lookup } => {
                    let code = retry.errcode().unwrap_or_default();
                    let meaning = match lang {
                        Lang::ZhCn => format!(
                            "微信先回答“系统繁忙”，重试时回答了错误码 {code}，而规则列表无法读取（{}）：不确定规则是否已删除。",
                            lookup.explain(lang).meaning
                        ),
                        Lang::En => format!(
                            "WeChat first answered “system busy”, the retry was answered with errcode {code}, and the rule list could not be read ({}): it is not known whether the rule was deleted.",
                            lookup.explain(lang).meaning
                        ),
                    };
                    let what_to_do = lang
                        .pick(
                            "请刷新规则列表确认结果，再决定是否重试。",
                            "Refresh the rule list to see the result, then decide whether to retry.",
                        )
                        .to_owned();
                    (Status::Unknown, retry, "unsettled_after_retry", Explanation { meaning, what_to_do })
                }
            };
            let (errcode, errmsg) = wechat_words(retry);
            let text = format!("{} {}", explanation.meaning, explanation.what_to_do).trim_end().to_owned();
            let outcome = Outcome {
                errcode,
                errmsg,
                explanation: Some(text),
                error_kind: Some(kind_name.into()),
                duration_ms,
                conclusion: None,
            };
            let kind = (status != Status::Ok).then(|| retry.kind()).filter(|k| *k != wechat::Kind::Wechat);
            Judged { status, conclusion: None, outcome, kind, explanation }
        }
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
    let judged = judge(reply, intent.action, intent.scope.mode(), lang, duration_ms);
    let record = lock(history).finish(id, judged.status, &judged.outcome).map_err(|source| {
        let answer = match (&judged.outcome.errcode, &judged.outcome.errmsg) {
            (Some(code), Some(msg)) => format!("errcode {code}, {msg}: {}", judged.explanation.meaning),
            _ => judged.explanation.meaning.clone(),
        };
        history::Error::NotCompleted { id, answer, source: Box::new(source) }
    })?;
    Ok(ActionOutcome {
        record_id: record.id,
        action: intent.action,
        status: judged.status,
        errcode: judged.outcome.errcode,
        errmsg: judged.outcome.errmsg,
        kind: judged.kind,
        explanation: judged.explanation,
        rule: intent.snapshot,
        conclusion: judged.conclusion,
        check: None,
    })
}

/// What a successful action means, for the admin.
fn success(action: Action, lang: Lang) -> &'static str {
    match action {
        Action::Delete => lang.pick(
            "规则已删除。使用该前缀的二维码将不再打开小程序。",
            "The rule was deleted. QR codes with this prefix no longer open the Mini Program.",
        ),
        Action::Restore => lang.pick(
            "规则已重新添加。发布后，使用该前缀的二维码将再次打开小程序。",
            "The rule was added again. Once published, QR codes with this prefix open the Mini Program again.",
        ),
        Action::Publish => lang.pick(
            "规则已发布，扫码即可打开小程序。",
            "The rule was published: scanning its codes opens the Mini Program.",
        ),
        Action::Check => lang.pick("已向微信核实规则的当前状态。", "The rule's current state was checked with WeChat."),
    }
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
