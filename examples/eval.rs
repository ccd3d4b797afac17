//! Reconcile sets of scans and score the result against what is known of
//! them.
//!
//! ```text
//! cargo run --release --example eval -- DIR... [--json] [--all] [--row [--name NAME]]
//! ```
//!
//! Each DIR is one of:
//!
//! - a simulated corpus (`truth.json` written by `examples/simulate.rs`);
//! - a set of real scans with families on disk (`pages/FAMILY/*.txt` and
//!   `truth/FAMILY.truth.txt`, such as `tests/data/real/unlv_bus3b` and the
//!   OCR round trip's output; or `docs/CLUSTER__ID.txt`, such as
//!   `tests/data/real/impresso_passim`);
//! - any folder of scans (no truth: family sizes, removed items by kind and
//!   variants by rule).
//!
//! For every set with truth: CER and WER of the canonical texts beside the
//! best, the mean and the longest witness (and each witness label, such as
//! each OCR engine), the order error, garbled words, paragraphs doubled or
//! lost, the canonical length against the longest witness's, precision and
//! recall of the families over pairs of documents and, for simulated sets,
//! of the duplicates, fragments and debris removed; then the ten worst
//! families (`--all`: every family). `--json` prints the reports as JSON.
//! `--row` prints all the DIRs together as one row of README's accuracy
//! table: the mean and the worst over them (one DIR per seed). `--each`
//! (real sets) measures the text of each expected family reconciled on its
//! own, the families still found by one run over all the scans.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use reprint::evaluate::{self, FamilyScore, Matches, RealSet, Report};
use reprint::simulate::Truth;
use reprint::{Document, Reconciler, Reconciliation, RemovedKind};

const USAGE: &str = "usage: eval DIR... [--each] [--json] [--all] [--row [--name NAME]]";

struct Args {
    dirs: Vec<PathBuf>,
    json: bool,
    all: bool,
    row: bool,
    each: bool,
    name: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        dirs: Vec::new(),
        json: false,
        all: false,
        row: false,
        each: false,
        name: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => args.json = true,
            "--all" => args.all = true,
            "--row" => args.row = true,
            "--each" => args.each = true,
            "--name" => args.name = Some(it.next().ok_or("--name needs a value")?),
            "--help" | "-h" => return Err(USAGE.into()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}")),
            _ => args.dirs.push(PathBuf::from(a)),
        }
    }
    if args.dirs.is_empty() {
        return Err(format!("no DIR given\n{USAGE}"));
    }
    Ok(args)
}

/// One set read and reconciled.
struct Scored {
    dir: PathBuf,
    chars: usize,
    scans: usize,
    seconds: f64,
    kind: &'static str,
    report: Option<Report>,
    result: Reconciliation,
}

fn run(dir: &Path, each: bool) -> Result<(Scored, Vec<String>), String> {
    if !dir.is_dir() {
        return Err(format!("{}: not a directory", dir.display()));
    }
    let mut skipped = Vec::new();
    let truth_path = dir.join("truth.json");
    let (documents, expected, truth, kind): (Vec<Document>, _, _, _) = if truth_path.exists() {
        let truth = Truth::read(&truth_path).map_err(|e| e.to_string())?;
        // Only *.txt files are read, so truth.json is not taken for a scan.
        let loaded = reprint::load([dir]);
        skipped.extend(loaded.errors.iter().map(|e| e.to_string()));
        (loaded.documents, None, Some(truth), "simulated")
    } else if RealSet::is_set(dir) {
        let set = RealSet::read(dir).map_err(|e| e.to_string())?;
        skipped.extend(set.errors.iter().map(|e| e.to_string()));
        let kind = if set.expected.families.iter().any(|f| f.text.is_some()) {
            "real, with truth"
        } else {
            "real, families only"
        };
        (set.documents, Some(set.expected), None, kind)
    } else {
        let loaded = reprint::load([dir]);
        skipped.extend(loaded.errors.iter().map(|e| e.to_string()));
        (loaded.documents, None, None, "no truth")
    };
    if documents.is_empty() {
        return Err(format!("{}: no readable scans", dir.display()));
    }
    let started = Instant::now();
    let result = Reconciler::new()
        .reconcile(&documents)
        .map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    let report = match (&truth, &expected) {
        (Some(t), _) => Some(evaluate::evaluate(t, &documents, &result)),
        (None, Some(e)) if each => Some(
            evaluate::score_each(e, &documents, &Reconciler::new()).map_err(|e| e.to_string())?,
        ),
        (None, Some(e)) => Some(evaluate::score(e, &documents, &result)),
        _ => None,
    };
    let chars = documents.iter().map(|d| d.text().chars().count()).sum();
    Ok((
        Scored {
            dir: dir.to_path_buf(),
            chars,
            scans: documents.len(),
            seconds,
            kind,
            report,
            result,
        },
        skipped,
    ))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("eval: {msg}");
            return ExitCode::from(1);
        }
    };
    let mut sets = Vec::new();
    let mut any_skipped = false;
    for dir in &args.dirs {
        match run(dir, args.each) {
            Ok((s, skipped)) => {
                for e in skipped {
                    any_skipped = true;
                    eprintln!("eval: skipped: {e}");
                }
                sets.push(s);
            }
            Err(e) => {
                eprintln!("eval: {e}");
                return ExitCode::from(1);
            }
        }
    }
    if args.row {
        let name = args.name.clone().unwrap_or_else(|| {
            sets[0]
                .dir
                .file_name()
                .map_or("?".into(), |n| n.to_string_lossy().into_owned())
        });
        print_row(&name, &sets);
    } else if args.json {
        let all: Vec<serde_json::Value> = sets
            .iter()
            .map(|s| match &s.report {
                Some(r) => serde_json::json!({"dir": s.dir, "kind": s.kind, "report": r}),
                None => {
                    serde_json::json!({"dir": s.dir, "kind": s.kind, "summary": summary(&s.result)})
                }
            })
            .collect();
        let v = if all.len() == 1 {
            all.into_iter().next().expect("one")
        } else {
            serde_json::Value::Array(all)
        };
        println!("{}", serde_json::to_string_pretty(&v).expect("serialises"));
    } else {
        for (i, s) in sets.iter().enumerate() {
            if i > 0 {
                println!("\n");
            }
            println!(
                "{} ({}): {} scans, {} characters, {} families found, reconciled in {:.2} s",
                s.dir.display(),
                s.kind,
                s.scans,
                s.chars,
                s.result.families.len(),
                s.seconds
            );
            match &s.report {
                Some(r) => print_report(r, args.all),
                None => print_summary(&summary(&s.result)),
            }
        }
    }
    if any_skipped {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn pct(x: f64) -> String {
    format!("{:.2}%", 100.0 * x)
}

fn opt_pct(x: Option<f64>) -> String {
    x.map_or("–".into(), pct)
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for x in xs {
        sum += x;
        n += 1;
    }
    if n == 0 { 0.0 } else { sum / n as f64 }
}

/// One Markdown row of README's accuracy table over `sets` (one per seed):
/// the mean, and after the slash the worst, of each figure.
fn print_row(name: &str, sets: &[Scored]) {
    let reports: Vec<&Report> = sets.iter().filter_map(|s| s.report.as_ref()).collect();
    if reports.is_empty() {
        eprintln!("eval: --row needs sets with truth");
        return;
    }
    let o = |f: &dyn Fn(&Report) -> f64| -> (f64, f64) {
        let xs: Vec<f64> = reports.iter().map(|r| f(r)).collect();
        (
            mean(xs.iter().copied()),
            xs.iter().copied().fold(f64::MIN, f64::max),
        )
    };
    let has_truth = reports.iter().any(|r| r.overall.with_truth > 0);
    let cell = |f: &dyn Fn(&Report) -> f64, bold: bool| -> String {
        let (m, w) = o(f);
        if reports.len() == 1 {
            if bold {
                format!("**{}**", pct(m))
            } else {
                pct(m)
            }
        } else if bold {
            format!("**{}** / {}", pct(m), pct(w))
        } else {
            format!("{} / {}", pct(m), pct(w))
        }
    };
    let dash = "–".to_string();
    let (cer, best, mean_scan, order) = if has_truth {
        (
            cell(&|r| r.overall.cer(), true),
            cell(&|r| r.overall.best_scan_cer(), false),
            pct(o(&|r| r.overall.mean_scan_cer()).0),
            cell(&|r| r.overall.order_error(), false),
        )
    } else {
        (dash.clone(), dash.clone(), dash.clone(), dash.clone())
    };
    let wer = if reports.iter().all(|r| r.overall.wer().is_some()) {
        format!(
            "{} ({})",
            pct(o(&|r| r.overall.wer().unwrap_or(0.0)).0),
            pct(o(&|r| r.overall.best_scan_wer().unwrap_or(0.0)).0)
        )
    } else {
        dash.clone()
    };
    let garbled = {
        let (m, w) = o(&|r| r.overall.garbled_per_mille() / 1000.0);
        if reports.len() == 1 {
            format!("{:.1}‰", 1000.0 * m)
        } else {
            format!("{:.1}‰ / {:.1}‰", 1000.0 * m, 1000.0 * w)
        }
    };
    let doubled: usize = reports.iter().map(|r| r.overall.duplicated).sum();
    let lost: usize = reports.iter().map(|r| r.overall.missing).sum();
    let paragraphs = if has_truth {
        format!("{doubled} / {lost}")
    } else {
        dash.clone()
    };
    let length = format!(
        "{:.2} / {:.2}",
        mean(reports.iter().map(|r| r.overall.length_ratio())),
        reports
            .iter()
            .map(|r| r.overall.max_length_ratio)
            .fold(f64::MIN, f64::max)
    );
    let p = reports
        .iter()
        .map(|r| r.pairs.precision())
        .fold(1.0, f64::min);
    let rc = reports.iter().map(|r| r.pairs.recall()).fold(1.0, f64::min);
    let families = mean(reports.iter().map(|r| r.families.len() as f64));
    let scans = mean(sets.iter().map(|s| s.scans as f64));
    let seconds = mean(sets.iter().map(|s| s.seconds));
    println!(
        "| {name} | {} | {families:.0} | {scans:.0} | {cer} | {best} | {mean_scan} | {wer} | {order} | {garbled} | {paragraphs} | {length} | {p:.2} / {rc:.2} | {seconds:.2} s |",
        sets.len(),
    );
}

fn family_line(f: &FamilyScore) -> String {
    let s = &f.score;
    let found: Vec<String> = f.reconciled.iter().map(|x| x.to_string()).collect();
    let truth = s.with_truth > 0;
    let c = |x: f64| if truth { pct(x) } else { "–".into() };
    format!(
        "{:<22} {:<6} {:>5} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7} {:>6.2} {:>4} {:>4}  {}{}",
        f.name,
        f.script.name(),
        f.scans,
        s.chars.max(s.canonical_chars),
        c(s.cer()),
        c(s.best_scan_cer()),
        c(s.mean_scan_cer()),
        opt_pct(if truth { s.wer() } else { None }),
        c(s.order_error()),
        s.garbled,
        s.max_length_ratio,
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
    )
}

fn print_report(r: &Report, all: bool) {
    let mut rows: Vec<&FamilyScore> = r.families.iter().collect();
    let limit = if all || rows.len() <= 12 {
        rows.len()
    } else {
        10
    };
    if limit < rows.len() {
        // The worst families are the ones worth reading: by CER where the
        // text is known, else by garbled words and excess length.
        rows.sort_by(|a, b| {
            let key = |f: &FamilyScore| {
                if f.score.with_truth > 0 {
                    f.score.cer()
                } else {
                    f.score.garbled as f64 + f.score.max_length_ratio
                }
            };
            key(b).total_cmp(&key(a)).then(a.name.cmp(&b.name))
        });
        println!("\nthe {limit} worst of {} families:", rows.len());
    } else {
        println!();
    }
    println!(
        "{:<22} {:<6} {:>5} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7} {:>6} {:>4} {:>4}  found in",
        "family",
        "script",
        "scans",
        "chars",
        "CER",
        "best",
        "mean",
        "WER",
        "order",
        "garbled",
        "length",
        "dup",
        "lost"
    );
    for f in rows.iter().take(limit) {
        println!("{}", family_line(f));
    }
    let s = &r.overall;
    let truth = s.with_truth > 0;
    println!();
    if truth {
        println!(
            "canonical:       CER {} (order error {}), WER {}",
            pct(s.cer()),
            pct(s.order_error()),
            opt_pct(s.wer())
        );
        println!(
            "best witness:    CER {}, WER {}",
            pct(s.best_scan_cer()),
            opt_pct(s.best_scan_wer())
        );
        println!(
            "mean witness:    CER {}, WER {}",
            pct(s.mean_scan_cer()),
            opt_pct(s.mean_scan_wer())
        );
        println!(
            "longest witness: CER {}, WER {}",
            pct(s.longest_scan_cer()),
            opt_pct(s.longest_scan_wer())
        );
        for (label, w) in &r.witnesses {
            println!(
                "{:<16} CER {}, WER {} ({} witnesses)",
                format!("{label}:"),
                pct(w.cer()),
                if w.words > 0 {
                    pct(w.wer())
                } else {
                    "–".into()
                },
                w.count
            );
        }
        println!(
            "paragraphs:      {} of {} doubled, {} lost",
            s.duplicated, s.paragraphs, s.missing
        );
    }
    println!(
        "length:          canonical {:.3}× the longest witness overall, {:.3}× at most",
        s.length_ratio(),
        s.max_length_ratio
    );
    println!(
        "garbled words:   {} of {} checked ({:.1}‰)",
        s.garbled,
        s.checked_words,
        s.garbled_per_mille()
    );
    for f in rows
        .iter()
        .take(limit)
        .filter(|f| !f.garbled_examples.is_empty())
    {
        println!(
            "  garbled in {}: {}",
            f.name,
            f.garbled_examples.join(" · ")
        );
    }
    if r.duplicates.truth + r.fragments.truth + r.debris.truth > 0 || r.duplicates.predicted > 0 {
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
    }
    println!(
        "\nfamilies: precision {:.3}, recall {:.3} over document pairs ({} true, {} predicted, {} right); {} merged, {} split",
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
            "{} expected documents were not read: {}",
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
