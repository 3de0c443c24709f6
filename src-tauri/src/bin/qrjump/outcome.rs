//! An action's outcome as the CLI says it: its exit status, its `--json`
//! shape and its words, for a delete, each item of a batch and a restore.

use serde_json::json;

use qrjump::history::{Action, Status};
use qrjump::service::ActionOutcome;
use qrjump::wechat;

use super::Exit;

/// The exit status an action's outcome ends with.
pub fn outcome_exit(outcome: &ActionOutcome) -> Exit {
    match (outcome.status, outcome.kind) {
        (Status::Ok, _) => Exit::Ok,
        (_, None) => Exit::WeChat,
        (_, Some(wechat::Kind::Input)) => Exit::Input,
        _ => Exit::Fault,
    }
}

/// The `--json` shape of one delete, shared by single deletes and each
/// item of a batch.
pub fn outcome_json(outcome: &ActionOutcome, prefix: &str) -> serde_json::Value {
    json!({
        "ok": outcome.status == Status::Ok,
        "status": outcome.status,
        "errcode": outcome.errcode,
        "errmsg": outcome.errmsg,
        "kind": outcome.kind,
        "message": outcome.explanation.meaning,
        "hint": outcome.explanation.what_to_do,
        "record": outcome.record_id,
        "prefix": prefix,
        "check": outcome.check.as_ref().map(|c| json!({ "record": c.record_id, "conclusion": c.conclusion })),
    })
}

/// An outcome in words, for the terminal.
pub fn outcome_text(outcome: &ActionOutcome, prefix: &str) -> String {
    let verb = match outcome.action {
        Action::Restore => "Restored",
        Action::Publish => "Published",
        Action::Check => "Checked",
        Action::Delete => "Deleted",
    };
    let mut text = match outcome.status {
        Status::Ok => format!("{verb} {prefix}"),
        Status::Unknown => format!("Outcome unknown for {prefix}"),
        _ => format!("Not {}: {prefix}", verb.to_lowercase()),
    };
    if let Some(errcode) = outcome.errcode {
        text.push_str(&format!("\n  errcode {errcode}: {}", outcome.errmsg.as_deref().unwrap_or("")));
    }
    text.push_str(&format!("\n  {}", outcome.explanation.meaning));
    if !outcome.explanation.what_to_do.is_empty() {
        text.push_str(&format!("\n  {}", outcome.explanation.what_to_do));
    }
    text.push_str(&format!("\n  (history record {})", outcome.record_id));
    if let Some(check) = &outcome.check {
        text.push_str(&format!("\n  {} (check record {})", check.explanation.meaning, check.record_id));
    }
    text
}
