//! Errors: every one names the file (or directory) it is about.

use std::fmt;
use std::path::{Path, PathBuf};

/// An error from loading or reconciling scans.
///
/// Its [`Display`](fmt::Display) is one line a user can act on, and names the
/// file or directory concerned when there is one.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    path: Option<PathBuf>,
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file or directory could not be read.
    Io(std::io::Error),
    /// The file holds no text (it is empty or only whitespace).
    Empty,
    /// The file looks like binary data, not text (it holds NUL or other
    /// control bytes at `offset`).
    Binary {
        /// Byte offset of the first control byte found.
        offset: usize,
    },
    /// The file is neither UTF-8 (with or without BOM), UTF-16 with a BOM,
    /// nor GB18030/GBK; `offset` is the first byte that is not valid UTF-8.
    Encoding {
        /// Byte offset of the first byte that is not valid UTF-8.
        offset: usize,
    },
    /// A directory held no `*.txt` files.
    NoDocuments,
    /// Two documents were given the same id.
    DuplicateId(String),
    /// The file is larger than the 4 GiB a document may hold (offsets are
    /// 32-bit), or its text is, once decoded to UTF-8.
    TooLarge {
        /// The file's size in bytes, or its decoded text's when that is larger.
        bytes: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// [`crate::Reconciler::reconcile`] was given no documents.
    NothingToReconcile,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, path: Option<&Path>) -> Error {
        Error {
            kind,
            path: path.map(Path::to_path_buf),
        }
    }

    pub(crate) fn io(err: std::io::Error, path: &Path) -> Error {
        Error::new(ErrorKind::Io(err), Some(path))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The file or directory the error is about, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}: ", path.display())?;
        }
        match &self.kind {
            ErrorKind::Io(err) => write!(f, "{err}"),
            ErrorKind::Empty => write!(f, "file holds no text (empty or only whitespace)"),
            ErrorKind::Binary { offset } => {
                write!(
                    f,
                    "looks like binary data, not text (control byte at offset {offset})"
                )
            }
            ErrorKind::Encoding { offset } => write!(
                f,
                "not UTF-8, UTF-16 with BOM, or GB18030 (first invalid byte at offset {offset})"
            ),
            ErrorKind::NoDocuments => write!(f, "no *.txt files found"),
            ErrorKind::DuplicateId(id) => write!(f, "two documents share the id {id:?}"),
            ErrorKind::TooLarge { bytes, limit } => {
                write!(
                    f,
                    "file is (or decodes to) {bytes} bytes, over the limit of {limit} bytes"
                )
            }
            ErrorKind::NothingToReconcile => write!(f, "no documents to reconcile"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io(err) => Some(err),
            _ => None,
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
