//! The admin's accounts: names, kinds, AppIDs and routes in
//! `accounts.json`, token servers in `token_servers.json`; the AppSecret,
//! token, token server header value and proxy password in the OS credential
//! store, or, where there is none, in memory for this session only. Never in
//! a file we write.

mod model;
mod store;
mod vault;

pub use model::*;
pub use store::{AccountStore, POLICY_SERVER_ID, policy_proxy};
pub use vault::{MemoryVault, SecretStorage, SecretVault, installation_key};

use std::path::PathBuf;

use crate::wechat::{Field, InputError, RouteError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("name: must not be empty")]
    NameEmpty,
    #[error("name: another account is already called {0:?}")]
    NameTaken(String),
    #[error("no account {0:?}")]
    NotFound(String),
    #[error("the secret of account {0:?} is not known in this session: enter it again")]
    SecretMissing(String),
    #[error("token expiry: {0:?} is not a time")]
    BadExpiry(String),
    #[error(transparent)]
    Route(#[from] RouteError),
    #[error("token server: choose the token server this account's token comes from")]
    NoServer,
    #[error("token server URL: {0}")]
    BadServerUrl(crate::wechat::token_server::ServerUrlError),
    /// A kept secret is never sent to a place it was not given for.
    #[error("{}: the address changed, so enter it again (a kept secret is not sent to a new place)", .0.name())]
    SecretForNewPlace(Field),
    #[error("token position: {0}")]
    BadPointer(String),
    #[error("header: {0:?} is not a valid HTTP header name")]
    BadHeaderName(String),
    #[error("token server: {0:?} is used by the accounts {1}; remove or move them first")]
    ServerInUse(String, String),
    /// IT's policy defines this token server: it is not changed here.
    #[error("token server: set by IT policy ({0}); it cannot be changed or removed here")]
    SetByPolicy(String),
    #[error("token for: say whether the token is a Mini Program's or a service account's")]
    ServesMissing,
    #[error("AppIDs, line {line}: {text:?} is not an AppID (wx followed by 16 letters or digits)")]
    BadAppIdLine { line: usize, text: String },
    #[error("accounts file {path}: {error}")]
    File { path: PathBuf, error: String },
}
