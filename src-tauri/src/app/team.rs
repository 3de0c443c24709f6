//! The team history in the desktop app: its setting (the password in the
//! credential store), the push of waiting records, and the team review.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{AppError, AppState, Result};
use crate::history::History;
use crate::sync::lock;
use crate::team::{self, Cursor, Parts, Pushed, TeamConfig, TeamFilter, TeamRecord};
use crate::wechat::Secret;

/// Where the password is kept in the credential store.
const PASSWORD_KEY: &str = "team-database";
const FILE: &str = "team.json";

/// The team database, as saved (never the password).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TeamSettings {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    #[serde(default)]
    pub require_tls: bool,
}

/// The form: the password only when typed (empty keeps the stored one).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamForm {
    pub host: String,
    pub port: Option<u16>,
    pub database: String,
    pub user: String,
    pub password: Option<String>,
    #[serde(default)]
    pub require_tls: bool,
}

/// What the history screen shows about the team history.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamStatus {
    pub settings: Option<TeamSettings>,
    /// Completed records not yet on the server.
    pub waiting: u64,
    pub last_push_at: Option<String>,
    /// The last push's failure, in words; None once one worked.
    pub last_error: Option<String>,
    /// The computer's name, as the team history shows it.
    pub computer: String,
    /// IT's policy names the database (the user gives only the password),
    /// and says where it was set.
    pub fixed_by_policy: Option<String>,
}

/// The team database IT's policy names, as settings; `None` when it names
/// none, or names one a user's own setting replaces (policy not locked).
fn from_policy(own: bool) -> Option<TeamSettings> {
    let policy = &crate::policy::current().policy;
    let url = policy.team_database_url.as_deref()?;
    if own && !policy.locked {
        return None;
    }
    // policy.rs checked it is a postgres:// address without a password.
    let parsed = reqwest::Url::parse(url).ok()?;
    let require_tls = parsed.query_pairs().any(|(k, v)| k == "sslmode" && (v == "require" || v.starts_with("verify")));
    Some(TeamSettings {
        host: parsed.host_str()?.to_owned(),
        port: parsed.port().unwrap_or(5432),
        database: parsed.path().trim_start_matches('/').to_owned(),
        user: parsed.username().to_owned(),
        require_tls,
    })
}

impl AppState {
    fn team_file(&self) -> PathBuf {
        self.data_dir.join(FILE)
    }

    /// The team database: the admin's own setting, or policy's (policy's
    /// always when it is locked).
    pub fn team_settings(&self) -> Option<TeamSettings> {
        let own: Option<TeamSettings> =
            std::fs::read(self.team_file()).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok());
        from_policy(own.is_some()).or(own)
    }

    /// Where policy set the team database, when the one in use is policy's.
    fn team_policy(&self) -> Option<String> {
        let own = self.team_file().is_file();
        from_policy(own).and(crate::policy::current().policy.source.clone())
    }

    fn team_config(&self, settings: &TeamSettings, password: Option<&Secret>) -> Result<TeamConfig> {
        let parts = Parts {
            host: &settings.host,
            port: settings.port,
            database: &settings.database,
            user: &settings.user,
            password: password.map(Secret::expose),
            require_tls: settings.require_tls,
        };
        Ok(TeamConfig::from_parts(&parts, std::env::var_os(team::ENV_CA_FILE).map(Into::into))?)
    }

    /// The saved team database with its password, if one is set up.
    fn configured_team(&self) -> Result<Option<TeamConfig>> {
        let Some(settings) = self.team_settings() else { return Ok(None) };
        let password = lock(&self.accounts).secret(PASSWORD_KEY);
        self.team_config(&settings, password.as_ref()).map(Some)
    }

    /// Checks the form field by field, connects (which sets the schema up),
    /// and only then saves it; the password goes to the credential store.
    pub async fn save_team(&self, form: TeamForm) -> Result<TeamStatus> {
        let field = |name: &'static str, value: &str| -> Result<String> {
            let value = value.trim();
            if value.is_empty() || value.chars().any(char::is_whitespace) {
                return Err(AppError::TeamField { field: name });
            }
            Ok(value.to_owned())
        };
        let typed_settings = || -> Result<TeamSettings> {
            Ok(TeamSettings {
                host: field("host", &form.host)?,
                port: form.port.unwrap_or(5432),
                database: field("database", &form.database)?,
                user: field("user", &form.user)?,
                require_tls: form.require_tls,
            })
        };
        // Locked by policy: its database, whatever the form says; only the
        // password is the admin's.
        let locked = crate::policy::current().policy.locked;
        let settings = match from_policy(true).filter(|_| locked) {
            Some(fixed) => fixed,
            None => typed_settings()?,
        };
        let typed = form.password.filter(|p| !p.is_empty()).map(Secret::new);
        let moved = self
            .team_settings()
            .is_some_and(|old| (old.host.as_str(), old.port) != (settings.host.as_str(), settings.port));
        if moved && typed.is_none() && lock(&self.accounts).secret(PASSWORD_KEY).is_some() {
            return Err(AppError::TeamPasswordAgain);
        }
        let password = typed.clone().or_else(|| lock(&self.accounts).secret(PASSWORD_KEY));
        let config = self.team_config(&settings, password.as_ref())?;
        config.connect().await?;
        let json = serde_json::to_vec_pretty(&settings).map_err(std::io::Error::other);
        let path = self.team_file();
        json.and_then(|json| crate::files::write_replacing(&path, &json))
            .map_err(|source| AppError::Settings { path, source })?;
        if let Some(password) = typed {
            lock(&self.accounts).keep(PASSWORD_KEY, password);
        }
        self.log.write(&format!("team history set: {} / {}", settings.host, settings.database));
        self.team_status()
    }

    /// Stops pushing: the setting and its password go; the records already
    /// on the server stay there, and the local history is untouched.
    pub fn forget_team(&self) -> Result<()> {
        match std::fs::remove_file(self.team_file()) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                return Err(AppError::Settings { path: self.team_file(), source: error });
            }
            _ => {}
        }
        lock(&self.accounts).forget(PASSWORD_KEY);
        self.log.write("team history setting removed");
        Ok(())
    }

    pub fn team_status(&self) -> Result<TeamStatus> {
        let outbox = lock(&self.history).outbox()?;
        Ok(TeamStatus {
            settings: self.team_settings(),
            waiting: outbox.waiting,
            last_push_at: outbox.last_push_at,
            last_error: outbox.last_error,
            computer: team::computer_name(),
            fixed_by_policy: self.team_policy(),
        })
    }

    /// Pushes what waits, when a team database is set up (None when not).
    /// Uses its own connection to the history file, so the window's
    /// history stays free while the network is slow.
    pub async fn push_team(&self) -> Result<Option<Pushed>> {
        let Some(config) = self.configured_team()? else { return Ok(None) };
        let mut history = History::open(&self.data_dir)?;
        if let Some(key) = &self.installation_key {
            history.sign_with(key.clone(), true)?;
        }
        let history = std::sync::Mutex::new(history);
        let pushed = team::push_waiting(&config, &history).await;
        if let Err(error) = &pushed {
            self.log.write(&format!("team push failed: {error}"));
        }
        Ok(Some(pushed?))
    }

    /// Pushes every `every`, and at once when records were made, for as
    /// long as the app runs (the desktop starts it). Failures are in the
    /// outbox and the support log; the records wait for the next round.
    pub async fn push_team_forever(&self, every: std::time::Duration) {
        loop {
            let _ = self.push_team().await;
            let _ = tokio::time::timeout(every, self.team_wake.notified()).await;
        }
    }

    /// Records were made: push them soon.
    pub fn wake_team_push(&self) {
        self.team_wake.notify_one();
    }

    async fn team(&self) -> Result<team::Team> {
        let config = self.configured_team()?.ok_or(AppError::TeamNotSet)?;
        Ok(config.connect().await?)
    }

    pub async fn team_page(&self, filter: &TeamFilter, before: Option<&Cursor>) -> Result<Vec<TeamRecord>> {
        Ok(self.team().await?.page(filter, before, 50).await?)
    }

    /// The computers, operators and accounts of the team history, for the filters.
    pub async fn team_names(&self) -> Result<team::TeamNames> {
        Ok(self.team().await?.names().await?)
    }

    /// Every installation's chain on the team database, checked again.
    pub async fn verify_team(&self) -> Result<team::TeamVerification> {
        let team = self.team().await?;
        let mut report = team.verify().await?;
        // Its own connection to the history, as the push: the window's stays free.
        let history = std::sync::Mutex::new(History::open(&self.data_dir)?);
        report.local = Some(team.compare_local(&history).await?);
        Ok(report)
    }

    /// The team CSV of `filter` into `path` (written beside, then moved in).
    pub async fn export_team(&self, filter: &TeamFilter, path: &Path) -> Result<u64> {
        let mut team = self.team().await?;
        let save_error = |source| AppError::SaveFile { path: path.to_owned(), source };
        let mut partial = crate::files::Partial::create(path).map_err(save_error)?;
        let written = team.export_csv(filter, partial.file()).await?;
        partial.commit().map_err(save_error)?;
        Ok(written)
    }
}
