//! Write a simulated corpus of noisy scans with its truth.
//!
//! ```text
//! cargo run --release --example simulate -- [--profile default|hard]
//!     [--families N] [--scans MIN-MAX] [--paragraphs MIN-MAX] [--noise F]
//!     [--seed S] [--distractors N] [--lang zh|en|mixed]
//!     [--columns F] [--moves F] [--late-repeats F] [--inner-fragments F]
//!     [--boilerplate F] [--solo F] [--misprints F] [--garbage F] OUT_DIR
//! ```
//!
//! The clean text comes from `data/clean/{zh,en}.txt`. OUT_DIR receives
//! `scan-XXXX.txt` files and `truth.json`; `cargo run --example eval -- OUT_DIR`
//! scores a reconciliation of them.
//!
//! `--profile hard` starts from `SimConfig::hard()` (columns, moved
//! sections, late repeats, inner fragments, boilerplate, solo passages,
//! misprints, garbage lines); the rate flags after it set one phenomenon
//! each (0 turns it off), wherever they stand on the command line.

use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::process::ExitCode;

use reprint::simulate::{self, SimConfig};

const USAGE: &str = "usage: simulate [--profile default|hard] [--families N] [--scans MIN-MAX] \
[--paragraphs MIN-MAX] [--noise F] [--seed S] [--distractors N] [--lang zh|en|mixed] \
[--columns F] [--moves F] [--late-repeats F] [--inner-fragments F] [--boilerplate F] \
[--solo F] [--misprints F] [--garbage F] OUT_DIR";

/// A `SimConfig` method that sets a rate.
type SetRate = fn(&mut SimConfig, f64) -> &mut SimConfig;

/// The flags that set the rate of one phenomenon of the hard profile.
const RATES: &[(&str, SetRate)] = &[
    ("--columns", SimConfig::columns),
    ("--moves", SimConfig::moves),
    ("--late-repeats", SimConfig::late_repeats),
    ("--inner-fragments", SimConfig::inner_fragments),
    ("--boilerplate", SimConfig::boilerplate),
    ("--solo", SimConfig::solo),
    ("--misprints", SimConfig::misprints),
    ("--garbage", SimConfig::garbage),
];

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

fn rate(flag: &str, s: Option<String>) -> Result<f64, String> {
    let f: f64 = number(flag, s)?;
    if !(0.0..=1.0).contains(&f) {
        return Err(format!("{flag}: {f} is not between 0 and 1"));
    }
    Ok(f)
}

fn parse_args() -> Result<Args, String> {
    // The profile is the base every other flag changes, wherever it stands.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut config = SimConfig::new();
    if let Some(i) = args.iter().position(|a| a == "--profile") {
        config = match args.get(i + 1).map(String::as_str) {
            Some("default") => SimConfig::new(),
            Some("hard") => SimConfig::hard(),
            other => {
                return Err(format!(
                    "--profile: expected default or hard, got {other:?}"
                ));
            }
        };
    }
    let mut families = 20usize;
    let mut distractors: Option<usize> = None;
    let mut langs = vec!["zh", "en"];
    let mut out = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--profile" => {
                it.next();
            }
            flag if RATES.iter().any(|(f, _)| *f == flag) => {
                let (_, set) = RATES.iter().find(|(f, _)| *f == flag).expect("listed");
                set(&mut config, rate(flag, it.next())?);
            }
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
                config.noise(rate("--noise", it.next())?);
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
    let fams = |f: fn(&simulate::TruthFamily) -> usize| t.families.iter().map(f).sum::<usize>();
    let kind = |k: simulate::Debris| {
        t.scans
            .iter()
            .flat_map(|s| &s.debris)
            .filter(|d| d.kind == k)
            .count()
    };
    let hard = [
        count(|s| usize::from(s.column.is_some())),
        count(|s| usize::from(!s.moved.is_empty())),
        fams(|f| f.solo.len()),
        fams(|f| f.misprints.len()),
        kind(simulate::Debris::Boilerplate),
        kind(simulate::Debris::Garbage),
    ];
    // The default profile prints what it always printed.
    if hard.iter().any(|&n| n > 0) {
        println!(
            "  {} scans in columns, {} with a moved section, {} solo paragraphs, {} misprints, {} boilerplate lines, {} garbage lines",
            hard[0], hard[1], hard[2], hard[3], hard[4], hard[5]
        );
    }
    ExitCode::SUCCESS
}
