//! IT's policy as the command line honours it (the debug build reads the
//! policy from QRJUMP_POLICY_FILE instead of /etc/qrjump-admin/policy.json,
//! so the test never touches the machine's own): the API gateway and the
//! token server as defaults, LOCKED keeping them against the environment,
//! and a value or a file that does not hold said and ignored, never fatal.

use qrjump_tests::process::free_port;

use super::commands::{MP, setup};

#[test]
fn the_policy_sets_the_defaults_locks_them_and_bad_values_are_named_and_ignored() {
    let s = setup();
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    let closed = format!("http://127.0.0.1:{}", free_port());
    let run = |policy_json: &str, api_base: Option<&str>| {
        std::fs::write(&policy, policy_json).unwrap();
        let mut command = s.command(MP, &["rules", "--json"]);
        command.env("QRJUMP_POLICY_FILE", &policy).env("QRJUMP_TIMEOUT", "3");
        match api_base {
            Some(base) => command.env("QRJUMP_API_BASE", base),
            None => command.env_remove("QRJUMP_API_BASE"),
        };
        let out = command.output().unwrap();
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let gateway = s.sim.base_url();

    // The API gateway from policy, when the environment names none.
    let (code, said) = run(&format!(r#"{{"APIBASE": "{gateway}"}}"#), None);
    assert_eq!(code, 0, "{said}");
    // Not locked: the environment's own choice wins (a closed port here).
    let (code, _) = run(&format!(r#"{{"APIBASE": "{gateway}"}}"#), Some(&closed));
    assert_eq!(code, 3);
    // Locked: policy's, whatever the environment says.
    let (code, said) = run(&format!(r#"{{"APIBASE": "{gateway}", "LOCKED": 1}}"#), Some(&closed));
    assert_eq!(code, 0, "{said}");

    // A bad value is named, left out, and the rest applies.
    let bad =
        format!(r#"{{"APIBASE": "{gateway}", "TEAMDATABASEURL": "postgres://u:pw-in-policy@db/x", "SHOWDEMO": 5}}"#);
    let (code, said) = run(&bad, None);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("TEAMDATABASEURL: holds a password") && !said.contains("pw-in-policy"), "{said}");
    assert!(said.contains("SHOWDEMO: must be 0 or 1") && said.contains(policy.to_str().unwrap()), "{said}");
    // In Chinese for a Chinese admin, the key still named as IT wrote it.
    let out = s
        .command(MP, &["rules", "--json"])
        .env("QRJUMP_POLICY_FILE", &policy)
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(said.contains("SHOWDEMO：只能是 0 或 1") && said.contains("（已忽略）"), "{said}");
    assert!(said.contains("TEAMDATABASEURL：含有密码") && !said.contains("pw-in-policy"), "{said}");
    assert!(!said.contains("must be"), "no English left: {said}");

    // A file that is not JSON: said, and no policy at all (the environment's base applies).
    let (code, said) = run("APIBASE=nope", Some(&gateway));
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("is not a JSON object") && said.contains("(ignored)"), "{said}");
}

#[test]
fn the_company_token_server_comes_from_policy_and_its_header_from_the_user() {
    let s = setup();
    s.sim.serve_token_server("team-key-for-policy");
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    let url = s.sim.token_server_url();
    std::fs::write(&policy, format!(r#"{{"TOKENSERVERURL": "{url}", "TOKENPOINTER": "/data/access_token"}}"#)).unwrap();
    let out = s
        .command(MP, &["rules", "--json"])
        .env("QRJUMP_POLICY_FILE", &policy)
        .env_remove("QRJUMP_APP_SECRET")
        .env("QRJUMP_TOKEN_HEADER", format!("{}: team-key-for-policy", qrjump::sim::TOKEN_SERVER_HEADER))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["errcode"], 0);
}
