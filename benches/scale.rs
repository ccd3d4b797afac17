//! Scale: simulated Chinese corpora of about 1k, 10k and 100k documents of
//! ~2,000 characters each, in families of 2–5 reprints (2 % noise).
//!
//! `cargo bench --bench scale`
//!
//! 1. Criterion, 1k and 10k documents: `Reconciler::families` (candidate
//!    pairs + alignment + links) and the whole `Reconciler::reconcile`.
//! 2. Then one timed run of `families` per size, 1k, 10k and 100k, each in a
//!    child process of this binary, so that its peak resident memory
//!    (`VmHWM`) is its own. The child generates its corpus, resets its peak
//!    (`/proc/self/clear_refs`), runs `families` once and reports time and
//!    memory; the table gives characters per second, the growth of the time
//!    per 10× documents, and bytes of peak memory per input character.
//!
//! 3. Then the family-size table: one article of about 2,000 characters
//!    (20 paragraphs of zh.txt, default noise) reprinted 100, 400, 1,600 and
//!    6,400 times, each set reconciled whole (`reconcile_to_json` into a
//!    sink, as `reconcile --format json` does) once in a child process as in
//!    part 2: time, time per scan, its growth against the first row, and
//!    peak memory per input character.
//!
//! `REPRINT_SCALE_MAX` caps the simulated sizes of part 2 (default 100000; 0
//! skips them), `REPRINT_FAMILY_MAX` the family sizes of part 3 (default
//! 6400; 0 skips them). Parts 2 and 3 run only under `cargo bench`, not
//! `cargo test --benches`.
//!
//! With `REPRINT_BENCH_DIR=path/to/scans`, the scans in that folder are
//! measured too, in both parts (a row of its own in the table).
//!
//! Peak memory per character is the peak resident size less the process's
//! size before it read anything (the binary, the thread pool), over the
//! input characters.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use criterion::{BenchmarkId, Criterion, Throughput};
use reprint::simulate::{self, SimConfig};
use reprint::{Document, Reconciler};

/// First argument that makes the binary a measuring child.
const CHILD: &str = "--reprint-scale-child";
const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
/// Scans of the one article of part 3.
const FAMILY_SIZES: [usize; 4] = [100, 400, 1_600, 6_400];

/// One article of about 2,000 characters (20 paragraphs of ~90) reprinted
/// `scans` times at the simulator's default noise, nothing else.
fn family_corpus(scans: usize) -> (Vec<Document>, usize) {
    let sources = [include_str!("../data/clean/zh.txt").to_string()];
    let mut config = SimConfig::new();
    config
        .families(1)
        .scans(scans..=scans)
        .paragraphs(20..=20)
        .distractors(0)
        .seed(1);
    documents(simulate::simulate(&config, &sources))
}

/// About `docs` simulated scans of ~2,000 characters: zh.txt paragraphs
/// average ~90 characters, so 18–24 per family, and 2–5 scans a family
/// (3.5 on average).
fn corpus(docs: usize) -> (Vec<Document>, usize) {
    let sources = [include_str!("../data/clean/zh.txt").to_string()];
    let mut config = SimConfig::new();
    config
        .families((docs * 2).div_ceil(7))
        .scans(2..=5)
        .paragraphs(18..=24)
        .noise(0.02)
        .seed(docs as u64);
    documents(simulate::simulate(&config, &sources))
}

/// The scans of a simulated corpus as documents, and its number of families.
fn documents(sim: simulate::SimCorpus) -> (Vec<Document>, usize) {
    let families = sim.truth.families.len();
    // Move the texts into documents rather than copy them; the truth is dropped.
    let docs = sim
        .scans
        .into_iter()
        .map(|s| Document::from_text(s.name, s.text))
        .collect();
    (docs, families)
}

fn chars(docs: &[Document]) -> usize {
    docs.iter().map(|d| d.text().chars().count()).sum()
}

fn criterion_benches(c: &mut Criterion) {
    let mut sets: Vec<(String, Vec<Document>)> = SIZES[..2]
        .iter()
        .map(|&n| (n.to_string(), corpus(n).0))
        .collect();
    if let Some(dir) = bench_dir() {
        let loaded = reprint::load([&dir]);
        for e in &loaded.errors {
            eprintln!("scale: skipped: {e}");
        }
        sets.push((
            format!("REPRINT_BENCH_DIR={}", dir.display()),
            loaded.documents,
        ));
    }
    for (name, docs) in &sets {
        if docs.is_empty() {
            continue;
        }
        let nchars = chars(docs) as u64;
        let mut g = c.benchmark_group("scale/families");
        // A 10k iteration takes seconds: ten samples are enough to see a median.
        g.sample_size(10).throughput(Throughput::Elements(nchars));
        g.bench_with_input(BenchmarkId::from_parameter(name), docs, |b, docs| {
            b.iter(|| black_box(Reconciler::new().families(black_box(docs)).unwrap()))
        });
        g.finish();
        let mut g = c.benchmark_group("scale/reconcile");
        g.sample_size(10).throughput(Throughput::Elements(nchars));
        g.bench_with_input(BenchmarkId::from_parameter(name), docs, |b, docs| {
            b.iter(|| black_box(Reconciler::new().reconcile(black_box(docs)).unwrap()))
        });
        g.finish();
    }
}

/// A field of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`), 0 if unknown.
fn status(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// CPU seconds (user + system) this process has used so far.
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name: state is field 3, utime 14, stime 15,
    // in USER_HZ ticks (100 per second on Linux).
    let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    f.get(11)
        .zip(f.get(12))
        .map_or(0.0, |(u, s)| (u + s) / 100.0)
}

/// Child `gen N DIR` (`gen-family N DIR`): simulate about `n` documents
/// (one article printed `n` times) into `DIR/*.txt`, so that the measuring
/// child below holds no simulator memory.
fn child_gen(make: fn(usize) -> (Vec<Document>, usize), n: usize, dir: &Path) {
    let t = Instant::now();
    let (docs, truth_families) = make(n);
    let gen_secs = t.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("create corpus directory");
    for d in &docs {
        std::fs::write(dir.join(format!("{}.txt", d.id())), d.text()).expect("write scan");
    }
    println!(
        "truth_families={truth_families} gen_secs={gen_secs:.3} gen_hwm={}",
        status("VmHWM")
    );
}

/// Child `families DIR` (`reconcile DIR`): load the scans and run
/// `families` (the whole reconciliation, into JSON thrown away) once; the
/// process peak is the load plus that.
fn child_families(dir: &Path, whole: bool) {
    let start_rss = status("VmRSS");
    let loaded = reprint::load([dir]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors.first());
    let docs = loaded.documents;
    let nchars = chars(&docs);
    let loaded_rss = status("VmRSS");
    let (t, cpu) = (Instant::now(), cpu_secs());
    let mut families = None;
    if whole {
        Reconciler::new()
            .reconcile_to_json(&docs, std::io::sink())
            .unwrap();
    } else {
        families = Some(Reconciler::new().families(&docs).unwrap().len());
    }
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_secs() - cpu;
    let hwm = status("VmHWM");
    // After the reconciliation, untimed: the grouping it used.
    let families = families.unwrap_or_else(|| Reconciler::new().families(&docs).unwrap().len());
    println!(
        "docs={} chars={nchars} families={families} secs={secs:.3} cpu={cpu:.2} \
         start_rss={start_rss} loaded_rss={loaded_rss} hwm={hwm}",
        docs.len(),
    );
}

/// Run this binary as a child; its last line of output as `key=value` pairs.
fn run_child(args: &[&str]) -> Option<Vec<(String, f64)>> {
    let exe = std::env::current_exe().expect("own path");
    let out = Command::new(exe)
        .arg(CHILD)
        .args(args)
        .output()
        .expect("run child");
    if !out.status.success() {
        eprintln!(
            "scale: child {args:?} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or_default();
    Some(
        line.split_whitespace()
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.parse().unwrap_or(f64::NAN)))
            .collect(),
    )
}

fn one_shot(max: usize) {
    println!("\nscale/families once per size, in a fresh process that loads the scans:");
    println!(
        "{:>7} {:>11} {:>11} {:>8} {:>11} {:>7} {:>8} {:>9} {:>9} {:>8} {:>8}",
        "docs",
        "chars",
        "families",
        "time s",
        "chars/s",
        "growth",
        "cpu s",
        "RSS load",
        "peak RSS",
        "B/char",
        "sim peak"
    );
    let get = |kv: &[(String, f64)], k: &str| {
        kv.iter()
            .find(|(key, _)| key == k)
            .map_or(f64::NAN, |p| p.1)
    };
    let mib = |b: f64| format!("{:.0}M", b / (1u64 << 20) as f64);
    let mut last: Option<(f64, f64)> = None;
    for &n in SIZES.iter().filter(|&&n| n <= max) {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("scale-{n}"));
        let dir_arg = dir.to_str().expect("UTF-8 path");
        let Some(g) = run_child(&["gen", &n.to_string(), dir_arg]) else {
            return;
        };
        let Some(r) = run_child(&["families", dir_arg]) else {
            return;
        };
        let (docs, nchars, secs) = (get(&r, "docs"), get(&r, "chars"), get(&r, "secs"));
        // Time growth for 10× the documents, scaled to exactly 10×.
        let growth = last.map_or(String::from("-"), |(d, s)| {
            format!("{:.1}×", secs / s * 10.0 / (docs / d))
        });
        println!(
            "{:>7} {:>11} {:>11} {:>8.2} {:>11.3e} {:>7} {:>8.1} {:>9} {:>9} {:>8.1} {:>8}",
            docs,
            nchars,
            format!("{}/{}", get(&r, "families"), get(&g, "truth_families")),
            secs,
            nchars / secs,
            growth,
            get(&r, "cpu"),
            mib(get(&r, "loaded_rss")),
            mib(get(&r, "hwm")),
            (get(&r, "hwm") - get(&r, "start_rss")) / nchars,
            mib(get(&g, "gen_hwm")),
        );
        let _ = std::fs::remove_dir_all(&dir);
        last = Some((docs, secs));
    }
    if let Some(dir) = bench_dir() {
        let Some(r) = run_child(&["families", &dir.to_string_lossy()]) else {
            return;
        };
        let (nchars, secs) = (get(&r, "chars"), get(&r, "secs"));
        println!(
            "{:>7} {:>11} {:>11} {:>8.2} {:>11.3e} {:>7} {:>8.1} {:>9} {:>9} {:>8.1} {:>8}   ({})",
            get(&r, "docs"),
            nchars,
            get(&r, "families"),
            secs,
            nchars / secs,
            "-",
            get(&r, "cpu"),
            mib(get(&r, "loaded_rss")),
            mib(get(&r, "hwm")),
            (get(&r, "hwm") - get(&r, "start_rss")) / nchars,
            "-",
            dir.display(),
        );
    }
}

/// Part 3: one article reprinted more and more times, reconciled whole.
fn family_sizes(max: usize) {
    println!(
        "\nscale/family: one article of ~2,000 characters reprinted N times, reconciled whole:"
    );
    println!(
        "{:>6} {:>10} {:>8} {:>8} {:>9} {:>7} {:>8} {:>9} {:>8}",
        "scans", "chars", "families", "time s", "ms/scan", "growth", "cpu s", "peak RSS", "B/char"
    );
    let get = |kv: &[(String, f64)], k: &str| {
        kv.iter()
            .find(|(key, _)| key == k)
            .map_or(f64::NAN, |p| p.1)
    };
    let mut first: Option<f64> = None;
    for &n in FAMILY_SIZES.iter().filter(|&&n| n <= max) {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("family-{n}"));
        let dir_arg = dir.to_str().expect("UTF-8 path");
        if run_child(&["gen-family", &n.to_string(), dir_arg]).is_none() {
            return;
        }
        let Some(r) = run_child(&["reconcile", dir_arg]) else {
            return;
        };
        let (docs, nchars, secs) = (get(&r, "docs"), get(&r, "chars"), get(&r, "secs"));
        let per_scan = secs / docs;
        // Time per scan against the smallest family's.
        let growth = first.map_or(String::from("-"), |f| format!("{:.2}×", per_scan / f));
        println!(
            "{:>6} {:>10} {:>8} {:>8.2} {:>9.2} {:>7} {:>8.1} {:>8.0}M {:>8.1}",
            docs,
            nchars,
            get(&r, "families"),
            secs,
            per_scan * 1000.0,
            growth,
            get(&r, "cpu"),
            get(&r, "hwm") / (1u64 << 20) as f64,
            (get(&r, "hwm") - get(&r, "start_rss")) / nchars,
        );
        let _ = std::fs::remove_dir_all(&dir);
        first.get_or_insert(per_scan);
    }
}

/// The folder named by `REPRINT_BENCH_DIR`, if any.
fn bench_dir() -> Option<PathBuf> {
    std::env::var_os("REPRINT_BENCH_DIR").map(PathBuf::from)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(CHILD) {
        match args[2].as_str() {
            "gen" => child_gen(corpus, args[3].parse().expect("size"), Path::new(&args[4])),
            "gen-family" => child_gen(
                family_corpus,
                args[3].parse().expect("size"),
                Path::new(&args[4]),
            ),
            "reconcile" => child_families(Path::new(&args[3]), true),
            _ => child_families(Path::new(&args[3]), false),
        }
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    criterion_benches(&mut c);
    c.final_summary();
    let max = std::env::var("REPRINT_SCALE_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    if args.iter().any(|a| a == "--bench") && (max > 0 || bench_dir().is_some()) {
        one_shot(max);
    }
    let family_max = std::env::var("REPRINT_FAMILY_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6_400);
    if args.iter().any(|a| a == "--bench") && family_max > 0 {
        family_sizes(family_max);
    }
}
