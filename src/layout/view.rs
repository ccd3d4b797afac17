//! Every block one witness shares with the others, indexed by position.

use super::Indexed;

/// Every block one witness shares with the others (and with itself),
/// seen from its side: `(other witness, block with this witness as a)`,
/// indexed by where the blocks lie in this witness, so that the blocks at a
/// position are found without a pass over all of them (a long scan holds
/// thousands).
pub(crate) struct View {
    entries: Vec<(usize, Indexed)>,
    /// Entry indices sorted by `a.start`.
    by_start: Vec<u32>,
    /// Running maximum of `a.end` along `by_start`.
    max_end: Vec<u32>,
}

impl View {
    pub(super) fn new(entries: Vec<(usize, Indexed)>) -> View {
        let mut by_start: Vec<u32> = (0..entries.len() as u32).collect();
        by_start.sort_by_key(|&k| (entries[k as usize].1.a.start, k));
        let mut max_end = Vec::with_capacity(by_start.len());
        let mut m = 0;
        for &k in &by_start {
            m = m.max(entries[k as usize].1.a.end);
            max_end.push(m);
        }
        View {
            entries,
            by_start,
            max_end,
        }
    }

    /// All entries, in the order the blocks were given.
    pub(super) fn iter(&self) -> std::slice::Iter<'_, (usize, Indexed)> {
        self.entries.iter()
    }

    /// Entries whose range in this witness overlaps `lo..=hi`, in the order
    /// the blocks were given.
    pub(super) fn overlapping(&self, lo: u32, hi: u32) -> Vec<&(usize, Indexed)> {
        let k = self
            .by_start
            .partition_point(|&e| self.entries[e as usize].1.a.start <= hi);
        let mut found: Vec<u32> = Vec::new();
        for t in (0..k).rev() {
            if self.max_end[t] < lo {
                break;
            }
            let e = self.by_start[t];
            if self.entries[e as usize].1.a.end >= lo {
                found.push(e);
            }
        }
        found.sort_unstable();
        found
            .into_iter()
            .map(|e| &self.entries[e as usize])
            .collect()
    }

    /// Position in witness `o` holding the same character as position `i`
    /// here (the first block that pairs it).
    pub(super) fn partner(&self, o: usize, i: u32) -> Option<u32> {
        self.overlapping(i, i)
            .into_iter()
            .filter(|(x, _)| *x == o)
            .find_map(|(_, al)| al.partner_eq(i))
    }

    /// The other witnesses that share a block with this one, sorted.
    pub(super) fn others(&self, w: usize) -> Vec<usize> {
        let mut o: Vec<usize> = self
            .entries
            .iter()
            .map(|(o, _)| *o)
            .filter(|&o| o != w)
            .collect();
        o.sort_unstable();
        o.dedup();
        o
    }
}
