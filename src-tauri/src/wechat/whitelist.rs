//! WeChat's IP whitelists and permission refusals, told for the kind of
//! account that met them: which list the IP must go on differs.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Whose token makes the calls: it decides which whitelist applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Caller {
    /// A Mini Program's own token: its IP whitelist is checked only when a
    /// token is fetched with the AppSecret.
    MiniProgram,
    /// A service account's token: the whitelist is checked on every call.
    ServiceAccount,
    /// A third-party platform's authorizer token: the platform's whitelist,
    /// on every call.
    Platform,
}

/// Codes that mean "the IP this call came from is not allowed".
pub const IP_REFUSED: [i64; 3] = [40164, 61004, 89503];

/// The IP address WeChat names in its message, if it names one.
pub fn reported_ip(errmsg: &str) -> Option<String> {
    errmsg
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '[' | ']' | '(' | ')' | '"' | '\''))
        .map(|word| word.trim_end_matches(['.', ':']))
        .find(|word| word.parse::<IpAddr>().is_ok())
        .map(str::to_owned)
}

/// Meaning and what to do for a whitelist or permission refusal, or `None`
/// when the catalogue's general entry says it as well.
pub fn explain(errcode: i64, errmsg: &str, caller: Option<Caller>, lang: Lang) -> Option<(String, String)> {
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
    use super::*;

    #[test]
    fn the_ip_wechat_saw() {
        assert_eq!(
            reported_ip("invalid ip 203.0.113.9 ipv6 ::ffff:203.0.113.9, not in whitelist rid: 1").as_deref(),
            Some("203.0.113.9")
        );
        assert_eq!(
            reported_ip("access clientip is not registered requestIP: 2001:db8::1 rid: x").as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(reported_ip("no address here rid: 6a-b"), None);
    }

    #[test]
    fn each_kind_names_its_whitelist() {
        let msg = "invalid ip 203.0.113.9, not in whitelist";
        let platform = explain(61004, msg, Some(Caller::Platform), Lang::En).unwrap();
        assert!(platform.0.contains("203.0.113.9") && platform.0.contains("third-party platform"), "{platform:?}");
        let service = explain(40164, msg, Some(Caller::ServiceAccount), Lang::ZhCn).unwrap();
        assert!(service.0.contains("服务号") && service.1.contains("几分钟"), "{service:?}");
        let mini = explain(40164, msg, Some(Caller::MiniProgram), Lang::En).unwrap();
        assert!(mini.0.contains("AppSecret") && mini.1.contains("fixed IP"), "{mini:?}");
        assert!(explain(48001, "", Some(Caller::ServiceAccount), Lang::En).is_none());
        assert!(explain(48001, "", Some(Caller::MiniProgram), Lang::En).unwrap().1.contains("service account"));
    }
}
