//! Where secrets are kept: the OS credential store behind [`SecretVault`]
//! (`crate::vault` on the desktop), or memory only for this session.

use std::collections::HashMap;

use serde::Serialize;

use crate::wechat::Secret;

/// Where an account's secret is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretStorage {
    Keyring,
    /// No credential store: kept until the app closes.
    Session,
    /// Not known in this session (store unavailable after a restart).
    Missing,
}

/// Where secrets go. The real one is the OS credential store; tests and
/// machines without one use memory only.
pub trait SecretVault: Send {
    fn set(&mut self, id: &str, secret: &Secret) -> Result<(), String>;
    fn get(&self, id: &str) -> Option<Secret>;
    fn delete(&mut self, id: &str);
}

/// Memory only: where no credential store is available.
#[derive(Default)]
pub struct MemoryVault(HashMap<String, Secret>);

impl SecretVault for MemoryVault {
    fn set(&mut self, _: &str, _: &Secret) -> Result<(), String> {
        // Refusing sends the secret to the session map, which the UI
        // reports as "kept for this session only".
        Err("no credential store".into())
    }
    fn get(&self, id: &str) -> Option<Secret> {
        self.0.get(id).cloned()
    }
    fn delete(&mut self, id: &str) {
        self.0.remove(id);
    }
}

/// [`AccountStore::installation_key`] on any vault (the CLI has no store
/// of accounts): the key, and whether the store held it before.
pub fn installation_key(
    vault: &mut dyn SecretVault,
    installation: &str,
) -> Option<(crate::history::signing::InstallationKey, bool)> {
    use crate::history::signing::InstallationKey;
    let id = format!("installation-key-{installation}");
    if let Some(kept) = vault.get(&id) {
        return InstallationKey::from_secret_hex(kept.expose()).map(|key| (key, true));
    }
    let key = InstallationKey::generate();
    vault.set(&id, &Secret::new(key.to_secret_hex())).ok()?;
    // Read back: a store that accepts and forgets would sign with a key
    // nobody can use again.
    let kept = vault.get(&id)?;
    InstallationKey::from_secret_hex(kept.expose())
        .filter(|k| k.public_hex() == key.public_hex())
        .map(|key| (key, false))
}
