//! What one attempt record holds. How each field is stored, shown, hashed
//! and shared is declared once, in `fields`.

use serde::{Deserialize, Serialize};

use crate::wechat::Mode;

/// Where an attempt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Written before the call; the call has not come back yet.
    Pending,
    /// WeChat answered errcode 0.
    Ok,
    /// WeChat answered an error, or the request never reached it.
    Failed,
    /// The app stopped, or the connection broke, before the answer: the
    /// action may or may not have taken effect.
    Unknown,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Pending, Status::Ok, Status::Failed, Status::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Ok => "ok",
            Status::Failed => "failed",
            Status::Unknown => "unknown",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// What an audited attempt did. Records written before actions were
/// recorded (schema 1 and 2) were all deletes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// `qrcodejumpdelete`.
    Delete,
    /// `qrcodejumpadd` of a rule from a snapshot, undoing a delete (`related_id`).
    Restore,
    /// `qrcodejumppublish`.
    Publish,
    /// `qrcodejumpadd` of a new rule (also the second step of changing a
    /// published rule's page, linked to its delete).
    Add,
    /// `qrcodejumpadd` with `is_edit` 1: a rule changed in place.
    Edit,
    /// A read that settles an earlier record whose outcome was unknown.
    Check,
}

impl Action {
    pub const ALL: [Action; 6] =
        [Action::Delete, Action::Restore, Action::Publish, Action::Check, Action::Add, Action::Edit];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Delete => "delete",
            Action::Restore => "restore",
            Action::Publish => "publish",
            Action::Check => "check",
            Action::Add => "add",
            Action::Edit => "edit",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// What is known before the call: written as a `pending` record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewAttempt {
    pub action: Action,
    pub account_name: String,
    /// The calling account's AppID (none for an account with a given token).
    pub caller_appid: Option<String>,
    pub mode: Mode,
    pub prefix: String,
    /// The Mini Program's AppID in service-account mode.
    pub target_appid: Option<String>,
    pub operator: String,
    pub app_version: String,
    /// The rule as it was before the action, as JSON, when it could be read.
    pub rule_snapshot: Option<String>,
    /// Made with the built-in demo account against the simulator.
    pub demo: bool,
    /// The record this one relates to (a restore points at its delete).
    pub related_id: Option<i64>,
    /// Records made together by one batch share this id.
    pub batch_id: Option<String>,
}

/// What is known after the call.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Outcome {
    pub errcode: Option<i64>,
    pub errmsg: Option<String>,
    /// The plain-language explanation shown to the admin.
    pub explanation: Option<String>,
    /// For faults that are not a WeChat answer (timeout, network, ...).
    pub error_kind: Option<String>,
    pub duration_ms: Option<i64>,
    /// A check's finding: whether the rule was still there.
    pub conclusion: Option<Conclusion>,
    /// The verdict's stable code (`service::verdict::CODES`).
    pub verdict: Option<String>,
}

/// What a check found: the one question an "outcome unknown" leaves open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// The rule is not in the list: the delete took effect.
    Gone,
    /// The rule is still in the list: the delete did not take effect.
    Present,
}

impl Conclusion {
    pub fn as_str(self) -> &'static str {
        match self {
            Conclusion::Gone => "gone",
            Conclusion::Present => "present",
        }
    }

    pub fn parse(text: &str) -> Option<Conclusion> {
        [Conclusion::Gone, Conclusion::Present].into_iter().find(|c| c.as_str() == text)
    }
}

/// The verdict of a record whose call the app did not see end (it
/// stopped first), given when the history is next opened.
pub const INTERRUPTED: &str = "interrupted";

/// One stored record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub id: i64,
    pub action: Action,
    /// UTC, RFC 3339 with milliseconds.
    pub started_at: String,
    pub finished_at: Option<String>,
    pub status: Status,
    pub account_name: String,
    pub caller_appid: Option<String>,
    pub mode: Mode,
    pub prefix: String,
    pub target_appid: Option<String>,
    pub errcode: Option<i64>,
    pub errmsg: Option<String>,
    pub explanation: Option<String>,
    pub error_kind: Option<String>,
    pub duration_ms: Option<i64>,
    pub operator: String,
    pub app_version: String,
    pub rule_snapshot: Option<String>,
    pub demo: bool,
    pub related_id: Option<i64>,
    pub batch_id: Option<String>,
    /// A check's finding (check records only).
    pub conclusion: Option<Conclusion>,
    /// The verdict's stable code (`service::verdict::CODES`); none in
    /// records made before it was kept.
    pub verdict: Option<String>,
    /// Position in the hash chain, given when the record is completed.
    pub chain_seq: Option<i64>,
    /// Which fields the hash covers (see `chain`): old records keep theirs.
    pub hash_version: i64,
    pub hash: Option<String>,
}

impl Record {
    /// A record with nothing in it yet, for a reader to fill field by field.
    pub(crate) fn blank() -> Record {
        Record {
            id: 0,
            action: Action::Delete,
            started_at: String::new(),
            finished_at: None,
            status: Status::Pending,
            account_name: String::new(),
            caller_appid: None,
            mode: Mode::Ordinary,
            prefix: String::new(),
            target_appid: None,
            errcode: None,
            errmsg: None,
            explanation: None,
            error_kind: None,
            duration_ms: None,
            operator: String::new(),
            app_version: String::new(),
            rule_snapshot: None,
            demo: false,
            related_id: None,
            batch_id: None,
            conclusion: None,
            verdict: None,
            chain_seq: None,
            hash_version: 0,
            hash: None,
        }
    }

    /// The pending record of `attempt`, started at `started_at`.
    pub(crate) fn pending(attempt: &NewAttempt, started_at: String, hash_version: i64) -> Record {
        Record {
            action: attempt.action,
            started_at,
            status: Status::Pending,
            account_name: attempt.account_name.clone(),
            caller_appid: attempt.caller_appid.clone(),
            mode: attempt.mode,
            prefix: attempt.prefix.clone(),
            target_appid: attempt.target_appid.clone(),
            operator: attempt.operator.clone(),
            app_version: attempt.app_version.clone(),
            rule_snapshot: attempt.rule_snapshot.clone(),
            demo: attempt.demo,
            related_id: attempt.related_id,
            batch_id: attempt.batch_id.clone(),
            hash_version,
            ..Record::blank()
        }
    }
}

/// The filters of the review screen and the CSV export.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Filter {
    /// Started at or after (RFC 3339, any offset).
    pub from: Option<String>,
    /// Started before (RFC 3339, any offset).
    pub to: Option<String>,
    pub status: Option<Status>,
    pub mode: Option<Mode>,
    pub account: Option<String>,
    /// Substring of the prefix, the Mini Program AppID or errmsg.
    pub text: Option<String>,
    pub action: Option<Action>,
    pub batch_id: Option<String>,
    /// Records linked to this one (a restore or check of it), and itself.
    pub related_to: Option<i64>,
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// A completed record with every optional field empty.
    pub fn sample() -> Record {
        Record {
            id: 7,
            action: Action::Delete,
            started_at: "2026-01-01T00:00:00.000Z".into(),
            finished_at: Some("2026-01-01T00:00:01.000Z".into()),
            status: Status::Ok,
            account_name: "Shop".into(),
            caller_appid: None,
            mode: Mode::Ordinary,
            prefix: "https://a.com/".into(),
            target_appid: None,
            errcode: Some(0),
            errmsg: Some("ok".into()),
            explanation: None,
            error_kind: None,
            duration_ms: Some(3),
            operator: "amy".into(),
            app_version: "0.1.0".into(),
            rule_snapshot: None,
            demo: false,
            related_id: None,
            batch_id: None,
            conclusion: None,
            verdict: None,
            chain_seq: Some(1),
            hash_version: 1,
            hash: None,
        }
    }
}
