//! Family: documents linked by enough aligned text are reprints of one text.
//!
//! Two documents are linked when the text they align on is a real share of
//! the smaller one, not just a quotation or a stock phrase; families are the
//! connected components of the links. Passages shared across families are
//! kept as overlaps, so the user sees them without the families merging.

use std::ops::Range;

use crate::align::Alignment;

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
    fn contains(&self, i: u32) -> bool {
        let k = self.ranges.partition_point(|r| r.end <= i);
        self.ranges.get(k).is_some_and(|r| r.start <= i)
    }
}

/// True if the pair shares enough text to be reprints of one text: equal
/// characters aligned between their bodies (debris aside: two unrelated
/// articles can share a photographer's credit) make up a real share of the
/// smaller body.
pub(crate) fn linked(pair: &PairBlocks, body: &[Body], min_fraction: f64, min_chars: u32) -> bool {
    if pair.a == pair.b {
        return false;
    }
    let (ba, bb) = (&body[pair.a as usize], &body[pair.b as usize]);
    let mut seen_a = Vec::new();
    let mut seen_b = Vec::new();
    for al in &pair.blocks {
        for (i, j, eq) in al.pairs() {
            if eq && ba.contains(i) && bb.contains(j) {
                seen_a.push(i);
                seen_b.push(j);
            }
        }
    }
    // Distinct characters on each side, so a repeat does not count twice.
    for v in [&mut seen_a, &mut seen_b] {
        v.sort_unstable();
        v.dedup();
    }
    let shared = seen_a.len().min(seen_b.len()) as u32;
    let smaller = ba.len.min(bb.len).max(1);
    shared >= min_chars && shared as f64 >= min_fraction * smaller as f64
}

/// Families as sorted lists of document indices, ordered by their first document.
pub(crate) fn families(
    n: usize,
    body: &[Body],
    pairs: &[PairBlocks],
    min_fraction: f64,
    min_chars: u32,
) -> Vec<Vec<u32>> {
    let mut uf = UnionFind::new(n);
    for p in pairs {
        if linked(p, body, min_fraction, min_chars) {
            uf.union(p.a, p.b);
        }
    }
    let mut groups: Vec<Vec<u32>> = vec![Vec::new(); n];
    for d in 0..n as u32 {
        let r = uf.find(d);
        groups[r as usize].push(d);
    }
    groups.into_iter().filter(|g| !g.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::Op;

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
        let fams = families(3, &body, &[quote, reprint], 0.3, 20);
        assert_eq!(fams, vec![vec![0, 2], vec![1]]);
    }

    #[test]
    fn coverage_counts_overlaps_once() {
        assert_eq!(covered([0..10, 5..15, 20..25]), 20);
    }
}
