//! The admin's accounts: names, kinds and AppIDs in `accounts.json`; the
//! AppSecret or token in the OS credential store, or, where there is none,
//! in memory for this session only. Never in a file we write.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::wechat::{Account, AppId, Credentials, Field, InputError, Secret};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// AppID + AppSecret of a Mini Program: ordinary-QR mode.
    MiniProgram,
    /// AppID + AppSecret of a verified service account: service-account mode.
    ServiceAccount,
    /// An access token pasted in (e.g. a third party's authorizer_access_token).
    AccessToken,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountConfig {
    pub id: String,
    pub name: String,
    pub kind: AccountKind,
    /// For the two AppSecret kinds.
    pub appid: Option<String>,
    /// For a given token: when it stops working (RFC 3339), if known.
    pub token_expires_at: Option<String>,
}

/// Where an account's secret is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretStorage {
    Keyring,
    /// No credential store: kept until the app closes.
    Session,
    /// Not known in this session (store unavailable after a restart).
    Missing,
}

/// Where secrets go. The real one is the OS credential store; tests and
/// machines without one use memory only.
pub trait SecretVault: Send {
    fn set(&mut self, id: &str, secret: &Secret) -> Result<(), String>;
    fn get(&self, id: &str) -> Option<Secret>;
    fn delete(&mut self, id: &str);
}

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
    #[error("accounts file {path}: {error}")]
    File { path: PathBuf, error: String },
}

/// A new or edited account as the form sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountInput {
    pub id: Option<String>,
    pub name: String,
    pub kind: AccountKind,
    pub appid: Option<String>,
    /// Empty when editing means "keep the stored one".
    pub secret: Option<String>,
    pub token_expires_at: Option<String>,
}

pub struct AccountStore {
    file: PathBuf,
    accounts: Vec<AccountConfig>,
    vault: Box<dyn SecretVault>,
    /// Secrets kept for this session because the vault refused them.
    session: HashMap<String, Secret>,
    /// Accounts with their token caches, kept between calls. Under the
    /// store's one lock with the configs, so they never disagree and no
    /// second lock is needed (two locks taken in two orders deadlock).
    live: HashMap<String, Arc<Account>>,
}

impl AccountStore {
    pub fn open(data_dir: &Path, vault: Box<dyn SecretVault>) -> Result<AccountStore, Error> {
        let file = data_dir.join("accounts.json");
        let accounts = match std::fs::read(&file) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map_err(|e| Error::File { path: file.clone(), error: e.to_string() })?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(Error::File { path: file, error: e.to_string() }),
        };
        Ok(AccountStore { file, accounts, vault, session: HashMap::new(), live: HashMap::new() })
    }

    pub fn list(&self) -> &[AccountConfig] {
        &self.accounts
    }

    pub fn get(&self, id: &str) -> Option<&AccountConfig> {
        self.accounts.iter().find(|a| a.id == id)
    }

    pub fn storage(&self, id: &str) -> SecretStorage {
        if self.session.contains_key(id) {
            SecretStorage::Session
        } else if self.vault.get(id).is_some() {
            SecretStorage::Keyring
        } else {
            SecretStorage::Missing
        }
    }

    /// Validates and saves an account; returns it and where its secret went.
    pub fn save(&mut self, input: AccountInput) -> Result<(AccountConfig, SecretStorage), Error> {
        let name = input.name.trim().to_owned();
        if name.is_empty() {
            return Err(Error::NameEmpty);
        }
        let id = input.id.clone().filter(|id| self.get(id).is_some()).unwrap_or_else(new_id);
        if self.accounts.iter().any(|a| a.name == name && a.id != id) {
            return Err(Error::NameTaken(name));
        }
        let appid = match input.kind {
            AccountKind::AccessToken => None,
            _ => Some(AppId::parse_for(Field::AccountAppid, input.appid.as_deref().unwrap_or(""))?.as_str().to_owned()),
        };
        let token_expires_at =
            match (input.kind, input.token_expires_at.as_deref().map(str::trim).filter(|t| !t.is_empty())) {
                (AccountKind::AccessToken, Some(text)) => Some(
                    chrono::DateTime::parse_from_rfc3339(text)
                        .map_err(|_| Error::BadExpiry(text.to_owned()))?
                        .with_timezone(&chrono::Utc)
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                ),
                _ => None,
            };
        let secret = input.secret.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(Secret::new);
        let field = if input.kind == AccountKind::AccessToken { Field::AccessToken } else { Field::AppSecret };
        let is_new = self.get(&id).is_none();
        if secret.is_none() && (is_new || self.storage(&id) == SecretStorage::Missing) {
            return Err(InputError::Empty(field).into());
        }
        let config = AccountConfig { id: id.clone(), name, kind: input.kind, appid, token_expires_at };
        let mut accounts = self.accounts.clone();
        match accounts.iter_mut().find(|a| a.id == id) {
            Some(existing) => *existing = config.clone(),
            None => accounts.push(config.clone()),
        }
        self.write(&accounts)?;
        self.accounts = accounts;
        // New credentials mean a new token cache.
        self.live.remove(&id);
        if let Some(secret) = secret {
            match self.vault.set(&id, &secret) {
                Ok(()) => {
                    self.session.remove(&id);
                }
                Err(_) => {
                    self.session.insert(id.clone(), secret);
                }
            }
        }
        let storage = self.storage(&id);
        Ok((config, storage))
    }

    pub fn remove(&mut self, id: &str) -> Result<(), Error> {
        let accounts: Vec<AccountConfig> = self.accounts.iter().filter(|a| a.id != id).cloned().collect();
        if accounts.len() == self.accounts.len() {
            return Err(Error::NotFound(id.to_owned()));
        }
        self.write(&accounts)?;
        self.accounts = accounts;
        self.vault.delete(id);
        self.session.remove(id);
        self.live.remove(id);
        Ok(())
    }

    /// The account ready to call WeChat with, sharing its token cache with
    /// earlier calls.
    pub fn live(&mut self, id: &str) -> Result<(AccountConfig, Arc<Account>), Error> {
        let config = self.get(id).ok_or_else(|| Error::NotFound(id.to_owned()))?.clone();
        if let Some(account) = self.live.get(id) {
            return Ok((config, account.clone()));
        }
        let (config, account) = self.account(id)?;
        let account = Arc::new(account);
        self.live.insert(id.to_owned(), account.clone());
        Ok((config, account))
    }

    /// The account ready to call WeChat with.
    pub fn account(&self, id: &str) -> Result<(AccountConfig, Account), Error> {
        let config = self.get(id).ok_or_else(|| Error::NotFound(id.to_owned()))?.clone();
        let secret = self
            .session
            .get(id)
            .cloned()
            .or_else(|| self.vault.get(id))
            .ok_or_else(|| Error::SecretMissing(config.name.clone()))?;
        let credentials = match config.kind {
            AccountKind::AccessToken => Credentials::AccessToken {
                token: secret,
                expires_at: config
                    .token_expires_at
                    .as_deref()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .map(SystemTime::from),
            },
            _ => Credentials::AppSecret {
                appid: AppId::parse_for(Field::AccountAppid, config.appid.as_deref().unwrap_or(""))?,
                secret,
            },
        };
        Ok((config, Account::new(credentials)))
    }

    fn write(&self, accounts: &[AccountConfig]) -> Result<(), Error> {
        let failed = |e: std::io::Error| Error::File { path: self.file.clone(), error: e.to_string() };
        let json = serde_json::to_vec_pretty(accounts)
            .map_err(|e| Error::File { path: self.file.clone(), error: e.to_string() })?;
        // Write-then-rename: a crash never leaves a half-written file.
        let temporary = self.file.with_extension("json.tmp");
        std::fs::write(&temporary, json).map_err(failed)?;
        std::fs::rename(&temporary, &self.file).map_err(failed)
    }
}

fn new_id() -> String {
    format!("acc-{:016x}", rand::random::<u64>())
}

/// Memory only: where no credential store is available.
#[derive(Default)]
pub struct MemoryVault(HashMap<String, Secret>);

impl SecretVault for MemoryVault {
    fn set(&mut self, _: &str, _: &Secret) -> Result<(), String> {
        // Refusing sends the secret to the session map, which the UI
        // reports as "kept for this session only".
        Err("no credential store".into())
    }
    fn get(&self, id: &str) -> Option<Secret> {
        self.0.get(id).cloned()
    }
    fn delete(&mut self, id: &str) {
        self.0.remove(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, kind: AccountKind, appid: Option<&str>, secret: Option<&str>) -> AccountInput {
        AccountInput {
            id: None,
            name: name.into(),
            kind,
            appid: appid.map(Into::into),
            secret: secret.map(Into::into),
            token_expires_at: None,
        }
    }

    #[test]
    fn secrets_never_reach_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = AccountStore::open(dir.path(), Box::new(MemoryVault::default())).unwrap();
        let (config, storage) = store
            .save(input("Shop", AccountKind::MiniProgram, Some("wx1234567890abcdef"), Some("TESTSECRET-unit")))
            .unwrap();
        assert_eq!(storage, SecretStorage::Session);
        let file = std::fs::read_to_string(dir.path().join("accounts.json")).unwrap();
        assert!(file.contains("Shop") && !file.contains("TESTSECRET"));
        assert!(store.account(&config.id).is_ok());
        // Reopened (a new session): the name survives, the secret does not.
        let store = AccountStore::open(dir.path(), Box::new(MemoryVault::default())).unwrap();
        assert_eq!(store.storage(&config.id), SecretStorage::Missing);
        assert!(matches!(store.account(&config.id), Err(Error::SecretMissing(_))));
    }

    #[test]
    fn bad_input_names_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = AccountStore::open(dir.path(), Box::new(MemoryVault::default())).unwrap();
        let e = store.save(input(" ", AccountKind::MiniProgram, Some("wx1234567890abcdef"), Some("s"))).unwrap_err();
        assert!(e.to_string().starts_with("name:"));
        let e = store.save(input("A", AccountKind::MiniProgram, Some("wx1"), Some("s"))).unwrap_err();
        assert!(e.to_string().starts_with("AppID:"), "{e}");
        let e = store.save(input("A", AccountKind::ServiceAccount, Some("wx1234567890abcdef"), None)).unwrap_err();
        assert!(e.to_string().starts_with("AppSecret:"), "{e}");
        let e = store.save(input("A", AccountKind::AccessToken, None, Some(""))).unwrap_err();
        assert!(e.to_string().starts_with("access token:"), "{e}");
        store.save(input("A", AccountKind::AccessToken, None, Some("tok"))).unwrap();
        let e = store.save(input("A", AccountKind::AccessToken, None, Some("tok"))).unwrap_err();
        assert!(matches!(e, Error::NameTaken(_)));
    }
}
