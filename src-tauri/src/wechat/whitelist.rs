//! WeChat's IP whitelists: which account's list a refusal is about, and the
//! IP WeChat saw (told in `explain`).

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

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
}
