//! Real scans nobody on the project wrote (`tests/data/real/`): the
//! evaluation's own measures checked by hand, and the library held to
//! today's figures on them. A failure means the canonical texts or the
//! families got substantially worse; when a change makes them better, tighten
//! the limits to the new figures (printed with `-- --nocapture`). Never
//! loosen one without a note in the commit saying why.

use std::path::Path;

use reprint::Reconciler;
use reprint::evaluate::{self, RealSet, Report};
use unicode_normalization::UnicodeNormalization;

fn real(name: &str) -> (RealSet, Report) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/real")
        .join(name);
    let set = RealSet::read(&dir).expect("the set reads");
    let result = Reconciler::new()
        .reconcile(&set.documents)
        .expect("reconciles");
    let report = evaluate::score(&set.expected, &set.documents, &result);
    (set, report)
}

/// Textbook Levenshtein distance, one row at a time: the independent check
/// of the bit-parallel one the evaluation uses.
fn naive_levenshtein(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &y) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(x != y)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// CER as the literature measures these pages: NFKC, whitespace removed,
/// edits over the truth's length.
fn naive_cer(truth: &str, text: &str) -> f64 {
    let norm = |s: &str| -> Vec<char> { s.nfkc().filter(|c| !c.is_whitespace()).collect() };
    let t = norm(truth);
    naive_levenshtein(&t, &norm(text)) as f64 / t.len() as f64
}

#[test]
fn unlv_engine_cer_matches_a_naive_levenshtein() {
    let (set, report) = real("unlv_bus3b");
    let page = "bus3b_8501_001";
    let family = report
        .families
        .iter()
        .find(|f| f.name == page)
        .expect("page scored");
    let expected = set
        .expected
        .families
        .iter()
        .find(|f| f.name == page)
        .expect("page expected");
    let truth = expected.text.as_deref().expect("page has a truth");
    assert_eq!(family.witnesses.len(), 3);
    for w in &family.witnesses {
        let doc = set
            .documents
            .iter()
            .find(|d| d.id() == w.document)
            .expect("witness read");
        let naive = naive_cer(truth, doc.text());
        println!("{}: eval {:.4} naive {naive:.4}", w.label, w.cer());
        assert!(
            (w.cer() - naive).abs() < 0.001,
            "{}: eval {} naive {naive}",
            w.label,
            w.cer()
        );
    }
    // The engines over all 65 pages, as published for this set
    // (tests/data/real/README.md): ABBYY 2.68%, Tesseract 2.56%, ocropy
    // 11.09% (its one empty page counts as a page read wrong throughout).
    for (label, published) in [("abbyy", 0.0268), ("tesseract", 0.0256), ("ocropy", 0.1109)] {
        let w = &report.witnesses[label];
        assert_eq!(w.count, 65, "{label}");
        assert!(
            (w.cer() - published).abs() < 0.001,
            "{label}: {} against {published}",
            w.cer()
        );
    }
}

#[test]
fn unlv_holds_todays_figures() {
    // Each page's readings reconciled on their own for the text figures;
    // the families from one run over all of them.
    let (set, _) = real("unlv_bus3b");
    let r = evaluate::score_each(&set.expected, &set.documents, &Reconciler::new()).unwrap();
    let o = &r.overall;
    println!(
        "unlv_bus3b: CER {:.4} (best {:.4}, mean {:.4}, longest {:.4}), order error {:.4}, \
         WER {:.4} (best {:.4}), garbled {:.1}‰, paragraphs doubled {} lost {} of {}, \
         families P {:.3} R {:.3}",
        o.cer(),
        o.best_scan_cer(),
        o.mean_scan_cer(),
        o.longest_scan_cer(),
        o.order_error(),
        o.wer().unwrap_or(f64::NAN),
        o.best_scan_wer().unwrap_or(f64::NAN),
        o.garbled_per_mille(),
        o.duplicated,
        o.missing,
        o.paragraphs,
        r.pairs.precision(),
        r.pairs.recall(),
    );
    assert_eq!(r.families.len(), 65);
    // Measured: CER 0.0324, WER 0.0575, garbled 0.4‰.
    assert!(o.cer() <= 0.034, "CER {}", o.cer());
    assert!(o.wer().unwrap() <= 0.060, "WER {:?}", o.wer());
    assert!(o.garbled_per_mille() <= 1.0);
    assert!(r.pairs.precision() >= 0.99 && r.pairs.recall() >= 0.985);
}

#[test]
fn impresso_holds_todays_figures() {
    let (set, r) = real("impresso_passim");
    let o = &r.overall;
    println!(
        "impresso_passim: length {:.3}× the longest reprint (at most {:.3}×), garbled {} of {} ({:.1}‰), families P {:.3} R {:.3}",
        o.length_ratio(),
        o.max_length_ratio,
        o.garbled,
        o.checked_words,
        o.garbled_per_mille(),
        r.pairs.precision(),
        r.pairs.recall(),
    );
    assert_eq!(set.documents.len(), 61);
    assert_eq!(r.families.len(), 12);
    assert_eq!(o.with_truth, 0);
    assert!(r.pairs.precision() >= 1.0 && r.pairs.recall() >= 1.0);
    // Measured: at most 1.107× the longest reprint, garbled 1.8‰.
    assert!(o.max_length_ratio <= 1.12, "{}", o.max_length_ratio);
    assert!(o.garbled_per_mille() <= 2.5);
}

/// Canonical words glued from the last word of one printed line and the
/// first word of the next: words no witness prints, which split into a
/// line's last word and the next line's first word as some witness prints
/// them (a line ending in a hyphen splits a word, which reads whole).
fn glued_words(set: &RealSet, result: &reprint::Reconciliation) -> Vec<String> {
    use std::collections::BTreeSet;
    let trim = |w: &str| -> String { w.trim_matches(|c: char| !c.is_alphanumeric()).to_string() };
    let mut glued = Vec::new();
    for f in &result.families {
        let mut printed: BTreeSet<String> = BTreeSet::new();
        let mut across: BTreeSet<(String, String)> = BTreeSet::new();
        let mut hyphenated: BTreeSet<(String, String)> = BTreeSet::new();
        for id in &f.documents {
            let doc = set.documents.iter().find(|d| d.id() == id).unwrap();
            let lines: Vec<&str> = doc.text().lines().collect();
            for l in &lines {
                printed.extend(l.split_whitespace().map(trim));
            }
            for pair in lines.windows(2) {
                if let (Some(a), Some(b)) = (
                    pair[0].split_whitespace().next_back(),
                    pair[1].split_whitespace().next(),
                ) {
                    // A word split with a hyphen ("Home-" / "owners") reads
                    // whole: healed, not glued, whichever scan drops the hyphen.
                    if a.ends_with(['-', '¬', '\u{00AD}', '\u{2010}']) {
                        hyphenated.insert((trim(a), trim(b)));
                    } else {
                        across.insert((trim(a), trim(b)));
                    }
                }
            }
        }
        for w in f.text.split_whitespace().map(trim) {
            if w.is_empty() || printed.contains(&w) {
                continue;
            }
            let split = w
                .char_indices()
                .skip(1)
                .map(|(i, _)| (w[..i].to_string(), w[i..].to_string()))
                .any(|pair| across.contains(&pair) && !hyphenated.contains(&pair));
            if split {
                glued.push(w);
            }
        }
    }
    glued
}

#[test]
fn no_word_is_glued_across_a_line_break() {
    for name in ["unlv_bus3b", "impresso_passim"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/real")
            .join(name);
        let set = RealSet::read(&dir).unwrap();
        let result = Reconciler::new().reconcile(&set.documents).unwrap();
        let glued = glued_words(&set, &result);
        assert!(
            glued.is_empty(),
            "{name}: {} glued: {:?}",
            glued.len(),
            &glued[..glued.len().min(20)]
        );
    }
}
