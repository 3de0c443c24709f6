//! Secrets stay where they belong (issue 24): what a hostile server, a
//! careless setting or a local process would try, each against the real
//! client or the real `qrjump` over loopback.
//!
//! A "catcher" is a second listener that records whatever reaches it: a
//! redirect that were followed would land there, with the header, the
//! token in the URL, or the AppSecret in a replayed body.

use std::process::{Command, Stdio};
use std::time::Duration;

use qrjump::wechat::{
    Account, AppId, Client, Credentials, Error, Method, Prefix, Route, Scope, Secret, Timeouts, TokenAt, TokenServer,
    TokenServerError,
};
use qrjump_tests::secrets;
use qrjump_tests::stand_in::{Reply, TokenStandIn};
use serde_json::json;

const HEADER_VALUE: &str = "TESTSECRET-x-token-key-71c3";

fn timeouts() -> Timeouts {
    Timeouts { connect: Duration::from_secs(2), total: Duration::from_secs(3) }
}

/// The catcher's address under another host name than the first server's
/// (`localhost` against `127.0.0.1`): a cross-host redirect, the case where
/// a client drops only the headers it knows.
fn elsewhere(catcher: &TokenStandIn, path: &str) -> String {
    format!("http://localhost:{}{path}", catcher.port())
}

fn assert_nothing_reached(catcher: &TokenStandIn) {
    assert!(catcher.asked().is_empty(), "a redirect was followed: {:?}", catcher.asked());
}

#[tokio::test]
async fn a_token_server_redirect_is_not_followed_and_its_header_stays() {
    for status in [301, 302, 303, 307, 308] {
        let server = TokenStandIn::start();
        let catcher = TokenStandIn::start();
        catcher.always(Reply::json(json!({ "access_token": "SIMTOKEN-caught" })));
        server.always(Reply::Redirect(status, elsewhere(&catcher, "/steal?x=1")));
        let token_server = TokenServer {
            url: server.url("/token"),
            method: Method::Post,
            header: Some(("X-Token-Key".into(), Secret::new(HEADER_VALUE))),
            token_at: TokenAt::parse("/access_token").unwrap(),
            expires_at: None,
            stale_param: None,
        };
        let account = Account::new(Credentials::TokenServer {
            server: token_server,
            appid: Some(AppId::parse("wx00000000000024a1").unwrap()),
        });
        let client = Client::with_timeouts(&server.url(""), timeouts()).unwrap();
        let error = client.access_token(&account).await.unwrap_err();
        let Error::TokenServer(TokenServerError::Redirect { status: got, to }) = &error else {
            panic!("{status}: {error:?}")
        };
        assert_eq!(*got, status);
        assert_eq!(to, &elsewhere(&catcher, "/steal"), "where it pointed, without its query");
        assert_nothing_reached(&catcher);
        assert_eq!(server.asked().len(), 1);
        assert_eq!(server.asked()[0].header("referer"), None);
        secrets::assert_clean("the error", &format!("{error} {error:?}"));
    }
}

#[tokio::test]
async fn an_api_redirect_replays_no_appsecret_and_sends_no_token_elsewhere() {
    let appid = AppId::parse("wx00000000000024a2").unwrap();
    let secret = Secret::new(secrets::app_secret("redirect"));
    for status in [302, 307, 308] {
        let api = TokenStandIn::start();
        let catcher = TokenStandIn::start();
        catcher.always(Reply::json(json!({ "access_token": "SIMTOKEN-caught", "expires_in": 7200 })));
        api.always(Reply::Redirect(status, elsewhere(&catcher, "/cgi-bin/stable_token")));
        let client = Client::with_timeouts(&api.url(""), timeouts()).unwrap();
        let account = Account::new(Credentials::AppSecret { appid: appid.clone(), secret: secret.clone() });
        let error = client.access_token(&account).await.unwrap_err();
        assert!(matches!(&error, Error::Redirect { status: s, .. } if *s == status), "{error:?}");
        assert_nothing_reached(&catcher);
        // The AppSecret went to the API base only, and once.
        assert_eq!(api.asked().len(), 1, "a redirect is not a reason to ask again");
        assert!(api.asked()[0].body.contains(secret.expose()));
        assert!(error.to_string().contains(&elsewhere(&catcher, "/cgi-bin/stable_token")), "{error}");
        secrets::assert_clean("the error", &format!("{error} {error:?}"));
    }
}

#[tokio::test]
async fn a_gateway_redirect_carries_no_token_in_a_url_or_referer() {
    let gateway = TokenStandIn::start();
    let catcher = TokenStandIn::start();
    catcher.always(Reply::json(json!({ "errcode": 0, "errmsg": "ok" })));
    gateway.always(Reply::Redirect(307, elsewhere(&catcher, "/cgi-bin/wxopen/qrcodejumpdelete")));
    let client = Client::with_timeouts("https://api.weixin.qq.com", timeouts()).unwrap();
    let token = Secret::new("SIMTOKEN-gateway-redirect");
    let account = Account::new(Credentials::AccessToken { token: token.clone(), expires_at: None })
        .with_route(Route::gateway(&gateway.url("")).unwrap());
    let prefix = Prefix::parse("https://a.example.com/redirect/").unwrap();
    let error = client.delete_attempt(&account, &prefix, &Scope::Ordinary).await.result.unwrap_err();
    assert!(matches!(error, Error::Redirect { status: 307, .. }), "{error:?}");
    assert!(!error.outcome_unknown(), "a redirect is an answer: nothing was done");
    assert_nothing_reached(&catcher);
    assert_eq!(gateway.asked().len(), 1);
    assert_eq!(gateway.asked()[0].header("referer"), None);
    secrets::assert_clean("the error", &format!("{error} {error:?}"));
}

#[tokio::test]
async fn a_verification_file_name_with_a_path_is_refused() {
    for hostile in ["../../x.txt", "/etc/cron.d/qrjump", "..\\\\..\\\\x.txt", "sub/x.txt", ".."] {
        let api = TokenStandIn::start();
        api.always(Reply::json(json!({ "errcode": 0, "errmsg": "ok", "file_name": hostile, "file_content": "x" })));
        let client = Client::with_timeouts(&api.url(""), timeouts()).unwrap();
        let account = Account::new(Credentials::AccessToken { token: Secret::new("SIMTOKEN-file"), expires_at: None });
        let error = client.download_verification_file(&account).await.unwrap_err();
        assert!(matches!(&error, Error::PathInAnswer { name } if name == hostile), "{hostile}: {error:?}");
        let explained = qrjump::explain::error(&error, None, qrjump::lang::Lang::En).meaning;
        assert!(explained.contains("not a plain file name"), "{explained}");
    }
}

/// `qrjump` with only the environment given: no simulator, nothing listening.
fn qrjump(envs: &[(&str, &str)], args: &[&str]) -> (i32, String) {
    let data = tempfile::tempdir().unwrap();
    let mut command = Command::new(qrjump_tests::workspace_bin("qrjump"));
    command
        .args(args)
        .env("QRJUMP_DATA_DIR", data.path())
        .env("LANG", "en_US.UTF-8")
        .env_remove("QRJUMP_API_BASE")
        .env_remove("QRJUMP_ACCESS_TOKEN")
        .env_remove("QRJUMP_TOKEN_URL")
        .env_remove("QRJUMP_PROXY")
        .stdin(Stdio::null());
    for (key, value) in envs {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn plain_http_to_another_computer_is_refused_before_any_call() {
    // A listener on this computer that must never be asked: the refused
    // addresses resolve elsewhere, and nothing may be sent to find out.
    let secret = secrets::app_secret("cleartext");
    let delete = ["delete", "--prefix", "https://a.example.com/1/", "--yes"];
    let app_secret = [("QRJUMP_APPID", "wx00000000000024a3"), ("QRJUMP_APP_SECRET", secret.as_str())];
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[("QRJUMP_API_BASE", "http://wx-gateway.corp.invalid")], "QRJUMP_API_BASE"),
        (&[("QRJUMP_TOKEN_URL", "http://token.corp.invalid/token")], "QRJUMP_TOKEN_URL"),
        (&[("QRJUMP_TOKEN_URL", "https://ops:TESTSECRET-pw@token.corp.invalid/token")], "QRJUMP_TOKEN_URL"),
        (&[("QRJUMP_TOKEN_URL", "https://token.corp.invalid/token?api_key=TESTSECRET-k")], "QRJUMP_TOKEN_URL"),
    ];
    for (envs, names) in cases {
        let mut all = app_secret.to_vec();
        all.extend_from_slice(envs);
        let (code, text) = qrjump(&all, &delete);
        assert_eq!(code, 2, "{envs:?}: {text}");
        assert!(text.contains(names) && (text.contains("https://") || text.contains("header")), "{envs:?}: {text}");
        secrets::assert_clean("qrjump's refusal", &text);
    }
    // Loopback stays allowed (tests, the demo): this one fails to connect.
    let port = qrjump_tests::process::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut all = app_secret.to_vec();
    all.push(("QRJUMP_API_BASE", &base));
    let (code, text) = qrjump(&all, &delete);
    assert_ne!(code, 2, "loopback over http is allowed: {text}");
}

/// `host=localhost hostaddr=<another computer>`: the driver would connect
/// to the address, so TLS is required there too. Run in a network
/// namespace of its own holding 10.99.0.1, where a listener notes any
/// connection: nothing may reach it, though it is reachable.
#[test]
fn a_team_database_named_localhost_at_another_address_needs_tls() {
    let scratch = tempfile::tempdir().unwrap();
    let caught = scratch.path().join("caught");
    let listener = r#"
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.99.0.1", 5432)); s.listen(8); open(sys.argv[2], "w").close()
while True:
    c, _ = s.accept(); data = c.recv(4096)
    open(sys.argv[1], "ab").write(data or b"(connected)"); c.close()
"#;
    let script = r#"
set -e
ip link set lo up
ip addr add 10.99.0.1/32 dev lo
python3 -c "$LISTENER" "$CAUGHT" "$CAUGHT.ready" &
for _ in $(seq 50); do [ -e "$CAUGHT.ready" ] && break; sleep 0.1; done
set +e
"$QRJUMP" team push; echo "exit=$?"
kill %1
"#;
    let data = tempfile::tempdir().unwrap();
    let output = Command::new("unshare")
        .args(["-n", "bash", "-c", script])
        .env("LISTENER", listener)
        .env("CAUGHT", &caught)
        .env("QRJUMP", qrjump_tests::workspace_bin("qrjump"))
        .env("QRJUMP_DATA_DIR", data.path())
        .env(
            "QRJUMP_TEAM_DATABASE_URL",
            "host=localhost hostaddr=10.99.0.1 port=5432 user=qrjump dbname=audit sslmode=disable",
        )
        .env("QRJUMP_TEAM_PASSWORD", "TESTSECRET-team-pw")
        .env("QRJUMP_TEAM_TIMEOUT", "3")
        .env("LANG", "en_US.UTF-8")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(scratch.path().join("caught.ready").exists(), "the listener started: {text}");
    assert!(text.contains("exit=2"), "refused as input: {text}");
    assert!(text.contains("10.99.0.1") && text.contains("TLS"), "names the address and TLS: {text}");
    assert!(!caught.exists(), "nothing was sent to 10.99.0.1: {:?}", std::fs::read(&caught));
    secrets::assert_clean("qrjump's refusal", &text);
}

/// The call was made and answered, then the record could not be completed
/// (here: the file changed under the app). WeChat's answer comes back with
/// the error instead of being lost.
#[tokio::test]
async fn an_answer_is_not_lost_when_its_record_cannot_be_completed() {
    use qrjump::history::{Action, History};
    use qrjump::service::{self, Intent, Target};
    use std::sync::{Arc, Mutex};

    let data = tempfile::tempdir().unwrap();
    let history = Mutex::new(History::open(data.path()).unwrap());
    let target = Target {
        client: Client::new("http://127.0.0.1:9").unwrap(),
        account: Arc::new(Account::new(Credentials::AccessToken {
            token: Secret::new("SIMTOKEN-unfinished"),
            expires_at: None,
        })),
        account_name: "Shop".into(),
        demo: false,
    };
    let intent =
        Intent::new(Action::Delete, Prefix::parse("https://a.example.com/unfinished/").unwrap(), Scope::Ordinary);
    let file = data.path().join(qrjump::history::FILE_NAME);
    let call = async move {
        // Someone removes the table while the call is on its way.
        let other = rusqlite::Connection::open(&file).unwrap();
        other.execute_batch("DROP TABLE attempts").unwrap();
        Ok::<_, Error>(qrjump::wechat::Answer { errcode: 0, errmsg: "ok rid: 6650-unfinished".into() })
    };
    let error = service::run(&target, &history, intent, call, qrjump::lang::Lang::En).await.unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, qrjump::history::Error::NotCompleted { .. }), "{error:?}");
    assert!(text.contains("errcode 0") && text.contains("rid: 6650-unfinished"), "{text}");
    assert!(text.contains("The rule was deleted"), "what it means travels too: {text}");
}
