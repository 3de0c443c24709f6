//! What the desktop app does, without Tauri: the state behind the
//! commands and each action as a plain method returning [`AppError`].
//! `desktop::commands` adapts these to `#[tauri::command]` and turns errors
//! into the UI's [`Problem`] there, once.

mod cleanup;
mod error;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

pub use cleanup::{BackupContents, BatchForm, Begun, Linked, RestorePreview, SavedVerificationFile};
pub use error::{AppError, Problem};

use crate::accounts::{AccountConfig, AccountInput, AccountKind, AccountStore, SecretStorage, SecretVault};
use crate::history::{self, AnchorReport, Exported, Filter, History, Record, Verification};
use crate::lang::Lang;
use crate::service::{self, ActionOutcome, DeleteRequest, Target};
use crate::sim::{DEMO_MINI_PROGRAM, DEMO_SERVICE_ACCOUNT, DEMO_SERVICE_TARGET, Demo, Simulator};
use crate::sync::lock;
use crate::wechat::{self, Account, AppId, Client, Credentials, Mode, Prefix, Progress, RuleList, Scope, Secret};

/// The id of the built-in demo account.
pub const DEMO_ID: &str = "demo";
/// Its name, in the account list and in the history.
const DEMO_NAME: &str = "演示账号 / Demo";
/// The demo's service-account rules open this Mini Program; the UI fills it in.
pub const DEMO_TARGET_APPID: &str = DEMO_SERVICE_TARGET;

type Result<T> = std::result::Result<T, AppError>;

/// What the app state is built from: given, not read from the environment,
/// so a test can build one on a temporary folder and a simulator.
pub struct AppConfig {
    pub data_dir: PathBuf,
    pub api_base: String,
    pub vault: Box<dyn SecretVault>,
    /// Whether `vault` is a real credential store (else secrets last a session).
    pub keyring_available: bool,
}

impl AppConfig {
    /// The data folder and API base from the environment or the defaults.
    pub fn from_environment(vault: Box<dyn SecretVault>, keyring_available: bool) -> Result<AppConfig> {
        Ok(AppConfig {
            data_dir: crate::config::data_dir()?,
            api_base: crate::config::api_base()?,
            vault,
            keyring_available,
        })
    }
}

/// An account as the UI lists it (never with its secret).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    pub id: String,
    pub name: String,
    pub kind: Option<AccountKind>,
    pub appid: Option<String>,
    pub token_expires_at: Option<String>,
    pub demo: bool,
    pub storage: Option<SecretStorage>,
    /// The modes this account can delete in.
    pub modes: Vec<Mode>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteForm {
    pub account_id: String,
    pub mode: Mode,
    pub prefix: String,
    pub appid: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionReport {
    pub rule_count: usize,
    pub publishes_left: Option<i64>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
struct Settings {
    lang: Option<Lang>,
}

/// The demo: the in-app simulator, its client and its two accounts.
struct DemoState {
    _simulator: Simulator,
    client: Client,
    accounts: HashMap<Mode, Arc<Account>>,
}

pub struct AppState {
    data_dir: PathBuf,
    client: Client,
    history: Mutex<History>,
    /// The accounts with their live token caches, under one lock.
    accounts: Mutex<AccountStore>,
    demo: Mutex<Option<DemoState>>,
    keyring_available: bool,
    /// The batches this window is sending, to cancel them.
    cancels: Mutex<HashMap<String, Arc<crate::service::batch::Cancel>>>,
}

impl AppState {
    /// Opens the history and the accounts in the configured data folder.
    /// On a folder that cannot be written, the history opens read-only:
    /// the admin can still review, check and export it.
    pub fn open(config: AppConfig) -> Result<AppState> {
        let history = match History::open(&config.data_dir) {
            Err(history::Error::ReadOnly { .. }) => History::open_read_only(&config.data_dir)?,
            other => other?,
        };
        let accounts = AccountStore::open(&config.data_dir, config.vault)?;
        Ok(AppState {
            client: Client::new(&config.api_base)?.with_shared_throttle(&config.data_dir),
            data_dir: config.data_dir,
            history: Mutex::new(history),
            accounts: Mutex::new(accounts),
            demo: Mutex::new(None),
            keyring_available: config.keyring_available,
            cancels: Mutex::new(HashMap::new()),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn api_base(&self) -> &str {
        self.client.base()
    }

    pub fn keyring_available(&self) -> bool {
        self.keyring_available
    }

    /// Whether attempts can be recorded (else the history is read-only).
    pub fn writable(&self) -> bool {
        lock(&self.history).writable()
    }

    fn settings_file(&self) -> PathBuf {
        self.data_dir.join("settings.json")
    }

    /// The language saved in the app, else the system's.
    pub fn lang(&self, system: &str) -> Lang {
        let settings: Settings =
            std::fs::read(self.settings_file()).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
        settings.lang.unwrap_or_else(|| Lang::from_locale(system))
    }

    pub fn set_lang(&self, lang: Lang) -> Result<()> {
        let path = self.settings_file();
        let json = serde_json::to_vec(&Settings { lang: Some(lang) }).map_err(std::io::Error::other);
        json.and_then(|json| std::fs::write(&path, json)).map_err(|source| AppError::Settings { path, source })
    }

    pub fn list_accounts(&self) -> Vec<AccountView> {
        let store = lock(&self.accounts);
        let mut views: Vec<AccountView> = store.list().iter().map(|a| view(a, store.storage(&a.id))).collect();
        views.push(AccountView {
            id: DEMO_ID.into(),
            name: DEMO_NAME.into(),
            kind: None,
            appid: None,
            token_expires_at: None,
            demo: true,
            storage: None,
            modes: vec![Mode::Ordinary, Mode::ServiceAccount],
        });
        views
    }

    pub fn save_account(&self, input: AccountInput) -> Result<AccountView> {
        let mut store = lock(&self.accounts);
        let (config, storage) = store.save(input)?;
        Ok(view(&config, storage))
    }

    pub fn remove_account(&self, id: &str) -> Result<()> {
        Ok(lock(&self.accounts).remove(id)?)
    }

    /// The account to act with in `mode`: the client, the account with its
    /// token cache and how the history names it.
    pub fn resolve(&self, id: &str, mode: Mode) -> Result<Target> {
        if id == DEMO_ID {
            return self.demo_target(mode);
        }
        let (config, account) = lock(&self.accounts).live(id)?;
        if !modes(config.kind).contains(&mode) {
            return Err(AppError::ModeNotAllowed);
        }
        Ok(Target { client: self.client.clone(), account, account_name: config.name, demo: false })
    }

    fn demo_target(&self, mode: Mode) -> Result<Target> {
        let mut demo = lock(&self.demo);
        let demo = match &mut *demo {
            Some(demo) => demo,
            empty => {
                let simulator = Simulator::start().map_err(AppError::Demo)?;
                Demo::seed(&simulator);
                let client = Client::new(&simulator.base_url())?;
                empty.insert(DemoState { _simulator: simulator, client, accounts: HashMap::new() })
            }
        };
        let account = match demo.accounts.get(&mode) {
            Some(account) => account.clone(),
            None => {
                let (appid, secret) = if mode == Mode::Ordinary { DEMO_MINI_PROGRAM } else { DEMO_SERVICE_ACCOUNT };
                let credentials = Credentials::AppSecret { appid: AppId::parse(appid)?, secret: Secret::new(secret) };
                demo.accounts.entry(mode).or_insert_with(|| Arc::new(Account::new(credentials))).clone()
            }
        };
        Ok(Target { client: demo.client.clone(), account, account_name: DEMO_NAME.into(), demo: true })
    }

    /// Checks the form the way the delete will, for validation as the admin types.
    pub fn validate(&self, form: &DeleteForm) -> Vec<AppError> {
        let mut problems = Vec::new();
        if let Err(e) = Prefix::parse(&form.prefix) {
            problems.push(e.into());
        }
        if let Err(e) = scope(form) {
            problems.push(e.into());
        }
        problems
    }

    pub async fn test_account(&self, id: &str, lang: Lang) -> Result<ConnectionReport> {
        let kind = lock(&self.accounts).get(id).map(|a| a.kind);
        let mode = if kind == Some(AccountKind::ServiceAccount) { Mode::ServiceAccount } else { Mode::Ordinary };
        let target = self.resolve(id, mode)?;
        target.client.access_token(&target.account).await?;
        if mode == Mode::ServiceAccount {
            // The rule list needs a Mini Program's AppID; the token is enough proof.
            return Ok(ConnectionReport {
                rule_count: 0,
                publishes_left: None,
                message: lang
                    .pick(
                        "连接正常：已取得服务号的访问令牌。",
                        "Connection works: the service account's access token was fetched.",
                    )
                    .into(),
            });
        }
        let list = target.client.all_jump_qrcodes(&target.account, &Scope::Ordinary).await?;
        let count = list.rule_list.len();
        let message = match (lang, list.qrcodejump_pub_quota) {
            (Lang::ZhCn, Some(q)) => format!("连接正常：共有 {count} 条二维码规则，本月还可发布 {q} 次。"),
            (Lang::ZhCn, None) => format!("连接正常：共有 {count} 条二维码规则。"),
            (Lang::En, Some(q)) => {
                format!("Connection works: {count} QR code rule(s); {q} publish(es) left this month.")
            }
            (Lang::En, None) => format!("Connection works: {count} QR code rule(s)."),
        };
        Ok(ConnectionReport { rule_count: count, publishes_left: list.qrcodejump_pub_quota, message })
    }

    /// The rules of the form's account and mode, telling `progress` after
    /// each page (a service account's list may run to 100,000 rules).
    pub async fn list_rules(&self, form: &DeleteForm, progress: impl FnMut(Progress)) -> Result<RuleList> {
        let scope = scope(form)?;
        let target = self.resolve(&form.account_id, form.mode)?;
        Ok(target.client.all_jump_qrcodes_with(&target.account, &scope, progress).await?)
    }

    pub async fn delete(&self, form: &DeleteForm, lang: Lang) -> Result<ActionOutcome> {
        // Every field is checked before anything is sent or recorded.
        let prefix = Prefix::parse(&form.prefix)?;
        let scope = scope(form)?;
        let target = self.resolve(&form.account_id, form.mode)?;
        let request = DeleteRequest { prefix, scope, batch_id: None };
        Ok(service::delete_rule(&target, &self.history, &request, lang).await?)
    }

    pub fn history_page(&self, filter: &Filter, before: Option<i64>) -> Result<Vec<Record>> {
        Ok(lock(&self.history).page(filter, before, 50)?)
    }

    pub fn history_record(&self, id: i64) -> Result<Option<Record>> {
        Ok(lock(&self.history).get(id)?)
    }

    pub fn history_accounts(&self) -> Result<Vec<String>> {
        Ok(lock(&self.history).account_names()?)
    }

    /// Writes the CSV of `filter` to `path` and its manifest beside it.
    pub fn export(&self, filter: &Filter, path: &Path) -> Result<Exported> {
        Ok(lock(&self.history).export_with_manifest(filter, path)?)
    }

    pub fn verify(&self) -> Result<Verification> {
        Ok(lock(&self.history).verify()?)
    }

    /// Checks the history against the manifest of an earlier export.
    pub fn verify_against(&self, manifest: &Path) -> Result<AnchorReport> {
        Ok(lock(&self.history).verify_against(manifest)?)
    }
}

fn scope(form: &DeleteForm) -> std::result::Result<Scope, wechat::InputError> {
    Scope::from_input(form.mode, form.appid.as_deref())
}

/// The modes an account of `kind` can delete in (a given token may be
/// either a Mini Program's or a service account's).
fn modes(kind: AccountKind) -> Vec<Mode> {
    match kind {
        AccountKind::MiniProgram => vec![Mode::Ordinary],
        AccountKind::ServiceAccount => vec![Mode::ServiceAccount],
        AccountKind::AccessToken => vec![Mode::Ordinary, Mode::ServiceAccount],
    }
}

fn view(config: &AccountConfig, storage: SecretStorage) -> AccountView {
    AccountView {
        id: config.id.clone(),
        name: config.name.clone(),
        kind: Some(config.kind),
        appid: config.appid.clone(),
        token_expires_at: config.token_expires_at.clone(),
        demo: false,
        storage: Some(storage),
        modes: modes(config.kind),
    }
}
