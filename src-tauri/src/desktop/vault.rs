//! The OS credential store behind `accounts::SecretVault`.

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
