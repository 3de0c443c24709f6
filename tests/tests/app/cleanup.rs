//! Clean-ups at scale through the app's actions (no window), against the
//! simulator on loopback and a real history file: batch delete with its
//! backup, pace, failures, cancel and resume; restore with publish and the
//! answers it meets; "is it really gone?" checks; rule backups; and which
//! account owns a prefix.

use std::collections::HashMap;
use std::time::Duration;

use qrjump::accounts::{AccountInput, AccountKind};
use qrjump::app::{AppState, BatchForm, DeleteForm};
use qrjump::history::{Action, Conclusion, Filter, Status, Verification};
use qrjump::lang::Lang;
use qrjump::service::backup;
use qrjump::service::batch::{ItemState, parse_prefix_list};
use qrjump::service::owners::Relation;
use qrjump::sim::{self, Fault, Simulator};
use qrjump::wechat::{Mode, PATH_ADD, PATH_DELETE, PATH_GET, PATH_PUBLISH, Rule};
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000b0a01";
const MP2: &str = "wx00000000000b0a02";
const SA: &str = "wx00000000000b0a03";
const TARGET: &str = "wx00000000000b0a04";

struct Shop {
    sim: Simulator,
    _data: tempfile::TempDir,
    app: AppState,
    id: String,
    secret: String,
    data_dir: std::path::PathBuf,
}

fn prefixes(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("https://c.example.com/qr/event/2025/store-{i:02}/")).collect()
}

impl Shop {
    fn new(label: &str, n: usize) -> Shop {
        let sim = Simulator::start().unwrap();
        let secret = secrets::app_secret(label);
        sim.add_account(MP, &secret, sim::AccountKind::MiniProgram);
        for prefix in prefixes(n) {
            sim.add_rule(MP, None, rules::published(&prefix));
        }
        let data = tempfile::tempdir().unwrap();
        let app = qrjump_tests::app_state(&sim.base_url(), data.path());
        let input = AccountInput {
            id: None,
            name: "Shop".into(),
            kind: AccountKind::MiniProgram,
            appid: Some(MP.into()),
            secret: Some(secret.clone()),
            token_expires_at: None,
            ..Default::default()
        };
        let id = app.save_account(input).unwrap().id;
        let data_dir = data.path().to_owned();
        Shop { sim, _data: data, app, id, secret, data_dir }
    }

    fn form(&self, prefixes: &[String]) -> BatchForm {
        BatchForm {
            account_id: self.id.clone(),
            mode: Mode::Ordinary,
            appid: None,
            prefixes: prefixes.to_vec(),
            text: None,
        }
    }

    fn delete_form(&self) -> DeleteForm {
        DeleteForm { account_id: self.id.clone(), mode: Mode::Ordinary, prefix: String::new(), appid: None }
    }

    /// How many deletes of each prefix reached the simulator.
    fn deletes(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for received in self.sim.received().iter().filter(|r| r.path == PATH_DELETE) {
            *counts.entry(received.body["prefix"].as_str().unwrap_or_default().to_owned()).or_default() += 1;
        }
        counts
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_reads_the_list_once_saves_a_backup_and_accounts_for_every_item() {
    let shop = Shop::new("batch", 12);
    let mut wanted = prefixes(12);
    wanted.push("https://c.example.com/not-there/".into());
    wanted.push("not a link".into());
    wanted.push(wanted[0].clone());

    let plan = shop.app.plan_batch(&shop.form(&wanted), Lang::En).await.unwrap();
    assert_eq!(plan.rules.len(), 12);
    assert_eq!(plan.missing, ["https://c.example.com/not-there/"]);
    assert_eq!((plan.invalid.len(), plan.duplicates), (1, 1));
    assert_eq!(shop.sim.count(PATH_DELETE), 0, "nothing is sent by a plan");

    // The third delete is refused by WeChat.
    shop.sim.inject_times(PATH_DELETE, Fault::Delay(Duration::ZERO), 2);
    shop.sim.inject(PATH_DELETE, Fault::Errcode(85066, "illegal prefix".into()));
    let gets_before = shop.sim.count(PATH_GET);
    let begun = shop.app.begin_batch(&shop.form(&wanted), Lang::En).await.unwrap();
    let id = begun.status.batch.id.clone();
    assert_eq!(begun.status.counts.never_sent, 12);

    // The backup is the whole list, saved before the first delete.
    let backup_path = begun.status.batch.backup_path.clone().expect("a backup path is recorded");
    let saved = backup::read(std::path::Path::new(&backup_path)).unwrap();
    assert_eq!(saved, shop.sim.rules(MP, None), "every rule, every field");

    let mut seen = Vec::new();
    let status = shop.app.run_batch(&id, |p| seen.push(p), Lang::En).await.unwrap();
    assert_eq!(shop.sim.count(PATH_GET) - gets_before, 1, "one list read for the whole batch, not one per rule");
    assert_eq!((status.counts.done, status.counts.failed, status.counts.never_sent), (11, 1, 0));
    assert!(status.batch.closed_at.is_some(), "a batch with every item answered is closed");
    let failed = status.items.iter().find(|i| i.state == ItemState::Failed).unwrap();
    assert_eq!((failed.prefix.as_str(), failed.errcode), (wanted[2].as_str(), Some(85066)));
    assert!(failed.explanation.as_deref().unwrap().contains("not a valid QR code rule"));

    // Progress before and after each item, counts moving up, time left going down.
    assert_eq!(seen.len(), 24);
    assert_eq!(seen[0].current.as_deref(), Some(wanted[0].as_str()));
    let done: Vec<usize> = seen.iter().map(|p| p.counts.done).collect();
    assert!(done.windows(2).all(|w| w[0] <= w[1]) && done.last() == Some(&11), "{done:?}");
    assert!(seen.last().unwrap().remaining == 0 && seen.last().unwrap().eta_seconds == 0.0);

    // Every item is its own audited record with the batch id and the rule as it was.
    let filter = Filter { batch_id: Some(id.clone()), ..Filter::default() };
    let records = shop.app.history_page(&filter, None).unwrap();
    assert_eq!(records.len(), 12);
    for record in &records {
        let snapshot: Rule = serde_json::from_str(record.rule_snapshot.as_deref().unwrap()).unwrap();
        assert_eq!((record.action, snapshot.prefix.as_str()), (Action::Delete, record.prefix.as_str()));
    }
    assert!(shop.app.unfinished_batches().unwrap().is_empty());

    // The failed one, retried as a new batch of just it.
    let retry = shop.app.begin_batch(&shop.form(std::slice::from_ref(&failed.prefix)), Lang::En).await.unwrap();
    assert_ne!(retry.status.batch.id, id);
    let retried = shop.app.run_batch(&retry.status.batch.id, |_| {}, Lang::En).await.unwrap();
    assert_eq!(retried.counts.done, 1);
    assert!(shop.sim.rules(MP, None).is_empty());
    let deletes = shop.deletes();
    assert_eq!(deletes.len(), 12);
    for (prefix, n) in deletes {
        assert_eq!(n, if prefix == wanted[2] { 2 } else { 1 }, "{prefix}: only the refused one is sent again");
    }
    assert_eq!(shop.app.verify().unwrap(), Verification::Intact { records: 13 });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_batch_stops_after_the_call_in_flight_and_resumes_without_sending_twice() {
    let shop = Shop::new("cancel", 15);
    let all = prefixes(15);
    let begun = shop.app.begin_batch(&shop.form(&all), Lang::En).await.unwrap();
    let id = begun.status.batch.id.clone();
    let app = &shop.app;
    let status = app
        .run_batch(
            &id,
            |p| {
                if p.counts.done == 4 {
                    app.cancel_batch(&p.batch_id);
                }
            },
            Lang::En,
        )
        .await
        .unwrap();
    assert_eq!((status.counts.done, status.counts.never_sent), (4, 11), "stopped after the call in flight");
    assert!(status.batch.closed_at.is_none());
    let open = app.unfinished_batches().unwrap();
    assert_eq!(open.len(), 1, "offered for resuming");
    assert_eq!(open[0].counts.never_sent, 11);

    // An item whose answer was lost (HTTP 500) is checked at once: still there.
    shop.sim.inject(PATH_DELETE, Fault::Http500);
    let status = app.resume_batch(&id, |_| {}, Lang::En).await.unwrap();
    let unknown: Vec<_> = status.items.iter().filter(|i| i.state == ItemState::Unknown).collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].check, Some(Conclusion::Present), "checked right after the unknown answer");
    assert_eq!((status.counts.done, status.counts.still_there), (14, 1));
    assert!(status.batch.closed_at.is_none(), "one rule is still there");

    // Resuming again sends that one again, and only it.
    let status = app.resume_batch(&id, |_| {}, Lang::En).await.unwrap();
    assert!(status.counts.finished() && status.batch.closed_at.is_some(), "{:?}", status.counts);
    let deletes = shop.deletes();
    let twice: Vec<_> = deletes.iter().filter(|(_, n)| **n > 1).map(|(p, _)| p.clone()).collect();
    assert_eq!(twice, [unknown[0].prefix.clone()], "only the rule a check found still there is sent again");
    assert!(shop.sim.rules(MP, None).is_empty());
    assert_eq!(app.verify().unwrap(), Verification::Intact { records: 17 }, "16 deletes and a check");
    let locks = std::fs::read_dir(shop.data_dir.join("locks")).unwrap();
    let left: Vec<_> =
        locks.filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().starts_with("batch-")).collect();
    assert!(left.is_empty(), "a closed batch leaves no lock file: {left:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_is_sent_by_one_window_at_a_time() {
    let shop = Shop::new("busy", 6);
    let begun = shop.app.begin_batch(&shop.form(&prefixes(6)), Lang::En).await.unwrap();
    let id = begun.status.batch.id.clone();
    shop.sim.inject(PATH_DELETE, Fault::Delay(Duration::from_millis(800)));
    let (first, second) = tokio::join!(shop.app.run_batch(&id, |_| {}, Lang::En), async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        shop.app.resume_batch(&id, |_| {}, Lang::En).await
    });
    assert_eq!(first.unwrap().counts.done, 6);
    let refused = second.unwrap_err().problem(Lang::En);
    assert_eq!(refused.kind, "batch_busy", "{refused:?}");
    assert!(shop.deletes().values().all(|n| *n == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_re_adds_the_rule_links_it_and_explains_what_it_meets() {
    let shop = Shop::new("restore", 3);
    let [a, b, c] = [0, 1, 2].map(|i| prefixes(3)[i].clone());
    let begun = shop.app.begin_batch(&shop.form(&[a.clone(), b.clone(), c.clone()]), Lang::En).await.unwrap();
    let status = shop.app.run_batch(&begun.status.batch.id, |_| {}, Lang::En).await.unwrap();
    let record = |prefix: &str| status.items.iter().find(|i| i.prefix == prefix).unwrap().record_id.unwrap();

    let preview = shop.app.restore_preview(record(&a), Lang::En).await.unwrap();
    assert_eq!((preview.prefix.as_str(), preview.publishes_left), (a.as_str(), Some(100)));

    // Without publish: back, unpublished, linked to the delete.
    let restored = shop.app.restore(record(&a), false, Lang::En).await.unwrap();
    assert_eq!((restored.restore.status, restored.publish.is_none()), (Status::Ok, true));
    let rule = shop.sim.rules(MP, None).into_iter().find(|r| r.prefix == a).unwrap();
    assert_eq!(
        (rule.state, rule.path.as_str(), rule.open_version, rule.permit_sub_rule),
        (1, "pages/a", Some(3), Some(1))
    );
    let add = shop.sim.received().into_iter().rev().find(|r| r.path == PATH_ADD).unwrap();
    assert_eq!(add.body["is_edit"], 0);
    let stored = shop.app.history_record(restored.restore.record_id).unwrap().unwrap();
    assert_eq!((stored.action, stored.related_id), (Action::Restore, Some(record(&a))));

    // Again: WeChat says it exists (85071), in words.
    let again = shop.app.restore(record(&a), false, Lang::En).await.unwrap();
    assert_eq!((again.restore.status, again.restore.errcode), (Status::Failed, Some(85071)));
    assert!(again.restore.explanation.meaning.contains("already exists"));

    // With publish: published, one publish spent, the publish linked to the restore.
    let restored = shop.app.restore(record(&b), true, Lang::En).await.unwrap();
    let publish = restored.publish.expect("published");
    assert_eq!(publish.status, Status::Ok);
    assert!(shop.sim.rules(MP, None).iter().any(|r| r.prefix == b && r.state == 2));
    let stored = shop.app.history_record(publish.record_id).unwrap().unwrap();
    assert_eq!((stored.action, stored.related_id), (Action::Publish, Some(restored.restore.record_id)));
    assert_eq!(shop.app.restore_preview(record(&c), Lang::En).await.unwrap().publishes_left, Some(99));

    // No publishes left this month: 886000, explained; the rule is back, unpublished.
    shop.sim.set_publish_quota(MP, 0);
    assert_eq!(shop.app.restore_preview(record(&c), Lang::En).await.unwrap().publishes_left, Some(0));
    let restored = shop.app.restore(record(&c), true, Lang::En).await.unwrap();
    assert_eq!(restored.restore.status, Status::Ok);
    let publish = restored.publish.unwrap();
    assert_eq!((publish.status, publish.errcode), (Status::Failed, Some(886000)));
    assert!(publish.explanation.meaning.contains("publish quota"), "{}", publish.explanation.meaning);
    assert_eq!(shop.sim.count(PATH_PUBLISH), 2);

    // A failed delete or one without a snapshot cannot be restored.
    shop.sim.answer_next(PATH_DELETE, 85066, "illegal prefix");
    let failed = shop.app.delete(&DeleteForm { prefix: b.clone(), ..shop.delete_form() }, Lang::En).await.unwrap();
    let refused = shop.app.restore(failed.record_id, false, Lang::En).await.unwrap_err().problem(Lang::En);
    assert_eq!(refused.kind, "not_restorable");
    assert_eq!(shop.app.verify().unwrap(), Verification::Intact { records: 10 });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_asking_for_the_verification_file_saves_it_and_says_where_it_goes() {
    let shop = Shop::new("verify", 1);
    let prefix = prefixes(1)[0].clone();
    let deleted =
        shop.app.delete(&DeleteForm { prefix: prefix.clone(), ..shop.delete_form() }, Lang::En).await.unwrap();
    shop.sim.require_verification_file("c.example.com", true);
    let restored = shop.app.restore(deleted.record_id, true, Lang::En).await.unwrap();
    assert_eq!((restored.restore.errcode, restored.needs_verification_file), (Some(85069), true));
    assert!(restored.publish.is_none(), "nothing to publish when the add failed");
    let folder = tempfile::tempdir().unwrap();
    let saved = shop.app.save_verification_file(deleted.record_id, folder.path()).await.unwrap();
    let content = std::fs::read_to_string(&saved.path).unwrap();
    assert!(saved.file_name.ends_with(".txt") && content.len() == 32, "{saved:?} {content:?}");
    assert_eq!(saved.location, format!("https://c.example.com/qr/event/2025/store-01/{}", saved.file_name));
    // Once the file is in place, the restore goes through.
    shop.sim.require_verification_file("c.example.com", false);
    let restored = shop.app.restore(deleted.record_id, false, Lang::En).await.unwrap();
    assert_eq!(restored.restore.status, Status::Ok);

    // 85074: the Mini Program has no released version.
    let again = shop.app.delete(&DeleteForm { prefix: prefix.clone(), ..shop.delete_form() }, Lang::En).await.unwrap();
    shop.sim.answer_next(PATH_ADD, 85074, "not published");
    let refused = shop.app.restore(again.record_id, false, Lang::En).await.unwrap();
    assert_eq!(refused.restore.errcode, Some(85074));
    assert!(refused.restore.explanation.what_to_do.contains("Release a version"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_delete_is_checked_by_a_linked_record_and_the_original_never_changes() {
    let shop = Shop::new("check", 2);
    let [a, b] = [0, 1].map(|i| prefixes(2)[i].clone());
    // The connection closes before an answer: WeChat may or may not have acted.
    shop.sim.inject(PATH_DELETE, Fault::Close);
    let outcome = shop.app.delete(&DeleteForm { prefix: a.clone(), ..shop.delete_form() }, Lang::En).await.unwrap();
    assert_eq!(outcome.status, Status::Unknown);
    let check = outcome.check.expect("checked at once");
    assert_eq!((check.action, check.conclusion), (Action::Check, Some(Conclusion::Present)));
    let original = shop.app.history_record(outcome.record_id).unwrap().unwrap();

    // A check asked for later, from the history: the rule is gone now.
    shop.sim.add_rule(MP, None, rules::published("https://c.example.com/other/"));
    let _ = shop.app.delete(&DeleteForm { prefix: a.clone(), ..shop.delete_form() }, Lang::En).await.unwrap();
    let later = shop.app.check_record(outcome.record_id, Lang::En).await.unwrap();
    assert_eq!((later.conclusion, later.status), (Some(Conclusion::Gone), Status::Ok));
    assert_eq!(shop.app.history_record(outcome.record_id).unwrap().unwrap(), original, "never changed");
    let links = shop.app.history_links(&[outcome.record_id]).unwrap();
    assert_eq!(links.len(), 1, "the latest check per record");
    assert_eq!((links[0].id, links[0].conclusion), (later.record_id, Some(Conclusion::Gone)));
    let linked = Filter { related_to: Some(outcome.record_id), ..Filter::default() };
    assert_eq!(shop.app.history_page(&linked, None).unwrap().len(), 3, "the delete and its two checks");

    // Only unknown deletes are checked.
    let done = shop.app.delete(&DeleteForm { prefix: b, ..shop.delete_form() }, Lang::En).await.unwrap();
    assert!(shop.app.check_record(done.record_id, Lang::En).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rule_backups_hold_every_field_and_every_page() {
    let shop = Shop::new("backup", 3);
    let secret = secrets::app_secret("backup-sa");
    shop.sim.add_account(SA, &secret, sim::AccountKind::ServiceAccount);
    for i in 0..450 {
        shop.sim.add_rule(
            SA,
            Some(TARGET),
            rules::service_account(&format!("http://weixin.qq.com/q/bk{i:04}"), "pages/s"),
        );
    }
    let sa = shop
        .app
        .save_account(AccountInput {
            id: None,
            name: "Service".into(),
            kind: AccountKind::ServiceAccount,
            appid: Some(SA.into()),
            secret: Some(secret),
            token_expires_at: None,
            ..Default::default()
        })
        .unwrap()
        .id;
    let dir = tempfile::tempdir().unwrap();
    for name in ["rules.csv", "rules.json"] {
        let path = dir.path().join(name);
        assert_eq!(shop.app.backup_rules(&shop.delete_form(), &path).await.unwrap(), 3);
        assert_eq!(backup::read(&path).unwrap(), shop.sim.rules(MP, None), "{name}");
    }
    let form =
        DeleteForm { account_id: sa, mode: Mode::ServiceAccount, prefix: String::new(), appid: Some(TARGET.into()) };
    let path = dir.path().join("service.json");
    assert_eq!(shop.app.backup_rules(&form, &path).await.unwrap(), 450, "three pages of 200");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(
        (json["mode"].as_str(), json["target_appid"].as_str(), json["total"].as_u64()),
        (Some("service_account"), Some(TARGET), Some(450))
    );
    // A backup is a list of prefixes for a batch, too.
    let csv = std::fs::read_to_string(dir.path().join("rules.csv")).unwrap();
    assert_eq!(parse_prefix_list(&csv), prefixes(3));
    assert!(shop.app.backup_rules(&shop.delete_form(), &dir.path().join("rules.xlsx")).await.is_err());

    // Several rules back from a backup: each its own restore record.
    let backup_file = dir.path().join("rules.json");
    let two = prefixes(2);
    let begun = shop.app.begin_batch(&shop.form(&two), Lang::En).await.unwrap();
    shop.app.run_batch(&begun.status.batch.id, |_| {}, Lang::En).await.unwrap();
    let contents = shop.app.open_backup(&shop.delete_form(), &backup_file).await.unwrap();
    assert_eq!((contents.rules.len(), contents.present), (3, vec![prefixes(3)[2].clone()]));
    let restored = shop.app.restore_from_backup(&shop.delete_form(), &backup_file, &two, true, Lang::En).await.unwrap();
    assert!(
        restored.iter().all(|r| r.restore.status == Status::Ok && r.publish.as_ref().unwrap().status == Status::Ok)
    );
    assert_eq!(shop.sim.rules(MP, None).iter().filter(|r| r.state == 2).count(), 3);
    let record = shop.app.history_record(restored[0].restore.record_id).unwrap().unwrap();
    assert_eq!((record.action, record.related_id), (Action::Restore, None));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_of_a_prefix_is_found_across_accounts() {
    let shop = Shop::new("owner", 2);
    let secret = secrets::app_secret("owner-2");
    shop.sim.add_account(MP2, &secret, sim::AccountKind::MiniProgram);
    shop.sim.add_rule(MP2, None, rules::published("https://other.example.com/qr/"));
    shop.sim.add_rule(MP2, None, rules::published("https://c.example.com/"));
    shop.app
        .save_account(AccountInput {
            id: None,
            name: "Brand B".into(),
            kind: AccountKind::MiniProgram,
            appid: Some(MP2.into()),
            secret: Some(secret),
            token_expires_at: None,
            ..Default::default()
        })
        .unwrap();
    let found = shop.app.find_owner("https://other.example.com/qr/", None, Lang::En).await.unwrap();
    assert_eq!(found.holdings.len(), 1);
    assert_eq!(
        (found.holdings[0].whose.account_name.as_str(), found.holdings[0].relation),
        ("Brand B", Relation::Exact)
    );
    assert!(found.searched.len() >= 3 && found.searched.iter().all(|s| s.error.is_none()), "{:?}", found.searched);

    let under = shop.app.find_owner("https://c.example.com/qr/event/2025/store-01/", None, Lang::En).await.unwrap();
    let by: Vec<(&str, Relation)> =
        under.holdings.iter().map(|h| (h.whose.account_name.as_str(), h.relation)).collect();
    assert_eq!(by, [("Shop", Relation::Exact), ("Brand B", Relation::Covers)]);
    let nobody = shop.app.find_owner("https://nobody.example.com/", None, Lang::En).await.unwrap();
    assert!(nobody.holdings.is_empty());
    assert!(shop.app.find_owner("nobody", None, Lang::En).await.is_err(), "a bad prefix is refused before any call");
}

/// A batch a script began (no app account id) is resumed in the app with
/// the account that has the same AppID, under the batch's account name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_resumes_a_batch_a_script_left_unfinished() {
    use qrjump::service::{Target, batch};
    use qrjump::wechat::{Account, AppId, Client, Credentials, Scope, Secret};
    let shop = Shop::new("script", 5);
    let client = Client::new(&shop.sim.base_url()).unwrap().with_shared_throttle(&shop.data_dir);
    let credentials =
        Credentials::AppSecret { appid: AppId::parse(MP).unwrap(), secret: Secret::new(shop.secret.clone()) };
    let target = Target {
        client,
        account: std::sync::Arc::new(Account::new(credentials)),
        account_name: format!("cli {MP}"),
        demo: false,
    };
    let history = std::sync::Mutex::new(qrjump::history::History::open(&shop.data_dir).unwrap());
    let plan = batch::plan(&target, &Scope::Ordinary, &prefixes(5), Lang::En).await.unwrap();
    let begun = batch::begin(&history, &target, None, &Scope::Ordinary, &plan).unwrap();
    drop(history);

    let open = shop.app.unfinished_batches().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].batch.account_id.as_deref(), open[0].counts.never_sent), (None, 5));
    let status = shop.app.resume_batch(&begun.id, |_| {}, Lang::En).await.unwrap();
    assert_eq!(status.counts.done, 5);
    let records =
        shop.app.history_page(&Filter { batch_id: Some(begun.id.clone()), ..Filter::default() }, None).unwrap();
    assert!(records.iter().all(|r| r.account_name == format!("cli {MP}")), "records keep the batch's account name");
    assert!(shop.sim.rules(MP, None).is_empty());

    // A batch set aside is no longer offered, and its lock file goes.
    shop.sim.add_rule(MP, None, qrjump_tests::rules::published("https://c.example.com/aside/"));
    let aside = shop.app.begin_batch(&shop.form(&["https://c.example.com/aside/".into()]), Lang::En).await.unwrap();
    assert_eq!(shop.app.unfinished_batches().unwrap().len(), 1);
    shop.app.close_batch(&aside.status.batch.id).unwrap();
    assert!(shop.app.unfinished_batches().unwrap().is_empty());
    assert!(!shop.data_dir.join("locks").join(format!("batch-{}", aside.status.batch.id)).exists());
    assert_eq!(shop.sim.rules(MP, None).len(), 1, "nothing was sent");
}
