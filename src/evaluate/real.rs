//! Sets of real scans on disk, with the families they are expected to form.

use std::io;
use std::path::{Path, PathBuf};

use super::{Expected, ExpectedFamily};
use crate::{Document, Error};

/// How a set's folder says which documents form a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SetLayout {
    /// `pages/FAMILY/*.txt`, one folder per family, and the clean text of a
    /// family (when known) in `truth/FAMILY.truth.txt`.
    Pages,
    /// `docs/CLUSTER__ID.txt`: the family is the file name's part before `__`
    /// (no truth text).
    Clusters,
}

/// A set of real scans: the documents read and the families expected.
#[derive(Debug)]
pub struct RealSet {
    /// The set's folder name.
    pub name: String,
    /// How its folder is laid out.
    pub layout: SetLayout,
    /// The documents read, sorted by id.
    pub documents: Vec<Document>,
    /// Files that could not be read (an empty OCR output, say), named.
    pub errors: Vec<Error>,
    /// The families expected.
    pub expected: Expected,
}

fn named(path: &Path, e: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{}: {e}", path.display()),
    )
}

impl RealSet {
    /// True if `dir` holds a set in one of the [`SetLayout`]s.
    pub fn is_set(dir: impl AsRef<Path>) -> bool {
        let dir = dir.as_ref();
        dir.join("pages").is_dir() || dir.join("docs").is_dir()
    }

    /// Read the set in `dir` (see [`SetLayout`]).
    ///
    /// # Errors
    /// `dir` holds no `pages/` or `docs/` folder, or a truth file cannot be
    /// read as UTF-8; each error names the path. Unreadable scans are not
    /// errors: they are listed in [`RealSet::errors`].
    pub fn read(dir: impl AsRef<Path>) -> io::Result<RealSet> {
        let dir = dir.as_ref();
        let name = dir
            .canonicalize()
            .unwrap_or_else(|_| dir.to_path_buf())
            .file_name()
            .map_or_else(
                || dir.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
        let (layout, root) = if dir.join("pages").is_dir() {
            (SetLayout::Pages, dir.join("pages"))
        } else if dir.join("docs").is_dir() {
            (SetLayout::Clusters, dir.join("docs"))
        } else {
            return Err(named(
                dir,
                "no pages/ or docs/ folder: not a set of real scans",
            ));
        };
        let loaded = crate::load([&root]);
        let mut families: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        let mut unread: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for d in &loaded.documents {
            let family =
                family_of(layout, &root, d.path(), d.id()).unwrap_or_else(|| d.id().into());
            families.entry(family).or_default().push(d.id().to_string());
        }
        // A file that exists but could not be read is a witness that read
        // nothing (and its family is expected even if no file was read).
        for e in &loaded.errors {
            let Some(p) = e.path() else { continue };
            let Some(stem) = p.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
                continue;
            };
            if let Some(f) = family_of(layout, &root, Some(p), &stem) {
                families.entry(f.clone()).or_default();
                unread.entry(f).or_default().push(stem);
            }
        }
        let mut expected = Expected::default();
        for (family, mut documents) in families {
            documents.sort();
            let mut ef = ExpectedFamily::new(family.clone(), documents);
            ef.unread = unread.remove(&family).unwrap_or_default();
            if layout == SetLayout::Pages {
                let path: PathBuf = dir.join("truth").join(format!("{family}.truth.txt"));
                if path.exists() {
                    let bytes = std::fs::read(&path).map_err(|e| named(&path, e))?;
                    let text = String::from_utf8(bytes).map_err(|e| named(&path, e))?;
                    ef.text = Some(text);
                }
            }
            expected.families.push(ef);
        }
        Ok(RealSet {
            name,
            layout,
            documents: loaded.documents,
            errors: loaded.errors,
            expected,
        })
    }
}

/// The family of the file at `path` (document id `id`): its folder under
/// `pages/`, or the part of its name before `__`. `None` for a file directly
/// under `pages/` or a name without `__`.
fn family_of(layout: SetLayout, root: &Path, path: Option<&Path>, id: &str) -> Option<String> {
    match layout {
        SetLayout::Pages => path
            .and_then(|p| p.strip_prefix(root).ok())
            .and_then(|rel| {
                let mut c = rel.components();
                let first = c.next()?;
                c.next()?;
                Some(first.as_os_str().to_string_lossy().into_owned())
            }),
        SetLayout::Clusters => id.split_once("__").map(|(c, _)| c.to_string()),
    }
}
