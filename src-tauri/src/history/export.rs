//! The audit CSV: UTF-8 with BOM and CRLF so Excel reads Chinese text
//! correctly, local times with their offset, and cells that cannot run as
//! formulas.

use std::io::Write;

use rusqlite::Connection;

use super::record::Filter;
use super::{COLUMNS, Result, from_row, query};

pub const HEADER: [&str; 19] = [
    "id",
    "started_at",
    "finished_at",
    "status",
    "account",
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
    "demo",
    "rule_snapshot",
    "hash",
];

/// Neutralises a text cell a spreadsheet would run as a formula, as OWASP
/// recommends: a cell starting with `=`, `+`, `-`, `@`, tab or carriage
/// return gets a leading `'`. Prefixes and errmsg are text from outside.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// A stored UTC time as local time with its offset (ISO 8601).
pub fn local(utc: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(utc)
        .map(|t| t.with_timezone(&chrono::Local).to_rfc3339_opts(chrono::SecondsFormat::Millis, false))
        .unwrap_or_else(|_| utc.to_owned())
}

pub(crate) fn write(conn: &Connection, filter: &Filter, out: impl Write) -> Result<u64> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    out.write_all("\u{feff}".as_bytes())?;
    let mut csv = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    csv.write_record(HEADER)?;
    let (sql, values, order) = query::where_clause(filter)?;
    let columns = COLUMNS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", ");
    // Oldest first, as an auditor reads a log; rows stream from SQLite
    // straight into the file, so memory stays flat however many there are.
    let mut statement = conn.prepare(&format!("SELECT {columns} {sql} ORDER BY {order}"))?;
    let mut rows = statement.query(rusqlite::params_from_iter(values))?;
    let mut written = 0;
    let text = |value: &Option<String>| neutralise(value.as_deref().unwrap_or("")).into_owned();
    let number = |value: Option<i64>| value.map(|v| v.to_string()).unwrap_or_default();
    while let Some(row) = rows.next()? {
        let r = from_row(row)?;
        csv.write_record([
            r.id.to_string(),
            local(&r.started_at),
            r.finished_at.as_deref().map(local).unwrap_or_default(),
            r.status.as_str().to_owned(),
            neutralise(&r.account_name).into_owned(),
            text(&r.caller_appid),
            r.mode.as_str().to_owned(),
            neutralise(&r.prefix).into_owned(),
            text(&r.target_appid),
            number(r.errcode),
            text(&r.errmsg),
            text(&r.explanation),
            text(&r.error_kind),
            number(r.duration_ms),
            neutralise(&r.operator).into_owned(),
            text(&Some(r.app_version)),
            if r.demo { "1".into() } else { "0".into() },
            text(&r.rule_snapshot),
            text(&r.hash),
        ])?;
        written += 1;
    }
    let mut out = csv.into_inner().map_err(|e| e.into_error())?;
    out.flush()?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_leads_are_neutralised() {
        for lead in ["=", "+", "-", "@", "\t", "\r"] {
            let cell = format!("{lead}HYPERLINK(\"x\")");
            assert_eq!(neutralise(&cell), format!("'{cell}"));
        }
        assert_eq!(neutralise("https://a.com/=x"), "https://a.com/=x");
        assert_eq!(neutralise(""), "");
    }
}
