//! `qrjump rules plan / apply`: a file of the rules an account should have,
//! compared with its list and carried out through the audited pipeline;
//! refused whole when it cannot finish, and finished by running it again
//! after a kill.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use qrjump::history::{Filter, Status};
use qrjump::wechat::{PATH_ADD, PATH_DELETE, PATH_PUBLISH};
use qrjump_tests::process::wait_until;
use serde_json::{Value, json};

use super::commands::{MP, Setup, setup};

/// `rules export` of the account, changed by `change`, written to a file.
fn rule_file(s: &Setup, dir: &Path, change: impl FnOnce(&mut Vec<Value>)) -> PathBuf {
    let out = dir.join("rules.json");
    assert_eq!(s.run(MP, &["rules", "export", "--out", out.to_str().unwrap()]).0, 0);
    let mut file: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let mut rules = file["rules"].as_array().unwrap().clone();
    change(&mut rules);
    file["rules"] = Value::Array(rules);
    std::fs::write(&out, serde_json::to_vec_pretty(&file).unwrap()).unwrap();
    out
}

fn rule(prefix: &str, path: &str, state: i64) -> Value {
    json!({ "prefix": prefix, "path": path, "state": state, "open_version": 3, "permit_sub_rule": 1, "debug_url": [] })
}

fn held(s: &Setup) -> Vec<(String, String, i64)> {
    let mut rules: Vec<_> = s.sim.rules(MP, None).into_iter().map(|r| (r.prefix, r.path, r.state)).collect();
    rules.sort();
    rules
}

fn wanted(file: &Path) -> Vec<(String, String, i64)> {
    let file: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    let mut rules: Vec<_> = file["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["prefix"].as_str().unwrap().to_owned(),
                r["path"].as_str().unwrap().to_owned(),
                r["state"].as_i64().unwrap(),
            )
        })
        .collect();
    rules.sort();
    rules
}

#[test]
fn a_plan_says_what_would_change_and_apply_makes_it_so() {
    let s = setup();
    s.sim.add_rule(
        MP,
        None,
        qrjump::wechat::Rule { state: 1, ..qrjump_tests::rules::published("https://a.example.com/draft/") },
    );
    let dir = tempfile::tempdir().unwrap();
    let file = rule_file(&s, dir.path(), |rules| {
        rules.retain(|r| r["prefix"] != "https://a.example.com/2/");
        for r in rules.iter_mut() {
            if r["prefix"] == "https://a.example.com/1/" {
                r["path"] = json!("pages/moved");
            }
            if r["prefix"] == "https://a.example.com/draft/" {
                r["state"] = json!(2);
            }
        }
        rules.push(rule("https://a.example.com/new/", "pages/new", 2));
        rules.push(rule("https://a.example.com/later/", "pages/later", 1));
    });
    let (code, plan, _) = s.run(MP, &["rules", "plan", file.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{plan}");
    assert_eq!(plan["add"], json!(["https://a.example.com/new/", "https://a.example.com/later/"]));
    assert_eq!(plan["delete"], json!(["https://a.example.com/2/"]));
    assert_eq!(plan["edit"], json!(["https://a.example.com/1/"]));
    assert_eq!(
        plan["publish"],
        json!(["https://a.example.com/1/", "https://a.example.com/draft/", "https://a.example.com/new/"])
    );
    assert_eq!(
        (plan["quota_needed"].as_u64(), plan["quota_left"].as_i64(), plan["refused"].is_null()),
        (Some(3), Some(100), true)
    );
    assert_eq!(
        (s.sim.count(PATH_ADD), s.sim.count(PATH_DELETE), s.sim.count(PATH_PUBLISH)),
        (0, 0, 0),
        "a plan sends nothing"
    );

    let (code, applied, _) = s.run(MP, &["rules", "apply", file.to_str().unwrap(), "--yes", "--json"]);
    assert_eq!((code, applied["ok"].as_bool()), (0, Some(true)), "{applied}");
    assert_eq!(held(&s), wanted(&file));
    let backup = PathBuf::from(applied["backup"].as_str().unwrap());
    assert!(backup.starts_with(s.data.path().join("backups")) && backup.is_file());
    assert!(std::fs::read_to_string(&backup).unwrap().contains("https://a.example.com/2/"), "the list as it was");
    let (code, again, _) = s.run(MP, &["rules", "plan", file.to_str().unwrap(), "--json"]);
    assert_eq!(
        (code, again["add"].as_array().unwrap().len(), again["quota_needed"].as_u64()),
        (0, 0, Some(0)),
        "{again}"
    );
}

#[test]
fn a_plan_the_quota_or_the_rule_limit_cannot_finish_is_refused_before_anything_is_sent() {
    let s = setup();
    let dir = tempfile::tempdir().unwrap();
    let file = rule_file(&s, dir.path(), |rules| {
        rules.push(rule("https://a.example.com/n1/", "pages/a", 2));
        rules.push(rule("https://a.example.com/n2/", "pages/a", 2));
    });
    s.sim.set_publish_quota(MP, 1);
    let (code, plan, _) = s.run(MP, &["rules", "plan", file.to_str().unwrap(), "--json"]);
    assert_eq!(code, 2, "{plan}");
    assert!(plan["refused"].as_str().unwrap().contains("2 publish(es) needed but 1 left"), "{plan}");
    let (code, json, _) = s.run(MP, &["rules", "apply", file.to_str().unwrap(), "--yes", "--json"]);
    assert_eq!((code, json["kind"].as_str()), (2, Some("refused")), "{json}");

    let crowded = rule_file(&s, dir.path(), |rules| {
        rules.extend((0..99).map(|i| rule(&format!("https://a.example.com/f{i}/"), "pages/a", 1)));
    });
    let (code, json, _) = s.run(MP, &["rules", "apply", crowded.to_str().unwrap(), "--yes", "--json"]);
    assert_eq!(code, 2, "{json}");
    assert!(json["message"].as_str().unwrap().contains("101 rules and WeChat allows 100"), "{json}");
    let (code, json, _) = s.run(MP, &["rules", "plan", dir.path().join("missing.json").to_str().unwrap(), "--json"]);
    assert_eq!(code, 2, "{json}");
    assert_eq!((s.sim.count(PATH_ADD), s.sim.count(PATH_DELETE), s.sim.count(PATH_PUBLISH)), (0, 0, 0));
}

#[test]
fn an_apply_stopped_by_the_quota_or_killed_midway_finishes_when_run_again() {
    let s = setup();
    let dir = tempfile::tempdir().unwrap();
    // The month's publishes run out between the plan's check and the second publish.
    let file = rule_file(&s, dir.path(), |rules| {
        rules.extend((0..3).map(|i| rule(&format!("https://a.example.com/p{i}/"), "pages/a", 2)));
    });
    // The first publish goes through; the second answers 886000.
    s.sim.inject(PATH_PUBLISH, qrjump::sim::Fault::Delay(Duration::ZERO));
    s.sim.answer_next(PATH_PUBLISH, 886000, "publish limit this month");
    let (code, json, _) = s.run(MP, &["rules", "apply", file.to_str().unwrap(), "--yes", "--json"]);
    assert_eq!((code, json["not_sent"].as_u64()), (1, Some(1)), "{json}");
    let (code, json, _) = s.run(MP, &["rules", "apply", file.to_str().unwrap(), "--yes", "--json"]);
    assert_eq!((code, json["ok"].as_bool()), (0, Some(true)), "{json}");
    assert_eq!(held(&s), wanted(&file));

    // Forty adds at WeChat's pace; killed after a few, then run again.
    let many = rule_file(&s, dir.path(), |rules| {
        rules.extend((0..40).map(|i| rule(&format!("https://a.example.com/k{i:02}/"), "pages/a", 1)));
    });
    let before = s.sim.count(PATH_ADD);
    let mut child = s
        .command(MP, &["rules", "apply", many.to_str().unwrap(), "--yes", "--json"])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    assert!(wait_until(Duration::from_secs(30), || s.sim.count(PATH_ADD) >= before + 8), "the apply got going");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(s.sim.count(PATH_ADD) < before + 40, "killed midway");
    let (code, json, _) = s.run(MP, &["rules", "apply", many.to_str().unwrap(), "--yes", "--json"]);
    assert_eq!((code, json["ok"].as_bool()), (0, Some(true)), "{json}");
    assert_eq!(held(&s), wanted(&many));
    assert!(
        s.sim.count(PATH_ADD) - before <= 41,
        "no rule was added twice (at most the call in flight was asked again)"
    );
    let history = s.history();
    let pending = history.page(&Filter { status: Some(Status::Pending), ..Filter::default() }, None, 10).unwrap();
    assert!(pending.is_empty(), "the killed run's record in flight was settled");
}
