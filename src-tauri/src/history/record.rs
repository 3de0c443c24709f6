//! What one attempt record holds.

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
    /// rule may or may not have been deleted.
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Ok => "ok",
            Status::Failed => "failed",
            Status::Unknown => "unknown",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        [Status::Pending, Status::Ok, Status::Failed, Status::Unknown].into_iter().find(|s| s.as_str() == text)
    }
}

/// What is known before the call: written as a `pending` record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewAttempt {
    pub account_name: String,
    /// The calling account's AppID (none for an account with a given token).
    pub caller_appid: Option<String>,
    pub mode: Mode,
    pub prefix: String,
    /// The Mini Program's AppID in service-account mode.
    pub target_appid: Option<String>,
    pub operator: String,
    pub app_version: String,
    /// The rule as it was before the delete, as JSON, when it could be read.
    pub rule_snapshot: Option<String>,
    /// Made with the built-in demo account against the simulator.
    pub demo: bool,
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
}

/// One stored record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub id: i64,
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
    /// Position in the hash chain, given when the record is completed.
    pub chain_seq: Option<i64>,
    pub hash: Option<String>,
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
}
