//! What one attempt record holds, declared once: the struct, how a row is
//! read into it (by column name), and the audit CSV's columns.

use std::borrow::Cow;

use rusqlite::Row;
use serde::{Deserialize, Serialize};

use crate::wechat::Mode;

/// Where an attempt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Written before the call; the call has not come back yet.
    Pending,
    /// WeChat answered errcode 0.
    Ok,
    /// WeChat answered an error, or the request never reached it.
    Failed,
    /// The app stopped, or the connection broke, before the answer: the
    /// action may or may not have taken effect.
    Unknown,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Pending, Status::Ok, Status::Failed, Status::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Ok => "ok",
            Status::Failed => "failed",
            Status::Unknown => "unknown",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// What an audited attempt did. Records written before actions were
/// recorded (schema 1 and 2) were all deletes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// `qrcodejumpdelete`.
    Delete,
    /// `qrcodejumpadd` of a rule from a snapshot, undoing a delete (`related_id`).
    Restore,
    /// `qrcodejumppublish`.
    Publish,
    /// A read that settles an earlier record whose outcome was unknown.
    Check,
}

impl Action {
    pub const ALL: [Action; 4] = [Action::Delete, Action::Restore, Action::Publish, Action::Check];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Delete => "delete",
            Action::Restore => "restore",
            Action::Publish => "publish",
            Action::Check => "check",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// What is known before the call: written as a `pending` record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewAttempt {
    pub action: Action,
    pub account_name: String,
    /// The calling account's AppID (none for an account with a given token).
    pub caller_appid: Option<String>,
    pub mode: Mode,
    pub prefix: String,
    /// The Mini Program's AppID in service-account mode.
    pub target_appid: Option<String>,
    pub operator: String,
    pub app_version: String,
    /// The rule as it was before the action, as JSON, when it could be read.
    pub rule_snapshot: Option<String>,
    /// Made with the built-in demo account against the simulator.
    pub demo: bool,
    /// The record this one relates to (a restore points at its delete).
    pub related_id: Option<i64>,
    /// Records made together by one batch share this id.
    pub batch_id: Option<String>,
}

/// What is known after the call.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Outcome {
    pub errcode: Option<i64>,
    pub errmsg: Option<String>,
    /// The plain-language explanation shown to the admin.
    pub explanation: Option<String>,
    /// For faults that are not a WeChat answer (timeout, network, ...).
    pub error_kind: Option<String>,
    pub duration_ms: Option<i64>,
    /// A check's finding: whether the rule was still there.
    pub conclusion: Option<Conclusion>,
}

/// What a check found: the one question an "outcome unknown" leaves open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// The rule is not in the list: the delete took effect.
    Gone,
    /// The rule is still in the list: the delete did not take effect.
    Present,
}

impl Conclusion {
    pub fn as_str(self) -> &'static str {
        match self {
            Conclusion::Gone => "gone",
            Conclusion::Present => "present",
        }
    }

    pub fn parse(text: &str) -> Option<Conclusion> {
        [Conclusion::Gone, Conclusion::Present].into_iter().find(|c| c.as_str() == text)
    }
}

/// One stored record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub id: i64,
    pub action: Action,
    /// UTC, RFC 3339 with milliseconds.
    pub started_at: String,
    pub finished_at: Option<String>,
    pub status: Status,
    pub account_name: String,
    pub caller_appid: Option<String>,
    pub mode: Mode,
    pub prefix: String,
    pub target_appid: Option<String>,
    pub errcode: Option<i64>,
    pub errmsg: Option<String>,
    pub explanation: Option<String>,
    pub error_kind: Option<String>,
    pub duration_ms: Option<i64>,
    pub operator: String,
    pub app_version: String,
    pub rule_snapshot: Option<String>,
    pub demo: bool,
    pub related_id: Option<i64>,
    pub batch_id: Option<String>,
    /// A check's finding (check records only).
    pub conclusion: Option<Conclusion>,
    /// Position in the hash chain, given when the record is completed.
    pub chain_seq: Option<i64>,
    /// Which fields the hash covers (see `chain`): old records keep theirs.
    pub hash_version: i64,
    pub hash: Option<String>,
}

/// The columns a [`Record`] is read from, in `SELECT` order. `from_row`
/// reads them by name, so the order matters only for readability.
pub const COLUMNS: &[&str] = &[
    "id",
    "action",
    "started_at",
    "finished_at",
    "status",
    "account_name",
    "caller_appid",
    "mode",
    "prefix",
    "target_appid",
    "errcode",
    "errmsg",
    "explanation",
    "error_kind",
    "duration_ms",
    "operator",
    "app_version",
    "rule_snapshot",
    "demo",
    "related_id",
    "batch_id",
    "conclusion",
    "chain_seq",
    "hash_version",
    "hash",
];

/// `a.id, a.action, ...`: the select list for a query aliasing attempts as `a`.
pub fn select_list() -> &'static str {
    // Built once: every page, lookup, export and check uses it.
    static LIST: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| COLUMNS.iter().map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", "));
    &LIST
}

/// The value of `column` (a name in [`COLUMNS`]) in a row selected with
/// [`select_list`]. The name is found in our own list, not asked of SQLite:
/// rusqlite's lookup by name measures and compares every column name of the
/// statement for every field of every row, which made a 1,000,000-record
/// export four times slower. Debug builds check the statement agrees.
fn get<T: rusqlite::types::FromSql>(row: &Row<'_>, column: &str) -> rusqlite::Result<T> {
    let index =
        COLUMNS.iter().position(|c| *c == column).ok_or_else(|| rusqlite::Error::InvalidColumnName(column.into()))?;
    debug_assert_eq!(row.as_ref().column_name(index).ok(), Some(column), "rows must come from select_list()");
    row.get(index)
}

/// Reads a record from a row selected with [`select_list`].
pub fn from_row(row: &Row<'_>) -> rusqlite::Result<Record> {
    fn parsed<T>(row: &Row<'_>, column: &str, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
        let text: String = get(row, column)?;
        parse(&text).ok_or_else(|| {
            let index = COLUMNS.iter().position(|c| *c == column).unwrap_or_default();
            let problem = format!("unexpected {column} {text:?}");
            rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, problem.into())
        })
    }
    Ok(Record {
        id: get(row, "id")?,
        action: parsed(row, "action", Action::parse)?,
        started_at: get(row, "started_at")?,
        finished_at: get(row, "finished_at")?,
        status: parsed(row, "status", Status::parse)?,
        account_name: get(row, "account_name")?,
        caller_appid: get(row, "caller_appid")?,
        mode: parsed(row, "mode", Mode::parse)?,
        prefix: get(row, "prefix")?,
        target_appid: get(row, "target_appid")?,
        errcode: get(row, "errcode")?,
        errmsg: get(row, "errmsg")?,
        explanation: get(row, "explanation")?,
        error_kind: get(row, "error_kind")?,
        duration_ms: get(row, "duration_ms")?,
        operator: get(row, "operator")?,
        app_version: get(row, "app_version")?,
        rule_snapshot: get(row, "rule_snapshot")?,
        demo: get(row, "demo")?,
        related_id: get(row, "related_id")?,
        batch_id: get(row, "batch_id")?,
        conclusion: match get::<Option<String>>(row, "conclusion")? {
            None => None,
            Some(_) => Some(parsed(row, "conclusion", Conclusion::parse)?),
        },
        chain_seq: get(row, "chain_seq")?,
        hash_version: get(row, "hash_version")?,
        hash: get(row, "hash")?,
    })
}

/// One column of the audit CSV: its header and how a record fills it.
pub struct CsvColumn {
    pub header: &'static str,
    pub cell: fn(&Record) -> Cell<'_>,
}

/// A CSV cell before formatting: text from outside is neutralised against
/// spreadsheet formulas, times are shown in local time.
pub enum Cell<'a> {
    Text(Option<&'a str>),
    Number(Option<i64>),
    Time(Option<&'a str>),
    /// Our own words (status, mode, ...): never a formula.
    Plain(Cow<'a, str>),
}

/// The audit CSV, column by column. The header is derived from this table.
pub const CSV_COLUMNS: &[CsvColumn] = &[
    CsvColumn { header: "id", cell: |r| Cell::Number(Some(r.id)) },
    CsvColumn { header: "action", cell: |r| Cell::Plain(r.action.as_str().into()) },
    CsvColumn { header: "started_at", cell: |r| Cell::Time(Some(&r.started_at)) },
    CsvColumn { header: "finished_at", cell: |r| Cell::Time(r.finished_at.as_deref()) },
    CsvColumn { header: "status", cell: |r| Cell::Plain(r.status.as_str().into()) },
    CsvColumn { header: "account", cell: |r| Cell::Text(Some(&r.account_name)) },
    CsvColumn { header: "caller_appid", cell: |r| Cell::Text(r.caller_appid.as_deref()) },
    CsvColumn { header: "mode", cell: |r| Cell::Plain(r.mode.as_str().into()) },
    CsvColumn { header: "prefix", cell: |r| Cell::Text(Some(&r.prefix)) },
    CsvColumn { header: "target_appid", cell: |r| Cell::Text(r.target_appid.as_deref()) },
    CsvColumn { header: "errcode", cell: |r| Cell::Number(r.errcode) },
    CsvColumn { header: "errmsg", cell: |r| Cell::Text(r.errmsg.as_deref()) },
    CsvColumn { header: "explanation", cell: |r| Cell::Text(r.explanation.as_deref()) },
    CsvColumn { header: "error_kind", cell: |r| Cell::Text(r.error_kind.as_deref()) },
    CsvColumn { header: "duration_ms", cell: |r| Cell::Number(r.duration_ms) },
    CsvColumn { header: "operator", cell: |r| Cell::Text(Some(&r.operator)) },
    CsvColumn { header: "app_version", cell: |r| Cell::Text(Some(&r.app_version)) },
    CsvColumn { header: "demo", cell: |r| Cell::Plain(if r.demo { "1".into() } else { "0".into() }) },
    CsvColumn { header: "related_id", cell: |r| Cell::Number(r.related_id) },
    CsvColumn { header: "batch_id", cell: |r| Cell::Text(r.batch_id.as_deref()) },
    CsvColumn {
        header: "conclusion",
        cell: |r| Cell::Plain(r.conclusion.map(Conclusion::as_str).unwrap_or("").into()),
    },
    CsvColumn { header: "rule_snapshot", cell: |r| Cell::Text(r.rule_snapshot.as_deref()) },
    CsvColumn { header: "chain_seq", cell: |r| Cell::Number(r.chain_seq) },
    CsvColumn { header: "hash", cell: |r| Cell::Text(r.hash.as_deref()) },
];

/// The audit CSV's header row.
pub fn csv_header() -> Vec<&'static str> {
    CSV_COLUMNS.iter().map(|c| c.header).collect()
}

/// The filters of the review screen and the CSV export.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Filter {
    /// Started at or after (RFC 3339, any offset).
    pub from: Option<String>,
    /// Started before (RFC 3339, any offset).
    pub to: Option<String>,
    pub status: Option<Status>,
    pub mode: Option<Mode>,
    pub account: Option<String>,
    /// Substring of the prefix, the Mini Program AppID or errmsg.
    pub text: Option<String>,
    pub action: Option<Action>,
    pub batch_id: Option<String>,
    /// Records linked to this one (a restore or check of it), and itself.
    pub related_to: Option<i64>,
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// A completed record with every optional field empty.
    pub fn sample() -> Record {
        Record {
            id: 7,
            action: Action::Delete,
            started_at: "2026-01-01T00:00:00.000Z".into(),
            finished_at: Some("2026-01-01T00:00:01.000Z".into()),
            status: Status::Ok,
            account_name: "Shop".into(),
            caller_appid: None,
            mode: Mode::Ordinary,
            prefix: "https://a.com/".into(),
            target_appid: None,
            errcode: Some(0),
            errmsg: Some("ok".into()),
            explanation: None,
            error_kind: None,
            duration_ms: Some(3),
            operator: "amy".into(),
            app_version: "0.1.0".into(),
            rule_snapshot: None,
            demo: false,
            related_id: None,
            batch_id: None,
            conclusion: None,
            chain_seq: Some(1),
            hash_version: 1,
            hash: None,
        }
    }
}
