//! Everything that can go wrong talking to WeChat, and how each is told to
//! an admin.

use std::time::Duration;

use serde::Serialize;

use super::catalogue;
use super::input::{InputError, Mode};
use super::token_server::{ServerUrlError, TokenServerError};
use super::whitelist::{self, Caller};
use crate::lang::Lang;

/// Refusals of the caller, not of the call: the IP whitelists (API,
/// third-party platform, admin confirmation) and an invalid AppID, AppSecret
/// or a frozen one.
const FINAL_CODES: [i64; 6] = [40164, 61004, 89503, 40013, 40125, 40243];

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The input was refused before any request was sent.
    #[error(transparent)]
    Input(#[from] InputError),
    /// WeChat answered, with an errcode other than 0.
    #[error("WeChat answered errcode {errcode}: {errmsg}")]
    Api {
        errcode: i64,
        errmsg: String,
        /// Whose token made the call, when known: it decides which
        /// whitelist an IP refusal means.
        caller: Option<Caller>,
    },
    /// The server answered with an HTTP error status.
    #[error("the server answered HTTP {status}")]
    Http { status: u16 },
    /// The answer was not the JSON WeChat sends (an HTML error page, a cut-off body...).
    #[error("the server's answer was not valid JSON (HTTP {status}, starts with {start:?})")]
    NotJson { status: u16, start: String },
    /// No complete answer within the time limit.
    #[error("no answer from the server within {} seconds", .0.as_secs_f32())]
    Timeout(Duration),
    /// Could not connect at all (refused, no route, DNS).
    #[error("could not connect to {0}")]
    Connect(String),
    /// The connection broke during the exchange.
    #[error("the connection broke before the answer was complete: {0}")]
    Network(String),
    /// A token given directly has passed its expiry; refreshing is not ours to do.
    #[error("the access token given for this account expired; paste a fresh one")]
    TokenExpired,
    /// The account's token server could not give a token: WeChat was not called.
    #[error(transparent)]
    TokenServer(#[from] TokenServerError),
    /// The server answered with a redirect, which is never followed: it
    /// would carry the token (and a replayed body) to another place.
    #[error("the server answered HTTP {status}, a redirect to {to}, which is not followed")]
    Redirect { status: u16, to: String },
    /// The server named a file with a path in it: refused, nothing written.
    #[error(
        "the server named the file {name:?}, which is not a plain file name (letters, digits, '.', '_', '-'); nothing was saved"
    )]
    PathInAnswer { name: String },
}

/// The kinds, as stored in the history and sent to the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Input,
    Wechat,
    Http,
    NotJson,
    Timeout,
    Connect,
    Network,
    TokenExpired,
    TokenServer,
    Redirect,
    PathInAnswer,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Input => "input",
            Kind::Wechat => "wechat",
            Kind::Http => "http",
            Kind::NotJson => "not_json",
            Kind::Timeout => "timeout",
            Kind::Connect => "connect",
            Kind::Network => "network",
            Kind::TokenExpired => "token_expired",
            Kind::TokenServer => "token_server",
            Kind::Redirect => "redirect",
            Kind::PathInAnswer => "path_in_answer",
        }
    }
}

impl Error {
    pub fn kind(&self) -> Kind {
        match self {
            Error::Input(_) => Kind::Input,
            Error::Api { .. } => Kind::Wechat,
            Error::Http { .. } => Kind::Http,
            Error::NotJson { .. } => Kind::NotJson,
            Error::Timeout(_) => Kind::Timeout,
            Error::Connect(_) => Kind::Connect,
            Error::Network(_) => Kind::Network,
            Error::TokenExpired => Kind::TokenExpired,
            Error::TokenServer(_) => Kind::TokenServer,
            Error::Redirect { .. } => Kind::Redirect,
            Error::PathInAnswer { .. } => Kind::PathInAnswer,
        }
    }

    pub fn errcode(&self) -> Option<i64> {
        match self {
            Error::Api { errcode, .. } => Some(*errcode),
            _ => None,
        }
    }

    /// Whether the request may have reached WeChat and done its work: the
    /// outcome of a delete is then not known (the history says "unknown").
    /// A gateway's 500 or a cut-off body may come after WeChat acted.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Error::Timeout(_) | Error::Network(_) | Error::Http { .. } | Error::NotJson { .. })
    }

    /// Whether no repeat within this operation can change the answer: the
    /// caller's IP is not on a whitelist, the AppSecret or AppID is
    /// refused, a setting is refused before a call. A second call with
    /// the same account would only be refused again (and, for the IP,
    /// logged again at WeChat).
    pub fn is_final(&self) -> bool {
        match self {
            Error::Api { errcode, .. } => FINAL_CODES.contains(errcode),
            Error::TokenServer(error) => matches!(
                error,
                TokenServerError::BadUrl(_) | TokenServerError::Refused { .. } | TokenServerError::Redirect { .. }
            ),
            Error::Input(_) | Error::Redirect { .. } | Error::TokenExpired => true,
            _ => false,
        }
    }

    /// The plain-language explanation and what to do, in `lang`.
    pub fn explain(&self, lang: Lang) -> Explanation {
        self.explain_in(lang, None)
    }

    /// [`Error::explain`] for a call made in `mode`: some codes mean
    /// something else in service-account mode.
    pub fn explain_in(&self, lang: Lang, mode: Option<Mode>) -> Explanation {
        let (meaning, todo): (String, String) = match self {
            Error::Input(input) => (input.message(lang), lang.pick("请修改后再试。", "Correct it and try again.").into()),
            Error::Api { errcode, errmsg, caller } => match whitelist::explain(*errcode, errmsg, *caller, lang) {
                Some(told) => told,
                None => Self::explain_code(*errcode, mode, lang),
            },
            Error::TokenServer(error) => explain_token_server(error, lang),
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

    fn explain_code(errcode: i64, mode: Option<Mode>, lang: Lang) -> (String, String) {
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
}

/// A token server's fault, told so that IT knows which server to look at.
fn explain_token_server(error: &TokenServerError, lang: Lang) -> (String, String) {
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub meaning: String,
    pub what_to_do: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_keep_the_raw_code() {
        let error = Error::Api { errcode: 12345, errmsg: "strange rid: abc".into(), caller: None };
        assert!(error.explain(Lang::En).meaning.contains("12345"));
        assert!(error.to_string().contains("strange rid: abc"));
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
        for error in errors {
            for lang in [Lang::ZhCn, Lang::En] {
                let explanation = error.explain(lang);
                assert!(!explanation.meaning.is_empty() && !explanation.what_to_do.is_empty(), "{error:?}");
            }
        }
    }
}
