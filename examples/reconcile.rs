//! Reconcile a folder of OCR scans into one canonical text per family.
//!
//! ```text
//! cargo run --release --example reconcile -- [--format text|json|html|tei] [--out DIR] [--strict] [PATH ...]
//! ```
//!
//! PATHs are files or directories (searched for `*.txt`); none means the
//! bundled `corpus/`. A file that cannot be read is reported on stderr and
//! skipped (exit code 2 at the end); with `--strict` it stops the run (exit
//! code 1) before anything is reconciled.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use reprint::{ErrorKind, Reconciler, Reconciliation};

const USAGE: &str =
    "usage: reconcile [--format text|json|html|tei] [--out DIR] [--strict] [PATH ...]";

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Text,
    Json,
    Html,
    Tei,
}

struct Args {
    format: Format,
    out: Option<PathBuf>,
    strict: bool,
    paths: Vec<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        format: Format::Text,
        out: None,
        strict: false,
        paths: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" | "-f" => {
                args.format = match it.next().as_deref() {
                    Some("text") => Format::Text,
                    Some("json") => Format::Json,
                    Some("html") => Format::Html,
                    Some("tei") => Format::Tei,
                    other => {
                        return Err(format!(
                            "unknown format {other:?}; expected text, json, html or tei"
                        ));
                    }
                }
            }
            "--out" | "-o" => args.out = Some(it.next().ok_or("--out needs a directory")?.into()),
            "--strict" => args.strict = true,
            "--help" | "-h" => return Err(USAGE.into()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}")),
            _ => args.paths.push(a.into()),
        }
    }
    if args.paths.is_empty() {
        args.paths
            .push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus"));
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("reconcile: {msg}");
            return ExitCode::from(1);
        }
    };
    let loaded = reprint::load(&args.paths);
    if args.strict
        && let Some(err) = loaded.errors.first()
    {
        eprintln!("reconcile: error: {err}");
        return ExitCode::from(1);
    }
    for err in &loaded.errors {
        eprintln!("reconcile: skipped: {err}");
    }
    for doc in &loaded.documents {
        if let reprint::Encoding::Utf8Lossy { replaced } = doc.encoding() {
            let name = doc
                .path()
                .map_or_else(|| doc.id().to_owned(), |p| p.display().to_string());
            eprintln!(
                "reconcile: warning: {name}: {replaced} invalid UTF-8 sequences read as U+FFFD (their bytes stay in the provenance)"
            );
        }
    }
    if loaded.documents.is_empty() {
        eprintln!("reconcile: error: no documents could be read");
        return ExitCode::from(1);
    }
    let bytes: usize = loaded.documents.iter().map(|d| d.len()).sum();
    let mut reconciler = Reconciler::new();
    let bar = (std::io::stderr().is_terminal() && bytes > 2 << 20).then(|| {
        let bar = ProgressBar::new(1);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg:>8} [{bar:40}] {pos}/{len} ({elapsed})")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    if let Some(bar) = &bar {
        let bar = bar.clone();
        reconciler = reconciler.on_progress(move |p| {
            bar.set_message(p.stage);
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
        });
    }
    // JSON to stdout is written family by family as they are reconciled:
    // a large run never holds its whole output.
    let written = if matches!(args.format, Format::Json) && args.out.is_none() {
        match reconciler.reconcile_to_json(&loaded.documents, std::io::stdout().lock()) {
            Err(err) if matches!(err.kind(), ErrorKind::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe) => {
                Ok(())
            }
            other => other.map_err(|e| e.to_string()),
        }
    } else {
        match reconciler.reconcile(&loaded.documents) {
            Ok(result) => write_output(&args, &result, &loaded.documents),
            Err(err) => Err(err.to_string()),
        }
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Err(err) = written {
        eprintln!("reconcile: error: {err}");
        return ExitCode::from(1);
    }
    if loaded.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn write_output(
    args: &Args,
    result: &Reconciliation,
    documents: &[reprint::Document],
) -> Result<(), String> {
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for f in &result.families {
            let path = dir.join(format!("family-{}.txt", f.id));
            let mut text = f.text.clone();
            text.push('\n');
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        let path = dir.join("reconciliation.json");
        std::fs::File::create(&path)
            .and_then(|f| result.write_json(f))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        for (name, body) in [
            ("report.html", result.to_html_with(documents)),
            ("reconciliation.tei.xml", result.to_tei()),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, body).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        eprintln!(
            "reconcile: wrote {} family-N.txt, reconciliation.json, report.html and reconciliation.tei.xml to {}",
            result.families.len(),
            dir.display()
        );
        return Ok(());
    }
    let out = match args.format {
        Format::Text => result.to_text(),
        Format::Json => {
            return match result.write_json(std::io::stdout().lock()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(|e| format!("stdout: {e}")),
            };
        }
        Format::Html => result.to_html_with(documents),
        Format::Tei => result.to_tei(),
    };
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(out.as_bytes()) {
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| format!("stdout: {e}")),
    }
}
