//! Shared checks for the integration tests: the invariants of DESIGN.md,
//! recomputed independently of the library.
#![allow(dead_code)]

use std::collections::BTreeMap;

use reprint::{Document, Reconciliation};
use unicode_normalization::UnicodeNormalization;

/// The folded view, computed here independently: NFKC, lower case, no
/// whitespace or invisible format characters.
pub fn fold(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|&c| {
            !(c.is_whitespace()
                || matches!(
                    c,
                    '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
                )
                || (c.is_control() && c != '\u{FFFD}'))
        })
        .collect()
}

/// True if two texts fold to the same characters, up to canonical
/// equivalence: the library folds one character cluster at a time, so a
/// base and a mark split by a dropped space (`H \u{308}`) fold apart,
/// while the printed text joins them (`Ḧ`).
pub fn same_folded(a: &str, b: &str) -> bool {
    fold(a).nfd().eq(fold(b).nfd())
}

/// Original file bytes of every document, by id.
pub fn originals(docs: &[Document]) -> BTreeMap<String, Vec<u8>> {
    docs.iter()
        .map(|d| {
            let bytes = match d.path() {
                Some(p) => std::fs::read(p).expect("readable"),
                None => d.text().as_bytes().to_vec(),
            };
            (d.id().to_owned(), bytes)
        })
        .collect()
}

/// Decoded text of a range of a document's original file.
pub fn slice(docs: &[Document], id: &str, start: usize, end: usize) -> String {
    let doc = docs.iter().find(|d| d.id() == id).expect("known document");
    let bytes = match doc.path() {
        Some(p) => std::fs::read(p).expect("readable"),
        None => doc.text().as_bytes().to_vec(),
    };
    assert!(
        start <= end && end <= bytes.len(),
        "{id}: range {start}..{end} outside file of {}",
        bytes.len()
    );
    if doc.encoding() == reprint::Encoding::Gb18030 {
        // (A GB18030 range can also be valid UTF-8, meaning something else.)
        return encoding_rs::GB18030
            .decode_without_bom_handling(&bytes[start..end])
            .0
            .into_owned();
    }
    String::from_utf8_lossy(&bytes[start..end]).into_owned()
}

/// Invariant 1 (conservation): every byte of every input lies in exactly one
/// of: a span's support, a losing reading's support, a removed item.
pub fn check_conservation(docs: &[Document], r: &Reconciliation) {
    let mut ranges: BTreeMap<String, Vec<(usize, usize, String)>> = BTreeMap::new();
    for f in &r.families {
        for s in &f.spans {
            for sup in &s.support {
                ranges.entry(sup.document.clone()).or_default().push((
                    sup.start,
                    sup.end,
                    "support".into(),
                ));
            }
        }
        for v in &f.variants {
            for reading in &v.readings {
                // The chosen reading's bytes are already a span's support.
                if reading.chosen {
                    continue;
                }
                for sup in &reading.support {
                    ranges.entry(sup.document.clone()).or_default().push((
                        sup.start,
                        sup.end,
                        "reading".into(),
                    ));
                }
            }
        }
        for rem in &f.removed {
            ranges.entry(rem.document.clone()).or_default().push((
                rem.start,
                rem.end,
                format!("{:?}", rem.kind),
            ));
        }
    }
    for d in docs {
        let mut rs: Vec<(usize, usize, String)> = ranges.remove(d.id()).unwrap_or_default();
        rs.retain(|r| r.0 < r.1);
        rs.sort();
        let mut at = 0;
        for (s, e, what) in &rs {
            assert_eq!(
                *s,
                at,
                "{}: byte {at} is {} (next range {s}..{e} is {what})",
                d.id(),
                if *s > at {
                    "unaccounted"
                } else {
                    "counted twice"
                }
            );
            at = *e;
        }
        assert_eq!(
            at,
            d.len(),
            "{}: bytes {at}..{} unaccounted",
            d.id(),
            d.len()
        );
    }
}

/// Invariant 2 (provenance): every support range lies inside its file, on
/// character boundaries, and folds to the text it supports.
pub fn check_provenance(docs: &[Document], r: &Reconciliation) {
    let originals = originals(docs);
    let boundary = |id: &str, at: usize| {
        let bytes = &originals[id];
        assert!(at <= bytes.len(), "{id}: offset {at} past the end");
        // Only meaningful for UTF-8 files.
        if let Ok(s) = std::str::from_utf8(bytes) {
            assert!(
                s.is_char_boundary(at),
                "{id}: offset {at} is not a character boundary"
            );
        }
    };
    for f in &r.families {
        for s in &f.spans {
            let canonical = fold(&f.text[s.start..s.end]);
            for sup in &s.support {
                boundary(&sup.document, sup.start);
                boundary(&sup.document, sup.end);
                let source = slice(docs, &sup.document, sup.start, sup.end);
                assert!(
                    same_folded(&source, &f.text[s.start..s.end]),
                    "span {}..{} of family {} ({canonical:?}) vs {sup:?} ({:?})",
                    s.start,
                    s.end,
                    f.id,
                    fold(&source)
                );
            }
        }
        for v in &f.variants {
            for reading in &v.readings {
                let mut joined = String::new();
                for sup in &reading.support {
                    boundary(&sup.document, sup.start);
                    boundary(&sup.document, sup.end);
                    if sup.document == reading.documents[0] {
                        joined.push_str(&slice(docs, &sup.document, sup.start, sup.end));
                    }
                }
                assert!(
                    same_folded(&joined, &reading.text),
                    "reading {reading:?} vs its support {:?}",
                    fold(&joined)
                );
            }
        }
        for rem in &f.removed {
            boundary(&rem.document, rem.start);
            boundary(&rem.document, rem.end);
        }
    }
}

/// An example binary, built for this test run's profile (a no-op when
/// `cargo test` already built it). Tests use one example each.
pub fn example(name: &str) -> std::path::PathBuf {
    use std::sync::OnceLock;
    static BUILT: OnceLock<()> = OnceLock::new();
    let mut dir = std::env::current_exe().unwrap();
    dir.pop();
    if dir.ends_with("deps") {
        dir.pop();
    }
    BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = std::process::Command::new(cargo);
        cmd.args(["build", "--example", name]);
        if dir.ends_with("release") {
            cmd.arg("--release");
        }
        let status = cmd
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "examples build");
    });
    dir.join("examples").join(name)
}

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "reprint-{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }

    pub fn file(&self, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The bundled corpus file whose name starts with `prefix`.
pub fn corpus_file(prefix: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap()
}

/// Run the `reconcile` example; returns (exit code, stdout, stderr).
pub fn run_example<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> (i32, String, String) {
    let out = std::process::Command::new(example("reconcile"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
