//! `qrjump rules doctor`: is WeChat's verification file where WeChat looks?

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::json;

use qrjump::doctor::{self, ConnectTo, Finding};
use qrjump::explain;
use qrjump::explain::flags::{self, NotVerificationFile};
use qrjump::service::restore;
use qrjump::wechat::{Prefix, VerificationFile, api::is_plain_file_name};

use super::{Cli, Exit, Failure, lang, service_failure, target};

/// A verification file is a few dozen bytes; anything much larger is not one.
const MAX_FILE: u64 = 64 << 10;

#[derive(Args)]
pub struct DoctorArgs {
    /// The rule's prefix (ordinary mode), e.g. https://example.com/qr/shop/.
    pub prefix: String,
    /// Compare with this saved copy of WeChat's file instead of asking WeChat
    /// (no credentials needed).
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Send requests for HOST:PORT to HOST2:PORT2 instead, as curl does:
    /// check a server before its DNS changes (repeatable).
    #[arg(long = "connect-to", value_name = "HOST:PORT:HOST2:PORT2")]
    pub connect_to: Vec<ConnectTo>,
}

pub async fn run(cli: &Cli, args: &DoctorArgs) -> Result<(Exit, serde_json::Value, String), Failure> {
    let prefix = Prefix::parse(&args.prefix).map_err(|e| Failure::input(e.to_string()))?;
    let file = match &args.file {
        Some(path) => saved(path)?,
        None => restore::verification_file(&target(cli)?).await.map_err(service_failure)?,
    };
    let report = doctor::examine(&prefix, &file, &args.connect_to).await;
    let lang = lang();
    let urls: Vec<_> = report
        .urls
        .iter()
        .map(|place| {
            let words = explain::doctor::finding(place, &report.file_name, lang);
            json!({
                "url": place.url, "finding": place.finding, "status": place.status, "ms": place.ms,
                "detail": place.detail, "message": words.meaning, "hint": words.what_to_do,
            })
        })
        .collect();
    let value =
        json!({ "prefix": report.prefix, "file_name": report.file_name, "verdict": report.verdict, "urls": urls });
    let exit = if report.verdict == Finding::Ok { Exit::Ok } else { Exit::WeChat };
    Ok((exit, value, explain::doctor::report(&report, lang)))
}

/// A saved copy of the file: a plain name (WeChat's), and its bytes.
fn saved(path: &Path) -> Result<VerificationFile, Failure> {
    let (lang, shown) = (lang(), path.display().to_string());
    let unreadable = |e: std::io::Error| Failure::input(flags::file("--file", &shown, &e.to_string(), lang));
    let not_one = |why| Failure::input(flags::not_verification_file(&shown, why, lang));
    let name = path.file_name().and_then(|n| n.to_str()).filter(|n| is_plain_file_name(n));
    let name = name.ok_or_else(|| not_one(NotVerificationFile::Name))?;
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(not_one(NotVerificationFile::TooLarge { kib: MAX_FILE >> 10 }));
    }
    let content = String::from_utf8(bytes).map_err(|_| not_one(NotVerificationFile::NotText))?;
    Ok(VerificationFile { file_name: name.to_owned(), file_content: content })
}
