//! The installation's key: an Ed25519 key pair whose private half lives in
//! the OS credential store, never in the data folder. It signs the local
//! chain's head (so a rewrite of the whole file by someone without the key
//! is seen) and each record's hash pushed to the team database (so a record
//! made by this installation can be told from one that only claims to be).
//!
//! The chain alone is unkeyed: anyone with the file can recompute every
//! hash. The signature is what a forger cannot recompute.

use std::path::Path;

use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

/// The file beside the history that holds the head's signature and the
/// public key (the private key is never here).
pub const SIGNATURE_FILE: &str = "history.signature.json";

/// What each kind of signed message starts with, so that a signature made
/// for one purpose cannot be replayed as another.
const HEAD: &str = "qrjump-chain-head/v1";
const RECORD: &str = "qrjump-record/v1";

/// The installation's signing key.
#[derive(Clone)]
pub struct InstallationKey(SigningKey);

impl std::fmt::Debug for InstallationKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "InstallationKey({})", self.public_hex())
    }
}

impl InstallationKey {
    /// A new key from the system's random source.
    pub fn generate() -> InstallationKey {
        InstallationKey(SigningKey::from_bytes(&rand::random::<[u8; 32]>()))
    }

    /// The key as kept in the credential store (hex of the 32 secret bytes).
    pub fn to_secret_hex(&self) -> String {
        hex::encode(self.0.to_bytes())
    }

    /// The key back from the credential store; `None` when it is not one.
    pub fn from_secret_hex(text: &str) -> Option<InstallationKey> {
        let bytes: [u8; 32] = hex::decode(text.trim()).ok()?.try_into().ok()?;
        Some(InstallationKey(SigningKey::from_bytes(&bytes)))
    }

    pub fn public_hex(&self) -> String {
        hex::encode(self.0.verifying_key().to_bytes())
    }

    fn sign(&self, message: &str) -> String {
        hex::encode(self.0.sign(message.as_bytes()).to_bytes())
    }

    /// Signs the chain's head: its position and hash in this installation.
    pub fn sign_head(&self, installation: &str, seq: i64, hash: &str) -> String {
        self.sign(&head_message(installation, seq, hash))
    }

    /// Signs one record's chain hash, as pushed to the team database.
    pub fn sign_record(&self, installation: &str, seq: i64, hash: &str) -> String {
        self.sign(&record_message(installation, seq, hash))
    }
}

fn head_message(installation: &str, seq: i64, hash: &str) -> String {
    format!("{HEAD}\n{installation}\n{seq}\n{hash}")
}

fn record_message(installation: &str, seq: i64, hash: &str) -> String {
    format!("{RECORD}\n{installation}\n{seq}\n{hash}")
}

fn verify(public_hex: &str, message: &str, signature_hex: &str) -> bool {
    let key: Option<[u8; 32]> = hex::decode(public_hex).ok().and_then(|b| b.try_into().ok());
    let signature: Option<[u8; 64]> = hex::decode(signature_hex).ok().and_then(|b| b.try_into().ok());
    let (Some(key), Some(signature)) = (key, signature) else { return false };
    let Ok(key) = VerifyingKey::from_bytes(&key) else { return false };
    key.verify(message.as_bytes(), &ed25519_dalek::Signature::from_bytes(&signature)).is_ok()
}

/// Whether `signature` is `public`'s signature of a pushed record.
pub fn verify_record(public: &str, installation: &str, seq: i64, hash: &str, signature: &str) -> bool {
    verify(public, &record_message(installation, seq, hash), signature)
}

/// The signed head, as kept beside the history and carried by manifests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedHead {
    pub installation_id: String,
    pub public_key: String,
    pub seq: i64,
    pub head_hash: String,
    pub signature: String,
}

impl SignedHead {
    pub fn new(key: &InstallationKey, installation: &str, seq: i64, hash: &str) -> SignedHead {
        SignedHead {
            installation_id: installation.to_owned(),
            public_key: key.public_hex(),
            seq,
            head_hash: hash.to_owned(),
            signature: key.sign_head(installation, seq, hash),
        }
    }

    /// Whether the signature is the public key's, over these very fields.
    pub fn is_genuine(&self) -> bool {
        verify(&self.public_key, &head_message(&self.installation_id, self.seq, &self.head_hash), &self.signature)
    }

    /// Reads the signature file of `data_dir`; `None` when there is none
    /// (or it cannot be read as one: the check then says so).
    pub fn read(data_dir: &Path) -> Option<Result<SignedHead, String>> {
        let path = data_dir.join(SIGNATURE_FILE);
        let bytes = match crate::files::read_capped(&path, 64 << 10) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => return Some(Err(e.to_string())),
        };
        Some(serde_json::from_slice(&bytes).map_err(|e| format!("not a signature file ({e})")))
    }

    pub fn write(&self, data_dir: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        crate::files::write_private(&data_dir.join(SIGNATURE_FILE), &json)
    }
}

/// What the signature says of the chain, beside [`super::Verification`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum Signing {
    /// No signature: no credential store held a key where records were made.
    Unsigned,
    /// The chain up to `seq` is as the installation's key signed it;
    /// `after` records were added since by a process without the key.
    Signed { seq: i64, after: u64 },
    /// The signature does not hold: the history was rewritten by someone
    /// without the key, or the signature file was replaced.
    Broken { reason: Broken },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Broken {
    /// The file is not a signature, or the signature is not its key's.
    BadSignature,
    /// Signed by another key than this installation's (from the store).
    OtherKey,
    /// Signed for another history file.
    OtherInstallation,
    /// The record at the signed position has another hash now, or is gone.
    Rewritten,
    /// This installation has a key, but the signature beside the history
    /// was removed.
    Missing,
}

/// Checks `signed` against the chain: `hash_at(seq)` is the hash recorded
/// at a position now, `head` the chain's length, `expected_key` the public
/// key of the key in the credential store (when this process can read it).
pub fn check(
    signed: Option<Result<SignedHead, String>>,
    installation: &str,
    head: i64,
    hash_at: impl Fn(i64) -> Option<String>,
    expected_key: Option<&str>,
) -> Signing {
    let signed = match signed {
        None => return Signing::Unsigned,
        Some(Err(_)) => return Signing::Broken { reason: Broken::BadSignature },
        Some(Ok(signed)) => signed,
    };
    if !signed.is_genuine() {
        return Signing::Broken { reason: Broken::BadSignature };
    }
    if signed.installation_id != installation {
        return Signing::Broken { reason: Broken::OtherInstallation };
    }
    if expected_key.is_some_and(|key| key != signed.public_key) {
        return Signing::Broken { reason: Broken::OtherKey };
    }
    let genesis = signed.seq == 0 && signed.head_hash == super::chain::GENESIS;
    if !genesis && hash_at(signed.seq).as_deref() != Some(signed.head_hash.as_str()) {
        return Signing::Broken { reason: Broken::Rewritten };
    }
    Signing::Signed { seq: signed.seq, after: (head - signed.seq).max(0) as u64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_head_verifies_and_a_changed_one_does_not() {
        let key = InstallationKey::generate();
        let head = SignedHead::new(&key, "inst", 7, "ab");
        assert!(head.is_genuine());
        assert!(!SignedHead { seq: 8, ..head.clone() }.is_genuine());
        assert!(!SignedHead { public_key: InstallationKey::generate().public_hex(), ..head.clone() }.is_genuine());
        let back = InstallationKey::from_secret_hex(&key.to_secret_hex()).unwrap();
        assert_eq!(back.public_hex(), key.public_hex());
        assert!(format!("{key:?}").contains(&key.public_hex()) && !format!("{key:?}").contains(&key.to_secret_hex()));
        // A record signature is not a head signature.
        let record = key.sign_record("inst", 7, "ab");
        assert!(verify_record(&key.public_hex(), "inst", 7, "ab", &record));
        assert!(!SignedHead { signature: record, ..head }.is_genuine());
    }

    #[test]
    fn the_check_names_what_broke() {
        let key = InstallationKey::generate();
        let signed = || Some(Ok(SignedHead::new(&key, "inst", 2, "h2")));
        let chain = |seq: i64| ["h1", "h2", "h3"].get(seq as usize - 1).map(|h| h.to_string());
        assert_eq!(check(signed(), "inst", 3, chain, None), Signing::Signed { seq: 2, after: 1 });
        assert_eq!(check(None, "inst", 3, chain, None), Signing::Unsigned);
        let rewritten = |seq: i64| Some(format!("x{seq}"));
        assert_eq!(check(signed(), "inst", 3, rewritten, None), Signing::Broken { reason: Broken::Rewritten });
        assert_eq!(check(signed(), "other", 3, chain, None), Signing::Broken { reason: Broken::OtherInstallation });
        let stranger = InstallationKey::generate().public_hex();
        assert_eq!(check(signed(), "inst", 3, chain, Some(&stranger)), Signing::Broken { reason: Broken::OtherKey });
        assert_eq!(
            check(Some(Err("x".into())), "inst", 3, chain, None),
            Signing::Broken { reason: Broken::BadSignature }
        );
    }
}
