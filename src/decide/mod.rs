//! Decide: one reading per variant site, and the rule that chose it.
//!
//! A site is a maximal run of columns where the witnesses covering them do
//! not all read the same; each covering witness reads the whole run as one
//! string, and whole readings compete (so the canonical text never splices
//! half of one reading onto half of another). Witnesses vote with a weight
//! learned from how often they disagree with the decisions (re-estimated until
//! the decisions are stable). Where the vote ties, or only two witnesses
//! cover the site, a character trigram model of the corpus decides, then the
//! confusable-character tables, then the weights.

mod canonical;
mod model;

use std::ops::Range;

pub(crate) use canonical::{Witness, family};
use model::Confusables;
pub(crate) use model::{CharModel, Counts};

use crate::collate::{Cell, Collation};
pub(crate) use crate::output::Rule;

/// One reading of a site.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SiteReading {
    /// Folded text.
    pub text: Vec<char>,
    /// Witnesses reading it.
    pub witnesses: Vec<usize>,
    /// False for a witness that covers only part of the site (its characters
    /// are reported, it does not vote).
    pub votes: bool,
}

/// A variant site and its decision.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Site {
    /// Columns of the collation.
    pub columns: Range<usize>,
    pub readings: Vec<SiteReading>,
    /// Index of the chosen reading; `None` for an editorial stretch no
    /// single witness reads whole (the text then joins adjacent readings).
    pub chosen: Option<usize>,
    pub rule: Rule,
    /// An editorial stretch: columns whose witnesses agree where they read,
    /// some passing over them, kept whole rather than voted on. (A voted
    /// site may also be decided by [`Rule::Editorial`]; it is still voted.)
    pub stretch: bool,
}

/// All decisions of a family.
#[derive(Debug, Clone)]
pub(crate) struct Decision {
    pub sites: Vec<Site>,
    /// Final weight of each witness.
    pub weights: Vec<f64>,
}

/// Tuning of decisions.
#[derive(Debug, Clone)]
pub(crate) struct Params {
    /// Rounds of weight re-estimation at most.
    pub max_rounds: usize,
    /// Log-probability margin (nats) by which the language model must prefer a reading.
    pub lm_margin: f64,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            max_rounds: 10,
            lm_margin: 1.0,
        }
    }
}

/// Decide every site of a collation. `chars[w]` is witness `w`'s folded text.
pub(crate) fn decide(
    col: &Collation,
    chars: &[&[char]],
    model: &CharModel,
    p: &Params,
) -> Decision {
    let nw = chars.len();
    let char_of = |w: usize, i: u32| chars[w][i as usize];
    // A column agrees when no witness votes it absent and all its characters are equal.
    let agree_at = |c: usize| {
        let mut first = None;
        for &(w, cell) in &col.columns[c] {
            match cell {
                Cell::Absent => return false,
                Cell::Skip => {}
                Cell::Char(i) => match first {
                    None => first = Some(char_of(w, i)),
                    Some(f) if f != char_of(w, i) => return false,
                    Some(_) => {}
                },
            }
        }
        true
    };
    let agree: Vec<bool> = (0..col.columns.len()).map(agree_at).collect();
    // In a large family some scan misreads or drops nearly every character,
    // so few columns agree outright and a site would run on for whole
    // paragraphs, its readings whole scans. A column nine in ten of its
    // voters read alike ends the site before it and is a site of its own.
    let settled_at = |c: usize| {
        let mut counts: Vec<(char, usize)> = Vec::new();
        let mut voters = 0usize;
        for &(w, cell) in &col.columns[c] {
            match cell {
                Cell::Absent => voters += 1,
                Cell::Skip => {}
                Cell::Char(i) => {
                    voters += 1;
                    let ch = char_of(w, i);
                    match counts.iter_mut().find(|(x, _)| *x == ch) {
                        Some(e) => e.1 += 1,
                        None => counts.push((ch, 1)),
                    }
                }
            }
        }
        let top = counts.iter().map(|&(_, n)| n).max().unwrap_or(0);
        voters >= 10 && top * 10 >= voters * 9
    };
    let paragraphs = Paragraphs::new(col, chars);
    // Site extents and the witnesses' readings are fixed; only choices change.
    let mut sites: Vec<Site> = Vec::new();
    let mut c = 0;
    while c < col.columns.len() {
        if !agree[c] {
            let start = c;
            c += 1;
            if !settled_at(start) {
                while c < col.columns.len() && !agree[c] && !settled_at(c) {
                    c += 1;
                }
            }
            sites.push(voted_site(col, start..c, &char_of, &paragraphs));
        } else if col.columns[c].iter().any(|&(_, cell)| cell == Cell::Skip) {
            let start = c;
            while c < col.columns.len()
                && agree[c]
                && col.columns[c].iter().any(|&(_, cell)| cell == Cell::Skip)
            {
                c += 1;
            }
            sites.extend(editorial_site(col, start..c, &char_of));
        } else {
            c += 1;
        }
    }
    let mut sites = join_transpositions(sites, col, &char_of, &paragraphs);
    // Coverage of each witness, for its error rate.
    let mut coverage = vec![0u32; nw];
    for cells in &col.columns {
        for &(w, cell) in cells {
            if cell != Cell::Skip {
                coverage[w] += 1;
            }
        }
    }
    let mut weights = vec![1.0f64; nw];
    let mut previous: Vec<Option<usize>> = Vec::new();
    for _ in 0..p.max_rounds.max(1) {
        // Editorial stretches are kept whole; every other site is voted on.
        let choices: Vec<Option<(usize, Rule)>> = sites
            .iter()
            .map(|s| (!s.stretch).then(|| choose(s, col, &agree, &char_of, &weights, model, p)))
            .collect();
        for (s, choice) in sites.iter_mut().zip(&choices) {
            if let &Some((chosen, rule)) = choice {
                s.chosen = Some(chosen);
                s.rule = rule;
            }
        }
        let now: Vec<Option<usize>> = choices.iter().map(|c| c.map(|(c, _)| c)).collect();
        let mut errors = vec![0f64; nw];
        for s in &sites {
            // Only decisions the witnesses made by outvoting each other say
            // who erred; a tie broken by the model or the tables does not
            // (counting it would make the loser less trusted on no evidence).
            let decided_by_vote = matches!(s.rule, Rule::Majority | Rule::Weighted);
            let Some(chosen) = s.chosen.filter(|_| decided_by_vote) else {
                continue;
            };
            let chosen = &s.readings[chosen].text;
            for r in s.readings.iter().filter(|r| r.votes) {
                if &r.text != chosen {
                    let d = strsim::generic_levenshtein(&r.text, chosen) as f64;
                    for &w in &r.witnesses {
                        errors[w] += d;
                    }
                }
            }
        }
        for w in 0..nw {
            let e = (errors[w] + 0.5) / (coverage[w] as f64 + 1.0);
            let e = e.clamp(1e-4, 0.5 - 1e-4);
            weights[w] = ((1.0 - e) / e).ln();
        }
        if now == previous {
            break;
        }
        previous = now;
    }
    Decision { sites, weights }
}

/// Columns between two sites below which they may be one transposition.
const TRANSPOSITION_GAP: usize = 5;

/// Columns between two sites below which words one witness prints in the
/// first and another in the second are one phrase moved.
const MOVE_GAP: usize = 24;

/// Two nearby sites where one witness has text only in the first and
/// another only in the second are one transposition ("全球人工智能" against
/// "人工智能全球"), as are two a little further apart where the two texts
/// share their words ("3月7日，十四届全国人大三次会议" against
/// "十四届全国人大三次会议于3月7日上午10时"): decided apart, each would
/// keep its text and print the moved words twice. They are joined so that
/// whole orderings compete.
fn join_transpositions(
    sites: Vec<Site>,
    col: &Collation,
    char_of: &impl Fn(usize, u32) -> char,
    paragraphs: &Paragraphs,
) -> Vec<Site> {
    // What a witness reads in a site (voting or not: a witness silent
    // across a site reads nothing there).
    fn text_of(s: &Site, w: usize) -> Option<&[char]> {
        s.readings
            .iter()
            .find(|r| r.witnesses.contains(&w))
            .map(|r| r.text.as_slice())
    }
    let mut out: Vec<Site> = Vec::with_capacity(sites.len());
    for site in sites {
        // A stretch ending in one scan's opening of a paragraph that another
        // opens in its own words just after ("王毅:" against "王毅表示，",
        // where the scans order their sections differently): the two
        // openings compete, rather than print one after the other.
        if !site.stretch
            && let Some(prev) = out.last()
            && prev.stretch
            && site.columns.start - prev.columns.end < TRANSPOSITION_GAP
            && let Some((t, split)) = competing_opening(prev, &site, col, char_of, paragraphs)
        {
            let prev = out.pop().expect("a stretch");
            out.extend(editorial_site(col, prev.columns.start..t, char_of));
            out.push(voted_site(col, t..split, char_of, paragraphs));
            if split < site.columns.end {
                out.push(voted_site(
                    col,
                    split..site.columns.end,
                    char_of,
                    paragraphs,
                ));
            }
            continue;
        }
        // The last voted site, and whether only editorial stretches (text
        // some witnesses pass over, not a disagreement) lie in between.
        let prev_at = out.iter().rposition(|s| !s.stretch);
        if let Some(k) = prev_at
            && site.columns.start - out[k].columns.end < MOVE_GAP
        {
            let prev = &out[k];
            let gap = site.columns.start - prev.columns.end;
            let texts: Vec<(&[char], &[char])> = prev
                .readings
                .iter()
                .filter(|r| r.votes)
                .flat_map(|r| r.witnesses.iter().copied())
                .filter_map(|w| Some((text_of(prev, w)?, text_of(&site, w)?)))
                .collect();
            let first_only = || {
                texts
                    .iter()
                    .filter(|(a, b)| !a.is_empty() && b.is_empty())
                    .map(|t| t.0)
            };
            let second_only = || {
                texts
                    .iter()
                    .filter(|(a, b)| a.is_empty() && !b.is_empty())
                    .map(|t| t.1)
            };
            // A stretch after the site joins it only as the moved words.
            let transposed = !site.stretch
                && gap < TRANSPOSITION_GAP
                && first_only().next().is_some()
                && second_only().next().is_some();
            let moved = || first_only().any(|a| second_only().any(|b| shares_words(a, b)));
            // Sites a character apart where the scans split the same way
            // are one variant: decided apart, the text could follow one scan
            // in the first and the other in the second ("上海合组织" from
            // "上海合作组织" and "上合组织").
            let split = |s: &Site| {
                let mut groups: Vec<Vec<usize>> = s
                    .readings
                    .iter()
                    .filter(|r| r.votes)
                    .map(|r| r.witnesses.clone())
                    .collect();
                groups.sort();
                groups
            };
            let same_split = !site.stretch && gap <= 1 && split(prev) == split(&site);
            if transposed || same_split || moved() {
                let start = prev.columns.start;
                out.truncate(k);
                out.push(voted_site(
                    col,
                    start..site.columns.end,
                    char_of,
                    paragraphs,
                ));
                continue;
            }
        }
        out.push(site);
    }
    out
}

/// Columns at the end of a stretch within which a paragraph opening may
/// compete with another scan's.
const MAX_OPENING: usize = 12;

/// Where, in `stretch`, a paragraph opens that competes with the opening of
/// a paragraph in `site`: the stretch's last few columns open a paragraph
/// of witness Y, which reads nothing in the site; a witness X passing over
/// them opens a paragraph in the site; and the two openings share their
/// first two characters (the speaker, say). Returns that column and the
/// column where X's opening ends.
fn competing_opening(
    stretch: &Site,
    site: &Site,
    col: &Collation,
    char_of: &impl Fn(usize, u32) -> char,
    paragraphs: &Paragraphs,
) -> Option<(usize, usize)> {
    let end = stretch.columns.end;
    let from = end.saturating_sub(MAX_OPENING).max(stretch.columns.start);
    let (t, y) = (from..end).rev().find_map(|c| {
        col.columns[c].iter().find_map(|&(w, cell)| match cell {
            Cell::Char(i) if paragraphs.start[w][i as usize] => Some((c, w)),
            _ => None,
        })
    })?;
    // What witness `w` reads in `columns`: (character, position, column).
    let reads = |w: usize, columns: Range<usize>| -> Vec<(char, u32, usize)> {
        columns
            .flat_map(|c| col.columns[c].iter().map(move |cell| (c, cell)))
            .filter(|&(_, &(x, _))| x == w)
            .filter_map(|(c, &(_, cell))| match cell {
                Cell::Char(i) => Some((char_of(w, i), i, c)),
                _ => None,
            })
            .collect()
    };
    let tail = reads(y, t..end);
    if !reads(y, site.columns.clone()).is_empty() {
        return None;
    }
    let split = site
        .readings
        .iter()
        .flat_map(|r| &r.witnesses)
        .find_map(|&x| {
            let mine = reads(x, site.columns.clone());
            let opens = x != y
                && mine.len() >= 2
                && paragraphs.start[x][mine[0].1 as usize]
                && reads(x, t..end).is_empty()
                && mine[..2]
                    .iter()
                    .map(|m| m.0)
                    .eq(tail.iter().take(2).map(|m| m.0));
            if !opens {
                return None;
            }
            // Words after the opening (up to a comma or colon a few characters
            // in) are X's own, which the other opening must not outvote: only
            // the opening competes.
            let k = mine[..mine.len().min(MAX_OPENING)]
                .iter()
                .position(|m| matches!(m.0, ',' | ':' | '，' | '：'));
            match k {
                Some(k) if k + 1 < mine.len() => Some(mine[k].2 + 1),
                _ if mine.len() <= MAX_OPENING => Some(site.columns.end),
                _ => None,
            }
        })?;
    Some((t, split))
}

/// True if the two texts share a run of at least three characters that is
/// most of the shorter one: the same words printed in two places.
fn shares_words(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() < 3 || short.len() > 64 {
        return false;
    }
    // Longest common substring, by dynamic programming over the short text.
    let mut prev = vec![0usize; short.len() + 1];
    let mut cur = vec![0usize; short.len() + 1];
    let mut best = 0;
    for &c in long.iter().take(256) {
        for (j, &d) in short.iter().enumerate() {
            cur[j + 1] = if c == d { prev[j] + 1 } else { 0 };
            best = best.max(cur[j + 1]);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    best >= 3 && 2 * best >= short.len()
}

/// Where each witness's paragraphs start and end (folded positions).
pub(crate) struct Paragraphs {
    start: Vec<Vec<bool>>,
    end: Vec<Vec<bool>>,
}

impl Paragraphs {
    fn new(col: &Collation, chars: &[&[char]]) -> Paragraphs {
        let nw = chars.len();
        let mut in_text: Vec<Vec<bool>> = chars.iter().map(|c| vec![false; c.len()]).collect();
        for cells in &col.columns {
            for &(w, cell) in cells {
                if let Cell::Char(i) = cell {
                    in_text[w][i as usize] = true;
                }
            }
        }
        let mut end: Vec<Vec<bool>> = chars.iter().map(|c| vec![false; c.len()]).collect();
        for (w, ends) in col.paragraph_ends.iter().enumerate() {
            for &e in ends {
                end[w][e as usize] = true;
            }
        }
        let mut start: Vec<Vec<bool>> = chars.iter().map(|c| vec![false; c.len()]).collect();
        for w in 0..nw {
            let mut after_end = true;
            for i in 0..in_text[w].len() {
                if in_text[w][i] {
                    start[w][i] = after_end;
                    after_end = end[w][i];
                }
            }
        }
        Paragraphs { start, end }
    }
}

fn voted_site(
    col: &Collation,
    columns: Range<usize>,
    char_of: &impl Fn(usize, u32) -> char,
    paragraphs: &Paragraphs,
) -> Site {
    let width = columns.len();
    let mut seen: Vec<usize> = columns
        .clone()
        .flat_map(|c| col.columns[c].iter().map(|&(w, _)| w))
        .collect();
    seen.sort_unstable();
    seen.dedup();
    let mut readings: Vec<SiteReading> = Vec::new();
    for w in seen {
        // This witness's cell in each column of the site.
        let mine: Vec<Option<Cell>> = columns
            .clone()
            .map(|c| {
                col.columns[c]
                    .iter()
                    .find(|&&(x, cell)| x == w && cell != Cell::Skip)
                    .map(|&(_, cell)| cell)
            })
            .collect();
        let positions: Vec<u32> = mine
            .iter()
            .filter_map(|c| match c {
                Some(Cell::Char(i)) => Some(*i),
                _ => None,
            })
            .collect();
        let text: Vec<char> = positions.iter().map(|&i| char_of(w, i)).collect();
        let covered = mine.iter().filter(|c| c.is_some()).count();
        // A witness whose paragraph starts (or ends) inside the site reads
        // nothing before (after) it there: that is its reading, not silence.
        let lead = mine.iter().take_while(|c| c.is_none()).count();
        let trail = mine.iter().rev().take_while(|c| c.is_none()).count();
        let opens = positions
            .first()
            .is_some_and(|&i| paragraphs.start[w][i as usize]);
        let closes = positions
            .last()
            .is_some_and(|&i| paragraphs.end[w][i as usize]);
        let votes = covered == width
            || (covered + lead + trail == width
                && !positions.is_empty()
                && (lead == 0 || opens)
                && (trail == 0 || closes));
        if !votes && text.is_empty() {
            continue;
        }
        match readings
            .iter_mut()
            .find(|r| r.votes && votes && r.text == text)
        {
            Some(r) => r.witnesses.push(w),
            None => readings.push(SiteReading {
                text,
                witnesses: vec![w],
                votes,
            }),
        }
    }
    Site {
        columns,
        readings,
        chosen: None,
        rule: Rule::Majority,
        stretch: false,
    }
}

/// A stretch some witnesses pass over while the others agree on it: one
/// reading per distinct text, the chosen one being the whole stretch (when
/// some witness reads it all). `None` when every witness reads the same.
fn editorial_site(
    col: &Collation,
    columns: Range<usize>,
    char_of: &impl Fn(usize, u32) -> char,
) -> Option<Site> {
    let mut whole = Vec::new();
    let mut mine: Vec<(usize, Vec<char>)> = Vec::new();
    for c in columns.clone() {
        let mut ch = None;
        for &(w, cell) in &col.columns[c] {
            let entry = match mine.iter_mut().position(|(x, _)| *x == w) {
                Some(k) => k,
                None => {
                    mine.push((w, Vec::new()));
                    mine.len() - 1
                }
            };
            if let Cell::Char(i) = cell {
                ch = Some(char_of(w, i));
                mine[entry].1.push(char_of(w, i));
            }
        }
        whole.extend(ch);
    }
    mine.sort_by_key(|&(w, _)| w);
    let mut readings: Vec<SiteReading> = Vec::new();
    for (w, text) in mine {
        match readings.iter_mut().find(|r| r.text == text) {
            Some(r) => r.witnesses.push(w),
            None => readings.push(SiteReading {
                votes: !text.is_empty(),
                text,
                witnesses: vec![w],
            }),
        }
    }
    if readings.len() < 2 {
        return None;
    }
    let chosen = readings.iter().position(|r| r.text == whole);
    Some(Site {
        columns,
        readings,
        chosen,
        rule: Rule::Editorial,
        stretch: true,
    })
}

/// Folded characters of the two columns before and after a site, for the
/// language model (agreeing columns only: the decided neighbours).
fn context(
    col: &Collation,
    agree: &[bool],
    site: &Range<usize>,
    char_of: &impl Fn(usize, u32) -> char,
) -> (Vec<char>, Vec<char>) {
    let first_char = |c: usize| {
        col.columns[c].iter().find_map(|&(w, cell)| match cell {
            Cell::Char(i) => Some(char_of(w, i)),
            _ => None,
        })
    };
    let mut left: Vec<char> = (0..site.start)
        .rev()
        .filter(|&c| agree[c])
        .take(2)
        .filter_map(first_char)
        .collect();
    left.reverse();
    let right: Vec<char> = (site.end..col.columns.len())
        .filter(|&c| agree[c])
        .take(2)
        .filter_map(first_char)
        .collect();
    (left, right)
}

fn choose(
    site: &Site,
    col: &Collation,
    agree: &[bool],
    char_of: &impl Fn(usize, u32) -> char,
    weights: &[f64],
    model: &CharModel,
    p: &Params,
) -> (usize, Rule) {
    let voting: Vec<usize> = (0..site.readings.len())
        .filter(|&r| site.readings[r].votes)
        .collect();
    if voting.is_empty() {
        // Only partial witnesses: keep the longest reading.
        let best = (0..site.readings.len())
            .max_by_key(|&r| (site.readings[r].text.len(), std::cmp::Reverse(r)))
            .unwrap_or(0);
        return (best, Rule::SoleWitness);
    }
    if voting.len() == 1 {
        let r = voting[0];
        let rule = if site.readings[r].witnesses.len() == 1 {
            Rule::SoleWitness
        } else {
            Rule::Majority
        };
        return (r, rule);
    }
    let score = |r: usize| -> f64 { site.readings[r].witnesses.iter().map(|&w| weights[w]).sum() };
    // First: is there text here at all? Witnesses that read nothing outvote
    // the others only as a majority; otherwise the readings with text
    // compete among themselves (two slightly different copies of a sentence
    // do not lose it to one scan that lacks it).
    let (empty, present): (Vec<usize>, Vec<usize>) = voting
        .iter()
        .partition(|&&r| site.readings[r].text.is_empty());
    let mut voting = voting;
    if let [absent] = empty[..]
        && !present.is_empty()
    {
        let (ac, aw) = (site.readings[absent].witnesses.len(), score(absent));
        let pc: usize = present
            .iter()
            .map(|&r| site.readings[r].witnesses.len())
            .sum();
        let pw: f64 = present.iter().map(|&r| score(r)).sum();
        let longest = present
            .iter()
            .map(|&r| site.readings[r].text.len())
            .max()
            .unwrap_or(0);
        if ac > pc && aw >= pw {
            return (absent, Rule::Majority);
        }
        if ac < pc || ac > pc && aw < pw || longest > 2 {
            if let [only] = present[..] {
                let rule = if ac < pc {
                    Rule::Majority
                } else if ac > pc {
                    Rule::Weighted
                } else {
                    Rule::Editorial
                };
                return (only, rule);
            }
            voting = present;
        }
    }
    let voters: usize = voting
        .iter()
        .map(|&r| site.readings[r].witnesses.len())
        .sum();
    let count = |r: usize| site.readings[r].witnesses.len();
    let top_score = voting.iter().map(|&r| score(r)).fold(f64::MIN, f64::max);
    let tied: Vec<usize> = voting
        .iter()
        .copied()
        .filter(|&r| top_score - score(r) < 1e-9)
        .collect();
    let top_count = voting.iter().map(|&r| count(r)).max().unwrap_or(0);
    let count_winners: Vec<usize> = voting
        .iter()
        .copied()
        .filter(|&r| count(r) == top_count)
        .collect();
    if tied.len() == 1 && voters > 2 {
        let w = tied[0];
        let rule = if count_winners == [w] {
            Rule::Majority
        } else {
            Rule::Weighted
        };
        return (w, rule);
    }
    // No reading outvotes the others, but three or more witnesses do agree
    // column by column: the reading that is the column-wise majority (each
    // column as most witnesses read it) is the best supported one.
    if voters > 2
        && tied.len() > 1
        && let Some(r) = consensus_choice(site, col, &voting, char_of)
    {
        return (r, Rule::Majority);
    }
    // A tie, or two witnesses: the language model, then the confusable tables.
    let contenders = if tied.len() > 1 {
        tied.clone()
    } else {
        voting.clone()
    };
    let (left, right) = context(col, agree, &site.columns, char_of);
    if let Some(r) = ocr_error_choice(site, &contenders, &left, &right) {
        return (r, Rule::OcrError);
    }
    let mut lm: Vec<(f64, usize)> = contenders
        .iter()
        .map(|&r| (model.score(&left, &site.readings[r].text, &right), r))
        .collect();
    lm.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    if lm.len() >= 2 && lm[0].0 - lm[1].0 > p.lm_margin {
        return (lm[0].1, Rule::LanguageModel);
    }
    if let Some(r) = confusable_choice(site, &contenders, model) {
        return (r, Rule::Confusable);
    }
    if tied.len() == 1 {
        return (tied[0], Rule::Weighted);
    }
    let first = *contenders
        .iter()
        .min_by_key(|&&r| site.readings[r].witnesses[0])
        .expect("contenders");
    (first, Rule::Tie)
}

/// The voting reading equal to the column-wise majority of the voting
/// witnesses, if one is: in every column of the site, the character most of
/// them read there (or nothing, if most read nothing), each column decided
/// by a strict majority.
fn consensus_choice(
    site: &Site,
    col: &Collation,
    voting: &[usize],
    char_of: &impl Fn(usize, u32) -> char,
) -> Option<usize> {
    let voters: Vec<usize> = voting
        .iter()
        .flat_map(|&r| site.readings[r].witnesses.iter().copied())
        .collect();
    let mut consensus = Vec::new();
    for c in site.columns.clone() {
        let mut tally: Vec<(Option<char>, usize)> = Vec::new();
        for &w in &voters {
            let read = col.columns[c].iter().find_map(|&(x, cell)| match cell {
                Cell::Char(i) if x == w => Some(char_of(w, i)),
                _ => None,
            });
            match tally.iter_mut().find(|(ch, _)| *ch == read) {
                Some((_, n)) => *n += 1,
                None => tally.push((read, 1)),
            }
        }
        let (read, n) = tally.iter().copied().max_by_key(|&(_, n)| n)?;
        if 2 * n <= voters.len() {
            return None;
        }
        consensus.extend(read);
    }
    voting
        .iter()
        .copied()
        .find(|&r| site.readings[r].text == consensus)
}

/// Between a reading and the same with one or two characters more: if the
/// extra characters repeat their neighbours, they are a doubling and the
/// shorter reading wins; otherwise the longer one (recognisers drop
/// characters far more often than they invent them).
fn ocr_error_choice(
    site: &Site,
    contenders: &[usize],
    left: &[char],
    right: &[char],
) -> Option<usize> {
    let [x, y] = contenders else { return None };
    let (short, long) = if site.readings[*x].text.len() < site.readings[*y].text.len() {
        (*x, *y)
    } else {
        (*y, *x)
    };
    let (s, l) = (&site.readings[short].text, &site.readings[long].text);
    if l.len() - s.len() > 2 || l.len() == s.len() {
        return None;
    }
    // `s` must be `l` with its extra characters taken out, in one place.
    let pre = s.iter().zip(l).take_while(|(a, b)| a == b).count();
    let suf = s[pre..]
        .iter()
        .rev()
        .zip(l[pre..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    if pre + suf < s.len() {
        return None;
    }
    let extra = &l[pre..l.len() - suf.min(l.len() - pre)];
    let before = if pre > 0 { l.get(pre - 1) } else { left.last() };
    let after = l.get(pre + extra.len()).or(right.first());
    let doubled = extra.iter().all(|c| Some(c) == before || Some(c) == after);
    // Bullets, boxes and stray marks are specks read as characters, not
    // characters lost.
    let speck = extra
        .iter()
        .all(|&c| !c.is_alphanumeric() && !crate::segment::is_sentence_punct(c));
    Some(if doubled || speck { short } else { long })
}

/// Between two readings that differ only by confusable characters, the one
/// whose characters are commoner in the corpus.
fn confusable_choice(site: &Site, contenders: &[usize], model: &CharModel) -> Option<usize> {
    let [x, y] = contenders else { return None };
    let (a, b) = (&site.readings[*x].text, &site.readings[*y].text);
    if a.len() != b.len() || a == b {
        return None;
    }
    let table = Confusables::get();
    let mut fa = 0f64;
    let mut fb = 0f64;
    for (&ca, &cb) in a.iter().zip(b) {
        if ca == cb {
            continue;
        }
        if table.strength(ca, cb) == 0 {
            return None;
        }
        fa += (model.count(ca) as f64 + 1.0).ln();
        fb += (model.count(cb) as f64 + 1.0).ln();
    }
    if (fa - fb).abs() < 1e-9 {
        return None;
    }
    Some(if fa > fb { *x } else { *y })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A collation from one row per witness over the same columns: a
    /// character is read there, `-` votes it absent, `~` passes over it
    /// (a long omission), `.` is silence.
    fn collation(rows: &[&str]) -> (Collation, Vec<Vec<char>>) {
        let grid: Vec<Vec<char>> = rows.iter().map(|r| r.chars().collect()).collect();
        let width = grid[0].len();
        let mut chars: Vec<Vec<char>> = vec![Vec::new(); rows.len()];
        let mut columns = vec![Vec::new(); width];
        for (w, row) in grid.iter().enumerate() {
            for (c, &ch) in row.iter().enumerate() {
                let cell = match ch {
                    '-' => Cell::Absent,
                    '~' => Cell::Skip,
                    '.' => continue,
                    _ => {
                        chars[w].push(ch);
                        Cell::Char(chars[w].len() as u32 - 1)
                    }
                };
                columns[c].push((w, cell));
            }
        }
        let paragraph_ends = chars
            .iter()
            .map(|c| vec![c.len().saturating_sub(1) as u32])
            .collect();
        (
            Collation {
                columns,
                paragraph_ends,
                removed: Vec::new(),
            },
            chars,
        )
    }

    fn run(rows: &[&str], training: &str) -> Decision {
        let (col, chars) = collation(rows);
        let train: Vec<char> = training.chars().collect();
        let model = CharModel::train([&train[..]]);
        let views: Vec<&[char]> = chars.iter().map(Vec::as_slice).collect();
        decide(&col, &views, &model, &Params::default())
    }

    fn chosen(d: &Decision, site: usize) -> (String, Rule) {
        let s = &d.sites[site];
        (s.readings[s.chosen.unwrap()].text.iter().collect(), s.rule)
    }

    #[test]
    fn majority() {
        let d = run(
            &[
                "暴风雨哪吒闹海的舞台",
                "暴风雨哪吒闹海的舞台",
                "暴风雨晒雨晒海的舞台",
            ],
            "",
        );
        assert_eq!(chosen(&d, 0), ("哪吒闹".into(), Rule::Majority));
    }

    #[test]
    fn two_against_one_unless_the_one_outweighs_them() {
        // Witnesses 0 and 1 each misread ten characters the other two agree
        // on; witness 2 misreads nothing. Where 0 and 1 agree against 2, the
        // reliable witness wins only because its weight exceeds theirs combined.
        let clean: Vec<char> = "天地人和山水风云日月星辰江河湖海甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土东南西北中春夏秋冬"
            .chars()
            .collect();
        let site = 48;
        let print = |errors: &[usize], swap: bool| -> String {
            (0..clean.len())
                .map(|i| match i {
                    _ if errors.contains(&i) => '错',
                    _ if i == site && swap => '乙',
                    _ => clean[i],
                })
                .collect()
        };
        let errors = |first: usize| -> Vec<usize> { (0..10).map(|k| first + 4 * k).collect() };
        let rows = [
            print(&errors(1), true),
            print(&errors(3), true),
            print(&[], false),
        ];
        let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
        let d = run(&refs, "");
        let s = d
            .sites
            .iter()
            .position(|s| s.columns.start == site)
            .unwrap();
        assert!(
            d.weights[2] > d.weights[0] + d.weights[1],
            "{:?}",
            d.weights
        );
        assert_eq!(chosen(&d, s), (clean[site].to_string(), Rule::Weighted));
        // With equal reliability the two win, by majority.
        let rows = [print(&[], true), print(&[], true), print(&[], false)];
        let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
        let d = run(&refs, "");
        assert_eq!(chosen(&d, 0), ("乙".into(), Rule::Majority));
    }

    #[test]
    fn language_model_breaks_a_two_witness_tie() {
        let d = run(
            &["舞台是哪吒闹海的舞台", "舞台是晒雨晒海的舞台"],
            "哪吒闹海的故事。哪吒闹海的舞台。哪吒闹海。",
        );
        assert_eq!(chosen(&d, 0), ("哪吒闹".into(), Rule::LanguageModel));
    }

    #[test]
    fn confusable_characters_go_to_the_commoner() {
        // 基 and 急 are confusable; the corpus knows 基 better, and the
        // model cannot tell the contexts apart.
        let d = run(&["甲乙基丙丁", "甲乙急丙丁"], "基基基急");
        assert_eq!(chosen(&d, 0), ("基".into(), Rule::Confusable));
    }

    #[test]
    fn doubled_character_is_undone() {
        let d = run(&["于到离示示有地双同", "于到离示-有地双同"], "");
        assert_eq!(chosen(&d, 0), ("".into(), Rule::OcrError));
    }

    #[test]
    fn dropped_character_is_restored() {
        let d = run(&["威弯叶板面", "威-叶板面"], "");
        assert_eq!(chosen(&d, 0), ("弯".into(), Rule::OcrError));
    }

    #[test]
    fn sole_witness() {
        // The site spans two columns; only witness 0 reads both, 1 and 2 one
        // each, so they report their characters without voting.
        let d = run(&["甲乙丙丁", "甲.己丁", "甲辛.丁"], "");
        assert_eq!(d.sites.len(), 1);
        assert_eq!(chosen(&d, 0), ("乙丙".into(), Rule::SoleWitness));
    }

    #[test]
    fn editorial_passage_is_kept() {
        let d = run(
            &["甲乙一段只有这份报纸印了的话丙丁", "甲乙~~~~~~~~~~~~丙丁"],
            "",
        );
        assert_eq!(d.sites.len(), 1);
        assert_eq!(d.sites[0].rule, Rule::Editorial);
        assert_eq!(d.sites[0].readings.len(), 2);
        assert!(d.sites[0].stretch);
    }

    #[test]
    fn words_moved_are_printed_once() {
        // The date leads one scan's sentence and follows the subject in the
        // other's: decided apart, the text printed it twice.
        let d = run(
            &[
                "3月7日，十四届全国人大三次会议~~~~~~~~~~~在梅地亚中心",
                "-----十四届全国人大三次会议于3月7日上午10时，在梅地亚中心",
            ],
            "",
        );
        assert_eq!(d.sites.len(), 1);
        assert_eq!(chosen(&d, 0).0, "十四届全国人大三次会议于3月7日上午10时，");
        // Different words at the two places are two sites.
        let d = run(
            &[
                "据报道称，十四届全国人大三次会议~~~~~~~~~~~在梅地亚中心",
                "-----十四届全国人大三次会议于本周五的上午十点整，在梅地亚中心",
            ],
            "",
        );
        assert_eq!(d.sites.len(), 2);
    }

    #[test]
    fn openings_in_two_wordings_compete() {
        // Y asks a question X does not print, then opens the answer with
        // "王毅:"; X opens it with "王毅指出，". Printed one after the other,
        // the speaker was named twice.
        let (mut col, chars) = collation(&[
            "前文。~~~~~~~~~王毅指出，当今世界",
            "前文。问题问题吗？王毅:-----当今世界",
        ]);
        col.paragraph_ends = vec![vec![2, 11], vec![2, 8, 14]];
        let model = CharModel::train([&[][..]]);
        let views: Vec<&[char]> = chars.iter().map(Vec::as_slice).collect();
        let d = decide(&col, &views, &model, &Params::default());
        let texts = |s: &Site| -> Vec<String> {
            s.readings.iter().map(|r| r.text.iter().collect()).collect()
        };
        let site = d
            .sites
            .iter()
            .find(|s| texts(s).contains(&"王毅指出，".to_string()))
            .unwrap();
        assert!(!site.stretch);
        assert!(texts(site).contains(&"王毅:".to_string()));
        assert!(site.chosen.is_some());
        // X reads on past its opening: only the opening competes, the
        // words after it are its own and kept.
        let (mut col, chars) = collation(&[
            "前文。~~~~~~~~~王毅表示，新的话语当今世界",
            "前文。问题问题吗？王毅:---------当今世界",
        ]);
        col.paragraph_ends = vec![vec![2, 15], vec![2, 8, 15]];
        let views: Vec<&[char]> = chars.iter().map(Vec::as_slice).collect();
        let d = decide(&col, &views, &model, &Params::default());
        let chosen: Vec<String> = d
            .sites
            .iter()
            .filter_map(|s| s.chosen.map(|c| s.readings[c].text.iter().collect()))
            .collect();
        assert!(
            chosen.contains(&"新的话语".to_string()),
            "{chosen:?} {:?}",
            d.sites
        );
        assert!(
            d.sites
                .iter()
                .any(|s| texts(s).contains(&"王毅表示，".to_string())
                    && texts(s).contains(&"王毅:".to_string()))
        );
    }

    #[test]
    fn a_passage_decided_editorial_is_still_voted() {
        // One scan reads a passage, one votes it absent, a fragment reads
        // part of it differently: the passage is decided as read whole,
        // not kept column by column (which would mix in the fragment). A
        // fuzz finding: the fragment's 0 was printed for the scan's 5.
        let d = run(
            &[
                "甲乙一段只有这份报纸印了的5话丙丁",
                "甲乙-------------丙丁",
                "甲乙....这份报纸印了的0.丙丁",
            ],
            "",
        );
        assert_eq!(d.sites.len(), 1);
        assert!(!d.sites[0].stretch);
        assert_eq!(
            chosen(&d, 0),
            ("一段只有这份报纸印了的5话".into(), Rule::Editorial)
        );
    }

    #[test]
    fn tie_goes_to_the_first_document() {
        // Two readings nothing separates: not confusable, the model has
        // seen neither, the weights are equal.
        let d = run(&["甲乙丙丁", "甲戊丙丁"], "");
        assert_eq!(chosen(&d, 0), ("乙".into(), Rule::Tie));
    }
}
