//! WeChat's call limits, each in one place with its source. The throttle
//! applies every limit that fits a call; nothing else hard-codes them.

use std::time::Duration;

use super::input::Mode;

/// Which calls a limit counts together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counts {
    /// Each API path apart, per calling account.
    PerApi,
    /// All qrcodejump APIs together, per calling account.
    AllQrcodeJumpApis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// A short name, also the throttle ledger's key.
    pub name: &'static str,
    pub calls: usize,
    pub per: Duration,
    pub counts: Counts,
    /// Only calls in this mode (`None`: every call).
    pub mode: Option<Mode>,
    /// What WeChat answers beyond it, where documented.
    pub errcode: Option<i64>,
    pub source: &'static str,
}

/// Every qrcodejump API: 5 calls a second per AppID, else 44990.
pub const PER_SECOND: Limit = Limit {
    name: "second",
    calls: 5,
    per: Duration::from_secs(1),
    counts: Counts::PerApi,
    mode: None,
    errcode: Some(44990),
    source: "WeChat, deleteJumpQRCode / getJumpQRCode / addJumpQRCode pages: 44990 \
             \"reach max api second frequence limit\", more than 5 calls a second",
};

/// Service-account jump rules: 200 calls a minute.
pub const SERVICE_ACCOUNT_PER_MINUTE: Limit = Limit {
    name: "service-minute",
    calls: 200,
    per: Duration::from_secs(60),
    counts: Counts::AllQrcodeJumpApis,
    mode: Some(Mode::ServiceAccount),
    errcode: None,
    source: "WeChat, third-party platform: 如何实现扫服务号带参二维码打开小程序 \
             (officalaccount_jump_miniprogram): 接口的调用限制为 200次/分钟",
};

/// The limits the throttle applies.
pub const LIMITS: &[Limit] = &[PER_SECOND, SERVICE_ACCOUNT_PER_MINUTE];

/// Rules a Mini Program may hold in ordinary mode (85073 beyond it). Old
/// pages said 10 and some say 100,000: read `total_count`, never rely on it.
pub const ORDINARY_RULES: usize = 100;

/// Rule adds a Mini Program may receive over its life in service-account
/// mode (85073 beyond it): 1个小程序最多支持配置10w个服务号带参链接.
pub const SERVICE_ACCOUNT_ADDS: usize = 100_000;

/// `page_size` and `prefix_list` of `qrcodejumpget` take at most 200.
pub const PAGE_SIZE_MAX: u32 = 200;

/// `debug_url` of an ordinary-mode add: at most 5 links.
pub const DEBUG_URLS_MAX: usize = 5;

/// The limits that apply to a call on `path` in `mode`.
pub fn applying(mode: Mode) -> impl Iterator<Item = &'static Limit> {
    LIMITS.iter().filter(move |limit| limit.mode.is_none_or(|m| m == mode))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_names_its_source() {
        for limit in LIMITS {
            assert!(limit.source.len() > 20, "{}", limit.name);
        }
        assert_eq!(applying(Mode::Ordinary).count(), 1);
        assert_eq!(applying(Mode::ServiceAccount).count(), 2);
    }
}
