//! Building history records for tests.

use qrjump::history::{Action, History, NewAttempt, Outcome, Status};
use qrjump::wechat::Mode;

pub fn attempt(account: &str, mode: Mode, prefix: &str) -> NewAttempt {
    NewAttempt {
        action: Action::Delete,
        account_name: account.into(),
        caller_appid: Some("wx00000000000000aa".into()),
        mode,
        prefix: prefix.into(),
        target_appid: (mode == Mode::ServiceAccount).then(|| "wx00000000000000bb".into()),
        operator: "tester".into(),
        app_version: "0.1.0".into(),
        rule_snapshot: None,
        demo: false,
        related_id: None,
        batch_id: None,
    }
}

pub fn outcome(errcode: i64, errmsg: &str) -> Outcome {
    Outcome {
        errcode: Some(errcode),
        errmsg: Some(errmsg.into()),
        explanation: Some("explained".into()),
        error_kind: None,
        duration_ms: Some(12),
        conclusion: None,
        verdict: Some(if errcode == 0 { "done" } else { "wechat_error" }.into()),
    }
}

/// Records one completed attempt; returns its id.
pub fn record(history: &mut History, attempt: &NewAttempt, status: Status, outcome: &Outcome) -> i64 {
    let id = history.start(attempt).unwrap();
    history.finish(id, status, outcome).unwrap();
    id
}
