//! `qrjump match` and `qrjump impact`, run as real processes against the
//! simulator's rule list: which rule a printed code hits (or why none does),
//! and what a delete does to the codes under it.

use std::process::{Command, Stdio};

use qrjump::sim::{AccountKind, Simulator};
use qrjump::wechat::Rule;
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000c3301";

fn unpublished(prefix: &str) -> Rule {
    Rule { state: 1, ..rules::published(prefix) }
}

fn setup() -> (Simulator, tempfile::TempDir, String) {
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("codes");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    sim.set_rate_limit(false);
    sim.add_rule(MP, None, rules::published("https://c.example.com/qr/"));
    sim.add_rule(MP, None, rules::published("https://c.example.com/qr/event/"));
    sim.add_rule(MP, None, unpublished("https://c.example.com/qr/event/2025"));
    sim.add_rule(MP, None, rules::published("http://c.example.com/old/"));
    sim.add_rule(MP, None, rules::published("https://c.example.com/pay?shop="));
    sim.add_rule(MP, None, rules::published("https://c.example.com/scan"));
    (sim, tempfile::tempdir().unwrap(), secret)
}

fn qrjump(sim: &Simulator, data: &tempfile::TempDir, secret: &str, args: &[&str]) -> (i32, String) {
    let output = Command::new(qrjump_tests::workspace_bin("qrjump"))
        .args(args)
        .env("QRJUMP_API_BASE", sim.base_url())
        .env("QRJUMP_DATA_DIR", data.path())
        .env("QRJUMP_APPID", MP)
        .env("QRJUMP_APP_SECRET", secret)
        .env_remove("QRJUMP_ACCESS_TOKEN")
        .env_remove("QRJUMP_TOKEN_URL")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    secrets::assert_clean("qrjump output", &text);
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn each_link_gets_its_rule_or_the_reason() {
    let (sim, data, secret) = setup();
    let links = [
        ("https://c.example.com/qr/event/autumn", "match", Some("https://c.example.com/qr/event/")),
        ("https://c.example.com/qr/event/2025", "unpublished", Some("https://c.example.com/qr/event/2025")),
        ("https://c.example.com/old/leaflet", "protocol", None),
        ("https://d.example.com/qr/1", "host", None),
        ("https://c.example.com/scanner", "not_sub_path", None),
        ("https://c.example.com/pay?table=4", "parameters", None),
        ("https://nobody.example.com/", "no_rule", None),
    ];
    let mut args = vec!["match", "--json"];
    args.extend(links.iter().map(|(l, _, _)| *l));
    let (code, stdout) = qrjump(&sim, &data, &secret, &args);
    assert_eq!(code, 0, "{stdout}");
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), links.len(), "{stdout}");
    for (line, (link, reason, prefix)) in lines.iter().zip(links) {
        assert_eq!(line["input"], link);
        assert_eq!(line["url"], link);
        assert_eq!(line["reason"], reason, "{line}");
        assert_eq!(line["prefix"].as_str(), prefix, "{line}");
    }
    assert_eq!(lines[0]["state"], 2);
    assert_eq!(lines[1]["state"], 1);
    assert_eq!(lines[2]["nearest"], "http://c.example.com/old/");

    // Links from a file; text output says it in words.
    let file = data.path().join("codes.txt");
    std::fs::write(&file, "https://c.example.com/qr/a\n\nhttps://c.example.com/qr/event/b\n").unwrap();
    let (code, stdout) = qrjump(&sim, &data, &secret, &["match", "--codes", file.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("https://c.example.com/qr/a\n  opens the Mini Program: https://c.example.com/qr/"),
        "{stdout}"
    );

    // Images: the code in one, none in the other.
    let with_code = data.path().join("sticker.png");
    qrjump_tests::qr_png("https://c.example.com/qr/event/store-9", &with_code);
    let blank = data.path().join("blank.png");
    image::GrayImage::from_pixel(200, 200, image::Luma([255])).save(&blank).unwrap();
    let (code, stdout) =
        qrjump(&sim, &data, &secret, &["match", "--json", with_code.to_str().unwrap(), blank.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines[0]["url"], "https://c.example.com/qr/event/store-9");
    assert_eq!(
        (lines[0]["reason"].as_str(), lines[0]["prefix"].as_str()),
        (Some("match"), Some("https://c.example.com/qr/event/"))
    );
    assert_eq!((lines[1]["url"].is_null(), lines[1]["reason"].as_str()), (true, Some("no_code")));

    // Not a link: refused before WeChat is asked, exit 2.
    let (code, _) = qrjump(&sim, &data, &secret, &["match", "c.example.com/qr/a"]);
    assert_eq!(code, 2);
}

#[test]
fn impact_names_the_rule_that_takes_over_and_counts_the_codes() {
    let (sim, data, secret) = setup();
    let file = data.path().join("printed.txt");
    std::fs::write(
        &file,
        "https://c.example.com/qr/event/a\nhttps://c.example.com/qr/event/b\nhttps://c.example.com/qr/x\n",
    )
    .unwrap();
    let codes = file.to_str().unwrap();
    let (code, stdout) = qrjump(
        &sim,
        &data,
        &secret,
        &["impact", "--prefix", "https://c.example.com/qr/event/", "--codes", codes, "--json"],
    );
    assert_eq!(code, 0, "{stdout}");
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["takes_over"], "https://c.example.com/qr/");
    assert_eq!(
        (value["codes"].as_u64(), value["broken"].as_u64(), value["moved"].as_u64()),
        (Some(3), Some(0), Some(2))
    );

    let (code, stdout) =
        qrjump(&sim, &data, &secret, &["impact", "--prefix", "https://c.example.com/qr/", "--codes", codes, "--json"]);
    assert_eq!(code, 0, "{stdout}");
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(value["takes_over"].is_null());
    assert_eq!((value["broken"].as_u64(), value["moved"].as_u64()), (Some(1), Some(0)));
    assert_eq!(value["broken_codes"][0]["code"], "https://c.example.com/qr/x");

    // A prefix the list does not hold: exit 2.
    let (code, _) = qrjump(&sim, &data, &secret, &["impact", "--prefix", "https://c.example.com/none/"]);
    assert_eq!(code, 2);
    // Nothing was deleted.
    assert_eq!(sim.rules(MP, None).len(), 6);
}
