//! Talking to WeChat's qrcodejump API: validated inputs, the token source,
//! the throttle, retries, timeouts and the error catalogue.
//!
//! Knows nothing of SQLite or Tauri.

pub mod api;
pub mod catalogue;
mod client;
mod error;
pub mod input;
pub mod limits;
pub mod route;
mod secret;
pub mod throttle;
pub mod token_server;
pub mod whitelist;

pub use api::{
    Answer, Deletion, NewRule, OpenVersion, Progress, Rule, RuleList, RuleQuery, RuleTarget, SubRules, VerificationFile,
};
pub use client::{
    Account, CallObserver, Client, Credentials, DeleteAttempt, LIST_PATIENCE, MAX_TRIES, PATH_ADD, PATH_DELETE,
    PATH_DOWNLOAD, PATH_GET, PATH_PUBLISH, PATH_STABLE_TOKEN, Timeouts,
};
pub use error::{Error, Kind};
pub use input::{AppId, Field, InputError, Mode, Prefix, Scope};
pub use route::{Route, RouteError};
pub use secret::{Secret, redact};
pub use token_server::{Method, TokenAt, TokenServer, TokenServerError};
pub use whitelist::Caller;
