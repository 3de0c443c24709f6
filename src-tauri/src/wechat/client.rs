//! The HTTP client: tokens, throttle, retries, timeouts and answer parsing.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::api::{Answer, NewRule, PAGE_SIZE_MAX, Progress, Rule, RuleList, RuleQuery, VerificationFile};
use super::error::Error;
use super::input::{AppId, Mode, Prefix, Scope};
use super::route::Route;
use super::secret::{Secret, redact};
use super::throttle::{self, Throttle};
use super::token_server::{Fetched, TokenServer};
use super::whitelist::Caller;

pub const PATH_STABLE_TOKEN: &str = "/cgi-bin/stable_token";
pub const PATH_DELETE: &str = "/cgi-bin/wxopen/qrcodejumpdelete";
pub const PATH_GET: &str = "/cgi-bin/wxopen/qrcodejumpget";
pub const PATH_ADD: &str = "/cgi-bin/wxopen/qrcodejumpadd";
pub const PATH_PUBLISH: &str = "/cgi-bin/wxopen/qrcodejumppublish";
pub const PATH_DOWNLOAD: &str = "/cgi-bin/wxopen/qrcodejumpdownload";

/// Errcodes meaning "this token is no good": refresh once, retry once.
const TOKEN_INVALID: [i64; 3] = [40001, 40014, 42001];
/// At most this many tries of one call when WeChat is busy.
pub const MAX_TRIES: u32 = 3;
/// How long a listing waits out WeChat's per-second limit on one page.
pub const LIST_PATIENCE: Duration = Duration::from_secs(60);
/// Pages a listing reads at most: 100,000 rules (WeChat's cap on a Mini
/// Program's service-account rules) at 200 a page, and a margin.
const MAX_PAGES: u32 = 600;
/// A cached token is renewed this long before WeChat says it expires.
const TOKEN_MARGIN: Duration = Duration::from_secs(300);
/// How long a token server's token is kept when its answer gives no
/// lifetime: WeChat keeps a replaced token valid 5 minutes, so one kept
/// this long is at worst refused once and asked for again.
const UNDATED_TOKEN: Duration = Duration::from_secs(300);

/// How an account proves itself to WeChat.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// AppID + AppSecret: tokens come from `/cgi-bin/stable_token` with
    /// `force_refresh=false`, never `/cgi-bin/token`, which would age out
    /// the token the company's production servers use.
    AppSecret { appid: AppId, secret: Secret },
    /// A token handed to us (e.g. a third party's `authorizer_access_token`).
    AccessToken { token: Secret, expires_at: Option<SystemTime> },
    /// Tokens from the company's (or a third-party platform's) token
    /// server: never from WeChat directly.
    TokenServer { server: TokenServer, appid: Option<AppId> },
}

/// One WeChat account with its token cache and the route of its calls.
#[derive(Debug)]
pub struct Account {
    credentials: Credentials,
    cache: Mutex<Option<(Secret, Instant)>>,
    /// Key of the throttle: the AppID, or for a given token a digest of it.
    throttle_key: String,
    route: Route,
    caller: Option<Caller>,
    /// The HTTP client of a proxy route, built at its first call.
    routed: OnceLock<reqwest::Client>,
}

impl Account {
    pub fn new(credentials: Credentials) -> Account {
        let throttle_key = match &credentials {
            Credentials::AppSecret { appid, .. } | Credentials::TokenServer { appid: Some(appid), .. } => {
                appid.as_str().to_owned()
            }
            Credentials::AccessToken { token, .. } => format!("token:{}", digest(token.expose())),
            Credentials::TokenServer { server, appid: None } => format!("server:{}", digest(&server.url)),
        };
        Account {
            credentials,
            cache: Mutex::new(None),
            throttle_key,
            route: Route::Direct,
            caller: None,
            routed: OnceLock::new(),
        }
    }

    /// Sends this account's calls by `route` (a proxy or a gateway).
    pub fn with_route(mut self, route: Route) -> Account {
        self.route = route;
        self
    }

    /// Says whose token this is, so IP refusals name the right whitelist.
    pub fn with_caller(mut self, caller: Option<Caller>) -> Account {
        self.caller = caller;
        self
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    pub fn route(&self) -> &Route {
        &self.route
    }

    pub fn caller(&self) -> Option<Caller> {
        self.caller
    }

    /// The AppID that calls, when known (not for a given token).
    pub fn appid(&self) -> Option<&AppId> {
        match &self.credentials {
            Credentials::AppSecret { appid, .. } => Some(appid),
            Credentials::TokenServer { appid, .. } => appid.as_ref(),
            Credentials::AccessToken { .. } => None,
        }
    }

    fn secrets(&self) -> Vec<&Secret> {
        let mut secrets = match &self.credentials {
            Credentials::AppSecret { secret, .. } => vec![secret],
            Credentials::AccessToken { token, .. } => vec![token],
            Credentials::TokenServer { server, .. } => server.header.iter().map(|(_, value)| value).collect(),
        };
        secrets.extend(self.route.secrets());
        secrets
    }
}

/// A short digest, stable across processes, so their shared throttle
/// ledger agrees on a key without holding a secret.
fn digest(text: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(text.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Time limits of every request.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { connect: Duration::from_secs(5), total: Duration::from_secs(15) }
    }
}

/// Told of every call and every token server answer, e.g. by the support
/// log. It gets facts only (a path, the outcome, the time taken), never a
/// request, an answer or a token.
pub trait CallObserver: Send + Sync {
    fn call(&self, path: &str, result: Result<(), &Error>, took: Duration);
    fn token_server(&self, host: &str, result: Result<(), &Error>, took: Duration);
}

#[derive(Clone)]
struct Observer(Arc<dyn CallObserver>);

impl std::fmt::Debug for Observer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Observer")
    }
}

#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    timeouts: Timeouts,
    throttle: Arc<Throttle>,
    observer: Option<Observer>,
}

/// One API call: where, what, and how it may be repeated.
struct Request<'a, B> {
    path: &'static str,
    body: &'a B,
    repeat: Repeat,
    /// The mode the call is made in: it decides which limits apply.
    mode: Mode,
}

/// A delete's result and how many "busy" answers were retried before it.
#[derive(Debug)]
pub struct DeleteAttempt {
    pub result: Result<Answer, Error>,
    pub busy: u32,
}

/// What happened on the way to an answer.
#[derive(Debug, Default)]
struct Trace {
    /// "Busy" answers (-1, 886001) that were retried.
    busy: u32,
}

/// How a call may be repeated after WeChat said "busy" (-1).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Repeat {
    /// Doing it twice has the effect of doing it once.
    Safe,
    /// A second run could do harm (spend publish quota, fail as "exists"):
    /// repeat only on 44990, which WeChat answers without doing anything.
    OnlyWhenRefused,
}

impl Client {
    pub fn new(base: &str) -> Result<Client, Error> {
        Client::with_timeouts(base, Timeouts::default())
    }

    pub fn with_timeouts(base: &str, timeouts: Timeouts) -> Result<Client, Error> {
        let http = crate::net::client_builder(timeouts.connect, timeouts.total)
            .build()
            .map_err(|e| Error::Network(e.without_url().to_string()))?;
        Ok(Client {
            http,
            base: base.trim_end_matches('/').to_owned(),
            timeouts,
            throttle: throttle::global(),
            observer: None,
        })
    }

    /// Tells `observer` of every call this client makes.
    pub fn with_observer(mut self, observer: Arc<dyn CallObserver>) -> Client {
        self.observer = Some(Observer(observer));
        self
    }

    /// Shares the 5-calls-a-second limit with every other process using
    /// `data_dir` (the app and `qrjump` scripts), through a ledger file there.
    pub fn with_shared_throttle(mut self, data_dir: &std::path::Path) -> Client {
        self.throttle = throttle::shared(data_dir);
        self
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Deletes a rule and says how many "busy" answers came before the
    /// result: when there were some and the result is an error, the first
    /// try may have deleted the rule, and the caller settles it. Ordinary
    /// mode sends `{prefix}` with the Mini Program's token; service-account
    /// mode `{prefix, appid}` with the service account's token and the Mini
    /// Program's AppID.
    ///
    /// The one way to delete, and unrecorded: front ends delete through
    /// `service::delete_rule`, which records the attempt before this call
    /// and settles a doubtful answer with a check record of its own.
    pub async fn delete_attempt(&self, account: &Account, prefix: &Prefix, scope: &Scope) -> DeleteAttempt {
        let mut trace = Trace::default();
        let result = self.delete_traced(account, prefix, scope, &mut trace).await;
        DeleteAttempt { result, busy: trace.busy }
    }

    async fn delete_traced(
        &self,
        account: &Account,
        prefix: &Prefix,
        scope: &Scope,
        trace: &mut Trace,
    ) -> Result<Answer, Error> {
        let body = match scope {
            Scope::Ordinary => json!({ "prefix": prefix.as_str() }),
            Scope::ServiceAccount(appid) => json!({ "prefix": prefix.as_str(), "appid": appid.as_str() }),
        };
        // Safe to repeat: deleting a rule that is already gone removes nothing
        // else (and the pipeline reads the list when a repeat fails).
        let request = Request { path: PATH_DELETE, body: &body, repeat: Repeat::Safe, mode: scope.mode() };
        self.call(account, &request, trace).await
    }

    /// One `qrcodejumpget` call. Ordinary mode ignores `query` (WeChat
    /// returns all rules at once).
    pub async fn get_jump_qrcodes(
        &self,
        account: &Account,
        scope: &Scope,
        query: &RuleQuery,
    ) -> Result<RuleList, Error> {
        let body = match scope {
            Scope::Ordinary => json!({}),
            Scope::ServiceAccount(appid) => match query {
                RuleQuery::Newest => json!({ "appid": appid.as_str(), "get_type": 0 }),
                RuleQuery::Prefixes(list) => json!({ "appid": appid.as_str(), "get_type": 1, "prefix_list": list }),
                RuleQuery::Page { page_num, page_size } => {
                    json!({ "appid": appid.as_str(), "get_type": 2, "page_num": page_num, "page_size": page_size })
                }
            },
        };
        // Safe to repeat: it only reads.
        let request = Request { path: PATH_GET, body: &body, repeat: Repeat::Safe, mode: scope.mode() };
        self.call(account, &request, &mut Trace::default()).await
    }

    /// Every rule of the scope. Service-account mode pages through up to
    /// 100,000 rules, 200 at a time.
    pub async fn all_jump_qrcodes(&self, account: &Account, scope: &Scope) -> Result<RuleList, Error> {
        self.all_jump_qrcodes_with(account, scope, |_| {}).await
    }

    /// [`Client::all_jump_qrcodes`], telling `progress` after each page.
    ///
    /// The listing ends at a page shorter than the page size (or empty), not
    /// at `total_count`: some answers lack it and a wrong one would lose or
    /// repeat rules. WeChat's per-second limit (44990) is waited out, within
    /// [`LIST_PATIENCE`] per page, rather than ending the listing.
    pub async fn all_jump_qrcodes_with(
        &self,
        account: &Account,
        scope: &Scope,
        mut progress: impl FnMut(Progress),
    ) -> Result<RuleList, Error> {
        if let Scope::Ordinary = scope {
            let list = self.get_jump_qrcodes(account, scope, &RuleQuery::Newest).await?;
            progress(Progress { fetched: list.rule_list.len(), total: Some(list.rule_list.len() as i64) });
            return Ok(list);
        }
        let mut all = RuleList::default();
        for page_num in 1..=MAX_PAGES {
            let query = RuleQuery::Page { page_num, page_size: PAGE_SIZE_MAX };
            let started = Instant::now();
            let page = loop {
                match self.get_jump_qrcodes(account, scope, &query).await {
                    Err(Error::Api { errcode: 44990, .. }) if started.elapsed() < LIST_PATIENCE => {
                        tokio::time::sleep(Duration::from_secs(2)).await;
                    }
                    other => break other?,
                }
            };
            let got = page.rule_list.len();
            all.total_count = page.total_count.max(all.total_count);
            all.qrcodejump_open = page.qrcodejump_open.or(all.qrcodejump_open);
            all.qrcodejump_pub_quota = page.qrcodejump_pub_quota.or(all.qrcodejump_pub_quota);
            all.rule_list.extend(page.rule_list);
            progress(Progress {
                fetched: all.rule_list.len(),
                total: (all.total_count > 0).then_some(all.total_count),
            });
            if got < PAGE_SIZE_MAX as usize {
                break;
            }
        }
        all.list_size = all.rule_list.len() as i64;
        Ok(all)
    }

    /// The rule with exactly this prefix, if the scope has one.
    pub async fn find_rule(&self, account: &Account, scope: &Scope, prefix: &Prefix) -> Result<Option<Rule>, Error> {
        let list = match scope {
            Scope::Ordinary => self.get_jump_qrcodes(account, scope, &RuleQuery::Newest).await?,
            Scope::ServiceAccount(_) => {
                let query = RuleQuery::Prefixes(vec![prefix.as_str().to_owned()]);
                self.get_jump_qrcodes(account, scope, &query).await?
            }
        };
        Ok(list.rule_list.into_iter().find(|rule| rule.prefix == prefix.as_str()))
    }

    /// Adds (or, as an edit, changes) a rule: the body carries exactly the
    /// fields WeChat names for the rule's mode.
    pub async fn add_jump_qrcode(&self, account: &Account, rule: &NewRule) -> Result<Answer, Error> {
        // An edit is repeatable; an add repeated after an unclear "busy" would
        // fail as "rule exists" (85071), so it is repeated only when refused.
        let repeat = if rule.is_edit { Repeat::Safe } else { Repeat::OnlyWhenRefused };
        let request = Request { path: PATH_ADD, body: rule, repeat, mode: rule.scope().mode() };
        self.call(account, &request, &mut Trace::default()).await
    }

    /// Publishes a rule (`{prefix}` in both modes; `scope` decides which
    /// limits apply). Not repeated after "busy": each publish may spend one
    /// of the month's quota.
    pub async fn publish_jump_qrcode(
        &self,
        account: &Account,
        scope: &Scope,
        prefix: &Prefix,
    ) -> Result<Answer, Error> {
        let body = json!({ "prefix": prefix.as_str() });
        let request = Request { path: PATH_PUBLISH, body: &body, repeat: Repeat::OnlyWhenRefused, mode: scope.mode() };
        self.call(account, &request, &mut Trace::default()).await
    }

    /// The verification file WeChat checks on the prefix's web server
    /// before it accepts an ordinary-mode rule (`qrcodejumpdownload`).
    pub async fn download_verification_file(&self, account: &Account) -> Result<VerificationFile, Error> {
        let body = json!({});
        let request = Request { path: PATH_DOWNLOAD, body: &body, repeat: Repeat::Safe, mode: Mode::Ordinary };
        let file: VerificationFile = self.call(account, &request, &mut Trace::default()).await?;
        // The name is the server's data, and the caller writes a file by it:
        // a path (`../x`, `/etc/x`, `C:\x`) would choose where.
        if !super::api::is_plain_file_name(&file.file_name) {
            let name: String = file.file_name.chars().take(80).collect();
            return Err(Error::PathInAnswer { name });
        }
        Ok(file)
    }

    /// A valid access token for `account`, from the cache when it is fresh.
    pub async fn access_token(&self, account: &Account) -> Result<Secret, Error> {
        self.token_replacing(account, None).await
    }

    /// [`Client::access_token`]; `stale` is a token WeChat just refused,
    /// which a token server is told of so that it rotates.
    async fn token_replacing(&self, account: &Account, stale: Option<&Secret>) -> Result<Secret, Error> {
        if let Credentials::AccessToken { token, expires_at } = &account.credentials {
            if expires_at.is_some_and(|at| at <= SystemTime::now()) {
                return Err(Error::TokenExpired);
            }
            return Ok(token.clone());
        }
        // Holding the lock while fetching makes concurrent callers wait for
        // one fetch instead of each asking WeChat (or the token server).
        let mut cache = account.cache.lock().await;
        if let Some((token, until)) = &*cache
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        let fetched = self.fetch_token(account, stale).await?;
        let keep = match fetched.lifetime {
            Some(lifetime) => lifetime.checked_sub(TOKEN_MARGIN).unwrap_or(lifetime / 2),
            None => UNDATED_TOKEN,
        };
        *cache = Some((fetched.token.clone(), Instant::now() + keep));
        Ok(fetched.token)
    }

    /// A new token from where the account's tokens come from (not for a
    /// given token, which is never fetched).
    async fn fetch_token(&self, account: &Account, stale: Option<&Secret>) -> Result<Fetched, Error> {
        match &account.credentials {
            Credentials::AppSecret { appid, secret } => {
                let body = json!({
                    "grant_type": "client_credential",
                    "appid": appid.as_str(),
                    "secret": secret.expose(),
                    "force_refresh": false,
                });
                #[derive(serde::Deserialize)]
                struct Stable {
                    access_token: String,
                    expires_in: u64,
                }
                // Safe to repeat: stable_token in normal mode hands back the same token.
                let request =
                    Request { path: PATH_STABLE_TOKEN, body: &body, repeat: Repeat::Safe, mode: Mode::Ordinary };
                let answer: Stable = self.call_with(account, None, &request, &mut Trace::default()).await?;
                let lifetime = Some(Duration::from_secs(answer.expires_in));
                Ok(Fetched { token: Secret::new(answer.access_token), lifetime })
            }
            Credentials::TokenServer { server, .. } => {
                let started = Instant::now();
                let fetched = server.fetch(&self.http, self.timeouts.total, stale).await;
                if let Some(Observer(observer)) = &self.observer {
                    observer.token_server(&server.host(), fetched.as_ref().map(|_| ()), started.elapsed());
                }
                fetched
            }
            Credentials::AccessToken { token, .. } => Ok(Fetched { token: token.clone(), lifetime: None }),
        }
    }

    /// Forgets `token` if it is still the cached one (a newer one stays).
    async fn forget_token(&self, account: &Account, token: &Secret) {
        let mut cache = account.cache.lock().await;
        if cache.as_ref().is_some_and(|(cached, _)| cached == token) {
            *cache = None;
        }
    }

    async fn call<T: DeserializeOwned>(
        &self,
        account: &Account,
        request: &Request<'_, impl Serialize>,
        trace: &mut Trace,
    ) -> Result<T, Error> {
        // A refused token is replaced once, never in a loop: a second
        // refusal is the answer.
        let mut stale: Option<Secret> = None;
        loop {
            let token = self.token_replacing(account, stale.as_ref()).await?;
            match self.call_with(account, Some(&token), request, trace).await {
                Err(Error::Api { errcode, .. })
                    if TOKEN_INVALID.contains(&errcode)
                        && stale.is_none()
                        && !matches!(account.credentials, Credentials::AccessToken { .. }) =>
                {
                    self.forget_token(account, &token).await;
                    stale = Some(token);
                }
                other => return other,
            }
        }
    }

    /// One call with retries on "busy" and on 44990.
    async fn call_with<T: DeserializeOwned>(
        &self,
        account: &Account,
        token: Option<&Secret>,
        request: &Request<'_, impl Serialize>,
        trace: &mut Trace,
    ) -> Result<T, Error> {
        let mut tries = 0;
        loop {
            tries += 1;
            let result = self.send::<T>(account, token, request).await;
            let again = match &result {
                // WeChat refused before doing anything: always safe to repeat.
                Err(Error::Api { errcode: 44990, .. }) => true,
                Err(Error::Api { errcode: -1 | 886001, .. }) => request.repeat == Repeat::Safe,
                _ => false,
            };
            if !again || tries >= MAX_TRIES {
                return result;
            }
            if matches!(result, Err(Error::Api { errcode: -1 | 886001, .. })) {
                trace.busy += 1;
            }
            tokio::time::sleep(backoff(tries)).await;
        }
    }

    async fn send<T: DeserializeOwned>(
        &self,
        account: &Account,
        token: Option<&Secret>,
        request: &Request<'_, impl Serialize>,
    ) -> Result<T, Error> {
        let permit = self.throttle.acquire(&account.throttle_key, request.path, request.mode).await;
        let started = Instant::now();
        let result = self.exchange(account, token, request).await;
        if let Some(Observer(observer)) = &self.observer {
            observer.call(request.path, result.as_ref().map(|_| ()), started.elapsed());
        }
        // Answered or not, the call may have reached WeChat: its place in
        // the limits' windows is dated now.
        self.throttle.release(permit).await;
        result
    }

    /// Sends one request and reads its answer.
    async fn exchange<T: DeserializeOwned>(
        &self,
        account: &Account,
        token: Option<&Secret>,
        request: &Request<'_, impl Serialize>,
    ) -> Result<T, Error> {
        let url = format!("{}{}", account.route.base(&self.base), request.path);
        let mut http = self.http_for(account)?.post(&url).json(request.body);
        if let Some(token) = token {
            http = http.query(&[("access_token", token.expose())]);
        }
        let mut secrets = account.secrets();
        if let Some(token) = token {
            secrets.push(token);
        }
        let transport = |e: reqwest::Error| self.transport_error(account, e, &secrets);
        let response = http.send().await.map_err(transport)?;
        let status = response.status();
        if let Some(to) = crate::net::redirect_target(&response) {
            return Err(Error::Redirect { status: status.as_u16(), to });
        }
        let bytes = crate::net::read_body(response, crate::net::MAX_API_BODY).await.map_err(|e| match e {
            crate::net::BodyError::Transport(e) => transport(e),
            crate::net::BodyError::TooLarge { limit } => {
                Error::Network(format!("the answer was larger than {} MB", limit >> 20))
            }
        })?;
        parse_answer(status.as_u16(), &bytes, &secrets).map_err(|error| match error {
            Error::Api { errcode, errmsg, .. } => Error::Api { errcode, errmsg, caller: account.caller },
            other => other,
        })
    }

    /// The shared HTTP client, or the account's own for a proxy route.
    fn http_for<'a>(&'a self, account: &'a Account) -> Result<&'a reqwest::Client, Error> {
        if let Some(client) = account.routed.get() {
            return Ok(client);
        }
        match account.route.client(self.timeouts.connect, self.timeouts.total)? {
            Some(client) => Ok(account.routed.get_or_init(|| client)),
            None => Ok(&self.http),
        }
    }

    fn transport_error(&self, account: &Account, error: reqwest::Error, secrets: &[&Secret]) -> Error {
        let host = match &account.route {
            // Whichever hop failed, the admin knows the proxy by its address.
            Route::Proxy { url, .. } => super::token_server::host_of(url),
            route => super::token_server::host_of(route.base(&self.base)),
        };
        if error.is_timeout() {
            return Error::Timeout(self.timeouts.total);
        }
        if error.is_connect() {
            return Error::Connect(host);
        }
        // The URL holds the token: drop it, then describe the cause chain.
        let error = error.without_url();
        let mut text = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        Error::Network(redact(&text, secrets))
    }
}

/// Exponential backoff with jitter: about 0.5 s, then 1 s, each ±50%,
/// so many tasks retrying at once do not stay in step.
fn backoff(tries: u32) -> Duration {
    let base = 500u64 << (tries - 1).min(4);
    let jitter = rand::random::<f64>() + 0.5;
    Duration::from_millis((base as f64 * jitter) as u64)
}

/// Reads WeChat's answer: JSON with `errcode` (absent means 0) and `errmsg`.
fn parse_answer<T: DeserializeOwned>(status: u16, bytes: &[u8], secrets: &[&Secret]) -> Result<T, Error> {
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(value @ Value::Object(_)) => value,
        _ if !(200..300).contains(&status) => return Err(Error::Http { status }),
        _ => {
            let text = String::from_utf8_lossy(&bytes[..bytes.len().min(60)]).into_owned();
            return Err(Error::NotJson { status, start: redact(&text, secrets) });
        }
    };
    if !(200..300).contains(&status) {
        return Err(Error::Http { status });
    }
    let errcode = value.get("errcode").and_then(Value::as_i64).unwrap_or(0);
    let errmsg = value.get("errmsg").and_then(Value::as_str).unwrap_or("").to_owned();
    if errcode != 0 {
        return Err(Error::Api { errcode, errmsg: redact(&errmsg, secrets), caller: None });
    }
    let mut value = value;
    if let Value::Object(map) = &mut value {
        map.entry("errcode").or_insert(json!(0));
        map.entry("errmsg").or_insert(json!(""));
    }
    serde_json::from_value(value).map_err(|e| Error::NotJson { status, start: format!("unexpected shape: {e}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_parse() {
        let ok: Answer = parse_answer(200, br#"{"errcode":0,"errmsg":"ok"}"#, &[]).unwrap();
        assert_eq!(ok, Answer { errcode: 0, errmsg: "ok".into() });
        let omitted: Answer = parse_answer(200, br#"{}"#, &[]).unwrap();
        assert_eq!(omitted.errcode, 0);
        let failed = parse_answer::<Answer>(200, br#"{"errcode":85066,"errmsg":"invalid prefix rid: 1"}"#, &[]);
        assert_eq!(failed, Err(Error::Api { errcode: 85066, errmsg: "invalid prefix rid: 1".into(), caller: None }));
        assert_eq!(parse_answer::<Answer>(500, b"oops", &[]), Err(Error::Http { status: 500 }));
        assert!(matches!(parse_answer::<Answer>(200, b"<html>", &[]), Err(Error::NotJson { .. })));
        assert!(matches!(parse_answer::<Answer>(200, br#"{"errcode":0,"err"#, &[]), Err(Error::NotJson { .. })));
    }

    #[test]
    fn backoff_grows_with_jitter() {
        for _ in 0..100 {
            let first = backoff(1).as_millis();
            let second = backoff(2).as_millis();
            assert!((250..=750).contains(&first), "{first}");
            assert!((500..=1500).contains(&second), "{second}");
        }
    }
}
