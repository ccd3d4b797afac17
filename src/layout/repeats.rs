//! Repeats and fragments: copies of a paragraph within one scan, and
//! excerpts of another scan's text out of this scan's flow.

use std::cmp::Reverse;
use std::ops::Range;

use super::{Finding, Pair, Params, View, block_at};
use crate::align::{Indexed, Op};
use crate::segment::{Block, ends_sentence};

/// One witness's folded text and its copies of itself.
pub(super) struct Scan<'a> {
    pub chars: &'a [char],
    /// Every character paired with its copies elsewhere in the witness,
    /// `(position, copy)`, sorted.
    pub copies: Vec<(u32, u32)>,
}

/// Remove paragraphs repeated within one witness; returns which paragraphs are kept.
pub(super) fn remove_repeats(
    w: usize,
    scans: &[Scan<'_>],
    blocks: &[Block],
    paragraphs: &[Vec<usize>],
    view: &View,
    p: &Params,
    findings: &mut Vec<Finding>,
) -> Vec<bool> {
    let (chars, copies) = (scans[w].chars, &scans[w].copies[..]);
    let np = paragraphs.len();
    let mut kept = vec![true; np];
    if copies.is_empty() {
        return kept;
    }
    let n = blocks.last().map_or(0, |b| b.range.end as usize);
    let mut para_of = vec![usize::MAX; n];
    let mut len = vec![0usize; np];
    for (pi, para) in paragraphs.iter().enumerate() {
        for &bi in para {
            for x in blocks[bi].range.clone() {
                para_of[x as usize] = pi;
            }
            len[pi] += blocks[bi].len();
        }
    }
    // The fullest copy stays; of copies about as full, the one in its
    // place: a block printed twice keeps the copy whose neighbours other
    // scans read next to it, so the section it belongs to stays whole.
    // Only a copy read in place at both edges counts: one edge alone is as
    // often a chance neighbour.
    let in_place = in_place(w, chars, blocks, paragraphs, copies, view, p);
    let mut order: Vec<usize> = (0..np).collect();
    order.sort_by_key(|&pi| {
        let bonus = if in_place[pi] == 2 {
            2 + len[pi] / 50
        } else {
            0
        };
        (Reverse(len[pi] + bonus), pi)
    });
    let mut decided = vec![false; np];
    // For a removed paragraph, the kept passage it repeats.
    let mut kept_copy: Vec<Option<Range<u32>>> = vec![None; np];
    // A paragraph covered only in part by the fuller ones decided before it
    // may be covered whole once all are decided: a short copy of two
    // paragraphs joined at a page break ("…perio" + "The field…", both cut
    // short) is shorter than the first full copy and longer than the second.
    // It is looked at again at the end, against kept paragraphs only (so two
    // paragraphs never remove each other).
    let mut again: Vec<usize> = Vec::new();
    for second in [false, true] {
        let list = std::mem::take(if second { &mut again } else { &mut order });
        for pi in list {
            decided[pi] = true;
            // For each block of the paragraph, the copies of its characters in
            // paragraphs already decided, kept ones first: (partner, position).
            // A copy of a removed copy is a repeat all the same.
            let mut hits: Vec<Vec<(usize, u32)>> = Vec::with_capacity(paragraphs[pi].len());
            for &bi in &paragraphs[pi] {
                let mut mine = Vec::new();
                for x in blocks[bi].range.clone() {
                    let from = copies.partition_point(|&(i, _)| i < x);
                    let candidates = copies[from..]
                        .iter()
                        .take_while(|&&(i, _)| i == x)
                        .map(|&(_, j)| (para_of[j as usize], j))
                        .filter(|&(q, _)| {
                            q != usize::MAX && q != pi && decided[q] && (!second || kept[q])
                        });
                    let copy = candidates
                        .clone()
                        .find(|&(q, _)| kept[q])
                        .or_else(|| candidates.clone().next());
                    mine.extend(copy);
                }
                hits.push(mine);
            }
            let covered: usize = hits.iter().map(Vec::len).sum();
            if len[pi] == 0 || (covered as f64) < p.repeat_coverage * len[pi] as f64 {
                if !second && covered > 0 {
                    again.push(pi);
                }
                continue;
            }
            // Text the other scans print twice too (list items written to one
            // formula, a phrase the writer repeats) is the text's own, not a
            // repeat of this scan's page.
            let copy_at: Vec<u32> = hits.iter().flatten().map(|&(_, j)| j).collect();
            let own: Vec<u32> = paragraphs[pi]
                .iter()
                .flat_map(|&bi| blocks[bi].range.clone())
                .collect();
            // A line whose copy is a phrase of a longer paragraph (a
            // letterhead or heading naming what the letter names) is an
            // excerpt: text where the other scans print it in the same place.
            // A copy of the start of the paragraph right next to it is a
            // fragment of that paragraph, printed again at a break.
            let excerpt = most_common(hits.iter().flatten().map(|&(q, _)| q)).is_some_and(|q| {
                let start = blocks[paragraphs[q][0]].range.start;
                let from = hits
                    .iter()
                    .flatten()
                    .filter(|h| h.0 == q)
                    .map(|h| h.1)
                    .min();
                let next_to = q.abs_diff(pi) == 1;
                2 * len[q] >= 3 * len[pi]
                    && from.is_some_and(|f| f > start + 3 || f >= start && !next_to)
            });
            if printed_twice_by_others(w, &own, &copy_at, excerpt, view, scans) {
                continue;
            }
            kept[pi] = false;
            let last_block = &blocks[*paragraphs[pi].last().unwrap()];
            let cut = !ends_sentence(chars[last_block.range.end as usize - 1]);
            for (&bi, mine) in paragraphs[pi].iter().zip(&hits) {
                let range = blocks[bi].range.clone();
                // The passage this block repeats: its copies in the partner
                // holding most of them.
                let Some(q) = most_common(mine.iter().map(|&(q, _)| q)) else {
                    continue;
                };
                let at: Vec<u32> = mine
                    .iter()
                    .filter(|&&(x, _)| x == q)
                    .map(|&(_, j)| j)
                    .collect();
                let here =
                    at.iter().min().copied().unwrap_or(0)..at.iter().max().map_or(0, |m| m + 1);
                let of = (
                    w,
                    if kept[q] {
                        here
                    } else {
                        kept_copy[q].clone().unwrap_or(here)
                    },
                );
                kept_copy[pi].get_or_insert(of.1.clone());
                // A copy of the start of a paragraph that stops well before its
                // end (most often mid-sentence) is a truncated fragment of it; a
                // copy from its middle is a duplicate (a pull quote).
                let partner = blocks[paragraphs[q][0]].range.start
                    ..blocks[*paragraphs[q].last().unwrap()].range.end;
                let from_start = of.1.start <= partner.start + 3;
                let stops_early = of.1.end + if cut { 3 } else { 12 } < partner.end;
                findings.push(if from_start && stops_early {
                    Finding::Fragment {
                        witness: w,
                        range,
                        of,
                    }
                } else {
                    Finding::Duplicate {
                        witness: w,
                        range,
                        of,
                    }
                });
            }
            // Blocks with no copy of their own (the uncovered rest) go with the paragraph.
            for (&bi, mine) in paragraphs[pi].iter().zip(&hits) {
                if mine.is_empty() {
                    let q = most_common(hits.iter().flatten().map(|&(q, _)| q)).expect("covered");
                    let para = &paragraphs[q];
                    findings.push(Finding::Duplicate {
                        witness: w,
                        range: blocks[bi].range.clone(),
                        of: (
                            w,
                            blocks[para[0]].range.start..blocks[*para.last().unwrap()].range.end,
                        ),
                    });
                }
            }
        }
    }
    kept
}

/// True if most other witnesses whose text runs through the characters
/// `own` of this witness print them twice as well, with the same
/// differences: they read `own` apart from where they read `copy` (its copy
/// in this witness), and where `own` and `copy` differ here they differ
/// there too. List items written to one formula ("Bifocal lenses - after
/// $25.00 …", "Trifocal lenses - after $25.00 …") differ in the same places
/// in every scan; a block printed twice differs from its copy only by each
/// scan's own misreadings. An `excerpt` (a line repeating a phrase of a
/// longer paragraph) may read the same as its copy: it is the text's own
/// where the others print it next to the text this witness prints before
/// or after it. A witness whose flow runs past `own` without reading it (a
/// gap in its alignment there) prints the passage once, and counts against.
pub(super) fn printed_twice_by_others(
    w: usize,
    own: &[u32],
    copy: &[u32],
    excerpt: bool,
    view: &View,
    scans: &[Scan<'_>],
) -> bool {
    // How far to look for the text around `own`, and how much more or less
    // the other witness may print between the two than this one (a
    // caption, a running head).
    const LOOK: u32 = 160;
    const SLACK: u32 = 40;
    // Per other witness, of a set of positions: how many its longest
    // covering block runs through, and their partners in it.
    let partners = |xs: &[u32]| {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut by: Vec<(usize, u32, u32)> = Vec::new();
        let mut found = Vec::new();
        for &i in xs {
            view.longest_partners(w, i, 1, &mut found);
            for &(o, _, j) in &found {
                match runs.iter_mut().find(|r| r.0 == o) {
                    Some(r) => r.1 += 1,
                    None => runs.push((o, 1)),
                }
                by.extend(j.map(|j| (o, j, i)));
            }
        }
        runs.sort_unstable();
        by.sort_unstable();
        (runs, by)
    };
    // Whether position `i` of witness `x` reads differently from its copy
    // inside `within` (no copy there, or another character).
    let differs = |x: usize, i: u32, within: &std::ops::RangeInclusive<u32>| {
        let (chars, copies) = (scans[x].chars, &scans[x].copies);
        let from = copies.partition_point(|&(k, _)| k < i);
        copies[from..]
            .iter()
            .take_while(|&&(k, _)| k == i)
            .find(|(_, j)| within.contains(j))
            .is_none_or(|&(_, j)| chars[i as usize] != chars[j as usize])
    };
    // The nearest character of this witness along `xs` that it prints only
    // once and that witness `o` reads in a run of equal characters (inside
    // a gap the aligner pairs characters by chance), with where `o` reads
    // it: the text around the passage, not more of a block printed twice.
    let nearest = |o: usize, xs: &mut dyn Iterator<Item = u32>| {
        let copies = &scans[w].copies;
        let mut found = Vec::new();
        for i in xs {
            let k = copies.partition_point(|&(x, _)| x < i);
            if copies.get(k).is_some_and(|&(x, _)| x == i) {
                continue;
            }
            view.longest_partners(w, i, 4, &mut found);
            if let Some(&(_, _, Some(j))) = found.iter().find(|f| f.0 == o) {
                return Some((i, j));
            }
        }
        None
    };
    let span =
        |xs: &[u32]| xs.iter().copied().min().unwrap_or(0)..=xs.iter().copied().max().unwrap_or(0);
    let here = span(copy);
    let (first, last) = span(own).into_inner();
    let (runs, mine) = partners(own);
    let (_, theirs) = partners(copy);
    let (mut twice, mut read) = (0, 0);
    for (o, through) in runs {
        if through * 2 < own.len() {
            continue;
        }
        read += 1;
        let a: Vec<u32> = mine.iter().filter(|x| x.0 == o).map(|x| x.1).collect();
        let b: Vec<u32> = theirs.iter().filter(|x| x.0 == o).map(|x| x.1).collect();
        let shared = a.iter().filter(|j| b.binary_search(j).is_ok()).count();
        if a.len() * 2 < own.len() || b.len() * 2 < copy.len() || shared * 5 >= a.len() {
            continue;
        }
        // Where this witness's two copies differ, and the other reads the
        // character as this one does: does it differ there too?
        let there = span(&b);
        let (mut same, mut checked) = (0, 0);
        for &(_, j, i) in mine.iter().filter(|x| x.0 == o) {
            if differs(w, i, &here) {
                checked += 1;
                same += usize::from(differs(o, j, &there));
            }
        }
        let distinct = same >= 2 && same * 2 > checked;
        let in_place = excerpt && {
            let (lo, hi) = (a[0], a[a.len() - 1]);
            let before = nearest(o, &mut (first.saturating_sub(LOOK)..first).rev());
            let after = nearest(o, &mut (last + 1..last + 1 + LOOK));
            before.is_some_and(|(i, y)| y < lo && (lo - y).abs_diff(first - i) <= SLACK)
                || after.is_some_and(|(i, y)| y > hi && (y - hi).abs_diff(i - last) <= SLACK)
        };
        if distinct || in_place {
            twice += 1;
        }
    }
    // An excerpt the others split on keeps its place: removing text is
    // the worse error.
    read > 0 && (twice * 2 > read || excerpt && twice * 2 == read)
}

/// For each paragraph, how firmly the repeated block it belongs to sits in
/// its place: 0, 1 or 2 of the block's two edges where another scan reads
/// the block and the text on the other side of the edge one after the
/// other, with nothing in between that this scan reads elsewhere (it may
/// skip what this scan leaves out). A block is a run of consecutive
/// paragraphs with copies that are consecutive too (one block printed
/// twice); a paragraph with no copy scores 0.
pub(super) fn in_place(
    w: usize,
    chars: &[char],
    blocks: &[Block],
    paragraphs: &[Vec<usize>],
    copies: &[(u32, u32)],
    view: &View,
    p: &Params,
) -> Vec<usize> {
    // How far past the edge to look for text another scan reads (a heading
    // or a caption only this scan prints may sit there).
    const LOOK: u32 = 160;
    // Characters of the other scan between the two sides that this scan
    // may read elsewhere (chance matches).
    const SLACK: usize = 8;
    let np = paragraphs.len();
    let n = chars.len() as u32;
    let span = |pi: usize| {
        blocks[paragraphs[pi][0]].range.start..blocks[*paragraphs[pi].last().unwrap()].range.end
    };
    let mut para_of = vec![usize::MAX; n as usize];
    for pi in 0..np {
        for x in span(pi) {
            para_of[x as usize] = pi;
        }
    }
    // The paragraphs holding a copy of (nearly) all of each paragraph.
    let copied_in: Vec<Vec<usize>> = (0..np)
        .map(|pi| {
            let r = span(pi);
            let from = copies.partition_point(|&(i, _)| i < r.start);
            let mut hits: Vec<(usize, u32)> = copies[from..]
                .iter()
                .take_while(|&&(i, _)| i < r.end)
                .map(|&(i, j)| (para_of[j as usize], i))
                .filter(|&(q, _)| q != usize::MAX && q != pi)
                .collect();
            hits.sort_unstable();
            hits.dedup();
            let need = p.repeat_coverage * (r.end - r.start) as f64;
            let mut qs: Vec<usize> = hits.iter().map(|&(q, _)| q).collect();
            qs.dedup();
            qs.retain(|&q| hits.iter().filter(|h| h.0 == q).count() as f64 >= need);
            qs
        })
        .collect();
    if copied_in.iter().all(Vec::is_empty) {
        return vec![0; np];
    }
    let len = |pi: usize| span(pi).end - span(pi).start;
    // Paragraphs copied from a clearly longer one: fragments, pull quotes.
    let lesser: Vec<bool> = (0..np)
        .map(|pi| {
            copied_in[pi]
                .iter()
                .any(|&q| len(q) > len(pi) + 2 + len(pi) / 20)
        })
        .collect();
    // Other scans only: the view also holds this scan's copies of itself.
    let mut others: Vec<usize> = view.iter().map(|(o, _)| *o).filter(|&o| o != w).collect();
    others.sort_unstable();
    others.dedup();
    // For each other scan, which character of this scan reads each of its
    // characters (`u32::MAX`: none). Runs of equal characters only: inside
    // a long gap the aligner pairs common characters by chance.
    let reader: Vec<Vec<u32>> = others
        .iter()
        .map(|&o| {
            let len = view
                .iter()
                .filter(|(x, _)| *x == o)
                .map(|(_, al)| al.b.end)
                .max()
                .unwrap_or(0) as usize;
            let mut reader = vec![u32::MAX; len];
            for (_, al) in view.iter().filter(|(x, _)| *x == o) {
                let (mut i, mut j) = (al.a.start, al.b.start as usize);
                for &(op, n) in al.ops() {
                    if op == Op::Eq && n >= 4 {
                        for d in 0..n {
                            reader[j + d as usize] = i + d;
                        }
                    }
                    let (di, dj) = op.advance(n);
                    i += di;
                    j += dj as usize;
                }
            }
            reader
        })
        .collect();
    let partner = |o: usize, i: u32| {
        view.iter()
            .filter(|(x, _)| *x == o)
            .find_map(|(_, al)| al.partner_in_run(i, 4))
    };
    // Some other scan reads the text of `before` and then that of `after`
    // with nothing between that this scan reads outside the block and its
    // copies (`own`). An
    // empty side is the start or the end of this scan's text: the other
    // scan must then start or end there too.
    let reads_on =
        |before: Range<u32>, after: Range<u32>, own: &[Range<u32>], block_after: bool| {
            others.iter().zip(&reader).any(|(&o, reader)| {
                // On the block's side, where most of its text near the edge
                // reads (a heading may match a sentence elsewhere); on the
                // other side, the reading nearest the edge.
                let median = |r: Range<u32>| {
                    let mut ys: Vec<u32> = r.filter_map(|i| partner(o, i)).collect();
                    ys.sort_unstable();
                    ys.get(ys.len() / 2).copied()
                };
                let (y0, y1) = if block_after {
                    let y1 = median(after.start..after.end.min(after.start + LOOK));
                    (before.clone().rev().find_map(|i| partner(o, i)), y1)
                } else {
                    let y0 = median(before.start.max(before.end.saturating_sub(LOOK))..before.end);
                    (y0, after.clone().find_map(|i| partner(o, i)))
                };
                let between = match (before.is_empty(), after.is_empty(), y0, y1) {
                    (false, false, Some(y0), Some(y1)) if y0 < y1 => y0 as usize + 1..y1 as usize,
                    (true, false, _, Some(y1)) => 0..y1 as usize,
                    (false, true, Some(y0), _) => y0 as usize + 1..reader.len(),
                    _ => return false,
                };
                let elsewhere = reader
                    [between.start.min(reader.len())..between.end.min(reader.len())]
                    .iter()
                    .filter(|&&i| i != u32::MAX && !own.iter().any(|r| r.contains(&i)))
                    .count();
                elsewhere <= SLACK
            })
        };
    let mut score = vec![0usize; np];
    let mut pi = 0;
    while pi < np {
        if copied_in[pi].is_empty() {
            pi += 1;
            continue;
        }
        let mut end = pi + 1;
        while end < np
            && copied_in[end - 1]
                .iter()
                .any(|&q| copied_in[end].binary_search(&(q + 1)).is_ok())
        {
            end += 1;
        }
        let (first, last) = (span(pi), span(end - 1));
        let (start, stop) = (first.start, last.end);
        let before = if pi == 0 {
            start..start
        } else {
            start.saturating_sub(LOOK)..start
        };
        let after = if end == np {
            stop..stop
        } else {
            stop..(stop + LOOK).min(n)
        };
        // A truncated copy next to the block says nothing of its place: it
        // is a stray copy of text kept elsewhere.
        let stray = |q: Option<usize>| q.is_some_and(|q| lesser[q]);
        let block = start..stop;
        let own: Vec<Range<u32>> = std::iter::once(block.clone())
            .chain((pi..end).flat_map(|q| copied_in[q].iter().map(|&c| span(c))))
            .collect();
        let edges =
            usize::from(!stray(pi.checked_sub(1)) && reads_on(before, block.clone(), &own, true))
                + usize::from(
                    !stray(Some(end).filter(|&e| e < np))
                        && reads_on(block.clone(), after, &own, false),
                );
        score[pi..end].fill(edges);
        pi = end;
    }
    score
}

/// Every character of witness `w` paired with its copies elsewhere in the
/// witness, `(position, copy)`, sorted.
pub(super) fn self_copies(pairs: &[Pair<'_>], w: usize) -> Vec<(u32, u32)> {
    let mut copies: Vec<(u32, u32)> = Vec::new();
    for pr in pairs.iter().filter(|pr| pr.a == w && pr.b == w) {
        for al in pr.blocks {
            for (i, j, _) in al.pairs() {
                copies.push((i, j));
                copies.push((j, i));
            }
        }
    }
    copies.sort_unstable();
    copies
}

/// A kept paragraph whose last sentence or so is a copy of text the
/// witness prints elsewhere, where the other scans, reading the start of
/// the paragraph, go on with something else: two columns' lines spliced
/// into one (“…为主题的” + “会议,让上合组织从中国再出发…”). The copied tail
/// is a duplicate.
pub(super) fn remove_spliced_tails(
    w: usize,
    blocks: &[Block],
    paragraphs: &[Vec<usize>],
    kept: &[bool],
    copies: &[(u32, u32)],
    view: &View,
    findings: &mut Vec<Finding>,
) {
    // A tail this long repeated verbatim is no stock ending.
    const MIN_TAIL: u32 = 20;
    // How far from where the other scan reads the paragraph's start its
    // reading of the tail may lie and still be the paragraph going on.
    const NEAR: u32 = 40;
    if copies.is_empty() {
        return;
    }
    let n = blocks.last().map_or(0, |b| b.range.end as usize);
    let mut para_of = vec![usize::MAX; n];
    for (pi, para) in paragraphs.iter().enumerate() {
        for &bi in para {
            para_of[blocks[bi].range.start as usize..blocks[bi].range.end as usize].fill(pi);
        }
    }
    for (pi, para) in paragraphs.iter().enumerate() {
        if !kept[pi] {
            continue;
        }
        let (start, end) = (
            blocks[para[0]].range.start,
            blocks[*para.last().unwrap()].range.end,
        );
        // The longest tail copied, character for character, from one place
        // outside the paragraph.
        let has = |i: u32, j: u32| copies.binary_search(&(i, j)).is_ok();
        let from = copies.partition_point(|&(i, _)| i < end - 1);
        let (mut cut, mut source) = (end, 0);
        for &(_, k) in copies[from..].iter().take_while(|&&(i, _)| i == end - 1) {
            // A copy in another kept paragraph (not a pull quote or a
            // repeat already removed).
            let q = para_of[k as usize];
            if q == usize::MAX || q == pi || !kept[q] {
                continue;
            }
            let mut c = end - 1;
            while c > start && k >= end - c && has(c - 1, k + 1 - (end - c + 1)) {
                c -= 1;
            }
            if c < cut {
                (cut, source) = (c, k + 1 - (end - c));
            }
        }
        let tail = end - cut;
        if tail < MIN_TAIL || (tail as f64) > 0.6 * (end - start) as f64 {
            continue;
        }
        // Some other scan reads the text before the tail and, right after
        // it, not the tail: the tail is another paragraph's.
        let elsewhere = view.iter().filter(|(o, _)| *o != w).any(|(o, al)| {
            let Some(y) = (cut.saturating_sub(8)..cut)
                .rev()
                .find_map(|i| al.partner_in_run(i, 4))
            else {
                return false;
            };
            let follows = view
                .iter()
                .filter(|(x, _)| x == o)
                .filter_map(|(_, al)| (cut..cut + 8).find_map(|i| al.partner_in_run(i, 4)))
                .any(|yt| yt > y && yt <= y + NEAR);
            !follows
        });
        if !elsewhere {
            continue;
        }
        findings.push(Finding::Duplicate {
            witness: w,
            range: cut..end,
            of: (w, source..source + tail),
        });
    }
}

/// The most frequent item (the smallest on a tie).
pub(super) fn most_common(items: impl Iterator<Item = usize>) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for x in items {
        match counts.iter_mut().find(|(y, _)| *y == x) {
            Some((_, c)) => *c += 1,
            None => counts.push((x, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(x, c)| (c, Reverse(x)))
        .map(|(x, _)| x)
}

/// Remove short paragraphs that repeat part of a longer paragraph of another
/// witness out of their own witness's flow: pull quotes, and subtitles that
/// quote the body of another edition. A paragraph whose neighbours read on
/// right next to the passage in the other witness is in flow (the two just
/// paragraph differently) and stays; so does one whose neighbours do not
/// align to that witness at all (nothing says where it belongs).
pub(super) fn remove_excerpts(
    w: usize,
    blocks: &[Vec<Block>],
    paragraphs: &[Vec<usize>],
    kept: &mut [bool],
    view: &View,
    p: &Params,
    findings: &mut Vec<Finding>,
) {
    const MAX_LEN: u32 = 100;
    const SLACK: u32 = 8;
    let range_of =
        |para: &[usize]| blocks[w][para[0]].range.start..blocks[w][*para.last().unwrap()].range.end;
    let others = view.others(w);
    for pi in 0..paragraphs.len() {
        let r = range_of(&paragraphs[pi]);
        let len = r.end - r.start;
        if !kept[pi] || paragraphs[pi].len() != 1 || len > MAX_LEN {
            continue;
        }
        let neighbours: Vec<Range<u32>> = [pi.checked_sub(1), Some(pi + 1)]
            .into_iter()
            .flatten()
            .filter(|&q| q < paragraphs.len())
            .map(|q| range_of(&paragraphs[q]))
            .collect();
        let touches = |al: &Indexed, n: &Range<u32>| al.a.start < n.end && al.a.end > n.start;
        // Blocks over a range (`touches` is the strict overlap test).
        let near = |n: &Range<u32>| view.overlapping(n.start, n.end);
        // Nothing says where the paragraph belongs unless its neighbours align somewhere.
        if !neighbours
            .iter()
            .any(|n| near(n).into_iter().any(|(_, al)| touches(al, n)))
        {
            continue;
        }
        // Every other witness that holds the paragraph inside a longer one,
        // where the neighbours do not read on next to it.
        let mut excerpt_of: Option<(usize, Range<u32>)> = None;
        let mut in_flow = false;
        for &o in &others {
            let hits: Vec<&Indexed> = near(&r)
                .into_iter()
                .filter(|(x, al)| *x == o && touches(al, &r))
                .map(|(_, al)| al)
                .collect();
            let cov = crate::family::covered(
                hits.iter()
                    .map(|al| al.a.start.max(r.start)..al.a.end.min(r.end)),
            );
            if (cov as f64) < p.repeat_coverage * len as f64 {
                continue;
            }
            let lo = hits
                .iter()
                .map(|al| al.project(al.a.start.max(r.start)))
                .min()
                .unwrap_or(0);
            let hi = hits
                .iter()
                .map(|al| al.project(al.a.end.min(r.end)))
                .max()
                .unwrap_or(0);
            let longer =
                block_at(&blocks[o], lo).is_some_and(|line| line.len() as u32 > len + SLACK);
            let adjacent = neighbours.iter().any(|n| {
                near(n)
                    .into_iter()
                    .filter(|(x, al)| *x == o && touches(al, n))
                    .any(|(_, al)| {
                        let (ys, ye) = (
                            al.project(al.a.start.max(n.start)),
                            al.project(al.a.end.min(n.end)),
                        );
                        (ye + SLACK >= lo && ye <= lo + 2) || (ys + 2 >= hi && ys <= hi + SLACK)
                    })
            });
            in_flow |= adjacent || !longer;
            if longer && !adjacent && excerpt_of.is_none() {
                excerpt_of = Some((o, lo..hi));
            }
        }
        let Some((o, there)) = excerpt_of else {
            continue;
        };
        if in_flow {
            continue;
        }
        kept[pi] = false;
        findings.push(Finding::Duplicate {
            witness: w,
            range: r,
            of: (o, there),
        });
    }
}
