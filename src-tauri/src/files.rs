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

/// A file being written beside its final place (`name.partial`): it takes
/// the final name only on [`Partial::commit`], and is removed if dropped
/// before, so an export that fails half-way leaves no truncated file.
pub struct Partial {
    file: Option<std::fs::File>,
    partial: PathBuf,
    path: PathBuf,
}

impl Partial {
    pub fn create(path: &Path) -> std::io::Result<Partial> {
        let partial = partial_path(path);
        let file = std::fs::File::create(&partial)?;
        Ok(Partial { file: Some(file), partial, path: path.to_owned() })
    }

    /// The file to write to.
    pub fn file(&mut self) -> &mut std::fs::File {
        self.file.as_mut().expect("a Partial's file lives until commit") // ok: Some from `create` until `commit`, which takes `self`
    }

    /// Syncs the file and gives it its final name.
    pub fn commit(mut self) -> std::io::Result<()> {
        let file = self.file.take().expect("a Partial commits once"); // ok: only `commit` (taking `self`) and `drop` take it
        file.sync_all()?;
        drop(file);
        std::fs::rename(&self.partial, &self.path)
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if self.file.take().is_some() || self.partial.exists() {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

/// [`write_replacing`] for a file only this user may read (on Unix, mode
/// 0600 from its creation; on Windows the profile's folder already is).
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let partial = partial_path(path);
    let _ = std::fs::remove_file(&partial);
    let written = private_options().open(&partial).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    written.and_then(|()| std::fs::rename(&partial, path)).inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })
}

/// Options that create a new file readable and writable by this user only.
pub fn private_options() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Creates `dir` (and its parents) for the app's own data: on Unix the
/// folder is made readable by this user only (0700), as is an existing one
/// the app made before, since it holds the history and account settings.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        let existed = dir.is_dir();
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        if existed {
            let mode = std::fs::metadata(dir)?.permissions().mode();
            if mode & 0o077 != 0 {
                // Tighten only: a folder IT shared on purpose (group) is
                // left as it is when the owner is someone else.
                let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode & 0o700));
            }
        }
        Ok(())
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// The largest file a user hands the app (a rule backup, a list of printed
/// links, a manifest, an image): checked before it is read.
pub const MAX_INPUT_FILE: u64 = 64 << 20;

/// Reads `path` whole, refusing it (as `FileTooLarge`, an `InvalidData`
/// error that says so) when it is larger than `limit` bytes.
pub fn read_capped(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let declared = file.metadata()?.len();
    if declared > limit {
        return Err(too_large(limit));
    }
    let mut bytes = Vec::with_capacity(declared as usize);
    // A file that grows while read is cut at the limit, then refused.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

fn too_large(limit: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("larger than {} MB, the most this app reads", limit >> 20),
    )
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

    #[test]
    fn a_partial_file_takes_its_name_only_when_complete() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.csv");
        std::fs::write(&path, "the previous export").unwrap();
        {
            let mut partial = Partial::create(&path).unwrap();
            partial.file().write_all(b"half").unwrap();
            // Dropped: the export failed.
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "the previous export");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no partial file left");
        let mut partial = Partial::create(&path).unwrap();
        partial.file().write_all(b"whole").unwrap();
        partial.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "whole");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_past_the_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        std::fs::write(&path, vec![b'x'; 2048]).unwrap();
        assert_eq!(read_capped(&path, 2048).unwrap().len(), 2048);
        let error = read_capped(&path, 1024).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
        assert!(error.to_string().contains("larger than"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn private_files_and_folders_are_this_users_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("a/data");
        create_private_dir(&data).unwrap();
        assert_eq!(std::fs::metadata(&data).unwrap().permissions().mode() & 0o777, 0o700);
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        create_private_dir(&data).unwrap();
        assert_eq!(std::fs::metadata(&data).unwrap().permissions().mode() & 0o777, 0o700, "tightened");
        let file = data.join("x");
        write_private(&file, b"one").unwrap();
        write_private(&file, b"two").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"two");
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
