//! Everything that can go wrong talking to WeChat. What each means to an
//! admin is told in `explain`.

use std::time::Duration;

use serde::Serialize;

use super::input::InputError;
use super::token_server::TokenServerError;
use super::whitelist::Caller;

/// Refusals of the caller, not of the call: the IP whitelists (API,
/// third-party platform, admin confirmation) and an invalid AppID, AppSecret
/// or a frozen one.
const FINAL_CODES: [i64; 6] = [40164, 61004, 89503, 40013, 40125, 40243];

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The input was refused before any request was sent.
    #[error(transparent)]
    Input(#[from] InputError),
    /// WeChat answered, with an errcode other than 0.
    #[error("WeChat answered errcode {errcode}: {errmsg}")]
    Api {
        errcode: i64,
        errmsg: String,
        /// Whose token made the call, when known: it decides which
        /// whitelist an IP refusal means.
        caller: Option<Caller>,
    },
    /// The server answered with an HTTP error status.
    #[error("the server answered HTTP {status}")]
    Http { status: u16 },
    /// The answer was not the JSON WeChat sends (an HTML error page, a cut-off body...).
    #[error("the server's answer was not valid JSON (HTTP {status}, starts with {start:?})")]
    NotJson { status: u16, start: String },
    /// No complete answer within the time limit.
    #[error("no answer from the server within {} seconds", .0.as_secs_f32())]
    Timeout(Duration),
    /// Could not connect at all (refused, no route, DNS).
    #[error("could not connect to {0}")]
    Connect(String),
    /// The connection broke during the exchange.
    #[error("the connection broke before the answer was complete: {0}")]
    Network(String),
    /// A token given directly has passed its expiry; refreshing is not ours to do.
    #[error("the access token given for this account expired; paste a fresh one")]
    TokenExpired,
    /// The account's token server could not give a token: WeChat was not called.
    #[error(transparent)]
    TokenServer(#[from] TokenServerError),
    /// The server answered with a redirect, which is never followed: it
    /// would carry the token (and a replayed body) to another place.
    #[error("the server answered HTTP {status}, a redirect to {to}, which is not followed")]
    Redirect { status: u16, to: String },
    /// The server named a file with a path in it: refused, nothing written.
    #[error(
        "the server named the file {name:?}, which is not a plain file name (letters, digits, '.', '_', '-'); nothing was saved"
    )]
    PathInAnswer { name: String },
}

/// The kinds, as stored in the history and sent to the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Input,
    Wechat,
    Http,
    NotJson,
    Timeout,
    Connect,
    Network,
    TokenExpired,
    TokenServer,
    Redirect,
    PathInAnswer,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Input => "input",
            Kind::Wechat => "wechat",
            Kind::Http => "http",
            Kind::NotJson => "not_json",
            Kind::Timeout => "timeout",
            Kind::Connect => "connect",
            Kind::Network => "network",
            Kind::TokenExpired => "token_expired",
            Kind::TokenServer => "token_server",
            Kind::Redirect => "redirect",
            Kind::PathInAnswer => "path_in_answer",
        }
    }
}

impl Error {
    pub fn kind(&self) -> Kind {
        match self {
            Error::Input(_) => Kind::Input,
            Error::Api { .. } => Kind::Wechat,
            Error::Http { .. } => Kind::Http,
            Error::NotJson { .. } => Kind::NotJson,
            Error::Timeout(_) => Kind::Timeout,
            Error::Connect(_) => Kind::Connect,
            Error::Network(_) => Kind::Network,
            Error::TokenExpired => Kind::TokenExpired,
            Error::TokenServer(_) => Kind::TokenServer,
            Error::Redirect { .. } => Kind::Redirect,
            Error::PathInAnswer { .. } => Kind::PathInAnswer,
        }
    }

    pub fn errcode(&self) -> Option<i64> {
        match self {
            Error::Api { errcode, .. } => Some(*errcode),
            _ => None,
        }
    }

    /// Whether the request may have reached WeChat and done its work: the
    /// outcome of a delete is then not known (the history says "unknown").
    /// A gateway's 500 or a cut-off body may come after WeChat acted.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Error::Timeout(_) | Error::Network(_) | Error::Http { .. } | Error::NotJson { .. })
    }

    /// Whether no repeat within this operation can change the answer: the
    /// caller's IP is not on a whitelist, the AppSecret or AppID is
    /// refused, a setting is refused before a call. A second call with
    /// the same account would only be refused again (and, for the IP,
    /// logged again at WeChat).
    pub fn is_final(&self) -> bool {
        match self {
            Error::Api { errcode, .. } => FINAL_CODES.contains(errcode),
            Error::TokenServer(error) => matches!(
                error,
                TokenServerError::BadUrl(_) | TokenServerError::Refused { .. } | TokenServerError::Redirect { .. }
            ),
            Error::Input(_) | Error::Redirect { .. } | Error::TokenExpired => true,
            _ => false,
        }
    }
}
