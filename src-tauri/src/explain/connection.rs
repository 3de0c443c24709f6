//! "Test connection" in words, for the window's Accounts tab and for
//! `qrjump accounts test`: where the token came from, which way the calls
//! go, what the rule list held, and which step failed.

use crate::app::ConnectionStep;
use crate::lang::Lang;
use crate::wechat::token_server::{ServerUrlError, host_of};
use crate::wechat::{Credentials, InputError, Route, RouteError, Scope};

/// Where an account's token comes from.
pub fn token_source(credentials: &Credentials, lang: Lang) -> String {
    match (credentials, lang) {
        (Credentials::AppSecret { .. }, Lang::ZhCn) => "微信（用 AppSecret 取得）".into(),
        (Credentials::AppSecret { .. }, Lang::En) => "WeChat (fetched with the AppSecret)".into(),
        (Credentials::AccessToken { .. }, Lang::ZhCn) => "填入的令牌".into(),
        (Credentials::AccessToken { .. }, Lang::En) => "the token given".into(),
        (Credentials::TokenServer { server, .. }, Lang::ZhCn) => format!("令牌服务器 {}", server.host()),
        (Credentials::TokenServer { server, .. }, Lang::En) => format!("the token server {}", server.host()),
    }
}

/// Which way an account's calls go.
pub fn route(route: &Route, lang: Lang) -> String {
    match (route, lang) {
        (Route::Direct, Lang::ZhCn) => "直连微信（按系统代理设置）".into(),
        (Route::Direct, Lang::En) => "direct to WeChat (system proxy settings)".into(),
        (Route::Proxy { url, .. }, Lang::ZhCn) => format!("经代理服务器 {}", host_of(url)),
        (Route::Proxy { url, .. }, Lang::En) => format!("through the proxy {}", host_of(url)),
        (Route::Gateway { base }, Lang::ZhCn) => format!("经公司 API 网关 {base}"),
        (Route::Gateway { base }, Lang::En) => format!("through the API gateway {base}"),
    }
}

/// The window's answer when both steps worked.
pub fn works(token_source: &str, route: &str, count: usize, publishes_left: Option<i64>, lang: Lang) -> String {
    match (lang, publishes_left) {
        (Lang::ZhCn, Some(q)) => {
            format!("连接正常：令牌来自{token_source}，调用{route}；共有 {count} 条二维码规则，本月还可发布 {q} 次。")
        }
        (Lang::ZhCn, None) => format!("连接正常：令牌来自{token_source}，调用{route}；共有 {count} 条二维码规则。"),
        (Lang::En, Some(q)) => format!(
            "Connection works: the token came from {token_source}, calls go {route}; {count} QR code rule(s), {q} publish(es) left this month."
        ),
        (Lang::En, None) => {
            format!("Connection works: the token came from {token_source}, calls go {route}; {count} QR code rule(s).")
        }
    }
}

/// The window's answer for a service account with no Mini Program's AppID
/// to read a rule list for: the token is all that could be proved.
pub fn token_only(token_source: &str, route: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!(
            "已从{token_source}取得服务号的访问令牌，调用{route}。读取规则列表需要小程序 AppID：在“删除规则”页填写后即可查看。"
        ),
        Lang::En => format!(
            "The service account's token came from {token_source}; calls go {route}. Reading a rule list needs a Mini Program's AppID: enter one on the Delete screen."
        ),
    }
}

/// Which step failed, as a sentence's subject.
fn step_failed(step: ConnectionStep, lang: Lang) -> &'static str {
    match step {
        ConnectionStep::Token => lang.pick("取得访问令牌失败", "Getting the access token failed"),
        ConnectionStep::Rules => lang.pick("读取规则列表失败", "Reading the rule list failed"),
    }
}

/// Which way a step went, of the account's `route` and `token_source` as
/// worded above: a token server is asked directly, whatever the route of
/// WeChat's calls; everything else goes by that route.
pub fn step_way<'a>(step: ConnectionStep, credentials: &Credentials, route: &'a str, token_source: &'a str) -> &'a str {
    match (step, credentials) {
        (ConnectionStep::Token, Credentials::TokenServer { .. }) => token_source,
        _ => route,
    }
}

/// A failed step in one sentence, for the window and the command line
/// alike: the step, the way it went ([`step_way`]), what went wrong.
pub fn failed(step: ConnectionStep, way: &str, what: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{}（{way}）：{what}", step_failed(step, lang)),
        Lang::En => format!("{} ({way}): {what}", step_failed(step, lang)),
    }
}

/// The command line's report: one line a step.
pub fn report(route: &str, token_source: &str, count: usize, scope: &Scope, lang: Lang) -> String {
    match (scope, lang) {
        (Scope::Ordinary, Lang::En) => {
            format!("route: {route}\ntoken: ok, from {token_source}\nrules: ok, {count} rule(s) in ordinary-QR mode\n")
        }
        (Scope::ServiceAccount(appid), Lang::En) => format!(
            "route: {route}\ntoken: ok, from {token_source}\nrules: ok, {count} rule(s) in service-account mode for {appid}\n"
        ),
        (Scope::Ordinary, Lang::ZhCn) => {
            format!("线路：{route}\n令牌：正常，来自{token_source}\n规则：正常，普通二维码模式下共 {count} 条\n")
        }
        (Scope::ServiceAccount(appid), Lang::ZhCn) => format!(
            "线路：{route}\n令牌：正常，来自{token_source}\n规则：正常，服务号模式下小程序 {appid} 共 {count} 条\n"
        ),
    }
}

/// The command line was given no credentials.
pub fn no_credentials(lang: Lang) -> &'static str {
    lang.pick(
        "没有凭据：必须设置 QRJUMP_APPID + QRJUMP_APP_SECRET、QRJUMP_ACCESS_TOKEN 或 QRJUMP_TOKEN_URL",
        "no credentials: QRJUMP_APPID + QRJUMP_APP_SECRET, QRJUMP_ACCESS_TOKEN or QRJUMP_TOKEN_URL must be set",
    )
}

/// What to do about `no_credentials`.
pub fn set_credentials(lang: Lang) -> &'static str {
    lang.pick(
        "请设置 QRJUMP_APPID 和 QRJUMP_APP_SECRET、QRJUMP_ACCESS_TOKEN 或 QRJUMP_TOKEN_URL（见 qrjump --help）。",
        "Set QRJUMP_APPID and QRJUMP_APP_SECRET, QRJUMP_ACCESS_TOKEN, or QRJUMP_TOKEN_URL (see qrjump --help).",
    )
}

/// A credential setting of the command line that does not hold.
#[derive(Debug)]
pub enum BadSetting<'a> {
    Proxy(&'a RouteError),
    AppId(&'a InputError),
    /// QRJUMP_TOKEN_URL holds {appid} and no QRJUMP_APPID is set.
    AppIdNeeded,
    ServerUrl(&'a ServerUrlError),
    Header,
    /// TokenAt::parse's words (a JSON pointer, or "text").
    Pointer(&'a str),
}

/// `BadSetting` in words, named by its environment variable.
pub fn bad_setting(bad: BadSetting<'_>, lang: Lang) -> String {
    match (bad, lang) {
        (BadSetting::Proxy(e), Lang::En) => format!("QRJUMP_PROXY {e}"),
        (BadSetting::Proxy(_), Lang::ZhCn) => {
            "QRJUMP_PROXY：必须是 http:// 或 https:// 地址，例如 http://user:password@proxy.corp:3128".into()
        }
        (BadSetting::AppId(e), Lang::En) => format!("QRJUMP_APPID {e}"),
        (BadSetting::AppId(e), Lang::ZhCn) => format!("QRJUMP_APPID：{}", super::input(e, lang)),
        (BadSetting::AppIdNeeded, Lang::En) => "QRJUMP_TOKEN_URL holds {appid}: set QRJUMP_APPID too".into(),
        (BadSetting::AppIdNeeded, Lang::ZhCn) => "QRJUMP_TOKEN_URL 含有 {appid}：请同时设置 QRJUMP_APPID".into(),
        (BadSetting::ServerUrl(why), Lang::En) => format!("QRJUMP_TOKEN_URL {}", super::server_url(why, lang)),
        (BadSetting::ServerUrl(why), Lang::ZhCn) => format!("QRJUMP_TOKEN_URL：{}", super::server_url(why, lang)),
        (BadSetting::Header, Lang::En) => {
            "QRJUMP_TOKEN_HEADER: must be `Name: value`, e.g. `Authorization: Bearer ...`".into()
        }
        (BadSetting::Header, Lang::ZhCn) => {
            "QRJUMP_TOKEN_HEADER：格式必须是 `名称: 值`，例如 `Authorization: Bearer ...`".into()
        }
        (BadSetting::Pointer(why), Lang::En) => format!("QRJUMP_TOKEN_POINTER: {why}"),
        (BadSetting::Pointer(_), Lang::ZhCn) => {
            "QRJUMP_TOKEN_POINTER：必须是 JSON 指针（以 / 开头，如 /data/access_token）或 text".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wechat::token_server::{TokenAt, TokenServer};
    use crate::wechat::{Method, Secret};

    #[test]
    fn a_failed_step_names_the_way_it_went_in_both_languages() {
        let server = TokenServer {
            url: "https://tokens.corp.example/wx?appid=wx1".into(),
            method: Method::Get,
            header: None,
            token_at: TokenAt::parse("/access_token").unwrap(),
            expires_at: None,
            stale_param: None,
        };
        let from_server = Credentials::TokenServer { server, appid: None };
        let given = Credentials::AccessToken { token: Secret::new("t"), expires_at: None };
        let proxy = Route::Proxy { url: "http://proxy.corp.example:3128".into(), user: None, password: None };

        // A token server is asked directly; WeChat's calls take the route.
        let way_of = |step, credentials, calls, lang| {
            step_way(step, credentials, &route(calls, lang), &token_source(credentials, lang)).to_owned()
        };
        let way = way_of(ConnectionStep::Token, &from_server, &proxy, Lang::En);
        assert_eq!(way, "the token server tokens.corp.example");
        assert_eq!(
            way_of(ConnectionStep::Rules, &from_server, &proxy, Lang::En),
            "through the proxy proxy.corp.example:3128"
        );
        assert_eq!(way_of(ConnectionStep::Token, &given, &Route::Direct, Lang::ZhCn), "直连微信（按系统代理设置）");

        assert_eq!(
            failed(ConnectionStep::Token, &way, "refused", Lang::En),
            "Getting the access token failed (the token server tokens.corp.example): refused"
        );
        assert_eq!(
            failed(ConnectionStep::Rules, "经代理服务器 p:1", "超时", Lang::ZhCn),
            "读取规则列表失败（经代理服务器 p:1）：超时"
        );
    }
}
