//! Align: where two folded texts (or two places of one) say the same thing,
//! character by character.
//!
//! Seeds are exact k-mer matches (a sampled index of one text, probed at every
//! position of the other), each extended to a maximal exact run. Runs are
//! chained into collinear blocks with gap costs (longest-increasing-subsequence
//! style, with a bounded look-back), so a reordered or repeated section becomes
//! a block of its own instead of being lost. The gaps between consecutive runs
//! are filled by exact edit alignment, re-aligning a few characters of each
//! neighbouring run so that the result does not depend on where the greedy
//! runs happened to stop.
//!
//! The reconciler uses this on folded text; [`global`] and [`local`] expose
//! it for any two character sequences:
//!
//! ```
//! use reprint::align::{self, Op};
//! let a: Vec<char> = "暴风雨最猛烈的地方，恰恰是“哪吒闹海”的舞台".chars().collect();
//! let b: Vec<char> = "暴风雨最猛烈的地方，恰恰是“晒雨晒海”的舞台".chars().collect();
//! let al = align::global(&a, &b);
//! assert_eq!(al.cost(), 3);
//! assert_eq!(al.ops()[1], (Op::Sub, 3));
//! ```

use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::index::kmer_hashes;

/// One edit operation of an alignment between text `a` and text `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// Equal characters.
    Eq,
    /// A character of `a` read as a different character in `b`.
    Sub,
    /// A character of `a` absent from `b`.
    Del,
    /// A character of `b` absent from `a`.
    Ins,
}

impl Op {
    /// How far `n` of this operation move along `a` and `b`.
    pub(crate) fn advance(self, n: u32) -> (u32, u32) {
        match self {
            Op::Eq | Op::Sub => (n, n),
            Op::Del => (n, 0),
            Op::Ins => (0, n),
        }
    }
}

/// A collinear block: `a[a]` aligned to `b[b]` by `ops` (run-length encoded).
///
/// Ranges are character indices into the two sequences, 0-based, half-open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    pub(crate) a: Range<u32>,
    pub(crate) b: Range<u32>,
    pub(crate) ops: Vec<(Op, u32)>,
}

impl Alignment {
    /// The aligned range of `a`.
    pub fn a(&self) -> Range<usize> {
        self.a.start as usize..self.a.end as usize
    }

    /// The aligned range of `b`.
    pub fn b(&self) -> Range<usize> {
        self.b.start as usize..self.b.end as usize
    }

    /// The edit operations, run-length encoded: `(op, count)`.
    pub fn ops(&self) -> &[(Op, u32)] {
        &self.ops
    }

    /// Number of equal characters.
    pub fn matches(&self) -> u32 {
        self.count(Op::Eq)
    }

    /// Edit cost (substitutions, deletions and insertions, one each).
    pub fn cost(&self) -> u32 {
        self.ops
            .iter()
            .filter(|(op, _)| *op != Op::Eq)
            .map(|&(_, n)| n)
            .sum()
    }

    fn count(&self, which: Op) -> u32 {
        self.ops
            .iter()
            .filter(|(op, _)| *op == which)
            .map(|&(_, n)| n)
            .sum()
    }

    /// Aligned character pairs `(i, j, equal)` (equal characters and substitutions).
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (u32, u32, bool)> + '_ {
        let (mut i, mut j) = (self.a.start, self.b.start);
        self.ops.iter().flat_map(move |&(op, n)| {
            let (si, sj) = (i, j);
            let (di, dj) = op.advance(n);
            i += di;
            j += dj;
            let paired = matches!(op, Op::Eq | Op::Sub);
            (0..if paired { n } else { 0 }).map(move |t| (si + t, sj + t, op == Op::Eq))
        })
    }

    /// The alignment with `a` and `b` swapped.
    pub(crate) fn flipped(&self) -> Alignment {
        let ops = self
            .ops
            .iter()
            .map(|&(op, n)| {
                let op = match op {
                    Op::Del => Op::Ins,
                    Op::Ins => Op::Del,
                    other => other,
                };
                (op, n)
            })
            .collect();
        Alignment {
            a: self.b.clone(),
            b: self.a.clone(),
            ops,
        }
    }
}

/// An alignment with the position of every edit operation, so that the
/// partner of a position is found in `O(log ops)`: the findings ask for
/// thousands of positions of blocks that run to thousands of operations.
#[derive(Debug, Clone)]
pub(crate) struct Indexed {
    al: Alignment,
    /// `(x, y)` where each operation starts.
    starts: Vec<(u32, u32)>,
}

impl Indexed {
    pub(crate) fn new(al: Alignment) -> Indexed {
        let (mut x, mut y) = (al.a.start, al.b.start);
        let starts = al
            .ops
            .iter()
            .map(|&(op, n)| {
                let at = (x, y);
                let (dx, dy) = op.advance(n);
                x += dx;
                y += dy;
                at
            })
            .collect();
        Indexed { al, starts }
    }

    /// Position in `b` holding the same character as position `i` of `a`.
    pub(crate) fn partner_eq(&self, i: u32) -> Option<u32> {
        if i < self.al.a.start || i >= self.al.a.end {
            return None;
        }
        let k = self.covering(i)?;
        let ((x, y), (op, _)) = (self.starts[k], self.al.ops[k]);
        (op == Op::Eq).then_some(y + (i - x))
    }

    /// As [`Indexed::partner_eq`], for a character inside a run of at
    /// least `run` equal characters: inside a long gap, the aligner pairs
    /// equal characters by chance.
    pub(crate) fn partner_in_run(&self, i: u32, run: u32) -> Option<u32> {
        if i < self.al.a.start || i >= self.al.a.end {
            return None;
        }
        let k = self.covering(i)?;
        let ((x, y), (op, n)) = (self.starts[k], self.al.ops[k]);
        (op == Op::Eq && n >= run).then_some(y + (i - x))
    }

    /// Position in `b` aligned to (or just after) position `i` of `a`.
    pub(crate) fn project(&self, i: u32) -> u32 {
        match self.covering(i) {
            Some(k) => {
                let ((x, y), (op, n)) = (self.starts[k], self.al.ops[k]);
                if op.advance(n).1 == 0 { y } else { y + (i - x) }
            }
            None => self.al.b.end,
        }
    }

    /// The first operation whose end in `a` lies past `i`: ends are
    /// nondecreasing, so a binary search finds it.
    fn covering(&self, i: u32) -> Option<usize> {
        let ops = &self.al.ops;
        let k = self
            .starts
            .partition_point(|&(x, _)| x <= i)
            .saturating_sub(1);
        // `k` is the last operation starting at or before `i`; insertions
        // (which take no room in `a`) may sit there, the one covering `i`
        // follows them.
        (k..ops.len()).find(|&k| self.starts[k].0 + ops[k].0.advance(ops[k].1).0 > i)
    }
}

impl std::ops::Deref for Indexed {
    type Target = Alignment;
    fn deref(&self) -> &Alignment {
        &self.al
    }
}

/// Tuning of the aligner.
#[derive(Debug, Clone)]
pub(crate) struct Params {
    /// Seed length in characters.
    pub k: usize,
    /// Index every `sample`-th k-mer of `a` (every exact run of at least
    /// `k + sample - 1` characters is still found).
    pub sample: usize,
    /// Seeds occurring more often than this in `a` are ignored (low complexity).
    pub max_occ: usize,
    /// Smallest block kept, in matched characters.
    pub min_score: f64,
    /// Largest gap bridged inside a block, in characters (an insertion on one side).
    pub max_gap: u32,
    /// Largest gap bridged when both sides have unmatched text (a rewording):
    /// past it, two texts are saying different things and the block ends.
    pub max_mismatch: u32,
}

impl Params {
    /// Defaults for a seed length: 6 suits Chinese, 12 alphabetic scripts.
    pub fn for_k(k: usize) -> Params {
        Params {
            k,
            sample: (k / 2).max(1),
            max_occ: 16,
            min_score: (2 * k) as f64,
            max_gap: 2000,
            max_mismatch: 5 * k as u32,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    i: u32,
    j: u32,
    len: u32,
}

/// Maximal exact runs seeded by shared k-mers. With `self_mode` (`a == b`),
/// only runs strictly above the main diagonal, not overlapping themselves.
fn find_runs(a: &[char], b: &[char], p: &Params, self_mode: bool) -> Vec<Run> {
    let k = p.k;
    if a.len() < k || b.len() < k {
        return Vec::new();
    }
    let ha = kmer_hashes(a, k);
    let hb_owned;
    let hb = if self_mode {
        &ha
    } else {
        hb_owned = kmer_hashes(b, k);
        &hb_owned
    };
    let mut entries: Vec<(u64, u32)> = (0..ha.len())
        .step_by(p.sample)
        .map(|i| (ha[i], i as u32))
        .collect();
    entries.sort_unstable();
    let mut table: FxHashMap<u64, (u32, u32)> =
        FxHashMap::with_capacity_and_hasher(entries.len(), Default::default());
    let mut s = 0;
    while s < entries.len() {
        let mut e = s + 1;
        while e < entries.len() && entries[e].0 == entries[s].0 {
            e += 1;
        }
        if e - s <= p.max_occ {
            table.insert(entries[s].0, (s as u32, (e - s) as u32));
        }
        s = e;
    }
    let mut runs = Vec::new();
    // Runs still covering the probe position: (diagonal, end in b).
    let mut active: Vec<(i64, u32)> = Vec::new();
    for (j, h) in hb.iter().enumerate() {
        let Some(&(start, count)) = table.get(h) else {
            continue;
        };
        active.retain(|&(_, end)| end as usize > j);
        for &(_, i) in &entries[start as usize..(start + count) as usize] {
            let i = i as usize;
            if self_mode && i >= j {
                continue;
            }
            let d = j as i64 - i as i64;
            if active.iter().any(|&(ad, _)| ad == d) || a[i..i + k] != b[j..j + k] {
                continue;
            }
            let mut l = 0;
            while i > l
                && j > l
                && a[i - l - 1] == b[j - l - 1]
                && (!self_mode || i - l - 1 < j - l - 1)
            {
                l += 1;
            }
            let mut r = k;
            while i + r < a.len() && j + r < b.len() && a[i + r] == b[j + r] {
                r += 1;
            }
            let (i0, j0) = (i - l, j - l);
            let mut len = l + r;
            active.push((d, (j0 + len) as u32));
            if self_mode {
                len = len.min(j0 - i0);
            }
            if len >= k {
                runs.push(Run {
                    i: i0 as u32,
                    j: j0 as u32,
                    len: len as u32,
                });
            }
        }
    }
    runs
}

/// Cost of the gap between two chained runs: the unmatched stretch on both
/// sides (which still holds matches too short to seed) and the difference
/// in length, with a small concave charge for opening it.
fn gap_cost(gi: u32, gj: u32) -> f64 {
    let (lo, hi) = (gi.min(gj) as f64, gi.max(gj) as f64);
    let open = if hi > 0.0 {
        0.5 * (hi + 1.0).log2()
    } else {
        0.0
    };
    0.25 * lo + 0.1 * (hi - lo) + open
}

/// Chain runs into collinear blocks; each chain lists run indices in order.
/// Chains may share no run; a later chain may overlap an earlier one on one
/// side (a repeat) but not on both.
fn chain(runs: &mut [Run], p: &Params, self_mode: bool) -> Vec<Vec<usize>> {
    const LOOKBACK: usize = 64;
    runs.sort_unstable_by_key(|r| (r.j, r.i));
    let n = runs.len();
    let mut f = vec![0f64; n];
    let mut prev = vec![usize::MAX; n];
    // Where each chain's copy starts, so that within one text a chain never
    // runs its first copy into its second.
    let mut copy_start = vec![0u32; n];
    for r in 0..n {
        let rr = runs[r];
        f[r] = rr.len as f64;
        copy_start[r] = rr.j;
        for q in r.saturating_sub(LOOKBACK)..r {
            let qq = runs[q];
            if qq.i >= rr.i || qq.j >= rr.j || self_mode && rr.i + rr.len > copy_start[q] {
                continue;
            }
            let o = (qq.i + qq.len)
                .saturating_sub(rr.i)
                .max((qq.j + qq.len).saturating_sub(rr.j));
            if o >= rr.len {
                continue;
            }
            let gi = rr.i + o - (qq.i + qq.len).min(rr.i + o);
            let gj = rr.j + o - (qq.j + qq.len).min(rr.j + o);
            if gi.max(gj) > p.max_gap || gi.min(gj) > p.max_mismatch {
                continue;
            }
            let score = f[q] + (rr.len - o) as f64 - gap_cost(gi, gj);
            if score > f[r] {
                f[r] = score;
                prev[r] = q;
                copy_start[r] = copy_start[q];
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&x, &y| f[y].total_cmp(&f[x]).then(x.cmp(&y)));
    let mut used = vec![false; n];
    let mut chains = Vec::new();
    for end in order {
        if used[end] {
            continue;
        }
        let mut path = Vec::new();
        let mut x = end;
        while x != usize::MAX && !used[x] {
            path.push(x);
            x = prev[x];
        }
        for &y in &path {
            used[y] = true;
        }
        path.reverse();
        // A chain that branches off a better one scores on its own runs
        // only; keep its best stretch.
        let (score, best) = best_stretch(runs, &path);
        if score >= p.min_score {
            chains.push(path[best].to_vec());
        }
    }
    chains
}

/// The consecutive runs of a chain with the most matched characters less
/// the cost of the gaps between them: `(score, range of the path)`.
fn best_stretch(runs: &[Run], path: &[usize]) -> (f64, Range<usize>) {
    let mut best = (runs[path[0]].len as f64, 0..1);
    let (mut here, mut start) = (best.0, 0);
    for t in 1..path.len() {
        let (q, r) = (runs[path[t - 1]], runs[path[t]]);
        let o = (q.i + q.len)
            .saturating_sub(r.i)
            .max((q.j + q.len).saturating_sub(r.j));
        let gi = (r.i + o).saturating_sub(q.i + q.len);
        let gj = (r.j + o).saturating_sub(q.j + q.len);
        let joined = here + r.len.saturating_sub(o) as f64 - gap_cost(gi, gj);
        let alone = r.len as f64;
        if alone > joined {
            here = alone;
            start = t;
        } else {
            here = joined;
        }
        if here > best.0 {
            best = (here, start..t + 1);
        }
    }
    best
}

/// Run-length op builder.
#[derive(Default)]
struct Ops(Vec<(Op, u32)>);

impl Ops {
    fn push(&mut self, op: Op, n: u32) {
        if n == 0 {
            return;
        }
        match self.0.last_mut() {
            Some((last, m)) if *last == op => *m += n,
            _ => self.0.push((op, n)),
        }
    }
    fn extend(&mut self, other: &[(Op, u32)]) {
        for &(op, n) in other {
            self.push(op, n);
        }
    }
}

/// Cells above which a gap is aligned by Myers' diff (linear space) instead
/// of the full edit-distance table.
const DP_LIMIT: usize = 1 << 22;

/// Optimal global edit alignment of `a` against `b` (unit costs).
pub(crate) fn edit_ops(a: &[char], b: &[char]) -> Vec<(Op, u32)> {
    let mut ops = Ops::default();
    // Common prefix and suffix cost nothing to find and shrink the table.
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a2, b2) = (&a[pre..], &b[pre..]);
    let suf = a2
        .iter()
        .rev()
        .zip(b2.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a2, b2) = (&a2[..a2.len() - suf], &b2[..b2.len() - suf]);
    ops.push(Op::Eq, pre as u32);
    if a2.is_empty() || b2.is_empty() {
        ops.push(Op::Del, a2.len() as u32);
        ops.push(Op::Ins, b2.len() as u32);
    } else if a2.len() * b2.len() <= DP_LIMIT {
        ops.extend(&dp_ops(a2, b2));
    } else {
        ops.extend(&myers_ops(a2, b2));
    }
    ops.push(Op::Eq, suf as u32);
    ops.0
}

fn dp_ops(a: &[char], b: &[char]) -> Vec<(Op, u32)> {
    // Least edits first and, among alignments with as few, most equal
    // characters: a key of (edits, room - matches) in one integer. Without
    // the second part, ties between a substitution and a deletion plus an
    // insertion fall either way, and text around page debris was paired with
    // the debris rather than with itself. 32-bit keys when they fit (half
    // the table to fill: most gaps are small).
    let (n, m) = (a.len(), b.len());
    if n + m < 1 << 19 && n.min(m) < 1 << 12 {
        dp_ops_keyed::<u32>(a, b, 1 << 12)
    } else {
        dp_ops_keyed::<u64>(a, b, 1 << 32)
    }
}

/// An unsigned key for [`dp_ops_keyed`].
trait Key: Copy + Ord + std::ops::Add<Output = Self> + std::ops::Sub<Output = Self> {
    fn of(x: u64) -> Self;
}

impl Key for u32 {
    fn of(x: u64) -> u32 {
        x as u32
    }
}

impl Key for u64 {
    fn of(x: u64) -> u64 {
        x
    }
}

/// `edit` is the key of one edit; the matches counted below it never reach it.
fn dp_ops_keyed<K: Key>(a: &[char], b: &[char], edit: u64) -> Vec<(Op, u32)> {
    let (n, m) = (a.len(), b.len());
    let start = |edits: usize| K::of(edits as u64 * edit + edit - 1);
    let (edit, one) = (K::of(edit), K::of(1));
    let w = m + 1;
    let mut key = vec![K::of(0); (n + 1) * w];
    let step = |i: usize, j: usize, prev: K| {
        if a[i - 1] == b[j - 1] {
            prev - one
        } else {
            prev + edit
        }
    };
    for (j, c) in key.iter_mut().enumerate().take(m + 1) {
        *c = start(j);
    }
    for i in 1..=n {
        key[i * w] = start(i);
        for j in 1..=m {
            let sub = step(i, j, key[(i - 1) * w + j - 1]);
            let del = key[(i - 1) * w + j] + edit;
            let ins = key[i * w + j - 1] + edit;
            key[i * w + j] = sub.min(del).min(ins);
        }
    }
    let mut rev = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let here = key[i * w + j];
        if i > 0 && j > 0 && here == step(i, j, key[(i - 1) * w + j - 1]) {
            rev.push(if a[i - 1] == b[j - 1] {
                Op::Eq
            } else {
                Op::Sub
            });
            i -= 1;
            j -= 1;
        } else if i > 0 && here == key[(i - 1) * w + j] + edit {
            rev.push(Op::Del);
            i -= 1;
        } else {
            rev.push(Op::Ins);
            j -= 1;
        }
    }
    let mut ops = Ops::default();
    for op in rev.into_iter().rev() {
        ops.push(op, 1);
    }
    ops.0
}

/// Myers' diff for long gaps; paired deletions and insertions become substitutions.
fn myers_ops(a: &[char], b: &[char]) -> Vec<(Op, u32)> {
    use similar::{Algorithm, DiffOp, capture_diff_slices};
    let mut ops = Ops::default();
    for d in capture_diff_slices(Algorithm::Myers, a, b) {
        match d {
            DiffOp::Equal { len, .. } => ops.push(Op::Eq, len as u32),
            DiffOp::Delete { old_len, .. } => ops.push(Op::Del, old_len as u32),
            DiffOp::Insert { new_len, .. } => ops.push(Op::Ins, new_len as u32),
            DiffOp::Replace {
                old_len, new_len, ..
            } => {
                let s = old_len.min(new_len) as u32;
                ops.push(Op::Sub, s);
                ops.push(Op::Del, old_len as u32 - s);
                ops.push(Op::Ins, new_len as u32 - s);
            }
        }
    }
    ops.0
}

/// How far a block end may grow past its outermost seed run.
const EXTEND: usize = 24;
/// Characters of each run re-aligned together with the gap beside it.
const MARGIN: u32 = 4;

/// Best extension of an alignment leftwards from `(i, j)` (score: +1 equal,
/// -1 otherwise); returns the new start and the ops from there to `(i, j)`.
fn extend_left(a: &[char], b: &[char], i: usize, j: usize) -> (usize, usize, Vec<(Op, u32)>) {
    let (ra, rb): (Vec<char>, Vec<char>) = (
        a[i.saturating_sub(EXTEND)..i]
            .iter()
            .rev()
            .copied()
            .collect(),
        b[j.saturating_sub(EXTEND)..j]
            .iter()
            .rev()
            .copied()
            .collect(),
    );
    let (x, y, ops) = extend_right_from(&ra, &rb);
    let mut ops = ops;
    ops.reverse();
    (i - x, j - y, ops)
}

/// Best extension of an alignment rightwards into `a` and `b` from their starts.
fn extend_right_from(a: &[char], b: &[char]) -> (usize, usize, Vec<(Op, u32)>) {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return (0, 0, Vec::new());
    }
    let w = m + 1;
    let mut score = vec![i32::MIN / 2; (n + 1) * w];
    score[0] = 0;
    let mut best = (0i32, 0usize, 0usize);
    for i in 0..=n {
        for j in 0..=m {
            if i == 0 && j == 0 {
                continue;
            }
            let mut s = i32::MIN / 2;
            if i > 0 && j > 0 {
                s = s.max(score[(i - 1) * w + j - 1] + if a[i - 1] == b[j - 1] { 1 } else { -1 });
            }
            if i > 0 {
                s = s.max(score[(i - 1) * w + j] - 1);
            }
            if j > 0 {
                s = s.max(score[i * w + j - 1] - 1);
            }
            score[i * w + j] = s;
            // Only end on an equal pair: an extension never ends in an edit.
            // One that gains nothing is taken only if it reads one side to
            // its end ("风风。" against "风。" where a text ends: the stops
            // are one stop).
            if i > 0
                && j > 0
                && a[i - 1] == b[j - 1]
                && (s > best.0 || s == best.0 && (i == n || j == m))
            {
                best = (s, i, j);
            }
        }
    }
    let (_, bi, bj) = best;
    let ops = edit_ops(&a[..bi], &b[..bj]);
    (bi, bj, ops)
}

/// Build the alignment of one chain of runs; with `extend`, grow its ends.
fn fill(a: &[char], b: &[char], runs: &[Run], chain: &[usize], extend: bool) -> Alignment {
    // Trim overlaps between consecutive runs.
    let mut segs: Vec<Run> = Vec::with_capacity(chain.len());
    for &r in chain {
        let mut run = runs[r];
        if let Some(last) = segs.last() {
            let o = (last.i + last.len)
                .saturating_sub(run.i)
                .max((last.j + last.len).saturating_sub(run.j));
            run.i += o;
            run.j += o;
            run.len -= o;
        }
        if run.len > 0 {
            segs.push(run);
        }
    }
    let first = segs[0];
    let mut ops = Ops::default();
    let (mut si, mut sj) = (first.i as usize, first.j as usize);
    if extend {
        let (ei, ej, left) = extend_left(a, b, si, sj);
        ops.extend(&left);
        si = ei;
        sj = ej;
    }
    let (mut ci, mut cj) = (first.i, first.j);
    for (t, seg) in segs.iter().enumerate() {
        let m_left = if t > 0 { MARGIN.min(seg.len / 2) } else { 0 };
        let m_right = if t + 1 < segs.len() {
            MARGIN.min((seg.len - m_left) / 2)
        } else {
            0
        };
        if t > 0 {
            let (ti, tj) = (seg.i + m_left, seg.j + m_left);
            ops.extend(&edit_ops(
                &a[ci as usize..ti as usize],
                &b[cj as usize..tj as usize],
            ));
            ci = ti;
            cj = tj;
        }
        let eq = seg.len - m_left - m_right;
        ops.push(Op::Eq, eq);
        ci += eq;
        cj += eq;
    }
    let (mut ei, mut ej) = (ci as usize, cj as usize);
    if extend {
        let la = (a.len() - ei).min(EXTEND);
        let lb = (b.len() - ej).min(EXTEND);
        let (x, y, right) = extend_right_from(&a[ei..ei + la], &b[ej..ej + lb]);
        ops.extend(&right);
        ei += x;
        ej += y;
    }
    Alignment {
        a: si as u32..ei as u32,
        b: sj as u32..ej as u32,
        ops: ops.0,
    }
}

/// Local alignment blocks between two different texts, best first.
pub(crate) fn local_with(a: &[char], b: &[char], p: &Params) -> Vec<Alignment> {
    let mut runs = find_runs(a, b, p, false);
    let chains = chain(&mut runs, p, false);
    if chains.is_empty() {
        return low_complexity(a, b, p).into_iter().collect();
    }
    let mut blocks: Vec<Alignment> = chains.iter().map(|c| fill(a, b, &runs, c, true)).collect();
    drop_redundant(&mut blocks);
    blocks
}

/// Texts with no rare seed at all (one character repeated, a short motif
/// over and over) are small enough to align in full: one block between the
/// first and last equal characters, if it is long enough.
fn low_complexity(a: &[char], b: &[char], p: &Params) -> Option<Alignment> {
    if a.is_empty() || b.is_empty() || a.len() * b.len() > 1 << 18 {
        return None;
    }
    let mut ops = edit_ops(a, b);
    let matches: u32 = ops
        .iter()
        .filter(|(op, _)| *op == Op::Eq)
        .map(|&(_, n)| n)
        .sum();
    if (matches as f64) < p.min_score {
        return None;
    }
    let (mut a0, mut b0, mut a1, mut b1) = (0u32, 0u32, a.len() as u32, b.len() as u32);
    while let Some(&(op, n)) = ops.first().filter(|(op, _)| *op != Op::Eq) {
        a0 += if op == Op::Ins { 0 } else { n };
        b0 += if op == Op::Del { 0 } else { n };
        ops.remove(0);
    }
    while let Some(&(op, n)) = ops.last().filter(|(op, _)| *op != Op::Eq) {
        a1 -= if op == Op::Ins { 0 } else { n };
        b1 -= if op == Op::Del { 0 } else { n };
        ops.pop();
    }
    Some(Alignment {
        a: a0..a1,
        b: b0..b1,
        ops,
    })
}

/// Blocks of `a` repeated elsewhere in `a`: each has `a` (first copy) before `b` (second copy).
pub(crate) fn align_self(a: &[char], p: &Params) -> Vec<Alignment> {
    let mut runs = find_runs(a, a, p, true);
    let chains = chain(&mut runs, p, true);
    // A copy printed right after its original (a tandem repeat) can grow
    // into it at its ends; then it is taken as seeded, without growing.
    let mut blocks: Vec<Alignment> = chains
        .iter()
        .map(|c| {
            let grown = fill(a, a, &runs, c, true);
            if grown.a.end <= grown.b.start {
                grown
            } else {
                fill(a, a, &runs, c, false)
            }
        })
        .filter(|al| al.a.end <= al.b.start)
        .collect();
    drop_redundant(&mut blocks);
    blocks
}

/// Seed length for a pair of texts: 6 when CJK characters dominate, 12 otherwise.
fn seed_length(a: &[char], b: &[char]) -> usize {
    auto_seed_length(&[a, b])
}

/// The whole of `a` aligned to the whole of `b`: an edit alignment through
/// the best chain of exact runs, optimal (least substitutions, insertions
/// and deletions) wherever the texts are collinear.
///
/// Time is about linear in the length for texts that are mostly equal.
pub fn global(a: &[char], b: &[char]) -> Alignment {
    global_with(a, b, &Params::for_k(seed_length(a, b)))
}

/// Where `a` and `b` say the same thing: collinear blocks, best first. A
/// section moved or printed twice gets a block of its own.
pub fn local(a: &[char], b: &[char]) -> Vec<Alignment> {
    local_with(a, b, &Params::for_k(seed_length(a, b)))
}

/// [`global`] with explicit parameters.
pub(crate) fn global_with(a: &[char], b: &[char], p: &Params) -> Alignment {
    // Texts that differ here and there (the usual case for two scans of one
    // page) are walked along in one pass; anything else goes through seeds
    // and chaining.
    let (mut runs, chains) = match walk(a, b, p.k) {
        Some(runs) => {
            let chain = (0..runs.len()).collect();
            (runs, vec![chain])
        }
        None => {
            let mut runs = find_runs(a, b, p, false);
            let chains = chain(&mut runs, p, false);
            (runs, chains)
        }
    };
    runs.truncate(runs.len());
    let Some(best) = chains.first().filter(|c| !c.is_empty()) else {
        return Alignment {
            a: 0..a.len() as u32,
            b: 0..b.len() as u32,
            ops: edit_ops(a, b),
        };
    };
    let mid = fill(a, b, &runs, best, false);
    let mut ops = Ops::default();
    ops.extend(&edit_ops(
        &a[..mid.a.start as usize],
        &b[..mid.b.start as usize],
    ));
    ops.extend(&mid.ops);
    ops.extend(&edit_ops(
        &a[mid.a.end as usize..],
        &b[mid.b.end as usize..],
    ));
    Alignment {
        a: 0..a.len() as u32,
        b: 0..b.len() as u32,
        ops: ops.0,
    }
}

/// How far ahead [`walk`] looks for the next shared k-mer after a difference.
const RESYNC: usize = 48;

/// Exact runs of a walk down two mostly equal texts: follow equal
/// characters, and after a difference resume at the nearest shared k-mer
/// (fewest characters skipped on both sides). `None` if some difference is
/// wider than [`RESYNC`] (the texts are not simply noisy copies).
fn walk(a: &[char], b: &[char], k: usize) -> Option<Vec<Run>> {
    let (n, m) = (a.len(), b.len());
    if n < k || m < k {
        return None;
    }
    let (ha, hb) = (kmer_hashes(a, k), kmer_hashes(b, k));
    let same = |i: usize, j: usize| ha[i] == hb[j] && a[i..i + k] == b[j..j + k];
    let mut runs = Vec::with_capacity(n / 32 + 1);
    let (mut i, mut j) = (0, 0);
    loop {
        let (si, sj) = (i, j);
        while i < n && j < m && a[i] == b[j] {
            i += 1;
            j += 1;
        }
        if i > si {
            runs.push(Run {
                i: si as u32,
                j: sj as u32,
                len: (i - si) as u32,
            });
        }
        if i + k > n || j + k > m {
            return Some(runs);
        }
        // The nearest resumption, by characters skipped in all.
        let mut found = None;
        'search: for d in 1..=2 * RESYNC {
            for di in d.saturating_sub(RESYNC)..=d.min(RESYNC) {
                let dj = d - di;
                if i + di + k <= n && j + dj + k <= m && same(i + di, j + dj) {
                    found = Some((di, dj));
                    break 'search;
                }
            }
        }
        let (di, dj) = found?;
        i += di;
        j += dj;
    }
}

/// Drop blocks that mostly repeat the pairs of a better block. A block
/// that aligns the same stretch of one text to another place of the other
/// (a repeat) shares few pairs and stays.
fn drop_redundant(blocks: &mut Vec<Alignment>) {
    let mut seen: rustc_hash::FxHashSet<(u32, u32)> = Default::default();
    blocks.retain(|b| {
        let pairs: Vec<(u32, u32)> = b
            .pairs()
            .filter(|&(_, _, eq)| eq)
            .map(|(i, j, _)| (i, j))
            .collect();
        let shared = pairs.iter().filter(|p| seen.contains(p)).count();
        if 2 * shared > pairs.len() {
            return false;
        }
        seen.extend(pairs);
        true
    });
}

/// 6 for text that is mostly CJK (a character carries a word), 12 otherwise.
pub(crate) fn auto_seed_length(texts: &[&[char]]) -> usize {
    let mut cjk = 0usize;
    let mut total = 0usize;
    for t in texts {
        for &c in t.iter() {
            total += 1;
            if matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}')
            {
                cjk += 1;
            }
        }
    }
    if cjk * 10 >= total * 3 { 6 } else { 12 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn check(al: &Alignment, a: &[char], b: &[char]) {
        let (mut i, mut j) = (al.a.start as usize, al.b.start as usize);
        for &(op, n) in &al.ops {
            for _ in 0..n {
                match op {
                    Op::Eq => {
                        assert_eq!(a[i], b[j]);
                        i += 1;
                        j += 1;
                    }
                    Op::Sub => {
                        assert_ne!(a[i], b[j]);
                        i += 1;
                        j += 1;
                    }
                    Op::Del => i += 1,
                    Op::Ins => j += 1,
                }
            }
        }
        assert_eq!((i, j), (al.a.end as usize, al.b.end as usize));
    }

    #[test]
    fn substitution_found() {
        let a = chars("暴风雨最猛烈的地方，恰恰是哪吒闹海、一飞冲天的舞台。中国有句古诗说得好");
        let b = chars("暴风雨最猛烈的地方，恰恰是晒雨晒海、一飞冲天的舞台。中国有句古诗说得好");
        let blocks = local_with(&a, &b, &Params::for_k(6));
        assert_eq!(blocks.len(), 1);
        check(&blocks[0], &a, &b);
        assert_eq!(blocks[0].cost(), 3);
        assert_eq!(blocks[0].a, 0..a.len() as u32);
    }

    #[test]
    fn repeat_within_text() {
        let para = "中国一贯坚决打击贩毒制毒，是当今世界禁毒政策最严格、最彻底的国家。";
        let text = chars(&format!(
            "开头的话。{para}中间另有一段完全不同的文字。{para}结尾"
        ));
        let blocks = align_self(&text, &Params::for_k(6));
        assert_eq!(blocks.len(), 1);
        let b = &blocks[0];
        check(b, &text, &text);
        // The copy, plus the full stop before it that both copies share.
        assert_eq!((b.a.end - b.a.start) as usize, para.chars().count() + 1);
        assert_eq!(b.cost(), 0);
    }

    #[test]
    fn tandem_repeat() {
        let para = "馆六来两表实集锦的力头分最正产中应。时一群，门持琅溉厂的还口力头半排了百增展。";
        let text = chars(&format!("前一段的文字到此结束。{para}{para}"));
        let blocks = align_self(&text, &Params::for_k(6));
        assert_eq!(blocks.len(), 1);
        assert_eq!(
            (blocks[0].a.end - blocks[0].a.start) as usize,
            para.chars().count()
        );
    }

    #[test]
    fn page_break_is_one_block_with_an_insertion() {
        let a = chars(
            "还是要倡导并践行共同、综合、合作、可持续的新安全观，这样才能真正实现欧亚大陆乃至世界的长治久安。",
        );
        let b = chars(
            "还是要倡导并践行共同、综新华社图片说明文字在此合、合作、可持续的新安全观，这样才能真正实现欧亚大陆乃至世界的长治久安。",
        );
        let blocks = local_with(&a, &b, &Params::for_k(6));
        assert_eq!(blocks.len(), 1);
        check(&blocks[0], &a, &b);
        assert_eq!(
            blocks[0].cost(),
            "新华社图片说明文字在此".chars().count() as u32
        );
    }

    #[test]
    fn global_matches_edit_distance() {
        let a = chars("the quick brown fox jumps over the lazy dog and keeps running far away");
        let b = chars("the quikc brown fox jumsp over teh lazy dog and keeps runing far away!");
        let al = global_with(&a, &b, &Params::for_k(6));
        check(&al, &a, &b);
        assert_eq!(
            al.cost() as usize,
            strsim::levenshtein(&a.iter().collect::<String>(), &b.iter().collect::<String>())
        );
    }

    #[test]
    fn indexed_lookups_match_a_walk_over_the_operations() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        for _ in 0..300 {
            let ops: Vec<(Op, u32)> = (0..rng.random_range(1..40))
                .map(|_| {
                    let op = [Op::Eq, Op::Sub, Op::Del, Op::Ins][rng.random_range(0..4)];
                    (op, rng.random_range(1..6))
                })
                .collect();
            let (a0, b0) = (rng.random_range(0..50), rng.random_range(0..50));
            let da: u32 = ops.iter().map(|&(op, n)| op.advance(n).0).sum();
            let db: u32 = ops.iter().map(|&(op, n)| op.advance(n).1).sum();
            let al = Alignment {
                a: a0..a0 + da,
                b: b0..b0 + db,
                ops,
            };
            let indexed = Indexed::new(al.clone());
            for i in a0..=a0 + da + 2 {
                // Walk the operations one by one.
                let (mut x, mut y, mut eq, mut proj) = (a0, b0, None, None);
                for &(op, n) in &al.ops {
                    let (dx, dy) = op.advance(n);
                    if proj.is_none() && x + dx > i {
                        proj = Some(if dy == 0 { y } else { y + (i - x) });
                        if op == Op::Eq {
                            eq = Some(y + (i - x));
                        }
                    }
                    x += dx;
                    y += dy;
                }
                assert_eq!(indexed.partner_eq(i), eq, "partner of {i} in {:?}", al.ops);
                assert_eq!(indexed.project(i), proj.unwrap_or(al.b.end), "{i}");
            }
        }
    }
}
