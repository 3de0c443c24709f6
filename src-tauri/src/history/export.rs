//! The audit CSV: UTF-8 with BOM and CRLF so Excel reads Chinese text
//! correctly, local times with their offset, and cells that cannot run as
//! formulas. Its columns are the fields' (`fields::FIELDS`).

use std::io::Write;

use rusqlite::Connection;

use super::fields::{Cell, csv_header, csv_row, from_row, select_list};
use super::record::Filter;
use super::{Result, query};

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

/// One cell of any export, local or team. Every text that did not come
/// from this program's own enums goes through [`neutralise`]: a time that
/// does not parse is shown as stored, and a shared database's row may hold
/// anything there.
pub(crate) fn format(cell: Cell<'_>) -> String {
    match cell {
        Cell::Text(text) => neutralise(text.unwrap_or("")).into_owned(),
        Cell::Number(number) => number.map(|n| n.to_string()).unwrap_or_default(),
        Cell::Time(time) => time.map(|t| neutralise(&local(t)).into_owned()).unwrap_or_default(),
        Cell::Plain(text) => neutralise(&text).into_owned(),
    }
}

/// Streams the records matching `filter`, oldest first (as an auditor reads
/// a log), into `out`; returns how many were written. Memory stays flat
/// however many there are.
pub(crate) fn write(conn: &Connection, filter: &Filter, out: impl Write) -> Result<u64> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    out.write_all("\u{feff}".as_bytes())?;
    let mut csv = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    csv.write_record(csv_header())?;
    let (sql, values, order) = query::where_clause(filter)?;
    let mut statement = conn.prepare(&format!("SELECT {} {sql} ORDER BY {order}", select_list()))?;
    let mut rows = statement.query(rusqlite::params_from_iter(values))?;
    let mut written = 0;
    while let Some(row) = rows.next()? {
        let record = from_row(row)?;
        csv.write_record(csv_row(&record, format))?;
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
    fn every_kind_of_cell_is_neutralised() {
        assert_eq!(format(Cell::Time(Some("=HYPERLINK(\"http://x\")"))), "'=HYPERLINK(\"http://x\")");
        assert_eq!(format(Cell::Plain("@SUM(A1)".into())), "'@SUM(A1)");
        assert_eq!(format(Cell::Number(Some(-1))), "-1", "a number is no formula");
    }

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
