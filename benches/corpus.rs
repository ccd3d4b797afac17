//! The bundled corpus, stage by stage, in characters per second: loading the
//! files, finding the families (candidate pairs, alignment, links), the whole
//! reconciliation, and everything from the files on disk to the JSON.
//!
//! `cargo bench --bench corpus`
//!
//! To benchmark on your own scans, name their folder (searched recursively
//! for `*.txt`, as the `reconcile` example does) in `REPRINT_BENCH_DIR`:
//!
//! `REPRINT_BENCH_DIR=path/to/scans cargo bench --bench corpus`
//!
//! The bundled corpus is then benchmarked too, beside it, as a reference.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use reprint::{Document, Reconciler};

/// The folders to benchmark, each under a short name.
fn folders() -> Vec<(String, PathBuf)> {
    let mut out = vec![(
        "corpus".to_string(),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
    )];
    if let Some(dir) = std::env::var_os("REPRINT_BENCH_DIR") {
        let dir = PathBuf::from(dir);
        let name = format!("REPRINT_BENCH_DIR={}", dir.display());
        out.push((name, dir));
    }
    out
}

/// The documents of `dir`; files that cannot be read are named and skipped,
/// as the example does.
fn load(dir: &Path) -> Vec<Document> {
    let loaded = reprint::load([dir]);
    for e in &loaded.errors {
        eprintln!("corpus bench: skipped: {e}");
    }
    loaded.documents
}

fn bench(c: &mut Criterion) {
    for (name, dir) in folders() {
        let docs = load(&dir);
        if docs.is_empty() {
            eprintln!("corpus bench: no readable scans in {}", dir.display());
            continue;
        }
        let chars: usize = docs.iter().map(|d| d.text().chars().count()).sum();
        let families = Reconciler::new().families(&docs).map_or(0, |f| f.len());
        eprintln!(
            "corpus bench: {name}: {} documents, {chars} characters, {families} families",
            docs.len()
        );
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Elements(chars as u64));
        if chars > 5_000_000 {
            // Big folders: a median of ten runs is enough and keeps the bench in minutes.
            g.sample_size(10);
        }
        g.bench_function("load", |b| b.iter(|| black_box(load(black_box(&dir)))));
        g.bench_function("families", |b| {
            b.iter(|| black_box(Reconciler::new().families(black_box(&docs)).unwrap()))
        });
        g.bench_function("reconcile", |b| {
            b.iter(|| black_box(Reconciler::new().reconcile(black_box(&docs)).unwrap()))
        });
        g.bench_function("files to JSON", |b| {
            b.iter(|| {
                let docs = load(black_box(&dir));
                black_box(Reconciler::new().reconcile(&docs).unwrap().to_json())
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
