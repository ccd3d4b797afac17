//! Scores: how a reconciliation compares with the truth of a set of scans.
//!
//! Two kinds of truth are scored by one code path ([`score`]):
//!
//! - **an expected family per document, with or without a clean text**: the
//!   real sets ([`RealSet`]: folders of OCR output with a transcription per
//!   family, or reprints named by their cluster) and the OCR round trip;
//! - **a simulated corpus** ([`evaluate`], from [`crate::simulate`]), whose
//!   truth also says where every duplicate, fragment and debris line is.
//!
//! Every family is compared with the reconciled family holding most of its
//! documents. Measures: character and word error rates of the canonical text
//! beside each witness's (the best, the mean and the longest witness), the
//! *order error* (how much of the CER is paragraphs in the wrong place),
//! *garbled words* (canonical words no witness prints), paragraphs doubled
//! or lost, the canonical length against the longest witness's, and the
//! precision and recall of the families over pairs of documents.
//!
//! ```
//! use reprint::evaluate::{self, Expected, ExpectedFamily};
//! use reprint::{Document, Reconciler};
//! let docs = [
//!     Document::from_text("a", "Notice is hereby given that the\nmeeting will be held.\n"),
//!     Document::from_text("b", "Notlce is hereby given that the\nmeeting will be held.\n"),
//!     Document::from_text("c", "Notice is hereby givcn that the\nmeeting will be held.\n"),
//! ];
//! let expected = Expected {
//!     families: vec![ExpectedFamily::new("letter", ["a", "b", "c"])
//!         .with_text("Notice is hereby given that the meeting will be held.")],
//! };
//! let result = Reconciler::new().reconcile(&docs)?;
//! let report = evaluate::score(&expected, &docs, &result);
//! assert_eq!(report.pairs.recall(), 1.0);
//! println!("CER {:.2}% (best witness {:.2}%)", 100.0 * report.overall.cer(),
//!          100.0 * report.overall.best_scan_cer());
//! # Ok::<(), reprint::Error>(())
//! ```

use std::collections::BTreeMap;
use std::ops::Range;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::simulate::{Script, Truth};
use crate::{Document, Reconciliation, RemovedKind};

mod distance;
mod garbled;
mod real;

use distance::{best_stretch, best_stretch_at, occurrences, ratio};
pub use distance::{cer, distance, fold, wer, word_distance, words};
pub use garbled::garbled_words;
pub use real::{RealSet, SetLayout};

// ---------------------------------------------------------------------------
// What is expected

/// The expected families of a set of documents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expected {
    /// The families, in the order reports list them.
    pub families: Vec<ExpectedFamily>,
}

/// One expected family: the documents that print one text, and the text when
/// it is known.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedFamily {
    /// Its name (a folder name, a cluster id, a simulated family's number).
    pub name: String,
    /// True for a document that reprints nothing (a simulated distractor).
    pub distractor: bool,
    /// Ids of its documents.
    pub documents: Vec<String>,
    /// The clean text, if known. Paragraphs are separated by blank lines when
    /// it has any, otherwise by line breaks.
    pub text: Option<String>,
    /// Ids of documents of the family that exist but could not be read (an
    /// OCR engine's empty output): scored as witnesses that read nothing.
    pub unread: Vec<String>,
}

impl ExpectedFamily {
    /// A family of `documents` with no known text.
    pub fn new<S: Into<String>>(
        name: impl Into<String>,
        documents: impl IntoIterator<Item = S>,
    ) -> ExpectedFamily {
        ExpectedFamily {
            name: name.into(),
            distractor: false,
            documents: documents.into_iter().map(Into::into).collect(),
            text: None,
            unread: Vec::new(),
        }
    }

    /// The same family with its clean text.
    pub fn with_text(mut self, text: impl Into<String>) -> ExpectedFamily {
        self.text = Some(text.into());
        self
    }

    /// The clean paragraphs: blocks between blank lines when the text has a
    /// blank line (transcriptions of printed pages, one printed line per
    /// line), otherwise its lines.
    pub fn paragraphs(&self) -> Vec<&str> {
        let Some(text) = &self.text else {
            return Vec::new();
        };
        let blank = text.lines().any(|l| l.trim().is_empty());
        let mut out = Vec::new();
        if blank {
            let mut start: Option<usize> = None;
            let mut end = 0;
            let mut at = 0;
            for line in text.split_inclusive('\n') {
                if line.trim().is_empty() {
                    if let Some(s) = start.take() {
                        out.push(&text[s..end]);
                    }
                } else {
                    start.get_or_insert(at);
                    end = at + line.trim_end().len();
                }
                at += line.len();
            }
            if let Some(s) = start {
                out.push(&text[s..end]);
            }
        } else {
            out.extend(text.lines().filter(|l| !l.trim().is_empty()));
        }
        out
    }
}

impl Expected {
    /// The families of a simulated corpus's truth (named by their number).
    pub fn from_truth(truth: &Truth) -> Expected {
        Expected {
            families: truth
                .families
                .iter()
                .map(|f| ExpectedFamily {
                    name: f.id.to_string(),
                    distractor: f.distractor,
                    documents: f.scans.clone(),
                    text: Some(f.text.clone()),
                    unread: Vec::new(),
                })
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------
// Reports

/// How a reconciliation compares with the truth. See [`score`] and [`evaluate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// One entry per expected family, in the expected order.
    pub families: Vec<FamilyScore>,
    /// All families together.
    pub overall: Score,
    /// Witnesses grouped by label (the last dot-separated part of a document
    /// id, such as the OCR engine in `8501_001.abbyy`), summed over families
    /// with a known text. Empty when no id has a label.
    pub witnesses: BTreeMap<String, WitnessScore>,
    /// Duplicates found: the reconciliation's `duplicate` items against the
    /// truth's (simulated corpora only).
    pub duplicates: Matches,
    /// Fragments found (simulated corpora only).
    pub fragments: Matches,
    /// Debris found, any reason (simulated corpora only).
    pub debris: Matches,
    /// Debris found, by the kind the simulator printed (recall only).
    pub debris_kinds: BTreeMap<String, Matches>,
    /// Pairs of documents put in one family, against the expected pairs.
    pub pairs: Matches,
    /// Reconciled families holding documents of two or more expected families.
    pub merged: usize,
    /// Expected families whose documents are spread over two or more
    /// reconciled families.
    pub split: usize,
    /// Expected documents absent from the documents given.
    pub unseen: Vec<String>,
}

/// Scores of one expected family.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FamilyScore {
    /// Its name.
    pub name: String,
    /// The script of its text (or of its longest document).
    pub script: Script,
    /// True for a distractor.
    pub distractor: bool,
    /// Number of its documents read.
    pub scans: usize,
    /// Reconciled families holding its documents, the one compared first.
    pub reconciled: Vec<usize>,
    /// True if the reconciled family compared also holds documents of other
    /// expected families. Its CER then compares the truth with the stretch of
    /// that family's text that matches it best, so that one merge does not
    /// swamp the overall CER (the pair precision counts merges).
    pub merged: bool,
    /// Each witness against the truth (empty without a known text).
    pub witnesses: Vec<WitnessScore>,
    /// The first garbled words of its canonical text (at most
    /// [`GARBLED_EXAMPLES`]), for a reader to look at.
    pub garbled_examples: Vec<String>,
    /// The measures.
    pub score: Score,
}

/// One witness (or a group of witnesses) against the truth.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct WitnessScore {
    /// Document id (empty for a group).
    pub document: String,
    /// Its label (see [`Report::witnesses`]), or empty.
    pub label: String,
    /// Witnesses counted.
    pub count: usize,
    /// Folded characters of the truth.
    pub chars: usize,
    /// Character edits from the truth to the witness.
    pub edits: usize,
    /// Words of the truth.
    pub words: usize,
    /// Word edits.
    pub word_edits: usize,
}

impl WitnessScore {
    /// Character error rate.
    pub fn cer(&self) -> f64 {
        ratio(self.edits as f64, self.chars)
    }

    /// Word error rate.
    pub fn wer(&self) -> f64 {
        ratio(self.word_edits as f64, self.words)
    }
}

/// Character, word and paragraph measures, summable over families.
///
/// Truth-based fields are zero for families with no known text; the
/// witness-based ones (length, garbled words) are counted for all.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Score {
    /// Families counted.
    pub families: usize,
    /// Families with a known text.
    pub with_truth: usize,
    /// Folded characters of the truth.
    pub chars: usize,
    /// Edits from the truth to the canonical text (both folded).
    pub edits: usize,
    /// Edits when paragraphs may stand in any order: each truth paragraph
    /// matched to its best stretch of the canonical text, plus the canonical
    /// characters no paragraph matched.
    pub order_free_edits: usize,
    /// Edits of the best single scan.
    pub best_scan_edits: usize,
    /// Mean edits of the single scans.
    pub mean_scan_edits: f64,
    /// Edits of the longest scan (the one a reader picking by length takes).
    pub longest_scan_edits: usize,
    /// Words of the truth, in families whose text is written with spaces.
    pub words: usize,
    /// Word edits of the canonical text.
    pub word_edits: usize,
    /// Word edits of the scan with the fewest.
    pub best_scan_word_edits: usize,
    /// Mean word edits of the scans.
    pub mean_scan_word_edits: f64,
    /// Word edits of the longest scan.
    pub longest_scan_word_edits: usize,
    /// Truth paragraphs.
    pub paragraphs: usize,
    /// Truth paragraphs found more than once in the canonical text.
    pub duplicated: usize,
    /// Truth paragraphs not found in the canonical text.
    pub missing: usize,
    /// Folded characters of the canonical text.
    pub canonical_chars: usize,
    /// Folded characters of the longest document of each family.
    pub longest_chars: usize,
    /// The largest ratio, over families, of the canonical text's length to
    /// its longest document's.
    pub max_length_ratio: f64,
    /// Canonical words checked for garbling (see [`garbled_words`]).
    pub checked_words: usize,
    /// Canonical words no witness prints at that place, nor one edit from it.
    pub garbled: usize,
}

impl Score {
    /// CER of the canonical text.
    pub fn cer(&self) -> f64 {
        ratio(self.edits as f64, self.chars)
    }

    /// The part of the CER that is paragraphs out of place: CER minus the
    /// CER with paragraphs free to stand in any order (never below 0).
    pub fn order_error(&self) -> f64 {
        ratio(
            self.edits.saturating_sub(self.order_free_edits) as f64,
            self.chars,
        )
    }

    /// CER of the best single scan.
    pub fn best_scan_cer(&self) -> f64 {
        ratio(self.best_scan_edits as f64, self.chars)
    }

    /// Mean CER of the single scans.
    pub fn mean_scan_cer(&self) -> f64 {
        ratio(self.mean_scan_edits, self.chars)
    }

    /// CER of the longest scan of each family.
    pub fn longest_scan_cer(&self) -> f64 {
        ratio(self.longest_scan_edits as f64, self.chars)
    }

    /// WER of the canonical text (`None` when no text is written with spaces).
    pub fn wer(&self) -> Option<f64> {
        (self.words > 0).then(|| ratio(self.word_edits as f64, self.words))
    }

    /// WER of the best single scan.
    pub fn best_scan_wer(&self) -> Option<f64> {
        (self.words > 0).then(|| ratio(self.best_scan_word_edits as f64, self.words))
    }

    /// Mean WER of the single scans.
    pub fn mean_scan_wer(&self) -> Option<f64> {
        (self.words > 0).then(|| ratio(self.mean_scan_word_edits, self.words))
    }

    /// WER of the longest scan.
    pub fn longest_scan_wer(&self) -> Option<f64> {
        (self.words > 0).then(|| ratio(self.longest_scan_word_edits as f64, self.words))
    }

    /// Canonical length over the longest document's, all families together.
    pub fn length_ratio(&self) -> f64 {
        ratio(self.canonical_chars as f64, self.longest_chars)
    }

    /// Garbled words per 1,000 canonical words checked.
    pub fn garbled_per_mille(&self) -> f64 {
        1000.0 * ratio(self.garbled as f64, self.checked_words)
    }

    fn add(&mut self, o: &Score) {
        self.families += o.families;
        self.with_truth += o.with_truth;
        self.chars += o.chars;
        self.edits += o.edits;
        self.order_free_edits += o.order_free_edits;
        self.best_scan_edits += o.best_scan_edits;
        self.mean_scan_edits += o.mean_scan_edits;
        self.longest_scan_edits += o.longest_scan_edits;
        self.words += o.words;
        self.word_edits += o.word_edits;
        self.best_scan_word_edits += o.best_scan_word_edits;
        self.mean_scan_word_edits += o.mean_scan_word_edits;
        self.longest_scan_word_edits += o.longest_scan_word_edits;
        self.paragraphs += o.paragraphs;
        self.duplicated += o.duplicated;
        self.missing += o.missing;
        self.canonical_chars += o.canonical_chars;
        self.longest_chars += o.longest_chars;
        self.max_length_ratio = self.max_length_ratio.max(o.max_length_ratio);
        self.checked_words += o.checked_words;
        self.garbled += o.garbled;
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

/// Garbled words kept per family in [`FamilyScore::garbled_examples`].
pub const GARBLED_EXAMPLES: usize = 12;

/// True if two byte ranges overlap by at least half the shorter one.
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    let o = a.end.min(b.end).saturating_sub(a.start.max(b.start));
    let shorter = a.len().min(b.len());
    o > 0 && o * 2 >= shorter
}

/// The label of a document id: the part after its last dot, if any.
fn label_of(id: &str) -> &str {
    let name = id.rsplit('/').next().unwrap_or(id);
    name.rsplit_once('.').map_or("", |(_, l)| l)
}

// ---------------------------------------------------------------------------
// Scoring

/// Compare a reconciliation of `documents` with the expected families.
///
/// Each expected family is compared with the reconciled family holding most
/// of its documents (when that family also holds other families' documents,
/// with the stretch of its text that matches best). Documents given but not
/// expected count against the family precision only.
pub fn score(expected: &Expected, documents: &[Document], result: &Reconciliation) -> Report {
    let texts: FxHashMap<&str, &str> = documents.iter().map(|d| (d.id(), d.text())).collect();
    let mut family_of_doc: FxHashMap<&str, usize> = FxHashMap::default();
    for f in &result.families {
        for d in &f.documents {
            family_of_doc.insert(d.as_str(), f.id);
        }
    }
    let mut expected_of: FxHashMap<&str, usize> = FxHashMap::default();
    let mut unseen = Vec::new();
    for (i, f) in expected.families.iter().enumerate() {
        for d in &f.documents {
            expected_of.insert(d.as_str(), i);
            if !texts.contains_key(d.as_str()) {
                unseen.push(d.clone());
            }
        }
    }
    unseen.sort();

    let families: Vec<FamilyScore> = {
        use rayon::prelude::*;
        expected
            .families
            .par_iter()
            .enumerate()
            .map(|(i, f)| score_family(i, f, &texts, &family_of_doc, &expected_of, result))
            .collect()
    };
    let (overall, witnesses) = totals(&families);

    // Pairs of documents in one family.
    let pairs_of = |n: usize| n * n.saturating_sub(1) / 2;
    let mut pairs = Matches::default();
    let mut merged = 0;
    for f in &result.families {
        let mut by_expected: BTreeMap<usize, usize> = BTreeMap::new();
        for d in &f.documents {
            if let Some(&t) = expected_of.get(d.as_str()) {
                *by_expected.entry(t).or_default() += 1;
            }
        }
        // A document nobody expected is its own family: pairing it is wrong.
        pairs.predicted += pairs_of(f.documents.len());
        pairs.correct += by_expected.values().map(|&n| pairs_of(n)).sum::<usize>();
        merged += usize::from(by_expected.len() > 1);
    }
    pairs.found = pairs.correct;
    pairs.truth = expected
        .families
        .iter()
        .map(|f| {
            pairs_of(
                f.documents
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
        witnesses,
        duplicates: Matches::default(),
        fragments: Matches::default(),
        debris: Matches::default(),
        debris_kinds: BTreeMap::new(),
        pairs,
        merged,
        split,
        unseen,
    }
}

/// The overall score and the witnesses by label, summed over families.
fn totals(families: &[FamilyScore]) -> (Score, BTreeMap<String, WitnessScore>) {
    let mut overall = Score::default();
    let mut witnesses: BTreeMap<String, WitnessScore> = BTreeMap::new();
    for f in families {
        overall.add(&f.score);
        for w in &f.witnesses {
            if w.label.is_empty() {
                continue;
            }
            let g = witnesses.entry(w.label.clone()).or_default();
            g.label.clone_from(&w.label);
            g.count += 1;
            g.chars += w.chars;
            g.edits += w.edits;
            g.words += w.words;
            g.word_edits += w.word_edits;
        }
    }
    (overall, witnesses)
}

/// Like [`score`], with each expected family's documents reconciled on their
/// own for the text measures, so that a family merged with another by
/// family finding is still judged on its own text. The families (pairs,
/// merged, split) are those of one run over all `documents`.
///
/// # Errors
/// Any error of [`Reconciler::reconcile`](crate::Reconciler::reconcile).
pub fn score_each(
    expected: &Expected,
    documents: &[Document],
    reconciler: &crate::Reconciler,
) -> crate::Result<Report> {
    let all = reconciler.reconcile(documents)?;
    let mut report = score(expected, documents, &all);
    let by_id: FxHashMap<&str, &Document> = documents.iter().map(|d| (d.id(), d)).collect();
    let mut families = Vec::with_capacity(expected.families.len());
    for ef in &expected.families {
        let docs: Vec<Document> = ef
            .documents
            .iter()
            .filter_map(|d| by_id.get(d.as_str()).map(|&d| d.clone()))
            .collect();
        let joint = report.families.iter().find(|x| x.name == ef.name);
        if docs.is_empty() {
            families.extend(joint.cloned());
            continue;
        }
        let one = Expected {
            families: vec![ef.clone()],
        };
        let result = reconciler.reconcile(&docs)?;
        let mut f = score(&one, &docs, &result).families.remove(0);
        // Which families of the joint run hold it.
        if let Some(joint) = joint {
            f.reconciled.clone_from(&joint.reconciled);
            f.merged = joint.merged;
        }
        families.push(f);
    }
    let (overall, witnesses) = totals(&families);
    report.families = families;
    report.overall = overall;
    report.witnesses = witnesses;
    Ok(report)
}

/// Compare a reconciliation of (some of) a simulated corpus with its truth:
/// [`score`], and the removed items against the ones the simulator printed.
///
/// A removed item matches a true one of the same kind in the same scan when
/// they overlap by half the shorter; a duplicate or fragment also matches
/// when it covers the copy the truth says it repeats (keeping either copy
/// gives the same text).
pub fn evaluate(truth: &Truth, documents: &[Document], result: &Reconciliation) -> Report {
    let mut report = score(&Expected::from_truth(truth), documents, result);
    let mut predicted: FxHashMap<(&str, RemovedKind), Vec<Range<usize>>> = FxHashMap::default();
    for f in &result.families {
        for r in &f.removed {
            predicted
                .entry((r.document.as_str(), r.kind))
                .or_default()
                .push(r.start..r.end);
        }
    }
    let (mut duplicates, mut fragments, mut debris) = Default::default();
    let mut debris_kinds: BTreeMap<String, Matches> = BTreeMap::new();
    let none: Vec<Range<usize>> = Vec::new();
    let given: FxHashMap<&str, ()> = documents.iter().map(|d| (d.id(), ())).collect();
    for scan in truth
        .scans
        .iter()
        .filter(|s| given.contains_key(s.name.as_str()))
    {
        let name = scan.name.as_str();
        let get = |k: RemovedKind| predicted.get(&(name, k)).unwrap_or(&none);
        for (kind, copies, m) in [
            (RemovedKind::Duplicate, &scan.duplicates, &mut duplicates),
            (RemovedKind::Fragment, &scan.fragments, &mut fragments),
        ] {
            let m: &mut Matches = m;
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
        let debris: &mut Matches = &mut debris;
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
    report.duplicates = duplicates;
    report.fragments = fragments;
    report.debris = debris;
    report.debris_kinds = debris_kinds;
    report
}

/// True if the text is written with spaces between words (WER counts it).
fn spaced(script: Script) -> bool {
    script == Script::Latin
}

fn score_family(
    index: usize,
    ef: &ExpectedFamily,
    texts: &FxHashMap<&str, &str>,
    family_of_doc: &FxHashMap<&str, usize>,
    expected_of: &FxHashMap<&str, usize>,
    result: &Reconciliation,
) -> FamilyScore {
    let mut held: BTreeMap<usize, usize> = BTreeMap::new();
    for d in &ef.documents {
        if let Some(&f) = family_of_doc.get(d.as_str()) {
            *held.entry(f).or_default() += 1;
        }
    }
    let mut reconciled: Vec<(usize, usize)> = held.into_iter().collect();
    reconciled.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let reconciled: Vec<usize> = reconciled.into_iter().map(|(f, _)| f).collect();
    let chosen = reconciled
        .first()
        .and_then(|&f| result.families.iter().find(|x| x.id == f));
    let canonical_text = chosen.map_or("", |f| f.text.as_str());
    let canonical: Vec<char> = fold(canonical_text);
    let merged = chosen.is_some_and(|f| {
        f.documents
            .iter()
            .any(|d| expected_of.get(d.as_str()).is_none_or(|&t| t != index))
    });
    let members: Vec<(&str, &str)> = ef
        .documents
        .iter()
        .filter_map(|d| texts.get(d.as_str()).map(|t| (d.as_str(), *t)))
        .collect();
    let folded: Vec<Vec<char>> = members.iter().map(|(_, t)| fold(t)).collect();
    let longest = (0..members.len()).max_by(|&a, &b| {
        folded[a]
            .len()
            .cmp(&folded[b].len())
            .then(members[b].0.cmp(members[a].0))
    });
    let longest_chars = longest.map_or(0, |i| folded[i].len());
    let script = crate::simulate::script_of(
        ef.text
            .as_deref()
            .or(longest.map(|i| members[i].1))
            .unwrap_or(""),
    );

    let mut s = Score {
        families: 1,
        canonical_chars: canonical.len(),
        longest_chars,
        max_length_ratio: ratio(canonical.len() as f64, longest_chars),
        ..Score::default()
    };
    let mut garbled_examples = Vec::new();
    if let Some(f) = chosen {
        // Garbled words are judged against the family's own documents only.
        let own: Vec<(&str, &str)> = f
            .documents
            .iter()
            .filter(|d| expected_of.get(d.as_str()).is_none_or(|&t| t == index))
            .filter_map(|d| texts.get(d.as_str()).map(|t| (d.as_str(), *t)))
            .collect();
        let g = garbled_words(f, &own);
        s.checked_words = g.checked;
        s.garbled = g.garbled.len();
        garbled_examples = g.garbled.into_iter().take(GARBLED_EXAMPLES).collect();
    }
    let mut witnesses = Vec::new();
    if let Some(text) = &ef.text {
        let truth_chars = fold(text);
        s.with_truth = 1;
        s.chars = truth_chars.len();
        s.edits = if merged {
            best_stretch(&truth_chars, &canonical)
        } else {
            distance(&truth_chars, &canonical)
        };
        let paragraphs: Vec<Vec<char>> = ef.paragraphs().into_iter().map(fold).collect();
        s.order_free_edits = order_free(&paragraphs, &canonical, merged).min(s.edits);
        s.paragraphs = paragraphs.len();
        for p in &paragraphs {
            match occurrences(p, &canonical, p.len() / 3) {
                0 => s.missing += 1,
                1 => {}
                _ => s.duplicated += 1,
            }
        }
        let truth_words = if spaced(script) {
            words(text)
        } else {
            Vec::new()
        };
        s.words = truth_words.len();
        if !truth_words.is_empty() {
            let canonical_words = words(canonical_text);
            s.word_edits = if merged {
                // The words of the stretch matched above are not known; the
                // pair precision already counts the merge.
                word_distance(&truth_words, &canonical_words).min(truth_words.len())
            } else {
                word_distance(&truth_words, &canonical_words)
            };
        }
        let unread: Vec<(&str, &str)> = ef.unread.iter().map(|d| (d.as_str(), "")).collect();
        let no_chars: Vec<Vec<char>> = vec![Vec::new(); unread.len()];
        for ((id, t), f) in members
            .iter()
            .chain(&unread)
            .zip(folded.iter().chain(&no_chars))
        {
            witnesses.push(WitnessScore {
                document: id.to_string(),
                label: label_of(id).to_string(),
                count: 1,
                chars: truth_chars.len(),
                edits: distance(&truth_chars, f),
                words: truth_words.len(),
                word_edits: if truth_words.is_empty() {
                    0
                } else {
                    word_distance(&truth_words, &words(t))
                },
            });
        }
        if witnesses.is_empty() {
            s.best_scan_edits = truth_chars.len();
            s.mean_scan_edits = truth_chars.len() as f64;
            s.longest_scan_edits = truth_chars.len();
            s.best_scan_word_edits = truth_words.len();
            s.mean_scan_word_edits = truth_words.len() as f64;
            s.longest_scan_word_edits = truth_words.len();
        } else {
            let n = witnesses.len() as f64;
            s.best_scan_edits = witnesses.iter().map(|w| w.edits).min().unwrap_or(0);
            s.mean_scan_edits = witnesses.iter().map(|w| w.edits).sum::<usize>() as f64 / n;
            s.best_scan_word_edits = witnesses.iter().map(|w| w.word_edits).min().unwrap_or(0);
            s.mean_scan_word_edits =
                witnesses.iter().map(|w| w.word_edits).sum::<usize>() as f64 / n;
            if let Some(i) = longest {
                s.longest_scan_edits = witnesses[i].edits;
                s.longest_scan_word_edits = witnesses[i].word_edits;
            }
        }
    }
    FamilyScore {
        name: ef.name.clone(),
        script,
        distractor: ef.distractor,
        scans: members.len(),
        reconciled,
        merged,
        witnesses,
        garbled_examples,
        score: s,
    }
}

/// Edits when paragraphs may stand in any order: each truth paragraph
/// matched to its best stretch of `canonical`, plus the canonical characters
/// outside every matched stretch (text no paragraph accounts for). In a
/// family merged with others, only the matched stretches count.
fn order_free(paragraphs: &[Vec<char>], canonical: &[char], merged: bool) -> usize {
    let mut covered = vec![false; canonical.len()];
    let mut edits = 0;
    for p in paragraphs {
        let (e, at) = best_stretch_at(p, canonical);
        edits += e;
        for c in &mut covered[at] {
            *c = true;
        }
    }
    if !merged {
        edits += covered.iter().filter(|&&c| !c).count();
    }
    edits
}
