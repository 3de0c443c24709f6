//! The review queries: filters turned into SQL, newest first, keyset paged.

use rusqlite::Connection;
use rusqlite::types::Value;

use super::fields::select_list;
use super::record::{Filter, Record};
use super::{Error, Result};

/// Shortest text the trigram index can search; shorter text is matched with LIKE.
const TRIGRAM: usize = 3;

/// The `FROM ... WHERE ...` part for `filter`, its parameters, and the
/// column that orders the rows (ids, newest first).
pub(crate) fn where_clause(filter: &Filter) -> Result<(String, Vec<Value>, &'static str)> {
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut from = "attempts a".to_owned();
    let mut order = "a.id";
    if let Some(from_time) = &filter.from {
        values.push(Value::Text(to_utc("from", from_time)?));
        conditions.push(format!("a.started_at >= ?{}", values.len()));
    }
    if let Some(to_time) = &filter.to {
        values.push(Value::Text(to_utc("to", to_time)?));
        conditions.push(format!("a.started_at < ?{}", values.len()));
    }
    if let Some(status) = filter.status {
        values.push(Value::Text(status.as_str().into()));
        conditions.push(format!("a.status = ?{}", values.len()));
    }
    if let Some(mode) = filter.mode {
        values.push(Value::Text(mode.as_str().into()));
        conditions.push(format!("a.mode = ?{}", values.len()));
    }
    if let Some(action) = filter.action {
        values.push(Value::Text(action.as_str().into()));
        conditions.push(format!("a.action = ?{}", values.len()));
    }
    if let Some(batch) = filter.batch_id.as_deref().filter(|b| !b.is_empty()) {
        values.push(Value::Text(batch.into()));
        conditions.push(format!("a.batch_id = ?{}", values.len()));
    }
    if let Some(id) = filter.related_to {
        values.push(Value::Integer(id));
        let n = values.len();
        conditions.push(format!("(a.id = ?{n} OR a.related_id = ?{n})"));
    }
    if let Some(account) = filter.account.as_deref().filter(|a| !a.is_empty()) {
        values.push(Value::Text(account.into()));
        conditions.push(format!("a.account_name = ?{}", values.len()));
    }
    if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if text.chars().count() >= TRIGRAM {
            // A phrase query: the trigram index finds the text anywhere.
            from = "attempts_text t JOIN attempts a ON a.id = t.rowid".into();
            order = "t.rowid";
            values.push(Value::Text(format!("\"{}\"", text.replace('"', "\"\""))));
            conditions.push(format!("attempts_text MATCH ?{}", values.len()));
        } else {
            let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            values.push(Value::Text(format!("%{escaped}%")));
            let n = values.len();
            conditions.push(format!("(a.prefix LIKE ?{n} ESCAPE '\\' OR a.target_appid LIKE ?{n} ESCAPE '\\' OR a.errmsg LIKE ?{n} ESCAPE '\\')"));
        }
    }
    let mut sql = format!("FROM {from}");
    if !conditions.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conditions.join(" AND "));
    }
    Ok((sql, values, order))
}

/// Accepts RFC 3339 (any offset) or a plain date (local midnight) and
/// returns the UTC form the records are stored in, so text order is time order.
pub(crate) fn to_utc(field: &'static str, text: &str) -> Result<String> {
    use chrono::{DateTime, Local, NaiveDate, NaiveTime, SecondsFormat, TimeZone, Utc};
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Millis, true));
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let midnight = date.and_time(NaiveTime::MIN);
        if let Some(local) = Local.from_local_datetime(&midnight).earliest() {
            return Ok(local.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Millis, true));
        }
    }
    Err(Error::Filter {
        field,
        problem: format!("{text:?} is not a date (2026-11-24) or a time (2026-11-24T09:30:00+08:00)"),
    })
}

pub(crate) fn page(conn: &Connection, filter: &Filter, before: Option<i64>, limit: u32) -> Result<Vec<Record>> {
    let (mut sql, mut values, order) = where_clause(filter)?;
    if let Some(before) = before {
        values.push(Value::Integer(before));
        sql.push_str(if sql.contains(" WHERE ") { " AND " } else { " WHERE " });
        sql.push_str(&format!("{order} < ?{}", values.len()));
    }
    let columns = select_list();
    let sql = format!("SELECT {columns} {sql} ORDER BY {order} DESC LIMIT {}", limit.clamp(1, 1000));
    let mut statement = conn.prepare_cached(&sql)?;
    let records = statement
        .query_map(rusqlite::params_from_iter(values), super::fields::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_normalised_to_utc() {
        assert_eq!(to_utc("from", "2026-11-24T09:30:00+08:00").unwrap(), "2026-11-24T01:30:00.000Z");
        assert!(to_utc("from", "2026-11-24").is_ok());
        let error = to_utc("to", "yesterday").unwrap_err();
        assert!(error.to_string().starts_with("to: "), "{error}");
    }
}
