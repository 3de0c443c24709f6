//! The desktop app's state and actions without a window: `AppState` built
//! from its configuration on a temporary folder, against the simulator.

use std::sync::Arc;
use std::time::Duration;

use qrjump::accounts::{AccountInput, AccountKind};
use qrjump::app::{AppState, DeleteForm};
use qrjump::history::{Action, Conclusion, Filter, Status, Verification};
use qrjump::lang::Lang;
use qrjump::sim::{self, Simulator};
use qrjump::wechat::Mode;
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000a5501";

fn state(sim: &Simulator, data: &std::path::Path) -> AppState {
    qrjump_tests::app_state(&sim.base_url(), data)
}

fn mini_program(name: &str, secret: &str) -> AccountInput {
    AccountInput {
        id: None,
        name: name.into(),
        kind: AccountKind::MiniProgram,
        appid: Some(MP.into()),
        secret: Some(secret.into()),
        token_expires_at: None,
        ..Default::default()
    }
}

/// The simulator with a Mini Program and its `prefixes`, the app on a new
/// folder, and the Mini Program saved as the account "Shop".
struct Shop {
    sim: Simulator,
    data: tempfile::TempDir,
    app: AppState,
    account_id: String,
}

impl Shop {
    fn new(label: &str, prefixes: &[&str]) -> Shop {
        let sim = Simulator::start().unwrap();
        let secret = secrets::app_secret(label);
        sim.add_account(MP, &secret, sim::AccountKind::MiniProgram);
        for prefix in prefixes {
            sim.add_rule(MP, None, rules::published(prefix));
        }
        let data = tempfile::tempdir().unwrap();
        let app = state(&sim, data.path());
        let account_id = app.save_account(mini_program("Shop", &secret)).unwrap().id;
        Shop { sim, data, app, account_id }
    }

    /// The delete form for `prefix` in ordinary mode.
    fn form(&self, prefix: &str) -> DeleteForm {
        DeleteForm { account_id: self.account_id.clone(), mode: Mode::Ordinary, prefix: prefix.into(), appid: None }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_goes_through_the_audited_pipeline() {
    let Shop { sim, data, app, account_id } = Shop::new("appstate", &["https://s.example.com/1/"]);
    let form = |prefix: &str| DeleteForm {
        account_id: account_id.clone(),
        mode: Mode::Ordinary,
        prefix: prefix.into(),
        appid: None,
    };
    let outcome = app.delete(&form("https://s.example.com/1/"), Lang::En).await.unwrap();
    assert_eq!((outcome.status, outcome.action, outcome.errcode), (Status::Ok, Action::Delete, Some(0)));
    assert_eq!(outcome.rule.as_ref().map(|r| r.path.as_str()), Some("pages/a"), "the snapshot");
    let record = app.history_record(outcome.record_id).unwrap().unwrap();
    assert_eq!(
        (record.action, record.account_name.as_str(), record.caller_appid.as_deref()),
        (Action::Delete, "Shop", Some(MP))
    );
    assert!(record.rule_snapshot.unwrap().contains("pages/a"));

    // WeChat's refusal: recorded as failed, and the error explained in each language.
    sim.answer_next(qrjump::wechat::PATH_DELETE, 85066, "invalid prefix rid: 6a1");
    let refused = app.delete(&form("https://s.example.com/2/"), Lang::ZhCn).await.unwrap();
    assert_eq!((refused.status, refused.errcode), (Status::Failed, Some(85066)));
    assert!(refused.explanation.meaning.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));

    // Bad input: refused before anything is sent or recorded, naming the field.
    let before = sim.received().len();
    let error = app.delete(&form("ftp:/nope"), Lang::En).await.unwrap_err();
    assert_eq!(error.problem(Lang::En).field, Some(qrjump::wechat::Field::Prefix));
    assert_eq!(sim.received().len(), before);
    assert_eq!(app.history_page(&Filter::default(), None).unwrap().len(), 2);
    assert_eq!(app.verify().unwrap(), Verification::Intact { records: 2 });
    // A mode the account cannot use.
    let wrong = DeleteForm { mode: Mode::ServiceAccount, appid: Some(MP.into()), ..form("http://weixin.qq.com/q/1") };
    assert_eq!(app.delete(&wrong, Lang::En).await.unwrap_err().problem(Lang::En).kind, "input");
    secrets::assert_dir_clean(data.path());
}

/// Fault 3 of the foundation issue: `save_account` locked the accounts,
/// then the live cache; `resolve` the cache, then the accounts. Run at once,
/// they could hang the window for ever.
#[test]
fn saving_and_resolving_accounts_at_once_never_deadlocks() {
    let sim = Simulator::start().unwrap();
    let data = tempfile::tempdir().unwrap();
    let app = Arc::new(state(&sim, data.path()));
    let secret = secrets::app_secret("deadlock");
    let id = app.save_account(mini_program("Shop", &secret)).unwrap().id;
    let (done, finished) = std::sync::mpsc::channel();
    for worker in 0..4 {
        let (app, id, secret, done) = (app.clone(), id.clone(), secret.clone(), done.clone());
        std::thread::spawn(move || {
            for _ in 0..500 {
                if worker % 2 == 0 {
                    let mut input = mini_program("Shop", &secret);
                    input.id = Some(id.clone());
                    app.save_account(input).unwrap();
                } else {
                    app.resolve(&id, Mode::Ordinary).unwrap();
                }
            }
            done.send(()).unwrap();
        });
    }
    for _ in 0..4 {
        finished.recv_timeout(Duration::from_secs(60)).expect("a worker hung: the account locks deadlocked");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_deletes_against_its_own_simulator() {
    let sim = Simulator::start().unwrap();
    let data = tempfile::tempdir().unwrap();
    let app = state(&sim, data.path());
    let form = DeleteForm { account_id: "demo".into(), mode: Mode::Ordinary, prefix: String::new(), appid: None };
    let mut pages = 0;
    let rules = app.list_rules(&form, |_| pages += 1).await.unwrap();
    assert_eq!(pages, 1, "progress is told once per page");
    let first = rules.rule_list.first().expect("the demo has rules").prefix.clone();
    let outcome = app.delete(&DeleteForm { prefix: first, ..form }, Lang::En).await.unwrap();
    assert_eq!(outcome.status, Status::Ok);
    let record = app.history_record(outcome.record_id).unwrap().unwrap();
    assert!(record.demo);
    assert!(sim.received().is_empty(), "the demo never calls the configured server");
}

/// WeChat answered "busy" to a delete that took effect; the retry was
/// refused. The record says the rule was deleted, and how that is known.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_answer_to_a_delete_that_happened_is_recorded_as_deleted() {
    let shop = Shop::new("settled", &["https://s.example.com/done/", "https://s.example.com/kept/"]);
    let (sim, app, form) = (&shop.sim, &shop.app, |prefix: &str| shop.form(prefix));
    sim.inject(qrjump::wechat::PATH_DELETE, sim::Fault::ActThenBusy);
    let done = app.delete(&form("https://s.example.com/done/"), Lang::En).await.unwrap();
    assert_eq!(done.status, Status::Ok, "{done:?}");
    assert!(done.explanation.meaning.contains("the delete had taken effect"), "{}", done.explanation.meaning);
    let record = app.history_record(done.record_id).unwrap().unwrap();
    assert_eq!((record.status, record.error_kind.as_deref()), (Status::Ok, Some("done_before_retry")));
    assert!(record.errcode.is_some(), "the retry's answer is kept: {record:?}");
    // The list read that settled it is a check record of its own, linked.
    let check = done.check.as_ref().expect("a check settled the busy answer");
    let check = app.history_record(check.record_id).unwrap().unwrap();
    assert_eq!(
        (check.action, check.related_id, check.conclusion),
        (Action::Check, Some(done.record_id), Some(Conclusion::Gone))
    );
    assert!(check.chain_seq < record.chain_seq, "the check is completed before the delete it settles");

    sim.inject(qrjump::wechat::PATH_DELETE, sim::Fault::Errcode(-1, "system error".into()));
    sim.inject(qrjump::wechat::PATH_DELETE, sim::Fault::Errcode(85066, "illegal prefix".into()));
    let kept = app.delete(&form("https://s.example.com/kept/"), Lang::En).await.unwrap();
    assert_eq!((kept.status, kept.errcode), (Status::Failed, Some(85066)));
    let record = app.history_record(kept.record_id).unwrap().unwrap();
    assert_eq!(record.error_kind.as_deref(), Some("still_there_after_retry"));
    assert_eq!(kept.check.as_ref().and_then(|c| c.conclusion), Some(Conclusion::Present));
    assert_eq!(sim.rules(MP, None).len(), 1);
    assert_eq!(app.verify().unwrap(), Verification::Intact { records: 4 }, "two deletes, two checks");
}
