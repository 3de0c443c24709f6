//! `qrjump` with the company's credentials: a token server (one account, and
//! a platform's `{appid}` URL), a forward proxy, an API gateway, and
//! `qrjump accounts test`; run as real processes against the simulator.

use std::process::{Command, Stdio};

use qrjump::history::{Filter, History};
use qrjump::sim::{AccountKind, Simulator, TOKEN_SERVER_HEADER};
use qrjump::wechat::{PATH_DELETE, PATH_GET, PATH_STABLE_TOKEN};
use qrjump_tests::tinyproxy::{Tinyproxy, VIA_NAME};
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000c2201";
const SA: &str = "wx00000000000c2202";
const KEY: &str = "TESTSECRET-token-server-key";

struct Setup {
    sim: Simulator,
    data: tempfile::TempDir,
}

fn setup() -> Setup {
    let sim = Simulator::start().unwrap();
    sim.add_account(MP, &secrets::app_secret("cli-mp"), AccountKind::MiniProgram);
    sim.add_account(SA, &secrets::app_secret("cli-sa"), AccountKind::ServiceAccount);
    sim.serve_token_server(KEY);
    sim.set_rate_limit(false);
    for n in 1..=4 {
        sim.add_rule(MP, None, rules::published(&format!("https://c.example.com/{n}/")));
    }
    Setup { sim, data: tempfile::tempdir().unwrap() }
}

impl Setup {
    /// `qrjump` with a token server for `appid` and no AppSecret anywhere.
    fn command(&self, appid: &str, args: &[&str]) -> Command {
        let mut command = Command::new(qrjump_tests::workspace_bin("qrjump"));
        command
            .args(args)
            .env("QRJUMP_API_BASE", self.sim.base_url())
            .env("QRJUMP_DATA_DIR", self.data.path())
            .env("QRJUMP_APPID", appid)
            .env("QRJUMP_TOKEN_URL", self.sim.token_server_url())
            .env("QRJUMP_TOKEN_HEADER", format!("{TOKEN_SERVER_HEADER}: {KEY}"))
            .env("QRJUMP_TOKEN_POINTER", "/data/access_token")
            .env("QRJUMP_TOKEN_EXPIRES_POINTER", "/data/expires_in")
            .env("QRJUMP_TOKEN_STALE_PARAM", "stale")
            .env_remove("QRJUMP_APP_SECRET")
            .env_remove("QRJUMP_ACCESS_TOKEN")
            .env_remove("QRJUMP_PROXY")
            .env("LANG", "en_US.UTF-8")
            .stdin(Stdio::null());
        command
    }

    fn run(&self, command: &mut Command) -> (i32, serde_json::Value, String) {
        let output = command.output().unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        secrets::assert_clean("qrjump output", &text);
        let json = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
        (output.status.code().unwrap_or(-1), json, text)
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        secrets::assert_dir_clean(self.data.path());
    }
}

#[test]
fn a_token_server_account_deletes_and_is_tested_step_by_step() {
    let s = setup();
    let (code, _, text) = s.run(&mut s.command(MP, &["accounts", "test"]));
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("route: direct to WeChat"), "{text}");
    assert!(text.contains("token: ok, from the token server 127.0.0.1:"), "{text}");
    assert!(text.contains("rules: ok, 4 rule(s)"), "{text}");

    let (code, json, text) =
        s.run(&mut s.command(MP, &["delete", "--prefix", "https://c.example.com/1/", "--yes", "--json"]));
    assert_eq!((code, json["errcode"].as_i64()), (0, Some(0)), "{text}");
    // The app never asked WeChat for a token: the token server did (inside the simulator).
    assert_eq!(s.sim.count(PATH_STABLE_TOKEN), 0);
    let history = History::open(s.data.path()).unwrap();
    assert_eq!(history.page(&Filter::default(), None, 10).unwrap().len(), 1);

    // A wrong header: the token server's 401 is explained, exit 3 (not WeChat's).
    let (code, json, text) = s.run(
        s.command(MP, &["accounts", "test", "--json"])
            .env("QRJUMP_TOKEN_HEADER", format!("{TOKEN_SERVER_HEADER}: TESTSECRET-wrong")),
    );
    assert_eq!(code, 3, "{text}");
    assert_eq!(json["kind"], "token_server", "{json}");
    // Named by the way it went, in the window's words: the token server, not the route.
    assert!(text.contains("Getting the access token failed (the token server 127.0.0.1:"), "{text}");
    assert!(text.contains("authentication"), "{text}");

    // Bad settings are refused before any call, with exit 2.
    let (code, _, text) = s.run(s.command(MP, &["accounts", "test"]).env("QRJUMP_TOKEN_POINTER", "data.token"));
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("QRJUMP_TOKEN_POINTER"), "{text}");
    let (code, _, text) = s.run(s.command(MP, &["accounts", "test"]).env("QRJUMP_TOKEN_HEADER", "no colon here"));
    assert_eq!(code, 2, "{text}");
    let (code, _, text) = s.run(s.command(MP, &["accounts", "test"]).env("QRJUMP_PROXY", "socks5://127.0.0.1:1"));
    assert_eq!(code, 2, "{text}");
}

#[test]
fn a_whitelist_refusal_exits_1_with_the_ip_and_is_not_retried() {
    let s = setup();
    s.sim.add_rule(SA, Some(MP), rules::published("http://weixin.qq.com/q/02cliWhite"));
    s.sim.enforce_ip_whitelist(SA, &["203.0.113.50"]);
    let (code, json, text) =
        s.run(&mut s.command(
            SA,
            &["delete", "--prefix", "http://weixin.qq.com/q/02cliWhite", "--appid", MP, "--yes", "--json"],
        ));
    assert_eq!((code, json["errcode"].as_i64()), (1, Some(40164)), "{text}");
    assert!(text.contains("127.0.0.1") && text.contains("whitelist"), "{text}");
    // Reading the rule met the whitelist (every service-account call is
    // checked): asked once, and the delete, which the same refusal would
    // answer, not sent.
    assert_eq!((s.sim.count(PATH_GET), s.sim.count(PATH_DELETE)), (1, 0));
}

#[test]
fn calls_go_through_qrjump_proxy_and_the_gateway() {
    let s = setup();
    let proxy = Tinyproxy::forward(Some(("ops", "TESTSECRET-proxy-cli")));
    let with_proxy = format!("http://ops:TESTSECRET-proxy-cli@127.0.0.1:{}", proxy.port);
    let (code, _, text) = s.run(s.command(MP, &["accounts", "test"]).env("QRJUMP_PROXY", &with_proxy));
    assert_eq!(code, 0, "{text}");
    assert!(text.contains(&format!("route: through the proxy 127.0.0.1:{}", proxy.port)), "{text}");
    let (code, _, text) = s.run(
        s.command(MP, &["delete", "--prefix", "https://c.example.com/2/", "--yes"]).env("QRJUMP_PROXY", &with_proxy),
    );
    assert_eq!(code, 0, "{text}");
    let wechat_calls: Vec<_> = s.sim.received().into_iter().filter(|r| r.path.starts_with("/cgi-bin/")).collect();
    assert!(!wechat_calls.is_empty());
    assert!(wechat_calls.iter().all(|r| r.via.as_deref().is_some_and(|v| v.contains(VIA_NAME))), "{wechat_calls:?}");

    // The company's gateway in QRJUMP_API_BASE.
    let gateway = Tinyproxy::gateway(&s.sim.base_url());
    let before = s.sim.received().len();
    let (code, _, text) = s.run(
        s.command(MP, &["delete", "--prefix", "https://c.example.com/3/", "--yes"])
            .env("QRJUMP_API_BASE", gateway.url()),
    );
    assert_eq!(code, 0, "{text}");
    let through: Vec<_> = s.sim.received().into_iter().skip(before).filter(|r| r.path == PATH_DELETE).collect();
    assert_eq!(through.len(), 1);
    assert!(through[0].via.as_deref().is_some_and(|v| v.contains(VIA_NAME)));
}
