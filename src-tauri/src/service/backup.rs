//! Rule backups: an account's whole rule list (every field, every page) as
//! JSON or CSV, chosen by the file's extension. A backup can be read back
//! as the source of restores.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Error, FileProblem};
use crate::wechat::{Mode, Rule, RuleList};

/// The JSON backup's format tag, so a reader knows what it holds.
pub const FORMAT: &str = "qrjump-rules/1";

/// The CSV backup's columns (every field of a rule; test links separated by spaces).
pub const CSV_HEADER: [&str; 6] = ["prefix", "path", "state", "open_version", "permit_sub_rule", "debug_url"];

/// A saved rule list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleBackup {
    pub format: String,
    pub saved_at: String,
    pub account: String,
    pub mode: Mode,
    /// The Mini Program's AppID in service-account mode.
    pub target_appid: Option<String>,
    pub publishes_left: Option<i64>,
    pub total: usize,
    pub rules: Vec<Rule>,
}

impl RuleBackup {
    pub fn new(account: &str, mode: Mode, target_appid: Option<&str>, list: &RuleList) -> RuleBackup {
        RuleBackup {
            format: FORMAT.into(),
            saved_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            account: account.into(),
            mode,
            target_appid: target_appid.map(Into::into),
            publishes_left: list.qrcodejump_pub_quota,
            total: list.rule_list.len(),
            rules: list.rule_list.clone(),
        }
    }
}

/// How a file is written, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    pub fn of(path: &Path) -> Result<Format, Error> {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("json") => Ok(Format::Json),
            Some("csv") => Ok(Format::Csv),
            _ => Err(Error::RuleFile { path: path.to_owned(), problem: FileProblem::Format }),
        }
    }
}

fn file_error(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::RuleFile { path: path.to_owned(), problem: e.into() }
}

/// Writes `backup` to `path` (JSON or CSV by extension), through a
/// temporary file renamed into place, so a crash never leaves half a backup.
pub fn write(path: &Path, backup: &RuleBackup) -> Result<(), Error> {
    let format = Format::of(path)?;
    let bytes = match format {
        Format::Json => serde_json::to_vec_pretty(backup).map_err(std::io::Error::other).map_err(file_error(path))?,
        Format::Csv => csv_bytes(&backup.rules).map_err(file_error(path))?,
    };
    crate::files::write_replacing(path, &bytes).map_err(file_error(path))
}

/// The CSV: UTF-8 with a BOM so Excel shows Chinese page names correctly.
fn csv_bytes(rules: &[Rule]) -> std::io::Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        writer.write_record(CSV_HEADER).map_err(std::io::Error::other)?;
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        for rule in rules {
            writer
                .write_record([
                    rule.prefix.clone(),
                    rule.path.clone(),
                    rule.state.to_string(),
                    number(rule.open_version),
                    number(rule.permit_sub_rule),
                    rule.debug_url.as_ref().map(|urls| urls.join(" ")).unwrap_or_default(),
                ])
                .map_err(std::io::Error::other)?;
        }
        writer.flush()?;
    }
    Ok(out)
}

/// Reads the rules of a backup written by [`write`] (JSON or CSV).
pub fn read(path: &Path) -> Result<Vec<Rule>, Error> {
    let bytes = crate::files::read_capped(path, crate::files::MAX_INPUT_FILE).map_err(file_error(path))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&bytes);
    let problem = |problem: FileProblem| Error::RuleFile { path: path.to_owned(), problem };
    match Format::of(path)? {
        Format::Json => {
            let backup: RuleBackup =
                serde_json::from_slice(bytes).map_err(|e| problem(FileProblem::NotBackup(e.to_string())))?;
            Ok(backup.rules)
        }
        Format::Csv => {
            let mut reader = csv::Reader::from_reader(bytes);
            let headers = reader.headers().map_err(|e| problem(FileProblem::Csv(e.to_string())))?.clone();
            let column = |name: &str| headers.iter().position(|h| h.trim() == name);
            let Some(prefix) = column("prefix") else { return Err(problem(FileProblem::NoPrefixColumn)) };
            let (path_col, state, version, sub, debug) = (
                column("path"),
                column("state"),
                column("open_version"),
                column("permit_sub_rule"),
                column("debug_url"),
            );
            let mut rules = Vec::new();
            for (line, row) in reader.records().enumerate() {
                let row = row.map_err(|e| problem(FileProblem::Csv(e.to_string())))?;
                let text = |i: Option<usize>| i.and_then(|i| row.get(i)).map(str::trim).unwrap_or("");
                let number = |i: Option<usize>, name: &str| -> Result<Option<i64>, Error> {
                    match text(i) {
                        "" => Ok(None),
                        t => t.parse().map(Some).map_err(|_| {
                            problem(FileProblem::NotANumber {
                                row: line + 2,
                                column: name.to_owned(),
                                value: t.to_owned(),
                            })
                        }),
                    }
                };
                let urls: Vec<String> = text(debug).split_whitespace().map(str::to_owned).collect();
                rules.push(Rule {
                    prefix: text(Some(prefix)).to_owned(),
                    path: text(path_col).to_owned(),
                    state: number(state, "state")?.unwrap_or(1),
                    open_version: number(version, "open_version")?,
                    permit_sub_rule: number(sub, "permit_sub_rule")?,
                    debug_url: (debug.is_some() && (number(version, "open_version")?.is_some() || !urls.is_empty()))
                        .then_some(urls),
                });
            }
            Ok(rules)
        }
    }
}

/// Where a batch's automatic backup goes: `backups/` in the data folder.
pub fn batch_backup_path(data_dir: &Path, batch_id: &str) -> PathBuf {
    data_dir.join("backups").join(format!("{batch_id}.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Vec<Rule> {
        vec![
            Rule {
                prefix: "https://a.com/qr/".into(),
                path: "pages/商品/index".into(),
                state: 2,
                open_version: Some(3),
                debug_url: Some(vec!["https://a.com/qr/1".into(), "https://a.com/qr/2".into()]),
                permit_sub_rule: Some(1),
            },
            Rule {
                prefix: "http://weixin.qq.com/q/02abc".into(),
                path: "pages/a".into(),
                state: 1,
                open_version: None,
                debug_url: None,
                permit_sub_rule: None,
            },
        ]
    }

    #[test]
    fn both_formats_read_back_what_they_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let list = RuleList { rule_list: rules(), qrcodejump_pub_quota: Some(7), ..RuleList::default() };
        let backup = RuleBackup::new("Shop", Mode::Ordinary, None, &list);
        for name in ["rules.json", "rules.CSV"] {
            let path = dir.path().join(name);
            write(&path, &backup).unwrap();
            assert_eq!(read(&path).unwrap(), rules(), "{name}");
        }
        let csv = std::fs::read(dir.path().join("rules.CSV")).unwrap();
        assert!(csv.starts_with(b"\xEF\xBB\xBFprefix,path,state,open_version,permit_sub_rule,debug_url\r\n"));
        assert!(matches!(write(&dir.path().join("rules.txt"), &backup), Err(Error::RuleFile { .. })));
        assert!(!dir.path().join("rules.partial").exists());
    }
}
