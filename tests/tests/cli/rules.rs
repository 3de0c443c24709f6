//! `qrjump rules add / edit / publish` as a script runs them: the real
//! binary against the simulator, each refusal before anything is sent, each
//! answer WeChat gives, and the three linked steps of a new page for a
//! published rule with a failure at each step.

use qrjump::history::{Action, Filter, Record, Status};
use qrjump::wechat::{PATH_ADD, PATH_DELETE, PATH_PUBLISH, Rule};

use super::commands::{MP, SA, Setup, TARGET, setup};

const NEW: &str = "https://a.example.com/new/";

/// The history, oldest first.
fn records(s: &Setup) -> Vec<Record> {
    let mut records = s.history().page(&Filter::default(), None, 100).unwrap();
    records.reverse();
    records
}

fn rule(s: &Setup, prefix: &str) -> Option<Rule> {
    s.sim.rules(MP, None).into_iter().find(|r| r.prefix == prefix)
}

fn sent(s: &Setup) -> (usize, usize, usize) {
    (s.sim.count(PATH_ADD), s.sim.count(PATH_PUBLISH), s.sim.count(PATH_DELETE))
}

#[test]
fn a_rule_is_added_with_test_links_published_and_its_page_changed_in_three_linked_steps() {
    let s = setup();
    let add = ["rules", "add", NEW, "--path", "pages/new/index", "--debug-url", "https://a.example.com/new/1"];
    let (code, json, _) =
        s.run(MP, &[&add[..], &["--sub-rules", "--open-version", "trial", "--publish", "--yes", "--json"]].concat());
    assert_eq!(code, 0, "{json}");
    assert_eq!((json["verdict"].as_str(), json["publish"]["ok"].as_bool()), (Some("done"), Some(true)), "{json}");
    let held = rule(&s, NEW).unwrap();
    assert_eq!((held.state, held.open_version, held.permit_sub_rule), (2, Some(2), Some(2)));
    assert_eq!(held.debug_url.unwrap(), ["https://a.example.com/new/1"]);
    let r = records(&s);
    assert_eq!((r[0].action, r[1].action, r[1].related_id), (Action::Add, Action::Publish, Some(r[0].id)));

    // A published rule's test links change in place: one edit record, no publish.
    let (code, json, _) =
        s.run(MP, &["rules", "edit", NEW, "--debug-url", "https://a.example.com/new/2", "--yes", "--json"]);
    assert_eq!((code, json["kind"].as_str()), (0, Some("in_place")), "{json}");
    assert_eq!(rule(&s, NEW).unwrap().debug_url.unwrap(), ["https://a.example.com/new/2"]);
    assert_eq!(records(&s).last().unwrap().action, Action::Edit);

    // Its page: delete, add, publish, each linked to the one before; one publish spent.
    s.sim.set_publish_quota(MP, 5);
    let (code, json, _) = s.run(MP, &["rules", "edit", NEW, "--path", "pages/newer/index", "--yes", "--json"]);
    assert_eq!((code, json["kind"].as_str(), json["ok"].as_bool()), (0, Some("replace"), Some(true)), "{json}");
    let roles: Vec<_> = json["steps"].as_array().unwrap().iter().map(|s| s["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["delete", "add", "publish"]);
    let held = rule(&s, NEW).unwrap();
    assert_eq!((held.path.as_str(), held.state), ("pages/newer/index", 2));
    assert_eq!(held.debug_url.unwrap(), ["https://a.example.com/new/2"], "the settings carried over");
    let r = records(&s);
    let [delete, add, publish] = &r[r.len() - 3..] else { unreachable!() };
    assert_eq!((delete.action, add.action, publish.action), (Action::Delete, Action::Add, Action::Publish));
    assert_eq!((add.related_id, publish.related_id), (Some(delete.id), Some(add.id)));
    assert!(delete.rule_snapshot.as_deref().unwrap().contains("pages/new/index"), "the old rule, to restore");
    let (_, list, _) = s.run(MP, &["rules", "--json"]);
    assert_eq!(list["qrcodejump_pub_quota"], 4);
}

#[test]
fn each_refusal_names_its_field_before_anything_is_sent() {
    let s = setup();
    s.sim.add_rule(MP, None, Rule { state: 1, ..qrjump_tests::rules::published("https://a.example.com/draft/") });
    let cases: &[(&[&str], &str)] = &[
        (&["rules", "add", "https://a.example.com/1/", "--path", "pages/a"], "already a rule of this account"),
        (
            &["rules", "add", NEW, "--path", "pages/a", "--debug-url", "https://b.example.com/x"],
            "test links: https://b.example.com/x is not under",
        ),
        (&["rules", "add", NEW, "--path", "/pages/a"], "page path: must be a page"),
        (&["rules", "add", NEW, "--path", "https://a.example.com/page"], "page path: must be a page"),
        (
            &[
                "rules",
                "add",
                NEW,
                "--path",
                "pages/a",
                "--debug-url",
                "https://a.example.com/new/1",
                "--debug-url",
                "https://a.example.com/new/2",
                "--debug-url",
                "https://a.example.com/new/3",
                "--debug-url",
                "https://a.example.com/new/4",
                "--debug-url",
                "https://a.example.com/new/5",
                "--debug-url",
                "https://a.example.com/new/6",
            ],
            "test links: 6 given",
        ),
        (
            &["rules", "add", "https://a.example.com/sa/", "--path", "pages/a", "--appid", TARGET],
            "http://weixin.qq.com/q/",
        ),
        (&["rules", "edit", "https://a.example.com/1/", "--path", "pages/a"], "already has these settings"),
        (&["rules", "edit", "https://a.example.com/none/", "--path", "pages/b"], "is not a rule of this account"),
        (&["rules", "publish", "https://a.example.com/1/"], "is published already"),
        (&["rules", "publish", "https://a.example.com/none/"], "is not a rule of this account"),
        (
            &[
                "rules",
                "edit",
                "http://weixin.qq.com/q/cli1",
                "--appid",
                TARGET,
                "--debug-url",
                "http://weixin.qq.com/q/cli1x",
            ],
            "ordinary-mode settings",
        ),
        (
            &["rules", "add", "http://weixin.qq.com/q/cli2", "--path", "pages/a", "--appid", TARGET, "--sub-rules"],
            "ordinary-mode settings",
        ),
    ];
    for (args, words) in cases {
        let appid = if args.contains(&"--appid") { SA } else { MP };
        let (code, json, _) = s.run(appid, &[args, &["--yes", "--json"][..]].concat());
        assert_eq!(code, 2, "{args:?}: {json}");
        assert!(json["message"].as_str().unwrap().contains(words), "{args:?}: {json}");
    }
    // No publishes left: a set is refused whole, a page change too...
    s.sim.set_publish_quota(MP, 0);
    let (code, json, _) = s.run(MP, &["rules", "publish", "https://a.example.com/draft/", "--yes", "--json"]);
    assert_eq!(code, 2, "{json}");
    assert!(json["message"].as_str().unwrap().contains("1 publish(es) needed but 0 left"), "{json}");
    let (code, _, _) =
        s.run(MP, &["rules", "edit", "https://a.example.com/1/", "--path", "pages/b", "--yes", "--json"]);
    assert_eq!(code, 2);
    assert_eq!(sent(&s), (0, 0, 0), "nothing was sent for any refusal");
    // ...while an add asked to publish is added unpublished, and says so.
    let (code, json, _) = s.run(MP, &["rules", "add", NEW, "--path", "pages/a", "--publish", "--yes", "--json"]);
    assert_eq!((code, json["publish_held"].as_bool(), json.get("publish")), (0, Some(true), None), "{json}");
    assert_eq!((rule(&s, NEW).unwrap().state, sent(&s)), (1, (1, 0, 0)));
    // The rule limit the list reports: 100 rules, no more.
    for i in 0..96 {
        s.sim.add_rule(MP, None, qrjump_tests::rules::published(&format!("https://a.example.com/fill/{i}/")));
    }
    let (code, json, _) =
        s.run(MP, &["rules", "add", "https://a.example.com/101/", "--path", "pages/a", "--yes", "--json"]);
    assert_eq!(code, 2, "{json}");
    assert!(json["message"].as_str().unwrap().contains("holds 100 rules and WeChat allows 100"), "{json}");
    assert_eq!(sent(&s), (1, 0, 0));
}

#[test]
fn wechats_answers_are_explained_and_the_verification_file_saved_with_its_places() {
    let s = setup();
    // 85069: the file is fetched, saved under WeChat's name, and its places named.
    s.sim.require_verification_file("v.example.com", true);
    let dir = tempfile::tempdir().unwrap();
    let (code, json, _) = s.run(
        MP,
        &[
            "rules",
            "add",
            "https://v.example.com/qr/shop/",
            "--path",
            "pages/a",
            "--verification-file-dir",
            dir.path().to_str().unwrap(),
            "--yes",
            "--json",
        ],
    );
    assert_eq!((code, json["errcode"].as_i64()), (1, Some(85069)), "{json}");
    let file = &json["verification_file"];
    let name = file["file_name"].as_str().unwrap();
    assert!(dir.path().join(name).is_file());
    let places: Vec<_> = file["places"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).collect();
    assert_eq!(places, [format!("https://v.example.com/qr/shop/{name}"), format!("https://v.example.com/{name}")]);
    s.sim.require_verification_file("v.example.com", false);
    let (code, _, _) = s.run(MP, &["rules", "add", "https://v.example.com/qr/shop/", "--path", "pages/a", "--yes"]);
    assert_eq!(code, 0, "with the file in place the add goes through");

    // 85072: another Mini Program holds the prefix.
    s.sim.add_rule("wx00000000000c11ff", None, qrjump_tests::rules::published("https://other.example.com/"));
    let (code, json, _) =
        s.run(MP, &["rules", "add", "https://other.example.com/", "--path", "pages/a", "--yes", "--json"]);
    assert_eq!((code, json["errcode"].as_i64()), (1, Some(85072)), "{json}");

    // 85074: no released version; a set stops at it (it holds for every rule).
    for p in ["https://a.example.com/u1/", "https://a.example.com/u2/"] {
        assert_eq!(s.run(MP, &["rules", "add", p, "--path", "pages/a", "--yes"]).0, 0);
    }
    s.sim.set_released(MP, false);
    let (code, json, _) =
        s.run(MP, &["rules", "publish", "https://a.example.com/u1/", "https://a.example.com/u2/", "--yes", "--json"]);
    assert_eq!((code, json["not_sent"].as_u64()), (1, Some(1)), "{json}");
    assert_eq!(json["published"][0]["errcode"], 85074);
    s.sim.set_released(MP, true);

    // 886000 mid-set (the quota ran out between the check and the call).
    s.sim.answer_next(PATH_PUBLISH, 886000, "publish limit this month");
    let (code, json, _) =
        s.run(MP, &["rules", "publish", "https://a.example.com/u1/", "https://a.example.com/u2/", "--yes", "--json"]);
    assert_eq!((code, json["not_sent"].as_u64()), (1, Some(1)), "{json}");
    assert!(json["published"][0]["message"].as_str().unwrap().contains("month"), "{json}");
    let (code, json, _) =
        s.run(MP, &["rules", "publish", "https://a.example.com/u1/", "https://a.example.com/u2/", "--yes", "--json"]);
    assert_eq!((code, json["published"].as_array().unwrap().len()), (0, 2), "{json}");
}

#[test]
fn a_page_change_that_fails_at_any_step_leaves_the_rule_working_and_says_so() {
    let s = setup();
    let old = "https://a.example.com/1/";
    let change = ["rules", "edit", old, "--path", "pages/b", "--yes", "--json"];

    // Step 1 fails: nothing changed.
    s.sim.answer_next(PATH_DELETE, 40097, "invalid args");
    let (code, json, _) = s.run(MP, &change);
    assert_eq!((code, json["steps"].as_array().unwrap().len()), (1, 1), "{json}");
    assert_eq!(rule(&s, old).unwrap().path, "pages/a");

    // Step 2 fails: the old rule is added back and published, linked to the delete.
    s.sim.answer_next(PATH_ADD, 85095, "rule data abnormal");
    let (code, json, _) = s.run(MP, &change);
    assert_eq!((code, json["rolled_back"].as_bool(), json["ok"].as_bool()), (1, Some(true), Some(false)), "{json}");
    let roles: Vec<_> = json["steps"].as_array().unwrap().iter().map(|s| s["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["delete", "add", "put_back", "publish_back"]);
    let held = rule(&s, old).unwrap();
    assert_eq!((held.path.as_str(), held.state), ("pages/a", 2), "the old rule works again");
    let r = records(&s);
    let [delete, add, back, publish] = &r[r.len() - 4..] else { unreachable!() };
    assert_eq!((add.status, add.related_id), (Status::Failed, Some(delete.id)));
    assert_eq!((back.action, back.status, back.related_id), (Action::Restore, Status::Ok, Some(delete.id)));
    assert_eq!((publish.action, publish.related_id), (Action::Publish, Some(back.id)));

    // Step 3 fails: the new rule is there, unpublished, and the answer says why.
    s.sim.answer_next(PATH_PUBLISH, 85074, "no release version");
    let (code, json, _) = s.run(MP, &change);
    assert_eq!((code, json["ok"].as_bool()), (1, Some(false)), "{json}");
    assert_eq!(json["steps"][2]["errcode"], 85074);
    let held = rule(&s, old).unwrap();
    assert_eq!((held.path.as_str(), held.state), ("pages/b", 1));
    // Publishing it later finishes the change.
    assert_eq!(s.run(MP, &["rules", "publish", old, "--yes"]).0, 0);
    assert_eq!(rule(&s, old).unwrap().state, 2);
}

#[test]
fn service_account_rules_are_added_and_their_page_changed() {
    let s = setup();
    let p = "http://weixin.qq.com/q/02new";
    let (code, json, _) =
        s.run(SA, &["rules", "add", p, "--path", "pages/x", "--appid", TARGET, "--publish", "--yes", "--json"]);
    assert_eq!(code, 0, "{json}");
    let (code, json, _) = s.run(SA, &["rules", "edit", p, "--path", "pages/y", "--appid", TARGET, "--yes", "--json"]);
    assert_eq!((code, json["kind"].as_str()), (0, Some("replace")), "{json}");
    let held = s.sim.rules(SA, Some(TARGET)).into_iter().find(|r| r.prefix == p).unwrap();
    assert_eq!((held.path.as_str(), held.state), ("pages/y", 2));
    // An unpublished one changes in place.
    let (code, json, _) = s.run(
        SA,
        &["rules", "edit", "http://weixin.qq.com/q/cli1", "--path", "pages/z", "--appid", TARGET, "--yes", "--json"],
    );
    assert_eq!((code, json["kind"].as_str()), (0, Some("in_place")), "{json}");
}

#[test]
fn without_yes_and_a_terminal_nothing_is_changed() {
    let s = setup();
    let (code, _, output) = s.run(MP, &["rules", "add", NEW, "--path", "pages/a"]);
    assert_eq!(code, 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("--yes"));
    assert_eq!(sent(&s), (0, 0, 0));
}
