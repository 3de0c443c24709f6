//! The team database's records as the app reads them back.

use tokio_postgres::Row;

use crate::history::{Action, Conclusion, Record, Status};
use crate::wechat::Mode;

/// Every column a record is read from (besides the installation id).
pub(super) const COLUMNS: &str = "local_id, computer, action, started_at, finished_at, status, account_name, caller_appid, \
    mode, prefix, target_appid, errcode, errmsg, explanation, error_kind, duration_ms, operator, app_version, \
    rule_snapshot, demo, related_id, batch_id, conclusion, chain_seq, hash_version, hash, signature";

/// The record as the desktop hashed it; None where a field no longer parses
/// (which is itself an alteration).
pub(super) fn record(row: &Row) -> Option<Record> {
    let conclusion = match row.get::<_, Option<String>>("conclusion") {
        None => None,
        Some(text) => Some(Conclusion::parse(&text)?),
    };
    Some(Record {
        id: row.get("local_id"),
        action: Action::parse(row.get("action"))?,
        started_at: row.get("started_at"),
        finished_at: row.get("finished_at"),
        status: Status::parse(row.get("status"))?,
        account_name: row.get("account_name"),
        caller_appid: row.get("caller_appid"),
        mode: Mode::parse(row.get("mode"))?,
        prefix: row.get("prefix"),
        target_appid: row.get("target_appid"),
        errcode: row.get("errcode"),
        errmsg: row.get("errmsg"),
        explanation: row.get("explanation"),
        error_kind: row.get("error_kind"),
        duration_ms: row.get("duration_ms"),
        operator: row.get("operator"),
        app_version: row.get("app_version"),
        rule_snapshot: row.get("rule_snapshot"),
        demo: row.get("demo"),
        related_id: row.get("related_id"),
        batch_id: row.get("batch_id"),
        conclusion,
        chain_seq: row.get("chain_seq"),
        hash_version: i64::from(row.get::<_, i32>("hash_version")),
        hash: row.get("hash"),
    })
}
