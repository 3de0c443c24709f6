//! The team's shared audit history on PostgreSQL: where each desktop's
//! completed records are pushed (local first: the SQLite file stays the
//! record written before every call) and where an auditor reviews and
//! verifies them all.
//!
//! Knows nothing of Tauri. The server side is append-only, and each
//! installation's hash chain is stored with its records.

mod connect;
mod push;
mod review;
mod rows;
mod schema;
mod verify;

pub use connect::{Parts, Team, TeamConfig};
pub use push::Pushed;
pub use review::{Cursor, TeamFilter, TeamNames, TeamRecord};
pub use schema::LATEST;
pub use verify::{InstallationCheck, LocalComparison, TeamVerification};

/// The environment variable the CLI takes the team database from.
pub const ENV_DATABASE_URL: &str = "QRJUMP_TEAM_DATABASE_URL";
/// The team database's password, apart from its address.
pub const ENV_PASSWORD: &str = "QRJUMP_TEAM_PASSWORD";
/// Seconds to wait for the team database at each step (default 20).
pub const ENV_TIMEOUT: &str = "QRJUMP_TEAM_TIMEOUT";
/// A PEM file of extra CA certificates to trust (a company CA the system
/// does not hold).
pub const ENV_CA_FILE: &str = "QRJUMP_TEAM_CA_FILE";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the team database address: {0}")]
    Address(String),
    #[error(
        "the team database at {host} is not on this computer: the connection must be encrypted (TLS); \
         remove sslmode=disable"
    )]
    TlsRequired { host: String },
    #[error("the CA file {path}: {problem}")]
    CaFile { path: String, problem: String },
    #[error("cannot reach the team database at {host}: {problem}")]
    Unreachable { host: String, problem: String },
    #[error("the team database at {host} did not answer within {seconds} s")]
    NoAnswer { host: String, seconds: u64 },
    #[error("the team database refused: {0}")]
    Server(String),
    #[error(
        "the team database was set up by a newer version of QR Jump Admin (schema {found}, this one knows {supported}): \
         update the app"
    )]
    NewerSchema { found: i32, supported: i32 },
    /// A version below zero: no version of the app writes one.
    #[error(
        "the team database says schema {found}, which no version of QR Jump Admin writes: ask its administrator to check the table qrjump_schema"
    )]
    BadSchema { found: i32 },
    /// A push met a record already on the server under this installation
    /// and number, with another hash: someone wrote it first. An alarm,
    /// never counted as sent; the records from there on keep waiting.
    #[error(
        "ALARM: the team database already holds another record {local_id} (chain position {seq}) for this \
         installation, with a different hash: it was written by someone else first. It was not overwritten and \
         this computer's record was not sent; ask the database's administrator to look at qrjump_conflicts"
    )]
    Conflict { local_id: i64, seq: i64 },
    /// The installation's public key on the server is not this one's: a
    /// copy of the data folder, or someone claiming to be it.
    #[error(
        "ALARM: the team database has another key registered for this installation: a copy of this data folder, \
         or someone else, pushes under its name. Nothing was sent"
    )]
    KeyMismatch,
    /// A filter that cannot be read (a date, a time).
    #[error("{0}")]
    Filter(String),
    #[error("the local history: {0}")]
    Local(#[from] crate::history::Error),
}

impl From<tokio_postgres::Error> for Error {
    fn from(error: tokio_postgres::Error) -> Error {
        Error::Server(server_words(&error))
    }
}

/// What the server said, without the driver's wrapping; never the password
/// (the driver's errors do not carry it).
fn server_words(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => error.to_string(),
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// This computer's name as the team history shows it: the name the admin
/// gave it (Windows' device name), else its host name.
pub fn computer_name() -> String {
    whoami::devicename()
        .ok()
        .filter(|name| !name.trim().is_empty())
        .or_else(|| whoami::hostname().ok())
        .unwrap_or_else(|| "unknown".into())
}

/// Connects and pushes what `history` has waiting. Whatever fails is noted
/// in the outbox for the app to show; the records keep waiting.
pub async fn push_waiting(config: &TeamConfig, history: &std::sync::Mutex<crate::history::History>) -> Result<Pushed> {
    match config.connect().await {
        Ok(mut team) => team.push(history).await,
        Err(error) => {
            crate::sync::lock(history).note_push_error(&error.to_string())?;
            Err(error)
        }
    }
}
