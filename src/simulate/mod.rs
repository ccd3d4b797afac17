//! Scan simulator: noisy scans of clean paragraphs with an exact truth.
//! [`crate::evaluate`] compares a [`Reconciliation`](crate::Reconciliation)
//! with that truth.
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
//! [`SimConfig::hard`] adds what real scans do beyond that, each also on
//! its own builder method (all off by default, and then drawing no random
//! number, so the default output does not change): newspaper columns with
//! hyphenated line ends ([`SimConfig::columns`]), sections moved in any scan
//! ([`SimConfig::moves`]), runs of paragraphs printed again later
//! ([`SimConfig::late_repeats`]), fragments inside paragraphs
//! ([`SimConfig::inner_fragments`]), boilerplate shared across families
//! ([`SimConfig::boilerplate`]), passages only one scan prints
//! ([`SimConfig::solo`]), misprints of the source every scan copies
//! ([`SimConfig::misprints`]) and logos read as letters
//! ([`SimConfig::garbage`]).
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
//! use reprint::evaluate;
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
//! let report = evaluate::evaluate(&corpus.truth, &docs, &result);
//! println!("CER {:.2}% (best scan {:.2}%)", 100.0 * report.overall.cer(),
//!          100.0 * report.overall.best_scan_cer());
//! # Ok::<(), reprint::Error>(())
//! ```

use std::ops::RangeInclusive;

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashMap;

mod extras;
mod layout;
mod noise;
mod sources;
mod truth;
mod vocab;
mod wrap;

use extras::{Boilerplate, boilerplate_blocks, misprint};
use layout::print_scan;
pub(crate) use sources::script_of;
use sources::{Lettering, Pool, shuffle_segments};
pub use truth::{
    BreakKind, Column, Copied, Debris, DebrisLine, LineBreak, Misprint, PrintedParagraph, Script,
    SimCorpus, SimScan, SourceRef, Truth, TruthFamily, TruthScan,
};

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
    columns: f64,
    moves: f64,
    late_repeats: f64,
    inner_fragments: f64,
    boilerplate: f64,
    solo: f64,
    misprints: f64,
    garbage: f64,
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
            columns: 0.0,
            moves: 0.0,
            late_repeats: 0.0,
            inner_fragments: 0.0,
            boilerplate: 0.0,
            solo: 0.0,
            misprints: 0.0,
            garbage: 0.0,
        }
    }
}

impl SimConfig {
    /// The defaults: 20 families of 2–5 scans, 3–6 paragraphs each, 2 % noise, seed 0.
    pub fn new() -> SimConfig {
        SimConfig::default()
    }

    /// The defaults plus what real scans do and the defaults leave out, at
    /// rates seen in real reprints:
    ///
    /// | phenomenon | method | rate |
    /// |---|---|---|
    /// | printed as a newspaper column | [`columns`](SimConfig::columns) | 0.6 |
    /// | a section moved elsewhere | [`moves`](SimConfig::moves) | 0.25 |
    /// | a block printed again later | [`late_repeats`](SimConfig::late_repeats) | 0.15 |
    /// | a fragment inside a paragraph | [`inner_fragments`](SimConfig::inner_fragments) | 0.1 |
    /// | the paper's boilerplate | [`boilerplate`](SimConfig::boilerplate) | 0.3 |
    /// | a paragraph only one scan prints | [`solo`](SimConfig::solo) | 0.05 |
    /// | a misprint every scan copies | [`misprints`](SimConfig::misprints) | 0.1 |
    /// | a logo or ornament read as letters | [`garbage`](SimConfig::garbage) | 0.05 |
    ///
    /// ```
    /// use reprint::simulate::SimConfig;
    /// let mut config = SimConfig::hard();
    /// config.families(10).seed(3);
    /// assert_ne!(config, SimConfig::new());
    /// ```
    pub fn hard() -> SimConfig {
        let mut config = SimConfig::default();
        config
            .columns(0.6)
            .moves(0.25)
            .late_repeats(0.15)
            .inner_fragments(0.1)
            .boilerplate(0.3)
            .solo(0.05)
            .misprints(0.1)
            .garbage(0.05);
        config
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
    /// paragraphs) in swapped order (default 0.05). The order stays knowable,
    /// as for [`moves`](SimConfig::moves).
    pub fn reorder(&mut self, rate: f64) -> &mut SimConfig {
        self.reorder = unit(rate);
        self
    }

    /// Chance that a scan is printed as a newspaper column (default 0):
    /// lines of 12–18 Han or 30–50 Latin characters (drawn per scan), Latin
    /// words hyphenated at line ends, a blank line between paragraphs or
    /// none, and in some scans an indented first line. The truth records
    /// every line break ([`TruthScan::breaks`]); debris lines stay whole.
    pub fn columns(&mut self, rate: f64) -> &mut SimConfig {
        self.columns = unit(rate);
        self
    }

    /// Chance that a scan prints a section of one or two paragraphs at
    /// another place (default 0). Unlike [`reorder`](SimConfig::reorder)
    /// (two adjacent sections swapped) the section may go anywhere. Every
    /// pair of paragraphs is printed in order by a strict majority of the
    /// scans printing both, so that the order is knowable (a single scan
    /// never moves one, nor does the only scan printing a paragraph). Recorded in [`TruthScan::moved`].
    pub fn moves(&mut self, rate: f64) -> &mut SimConfig {
        self.moves = unit(rate);
        self
    }

    /// Chance that a scan prints a run of one to three consecutive
    /// paragraphs again at any later place; drawn again for a second run
    /// (default 0). Each copy is a duplicate.
    pub fn late_repeats(&mut self, rate: f64) -> &mut SimConfig {
        self.late_repeats = unit(rate).min(0.9);
        self
    }

    /// Chance that a scan prints a fragment inside another paragraph, where
    /// a page break would cut it; drawn again for a second one (default 0).
    /// The fragment is listed with the others, and the paragraph around it
    /// has two pieces.
    pub fn inner_fragments(&mut self, rate: f64) -> &mut SimConfig {
        self.inner_fragments = unit(rate).min(0.9);
        self
    }

    /// Chance that a scan prints a block of the paper's boilerplate
    /// (masthead, address block, standing notice) at the top, the bottom
    /// or between paragraphs; drawn again for a second block (default 0).
    /// A seed has a few such blocks per script, so scans of different
    /// families share them. They are [`Debris::Boilerplate`] lines.
    pub fn boilerplate(&mut self, rate: f64) -> &mut SimConfig {
        self.boilerplate = unit(rate).min(0.9);
        self
    }

    /// Chance, per paragraph of a family of two or more scans, that exactly
    /// one scan prints it (default 0). Recorded in [`TruthFamily::solo`];
    /// every other scan lists it as missing.
    pub fn solo(&mut self, rate: f64) -> &mut SimConfig {
        self.solo = unit(rate);
        self
    }

    /// Chance, per paragraph of a family, of a misprint in the source that
    /// every scan copies before its own noise (default 0): a confusable
    /// character (Han), or a confusable letter pair, swapped letters or a
    /// common misspelling (Latin). The clean text stays correct; the
    /// misprints are listed in [`TruthFamily::misprints`].
    pub fn misprints(&mut self, rate: f64) -> &mut SimConfig {
        self.misprints = unit(rate);
        self
    }

    /// Chance of a line of OCR garbage (a logo or ornament read as letters)
    /// at each boundary between paragraphs and at the top and bottom
    /// (default 0). They are [`Debris::Garbage`] lines.
    pub fn garbage(&mut self, rate: f64) -> &mut SimConfig {
        self.garbage = unit(rate);
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
// Randomness

/// Seeded dice on one ChaCha8 stream. Only `next_u64` is used (not `rand`'s
/// range sampling), so the output depends on nothing but the ChaCha stream.
struct Dice(ChaCha8Rng);

const STREAM_DECK: u64 = 0;
const STREAM_FAMILY: u64 = 1;
const STREAM_RELETTER: u64 = 1 << 62;
const STREAM_SHUFFLE: u64 = 1 << 61;
/// The boilerplate blocks of a seed, shared by all families.
const STREAM_BOILERPLATE: u64 = 1 << 60;

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
// The simulation

struct Family {
    script: Script,
    sources: Vec<SourceRef>,
    paragraphs: Vec<String>,
    scans: usize,
    distractor: bool,
    /// What the scans copy: the paragraphs with the source's misprints
    /// applied, and the edits the misprint adds (0 without one).
    source: Vec<(String, usize)>,
    misprints: Vec<Misprint>,
}

/// What one scan of a family prints, before the page is laid out.
struct Plan {
    /// The paragraphs it prints, in printed order.
    order: Vec<usize>,
    /// True if two adjacent sections are swapped.
    reordered: bool,
    /// Paragraphs of a section moved elsewhere.
    moved: Vec<usize>,
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
            source: paragraphs.iter().map(|t| (t.clone(), 0)).collect(),
            paragraphs,
            scans,
            distractor,
            misprints: Vec::new(),
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
    // The paper's boilerplate, the same for every family.
    let boilerplate = if config.boilerplate > 0.0 {
        boilerplate_blocks(&mut Dice::new(config.seed, STREAM_BOILERPLATE))
    } else {
        Boilerplate::default()
    };
    for (f, fam) in families.iter_mut().enumerate() {
        let mut dice = Dice::new(config.seed, STREAM_FAMILY + f as u64);
        // Extra draws only when a phenomenon is on: the default output
        // stays what it was before these existed.
        if config.misprints > 0.0 {
            for p in 0..fam.paragraphs.len() {
                if dice.chance(config.misprints)
                    && let Some(m) = misprint(&fam.paragraphs[p], p, fam.script, &mut dice)
                {
                    let edits = m.clean.chars().count().max(m.printed.chars().count());
                    fam.source[p] = (m.apply(&fam.paragraphs[p]), edits);
                    fam.misprints.push(m);
                }
            }
        }
        let fam = &*fam;
        let (plans, solo) = plan_scans(fam, config, &mut dice);
        let blocks = boilerplate.of(fam.script);
        let mut names = Vec::with_capacity(fam.scans);
        for plan in plans {
            let name = format!("scan-{:0width$}", ids[next_id]);
            next_id += 1;
            let (text, mut t) = print_scan(fam, &plan, blocks, config, &mut dice);
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
            solo,
            misprints: fam.misprints.clone(),
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

/// What each scan of a family prints, and the paragraphs only one scan
/// prints.
fn plan_scans(fam: &Family, config: &SimConfig, dice: &mut Dice) -> (Vec<Plan>, Vec<usize>) {
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
    let mut solo = Vec::new();
    if config.solo > 0.0 && fam.scans >= 2 {
        for p in 0..n {
            // At least one paragraph is printed by several scans.
            if solo.len() + 1 < n && dice.chance(config.solo) {
                let only = dice.below(fam.scans);
                for (s, m) in missing.iter_mut().enumerate() {
                    m.retain(|&q| q != p);
                    if s != only {
                        m.push(p);
                    }
                }
                solo.push(p);
            }
        }
        // A scan prints something: give back a paragraph others print too.
        for m in &mut missing {
            if m.len() == n {
                let shared: Vec<usize> = (0..n).filter(|p| !solo.contains(p)).collect();
                let p = *dice.pick(&shared);
                m.retain(|&q| q != p);
            }
        }
    }
    // A strict majority of the scans keeps the original order, so that the
    // order is knowable (a single scan is never reordered).
    let mut reorders_left = (fam.scans - 1) / 2;
    // Moves too: any scan may be one that moves a section, but no more than
    // a minority of them, so that the order stays knowable.
    let mut moves_left = (fam.scans - 1) / 2;
    let mut plans: Vec<Plan> = missing
        .into_iter()
        .map(|m| {
            let mut order: Vec<usize> = (0..n).filter(|p| !m.contains(p)).collect();
            let mut reordered = false;
            if order.len() >= 2 && reorders_left > 0 && dice.chance(config.reorder) {
                reorders_left -= 1;
                // Two adjacent sections of one or two paragraphs each.
                let a = 1 + dice.below(2.min(order.len() - 1));
                let b = 1 + dice.below(2.min(order.len() - a));
                let start = dice.below(order.len() - a - b + 1);
                order[start..start + a + b].rotate_left(a);
                reordered = true;
            }
            let mut moved = Vec::new();
            if config.moves > 0.0 && order.len() >= 2 && moves_left > 0 && dice.chance(config.moves)
            {
                moves_left -= 1;
                // A section of one or two paragraphs, put back anywhere but
                // where it was.
                let a = 1 + dice.below(2.min(order.len() - 1));
                let start = dice.below(order.len() - a + 1);
                let section: Vec<usize> = order.drain(start..start + a).collect();
                let mut to = dice.below(order.len());
                if to >= start {
                    to += 1;
                }
                moved = section.clone();
                moved.sort_unstable();
                order.splice(to..to, section);
            }
            Plan {
                order,
                reordered,
                moved,
            }
        })
        .collect();
    // Budgets per kind of change do not make the order knowable: a scan
    // that swaps two sections and another that moves one can agree against
    // the rest, and a paragraph only the mover prints has no other witness.
    // Undo the latest change until every pair of paragraphs is in order in
    // a strict majority of the scans printing both.
    while !order_knowable(&plans, n) {
        let last = plans
            .iter_mut()
            .rev()
            .find(|pl| pl.reordered || !pl.moved.is_empty())
            .expect("scans in the original order are knowable");
        last.order.sort_unstable();
        last.reordered = false;
        last.moved.clear();
    }
    (plans, solo)
}

/// True if, for every pair of paragraphs some scan prints, a strict
/// majority of the scans printing both print them in the original order.
fn order_knowable(plans: &[Plan], n: usize) -> bool {
    let mut votes = vec![0i32; n * n];
    for pl in plans {
        let mut at = vec![usize::MAX; n];
        for (k, &p) in pl.order.iter().enumerate() {
            at[p] = k;
        }
        for p in 0..n {
            for q in p + 1..n {
                if at[p] != usize::MAX && at[q] != usize::MAX {
                    votes[p * n + q] += if at[p] < at[q] { 1 } else { -1 };
                }
            }
        }
    }
    (0..n).all(|p| {
        (p + 1..n).all(|q| {
            let printed = plans
                .iter()
                .any(|pl| pl.order.contains(&p) && pl.order.contains(&q));
            !printed || votes[p * n + q] > 0
        })
    })
}
