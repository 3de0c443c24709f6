//! A simulator of WeChat's qrcodejump API: a real HTTP server on
//! 127.0.0.1, rules held in memory, WeChat's answers and limits, and
//! injectable faults. The tests use it, and so does the demo account.
//!
//! It runs on its own thread with its own runtime, so it works the same
//! from a plain `#[test]`, an async test or the desktop app.

mod demo;
mod state;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;

pub use demo::{
    DEMO_MINI_PROGRAM, DEMO_SERVICE_ACCOUNT, DEMO_SERVICE_TARGET, DEMO_TOKEN_SERVER_KEY, DEMO_UNVERIFIED_HOST, Demo,
};
use state::State;
pub use state::{AccountKind, Fault, Received};

use crate::sync::lock;
use crate::wechat::Rule;

/// Where the simulator's token server answers.
pub const TOKEN_SERVER_PATH: &str = "/token-server/token";
/// The header that carries the token server's shared secret.
pub const TOKEN_SERVER_HEADER: &str = "X-Token-Key";

pub struct Simulator {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Simulator {
    /// Starts an empty simulator on an ephemeral port of 127.0.0.1.
    pub fn start() -> std::io::Result<Simulator> {
        Simulator::start_on(0)
    }

    /// Starts on `port` of 127.0.0.1 (0: any free port).
    pub fn start_on(port: u16) -> std::io::Result<Simulator> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::new()));
        let (shutdown, stopped) = tokio::sync::oneshot::channel();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let served = state.clone();
        let thread = std::thread::Builder::new().name("wechat-simulator".into()).spawn(move || {
            runtime.block_on(serve(listener, served, stopped));
        })?;
        Ok(Simulator { addr, state, shutdown: Some(shutdown), thread: Some(thread) })
    }

    /// The base URL to give as `QRJUMP_API_BASE`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    pub fn add_account(&self, appid: &str, secret: &str, kind: AccountKind) {
        self.state().accounts.insert(appid.into(), state::SimAccount { secret: secret.into(), kind });
    }

    /// Issues a token for `appid` directly, as a company's token server
    /// or a third-party platform would hand one over.
    pub fn issue_token(&self, appid: &str) -> String {
        let mut state = self.state();
        let secret = state.accounts.get(appid).map(|a| a.secret.clone()).unwrap_or_default();
        let request = serde_json::json!({ "grant_type": "client_credential", "appid": appid, "secret": secret });
        let answer = state.handle(crate::wechat::PATH_STABLE_TOKEN, None, &request);
        answer["access_token"].as_str().unwrap_or_default().to_owned()
    }

    pub fn add_rule(&self, owner: &str, target: Option<&str>, rule: Rule) {
        self.state().rules.entry((owner.into(), target.map(Into::into))).or_default().push(rule);
    }

    pub fn rules(&self, owner: &str, target: Option<&str>) -> Vec<Rule> {
        self.state().rules.get(&(owner.to_owned(), target.map(Into::into))).cloned().unwrap_or_default()
    }

    /// Makes the next answer on `path` misbehave.
    pub fn inject(&self, path: &str, fault: Fault) {
        self.inject_times(path, fault, 1);
    }

    pub fn inject_times(&self, path: &str, fault: Fault, times: usize) {
        let mut state = self.state();
        let queue = state.faults.entry(path.into()).or_default();
        queue.extend(std::iter::repeat_n(fault, times));
    }

    /// Lets every token expire now: the next call is answered 42001.
    pub fn expire_tokens(&self) {
        let mut state = self.state();
        let now = state.now();
        for (_, until) in state.tokens.values_mut() {
            *until = now;
        }
    }

    /// Moves the simulator's clock `by` ahead, without waiting: tokens age
    /// (and renew or expire), force-refresh and rate windows pass.
    pub fn advance(&self, by: Duration) {
        self.state().advance(by);
    }

    /// How long new tokens live (WeChat: 7200 s).
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.state().token_lifetime = lifetime;
    }

    /// Switches the 5-calls-a-second limit (on by default).
    pub fn set_rate_limit(&self, on: bool) {
        self.state().rate_limit = on;
    }

    pub fn set_publish_quota(&self, appid: &str, left: i64) {
        self.state().publish_quota.insert(appid.into(), left);
    }

    /// Every request received so far (tokens are not kept).
    pub fn received(&self) -> Vec<Received> {
        self.state().received.clone()
    }

    /// Answer `qrcodejumpget` without `total_count` (some SDK models lack it).
    pub fn omit_total_count(&self, omit: bool) {
        self.state().omit_total_count = omit;
    }

    /// Counts `adds` service-account rules as already added for the Mini
    /// Program `target` (WeChat allows 100,000 over its life).
    pub fn set_service_account_adds(&self, target: &str, adds: usize) {
        self.state().service_account_adds.insert(target.into(), adds);
    }

    /// How many calls were refused for exceeding a call limit (44990, and
    /// in service-account mode the per-minute limit).
    pub fn refusals(&self) -> usize {
        self.state().refusals
    }

    /// How many requests arrived on `path`.
    pub fn count(&self, path: &str) -> usize {
        self.state().received.iter().filter(|r| r.path == path).count()
    }

    /// Makes `host`'s web server lack the verification file: ordinary-mode
    /// adds there answer 85069 (`false` puts the file in place).
    pub fn require_verification_file(&self, host: &str, missing: bool) {
        let mut state = self.state();
        if missing {
            state.unverified_hosts.insert(host.into());
        } else {
            state.unverified_hosts.remove(host);
        }
    }

    /// Makes `appid` a Mini Program with no released version: publishes
    /// answer 85074 (`false`: it has one again).
    pub fn set_released(&self, appid: &str, released: bool) {
        let mut state = self.state();
        if released {
            state.unreleased.remove(appid);
        } else {
            state.unreleased.insert(appid.into());
        }
    }

    /// Lets `appid` be called only from `ips` (an empty list: from nowhere),
    /// as WeChat's IP whitelist does: 40164 with the caller's address.
    pub fn enforce_ip_whitelist(&self, appid: &str, ips: &[&str]) {
        self.state().whitelists.insert(appid.into(), ips.iter().map(|ip| ip.to_string()).collect());
    }

    pub fn lift_ip_whitelist(&self, appid: &str) {
        self.state().whitelists.remove(appid);
    }

    /// Serves a company token server at [`TOKEN_SERVER_PATH`]`?appid=...`
    /// that hands out tokens to callers sending `X-Token-Key: key`.
    pub fn serve_token_server(&self, key: &str) {
        self.state().token_server_key = Some(key.into());
    }

    /// The token server's URL for any AppID (`{appid}` left to fill).
    pub fn token_server_url(&self) -> String {
        format!("{}{TOKEN_SERVER_PATH}?appid={{appid}}", self.base_url())
    }

    /// Answers `errcode` for every delete, to show how the app explains it.
    pub fn answer_next(&self, path: &str, errcode: i64, errmsg: &str) {
        self.inject(path, Fault::Errcode(errcode, errmsg.into()));
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    state: Arc<Mutex<State>>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
    // Dropping the set at shutdown aborts every connection, hung ones too.
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else { continue };
                let state = state.clone();
                connections.spawn(async move {
                    let peer = peer.ip().to_canonical().to_string();
                    let service = hyper::service::service_fn(move |request| answer(state.clone(), peer.clone(), request));
                    let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// The error a service returns to make hyper drop the connection unanswered.
#[derive(Debug)]
struct CloseConnection;

impl std::fmt::Display for CloseConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("fault injected: close the connection")
    }
}

impl std::error::Error for CloseConnection {}

async fn answer(
    state: Arc<Mutex<State>>,
    peer: String,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, CloseConnection> {
    let path = request.uri().path().to_owned();
    let query = |name: &str| {
        let prefix = format!("{name}=");
        request
            .uri()
            .query()
            .and_then(|query| query.split('&').find_map(|pair| pair.strip_prefix(prefix.as_str()).map(str::to_owned)))
    };
    let token = query("access_token");
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let via = header("via");
    if path == TOKEN_SERVER_PATH {
        let (appid, stale, key) = (query("appid").unwrap_or_default(), query("stale"), header(TOKEN_SERVER_HEADER));
        let fault = {
            let mut state = lock(&state);
            state.received.push(Received { path: path.clone(), body: serde_json::json!({ "appid": appid }), via });
            state.take_fault(&path)
        };
        match fault {
            Some(Fault::Hang) => return std::future::pending().await,
            Some(Fault::Html) => {
                return Ok(reply(StatusCode::OK, Some("text/html"), "<html><body>Sign in</body></html>".into()));
            }
            Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
            _ => {}
        }
        let (status, body) = lock(&state).token_server(key.as_deref(), &appid, stale.as_deref());
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return Ok(reply(status, Some("application/json"), body.to_string()));
    }
    let bytes = request.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let fault = {
        let mut state = lock(&state);
        let mut logged = body.clone();
        if let Some(secret) = logged.get_mut("secret") {
            *secret = Value::String("***".into());
        }
        state.received.push(Received { path: path.clone(), body: logged, via });
        state.take_fault(&path)
    };
    let json = |value: Value| reply(StatusCode::OK, Some("application/json; charset=utf-8"), value.to_string());
    match fault {
        Some(Fault::Hang) => return std::future::pending().await,
        Some(Fault::Close) => return Err(CloseConnection),
        Some(Fault::Http500) => {
            return Ok(reply(StatusCode::INTERNAL_SERVER_ERROR, None, "Internal Server Error".into()));
        }
        Some(Fault::Html) => {
            return Ok(reply(
                StatusCode::OK,
                Some("text/html"),
                "<html><body><h1>502 Bad Gateway</h1></body></html>".into(),
            ));
        }
        Some(Fault::TruncatedJson) => {
            return Ok(reply(StatusCode::OK, Some("application/json"), r#"{"errcode":0,"errm"#.into()));
        }
        Some(Fault::Errcode(errcode, text)) => {
            let mut state = lock(&state);
            return Ok(json(state.error(errcode, &text)));
        }
        Some(Fault::ActThenBusy) => {
            let mut state = lock(&state);
            let _done = state.handle_from(&peer, &path, token.as_deref(), &body);
            return Ok(json(state.error(-1, "system error")));
        }
        Some(Fault::ActThenHang(delay)) => {
            tokio::time::sleep(delay).await;
            let _done = lock(&state).handle_from(&peer, &path, token.as_deref(), &body);
            return std::future::pending().await;
        }
        Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
        None => {}
    }
    let mut state = lock(&state);
    Ok(json(state.handle_from(&peer, &path, token.as_deref(), &body)))
}

/// A response with `status`, an optional content type and `body`. Built
/// field by field: `Response::builder` returns a `Result` for parts that
/// here are always valid.
fn reply(status: StatusCode, content_type: Option<&'static str>, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    if let Some(content_type) = content_type {
        response
            .headers_mut()
            .insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static(content_type));
    }
    response
}
