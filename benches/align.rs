//! Full character alignment of two 20,000-character Chinese scans that
//! differ in 2% of their characters: reprint's aligner against `similar`'s
//! Myers diff over the same `&[char]` inputs.
//!
//! `cargo bench --bench align`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;

/// 20,000 characters of real Chinese text (the bundled corpus, repeated as
/// needed) and a copy with 2% of positions substituted, dropped or doubled.
fn scans() -> (Vec<char>, Vec<char>) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
    let mut text = String::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    for f in &files {
        text.push_str(&std::fs::read_to_string(f).unwrap());
    }
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let a: Vec<char> = chars.iter().copied().cycle().take(20_000).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(20);
    let mut b = Vec::with_capacity(a.len() + 400);
    for &c in &a {
        if rng.random_bool(0.02) {
            match rng.random_range(0..3) {
                0 => b.push(a[rng.random_range(0..a.len())]),
                1 => {}
                _ => {
                    b.push(c);
                    b.push(c);
                }
            }
        } else {
            b.push(c);
        }
    }
    (a, b)
}

fn bench(c: &mut Criterion) {
    let (a, b) = scans();
    let mut g = c.benchmark_group("align 20k chars, 2% differences");
    g.throughput(Throughput::Elements((a.len() + b.len()) as u64));
    g.bench_function("reprint::align::global", |bench| {
        bench.iter(|| black_box(reprint::align::global(black_box(&a), black_box(&b))))
    });
    g.bench_function("similar Myers", |bench| {
        bench.iter(|| {
            black_box(similar::capture_diff_slices(
                similar::Algorithm::Myers,
                black_box(&a),
                black_box(&b),
            ))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
