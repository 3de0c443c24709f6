//! The schema and its migrations. `PRAGMA user_version` holds the version;
//! each step upgrades a file of the version before it, in place.
//!
//! Several processes open the same file (the app and any number of
//! `qrjump` scripts), often at the same moment on a new machine: the
//! upgrade runs in one `BEGIN IMMEDIATE` transaction that reads the version
//! again inside it, so exactly one process upgrades and the others wait,
//! then find nothing left to do.

use rusqlite::{Connection, TransactionBehavior};

use super::{Error, chain, fields};

/// Version 1: the first release's table.
pub const V1: &str = "
CREATE TABLE attempts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'ok', 'failed', 'unknown')),
    account_name  TEXT NOT NULL,
    caller_appid  TEXT,
    mode          TEXT NOT NULL CHECK (mode IN ('ordinary', 'service_account')),
    prefix        TEXT NOT NULL,
    target_appid  TEXT,
    errcode       INTEGER,
    errmsg        TEXT,
    explanation   TEXT,
    error_kind    TEXT,
    duration_ms   INTEGER,
    operator      TEXT NOT NULL,
    app_version   TEXT NOT NULL
);
";

/// Version 2: rule snapshot, demo flag, hash chain, review indexes and the
/// text-search index.
const V2: &str = "
ALTER TABLE attempts ADD COLUMN rule_snapshot TEXT;
ALTER TABLE attempts ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN chain_seq INTEGER;
ALTER TABLE attempts ADD COLUMN hash TEXT;
-- Which running process wrote a pending record (see History::recover_pending).
ALTER TABLE attempts ADD COLUMN owner TEXT;

CREATE UNIQUE INDEX attempts_chain ON attempts (chain_seq);
CREATE INDEX attempts_status ON attempts (status, id);
CREATE INDEX attempts_mode ON attempts (mode, id);
CREATE INDEX attempts_account ON attempts (account_name, id);
CREATE INDEX attempts_started ON attempts (started_at);

-- Substring search on prefix / Mini Program AppID / errmsg (3+ characters).
CREATE VIRTUAL TABLE attempts_text USING fts5(
    prefix, target_appid, errmsg, content = 'attempts', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO attempts_text (attempts_text) VALUES ('rebuild');
CREATE TRIGGER attempts_text_insert AFTER INSERT ON attempts BEGIN
    INSERT INTO attempts_text (rowid, prefix, target_appid, errmsg) VALUES (new.id, new.prefix, new.target_appid, new.errmsg);
END;
CREATE TRIGGER attempts_text_update AFTER UPDATE ON attempts BEGIN
    INSERT INTO attempts_text (attempts_text, rowid, prefix, target_appid, errmsg) VALUES ('delete', old.id, old.prefix, old.target_appid, old.errmsg);
    INSERT INTO attempts_text (rowid, prefix, target_appid, errmsg) VALUES (new.id, new.prefix, new.target_appid, new.errmsg);
END;
";

/// Version 3: what was done (action), a link to a related record, a batch
/// id, and the version of the hash input each record was chained with
/// (older records keep 1, see `chain`).
const V3: &str = "
ALTER TABLE attempts ADD COLUMN action TEXT NOT NULL DEFAULT 'delete';
ALTER TABLE attempts ADD COLUMN related_id INTEGER;
ALTER TABLE attempts ADD COLUMN batch_id TEXT;
ALTER TABLE attempts ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX attempts_action ON attempts (action, id);
CREATE INDEX attempts_batch ON attempts (batch_id, id) WHERE batch_id IS NOT NULL;
CREATE INDEX attempts_related ON attempts (related_id) WHERE related_id IS NOT NULL;
";

/// Version 4: batches (what a batch was to do, before its first call, so
/// an interrupted one can be accounted for item by item), and the
/// conclusion of a check record ("gone" or "present").
const V4: &str = "
ALTER TABLE attempts ADD COLUMN conclusion TEXT;
CREATE TABLE batches (
    id            TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    -- The desktop app's account id, to resume with the same account.
    account_id    TEXT,
    account_name  TEXT NOT NULL,
    -- The calling account's AppID: a batch resumes only with the same account.
    caller_appid  TEXT,
    mode          TEXT NOT NULL CHECK (mode IN ('ordinary', 'service_account')),
    target_appid  TEXT,
    -- The rule list saved before the first delete.
    backup_path   TEXT,
    operator      TEXT NOT NULL,
    demo          INTEGER NOT NULL DEFAULT 0,
    -- Set when every item is accounted for, or the admin dismissed it.
    closed_at     TEXT
);
CREATE TABLE batch_items (
    batch_id      TEXT NOT NULL REFERENCES batches (id),
    position      INTEGER NOT NULL,
    prefix        TEXT NOT NULL,
    -- The rule as the list read at the start showed it.
    rule_snapshot TEXT,
    PRIMARY KEY (batch_id, position)
);
CREATE INDEX batches_open ON batches (closed_at) WHERE closed_at IS NULL;
";

/// Version 5: the team history's outbox. The history file is one
/// installation (the app and the scripts on its folder share it): its id
/// keys its records on the team's server, and `pushed_seq` is how far along
/// the chain they have arrived there.
const V5: &str = "
CREATE TABLE team_outbox (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    installation_id TEXT NOT NULL,
    pushed_seq      INTEGER NOT NULL DEFAULT 0,
    last_push_at    TEXT,
    last_error      TEXT
);
INSERT INTO team_outbox (id, installation_id) VALUES (1, lower(hex(randomblob(16))));
";

/// The append-only guards, created after every step (and after old
/// records are chained, which the guards would refuse). `{KEPT}` stands
/// for the columns a pending record starts with, which completing it must
/// not change (see [`guards`]).
const GUARDS: &str = "
DROP TRIGGER IF EXISTS attempts_no_delete;
DROP TRIGGER IF EXISTS attempts_no_update;
-- The audit log is append-only: a completed record never changes, no record
-- is ever removed, and completing a pending record keeps what it started with.
CREATE TRIGGER attempts_no_delete BEFORE DELETE ON attempts BEGIN
    SELECT RAISE(ABORT, 'history records cannot be deleted');
END;
CREATE TRIGGER attempts_no_update BEFORE UPDATE ON attempts
WHEN old.status <> 'pending'
{KEPT}
BEGIN
    SELECT RAISE(ABORT, 'completed history records cannot be changed');
END;
DROP TRIGGER IF EXISTS batch_items_no_change;
DROP TRIGGER IF EXISTS batch_items_no_delete;
DROP TRIGGER IF EXISTS batches_no_change;
DROP TRIGGER IF EXISTS batches_no_delete;
-- What a batch was to do is part of the record: only closing it may change.
CREATE TRIGGER batch_items_no_change BEFORE UPDATE ON batch_items BEGIN
    SELECT RAISE(ABORT, 'batch items cannot be changed');
END;
CREATE TRIGGER batch_items_no_delete BEFORE DELETE ON batch_items BEGIN
    SELECT RAISE(ABORT, 'batch items cannot be deleted');
END;
CREATE TRIGGER batches_no_delete BEFORE DELETE ON batches BEGIN
    SELECT RAISE(ABORT, 'batches cannot be deleted');
END;
CREATE TRIGGER batches_no_change BEFORE UPDATE ON batches
WHEN old.closed_at IS NOT NULL
  OR new.id IS NOT old.id OR new.created_at IS NOT old.created_at OR new.account_id IS NOT old.account_id
  OR new.account_name IS NOT old.account_name OR new.caller_appid IS NOT old.caller_appid OR new.mode IS NOT old.mode OR new.target_appid IS NOT old.target_appid
  OR new.backup_path IS NOT old.backup_path OR new.operator IS NOT old.operator OR new.demo IS NOT old.demo
BEGIN
    SELECT RAISE(ABORT, 'a batch can only be closed');
END;
";

/// The steps written out, in order: step `i` brings version `i` to `i + 1`.
const STEPS: &[&str] = &[V1, V2, V3, V4, V5];

/// The newest hash version whose fields the written steps add. Each later
/// hash version is a step of its own, derived from `fields::FIELDS`: it
/// adds the columns of the fields that version brought. A new version of
/// the file, so that an older app says "made by a newer version" rather
/// than taking the records it cannot hash for altered ones.
const HASHED_IN_STEPS: i64 = 3;

pub const LATEST: i64 = STEPS.len() as i64 + (chain::CURRENT - HASHED_IN_STEPS);

/// The guards, with the columns completing a record must keep: every field
/// written before the call (and the key, and the writer's mark).
fn guards() -> String {
    let kept: Vec<String> = fields::FIELDS
        .iter()
        .filter(|f| !f.written.finish)
        .map(|f| f.name)
        .chain(["owner"])
        .map(|name| format!("  OR new.{name} IS NOT old.{name}"))
        .collect();
    GUARDS.replace("{KEPT}", &kept.join("\n"))
}

/// Upgrades a file of `version` to the next one.
fn step(tx: &Connection, version: i64) -> rusqlite::Result<()> {
    if let Some(step) = STEPS.get(version as usize) {
        return tx.execute_batch(step);
    }
    let hash_version = HASHED_IN_STEPS + 1 + (version - STEPS.len() as i64);
    for field in fields::FIELDS.iter().filter(|f| f.hashed_since == Some(hash_version)) {
        let column = match field.kind {
            fields::Kind::Int => "INTEGER",
            fields::Kind::Text => "TEXT",
            fields::Kind::Bool => "INTEGER NOT NULL DEFAULT 0",
        };
        tx.execute_batch(&format!("ALTER TABLE attempts ADD COLUMN {} {column};", field.name))?;
    }
    Ok(())
}

/// The file's schema version.
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Brings the database to the latest version in one transaction, so a
/// failed upgrade leaves the file as it was.
pub fn migrate(conn: &mut Connection) -> super::Result<()> {
    // The common case, without taking the write lock.
    if version(conn)? == LATEST {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Read again under the lock: another process may have upgraded meanwhile.
    let found = version(&tx)?;
    if found < 0 {
        return Err(Error::BadSchema { found });
    }
    if found > LATEST {
        return Err(Error::NewerFile { found, supported: LATEST });
    }
    if found == LATEST {
        return Ok(());
    }
    for version in found..LATEST {
        step(&tx, version)?;
    }
    tx.execute_batch("DROP TRIGGER IF EXISTS attempts_no_delete; DROP TRIGGER IF EXISTS attempts_no_update;")?;
    // Chain the completed records an older version left unchained, in the
    // order they were made.
    super::chain_completed_unchained(&tx)?;
    tx.execute_batch(&guards())?;
    tx.pragma_update(None, "user_version", LATEST)?;
    tx.commit()?;
    Ok(())
}

/// Whether a file at `found` can be read by this version without upgrading.
pub fn check_readable(found: i64) -> super::Result<()> {
    match found {
        LATEST => Ok(()),
        negative if negative < 0 => Err(Error::BadSchema { found }),
        newer if newer > LATEST => Err(Error::NewerFile { found, supported: LATEST }),
        _ => Err(Error::NeedsUpgrade { found, latest: LATEST }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_negative_version_is_refused_in_words_not_a_panic() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", -3).unwrap();
        let error = migrate(&mut conn).unwrap_err();
        assert!(matches!(error, Error::BadSchema { found: -3 }), "{error}");
        assert!(error.to_string().contains("changed by another program"), "{error}");
        assert!(matches!(check_readable(-1), Err(Error::BadSchema { found: -1 })));
    }

    #[test]
    fn each_field_has_its_column_and_the_guards_keep_what_a_record_starts_with() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('attempts')")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for field in fields::FIELDS {
            assert!(columns.iter().any(|c| c == field.name), "{} has a column", field.name);
        }
        let guards = guards();
        assert!(
            guards.contains("OR new.started_at IS NOT old.started_at")
                && guards.contains("OR new.owner IS NOT old.owner")
        );
        assert!(!guards.contains("new.verdict"), "completing a record writes its verdict");
    }
}
