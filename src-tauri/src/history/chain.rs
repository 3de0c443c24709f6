//! The tamper-evident chain: each completed record's hash covers its
//! content and the hash of the record completed before it.
//!
//! The hash input is versioned. Each field (in `fields::FIELDS`) says from
//! which version on it is hashed: version 1 is the first release's record;
//! 2 added action, link and batch; 3 the conclusion of a check. A record
//! keeps the version it was chained with, so adding a field (with the next
//! version) never turns an old record into "altered".

use sha2::{Digest, Sha256};

use super::record::Record;

/// The hash that comes before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The version new records are chained with: the newest any field has.
pub const CURRENT: i64 = super::fields::newest_hash_version();

/// SHA-256 over `previous` and the fields `record.hash_version` covers.
/// Fields are length-prefixed so that no two records serialise alike.
pub fn hash(previous: &str, record: &Record) -> String {
    let mut hasher = Sha256::new();
    let mut field = |value: Option<&[u8]>| match value {
        None => hasher.update(b"N"),
        Some(bytes) => {
            hasher.update(b"S");
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        }
    };
    field(Some(previous.as_bytes()));
    for value in super::fields::hashed(record) {
        field(value.as_deref().map(str::as_bytes));
    }
    hex(&hasher.finalize())
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::record::Action;

    fn record(hash_version: i64) -> Record {
        Record { hash_version, ..crate::history::record::tests_support::sample() }
    }

    #[test]
    fn version_one_hashes_are_what_the_first_release_wrote() {
        // Computed by the first release's code (history/chain.rs at 0df0455..af0861d).
        assert_eq!(hash(GENESIS, &record(1)), hash_v1_reference(&record(1)));
    }

    #[test]
    fn fields_added_later_do_not_change_old_hashes_but_are_covered_by_new_ones() {
        let mut old = record(1);
        let before = hash(GENESIS, &old);
        old.batch_id = Some("b1".into());
        assert_eq!(hash(GENESIS, &old), before, "a v1 hash ignores fields it did not know");
        let mut new = record(CURRENT);
        let before = hash(GENESIS, &new);
        new.batch_id = Some("b1".into());
        assert_ne!(hash(GENESIS, &new), before);
        new.batch_id = None;
        new.action = Action::Restore;
        assert_ne!(hash(GENESIS, &new), before);
    }

    /// The first release's function, kept verbatim as the reference.
    fn hash_v1_reference(record: &Record) -> String {
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
        field(Some(GENESIS.as_bytes()));
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
        hex(&hasher.finalize())
    }
}
