//! The accounts and token servers on disk, with their secrets in the vault:
//! adding, editing, removing, and resolving an account into one ready to call.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use serde::Serialize;

use crate::wechat::token_server;
use crate::wechat::{Account, AppId, Credentials, Field, InputError, Method, Route, Secret, TokenAt};

use super::*;

/// Where each kind of secret is kept in the vault.
fn server_key(id: &str) -> String {
    format!("server:{id}")
}

fn proxy_key(id: &str) -> String {
    format!("{id}:proxy")
}

pub struct AccountStore {
    file: PathBuf,
    servers_file: PathBuf,
    accounts: Vec<AccountConfig>,
    servers: Vec<TokenServerConfig>,
    vault: Box<dyn SecretVault>,
    /// Secrets kept for this session because the vault refused them.
    session: HashMap<String, Secret>,
    /// Accounts with their token caches, kept between calls. Under the
    /// store's one lock with the configs, so they never disagree and no
    /// second lock is needed (two locks taken in two orders deadlock).
    live: HashMap<String, Arc<Account>>,
}

/// The id of the token server IT's policy defines (TOKENSERVERURL).
pub const POLICY_SERVER_ID: &str = "policy";

/// The token server of IT's policy, when it names one. Its header, if the
/// server wants one, is each user's: policy carries no secret.
fn policy_server() -> Option<TokenServerConfig> {
    let policy = &crate::policy::current().policy;
    let url = policy.token_server_url.clone()?;
    Some(TokenServerConfig {
        id: POLICY_SERVER_ID.into(),
        name: "IT policy · 策略".into(),
        platform: url.contains("{appid}"),
        url,
        method: if policy.token_server_method.as_deref() == Some("post") { Method::Post } else { Method::Get },
        header_name: policy.token_header_name.clone(),
        token_pointer: policy.token_pointer.clone().unwrap_or_else(|| "/access_token".into()),
        expires_pointer: None,
        stale_param: None,
    })
}

/// IT's proxy for an account's calls: always when policy is locked, else
/// for accounts that chose no route of their own (direct, the default).
pub fn policy_proxy(route: &RouteConfig) -> Option<&'static str> {
    let policy = &crate::policy::current().policy;
    let url = policy.proxy_url.as_deref()?;
    (policy.locked || route.kind == RouteKind::Direct).then_some(url)
}

fn policy_refusal() -> Error {
    Error::SetByPolicy(crate::policy::current().policy.source.clone().unwrap_or_default())
}

/// The servers the admin defined: what the servers file holds.
fn own(servers: &[TokenServerConfig]) -> Vec<TokenServerConfig> {
    servers.iter().filter(|s| s.id != POLICY_SERVER_ID).cloned().collect()
}

impl AccountStore {
    pub fn open(data_dir: &Path, vault: Box<dyn SecretVault>) -> Result<AccountStore, Error> {
        let file = data_dir.join("accounts.json");
        let servers_file = data_dir.join("token_servers.json");
        let accounts = read_list(&file)?;
        let mut servers: Vec<TokenServerConfig> = read_list(&servers_file)?;
        // IT's token server, from policy: offered beside the admin's own, never written.
        servers.retain(|s| s.id != POLICY_SERVER_ID);
        servers.extend(policy_server());
        Ok(AccountStore { file, servers_file, accounts, servers, vault, session: HashMap::new(), live: HashMap::new() })
    }

    pub fn list(&self) -> &[AccountConfig] {
        &self.accounts
    }

    pub fn servers(&self) -> &[TokenServerConfig] {
        &self.servers
    }

    pub fn server(&self, id: &str) -> Option<&TokenServerConfig> {
        self.servers.iter().find(|s| s.id == id)
    }

    /// Where the secret under `key` is.
    fn stored(&self, key: &str) -> SecretStorage {
        if self.session.contains_key(key) {
            SecretStorage::Session
        } else if self.vault.get(key).is_some() {
            SecretStorage::Keyring
        } else {
            SecretStorage::Missing
        }
    }

    pub fn secret(&self, key: &str) -> Option<Secret> {
        self.session.get(key).cloned().or_else(|| self.vault.get(key))
    }

    /// Keeps `secret` in the vault, or for this session when it refuses.
    pub fn keep(&mut self, key: &str, secret: Secret) {
        match self.vault.set(key, &secret) {
            Ok(()) => {
                self.session.remove(key);
            }
            Err(_) => {
                self.session.insert(key.to_owned(), secret);
            }
        }
    }

    /// This installation's signing key (see `history::signing`), from the
    /// credential store, made and kept there the first time. `None` when
    /// the store does not keep it: the key lives nowhere else, never in
    /// the data folder and never for a session only.
    pub fn installation_key(&mut self, installation: &str) -> Option<(crate::history::signing::InstallationKey, bool)> {
        installation_key(self.vault.as_mut(), installation)
    }

    pub fn forget(&mut self, key: &str) {
        self.vault.delete(key);
        self.session.remove(key);
    }

    /// The accounts whose tokens come from the token server `id`.
    pub fn on_server<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a AccountConfig> + 'a {
        self.accounts.iter().filter(move |a| a.server.as_deref() == Some(id))
    }

    /// Where a token server's header value is (`None`: it has no header).
    pub fn server_storage(&self, id: &str) -> Option<SecretStorage> {
        let server = self.server(id)?;
        server.header_name.as_ref().map(|_| self.stored(&server_key(id)))
    }

    /// Validates and saves a token server; returns it and where its header
    /// value went (if it has one).
    pub fn save_server(
        &mut self,
        input: TokenServerInput,
    ) -> Result<(TokenServerConfig, Option<SecretStorage>), Error> {
        if input.id.as_deref() == Some(POLICY_SERVER_ID) {
            return self.keep_policy_header(input.header_value);
        }
        let name = input.name.trim().to_owned();
        if name.is_empty() {
            return Err(Error::NameEmpty);
        }
        let id = input.id.clone().filter(|id| self.server(id).is_some()).unwrap_or_else(|| new_id("srv"));
        if self.servers.iter().any(|s| s.name == name && s.id != id) {
            return Err(Error::NameTaken(name));
        }
        let url = input.url.trim().to_owned();
        token_server::check_server_url(&url).map_err(Error::BadServerUrl)?;
        let token_pointer = TokenAt::parse(input.token_pointer.as_deref().unwrap_or("")).map_err(Error::BadPointer)?;
        let expires_pointer = optional(input.expires_pointer);
        if let Some(pointer) = &expires_pointer
            && !pointer.starts_with('/')
        {
            return Err(Error::BadPointer(format!("{pointer:?} (expiry) must start with /")));
        }
        let header_name = optional(input.header_name);
        if let Some(name) = &header_name
            && !token_server::is_header_name(name)
        {
            return Err(Error::BadHeaderName(name.clone()));
        }
        let header_value = optional(input.header_value).map(Secret::new);
        let key = server_key(&id);
        if header_name.is_some() && header_value.is_none() && self.stored(&key) == SecretStorage::Missing {
            return Err(InputError::Empty(Field::HeaderValue).into());
        }
        let moved = self.server(&id).is_some_and(|old| token_server::host_of(&old.url) != token_server::host_of(&url));
        if header_name.is_some() && header_value.is_none() && moved {
            return Err(Error::SecretForNewPlace(Field::HeaderValue));
        }
        let config = TokenServerConfig {
            id: id.clone(),
            name,
            url,
            method: input.method,
            header_name,
            token_pointer: token_pointer.as_str().to_owned(),
            expires_pointer,
            stale_param: optional(input.stale_param),
            platform: input.platform,
        };
        let mut servers = self.servers.clone();
        match servers.iter_mut().find(|s| s.id == id) {
            Some(existing) => *existing = config.clone(),
            None => servers.push(config.clone()),
        }
        write_list(&self.servers_file, &own(&servers))?;
        self.servers = servers;
        match (&config.header_name, header_value) {
            (None, _) => self.forget(&key),
            (Some(_), Some(value)) => self.keep(&key, value),
            (Some(_), None) => {}
        }
        // Every account on the server gets fresh tokens from its new settings.
        let on_it: Vec<String> = self.on_server(&id).map(|a| a.id.clone()).collect();
        for account in on_it {
            self.live.remove(&account);
        }
        let storage = config.header_name.as_ref().map(|_| self.stored(&key));
        Ok((config, storage))
    }

    /// The one thing a user gives for IT's token server: its header's value.
    fn keep_policy_header(
        &mut self,
        value: Option<String>,
    ) -> Result<(TokenServerConfig, Option<SecretStorage>), Error> {
        let config = self.server(POLICY_SERVER_ID).cloned().ok_or_else(policy_refusal)?;
        if config.header_name.is_none() {
            return Err(policy_refusal());
        }
        let value = optional(value).map(Secret::new).ok_or(InputError::Empty(Field::HeaderValue))?;
        let key = server_key(POLICY_SERVER_ID);
        self.keep(&key, value);
        let on_it: Vec<String> = self.on_server(POLICY_SERVER_ID).map(|a| a.id.clone()).collect();
        for account in on_it {
            self.live.remove(&account);
        }
        let storage = Some(self.stored(&key));
        Ok((config, storage))
    }

    pub fn remove_server(&mut self, id: &str) -> Result<(), Error> {
        if id == POLICY_SERVER_ID {
            return Err(policy_refusal());
        }
        let server = self.server(id).ok_or_else(|| Error::NotFound(id.to_owned()))?;
        let users: Vec<&str> = self.on_server(id).map(|a| a.name.as_str()).collect();
        if !users.is_empty() {
            return Err(Error::ServerInUse(server.name.clone(), users.join(", ")));
        }
        let servers: Vec<TokenServerConfig> = self.servers.iter().filter(|s| s.id != id).cloned().collect();
        write_list(&self.servers_file, &own(&servers))?;
        self.servers = servers;
        self.forget(&server_key(id));
        Ok(())
    }

    /// Adds one account per AppID in `appids` (one per line, or separated by
    /// commas or spaces) on the token server `server`, named "server · AppID".
    /// Every line is checked before any account is added.
    pub fn add_on_server(&mut self, server: &str, serves: Serves, appids: &str) -> Result<Added, Error> {
        let server = self.server(server).ok_or(Error::NoServer)?.clone();
        let mut parsed = Vec::new();
        for (number, line) in appids.lines().enumerate() {
            for text in line.split([',', ' ', '\t', ';']).map(str::trim).filter(|t| !t.is_empty()) {
                let appid =
                    AppId::parse(text).map_err(|_| Error::BadAppIdLine { line: number + 1, text: text.to_owned() })?;
                if !parsed.contains(&appid) {
                    parsed.push(appid);
                }
            }
        }
        if parsed.is_empty() {
            return Err(InputError::Empty(Field::AccountAppid).into());
        }
        let mut added = Vec::new();
        let mut skipped = Vec::new();
        for appid in parsed {
            let exists = self.on_server(&server.id).any(|a| a.appid.as_deref() == Some(appid.as_str()));
            if exists {
                skipped.push(appid.as_str().to_owned());
                continue;
            }
            let input = AccountInput {
                id: None,
                name: format!("{} · {}", server.name, appid.as_str()),
                kind: AccountKind::TokenServer,
                appid: Some(appid.as_str().to_owned()),
                secret: None,
                token_expires_at: None,
                server: Some(server.id.clone()),
                serves: Some(serves),
                route: RouteKind::Direct,
                route_url: None,
                proxy_user: None,
                proxy_password: None,
            };
            added.push(self.save(input)?.0);
        }
        Ok(Added { added, skipped })
    }

    pub fn get(&self, id: &str) -> Option<&AccountConfig> {
        self.accounts.iter().find(|a| a.id == id)
    }

    /// Where the account's secret is: its AppSecret or token, or for a
    /// token server account the server's header value (`None`: it has none).
    pub fn storage(&self, id: &str) -> Option<SecretStorage> {
        let config = self.get(id)?;
        match config.kind {
            AccountKind::TokenServer => self.server_storage(config.server.as_deref()?),
            _ => Some(self.stored(id)),
        }
    }

    /// Validates and saves an account; returns it and where its secret went.
    pub fn save(&mut self, input: AccountInput) -> Result<(AccountConfig, Option<SecretStorage>), Error> {
        let name = input.name.trim().to_owned();
        if name.is_empty() {
            return Err(Error::NameEmpty);
        }
        let id = input.id.clone().filter(|id| self.get(id).is_some()).unwrap_or_else(|| new_id("acc"));
        if self.accounts.iter().any(|a| a.name == name && a.id != id) {
            return Err(Error::NameTaken(name));
        }
        let typed_appid = input.appid.as_deref().map(str::trim).filter(|a| !a.is_empty());
        let (server, serves) = match input.kind {
            AccountKind::TokenServer => {
                let server = input.server.as_deref().and_then(|s| self.server(s)).ok_or(Error::NoServer)?;
                (Some(server.clone()), Some(input.serves.ok_or(Error::ServesMissing)?))
            }
            _ => (None, None),
        };
        let appid = match (input.kind, &server) {
            (AccountKind::AccessToken, _) => None,
            // A server without {appid} serves one account: the AppID is optional.
            (AccountKind::TokenServer, Some(server)) if !server.needs_appid() && typed_appid.is_none() => None,
            _ => Some(AppId::parse_for(Field::AccountAppid, typed_appid.unwrap_or(""))?.as_str().to_owned()),
        };
        let route = RouteConfig {
            kind: input.route,
            url: optional(input.route_url.clone()),
            proxy_user: optional(input.proxy_user.clone()),
        };
        let proxy_password = optional(input.proxy_password.clone()).map(Secret::new);
        // Checked now, so a bad URL is refused with the form, not at a call.
        route_of(&route, None)?;
        let proxy_moved = self.get(&id).is_some_and(|old| {
            old.route.kind == RouteKind::Proxy
                && old.route.url.as_deref().map(token_server::host_of)
                    != route.url.as_deref().map(token_server::host_of)
        });
        if route.kind == RouteKind::Proxy
            && route.proxy_user.is_some()
            && proxy_password.is_none()
            && proxy_moved
            && self.secret(&proxy_key(&id)).is_some()
        {
            return Err(Error::SecretForNewPlace(Field::ProxyPassword));
        }
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
        // A secret kept for another kind (a token, say) is not this kind's.
        let kind_changed = self.get(&id).is_some_and(|a| a.kind != input.kind);
        let missing = kind_changed || self.stored(&id) == SecretStorage::Missing;
        if input.kind != AccountKind::TokenServer && secret.is_none() && missing {
            return Err(InputError::Empty(field).into());
        }
        let config = AccountConfig {
            id: id.clone(),
            name,
            kind: input.kind,
            appid,
            token_expires_at,
            server: server.map(|s| s.id),
            serves,
            route,
        };
        let mut accounts = self.accounts.clone();
        match accounts.iter_mut().find(|a| a.id == id) {
            Some(existing) => *existing = config.clone(),
            None => accounts.push(config.clone()),
        }
        self.write(&accounts)?;
        self.accounts = accounts;
        // New credentials mean a new token cache.
        self.live.remove(&id);
        match (config.kind, secret) {
            (AccountKind::TokenServer, _) => self.forget(&id),
            (_, Some(secret)) => self.keep(&id, secret),
            (_, None) => {}
        }
        match (config.route.kind, proxy_password) {
            (RouteKind::Proxy, Some(password)) => self.keep(&proxy_key(&id), password),
            (RouteKind::Proxy, None) if config.route.proxy_user.is_some() => {}
            _ => self.forget(&proxy_key(&id)),
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
        self.forget(id);
        self.forget(&proxy_key(id));
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
        let secret = || self.secret(id).ok_or_else(|| Error::SecretMissing(config.name.clone()));
        let appid = || AppId::parse_for(Field::AccountAppid, config.appid.as_deref().unwrap_or(""));
        let credentials = match config.kind {
            AccountKind::TokenServer => {
                let server = config.server.as_deref().and_then(|s| self.server(s)).ok_or(Error::NoServer)?;
                let header = match &server.header_name {
                    Some(_) => Some(
                        self.secret(&server_key(&server.id))
                            .ok_or_else(|| Error::SecretMissing(server.name.clone()))?,
                    ),
                    None => None,
                };
                let appid = config.appid.as_ref().map(|_| appid()).transpose()?;
                Credentials::TokenServer { server: server.for_account(appid.as_ref(), header), appid }
            }
            AccountKind::AccessToken => Credentials::AccessToken {
                token: secret()?,
                expires_at: config
                    .token_expires_at
                    .as_deref()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .map(SystemTime::from),
            },
            AccountKind::MiniProgram | AccountKind::ServiceAccount => {
                Credentials::AppSecret { appid: appid()?, secret: secret()? }
            }
        };
        let password = self.secret(&proxy_key(id));
        let route = match policy_proxy(&config.route) {
            // IT's proxy (its user in the URL, the password the account's own).
            Some(url) => match Route::proxy_from_url(url)? {
                Route::Proxy { url, user, .. } => Route::Proxy { url, user, password },
                other => other,
            },
            None => route_of(&config.route, password)?,
        };
        let caller = config.caller(&self.servers);
        Ok((config, Account::new(credentials).with_route(route).with_caller(caller)))
    }

    fn write(&self, accounts: &[AccountConfig]) -> Result<(), Error> {
        write_list(&self.file, accounts)
    }
}

fn optional(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

fn read_list<T: serde::de::DeserializeOwned>(file: &Path) -> Result<Vec<T>, Error> {
    match std::fs::read(file) {
        Ok(bytes) => {
            serde_json::from_slice(&bytes).map_err(|e| Error::File { path: file.into(), error: e.to_string() })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Error::File { path: file.into(), error: e.to_string() }),
    }
}

fn write_list<T: Serialize>(file: &Path, list: &[T]) -> Result<(), Error> {
    let failed = |e: std::io::Error| Error::File { path: file.into(), error: e.to_string() };
    let json = serde_json::to_vec_pretty(list).map_err(std::io::Error::other).map_err(failed)?;
    crate::files::write_replacing(file, &json).map_err(failed)
}

fn new_id(kind: &str) -> String {
    format!("{kind}-{:016x}", rand::random::<u64>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wechat::token_server::ServerUrlError;
    use crate::wechat::{Caller, Method};

    fn input(name: &str, kind: AccountKind, appid: Option<&str>, secret: Option<&str>) -> AccountInput {
        AccountInput {
            id: None,
            name: name.into(),
            kind,
            appid: appid.map(Into::into),
            secret: secret.map(Into::into),
            token_expires_at: None,
            server: None,
            serves: None,
            route: RouteKind::Direct,
            route_url: None,
            proxy_user: None,
            proxy_password: None,
        }
    }

    #[test]
    fn secrets_never_reach_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = AccountStore::open(dir.path(), Box::new(MemoryVault::default())).unwrap();
        let (config, storage) = store
            .save(input("Shop", AccountKind::MiniProgram, Some("wx1234567890abcdef"), Some("TESTSECRET-unit")))
            .unwrap();
        assert_eq!(storage, Some(SecretStorage::Session));
        let file = std::fs::read_to_string(dir.path().join("accounts.json")).unwrap();
        assert!(file.contains("Shop") && !file.contains("TESTSECRET"));
        assert!(store.account(&config.id).is_ok());
        // Reopened (a new session): the name survives, the secret does not.
        let store = AccountStore::open(dir.path(), Box::new(MemoryVault::default())).unwrap();
        assert_eq!(store.storage(&config.id), Some(SecretStorage::Missing));
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
        let (token, _) = store.save(input("A", AccountKind::AccessToken, None, Some("tok"))).unwrap();
        let e = store.save(input("A", AccountKind::AccessToken, None, Some("tok"))).unwrap_err();
        assert!(matches!(e, Error::NameTaken(_)));
        // Turned into an AppSecret account, the old token is not taken as its secret.
        let edit = AccountInput {
            id: Some(token.id),
            ..input("A", AccountKind::MiniProgram, Some("wx1234567890abcdef"), None)
        };
        let e = store.save(edit).unwrap_err();
        assert!(e.to_string().starts_with("AppSecret:"), "{e}");
    }

    fn server(url: &str, header: Option<(&str, &str)>, pointer: &str) -> TokenServerInput {
        TokenServerInput {
            id: None,
            name: "Company".into(),
            url: url.into(),
            method: Method::Get,
            header_name: header.map(|(n, _)| n.into()),
            header_value: header.map(|(_, v)| v.into()),
            token_pointer: Some(pointer.into()),
            expires_pointer: None,
            stale_param: None,
            platform: false,
        }
    }

    #[test]
    fn token_servers_are_checked_and_their_header_kept_apart() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = AccountStore::open(dir.path(), Box::new(MemoryVault::default())).unwrap();
        let mut bad = |input| store.save_server(input).unwrap_err();
        assert!(matches!(bad(server("token.corp/x", None, "")), Error::BadServerUrl(_)));
        assert!(matches!(bad(server("http://t.corp/x", None, "")), Error::BadServerUrl(ServerUrlError::NotTls)));
        let e = bad(server("https://ops:hunter2@t.corp/x", None, ""));
        assert!(matches!(e, Error::BadServerUrl(ServerUrlError::Credentials)) && !e.to_string().contains("hunter2"));
        assert!(matches!(
            bad(server("https://t.corp/?a={appid}", Some(("Bad Name", "v")), "")),
            Error::BadHeaderName(_)
        ));
        assert!(matches!(bad(server("https://t.corp/", None, "data.token")), Error::BadPointer(_)));
        let e = bad(server("https://t.corp/", Some(("Authorization", "")), ""));
        assert!(e.to_string().starts_with("header value:"), "{e}");
        let (saved, storage) = store
            .save_server(server("https://t.corp/?a={appid}", Some(("Authorization", "TESTSECRET-h")), ""))
            .unwrap();
        assert_eq!((saved.token_pointer.as_str(), storage), ("/access_token", Some(SecretStorage::Session)));
        let file = std::fs::read_to_string(dir.path().join("token_servers.json")).unwrap();
        assert!(file.contains("Authorization") && !file.contains("TESTSECRET"), "{file}");
        // The kept header value goes to the host it was given for, not to a new one.
        let mut moved = server("https://t2.corp/?a={appid}", Some(("Authorization", "")), "");
        moved.id = Some(saved.id.clone());
        moved.header_value = None;
        let e = store.save_server(moved.clone()).unwrap_err();
        assert!(matches!(e, Error::SecretForNewPlace(Field::HeaderValue)), "{e}");
        moved.url = "https://t.corp/?a={appid}".into();
        store.save_server(moved).expect("the same host keeps its header value");
        // An account on it: {appid} makes the AppID required; no AppSecret asked.
        let mut on = AccountInput {
            name: "M".into(),
            kind: AccountKind::TokenServer,
            server: Some(saved.id.clone()),
            serves: Some(Serves::MiniProgram),
            ..AccountInput::default()
        };
        let e = store.save(on.clone()).unwrap_err();
        assert!(e.to_string().starts_with("AppID:"), "{e}");
        on.appid = Some("wx1234567890abcdef".into());
        let (account, _) = store.save(on).unwrap();
        let (_, live) = store.account(&account.id).unwrap();
        match live.credentials() {
            Credentials::TokenServer { server, .. } => assert_eq!(server.url, "https://t.corp/?a=wx1234567890abcdef"),
            other => panic!("{other:?}"),
        }
        assert_eq!(live.caller(), Some(Caller::MiniProgram));
    }
}
