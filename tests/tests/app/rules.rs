//! The life of a rule through the app's state (what the window's commands
//! call), against the simulator and a real history file: refusals with the
//! field they name, the verification file saved and checked, a page change
//! rolled back, publishes the quota cannot cover, and a rule file applied.

use qrjump::accounts::{AccountInput, AccountKind};
use qrjump::app::{AppError, AppState, DeleteForm, RuleForm};
use qrjump::doctor::Finding;
use qrjump::history::{Action, Filter, Status};
use qrjump::lang::Lang;
use qrjump::sim::{self, Simulator};
use qrjump::wechat::{Mode, OpenVersion, PATH_ADD, PATH_PUBLISH};
use qrjump_tests::web::{Reply, WebServer};
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000b0b01";

struct Shop {
    sim: Simulator,
    _data: tempfile::TempDir,
    app: AppState,
    id: String,
}

impl Shop {
    fn new(label: &str) -> Shop {
        let sim = Simulator::start().unwrap();
        let secret = secrets::app_secret(label);
        sim.add_account(MP, &secret, sim::AccountKind::MiniProgram);
        sim.add_rule(MP, None, rules::published("https://s.example.com/a/"));
        let data = tempfile::tempdir().unwrap();
        let app = qrjump_tests::app_state(&sim.base_url(), data.path());
        let input = AccountInput {
            name: "Shop".into(),
            kind: AccountKind::MiniProgram,
            appid: Some(MP.into()),
            secret: Some(secret),
            ..Default::default()
        };
        let id = app.save_account(input).unwrap().id;
        Shop { sim, _data: data, app, id }
    }

    fn at(&self, prefix: &str) -> DeleteForm {
        DeleteForm { account_id: self.id.clone(), mode: Mode::Ordinary, prefix: prefix.into(), appid: None }
    }

    fn rule(&self, prefix: &str, path: &str, links: &[&str]) -> RuleForm {
        RuleForm {
            at: self.at(prefix),
            path: path.into(),
            open_version: OpenVersion::Release,
            sub_rules: false,
            debug_urls: links.iter().map(|l| l.to_string()).collect(),
            publish: false,
        }
    }
}

fn field(error: AppError) -> Option<String> {
    error.problem(Lang::En).field.map(|f| serde_json::to_value(f).unwrap().as_str().unwrap().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_name_their_field_and_nothing_is_sent() {
    let shop = Shop::new("rules-refuse");
    let outside = shop.rule("https://s.example.com/b/", "pages/b", &["https://t.example.com/1"]);
    assert_eq!(field(shop.app.rule_add_plan(&outside, Lang::En).await.unwrap_err()).as_deref(), Some("debug_url"));
    let slash = shop.rule("https://s.example.com/b/", "/pages/b", &[]);
    assert_eq!(field(shop.app.rule_add_plan(&slash, Lang::En).await.unwrap_err()).as_deref(), Some("page_path"));
    let exists = shop.rule("https://s.example.com/a/", "pages/b", &[]);
    let problem = shop.app.rule_add(&exists, Lang::ZhCn).await.unwrap_err().problem(Lang::ZhCn);
    assert_eq!(problem.kind, "rule_exists", "the window offers to edit it");
    assert!(problem.message.contains("85071") && problem.hint.contains("修改"), "{problem:?}");
    shop.sim.set_publish_quota(MP, 0);
    let page = shop.rule("https://s.example.com/a/", "pages/z", &[]);
    let problem = shop.app.rule_edit_plan(&page, Lang::En).await.unwrap_err().problem(Lang::En);
    assert!(problem.message.contains("1 publish(es) needed but 0 left"), "{problem:?}");
    assert_eq!((shop.sim.count(PATH_ADD), shop.sim.count(PATH_PUBLISH)), (0, 0));
    assert!(shop.app.history_page(&Filter::default(), None).unwrap().is_empty(), "nothing recorded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_verification_file_is_saved_checked_and_then_the_add_passes() {
    let shop = Shop::new("rules-file");
    let saved = tempfile::tempdir().unwrap();
    // A web site that serves only what has been put in `root`.
    let root = tempfile::tempdir().unwrap();
    let served = root.path().to_owned();
    let web = WebServer::start(move |_, path| match std::fs::read(served.join(path.trim_start_matches('/'))) {
        Ok(bytes) => Reply::new(200, "text/plain", bytes),
        Err(_) => Reply::new(404, "text/html", "<html>no</html>"),
    });
    let host = format!("127.0.0.1:{}", web.port());
    let prefix = format!("http://{host}/qr/shop/");
    shop.sim.require_verification_file(&host, true);
    let form = shop.rule(&prefix, "pages/shop", &[]);
    let added = shop.app.rule_add(&form, Lang::En).await.unwrap();
    assert_eq!((added.add.errcode, added.needs_verification_file), (Some(85069), true));

    let file = shop.app.save_rule_verification_file(&shop.at(&prefix), saved.path()).await.unwrap();
    assert!(file.location.starts_with(&format!("{prefix}{}", file.file_name)), "{}", file.location);
    let view = shop.app.rule_doctor(&shop.at(&prefix), Lang::En).await.unwrap();
    assert_eq!((view.verdict, view.places[0].finding), (Finding::NotFound, Finding::NotFound));
    assert!(view.places[0].what_to_do.contains(&file.file_name));

    std::fs::create_dir_all(root.path().join("qr/shop")).unwrap();
    std::fs::copy(&file.path, root.path().join("qr/shop").join(&file.file_name)).unwrap();
    let view = shop.app.rule_doctor(&shop.at(&prefix), Lang::ZhCn).await.unwrap();
    assert_eq!((view.verdict, view.places[0].finding), (Finding::Ok, Finding::Ok));
    shop.sim.require_verification_file(&host, false);
    let added = shop.app.rule_add(&form, Lang::En).await.unwrap();
    assert_eq!(added.add.status, Status::Ok);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_change_whose_add_fails_puts_the_old_rule_back_and_the_history_says_so() {
    let shop = Shop::new("rules-rollback");
    let page = shop.rule("https://s.example.com/a/", "pages/new", &[]);
    let plan = shop.app.rule_edit_plan(&page, Lang::En).await.unwrap();
    assert!(plan.text.contains("three steps") && plan.text.contains("(100 left)"), "{}", plan.text);
    shop.sim.answer_next(PATH_ADD, 85068, "debug_url not match prefix");
    let edited = shop.app.rule_edit(&page, Lang::En).await.unwrap();
    assert!(edited.rolled_back && !edited.done);
    let held = shop.sim.rules(MP, None).into_iter().find(|r| r.prefix == "https://s.example.com/a/").unwrap();
    assert_eq!((held.path.as_str(), held.state), ("pages/a", 2));
    let records = shop.app.history_page(&Filter::default(), None).unwrap();
    let actions: Vec<Action> = records.iter().rev().map(|r| r.action).collect();
    assert_eq!(actions, [Action::Delete, Action::Add, Action::Restore, Action::Publish]);
    let restore = records.iter().find(|r| r.action == Action::Restore).unwrap();
    let delete = records.iter().find(|r| r.action == Action::Delete).unwrap();
    assert_eq!(restore.related_id, Some(delete.id), "the put-back points at the delete it undoes");

    // Publishes for a set the quota cannot finish are refused whole.
    for p in ["https://s.example.com/d1/", "https://s.example.com/d2/"] {
        assert_eq!(shop.app.rule_add(&shop.rule(p, "pages/d", &[]), Lang::En).await.unwrap().add.status, Status::Ok);
    }
    shop.sim.set_publish_quota(MP, 1);
    let both = ["https://s.example.com/d1/".to_owned(), "https://s.example.com/d2/".to_owned()];
    let problem = shop.app.rule_publish(&shop.at(""), &both, Lang::En).await.unwrap_err().problem(Lang::En);
    assert!(problem.message.contains("2 publish(es) needed but 1 left"), "{problem:?}");
    let published = shop.app.rule_publish(&shop.at(""), &both[..1], Lang::En).await.unwrap();
    assert_eq!(published[0].status, Status::Ok);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rule_file_is_planned_and_applied_with_a_backup() {
    let shop = Shop::new("rules-set");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("set.csv");
    std::fs::write(
        &file,
        "prefix,path,state,open_version,permit_sub_rule,debug_url\nhttps://s.example.com/n/,pages/n,2,3,1,\n",
    )
    .unwrap();
    let planned = shop.app.rule_set_plan(&shop.at(""), &file, Lang::En).await.unwrap();
    assert_eq!(
        (planned.plan.plan.add.len(), planned.plan.plan.delete.len(), planned.plan.refused.as_deref()),
        (1, 1, None)
    );
    let applied = shop.app.rule_set_apply(&shop.at(""), &file, Lang::En).await.unwrap();
    assert!(applied.done && applied.backup.is_file());
    let held: Vec<_> = shop.sim.rules(MP, None).into_iter().map(|r| (r.prefix, r.state)).collect();
    assert_eq!(held, [("https://s.example.com/n/".to_owned(), 2)]);
    let again = shop.app.rule_set_plan(&shop.at(""), &file, Lang::En).await.unwrap();
    assert!(again.plan.empty && again.text.contains("nothing to change"));
}
