//! Family: documents linked by enough aligned text are reprints of one text.
//!
//! Two documents are linked when the text they align on is a real share of
//! the smaller one, not just a quotation or a stock phrase, nor one short
//! block (a letterhead, an address block, a standing notice) far less than
//! either shares with its closest reprint; families are the connected
//! components of the links. Passages shared across families are
//! kept as overlaps, so the user sees them without the families merging.

use std::ops::Range;

use rayon::prelude::*;

use crate::align::{Alignment, Op};

/// The blocks aligned between documents `a` and `b` (`a < b`; `a == b` for
/// repeats within one document, first copy in `a`).
#[derive(Debug, Clone)]
pub(crate) struct PairBlocks {
    pub a: u32,
    pub b: u32,
    pub blocks: Vec<Alignment>,
}

/// Disjoint sets over `0..n`, smallest element as representative.
#[derive(Debug, Clone)]
pub(crate) struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }

    /// Merge; returns the new representative.
    pub fn union(&mut self, x: u32, y: u32) -> u32 {
        let (rx, ry) = (self.find(x), self.find(y));
        let (lo, hi) = (rx.min(ry), rx.max(ry));
        self.parent[hi as usize] = lo;
        lo
    }
}

/// Number of distinct positions covered by a set of ranges.
pub(crate) fn covered(ranges: impl IntoIterator<Item = Range<u32>>) -> u32 {
    let mut rs: Vec<Range<u32>> = ranges.into_iter().filter(|r| r.end > r.start).collect();
    rs.sort_by_key(|r| r.start);
    let mut total = 0;
    let mut end = 0;
    for r in rs {
        let s = r.start.max(end);
        if r.end > s {
            total += r.end - s;
            end = r.end;
        }
    }
    total
}

/// The text of each document that counts towards links: its body (folded
/// ranges, sorted), and how many characters that is.
#[derive(Debug, Clone, Default)]
pub(crate) struct Body {
    pub ranges: Vec<Range<u32>>,
    pub len: u32,
}

impl Body {
    /// The parts of `r` that lie in the body, in order.
    fn clip(&self, r: Range<u32>) -> impl Iterator<Item = Range<u32>> + '_ {
        let first = self.ranges.partition_point(|b| b.end <= r.start);
        self.ranges[first..]
            .iter()
            .take_while(move |b| b.start < r.end)
            .map(move |b| b.start.max(r.start)..b.end.min(r.end))
            .filter(|c| c.end > c.start)
    }
}

/// The share of the smaller body the pair aligns on, if they share enough
/// text to be reprints of one text: equal characters aligned between their
/// bodies (debris aside: two unrelated articles can share a photographer's
/// credit) make up a real share of the smaller body.
fn strength(pair: &PairBlocks, body: &[Body], min_fraction: f64, min_chars: u32) -> Option<Link> {
    if pair.a == pair.b {
        return None;
    }
    let (ba, bb) = (&body[pair.a as usize], &body[pair.b as usize]);
    let shared = shared_body_chars(pair, ba, bb);
    let smaller = ba.len.min(bb.len).max(1);
    let share = shared as f64 / smaller as f64;
    (shared >= min_chars && share >= min_fraction).then_some(Link { share, shared })
}

/// A link between two documents.
#[derive(Debug, Clone, Copy)]
struct Link {
    /// Share of the shorter body that aligns.
    share: f64,
    /// Characters that align.
    shared: u32,
}

/// Characters aligned as equal with both characters in body text, counted
/// once per position on the side where they are fewer.
fn shared_body_chars(pair: &PairBlocks, ba: &Body, bb: &Body) -> u32 {
    // Runs of equal characters, clipped to both bodies, as ranges on each
    // side: a run of n characters costs a few range operations, not n.
    let mut seen_a = Vec::new();
    let mut seen_b = Vec::new();
    for al in &pair.blocks {
        let (mut i, mut j) = (al.a.start, al.b.start);
        for &(op, n) in &al.ops {
            if op == Op::Eq {
                for ra in ba.clip(i..i + n) {
                    let shifted = ra.start - i + j..ra.end - i + j;
                    for rb in bb.clip(shifted) {
                        seen_a.push(rb.start - j + i..rb.end - j + i);
                        seen_b.push(rb);
                    }
                }
            }
            let (di, dj) = op.advance(n);
            i += di;
            j += dj;
        }
    }
    // Distinct characters on each side, so a repeat does not count twice.
    covered(seen_a).min(covered(seen_b))
}

/// Families as sorted lists of document indices, ordered by their first document.
pub(crate) fn families(
    n: usize,
    body: &[Body],
    pairs: &[PairBlocks],
    min_fraction: f64,
    min_chars: u32,
    bridge_ratio: f64,
    bridge_chars: u32,
) -> Vec<Vec<u32>> {
    // The tests in parallel, the unions in pair order.
    let links: Vec<Option<Link>> = pairs
        .par_iter()
        .map(|p| strength(p, body, min_fraction, min_chars))
        .collect();
    // A link far weaker than the strongest link of either document, on a
    // block of text no longer than a letterhead, an address block or a
    // standing notice, is a bridge between two texts that both print it,
    // not a reprint: reprints of one text share most of it with each other,
    // and a reprint of part of a text shares a real passage.
    let mut strongest = vec![0.0f64; n];
    for (p, l) in pairs.iter().zip(&links) {
        if let Some(l) = l {
            for d in [p.a, p.b] {
                strongest[d as usize] = strongest[d as usize].max(l.share);
            }
        }
    }
    let mut uf = UnionFind::new(n);
    for (p, l) in pairs.iter().zip(&links) {
        if let Some(l) = l {
            let best = strongest[p.a as usize].max(strongest[p.b as usize]);
            if l.share >= bridge_ratio * best || l.shared > bridge_chars {
                uf.union(p.a, p.b);
            }
        }
    }
    let mut groups: Vec<Vec<u32>> = vec![Vec::new(); n];
    for d in 0..n as u32 {
        let r = uf.find(d);
        groups[r as usize].push(d);
    }
    groups.into_iter().filter(|g| !g.is_empty()).collect()
}

/// A passage shared by documents of different families (document indices,
/// folded positions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SharedPassage {
    pub a: u32,
    pub a_range: Range<u32>,
    pub b: u32,
    pub b_range: Range<u32>,
}

/// Passages shared by documents of different families: every block aligned
/// between two documents that `family_of` puts apart.
pub(crate) fn overlaps(aligned: &[PairBlocks], family_of: &[usize]) -> Vec<SharedPassage> {
    aligned
        .iter()
        .filter(|p| family_of[p.a as usize] != family_of[p.b as usize])
        .flat_map(|p| {
            p.blocks.iter().map(|al| SharedPassage {
                a: p.a,
                a_range: al.a.clone(),
                b: p.b,
                b_range: al.b.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(a: Range<u32>, b: Range<u32>) -> Alignment {
        let n = a.end - a.start;
        Alignment {
            a,
            b,
            ops: vec![(Op::Eq, n)],
        }
    }

    #[test]
    fn quotation_does_not_link_but_reprint_does() {
        let body = vec![
            Body {
                ranges: std::iter::once(0..1000).collect(),
                len: 1000
            };
            3
        ];
        let quote = PairBlocks {
            a: 0,
            b: 1,
            blocks: vec![block(10..60, 500..550)],
        };
        let reprint = PairBlocks {
            a: 0,
            b: 2,
            blocks: vec![block(0..700, 0..700)],
        };
        let fams = families(3, &body, &[quote, reprint], 0.3, 20, 0.5, 160);
        assert_eq!(fams, vec![vec![0, 2], vec![1]]);
    }

    #[test]
    fn shared_chars_match_a_character_by_character_count() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let body = |rng: &mut rand_chacha::ChaCha8Rng| {
            let (mut at, mut ranges) = (0, Vec::new());
            while at < 300 {
                let start = at + rng.random_range(0..20);
                let end = start + rng.random_range(0..40);
                ranges.push(start..end);
                at = end + rng.random_range(0..3);
            }
            let len = ranges.iter().map(|r| r.end - r.start).sum();
            Body { ranges, len }
        };
        for _ in 0..200 {
            let (ba, bb) = (body(&mut rng), body(&mut rng));
            let blocks = (0..rng.random_range(1..4))
                .map(|_| {
                    let (a0, b0) = (rng.random_range(0..150), rng.random_range(0..150));
                    let ops: Vec<(Op, u32)> = (0..rng.random_range(1..12))
                        .map(|_| {
                            let op =
                                [Op::Eq, Op::Eq, Op::Sub, Op::Del, Op::Ins][rng.random_range(0..5)];
                            (op, rng.random_range(1..25))
                        })
                        .collect();
                    let da: u32 = ops.iter().filter(|o| o.0 != Op::Ins).map(|o| o.1).sum();
                    let db: u32 = ops.iter().filter(|o| o.0 != Op::Del).map(|o| o.1).sum();
                    Alignment {
                        a: a0..a0 + da,
                        b: b0..b0 + db,
                        ops,
                    }
                })
                .collect();
            let pair = PairBlocks { a: 0, b: 1, blocks };
            let inside = |body: &Body, i: u32| body.ranges.iter().any(|r| r.contains(&i));
            let (mut sa, mut sb) = (Vec::new(), Vec::new());
            for al in &pair.blocks {
                for (i, j, eq) in al.pairs() {
                    if eq && inside(&ba, i) && inside(&bb, j) {
                        sa.push(i);
                        sb.push(j);
                    }
                }
            }
            for v in [&mut sa, &mut sb] {
                v.sort_unstable();
                v.dedup();
            }
            let expected = sa.len().min(sb.len()) as u32;
            assert_eq!(shared_body_chars(&pair, &ba, &bb), expected);
        }
    }

    #[test]
    fn coverage_counts_overlaps_once() {
        assert_eq!(covered([0..10, 5..15, 20..25]), 20);
    }
}
