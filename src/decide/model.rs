//! The evidence for breaking ties: a character n-gram model of the corpus
//! being reconciled, and tables of visually confusable characters.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

/// Interpolated (Witten–Bell) character trigram model.
#[derive(Debug, Default)]
pub(crate) struct CharModel {
    uni: FxHashMap<char, u32>,
    bi: FxHashMap<(char, char), u32>,
    tri: FxHashMap<(char, char, char), u32>,
    /// History counts and distinct continuations, for the interpolation weights.
    hist1: FxHashMap<char, (u32, u32)>,
    hist2: FxHashMap<(char, char), (u32, u32)>,
    total: u32,
}

impl CharModel {
    /// Train on texts (folded characters).
    #[cfg(test)]
    pub fn train<'a>(texts: impl IntoIterator<Item = &'a [char]>) -> CharModel {
        let mut counts = Counts::default();
        for t in texts {
            counts.add(t);
        }
        counts.finish()
    }

    /// Count of a character in the training texts.
    pub fn count(&self, c: char) -> u32 {
        self.uni.get(&c).copied().unwrap_or(0)
    }

    fn p1(&self, c: char) -> f64 {
        let vocab = self.uni.len() as f64 + 1.0;
        (self.count(c) as f64 + 1.0) / (self.total as f64 + vocab)
    }

    fn p2(&self, a: char, c: char) -> f64 {
        let lower = self.p1(c);
        match self.hist1.get(&a) {
            Some(&(n, t)) => {
                let k = self.bi.get(&(a, c)).copied().unwrap_or(0) as f64;
                (k + t as f64 * lower) / (n as f64 + t as f64)
            }
            None => lower,
        }
    }

    fn p3(&self, a: char, b: char, c: char) -> f64 {
        let lower = self.p2(b, c);
        match self.hist2.get(&(a, b)) {
            Some(&(n, t)) => {
                let k = self.tri.get(&(a, b, c)).copied().unwrap_or(0) as f64;
                (k + t as f64 * lower) / (n as f64 + t as f64)
            }
            None => lower,
        }
    }

    /// Log-probability of `middle` and of `right` after it, given `left`.
    pub fn score(&self, left: &[char], middle: &[char], right: &[char]) -> f64 {
        let mut seq: Vec<char> = left[left.len().saturating_sub(2)..].to_vec();
        let start = seq.len();
        seq.extend_from_slice(middle);
        seq.extend_from_slice(right);
        let mut lp = 0.0;
        for i in start..seq.len() {
            let p = match i {
                0 => self.p1(seq[0]),
                1 => self.p2(seq[0], seq[1]),
                _ => self.p3(seq[i - 2], seq[i - 1], seq[i]),
            };
            lp += p.ln();
        }
        lp
    }
}

/// The n-gram counts of a [`CharModel`] being trained: texts can be added
/// and taken away again (lines found to be page furniture only once the
/// families are known), so that counting can start early, beside alignment.
#[derive(Debug, Default)]
pub(crate) struct Counts {
    uni: FxHashMap<char, u32>,
    bi: FxHashMap<(char, char), u32>,
    tri: FxHashMap<(char, char, char), u32>,
    total: u32,
}

impl Counts {
    /// Count the n-grams of `t`.
    pub fn add(&mut self, t: &[char]) {
        for (i, &c) in t.iter().enumerate() {
            *self.uni.entry(c).or_default() += 1;
            self.total += 1;
            if i >= 1 {
                *self.bi.entry((t[i - 1], c)).or_default() += 1;
            }
            if i >= 2 {
                *self.tri.entry((t[i - 2], t[i - 1], c)).or_default() += 1;
            }
        }
    }

    /// Take away the n-grams of `t`, counted before by [`Counts::add`].
    pub fn remove(&mut self, t: &[char]) {
        fn dec<K: std::hash::Hash + Eq>(map: &mut FxHashMap<K, u32>, k: K) {
            if let Some(n) = map.get_mut(&k) {
                *n -= 1;
                if *n == 0 {
                    map.remove(&k);
                }
            }
        }
        for (i, &c) in t.iter().enumerate() {
            dec(&mut self.uni, c);
            self.total -= 1;
            if i >= 1 {
                dec(&mut self.bi, (t[i - 1], c));
            }
            if i >= 2 {
                dec(&mut self.tri, (t[i - 2], t[i - 1], c));
            }
        }
    }

    /// The model these counts make.
    pub fn finish(self) -> CharModel {
        let mut m = CharModel {
            uni: self.uni,
            bi: self.bi,
            tri: self.tri,
            total: self.total,
            ..CharModel::default()
        };
        for (&(a, _), &n) in &m.bi {
            let h = m.hist1.entry(a).or_default();
            h.0 += n;
            h.1 += 1;
        }
        for (&(a, b, _), &n) in &m.tri {
            let h = m.hist2.entry((a, b)).or_default();
            h.0 += n;
            h.1 += 1;
        }
        m
    }
}

/// Pairs of characters that recognisers confuse, from the bundled tables
/// (see `data/confusion/README.md`). The OCR table counts double: the shape
/// table is broad.
pub(crate) struct Confusables {
    pairs: FxHashSet<(char, char)>,
    shape: FxHashSet<(char, char)>,
}

static CONFUSABLES: LazyLock<Confusables> = LazyLock::new(|| {
    let mut pairs = FxHashSet::default();
    let mut shape = FxHashSet::default();
    let ordered = |a: char, b: char| if a < b { (a, b) } else { (b, a) };
    for line in include_str!("../../data/confusion/ocr_asr_confusion.txt").lines() {
        if let Some((k, vs)) = line.split_once(':')
            && let Some(k) = k.chars().next()
        {
            pairs.extend(vs.chars().filter(|&v| v != k).map(|v| ordered(k, v)));
        }
    }
    for line in include_str!("../../data/confusion/similar_shape_simplified.txt").lines() {
        if let Some((k, vs)) = line.split_once(',')
            && let Some(k) = k.chars().next()
        {
            shape.extend(vs.chars().filter(|&v| v != k).map(|v| ordered(k, v)));
        }
    }
    Confusables { pairs, shape }
});

impl Confusables {
    pub fn get() -> &'static Confusables {
        &CONFUSABLES
    }

    /// Strength of the link between two characters: 2 (OCR table), 1 (shape table), 0.
    pub fn strength(&self, a: char, b: char) -> u32 {
        let key = if a < b { (a, b) } else { (b, a) };
        if self.pairs.contains(&key) {
            2
        } else if self.shape.contains(&key) {
            1
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_prefers_seen_text() {
        let train: Vec<char> = "哪吒闹海的舞台。哪吒闹海。一飞冲天。".chars().collect();
        let m = CharModel::train([&train[..]]);
        let l: Vec<char> = "是“".chars().collect();
        let r: Vec<char> = "”的".chars().collect();
        let good: Vec<char> = "哪吒闹海".chars().collect();
        let bad: Vec<char> = "晒雨晒海".chars().collect();
        assert!(m.score(&l, &good, &r) > m.score(&l, &bad, &r));
    }

    #[test]
    fn counts_taken_away_leave_the_model_of_the_rest() {
        let a: Vec<char> = "哪吒闹海的舞台。".chars().collect();
        let b: Vec<char> = "第四版".chars().collect();
        let mut counts = Counts::default();
        counts.add(&a);
        counts.add(&b);
        counts.remove(&b);
        let (m, direct) = (counts.finish(), CharModel::train([&a[..]]));
        let (l, r): (Vec<char>, Vec<char>) = ("的".chars().collect(), "台".chars().collect());
        let mid: Vec<char> = "舞".chars().collect();
        assert_eq!(m.score(&l, &mid, &r), direct.score(&l, &mid, &r));
        assert_eq!(
            (m.tri.len(), m.hist2.len()),
            (direct.tri.len(), direct.hist2.len())
        );
    }

    #[test]
    fn tables_load() {
        let c = Confusables::get();
        assert_eq!(c.strength('基', '急'), 2);
        assert_eq!(c.strength('急', '基'), 2);
        assert_eq!(c.strength('晒', '哪'), 0);
    }
}
