//! Reviewing the team history: the local history's filters plus operator
//! and computer, newest first, keyset paged; text search by trigram index;
//! the audit CSV of a filter, streamed from a cursor in flat memory.

use std::io::Write;

use serde::{Deserialize, Serialize};
use tokio_postgres::types::ToSql;

use crate::history::{Filter, Record, csv_cell, csv_header, csv_row, to_utc};

use super::rows::{columns, record};
use super::{Error, Result, Team};

/// Rows fetched per round trip while exporting.
const EXPORT_FETCH: i32 = 2_000;

/// The review's filters: the local ones, and who and where.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamFilter {
    #[serde(flatten)]
    pub record: Filter,
    pub operator: Option<String>,
    pub computer: Option<String>,
}

/// One record of the team history, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamRecord {
    pub installation_id: String,
    pub computer: String,
    #[serde(flatten)]
    pub record: Record,
}

impl TeamRecord {
    /// Where the next page starts (records strictly older than this one).
    pub fn cursor(&self) -> Cursor {
        Cursor {
            started_at: self.record.started_at.clone(),
            installation_id: self.installation_id.clone(),
            local_id: self.record.id,
        }
    }
}

/// The names the team history's filters offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamNames {
    pub computers: Vec<String>,
    pub operators: Vec<String>,
    pub accounts: Vec<String>,
}

/// A position in the newest-first order: records start at the same
/// millisecond on different computers, so the installation and local id
/// break ties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cursor {
    pub started_at: String,
    pub installation_id: String,
    pub local_id: i64,
}

/// The `WHERE` conditions of `filter` and their parameters.
struct Conditions {
    sql: Vec<String>,
    values: Vec<Box<dyn ToSql + Sync + Send>>,
}

impl Conditions {
    fn push(&mut self, condition: impl Fn(usize) -> String, value: Box<dyn ToSql + Sync + Send>) {
        self.values.push(value);
        self.sql.push(condition(self.values.len()));
    }

    fn clause(&self) -> String {
        if self.sql.is_empty() { String::new() } else { format!("WHERE {}", self.sql.join(" AND ")) }
    }

    fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.values.iter().map(|v| v.as_ref() as &(dyn ToSql + Sync)).collect()
    }
}

fn conditions(filter: &TeamFilter) -> Result<Conditions> {
    let mut c = Conditions { sql: Vec::new(), values: Vec::new() };
    let f = &filter.record;
    let bad = |e: crate::history::Error| Error::Filter(e.to_string());
    if let Some(from) = &f.from {
        c.push(|n| format!("started_at >= ${n}"), Box::new(to_utc("from", from).map_err(bad)?));
    }
    if let Some(to) = &f.to {
        c.push(|n| format!("started_at < ${n}"), Box::new(to_utc("to", to).map_err(bad)?));
    }
    if let Some(status) = f.status {
        c.push(|n| format!("status = ${n}"), Box::new(status.as_str()));
    }
    if let Some(mode) = f.mode {
        c.push(|n| format!("mode = ${n}"), Box::new(mode.as_str()));
    }
    if let Some(action) = f.action {
        c.push(|n| format!("action = ${n}"), Box::new(action.as_str()));
    }
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    if let Some(batch) = given(&f.batch_id) {
        c.push(|n| format!("batch_id = ${n}"), Box::new(batch));
    }
    if let Some(account) = given(&f.account) {
        c.push(|n| format!("account_name = ${n}"), Box::new(account));
    }
    if let Some(operator) = given(&filter.operator) {
        c.push(|n| format!("operator = ${n}"), Box::new(operator));
    }
    if let Some(computer) = given(&filter.computer) {
        c.push(|n| format!("computer = ${n}"), Box::new(computer));
    }
    if let Some(text) = given(&f.text) {
        // Substring anywhere, any case: the trigram indexes serve ILIKE.
        let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        c.push(
            |n| format!("(prefix ILIKE ${n} OR target_appid ILIKE ${n} OR errmsg ILIKE ${n})"),
            Box::new(format!("%{escaped}%")),
        );
    }
    Ok(c)
}

fn team_record(row: &tokio_postgres::Row) -> Result<TeamRecord> {
    let record = record(row).ok_or_else(|| Error::Server("a record on the server no longer reads".into()))?;
    Ok(TeamRecord { installation_id: row.get("installation_id"), computer: row.get("computer"), record })
}

impl Team {
    /// Up to `limit` records matching `filter`, newest first, older than `before`.
    pub async fn page(&self, filter: &TeamFilter, before: Option<&Cursor>, limit: u32) -> Result<Vec<TeamRecord>> {
        let mut c = conditions(filter)?;
        if let Some(before) = before {
            c.push(
                |n| format!("(started_at, installation_id, local_id) < (${n}, ${}, ${})", n + 1, n + 2),
                Box::new(before.started_at.clone()),
            );
            c.values.push(Box::new(before.installation_id.clone()));
            c.values.push(Box::new(before.local_id));
        }
        let sql = format!(
            "SELECT installation_id, {} FROM qrjump_records {} \
             ORDER BY started_at DESC, installation_id DESC, local_id DESC LIMIT {}",
            columns(),
            c.clause(),
            limit.clamp(1, 1000)
        );
        let rows = self.limit().run(self.client.query(&sql, &c.params())).await?;
        rows.iter().map(team_record).collect()
    }

    /// The computers, operators and accounts the team history names, for the filters.
    pub async fn names(&self) -> Result<TeamNames> {
        let list = |sql: &'static str| async move {
            let rows = self.limit().run(self.client.query(sql, &[])).await?;
            Ok::<_, Error>(rows.iter().map(|r| r.get::<_, String>(0)).collect::<Vec<_>>())
        };
        Ok(TeamNames {
            computers: list("SELECT DISTINCT computer FROM qrjump_records ORDER BY 1").await?,
            operators: list("SELECT DISTINCT operator FROM qrjump_records ORDER BY 1").await?,
            accounts: list("SELECT DISTINCT account_name FROM qrjump_records ORDER BY 1").await?,
        })
    }

    /// The audit CSV of `filter` (the local one's columns after the
    /// installation and computer), oldest first, into `out`. Rows come from
    /// a server-side cursor a few thousand at a time: memory stays flat.
    pub async fn export_csv(&mut self, filter: &TeamFilter, out: impl Write) -> Result<u64> {
        let c = conditions(filter)?;
        let sql = format!(
            "SELECT installation_id, {} FROM qrjump_records {} \
             ORDER BY started_at, installation_id, local_id",
            columns(),
            c.clause()
        );
        let io = |e: std::io::Error| Error::Local(e.into());
        let csv_error = |e: csv::Error| Error::Local(e.into());
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        out.write_all("\u{feff}".as_bytes()).map_err(io)?;
        let mut csv = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
        let mut header = vec!["installation", "computer"];
        header.extend(csv_header());
        csv.write_record(&header).map_err(csv_error)?;

        let limit = self.limit();
        let tx = limit.run(self.client.transaction()).await?;
        let statement = limit.run(tx.prepare(&sql)).await?;
        let portal = limit.run(tx.bind(&statement, &c.params())).await?;
        let mut written = 0;
        loop {
            let rows = limit.run(tx.query_portal(&portal, EXPORT_FETCH)).await?;
            for row in &rows {
                let team = team_record(row)?;
                let mut cells = vec![
                    csv_cell(crate::history::Cell::Text(Some(&team.installation_id))),
                    csv_cell(crate::history::Cell::Text(Some(&team.computer))),
                ];
                cells.extend(csv_row(&team.record, csv_cell));
                csv.write_record(&cells).map_err(csv_error)?;
                written += 1;
            }
            if rows.len() < EXPORT_FETCH as usize {
                break;
            }
        }
        limit.run(tx.commit()).await?;
        let mut out = csv.into_inner().map_err(|e| io(e.into_error()))?;
        out.flush().map_err(io)?;
        Ok(written)
    }
}
