//! What the desktop app does, without Tauri: the state behind the
//! commands and each action as a plain method returning [`AppError`].
//! `desktop::commands` adapts these to `#[tauri::command]` and turns errors
//! into the UI's [`Problem`] there, once.

mod accounts;
mod backups;
mod batch;
mod codes;
mod error;
mod owners;
mod records;
mod restore;
mod rules;
mod support;
mod team;
mod update;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

pub use accounts::{AccountView, ConnectionReport, DEMO_SERVER_ID, ServerRef, ServerView};
use accounts::{DemoAccount, modes};
pub use backups::BackupContents;
pub use batch::{BatchForm, Begun};
pub use codes::{Imported, PrintedView};
pub use error::{AppError, ConnectionStep, Problem};
pub use records::Linked;
pub use restore::{RestorePreview, SavedVerificationFile};
pub use rules::{CheckedPlace, DoctorView, Planned, RuleForm, RuleSetPlan};
pub use team::{TeamForm, TeamSettings, TeamStatus};
pub use update::{UpdateCheck, UpdateInstalled, UpdateSettings};

use crate::accounts::{AccountStore, SecretVault};
use crate::history::{self, AnchorReport, Exported, Filter, History, Record, Verification};
use crate::lang::Lang;
use crate::service::{self, ActionOutcome, DeleteRequest, Target};
use crate::sim::{DEMO_SERVICE_TARGET, Simulator};
use crate::support_log::SupportLog;
use crate::sync::lock;
use crate::wechat::{self, Account, Client, Mode, Prefix, Progress, RuleList, Scope};

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

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteForm {
    pub account_id: String,
    pub mode: Mode,
    pub prefix: String,
    pub appid: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
struct Settings {
    lang: Option<Lang>,
}

const SETTINGS_FILE: &str = "settings.json";

fn saved_lang(file: &Path) -> Option<Lang> {
    let settings: Settings = serde_json::from_slice(&std::fs::read(file).ok()?).ok()?;
    settings.lang
}

/// The demo: the in-app simulator, its client and its accounts.
struct DemoState {
    simulator: Simulator,
    client: Client,
    accounts: HashMap<(DemoAccount, Mode), Arc<Account>>,
}

pub struct AppState {
    data_dir: PathBuf,
    /// What the app did, for IT (never a secret).
    log: Arc<SupportLog>,
    client: Client,
    history: Mutex<History>,
    /// The accounts with their live token caches, under one lock.
    accounts: Mutex<AccountStore>,
    demo: Mutex<Option<DemoState>>,
    keyring_available: bool,
    /// The installation's key from the credential store (none without one):
    /// the push's own connection to the history signs with it too.
    installation_key: Option<crate::history::signing::InstallationKey>,
    /// The batches this window is sending, to cancel them.
    cancels: Mutex<HashMap<String, Arc<crate::service::batch::Cancel>>>,
    /// Each account's printed codes.
    printed: crate::printed::PrintedCodes,
    /// Woken when records were made, so the team push need not wait its turn.
    team_wake: tokio::sync::Notify,
    /// The window's language: what its commands answer in.
    lang: Mutex<Lang>,
    /// The newer version the last check found: the only one the window may install.
    offered_update: Mutex<Option<crate::update::Release>>,
    /// Set to stop the download under way (the dialog's Cancel).
    update_cancel: tokio::sync::watch::Sender<bool>,
}

/// The history's integrity check as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryCheck {
    #[serde(flatten)]
    pub verification: Verification,
    pub signing: crate::history::signing::Signing,
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
        let mut history = history;
        let mut accounts = AccountStore::open(&config.data_dir, config.vault)?;
        // The chain's head is signed with the installation's key, which
        // only a credential store keeps; without one the history is unsigned.
        let mut installation_key = None;
        if config.keyring_available && history.writable() {
            let key = history.installation_id().ok().and_then(|id| accounts.installation_key(&id));
            if let Some((key, existed)) = key {
                history.sign_with(key.clone(), existed)?;
                installation_key = Some(key);
            }
        }
        let settings_file = config.data_dir.join(SETTINGS_FILE);
        let log = Arc::new(SupportLog::open(&config.data_dir));
        log.write(&format!(
            "start qrjump-admin {} on {} {}; history {}",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS,
            std::env::consts::ARCH,
            if history.writable() { "writable" } else { "read-only" },
        ));
        Ok(AppState {
            client: Client::new(&config.api_base)?.with_shared_throttle(&config.data_dir).with_observer(log.clone()),
            log,
            printed: crate::printed::PrintedCodes::new(&config.data_dir),
            data_dir: config.data_dir,
            history: Mutex::new(history),
            accounts: Mutex::new(accounts),
            demo: Mutex::new(None),
            keyring_available: config.keyring_available,
            installation_key,
            cancels: Mutex::new(HashMap::new()),
            team_wake: tokio::sync::Notify::new(),
            lang: Mutex::new(
                saved_lang(&settings_file)
                    .unwrap_or_else(|| Lang::from_locale(&sys_locale::get_locale().unwrap_or_default())),
            ),
            offered_update: Mutex::new(None),
            update_cancel: tokio::sync::watch::Sender::new(false),
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

    /// Refuses an action that would record, when the history cannot be written.
    fn require_writable(&self) -> Result<()> {
        if self.writable() { Ok(()) } else { Err(history::Error::ReadOnly { dir: self.data_dir.clone() }.into()) }
    }

    /// The window's language: the one saved in the app, else the system's.
    pub fn lang(&self) -> Lang {
        *lock(&self.lang)
    }

    /// Switches the window's language at once, and saves it for the next
    /// start (an error says only that saving failed).
    pub fn set_lang(&self, lang: Lang) -> Result<()> {
        *lock(&self.lang) = lang;
        let path = self.data_dir.join(SETTINGS_FILE);
        let json = serde_json::to_vec(&Settings { lang: Some(lang) }).map_err(std::io::Error::other);
        json.and_then(|json| crate::files::write_replacing(&path, &json))
            .map_err(|source| AppError::Settings { path, source })
    }

    /// The account to act with in `mode`: the client, the account with its
    /// token cache and how the history names it.
    pub fn resolve(&self, id: &str, mode: Mode) -> Result<Target> {
        if let Some(demo) = DemoAccount::of(id) {
            return self.demo_target(demo, mode);
        }
        let (config, account) = lock(&self.accounts).live(id)?;
        if !modes(&config).contains(&mode) {
            return Err(AppError::ModeNotAllowed);
        }
        Ok(Target { client: self.client.clone(), account, account_name: config.name, demo: false })
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
        let outcome = service::delete_rule(&target, &self.history, &request, lang).await?;
        self.team_wake.notify_one();
        self.log.write(&format!(
            "delete recorded as #{}: {} (errcode {})",
            outcome.record_id,
            outcome.status.as_str(),
            outcome.errcode.map_or("none".into(), |c| c.to_string())
        ));
        Ok(outcome)
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

    /// The chain checked, and what the head's signature says of it.
    pub fn check_history(&self) -> Result<HistoryCheck> {
        let history = lock(&self.history);
        Ok(HistoryCheck { verification: history.verify()?, signing: history.signing()? })
    }

    /// Checks the history against the manifest of an earlier export.
    pub fn verify_against(&self, manifest: &Path) -> Result<AnchorReport> {
        Ok(lock(&self.history).verify_against(manifest)?)
    }
}

fn scope(form: &DeleteForm) -> std::result::Result<Scope, wechat::InputError> {
    Scope::from_input(form.mode, form.appid.as_deref())
}
