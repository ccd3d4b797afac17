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

mod layout;
mod noise;
mod sources;
mod truth;

use layout::print_scan;
use sources::{Lettering, Pool, script_of, shuffle_segments};
pub use truth::{
    Copied, Debris, DebrisLine, PrintedParagraph, Script, SimCorpus, SimScan, SourceRef, Truth,
    TruthFamily, TruthScan,
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
// The simulation

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
