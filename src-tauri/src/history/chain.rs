//! The tamper-evident chain: each completed record's hash covers its whole
//! content and the hash of the record completed before it.

use sha2::{Digest, Sha256};

use super::record::Record;

/// The hash that comes before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 over `previous` and every field of `record` except the hash.
/// Fields are length-prefixed so that no two records serialise alike.
pub fn hash(previous: &str, record: &Record) -> String {
    let mut hasher = Sha256::new();
    let mut field = |bytes: Option<&[u8]>| match bytes {
        None => hasher.update(b"N"),
        Some(bytes) => {
            hasher.update(b"S");
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        }
    };
    let int = |value: Option<i64>| value.map(|v| v.to_string());
    field(Some(previous.as_bytes()));
    field(Some(record.id.to_string().as_bytes()));
    field(Some(record.started_at.as_bytes()));
    field(record.finished_at.as_deref().map(str::as_bytes));
    field(Some(record.status.as_str().as_bytes()));
    field(Some(record.account_name.as_bytes()));
    field(record.caller_appid.as_deref().map(str::as_bytes));
    field(Some(record.mode.as_str().as_bytes()));
    field(Some(record.prefix.as_bytes()));
    field(record.target_appid.as_deref().map(str::as_bytes));
    field(int(record.errcode).as_deref().map(str::as_bytes));
    field(record.errmsg.as_deref().map(str::as_bytes));
    field(record.explanation.as_deref().map(str::as_bytes));
    field(record.error_kind.as_deref().map(str::as_bytes));
    field(int(record.duration_ms).as_deref().map(str::as_bytes));
    field(Some(record.operator.as_bytes()));
    field(Some(record.app_version.as_bytes()));
    field(record.rule_snapshot.as_deref().map(str::as_bytes));
    field(Some(if record.demo { b"1" } else { b"0" }));
    field(int(record.chain_seq).as_deref().map(str::as_bytes));
    let digest = hasher.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
