//! Shared checks for the integration tests: the invariants of DESIGN.md,
//! recomputed independently of the library.
#![allow(dead_code)]

use reprint::{Document, Reconciliation};

// The invariant checks are the fuzz targets' own (one independent
// implementation, for documents from any encoding), fed here with the
// documents' original bytes.
#[allow(unreachable_pub)]
#[path = "../../fuzz/src/check.rs"]
mod check;

pub use check::fold;

/// True if two texts fold to the same characters, up to canonical
/// equivalence: the library folds one character cluster at a time, so a
/// base and a mark split by a dropped space (`H \u{308}`) fold apart,
/// while the printed text joins them (`Ḧ`).
pub fn same_folded(a: &str, b: &str) -> bool {
    check::nfd(&fold(a)) == check::nfd(&fold(b))
}

/// Each document with the bytes it was read from (its file, or its text).
fn inputs(docs: &[Document]) -> Vec<check::Input> {
    docs.iter()
        .map(|d| check::Input {
            doc: d.clone(),
            bytes: match d.path() {
                Some(p) => std::fs::read(p).expect("readable"),
                None => d.text().as_bytes().to_vec(),
            },
        })
        .collect()
}

/// Decoded text of a range of a document's original file.
pub fn slice(docs: &[Document], id: &str, start: usize, end: usize) -> String {
    let doc = docs.iter().find(|d| d.id() == id).expect("known document");
    inputs(std::slice::from_ref(doc))[0].slice(start, end)
}

/// Invariant 1 (conservation): every byte of every input lies in exactly
/// one span's support, losing reading or removed item.
pub fn check_conservation(docs: &[Document], r: &Reconciliation) {
    check::check_conservation(&inputs(docs), r);
}

/// Invariant 2 (provenance): every support range lies inside its file, on
/// character boundaries, and folds to the text it supports.
pub fn check_provenance(docs: &[Document], r: &Reconciliation) {
    let inputs = inputs(docs);
    check::check_structure(&inputs, r);
    check::check_provenance(&inputs, r);
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
