//! The codes an account has printed: the links on its stickers, packaging
//! and posters, as the print shop's spreadsheet, a text file or a folder of
//! scans gives them. Kept per account in `printed-codes.json`, so a delete's
//! confirmation can count the printed codes it breaks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::qr_image::{self, ImageError};

const FILE: &str = "printed-codes.json";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: cannot read it: {source}", .path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}: no link (scheme://host/…) in it", .path.display())]
    NoLinks { path: PathBuf },
    #[error(transparent)]
    Image(#[from] ImageError),
    #[error("{}: cannot save the printed codes: {source}", .path.display())]
    Save { path: PathBuf, source: std::io::Error },
}

/// One account's printed codes and where they came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrintedList {
    pub links: Vec<String>,
    /// The file or folder they were read from, as the admin chose it.
    pub source: String,
    /// UTC, RFC 3339.
    pub imported_at: String,
}

/// Links read from a folder of images, and the images that gave none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct FolderRead {
    pub links: Vec<String>,
    pub images: usize,
    /// File names of images with no QR code found in them.
    pub without_code: Vec<String>,
    /// File names of files that are not images this app can read.
    pub unreadable: Vec<String>,
}

/// The links in a text or CSV file's contents: every line (text) or every
/// field (CSV) holding `://`, once each, in order. Headers and other columns
/// (a store number, a product name) are passed over.
pub fn links_in(text: &str, is_csv: bool) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut found: Vec<String> = Vec::new();
    // A set beside the list: a print shop's file may hold 100,000 links.
    let mut seen = std::collections::HashSet::new();
    let mut keep = |field: &str| {
        let field = field.trim();
        if field.contains("://") && !field.contains(char::is_whitespace) && seen.insert(field.to_owned()) {
            found.push(field.to_owned());
        }
    };
    if is_csv {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        for record in reader.records().flatten() {
            record.iter().for_each(&mut keep);
        }
    } else {
        text.lines().for_each(keep);
    }
    found
}

/// The links in the text or CSV file at `path`.
pub fn links_in_file(path: &Path) -> Result<Vec<String>, Error> {
    let bytes = crate::files::read_capped(path, crate::files::MAX_INPUT_FILE)
        .map_err(|source| Error::Read { path: path.to_owned(), source })?;
    let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let links = links_in(&String::from_utf8_lossy(&bytes), is_csv);
    if links.is_empty() {
        return Err(Error::NoLinks { path: path.to_owned() });
    }
    Ok(links)
}

/// The links in every PNG or JPEG image directly in `dir`, by file name.
pub fn links_in_folder(dir: &Path) -> Result<FolderRead, Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read { path: dir.to_owned(), source })?;
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file()
                && path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| ["png", "jpg", "jpeg"].iter().any(|known| e.eq_ignore_ascii_case(known)))
        })
        .collect();
    paths.sort();
    let mut read =
        FolderRead { links: Vec::new(), images: paths.len(), without_code: Vec::new(), unreadable: Vec::new() };
    let mut seen = std::collections::HashSet::new();
    for path in &paths {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        match qr_image::read_codes(path) {
            Ok(codes) if codes.is_empty() => read.without_code.push(name),
            Ok(codes) => {
                for code in codes {
                    if seen.insert(code.clone()) {
                        read.links.push(code);
                    }
                }
            }
            Err(ImageError::Format { .. } | ImageError::TooLarge { .. }) => read.unreadable.push(name),
            Err(error) => return Err(error.into()),
        }
    }
    if read.links.is_empty() {
        return Err(Error::NoLinks { path: dir.to_owned() });
    }
    Ok(read)
}

/// Every account's printed codes, in the data folder.
pub struct PrintedCodes {
    path: PathBuf,
}

impl PrintedCodes {
    pub fn new(data_dir: &Path) -> PrintedCodes {
        PrintedCodes { path: data_dir.join(FILE) }
    }

    /// Every account's list, by account id (none yet: empty).
    pub fn all(&self) -> Result<BTreeMap<String, PrintedList>, Error> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| Error::Read { path: self.path.clone(), source: std::io::Error::other(e) }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(source) => Err(Error::Read { path: self.path.clone(), source }),
        }
    }

    /// The account's printed links (none: empty).
    pub fn links(&self, account_id: &str) -> Result<Vec<String>, Error> {
        Ok(self.all()?.remove(account_id).map(|list| list.links).unwrap_or_default())
    }

    /// Replaces the account's list (`None`: forgets it).
    pub fn set(&self, account_id: &str, list: Option<PrintedList>) -> Result<(), Error> {
        let mut all = self.all()?;
        match list {
            Some(list) => all.insert(account_id.to_owned(), list),
            None => all.remove(account_id),
        };
        let json = serde_json::to_vec_pretty(&all).map_err(std::io::Error::other);
        json.and_then(|json| crate::files::write_replacing(&self.path, &json))
            .map_err(|source| Error::Save { path: self.path.clone(), source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_from_text_and_from_a_print_shops_csv() {
        let text =
            "https://s.example.com/qr/1\n\n  https://s.example.com/qr/2  \nnot a link\nhttps://s.example.com/qr/1\n";
        assert_eq!(links_in(text, false), ["https://s.example.com/qr/1", "https://s.example.com/qr/2"]);
        let csv = "\u{feff}store,link,product\n07,https://s.example.com/qr/7?a=1,\"tea, green\"\n08,\"https://s.example.com/qr/8?a=1,2\",cake\n";
        assert_eq!(links_in(csv, true), ["https://s.example.com/qr/7?a=1", "https://s.example.com/qr/8?a=1,2"]);
    }

    #[test]
    fn lists_are_kept_per_account() {
        let dir = tempfile::tempdir().unwrap();
        let store = PrintedCodes::new(dir.path());
        assert!(store.links("a").unwrap().is_empty());
        let list = |links: &[&str]| PrintedList {
            links: links.iter().map(|l| l.to_string()).collect(),
            source: "codes.csv".into(),
            imported_at: "2026-11-29T00:00:00Z".into(),
        };
        store.set("a", Some(list(&["https://a.example.com/1"]))).unwrap();
        store.set("b", Some(list(&["https://b.example.com/1", "https://b.example.com/2"]))).unwrap();
        assert_eq!(store.links("b").unwrap().len(), 2);
        store.set("a", None).unwrap();
        assert!(store.links("a").unwrap().is_empty());
        assert_eq!(PrintedCodes::new(dir.path()).all().unwrap().len(), 1);
    }

    #[test]
    fn a_file_without_links_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.txt");
        std::fs::write(&path, "store 7\nstore 8\n").unwrap();
        assert!(matches!(links_in_file(&path), Err(Error::NoLinks { .. })));
        assert!(matches!(links_in_folder(dir.path()), Err(Error::NoLinks { .. })));
    }
}
