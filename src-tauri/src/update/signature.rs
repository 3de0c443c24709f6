//! Minisign keys and signatures as Tauri's updater writes them: the key and
//! each `.sig` file are base64 of minisign's text files. Checked with
//! `minisign-verify`, the verifier Tauri's own updater plugin uses.

use base64::Engine;

use super::Error;

/// The public key the app trusts, and the key id that names it.
pub struct TrustedKey {
    key: minisign_verify::PublicKey,
    id: [u8; 8],
}

/// A release's signature, its key id read before anything is downloaded.
#[derive(Clone)]
pub struct Signed {
    signature: minisign_verify::Signature,
    id: [u8; 8],
}

impl std::fmt::Debug for Signed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signed(key {})", shown(&self.id))
    }
}

/// A key id as minisign prints it (`minisign public key: 4299C29A7F4CEBE8`):
/// the bytes in reverse order.
fn shown(id: &[u8; 8]) -> String {
    id.iter().rev().map(|b| format!("{b:02X}")).collect()
}

/// The text of a minisign file given as base64 (Tauri's form).
fn unwrap_base64(text: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(text.trim()).ok()?;
    String::from_utf8(bytes).ok()
}

/// The key id in the second line of a minisign file: the bytes after the
/// two of the algorithm.
fn key_id(text: &str, len: usize) -> Option<[u8; 8]> {
    let line = text.lines().nth(1)?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(line.trim()).ok()?;
    if bytes.len() != len {
        return None;
    }
    bytes.get(2..10)?.try_into().ok()
}

impl TrustedKey {
    /// A key as in `tauri.conf.json` (`plugins.updater.pubkey`).
    pub fn parse(base64: &str) -> Result<TrustedKey, Error> {
        let text = unwrap_base64(base64).ok_or(Error::NoTrustedKey)?;
        let key = minisign_verify::PublicKey::decode(&text).map_err(|_| Error::NoTrustedKey)?;
        let id = key_id(&text, 42).ok_or(Error::NoTrustedKey)?;
        Ok(TrustedKey { key, id })
    }

    /// The key built into this program: `QRJUMP_UPDATER_PUBKEY` when it was
    /// set at build time, else `tauri.conf.json`'s (build.rs chooses).
    /// Debug builds, which the tests run, also take it from the environment.
    pub fn built_in() -> Result<TrustedKey, Error> {
        let from_env = if cfg!(debug_assertions) { std::env::var("QRJUMP_UPDATER_PUBKEY").ok() } else { None };
        match from_env {
            Some(key) => TrustedKey::parse(&key),
            None => TrustedKey::parse(env!("QRJUMP_TRUSTED_UPDATER_KEY")),
        }
    }

    /// Reads a release's signature: it must be minisign's and made by this key.
    pub fn signature(&self, base64: &str) -> Result<Signed, Error> {
        let text = unwrap_base64(base64).ok_or(Error::SignatureUnreadable)?;
        let signature = minisign_verify::Signature::decode(&text).map_err(|_| Error::SignatureUnreadable)?;
        let id = key_id(&text, 74).ok_or(Error::SignatureUnreadable)?;
        if id != self.id {
            return Err(Error::OtherKey { signed_by: shown(&id), trusted: shown(&self.id) });
        }
        Ok(Signed { signature, id })
    }

    /// Whether `bytes` are what was signed.
    pub fn verify(&self, bytes: &[u8], signed: &Signed) -> Result<(), Error> {
        self.key.verify(bytes, &signed.signature, true).map_err(|_| Error::Tampered)
    }
}
