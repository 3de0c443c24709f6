//! The team history through the desktop app's state (what its commands
//! call), on a real PostgreSQL: the setting checked by connecting before it
//! is saved, the password kept out of the file, the push of the demo's
//! deletes, the status the screen shows, and the team review.

use qrjump::app::{DeleteForm, TeamForm};
use qrjump::history::Status;
use qrjump::lang::Lang;
use qrjump::sim::Simulator;
use qrjump::team::TeamFilter;
use qrjump::wechat::Mode;
use qrjump_tests::postgres::{PASSWORD, Postgres};
use qrjump_tests::secrets;

fn form(pg: &Postgres, password: Option<&str>) -> TeamForm {
    TeamForm {
        host: " 127.0.0.1 ".into(),
        port: Some(pg.port()),
        database: pg.name().into(),
        user: "qrjump".into(),
        password: password.map(Into::into),
        require_tls: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_sets_up_pushes_and_reviews_the_team_history() {
    // A server of its own: the test takes it away.
    let pg = Postgres::start();
    let sim = Simulator::start().unwrap();
    let data = tempfile::tempdir().unwrap();
    let app = qrjump_tests::app_state(&sim.base_url(), data.path());

    // Nothing set up: nothing pushed, and the status says so.
    assert_eq!(app.push_team().await.unwrap(), None);
    assert!(app.team_status().unwrap().settings.is_none());

    // A field left empty is named; a wrong password is refused by the
    // server, and nothing is saved.
    let empty = TeamForm { database: " ".into(), ..form(&pg, Some(PASSWORD)) };
    let problem = app.save_team(empty).await.unwrap_err().problem(Lang::En);
    assert_eq!(problem.message, "database: required, without spaces.");
    let wrong = app.save_team(form(&pg, Some("TESTSECRET-wrong"))).await.unwrap_err();
    let problem = wrong.problem(Lang::ZhCn);
    assert!(problem.message.starts_with("团队数据库拒绝了请求"), "{problem:?}");
    secrets::assert_clean("the problem", &format!("{problem:?}"));
    assert!(app.team_settings().is_none());

    let status = app.save_team(form(&pg, Some(PASSWORD))).await.unwrap();
    let settings = status.settings.expect("saved");
    assert_eq!((settings.host.as_str(), settings.port), ("127.0.0.1", pg.port()));
    secrets::assert_dir_clean(data.path());
    // Another server without a password typed: the kept one is not sent there.
    let moved = TeamForm { host: "localhost".into(), ..form(&pg, None) };
    let problem = app.save_team(moved).await.unwrap_err().problem(Lang::En);
    assert!(problem.message.starts_with("password: the server changed"), "{problem:?}");
    assert_eq!(app.team_settings().map(|s| s.host), Some("127.0.0.1".into()), "nothing changed");

    // Two demo deletes, then the push (the desktop's loop calls the same).
    let demo = DeleteForm { account_id: "demo".into(), mode: Mode::Ordinary, prefix: String::new(), appid: None };
    let rules = app.list_rules(&demo, |_| {}).await.unwrap();
    for rule in rules.rule_list.iter().take(2) {
        let outcome = app.delete(&DeleteForm { prefix: rule.prefix.clone(), ..demo.clone() }, Lang::En).await.unwrap();
        assert_eq!(outcome.status, Status::Ok);
    }
    assert_eq!(app.team_status().unwrap().waiting, 2);
    let pushed = app.push_team().await.unwrap().expect("set up");
    assert_eq!((pushed.sent, pushed.waiting), (2, 0));
    let status = app.team_status().unwrap();
    assert_eq!((status.waiting, status.last_error), (0, None));
    assert!(status.last_push_at.is_some());

    // The team review: the records with this computer's name.
    let page = app.team_page(&TeamFilter::default(), None).await.unwrap();
    assert_eq!(page.len(), 2);
    assert!(page.iter().all(|r| r.computer == status.computer && r.record.demo));
    let names = app.team_names().await.unwrap();
    assert_eq!(names.computers, vec![status.computer.clone()]);
    assert_eq!(names.accounts, vec!["演示账号 / Demo".to_string()]);
    let verified = app.verify_team().await.unwrap();
    assert!(verified.intact() && verified.installations[0].records == 2, "{verified:?}");
    let csv = data.path().join("team.csv");
    assert_eq!(app.export_team(&TeamFilter::default(), &csv).await.unwrap(), 2);
    assert!(std::fs::read_to_string(&csv).unwrap().contains(&status.computer));

    // The server away: the push fails in words, the records wait.
    drop(pg);
    app.delete(&DeleteForm { prefix: rules.rule_list[2].prefix.clone(), ..demo.clone() }, Lang::En).await.unwrap();
    assert!(app.push_team().await.is_err());
    let status = app.team_status().unwrap();
    assert_eq!(status.waiting, 1);
    assert!(status.last_error.as_deref().is_some_and(|e| e.contains("cannot reach")), "{status:?}");

    // Stopping: the setting goes, the local history stays.
    app.forget_team().unwrap();
    assert!(app.team_status().unwrap().settings.is_none());
    assert_eq!(app.push_team().await.unwrap(), None);
}

/// Two desktops (two data folders) and a `qrjump` script on the first
/// folder, all setting up and pushing to an empty server at once: every
/// record arrives once and each installation's chain verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_desktops_and_a_script_push_to_one_server_at_once() {
    use qrjump::history::History;
    use qrjump::sim::AccountKind;

    let pg = Postgres::database();
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("team-app");
    sim.add_account("wx00000000000d7801", &secret, AccountKind::MiniProgram);
    sim.set_rate_limit(false);
    for n in 0..6 {
        sim.add_rule(
            "wx00000000000d7801",
            None,
            qrjump_tests::rules::published(&format!("https://s.example.com/{n}/")),
        );
    }
    let folders = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let desktops: Vec<_> = folders.iter().map(|f| qrjump_tests::app_state(&sim.base_url(), f.path())).collect();

    // The script: six deletes on the first desktop's folder, each pushing.
    let script = {
        let (base, data, url) = (sim.base_url(), folders[0].path().to_owned(), pg.url());
        let secret = secret.clone();
        std::thread::spawn(move || {
            for n in 0..6 {
                let output = std::process::Command::new(qrjump_tests::workspace_bin("qrjump"))
                    .args(["delete", "--prefix", &format!("https://s.example.com/{n}/"), "--yes"])
                    .env("QRJUMP_API_BASE", &base)
                    .env("QRJUMP_DATA_DIR", &data)
                    .env("QRJUMP_APPID", "wx00000000000d7801")
                    .env("QRJUMP_APP_SECRET", &secret)
                    .env("QRJUMP_TEAM_DATABASE_URL", &url)
                    .env_remove("QRJUMP_ACCESS_TOKEN")
                    .output()
                    .unwrap();
                let said = String::from_utf8_lossy(&output.stderr).into_owned();
                assert!(output.status.success() && !said.contains("not pushed"), "{said}");
            }
        })
    };
    // The desktops: set up at once on the empty server, then five demo
    // deletes each, pushing after each as their loop does.
    let work = desktops.iter().map(|app| async {
        app.save_team(form(&pg, Some(PASSWORD))).await.unwrap();
        let demo = DeleteForm { account_id: "demo".into(), mode: Mode::Ordinary, prefix: String::new(), appid: None };
        let rules = app.list_rules(&demo, |_| {}).await.unwrap();
        for rule in rules.rule_list.iter().take(5) {
            app.delete(&DeleteForm { prefix: rule.prefix.clone(), ..demo.clone() }, Lang::En).await.unwrap();
            app.push_team().await.unwrap();
        }
    });
    futures_join(work).await;
    script.join().unwrap();
    for app in &desktops {
        app.push_team().await.unwrap();
    }

    let mut expected = 0;
    for folder in &folders {
        let history = History::open_read_only(folder.path()).unwrap();
        let outbox = history.outbox().unwrap();
        assert_eq!(outbox.waiting, 0);
        let on_server: u64 = pg
            .sql(&format!("SELECT count(*) FROM qrjump_records WHERE installation_id = '{}'", outbox.installation_id))
            .parse()
            .unwrap();
        assert_eq!(on_server, history.pushed_seq().unwrap() as u64, "each record once");
        expected += on_server;
    }
    assert_eq!(expected, 16, "5 + 6 on the first folder, 5 on the second");
    let verified = desktops[1].verify_team().await.unwrap();
    assert!(verified.intact() && verified.installations.len() == 2, "{verified:?}");
}

/// Runs the futures together on this task (no extra dependency for join_all).
async fn futures_join<F: std::future::Future<Output = ()>>(futures: impl IntoIterator<Item = F>) {
    let mut pending: Vec<_> = futures.into_iter().map(Box::pin).collect();
    std::future::poll_fn(move |cx| {
        pending.retain_mut(|f| f.as_mut().poll(cx).is_pending());
        if pending.is_empty() { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await;
}
