//! Index: rare k-mer anchors over every document, and the candidate pairs
//! they reveal.
//!
//! Each document contributes its minimizers (the smallest hashed k-mer of
//! every window of `w` consecutive k-mers), one entry per distinct minimizer,
//! into one sorted vector. Equal hashes sit side by side, so one pass over
//! the vector yields every pair of documents sharing an anchor; anchors shared
//! by more than `max_occ` documents are stock phrases and are skipped. The
//! work grows with the total text, not with the square of the document count.

use rayon::prelude::*;

/// Rolling hashes of every k-mer of `s` (as many as `s.len() - k + 1`).
pub(crate) fn kmer_hashes(s: &[char], k: usize) -> Vec<u64> {
    const BASE: u64 = 0x9E37_79B9_7F4A_7C15;
    if k == 0 || s.len() < k {
        return Vec::new();
    }
    let top = (0..k - 1).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let mut h = 0u64;
    for &c in &s[..k] {
        h = h.wrapping_mul(BASE).wrapping_add(c as u64 + 1);
    }
    let mut out = Vec::with_capacity(s.len() - k + 1);
    out.push(h);
    for t in k..s.len() {
        h = h
            .wrapping_sub((s[t - k] as u64 + 1).wrapping_mul(top))
            .wrapping_mul(BASE)
            .wrapping_add(s[t] as u64 + 1);
        out.push(h);
    }
    out
}

/// A bijective mix so that minimizer order is not the polynomial hash order.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Minimizers of one text, sorted (with repeats, so a caller can see which
/// anchors a text holds twice).
pub(crate) fn minimizers(s: &[char], k: usize, w: usize) -> Vec<u64> {
    let hashes: Vec<u64> = kmer_hashes(s, k).into_iter().map(mix).collect();
    let mut out = Vec::with_capacity(hashes.len() * 2 / (w + 1) + 1);
    if hashes.is_empty() {
        return out;
    }
    // Monotone deque of window minima; each position is emitted once even if
    // it stays the minimum of several windows.
    let mut deque: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    let mut last = usize::MAX;
    for (t, &h) in hashes.iter().enumerate() {
        while deque.back().is_some_and(|&b| hashes[b] >= h) {
            deque.pop_back();
        }
        deque.push_back(t);
        if deque[0] + w <= t {
            deque.pop_front();
        }
        if t + 1 >= w.min(hashes.len()) && deque[0] != last {
            last = deque[0];
            out.push(hashes[last]);
        }
    }
    out.sort_unstable();
    out
}

/// Documents with at most this many distinct anchors are short: one anchor
/// shared with such a document can be all a reprint of it shares (about 140
/// characters of Chinese, 240 of English).
const SHORT: usize = 32;

/// An anchor printed by more than `max_occ` documents is a stock phrase, or
/// the text of a family of more than `max_occ` reprints. Pairing all its
/// documents would cost the square of the family; instead each document is
/// paired with the next `BAND` documents (by index) printing it. Across
/// the hundreds of anchors reprints share, a document then meets the same
/// few partners again and again: a pair counts as candidate when most of
/// the anchors of its smaller document so meet, which a stock phrase or a
/// shared letterhead never gives.
const BAND: usize = 4;

/// Candidate pairs: `(a, b)` with `a < b` sharing at least `min_shared`
/// rare anchors, at most `max_neighbours` a document as
/// [`strongest_neighbours`] keeps them, and the documents sharing at least
/// `min_shared` anchors with themselves (repeats). Both sorted.
///
/// A pair of documents that are both longer than [`SHORT`] anchors needs at
/// least two shared anchors, whatever `min_shared`: a reprint of a long text
/// shares hundreds, a quotation long enough to report several, while a
/// single anchor shared by two long articles is a common phrase. Unrelated
/// documents sharing one such phrase grow with the square of the corpus (at
/// 100k documents of 2,000 characters they were 19 candidate pairs in 20,
/// each aligned for nothing).
pub(crate) fn candidates(
    texts: &[&[char]],
    k: usize,
    w: usize,
    max_occ: usize,
    min_shared: u32,
    max_neighbours: usize,
) -> (Vec<(u32, u32)>, Vec<u32>) {
    // 32 bits of each anchor's hash are enough: a collision only adds a
    // candidate pair that alignment then rejects, and the index stays at 8
    // bytes an anchor.
    let per_doc: Vec<(Vec<u32>, u32)> = texts
        .par_iter()
        .map(|t| {
            let mut m: Vec<u32> = minimizers(t, k, w)
                .into_iter()
                .map(|h| (h >> 32) as u32)
                .collect();
            m.sort_unstable();
            let before = m.len();
            m.dedup();
            let repeated = (before - m.len()) as u32;
            (m, repeated)
        })
        .collect();
    let anchors: Vec<usize> = per_doc.iter().map(|(m, _)| m.len()).collect();
    let selfs: Vec<u32> = per_doc
        .iter()
        .enumerate()
        .filter(|(_, (_, r))| *r >= min_shared)
        .map(|(d, _)| d as u32)
        .collect();
    let mut entries: Vec<(u32, u32)> =
        Vec::with_capacity(per_doc.iter().map(|(m, _)| m.len()).sum());
    for (d, (m, _)) in per_doc.into_iter().enumerate() {
        entries.extend(m.into_iter().map(|h| (h, d as u32)));
    }
    entries.par_sort_unstable();
    // Split the sorted vector at hash boundaries so threads never share a run.
    // Reprints share hundreds of anchors, so a pair occurs many times: each
    // piece counts its pairs at once, and only (pair, count) lists outlive
    // it. Materialising every occurrence first cost more memory at the peak
    // than the whole anchor index.
    let chunks = boundaries(&entries, rayon::current_num_threads() * 8);
    // Each pair's count of rare anchors and of common ones (see `BAND`).
    let mut counted: Vec<((u32, u32), (u32, u32))> = chunks
        .par_windows(2)
        .flat_map_iter(|w| {
            let slice = &entries[w[0]..w[1]];
            let mut rare = Vec::new();
            let mut common = Vec::new();
            let mut s = 0;
            while s < slice.len() {
                let mut e = s + 1;
                while e < slice.len() && slice[e].0 == slice[s].0 {
                    e += 1;
                }
                if e - s >= 2 && e - s <= max_occ {
                    for x in s..e {
                        for y in x + 1..e {
                            rare.push((slice[x].1, slice[y].1));
                        }
                    }
                } else if e - s > max_occ {
                    // Documents sorted by index: each with the next few.
                    for x in s..e {
                        for y in x + 1..(x + 1 + BAND).min(e) {
                            common.push((slice[x].1, slice[y].1));
                        }
                    }
                }
                s = e;
            }
            rare.sort_unstable();
            common.sort_unstable();
            let rare = count_runs(&rare).into_iter().map(|(p, n)| (p, (n, 0)));
            let common = count_runs(&common).into_iter().map(|(p, n)| (p, (0, n)));
            rare.chain(common).collect::<Vec<_>>()
        })
        .collect();
    drop(entries);
    counted.par_sort_unstable();
    let mut kept = Vec::new();
    let mut s = 0;
    while s < counted.len() {
        let mut e = s;
        let (mut n, mut m) = (0, 0);
        while e < counted.len() && counted[e].0 == counted[s].0 {
            n += counted[e].1.0;
            m += counted[e].1.1;
            e += 1;
        }
        let (a, b) = counted[s].0;
        let fewer = anchors[a as usize].min(anchors[b as usize]);
        let short = fewer <= SHORT;
        let rare = n >= min_shared && (n >= 2 || short);
        // Most of the anchors of the smaller document, each printed by
        // many documents: two of many reprints of one text.
        let common = m >= 2 && 2 * m as usize >= fewer;
        if rare || common {
            kept.push((counted[s].0, n + m));
        }
        s = e;
    }
    let kept = strongest_neighbours(&anchors, kept, max_neighbours);
    (kept, selfs)
}

/// The pairs among `pairs` (sorted, each with its number of shared anchors)
/// to align: a document in a crowd, with more than `k` candidates that
/// share at least half the anchors of the smaller document (reprints of
/// one text), keeps only its `k` strongest candidates, the strongest first,
/// ties to the partner listed first; a pair is kept if either document
/// keeps it. In a family of `n` reprints every pair shares anchors: keeping
/// `k` a document makes its alignments grow as `k n`, not `n² / 2`, and a
/// document's `k` closest reprints still tie it into the family. A document
/// outside a crowd (every document of a family of at most `k + 1`) keeps
/// all its candidates, the passages it shares with other texts included.
/// The pairs kept do not depend on thread count. `k = 0` keeps every pair.
fn strongest_neighbours(
    anchors: &[usize],
    pairs: Vec<((u32, u32), u32)>,
    k: usize,
) -> Vec<(u32, u32)> {
    let n = anchors.len();
    // Per document, its reprint-like candidates.
    let mut degree = vec![0usize; n];
    for &((a, b), shared) in &pairs {
        if 2 * shared as usize >= anchors[a as usize].min(anchors[b as usize]) {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }
    }
    if k == 0 || degree.iter().all(|&d| d <= k) {
        return pairs.into_iter().map(|(p, _)| p).collect();
    }
    // Each crowded document's candidates as (shared anchors, partner, pair).
    let mut around: Vec<Vec<(u32, u32, u32)>> = vec![Vec::new(); n];
    for (x, &((a, b), shared)) in pairs.iter().enumerate() {
        for (d, other) in [(a, b), (b, a)] {
            if degree[d as usize] > k {
                around[d as usize].push((shared, other, x as u32));
            }
        }
    }
    let mut keep: Vec<bool> = (0..pairs.len())
        .map(|x| {
            let ((a, b), _) = pairs[x];
            degree[a as usize] <= k || degree[b as usize] <= k
        })
        .collect();
    let chosen: Vec<Vec<u32>> = around
        .into_par_iter()
        .map(|mut list| {
            if list.len() > k {
                list.select_nth_unstable_by_key(k - 1, |&(s, o, _)| (std::cmp::Reverse(s), o));
                list.truncate(k);
            }
            list.into_iter().map(|(_, _, x)| x).collect()
        })
        .collect();
    for x in chosen.into_iter().flatten() {
        keep[x as usize] = true;
    }
    pairs
        .into_iter()
        .zip(keep)
        .filter(|&(_, k)| k)
        .map(|((p, _), _)| p)
        .collect()
}

/// Each distinct item of a sorted slice with its number of occurrences.
fn count_runs(sorted: &[(u32, u32)]) -> Vec<((u32, u32), u32)> {
    let mut out: Vec<((u32, u32), u32)> = Vec::new();
    for &p in sorted {
        match out.last_mut() {
            Some((q, n)) if *q == p => *n += 1,
            _ => out.push((p, 1)),
        }
    }
    out
}

/// Indices cutting `entries` into about `parts` pieces at hash boundaries.
fn boundaries(entries: &[(u32, u32)], parts: usize) -> Vec<usize> {
    let mut cuts = vec![0];
    let step = entries.len() / parts.max(1) + 1;
    let mut at = step;
    while at < entries.len() {
        while at < entries.len() && entries[at].0 == entries[at - 1].0 {
            at += 1;
        }
        if at < entries.len() {
            cuts.push(at);
        }
        at += step;
    }
    cuts.push(entries.len());
    cuts.dedup();
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn rolling_hash_matches_direct() {
        let s = chars("哪吒闹海一飞冲天哪吒闹海");
        let h = kmer_hashes(&s, 4);
        assert_eq!(h.len(), s.len() - 3);
        assert_eq!(h[0], h[8]);
        assert_ne!(h[0], h[1]);
    }

    #[test]
    fn pairs_from_shared_text_only() {
        let a = chars("暴风雨最猛烈的地方，恰恰是哪吒闹海、一飞冲天的舞台。中国有句古诗说得好");
        let b = chars("暴风雨最猛烈的地方，恰恰是晒雨晒海、一飞冲天的舞台。中国有句古诗说得好");
        let c = chars("the quick brown fox jumps over the lazy dog again and again");
        let (pairs, selfs) = candidates(&[&a, &b, &c], 6, 4, 8, 2, 16);
        assert_eq!(pairs, vec![(0, 1)]);
        assert!(selfs.is_empty());
    }

    #[test]
    fn crowded_documents_keep_their_strongest_candidates() {
        // Ten documents of 100 anchors, every two sharing 60 + a + b: each
        // is crowded (nine reprint-like candidates, more than three).
        let anchors = vec![100; 10];
        let pairs: Vec<((u32, u32), u32)> = (0..10u32)
            .flat_map(|a| (a + 1..10).map(move |b| ((a, b), 60 + a + b)))
            .collect();
        let kept = strongest_neighbours(&anchors, pairs.clone(), 3);
        // Document 0's strongest are 9, 8, 7; 9's are 8, 7, 6.
        for p in [(0, 9), (0, 8), (0, 7), (8, 9), (6, 9)] {
            assert!(kept.contains(&p), "{p:?}");
        }
        assert!(!kept.contains(&(0, 1)));
        // Every document keeps at least three; a pair is kept once.
        for d in 0..10u32 {
            assert!(kept.iter().filter(|p| p.0 == d || p.1 == d).count() >= 3);
        }
        assert!(kept.windows(2).all(|w| w[0] < w[1]));
        // Under the cap, or with weak candidates only, nothing is dropped.
        let all: Vec<(u32, u32)> = pairs.iter().map(|p| p.0).collect();
        assert_eq!(strongest_neighbours(&anchors, pairs.clone(), 9), all);
        assert_eq!(strongest_neighbours(&anchors, pairs.clone(), 0), all);
        let weak = pairs.iter().map(|&(p, _)| (p, 40)).collect();
        assert_eq!(strongest_neighbours(&anchors, weak, 3), all);
    }

    #[test]
    fn a_text_printed_by_many_is_paired_in_bands() {
        // Forty copies of one text: every anchor is printed by more than
        // `max_occ` documents, yet every copy is paired.
        let text: Vec<char> = "暴风雨最猛烈的地方，恰恰是哪吒闹海、一飞冲天的舞台。中国有句古诗说得好，长风破浪会有时。"
            .chars()
            .collect();
        let texts: Vec<&[char]> = (0..40).map(|_| text.as_slice()).collect();
        let (pairs, _) = candidates(&texts, 6, 8, 16, 1, 16);
        for d in 0..40u32 {
            assert!(pairs.iter().any(|p| p.0 == d || p.1 == d), "{d}");
        }
        assert!(pairs.len() <= 40 * BAND);
    }

    #[test]
    fn one_shared_anchor_pairs_short_documents_only() {
        // Distinct characters around one shared six-character phrase, placed
        // where it is a minimizer of both texts: exactly one shared anchor.
        let text = |base: u32, n: u32| -> Vec<char> {
            (0..n).map(|i| char::from_u32(base + i).unwrap()).collect()
        };
        let phrase = text(0x7000, 6);
        let with_phrase = |base: u32, n: u32, at: usize| {
            let mut t = text(base, n);
            t.splice(at..at, phrase.iter().copied());
            t
        };
        let shared = |a: &[char], b: &[char]| {
            let mb = minimizers(b, 6, 8);
            let mut ma = minimizers(a, 6, 8);
            ma.dedup();
            ma.iter().filter(|h| mb.binary_search(h).is_ok()).count()
        };
        for (n, paired) in [(20, true), (1000, false)] {
            let (a, b) = (0..n as usize)
                .flat_map(|i| (0..n as usize).map(move |j| (i, j)))
                .map(|(i, j)| (with_phrase(0x4E00, n, i), with_phrase(0x5E00, n, j)))
                .find(|(a, b)| shared(a, b) == 1)
                .expect("a placement with one shared anchor");
            let (pairs, _) = candidates(&[&a, &b], 6, 8, 16, 1, 16);
            assert_eq!(pairs.len() == 1, paired, "{n} characters");
        }
    }
}
