//! The impact of a delete in the real window's confirmation: codes under a
//! prefix that a broader published rule takes over are said to move there
//! (with its page); without one, they stop opening the Mini Program.

use qrjump::sim::{AccountKind, Simulator};
use qrjump::wechat::Rule;
use qrjump_tests::desktop::Desktop;
use qrjump_tests::screens::{add_account, drop_images, english, pick_rule, wait_rows};
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000e4f01";

#[tokio::test(flavor = "multi_thread")]
async fn the_confirmation_says_where_the_codes_go() {
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("impact");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    sim.add_rule(MP, None, Rule { path: "pages/shop/index".into(), ..rules::published("https://i.example.com/qr/") });
    sim.add_rule(MP, None, rules::published("https://i.example.com/qr/event/"));
    let desktop = Desktop::launch(english(Some(sim.base_url()), vec![])).await;
    desktop.wait_visible("#rules-table").await;
    add_account(&desktop, "Shop", "mini_program", MP, &secret).await;
    wait_rows(&desktop, "#rules-table tbody tr", 2).await;

    pick_rule(&desktop, "https://i.example.com/qr/event/").await;
    desktop.click("#delete-button").await;
    desktop.wait_visible("#confirm").await;
    let said = desktop
        .wait_text("#confirm-warning", "the rule that takes over", |t| t.contains("broader published rule"))
        .await;
    assert!(said.contains("https://i.example.com/qr/") && said.contains("pages/shop/index"), "{said}");
    desktop.click("#confirm-cancel").await;

    pick_rule(&desktop, "https://i.example.com/qr/").await;
    desktop.click("#delete-button").await;
    desktop.wait_visible("#confirm").await;
    let said = desktop.find("#confirm-warning").await.text().await.unwrap();
    assert_eq!(said, "Once deleted, printed QR codes with this prefix will no longer open the Mini Program.");
    desktop.click("#confirm-cancel").await;
    assert_eq!(sim.rules(MP, None).len(), 2, "nothing deleted");
    assert!(desktop.close().await);
}

fn png(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_code_shows_its_rule_and_the_confirmations_count_the_printed_codes() {
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("checker");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    sim.add_rule(MP, None, Rule { path: "pages/shop/index".into(), ..rules::published("https://i.example.com/qr/") });
    sim.add_rule(
        MP,
        None,
        Rule { path: "pages/event/index".into(), ..rules::published("https://i.example.com/qr/event/") },
    );
    sim.add_rule(MP, None, rules::published("https://i.example.com/qr/tea/"));
    sim.add_rule(MP, None, rules::published("https://i.example.com/menu"));
    let files = tempfile::tempdir().unwrap();
    // The print shop's spreadsheet: a header, a store column, the links.
    let printed = files.path().join("printed.csv");
    std::fs::write(
        &printed,
        "store,link\n07,https://i.example.com/qr/event/07\n08,https://i.example.com/qr/event/08\n\
         09,https://i.example.com/qr/tea/09\n10,https://i.example.com/qr/10\n",
    )
    .unwrap();
    let desktop = Desktop::launch(english(
        Some(sim.base_url()),
        vec![("QRJUMP_PRINTED_PATH".into(), printed.display().to_string())],
    ))
    .await;
    desktop.wait_visible("#rules-table").await;
    add_account(&desktop, "Shop", "mini_program", MP, &secret).await;
    wait_rows(&desktop, "#rules-table tbody tr", 4).await;

    // The printed codes, imported for this account.
    desktop.click("#tab-lookup").await;
    desktop.wait_text("#printed-status", "no list yet", |t| t.contains("Shop has no list of printed codes")).await;
    desktop.click("#printed-import").await;
    let status = desktop.wait_text("#printed-status", "the list", |t| t.contains("4 printed code(s)")).await;
    assert!(status.contains("printed.csv"), "{status}");

    // Two images dropped: one sticker with a code, one photo without.
    let sticker = files.path().join("sticker.png");
    qrjump_tests::qr_png("https://i.example.com/qr/event/store-9", &sticker);
    let blank = files.path().join("blank.png");
    image::GrayImage::from_pixel(200, 200, image::Luma([255])).save(&blank).unwrap();
    drop_images(&desktop, &[("sticker.png", png(&sticker)), ("blank.png", png(&blank))]).await;
    wait_rows(&desktop, "#lookup-results tbody tr", 2).await;
    let hit = desktop.find("#lookup-results tbody tr[data-reason=\"match\"]").await.text().await.unwrap();
    for part in [
        "https://i.example.com/qr/event/store-9",
        "sticker.png",
        "Opens the Mini Program",
        "Shop",
        "https://i.example.com/qr/event/",
        "pages/event/index",
    ] {
        assert!(hit.contains(part), "{part:?} not in {hit}");
    }
    let none = desktop.find("#lookup-results tbody tr[data-reason=\"no_code\"]").await.text().await.unwrap();
    assert!(none.contains("blank.png") && none.contains("No QR code"), "{none}");

    // A file that is no image says so, naming it.
    drop_images(&desktop, &[("notes.png", b"not an image".to_vec())]).await;
    let said = desktop.wait_text("#lookup-message", "the refusal", |t| t.contains("notes.png")).await;
    assert!(said.contains("not a PNG or JPEG image"), "{said}");

    // A screenshot pasted with Ctrl+V: the page gets the clipboard's image file.
    desktop
        .client
        .execute(
            "const file = new File([new Uint8Array(arguments[0])], 'image.png', { type: 'image/png' });
             const paste = new Event('paste', { bubbles: true, cancelable: true });
             Object.defineProperty(paste, 'clipboardData', { value: { files: [file] } });
             document.dispatchEvent(paste);",
            vec![serde_json::json!(png(&sticker))],
        )
        .await
        .unwrap();
    wait_rows(&desktop, "#lookup-results tbody tr", 1).await;
    let pasted = desktop.find("#lookup-results tbody tr").await.text().await.unwrap();
    assert!(
        pasted.contains("https://i.example.com/qr/event/store-9") && pasted.contains("Opens the Mini Program"),
        "{pasted}"
    );

    // Typed links: one not a sub-path, one nobody's.
    desktop.type_into("#lookup-links", "https://i.example.com/menu/today\u{E007}https://elsewhere.example.com/x").await;
    desktop.click("#lookup-run").await;
    desktop.wait_visible("#lookup-results tbody tr[data-reason=\"no_rule\"]").await;
    let near = desktop.find("#lookup-results tbody tr[data-reason=\"not_sub_path\"]").await.text().await.unwrap();
    assert!(near.contains("nearest: https://i.example.com/menu") && near.contains("not a sub-path"), "{near}");
    let nobody = desktop.find("#lookup-results tbody tr[data-reason=\"no_rule\"]").await.text().await.unwrap();
    assert!(nobody.contains("someone else's, or nobody's"), "{nobody}");

    // A delete whose codes move: the confirmation counts them.
    desktop.click("#tab-delete").await;
    pick_rule(&desktop, "https://i.example.com/qr/event/").await;
    desktop.click("#delete-button").await;
    desktop.wait_visible("#confirm").await;
    let said = desktop.wait_text("#confirm-impact", "the counts", |t| t.contains("printed code(s)")).await;
    assert!(said.contains("Of this account's 4 printed code(s): 0 will stop opening the Mini Program, 2 will open through another rule."), "{said}");
    desktop.click("#confirm-cancel").await;

    // A batch of /qr/ and /qr/tea/: nothing takes them over; two codes break.
    for prefix in ["https://i.example.com/qr/", "https://i.example.com/qr/tea/"] {
        desktop.click(&format!("#rules-table tbody tr[data-prefix=\"{prefix}\"] input[type=checkbox]")).await;
    }
    desktop.click("#batch-delete").await;
    desktop.wait_visible("#batch-confirm").await;
    let said = desktop.wait_text("#batch-impact", "the counts", |t| t.contains("printed code(s)")).await;
    assert!(said.contains("Of this account's 4 printed code(s): 2 will stop opening the Mini Program, 0 will open through another rule."), "{said}");
    let list = desktop.find("#batch-list").await.text().await.unwrap();
    assert_eq!(list.matches("its codes stop opening the Mini Program").count(), 2, "{list}");
    // The list of the codes that break, opened.
    desktop.click("#batch-impact details summary").await;
    let broken = desktop.find("#batch-impact details ul").await.text().await.unwrap();
    assert!(
        broken.contains("https://i.example.com/qr/tea/09") && broken.contains("https://i.example.com/qr/10"),
        "{broken}"
    );
    desktop.click("#batch-close").await;
    assert_eq!(sim.rules(MP, None).len(), 4, "nothing deleted");
    assert!(desktop.close().await);
}
