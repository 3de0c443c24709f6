//! Each field of an attempt record, declared once in [`FIELDS`]. Everything
//! that lists the fields is derived from it: the columns a record is read
//! from and the row reader, the INSERT of a pending record and the UPDATE
//! that completes it, the audit CSV, the hash chain's input, and the team
//! database's rows (`team::rows`).
//!
//! A new field is an entry here (hashed from the next version: new records
//! are chained with the newest), its place in `Record` (and in `NewAttempt`
//! or `Outcome`, whichever brings its value, and so in `History::start` or
//! `finish`). The columns are added to both databases from this table (see
//! `schema::add_columns` and `team::schema`).

use std::borrow::Cow;

use rusqlite::Row;
use rusqlite::types::{Null, ToSqlOutput};

use super::record::{Action, Conclusion, Record, Status};
use crate::wechat::Mode;

/// A field's value in its stored form: what SQLite, PostgreSQL, the hash
/// and the CSV all start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value<'a> {
    Int(Option<i64>),
    Text(Option<Cow<'a, str>>),
    Bool(bool),
}

impl Value<'_> {
    /// The text the hash covers: integers in decimal, booleans as 1 or 0.
    fn hashed(&self) -> Option<Cow<'_, str>> {
        match self {
            Value::Int(number) => number.map(|n| n.to_string().into()),
            Value::Text(text) => text.as_deref().map(Cow::Borrowed),
            Value::Bool(flag) => Some(if *flag { "1" } else { "0" }.into()),
        }
    }

    fn int(self) -> Option<i64> {
        match self {
            Value::Int(number) => number,
            _ => None,
        }
    }

    fn text(self) -> Option<String> {
        match self {
            Value::Text(text) => text.map(Cow::into_owned),
            _ => None,
        }
    }
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Int(Some(number)) => ToSqlOutput::from(*number),
            Value::Text(Some(text)) => ToSqlOutput::from(text.as_ref()),
            Value::Int(None) | Value::Text(None) => ToSqlOutput::from(Null),
            Value::Bool(flag) => ToSqlOutput::from(*flag),
        })
    }
}

/// How a field is stored, and so read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
    Bool,
}

/// How a field shows in the audit CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Text from outside: neutralised against spreadsheet formulas.
    Text,
    Number,
    /// A UTC time, shown in local time.
    Time,
    /// Our own words (status, mode, ...).
    Plain,
}

/// A field's column in the audit CSV. The long and the technical columns
/// (the rule snapshot, the chain position, the hash) come last, after all
/// the others, whatever their place in [`FIELDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Csv {
    No,
    Main(&'static str, Shown),
    Last(&'static str, Shown),
}

/// When a field is written: with the pending record, before the call
/// (`start`); when the record is completed and chained (`finish`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub start: bool,
    pub finish: bool,
}

const KEY: Written = Written { start: false, finish: false };
const START: Written = Written { start: true, finish: false };
const FINISH: Written = Written { start: false, finish: true };
const BOTH: Written = Written { start: true, finish: true };

pub struct Field {
    /// The column, in SQLite and in the team database (where `id` is
    /// `local_id`: the team's own key is the installation and this).
    pub name: &'static str,
    pub kind: Kind,
    pub written: Written,
    pub csv: Csv,
    /// The first hash version that covers the field (see `chain`); `None`:
    /// not hashed (the hash itself, and which version it is).
    pub hashed_since: Option<i64>,
    pub get: fn(&Record) -> Value<'_>,
    /// Sets the field from its stored value; `None` when the value cannot
    /// be one (an unknown status, a missing required text).
    pub set: fn(&mut Record, Value<'_>) -> Option<()>,
}

fn text(value: &str) -> Value<'_> {
    Value::Text(Some(Cow::Borrowed(value)))
}

fn optional(value: &Option<String>) -> Value<'_> {
    Value::Text(value.as_deref().map(Cow::Borrowed))
}

/// The fields, in the order the hash chain has always taken them within
/// each version (new fields go at the end, with the next version).
// `Some(r.field = ...?)`: a setter that fails only where a value is missing
// or unknown reads best as one expression.
#[allow(clippy::unit_arg)]
pub const FIELDS: &[Field] = &[
    Field {
        name: "id",
        kind: Kind::Int,
        written: KEY,
        csv: Csv::Main("id", Shown::Number),
        hashed_since: Some(1),
        get: |r| Value::Int(Some(r.id)),
        set: |r, v| Some(r.id = v.int()?),
    },
    Field {
        name: "action",
        kind: Kind::Text,
        written: START,
        csv: Csv::Main("action", Shown::Plain),
        hashed_since: Some(2),
        get: |r| text(r.action.as_str()),
        set: |r, v| Some(r.action = Action::parse(&v.text()?)?),
    },
    Field {
        name: "started_at",
        kind: Kind::Text,
        written: START,
        csv: Csv::Main("started_at", Shown::Time),
        hashed_since: Some(1),
        get: |r| text(&r.started_at),
        set: |r, v| Some(r.started_at = v.text()?),
    },
    Field {
        name: "finished_at",
        kind: Kind::Text,
        written: FINISH,
        csv: Csv::Main("finished_at", Shown::Time),
        hashed_since: Some(1),
        get: |r| optional(&r.finished_at),
        set: |r, v| Some(r.finished_at = v.text()),
    },
    Field {
        name: "status",
        kind: Kind::Text,
        written: BOTH,
        csv: Csv::Main("status", Shown::Plain),
        hashed_since: Some(1),
        get: |r| text(r.status.as_str()),
        set: |r, v| Some(r.status = Status::parse(&v.text()?)?),
    },
    Field {
        name: "account_name",
        kind: Kind::Text,
        written: START,
        csv: Csv::Main("account", Shown::Text),
        hashed_since: Some(1),
        get: |r| text(&r.account_name),
        set: |r, v| Some(r.account_name = v.text()?),
    },
    Field {
        name: "caller_appid",
        kind: Kind::Text,
        written: START,
        csv: Csv::Main("caller_appid", Shown::Text),
        hashed_since: Some(1),
        get: |r| optional(&r.caller_appid),
        set: |r, v| Some(r.caller_appid = v.text()),
    },
    Field {
        name: "mode",
        kind: Kind::Text,
        written: START,
        csv: Csv::Main("mode", Shown::Plain),
        hashed_since: Some(1),
        get: |r| text(r.mode.as_str()),
        set: |r, v| Some(r.mode = Mode::parse(&v.text()?)?),
    },
    Field {
        name: "prefix",
        kind: Kind::Text,
        written: START,
        csv: Csv::Main("prefix", Shown::Text),
        hashed_since: Some(1),
        get: |r| text(&r.prefix),
        set: |r, v| Some(r.prefix = v.text()?),
    },
    Field {
        name: "target_appid",
        kind: Kind::Text,
        written: START,
        csv: Csv::Main("target_appid", Shown::Text),
        hashed_since: Some(1),
        get: |r| optional(&r.target_appid),
        set: |r, v| Some(r.target_appid = v.text()),
    },
    Field {
        name: "errcode",
        kind: Kind::Int,
        written: FINISH,
        csv: Csv::Main("errcode", Shown::Number),
        hashed_since: Some(1),
        get: |r| Value::Int(r.errcode),
        set: |r, v| Some(r.errcode = v.int()),
    },
    Field {
        name: "errmsg",
        kind: Kind::Text,
        written: FINISH,
        csv: Csv::Main("errmsg", Shown::Text),
        hashed_since: Some(1),
        get: |r| optional(&r.errmsg),
        set: |r, v| Some(r.errmsg = v.text()),
    },
    Field {
        name: "explanation",
        kind: Kind::Text,
        written: FINISH,
        csv: Csv::Main("explanation", Shown::Text),
        hashed_since: Some(1),
        get: |r| optional(&r.explanation),
        set: |r, v| Some(r.explanation = v.text()),
    },
    Field {
        name: "error_kind",
        kind: Kind::Text,
        written: FINISH,
        csv: Csv::Main("error_kind", Shown::Text),
        hashed_since: Some(1),
        get: |r| optional(&r.error_kind),
        set: |r, v| Some(r.error_kind = v.text()),
    },
    Field {
        name: "duration_ms",
        kind: Kind::Int,
        written: FINISH,
        csv: Csv::Main("duration_ms", Shown::Number),
        hashed_since: Some(1),
        get: |r| Value::Int(r.duration_ms),
        set: |r, v| Some(r.duration_ms = v.int()),
    },
    Field {
        name: "operator",
        kind: Kind::Text,
        written: START,
        csv: Csv::Main("operator", Shown::Text),
        hashed_since: Some(1),
        get: |r| text(&r.operator),
        set: |r, v| Some(r.operator = v.text()?),
    },
    Field {
        name: "app_version",
        kind: Kind::Text,
        written: START,
        csv: Csv::Main("app_version", Shown::Text),
        hashed_since: Some(1),
        get: |r| text(&r.app_version),
        set: |r, v| Some(r.app_version = v.text()?),
    },
    Field {
        name: "rule_snapshot",
        kind: Kind::Text,
        written: START,
        csv: Csv::Last("rule_snapshot", Shown::Text),
        hashed_since: Some(1),
        get: |r| optional(&r.rule_snapshot),
        set: |r, v| Some(r.rule_snapshot = v.text()),
    },
    Field {
        name: "demo",
        kind: Kind::Bool,
        written: START,
        csv: Csv::Main("demo", Shown::Plain),
        hashed_since: Some(1),
        get: |r| Value::Bool(r.demo),
        set: |r, v| {
            let Value::Bool(flag) = v else { return None };
            r.demo = flag;
            Some(())
        },
    },
    Field {
        name: "related_id",
        kind: Kind::Int,
        written: START,
        csv: Csv::Main("related_id", Shown::Number),
        hashed_since: Some(2),
        get: |r| Value::Int(r.related_id),
        set: |r, v| Some(r.related_id = v.int()),
    },
    Field {
        name: "batch_id",
        kind: Kind::Text,
        written: START,
        csv: Csv::Main("batch_id", Shown::Text),
        hashed_since: Some(2),
        get: |r| optional(&r.batch_id),
        set: |r, v| Some(r.batch_id = v.text()),
    },
    Field {
        name: "conclusion",
        kind: Kind::Text,
        written: FINISH,
        csv: Csv::Main("conclusion", Shown::Plain),
        hashed_since: Some(3),
        get: |r| Value::Text(r.conclusion.map(|c| Cow::Borrowed(c.as_str()))),
        set: |r, v| {
            r.conclusion = match v.text() {
                None => None,
                Some(text) => Some(Conclusion::parse(&text)?),
            };
            Some(())
        },
    },
    Field {
        name: "verdict",
        kind: Kind::Text,
        written: FINISH,
        csv: Csv::Main("verdict", Shown::Text),
        hashed_since: Some(4),
        get: |r| optional(&r.verdict),
        set: |r, v| Some(r.verdict = v.text()),
    },
    Field {
        name: "chain_seq",
        kind: Kind::Int,
        written: FINISH,
        csv: Csv::Last("chain_seq", Shown::Number),
        hashed_since: Some(1),
        get: |r| Value::Int(r.chain_seq),
        set: |r, v| Some(r.chain_seq = v.int()),
    },
    Field {
        name: "hash_version",
        kind: Kind::Int,
        written: START,
        csv: Csv::No,
        hashed_since: None,
        get: |r| Value::Int(Some(r.hash_version)),
        set: |r, v| Some(r.hash_version = v.int()?),
    },
    Field {
        name: "hash",
        kind: Kind::Text,
        written: FINISH,
        csv: Csv::Last("hash", Shown::Text),
        hashed_since: None,
        get: |r| optional(&r.hash),
        set: |r, v| Some(r.hash = v.text()),
    },
];

/// The newest hash version any field has: what new records are chained with.
pub const fn newest_hash_version() -> i64 {
    let mut newest = 1;
    let mut i = 0;
    while i < FIELDS.len() {
        if let Some(since) = FIELDS[i].hashed_since
            && since > newest
        {
            newest = since;
        }
        i += 1;
    }
    newest
}

/// `a.id, a.action, ...`: the select list for a query aliasing attempts as `a`.
pub fn select_list() -> &'static str {
    // Built once: every page, lookup, export and check uses it.
    static LIST: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| FIELDS.iter().map(|f| format!("a.{}", f.name)).collect::<Vec<_>>().join(", "));
    &LIST
}

/// Reads a record from a row selected with [`select_list`], by position:
/// rusqlite's lookup by name measures and compares every column name of
/// the statement for every field of every row, which made a
/// 1,000,000-record export four times slower.
pub fn from_row(row: &Row<'_>) -> rusqlite::Result<Record> {
    let mut record = Record::blank();
    for (index, field) in FIELDS.iter().enumerate() {
        debug_assert_eq!(row.as_ref().column_name(index).ok(), Some(field.name), "rows must come from select_list()");
        let value = match field.kind {
            Kind::Int => Value::Int(row.get(index)?),
            Kind::Text => Value::Text(row.get::<_, Option<String>>(index)?.map(Cow::Owned)),
            Kind::Bool => Value::Bool(row.get(index)?),
        };
        (field.set)(&mut record, value).ok_or_else(|| {
            // Only on failure: formatting every field of every row would
            // cost an export of a million records dearly.
            let problem = format!("unexpected {} {:?}", field.name, row.get_ref(index));
            rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, problem.into())
        })?;
    }
    Ok(record)
}

/// The columns written with a pending record, and the one written when it
/// is completed; the values are the record's, in the same order.
pub fn written(when: fn(Written) -> bool) -> impl Iterator<Item = &'static Field> {
    FIELDS.iter().filter(move |f| when(f.written))
}

/// `INSERT INTO attempts (<start fields>, owner) VALUES (?1, ...)`.
pub fn insert_pending() -> &'static str {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let names: Vec<&str> = written(|w| w.start).map(|f| f.name).chain(["owner"]).collect();
        let marks: Vec<String> = (1..=names.len()).map(|n| format!("?{n}")).collect();
        format!("INSERT INTO attempts ({}) VALUES ({})", names.join(", "), marks.join(", "))
    });
    &SQL
}

/// `UPDATE attempts SET <finish fields> WHERE id = ?1`.
pub fn update_finished() -> &'static str {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let sets: Vec<String> =
            written(|w| w.finish).enumerate().map(|(n, f)| format!("{} = ?{}", f.name, n + 2)).collect();
        format!("UPDATE attempts SET {} WHERE id = ?1", sets.join(", "))
    });
    &SQL
}

/// The hashed fields of a record of `version`, in the chain's order: the
/// first version's fields, then each later version's.
pub fn hashed(record: &Record) -> impl Iterator<Item = Option<String>> + '_ {
    // Ordered once, not for each record a verify hashes.
    static ORDER: std::sync::LazyLock<Vec<&'static Field>> = std::sync::LazyLock::new(|| {
        let mut fields: Vec<&Field> = FIELDS.iter().filter(|f| f.hashed_since.is_some()).collect();
        // Stable: within a version, the order of FIELDS.
        fields.sort_by_key(|f| f.hashed_since);
        fields
    });
    ORDER
        .iter()
        .filter(|f| f.hashed_since.is_some_and(|since| since <= record.hash_version))
        .map(|f| (f.get)(record).hashed().map(Cow::into_owned))
}

/// A CSV cell before formatting (see `export::format`).
pub enum Cell<'a> {
    Text(Option<&'a str>),
    Number(Option<i64>),
    Time(Option<&'a str>),
    /// Our own words (status, mode, ...): never a formula.
    Plain(Cow<'a, str>),
}

/// The audit CSV's fields in column order, with their headers.
fn csv_fields() -> impl Iterator<Item = (&'static str, Shown, &'static Field)> {
    let main = FIELDS.iter().filter_map(|f| match f.csv {
        Csv::Main(header, shown) => Some((header, shown, f)),
        _ => None,
    });
    let last = FIELDS.iter().filter_map(|f| match f.csv {
        Csv::Last(header, shown) => Some((header, shown, f)),
        _ => None,
    });
    main.chain(last)
}

/// The audit CSV's header row.
pub fn csv_header() -> Vec<&'static str> {
    csv_fields().map(|(header, _, _)| header).collect()
}

/// A record's cells in the audit CSV, each formatted with `format`.
pub fn csv_row(record: &Record, format: fn(Cell<'_>) -> String) -> Vec<String> {
    csv_fields()
        .map(|(_, shown, field)| {
            let value = (field.get)(record);
            let cell = match (shown, &value) {
                (Shown::Number, Value::Int(number)) => Cell::Number(*number),
                (Shown::Text, Value::Text(text)) => Cell::Text(text.as_deref()),
                (Shown::Time, Value::Text(text)) => Cell::Time(text.as_deref()),
                (_, value) => Cell::Plain(value.hashed().unwrap_or_default()),
            };
            format(cell)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_reads_back_what_it_gives() {
        let mut record = super::super::record::tests_support::sample();
        record.conclusion = Some(Conclusion::Gone);
        record.batch_id = Some("b".into());
        record.verdict = Some("done".into());
        let mut copy = Record::blank();
        for field in FIELDS {
            let value = (field.get)(&record);
            (field.set)(&mut copy, value).unwrap_or_else(|| panic!("{} reads back", field.name));
        }
        assert_eq!(copy, record);
    }

    #[test]
    fn new_records_are_chained_with_the_newest_version() {
        assert_eq!(super::super::chain::CURRENT, 4);
    }

    #[test]
    fn the_csv_keeps_its_columns() {
        assert_eq!(
            csv_header().join(","),
            "id,action,started_at,finished_at,status,account,caller_appid,mode,prefix,target_appid,errcode,\
             errmsg,explanation,error_kind,duration_ms,operator,app_version,demo,related_id,batch_id,conclusion,\
             verdict,rule_snapshot,chain_seq,hash"
        );
    }

    #[test]
    fn the_statements_name_each_written_field() {
        assert_eq!(
            insert_pending(),
            "INSERT INTO attempts (action, started_at, status, account_name, caller_appid, mode, prefix, \
             target_appid, operator, app_version, rule_snapshot, demo, related_id, batch_id, hash_version, owner) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
        );
        assert_eq!(
            update_finished(),
            "UPDATE attempts SET finished_at = ?2, status = ?3, errcode = ?4, errmsg = ?5, explanation = ?6, \
             error_kind = ?7, duration_ms = ?8, conclusion = ?9, verdict = ?10, chain_seq = ?11, hash = ?12 WHERE id = ?1"
        );
    }
}
