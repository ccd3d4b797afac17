//! Scan simulator and evaluation: noisy scans with an exact truth, and the
//! measures that compare a [`Reconciliation`] with it.
//!
//! [`simulate`] turns clean paragraphs into families of scans. Each family
//! prints a few paragraphs; each of its scans prints them through a seeded
//! noise model:
//!
//! - character noise at a per-scan rate around [`SimConfig::noise`]:
//!   confusable substitutions (the bundled Chinese confusion tables; `rn`/`m`,
//!   `cl`/`d`, `1`/`l`, `0`/`O`, `e`/`c` … in Latin script), dropped and
//!   doubled characters, dropped spaces;
//! - punctuation printed in the other width (`，`/`,`, `：`/`:` …);
//! - a paragraph printed again later in the scan (a duplicate);
//! - a truncated copy of a paragraph printed elsewhere (a fragment);
//! - page breaks that cut a paragraph in two, with debris between the halves
//!   (captions, credits, jump markers, "scan the code" prompts, page heads),
//!   and debris between paragraphs;
//! - abridgement (a scan misses whole paragraphs, never one that all scans
//!   miss) and two adjacent sections swapped;
//! - distractors: scans of paragraphs no family uses, each a family of one.
//!
//! Scans print one paragraph per line with a blank line between paragraphs.
//! The [`Truth`] records which scans form each family, its clean text, and,
//! in byte offsets of each scan, where every printed paragraph, duplicate,
//! fragment and debris line is.
//!
//! When more paragraphs are asked for than the sources hold, later uses of a
//! source are *re-lettered*: a seeded permutation of the pool's characters
//! (Chinese) or words of equal length (Latin script), within bands of similar
//! frequency (the sixteen commonest characters or words stay), and of the
//! digits, with its clauses or sentences shuffled. The text keeps its letter
//! statistics but shares no phrases with other uses of the same source, so
//! families never overlap by accident.
//!
//! All randomness comes from [`rand_chacha::ChaCha8Rng`] streams derived from
//! [`SimConfig::seed`], so a seed gives byte-identical output on every
//! platform and version.
//!
//! ```
//! use reprint::simulate::{self, SimConfig};
//! let sources = ["入冬以来，北方多地迎来今年首场降雪，气象部门提醒公众注意防寒保暖。",
//!                "在河南省的一片麦田里，农技人员正在查看小麦出苗情况，今年墒情很好。"];
//! let sources: Vec<String> = sources.iter().map(|s| s.to_string()).collect();
//! let mut config = SimConfig::new();
//! config.families(1).paragraphs(2..=2).scans(3..=3).seed(7);
//! let corpus = simulate::simulate(&config, &sources);
//! assert_eq!(corpus.scans.len(), 3);
//! assert_eq!(corpus.truth.families[0].text.lines().count(), 2);
//!
//! let docs = corpus.documents();
//! let result = reprint::Reconciler::new().reconcile(&docs)?;
//! let report = simulate::evaluate(&corpus.truth, &docs, &result);
//! println!("CER {:.2}% (best scan {:.2}%)", 100.0 * report.overall.cer(),
//!          100.0 * report.overall.best_scan_cer());
//! # Ok::<(), reprint::Error>(())
//! ```

use std::collections::BTreeMap;
use std::io;
use std::ops::{Range, RangeInclusive};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::{Document, Reconciliation, RemovedKind};

/// The `schema` value of a truth file.
pub const TRUTH_SCHEMA: &str = "reprint-sim/1";

// ---------------------------------------------------------------------------
// Configuration

/// Settings of a simulation. Rates are chances in `0.0..=1.0`.
///
/// ```
/// use reprint::simulate::SimConfig;
/// let mut config = SimConfig::new();
/// config.families(50).scans(2..=4).noise(0.03).seed(11).distractors(5);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    families: usize,
    scans: RangeInclusive<usize>,
    paragraphs: RangeInclusive<usize>,
    noise: f64,
    mix: [f64; 3],
    seed: u64,
    distractors: usize,
    punctuation: f64,
    repeats: f64,
    fragments: f64,
    page_breaks: f64,
    debris: f64,
    abridge: f64,
    reorder: f64,
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            families: 20,
            scans: 2..=5,
            paragraphs: 3..=6,
            noise: 0.02,
            mix: [0.6, 0.25, 0.15],
            seed: 0,
            distractors: 0,
            punctuation: 0.1,
            repeats: 0.2,
            fragments: 0.15,
            page_breaks: 0.1,
            debris: 0.05,
            abridge: 0.15,
            reorder: 0.05,
        }
    }
}

impl SimConfig {
    /// The defaults: 20 families of 2–5 scans, 3–6 paragraphs each, 2 % noise, seed 0.
    pub fn new() -> SimConfig {
        SimConfig::default()
    }

    /// Number of families of reprints (default 20).
    pub fn families(&mut self, n: usize) -> &mut SimConfig {
        self.families = n;
        self
    }

    /// Scans per family (default `2..=5`; at least 1).
    pub fn scans(&mut self, range: RangeInclusive<usize>) -> &mut SimConfig {
        self.scans = clamp_range(range, 1);
        self
    }

    /// Paragraphs per family and per distractor (default `3..=6`; at least 1).
    pub fn paragraphs(&mut self, range: RangeInclusive<usize>) -> &mut SimConfig {
        self.paragraphs = clamp_range(range, 1);
        self
    }

    /// Mean character error rate of a scan (default 0.02). Each scan draws its
    /// own rate between a quarter and 1.75 times this.
    pub fn noise(&mut self, rate: f64) -> &mut SimConfig {
        self.noise = unit(rate);
        self
    }

    /// How character errors divide between substitutions, drops and doubled
    /// characters (default 0.6, 0.25, 0.15; normalised).
    pub fn char_mix(&mut self, substitute: f64, drop: f64, double: f64) -> &mut SimConfig {
        let m = [substitute.max(0.0), drop.max(0.0), double.max(0.0)];
        let sum: f64 = m.iter().sum();
        if sum > 0.0 {
            self.mix = m.map(|x| x / sum);
        }
        self
    }

    /// Seed of every random choice (default 0).
    pub fn seed(&mut self, seed: u64) -> &mut SimConfig {
        self.seed = seed;
        self
    }

    /// Number of distractors: single scans of paragraphs no family uses
    /// (default 0).
    pub fn distractors(&mut self, n: usize) -> &mut SimConfig {
        self.distractors = n;
        self
    }

    /// Chance that a width-variant punctuation mark is printed in the other
    /// width (default 0.1, scaled like the scan's noise).
    pub fn punctuation(&mut self, rate: f64) -> &mut SimConfig {
        self.punctuation = unit(rate);
        self
    }

    /// Chance that a scan prints a paragraph a second time; drawn again for
    /// each further repeat (default 0.2).
    pub fn repeats(&mut self, rate: f64) -> &mut SimConfig {
        self.repeats = unit(rate).min(0.9);
        self
    }

    /// Chance that a scan prints a truncated copy of a paragraph elsewhere;
    /// drawn again for each further fragment (default 0.15).
    pub fn fragments(&mut self, rate: f64) -> &mut SimConfig {
        self.fragments = unit(rate).min(0.9);
        self
    }

    /// Chance that a printed paragraph is cut by a page break with debris
    /// between its halves (default 0.1).
    pub fn page_breaks(&mut self, rate: f64) -> &mut SimConfig {
        self.page_breaks = unit(rate);
        self
    }

    /// Chance of debris lines (captions, credits, prompts) at each boundary
    /// between paragraphs (default 0.05).
    pub fn debris(&mut self, rate: f64) -> &mut SimConfig {
        self.debris = unit(rate);
        self
    }

    /// Chance that a scan misses a paragraph; drawn again for each further
    /// one, up to half the paragraphs (default 0.15).
    pub fn abridge(&mut self, rate: f64) -> &mut SimConfig {
        self.abridge = unit(rate).min(0.9);
        self
    }

    /// Chance that a scan prints two adjacent sections (of one or two
    /// paragraphs) in swapped order (default 0.05). A strict majority of a
    /// family's scans keeps the original order, so that it is knowable.
    pub fn reorder(&mut self, rate: f64) -> &mut SimConfig {
        self.reorder = unit(rate);
        self
    }
}

fn unit(x: f64) -> f64 {
    if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) }
}

fn clamp_range(r: RangeInclusive<usize>, min: usize) -> RangeInclusive<usize> {
    let lo = (*r.start()).max(min);
    let hi = (*r.end()).max(lo);
    lo..=hi
}

// ---------------------------------------------------------------------------
// Output and truth

/// A simulated corpus: the scans and the truth about them.
#[derive(Debug, Clone, PartialEq)]
pub struct SimCorpus {
    /// The scans, sorted by name.
    pub scans: Vec<SimScan>,
    /// What the scans are made of.
    pub truth: Truth,
}

/// One simulated scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimScan {
    /// Its name (`scan-0007`), which is the document id; the file is `NAME.txt`.
    pub name: String,
    /// Its text, UTF-8.
    pub text: String,
}

/// The script of a family's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// Chinese characters (a paragraph at least 30 % ideographs).
    Han,
    /// Alphabetic text.
    Latin,
}

impl Script {
    /// `han` or `latin`.
    pub fn name(&self) -> &'static str {
        match self {
            Script::Han => "han",
            Script::Latin => "latin",
        }
    }
}

/// Everything the simulator put into the scans. Written as `truth.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    /// Always [`TRUTH_SCHEMA`].
    pub schema: String,
    /// The seed used.
    pub seed: u64,
    /// The families, by id: reprint families first, then distractors.
    pub families: Vec<TruthFamily>,
    /// Every scan, sorted by name.
    pub scans: Vec<TruthScan>,
}

/// One family: the scans printing one clean text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthFamily {
    /// Index in [`Truth::families`].
    pub id: usize,
    /// Script of its text.
    pub script: Script,
    /// True for a distractor (a single scan of paragraphs no family uses).
    pub distractor: bool,
    /// Names of its scans, sorted.
    pub scans: Vec<String>,
    /// Where each paragraph comes from, in order.
    pub sources: Vec<SourceRef>,
    /// The clean text: its paragraphs joined by `\n`.
    pub text: String,
}

impl TruthFamily {
    /// The clean paragraphs, in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.text.split('\n')
    }
}

/// The source of one clean paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// Index of the source paragraph (non-empty source lines, in order).
    pub index: usize,
    /// 0 for the source as written; `n > 0` for its `n`-th re-lettering.
    pub generation: usize,
}

/// What one scan is made of. Ranges are byte offsets of the scan file,
/// half-open, on character boundaries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthScan {
    /// Name of the scan (document id).
    pub name: String,
    /// Id of its family.
    pub family: usize,
    /// The character error rate it was printed with.
    pub noise: f64,
    /// The family's paragraphs as printed, in printed order (each once:
    /// duplicates and fragments are listed apart).
    pub paragraphs: Vec<PrintedParagraph>,
    /// Paragraphs of the family the scan misses (abridgement).
    pub missing: Vec<usize>,
    /// True if two adjacent sections are printed in swapped order.
    pub reordered: bool,
    /// Paragraphs printed a second time.
    pub duplicates: Vec<Copied>,
    /// Truncated copies of paragraphs.
    pub fragments: Vec<Copied>,
    /// Debris lines.
    pub debris: Vec<DebrisLine>,
}

/// A clean paragraph as one scan prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintedParagraph {
    /// Index of the clean paragraph in the family.
    pub paragraph: usize,
    /// Where it is printed: one range, or two when a page break cuts it.
    /// Joined, they are the printed paragraph.
    pub pieces: Vec<Range<usize>>,
    /// Upper bound of the edit distance between the printed paragraph and the
    /// clean one, both folded (the errors injected; width swaps and spaces
    /// do not count).
    pub edits: usize,
    /// True if the printed paragraph is byte for byte the clean one.
    pub exact: bool,
}

/// A duplicate or a fragment: bytes that copy bytes printed elsewhere in the scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Copied {
    /// First byte of the copy.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// The bytes it copies (the same text).
    pub of: Range<usize>,
    /// Index of the clean paragraph copied.
    pub paragraph: usize,
}

impl Copied {
    /// `start..end`.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// A line of page debris.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebrisLine {
    /// First byte of the line.
    pub start: usize,
    /// One past its last byte (the line break excluded).
    pub end: usize,
    /// What it is.
    pub kind: Debris,
    /// Its text.
    pub text: String,
}

impl DebrisLine {
    /// `start..end`.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Kinds of simulated debris (named as [`crate::DebrisKind`] names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Debris {
    /// A photo caption.
    Caption,
    /// A photo or wire credit.
    Credit,
    /// A jump marker ("（下转第四版）").
    JumpMarker,
    /// A "scan the code" prompt.
    QrPrompt,
    /// A page number or dateline.
    Furniture,
}

impl Debris {
    /// The kebab-case name.
    pub fn name(&self) -> &'static str {
        match self {
            Debris::Caption => "caption",
            Debris::Credit => "credit",
            Debris::JumpMarker => "jump-marker",
            Debris::QrPrompt => "qr-prompt",
            Debris::Furniture => "furniture",
        }
    }
}

fn named(path: &Path, e: impl std::fmt::Display, kind: io::ErrorKind) -> io::Error {
    io::Error::new(kind, format!("{}: {e}", path.display()))
}

impl SimCorpus {
    /// Write every scan as `DIR/NAME.txt` and the truth as `DIR/truth.json`,
    /// creating `DIR` if needed. Scan files of an earlier run in `DIR`
    /// (`scan-*.txt`) are removed first, so the directory holds this corpus only.
    ///
    /// # Errors
    /// Any I/O error, naming the file.
    pub fn write(&self, dir: impl AsRef<Path>) -> io::Result<()> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| named(dir, &e, e.kind()))?;
        for entry in std::fs::read_dir(dir).map_err(|e| named(dir, &e, e.kind()))? {
            let path = entry.map_err(|e| named(dir, &e, e.kind()))?.path();
            let stale = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.strip_prefix("scan-")
                    .and_then(|n| n.strip_suffix(".txt"))
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            });
            if stale {
                std::fs::remove_file(&path).map_err(|e| named(&path, &e, e.kind()))?;
            }
        }
        for scan in &self.scans {
            let path = dir.join(format!("{}.txt", scan.name));
            std::fs::write(&path, &scan.text).map_err(|e| named(&path, &e, e.kind()))?;
        }
        let path = dir.join("truth.json");
        std::fs::write(&path, self.truth.to_json()).map_err(|e| named(&path, &e, e.kind()))
    }

    /// The scans as documents, for reconciling in memory.
    pub fn documents(&self) -> Vec<Document> {
        self.scans
            .iter()
            .map(|s| Document::from_text(s.name.clone(), s.text.clone()))
            .collect()
    }
}

impl Truth {
    /// Pretty-printed JSON.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("truth serialises");
        s.push('\n');
        s
    }

    /// Parse the JSON of a truth file.
    ///
    /// # Errors
    /// Malformed JSON, or a schema other than [`TRUTH_SCHEMA`].
    pub fn from_json(json: &str) -> Result<Truth, String> {
        let mut truth: Truth = serde_json::from_str(json).map_err(|e| e.to_string())?;
        // Lookups by name rely on the order the simulator writes.
        truth.scans.sort_by(|a, b| a.name.cmp(&b.name));
        if truth.schema != TRUTH_SCHEMA {
            return Err(format!(
                "schema {:?}, expected {TRUTH_SCHEMA:?}",
                truth.schema
            ));
        }
        Ok(truth)
    }

    /// Read a truth file: `PATH` itself, or `PATH/truth.json` for a directory.
    ///
    /// # Errors
    /// I/O errors, malformed JSON, a wrong schema; every error names the file.
    pub fn read(path: impl AsRef<Path>) -> io::Result<Truth> {
        let path = path.as_ref();
        let file: PathBuf = if path.is_dir() {
            path.join("truth.json")
        } else {
            path.to_path_buf()
        };
        let json = std::fs::read_to_string(&file).map_err(|e| named(&file, &e, e.kind()))?;
        Truth::from_json(&json).map_err(|e| named(&file, e, io::ErrorKind::InvalidData))
    }

    /// The scan named `name`.
    pub fn scan(&self, name: &str) -> Option<&TruthScan> {
        self.scans
            .binary_search_by(|s| s.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.scans[i])
    }
}

// ---------------------------------------------------------------------------
// Randomness

/// Seeded dice on one ChaCha8 stream. Only `next_u64` is used (not `rand`'s
/// range sampling), so the output depends on nothing but the ChaCha stream.
struct Dice(ChaCha8Rng);

const STREAM_DECK: u64 = 0;
const STREAM_FAMILY: u64 = 1;
const STREAM_RELETTER: u64 = 1 << 62;
const STREAM_SHUFFLE: u64 = 1 << 61;

impl Dice {
    fn new(seed: u64, stream: u64) -> Dice {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Dice(rng)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((self.0.next_u64() as u128 * n as u128) >> 64) as usize
    }

    fn between(&mut self, r: &RangeInclusive<usize>) -> usize {
        r.start() + self.below(r.end() - r.start() + 1)
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }

    /// How many times a chance `p` comes up in a row (at most `max`).
    fn geometric(&mut self, p: f64, max: usize) -> usize {
        let mut n = 0;
        while n < max && self.chance(p) {
            n += 1;
        }
        n
    }
}

// ---------------------------------------------------------------------------
// Sources, pools and re-lettering

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

fn script_of(s: &str) -> Script {
    let (mut han, mut all) = (0usize, 0usize);
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        all += 1;
        han += usize::from(is_han(c));
    }
    if han * 10 >= all * 3 && han > 0 {
        Script::Han
    } else {
        Script::Latin
    }
}

/// The source paragraphs of one script.
struct Pool {
    script: Script,
    /// Indices into the flattened sources.
    members: Vec<usize>,
    /// Characters (Han) or lower-case words (Latin) by descending frequency.
    inventory: Vec<Vec<String>>,
    /// Next unused entry: a permutation of `members` per generation.
    order: Vec<usize>,
    next: usize,
    generation: usize,
}

/// Words of a Latin text: maximal runs of ASCII letters.
fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_ascii_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push((st, &s[st..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out.into_iter()
}

impl Pool {
    fn new(script: Script, members: Vec<usize>, sources: &[String]) -> Pool {
        const KEEP: usize = 16;
        // Group the units that may replace each other: all Han characters in
        // one group, Latin words by length.
        let mut counts: BTreeMap<(usize, String), usize> = BTreeMap::new();
        for &m in &members {
            match script {
                Script::Han => {
                    for c in sources[m].chars().filter(|&c| is_han(c)) {
                        *counts.entry((0, c.to_string())).or_default() += 1;
                    }
                }
                Script::Latin => {
                    for (_, w) in words(&sources[m]) {
                        let w = w.to_ascii_lowercase();
                        if w.len() > 1 {
                            *counts.entry((w.len(), w)).or_default() += 1;
                        }
                    }
                }
            }
        }
        let mut groups: BTreeMap<usize, Vec<(usize, String)>> = BTreeMap::new();
        for ((g, unit), n) in counts {
            groups.entry(g).or_default().push((n, unit));
        }
        // The commonest units (的, 了, 在; the, of, and) keep their place, so
        // re-lettered text still reads a little like the language.
        let mut all: Vec<(usize, &String)> = groups
            .values()
            .flat_map(|v| v.iter().map(|(n, u)| (*n, u)))
            .collect();
        all.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        let fixed: Vec<String> = all.iter().take(KEEP).map(|(_, u)| (*u).clone()).collect();
        let inventory = groups
            .into_values()
            .map(|mut v| {
                v.retain(|(_, u)| !fixed.contains(u));
                v.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
                v.into_iter().map(|(_, u)| u).collect()
            })
            .collect();
        Pool {
            script,
            members,
            inventory,
            order: Vec::new(),
            next: 0,
            generation: 0,
        }
    }

    /// The next unused (source, generation).
    fn draw(&mut self, dice: &mut Dice) -> SourceRef {
        if self.next == self.order.len() {
            if !self.order.is_empty() {
                self.generation += 1;
            }
            self.order = self.members.clone();
            dice.shuffle(&mut self.order);
            self.next = 0;
        }
        self.next += 1;
        SourceRef {
            index: self.order[self.next - 1],
            generation: self.generation,
        }
    }

    /// The substitution of generation `g` (`g > 0`): units permuted within
    /// bands of similar frequency, digits permuted.
    fn lettering(&self, seed: u64, pool: usize, g: usize) -> Lettering {
        const BAND: usize = 24;
        let mut dice = Dice::new(seed, STREAM_RELETTER + ((pool as u64) << 32) + g as u64);
        let mut map: FxHashMap<String, String> = FxHashMap::default();
        for group in &self.inventory {
            for band in group.chunks(BAND) {
                let mut to: Vec<&String> = band.iter().collect();
                dice.shuffle(&mut to);
                for (from, to) in band.iter().zip(to) {
                    map.insert(from.clone(), to.clone());
                }
            }
        }
        let mut digits: Vec<char> = ('0'..='9').collect();
        dice.shuffle(&mut digits);
        Lettering { map, digits }
    }
}

struct Lettering {
    map: FxHashMap<String, String>,
    digits: Vec<char>,
}

impl Lettering {
    fn apply(&self, script: Script, s: &str) -> String {
        let digit = |c: char| {
            if c.is_ascii_digit() {
                self.digits[(c as u8 - b'0') as usize]
            } else {
                c
            }
        };
        match script {
            Script::Han => s
                .chars()
                .map(|c| {
                    let mut buf = [0u8; 4];
                    match self.map.get(c.encode_utf8(&mut buf) as &str) {
                        Some(t) => t.chars().next().unwrap_or(c),
                        None => digit(c),
                    }
                })
                .collect(),
            Script::Latin => {
                let mut out = String::with_capacity(s.len());
                let mut last = 0;
                for (i, w) in words(s) {
                    out.extend(s[last..i].chars().map(digit));
                    let lower = w.to_ascii_lowercase();
                    match self.map.get(&lower) {
                        Some(t) => out.push_str(&recase(w, t)),
                        None => out.push_str(w),
                    }
                    last = i + w.len();
                }
                out.extend(s[last..].chars().map(digit));
                out
            }
        }
    }
}

/// The clauses (Chinese) or sentences (Latin script) of a paragraph in a
/// shuffled order, the last one kept last, so that re-letterings of one
/// source do not share its punctuation skeleton.
fn shuffle_segments(script: Script, s: &str, dice: &mut Dice) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let end = match script {
            Script::Han if matches!(c, '，' | '；' | '。' | '！' | '？') => {
                let mut end = i + c.len_utf8();
                if let Some(&(j, q)) = it.peek()
                    && matches!(q, '”' | '’')
                {
                    end = j + q.len_utf8();
                    it.next();
                }
                Some(end)
            }
            Script::Latin if matches!(c, '.' | '!' | '?') => {
                let mut end = i + 1;
                if let Some(&(_, '"')) = it.peek() {
                    end += 1;
                    it.next();
                }
                s[end..].starts_with(' ').then_some(end)
            }
            _ => None,
        };
        if let Some(end) = end {
            segments.push(&s[start..end]);
            start = end;
        }
    }
    let tail = &s[start..];
    if !tail.trim().is_empty() {
        segments.push(tail);
    }
    if segments.len() > 2 {
        let last = segments.len() - 1;
        dice.shuffle(&mut segments[..last]);
    }
    match script {
        Script::Han => segments.concat(),
        Script::Latin => segments
            .iter()
            .map(|x| x.trim())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// `to` in the letter case of `like`.
fn recase(like: &str, to: &str) -> String {
    let mut cs = like.chars();
    let first_upper = cs.next().is_some_and(|c| c.is_ascii_uppercase());
    if first_upper && like.len() > 1 && like.chars().all(|c| c.is_ascii_uppercase()) {
        to.to_ascii_uppercase()
    } else if first_upper {
        let mut out = to.to_string();
        out[..1].make_ascii_uppercase();
        out
    } else {
        to.to_string()
    }
}

// ---------------------------------------------------------------------------
// Character noise

/// Chinese confusion sets by character: (OCR/ASR table, shape table).
type Confusions = FxHashMap<char, (Vec<char>, Vec<char>)>;

static HAN_CONFUSIONS: LazyLock<Confusions> = LazyLock::new(|| {
    let mut map = Confusions::default();
    let mut add = |line: &str, sep: char, shape: bool| {
        let Some((k, v)) = line.split_once(sep) else {
            return;
        };
        let mut ks = k.trim().chars();
        let (Some(k), None) = (ks.next(), ks.next()) else {
            return;
        };
        let e = map.entry(k).or_default();
        let list = if shape { &mut e.1 } else { &mut e.0 };
        for c in v.chars().filter(|&c| is_han(c) && c != k) {
            if !list.contains(&c) {
                list.push(c);
            }
        }
    };
    for line in include_str!("../data/confusion/ocr_asr_confusion.txt").lines() {
        add(line, ':', false);
    }
    for line in include_str!("../data/confusion/similar_shape_simplified.txt").lines() {
        add(line, ',', true);
    }
    map
});

/// Common Chinese characters (the OCR table's keys), for substituting a
/// character no table lists.
static HAN_COMMON: LazyLock<Vec<char>> = LazyLock::new(|| {
    include_str!("../data/confusion/ocr_asr_confusion.txt")
        .lines()
        .filter_map(|l| l.chars().next())
        .filter(|&c| is_han(c))
        .collect()
});

/// Latin OCR confusions, `from` → `to`.
const LATIN_CONFUSIONS: &[(&str, &str)] = &[
    ("rn", "m"),
    ("m", "rn"),
    ("cl", "d"),
    ("d", "cl"),
    ("li", "h"),
    ("h", "li"),
    ("vv", "w"),
    ("w", "vv"),
    ("l", "1"),
    ("1", "l"),
    ("I", "l"),
    ("l", "I"),
    ("O", "0"),
    ("0", "O"),
    ("o", "0"),
    ("e", "c"),
    ("c", "e"),
    ("a", "o"),
    ("o", "a"),
    ("n", "u"),
    ("u", "n"),
    ("i", "l"),
    ("t", "f"),
    ("f", "t"),
    ("h", "b"),
    ("b", "h"),
    ("S", "5"),
    ("5", "S"),
    ("B", "8"),
    ("8", "B"),
    ("g", "q"),
];

/// Width-variant punctuation that NFKC folds together: (halfwidth, fullwidth).
const WIDTH_PAIRS: [(char, char); 7] = [
    (',', '，'),
    (':', '：'),
    (';', '；'),
    ('!', '！'),
    ('?', '？'),
    ('(', '（'),
    (')', '）'),
];

fn other_width(c: char) -> Option<char> {
    WIDTH_PAIRS
        .iter()
        .find_map(|&(h, f)| (c == h).then_some(f).or((c == f).then_some(h)))
}

/// A paragraph as one scan prints it.
struct Printing {
    text: String,
    edits: usize,
    exact: bool,
}

/// Print `clean` through the character noise of one scan.
fn print(
    clean: &str,
    script: Script,
    rate: f64,
    punct: f64,
    mix: [f64; 3],
    dice: &mut Dice,
) -> Printing {
    let mut out = String::with_capacity(clean.len() + 8);
    let mut edits = 0;
    let mut i = 0;
    while i < clean.len() {
        let rest = &clean[i..];
        let c = rest.chars().next().expect("in bounds");
        let w = c.len_utf8();
        if c.is_whitespace() {
            // OCR loses spaces; the folded text (and so the CER) does not see it.
            if !(script == Script::Latin && c == ' ' && dice.chance(rate / 2.0)) {
                out.push(c);
            }
            i += w;
            continue;
        }
        if let Some(o) = other_width(c) {
            let to_half = o.is_ascii();
            // Halfwidth marks in Chinese text, fullwidth ones in Latin text.
            if (to_half == (script == Script::Han)) && dice.chance(punct) {
                out.push(o);
                i += w;
                continue;
            }
        }
        if !dice.chance(rate) {
            out.push(c);
            i += w;
            continue;
        }
        let op = dice.unit();
        if op < mix[0] {
            match substitute(rest, c, dice) {
                Some((used, to)) => {
                    edits += used.chars().count().max(to.chars().count());
                    out.push_str(&to);
                    i += used.len();
                }
                None => {
                    out.push(c);
                    i += w;
                }
            }
        } else if op < mix[0] + mix[1] {
            edits += 1;
            i += w;
        } else {
            edits += 1;
            out.push(c);
            out.push(c);
            i += w;
        }
    }
    let exact = out == clean;
    Printing {
        text: out,
        edits,
        exact,
    }
}

/// A misreading of the text at `rest` (starting with `c`): the bytes it
/// replaces and what is printed instead.
fn substitute<'a>(rest: &'a str, c: char, dice: &mut Dice) -> Option<(&'a str, String)> {
    if is_han(c) {
        let to = match HAN_CONFUSIONS.get(&c) {
            Some((ocr, shape)) if !ocr.is_empty() || !shape.is_empty() => {
                let list = if shape.is_empty() || (!ocr.is_empty() && dice.chance(0.5)) {
                    ocr
                } else {
                    shape
                };
                *dice.pick(list)
            }
            _ => *dice.pick(&HAN_COMMON),
        };
        return (to != c).then(|| (&rest[..c.len_utf8()], to.to_string()));
    }
    let options: Vec<&(&str, &str)> = LATIN_CONFUSIONS
        .iter()
        .filter(|(from, _)| rest.starts_with(from))
        .collect();
    if !options.is_empty() {
        let (from, to) = **dice.pick(&options);
        return Some((&rest[..from.len()], to.to_string()));
    }
    let w = c.len_utf8();
    if c.is_ascii_lowercase() || c.is_ascii_uppercase() {
        let base = if c.is_ascii_lowercase() { b'a' } else { b'A' };
        let to = (base + dice.below(26) as u8) as char;
        (to != c).then(|| (&rest[..w], to.to_string()))
    } else if c.is_ascii_digit() {
        let to = (b'0' + dice.below(10) as u8) as char;
        (to != c).then(|| (&rest[..w], to.to_string()))
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// Debris

const ZH_NAMES: &[&str] = &[
    "张三",
    "李明",
    "王芳",
    "陈晓东",
    "刘洋",
    "赵敏",
    "孙立",
    "周琳",
    "吴强",
    "郑华",
    "何静",
    "高远",
];
const ZH_NUMBERS: &[&str] = &[
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十二", "十六",
];
const ZH_WHO: &[&str] = &[
    "记者",
    "工作人员",
    "游客",
    "农民",
    "队员们",
    "市民",
    "志愿者",
    "孩子们",
    "抢修人员",
    "技术人员",
    "学生们",
    "老人们",
];
const ZH_WHERE: &[&str] = &[
    "现场",
    "田间",
    "展厅",
    "港口",
    "社区",
    "车间",
    "街头",
    "码头",
    "训练场",
    "图书馆",
    "果园",
    "工地",
];
const ZH_DOING: &[&str] = &[
    "采访",
    "劳作",
    "参观",
    "忙碌",
    "排队",
    "检查设备",
    "交流",
    "合影留念",
    "进行训练",
    "阅读",
    "清理路面",
    "搬运物资",
];
const EN_FIRST: &[&str] = &[
    "Jane", "Tom", "Maria", "David", "Aisha", "Peter", "Lena", "Samuel", "Grace", "Owen", "Nadia",
    "Henry",
];
const EN_LAST: &[&str] = &[
    "Doe",
    "Hartley",
    "Okafor",
    "Lindqvist",
    "Moreno",
    "Patel",
    "Fraser",
    "Kowalski",
    "Brennan",
    "Ashworth",
    "Tanaka",
    "Whitlock",
];
const EN_AGENCIES: &[&str] = &["Reuters", "AP", "AFP", "Getty Images"];
const EN_TOWNS: &[&str] = &[
    "Marlow Bay",
    "Eastbridge",
    "Kingsford",
    "Alder Vale",
    "Port Hollis",
    "Greyhaven",
    "Millbrook",
];
const EN_DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const EN_MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const EN_WHO: &[&str] = &[
    "Volunteers",
    "Workers",
    "Farmers",
    "Children",
    "Fans",
    "Residents",
    "Engineers",
    "Students",
    "Firefighters",
    "Shoppers",
];
const EN_DOING: &[&str] = &[
    "sort donations",
    "inspect the damage",
    "load grain onto lorries",
    "visit the new exhibition",
    "celebrate",
    "queue for tickets",
    "clear debris",
    "wait for buses",
    "gather outside the town hall",
];

fn debris_line(kind: Debris, script: Script, dice: &mut Dice) -> String {
    let month = 1 + dice.below(12);
    let day = 1 + dice.below(28);
    match (script, kind) {
        (Script::Han, Debris::Caption) => {
            let scene = format!(
                "{}在{}{}",
                dice.pick(ZH_WHO),
                dice.pick(ZH_WHERE),
                dice.pick(ZH_DOING)
            );
            if dice.chance(0.3) {
                format!("图为{scene}。")
            } else {
                format!("{month}月{day}日，{scene}。")
            }
        }
        (Script::Han, Debris::Credit) => match dice.below(4) {
            0 => format!("新华社记者 {} 摄", dice.pick(ZH_NAMES)),
            1 => format!("本报记者 {}/摄", dice.pick(ZH_NAMES)),
            2 => format!("{} 摄", dice.pick(ZH_NAMES)),
            _ => "据新华社电".to_string(),
        },
        (Script::Han, Debris::JumpMarker) => {
            let n = dice.pick(ZH_NUMBERS);
            if dice.chance(0.5) {
                format!("（下转第{n}版）")
            } else {
                format!("（上接第{n}版）")
            }
        }
        (Script::Han, Debris::QrPrompt) => {
            let prompts = [
                "扫码看视频",
                "扫描二维码查看更多内容",
                "扫一扫，关注我们",
                "扫码阅读全文",
            ];
            dice.pick(&prompts).to_string()
        }
        (Script::Han, Debris::Furniture) => {
            if dice.chance(0.5) {
                format!("第{}版", 1 + dice.below(16))
            } else {
                let week = ["一", "二", "三", "四", "五", "六", "日"];
                format!("2025年{month}月{day}日 星期{}", dice.pick(&week))
            }
        }
        (Script::Latin, Debris::Caption) => {
            if dice.chance(0.6) {
                format!(
                    "{} {} in {} on {}.",
                    dice.pick(EN_WHO),
                    dice.pick(EN_DOING),
                    dice.pick(EN_TOWNS),
                    dice.pick(EN_DAYS)
                )
            } else {
                format!(
                    "Above: {} {} speaks to reporters in {}.",
                    dice.pick(EN_FIRST),
                    dice.pick(EN_LAST),
                    dice.pick(EN_TOWNS)
                )
            }
        }
        (Script::Latin, Debris::Credit) => {
            let (f, l) = (dice.pick(EN_FIRST), dice.pick(EN_LAST));
            match dice.below(3) {
                0 => format!("Photo: {f} {l}/{}", dice.pick(EN_AGENCIES)),
                1 => format!("(AP Photo/{f} {l})"),
                _ => format!("Photograph by {f} {l}"),
            }
        }
        (Script::Latin, Debris::JumpMarker) => {
            let page = format!("{}{}", dice.pick(&["A", "B", ""]), 1 + dice.below(12));
            if dice.chance(0.5) {
                format!("(Continued on Page {page})")
            } else {
                format!("Continued from Page {page}")
            }
        }
        (Script::Latin, Debris::QrPrompt) => {
            let prompts = [
                "Scan the QR code to watch the video",
                "Scan the code for more photos",
                "Scan the QR code to read the full report",
            ];
            dice.pick(&prompts).to_string()
        }
        (Script::Latin, Debris::Furniture) => {
            if dice.chance(0.5) {
                format!("Page {}{}", dice.pick(&["A", "B", ""]), 1 + dice.below(16))
            } else {
                format!(
                    "{}, {} {day}, 2025",
                    dice.pick(EN_DAYS),
                    dice.pick(EN_MONTHS)
                )
            }
        }
    }
}

/// Debris lines printed together; `at_break` for the lines between the
/// halves of a paragraph cut by a page break.
fn debris_group(script: Script, at_break: bool, dice: &mut Dice) -> Vec<(Debris, String)> {
    let mut kinds = Vec::new();
    if at_break {
        if dice.chance(0.5) {
            kinds.push(Debris::JumpMarker);
        }
        if dice.chance(0.3) {
            kinds.push(Debris::Furniture);
        }
        if dice.chance(0.35) {
            kinds.extend([Debris::Caption, Debris::Credit]);
        } else if dice.chance(0.2) {
            kinds.push(Debris::QrPrompt);
        }
        if kinds.is_empty() || dice.chance(0.25) {
            kinds.push(Debris::JumpMarker);
        }
    } else {
        match dice.below(20) {
            0..=9 => kinds.extend([Debris::Caption, Debris::Credit]),
            10..=11 => kinds.push(Debris::Caption),
            12..=14 => kinds.push(Debris::Credit),
            15..=17 => kinds.push(Debris::QrPrompt),
            _ => kinds.push(Debris::Furniture),
        }
    }
    kinds
        .into_iter()
        .map(|k| (k, debris_line(k, script, dice)))
        .collect()
}

// ---------------------------------------------------------------------------
// The simulation

/// What one scan prints, in order, before byte offsets are known.
enum Item {
    /// Printed paragraph `k`; with a cut (byte offset into it) and the debris
    /// lines printed between its halves.
    Para(usize, Option<(usize, Vec<(Debris, String)>)>),
    Debris(Vec<(Debris, String)>),
    Dup(usize),
    Frag(usize, Range<usize>),
}

/// Byte offset of the char boundary nearest after `chars` characters of `s`.
fn char_offset(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

struct Family {
    script: Script,
    sources: Vec<SourceRef>,
    paragraphs: Vec<String>,
    scans: usize,
    distractor: bool,
}

/// Simulate scans of `sources`: clean paragraphs, one per non-empty line
/// (a string holding several lines gives several paragraphs). Paragraphs
/// are sorted into pools by script, and each family prints paragraphs of one
/// script.
///
/// With no usable source the corpus is empty.
pub fn simulate(config: &SimConfig, sources: &[String]) -> SimCorpus {
    let flat: Vec<String> = sources
        .iter()
        .flat_map(|s| s.lines())
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let mut pools: Vec<Pool> = Vec::new();
    for script in [Script::Han, Script::Latin] {
        let members: Vec<usize> = (0..flat.len())
            .filter(|&i| script_of(&flat[i]) == script)
            .collect();
        if !members.is_empty() {
            pools.push(Pool::new(script, members, &flat));
        }
    }
    let empty = SimCorpus {
        scans: Vec::new(),
        truth: Truth {
            schema: TRUTH_SCHEMA.into(),
            seed: config.seed,
            families: Vec::new(),
            scans: Vec::new(),
        },
    };
    if pools.is_empty() {
        return empty;
    }
    let total_sources: usize = pools.iter().map(|p| p.members.len()).sum();

    // 1. Which paragraphs each family prints.
    let mut deck = Dice::new(config.seed, STREAM_DECK);
    let mut letterings: FxHashMap<(usize, usize), Lettering> = FxHashMap::default();
    let mut families: Vec<Family> = Vec::new();
    for f in 0..config.families + config.distractors {
        let distractor = f >= config.families;
        let mut x = deck.below(total_sources);
        let mut p = 0;
        while x >= pools[p].members.len() {
            x -= pools[p].members.len();
            p += 1;
        }
        let n = deck.between(&config.paragraphs);
        let scans = if distractor {
            1
        } else {
            deck.between(&config.scans)
        };
        let mut refs = Vec::with_capacity(n);
        let mut paragraphs = Vec::with_capacity(n);
        for _ in 0..n {
            let r = pools[p].draw(&mut deck);
            let text = if r.generation == 0 {
                flat[r.index].clone()
            } else {
                let script = pools[p].script;
                let stream = STREAM_SHUFFLE + ((r.generation as u64) << 24) + r.index as u64;
                let shuffled =
                    shuffle_segments(script, &flat[r.index], &mut Dice::new(config.seed, stream));
                letterings
                    .entry((p, r.generation))
                    .or_insert_with(|| pools[p].lettering(config.seed, p, r.generation))
                    .apply(script, &shuffled)
            };
            refs.push(r);
            paragraphs.push(text);
        }
        families.push(Family {
            script: pools[p].script,
            sources: refs,
            paragraphs,
            scans,
            distractor,
        });
    }

    // 2. Names: shuffled, so that a name says nothing of the family.
    let total: usize = families.iter().map(|f| f.scans).sum();
    let width = total.saturating_sub(1).to_string().len().max(4);
    let mut ids: Vec<usize> = (0..total).collect();
    deck.shuffle(&mut ids);

    // 3. The scans, each family on its own stream.
    let mut scans: Vec<SimScan> = Vec::with_capacity(total);
    let mut truth_scans: Vec<TruthScan> = Vec::with_capacity(total);
    let mut truth_families: Vec<TruthFamily> = Vec::with_capacity(families.len());
    let mut next_id = 0;
    for (f, fam) in families.iter().enumerate() {
        let mut dice = Dice::new(config.seed, STREAM_FAMILY + f as u64);
        let plans = plan_scans(fam, config, &mut dice);
        let mut names = Vec::with_capacity(fam.scans);
        for order in plans {
            let name = format!("scan-{:0width$}", ids[next_id]);
            next_id += 1;
            let (text, mut t) = print_scan(fam, &order, config, &mut dice);
            t.name = name.clone();
            t.family = f;
            names.push(name.clone());
            scans.push(SimScan { name, text });
            truth_scans.push(t);
        }
        names.sort();
        truth_families.push(TruthFamily {
            id: f,
            script: fam.script,
            distractor: fam.distractor,
            scans: names,
            sources: fam.sources.clone(),
            text: fam.paragraphs.join("\n"),
        });
    }
    scans.sort_by(|a, b| a.name.cmp(&b.name));
    truth_scans.sort_by(|a, b| a.name.cmp(&b.name));
    SimCorpus {
        scans,
        truth: Truth {
            schema: TRUTH_SCHEMA.into(),
            seed: config.seed,
            families: truth_families,
            scans: truth_scans,
        },
    }
}

/// The paragraphs each scan of a family prints, in printed order, and
/// whether it swapped two sections.
fn plan_scans(fam: &Family, config: &SimConfig, dice: &mut Dice) -> Vec<(Vec<usize>, bool)> {
    let n = fam.paragraphs.len();
    let mut missing: Vec<Vec<usize>> = (0..fam.scans)
        .map(|_| {
            let k = dice.geometric(config.abridge, n / 2);
            let mut all: Vec<usize> = (0..n).collect();
            dice.shuffle(&mut all);
            all.truncate(k);
            all
        })
        .collect();
    // A paragraph that every scan misses is not in any scan: give it back.
    for p in 0..n {
        if missing.iter().all(|m| m.contains(&p)) {
            let s = dice.below(fam.scans);
            missing[s].retain(|&q| q != p);
        }
    }
    // A strict majority of the scans keeps the original order, so that the
    // order is knowable (a single scan is never reordered).
    let mut reorders_left = (fam.scans - 1) / 2;
    missing
        .into_iter()
        .map(|m| {
            let mut order: Vec<usize> = (0..n).filter(|p| !m.contains(p)).collect();
            let mut swapped = false;
            if order.len() >= 2 && reorders_left > 0 && dice.chance(config.reorder) {
                reorders_left -= 1;
                // Two adjacent sections of one or two paragraphs each.
                let a = 1 + dice.below(2.min(order.len() - 1));
                let b = 1 + dice.below(2.min(order.len() - a));
                let start = dice.below(order.len() - a - b + 1);
                order[start..start + a + b].rotate_left(a);
                swapped = true;
            }
            (order, swapped)
        })
        .collect()
}

/// Print one scan: its text and its truth (name and family left to the caller).
fn print_scan(
    fam: &Family,
    (order, reordered): &(Vec<usize>, bool),
    config: &SimConfig,
    dice: &mut Dice,
) -> (String, TruthScan) {
    let script = fam.script;
    let factor = 0.25 + 1.5 * dice.unit();
    let rate = (config.noise * factor * 1e4).round() / 1e4;
    let punct = (config.punctuation * factor).min(1.0);
    let printed: Vec<Printing> = order
        .iter()
        .map(|&p| print(&fam.paragraphs[p], script, rate, punct, config.mix, dice))
        .collect();
    let len = |k: usize| printed[k].text.chars().count();

    let mut items: Vec<Item> = (0..printed.len()).map(|k| Item::Para(k, None)).collect();
    for item in items.iter_mut() {
        let Item::Para(k, cut) = item else { continue };
        let n = len(*k);
        if n >= 12 && dice.chance(config.page_breaks) {
            let text = &printed[*k].text;
            let at = n * 3 / 10 + dice.below(n * 4 / 10 + 1);
            let mut at = char_offset(text, at);
            if script == Script::Latin {
                // Pages break between words: cut after the next space.
                if let Some(sp) = text[at..].find(' ')
                    && at + sp + 1 < text.len()
                {
                    at += sp + 1;
                }
            }
            *cut = Some((at, debris_group(script, true, dice)));
        }
    }
    let whole: Vec<usize> = items
        .iter()
        .filter_map(|it| match it {
            Item::Para(k, None) if len(*k) >= 12 => Some(*k),
            _ => None,
        })
        .collect();
    let position = |items: &[Item], k: usize| {
        items
            .iter()
            .position(|it| matches!(it, Item::Para(j, _) if *j == k))
            .expect("printed paragraph is placed")
    };
    if !whole.is_empty() {
        for _ in 0..dice.geometric(config.repeats, 3) {
            let k = *dice.pick(&whole);
            let after = position(&items, k) + 1;
            let at = after + dice.below(items.len() - after + 1);
            items.insert(at, Item::Dup(k));
        }
        for _ in 0..dice.geometric(config.fragments, 3) {
            let k = *dice.pick(&whole);
            let n = len(k);
            let keep = n / 4 + dice.below(n / 2 + 1);
            let text = &printed[k].text;
            let part = if dice.chance(0.7) {
                0..char_offset(text, keep.max(1))
            } else {
                char_offset(text, n - keep.max(1))..text.len()
            };
            let at = dice.below(items.len() + 1);
            items.insert(at, Item::Frag(k, part));
        }
    }
    let mut with_debris = Vec::with_capacity(items.len() + 4);
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 && dice.chance(config.debris) {
            with_debris.push(Item::Debris(debris_group(script, false, dice)));
        }
        with_debris.push(item);
    }
    if dice.chance(config.debris) {
        with_debris.push(Item::Debris(debris_group(script, false, dice)));
    }

    // Lay out the text, recording every range.
    let mut text = String::new();
    let mut pieces: Vec<Vec<Range<usize>>> = vec![Vec::new(); printed.len()];
    let mut debris = Vec::new();
    let mut duplicates = Vec::new();
    let mut fragments: Vec<(Range<usize>, usize, Range<usize>)> = Vec::new();
    let push_lines =
        |text: &mut String, debris: &mut Vec<DebrisLine>, lines: &[(Debris, String)]| {
            for (j, (kind, line)) in lines.iter().enumerate() {
                if j > 0 {
                    // A credit often sits right under its caption.
                    let tight = *kind == Debris::Credit && lines[j - 1].0 == Debris::Caption;
                    text.push_str(if tight { "\n" } else { "\n\n" });
                }
                let start = text.len();
                text.push_str(line);
                debris.push(DebrisLine {
                    start,
                    end: text.len(),
                    kind: *kind,
                    text: line.clone(),
                });
            }
        };
    for (i, item) in with_debris.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
        }
        match item {
            Item::Para(k, None) => {
                let start = text.len();
                text.push_str(&printed[*k].text);
                pieces[*k].push(start..text.len());
            }
            Item::Para(k, Some((cut, lines))) => {
                let t = &printed[*k].text;
                let start = text.len();
                text.push_str(&t[..*cut]);
                pieces[*k].push(start..text.len());
                text.push_str("\n\n");
                push_lines(&mut text, &mut debris, lines);
                text.push_str("\n\n");
                let start = text.len();
                text.push_str(&t[*cut..]);
                pieces[*k].push(start..text.len());
            }
            Item::Debris(lines) => push_lines(&mut text, &mut debris, lines),
            Item::Dup(k) => {
                let start = text.len();
                text.push_str(&printed[*k].text);
                duplicates.push(Copied {
                    start,
                    end: text.len(),
                    of: pieces[*k][0].clone(),
                    paragraph: order[*k],
                });
            }
            Item::Frag(k, part) => {
                let start = text.len();
                text.push_str(&printed[*k].text[part.clone()]);
                fragments.push((start..text.len(), *k, part.clone()));
            }
        }
    }
    text.push('\n');
    let fragments = fragments
        .into_iter()
        .map(|(r, k, part)| {
            let base = pieces[k][0].start;
            Copied {
                start: r.start,
                end: r.end,
                of: base + part.start..base + part.end,
                paragraph: order[k],
            }
        })
        .collect();
    let paragraphs = printed
        .iter()
        .zip(pieces)
        .zip(order)
        .map(|((p, pieces), &paragraph)| PrintedParagraph {
            paragraph,
            pieces,
            edits: p.edits,
            exact: p.exact,
        })
        .collect();
    let missing = (0..fam.paragraphs.len())
        .filter(|p| !order.contains(p))
        .collect();
    let truth = TruthScan {
        name: String::new(),
        family: 0,
        noise: rate,
        paragraphs,
        missing,
        reordered: *reordered,
        duplicates,
        fragments,
        debris,
    };
    (text, truth)
}

// ---------------------------------------------------------------------------
// Edit distance

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
/// use reprint::simulate::distance;
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
/// use reprint::simulate::cer;
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
