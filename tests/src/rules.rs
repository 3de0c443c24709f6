//! Rules to seed the simulator with.

use qrjump::wechat::Rule;

/// A published ordinary-mode rule opening `pages/a` in the release version.
pub fn published(prefix: &str) -> Rule {
    Rule {
        prefix: prefix.into(),
        path: "pages/a".into(),
        state: 2,
        open_version: Some(3),
        debug_url: Some(vec![]),
        permit_sub_rule: Some(1),
    }
}

/// A published service-account-mode rule (no ordinary-mode fields).
pub fn service_account(prefix: &str, path: &str) -> Rule {
    Rule {
        prefix: prefix.into(),
        path: path.into(),
        state: 2,
        open_version: None,
        debug_url: None,
        permit_sub_rule: None,
    }
}
