//! Collate: the witnesses of one family folded into one variant graph.
//!
//! The findings of [`crate::layout`] come first: re-joined page
//! breaks, and duplicates and fragments left out, so each scan is one
//! witness, not several votes. Then:
//!
//! 1. **Columns.** Characters aligned between witnesses are merged into
//!    columns (union-find, best blocks first, never two characters of one
//!    witness in a column). Rewordings stay apart and compete whole.
//! 2. **Order.** The witness sharing most with the others sets a first
//!    order; what the others add goes next to where they read it, so every
//!    witness's text stays together. Then the sections (runs of columns no
//!    witness leaves a paragraph inside) take the order most witnesses
//!    support: every witness votes on every two sections it reads, and the
//!    order keeping most votes wins, so a section one scan moves goes where
//!    the others print it.
//! 3. **Coverage.** Where a witness steps over a few columns it has no
//!    character in, it votes that they are absent; over a long passage its
//!    readers agree on, it is silent (abridgement or an added passage: not a
//!    vote).

use std::cmp::Reverse;
use std::ops::Range;

use rayon::prelude::*;

use crate::align::{Alignment, Op};
use crate::family::UnionFind;
use crate::layout::{Finding, Layout, Pair, Witness};
use crate::segment::{DebrisKind, ends_sentence};

/// Why characters of a witness stay out of the canonical text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RemovalKind {
    Duplicate,
    Fragment,
    Debris(DebrisKind),
}

/// A removed stretch of a witness (folded positions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Removal {
    pub witness: usize,
    pub range: Range<u32>,
    pub kind: RemovalKind,
    /// The copy it repeats (witness, folded range), for duplicates and fragments.
    pub of: Option<(usize, Range<u32>)>,
}

/// A witness's relation to one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cell {
    /// The witness reads this character (folded position).
    Char(u32),
    /// The witness reads past this column without a character: a vote for absence.
    Absent,
    /// The witness passes over a long stretch here without a character
    /// (abridgement, an added passage): reported, not a vote.
    Skip,
}

/// The variant graph laid out in canonical order.
#[derive(Debug, Clone)]
pub(crate) struct Collation {
    /// Columns in canonical order; each lists `(witness, cell)` sorted by witness.
    /// Witnesses not listed are silent there.
    pub columns: Vec<Vec<(usize, Cell)>>,
    /// For each witness, the folded positions that end one of its paragraphs.
    pub paragraph_ends: Vec<Vec<u32>>,
    /// Removed stretches, sorted by witness and position.
    pub removed: Vec<Removal>,
}

/// Tuning of collation.
#[derive(Debug, Clone)]
pub(crate) struct Params {
    /// A witness stepping over at most this many columns votes them absent.
    pub max_absent: usize,
    /// In a family of at most this many witnesses and one, each is compared
    /// with every other for the backbone's agreement; in a larger one, only
    /// with those it was aligned with (each a handful, see
    /// [`crate::Config::max_neighbours`]), so the comparison grows with the
    /// family, not with its square. The pairs aligned are a document's
    /// closest reprints: enough to tell a witness that moves a section from
    /// the many that do not.
    pub max_partners: usize,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            max_absent: 6,
            max_partners: 16,
        }
    }
}

/// The pairs of witnesses compared for agreement (see
/// [`Params::max_partners`]), `(w, v)` with `w < v`, sorted.
fn agreement_partners(nw: usize, pairs: &[Pair<'_>], max_partners: usize) -> Vec<(usize, usize)> {
    if nw <= max_partners + 1 {
        return (0..nw)
            .flat_map(|w| (w + 1..nw).map(move |v| (w, v)))
            .collect();
    }
    let mut out: Vec<(usize, usize)> = pairs
        .iter()
        .filter(|pr| pr.a != pr.b)
        .map(|pr| (pr.a.min(pr.b), pr.a.max(pr.b)))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Collate one family, given what its alignments revealed.
pub(crate) fn collate(
    witnesses: &[Witness<'_>],
    pairs: &[Pair<'_>],
    layout: &Layout,
    p: &Params,
) -> Collation {
    let nw = witnesses.len();
    let mut removed: Vec<Removal> = layout
        .findings
        .iter()
        .filter_map(|f| match f {
            Finding::Duplicate { witness, range, of } => Some(Removal {
                witness: *witness,
                range: range.clone(),
                kind: RemovalKind::Duplicate,
                of: Some(of.clone()),
            }),
            Finding::Fragment { witness, range, of } => Some(Removal {
                witness: *witness,
                range: range.clone(),
                kind: RemovalKind::Fragment,
                of: Some(of.clone()),
            }),
            // The lines between the halves are debris blocks by now.
            Finding::PageBreak { .. } => None,
        })
        .collect();
    let mut effective: Vec<Vec<bool>> = Vec::with_capacity(nw);
    let mut paragraph_ends = Vec::with_capacity(nw);
    for (w, witness) in witnesses.iter().enumerate() {
        let blocks = &layout.blocks[w];
        let mut eff = vec![false; witness.folded.n()];
        let mut ends = Vec::new();
        for (pi, para) in layout.paragraphs[w].iter().enumerate() {
            if !layout.kept[w][pi] {
                continue;
            }
            for &bi in para {
                for x in blocks[bi].range.clone() {
                    eff[x as usize] = true;
                }
            }
        }
        // Stretches removed from inside kept paragraphs (a spliced-in copy).
        for r in removed.iter().filter(|r| r.witness == w) {
            eff[r.range.start as usize..r.range.end as usize].fill(false);
        }
        for (pi, para) in layout.paragraphs[w].iter().enumerate() {
            if !layout.kept[w][pi] {
                continue;
            }
            let start = blocks[para[0]].range.start;
            let end = blocks[*para.last().unwrap()].range.end;
            if let Some(last) = (start..end).rev().find(|&x| eff[x as usize]) {
                ends.push(last);
            }
        }
        for b in blocks {
            if let Some(kind) = b.debris {
                removed.push(Removal {
                    witness: w,
                    range: b.range.clone(),
                    kind: RemovalKind::Debris(kind),
                    of: None,
                });
            }
        }
        effective.push(eff);
        paragraph_ends.push(ends);
    }
    removed.sort_by_key(|r| (r.witness, r.range.start));

    let mut para_end: Vec<Vec<bool>> = effective.iter().map(|e| vec![false; e.len()]).collect();
    for (w, ends) in paragraph_ends.iter().enumerate() {
        for &e in ends {
            para_end[w][e as usize] = true;
        }
    }
    let columns = build_columns(witnesses, pairs, &effective, &para_end);
    let heading = headings(witnesses, layout, &columns);
    // Where each witness prints a passage again whole: (witness, position
    // of the copy left out, the passage kept). A fragment is a piece cut
    // off at a break; the whole copy is the one in its place.
    let copies: Vec<(usize, u32, Range<u32>)> = removed
        .iter()
        .filter(|r| r.kind == RemovalKind::Duplicate)
        .filter_map(|r| {
            let (w, of) = r.of.as_ref()?;
            (*w == r.witness).then(|| (r.witness, r.range.start, of.clone()))
        })
        .collect();
    let partners = agreement_partners(nw, pairs, p.max_partners);
    let order = order_columns(
        &columns, &effective, &para_end, &heading, &copies, &partners,
    );
    let columns = with_coverage(columns, order, &effective, &para_end, p.max_absent);
    Collation {
        columns,
        paragraph_ends,
        removed,
    }
}

/// Merge aligned characters into columns; returns each column's
/// `(witness, position)` cells, columns in no particular order.
fn build_columns(
    witnesses: &[Witness<'_>],
    pairs: &[Pair<'_>],
    effective: &[Vec<bool>],
    para_end: &[Vec<bool>],
) -> Vec<Vec<(usize, u32)>> {
    let nw = witnesses.len();
    let mut offset = vec![0usize; nw + 1];
    for w in 0..nw {
        offset[w + 1] = offset[w] + witnesses[w].folded.n();
    }
    let total = offset[nw];
    let mut readers = Readers::new(&offset);
    let mut uf = UnionFind::new(total);
    // Best blocks first, so a repeat never displaces the main alignment.
    let mut cross: Vec<(u32, usize, usize, &Alignment)> = pairs
        .iter()
        .filter(|pr| pr.a != pr.b)
        .flat_map(|pr| {
            pr.blocks
                .iter()
                .map(move |al| (al.matches(), pr.a, pr.b, al))
        })
        .collect();
    cross.sort_by_key(|&(m, a, b, al)| (Reverse(m), a, b, al.a.start, al.b.start));
    let cross = collinear_blocks(cross);
    // A block may read the copy of a repeat that was left out: its pairs
    // go to the copy kept instead.
    // Only a block lying wholly on the left-out copy is moved: one that
    // runs from kept text into a left-out copy reads both, and its pairs in
    // the copy would tie the kept text to itself elsewhere.
    let kept_copy = kept_copies(pairs, effective);
    let on_copy = |w: usize, r: &Range<u32>| {
        r.start < r.end
            && (r.start..r.end)
                .all(|i| !effective[w][i as usize] && kept_copy[w][i as usize] != u32::MAX)
    };
    let readable: Vec<Vec<bool>> = effective
        .iter()
        .zip(&kept_copy)
        .map(|(e, k)| e.iter().zip(k).map(|(&e, &k)| e || k != u32::MAX).collect())
        .collect();
    for (_, a, b, al) in cross {
        let (move_a, move_b) = (on_copy(a, &al.a), on_copy(b, &al.b));
        let to_text = |w: usize, i: u32, moved: bool| {
            if effective[w][i as usize] {
                Some(i)
            } else if moved {
                Some(kept_copy[w][i as usize]).filter(|&k| k != u32::MAX)
            } else {
                None
            }
        };
        let ends = (para_end[a].as_slice(), para_end[b].as_slice());
        let ea = if move_a { &readable[a] } else { &effective[a] };
        let eb = if move_b { &readable[b] } else { &effective[b] };
        for (i, j) in column_pairs(al, ea, eb, ends) {
            let (Some(i), Some(j)) = (to_text(a, i, move_a), to_text(b, j, move_b)) else {
                continue;
            };
            let (x, y) = (offset[a] + i as usize, offset[b] + j as usize);
            let (rx, ry) = (uf.find(x as u32) as usize, uf.find(y as u32) as usize);
            if rx == ry {
                continue;
            }
            if readers.clash(rx, ry) {
                continue;
            }
            let r = uf.union(rx as u32, ry as u32) as usize;
            let other = if r == rx { ry } else { rx };
            readers.merge(r, other);
        }
    }
    let mut column_of = vec![u32::MAX; total];
    let mut columns: Vec<Vec<(usize, u32)>> = Vec::new();
    for w in 0..nw {
        for (i, _) in effective[w].iter().enumerate().filter(|&(_, &e)| e) {
            let r = uf.find((offset[w] + i) as u32) as usize;
            if column_of[r] == u32::MAX {
                column_of[r] = columns.len() as u32;
                // One character per witness in the set: its size is known.
                columns.push(Vec::with_capacity(readers.len(r)));
            }
            columns[column_of[r] as usize].push((w, i as u32));
        }
    }
    columns
}

/// The witnesses reading each set of characters merged so far (indexed by
/// the set's representative), so that no column takes two characters of
/// one witness. Up to 64 witnesses, one bit each in a word per character;
/// in a larger family a bit set per character would grow with the square of
/// the family, so a merged set keeps its witnesses in a hash set instead
/// (the smaller merged into the larger: each witness moves a logarithmic
/// number of times), and a single character's witness is its own.
struct Readers {
    /// Per character, the witnesses as bits (families of up to 64).
    bits: Vec<u64>,
    /// Per character, the witness reading it (larger families).
    witness: Vec<u32>,
    /// Per character, its merged set in `sets` (`u32::MAX`: itself alone).
    set_of: Vec<u32>,
    sets: Vec<rustc_hash::FxHashSet<u32>>,
}

impl Readers {
    fn new(offset: &[usize]) -> Readers {
        let nw = offset.len() - 1;
        let total = offset[nw];
        let mut r = Readers {
            bits: Vec::new(),
            witness: Vec::new(),
            set_of: Vec::new(),
            sets: Vec::new(),
        };
        if nw <= 64 {
            r.bits = vec![0; total];
            for w in 0..nw {
                r.bits[offset[w]..offset[w + 1]].fill(1 << w);
            }
        } else {
            r.witness = vec![0; total];
            for w in 0..nw {
                r.witness[offset[w]..offset[w + 1]].fill(w as u32);
            }
            r.set_of = vec![u32::MAX; total];
        }
        r
    }

    fn len(&self, x: usize) -> usize {
        if !self.bits.is_empty() {
            return self.bits[x].count_ones() as usize;
        }
        match self.set_of[x] {
            u32::MAX => 1,
            s => self.sets[s as usize].len(),
        }
    }

    /// Some witness reads a character of both sets.
    fn clash(&self, x: usize, y: usize) -> bool {
        if !self.bits.is_empty() {
            return self.bits[x] & self.bits[y] != 0;
        }
        match (self.set_of[x], self.set_of[y]) {
            (u32::MAX, u32::MAX) => self.witness[x] == self.witness[y],
            (u32::MAX, s) => self.sets[s as usize].contains(&self.witness[x]),
            (s, u32::MAX) => self.sets[s as usize].contains(&self.witness[y]),
            (s, t) => {
                let (a, b) = (&self.sets[s as usize], &self.sets[t as usize]);
                let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
                small.iter().any(|w| large.contains(w))
            }
        }
    }

    /// Set `other`'s witnesses into `r`'s (now the representative of both).
    fn merge(&mut self, r: usize, other: usize) {
        if !self.bits.is_empty() {
            self.bits[r] |= self.bits[other];
            return;
        }
        let take = |me: &mut Readers, x: usize| match me.set_of[x] {
            u32::MAX => rustc_hash::FxHashSet::from_iter([me.witness[x]]),
            s => std::mem::take(&mut me.sets[s as usize]),
        };
        let (mut a, b) = (take(self, r), take(self, other));
        if a.len() < b.len() {
            let small = std::mem::replace(&mut a, b);
            a.extend(small);
        } else {
            a.extend(b);
        }
        // Reuse a freed slot of either; the other stays empty.
        let slot = match (self.set_of[r], self.set_of[other]) {
            (u32::MAX, u32::MAX) => {
                self.sets.push(Default::default());
                (self.sets.len() - 1) as u32
            }
            (u32::MAX, s) | (s, _) => s,
        };
        self.sets[slot as usize] = a;
        self.set_of[r] = slot;
        self.set_of[other] = u32::MAX;
    }
}

/// For each witness, the kept character that each character of a removed
/// repeat copies (`u32::MAX` where there is none), from its alignment
/// with itself.
fn kept_copies(pairs: &[Pair<'_>], effective: &[Vec<bool>]) -> Vec<Vec<u32>> {
    let mut out: Vec<Vec<u32>> = effective.iter().map(|e| vec![u32::MAX; e.len()]).collect();
    for pr in pairs.iter().filter(|pr| pr.a == pr.b) {
        let (eff, copy) = (&effective[pr.a], &mut out[pr.a]);
        for al in pr.blocks {
            for (i, j, eq) in al.pairs() {
                let (i, j) = (i as usize, j as usize);
                if !eq || eff[i] == eff[j] {
                    continue;
                }
                let (gone, kept) = if eff[i] { (j, i) } else { (i, j) };
                if copy[gone] == u32::MAX {
                    copy[gone] = kept as u32;
                }
            }
        }
    }
    out
}

/// Blocks long enough to stand on their own, and short ones that sit in
/// order between long blocks of the same pair. A short block elsewhere is a
/// stock phrase or chance match: merging it would tie unrelated places together.
fn collinear_blocks(
    mut cross: Vec<(u32, usize, usize, &Alignment)>,
) -> Vec<(u32, usize, usize, &Alignment)> {
    const LONG: u32 = 30;
    let long: Vec<(usize, usize, Range<u32>, Range<u32>)> = cross
        .iter()
        .filter(|c| c.0 >= LONG)
        .map(|&(_, a, b, al)| (a, b, al.a.clone(), al.b.clone()))
        .collect();
    cross.retain(|&(m, a, b, al)| {
        if m >= LONG {
            return true;
        }
        let mine: Vec<&(usize, usize, Range<u32>, Range<u32>)> =
            long.iter().filter(|l| l.0 == a && l.1 == b).collect();
        if mine.is_empty() {
            return true;
        }
        let before = mine
            .iter()
            .filter(|l| l.2.end <= al.a.start)
            .max_by_key(|l| l.2.end);
        let after = mine
            .iter()
            .filter(|l| l.2.start >= al.a.end)
            .min_by_key(|l| l.2.start);
        let fits_before = before.is_none_or(|l| l.3.end <= al.b.start);
        let fits_after = after.is_none_or(|l| l.3.start >= al.b.end);
        fits_before && fits_after && (before.is_some() || after.is_some())
    });
    cross
}

/// The character pairs of an alignment that belong in one column.
///
/// Runs of at least [`ANCHOR`] equal characters, and paragraph ends both texts
/// read, anchor the alignment. Between
/// two anchors, a small difference (at most [`NOISE`] characters on either
/// side), or a longer one where two thirds of the characters are still equal, is OCR
/// noise: its equal characters and its substitutions of one or two
/// characters join columns. Any other difference is two texts saying
/// different things (a rewording, an added clause): nothing inside it is
/// paired, so the readings stay whole and compete as wholes, and chance
/// matches inside them tie nothing together.
///
/// Only characters in the text (`eff_a`, `eff_b`) count: debris inside a
/// gap (a caption between the halves of a paragraph) is not a difference.
fn column_pairs(
    al: &Alignment,
    eff_a: &[bool],
    eff_b: &[bool],
    (end_a, end_b): (&[bool], &[bool]),
) -> Vec<(u32, u32)> {
    const ANCHOR: u32 = 5;
    const NOISE: u32 = 6;
    const MAX_SUB: u32 = 2;
    let ops = &al.ops;
    let mut out = Vec::with_capacity(al.matches() as usize);
    // Positions where each op starts.
    let mut at = Vec::with_capacity(ops.len() + 1);
    let (mut i, mut j) = (al.a.start, al.b.start);
    for &(op, n) in ops {
        at.push((i, j));
        let (di, dj) = op.advance(n);
        i += di;
        j += dj;
    }
    at.push((i, j));
    // A paragraph end both read is an anchor too: noise on either side of
    // it is judged on its own.
    let is_anchor = |t: usize| {
        let (op, n) = ops[t];
        let (i, j) = at[t];
        op == Op::Eq
            && (n >= ANCHOR || (0..n).any(|d| end_a[(i + d) as usize] && end_b[(j + d) as usize]))
    };
    let mut t = 0;
    while t < ops.len() {
        if is_anchor(t) {
            let (i, j) = at[t];
            out.extend((0..ops[t].1).map(|d| (i + d, j + d)));
            t += 1;
            continue;
        }
        // A gap region: ops t..e between anchors (or block ends).
        let mut e = t;
        while e < ops.len() && !is_anchor(e) {
            e += 1;
        }
        let (ai, aj) = at[t];
        let (bi, bj) = at[e];
        // Small, or two-thirds equal whatever its length (a noisy stretch
        // with no seed in it; a short rewording shares half its characters
        // at most): noise.
        let count =
            |eff: &[bool], r: std::ops::Range<u32>| r.filter(|&x| eff[x as usize]).count() as u32;
        let width = count(eff_a, ai..bi).max(count(eff_b, aj..bj));
        let equal: u32 = (t..e)
            .filter(|&u| ops[u].0 == Op::Eq)
            .map(|u| {
                (0..ops[u].1)
                    .filter(|&d| eff_a[(at[u].0 + d) as usize] && eff_b[(at[u].1 + d) as usize])
                    .count() as u32
            })
            .sum();
        if width <= NOISE || 3 * equal >= 2 * width {
            for u in t..e {
                let (op, n) = ops[u];
                let eq_or_edge = |v: Option<usize>| {
                    v.is_none_or(|v| v < ops.len() && ops[v].0 == Op::Eq) || v == Some(ops.len())
                };
                let keep = match op {
                    Op::Eq => true,
                    Op::Sub => {
                        n <= MAX_SUB && eq_or_edge(u.checked_sub(1)) && eq_or_edge(Some(u + 1))
                    }
                    _ => false,
                };
                if keep {
                    let (i, j) = at[u];
                    out.extend((0..n).map(|d| (i + d, j + d)));
                }
            }
        }
        t = e;
    }
    out
}

/// Canonical order of the columns: a permutation of column indices.
///
/// The witness that shares the most with the others sets the backbone
/// order. Each further witness (most shared first) adds the runs of columns
/// only it has read so far, next to where it reads them: a run that
/// continues a paragraph goes right after what it continues, the rest right
/// before what it leads into. Placed columns never move, so each witness's
/// text stays together and a reordered section keeps one place.
///
/// `para_end[w][i]` says that witness `w`'s character `i` ends a paragraph;
/// `copies` lists where a witness prints a passage again (the witness, the
/// position of the copy left out, the passage kept); `partners` are the
/// pairs of witnesses `(w, v)`, `w < v`, compared for agreement.
fn order_columns(
    columns: &[Vec<(usize, u32)>],
    effective: &[Vec<bool>],
    para_end: &[Vec<bool>],
    heading: &[bool],
    copies: &[(usize, u32, Range<u32>)],
    partners: &[(usize, usize)],
) -> Vec<usize> {
    const NONE: usize = usize::MAX;
    let nc = columns.len();
    let nw = effective.len();
    let mut col_at: Vec<Vec<usize>> = effective.iter().map(|e| vec![NONE; e.len()]).collect();
    let mut shared = vec![0usize; nw];
    for (c, cells) in columns.iter().enumerate() {
        for &(w, i) in cells {
            col_at[w][i as usize] = c;
            shared[w] += cells.len() - 1;
        }
    }
    // Each witness's path: (column, the step to the next column stays inside a paragraph).
    let paths: Vec<Vec<(usize, bool)>> = (0..nw)
        .map(|w| {
            (0..col_at[w].len())
                .filter(|&i| col_at[w][i] != NONE)
                .map(|i| (col_at[w][i], !para_end[w][i]))
                .collect()
        })
        .collect();
    // Agreement of each witness with the others: the columns it shares with
    // each, in an order both read them (longest increasing subsequence). The
    // witness agreeing most sets the backbone, so a section one scan moved
    // does not pull the others' text along.
    let mut rank: Vec<Vec<u32>> = vec![vec![u32::MAX; nc]; nw];
    for (w, path) in paths.iter().enumerate() {
        for (t, &(c, _)) in path.iter().enumerate() {
            rank[w][c] = t as u32;
        }
    }
    // The measure is symmetric: each pair once, the pairs in parallel.
    let shared_order: Vec<usize> = partners
        .par_iter()
        .map(|&(w, v)| {
            let seq: Vec<u32> = paths[w]
                .iter()
                .map(|&(c, _)| rank[v][c])
                .filter(|&r| r != u32::MAX)
                .collect();
            longest_increasing(&seq)
        })
        .collect();
    // Summed, then per partner: witnesses compared with fewer others are
    // not outranked for that (with every pair compared, the order is the
    // sums').
    let mut agreement = vec![0u64; nw];
    let mut compared = vec![0u64; nw];
    for (&(w, v), &n) in partners.iter().zip(&shared_order) {
        for x in [w, v] {
            agreement[x] += n as u64;
            compared[x] += 1;
        }
    }
    let agreement: Vec<u64> = agreement
        .iter()
        .zip(&compared)
        .map(|(&a, &c)| a * 1_000_000 / c.max(1))
        .collect();
    let mut witnesses: Vec<usize> = (0..nw).collect();
    witnesses.sort_by_key(|&w| {
        (
            Reverse(agreement[w]),
            Reverse(shared[w]),
            Reverse(paths[w].len()),
            w,
        )
    });
    let mut list = Placed::new(nc);
    // Steps some witness reads inside a paragraph: what they join stays joined.
    let glued = |b: usize, x: usize| {
        columns[b].iter().any(|&(w, _)| {
            let t = rank[w][b] as usize;
            paths[w][t].1 && paths[w].get(t + 1).is_some_and(|&(c, _)| c == x)
        })
    };
    for &w in &witnesses {
        let path = &paths[w];
        let mut t = 0;
        while t < path.len() {
            if list.is_placed(path[t].0) {
                t += 1;
                continue;
            }
            let start = t;
            while t < path.len() && !list.is_placed(path[t].0) {
                t += 1;
            }
            let before = (start > 0).then(|| path[start - 1]);
            let after_run = path.get(t).map(|&(c, _)| c);
            // The part continuing the paragraph of what precedes it.
            let mut split = start;
            if let Some((_, true)) = before {
                while split < t {
                    split += 1;
                    if !path[split - 1].1 {
                        break;
                    }
                }
            }
            let mut anchor = before.map(|(c, _)| c);
            for &(c, _) in &path[start..split] {
                list.insert_after(c, anchor);
                anchor = Some(c);
            }
            // The last paragraph of the run, if it leads into `after_run`
            // without a break, goes right before it; whole paragraphs go
            // before the text glued to it (a speaker's label stays with the
            // answer it introduces).
            let mut tail = t;
            if after_run.is_some() && t > split && path[t - 1].1 {
                while tail > split && path[tail - 1].1 {
                    tail -= 1;
                }
            }
            // If what the run leads into was placed before what it follows
            // (the witness orders sections differently), the run stays with
            // what it follows.
            let after_run_ahead = match (before, after_run) {
                (Some((b, _)), Some(n)) => list.reaches(anchor.unwrap_or(b), n, 4096),
                _ => true,
            };
            let mut anchor = match after_run {
                Some(n) if after_run_ahead => {
                    let mut x = n;
                    while let Some(b) = list.before(x).filter(|&b| glued(b, x)) {
                        x = b;
                    }
                    // A heading only other scans print belongs to what it
                    // heads: whole paragraphs go before it.
                    while let Some(b) = list.before(x).filter(|&b| heading[b]) {
                        x = b;
                    }
                    list.before(x)
                }
                Some(_) => anchor,
                None if split > start => anchor,
                None => before.map(|(c, _)| c).or(list.last()),
            };
            for &(c, _) in &path[split..tail] {
                list.insert_after(c, anchor);
                anchor = Some(c);
            }
            if let Some(n) = after_run {
                let mut anchor = list.before(n);
                for &(c, _) in &path[tail..t] {
                    list.insert_after(c, anchor);
                    anchor = Some(c);
                }
            }
        }
    }
    // Each copy left out, as (witness, where in its path, a column of the
    // passage it copies).
    let copies: Vec<(usize, u32, usize)> = copies
        .iter()
        .filter_map(|(w, at, of)| {
            let c = of
                .clone()
                .map(|i| col_at[*w][i as usize])
                .find(|&c| c != NONE)?;
            let t = col_at[*w][..*at as usize]
                .iter()
                .filter(|&&c| c != NONE)
                .count();
            Some((*w, t as u32, c))
        })
        .collect();
    consensus_order(list.into_order(), &rank, glued, &copies)
}

/// Reorder the sections of `order` (runs of columns no witness leaves a
/// paragraph inside) to the order most witnesses support: each witness
/// votes, for every two sections it reads, that the one it reads first
/// comes first (where it reads their median column), and the order keeping
/// the most votes wins (Kemeny's rule). It is searched from the backbone's
/// order by moving one section at a time to where it gains most, so a
/// section the backbone moved goes back where the others print it, past
/// sections no witness reads beside it; ties keep the backbone's order, so
/// the result is deterministic.
///
/// A witness printing a section more than once (`copies`: the witness,
/// where in its path it prints a copy left out, a column of the passage
/// copied) reads it at each copy: it votes on that section only against
/// sections it reads before all its copies or after all of them. Which
/// copy was kept is a guess.
///
/// `glued(c, d)`: some witness reads column `d` right after `c`, inside one
/// paragraph.
fn consensus_order(
    order: Vec<usize>,
    rank: &[Vec<u32>],
    glued: impl Fn(usize, usize) -> bool,
    copies: &[(usize, u32, usize)],
) -> Vec<usize> {
    let nw = rank.len();
    if nw < 2 || order.len() < 2 {
        return order;
    }
    let mut sections: Vec<Vec<usize>> = vec![vec![order[0]]];
    for pair in order.windows(2) {
        if glued(pair[0], pair[1]) {
            sections.last_mut().expect("non-empty").push(pair[1]);
        } else {
            sections.push(vec![pair[1]]);
        }
    }
    let ns = sections.len();
    if ns < 2 {
        return order;
    }
    let mut section_of = vec![usize::MAX; rank[0].len()];
    for (s, sec) in sections.iter().enumerate() {
        for &c in sec {
            section_of[c] = s;
        }
    }
    // Where each witness reads each section: from its first to its last
    // copy, each copy kept read at the median of its ranks there.
    let mut span: Vec<Vec<Option<(u32, u32)>>> = sections
        .iter()
        .map(|sec| {
            (0..nw)
                .map(|w| {
                    let mut r: Vec<u32> = sec
                        .iter()
                        .map(|&c| rank[w][c])
                        .filter(|&r| r != u32::MAX)
                        .collect();
                    if r.is_empty() {
                        return None;
                    }
                    let k = r.len() / 2;
                    let m = *r.select_nth_unstable(k).1;
                    Some((m, m))
                })
                .collect()
        })
        .collect();
    for &(w, t, c) in copies {
        if let Some((lo, hi)) = span[section_of[c]][w].as_mut() {
            *lo = (*lo).min(t);
            *hi = (*hi).max(t);
        }
    }
    // votes[a * ns + b]: witnesses reading section a before section b.
    let mut votes = vec![0u32; ns * ns];
    let mut by_witness: Vec<Vec<(u32, u32, usize)>> = vec![Vec::new(); nw];
    for (s, row) in span.iter().enumerate() {
        for (w, sp) in row.iter().enumerate() {
            if let Some((lo, hi)) = *sp {
                by_witness[w].push((lo, hi, s));
            }
        }
    }
    for list in &mut by_witness {
        list.sort_unstable();
        for (k, &(_, hi, a)) in list.iter().enumerate() {
            for &(lo, _, b) in &list[k + 1..] {
                if hi < lo {
                    votes[a * ns + b] += 1;
                }
            }
        }
    }
    let gain = |a: usize, b: usize| votes[a * ns + b] as i64 - votes[b * ns + a] as i64;
    let mut idx: Vec<usize> = (0..ns).collect();
    // Each pass moves every section to where it gains most; each move
    // keeps strictly more votes, so the search ends. Bounded all the same.
    for _ in 0..ns {
        let mut moved = false;
        for s in 0..ns {
            let p = idx.iter().position(|&x| x == s).expect("a section");
            // Gain of moving s to each place, counted outward from p.
            let (mut best, mut to, mut acc) = (0i64, p, 0i64);
            for (q, &x) in idx[..p].iter().enumerate().rev() {
                acc += gain(s, x);
                if acc > best {
                    (best, to) = (acc, q);
                }
            }
            acc = 0;
            for (q, &x) in idx.iter().enumerate().skip(p + 1) {
                acc += gain(x, s);
                if acc > best {
                    (best, to) = (acc, q);
                }
            }
            if to != p {
                idx.remove(p);
                idx.insert(to, s);
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    idx.into_iter()
        .flat_map(|i| sections[i].iter().copied())
        .collect()
}

/// Columns read only as part of headings: short paragraphs that end
/// without a sentence mark (a section title, a subtitle).
fn headings(
    witnesses: &[Witness<'_>],
    layout: &Layout,
    columns: &[Vec<(usize, u32)>],
) -> Vec<bool> {
    const MAX_LEN: usize = 40;
    let mut in_heading: Vec<Vec<bool>> = witnesses
        .iter()
        .map(|w| vec![false; w.folded.n()])
        .collect();
    for (w, witness) in witnesses.iter().enumerate() {
        let blocks = &layout.blocks[w];
        for para in &layout.paragraphs[w] {
            let len: usize = para.iter().map(|&b| blocks[b].len()).sum();
            let last = para.last().map(|&b| blocks[b].range.end as usize - 1);
            if len <= MAX_LEN && last.is_some_and(|e| !ends_sentence(witness.folded.chars[e])) {
                for &b in para {
                    for x in blocks[b].range.clone() {
                        in_heading[w][x as usize] = true;
                    }
                }
            }
        }
    }
    columns
        .iter()
        .map(|cells| cells.iter().all(|&(w, i)| in_heading[w][i as usize]))
        .collect()
}

/// Length of the longest strictly increasing subsequence.
fn longest_increasing(seq: &[u32]) -> usize {
    let mut tails: Vec<u32> = Vec::new();
    for &x in seq {
        // Witnesses mostly agree on the order: most items extend the run.
        if tails.last().is_none_or(|&t| t < x) {
            tails.push(x);
            continue;
        }
        let k = tails.partition_point(|&t| t < x);
        if k == tails.len() {
            tails.push(x);
        } else {
            tails[k] = x;
        }
    }
    tails.len()
}

/// Columns placed so far, as a doubly linked list.
struct Placed {
    next: Vec<usize>,
    prev: Vec<usize>,
    placed: Vec<bool>,
    head: usize,
    tail: usize,
}

impl Placed {
    const NONE: usize = usize::MAX;

    fn new(n: usize) -> Placed {
        Placed {
            next: vec![Self::NONE; n],
            prev: vec![Self::NONE; n],
            placed: vec![false; n],
            head: Self::NONE,
            tail: Self::NONE,
        }
    }

    fn is_placed(&self, c: usize) -> bool {
        self.placed[c]
    }

    fn before(&self, c: usize) -> Option<usize> {
        Some(self.prev[c]).filter(|&p| p != Self::NONE)
    }

    /// True if `to` comes after `from` within `limit` steps.
    fn reaches(&self, from: usize, to: usize, limit: usize) -> bool {
        let mut c = self.next[from];
        for _ in 0..limit {
            if c == Self::NONE {
                return false;
            }
            if c == to {
                return true;
            }
            c = self.next[c];
        }
        false
    }

    fn last(&self) -> Option<usize> {
        Some(self.tail).filter(|&t| t != Self::NONE)
    }

    /// Place `c` right after `after` (at the front for `None`).
    fn insert_after(&mut self, c: usize, after: Option<usize>) {
        self.placed[c] = true;
        let succ = match after {
            None => std::mem::replace(&mut self.head, c),
            Some(a) => std::mem::replace(&mut self.next[a], c),
        };
        self.prev[c] = after.unwrap_or(Self::NONE);
        self.next[c] = succ;
        if succ == Self::NONE {
            self.tail = c;
        } else {
            self.prev[succ] = c;
        }
    }

    fn into_order(self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut c = self.head;
        while c != Self::NONE {
            out.push(c);
            c = self.next[c];
        }
        out
    }
}

/// Attach absence votes: a witness stepping forward over at most
/// `max_absent` columns reads them as absent.
/// Longest passage a witness may pass over and still be voting against it
/// when it reads an alternative of its own there.
const MAX_REWORDING: usize = 64;
/// A longer passage is a rewording against a reading of the witness's own
/// at least this many times shorter.
const REWORDING_RATIO: usize = 20;

fn with_coverage(
    columns: Vec<Vec<(usize, u32)>>,
    order: Vec<usize>,
    effective: &[Vec<bool>],
    para_end: &[Vec<bool>],
    max_absent: usize,
) -> Vec<Vec<(usize, Cell)>> {
    let nw = effective.len();
    let mut pos = vec![0usize; columns.len()];
    for (p, &c) in order.iter().enumerate() {
        pos[c] = p;
    }
    let mut out: Vec<Vec<(usize, Cell)>> = order
        .iter()
        .map(|&c| {
            // Room for every witness: most columns are read or stepped over by all.
            let mut col = Vec::with_capacity(nw);
            col.extend(columns[c].iter().map(|&(w, i)| (w, Cell::Char(i))));
            col
        })
        .collect();
    // Each witness's column positions in its own reading order (placed by
    // position, not sorted: the positions are the witness's characters).
    let mut at_char: Vec<Vec<u32>> = effective.iter().map(|e| vec![u32::MAX; e.len()]).collect();
    for (c, cells) in columns.iter().enumerate() {
        for &(w, i) in cells {
            at_char[w][i as usize] = pos[c] as u32;
        }
    }
    let paths: Vec<Vec<(u32, usize)>> = at_char
        .iter()
        .map(|at| {
            at.iter()
                .enumerate()
                .filter(|&(_, &p)| p != u32::MAX)
                .map(|(i, &p)| (i as u32, p as usize))
                .collect()
        })
        .collect();
    drop(at_char);
    // Columns few witnesses read (under a tenth): in a large family, each
    // scan's own misreadings add columns between any two characters of the
    // text, and stepping over them is no longer passage. Prefix counts of
    // the others, so a step's width is the text it steps over.
    let mut heavy_before = vec![0usize; out.len() + 1];
    for (c, cells) in out.iter().enumerate() {
        heavy_before[c + 1] = heavy_before[c] + usize::from(cells.len() * 10 >= nw);
    }
    let span = |a: usize, b: usize| heavy_before[b] - heavy_before[a];
    // Columns where one of their readers ends a paragraph.
    let col_ends: Vec<bool> = out
        .iter()
        .map(|cells| {
            cells
                .iter()
                .any(|&(x, cell)| matches!(cell, Cell::Char(i) if para_end[x][i as usize]))
        })
        .collect();
    for (w, path) in paths.iter().enumerate() {
        // Before the witness's first column: another scan's wording of the
        // opening it starts with (columns after the last paragraph end,
        // read by a scan that does not read where this one starts) is a
        // rewording it votes against, as it would after a paragraph end.
        if let Some(&(_, first)) = path.first() {
            let opening = (0..first).rev().find(|&c| col_ends[c]).map_or(0, |c| c + 1);
            let other_start = out[opening..first].iter().flatten().any(|&(x, cell)| {
                matches!(cell, Cell::Char(_))
                    && !out[first]
                        .iter()
                        .any(|&(y, c)| y == x && matches!(c, Cell::Char(_)))
            });
            // A few columns before it (a doubled first character) it reads
            // as absent, as it would between two of its own columns.
            if span(opening, first) <= max_absent || first - opening <= MAX_REWORDING && other_start
            {
                for col in &mut out[opening..first] {
                    col.push((w, Cell::Absent));
                }
            }
        }
        // After its last column, likewise: another scan's wording of the
        // close it ends with.
        if let Some(&(_, last)) = path.last() {
            let closing = (last + 1..out.len()).find(|&c| col_ends[c]).map(|c| c + 1);
            if let Some(closing) = closing {
                let other_end = out[last + 1..closing].iter().flatten().any(|&(x, cell)| {
                    matches!(cell, Cell::Char(_))
                        && !out[last]
                            .iter()
                            .any(|&(y, c)| y == x && matches!(c, Cell::Char(_)))
                });
                let width = closing - last - 1;
                if span(last + 1, closing) <= max_absent || width <= MAX_REWORDING && other_end {
                    for col in &mut out[last + 1..closing] {
                        col.push((w, Cell::Absent));
                    }
                }
            }
        }
        let mut at: Vec<usize> = path.iter().map(|&(_, p)| p).collect();
        at.sort_unstable();
        for step in path.windows(2) {
            let (from, to) = (step[0].1, step[1].1);
            // Between paragraphs, what one witness prints and another does
            // not is an addition, never a rewording of the other's.
            let inside_paragraph = !para_end[w][step[0].0 as usize];
            // A step back, or over columns the witness reads elsewhere, is a
            // reordering, not an omission.
            if to <= from + 1
                || at.partition_point(|&x| x <= from) != at.partition_point(|&x| x < to)
            {
                continue;
            }
            // Passing over what others read between the same two columns is
            // a vote that it is absent. Passing over text whose readers do
            // not read those two columns (they read something else there,
            // as this witness does) is a rewording: the two readings compete
            // whole. Only a long passage read by witnesses that agree on its
            // edges is an editorial addition, which absence does not outvote.
            let width = span(from + 1, to);
            let reads = |c: usize, x: usize| {
                out[c]
                    .iter()
                    .any(|&(y, cell)| y == x && matches!(cell, Cell::Char(_)))
            };
            // From the end of a paragraph, only the opening of the next one
            // can be a rewording: the passed-over columns after the last
            // paragraph end of their readers (another scan's wording of the
            // paragraph this witness opens at `to`). Whole paragraphs and
            // the tail of the last one are additions.
            let opening = if inside_paragraph {
                from + 1
            } else {
                (from + 1..to)
                    .rev()
                    .find(|&c| col_ends[c])
                    .map_or(from + 1, |c| c + 1)
            };
            // A longer stretch is a rewording only inside one paragraph of
            // its readers (across a paragraph end it holds text of its own),
            // and only against a reading of this witness's own about as
            // long: the columns next to the step that it reads and the
            // stretch's readers do not (a different sentence, not one
            // misread character before an added paragraph).
            let long_rewording = || {
                let readers: Vec<usize> = out[opening..to]
                    .iter()
                    .flatten()
                    .filter(|(_, cell)| matches!(cell, Cell::Char(_)))
                    .map(|&(x, _)| x)
                    .collect();
                let own = |c: &usize| reads(*c, w) && !readers.iter().any(|&x| reads(*c, x));
                let mine = (0..=from).rev().take_while(own).count()
                    + (to..out.len()).take_while(own).count();
                !col_ends[opening..to - 1].iter().any(|&e| e)
                    && REWORDING_RATIO * mine >= to - opening
            };
            let rewording = (to - opening <= MAX_REWORDING || long_rewording())
                && (inside_paragraph || opening > from + 1)
                && out[opening..to].iter().flatten().any(|&(x, cell)| {
                    matches!(cell, Cell::Char(_)) && (!reads(from, x) || !reads(to, x))
                });
            for (c, col) in out.iter_mut().enumerate().take(to).skip(from + 1) {
                let cell = if width <= max_absent || rewording && c >= opening {
                    Cell::Absent
                } else {
                    Cell::Skip
                };
                col.push((w, cell));
            }
        }
    }
    for col in &mut out {
        col.sort_by_key(|&(w, _)| w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In a family of 40, eleven scans each read one stray character
    /// between the same two characters of the text, each in a column of its
    /// own: the others step over eleven columns there, which is no passage
    /// of text, and vote each stray absent.
    #[test]
    fn stray_columns_of_a_large_family_are_voted_absent() {
        let nw = 40;
        // Column 0 and column 12: the text, read by every witness at 0 and
        // 1 (witnesses 1..=11 read their stray at 1 and the text's next
        // character at 2).
        let mut columns: Vec<Vec<(usize, u32)>> = vec![Vec::new(); 13];
        for w in 0..nw {
            columns[0].push((w, 0));
            let next = if (1..=11).contains(&w) {
                columns[w].push((w, 1));
                2
            } else {
                1
            };
            columns[12].push((w, next));
        }
        let effective: Vec<Vec<bool>> = (0..nw)
            .map(|w| vec![true; if (1..=11).contains(&w) { 3 } else { 2 }])
            .collect();
        let para_end: Vec<Vec<bool>> = effective.iter().map(|e| vec![false; e.len()]).collect();
        let out = with_coverage(columns, (0..13).collect(), &effective, &para_end, 6);
        for col in &out[1..12] {
            let absent = col.iter().filter(|(_, c)| *c == Cell::Absent).count();
            assert_eq!(absent, nw - 1, "{col:?}");
        }
    }

    #[test]
    fn readers_match_a_set_per_column() {
        use rand::{Rng, SeedableRng};
        use std::collections::BTreeSet;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        // Both ways of keeping a column's witnesses: bits (up to 64) and sets.
        for nw in [5, 70] {
            let mut offset = vec![0];
            for _ in 0..nw {
                offset.push(offset.last().unwrap() + rng.random_range(1..6));
            }
            let total = offset[nw];
            let witness_of = |x: usize| offset.partition_point(|&o| o <= x) - 1;
            let mut readers = Readers::new(&offset);
            let mut sets: Vec<BTreeSet<usize>> = (0..total)
                .map(|x| BTreeSet::from([witness_of(x)]))
                .collect();
            let mut uf = UnionFind::new(total);
            for _ in 0..4 * total {
                let (x, y) = (rng.random_range(0..total), rng.random_range(0..total));
                let (rx, ry) = (uf.find(x as u32) as usize, uf.find(y as u32) as usize);
                if rx == ry {
                    continue;
                }
                let clash = !sets[rx].is_disjoint(&sets[ry]);
                assert_eq!(readers.clash(rx, ry), clash, "{nw} witnesses");
                if clash {
                    continue;
                }
                let r = uf.union(rx as u32, ry as u32) as usize;
                let other = if r == rx { ry } else { rx };
                readers.merge(r, other);
                let moved = std::mem::take(&mut sets[other]);
                sets[r].extend(moved);
                assert_eq!(readers.len(r), sets[r].len());
            }
        }
    }
}
