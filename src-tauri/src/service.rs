//! One admin action end to end, shared by the desktop app and the CLI:
//! validate → read the rule → record the intent → call → record the outcome.

use std::sync::Mutex;
use std::time::Instant;

use serde::Serialize;

use crate::history::{self, History, NewAttempt, Outcome, Status};
use crate::lang::Lang;
use crate::sync::lock;
use crate::wechat::{self, Account, Client, Explanation, Prefix, Rule, Scope};

/// What the admin asked to delete.
#[derive(Debug, Clone)]
pub struct DeleteRequest {
    /// The account's name as the admin knows it ("Shop Mini Program").
    pub account_name: String,
    pub prefix: Prefix,
    pub scope: Scope,
    /// Made with the built-in demo account.
    pub demo: bool,
}

/// What happened, in the shape both front ends show.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteOutcome {
    pub record_id: i64,
    pub status: Status,
    /// WeChat's errcode and errmsg exactly as sent (none when no answer came).
    pub errcode: Option<i64>,
    pub errmsg: Option<String>,
    /// For faults that are not a WeChat answer.
    pub kind: Option<wechat::Kind>,
    pub explanation: Explanation,
    /// The rule as it was before the delete, when it could be read.
    pub rule: Option<Rule>,
}

/// The OS user name of whoever runs the app, for the audit record.
pub fn operator() -> String {
    whoami::username().unwrap_or_else(|_| "unknown".into())
}

/// Deletes one rule and records the attempt. An `Err` means the history
/// could not be written, and then no request was sent.
pub async fn delete_rule(
    client: &Client,
    account: &Account,
    history: &Mutex<History>,
    request: &DeleteRequest,
    lang: Lang,
) -> Result<DeleteOutcome, history::Error> {
    // The snapshot lets the rule be restored later; failing to read it
    // does not stop the delete (the delete's own answer will say why).
    let rule = client.find_rule(account, &request.scope, &request.prefix).await.ok().flatten();
    let attempt = NewAttempt {
        account_name: request.account_name.clone(),
        caller_appid: account.appid().map(|a| a.as_str().to_owned()),
        mode: request.scope.mode(),
        prefix: request.prefix.as_str().to_owned(),
        target_appid: request.scope.target_appid().map(|a| a.as_str().to_owned()),
        operator: operator(),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        rule_snapshot: rule.as_ref().and_then(|r| serde_json::to_string(r).ok()),
        demo: request.demo,
    };
    let id = lock(history).start(&attempt)?;
    let started = Instant::now();
    let result = client.delete_jump_qrcode(account, &request.prefix, &request.scope).await;
    let duration_ms = Some(started.elapsed().as_millis() as i64);

    let (status, outcome, kind, explanation) = match &result {
        Ok(answer) => {
            let explanation = Explanation {
                meaning: lang
                    .pick(
                        "规则已删除。使用该前缀的二维码将不再打开小程序。",
                        "The rule was deleted. QR codes with this prefix no longer open the Mini Program.",
                    )
                    .into(),
                what_to_do: String::new(),
            };
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
            (
                status,
                Outcome { errcode, errmsg, explanation: Some(text), error_kind, duration_ms },
                Some(kind),
                explanation,
            )
        }
    };
    let record = lock(history).finish(id, status, &outcome)?;
    Ok(DeleteOutcome {
        record_id: record.id,
        status,
        errcode: outcome.errcode,
        errmsg: outcome.errmsg,
        kind: kind.filter(|k| *k != wechat::Kind::Wechat),
        explanation,
        rule,
    })
}
