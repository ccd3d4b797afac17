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

    /// For each other witness whose blocks cover position `i` here: the
    /// length of the longest such block and its partner of `i`, if `i` lies
    /// in a run of at least `run` equal characters there; into `found`,
    /// witnesses in the order their blocks were given. The longest block is
    /// where that witness reads the text in its flow, not every line of it
    /// that repeats a phrase.
    pub(super) fn longest_partners(
        &self,
        w: usize,
        i: u32,
        run: u32,
        found: &mut Vec<(usize, u32, Option<u32>)>,
    ) {
        found.clear();
        for (o, al) in self.overlapping(i, i + 1) {
            if *o == w || al.a.start > i || al.a.end <= i {
                continue;
            }
            let len = al.a.end - al.a.start;
            let entry = (*o, len, al.partner_in_run(i, run));
            match found.iter_mut().find(|b| b.0 == *o) {
                Some(b) if b.1 >= len => {}
                Some(b) => *b = entry,
                None => found.push(entry),
            }
        }
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
