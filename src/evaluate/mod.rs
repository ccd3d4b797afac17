//! Scores: how a reconciliation compares with the truth of a simulated
//! corpus, and the edit distances every score is built on.

use std::collections::BTreeMap;
use std::ops::Range;

use rustc_hash::FxHashMap;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::simulate::{Script, Truth, TruthFamily};
use crate::{Document, Reconciliation, RemovedKind};

/// Fold text as CER measures it: NFKC, lower case, whitespace and invisible
/// format characters removed.
pub fn fold(s: &str) -> Vec<char> {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|&c| {
            !(c.is_whitespace()
                || matches!(
                    c,
                    '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
                )
                || (c.is_control() && c != '\u{FFFD}'))
        })
        .collect()
}

/// Bit masks of where each character occurs in a pattern, 64 rows per block.
struct Pattern {
    len: usize,
    blocks: usize,
    index: FxHashMap<char, usize>,
    /// `(alphabet + 1) * blocks` masks; alphabet entry 0 is "not in the pattern".
    peq: Vec<u64>,
}

impl Pattern {
    fn new(p: &[char]) -> Pattern {
        let blocks = p.len().div_ceil(64).max(1);
        let mut index: FxHashMap<char, usize> = FxHashMap::default();
        for &c in p {
            let next = index.len() + 1;
            index.entry(c).or_insert(next);
        }
        let mut peq = vec![0u64; (index.len() + 1) * blocks];
        for (i, c) in p.iter().enumerate() {
            peq[index[c] * blocks + i / 64] |= 1 << (i % 64);
        }
        Pattern {
            len: p.len(),
            blocks,
            index,
            peq,
        }
    }

    fn eq(&self, c: char) -> &[u64] {
        let k = self.index.get(&c).copied().unwrap_or(0);
        &self.peq[k * self.blocks..(k + 1) * self.blocks]
    }

    /// Run Myers' bit-vector algorithm (block-based) over `text`, calling
    /// `column` with the pattern's distance at every text position. Global
    /// alignment when `global`, otherwise the pattern may start anywhere.
    fn run(&self, text: &[char], global: bool, mut column: impl FnMut(usize, usize)) {
        let w = self.blocks;
        let mut pv = vec![!0u64; w];
        let mut mv = vec![0u64; w];
        let last_high = 1u64 << ((self.len + 63) % 64);
        let mut score = self.len as isize;
        for (j, &c) in text.iter().enumerate() {
            let eqs = self.eq(c);
            let mut hin: i32 = i32::from(global);
            for b in 0..w {
                let high = if b + 1 == w { last_high } else { 1 << 63 };
                let (p, m) = (pv[b], mv[b]);
                let mut eq = eqs[b];
                let xv = eq | m;
                if hin < 0 {
                    eq |= 1;
                }
                let xh = ((eq & p).wrapping_add(p) ^ p) | eq;
                let mut ph = m | !(xh | p);
                let mut mh = p & xh;
                let hout = if ph & high != 0 {
                    1
                } else if mh & high != 0 {
                    -1
                } else {
                    0
                };
                ph <<= 1;
                mh <<= 1;
                if hin < 0 {
                    mh |= 1;
                } else if hin > 0 {
                    ph |= 1;
                }
                pv[b] = mh | !(xv | ph);
                mv[b] = ph & xv;
                hin = hout;
            }
            score += hin as isize;
            column(j, score as usize);
        }
    }
}

/// Levenshtein distance (unit-cost substitutions, insertions, deletions)
/// between two character sequences. Myers' bit-parallel algorithm: about
/// `len(a) * len(b) / 64` steps whatever the distance, so two 20,000-character
/// texts take milliseconds.
///
/// ```
/// use reprint::evaluate::distance;
/// let a: Vec<char> = "kitten".chars().collect();
/// let b: Vec<char> = "sitting".chars().collect();
/// assert_eq!(distance(&a, &b), 3);
/// ```
pub fn distance(a: &[char], b: &[char]) -> usize {
    let (p, t) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if p.is_empty() {
        return t.len();
    }
    let pattern = Pattern::new(p);
    let mut last = p.len();
    pattern.run(t, true, |_, s| last = s);
    last
}

/// Least edit distance between `pattern` and any stretch of `text`.
fn best_stretch(pattern: &[char], text: &[char]) -> usize {
    if pattern.is_empty() {
        return 0;
    }
    let pat = Pattern::new(pattern);
    let mut best = pattern.len();
    pat.run(text, false, |_, s| best = best.min(s));
    best
}

/// How many times `pattern` occurs in `text` with at most `k` edits
/// (non-overlapping occurrences, counted as runs of end positions within `k`).
fn occurrences(pattern: &[char], text: &[char], k: usize) -> usize {
    if pattern.is_empty() {
        return 0;
    }
    let pat = Pattern::new(pattern);
    let mut count = 0;
    let mut inside = false;
    pat.run(text, false, |_, s| {
        if s <= k {
            if !inside {
                count += 1;
            }
            inside = true;
        } else {
            inside = false;
        }
    });
    count
}

/// Character error rate of `text` against `truth`: edit distance between the
/// two folded texts (see [`fold`]) over the length of the folded truth.
///
/// ```
/// use reprint::evaluate::cer;
/// assert_eq!(cer("今天，天气晴。", "今天,天气睛。"), 1.0 / 7.0);
/// ```
pub fn cer(truth: &str, text: &str) -> f64 {
    let t = fold(truth);
    let x = fold(text);
    ratio(distance(&t, &x) as f64, t.len())
}

fn ratio(x: f64, n: usize) -> f64 {
    if n == 0 {
        if x == 0.0 { 0.0 } else { 1.0 }
    } else {
        x / n as f64
    }
}

// ---------------------------------------------------------------------------
// Evaluation

/// How a reconciliation compares with the truth. See [`evaluate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// One entry per truth family, by id.
    pub families: Vec<FamilyScore>,
    /// All families together.
    pub overall: Score,
    /// Duplicates found: the reconciliation's `duplicate` items against the truth's.
    pub duplicates: Matches,
    /// Fragments found.
    pub fragments: Matches,
    /// Debris found (any reason).
    pub debris: Matches,
    /// Debris found, by the kind the simulator printed (recall only).
    pub debris_kinds: BTreeMap<String, Matches>,
    /// Pairs of scans put in one family, against the truth's pairs.
    pub pairs: Matches,
    /// Reconciled families holding scans of two or more truth families.
    pub merged: usize,
    /// Truth families whose scans are spread over two or more reconciled families.
    pub split: usize,
    /// Truth scans absent from the documents given.
    pub unseen: Vec<String>,
}

/// Scores of one truth family.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FamilyScore {
    /// Truth family id.
    pub family: usize,
    /// Its script.
    pub script: Script,
    /// True for a distractor.
    pub distractor: bool,
    /// Number of its scans.
    pub scans: usize,
    /// Reconciled families holding its scans, the one compared first.
    pub reconciled: Vec<usize>,
    /// True if the reconciled family compared also holds scans of other
    /// truth families. Its CER then compares the truth with the stretch of
    /// that family's text that matches it best, so that one merge does not
    /// swamp the overall CER (the pair precision counts merges).
    pub merged: bool,
    /// The measures.
    pub score: Score,
}

/// Character and paragraph measures, summable over families.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Score {
    /// Folded characters of the truth.
    pub chars: usize,
    /// Edits from the truth to the canonical text (both folded).
    pub edits: usize,
    /// Edits of the best single scan.
    pub best_scan_edits: usize,
    /// Mean edits of the single scans.
    pub mean_scan_edits: f64,
    /// Truth paragraphs.
    pub paragraphs: usize,
    /// Truth paragraphs found more than once in the canonical text.
    pub duplicated: usize,
    /// Truth paragraphs not found in the canonical text.
    pub missing: usize,
}

impl Score {
    /// CER of the canonical text.
    pub fn cer(&self) -> f64 {
        ratio(self.edits as f64, self.chars)
    }

    /// CER of the best single scan.
    pub fn best_scan_cer(&self) -> f64 {
        ratio(self.best_scan_edits as f64, self.chars)
    }

    /// Mean CER of the single scans.
    pub fn mean_scan_cer(&self) -> f64 {
        ratio(self.mean_scan_edits, self.chars)
    }

    fn add(&mut self, o: &Score) {
        self.chars += o.chars;
        self.edits += o.edits;
        self.best_scan_edits += o.best_scan_edits;
        self.mean_scan_edits += o.mean_scan_edits;
        self.paragraphs += o.paragraphs;
        self.duplicated += o.duplicated;
        self.missing += o.missing;
    }
}

/// Found items against true ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Matches {
    /// True items.
    pub truth: usize,
    /// True items matched by a prediction.
    pub found: usize,
    /// Predicted items.
    pub predicted: usize,
    /// Predicted items matching a true item.
    pub correct: usize,
}

impl Matches {
    /// Share of predictions that are right (1 when nothing is predicted).
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            1.0
        } else {
            self.correct as f64 / self.predicted as f64
        }
    }

    /// Share of true items found (1 when there are none).
    pub fn recall(&self) -> f64 {
        if self.truth == 0 {
            1.0
        } else {
            self.found as f64 / self.truth as f64
        }
    }
}

/// True if two byte ranges overlap by at least half the shorter one.
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    let o = a.end.min(b.end).saturating_sub(a.start.max(b.start));
    let shorter = a.len().min(b.len());
    o > 0 && o * 2 >= shorter
}

/// Compare a reconciliation of (some of) a simulated corpus with its truth.
///
/// `documents` are the scans reconciled (their texts give the single-scan
/// CERs). Each truth family is compared with the reconciled family holding
/// most of its scans (when that family also holds other truth families'
/// scans, with the stretch of its text that matches best). A removed item matches a true one of the same kind in
/// the same scan when they overlap by half the shorter; a duplicate or
/// fragment also matches when it covers the copy the truth says it repeats
/// (keeping either copy gives the same text).
pub fn evaluate(truth: &Truth, documents: &[Document], result: &Reconciliation) -> Report {
    let texts: FxHashMap<&str, &str> = documents.iter().map(|d| (d.id(), d.text())).collect();
    let mut family_of_doc: FxHashMap<&str, usize> = FxHashMap::default();
    for f in &result.families {
        for d in &f.documents {
            family_of_doc.insert(d.as_str(), f.id);
        }
    }
    let unseen: Vec<String> = truth
        .scans
        .iter()
        .filter(|s| !texts.contains_key(s.name.as_str()))
        .map(|s| s.name.clone())
        .collect();

    let truth_family: FxHashMap<&str, usize> = truth
        .scans
        .iter()
        .map(|s| (s.name.as_str(), s.family))
        .collect();
    let families: Vec<FamilyScore> = {
        use rayon::prelude::*;
        truth
            .families
            .par_iter()
            .map(|tf| score_family(tf, &texts, &family_of_doc, &truth_family, result))
            .collect()
    };
    let mut overall = Score::default();
    for f in &families {
        overall.add(&f.score);
    }

    // Removed items.
    let mut duplicates = Matches::default();
    let mut fragments = Matches::default();
    let mut debris = Matches::default();
    let mut debris_kinds: BTreeMap<String, Matches> = BTreeMap::new();
    let mut predicted: FxHashMap<(&str, RemovedKind), Vec<Range<usize>>> = FxHashMap::default();
    for f in &result.families {
        for r in &f.removed {
            predicted
                .entry((r.document.as_str(), r.kind))
                .or_default()
                .push(r.start..r.end);
        }
    }
    let none: Vec<Range<usize>> = Vec::new();
    for scan in &truth.scans {
        let name = scan.name.as_str();
        let get = |k: RemovedKind| predicted.get(&(name, k)).unwrap_or(&none);
        for (kind, copies, m) in [
            (RemovedKind::Duplicate, &scan.duplicates, &mut duplicates),
            (RemovedKind::Fragment, &scan.fragments, &mut fragments),
        ] {
            let pred = get(kind);
            m.truth += copies.len();
            m.found += copies
                .iter()
                .filter(|c| {
                    pred.iter()
                        .any(|p| overlaps(p, &c.range()) || overlaps(p, &c.of))
                })
                .count();
            m.predicted += pred.len();
            m.correct += pred
                .iter()
                .filter(|p| {
                    copies
                        .iter()
                        .any(|c| overlaps(p, &c.range()) || overlaps(p, &c.of))
                })
                .count();
        }
        let pred = get(RemovedKind::Debris);
        for line in &scan.debris {
            let hit = pred.iter().any(|p| overlaps(p, &line.range()));
            debris.truth += 1;
            debris.found += usize::from(hit);
            let k = debris_kinds
                .entry(line.kind.name().to_string())
                .or_default();
            k.truth += 1;
            k.found += usize::from(hit);
        }
        debris.predicted += pred.len();
        debris.correct += pred
            .iter()
            .filter(|p| scan.debris.iter().any(|l| overlaps(p, &l.range())))
            .count();
    }
    // Predictions in documents the truth does not know are all wrong.
    for ((doc, kind), ranges) in &predicted {
        if truth.scan(doc).is_none() {
            match kind {
                RemovedKind::Duplicate => duplicates.predicted += ranges.len(),
                RemovedKind::Fragment => fragments.predicted += ranges.len(),
                RemovedKind::Debris => debris.predicted += ranges.len(),
                _ => {}
            }
        }
    }

    // Pairs of scans in one family.
    let pairs_of = |n: usize| n * n.saturating_sub(1) / 2;
    let mut pairs = Matches::default();
    let mut merged = 0;
    for f in &result.families {
        let mut by_truth: BTreeMap<usize, usize> = BTreeMap::new();
        let mut known = 0;
        for d in &f.documents {
            if let Some(&t) = truth_family.get(d.as_str()) {
                *by_truth.entry(t).or_default() += 1;
                known += 1;
            }
        }
        pairs.predicted += pairs_of(known);
        pairs.correct += by_truth.values().map(|&n| pairs_of(n)).sum::<usize>();
        merged += usize::from(by_truth.len() > 1);
    }
    pairs.found = pairs.correct;
    pairs.truth = truth
        .families
        .iter()
        .map(|f| {
            pairs_of(
                f.scans
                    .iter()
                    .filter(|s| texts.contains_key(s.as_str()))
                    .count(),
            )
        })
        .sum();
    let split = families.iter().filter(|f| f.reconciled.len() > 1).count();
    Report {
        families,
        overall,
        duplicates,
        fragments,
        debris,
        debris_kinds,
        pairs,
        merged,
        split,
        unseen,
    }
}

fn score_family(
    tf: &TruthFamily,
    texts: &FxHashMap<&str, &str>,
    family_of_doc: &FxHashMap<&str, usize>,
    family_of_scan: &FxHashMap<&str, usize>,
    result: &Reconciliation,
) -> FamilyScore {
    let truth_chars = fold(&tf.text);
    let mut held: BTreeMap<usize, usize> = BTreeMap::new();
    for s in &tf.scans {
        if let Some(&f) = family_of_doc.get(s.as_str()) {
            *held.entry(f).or_default() += 1;
        }
    }
    let mut reconciled: Vec<(usize, usize)> = held.into_iter().collect();
    reconciled.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let reconciled: Vec<usize> = reconciled.into_iter().map(|(f, _)| f).collect();
    let chosen = reconciled
        .first()
        .and_then(|&f| result.families.iter().find(|x| x.id == f));
    let canonical: Vec<char> = chosen.map(|f| fold(&f.text)).unwrap_or_default();
    let merged = chosen.is_some_and(|f| {
        f.documents
            .iter()
            .any(|d| family_of_scan.get(d.as_str()).is_none_or(|&t| t != tf.id))
    });
    let edits = if merged {
        best_stretch(&truth_chars, &canonical)
    } else {
        distance(&truth_chars, &canonical)
    };
    let scan_edits: Vec<usize> = tf
        .scans
        .iter()
        .filter_map(|s| texts.get(s.as_str()))
        .map(|t| distance(&truth_chars, &fold(t)))
        .collect();
    let (best, mean) = if scan_edits.is_empty() {
        (truth_chars.len(), truth_chars.len() as f64)
    } else {
        (
            *scan_edits.iter().min().expect("non-empty"),
            scan_edits.iter().sum::<usize>() as f64 / scan_edits.len() as f64,
        )
    };
    let (mut duplicated, mut missing) = (0, 0);
    let paragraphs: Vec<Vec<char>> = tf.paragraphs().map(fold).collect();
    for p in &paragraphs {
        match occurrences(p, &canonical, p.len() / 3) {
            0 => missing += 1,
            1 => {}
            _ => duplicated += 1,
        }
    }
    FamilyScore {
        family: tf.id,
        script: tf.script,
        distractor: tf.distractor,
        scans: tf.scans.len(),
        reconciled,
        merged,
        score: Score {
            chars: truth_chars.len(),
            edits,
            best_scan_edits: best,
            mean_scan_edits: mean,
            paragraphs: paragraphs.len(),
            duplicated,
            missing,
        },
    }
}
