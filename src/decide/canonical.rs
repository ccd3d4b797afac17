//! The canonical text of a family, with its provenance and apparatus.
//!
//! Every canonical character comes from the witnesses that support it; its
//! printed form (fullwidth or halfwidth punctuation, letter case) is the one
//! most of them print, and width-variant punctuation follows the family's
//! style. Paragraph breaks are voted too, so a paragraph that one scan splits
//! at a page break is printed whole.

use std::ops::Range;

use super::Decision;
use crate::collate::{Cell, Collation, RemovalKind};
use crate::document::Document;
use crate::fold::{Folded, WIDTH_PAIRS};
use crate::layout::Gap;
use crate::output::{
    Family, PunctuationStyle, Reading, Removed, RemovedKind, Span, Support, Variant, WitnessWeight,
};

/// A witness as the canonical text needs it: its document and folded view.
pub(crate) struct Witness<'a> {
    pub doc: &'a Document,
    pub folded: &'a Folded,
}

impl Witness<'_> {
    /// File range owned by folded positions `range`.
    fn file_range(&self, range: Range<u32>) -> (usize, usize) {
        let s = self.doc.file_offset(self.folded.own(range.start as usize));
        let e = self.doc.file_offset(self.folded.own(range.end as usize));
        (s as usize, e as usize)
    }

    fn support(&self, range: Range<u32>) -> Support {
        let (start, end) = self.file_range(range);
        Support {
            document: self.doc.id().to_owned(),
            start,
            end,
        }
    }

    /// The source text of folded character `i`: its cluster and what the
    /// folded view drops after it (up to the next character).
    fn source(&self, i: u32) -> &str {
        let (f, i) = (self.folded, i as usize);
        &self.doc.text()[f.src(i) as usize..f.own(i + 1) as usize]
    }

    /// The printed form of folded character `i`: its source cluster.
    fn surface(&self, i: u32) -> &str {
        self.source(i)
            .trim_end_matches(|c: char| crate::fold::is_dropped(c))
    }

    /// What follows folded character `i` in the source, up to the next one.
    fn gap_after(&self, i: u32) -> Gap {
        Gap::of(
            self.source(i)
                .trim_start_matches(|c: char| !c.is_whitespace()),
        )
    }
}

/// One emitted canonical character.
struct Emitted<'a> {
    surface: &'a str,
    folded: char,
    /// Where in [`Emission::cells`] the `(witness, folded position)` of the
    /// witnesses that read it lie (one list: a vector per character was most
    /// of the cost of building a long family).
    cells: Range<usize>,
    /// Voted site it belongs to.
    site: Option<usize>,
    /// Column it comes from (a site's first column for site characters).
    column: usize,
}

/// The canonical characters in order, and who reads each.
struct Emission<'a> {
    emitted: Vec<Emitted<'a>>,
    cells: Vec<(usize, u32)>,
}

impl Emission<'_> {
    fn cells_of(&self, k: usize) -> &[(usize, u32)] {
        &self.cells[self.emitted[k].cells.clone()]
    }
}

/// The canonical text laid out: the text, and the byte range of each emitted character.
struct Laid {
    text: String,
    ranges: Vec<Range<usize>>,
}

/// Build one family's output: the decided characters, their printed forms,
/// the breaks and spaces between them, then provenance and apparatus.
pub(crate) fn family(
    id: usize,
    witnesses: &[Witness<'_>],
    collation: &Collation,
    decision: &Decision,
    style: PunctuationStyle,
) -> Family {
    let mut emission = emit(witnesses, collation, decision);
    let punct = punctuation_style(witnesses, style);
    printed_forms(&mut emission, witnesses, punct);
    let laid = lay_out(&emission, witnesses, collation);
    let spans = spans(&emission, &laid, witnesses);
    let variants = apparatus(&emission, &laid, witnesses, collation, decision);
    Family {
        id,
        documents: witnesses.iter().map(|w| w.doc.id().to_owned()).collect(),
        text: laid.text,
        spans,
        variants,
        removed: removed_items(witnesses, collation),
        overlaps: Vec::new(),
        witnesses: witnesses
            .iter()
            .zip(&decision.weights)
            .map(|(w, &weight)| WitnessWeight {
                document: w.doc.id().to_owned(),
                weight: (weight * 1000.0).round() / 1000.0,
            })
            .collect(),
        punctuation: match punct {
            Punct::Full => "fullwidth",
            Punct::Half => "halfwidth",
            Punct::Keep => "as-scanned",
        },
    }
}

/// The canonical characters, in order: a column where the witnesses agree
/// gives its character, a voted site its chosen reading.
fn emit<'a>(witnesses: &[Witness<'_>], collation: &Collation, decision: &Decision) -> Emission<'a> {
    let chars = |w: usize, i: u32| witnesses[w].folded.chars[i as usize];
    let mut site_at: Vec<Option<usize>> = vec![None; collation.columns.len()];
    for (s, site) in decision.sites.iter().enumerate() {
        if !site.stretch {
            for c in site.columns.clone() {
                site_at[c] = Some(s);
            }
        }
    }
    let mut emitted: Vec<Emitted<'_>> = Vec::new();
    let mut all_cells: Vec<(usize, u32)> = Vec::new();
    let mut c = 0;
    while c < collation.columns.len() {
        match site_at[c] {
            None => {
                let from = all_cells.len();
                all_cells.extend(
                    collation.columns[c]
                        .iter()
                        .filter_map(|&(w, cell)| match cell {
                            Cell::Char(i) => Some((w, i)),
                            _ => None,
                        }),
                );
                if let Some(&(w, i)) = all_cells.get(from) {
                    emitted.push(Emitted {
                        surface: "",
                        folded: chars(w, i),
                        cells: from..all_cells.len(),
                        site: None,
                        column: c,
                    });
                }
                c += 1;
            }
            Some(s) => {
                let site = &decision.sites[s];
                let reading = &site.readings[site.chosen.expect("voted sites are decided")];
                let per_witness: Vec<Vec<u32>> = reading
                    .witnesses
                    .iter()
                    .map(|&w| site_chars(collation, site.columns.clone(), w))
                    .collect();
                for (k, &ch) in reading.text.iter().enumerate() {
                    let from = all_cells.len();
                    all_cells.extend(
                        reading
                            .witnesses
                            .iter()
                            .zip(&per_witness)
                            .filter_map(|(&w, pos)| pos.get(k).map(|&i| (w, i))),
                    );
                    emitted.push(Emitted {
                        surface: "",
                        folded: ch,
                        cells: from..all_cells.len(),
                        site: Some(s),
                        column: site.columns.start,
                    });
                }
                c = site.columns.end;
            }
        }
    }
    Emission {
        emitted,
        cells: all_cells,
    }
}

/// Each character's printed form: the one most of its readers print,
/// width-variant punctuation restyled to the family's style.
fn printed_forms<'a>(emission: &mut Emission<'a>, witnesses: &'a [Witness<'_>], punct: Punct) {
    let mut forms: Vec<(&str, usize)> = Vec::new();
    for k in 0..emission.emitted.len() {
        forms.clear();
        for &(w, i) in emission.cells_of(k) {
            let s = witnesses[w].surface(i);
            match forms.iter_mut().find(|(f, _)| *f == s) {
                Some((_, n)) => *n += 1,
                None => forms.push((s, 1)),
            }
        }
        let best = forms
            .iter()
            .max_by_key(|&&(_, n)| n)
            .map_or("", |&(f, _)| f);
        let prev_cjk = k > 0 && is_cjk(emission.emitted[k - 1].folded);
        emission.emitted[k].surface = restyle(best, punct, prev_cjk);
    }
}

/// Per witness: where its paragraphs end and start, and its next character
/// in the text (`u32::MAX` for none), over its folded positions.
struct Flow {
    para_end: Vec<Vec<bool>>,
    para_start: Vec<Vec<bool>>,
    next_in: Vec<Vec<u32>>,
}

fn flow(witnesses: &[Witness<'_>], collation: &Collation) -> Flow {
    let nw = witnesses.len();
    let per_char = |fill: bool| -> Vec<Vec<bool>> {
        (0..nw)
            .map(|w| vec![fill; witnesses[w].folded.n()])
            .collect()
    };
    let mut para_end = per_char(false);
    for (w, ends) in collation.paragraph_ends.iter().enumerate() {
        for &e in ends {
            para_end[w][e as usize] = true;
        }
    }
    let mut next_in: Vec<Vec<u32>> = (0..nw)
        .map(|w| vec![u32::MAX; witnesses[w].folded.n()])
        .collect();
    let mut para_start = per_char(false);
    let mut in_text = per_char(false);
    for col in &collation.columns {
        for &(w, cell) in col {
            if let Cell::Char(i) = cell {
                in_text[w][i as usize] = true;
            }
        }
    }
    for w in 0..nw {
        let mut prev: Option<usize> = None;
        for i in (0..in_text[w].len()).filter(|&i| in_text[w][i]) {
            match prev {
                Some(p) => {
                    next_in[w][p] = i as u32;
                    para_start[w][i] = para_end[w][p];
                }
                None => para_start[w][i] = true,
            }
            prev = Some(i);
        }
    }
    Flow {
        para_end,
        para_start,
        next_in,
    }
}

/// The text: the printed forms joined by a paragraph break, a space or
/// nothing, each voted by the witnesses that read the two characters.
fn lay_out(emission: &Emission<'_>, witnesses: &[Witness<'_>], collation: &Collation) -> Laid {
    let emitted = &emission.emitted;
    let Flow {
        para_end,
        para_start,
        next_in,
    } = flow(witnesses, collation);
    let mut text = String::with_capacity(emitted.iter().map(|e| e.surface.len() + 1).sum());
    let mut ranges: Vec<Range<usize>> = Vec::with_capacity(emitted.len());
    let mut consecutive: Vec<(usize, u32)> = Vec::new();
    for k in 0..emitted.len() {
        if k > 0 {
            let (prev, cur) = (emission.cells_of(k - 1), emission.cells_of(k));
            let prev_folded = emitted[k - 1].folded;
            // Witnesses reading both characters one after the other vote on
            // what separates them; others read something else in between.
            consecutive.clear();
            consecutive.extend(prev.iter().copied().filter(|&(w, i)| {
                cur.iter()
                    .any(|&(x, j)| x == w && next_in[w][i as usize] == j)
            }));
            // Votes on a break: witnesses reading the two one after the
            // other, whether the first ends a paragraph; and witnesses
            // reading across the first alone (a hyphen only one scan prints
            // at its line end) for a join, where what they read before it
            // does not end a paragraph (where it does, they cannot tell on
            // which side of the first the break goes).
            let breaks = consecutive
                .iter()
                .filter(|&&(w, i)| para_end[w][i as usize])
                .count();
            let mut joins = consecutive.len() - breaks;
            let before_prev = if k > 1 {
                emission.cells_of(k - 2)
            } else {
                &[][..]
            };
            for &(x, p) in before_prev {
                let j = next_in[x][p as usize];
                if !para_end[x][p as usize]
                    && !prev.iter().any(|&(w, _)| w == x)
                    && cur.contains(&(x, j))
                {
                    joins += 1;
                }
            }
            let brk = if breaks + joins == 0 {
                // Nobody reads the two together: break where what comes
                // before ends a paragraph, or where a paragraph starts after
                // a finished sentence.
                prev.iter().any(|&(w, i)| para_end[w][i as usize])
                    || cur.iter().any(|&(w, j)| para_start[w][j as usize])
                        && crate::segment::ends_sentence(prev_folded)
            } else {
                breaks > joins || (breaks == joins && crate::segment::ends_sentence(prev_folded))
            };
            if brk {
                text.push('\n');
            } else {
                // A line break inside a paragraph reads as the script's
                // joiner (a space between words of spaced scripts).
                let before = emitted[k - 1]
                    .surface
                    .chars()
                    .next_back()
                    .unwrap_or(prev_folded);
                let after = emitted[k]
                    .surface
                    .chars()
                    .next()
                    .unwrap_or(emitted[k].folded);
                let space = |w: usize, i: u32| {
                    crate::layout::reads_as_space(witnesses[w].gap_after(i), before, after)
                };
                let spaced = if consecutive.is_empty() {
                    // No witness reads the two together (each side is some
                    // witnesses' reading): a space where most of the readers
                    // of either side read one on their side.
                    let sides: Vec<bool> = prev
                        .iter()
                        .map(|&(w, i)| space(w, i))
                        .chain(cur.iter().map(|&(w, j)| j > 0 && space(w, j - 1)))
                        .collect();
                    sides.iter().filter(|&&s| s).count() * 2 > sides.len()
                } else {
                    let n = consecutive.iter().filter(|&&(w, i)| space(w, i)).count();
                    n * 2 > consecutive.len()
                };
                if spaced {
                    text.push(' ');
                }
            }
        }
        let start = text.len();
        text.push_str(emitted[k].surface);
        ranges.push(start..text.len());
    }
    Laid { text, ranges }
}

/// Spans: runs read contiguously by the same witnesses.
fn spans(emission: &Emission<'_>, laid: &Laid, witnesses: &[Witness<'_>]) -> Vec<Span> {
    let emitted = &emission.emitted;
    let mut spans = Vec::new();
    let mut k = 0;
    while k < emitted.len() {
        let mut e = k + 1;
        while e < emitted.len()
            && emitted[e].site == emitted[k].site
            && emitted[e].cells.len() == emitted[e - 1].cells.len()
            && emission
                .cells_of(e)
                .iter()
                .zip(emission.cells_of(e - 1))
                .all(|(&(w, i), &(pw, pi))| w == pw && i == pi + 1)
        {
            e += 1;
        }
        let mut support: Vec<Support> = emission
            .cells_of(k)
            .iter()
            .zip(emission.cells_of(e - 1))
            .map(|(&(w, i), &(_, j))| witnesses[w].support(i..j + 1))
            .collect();
        support.sort();
        spans.push(Span {
            start: laid.ranges[k].start,
            end: laid.ranges[e - 1].end,
            support,
        });
        k = e;
    }
    spans
}

/// The apparatus: every site with its readings, where each is read, and
/// where the chosen one stands in the text.
fn apparatus(
    emission: &Emission<'_>,
    laid: &Laid,
    witnesses: &[Witness<'_>],
    collation: &Collation,
    decision: &Decision,
) -> Vec<Variant> {
    let (emitted, text, ranges) = (&emission.emitted, &laid.text, &laid.ranges);
    let mut first_emitted: Vec<Option<usize>> = vec![None; decision.sites.len()];
    let mut last_emitted: Vec<Option<usize>> = vec![None; decision.sites.len()];
    for (k, e) in emitted.iter().enumerate() {
        if let Some(s) = e.site {
            first_emitted[s].get_or_insert(k);
            last_emitted[s] = Some(k);
        }
    }
    // Canonical byte offset of each column (for editorial sites and empty readings).
    let mut column_offset = vec![text.len(); collation.columns.len() + 1];
    {
        let mut k = 0;
        for (c, slot) in column_offset
            .iter_mut()
            .enumerate()
            .take(collation.columns.len())
        {
            while k < emitted.len() && emitted[k].column < c {
                k += 1;
            }
            if k < ranges.len() {
                *slot = ranges[k].start;
            }
        }
    }
    let mut variants = Vec::new();
    for (s, site) in decision.sites.iter().enumerate() {
        let (start, end) = if site.stretch {
            let start = column_offset[site.columns.start];
            let end = if site.columns.end < collation.columns.len() {
                last_before(ranges, column_offset[site.columns.end]).max(start)
            } else {
                text.len()
            };
            (start, end)
        } else {
            match (first_emitted[s], last_emitted[s]) {
                (Some(a), Some(b)) => (ranges[a].start, ranges[b].end),
                _ => {
                    let at = column_offset[site.columns.start];
                    (at, at)
                }
            }
        };
        let readings = site
            .readings
            .iter()
            .enumerate()
            .map(|(ri, r)| {
                let mut support = Vec::new();
                let mut printed = String::new();
                for (n, &w) in r.witnesses.iter().enumerate() {
                    let pos = site_chars(collation, site.columns.clone(), w);
                    if n == 0 {
                        printed = pos.iter().map(|&i| witnesses[w].surface(i)).collect();
                    }
                    // In reading order, so the ranges of each document,
                    // joined, read the reading.
                    for run in runs(&pos) {
                        support.push(witnesses[w].support(run));
                    }
                }
                Reading {
                    text: printed,
                    documents: r
                        .witnesses
                        .iter()
                        .map(|&w| witnesses[w].doc.id().to_owned())
                        .collect(),
                    support,
                    // In an editorial stretch every reading with text is
                    // printed (the stretch joins them); elsewhere one is.
                    chosen: if site.stretch {
                        !r.text.is_empty()
                    } else {
                        Some(ri) == site.chosen
                    },
                    partial: !r.votes,
                }
            })
            .collect();
        variants.push(Variant {
            start,
            end,
            chosen: text[start..end].to_owned(),
            readings,
            rule: site.rule,
        });
    }
    variants
}

/// The stretches layout and collation set aside, with their reasons, in
/// document order.
fn removed_items(witnesses: &[Witness<'_>], collation: &Collation) -> Vec<Removed> {
    let mut removed: Vec<Removed> = collation
        .removed
        .iter()
        .map(|r| {
            let (start, end) = witnesses[r.witness].file_range(r.range.clone());
            let (kind, reason) = match r.kind {
                RemovalKind::Duplicate => (RemovedKind::Duplicate, None),
                RemovalKind::Fragment => (RemovedKind::Fragment, None),
                RemovalKind::Debris(d) => (RemovedKind::Debris, Some(d)),
            };
            Removed {
                document: witnesses[r.witness].doc.id().to_owned(),
                start,
                end,
                kind,
                reason,
                of: r
                    .of
                    .as_ref()
                    .map(|(w, range)| witnesses[*w].support(range.clone())),
            }
        })
        .collect();
    removed.sort_by(|a, b| (&a.document, a.start).cmp(&(&b.document, b.start)));
    removed
}

/// The byte offset where the text before `offset` ends (skipping a separator).
fn last_before(ranges: &[Range<usize>], offset: usize) -> usize {
    let k = ranges.partition_point(|r| r.end <= offset);
    if k == 0 { 0 } else { ranges[k - 1].end }
}

/// Positions read by witness `w` in columns `cols`, in column order.
fn site_chars(collation: &Collation, cols: Range<usize>, w: usize) -> Vec<u32> {
    collation.columns[cols]
        .iter()
        .flat_map(|col| {
            col.iter().filter_map(move |&(x, cell)| match cell {
                Cell::Char(i) if x == w => Some(i),
                _ => None,
            })
        })
        .collect()
}

/// Contiguous runs of sorted-or-not positions, as ranges.
fn runs(pos: &[u32]) -> Vec<Range<u32>> {
    let mut out: Vec<Range<u32>> = Vec::new();
    for &i in pos {
        match out.last_mut() {
            Some(r) if r.end == i => r.end += 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Punct {
    Full,
    Half,
    Keep,
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{3000}'..='\u{303F}' | '“' | '”' | '‘' | '’')
}

/// The family's punctuation style: each document votes with the style it
/// mostly prints after Chinese characters.
fn punctuation_style(witnesses: &[Witness<'_>], style: PunctuationStyle) -> Punct {
    match style {
        PunctuationStyle::Fullwidth => return Punct::Full,
        PunctuationStyle::Halfwidth => return Punct::Half,
        PunctuationStyle::AsScanned => return Punct::Keep,
        PunctuationStyle::Majority => {}
    }
    let (mut full_docs, mut half_docs) = (0, 0);
    for w in witnesses {
        let (mut full, mut half) = (0, 0);
        let mut prev = ' ';
        for c in w.doc.text().chars() {
            if is_cjk(prev) {
                if WIDTH_PAIRS.iter().any(|&(_, f)| f == c) {
                    full += 1;
                } else if WIDTH_PAIRS.iter().any(|&(h, _)| h == c) {
                    half += 1;
                }
            }
            prev = c;
        }
        if full + half > 0 {
            if full >= half {
                full_docs += 1;
            } else {
                half_docs += 1;
            }
        }
    }
    if full_docs + half_docs == 0 {
        Punct::Keep
    } else if full_docs >= half_docs {
        Punct::Full
    } else {
        Punct::Half
    }
}

fn restyle(surface: &str, punct: Punct, prev_cjk: bool) -> &str {
    // The pairs of WIDTH_PAIRS as strings, so that no form is allocated.
    const HALF: [&str; 7] = [",", ":", ";", "!", "?", "(", ")"];
    const FULL: [&str; 7] = ["，", "：", "；", "！", "？", "（", "）"];
    let mut chars = surface.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return surface;
    };
    let to = match punct {
        Punct::Keep => return surface,
        Punct::Full if prev_cjk => WIDTH_PAIRS
            .iter()
            .position(|&(h, _)| h == c)
            .map(|k| FULL[k]),
        Punct::Half => WIDTH_PAIRS
            .iter()
            .position(|&(_, f)| f == c)
            .map(|k| HALF[k]),
        Punct::Full => None,
    };
    to.unwrap_or(surface)
}
