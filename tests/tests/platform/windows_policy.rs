//! IT's policy on Windows: values under HKLM\Software\Policies\QRJumpAdmin,
//! set with reg.exe in a Wine prefix as Group Policy or the MSI would, read
//! by the shipped qrjump.exe: the locked API gateway wins over the
//! environment, and a value that does not hold is named and ignored.

use qrjump::sim::{AccountKind, Simulator};
use qrjump_tests::process::free_port;
use qrjump_tests::wine::{Wine, windows_bin};
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000d2201";
const KEY: &str = "HKLM\\Software\\Policies\\QRJumpAdmin";

fn reg_add(wine: &Wine, name: &str, kind: &str, value: &str) {
    let status = wine.command("reg").args(["add", KEY, "/v", name, "/t", kind, "/d", value, "/f"]).status().unwrap();
    assert!(status.success(), "reg add {name}");
}

#[test]
fn the_windows_cli_takes_the_policy_from_the_registry() {
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("win-policy");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    sim.add_rule(MP, None, rules::published("https://p.example.com/a/"));
    let wine = Wine::start();
    reg_add(&wine, "APIBASE", "REG_SZ", &sim.base_url());
    reg_add(&wine, "LOCKED", "REG_DWORD", "1");
    reg_add(&wine, "SHOWDEMO", "REG_DWORD", "7");
    let out = wine
        .command(windows_bin("qrjump"))
        .args(["rules", "--json"])
        .env("QRJUMP_API_BASE", format!("http://127.0.0.1:{}", free_port()))
        .env("QRJUMP_TIMEOUT", "5")
        .env_remove("QRJUMP_DATA_DIR")
        .env("QRJUMP_APPID", MP)
        .env("QRJUMP_APP_SECRET", &secret)
        .env_remove("QRJUMP_POLICY_FILE")
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let json: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(json["rule_list"][0]["prefix"], "https://p.example.com/a/", "the locked gateway was used");
    assert!(stderr.contains("HKLM\\Software\\Policies\\QRJumpAdmin: SHOWDEMO: must be 0 or 1"), "{stderr}");
}
