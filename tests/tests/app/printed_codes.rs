//! "Look up a code" and the printed codes, through the app's state against
//! the simulator: a code is found in whichever account's list holds its
//! rule (a service account's too), a folder of images becomes an account's
//! printed codes, and a delete's impact counts them.

use qrjump::accounts::{AccountInput, AccountKind};
use qrjump::lang::Lang;
use qrjump::matching::Reason;
use qrjump::service::code_lookup::CodeInput;
use qrjump::sim::{AccountKind as SimKind, Simulator};
use qrjump::wechat::{Mode, Rule};
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000c0d01";
const MP2: &str = "wx00000000000c0d02";
const SA: &str = "wx00000000000c0d5a";

fn input(label: &str, url: Option<&str>) -> CodeInput {
    CodeInput { label: label.into(), url: url.map(String::from) }
}

#[tokio::test(flavor = "multi_thread")]
async fn codes_are_found_in_every_account_and_printed_codes_are_counted() {
    let sim = Simulator::start().unwrap();
    sim.add_account(MP, &secrets::app_secret(MP), SimKind::MiniProgram);
    sim.add_account(SA, &secrets::app_secret(SA), SimKind::ServiceAccount);
    sim.add_rule(MP, None, Rule { path: "pages/home".into(), ..rules::published("https://p.example.com/qr/") });
    sim.add_rule(MP, None, rules::published("https://p.example.com/qr/gift/"));
    sim.add_rule(SA, Some(MP2), rules::published("http://weixin.qq.com/q/02printed"));
    let data = tempfile::tempdir().unwrap();
    let app = qrjump_tests::app_state(&sim.base_url(), data.path());
    let account = |name: &str, kind: AccountKind, appid: &str| AccountInput {
        name: name.into(),
        kind,
        appid: Some(appid.into()),
        secret: Some(secrets::app_secret(appid)),
        ..Default::default()
    };
    let shop = app.save_account(account("Shop", AccountKind::MiniProgram, MP)).unwrap();
    app.save_account(account("Brand news", AccountKind::ServiceAccount, SA)).unwrap();

    // The service account's list for MP2 is read when its AppID is given.
    let codes = [
        input("typed", Some("https://p.example.com/qr/gift/7")),
        input("poster.jpg", Some("http://weixin.qq.com/q/02printed")),
        input("blank.png", None),
        input("typed", Some("https://p.example.com/qr")),
    ];
    let checked = app.lookup_codes(&codes, Some(MP2), Lang::En).await.unwrap();
    let seen: Vec<(Option<Reason>, Option<&str>, Option<Mode>)> = checked
        .codes
        .iter()
        .map(|c| (c.reason, c.whose.as_ref().map(|w| w.account_name.as_str()), c.whose.as_ref().map(|w| w.mode)))
        .collect();
    assert_eq!(
        seen,
        [
            (Some(Reason::Match), Some("Shop"), Some(Mode::Ordinary)),
            (Some(Reason::Match), Some("Brand news"), Some(Mode::ServiceAccount)),
            (None, None, None),
            // Above the rule, not under it: no rule of any account.
            (Some(Reason::NoRule), None, None),
        ]
    );
    assert_eq!(checked.codes[1].whose.as_ref().unwrap().target_appid.as_deref(), Some(MP2));
    assert!(checked.searched.iter().all(|s| s.error.is_none()), "{:?}", checked.searched);

    // A folder of scans: two codes, a blank page, a file that is no image.
    let scans = tempfile::tempdir().unwrap();
    qrjump_tests::qr_png("https://p.example.com/qr/gift/1", &scans.path().join("a.png"));
    qrjump_tests::qr_png("https://p.example.com/qr/9", &scans.path().join("b.png"));
    image::GrayImage::from_pixel(120, 120, image::Luma([255])).save(scans.path().join("c.png")).unwrap();
    std::fs::write(scans.path().join("d.jpg"), "not a JPEG").unwrap();
    std::fs::write(scans.path().join("notes.txt"), "not an image, not looked at").unwrap();
    let imported = app.import_printed_codes(&shop.id, scans.path()).unwrap();
    assert_eq!((imported.codes, imported.images), (2, 4));
    assert_eq!((imported.without_code, imported.unreadable), (vec!["c.png".to_owned()], vec!["d.jpg".to_owned()]));
    let listed = app.printed_codes().unwrap();
    assert_eq!((listed.len(), listed[0].codes), (1, 2));

    // Deleting /qr/gift/ moves its code to /qr/; deleting /qr/ breaks the other.
    let list = sim.rules(MP, None);
    let gift = app.delete_impact(&shop.id, "https://p.example.com/qr/gift/", &list).unwrap();
    assert_eq!((gift.broken.len(), gift.moved.len()), (0, 1));
    assert_eq!(gift.moved[0].to, "https://p.example.com/qr/");
    let root = app.delete_impact(&shop.id, "https://p.example.com/qr/", &list).unwrap();
    assert_eq!(root.broken, ["https://p.example.com/qr/9"]);

    // A file with no link is refused, naming it; an unknown account too.
    let empty = scans.path().join("notes.txt");
    let problem = app.import_printed_codes(&shop.id, &empty).unwrap_err().problem(Lang::En);
    assert!(problem.message.contains("notes.txt") && problem.message.contains("no link"), "{}", problem.message);
    assert!(app.import_printed_codes("nobody", scans.path()).is_err());
    app.forget_printed_codes(&shop.id).unwrap();
    assert!(app.printed_codes().unwrap().is_empty());
    secrets::assert_dir_clean(data.path());
}
