//! The app layer's one error type. Each layer's error converts into
//! [`AppError`] with `?`; the conversion into a [`Problem`] (what the UI
//! shows, in the admin's language, worded in `explain`) happens once, at
//! the command boundary.

use std::path::PathBuf;

use serde::Serialize;

use crate::accounts;
pub use crate::explain::Problem;
use crate::history;
use crate::lang::Lang;
use crate::wechat;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Input(#[from] wechat::InputError),
    #[error(transparent)]
    Wechat(#[from] wechat::Error),
    #[error(transparent)]
    History(#[from] history::Error),
    #[error(transparent)]
    Accounts(#[from] accounts::Error),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("this kind of account cannot use this mode")]
    ModeNotAllowed,
    #[error("the demo simulator could not start: {0}")]
    Demo(std::io::Error),
    #[error("the settings file {}: {source}", .path.display())]
    Settings { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Service(#[from] crate::service::Error),
    #[error("there is no history record {0}")]
    NoRecord(i64),
    #[error("the account that made this record is no longer configured")]
    RecordAccountGone,
    #[error("the account that made this batch is no longer configured")]
    BatchAccountGone,
    #[error("{}: {source}", .path.display())]
    SaveFile { path: PathBuf, source: std::io::Error },
    /// No file manager could be started to show a folder.
    #[error("could not open {} in a file manager: {source}", .path.display())]
    OpenFolder { path: PathBuf, source: std::io::Error },
    /// "Test connection" failed at `step`, on `route`.
    #[error("{step:?} failed ({route}): {source}")]
    Connection { step: ConnectionStep, route: String, source: wechat::Error },
    #[error(transparent)]
    Printed(#[from] crate::printed::Error),
    #[error(transparent)]
    Team(#[from] crate::team::Error),
    #[error(transparent)]
    Update(#[from] crate::update::Error),
    /// The window asked to install a version no check offered.
    #[error("no update to {0} was offered; check again")]
    UpdateNotOffered(String),
    /// A field of the team database form is empty or has spaces.
    #[error("{field}: required, without spaces")]
    TeamField { field: &'static str },
    /// The server changed and no password was typed: the kept one is not sent there.
    #[error("password: the server changed, so enter its password again (a kept password is not sent to a new server)")]
    TeamPasswordAgain,
    #[error("no team history is set up")]
    TeamNotSet,
}

/// The steps of "Test connection", in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionStep {
    /// Getting a token: from WeChat with the AppSecret, or from the token server.
    Token,
    /// Reading the rule list with it.
    Rules,
}

impl AppError {
    /// What the admin reads, in `lang` (the words are in `explain`).
    pub fn problem(&self, lang: Lang) -> Problem {
        crate::explain::app(self, lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_speaks_both_languages_and_input_names_its_field() {
        let errors = [
            AppError::Input(wechat::InputError::PrefixSpace),
            AppError::Wechat(wechat::Error::Api {
                errcode: 40164,
                errmsg: "invalid ip 1.2.3.4 rid: 1".into(),
                caller: None,
            }),
            AppError::History(history::Error::ReadOnly { dir: "/media/backup".into() }),
            AppError::Accounts(accounts::Error::NameEmpty),
            AppError::ModeNotAllowed,
        ];
        for error in &errors {
            let (zh, en) = (error.problem(Lang::ZhCn), error.problem(Lang::En));
            assert!(!zh.message.is_empty() && !en.message.is_empty(), "{error:?}");
            assert_ne!(zh.message, en.message, "{error:?}");
        }
        assert_eq!(errors[0].problem(Lang::En).field, Some(wechat::Field::Prefix));
        let wechat = errors[1].problem(Lang::En);
        assert_eq!((wechat.errcode, wechat.errmsg.as_deref()), (Some(40164), Some("invalid ip 1.2.3.4 rid: 1")));
        assert_eq!(errors[2].problem(Lang::En).kind, "read_only");
    }
}
