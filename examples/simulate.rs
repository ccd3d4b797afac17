//! Write a simulated corpus of noisy scans with its truth.
//!
//! ```text
//! cargo run --release --example simulate -- [--families N] [--scans MIN-MAX]
//!     [--paragraphs MIN-MAX] [--noise F] [--seed S] [--distractors N]
//!     [--lang zh|en|mixed] OUT_DIR
//! ```
//!
//! The clean text comes from `data/clean/{zh,en}.txt`. OUT_DIR receives
//! `scan-XXXX.txt` files and `truth.json`; `cargo run --example eval -- OUT_DIR`
//! scores a reconciliation of them.

use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::process::ExitCode;

use reprint::simulate::{self, SimConfig};

const USAGE: &str = "usage: simulate [--families N] [--scans MIN-MAX] [--paragraphs MIN-MAX] \
[--noise F] [--seed S] [--distractors N] [--lang zh|en|mixed] OUT_DIR";

struct Args {
    config: SimConfig,
    langs: Vec<&'static str>,
    out: PathBuf,
}

fn range(flag: &str, s: &str) -> Result<RangeInclusive<usize>, String> {
    let bad = || format!("{flag}: expected N or MIN-MAX, got {s:?}");
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let a: usize = a.trim().parse().map_err(|_| bad())?;
    let b: usize = b.trim().parse().map_err(|_| bad())?;
    if a == 0 || b < a {
        return Err(bad());
    }
    Ok(a..=b)
}

fn number<T: std::str::FromStr>(flag: &str, s: Option<String>) -> Result<T, String> {
    let s = s.ok_or_else(|| format!("{flag} needs a value"))?;
    s.parse()
        .map_err(|_| format!("{flag}: not a valid number: {s:?}"))
}

fn parse_args() -> Result<Args, String> {
    let mut config = SimConfig::new();
    let mut families = 20usize;
    let mut distractors: Option<usize> = None;
    let mut langs = vec!["zh", "en"];
    let mut out = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--families" => families = number("--families", it.next())?,
            "--scans" => {
                let v = it.next().ok_or("--scans needs a value")?;
                config.scans(range("--scans", &v)?);
            }
            "--paragraphs" => {
                let v = it.next().ok_or("--paragraphs needs a value")?;
                config.paragraphs(range("--paragraphs", &v)?);
            }
            "--noise" => {
                let f: f64 = number("--noise", it.next())?;
                if !(0.0..=1.0).contains(&f) {
                    return Err(format!("--noise: {f} is not between 0 and 1"));
                }
                config.noise(f);
            }
            "--seed" => {
                config.seed(number("--seed", it.next())?);
            }
            "--distractors" => distractors = Some(number("--distractors", it.next())?),
            "--lang" => {
                langs = match it.next().as_deref() {
                    Some("zh") => vec!["zh"],
                    Some("en") => vec!["en"],
                    Some("mixed") => vec!["zh", "en"],
                    other => {
                        return Err(format!("--lang: expected zh, en or mixed, got {other:?}"));
                    }
                }
            }
            "--help" | "-h" => return Err(USAGE.into()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}")),
            _ if out.is_some() => return Err(format!("more than one OUT_DIR\n{USAGE}")),
            _ => out = Some(PathBuf::from(a)),
        }
    }
    let out = out.ok_or_else(|| format!("no OUT_DIR given\n{USAGE}"))?;
    // One distractor per ten families unless told otherwise.
    config
        .families(families)
        .distractors(distractors.unwrap_or(families / 10));
    Ok(Args { config, langs, out })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("simulate: {msg}");
            return ExitCode::from(1);
        }
    };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/clean");
    let mut sources = Vec::new();
    for lang in &args.langs {
        let path = dir.join(format!("{lang}.txt"));
        match std::fs::read_to_string(&path) {
            Ok(text) => sources.push(text),
            Err(e) => {
                eprintln!("simulate: {}: {e}", path.display());
                return ExitCode::from(1);
            }
        }
    }
    let corpus = simulate::simulate(&args.config, &sources);
    if corpus.scans.is_empty() {
        eprintln!("simulate: nothing to write (no families and no distractors)");
        return ExitCode::from(1);
    }
    if let Err(e) = corpus.write(&args.out) {
        eprintln!("simulate: {e}");
        return ExitCode::from(1);
    }
    let t = &corpus.truth;
    let count = |f: fn(&simulate::TruthScan) -> usize| t.scans.iter().map(f).sum::<usize>();
    println!(
        "wrote {} scans of {} families ({} distractors) to {}: {} duplicates, {} fragments, {} debris lines, {} paragraphs missed, {} scans reordered",
        corpus.scans.len(),
        t.families.len(),
        t.families.iter().filter(|f| f.distractor).count(),
        args.out.display(),
        count(|s| s.duplicates.len()),
        count(|s| s.fragments.len()),
        count(|s| s.debris.len()),
        count(|s| s.missing.len()),
        count(|s| usize::from(s.reordered)),
    );
    ExitCode::SUCCESS
}
