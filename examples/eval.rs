//! Reconcile a folder of scans and, when it holds a `truth.json` written by
//! the simulator, score the result against it.
//!
//! ```text
//! cargo run --release --example eval -- DIR [--json] [--all] [--row]
//! ```
//!
//! With a truth: CER of the canonical texts beside the best and the mean
//! single scan, paragraphs duplicated or missing, precision and recall of the
//! duplicates, fragments and debris removed and of the families (over pairs
//! of scans). `--all` lists every family rather than the ten worst. Without a
//! truth: the family sizes, the removed items by kind and the variants by
//! rule. `--json` prints the same as JSON. `--row` prints the overall
//! figures as one row of the Markdown table in README.md.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use reprint::evaluate::{self, Matches, Report};
use reprint::simulate::Truth;
use reprint::{Reconciler, Reconciliation, RemovedKind};

const USAGE: &str = "usage: eval DIR [--json] [--all] [--row]";

struct Args {
    dir: PathBuf,
    json: bool,
    all: bool,
    row: bool,
}

fn parse_args() -> Result<Args, String> {
    let (mut dir, mut json, mut all, mut row) = (None, false, false, false);
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--json" => json = true,
            "--all" => all = true,
            "--row" => row = true,
            "--help" | "-h" => return Err(USAGE.into()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}")),
            _ if dir.is_some() => return Err(format!("more than one DIR\n{USAGE}")),
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let dir = dir.ok_or_else(|| format!("no DIR given\n{USAGE}"))?;
    Ok(Args {
        dir,
        json,
        all,
        row,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("eval: {msg}");
            return ExitCode::from(1);
        }
    };
    if !args.dir.is_dir() {
        eprintln!("eval: {}: not a directory", args.dir.display());
        return ExitCode::from(1);
    }
    let truth_path = args.dir.join("truth.json");
    let truth = if truth_path.exists() {
        match Truth::read(&truth_path) {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("eval: {e}");
                return ExitCode::from(1);
            }
        }
    } else {
        None
    };
    // Only *.txt files are read, so truth.json is not taken for a scan.
    let loaded = reprint::load([&args.dir]);
    for e in &loaded.errors {
        eprintln!("eval: skipped: {e}");
    }
    if loaded.documents.is_empty() {
        eprintln!("eval: {}: no readable scans", args.dir.display());
        return ExitCode::from(1);
    }
    let started = Instant::now();
    let result = match Reconciler::new().reconcile(&loaded.documents) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("eval: {e}");
            return ExitCode::from(1);
        }
    };
    let reconcile_time = started.elapsed();
    let chars: usize = loaded
        .documents
        .iter()
        .map(|d| d.text().chars().count())
        .sum();
    let header = format!(
        "{}: {} scans, {} characters, {} families found, reconciled in {:.2} s",
        args.dir.display(),
        loaded.documents.len(),
        chars,
        result.families.len(),
        reconcile_time.as_secs_f64()
    );
    match &truth {
        Some(truth) => {
            let report = evaluate::evaluate(truth, &loaded.documents, &result);
            if args.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).expect("report serialises")
                );
            } else if args.row {
                print_row(&report, chars, reconcile_time.as_secs_f64());
            } else {
                println!("{header}");
                print_report(&report, args.all);
            }
        }
        None => {
            let s = summary(&result);
            if args.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&s).expect("summary serialises")
                );
            } else {
                println!("{header} (no truth.json)");
                print_summary(&s);
            }
        }
    }
    if loaded.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

/// One Markdown table row: script, families, scans, characters, CER
/// (canonical, best scan, mean scan), paragraphs doubled and lost, and
/// precision/recall of duplicates, fragments, debris and family pairs.
fn print_row(r: &Report, chars: usize, seconds: f64) {
    let script = r
        .families
        .first()
        .map_or("?".to_owned(), |f| format!("{:?}", f.script).to_lowercase());
    let pr = |m: &Matches| format!("{:.2} / {:.2}", m.precision(), m.recall());
    let o = &r.overall;
    println!(
        "| {script} | {} | {} | {chars} | **{}** | {} | {} | {} / {} | {} | {} | {} | {} | {seconds:.2} s |",
        r.families.len(),
        r.families.iter().map(|f| f.scans).sum::<usize>(),
        pct(o.cer()),
        pct(o.best_scan_cer()),
        pct(o.mean_scan_cer()),
        o.duplicated,
        o.missing,
        pr(&r.duplicates),
        pr(&r.fragments),
        pr(&r.debris),
        pr(&r.pairs),
    );
}

fn pct(x: f64) -> String {
    format!("{:.2}%", 100.0 * x)
}

fn print_report(r: &Report, all: bool) {
    let mut rows: Vec<&evaluate::FamilyScore> = r.families.iter().collect();
    let limit = if all || rows.len() <= 12 {
        rows.len()
    } else {
        10
    };
    if limit < rows.len() {
        // The worst families are the ones worth reading.
        rows.sort_by(|a, b| {
            b.score
                .cer()
                .total_cmp(&a.score.cer())
                .then(a.family.cmp(&b.family))
        });
        println!("\nthe {limit} worst of {} families:", rows.len());
    } else {
        println!();
    }
    println!(
        "{:>6} {:<6} {:>5} {:>6} {:>8} {:>8} {:>8} {:>4} {:>4}  found in",
        "family", "script", "scans", "chars", "CER", "best", "mean", "dup", "miss"
    );
    for f in rows.iter().take(limit) {
        let s = &f.score;
        let found: Vec<String> = f.reconciled.iter().map(|x| x.to_string()).collect();
        println!(
            "{:>6} {:<6} {:>5} {:>6} {:>8} {:>8} {:>8} {:>4} {:>4}  {}{}",
            f.family,
            f.script.name(),
            f.scans,
            s.chars,
            pct(s.cer()),
            pct(s.best_scan_cer()),
            pct(s.mean_scan_cer()),
            s.duplicated,
            s.missing,
            if found.is_empty() {
                "-".to_string()
            } else {
                found.join(",")
            },
            match (f.distractor, f.merged) {
                (true, true) => " (distractor; merged)",
                (true, false) => " (distractor)",
                (false, true) => " (merged)",
                (false, false) => "",
            },
        );
    }
    let s = &r.overall;
    println!(
        "{:>6} {:<6} {:>5} {:>6} {:>8} {:>8} {:>8} {:>4} {:>4}",
        "all",
        "",
        r.families.iter().map(|f| f.scans).sum::<usize>(),
        s.chars,
        pct(s.cer()),
        pct(s.best_scan_cer()),
        pct(s.mean_scan_cer()),
        s.duplicated,
        s.missing
    );
    println!(
        "\n{:<14} {:>6} {:>6} {:>7} {:>9} {:>7} {:>9}",
        "removed", "truth", "found", "recall", "predicted", "right", "precision"
    );
    let line = |name: &str, m: &Matches, precision: bool| {
        let p = if precision {
            format!("{:>9} {:>7} {:>9.3}", m.predicted, m.correct, m.precision())
        } else {
            String::new()
        };
        println!(
            "{:<14} {:>6} {:>6} {:>7.3} {p}",
            name,
            m.truth,
            m.found,
            m.recall()
        );
    };
    line("duplicate", &r.duplicates, true);
    line("fragment", &r.fragments, true);
    line("debris", &r.debris, true);
    for (kind, m) in &r.debris_kinds {
        line(&format!("  {kind}"), m, false);
    }
    println!(
        "\nfamilies: precision {:.3}, recall {:.3} over scan pairs ({} true, {} predicted, {} right); {} merged, {} split",
        r.pairs.precision(),
        r.pairs.recall(),
        r.pairs.truth,
        r.pairs.predicted,
        r.pairs.correct,
        r.merged,
        r.split
    );
    if !r.unseen.is_empty() {
        println!(
            "{} scans of the truth were not read: {}",
            r.unseen.len(),
            r.unseen.join(", ")
        );
    }
}

/// What can be said without a truth: family sizes, removed items by kind,
/// variants by rule.
#[derive(serde::Serialize)]
struct Summary {
    documents: usize,
    families: usize,
    family_sizes: BTreeMap<usize, usize>,
    removed: BTreeMap<String, usize>,
    variants: BTreeMap<&'static str, usize>,
}

fn summary(result: &Reconciliation) -> Summary {
    let mut s = Summary {
        documents: result.documents.len(),
        families: result.families.len(),
        family_sizes: BTreeMap::new(),
        removed: BTreeMap::new(),
        variants: BTreeMap::new(),
    };
    for f in &result.families {
        *s.family_sizes.entry(f.documents.len()).or_default() += 1;
        for r in &f.removed {
            let kind = match r.kind {
                RemovedKind::Duplicate => "duplicate".to_string(),
                RemovedKind::Fragment => "fragment".to_string(),
                RemovedKind::Debris => match r.reason {
                    Some(reason) => format!("debris: {}", reason.name()),
                    None => "debris".to_string(),
                },
                RemovedKind::Overlap => "overlap".to_string(),
                _ => "other".to_string(),
            };
            *s.removed.entry(kind).or_default() += 1;
        }
        for v in &f.variants {
            *s.variants.entry(v.rule.name()).or_default() += 1;
        }
    }
    s
}

fn print_summary(s: &Summary) {
    println!("\n{:<24} {:>6}", "family size (scans)", "count");
    for (size, n) in &s.family_sizes {
        println!("{size:<24} {n:>6}");
    }
    println!("\n{:<24} {:>6}", "removed", "count");
    for (kind, n) in &s.removed {
        println!("{kind:<24} {n:>6}");
    }
    println!("\n{:<24} {:>6}", "variants by rule", "count");
    for (rule, n) in &s.variants {
        println!("{rule:<24} {n:>6}");
    }
}
