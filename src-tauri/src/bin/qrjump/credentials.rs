//! The account of a `qrjump` run, from the environment (secrets) and flags
//! (the rest): an AppSecret, a given token, or a token server; and the
//! route of its calls. `qrjump accounts test` reports each step.

use std::time::SystemTime;

use clap::{Args, ValueEnum};
use serde_json::json;

use qrjump::app::ConnectionStep;
use qrjump::explain::connection::{self, BadSetting};
use qrjump::wechat::token_server;
use qrjump::wechat::{self, Account, AppId, Caller, Credentials, Field, Method, Route, Secret, TokenAt, TokenServer};

use super::{Cli, Exit, Failure, client, lang, scope, wechat_failure};

/// Where tokens come from when a token server hands them out, and which
/// way calls go. Secrets (the header, a proxy password) belong in the
/// environment variables, not in flags other users can see.
#[derive(Args)]
pub struct CredentialArgs {
    /// A token server's URL ({appid} is filled from QRJUMP_APPID).
    #[arg(long, global = true, value_name = "URL", env = "QRJUMP_TOKEN_URL")]
    token_url: Option<String>,
    /// How the token server is asked.
    #[arg(long, global = true, value_enum, default_value_t = MethodArg::Get, env = "QRJUMP_TOKEN_METHOD")]
    token_method: MethodArg,
    /// Where the token is in the answer: a JSON pointer, or `text`.
    #[arg(long, global = true, value_name = "POINTER", default_value = "/access_token", env = "QRJUMP_TOKEN_POINTER")]
    token_pointer: String,
    /// Where its lifetime in seconds is, if the answer has one.
    #[arg(long, global = true, value_name = "POINTER", env = "QRJUMP_TOKEN_EXPIRES_POINTER")]
    token_expires_pointer: Option<String>,
    /// The query parameter that carries the refused token when asking again.
    #[arg(long, global = true, value_name = "NAME", env = "QRJUMP_TOKEN_STALE_PARAM")]
    token_stale_param: Option<String>,
    /// An http:// or https:// forward proxy for WeChat calls (a fixed egress IP).
    #[arg(long, global = true, value_name = "URL", env = "QRJUMP_PROXY", hide_env_values = true)]
    proxy: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MethodArg {
    Get,
    Post,
}

fn var(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.trim().is_empty())
}

/// The account from the environment and flags; secrets never pass through argv.
pub fn account(cli: &Cli) -> Result<Account, Failure> {
    let args = &cli.credentials;
    // IT's policy: its token server and proxy are the defaults, and when it
    // is locked, what the command line says instead is not taken.
    let policy = &qrjump::policy::current().policy;
    let given = |value: &Option<String>| value.clone().filter(|v| !v.trim().is_empty());
    let (token_url, proxy) = (given(&args.token_url), given(&args.proxy));
    let token_url = policy.choose(policy.token_server_url.as_deref(), token_url.as_deref()).map(str::to_owned);
    let proxy = policy.choose(policy.proxy_url.as_deref(), proxy.as_deref()).map(str::to_owned);
    let from_policy = token_url.is_some() && token_url == policy.token_server_url;
    let token_method = match policy.token_server_method.as_deref() {
        Some("post") if from_policy => MethodArg::Post,
        Some("get") if from_policy => MethodArg::Get,
        _ => args.token_method,
    };
    let token_pointer = match &policy.token_pointer {
        Some(pointer) if from_policy => pointer.clone(),
        _ => args.token_pointer.clone(),
    };
    let route = match proxy.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(proxy) => Route::proxy_from_url(proxy).map_err(|e| bad(BadSetting::Proxy(&e)))?,
        None => Route::Direct,
    };
    let appid = || {
        var("QRJUMP_APPID")
            .map(|a| AppId::parse_for(Field::AccountAppid, &a))
            .transpose()
            .map_err(|e| bad(BadSetting::AppId(&e)))
    };
    if let Some(url) = token_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        let appid = appid()?;
        if url.contains("{appid}") && appid.is_none() {
            return Err(bad(BadSetting::AppIdNeeded));
        }
        token_server::check_server_url(url).map_err(|e| bad(BadSetting::ServerUrl(&e)))?;
        let header = match var("QRJUMP_TOKEN_HEADER") {
            Some(header) => {
                let (name, value) = header
                    .split_once(':')
                    .filter(|(name, _)| token_server::is_header_name(name))
                    .ok_or_else(|| bad(BadSetting::Header))?;
                Some((name.trim().to_owned(), Secret::new(value.trim())))
            }
            None => None,
        };
        let token_at = TokenAt::parse(&token_pointer).map_err(|e| bad(BadSetting::Pointer(&e)))?;
        let server = TokenServer {
            url: url.replace("{appid}", appid.as_ref().map_or("", |a| a.as_str())),
            method: match token_method {
                MethodArg::Get => Method::Get,
                MethodArg::Post => Method::Post,
            },
            header,
            token_at,
            expires_at: args.token_expires_pointer.clone(),
            stale_param: args.token_stale_param.clone(),
        };
        // One URL for many AppIDs is a third-party platform's server.
        let caller = url.contains("{appid}").then_some(Caller::Platform);
        return Ok(Account::new(Credentials::TokenServer { server, appid }).with_route(route).with_caller(caller));
    }
    if let Some(token) = var("QRJUMP_ACCESS_TOKEN") {
        let credentials = Credentials::AccessToken { token: Secret::new(token.trim()), expires_at: None::<SystemTime> };
        return Ok(Account::new(credentials).with_route(route));
    }
    match (appid()?, var("QRJUMP_APP_SECRET")) {
        (Some(appid), Some(secret)) => {
            Ok(Account::new(Credentials::AppSecret { appid, secret: Secret::new(secret.trim()) }).with_route(route))
        }
        _ => Err(Failure {
            hint: Some(connection::set_credentials(lang()).into()),
            ..Failure::input(connection::no_credentials(lang()))
        }),
    }
}

/// `qrjump accounts test`: the token by the account's route, then the
/// rule list; each step reported, the failing one named.
pub async fn test(cli: &Cli, appid: Option<&str>) -> Result<(Exit, serde_json::Value, String), Failure> {
    let lang = lang();
    let scope = scope(appid)?;
    let account = account(cli)?;
    let client = client(cli)?;
    let route = connection::route(account.route(), lang);
    let source = connection::token_source(account.credentials(), lang);
    let failed = |step: ConnectionStep, error: &wechat::Error| {
        let mut failure = wechat_failure(error, lang);
        let way = connection::step_way(step, account.credentials(), &route, &source);
        failure.message = connection::failed(step, way, &failure.message, lang);
        failure
    };
    if let Err(error) = client.access_token(&account).await {
        return Err(failed(ConnectionStep::Token, &error));
    }
    let list = match client.all_jump_qrcodes(&account, &scope).await {
        Ok(list) => list,
        Err(error) => return Err(failed(ConnectionStep::Rules, &error)),
    };
    let count = list.rule_list.len();
    let json = json!({
        "ok": true,
        "route": route,
        "steps": [
            { "step": "token", "ok": true, "source": source },
            { "step": "rules", "ok": true, "rules": count, "publishes_left": list.qrcodejump_pub_quota },
        ],
    });
    let text = connection::report(&route, &source, count, &scope, lang);
    Ok((Exit::Ok, json, text))
}

fn bad(setting: BadSetting<'_>) -> Failure {
    Failure::input(connection::bad_setting(setting, lang()))
}
