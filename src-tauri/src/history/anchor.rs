//! An anchor for the chain outside the history file.
//!
//! The chain proves that no record was changed in place, but whoever can
//! write the file can also cut off its newest records, or rewrite the whole
//! chain (its hashes are not secret). So every CSV export writes, next to
//! the CSV, a manifest of the chain as it was at that moment: how many
//! records it held, the newest one's id and hash, and the CSV's SHA-256.
//! Checked later against that manifest, the history proves that nothing
//! which existed at export time has been changed or removed since.

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::record::Filter;
use super::{Error, Result, Verification, chain, export};

/// What the manifest's `format` field says.
const FORMAT: &str = "qrjump-history-export";

/// The manifest written beside an exported CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// UTC, RFC 3339.
    pub exported_at: String,
    /// The CSV's file name (it sits in the same folder).
    pub csv_file: String,
    pub csv_sha256: String,
    /// Records in the CSV (the export's filter applies).
    pub csv_records: u64,
    /// Completed (chained) records in the whole history at export time.
    pub chain_records: u64,
    /// The newest chained record then: its id and hash.
    pub last_id: Option<i64>,
    pub head_hash: String,
    /// The installation's signature of the chain's head at export time,
    /// when the history was signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_head: Option<super::signing::SignedHead>,
}

/// Where the manifest of the CSV at `csv` goes: `audit.csv` → `audit.csv.manifest.json`.
pub fn manifest_path(csv: &Path) -> PathBuf {
    let mut name = csv.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".manifest.json");
    csv.with_file_name(name)
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub records: u64,
    pub path: PathBuf,
    pub manifest: PathBuf,
}

/// Whether the CSV named in a manifest is still the one exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvCheck {
    Matches,
    Differs,
    /// Not found beside the manifest.
    Missing,
}

/// The history checked against an export's manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnchorReport {
    pub verification: Verification,
    pub exported_at: String,
    pub chain_records: u64,
    pub csv: CsvCheck,
    /// The manifest's signed head checked against the chain now.
    pub signing: super::signing::Signing,
}

/// Counts and hashes what passes through, to hash the CSV as it is written.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        Ok(written)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

pub(crate) fn export(
    conn: &Connection,
    filter: &Filter,
    path: &Path,
    signed_head: Option<super::signing::SignedHead>,
) -> Result<Exported> {
    // One read transaction: the chain head and the CSV's rows are the same
    // snapshot, whatever other processes write meanwhile.
    let tx = conn.unchecked_transaction()?;
    let (chain_records, head_hash) = super::chain_head(&tx)?;
    let last_id: Option<i64> =
        tx.query_row("SELECT id FROM attempts WHERE chain_seq = ?1", [chain_records], |row| row.get(0)).optional()?;
    // Written beside and renamed when whole: a failure leaves no truncated CSV.
    let file_error = |source| Error::ExportFile { path: path.to_owned(), source };
    let mut partial = crate::files::Partial::create(path).map_err(file_error)?;
    let mut hashing = Hashing { inner: partial.file(), hasher: Sha256::new() };
    let csv_records = export::write(&tx, filter, &mut hashing)?;
    let digest = hashing.hasher.finalize();
    partial.commit().map_err(file_error)?;
    tx.finish()?;
    let manifest = Manifest {
        format: FORMAT.into(),
        version: 1,
        exported_at: super::now_utc(),
        csv_file: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        csv_sha256: chain::hex(&digest),
        csv_records,
        chain_records: chain_records as u64,
        last_id,
        head_hash,
        signed_head,
    };
    let manifest_file = manifest_path(path);
    let json = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
    // Never a half-written manifest.
    crate::files::write_replacing(&manifest_file, &json)?;
    Ok(Exported { records: csv_records, path: path.to_owned(), manifest: manifest_file })
}

/// Reads a manifest, refusing anything that is not one.
pub fn read_manifest(path: &Path) -> Result<Manifest> {
    let bad = |problem: String| Error::Manifest { path: path.to_owned(), problem };
    // A manifest is a few hundred bytes.
    let bytes = crate::files::read_capped(path, 1 << 20).map_err(|e| bad(e.to_string()))?;
    let manifest: Manifest =
        serde_json::from_slice(&bytes).map_err(|e| bad(format!("not an export manifest of QR Jump Admin ({e})")))?;
    if manifest.format != FORMAT || manifest.version != 1 {
        return Err(bad(format!("unknown manifest format {:?} version {}", manifest.format, manifest.version)));
    }
    Ok(manifest)
}

pub(crate) fn verify_against(
    conn: &Connection,
    verified: Verification,
    path: &Path,
    installation: &str,
    expected_key: Option<&str>,
) -> Result<AnchorReport> {
    let manifest = read_manifest(path)?;
    let (head, _) = super::chain_head(conn)?;
    let hash_at = |seq: i64| super::hash_at(conn, seq).ok().flatten();
    let signing =
        super::signing::check(manifest.signed_head.clone().map(Ok), installation, head, hash_at, expected_key);
    let verification = match verified {
        Verification::Intact { records } => {
            let expected = manifest.chain_records;
            let head: Option<(i64, String)> = conn
                .query_row("SELECT id, hash FROM attempts WHERE chain_seq = ?1", [expected as i64], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .optional()?;
            match head {
                _ if expected == 0 => Verification::Intact { records },
                None => Verification::Truncated { expected, found: records },
                // The chain verified, so the head's hash covers every record
                // before it: equal hashes mean all of them are as exported.
                Some((id, hash)) if Some(id) == manifest.last_id && hash == manifest.head_hash => {
                    Verification::Intact { records }
                }
                Some((id, _)) => Verification::Altered { id, checked: records },
            }
        }
        other => other,
    };
    let csv = path.with_file_name(&manifest.csv_file);
    // Hashed as it streams by: an export of a million records is not held in memory.
    let csv = match std::fs::File::open(&csv).and_then(|file| {
        let mut hashing = Hashing { inner: std::io::sink(), hasher: Sha256::new() };
        std::io::copy(&mut std::io::BufReader::with_capacity(1 << 16, file), &mut hashing)?;
        Ok(hashing.hasher.finalize())
    }) {
        Ok(digest) if chain::hex(&digest) == manifest.csv_sha256 => CsvCheck::Matches,
        Ok(_) => CsvCheck::Differs,
        Err(_) => CsvCheck::Missing,
    };
    Ok(AnchorReport {
        verification,
        exported_at: manifest.exported_at,
        chain_records: manifest.chain_records,
        csv,
        signing,
    })
}
