//! Admin actions end to end, shared by the desktop app and the CLI.
//!
//! Every action that changes something at WeChat goes through [`run`]:
//! record the intent (with the rule as it was) → make the call → record
//! the outcome → explain it. The front ends only resolve an account into a
//! [`Target`] and say what to do; a new action is an [`Intent`] and a call.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::Serialize;

use crate::history::{self, Action, History, NewAttempt, Outcome, Status};
use crate::lang::Lang;
use crate::sync::lock;
use crate::wechat::{self, Account, Answer, Client, Explanation, Prefix, Rule, Scope};

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
    call: impl Future<Output = Result<Answer, wechat::Error>>,
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
    let result = call.await;
    let duration_ms = Some(started.elapsed().as_millis() as i64);
    let (status, outcome, kind, explanation) = match &result {
        Ok(answer) => {
            let explanation = Explanation { meaning: success(intent.action, lang).into(), what_to_do: String::new() };
            let outcome = Outcome {
                errcode: Some(answer.errcode),
                errmsg: Some(answer.errmsg.clone()),
                explanation: Some(explanation.meaning.clone()),
                error_kind: None,
                duration_ms,
            };
            (Status::Ok, outcome, None, explanation)
        }
        Err(error) => {
            let explanation = error.explain(lang);
            // errcode/errmsg are WeChat's own words only; a fault's technical
            // detail goes with the explanation.
            let (errcode, errmsg, detail) = match error {
                wechat::Error::Api { errcode, errmsg } => (Some(*errcode), Some(errmsg.clone()), None),
                other => (None, None, Some(other.to_string())),
            };
            let kind = error.kind();
            let status = if error.outcome_unknown() { Status::Unknown } else { Status::Failed };
            let mut text = format!("{} {}", explanation.meaning, explanation.what_to_do);
            if let Some(detail) = detail {
                text.push_str(&format!(" ({detail})"));
            }
            let error_kind = (kind != wechat::Kind::Wechat).then(|| kind.as_str().to_owned());
            let outcome = Outcome { errcode, errmsg, explanation: Some(text), error_kind, duration_ms };
            (status, outcome, Some(kind), explanation)
        }
    };
    let record = lock(history).finish(id, status, &outcome)?;
    Ok(ActionOutcome {
        record_id: record.id,
        action: intent.action,
        status,
        errcode: outcome.errcode,
        errmsg: outcome.errmsg,
        kind: kind.filter(|k| *k != wechat::Kind::Wechat),
        explanation,
        rule: intent.snapshot,
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
    // not stop the delete (the delete's own answer will say why).
    let snapshot = client.find_rule(account, &request.scope, &request.prefix).await.ok().flatten();
    let intent = Intent {
        snapshot,
        batch_id: request.batch_id.clone(),
        ..Intent::new(Action::Delete, request.prefix.clone(), request.scope.clone())
    };
    let call = client.delete_jump_qrcode(account, &request.prefix, &request.scope);
    run(target, history, intent, call, lang).await
}
