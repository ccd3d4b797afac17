//! Every input a fuzz target ever failed on (and the layout target's seeds:
//! one text in several line layouts), replayed through the target's own
//! checks (`fuzz/src/*_target.rs`): each finding stays fixed.

#[allow(dead_code, unreachable_pub)]
#[path = "../fuzz/src/check.rs"]
mod check;
#[allow(dead_code, unreachable_pub)]
#[path = "../fuzz/src/layout_target.rs"]
mod layout_target;
#[allow(dead_code, unreachable_pub)]
#[path = "../fuzz/src/reconcile_target.rs"]
mod reconcile_target;

use std::path::Path;

fn findings(target: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn reconcile_findings_stay_fixed() {
    let files = findings("reconcile");
    assert!(files.len() >= 4);
    for f in files {
        let data = std::fs::read(&f).unwrap();
        eprintln!("{}", f.display());
        reconcile_target::run(&data);
    }
}

#[test]
fn layout_findings_stay_fixed() {
    let files = findings("layout");
    assert!(files.len() >= 4);
    for f in files {
        let data = std::fs::read(&f).unwrap();
        eprintln!("{}", f.display());
        layout_target::run(&data);
    }
}
