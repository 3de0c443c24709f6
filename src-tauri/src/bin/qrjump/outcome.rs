//! An action's outcome as the CLI says it: its exit status, its `--json`
//! shape and its words, for a delete, each item of a batch and a restore.

use serde_json::json;

use qrjump::history::Status;
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
        "verdict": outcome.verdict,
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

/// An outcome in words, for the terminal (`explain` words it).
pub fn outcome_text(outcome: &ActionOutcome, prefix: &str) -> String {
    qrjump::explain::outcome(outcome, prefix, super::lang())
}
