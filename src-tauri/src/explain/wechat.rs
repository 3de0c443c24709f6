//! WeChat's answers and the faults met on the way to it, in words.

use crate::lang::Lang;
use crate::wechat::catalogue;
use crate::wechat::token_server::{ServerUrlError, TokenServerError};
use crate::wechat::whitelist::{Caller, IP_REFUSED, reported_ip};
use crate::wechat::{Error, Mode};

use super::Explanation;

/// What `error` means and what to do about it, for a call made in `mode`
/// when known: some codes mean something else in service-account mode.
pub fn error(error: &Error, mode: Option<Mode>, lang: Lang) -> Explanation {
    let (meaning, todo): (String, String) = match error {
        Error::Input(input) => (super::input(input, lang), lang.pick("请修改后再试。", "Correct it and try again.").into()),
        Error::Api { errcode, errmsg, caller } => match whitelist(*errcode, errmsg, *caller, lang) {
            Some(told) => told,
            None => code(*errcode, mode, lang),
        },
        Error::TokenServer(error) => token_server(error, lang),
        Error::Http { status } => (
            match lang {
                // A gateway may answer 500 after WeChat acted: the
                // outcome is unknown (see outcome_unknown), not "failed".
                Lang::ZhCn => format!("服务器返回了 HTTP {status} 错误（可能来自网关或代理），不确定微信是否已处理这次请求。"),
                Lang::En => format!("The server answered HTTP {status} (perhaps from a gateway or proxy); it is not known whether WeChat handled the request."),
            },
            lang.pick("请刷新规则列表确认结果，再决定是否重试；若持续出现，请检查网络代理设置。",
                      "Refresh the rule list to see the result, then decide whether to retry; if it persists, check the network proxy settings.").into(),
        ),
        Error::NotJson { .. } => (
            lang.pick("服务器的回应不是微信的格式（可能是网关或代理的网页），不确定操作是否已生效。",
                      "The server's answer was not in WeChat's format (perhaps a gateway or proxy page); it is not known whether the action took effect.").into(),
            lang.pick("请检查网络（代理、公司防火墙），刷新规则列表确认结果后再决定是否重试。",
                      "Check the network (proxy, company firewall), refresh the rule list to see the result, then decide whether to retry.").into(),
        ),
        Error::Timeout(after) => (
            match lang {
                Lang::ZhCn => format!("等待 {} 秒后仍未收到微信的回应，不确定操作是否已生效。", after.as_secs()),
                Lang::En => format!("No answer from WeChat within {} seconds; it is not known whether the action took effect.", after.as_secs()),
            },
            lang.pick("请检查网络后，刷新规则列表确认结果，再决定是否重试。", "Check the network, refresh the rule list to see the result, then decide whether to retry.").into(),
        ),
        Error::Connect(host) => (
            match lang {
                Lang::ZhCn => format!("无法连接到 {host}。"),
                Lang::En => format!("Could not connect to {host}."),
            },
            lang.pick("请检查本机是否联网，以及代理或防火墙设置。", "Check that this computer is online, and the proxy or firewall settings.").into(),
        ),
        Error::Network(_) => (
            lang.pick("连接在收到完整回应前中断，不确定操作是否已生效。", "The connection broke before the whole answer arrived; it is not known whether the action took effect.").into(),
            lang.pick("请刷新规则列表确认结果，再决定是否重试。", "Refresh the rule list to see the result, then decide whether to retry.").into(),
        ),
        Error::Redirect { status, to } => (
            match lang {
                Lang::ZhCn => format!("服务器返回了 HTTP {status} 重定向，指向 {to}。微信的接口从不重定向，为保护令牌和密钥，本程序不跟随重定向，请求未发往别处。"),
                Lang::En => format!("The server answered HTTP {status}, a redirect to {to}. WeChat's API never redirects; to keep the token and secret safe the app does not follow it, and nothing was sent there."),
            },
            lang.pick("请检查 API 地址或网关地址是否正确，或请 IT 查看网关、代理的设置。",
                      "Check the API or gateway address, or ask IT to look at the gateway's or proxy's settings.").into(),
        ),
        Error::PathInAnswer { name } => (
            match lang {
                Lang::ZhCn => format!("服务器给出的文件名 {name:?} 不是单纯的文件名（只允许字母、数字、“.”“_”“-”），可能想把文件写到别处。本程序拒绝保存，没有写入任何文件。"),
                Lang::En => format!("The server named the file {name:?}, which is not a plain file name (only letters, digits, '.', '_' and '-'): it could choose where the file is written. The app refused and wrote nothing."),
            },
            lang.pick("请确认 API 地址或网关是微信的；若是，请联系微信支持并附上这条信息。",
                      "Check that the API address or gateway is WeChat's; if it is, contact WeChat support with this message.").into(),
        ),
        Error::TokenExpired => (
            lang.pick("该账号填入的访问令牌已过期。", "The access token given for this account has expired.").into(),
            lang.pick("请在账号设置中填入新的令牌。", "Paste a fresh token in the account settings.").into(),
        ),
    };
    Explanation { meaning, what_to_do: todo }
}

fn code(errcode: i64, mode: Option<Mode>, lang: Lang) -> (String, String) {
    match catalogue::lookup_in(errcode, mode) {
        Some(entry) => (entry.meaning(lang).into(), entry.what_to_do(lang).into()),
        None => (
            match lang {
                Lang::ZhCn => format!("微信返回了本程序不认识的错误码 {errcode}。"),
                Lang::En => format!("WeChat answered with an error code this app does not know ({errcode})."),
            },
            lang.pick(
                "请查看上面微信返回的原始信息，必要时在微信开放文档中搜索该错误码。",
                "Read WeChat's message above; search WeChat's documentation for the code if needed.",
            )
            .into(),
        ),
    }
}

/// A token server's fault, told so that IT knows which server to look at.
fn token_server(error: &TokenServerError, lang: Lang) -> (String, String) {
    let ask_it = lang.pick(
        "请把这条信息发给管理令牌服务器的同事；微信没有被调用，本次没有做任何更改。",
        "Send this message to whoever runs the token server; WeChat was not called and nothing was changed.",
    );
    let meaning = match (error, lang) {
        (TokenServerError::Unreachable(host), Lang::ZhCn) => format!("无法连接到公司令牌服务器 {host}。"),
        (TokenServerError::Unreachable(host), Lang::En) => {
            format!("Could not connect to the company token server {host}.")
        }
        (TokenServerError::Timeout { host, after }, Lang::ZhCn) => {
            format!("公司令牌服务器 {host} 在 {} 秒内没有回应。", after.as_secs())
        }
        (TokenServerError::Timeout { host, after }, Lang::En) => {
            format!("The company token server {host} did not answer within {} seconds.", after.as_secs())
        }
        (TokenServerError::Refused { status }, Lang::ZhCn) => {
            format!("令牌服务器拒绝了本程序的身份验证（HTTP {status}）：认证请求头的名称或值不对。")
        }
        (TokenServerError::Refused { status }, Lang::En) => format!(
            "The token server refused the app's authentication (HTTP {status}): the authentication header's name or value is wrong."
        ),
        (TokenServerError::Http { status }, Lang::ZhCn) => format!("令牌服务器返回了 HTTP {status} 错误。"),
        (TokenServerError::Http { status }, Lang::En) => format!("The token server answered HTTP {status}."),
        (TokenServerError::NotJson { start }, Lang::ZhCn) => {
            format!("令牌服务器的回应不是 JSON（开头是 {start:?}），可能是登录页或代理的网页，或地址填错了。")
        }
        (TokenServerError::NotJson { start }, Lang::En) => format!(
            "The token server's answer is not JSON (it starts {start:?}): perhaps a login or proxy page, or a wrong URL."
        ),
        (TokenServerError::NoToken { pointer, shape }, Lang::ZhCn) => {
            format!("令牌服务器的回应在 {pointer} 处没有令牌。它的结构是（值已隐去）：{shape}")
        }
        (TokenServerError::NoToken { pointer, shape }, Lang::En) => {
            format!("The token server's answer has no token at {pointer}. Its shape (values hidden): {shape}")
        }
        (TokenServerError::Network(_), Lang::ZhCn) => "与令牌服务器的连接中断。".into(),
        (TokenServerError::Network(_), Lang::En) => "The connection to the token server broke.".into(),
        (TokenServerError::Redirect { status, to }, Lang::ZhCn) => {
            format!("令牌服务器返回了 HTTP {status} 重定向，指向 {to}。为保护认证请求头，本程序不跟随重定向。")
        }
        (TokenServerError::Redirect { status, to }, Lang::En) => format!(
            "The token server answered HTTP {status}, a redirect to {to}. To keep the authentication header safe, the app does not follow it."
        ),
        (TokenServerError::BadUrl(why), Lang::ZhCn) => match why {
            ServerUrlError::NotTls => "令牌服务器地址必须是 https://（http:// 只允许指向本机）：否则认证请求头和令牌会以明文经过网络。本程序没有连接它。".into(),
            ServerUrlError::Credentials | ServerUrlError::KeyInQuery => "令牌服务器地址中含有用户名、密码或密钥：密钥应放在认证请求头中，由系统凭据存储保管。本程序没有连接它。".into(),
            ServerUrlError::NotUrl => "令牌服务器地址不是有效的 https:// 地址。".into(),
        },
        (TokenServerError::BadUrl(why), Lang::En) => format!("The token server's URL {why}. The app did not connect to it."),
        (TokenServerError::TooLarge { limit }, Lang::ZhCn) => {
            format!("令牌服务器的回应超过 {} KB，不像是令牌，未读取。", limit >> 10)
        }
        (TokenServerError::TooLarge { limit }, Lang::En) => {
            format!("The token server's answer is larger than {} KB, not a token; it was not read.", limit >> 10)
        }
    };
    let todo = match error {
        TokenServerError::NoToken { .. } => lang
            .pick(
                "请在令牌服务器设置中改正“令牌位置”（例如 /data/access_token），或选用相符的预设。",
                "Correct \"where the token is\" in the token server's settings (e.g. /data/access_token), or pick the matching preset.",
            )
            .to_owned(),
        TokenServerError::BadUrl(_) => lang
            .pick("请在令牌服务器设置中改为 https:// 地址，并把密钥填入认证请求头。", "Change the token server's URL to https:// in its settings, and put the secret in the authentication header.")
            .to_owned(),
        TokenServerError::Refused { .. } => lang
            .pick("请在令牌服务器设置中重新填写认证请求头。", "Enter the authentication header again in the token server's settings.")
            .to_owned(),
        _ => ask_it.to_owned(),
    };
    (meaning, todo)
}

/// Meaning and what to do for a whitelist or permission refusal, or `None`
/// when the catalogue's general entry says it as well.
fn whitelist(errcode: i64, errmsg: &str, caller: Option<Caller>, lang: Lang) -> Option<(String, String)> {
    if IP_REFUSED.contains(&errcode) {
        return Some(ip_refused(errmsg, caller, lang));
    }
    if errcode == 48001 && caller == Some(Caller::MiniProgram) {
        return Some((
            lang.pick(
                "微信没有授权这个小程序自己的令牌调用二维码规则接口（48001）。微信文档没有说清小程序的令牌能否调用这些接口。",
                "WeChat did not authorise the Mini Program's own token for the QR code rule API (48001). WeChat's documentation does not settle whether a Mini Program's token may call it.",
            )
            .into(),
            lang.pick(
                "请改用已认证服务号的账号（服务号模式，填小程序 AppID），或由第三方平台（服务商）的令牌服务器提供授权令牌。",
                "Use a verified service account instead (service-account mode, with the Mini Program's AppID), or an authorizer token from a third-party platform's token server.",
            )
            .into(),
        ));
    }
    None
}

fn ip_refused(errmsg: &str, caller: Option<Caller>, lang: Lang) -> (String, String) {
    let ip = reported_ip(errmsg);
    let seen = match (&ip, lang) {
        (Some(ip), Lang::ZhCn) => format!("微信看到本次调用来自 IP {ip}，"),
        (Some(ip), Lang::En) => format!("WeChat saw this call come from IP {ip}, "),
        (None, Lang::ZhCn) => "微信没有接受本次调用的来源 IP，".into(),
        (None, Lang::En) => "WeChat did not accept the IP this call came from, ".into(),
    };
    let which = match (caller, lang) {
        (Some(Caller::MiniProgram), Lang::ZhCn) => {
            "它不在小程序的 IP 白名单中（小程序只在用 AppSecret 取令牌时检查白名单）。"
        }
        (Some(Caller::MiniProgram), Lang::En) => {
            "which is not on the Mini Program's IP whitelist (checked only when a token is fetched with the AppSecret)."
        }
        (Some(Caller::ServiceAccount), Lang::ZhCn) => "它不在服务号的 IP 白名单中（服务号的每次调用都检查白名单）。",
        (Some(Caller::ServiceAccount), Lang::En) => {
            "which is not on the service account's IP whitelist (checked on every call)."
        }
        (Some(Caller::Platform), Lang::ZhCn) => {
            "它不在第三方平台的白名单中（用第三方平台或授权令牌的每次调用都检查）。"
        }
        (Some(Caller::Platform), Lang::En) => {
            "which is not on the third-party platform's whitelist (checked on every call with a platform or authorizer token)."
        }
        (None, Lang::ZhCn) => "它不在该账号的 IP 白名单中。",
        (None, Lang::En) => "which is not on the account's IP whitelist.",
    };
    let add = match (caller, lang) {
        (Some(Caller::Platform), Lang::ZhCn) => "请服务商在微信开放平台的第三方平台设置中把该 IP 加入白名单。",
        (Some(Caller::Platform), Lang::En) => {
            "Ask the service provider to add the IP to the platform's whitelist in the WeChat Open Platform."
        }
        (_, Lang::ZhCn) => "请在微信公众平台“开发管理 > 开发设置 > IP 白名单”中加入该 IP。",
        (_, Lang::En) => "Add the IP in the WeChat console under Development > Settings > IP whitelist.",
    };
    let todo = match lang {
        Lang::ZhCn => format!(
            "{add}微信需要几分钟才能生效，本程序不会自动重试。办公网络的 IP 常会变化：长久的办法是在账号设置中让调用经由固定出口 IP 的代理或公司 API 网关。"
        ),
        Lang::En => format!(
            "{add} WeChat takes a few minutes to apply the change; the app does not retry by itself. Office IPs change: the lasting fix is to route this account's calls through a proxy or company API gateway with a fixed IP (account settings)."
        ),
    };
    (format!("{seen}{which}"), todo)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::wechat::InputError;

    #[test]
    fn unknown_codes_keep_the_raw_code() {
        let answer = Error::Api { errcode: 12345, errmsg: "strange rid: abc".into(), caller: None };
        assert!(error(&answer, None, Lang::En).meaning.contains("12345"));
        assert!(answer.to_string().contains("strange rid: abc"));
    }

    #[test]
    fn every_kind_explains_itself_in_both_languages() {
        let errors = [
            Error::Input(InputError::PrefixNotUrl),
            Error::Api { errcode: 40164, errmsg: "x".into(), caller: None },
            Error::TokenServer(TokenServerError::Refused { status: 401 }),
            Error::Http { status: 500 },
            Error::NotJson { status: 200, start: "<html>".into() },
            Error::Timeout(Duration::from_secs(3)),
            Error::Connect("127.0.0.1:1".into()),
            Error::Network("closed".into()),
            Error::TokenExpired,
            Error::Redirect { status: 307, to: "https://elsewhere.test/x".into() },
            Error::PathInAnswer { name: "../../x".into() },
            Error::TokenServer(TokenServerError::Redirect { status: 302, to: "https://elsewhere.test/".into() }),
        ];
        for fault in errors {
            for lang in [Lang::ZhCn, Lang::En] {
                let explanation = error(&fault, None, lang);
                assert!(!explanation.meaning.is_empty() && !explanation.what_to_do.is_empty(), "{fault:?}");
            }
        }
    }

    #[test]
    fn each_kind_names_its_whitelist() {
        let msg = "invalid ip 203.0.113.9, not in whitelist";
        let platform = whitelist(61004, msg, Some(Caller::Platform), Lang::En).unwrap();
        assert!(platform.0.contains("203.0.113.9") && platform.0.contains("third-party platform"), "{platform:?}");
        let service = whitelist(40164, msg, Some(Caller::ServiceAccount), Lang::ZhCn).unwrap();
        assert!(service.0.contains("服务号") && service.1.contains("几分钟"), "{service:?}");
        let mini = whitelist(40164, msg, Some(Caller::MiniProgram), Lang::En).unwrap();
        assert!(mini.0.contains("AppSecret") && mini.1.contains("fixed IP"), "{mini:?}");
        assert!(whitelist(48001, "", Some(Caller::ServiceAccount), Lang::En).is_none());
        assert!(whitelist(48001, "", Some(Caller::MiniProgram), Lang::En).unwrap().1.contains("service account"));
    }
}
