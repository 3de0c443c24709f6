//! Files the app replaces whole (settings, manifests, backups, the window's
//! place): through a temporary file synced and renamed into place, so a
//! crash never leaves half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Replaces `path` with `bytes`; on failure the temporary file is removed
/// and `path` is as it was.
pub fn write_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let partial = partial_path(path);
    let written = std::fs::File::create(&partial).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    written.and_then(|()| std::fs::rename(&partial, path)).inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })
}

/// `name.ext.partial` beside `path`.
fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_and_leaves_nothing_beside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        write_replacing(&path, b"one").unwrap();
        write_replacing(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // A folder that does not exist: an error, and no partial file.
        assert!(write_replacing(&dir.path().join("missing/x.json"), b"x").is_err());
    }
}
