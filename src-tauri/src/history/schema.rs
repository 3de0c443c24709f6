//! The schema and its migrations. `PRAGMA user_version` holds the version;
//! each step upgrades a file of the version before it in place.

use rusqlite::Connection;

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

/// Version 2: rule snapshot, demo flag, hash chain, append-only triggers,
/// review indexes and the text-search index.
const V2: &str = "
ALTER TABLE attempts ADD COLUMN rule_snapshot TEXT;
ALTER TABLE attempts ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN chain_seq INTEGER;
ALTER TABLE attempts ADD COLUMN hash TEXT;
-- Which running app wrote a pending record (see History::recover_pending).
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

/// Triggers created after the chain of old records is filled in.
const V2_TRIGGERS: &str = "
-- The audit log is append-only: a completed record never changes, no record
-- is ever removed, and completing a pending record keeps what it started with.
CREATE TRIGGER attempts_no_delete BEFORE DELETE ON attempts BEGIN
    SELECT RAISE(ABORT, 'history records cannot be deleted');
END;
CREATE TRIGGER attempts_no_update BEFORE UPDATE ON attempts
WHEN old.status <> 'pending'
  OR new.id IS NOT old.id OR new.started_at IS NOT old.started_at OR new.prefix IS NOT old.prefix
  OR new.mode IS NOT old.mode OR new.account_name IS NOT old.account_name OR new.caller_appid IS NOT old.caller_appid
  OR new.target_appid IS NOT old.target_appid OR new.operator IS NOT old.operator OR new.app_version IS NOT old.app_version
  OR new.demo IS NOT old.demo OR new.rule_snapshot IS NOT old.rule_snapshot OR new.owner IS NOT old.owner
BEGIN
    SELECT RAISE(ABORT, 'completed history records cannot be changed');
END;
";

pub const LATEST: i64 = 2;

/// Brings the database to the latest version. Each step runs in one
/// transaction, so a failed upgrade leaves the file as it was.
pub fn migrate(conn: &mut Connection) -> super::Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version < 1 {
        let tx = conn.transaction()?;
        tx.execute_batch(V1)?;
        tx.pragma_update(None, "user_version", 1)?;
        tx.commit()?;
    }
    if version < 2 {
        let tx = conn.transaction()?;
        tx.execute_batch(V2)?;
        // Chain the records the old version wrote, in the order they were made.
        super::chain_completed_unchained(&tx)?;
        tx.execute_batch(V2_TRIGGERS)?;
        tx.pragma_update(None, "user_version", 2)?;
        tx.commit()?;
    }
    Ok(())
}
