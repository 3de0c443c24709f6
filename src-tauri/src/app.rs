//! What the desktop app does, without Tauri: the state behind the
//! commands and each action as a plain async function. `commands.rs` only
//! adapts these to `#[tauri::command]`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::accounts::{self, AccountConfig, AccountInput, AccountKind, AccountStore, SecretStorage, SecretVault};
use crate::history::{self, Filter, History, Record, Verification};
use crate::lang::Lang;
use crate::service::{self, DeleteOutcome, DeleteRequest};
use crate::sim::{DEMO_MINI_PROGRAM, DEMO_SERVICE_ACCOUNT, DEMO_SERVICE_TARGET, Demo, Simulator};
use crate::sync::lock;
use crate::wechat::{self, Account, AppId, Client, Credentials, Mode, Prefix, RuleList, Scope, Secret};

/// The id of the built-in demo account.
pub const DEMO_ID: &str = "demo";
/// Its name, in the account list and in the history.
const DEMO_NAME: &str = "演示账号 / Demo";

/// An error as the UI shows it: what happened, what to do, and which
/// field it is about.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    pub kind: String,
    pub field: Option<wechat::Field>,
    pub errcode: Option<i64>,
    pub errmsg: Option<String>,
    pub message: String,
    pub hint: String,
}

impl Problem {
    fn new(kind: &str, message: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            kind: kind.into(),
            field: None,
            errcode: None,
            errmsg: None,
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn wechat(error: &wechat::Error, lang: Lang) -> Problem {
        let explanation = error.explain(lang);
        let (errcode, errmsg) = match error {
            wechat::Error::Api { errcode, errmsg } => (Some(*errcode), Some(errmsg.clone())),
            _ => (None, None),
        };
        let field = match error {
            wechat::Error::Input(input) => Some(input.field()),
            _ => None,
        };
        Problem {
            kind: error.kind().as_str().into(),
            field,
            errcode,
            errmsg,
            message: explanation.meaning,
            hint: explanation.what_to_do,
        }
    }

    fn input(error: &wechat::InputError, lang: Lang) -> Problem {
        Problem { field: Some(error.field()), ..Problem::new("input", error.message(lang), "") }
    }

    fn history(error: &history::Error, lang: Lang) -> Problem {
        Problem::new("history", error.to_string(), lang.pick("历史记录文件无法读写；没有发送任何请求。请检查磁盘空间与文件夹权限。", "The history file could not be read or written; nothing was sent. Check disk space and folder permissions."))
    }

    fn account(error: &accounts::Error, lang: Lang) -> Problem {
        match error {
            accounts::Error::Input(input) => Problem::input(input, lang),
            accounts::Error::NameEmpty => {
                Problem::new("input", lang.pick("名称：不能为空", "name: must not be empty"), "")
            }
            accounts::Error::NameTaken(name) => Problem::new(
                "input",
                match lang {
                    Lang::ZhCn => format!("名称：已有名为“{name}”的账号"),
                    Lang::En => format!("name: another account is already called {name:?}"),
                },
                "",
            ),
            accounts::Error::SecretMissing(name) => Problem::new(
                "secret_missing",
                match lang {
                    Lang::ZhCn => format!("本次运行中不知道账号“{name}”的密钥（系统凭据存储不可用）。"),
                    Lang::En => {
                        format!("The secret of account {name:?} is not known in this session (no credential store).")
                    }
                },
                lang.pick(
                    "请在“账号”页编辑该账号，重新填入 AppSecret 或令牌。",
                    "Edit the account on the Accounts page and enter its AppSecret or token again.",
                ),
            ),
            accounts::Error::BadExpiry(_) => {
                Problem::new("input", lang.pick("令牌到期时间：不是有效的时间", "token expiry: not a valid time"), "")
            }
            other => Problem::new("accounts", other.to_string(), ""),
        }
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

pub struct AppState {
    pub data_dir: PathBuf,
    client: Client,
    history: Mutex<History>,
    accounts: Mutex<AccountStore>,
    /// Accounts with their token caches, kept between calls.
    live: Mutex<HashMap<String, Arc<Account>>>,
    demo: Mutex<Option<(Simulator, Client)>>,
    pub keyring_available: bool,
}

impl AppState {
    pub fn open(vault: Box<dyn SecretVault>, keyring_available: bool) -> Result<AppState, String> {
        let data_dir = crate::config::data_dir().map_err(|e| e.to_string())?;
        let api_base = crate::config::api_base().map_err(|e| e.to_string())?;
        let history = History::open(&data_dir).map_err(|e| e.to_string())?;
        let accounts = AccountStore::open(&data_dir, vault).map_err(|e| e.to_string())?;
        Ok(AppState {
            data_dir,
            client: Client::new(&api_base).map_err(|e| e.to_string())?,
            history: Mutex::new(history),
            accounts: Mutex::new(accounts),
            live: Mutex::new(HashMap::new()),
            demo: Mutex::new(None),
            keyring_available,
        })
    }

    pub fn api_base(&self) -> &str {
        self.client.base()
    }

    /// The language saved in the app, else the system's.
    pub fn lang(&self, system: &str) -> Lang {
        let settings: Settings = std::fs::read(self.data_dir.join("settings.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        settings.lang.unwrap_or_else(|| Lang::from_locale(system))
    }

    pub fn set_lang(&self, lang: Lang) -> Result<(), String> {
        let json = serde_json::to_vec(&Settings { lang: Some(lang) }).map_err(|e| e.to_string())?;
        std::fs::write(self.data_dir.join("settings.json"), json).map_err(|e| e.to_string())
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

    pub fn save_account(&self, input: AccountInput, lang: Lang) -> Result<AccountView, Problem> {
        let mut store = lock(&self.accounts);
        let (config, storage) = store.save(input).map_err(|e| Problem::account(&e, lang))?;
        lock(&self.live).remove(&config.id);
        Ok(view(&config, storage))
    }

    pub fn remove_account(&self, id: &str, lang: Lang) -> Result<(), Problem> {
        lock(&self.live).remove(id);
        lock(&self.accounts).remove(id).map_err(|e| Problem::account(&e, lang))
    }

    /// The client and account to call with, and the account's name; for the
    /// demo, the in-app simulator and its account for `mode`.
    fn resolve(&self, id: &str, mode: Mode, lang: Lang) -> Result<(Client, Arc<Account>, String, bool), Problem> {
        if id == DEMO_ID {
            let client = self.demo_client(lang)?;
            let key = format!("{DEMO_ID}:{}", mode.as_str());
            let (appid, secret) = if mode == Mode::Ordinary { DEMO_MINI_PROGRAM } else { DEMO_SERVICE_ACCOUNT };
            let appid = AppId::parse(appid).map_err(|e| Problem::input(&e, lang))?;
            let account = lock(&self.live)
                .entry(key)
                .or_insert_with(|| {
                    Arc::new(Account::new(Credentials::AppSecret { appid, secret: Secret::new(secret) }))
                })
                .clone();
            return Ok((client, account, DEMO_NAME.into(), true));
        }
        let (config, account) = {
            let mut live = lock(&self.live);
            let store = lock(&self.accounts);
            let config =
                store.get(id).cloned().ok_or_else(|| Problem::account(&accounts::Error::NotFound(id.into()), lang))?;
            let account = match live.get(id) {
                Some(account) => account.clone(),
                None => {
                    let (_, account) = store.account(id).map_err(|e| Problem::account(&e, lang))?;
                    let account = Arc::new(account);
                    live.insert(id.into(), account.clone());
                    account
                }
            };
            (config, account)
        };
        if !modes(config.kind).contains(&mode) {
            return Err(Problem::new("input", lang.pick("该账号类型不能使用这种模式：普通二维码模式需要小程序账号，服务号模式需要服务号账号。", "This kind of account cannot use this mode: ordinary-QR mode needs a Mini Program account, service-account mode a service account."), ""));
        }
        Ok((self.client.clone(), account, config.name, false))
    }

    fn demo_client(&self, lang: Lang) -> Result<Client, Problem> {
        let mut demo = lock(&self.demo);
        if let Some((_, client)) = demo.as_ref() {
            return Ok(client.clone());
        }
        let sim = Simulator::start().map_err(|e| {
            Problem::new(
                "demo",
                e.to_string(),
                lang.pick("演示模拟器无法启动。", "The demo simulator could not start."),
            )
        })?;
        Demo::seed(&sim);
        let client = Client::new(&sim.base_url()).map_err(|e| Problem::wechat(&e, lang))?;
        *demo = Some((sim, client.clone()));
        Ok(client)
    }

    /// Checks the form the way the delete will, for validation as the admin types.
    pub fn validate(&self, form: &DeleteForm, lang: Lang) -> Vec<Problem> {
        let mut problems = Vec::new();
        if let Err(e) = Prefix::parse(&form.prefix) {
            problems.push(Problem::input(&e, lang));
        }
        if let Err(e) = scope(form) {
            problems.push(Problem::input(&e, lang));
        }
        problems
    }

    pub async fn test_account(&self, id: &str, lang: Lang) -> Result<ConnectionReport, Problem> {
        let kind = lock(&self.accounts).get(id).map(|a| a.kind);
        let mode = if kind == Some(AccountKind::ServiceAccount) { Mode::ServiceAccount } else { Mode::Ordinary };
        let (client, account, _, _) = self.resolve(id, mode, lang)?;
        client.access_token(&account).await.map_err(|e| Problem::wechat(&e, lang))?;
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
        let list = client.all_jump_qrcodes(&account, &Scope::Ordinary).await.map_err(|e| Problem::wechat(&e, lang))?;
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

    pub async fn list_rules(&self, form: &DeleteForm, lang: Lang) -> Result<RuleList, Problem> {
        let scope = scope(form).map_err(|e| Problem::input(&e, lang))?;
        let (client, account, _, _) = self.resolve(&form.account_id, form.mode, lang)?;
        client.all_jump_qrcodes(&account, &scope).await.map_err(|e| Problem::wechat(&e, lang))
    }

    pub async fn delete(&self, form: &DeleteForm, lang: Lang) -> Result<DeleteOutcome, Problem> {
        // Every field is checked before anything is sent or recorded.
        let prefix = Prefix::parse(&form.prefix).map_err(|e| Problem::input(&e, lang))?;
        let scope = scope(form).map_err(|e| Problem::input(&e, lang))?;
        let (client, account, account_name, demo) = self.resolve(&form.account_id, form.mode, lang)?;
        let request = DeleteRequest { account_name, prefix, scope, demo };
        service::delete_rule(&client, &account, &self.history, &request, lang)
            .await
            .map_err(|e| Problem::history(&e, lang))
    }

    pub fn history_page(&self, filter: &Filter, before: Option<i64>, lang: Lang) -> Result<Vec<Record>, Problem> {
        lock(&self.history).page(filter, before, 50).map_err(|e| match e {
            history::Error::Filter { .. } => Problem::new("input", e.to_string(), ""),
            other => Problem::history(&other, lang),
        })
    }

    pub fn history_record(&self, id: i64, lang: Lang) -> Result<Option<Record>, Problem> {
        lock(&self.history).get(id).map_err(|e| Problem::history(&e, lang))
    }

    pub fn history_accounts(&self, lang: Lang) -> Result<Vec<String>, Problem> {
        lock(&self.history).account_names().map_err(|e| Problem::history(&e, lang))
    }

    pub fn export(&self, filter: &Filter, path: &std::path::Path, lang: Lang) -> Result<u64, Problem> {
        let file = std::fs::File::create(path).map_err(|e| {
            Problem::new(
                "export",
                format!("{}: {e}", path.display()),
                lang.pick("请选择一个可以写入的位置。", "Choose a place you can write to."),
            )
        })?;
        lock(&self.history).export_csv(filter, file).map_err(|e| Problem::history(&e, lang))
    }

    pub fn verify(&self, lang: Lang) -> Result<Verification, Problem> {
        lock(&self.history).verify().map_err(|e| Problem::history(&e, lang))
    }
}

fn scope(form: &DeleteForm) -> Result<Scope, wechat::InputError> {
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

/// The demo's service-account rules open this Mini Program; the UI fills it in.
pub const DEMO_TARGET_APPID: &str = DEMO_SERVICE_TARGET;
