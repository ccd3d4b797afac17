//! The scan simulator: deterministic for a seed, and its truth exact.

use std::collections::BTreeSet;

use reprint::Reconciler;
use reprint::evaluate::{self, fold};
use reprint::simulate::{self, SimConfig, SimCorpus, Truth};

const ZH: &str = include_str!("../data/clean/zh.txt");
const EN: &str = include_str!("../data/clean/en.txt");

fn sources() -> Vec<String> {
    vec![ZH.to_string(), EN.to_string()]
}

/// A corpus with every kind of noise turned up, so each check meets each kind.
fn noisy(seed: u64) -> SimCorpus {
    let mut config = SimConfig::new();
    config
        .families(40)
        .distractors(6)
        .scans(1..=5)
        .paragraphs(2..=6)
        .noise(0.04)
        .seed(seed)
        .repeats(0.5)
        .fragments(0.5)
        .page_breaks(0.3)
        .debris(0.3)
        .abridge(0.4)
        .reorder(0.5)
        .punctuation(0.3);
    simulate::simulate(&config, &sources())
}

#[test]
fn same_seed_same_corpus_other_seed_other_corpus() {
    let a = noisy(42);
    let b = noisy(42);
    assert_eq!(a, b);
    assert_eq!(a.truth.to_json(), b.truth.to_json());
    let c = noisy(43);
    assert_ne!(
        a.scans.iter().map(|s| &s.text).collect::<Vec<_>>(),
        c.scans.iter().map(|s| &s.text).collect::<Vec<_>>()
    );
}

#[test]
fn more_families_leave_the_first_ones_alone() {
    // Each family draws from its own random stream: the clean texts of the
    // first families do not depend on how many come after.
    let mut config = SimConfig::new();
    config.families(5).seed(9);
    let small = simulate::simulate(&config, &sources());
    config.families(8);
    let large = simulate::simulate(&config, &sources());
    for (a, b) in small.truth.families.iter().zip(&large.truth.families) {
        assert_eq!(a.text, b.text);
    }
}

#[test]
fn written_and_read_back() {
    let corpus = noisy(5);
    let dir = std::env::temp_dir().join(format!("reprint-sim-test-{}", std::process::id()));
    // A stale scan from an earlier run must go.
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("scan-99999.txt"), "stale").unwrap();
    corpus.write(&dir).unwrap();
    assert!(!dir.join("scan-99999.txt").exists());
    let truth = Truth::read(&dir).unwrap();
    assert_eq!(truth, corpus.truth);
    for scan in &corpus.scans {
        let text = std::fs::read_to_string(dir.join(format!("{}.txt", scan.name))).unwrap();
        assert_eq!(text, scan.text);
    }
    let loaded = reprint::load([&dir]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert_eq!(
        loaded.documents.len(),
        corpus.scans.len(),
        "truth.json is not a scan"
    );
    std::fs::remove_dir_all(&dir).unwrap();

    let err = Truth::read(dir.join("nowhere.json")).unwrap_err();
    assert!(err.to_string().contains("nowhere.json"), "{err}");
    assert!(Truth::from_json("{\"schema\": \"other\"}").is_err());
}

#[test]
fn truth_is_exact() {
    for seed in [1, 2, 3] {
        check_truth(&noisy(seed));
    }
}

fn check_truth(corpus: &SimCorpus) {
    let truth = &corpus.truth;
    assert_eq!(corpus.scans.len(), truth.scans.len());
    let mut counts = [0usize; 6];
    for (scan, t) in corpus.scans.iter().zip(&truth.scans) {
        assert_eq!(scan.name, t.name);
        let text = &scan.text;
        let family = &truth.families[t.family];
        assert!(
            family.scans.contains(&t.name),
            "{} not in its family",
            t.name
        );
        let paragraphs: Vec<&str> = family.paragraphs().collect();

        // Every non-blank byte is in exactly one recorded range.
        let mut owner = vec![0u8; text.len()];
        let mut claim = |r: &std::ops::Range<usize>, what: &str| {
            assert!(
                r.start < r.end && r.end <= text.len(),
                "{}: {what} {r:?}",
                t.name
            );
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            for b in &mut owner[r.clone()] {
                assert_eq!(*b, 0, "{}: {what} {r:?} overlaps another range", t.name);
                *b = 1;
            }
        };
        // Printed paragraphs: each family paragraph once, or listed missing.
        let mut seen: Vec<usize> = t.paragraphs.iter().map(|p| p.paragraph).collect();
        seen.extend(&t.missing);
        seen.sort();
        assert_eq!(
            seen,
            (0..paragraphs.len()).collect::<Vec<_>>(),
            "{}",
            t.name
        );
        for p in &t.paragraphs {
            assert!(!p.pieces.is_empty() && p.pieces.len() <= 2);
            let printed: String = p.pieces.iter().map(|r| &text[r.clone()]).collect();
            for r in &p.pieces {
                claim(r, "paragraph");
            }
            let clean = paragraphs[p.paragraph];
            if p.exact {
                assert_eq!(printed, clean, "{}: paragraph {}", t.name, p.paragraph);
                counts[0] += 1;
            } else {
                let d = evaluate::distance(&fold(clean), &fold(&printed));
                assert!(d <= p.edits, "{}: {d} edits > {}", t.name, p.edits);
            }
            if p.pieces.len() == 2 {
                // A page break: only debris lines between the halves.
                let between = &text[p.pieces[0].end..p.pieces[1].start];
                assert!(between.starts_with("\n\n") && between.ends_with("\n\n"));
                counts[1] += 1;
            }
        }
        let piece_of = |paragraph: usize| {
            let p = t
                .paragraphs
                .iter()
                .find(|p| p.paragraph == paragraph)
                .unwrap();
            assert_eq!(p.pieces.len(), 1, "copied paragraphs are printed whole");
            p.pieces[0].clone()
        };
        for d in &t.duplicates {
            claim(&d.range(), "duplicate");
            assert_eq!(text[d.range()], text[d.of.clone()]);
            assert_eq!(d.of, piece_of(d.paragraph));
            assert!(d.start > d.of.end, "a duplicate comes after its original");
            counts[2] += 1;
        }
        for f in &t.fragments {
            claim(&f.range(), "fragment");
            assert_eq!(text[f.range()], text[f.of.clone()]);
            let whole = piece_of(f.paragraph);
            assert!(whole.start <= f.of.start && f.of.end <= whole.end);
            assert!(f.of.len() < whole.len(), "a fragment is truncated");
            assert!(f.of.start == whole.start || f.of.end == whole.end);
            counts[3] += 1;
        }
        for d in &t.debris {
            claim(&d.range(), "debris");
            assert_eq!(text[d.range()], d.text);
            assert!(d.start == 0 || text[..d.start].ends_with('\n'));
            assert!(text[d.end..].starts_with('\n'), "debris is a whole line");
            counts[4] += 1;
        }
        for (i, b) in text.bytes().enumerate() {
            if owner[i] == 0 {
                assert!(
                    b.is_ascii_whitespace(),
                    "{}: byte {i} ({:?}) is in no recorded range",
                    t.name,
                    String::from_utf8_lossy(&text.as_bytes()[i..(i + 12).min(text.len())])
                );
            }
        }
        counts[5] += usize::from(t.reordered);
    }
    // Every kind of noise occurred.
    assert!(counts.iter().all(|&n| n > 0), "counts {counts:?}");

    for f in &truth.families {
        let members: Vec<_> = truth.scans.iter().filter(|s| s.family == f.id).collect();
        assert_eq!(members.len(), f.scans.len());
        if f.distractor {
            assert_eq!(f.scans.len(), 1);
        }
        // Every paragraph is printed by some scan; most scans keep the order.
        for p in 0..f.paragraphs().count() {
            assert!(
                members
                    .iter()
                    .any(|s| s.paragraphs.iter().any(|x| x.paragraph == p)),
                "family {} paragraph {p} printed nowhere",
                f.id
            );
        }
        let reordered = members.iter().filter(|s| s.reordered).count();
        assert!(reordered * 2 < members.len(), "family {}", f.id);
    }
    // No two families print the same source paragraph in the same lettering.
    let mut uses = BTreeSet::new();
    for f in &truth.families {
        for s in &f.sources {
            assert!(uses.insert((s.index, s.generation)), "{s:?} used twice");
        }
    }
}

#[test]
fn relettered_families_share_no_phrases() {
    // 120 families of 3–6 paragraphs: most of the text is re-lettered.
    let mut config = SimConfig::new();
    config.families(120).seed(3);
    let corpus = simulate::simulate(&config, &sources());
    let fams = &corpus.truth.families;
    assert!(
        fams.iter()
            .any(|f| f.sources.iter().any(|s| s.generation > 3))
    );
    let grams = |f: &simulate::TruthFamily| -> BTreeSet<Vec<char>> {
        let k = if f.script == simulate::Script::Han {
            8
        } else {
            16
        };
        fold(&f.text).windows(k).map(|w| w.to_vec()).collect()
    };
    let all: Vec<BTreeSet<Vec<char>>> = fams.iter().map(grams).collect();
    let mut worst = 0.0f64;
    for i in 0..all.len() {
        for j in i + 1..all.len() {
            let shared = all[i].intersection(&all[j]).count();
            worst = worst.max(shared as f64 / all[i].len().min(all[j].len()) as f64);
        }
    }
    // Far below the share that makes two texts reprints of one another.
    assert!(
        worst <= 0.05,
        "two families share {:.1}% of their phrases",
        100.0 * worst
    );
}

#[test]
fn distance_is_levenshtein() {
    // Compare with the textbook quadratic algorithm on random texts that
    // cross the 64-character block boundaries.
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let alphabet: Vec<char> = "ab甲乙c".chars().collect();
    for _ in 0..300 {
        let la = next(200) as usize;
        let a: Vec<char> = (0..la).map(|_| alphabet[next(5) as usize]).collect();
        // b: a with some edits, or unrelated.
        let mut b = a.clone();
        if next(4) == 0 {
            b = (0..next(200)).map(|_| alphabet[next(5) as usize]).collect();
        } else {
            for _ in 0..next(20) {
                let i = next(b.len() as u64 + 1) as usize;
                match next(3) {
                    0 => b.insert(i, alphabet[next(5) as usize]),
                    1 if i < b.len() => {
                        b.remove(i);
                    }
                    _ if i < b.len() => b[i] = alphabet[next(5) as usize],
                    _ => {}
                }
            }
        }
        let sa: String = a.iter().collect();
        let sb: String = b.iter().collect();
        assert_eq!(
            evaluate::distance(&a, &b),
            strsim::levenshtein(&sa, &sb),
            "{sa:?} {sb:?}"
        );
    }
    assert_eq!(evaluate::distance(&[], &['a', 'b']), 2);
    assert_eq!(evaluate::cer("", ""), 0.0);
    assert_eq!(
        evaluate::cer("ＡＢ，c", "AB,c"),
        0.0,
        "CER is measured on folded text"
    );
    assert_eq!(evaluate::cer("ab", "AB"), 1.0, "case is kept");
}

#[test]
fn noiseless_scans_reconcile_to_the_truth() {
    let mut config = SimConfig::new();
    config
        .families(4)
        .distractors(1)
        .scans(2..=3)
        .noise(0.0)
        .punctuation(0.0)
        .repeats(0.0)
        .fragments(0.0)
        .page_breaks(0.0)
        .debris(0.0)
        .abridge(0.0)
        .reorder(0.0)
        .seed(1);
    let corpus = simulate::simulate(&config, &sources());
    for t in &corpus.truth.scans {
        assert!(t.paragraphs.iter().all(|p| p.exact && p.edits == 0));
    }
    let docs = corpus.documents();
    let result = Reconciler::new().reconcile(&docs).unwrap();
    let report = evaluate::evaluate(&corpus.truth, &docs, &result);
    assert_eq!(report.overall.edits, 0, "{:#?}", report.families);
    assert_eq!(report.overall.best_scan_edits, 0);
    assert_eq!((report.overall.duplicated, report.overall.missing), (0, 0));
    assert_eq!(report.pairs.precision(), 1.0);
    assert_eq!(report.pairs.recall(), 1.0);
    assert_eq!(report.debris.truth, 0);
}

#[test]
fn clean_sources_are_as_documented() {
    // data/clean/README.md: news paragraphs, one per line, of these sizes.
    for (text, lo, hi, han) in [(ZH, 60, 200, true), (EN, 200, 600, false)] {
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() >= 40);
        for l in &lines {
            let n = l.chars().count();
            assert!((lo..=hi).contains(&n), "{n} characters: {l}");
            assert_eq!(l.trim(), *l);
            // Chinese text uses fullwidth commas, English text halfwidth ones.
            assert_eq!(l.contains('，'), han, "{l}");
            assert!(!han || !l.contains(','), "{l}");
        }
    }
}
