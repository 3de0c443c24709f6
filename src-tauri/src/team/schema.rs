//! The team database's schema and its migrations, versioned like the local
//! file's: `qrjump_schema` holds the version, each step upgrades the one
//! before, and all run in one transaction under an advisory lock, so two
//! desktops connecting at once take turns and the second finds nothing to do.

use super::{Error, Result};
use crate::history::fields::{FIELDS, Kind};

/// Version 1: the records, keyed by installation and local id, each
/// installation's chain stored with them; append-only by triggers.
const V1: &str = "
CREATE TABLE qrjump_records (
    installation_id text    NOT NULL,
    local_id        bigint  NOT NULL,
    -- The computer that pushed it (its name, for the auditor; not hashed).
    computer        text    NOT NULL,
    action          text    NOT NULL,
    started_at      text    NOT NULL,
    finished_at     text,
    status          text    NOT NULL,
    account_name    text    NOT NULL,
    caller_appid    text,
    mode            text    NOT NULL,
    prefix          text    NOT NULL,
    target_appid    text,
    errcode         bigint,
    errmsg          text,
    explanation     text,
    error_kind      text,
    duration_ms     bigint,
    operator        text    NOT NULL,
    app_version     text    NOT NULL,
    rule_snapshot   text,
    demo            boolean NOT NULL,
    related_id      bigint,
    batch_id        text,
    conclusion      text,
    chain_seq       bigint  NOT NULL,
    hash_version    integer NOT NULL,
    hash            text    NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (installation_id, local_id),
    UNIQUE (installation_id, chain_seq)
);

CREATE FUNCTION qrjump_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the team history is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$;
CREATE TRIGGER qrjump_records_no_change BEFORE UPDATE OR DELETE ON qrjump_records
    FOR EACH ROW EXECUTE FUNCTION qrjump_append_only();
CREATE TRIGGER qrjump_records_no_truncate BEFORE TRUNCATE ON qrjump_records
    FOR EACH STATEMENT EXECUTE FUNCTION qrjump_append_only();
";

/// Version 2: the review's indexes: newest first across computers, the
/// filters, and trigram indexes for substring search (pg_trgm, a trusted
/// extension the database's owner may create).
const V2: &str = "
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX qrjump_records_newest ON qrjump_records (started_at DESC, installation_id DESC, local_id DESC);
CREATE INDEX qrjump_records_status ON qrjump_records (status, started_at DESC);
CREATE INDEX qrjump_records_account ON qrjump_records (account_name, started_at DESC);
CREATE INDEX qrjump_records_operator ON qrjump_records (operator, started_at DESC);
CREATE INDEX qrjump_records_computer ON qrjump_records (computer, started_at DESC);
CREATE INDEX qrjump_records_prefix_text ON qrjump_records USING gin (prefix gin_trgm_ops);
CREATE INDEX qrjump_records_appid_text ON qrjump_records USING gin (target_appid gin_trgm_ops);
CREATE INDEX qrjump_records_errmsg_text ON qrjump_records USING gin (errmsg gin_trgm_ops);
";

/// Version 3 (issue 24): each installation's public key, registered with
/// its first signed push and pinned from then on; each record's signature
/// of its hash by that key; and the conflicts pushes met (a row already
/// there under the same installation and number, with another hash).
/// Desktops push with a role that may only INSERT and SELECT (see the
/// README); the tables are append-only for everyone else too.
const V3: &str = "
ALTER TABLE qrjump_records ADD COLUMN signature text;
CREATE TABLE qrjump_installations (
    installation_id text PRIMARY KEY,
    public_key      text NOT NULL,
    computer        text NOT NULL,
    registered_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER qrjump_installations_no_change BEFORE UPDATE OR DELETE ON qrjump_installations
    FOR EACH ROW EXECUTE FUNCTION qrjump_append_only();
CREATE TABLE qrjump_conflicts (
    installation_id text   NOT NULL,
    local_id        bigint NOT NULL,
    chain_seq       bigint NOT NULL,
    pushed_hash     text   NOT NULL,
    stored_hash     text   NOT NULL,
    computer        text   NOT NULL,
    noted_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (installation_id, local_id, pushed_hash)
);
CREATE TRIGGER qrjump_conflicts_no_change BEFORE UPDATE OR DELETE ON qrjump_conflicts
    FOR EACH ROW EXECUTE FUNCTION qrjump_append_only();
";

/// The steps written out, in order: step `i` brings version `i` to `i + 1`.
const STEPS: &[&str] = &[V1, V2, V3];

/// The newest hash version whose fields the written steps add; each later
/// one is a step of its own that adds the columns of the fields it brought
/// (as the local file's schema does, `history::schema`).
const HASHED_IN_STEPS: i64 = 3;

pub const LATEST: i32 = STEPS.len() as i32 + (crate::history::fields::newest_hash_version() - HASHED_IN_STEPS) as i32;

/// The SQL that upgrades a database of `version` to the next one.
fn step(version: i32) -> String {
    if let Some(step) = STEPS.get(version as usize) {
        return (*step).to_owned();
    }
    let hash_version = HASHED_IN_STEPS + 1 + i64::from(version - STEPS.len() as i32);
    FIELDS
        .iter()
        .filter(|f| f.hashed_since == Some(hash_version))
        .map(|field| {
            let column = match field.kind {
                Kind::Int => "bigint",
                Kind::Text => "text",
                Kind::Bool => "boolean NOT NULL DEFAULT false",
            };
            format!("ALTER TABLE qrjump_records ADD COLUMN {} {column};\n", field.name)
        })
        .collect()
}

/// Any fixed number: the lock every QR Jump Admin takes to migrate.
const MIGRATION_LOCK: i64 = 0x5152_4a55_4d50; // "QRJUMP"

pub(super) async fn migrate(client: &mut tokio_postgres::Client) -> Result<()> {
    // The common case without a lock or a write.
    if let Some(found) = version(client).await? {
        check(found)?;
        if found == LATEST {
            return Ok(());
        }
    }
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS qrjump_schema (version integer NOT NULL)").await?;
    let found: Option<i32> = tx.query_opt("SELECT version FROM qrjump_schema", &[]).await?.map(|row| row.get(0));
    let found = found.unwrap_or(0);
    check(found)?;
    for version in found..LATEST {
        tx.batch_execute(&step(version)).await?;
    }
    if found == 0 {
        tx.execute("INSERT INTO qrjump_schema (version) VALUES ($1)", &[&LATEST]).await?;
    } else {
        tx.execute("UPDATE qrjump_schema SET version = $1", &[&LATEST]).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The server's schema version, None before the first desktop set it up.
pub(super) async fn version(client: &tokio_postgres::Client) -> Result<Option<i32>> {
    let exists: bool = client.query_one("SELECT to_regclass('qrjump_schema') IS NOT NULL", &[]).await?.get(0);
    if !exists {
        return Ok(None);
    }
    Ok(client.query_opt("SELECT version FROM qrjump_schema", &[]).await?.map(|row| row.get(0)))
}

fn check(found: i32) -> Result<()> {
    match found {
        negative if negative < 0 => Err(Error::BadSchema { found }),
        newer if newer > LATEST => Err(Error::NewerSchema { found, supported: LATEST }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_no_app_writes_is_refused_in_words() {
        assert!(matches!(check(-1), Err(Error::BadSchema { found: -1 })));
        assert!(matches!(check(LATEST + 1), Err(Error::NewerSchema { .. })));
        assert!(check(0).is_ok() && check(LATEST).is_ok());
    }

    #[test]
    fn hash_versions_after_the_written_steps_add_their_fields_columns() {
        assert_eq!(step(3), "ALTER TABLE qrjump_records ADD COLUMN verdict text;\n");
    }
}
