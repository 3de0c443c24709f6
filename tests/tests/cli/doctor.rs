//! `qrjump rules doctor` against real web servers on loopback, reached
//! through `--connect-to` as a server is checked before its DNS changes:
//! one finding per address, for each way WeChat's check fails.

use std::path::Path;
use std::time::Duration;

use qrjump_tests::process::free_port;
use qrjump_tests::web::{Reply, SelfSignedServer, WebServer};

use super::commands::{MP, setup};

const NAME: &str = "a1b2c3d4e5.txt";
const CONTENT: &str = "0123456789abcdef0123456789abcdef";

fn file(dir: &Path) -> String {
    let path = dir.join(NAME);
    std::fs::write(&path, CONTENT).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Each host name plays a web site with one fault.
fn sites(host: &str, path: &str) -> Reply {
    let here = path == format!("/qr/shop/{NAME}");
    match host {
        "ok.test" if here => Reply::new(200, "text/plain", CONTENT),
        "html.test" => {
            Reply::new(200, "text/html; charset=utf-8", "<!DOCTYPE html><html><body>Please log in</body></html>")
        }
        "wrong.test" => Reply::new(200, "text/plain", format!("{CONTENT}\n")),
        "redirect.test" => Reply {
            location: Some("https://login.example.com/sso?next=secret".into()),
            ..Reply::new(302, "text/html", "")
        },
        "slow.test" => Reply { delay: Duration::from_millis(3500), ..Reply::new(200, "text/plain", CONTENT) },
        "broken.test" => Reply::new(502, "text/plain", "bad gateway"),
        _ => Reply::new(404, "text/html", "<html>not found</html>"),
    }
}

#[test]
fn each_way_the_check_fails_gets_its_finding_and_what_to_do() {
    let s = setup();
    let saved = file(s.data.path());
    let web = WebServer::start(sites);
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("qr/shop")).unwrap();
    std::fs::write(root.path().join("qr/shop").join(NAME), CONTENT).unwrap();
    let tls = SelfSignedServer::start(root.path(), "tls.test");
    let closed = free_port();
    // host, its port, the port it is served on, finding, HTTP status, exit status.
    type Case<'a> = (&'a str, u16, u16, &'a str, Option<u16>, i32);
    let cases: &[Case] = &[
        ("ok.test", 80, web.port(), "ok", Some(200), 0),
        ("missing.test", 80, web.port(), "not_found", Some(404), 1),
        ("html.test", 80, web.port(), "html", Some(200), 1),
        ("wrong.test", 80, web.port(), "wrong_content", Some(200), 1),
        ("redirect.test", 80, web.port(), "redirect", Some(302), 1),
        ("slow.test", 80, web.port(), "slow", Some(200), 1),
        ("broken.test", 80, web.port(), "unreachable", Some(502), 1),
        ("closed.test", 80, closed, "unreachable", None, 1),
        ("tls.test", 443, tls.port(), "tls", None, 1),
    ];
    for &(host, port, to, finding, status, exit) in cases {
        let scheme = if port == 443 { "https" } else { "http" };
        let prefix = format!("{scheme}://{host}/qr/shop/x");
        let route = format!("{host}:{port}:127.0.0.1:{to}");
        let (code, json, _) =
            s.run(MP, &["rules", "doctor", &prefix, "--file", &saved, "--connect-to", &route, "--json"]);
        assert_eq!(code, exit, "{host}: {json}");
        let place = &json["urls"][0];
        assert_eq!(place["url"], format!("{scheme}://{host}/qr/shop/{NAME}"), "{json}");
        assert_eq!(
            (place["finding"].as_str(), place["status"].as_u64().map(|s| s as u16)),
            (Some(finding), status),
            "{host}: {json}"
        );
        assert!(place["ms"].is_u64());
        assert_eq!(json["urls"][1]["url"], format!("{scheme}://{host}/{NAME}"), "the host's top level is tried too");
        let verdict = if exit == 0 { "ok" } else { finding };
        assert_eq!((json["verdict"].as_str(), json["file_name"].as_str()), (Some(verdict), Some(NAME)));
        if finding != "ok" {
            assert!(!place["hint"].as_str().unwrap().is_empty(), "{host}: what to do");
        }
    }
    // The redirect is told, not followed, and without what its query carried.
    let (_, json, _) = s.run(
        MP,
        &[
            "rules",
            "doctor",
            "http://redirect.test/qr/shop/x",
            "--file",
            &saved,
            "--connect-to",
            &format!("redirect.test:80:127.0.0.1:{}", web.port()),
            "--json",
        ],
    );
    assert_eq!(json["urls"][0]["detail"], "https://login.example.com/sso");
    // In words, in Chinese.
    let output = s
        .command(
            MP,
            &[
                "rules",
                "doctor",
                "http://html.test/qr/shop/x",
                "--file",
                &saved,
                "--connect-to",
                &format!("::127.0.0.1:{}", web.port()),
            ],
        )
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("返回的是网页而不是文件") && text.contains("✗ http://html.test/qr/shop/"), "{text}");
}

#[test]
fn without_a_saved_copy_the_file_comes_from_wechat_and_once_served_the_add_passes() {
    let s = setup();
    s.sim.require_verification_file("shop.test", true);
    let saved = tempfile::tempdir().unwrap();
    let add = ["rules", "add", "http://shop.test/qr/shop/", "--path", "pages/a", "--yes", "--json"];
    let (code, json, _) = s.run(MP, &[&add[..], &["--verification-file-dir", saved.path().to_str().unwrap()]].concat());
    assert_eq!((code, json["errcode"].as_i64()), (1, Some(85069)), "{json}");
    let name = json["verification_file"]["file_name"].as_str().unwrap().to_owned();
    let content = std::fs::read(saved.path().join(&name)).unwrap();
    let served = name.clone();
    let web = WebServer::start(move |_, path| {
        if path == format!("/qr/shop/{served}") {
            Reply::new(200, "text/plain", content.clone())
        } else {
            Reply::new(404, "text/plain", "")
        }
    });
    let route = format!("shop.test:80:127.0.0.1:{}", web.port());
    let (code, json, _) =
        s.run(MP, &["rules", "doctor", "http://shop.test/qr/shop/", "--connect-to", &route, "--json"]);
    assert_eq!(
        (code, json["verdict"].as_str(), json["file_name"].as_str()),
        (0, Some("ok"), Some(name.as_str())),
        "{json}"
    );
    s.sim.require_verification_file("shop.test", false);
    assert_eq!(s.run(MP, &add).0, 0);
}

#[test]
fn bad_options_are_refused_naming_them() {
    let s = setup();
    let dir = tempfile::tempdir().unwrap();
    let saved = file(dir.path());
    let (code, json, _) = s.run(
        MP,
        &["rules", "doctor", "https://a.test/qr/", "--file", &saved, "--connect-to", "a.test:443:b", "--json"],
    );
    assert_eq!(code, 2, "{json}");
    let big = dir.path().join("big.txt");
    std::fs::write(&big, vec![b'x'; 100 << 10]).unwrap();
    let (code, json, _) =
        s.run(MP, &["rules", "doctor", "https://a.test/qr/", "--file", big.to_str().unwrap(), "--json"]);
    assert_eq!(code, 2);
    assert!(json["message"].as_str().unwrap().starts_with("--file"), "{json}");
    let spaced = dir.path().join("a b.txt");
    std::fs::write(&spaced, CONTENT).unwrap();
    let (code, json, _) =
        s.run(MP, &["rules", "doctor", "https://a.test/qr/", "--file", spaced.to_str().unwrap(), "--json"]);
    assert_eq!(code, 2, "{json}");
}
