//! The team history through the real window, on a real PostgreSQL: set up
//! from the history screen, a delete pushed in the background, and the
//! record seen in the team view with this computer's name.

use qrjump_tests::a11y;
use qrjump_tests::desktop::Desktop;
use qrjump_tests::postgres::{DATABASE, PASSWORD, Postgres};
use qrjump_tests::screens::{confirm_delete, english, pick_rule, wait_rows};

const PREFIX: &str = "https://m.example.com/scan/";

#[tokio::test(flavor = "multi_thread")]
async fn the_team_history_is_set_up_in_the_window_and_shows_a_delete() {
    let pg = Postgres::start();
    let desktop = Desktop::launch(english(None, vec![])).await;
    desktop.wait_visible("#demo-banner").await;

    // Team, not set up: the form opens by itself.
    desktop.click("#tab-history").await;
    desktop.click("#scope-team").await;
    desktop.wait_visible("#team-form").await;
    desktop.wait_text("#team-status", "not set up", |t| t.contains("No team history is set up yet")).await;
    desktop.type_into("#team-host", "127.0.0.1").await;
    desktop.type_into("#team-port", &pg.port().to_string()).await;
    desktop.type_into("#team-database", DATABASE).await;
    desktop.type_into("#team-user", "qrjump").await;
    desktop.type_into("#team-password", "TESTSECRET-wrong").await;
    desktop.click("#team-save").await;
    desktop.wait_text("#team-message", "refused", |t| t.contains("The team database refused")).await;
    assert!(desktop.is_visible("#team-form").await, "nothing saved");
    desktop.type_into("#team-password", PASSWORD).await;
    desktop.click("#team-save").await;
    desktop.wait_text("#team-message", "connected", |t| t.contains("Connected to the team database audit")).await;
    desktop.wait_hidden("#team-form").await;
    assert!(desktop.find("#team-password").await.prop("value").await.unwrap().unwrap_or_default().is_empty());

    // A delete on the demo account: pushed in the background.
    desktop.click("#tab-delete").await;
    wait_rows(&desktop, "#rules-table tbody tr", 38).await;
    pick_rule(&desktop, PREFIX).await;
    confirm_delete(&desktop).await;
    desktop.wait_text("#result-title", "Deleted", |t| t == "Deleted").await;

    desktop.click("#tab-history").await;
    desktop.click("#scope-team").await;
    let status = desktop.wait_text("#team-status", "pushed", |t| t.contains("Every record is pushed")).await;
    assert!(status.contains("qrjump@127.0.0.1/audit"), "{status}");
    let row = desktop.wait_text("#team-table tbody tr", "the delete", |t| t.contains(PREFIX)).await;
    let computer = pg_computer(&pg);
    assert!(row.contains(&computer), "the row names this computer ({computer}): {row}");
    assert_eq!(pg.sql("SELECT count(*) FROM qrjump_records"), "1");

    // Its detail, read-only: the computer, no restore.
    desktop.click("#team-table tbody tr:first-child td:nth-child(6)").await;
    let fields = desktop.wait_text("#detail-fields", "the record", |t| t.contains(PREFIX)).await;
    assert!(fields.contains("Computer") && fields.contains(&computer), "{fields}");
    assert!(!desktop.is_visible("#detail-restore").await, "a team record is restored on its own computer");
    desktop.click("#detail-close").await;

    // Filtered by this computer, then by a text in none.
    desktop.select("#team-computer", &computer).await;
    desktop.click("#team-apply").await;
    wait_rows(&desktop, "#team-table tbody tr", 1).await;
    desktop.type_into("#team-text", "no-such-prefix").await;
    desktop.click("#team-apply").await;
    desktop.wait_visible("#team-empty").await;

    desktop.click("#team-verify").await;
    let checked = desktop.wait_text("#team-message", "the check", |t| t.contains("intact")).await;
    assert!(checked.contains(&format!("{computer} (")) && checked.contains("none of its 1 records"), "{checked}");
    // No credential store on this machine: the window says the records are unsigned.
    assert!(checked.contains("registered no key: its records are unsigned"), "{checked}");

    let violations = a11y::serious_violations(&desktop).await;
    assert!(violations.is_empty(), "axe on the team view: {violations:#?}");

    // This computer's view is one click back.
    desktop.click("#scope-local").await;
    desktop.wait_visible("#history-local").await;
    assert!(!desktop.is_visible("#history-team").await);
    assert!(desktop.close().await, "a process of the session survived");
}

fn pg_computer(pg: &Postgres) -> String {
    pg.sql("SELECT DISTINCT computer FROM qrjump_records")
}
