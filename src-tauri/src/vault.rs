//! The OS credential store behind `accounts::SecretVault`, for the desktop
//! app and the command line alike (built with the `desktop` feature, which
//! brings the `keyring` crate).

use crate::accounts::SecretVault;
use crate::wechat::Secret;

const SERVICE: &str = "com.qrjump.admin";

pub struct KeyringVault;

impl SecretVault for KeyringVault {
    fn set(&mut self, id: &str, secret: &Secret) -> Result<(), String> {
        keyring::Entry::new(SERVICE, id)
            .and_then(|entry| entry.set_password(secret.expose()))
            .map_err(|e| e.to_string())
    }

    fn get(&self, id: &str) -> Option<Secret> {
        keyring::Entry::new(SERVICE, id).ok()?.get_password().ok().map(Secret::new)
    }

    fn delete(&mut self, id: &str) {
        if let Ok(entry) = keyring::Entry::new(SERVICE, id) {
            let _ = entry.delete_credential();
        }
    }
}

/// Whether a credential store answers. Asked on a thread with a time
/// limit: a half-configured Secret Service can otherwise stall start-up.
pub fn keyring_available() -> bool {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let answer = keyring::Entry::new(SERVICE, "availability-probe").map(|entry| entry.get_password());
        let available = matches!(answer, Ok(Ok(_)) | Ok(Err(keyring::Error::NoEntry)));
        let _ = sender.send(available);
    });
    receiver.recv_timeout(std::time::Duration::from_secs(3)).unwrap_or(false)
}

// Windows always has its Credential Manager, so there the store is tested for
// real: `platform/windows_unit_tests.rs` runs this library's tests under Wine. (A Linux
// CI machine has no Secret Service session; the app then keeps secrets in
// memory, which the tests of `accounts` cover.)
#[cfg(all(test, windows))]
mod tests {
    use super::*;

    #[test]
    fn the_credential_manager_keeps_a_secret_until_it_is_deleted() {
        assert!(keyring_available(), "Windows' Credential Manager did not answer");
        let id = format!("vault-test-{}", std::process::id());
        let secret = Secret::new("密钥-TESTSECRET-0123456789abcdef");

        KeyringVault.set(&id, &secret).expect("store the secret");
        // Another vault (as after a restart) reads it from the store, not from memory.
        let read = KeyringVault.get(&id).expect("the secret is in the store");
        assert_eq!(read.expose(), secret.expose());

        KeyringVault.delete(&id);
        assert!(KeyringVault.get(&id).is_none(), "deleted from the store");
        // Deleting what is gone is no error: an account removed twice.
        KeyringVault.delete(&id);
    }
}
