//! The service layer's one error type.

use std::path::PathBuf;

use crate::history;
use crate::wechat;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    History(#[from] history::Error),
    #[error(transparent)]
    Wechat(#[from] wechat::Error),
    #[error(transparent)]
    Input(#[from] wechat::InputError),
    /// Another window or script is sending this batch right now.
    #[error("batch {0} is being sent by another window or script")]
    BatchBusy(String),
    #[error("there is no batch {0}")]
    NoBatch(String),
    #[error("the batch has no rule to delete")]
    EmptyBatch,
    #[error("record {0} is not a delete whose outcome is unknown")]
    NotCheckable(i64),
    #[error("record {id} cannot be restored: {reason}")]
    NotRestorable { id: i64, reason: NotRestorable },
    /// Refused before anything was sent: WeChat would refuse it, or it
    /// would spend more than is left.
    #[error(transparent)]
    Refused(#[from] super::rules::Refusal),
    #[error("the rule file {}: {problem}", .path.display())]
    RuleFile { path: PathBuf, problem: FileProblem },
}

/// What is wrong with a rule file (a backup, a rule set), or with writing
/// one. `explain` says each in either language.
#[derive(Debug, thiserror::Error)]
pub enum FileProblem {
    /// The system's words (not found, no permission, disk full...).
    #[error("{0}")]
    Io(String),
    #[error("the file name must end in .json or .csv (that decides the format)")]
    Format,
    /// The JSON parser's words.
    #[error("not a rule backup ({0})")]
    NotBackup(String),
    /// The CSV reader's words.
    #[error("{0}")]
    Csv(String),
    #[error("there is no \"prefix\" column")]
    NoPrefixColumn,
    #[error("row {row}: {column} {value:?} is not a number")]
    NotANumber { row: usize, column: String, value: String },
    #[error("{0} is in the file twice")]
    Twice(String),
    #[error("{0}: an ordinary-mode rule needs open_version and permit_sub_rule")]
    NeedsOrdinarySettings(String),
    #[error("{prefix}: {error}")]
    BadRule { prefix: String, error: Box<Error> },
}

impl From<std::io::Error> for FileProblem {
    fn from(error: std::io::Error) -> FileProblem {
        FileProblem::Io(error.to_string())
    }
}

/// Why a record cannot be restored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotRestorable {
    #[error("there is no such record")]
    NoRecord,
    #[error("it is not a delete")]
    NotDelete,
    #[error("the delete did not succeed")]
    NotDeleted,
    #[error("the rule could not be read before the delete, so its page and settings are not known")]
    NoSnapshot,
}
