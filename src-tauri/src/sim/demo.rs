//! The demo data: two accounts, a company token server, and some forty realistic rules in both modes
//! (30 from a campaign that ended, for trying a batch),
//! for the built-in demo account and for trying the CLI by hand.

use super::{AccountKind, Simulator};
use crate::wechat::Rule;

/// The demo Mini Program (ordinary-QR mode).
pub const DEMO_MINI_PROGRAM: (&str, &str) = ("wxd0d0d0d0d0d0d001", "demo-mini-program-secret");
/// The demo service account (service-account mode).
pub const DEMO_SERVICE_ACCOUNT: (&str, &str) = ("wxd0d0d0d0d0d0d002", "demo-service-account-secret");
/// The Mini Program the service account's rules open.
pub const DEMO_SERVICE_TARGET: &str = "wxd0d0d0d0d0d0d001";
/// The shared secret of the demo's company token server.
pub const DEMO_TOKEN_SERVER_KEY: &str = "demo-token-server-key";

/// The demo's web site without WeChat's verification file.
pub const DEMO_UNVERIFIED_HOST: &str = "new-shop.example.com";

pub struct Demo;

impl Demo {
    /// Fills `sim` with the demo accounts and rules.
    pub fn seed(sim: &Simulator) {
        let (mp, mp_secret) = DEMO_MINI_PROGRAM;
        let (sa, sa_secret) = DEMO_SERVICE_ACCOUNT;
        sim.add_account(mp, mp_secret, AccountKind::MiniProgram);
        sim.add_account(sa, sa_secret, AccountKind::ServiceAccount);
        sim.serve_token_server(DEMO_TOKEN_SERVER_KEY);
        // A web site whose verification file is not in place: adding a rule
        // there walks WeChat's 85069, the file to save and the doctor.
        sim.require_verification_file(DEMO_UNVERIFIED_HOST, true);
        let ordinary = [
            ("https://shop.example.com/qr/product/", "pages/product/detail", 2, 3, 2),
            ("https://shop.example.com/qr/coupon/", "pages/coupon/claim", 2, 3, 1),
            ("https://shop.example.com/qr/store/", "pages/store/index", 2, 3, 1),
            ("https://shop.example.com/qr/event/2026-spring/", "pages/event/spring", 1, 2, 1),
            ("https://shop.example.com/qr/warranty/", "pages/service/warranty", 2, 3, 2),
            ("https://m.example.com/scan/", "pages/index/index", 1, 1, 1),
            ("https://m.example.com/pay?shop=", "pages/pay/index", 2, 3, 1),
            // Made in the console long ago: WeChat's rule page allowed ftp://.
            ("ftp://files.example.com/qr/manual/", "pages/service/manual", 2, 3, 1),
        ];
        // A campaign that ended: one rule per store, the kind of list an
        // admin clears in one batch (search "/qr/event/2025/", select all).
        let campaign: Vec<(String, &str, i64, i64, i64)> = (1..=30)
            .map(|n| (format!("https://shop.example.com/qr/event/2025/store-{n:02}/"), "pages/event/autumn", 2, 3, 1))
            .collect();
        let ordinary = ordinary.map(|(p, path, s, o, r)| (p.to_owned(), path, s, o, r)).into_iter().chain(campaign);
        for (prefix, path, state, open_version, permit) in ordinary {
            sim.add_rule(
                mp,
                None,
                Rule {
                    prefix: prefix.clone(),
                    path: path.into(),
                    state,
                    open_version: Some(open_version),
                    debug_url: Some(vec![format!("{prefix}demo001")]),
                    permit_sub_rule: Some(permit),
                },
            );
        }
        let service = [
            ("http://weixin.qq.com/q/02P5KzM_demo001", "pages/member/join", 2),
            ("http://weixin.qq.com/q/02P5KzM_demo002", "pages/member/card", 2),
            ("http://weixin.qq.com/q/02Xy9AbC_demo003", "pages/event/checkin", 1),
            ("http://weixin.qq.com/q/02Xy9AbC_demo004", "pages/coupon/claim", 2),
            ("http://weixin.qq.com/q/02Qw3ErT_demo005", "pages/store/index", 1),
        ];
        for (prefix, path, state) in service {
            sim.add_rule(
                sa,
                Some(DEMO_SERVICE_TARGET),
                Rule {
                    prefix: prefix.into(),
                    path: path.into(),
                    state,
                    open_version: None,
                    debug_url: None,
                    permit_sub_rule: None,
                },
            );
        }
    }
}
