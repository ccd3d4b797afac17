//! Whole reconciliations, from input to JSON:
//!
//! - the bundled corpus, from the files on disk to the `reprint/1` JSON;
//! - one simulated Chinese family of 5 scans of about 50,000 characters
//!   each (2 % noise, with the simulator's repeats, fragments, page breaks
//!   and debris), from documents in memory to the reconciliation, and on to
//!   the JSON.
//!
//! `cargo bench --bench reconcile`

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use reprint::simulate::{self, SimConfig};
use reprint::{Document, Reconciler};

/// Five scans of one family, ~50,000 characters each: zh.txt paragraphs
/// average about 90 characters.
fn family() -> Vec<Document> {
    let sources = [include_str!("../data/clean/zh.txt").to_string()];
    let mut config = SimConfig::new();
    config
        .families(1)
        .scans(5..=5)
        .paragraphs(550..=550)
        .noise(0.02)
        .seed(5);
    simulate::simulate(&config, &sources).documents()
}

fn chars(docs: &[Document]) -> u64 {
    docs.iter().map(|d| d.text().chars().count() as u64).sum()
}

fn bench(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let corpus = reprint::load([&dir]).documents;
    let mut g = c.benchmark_group("reconcile");
    g.throughput(Throughput::Elements(chars(&corpus)));
    g.bench_function("corpus, files to JSON", |b| {
        b.iter(|| {
            let docs = reprint::load([black_box(&dir)]).documents;
            black_box(Reconciler::new().reconcile(&docs).unwrap().to_json())
        })
    });

    let docs = family();
    let per_scan = chars(&docs) / docs.len() as u64;
    eprintln!(
        "reconcile bench: simulated family of {} scans, {per_scan} characters each",
        docs.len()
    );
    g.throughput(Throughput::Elements(chars(&docs)));
    g.bench_function("simulated family, 5 scans x 50k chars", |b| {
        b.iter(|| black_box(Reconciler::new().reconcile(black_box(&docs)).unwrap()))
    });
    g.bench_function("simulated family, 5 scans x 50k chars, to JSON", |b| {
        b.iter(|| {
            black_box(
                Reconciler::new()
                    .reconcile(black_box(&docs))
                    .unwrap()
                    .to_json(),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
