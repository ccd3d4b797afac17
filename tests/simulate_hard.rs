//! The harder simulator: each phenomenon turned up on its own, its truth
//! checked against the scan bytes and the family's clean text rebuilt from
//! the truth alone. The default profile stays byte for byte what it was.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use reprint::evaluate::{self, fold};
use reprint::simulate::{
    self, BreakKind, Debris, LineBreak, Script, SimConfig, SimCorpus, Truth, TruthScan,
};

const ZH: &str = include_str!("../data/clean/zh.txt");
const EN: &str = include_str!("../data/clean/en.txt");

fn sources() -> Vec<String> {
    vec![ZH.to_string(), EN.to_string()]
}

/// 40 families of Chinese and English text with `set` applied; noiseless
/// scans print the source exactly, so the clean text can be rebuilt.
fn corpus(seed: u64, noisy: bool, set: impl Fn(&mut SimConfig)) -> SimCorpus {
    let mut config = SimConfig::new();
    config
        .families(40)
        .distractors(3)
        .scans(1..=5)
        .paragraphs(2..=6)
        .seed(seed);
    if !noisy {
        config.noise(0.0).punctuation(0.0);
    }
    set(&mut config);
    simulate::simulate(&config, &sources())
}

/// What the checks saw, summed over scans.
#[derive(Debug, Default)]
struct Seen {
    column_scans: BTreeSet<(Script, bool, bool)>,
    breaks: BTreeMap<BreakKind, usize>,
    cut_in_column: usize,
    inner_fragments: usize,
    late_runs: usize,
    moved: usize,
    solo: usize,
    misprints: usize,
    /// Boilerplate line → families printing it.
    boilerplate: BTreeMap<String, BTreeSet<usize>>,
    garbage: usize,
    /// Paragraphs rebuilt exactly from the truth.
    rebuilt: usize,
}

/// The bytes `range` with the layout undone, recomputed here from the
/// records rather than with [`TruthScan::unlaid`].
fn unlay(text: &str, range: Range<usize>, breaks: &[LineBreak]) -> String {
    let mut out = String::new();
    let mut at = range.start;
    for b in breaks
        .iter()
        .filter(|b| range.start <= b.start && b.end <= range.end)
    {
        out.push_str(&text[at..b.start]);
        out.push_str(match b.kind {
            BreakKind::Space => " ",
            _ => "",
        });
        at = b.end;
    }
    out.push_str(&text[at..range.end]);
    out
}

/// Checks every recorded range of every scan and every family record.
fn check(corpus: &SimCorpus) -> Seen {
    let truth = &corpus.truth;
    let mut seen = Seen::default();
    assert_eq!(corpus.scans.len(), truth.scans.len());
    for (scan, t) in corpus.scans.iter().zip(&truth.scans) {
        assert_eq!(scan.name, t.name);
        check_scan(&scan.text, t, truth, &mut seen);
    }
    for f in &truth.families {
        let clean: Vec<&str> = f.paragraphs().collect();
        let members: Vec<&TruthScan> = truth.scans.iter().filter(|s| s.family == f.id).collect();
        let prints = |s: &TruthScan, p: usize| s.paragraphs.iter().any(|x| x.paragraph == p);
        for p in 0..clean.len() {
            assert!(
                members.iter().any(|s| prints(s, p)),
                "family {} paragraph {p} printed nowhere",
                f.id
            );
        }
        for &p in &f.solo {
            assert!(
                members.len() >= 2,
                "family {}: solo in a family of one",
                f.id
            );
            let printing = members.iter().filter(|s| prints(s, p)).count();
            assert_eq!(printing, 1, "family {} solo paragraph {p}", f.id);
            for s in members.iter().filter(|s| !prints(s, p)) {
                assert!(s.missing.contains(&p), "{}: solo {p} not missing", s.name);
            }
            seen.solo += 1;
        }
        assert!(
            f.solo.len() < clean.len() || clean.len() == 1,
            "family {}: every paragraph solo",
            f.id
        );
        let mut misprinted = BTreeSet::new();
        for m in &f.misprints {
            assert!(
                misprinted.insert(m.paragraph),
                "two misprints in one paragraph"
            );
            let c = clean[m.paragraph];
            assert_eq!(&c[m.offset..m.offset + m.clean.len()], m.clean);
            assert_ne!(m.clean, m.printed);
            assert!(!m.clean.is_empty() && !m.printed.is_empty());
            // Undone, the misprint gives back the clean paragraph.
            let wrong = m.apply(c);
            let end = m.offset + m.printed.len();
            let back = format!("{}{}{}", &wrong[..m.offset], m.clean, &wrong[end..]);
            assert_eq!(back, c);
            seen.misprints += 1;
        }
    }
    seen
}

fn check_scan(text: &str, t: &TruthScan, truth: &Truth, seen: &mut Seen) {
    let name = &t.name;
    let family = &truth.families[t.family];
    let clean: Vec<&str> = family.paragraphs().collect();
    assert!(text.ends_with('\n'));

    // Every non-blank byte is in exactly one recorded range.
    let mut owner = vec![false; text.len()];
    let mut claim = |r: &Range<usize>, what: &str| {
        assert!(
            r.start < r.end && r.end <= text.len(),
            "{name}: {what} {r:?}"
        );
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        for b in &mut owner[r.clone()] {
            assert!(!*b, "{name}: {what} {r:?} overlaps another range");
            *b = true;
        }
    };
    let mut copies: Vec<Range<usize>> = Vec::new();
    for p in &t.paragraphs {
        for r in &p.pieces {
            claim(r, "paragraph");
            copies.push(r.clone());
        }
    }
    for c in t.duplicates.iter().chain(&t.fragments) {
        claim(&c.range(), "copy");
        copies.push(c.range());
    }
    for d in &t.debris {
        claim(&d.range(), "debris");
    }
    for (i, b) in text.bytes().enumerate() {
        assert!(
            owner[i] || b.is_ascii_whitespace(),
            "{name}: byte {i} is in no recorded range"
        );
    }

    // Layout records: inside a paragraph or copy, the bytes they say.
    assert!(t.breaks.windows(2).all(|w| w[0].end <= w[1].start));
    match &t.column {
        None => {
            assert!(t.breaks.is_empty(), "{name}: breaks without a column");
            for r in &copies {
                assert!(!text[r.clone()].contains('\n'), "{name}: a line break");
            }
        }
        Some(col) => {
            seen.column_scans
                .insert((family.script, col.blank_lines, !col.indent.is_empty()));
            if !col.blank_lines {
                assert!(!text.contains("\n\n"), "{name}: a blank line");
            }
            for r in &copies {
                // Lines fit the column (a Han closing mark may overhang).
                for line in text[r.clone()].split('\n') {
                    let n = line.chars().count();
                    let over = usize::from(family.script == Script::Han);
                    assert!(
                        n <= col.width + over,
                        "{name}: line {line:?} > {}",
                        col.width
                    );
                }
            }
        }
    }
    for b in &t.breaks {
        let r = copies
            .iter()
            .find(|r| r.start <= b.start && b.end <= r.end)
            .unwrap_or_else(|| panic!("{name}: break {b:?} outside the text"));
        let bytes = &text[b.range()];
        let at_end = b.end == r.end;
        match b.kind {
            BreakKind::Space => assert!(bytes == "\n" || (bytes.is_empty() && at_end)),
            BreakKind::Join => assert_eq!(bytes, "\n"),
            BreakKind::Hyphen => {
                assert!(bytes == "-\n" || (bytes == "-" && at_end), "{bytes:?}");
                // Inside a word: letters on both sides.
                let before = text[..b.start].chars().last().unwrap();
                assert!(before.is_ascii_alphabetic(), "{name}: {before:?}-");
                if bytes == "-\n" {
                    let after = text[b.end..].chars().next().unwrap();
                    assert!(after.is_ascii_alphabetic(), "{name}: -{after:?}");
                }
            }
            BreakKind::Indent => {
                assert_eq!(bytes, t.column.as_ref().unwrap().indent);
                assert_eq!(b.start, r.start, "an indent starts a paragraph");
            }
        }
        *seen.breaks.entry(b.kind).or_default() += 1;
    }
    let unlaid = |r: Range<usize>| {
        let mine = unlay(text, r.clone(), &t.breaks);
        assert_eq!(mine, t.unlaid(text, r), "{name}: unlaid");
        mine
    };

    // Printed paragraphs: each family paragraph once, or listed missing.
    let mut listed: Vec<usize> = t.paragraphs.iter().map(|p| p.paragraph).collect();
    listed.extend(&t.missing);
    listed.sort();
    assert_eq!(listed, (0..clean.len()).collect::<Vec<_>>(), "{name}");
    let mut printed_text: BTreeMap<usize, String> = BTreeMap::new();
    for p in &t.paragraphs {
        assert!(!p.pieces.is_empty() && p.pieces.len() <= 2);
        let printed: String = p.pieces.iter().map(|r| unlaid(r.clone())).collect();
        let want = clean[p.paragraph];
        if p.exact {
            assert_eq!(printed, want, "{name}: paragraph {}", p.paragraph);
        } else {
            let d = evaluate::distance(&fold(want), &fold(&printed));
            assert!(d <= p.edits, "{name}: {d} edits > {}", p.edits);
        }
        // Noiseless, a scan prints the source: the clean text with the
        // family's misprints; undone, they give back the clean paragraph.
        if t.noise == 0.0 {
            let mut source = want.to_string();
            for m in family
                .misprints
                .iter()
                .filter(|m| m.paragraph == p.paragraph)
            {
                source = m.apply(&source);
            }
            assert_eq!(printed, source, "{name}: paragraph {}", p.paragraph);
            seen.rebuilt += 1;
        }
        if p.pieces.len() == 2 {
            // Only debris or one fragment between the halves, on lines of
            // their own.
            let between = p.pieces[0].end..p.pieces[1].start;
            assert!(text[between.clone()].starts_with('\n'));
            assert!(text[between.clone()].ends_with('\n'));
            let inside = |r: &Range<usize>| between.start < r.start && r.end < between.end;
            let frags = t.fragments.iter().filter(|f| inside(&f.range())).count();
            let debris = t.debris.iter().filter(|d| inside(&d.range())).count();
            assert!(
                (frags == 1 && debris == 0) || (frags == 0 && debris > 0),
                "{name}: {frags} fragments and {debris} debris lines in a break"
            );
            for i in between.clone() {
                assert!(owner[i] || text.as_bytes()[i] == b'\n');
            }
            seen.inner_fragments += frags;
            seen.cut_in_column += usize::from(t.column.is_some());
        }
        printed_text.insert(p.paragraph, printed);
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
        assert_eq!(text[d.range()], text[d.of.clone()]);
        assert_eq!(d.of, piece_of(d.paragraph));
        assert!(d.start > d.of.end, "a duplicate comes after its original");
        assert_eq!(unlaid(d.range()), printed_text[&d.paragraph]);
    }
    for f in &t.fragments {
        assert_eq!(text[f.range()], text[f.of.clone()]);
        let whole = piece_of(f.paragraph);
        assert!(whole.start <= f.of.start && f.of.end <= whole.end);
        assert!(f.of.len() < whole.len(), "a fragment is truncated");
        let part = unlaid(f.range());
        let printed = &printed_text[&f.paragraph];
        if f.of.start == whole.start {
            assert!(printed.starts_with(&part), "{name}: {part:?}");
        } else {
            assert_eq!(f.of.end, whole.end);
            assert!(printed.ends_with(&part), "{name}: {part:?}");
        }
    }
    // A late repeat: two or more duplicates in a row, of paragraphs printed
    // one after the other.
    let order: Vec<usize> = t.paragraphs.iter().map(|p| p.paragraph).collect();
    let rank = |p: usize| order.iter().position(|&q| q == p).unwrap();
    let mut dups: Vec<_> = t.duplicates.iter().collect();
    dups.sort_by_key(|d| d.start);
    seen.late_runs += dups
        .windows(2)
        .filter(|w| {
            text[w[0].end..w[1].start].trim().is_empty()
                && rank(w[1].paragraph) == rank(w[0].paragraph) + 1
        })
        .count();
    for d in &t.debris {
        assert_eq!(text[d.range()], d.text);
        assert!(d.start == 0 || text[..d.start].ends_with('\n'));
        assert!(text[d.end..].starts_with('\n'), "debris is a whole line");
        assert_eq!(d.text.trim(), d.text);
        match d.kind {
            Debris::Boilerplate => {
                seen.boilerplate
                    .entry(d.text.clone())
                    .or_default()
                    .insert(t.family);
                assert!(!family.text.contains(&d.text));
            }
            Debris::Garbage => {
                assert!((3..=20).contains(&d.text.chars().count()), "{:?}", d.text);
                seen.garbage += 1;
            }
            _ => {}
        }
    }

    // Moved sections: consecutive where printed, and the rest in order.
    let sorted = |xs: &[usize]| xs.windows(2).all(|w| w[0] < w[1]);
    if t.moved.is_empty() {
        assert!(t.reordered || sorted(&order), "{name}: {order:?}");
    } else {
        assert!((1..=2).contains(&t.moved.len()));
        let mut at: Vec<usize> = t.moved.iter().map(|&p| rank(p)).collect();
        at.sort();
        assert_eq!(at[at.len() - 1] - at[0] + 1, at.len(), "{name}: a section");
        if !t.reordered {
            assert!(!sorted(&order), "{name}: moved to where it was");
            let rest: Vec<usize> = order
                .iter()
                .copied()
                .filter(|p| !t.moved.contains(p))
                .collect();
            assert!(sorted(&rest), "{name}: {order:?}");
        }
        seen.moved += 1;
    }
}

fn digest(corpus: &SimCorpus) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |s: &str| {
        for b in s.bytes().chain([0xff]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for s in &corpus.scans {
        eat(&s.name);
        eat(&s.text);
    }
    eat(&corpus.truth.to_json());
    h
}

#[test]
fn default_output_is_unchanged() {
    // Digests of the default output taken before the hard phenomena
    // existed (seed 11 since the order was made knowable: one of its
    // swaps is undone): turned off, they draw nothing.
    for (seed, want) in [(7, 0xca27_c7d2_c970_719e_u64), (11, 0x9042_bf8b_6ee9_a78a)] {
        let mut config = SimConfig::new();
        config.families(30).distractors(3).seed(seed);
        let plain = simulate::simulate(&config, &sources());
        assert_eq!(digest(&plain), want, "seed {seed}");
        config
            .columns(0.0)
            .moves(0.0)
            .late_repeats(0.0)
            .inner_fragments(0.0)
            .boilerplate(0.0)
            .solo(0.0)
            .misprints(0.0)
            .garbage(0.0);
        assert_eq!(simulate::simulate(&config, &sources()), plain);
        assert!(!plain.truth.to_json().contains("\"breaks\""));
    }
}

#[test]
fn column_layout_is_undone_exactly() {
    let mut seen = Seen::default();
    for seed in 1..=3 {
        for noisy in [false, true] {
            let s = check(&corpus(seed, noisy, |c| {
                c.columns(1.0).page_breaks(0.3).fragments(0.4).repeats(0.4);
            }));
            seen.column_scans.extend(s.column_scans);
            for (k, n) in s.breaks {
                *seen.breaks.entry(k).or_default() += n;
            }
            seen.cut_in_column += s.cut_in_column;
            seen.rebuilt += s.rebuilt;
        }
    }
    // Both scripts, with and without blank lines and indents.
    assert_eq!(seen.column_scans.len(), 8, "{:?}", seen.column_scans);
    for kind in [
        BreakKind::Space,
        BreakKind::Join,
        BreakKind::Hyphen,
        BreakKind::Indent,
    ] {
        assert!(seen.breaks.get(&kind).is_some_and(|&n| n > 0), "{kind:?}");
    }
    assert!(seen.cut_in_column > 0);
    assert!(seen.rebuilt > 500);
}

#[test]
fn latin_columns_hyphenate_plausibly_and_keep_real_hyphens() {
    let mut joins_after_hyphen = 0;
    for seed in 1..=3 {
        let c = corpus(seed, false, |c| {
            c.columns(1.0);
        });
        for (scan, t) in c.scans.iter().zip(&c.truth.scans) {
            for b in &t.breaks {
                let before: String = scan.text[..b.start].chars().rev().take(2).collect();
                match b.kind {
                    BreakKind::Hyphen => {
                        // Two letters before, three after, none lost.
                        assert!(before.chars().all(|c| c.is_ascii_alphabetic()));
                        let after: String = scan.text[b.end..].chars().take(3).collect();
                        if b.end - b.start == 2 {
                            assert!(after.chars().all(|c| c.is_ascii_alphabetic()), "{after}");
                        }
                    }
                    BreakKind::Join if before.starts_with('-') => joins_after_hyphen += 1,
                    _ => {}
                }
            }
        }
    }
    // "By-Laws" at a line end: the text's own hyphen, then the break.
    assert!(joins_after_hyphen > 0);
}

#[test]
fn moved_sections_in_any_scan() {
    // Any scan of a family may be one that moves a section, but a strict
    // majority keeps the order, so that it is knowable (a family of one
    // never moves).
    let mut moved = 0;
    let mut mover_places = std::collections::BTreeSet::new();
    for seed in 1..=3 {
        let c = corpus(seed, true, |c| {
            c.moves(0.8);
        });
        moved += check(&c).moved;
        for f in &c.truth.families {
            let members: Vec<_> = c.truth.scans.iter().filter(|s| s.family == f.id).collect();
            let m = members.iter().filter(|s| !s.moved.is_empty()).count();
            assert!(
                m * 2 < members.len() || m == 0,
                "family {}: {m} of {} moved",
                f.id,
                members.len()
            );
            for (k, s) in members.iter().enumerate() {
                if !s.moved.is_empty() {
                    mover_places.insert(k);
                }
            }
        }
    }
    assert!(moved > 20, "{moved}");
    assert!(
        mover_places.len() >= 2,
        "movers are always the same scan of a family"
    );
}

#[test]
fn late_repeats_copy_runs_of_paragraphs() {
    let mut runs = 0;
    for seed in 1..=3 {
        runs += check(&corpus(seed, true, |c| {
            c.late_repeats(0.8).repeats(0.0);
        }))
        .late_runs;
    }
    assert!(runs > 10, "{runs}");
}

#[test]
fn fragments_inside_paragraphs() {
    let mut inner = 0;
    for seed in 1..=3 {
        for columns in [0.0, 1.0] {
            inner += check(&corpus(seed, true, |c| {
                c.inner_fragments(0.8).page_breaks(0.0).columns(columns);
            }))
            .inner_fragments;
        }
    }
    assert!(inner > 30, "{inner}");
}

#[test]
fn boilerplate_is_shared_between_families() {
    for seed in 1..=3 {
        let seen = check(&corpus(seed, true, |c| {
            c.boilerplate(0.8);
        }));
        // A few blocks per seed, each in scans of several families.
        assert!(!seen.boilerplate.is_empty());
        assert!(
            seen.boilerplate.len() <= 2 * 2 * 6,
            "{:?}",
            seen.boilerplate
        );
        let shared = seen.boilerplate.values().filter(|f| f.len() >= 2).count();
        assert!(
            shared * 2 > seen.boilerplate.len(),
            "{:?}",
            seen.boilerplate
        );
    }
}

#[test]
fn solo_paragraphs_are_printed_once() {
    let mut solo = 0;
    for seed in 1..=3 {
        solo += check(&corpus(seed, true, |c| {
            c.solo(0.4).abridge(0.3);
        }))
        .solo;
    }
    assert!(solo > 30, "{solo}");
}

#[test]
fn misprints_are_in_every_scan_and_undone_by_the_truth() {
    for noisy in [false, true] {
        let mut misprints = 0;
        for seed in 1..=3 {
            misprints += check(&corpus(seed, noisy, |c| {
                c.misprints(0.6);
            }))
            .misprints;
        }
        assert!(misprints > 50, "{misprints}");
    }
    // Both scripts have them.
    let c = corpus(4, false, |c| {
        c.misprints(0.6);
    });
    for script in [Script::Han, Script::Latin] {
        assert!(
            c.truth
                .families
                .iter()
                .any(|f| f.script == script && !f.misprints.is_empty())
        );
    }
}

#[test]
fn garbage_lines_are_debris() {
    let mut garbage = 0;
    for seed in 1..=3 {
        garbage += check(&corpus(seed, true, |c| {
            c.garbage(0.4);
        }))
        .garbage;
    }
    assert!(garbage > 50, "{garbage}");
}

#[test]
fn hard_profile_has_everything_and_is_deterministic() {
    let hard = |seed: u64| {
        let mut config = SimConfig::hard();
        config.families(60).distractors(4).seed(seed);
        simulate::simulate(&config, &sources())
    };
    let a = hard(5);
    assert_eq!(a, hard(5));
    assert_ne!(a.truth, hard(6).truth);
    let back = Truth::from_json(&a.truth.to_json()).unwrap();
    assert_eq!(back, a.truth);
    for seed in [5, 6] {
        let s = check(&hard(seed));
        assert!(!s.column_scans.is_empty());
        assert!(s.moved > 0 && s.misprints > 0 && s.garbage > 0, "{s:?}");
        assert!(!s.boilerplate.is_empty() && s.inner_fragments > 0, "{s:?}");
    }
    // Default scans still pass the same checks.
    check(&corpus(1, true, |_| {}));
}

#[test]
fn order_is_knowable() {
    // Whatever scans move or swap, every two paragraphs of a family are
    // printed in their order by a strict majority of the scans printing
    // both: the canonical order can be found.
    let mut changed = 0;
    for seed in 1..=4 {
        let mut config = SimConfig::hard();
        config.families(60).seed(seed).reorder(0.3);
        let c = simulate::simulate(&config, &sources());
        for f in &c.truth.families {
            let orders: Vec<Vec<usize>> = c
                .truth
                .scans
                .iter()
                .filter(|s| s.family == f.id)
                .inspect(|s| changed += usize::from(s.reordered || !s.moved.is_empty()))
                .map(|s| s.paragraphs.iter().map(|p| p.paragraph).collect())
                .collect();
            let n = f.text.lines().count();
            for p in 0..n {
                for q in p + 1..n {
                    let mut votes = 0i32;
                    for o in &orders {
                        let at = |x: usize| o.iter().position(|&y| y == x);
                        if let (Some(a), Some(b)) = (at(p), at(q)) {
                            votes += if a < b { 1 } else { -1 };
                        }
                    }
                    let printed = orders.iter().any(|o| o.contains(&p) && o.contains(&q));
                    assert!(!printed || votes > 0, "family {} {p} {q}: {orders:?}", f.id);
                }
            }
        }
    }
    assert!(changed > 20, "scans that move or swap sections: {changed}");
}
