//! Authenticode signing of what ships (scripts/sign.sh, which
//! scripts/package.sh calls): a throwaway CA and code-signing certificate
//! made with openssl, the real programs, installer and MSI signed with it
//! (the password from the environment only) and verified against that CA;
//! a byte changed after signing fails verification, as does another CA.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use qrjump_tests::dist_artefact as artefact;

const PASSWORD: &str = "throwaway signing password 7f3a";

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/sign.sh")
}

fn openssl(dir: &Path, args: &[&str]) {
    let status = Command::new("openssl").args(args).current_dir(dir).env("PW", PASSWORD).output().unwrap();
    assert!(status.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&status.stderr));
}

/// A CA and a code-signing certificate it issued, as `cs.pfx` (with the CA),
/// the CA's certificate as `ca.pem`; and another CA, `other.pem`.
fn certificates(dir: &Path) {
    let ca_ext = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"];
    let req = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"];
    openssl(
        dir,
        &[&req[..], &["-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=QR Jump Test CA"], &ca_ext[..]].concat(),
    );
    openssl(
        dir,
        &[&req[..], &["-keyout", "other.key", "-out", "other.pem", "-subj", "/CN=Another CA"], &ca_ext[..]].concat(),
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "cs.key",
            "-out",
            "cs.csr",
            "-subj",
            "/CN=QR Jump Admin Test",
        ],
    );
    std::fs::write(
        dir.join("ext.cnf"),
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "cs.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "cs.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    );
    // The password through the environment (env:PW), as the script takes it.
    openssl(
        dir,
        &[
            "pkcs12",
            "-export",
            "-out",
            "cs.pfx",
            "-inkey",
            "cs.key",
            "-in",
            "cs.pem",
            "-certfile",
            "ca.pem",
            "-passout",
            "env:PW",
        ],
    );
}

fn sign(files: &[PathBuf], env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(script());
    command.args(files).env_remove("QRJUMP_SIGN_PFX").env_remove("QRJUMP_SIGN_PKCS11_MODULE");
    for (name, value) in env {
        command.env(name, value);
    }
    command.env("QRJUMP_SIGN_PASSWORD", PASSWORD).output().unwrap()
}

fn verify(file: &Path, ca: &Path) -> (bool, String) {
    let out = Command::new("osslsigncode").args(["verify", "-CAfile"]).arg(ca).arg("-in").arg(file).output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn the_programs_installer_and_msi_are_signed_and_verified_against_the_ca() {
    let dir = tempfile::tempdir().unwrap();
    certificates(dir.path());
    // Copies of what ships: the installer, the MSI, and the programs in the zip.
    let mut files = vec![artefact("-x64-setup.exe"), artefact("-x64.msi")];
    let zip = artefact("-x64-portable.zip");
    let unzipped = Command::new("python3").args(["-m", "zipfile", "-e"]).arg(&zip).arg(dir.path()).status().unwrap();
    assert!(unzipped.success());
    files = files
        .into_iter()
        .map(|f| {
            let copy = dir.path().join(f.file_name().unwrap());
            std::fs::copy(&f, &copy).unwrap();
            copy
        })
        .collect();
    files.push(dir.path().join("qrjump-admin.exe"));
    files.push(dir.path().join("qrjump.exe"));

    // Without a key: nothing changes, and it says so.
    let before = std::fs::read(&files[1]).unwrap();
    let out = sign(&files, &[]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("4 file(s) left unsigned"));
    assert_eq!(std::fs::read(&files[1]).unwrap(), before);

    let pfx = dir.path().join("cs.pfx");
    let out = sign(&files, &[("QRJUMP_SIGN_PFX", &pfx)]);
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{said}");
    assert!(said.contains("signed 4 file(s)") && !said.contains(PASSWORD), "{said}");
    for file in &files {
        let (ok, report) = verify(file, &dir.path().join("ca.pem"));
        assert!(ok, "{}: {report}", file.display());
        assert!(report.contains("SHA256"), "{}: {report}", file.display());
        assert!(!verify(file, &dir.path().join("other.pem")).0, "{} verified by another CA", file.display());
    }

    // A byte changed after signing: the signature no longer holds.
    let exe = &files[3];
    let mut bytes = std::fs::read(exe).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(exe, bytes).unwrap();
    let (ok, report) = verify(exe, &dir.path().join("ca.pem"));
    assert!(!ok && report.contains("MISMATCH"), "{report}");

    // A wrong password fails loudly, without the password in the words.
    let out = Command::new(script())
        .arg(&files[0])
        .env("QRJUMP_SIGN_PFX", &pfx)
        .env("QRJUMP_SIGN_PASSWORD", "not the password")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("not the password"));
}
