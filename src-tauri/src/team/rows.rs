//! The team database's records: their columns, read back and written,
//! derived from the local record's fields (`history::fields::FIELDS`). The
//! team's own columns are the installation, the computer and the signature;
//! the local `id` is `local_id` there.

use std::borrow::Cow;

use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use crate::history::Record;
use crate::history::fields::{FIELDS, Field, Kind, Value};

/// The field's column in the team database.
fn column(field: &Field) -> &'static str {
    if field.name == "id" { "local_id" } else { field.name }
}

/// Every column a record is read from (besides the installation id), each
/// field under its own name, integers as bigint whatever their column.
pub(super) fn columns() -> &'static str {
    static LIST: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let fields = FIELDS.iter().map(|f| match f.kind {
            Kind::Int => format!("{}::bigint AS {}", column(f), f.name),
            Kind::Text | Kind::Bool => format!("{} AS {}", column(f), f.name),
        });
        ["local_id".to_owned(), "computer".to_owned(), "signature".to_owned()]
            .into_iter()
            .chain(fields)
            .collect::<Vec<_>>()
            .join(", ")
    });
    &LIST
}

/// The record as the desktop hashed it; None where a field no longer parses
/// (which is itself an alteration).
pub(super) fn record(row: &Row) -> Option<Record> {
    let mut record = Record::blank();
    for field in FIELDS {
        let value = match field.kind {
            Kind::Int => Value::Int(row.try_get(field.name).ok()?),
            Kind::Text => Value::Text(row.try_get::<_, Option<String>>(field.name).ok()?.map(Cow::Owned)),
            Kind::Bool => Value::Bool(row.try_get(field.name).ok()?),
        };
        (field.set)(&mut record, value)?;
    }
    Some(record)
}

/// `INSERT INTO qrjump_records (installation_id, computer, signature,
/// <fields>) VALUES ($1::text, ...)`: each parameter cast to the type its
/// value has, which PostgreSQL converts to the column's on insert.
pub(super) fn insert() -> &'static str {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let mut names = vec!["installation_id", "computer", "signature"];
        let mut marks = vec!["$1::text".to_owned(), "$2::text".to_owned(), "$3::text".to_owned()];
        for field in FIELDS {
            names.push(column(field));
            let cast = match field.kind {
                Kind::Int => "bigint",
                Kind::Text => "text",
                Kind::Bool => "boolean",
            };
            marks.push(format!("${}::{cast}", marks.len() + 1));
        }
        format!(
            "INSERT INTO qrjump_records ({}) VALUES ({}) ON CONFLICT DO NOTHING RETURNING local_id",
            names.join(", "),
            marks.join(", ")
        )
    });
    &SQL
}

/// The values of [`insert`], in its order: bigint, text or boolean.
pub(super) fn values(
    installation: &str,
    computer: &str,
    signature: Option<&str>,
    record: &Record,
) -> Vec<Box<dyn ToSql + Sync + Send>> {
    let own = [Some(installation), Some(computer), signature].map(|text| Value::Text(text.map(Cow::Borrowed)));
    let param = |value: Value<'_>| -> Box<dyn ToSql + Sync + Send> {
        match value {
            Value::Int(number) => Box::new(number),
            Value::Text(text) => Box::new(text.map(Cow::into_owned)),
            Value::Bool(flag) => Box::new(flag),
        }
    };
    own.into_iter().chain(FIELDS.iter().map(|f| (f.get)(record))).map(param).collect()
}
