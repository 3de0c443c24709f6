//! What an account and a token server are: their kinds, routes and
//! settings as `accounts.json` and `token_servers.json` hold them, and the
//! forms that create and edit them.

use serde::{Deserialize, Serialize};

use crate::wechat::{AppId, Caller, Method, Route, RouteError, Secret, TokenAt, TokenServer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// AppID + AppSecret of a Mini Program: ordinary-QR mode.
    #[default]
    MiniProgram,
    /// AppID + AppSecret of a verified service account: service-account mode.
    ServiceAccount,
    /// An access token pasted in (e.g. a third party's authorizer_access_token).
    AccessToken,
    /// Tokens from a company token server or a third-party platform's.
    TokenServer,
}

/// What a token server account's token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Serves {
    /// A Mini Program: ordinary-QR mode.
    MiniProgram,
    /// A service account: service-account mode.
    ServiceAccount,
}

/// A company's (or a third-party platform's) token server, defined once and
/// shared by every account on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenServerConfig {
    pub id: String,
    pub name: String,
    /// May hold `{appid}`, filled with each account's AppID.
    pub url: String,
    pub method: Method,
    /// The authentication header's name; its value is in the credential store.
    pub header_name: Option<String>,
    /// A JSON pointer, or `text`.
    pub token_pointer: String,
    pub expires_pointer: Option<String>,
    pub stale_param: Option<String>,
    /// A third-party platform's server (authorizer tokens): its whitelist
    /// is the platform's.
    pub platform: bool,
}

impl TokenServerConfig {
    /// One account's view of the server: the URL with its AppID.
    pub(super) fn for_account(&self, appid: Option<&AppId>, header: Option<Secret>) -> TokenServer {
        let appid = appid.map_or("", |a| a.as_str());
        TokenServer {
            url: self.url.replace("{appid}", appid),
            method: self.method,
            header: self.header_name.clone().zip(header),
            token_at: TokenAt::parse(&self.token_pointer).unwrap_or(TokenAt::Pointer("/access_token".into())),
            expires_at: self.expires_pointer.clone(),
            stale_param: self.stale_param.clone(),
        }
    }

    pub fn needs_appid(&self) -> bool {
        self.url.contains("{appid}")
    }
}

/// A token server as the form sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenServerInput {
    pub id: Option<String>,
    pub name: String,
    pub url: String,
    #[serde(default)]
    pub method: Method,
    pub header_name: Option<String>,
    /// Empty when editing means "keep the stored one".
    pub header_value: Option<String>,
    pub token_pointer: Option<String>,
    pub expires_pointer: Option<String>,
    pub stale_param: Option<String>,
    #[serde(default)]
    pub platform: bool,
}

/// Which way an account's calls go, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RouteKind {
    #[default]
    Direct,
    Proxy,
    Gateway,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct RouteConfig {
    pub kind: RouteKind,
    /// The proxy URL or the gateway base URL.
    pub url: Option<String>,
    pub proxy_user: Option<String>,
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
    /// For a token server account: the server's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serves: Option<Serves>,
    #[serde(default)]
    pub route: RouteConfig,
}

impl AccountConfig {
    /// Whose token makes the calls, for the whitelist explanations.
    pub fn caller(&self, servers: &[TokenServerConfig]) -> Option<Caller> {
        match self.kind {
            AccountKind::MiniProgram => Some(Caller::MiniProgram),
            AccountKind::ServiceAccount => Some(Caller::ServiceAccount),
            AccountKind::AccessToken => None,
            AccountKind::TokenServer => {
                let server = servers.iter().find(|s| Some(&s.id) == self.server.as_ref());
                match (server.is_some_and(|s| s.platform), self.serves) {
                    (true, _) => Some(Caller::Platform),
                    (false, Some(Serves::ServiceAccount)) => Some(Caller::ServiceAccount),
                    (false, _) => Some(Caller::MiniProgram),
                }
            }
        }
    }
}

/// A new or edited account as the form sends it.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct AccountInput {
    pub id: Option<String>,
    pub name: String,
    pub kind: AccountKind,
    pub appid: Option<String>,
    /// Empty when editing means "keep the stored one".
    pub secret: Option<String>,
    pub token_expires_at: Option<String>,
    /// For the token server kind.
    pub server: Option<String>,
    pub serves: Option<Serves>,
    #[serde(default)]
    pub route: RouteKind,
    pub route_url: Option<String>,
    pub proxy_user: Option<String>,
    /// Empty when editing means "keep the stored one".
    pub proxy_password: Option<String>,
}

/// What adding many accounts on one token server did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Added {
    pub added: Vec<AccountConfig>,
    /// AppIDs that already had an account on this server.
    pub skipped: Vec<String>,
}

/// The route of an account's calls from its stored settings.
pub fn route_of(config: &RouteConfig, password: Option<Secret>) -> Result<Route, RouteError> {
    let url = config.url.as_deref().unwrap_or("");
    match config.kind {
        RouteKind::Direct => Ok(Route::Direct),
        RouteKind::Proxy => Route::proxy(url, config.proxy_user.clone(), password),
        RouteKind::Gateway => Route::gateway(url),
    }
}
