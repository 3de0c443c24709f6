//! The accounts screen's actions: accounts, token servers, the demo
//! accounts, and "Test connection" step by step.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::{AppError, AppState, DEMO_ID, DEMO_NAME, DemoState, Result};
use crate::accounts::{
    AccountConfig, AccountInput, AccountKind, AccountStore, Added, RouteConfig, SecretStorage, Serves,
    TokenServerConfig, TokenServerInput,
};
use crate::app::ConnectionStep;
use crate::explain;
use crate::lang::Lang;
use crate::service::Target;
use crate::sim::{
    DEMO_MINI_PROGRAM, DEMO_SERVICE_ACCOUNT, DEMO_TOKEN_SERVER_KEY, Demo, Simulator, TOKEN_SERVER_HEADER,
};
use crate::sync::lock;
use crate::wechat::{Account, AppId, Caller, Client, Credentials, Method, Mode, Scope, Secret, TokenAt, TokenServer};

/// The id of the demo account whose tokens come from a token server.
pub const DEMO_SERVER_ID: &str = "demo-token-server";
const DEMO_SERVER_NAME: &str = "演示：公司令牌服务器 / Demo: token server";

/// The built-in demo accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum DemoAccount {
    /// AppSecret accounts, both modes.
    Secrets,
    /// A Mini Program whose tokens come from the demo's token server.
    TokenServer,
}

/// Whether the demo accounts are offered (IT's policy may hide them: SHOWDEMO=0).
fn shown() -> bool {
    crate::policy::current().policy.show_demo != Some(false)
}

impl DemoAccount {
    /// The demo account of `id`, unless IT's policy hides the demo.
    pub(super) fn of(id: &str) -> Option<DemoAccount> {
        if !shown() {
            return None;
        }
        match id {
            DEMO_ID => Some(DemoAccount::Secrets),
            DEMO_SERVER_ID => Some(DemoAccount::TokenServer),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            DemoAccount::Secrets => DEMO_NAME,
            DemoAccount::TokenServer => DEMO_SERVER_NAME,
        }
    }

    fn modes(self) -> Vec<Mode> {
        match self {
            DemoAccount::Secrets => vec![Mode::Ordinary, Mode::ServiceAccount],
            DemoAccount::TokenServer => vec![Mode::Ordinary],
        }
    }

    fn account(self, simulator: &Simulator, mode: Mode) -> Result<Account> {
        let (appid, secret) = if mode == Mode::Ordinary { DEMO_MINI_PROGRAM } else { DEMO_SERVICE_ACCOUNT };
        let appid = AppId::parse(appid)?;
        Ok(match self {
            DemoAccount::Secrets => {
                let caller = if mode == Mode::Ordinary { Caller::MiniProgram } else { Caller::ServiceAccount };
                Account::new(Credentials::AppSecret { appid, secret: Secret::new(secret) }).with_caller(Some(caller))
            }
            DemoAccount::TokenServer => {
                let server = TokenServer {
                    url: simulator.token_server_url().replace("{appid}", appid.as_str()),
                    method: Method::Get,
                    header: Some((TOKEN_SERVER_HEADER.into(), Secret::new(DEMO_TOKEN_SERVER_KEY))),
                    token_at: TokenAt::Pointer("/data/access_token".into()),
                    expires_at: Some("/data/expires_in".into()),
                    stale_param: Some("stale".into()),
                };
                Account::new(Credentials::TokenServer { server, appid: Some(appid) })
                    .with_caller(Some(Caller::MiniProgram))
            }
        })
    }

    fn view(self) -> AccountView {
        let server = self == DemoAccount::TokenServer;
        AccountView {
            id: DemoAccount::id(self).into(),
            name: self.name().into(),
            kind: server.then_some(AccountKind::TokenServer),
            appid: server.then(|| DEMO_MINI_PROGRAM.0.into()),
            token_expires_at: None,
            demo: true,
            storage: None,
            modes: self.modes(),
            server: server.then(|| ServerRef { id: String::new(), name: "demo".into(), platform: false }),
            serves: server.then_some(Serves::MiniProgram),
            route: RouteConfig::default(),
            policy_proxy: None,
        }
    }

    fn id(self) -> &'static str {
        match self {
            DemoAccount::Secrets => DEMO_ID,
            DemoAccount::TokenServer => DEMO_SERVER_ID,
        }
    }
}

/// An account as the UI lists it (never with a secret).
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
    pub server: Option<ServerRef>,
    pub serves: Option<Serves>,
    pub route: RouteConfig,
    /// IT's proxy, when the account's calls go through it (policy.rs).
    pub policy_proxy: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerRef {
    pub id: String,
    pub name: String,
    pub platform: bool,
}

/// A token server as the UI lists it, with where its header value is.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerView {
    #[serde(flatten)]
    pub config: TokenServerConfig,
    pub storage: Option<SecretStorage>,
    /// How many accounts take their tokens from it.
    pub accounts: usize,
    /// IT's policy defines it: shown, not edited.
    pub from_policy: bool,
}

/// What "Test connection" found, step by step.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionReport {
    pub rule_count: usize,
    pub publishes_left: Option<i64>,
    /// Where the token came from.
    pub token_source: String,
    /// Which way the calls went.
    pub route: String,
    pub message: String,
}

impl AppState {
    pub fn list_accounts(&self) -> Vec<AccountView> {
        let store = lock(&self.accounts);
        let mut views: Vec<AccountView> = store
            .list()
            .iter()
            .map(|a| {
                let server = a.server.as_deref().and_then(|id| store.server(id));
                view(a, store.storage(&a.id), server)
            })
            .collect();
        if shown() {
            views.extend([DemoAccount::Secrets.view(), DemoAccount::TokenServer.view()]);
        }
        views
    }

    pub fn save_account(&self, input: AccountInput) -> Result<AccountView> {
        let mut store = lock(&self.accounts);
        let (config, storage) = store.save(input)?;
        let server = config.server.as_deref().and_then(|id| store.server(id));
        Ok(view(&config, storage, server))
    }

    pub fn remove_account(&self, id: &str) -> Result<()> {
        Ok(lock(&self.accounts).remove(id)?)
    }

    pub fn list_servers(&self) -> Vec<ServerView> {
        let store = lock(&self.accounts);
        store.servers().iter().map(|server| server_view(&store, server.clone())).collect()
    }

    pub fn save_server(&self, input: TokenServerInput) -> Result<ServerView> {
        let mut store = lock(&self.accounts);
        let (config, _) = store.save_server(input)?;
        Ok(server_view(&store, config))
    }

    pub fn remove_server(&self, id: &str) -> Result<()> {
        Ok(lock(&self.accounts).remove_server(id)?)
    }

    /// One account per AppID on a token server (a service provider's
    /// merchants), checked whole before any is added.
    pub fn add_on_server(&self, server: &str, serves: Serves, appids: &str) -> Result<Added> {
        Ok(lock(&self.accounts).add_on_server(server, serves, appids)?)
    }

    pub(super) fn demo_target(&self, which: DemoAccount, mode: Mode) -> Result<Target> {
        if !which.modes().contains(&mode) {
            return Err(AppError::ModeNotAllowed);
        }
        let mut demo = lock(&self.demo);
        let demo = match &mut *demo {
            Some(demo) => demo,
            empty => {
                let simulator = Simulator::start().map_err(AppError::Demo)?;
                Demo::seed(&simulator);
                let client = Client::new(&simulator.base_url())?.with_observer(self.log.clone());
                empty.insert(DemoState { simulator, client, accounts: HashMap::new() })
            }
        };
        let account = match demo.accounts.get(&(which, mode)) {
            Some(account) => account.clone(),
            None => {
                let account = Arc::new(which.account(&demo.simulator, mode)?);
                demo.accounts.insert((which, mode), account.clone());
                account
            }
        };
        Ok(Target { client: demo.client.clone(), account, account_name: which.name().into(), demo: true })
    }

    /// Fetches a token by the account's route and reads the rule list,
    /// naming the step and the route of whatever fails.
    pub async fn test_account(&self, id: &str, lang: Lang) -> Result<ConnectionReport> {
        let mode = {
            let store = lock(&self.accounts);
            match store.get(id) {
                Some(config) => modes(config)[0],
                None => DemoAccount::of(id).map_or(Mode::Ordinary, |d| d.modes()[0]),
            }
        };
        let target = self.resolve(id, mode)?;
        let account = &target.account;
        let route = explain::connection::route(account.route(), lang);
        let token_source = explain::connection::token_source(account.credentials(), lang);
        let failed = |step: ConnectionStep| {
            let way = explain::connection::step_way(step, account.credentials(), &route, &token_source);
            let route = way.to_owned();
            move |source| AppError::Connection { step, route, source }
        };
        target.client.access_token(account).await.map_err(failed(ConnectionStep::Token))?;
        // A service account's rule list needs a Mini Program's AppID: the
        // first its history names. Without one, the token is all we can prove.
        let scope = match mode {
            Mode::Ordinary => Some(Scope::Ordinary),
            Mode::ServiceAccount => self.target_appids_of(&target.account_name)?.into_iter().next(),
        };
        let Some(scope) = scope else {
            let message = explain::connection::token_only(&token_source, &route, lang);
            return Ok(ConnectionReport { rule_count: 0, publishes_left: None, token_source, route, message });
        };
        let list = target.client.all_jump_qrcodes(account, &scope).await.map_err(failed(ConnectionStep::Rules))?;
        let count = list.rule_list.len();
        let quota = list.qrcodejump_pub_quota;
        let message = explain::connection::works(&token_source, &route, count, quota, lang);
        Ok(ConnectionReport { rule_count: count, publishes_left: quota, token_source, route, message })
    }
}

fn server_view(store: &AccountStore, config: TokenServerConfig) -> ServerView {
    ServerView {
        storage: store.server_storage(&config.id),
        accounts: store.on_server(&config.id).count(),
        from_policy: config.id == crate::accounts::POLICY_SERVER_ID,
        config,
    }
}

/// The modes an account can delete in (a given token may be either a
/// Mini Program's or a service account's).
pub(super) fn modes(config: &AccountConfig) -> Vec<Mode> {
    match (config.kind, config.serves) {
        (AccountKind::MiniProgram, _) | (AccountKind::TokenServer, Some(Serves::MiniProgram)) => vec![Mode::Ordinary],
        (AccountKind::ServiceAccount, _) | (AccountKind::TokenServer, _) => vec![Mode::ServiceAccount],
        (AccountKind::AccessToken, _) => vec![Mode::Ordinary, Mode::ServiceAccount],
    }
}

fn view(config: &AccountConfig, storage: Option<SecretStorage>, server: Option<&TokenServerConfig>) -> AccountView {
    AccountView {
        id: config.id.clone(),
        name: config.name.clone(),
        kind: Some(config.kind),
        appid: config.appid.clone(),
        token_expires_at: config.token_expires_at.clone(),
        demo: false,
        storage,
        modes: modes(config),
        server: server.map(|s| ServerRef { id: s.id.clone(), name: s.name.clone(), platform: s.platform }),
        serves: config.serves,
        policy_proxy: crate::accounts::policy_proxy(&config.route).map(str::to_owned),
        route: config.route.clone(),
    }
}
