//! What an audited call came to, as a type: the pipeline decides it, the
//! record keeps its [`Verdict::code`], and `explain` puts it in words.

use crate::history::{Conclusion, Status};
use crate::wechat::{self, Answer};

/// The verdict on one audited call.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// WeChat answered errcode 0: the action was done.
    Done(Answer),
    /// A check read the rule list and found the rule gone or still there.
    Found(Conclusion),
    /// WeChat refused (an errcode), or a fault kept its answer from us.
    Failed(wechat::Error),
    /// "Busy", then a retry answered `retry`, yet the rule is gone: the
    /// first try had done it.
    DoneBeforeRetry { retry: wechat::Error },
    /// "Busy", then `retry`, and the rule is still there: not done.
    StillThere { retry: wechat::Error },
    /// "Busy", then `retry`, and the list could not be read: not known.
    Unsettled { retry: wechat::Error, lookup: wechat::Error },
}

/// Every code a record's `verdict` may hold, for readers of the CSV and the
/// team database: stable across versions, never translated.
pub const CODES: &[&str] = &[
    "done",
    "gone",
    "present",
    "wechat_error",
    "input",
    "http",
    "not_json",
    "timeout",
    "connect",
    "network",
    "token_expired",
    "token_server",
    "redirect",
    "path_in_answer",
    "done_before_retry",
    "still_there_after_retry",
    "unsettled_after_retry",
    crate::history::INTERRUPTED,
];

impl Verdict {
    /// The verdict's stable code, as the record keeps it.
    pub fn code(&self) -> &'static str {
        match self {
            Verdict::Done(_) => "done",
            Verdict::Found(conclusion) => conclusion.as_str(),
            Verdict::Failed(wechat::Error::Api { .. }) => "wechat_error",
            Verdict::Failed(fault) => fault.kind().as_str(),
            Verdict::DoneBeforeRetry { .. } => "done_before_retry",
            Verdict::StillThere { .. } => "still_there_after_retry",
            Verdict::Unsettled { .. } => "unsettled_after_retry",
        }
    }

    pub fn status(&self) -> Status {
        match self {
            Verdict::Done(_) | Verdict::Found(_) | Verdict::DoneBeforeRetry { .. } => Status::Ok,
            Verdict::Failed(error) if error.outcome_unknown() => Status::Unknown,
            Verdict::Failed(_) | Verdict::StillThere { .. } => Status::Failed,
            Verdict::Unsettled { .. } => Status::Unknown,
        }
    }

    /// WeChat's errcode and errmsg exactly as sent (a settled call's are
    /// the retry's); none when no answer came.
    pub fn wechat_words(&self) -> (Option<i64>, Option<String>) {
        let error = match self {
            Verdict::Done(answer) => return (Some(answer.errcode), Some(answer.errmsg.clone())),
            Verdict::Found(_) => return (Some(0), Some("ok".into())),
            Verdict::Failed(error)
            | Verdict::DoneBeforeRetry { retry: error }
            | Verdict::StillThere { retry: error }
            | Verdict::Unsettled { retry: error, .. } => error,
        };
        match error {
            wechat::Error::Api { errcode, errmsg, .. } => (Some(*errcode), Some(errmsg.clone())),
            _ => (None, None),
        }
    }

    /// The fault behind a call that did not succeed, when it is not a
    /// WeChat answer (the front ends choose exit statuses and hints by it).
    pub fn fault(&self) -> Option<wechat::Kind> {
        let kind = match self {
            Verdict::Failed(error) | Verdict::StillThere { retry: error } | Verdict::Unsettled { retry: error, .. } => {
                error.kind()
            }
            Verdict::Done(_) | Verdict::Found(_) | Verdict::DoneBeforeRetry { .. } => return None,
        };
        (kind != wechat::Kind::Wechat).then_some(kind)
    }

    /// The history's older `error_kind` column, kept as it always was: the
    /// fault's kind, or how a doubtful answer was settled.
    pub fn error_kind(&self) -> Option<&'static str> {
        match self {
            Verdict::Failed(error) => {
                Some(error.kind()).filter(|k| *k != wechat::Kind::Wechat).map(wechat::Kind::as_str)
            }
            Verdict::Done(_) | Verdict::Found(_) => None,
            settled => Some(settled.code()),
        }
    }

    pub fn conclusion(&self) -> Option<Conclusion> {
        match self {
            Verdict::Found(conclusion) => Some(*conclusion),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn every_verdict_has_a_listed_code_and_a_status() {
        let busy = || wechat::Error::Api { errcode: -1, errmsg: "system error".into(), caller: None };
        let verdicts = [
            Verdict::Done(Answer { errcode: 0, errmsg: "ok".into() }),
            Verdict::Found(Conclusion::Gone),
            Verdict::Found(Conclusion::Present),
            Verdict::Failed(busy()),
            Verdict::Failed(wechat::Error::Timeout(Duration::from_secs(3))),
            Verdict::DoneBeforeRetry { retry: busy() },
            Verdict::StillThere { retry: busy() },
            Verdict::Unsettled { retry: busy(), lookup: wechat::Error::Connect("x".into()) },
        ];
        let statuses: Vec<_> = verdicts.iter().map(|v| (v.code(), v.status())).collect();
        for (code, _) in &statuses {
            assert!(CODES.contains(code), "{code} is listed");
        }
        assert_eq!(statuses[4], ("timeout", Status::Unknown));
        assert_eq!(statuses[3], ("wechat_error", Status::Failed));
        assert_eq!(statuses[7], ("unsettled_after_retry", Status::Unknown));
        assert_eq!(verdicts[4].error_kind(), Some("timeout"));
        assert_eq!(verdicts[3].error_kind(), None);
    }
}
