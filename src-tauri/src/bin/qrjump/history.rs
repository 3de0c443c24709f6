//! `qrjump history`: review, check and export the local audit history.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

use qrjump::explain::{Problem, flags, records};
use qrjump::history::signing::Signing;
use qrjump::history::{Action, CsvCheck, Filter, Status, Verification};
use qrjump::wechat::Mode;

use super::{Exit, Failure, read_history};

#[derive(Subcommand)]
pub enum HistoryCommand {
    /// List records, newest first.
    List {
        #[command(flatten)]
        filter: FilterArgs,
        /// How many records to show.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Check the hash chain: report the first record altered or removed outside the app.
    Verify {
        /// Also prove that nothing an earlier export saw was changed or removed
        /// since: the .manifest.json written beside that export's CSV.
        #[arg(long, value_name = "MANIFEST")]
        against: Option<PathBuf>,
    },
    /// Write the audit CSV (UTF-8 with BOM, opens in Excel) and, beside it,
    /// FILE.manifest.json, which anchors the history as it was (see verify --against).
    Export {
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
    },
}

#[derive(Args)]
pub struct FilterArgs {
    /// Started at or after: a date (2026-11-01) or a time with offset.
    #[arg(long)]
    from: Option<String>,
    /// Started before: a date or a time with offset.
    #[arg(long)]
    to: Option<String>,
    /// Only records with this outcome.
    #[arg(long, value_enum)]
    status: Option<StatusArg>,
    /// Only records of this mode.
    #[arg(long, value_enum)]
    mode: Option<ModeArg>,
    /// Only records of this account name.
    #[arg(long = "of-account", value_name = "NAME")]
    of_account: Option<String>,
    /// Text in the prefix, Mini Program AppID or errmsg.
    #[arg(long)]
    text: Option<String>,
    /// Only records of this action.
    #[arg(long, value_enum)]
    action: Option<ActionArg>,
    /// Only the records of this batch.
    #[arg(long, value_name = "ID")]
    batch: Option<String>,
    /// Only this record and the records linked to it (its checks, its restore).
    #[arg(long, value_name = "RECORD")]
    linked_to: Option<i64>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ActionArg {
    Delete,
    Restore,
    Publish,
    Check,
    Add,
    Edit,
}

#[derive(Clone, Copy, ValueEnum)]
enum StatusArg {
    Pending,
    Ok,
    Failed,
    Unknown,
}

#[derive(Clone, Copy, ValueEnum)]
enum ModeArg {
    Ordinary,
    ServiceAccount,
}

impl FilterArgs {
    pub fn filter(&self) -> Filter {
        Filter {
            from: self.from.clone(),
            to: self.to.clone(),
            status: self.status.map(|s| match s {
                StatusArg::Pending => Status::Pending,
                StatusArg::Ok => Status::Ok,
                StatusArg::Failed => Status::Failed,
                StatusArg::Unknown => Status::Unknown,
            }),
            mode: self.mode.map(|m| match m {
                ModeArg::Ordinary => Mode::Ordinary,
                ModeArg::ServiceAccount => Mode::ServiceAccount,
            }),
            account: self.of_account.clone(),
            text: self.text.clone(),
            action: self.action.map(|a| match a {
                ActionArg::Delete => Action::Delete,
                ActionArg::Restore => Action::Restore,
                ActionArg::Publish => Action::Publish,
                ActionArg::Check => Action::Check,
                ActionArg::Add => Action::Add,
                ActionArg::Edit => Action::Edit,
            }),
            batch_id: self.batch.clone(),
            related_to: self.linked_to,
        }
    }
}

pub fn command(command: &HistoryCommand) -> Result<(Exit, serde_json::Value, String), Failure> {
    let history = read_history()?;
    let filter_error = |e: qrjump::history::Error| match e {
        qrjump::history::Error::Filter { .. } => Failure::input(format!("--{e}")),
        other => Failure::fault(other.to_string()),
    };
    match command {
        HistoryCommand::List { filter, limit } => {
            let records = history.page(&filter.filter(), None, *limit).map_err(filter_error)?;
            let lang = super::lang();
            let mut text = String::new();
            for r in &records {
                text.push_str(&records::line(r, lang));
                text.push('\n');
            }
            text.push_str(&records::count(records.len(), lang));
            Ok((Exit::Ok, json!({ "ok": true, "records": records }), text))
        }
        HistoryCommand::Verify { against } => {
            let fault = |e: qrjump::history::Error| match e {
                qrjump::history::Error::Manifest { .. } => Failure::input(flags::named(
                    "--against",
                    &Problem::history(&e, super::lang()).message,
                    super::lang(),
                )),
                other => Failure::fault(other.to_string()),
            };
            let (verification, anchor) = match against {
                None => (history.verify().map_err(fault)?, None),
                Some(manifest) => {
                    let report = history.verify_against(manifest).map_err(fault)?;
                    (report.verification.clone(), Some(report))
                }
            };
            let signing = history.signing().map_err(fault)?;
            let broken = |signing: &Signing| matches!(signing, Signing::Broken { .. });
            let altered = !matches!(verification, Verification::Intact { .. })
                || broken(&signing)
                || anchor.as_ref().is_some_and(|r| matches!(r.csv, CsvCheck::Differs) || broken(&r.signing));
            let exit = if altered { Exit::WeChat } else { Exit::Ok };
            let text = qrjump::explain::report::verification(&verification, anchor.as_ref(), &signing, super::lang());
            let value = json!({
                "ok": matches!(exit, Exit::Ok),
                "verification": verification,
                "signing": signing,
                "anchor": anchor,
            });
            Ok((exit, value, text))
        }
        HistoryCommand::Export { out, filter } => {
            let exported = history.export_with_manifest(&filter.filter(), out).map_err(|e| match e {
                qrjump::history::Error::ExportFile { source, .. } => {
                    Failure::input(flags::file("--out", &out.display().to_string(), &source.to_string(), super::lang()))
                }
                other => filter_error(other),
            })?;
            let written = exported.records;
            Ok((
                Exit::Ok,
                json!({ "ok": true, "records": written, "file": out, "manifest": exported.manifest }),
                records::exported(
                    written,
                    &out.display().to_string(),
                    &exported.manifest.display().to_string(),
                    super::lang(),
                ),
            ))
        }
    }
}
