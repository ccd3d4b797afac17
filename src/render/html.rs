//! HTML report: one self-contained page (inline CSS and script, nothing
//! fetched) showing each family's canonical text with every variant site
//! highlighted by the rule that decided it, the readings behind each site in
//! a side panel, and what was removed from each document and why.
//!
//! The page is built in one pass over the text: variants are placed once,
//! sorted by start, and the readings travel as one JSON blob that the script
//! reads on demand, so the DOM holds one element per variant whatever their
//! number. Helpers shared with the TEI writer (escaping, placement, the
//! chosen reading) live here too.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::document::{Document, Encoding};
use crate::output::{
    DocumentInfo, Family, Reading, Reconciliation, RemovedKind, Rule, Support, Variant,
};

impl Reconciliation {
    /// A self-contained HTML report (one page, no network access): each
    /// family's canonical text with its variant sites highlighted by rule,
    /// the readings of a site and the documents reading each on hover or
    /// click, and per document the stretches removed (duplicates, fragments,
    /// debris) with an excerpt and what they repeat.
    ///
    /// Excerpts are read from the files named in [`DocumentInfo::path`];
    /// a file that cannot be read, or whose size changed since, is reported
    /// as unavailable. For documents built in memory, use
    /// [`Reconciliation::to_html_with`].
    pub fn to_html(&self) -> String {
        let sources = self
            .documents
            .iter()
            .map(|info| (info.id.as_str(), Source::from_info(info)))
            .collect();
        render(self, &sources)
    }

    /// As [`Reconciliation::to_html`], taking the documents' text from
    /// `documents` (the ones reconciled) rather than from their files; a
    /// document missing from the slice is read from its file.
    pub fn to_html_with(&self, documents: &[Document]) -> String {
        let given: HashMap<&str, &Document> = documents.iter().map(|d| (d.id(), d)).collect();
        let sources = self
            .documents
            .iter()
            .map(|info| {
                let source = match given.get(info.id.as_str()) {
                    Some(doc) if doc.len() == info.bytes => Source::from_document(doc),
                    _ => Source::from_info(info),
                };
                (info.id.as_str(), source)
            })
            .collect();
        render(self, &sources)
    }
}

// ---------------------------------------------------------------------------
// Shared with the TEI writer.

/// Escape text for HTML or XML content and attribute values. Characters XML
/// 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) become U+FFFD; a carriage
/// return is written as a reference so that parsers do not normalise it away.
pub(super) fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// [`escape_into`], returning a new string.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(&mut out, s);
    out
}

/// Index of the reading the canonical text follows: the one flagged
/// `chosen`, else the only reading whose folded text equals the printed text.
pub(super) fn chosen_reading(v: &Variant) -> Option<usize> {
    let flagged: Vec<usize> = (0..v.readings.len())
        .filter(|&i| v.readings[i].chosen)
        .collect();
    if let [i] = flagged[..] {
        return Some(i);
    }
    let target = crate::fold::fold(&v.chosen).chars;
    let mut matching =
        (0..v.readings.len()).filter(|&i| crate::fold::fold(&v.readings[i].text).chars == target);
    match (matching.next(), matching.next()) {
        (Some(i), None) => Some(i),
        _ => None,
    }
}

/// A variant (or part of one) placed in the canonical text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Placed {
    /// Index of the item placed (in the slice given to [`place`]).
    pub item: usize,
    pub start: usize,
    /// End, cut back to the end of the enclosing item when the item crosses
    /// it (so that the markup nests).
    pub end: usize,
    /// True when `end` was cut back.
    pub clamped: bool,
}

/// Place ranges of `text` so that they nest: sorted by start, omissions
/// (empty ranges) before the ranges starting at the same place, longer
/// ranges outside shorter ones. A range that crosses the end of an enclosing
/// one is cut back to it. Ranges that are out of bounds or not on character
/// boundaries are returned apart (by item index), never placed.
pub(super) fn place(text: &str, ranges: &[(usize, usize)]) -> (Vec<Placed>, Vec<usize>) {
    let mut ok = Vec::with_capacity(ranges.len());
    let mut bad = Vec::new();
    for (item, &(start, end)) in ranges.iter().enumerate() {
        if start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
        {
            ok.push((item, start, end));
        } else {
            bad.push(item);
        }
    }
    ok.sort_by_key(|&(item, start, end)| (start, end > start, std::cmp::Reverse(end), item));
    let mut placed = Vec::with_capacity(ok.len());
    let mut open: Vec<usize> = Vec::new();
    for (item, start, end) in ok {
        while open.last().is_some_and(|&e| e <= start) {
            open.pop();
        }
        let limit = open.last().copied().unwrap_or(usize::MAX);
        let clamped = end > limit;
        let end = end.min(limit);
        if end > start {
            open.push(end);
        }
        placed.push(Placed {
            item,
            start,
            end,
            clamped,
        });
    }
    (placed, bad)
}

/// True if most letters of `text` (sampled) are Han characters.
pub(super) fn is_chinese(text: &str) -> bool {
    let (mut han, mut letters) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()).take(2000) {
        letters += 1;
        if matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
        {
            han += 1;
        }
    }
    letters > 0 && han * 2 > letters
}

/// A short description of each rule, for legends.
pub(super) fn rule_description(rule: Rule) -> &'static str {
    match rule {
        Rule::Majority => "most witnesses read it, and their weights agree",
        Rule::Weighted => "the witnesses' learned reliability outvoted a plain count",
        Rule::LanguageModel => "a tie, or two witnesses: the corpus character model preferred it",
        Rule::Confusable => "the readings differ by characters OCR confuses; the commoner won",
        Rule::OcrError => {
            "the readings differ by a doubled or dropped character; the error was undone"
        }
        Rule::SoleWitness => {
            "only one witness reads the whole site; the others read part of it or none"
        }
        Rule::Editorial => "text some witnesses have and others pass over; kept once",
        Rule::Tie => "nothing separated the readings; the first document's was kept",
    }
}

/// Every rule, in legend order (noisiest decisions last).
pub(super) const RULES: [Rule; 8] = [
    Rule::Majority,
    Rule::Weighted,
    Rule::LanguageModel,
    Rule::Confusable,
    Rule::OcrError,
    Rule::SoleWitness,
    Rule::Tie,
    Rule::Editorial,
];

// ---------------------------------------------------------------------------
// Original texts.

/// One original document as the report reads it: its decoded text and a map
/// from byte offsets of the file (as provenance gives them) to the text.
struct Source<'a> {
    text: Cow<'a, str>,
    /// Checkpoints `(text offset, file offset)`, increasing in both; from
    /// each, text and file advance byte for byte up to the next one when the
    /// character at the checkpoint is encoded alike in both.
    map: Vec<(usize, usize)>,
    file_len: usize,
}

/// Builds a [`Source`] map character by character.
struct MapBuilder {
    map: Vec<(usize, usize)>,
    file: usize,
    run: bool,
}

impl MapBuilder {
    fn new(base: usize) -> MapBuilder {
        MapBuilder {
            map: Vec::new(),
            file: base,
            run: false,
        }
    }

    /// Character `c` at text offset `offset` takes `width` bytes of the file.
    fn push(&mut self, offset: usize, c: char, width: usize) {
        let same = width == c.len_utf8();
        if !(same && self.run) {
            self.map.push((offset, self.file));
        }
        self.run = same;
        self.file += width;
    }

    fn finish(mut self, text: Cow<'_, str>, base: usize) -> Source<'_> {
        if self.map.is_empty() {
            self.map.push((0, base));
        }
        Source {
            text,
            map: self.map,
            file_len: self.file,
        }
    }
}

impl<'a> Source<'a> {
    /// From a document in memory: its file's layout follows from its encoding.
    fn from_document(doc: &'a Document) -> Option<Source<'a>> {
        let text = doc.text();
        let (base, width): (usize, fn(char) -> usize) = match doc.encoding() {
            Encoding::Utf8 => (0, char::len_utf8),
            Encoding::Utf8Bom => (3, char::len_utf8),
            Encoding::Utf16Le | Encoding::Utf16Be => (2, |c| c.len_utf16() * 2),
            Encoding::Gb18030 => (0, gb18030_width),
            // Which bytes each U+FFFD replaced is only in the file.
            _ => {
                let bytes = std::fs::read(doc.path()?).ok()?;
                return (bytes.len() == doc.len())
                    .then(|| Source::decode(bytes, doc.encoding().name()))
                    .flatten();
            }
        };
        let mut b = MapBuilder::new(base);
        for (offset, c) in text.char_indices() {
            b.push(offset, c, width(c));
        }
        let source = b.finish(Cow::Borrowed(text), base);
        (source.file_len == doc.len()).then_some(source)
    }

    /// From the file named in the output, if it is still the size it was.
    fn from_info(info: &DocumentInfo) -> Option<Source<'static>> {
        let bytes = std::fs::read(info.path.as_deref()?).ok()?;
        if bytes.len() != info.bytes {
            return None;
        }
        Source::decode(bytes, info.encoding)
    }

    /// Decode file bytes the way the library did (`encoding` is its name).
    fn decode(bytes: Vec<u8>, encoding: &str) -> Option<Source<'static>> {
        match encoding {
            "utf-16le" | "utf-16be" => {
                let body = bytes.get(2..)?;
                let big = encoding == "utf-16be";
                let units = body.chunks(2).map(|c| {
                    let pair = [c[0], *c.get(1).unwrap_or(&0)];
                    if big {
                        u16::from_be_bytes(pair)
                    } else {
                        u16::from_le_bytes(pair)
                    }
                });
                let mut text = String::with_capacity(body.len());
                let mut b = MapBuilder::new(2);
                for r in char::decode_utf16(units) {
                    let (c, width) = match r {
                        Ok(c) => (c, c.len_utf16() * 2),
                        Err(_) => ('\u{FFFD}', 2),
                    };
                    b.push(text.len(), c, width);
                    text.push(c);
                }
                Some(b.finish(Cow::Owned(text), 2))
            }
            "gb18030" => {
                let (cow, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
                if had_errors {
                    return None;
                }
                let text = cow.into_owned();
                let mut b = MapBuilder::new(0);
                for (offset, c) in text.char_indices() {
                    // The width of each sequence, by its lead and second bytes.
                    let lead = *bytes.get(b.file)?;
                    let width = if lead <= 0x80 || lead == 0xFF {
                        1
                    } else if bytes.get(b.file + 1).is_some_and(|x| x.is_ascii_digit()) {
                        4
                    } else {
                        2
                    };
                    b.push(offset, c, width);
                }
                let source = b.finish(Cow::Owned(text), 0);
                (source.file_len == bytes.len()).then_some(source)
            }
            _ => {
                // UTF-8, with or without a BOM, invalid sequences as U+FFFD.
                let base = if bytes.starts_with(b"\xEF\xBB\xBF") {
                    3
                } else {
                    0
                };
                let mut text = String::with_capacity(bytes.len());
                let mut b = MapBuilder::new(base);
                for chunk in bytes[base..].utf8_chunks() {
                    for c in chunk.valid().chars() {
                        b.push(text.len(), c, c.len_utf8());
                        text.push(c);
                    }
                    if !chunk.invalid().is_empty() {
                        b.push(text.len(), '\u{FFFD}', chunk.invalid().len());
                        text.push('\u{FFFD}');
                    }
                }
                Some(b.finish(Cow::Owned(text), base))
            }
        }
    }

    /// The text offset of file offset `file`, if it falls on a character.
    fn text_offset(&self, file: usize) -> Option<usize> {
        if file == self.file_len {
            return Some(self.text.len());
        }
        let k = self
            .map
            .partition_point(|&(_, f)| f <= file)
            .checked_sub(1)?;
        let (t, f) = self.map[k];
        let d = file - f;
        let t = if d == 0 {
            t
        } else {
            let (nt, nf) = self
                .map
                .get(k + 1)
                .copied()
                .unwrap_or((self.text.len(), self.file_len));
            // Inside a run mapped byte for byte, or nowhere.
            if nt - t != nf - f || d >= nt - t {
                return None;
            }
            t + d
        };
        self.text.is_char_boundary(t).then_some(t)
    }

    /// The text of file range `start..end`.
    fn slice(&self, start: usize, end: usize) -> Option<&str> {
        let (s, e) = (self.text_offset(start)?, self.text_offset(end)?);
        self.text.get(s..e)
    }

    /// File range `start..end` with up to `n` characters either side.
    fn context(&self, start: usize, end: usize, n: usize) -> Option<[&str; 3]> {
        let (s, e) = (self.text_offset(start)?, self.text_offset(end)?);
        let text: &str = &self.text;
        let before = text
            .get(..s)?
            .char_indices()
            .rev()
            .nth(n.saturating_sub(1))
            .map_or(0, |(i, _)| i);
        let after = text
            .get(e..)?
            .char_indices()
            .nth(n)
            .map_or(text.len(), |(i, _)| e + i);
        Some([&text[before..s], text.get(s..e)?, &text[e..after]])
    }
}

/// Bytes of `c` in GB18030.
fn gb18030_width(c: char) -> usize {
    if c.is_ascii() {
        return 1;
    }
    let mut buf = [0u8; 4];
    let s = c.encode_utf8(&mut buf);
    let mut out = [0u8; 8];
    let mut encoder = encoding_rs::GB18030.new_encoder();
    let (_, _, written) = encoder.encode_from_utf8_without_replacement(s, &mut out, true);
    if written == 0 { 2 } else { written }
}

/// One line of an excerpt: a run of whitespace becomes one space, or one ⏎
/// if it holds a line break; cut to `max` characters.
fn one_line(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    let mut gap: Option<bool> = None; // pending whitespace run: holds a break?
    for c in s.chars() {
        if c.is_whitespace() {
            let brk = gap.unwrap_or(false) || c == '\n' || c == '\r';
            gap = Some(brk);
            continue;
        }
        if n >= max {
            out.push('…');
            return out;
        }
        match gap.take() {
            Some(true) => out.push_str(" ⏎ "),
            Some(false) if !out.is_empty() => out.push(' '),
            _ => {}
        }
        out.push(c);
        n += 1;
    }
    match gap {
        Some(true) => out.push_str(" ⏎"),
        Some(false) if !out.is_empty() => out.push(' '),
        _ => {}
    }
    out
}

/// At most `max` characters of `s`, and the number of characters cut.
fn truncate(s: &str, max: usize) -> (&str, usize) {
    match s.char_indices().nth(max) {
        Some((i, _)) => (&s[..i], s[i..].chars().count()),
        None => (s, 0),
    }
}

// ---------------------------------------------------------------------------
// The page.

type Sources<'a> = BTreeMap<&'a str, Option<Source<'a>>>;

/// Characters of a long reading kept in the page.
const READING_CHARS: usize = 300;
/// Characters of context either side of a reading.
const CONTEXT_CHARS: usize = 16;

fn render(r: &Reconciliation, sources: &Sources<'_>) -> String {
    let mut out = String::with_capacity(
        r.families
            .iter()
            .map(|f| f.text.len() * 2 + f.variants.len() * 200)
            .sum::<usize>()
            + 64 * 1024,
    );
    let doc_index: HashMap<&str, usize> = r
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let family_of: HashMap<&str, usize> = r
        .families
        .iter()
        .flat_map(|f| f.documents.iter().map(move |d| (d.as_str(), f.id)))
        .collect();
    let mut counts: BTreeMap<Rule, usize> = BTreeMap::new();
    let mut omissions = 0;
    for v in r.families.iter().flat_map(|f| &f.variants) {
        *counts.entry(v.rule).or_default() += 1;
        omissions += usize::from(v.start == v.end);
    }
    let total_variants: usize = r.families.iter().map(|f| f.variants.len()).sum();
    let total_removed: usize = r.families.iter().map(|f| f.removed.len()).sum();
    let chinese = r.families.iter().any(|f| is_chinese(&f.text));

    out.push_str("<!DOCTYPE html>\n<html lang=\"");
    out.push_str(if chinese { "zh-Hans" } else { "und" });
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>reprint report</title>\n<style>\n");
    out.push_str(CSS);
    for rule in RULES {
        let n = rule.name();
        let _ = writeln!(
            out,
            "body.hide-{n} .v.r-{n}{{background:none;border-bottom-color:transparent;pointer-events:none}}body.hide-{n} .v.om.r-{n}{{display:none}}"
        );
    }
    out.push_str(
        "</style>\n</head>\n<body>\n<div class=\"wrap\">\n<header>\n<h1>reprint report</h1>\n",
    );
    let _ = writeln!(
        out,
        "<p class=\"summary\">{} documents · {} families · {} variant sites · {} removed stretches</p>",
        r.documents.len(),
        r.families.len(),
        total_variants,
        total_removed
    );
    // Legend and filter.
    out.push_str("<div class=\"legend\" id=\"legend\">\n");
    for rule in RULES {
        let n = rule.name();
        let _ = writeln!(
            out,
            "<label title=\"{}\"><input type=\"checkbox\" checked data-rule=\"{n}\"><span class=\"v sw r-{n}\">{n}</span> <span class=\"count\">{}</span></label>",
            escape(rule_description(rule)),
            counts.get(&rule).copied().unwrap_or(0)
        );
    }
    let _ = writeln!(
        out,
        "<span class=\"note\"><span class=\"v om sw-om\"></span> omitted here ({omissions}) · hover a site for its readings, click to pin · Esc closes</span>"
    );
    out.push_str("</div>\n");
    // Documents.
    out.push_str("<details class=\"docs\"><summary>Documents</summary>\n<table>\n<tr><th>document</th><th>family</th><th>encoding</th><th>bytes</th><th>path</th><th>text</th></tr>\n");
    for d in &r.documents {
        let fam = family_of.get(d.id.as_str());
        let _ = writeln!(
            out,
            "<tr><td class=\"id\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"path\">{}</td><td>{}</td></tr>",
            escape(&d.id),
            fam.map_or_else(|| "–".to_owned(), |f| format!("<a href=\"#f{f}\">{f}</a>")),
            escape(d.encoding),
            d.bytes,
            escape(d.path.as_deref().unwrap_or("(in memory)")),
            if matches!(sources.get(d.id.as_str()), Some(Some(_))) {
                "read"
            } else {
                "<span class=\"warn\">unavailable</span>"
            }
        );
    }
    out.push_str("</table></details>\n");
    if r.families.len() > 1 {
        out.push_str("<nav>");
        for f in &r.families {
            let _ = write!(
                out,
                "<a href=\"#f{0}\">family {0}</a> <span class=\"count\">({1} docs, {2} variants)</span> ",
                f.id,
                f.documents.len(),
                f.variants.len()
            );
        }
        out.push_str("</nav>\n");
    }
    out.push_str("</header>\n<main>\n");
    let mut data_families = Vec::with_capacity(r.families.len());
    for f in &r.families {
        data_families.push(family_html(&mut out, f, sources, &doc_index));
    }
    out.push_str("</main>\n</div>\n<aside id=\"panel\"><div class=\"hint\">Hover a highlighted site to see its readings; click to pin it.</div></aside>\n");
    let data = json!({
        "docs": r.documents.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        "rules": RULES.iter().map(|r| (r.name(), rule_description(*r))).collect::<BTreeMap<_, _>>(),
        "families": data_families,
    });
    out.push_str("<script type=\"application/json\" id=\"reprint-data\">");
    // JSON escapes nothing HTML cares about: keep `</script>` and `<!--`
    // out of the element (`<` occurs in JSON only inside strings).
    out.push_str(&data.to_string().replace('<', "\\u003c"));
    out.push_str("</script>\n<script>\n");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

/// Write one family's section; return its data for the script.
fn family_html(
    out: &mut String,
    f: &Family,
    sources: &Sources<'_>,
    doc_index: &HashMap<&str, usize>,
) -> Value {
    let fid = f.id;
    let lang = if is_chinese(&f.text) {
        "zh-Hans"
    } else {
        "und"
    };
    let _ = writeln!(
        out,
        "<section class=\"family\" id=\"f{fid}\">\n<h2>Family {fid} <small>{} documents · {} variant sites · {} removed · {} characters · punctuation {}</small></h2>",
        f.documents.len(),
        f.variants.len(),
        f.removed.len(),
        f.text.chars().count(),
        escape(f.punctuation)
    );
    // Documents and weights.
    let weight: HashMap<&str, f64> = f
        .witnesses
        .iter()
        .map(|w| (w.document.as_str(), w.weight))
        .collect();
    let max_weight = f
        .witnesses
        .iter()
        .map(|w| w.weight)
        .filter(|w| w.is_finite())
        .fold(0.0f64, f64::max);
    out.push_str("<table class=\"witnesses\">\n<tr><th>document</th><th>weight</th><th></th><th>removed</th></tr>\n");
    for d in &f.documents {
        let w = weight.get(d.as_str()).copied();
        let bar = match w {
            Some(w) if w.is_finite() && max_weight > 0.0 => {
                (w.max(0.0) / max_weight * 100.0).round()
            }
            _ => 0.0,
        };
        let removed = f.removed.iter().filter(|r| &r.document == d).count();
        let _ = writeln!(
            out,
            "<tr><td class=\"id\">{}</td><td class=\"num\">{}</td><td class=\"barcell\"><span class=\"bar\" style=\"width:{bar}%\"></span></td><td class=\"num\">{removed}</td></tr>",
            escape(d),
            w.map_or_else(|| "–".to_owned(), |w| format!("{w:.3}")),
        );
    }
    out.push_str("</table>\n");

    // The text, variant sites marked.
    let ranges: Vec<(usize, usize)> = f.variants.iter().map(|v| (v.start, v.end)).collect();
    let (placed, unplaced) = place(&f.text, &ranges);
    let _ = write!(out, "<div class=\"text\" lang=\"{lang}\">\n<p>");
    let open_tag = |out: &mut String, p: &Placed, first: bool| {
        let v = &f.variants[p.item];
        let n = v.rule.name();
        let i = p.item;
        let _ = write!(out, "<span class=\"v r-{n}");
        if !first {
            out.push_str(" cont");
        }
        if p.start == p.end {
            out.push_str(" om");
        }
        out.push('"');
        if first {
            let _ = write!(out, " id=\"v{fid}-{i}\"");
        }
        let _ = write!(out, " data-v=\"{fid}-{i}\">");
    };
    // Indices into `placed` of the sites open at the current position.
    let mut stack: Vec<usize> = Vec::new();
    let mut next = 0;
    let text = &f.text;
    let mut flush_events = |out: &mut String, stack: &mut Vec<usize>, at: usize| {
        while stack.last().is_some_and(|&k| placed[k].end <= at) {
            stack.pop();
            out.push_str("</span>");
        }
        while next < placed.len() && placed[next].start == at {
            let p = &placed[next];
            open_tag(out, p, true);
            if p.start == p.end {
                out.push_str("</span>");
            } else {
                stack.push(next);
            }
            next += 1;
        }
    };
    for (i, c) in text.char_indices() {
        flush_events(out, &mut stack, i);
        if c == '\n' {
            // Paragraphs do not nest in spans: close what is open, reopen after.
            for _ in 0..stack.len() {
                out.push_str("</span>");
            }
            out.push_str("</p>\n<p>");
            for &k in &stack {
                open_tag(out, &placed[k], false);
            }
        } else {
            let mut buf = [0u8; 4];
            escape_into(out, c.encode_utf8(&mut buf));
        }
    }
    flush_events(out, &mut stack, text.len());
    for _ in 0..stack.len() {
        out.push_str("</span>");
    }
    out.push_str("</p>\n</div>\n");
    if !unplaced.is_empty() {
        // Offsets that do not fit the text: listed, never dropped silently.
        let _ = write!(
            out,
            "<p class=\"warn\">{} variant sites have offsets outside the text or inside a character:",
            unplaced.len()
        );
        for &i in &unplaced {
            let v = &f.variants[i];
            let _ = write!(
                out,
                " <span class=\"v r-{0}\" id=\"v{fid}-{i}\" data-v=\"{fid}-{i}\">#{i} ({1}–{2})</span>",
                v.rule.name(),
                v.start,
                v.end
            );
        }
        out.push_str("</p>\n");
    }

    // Removed stretches, per document.
    if !f.removed.is_empty() {
        let _ = writeln!(
            out,
            "<h3 id=\"f{fid}-removed\">Removed from the documents</h3>"
        );
    }
    for d in &f.documents {
        let items: Vec<_> = f.removed.iter().filter(|r| &r.document == d).collect();
        if items.is_empty() {
            continue;
        }
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &items {
            *kinds.entry(kind_name(r.kind)).or_default() += 1;
        }
        let summary: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let _ = writeln!(
            out,
            "<details class=\"removed\"{}><summary><span class=\"id\">{}</span> — {} removed ({})</summary>\n<table>\n<tr><th>kind</th><th>bytes</th><th>removed text</th><th>repeats</th></tr>",
            if items.len() <= 40 { " open" } else { "" },
            escape(d),
            items.len(),
            summary.join(", ")
        );
        let source = sources.get(d.as_str()).and_then(Option::as_ref);
        for r in items {
            let kind = kind_name(r.kind);
            let reason = r.reason.map(|k| k.name()).unwrap_or("");
            let excerpt = source.and_then(|s| s.slice(r.start, r.end));
            let _ = write!(
                out,
                "<tr><td class=\"kindcell\"><span class=\"kind k-{kind}\">{kind}</span> <span class=\"reason\">{}</span></td><td class=\"num\">{}–{}</td><td class=\"excerpt\">{}</td><td class=\"excerpt\">",
                escape(reason),
                r.start,
                r.end,
                excerpt.map_or_else(
                    || "<span class=\"warn\">(text unavailable)</span>".to_owned(),
                    |s| escape(&one_line(s.trim(), 160))
                )
            );
            if let Some(of) = &r.of {
                let _ = write!(
                    out,
                    "<span class=\"id\">{}</span> {}–{}",
                    escape(&of.document),
                    of.start,
                    of.end
                );
                let of_text = sources
                    .get(of.document.as_str())
                    .and_then(Option::as_ref)
                    .and_then(|s| s.slice(of.start, of.end));
                if let Some(t) = of_text {
                    let _ = write!(out, "<br>{}", escape(&one_line(t.trim(), 80)));
                }
            }
            out.push_str("</td></tr>\n");
        }
        out.push_str("</table></details>\n");
    }
    if !f.overlaps.is_empty() {
        let _ = writeln!(
            out,
            "<details class=\"overlaps\"><summary>{} passages shared with other families</summary>\n<table>\n<tr><th>document</th><th>bytes</th><th>shared with</th><th>text</th></tr>",
            f.overlaps.len()
        );
        for o in &f.overlaps {
            let excerpt = sources
                .get(o.document.as_str())
                .and_then(Option::as_ref)
                .and_then(|s| s.slice(o.start, o.end));
            let _ = writeln!(
                out,
                "<tr><td class=\"id\">{}</td><td class=\"num\">{}–{}</td><td><span class=\"id\">{}</span> {}–{} (<a href=\"#f{3}\">family {}</a>)</td><td class=\"excerpt\">{}</td></tr>",
                escape(&o.document),
                o.start,
                o.end,
                escape(&o.with.document),
                o.with.start,
                o.with.end,
                o.family,
                excerpt.map_or_else(String::new, |s| escape(&one_line(s.trim(), 80)))
            );
        }
        out.push_str("</table></details>\n");
    }
    out.push_str("</section>\n");

    json!({
        "docs": f.documents.iter().map(|d| json!([doc_index.get(d.as_str()), weight.get(d.as_str())])).collect::<Vec<_>>(),
        "variants": f.variants.iter().map(|v| variant_data(v, sources, doc_index)).collect::<Vec<_>>(),
    })
}

fn kind_name(kind: RemovedKind) -> &'static str {
    match kind {
        RemovedKind::Duplicate => "duplicate",
        RemovedKind::Fragment => "fragment",
        RemovedKind::Debris => "debris",
        RemovedKind::Overlap => "overlap",
    }
}

/// What the script shows of one variant site.
fn variant_data(v: &Variant, sources: &Sources<'_>, doc_index: &HashMap<&str, usize>) -> Value {
    let (chosen, cut) = truncate(&v.chosen, READING_CHARS);
    let c = chosen_reading(v);
    // The printed text should be the chosen reading, restyled at most.
    let differs = c.is_some_and(|c| {
        crate::fold::fold(&v.readings[c].text).chars != crate::fold::fold(&v.chosen).chars
    });
    json!({
        "r": v.rule.name(),
        "s": v.start,
        "e": v.end,
        "c": c,
        "df": differs,
        "t": chosen,
        "tc": cut,
        "rd": v.readings.iter().map(|r| reading_data(r, sources, doc_index)).collect::<Vec<_>>(),
    })
}

fn reading_data(r: &Reading, sources: &Sources<'_>, doc_index: &HashMap<&str, usize>) -> Value {
    let (text, cut) = truncate(&r.text, READING_CHARS);
    // Where the first document reads it, in context: its ranges, joined,
    // read the reading, so show from the first to the last when they are close.
    let context = r.documents.first().and_then(|d| {
        let ranges: Vec<&Support> = r.support.iter().filter(|s| &s.document == d).collect();
        let first = ranges.first()?;
        let start = ranges.iter().map(|s| s.start).min()?;
        let end = ranges.iter().map(|s| s.end).max()?;
        let len: usize = ranges.iter().map(|s| s.end - s.start).sum();
        let (start, end) = if end - start <= len * 2 + 64 {
            (start, end)
        } else {
            (first.start, first.end)
        };
        let [before, mid, after] =
            sources
                .get(d.as_str())?
                .as_ref()?
                .context(start, end, CONTEXT_CHARS)?;
        Some(json!([
            one_line(before, CONTEXT_CHARS),
            one_line(mid, READING_CHARS),
            one_line(after, CONTEXT_CHARS)
        ]))
    });
    json!({
        "t": text,
        "tc": cut,
        "d": r.documents.iter().map(|d| doc_index.get(d.as_str())).collect::<Vec<_>>(),
        "p": r.partial,
        "at": r.support.iter().take(6).map(|s| json!([doc_index.get(s.document.as_str()), s.start, s.end])).collect::<Vec<_>>(),
        "x": context,
    })
}

const CSS: &str = r##":root{
--serif:"Noto Serif CJK SC","Source Han Serif SC","Noto Serif SC","Songti SC","STSong","SimSun","Noto Serif",Georgia,serif;
--sans:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans",Arial,sans-serif;
--panel:380px;--ink:#1f2328;--muted:#656d76;--line:#d8dee4;
}
.r-majority{--c:#c6e8c6}.r-weighted{--c:#c7dbfa}.r-language-model{--c:#e9cdf3}.r-confusable{--c:#ffdc8f}.r-ocr-error{--c:#f7c9a8}
.r-sole-witness{--c:#dcdcdc}.r-tie{--c:#ffb4b4}.r-editorial{--c:#2a9d8f}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 var(--sans);color:var(--ink);background:#fff}
.wrap{margin-right:var(--panel);padding:20px 36px 60px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 8px;padding-top:12px;border-top:2px solid var(--ink)}
h2 small{font-size:13px;font-weight:normal;color:var(--muted);margin-left:8px}h3{font-size:15px;margin:22px 0 6px}
.summary{margin:0 0 8px;color:var(--muted)}
.legend{position:sticky;top:0;z-index:2;background:rgba(255,255,255,.96);padding:8px 0;border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center}
.legend label{cursor:pointer;white-space:nowrap}.legend input{vertical-align:middle;margin:0 3px 0 0}
.legend .sw{padding:1px 6px;border-radius:3px}.legend .note{color:var(--muted);font-size:12.5px}
.count{color:var(--muted);font-size:12px}
nav{margin:8px 0}nav a{margin-right:4px}
table{border-collapse:collapse;margin:6px 0;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.path{font-size:12px;color:var(--muted);word-break:break-all}
.barcell{width:140px}.bar{display:block;height:8px;border-radius:4px;background:#6e9fd6}
details{margin:6px 0}summary{cursor:pointer}
.docs table{margin-top:4px}
.text{font-family:var(--serif);font-size:18px;line-height:1.95;max-width:46em;margin:14px 0 10px;text-align:justify}
.text p{margin:0 0 .7em;text-indent:2em}
.text:not(:lang(zh)) p{text-indent:0}
.v{background:var(--c);border-radius:2px;cursor:pointer;box-decoration-break:clone;-webkit-box-decoration-break:clone}
.v.r-editorial{background:none;border-bottom:1px solid rgba(42,157,143,.5);border-radius:0}
.v.r-editorial:hover{background:rgba(42,157,143,.08);outline:none}
.v.r-editorial.on{background:rgba(42,157,143,.14);outline:none}
.v.om{display:inline-block;width:.42em;height:1.05em;vertical-align:-.17em;margin:0 .06em;border-radius:1px;background:var(--c);box-shadow:inset 0 0 0 1px rgba(0,0,0,.28);text-indent:0;border:0}
.v.om.r-editorial{background:rgba(42,157,143,.55)}
.v.om.sw-om{background:#c8c8c8;cursor:default}
.v:hover{outline:1px solid #57606a}
.v.on{outline:2px solid #d9480f;outline-offset:1px}
.excerpt{font-family:var(--serif);font-size:14px;line-height:1.6}
.removed table,.overlaps table{width:100%;max-width:64em}.removed td.excerpt{width:45%}
.kindcell{white-space:nowrap}.reason{font-size:12px;color:var(--muted)}
.kind{display:inline-block;padding:0 5px;border-radius:3px;font-size:12px;background:#eee}
.k-duplicate{background:#dbe7fb}.k-fragment{background:#eadcf7}.k-debris{background:#eee}.k-overlap{background:#fde3cf}
.warn{color:#b3261e}
#panel{position:fixed;top:0;right:0;width:var(--panel);height:100vh;overflow:auto;background:#f6f8fa;border-left:1px solid var(--line);padding:16px 18px;font-size:13.5px}
#panel .hint{color:var(--muted)}
#panel h4{margin:0 0 4px;font-size:15px;display:flex;align-items:center;gap:8px}
#panel .rule{padding:1px 7px;border-radius:3px}
#panel .desc{color:var(--muted);margin:0 0 8px}
#panel .where{color:var(--muted);font-size:12px;margin-bottom:10px}
#panel ol{list-style:none;padding:0;margin:0}
#panel li{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:0 0 8px}
#panel li.chosen{border-color:#2da44e;box-shadow:inset 3px 0 0 #2da44e}
#panel .rt{font-family:var(--serif);font-size:17px;line-height:1.6;word-break:break-all;display:block;max-height:12em;overflow:auto}
#panel .empty{color:var(--muted);font-style:italic}
#panel .mark{float:right;font-size:12px;color:#2da44e;font-weight:600}
#panel .partial{float:right;font-size:12px;color:var(--muted)}
#panel .wits{margin-top:4px;font-size:12px;line-height:1.7}
#panel .wit{display:inline-block;background:#eef1f4;border-radius:3px;padding:0 5px;margin:0 4px 2px 0;font-family:ui-monospace,Menlo,Consolas,monospace}
#panel .ctx{margin-top:5px;font-family:var(--serif);font-size:14px;color:var(--muted);line-height:1.6;word-break:break-all}
#panel .ctx b{color:var(--ink);font-weight:normal;background:#fff3bf}
#panel .loc{font-size:11.5px;color:var(--muted);font-family:ui-monospace,Menlo,Consolas,monospace}
#panel .printed{margin-bottom:10px}#panel .warn{margin:0 0 8px}
#panel .close{float:right;cursor:pointer;border:0;background:none;font-size:18px;color:var(--muted)}
@media (max-width:900px){.wrap{margin-right:0;padding:14px 16px 45vh}#panel{top:auto;bottom:0;width:100%;height:42vh;border-left:0;border-top:1px solid var(--line)}}
"##;

const SCRIPT: &str = r##"(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("reprint-data").textContent);
  var panel = document.getElementById("panel");
  var hint = panel.innerHTML;
  var pinned = null, shown = null;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function more(n) { return n > 0 ? " … (" + n + " more characters)" : ""; }
  function parts(key) { return document.querySelectorAll('.v[data-v="' + key + '"]'); }
  function setOn(key, on) { parts(key).forEach(function (p) { p.classList.toggle("on", on); }); }
  function show(key) {
    if (shown === key) return;
    shown = key;
    var k = key.split("-"), f = data.families[+k[0]], v = f && f.variants[+k[1]];
    if (!v) return;
    var w = {};
    f.docs.forEach(function (d) { w[d[0]] = d[1]; });
    panel.textContent = "";
    if (pinned) {
      var x = el("button", "close", "×");
      x.title = "close (Esc)";
      x.onclick = function () { unpin(); };
      panel.appendChild(x);
    }
    var h = el("h4");
    h.appendChild(el("span", "rule v r-" + v.r, v.r));
    h.appendChild(el("span", null, "family " + k[0] + " · site " + k[1]));
    panel.appendChild(h);
    panel.appendChild(el("p", "desc", data.rules[v.r] || ""));
    panel.appendChild(el("div", "where", v.s === v.e
      ? "omitted from the text at byte " + v.s
      : "text bytes " + v.s + "–" + v.e));
    var pr = el("div", "printed");
    pr.appendChild(el("span", null, "Printed: "));
    pr.appendChild(v.t === "" ? el("span", "empty", "nothing (omitted)") : el("span", "rt", v.t + more(v.tc)));
    panel.appendChild(pr);
    if (v.c == null) panel.appendChild(el("p", "warn", "⚠ no reading is marked as the one printed."));
    else if (v.df) panel.appendChild(el("p", "warn", "⚠ the printed text differs from the chosen reading."));
    var ol = el("ol");
    v.rd.forEach(function (r, i) {
      var li = el("li", i === v.c ? "chosen" : "");
      if (i === v.c) li.appendChild(el("span", "mark", "✓ chosen"));
      else if (r.p) li.appendChild(el("span", "partial", "partial, not counted"));
      li.appendChild(r.t === "" ? el("div", "empty", "(omits the site)") : el("div", "rt", r.t + more(r.tc)));
      var ws = el("div", "wits");
      r.d.forEach(function (d) {
        var s = el("span", "wit", data.docs[d] + (w[d] != null ? " · " + w[d].toFixed(2) : ""));
        s.title = "weight " + w[d];
        ws.appendChild(s);
      });
      li.appendChild(ws);
      if (r.x) {
        var c = el("div", "ctx");
        c.appendChild(document.createTextNode("…" + r.x[0]));
        c.appendChild(el("b", null, r.x[1]));
        c.appendChild(document.createTextNode(r.x[2] + "…"));
        li.appendChild(c);
      }
      if (r.at.length) {
        li.appendChild(el("div", "loc", r.at.map(function (a) {
          return data.docs[a[0]] + " @" + a[1] + "–" + a[2];
        }).join("  ")));
      }
      ol.appendChild(li);
    });
    panel.appendChild(ol);
  }
  function clear() { shown = null; panel.innerHTML = hint; }
  function pin(key) {
    if (pinned) setOn(pinned, false);
    pinned = key;
    setOn(key, true);
    shown = null;
    show(key);
  }
  function unpin() {
    if (pinned) setOn(pinned, false);
    pinned = null;
    clear();
  }
  document.addEventListener("mouseover", function (e) {
    var t = e.target.closest && e.target.closest(".v[data-v]");
    if (t && !pinned) show(t.getAttribute("data-v"));
  });
  document.addEventListener("click", function (e) {
    var t = e.target.closest && e.target.closest(".v[data-v]");
    if (t) {
      var key = t.getAttribute("data-v");
      pin(key);
      if (history.replaceState) history.replaceState(null, "", "#v" + key);
    }
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") unpin(); });
  document.getElementById("legend").addEventListener("change", function (e) {
    var r = e.target.getAttribute("data-rule");
    if (r) document.body.classList.toggle("hide-" + r, !e.target.checked);
  });
  function fromHash() {
    var m = /^#v(\d+-\d+)$/.exec(location.hash);
    if (!m) return;
    var t = document.getElementById("v" + m[1]);
    if (!t) return;
    pin(m[1]);
    // The browser jumps to the site, under the sticky legend (after load,
    // for the first hash): leave the page at its top if the site shows
    // there, else centre the site.
    setTimeout(function () {
      var top = t.getBoundingClientRect().top + window.pageYOffset;
      if (top + 40 < window.innerHeight) window.scrollTo(0, 0);
      else t.scrollIntoView({ block: "center" });
    }, 0);
  }
  window.addEventListener("hashchange", fromHash);
  if (document.readyState === "complete") fromHash();
  else window.addEventListener("load", fromHash);
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Removed, WitnessWeight};

    fn variant(start: usize, end: usize, text: &str, rule: Rule) -> Variant {
        Variant {
            start,
            end,
            chosen: text.get(start..end).unwrap_or("?").to_owned(),
            readings: vec![
                Reading {
                    text: text.get(start..end).unwrap_or("?").to_owned(),
                    documents: vec!["a".into()],
                    support: vec![Support {
                        document: "a".into(),
                        start: 0,
                        end: 3,
                    }],
                    chosen: true,
                    partial: false,
                },
                Reading {
                    text: "<x&\"y'>".into(),
                    documents: vec!["b".into()],
                    support: vec![Support {
                        document: "b".into(),
                        start: 1000,
                        end: 1001,
                    }],
                    chosen: false,
                    partial: true,
                },
            ],
            rule,
        }
    }

    fn reconciliation(text: &str, variants: Vec<Variant>) -> Reconciliation {
        let info = |id: &str, path: Option<&str>| DocumentInfo {
            id: id.into(),
            path: path.map(Into::into),
            bytes: 9,
            encoding: "utf-8",
        };
        Reconciliation {
            documents: vec![info("a", None), info("b", Some("/nonexistent/b.txt"))],
            families: vec![Family {
                id: 0,
                documents: vec!["a".into(), "b".into()],
                text: text.into(),
                spans: Vec::new(),
                variants,
                removed: vec![Removed {
                    document: "b".into(),
                    start: 5,
                    end: 2,
                    kind: RemovedKind::Duplicate,
                    reason: None,
                    of: Some(Support {
                        document: "zz".into(),
                        start: 0,
                        end: 99,
                    }),
                }],
                overlaps: Vec::new(),
                witnesses: vec![WitnessWeight {
                    document: "a".into(),
                    weight: f64::NAN,
                }],
                punctuation: "fullwidth",
            }],
        }
    }

    /// Open and close tags of `span` and `p` balance, in order.
    fn balanced(html: &str) -> bool {
        let body = &html[html.find("<main>").unwrap()..html.find("</main>").unwrap()];
        let mut stack = Vec::new();
        let mut rest = body;
        while let Some(i) = rest.find('<') {
            rest = &rest[i + 1..];
            let end = rest.find('>').unwrap();
            let tag = &rest[..end];
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if !["span", "p", "section", "div"].contains(&name.as_str()) {
                continue;
            }
            if tag.starts_with('/') {
                if stack.pop() != Some(name) {
                    return false;
                }
            } else {
                stack.push(name);
            }
        }
        stack.is_empty()
    }

    #[test]
    fn odd_offsets_never_panic_and_markup_nests() {
        let text = "哪吒闹海\n一飞冲天。";
        let variants = vec![
            variant(0, 12, text, Rule::Editorial), // whole first paragraph
            variant(0, 0, text, Rule::LanguageModel), // omission sharing a start
            variant(3, 6, text, Rule::Majority),   // nested
            variant(3, 6, text, Rule::Tie),        // same range
            variant(9, 20, text, Rule::Weighted),  // crosses the editorial end and a break
            variant(1, 4, text, Rule::Majority),   // not on char boundaries
            variant(40, 50, text, Rule::Majority), // out of range
            variant(6, 3, text, Rule::Majority),   // reversed
            variant(text.len(), text.len(), text, Rule::SoleWitness), // at the very end
        ];
        let r = reconciliation(text, variants);
        let html = r.to_html();
        for i in 0..9 {
            assert!(html.contains(&format!("id=\"v0-{i}\"")), "variant {i}");
        }
        assert!(balanced(&html));
        assert!(html.contains("&lt;x&amp;&quot;y&#39;&gt;") || html.contains("\\u003cx&\\\"y'>"));
        assert!(!html.contains("<x&"));
        let docs = [Document::from_text("a", "哪吒闹海")];
        assert!(balanced(&r.to_html_with(&docs)));
    }

    #[test]
    fn placement_nests() {
        let text = "abcdefghij";
        let (placed, bad) = place(text, &[(2, 8), (2, 2), (4, 9), (2, 8), (11, 12)]);
        assert_eq!(bad, [4]);
        let order: Vec<usize> = placed.iter().map(|p| p.item).collect();
        assert_eq!(order, [1, 0, 3, 2]);
        assert_eq!(placed[3].end, 8);
        assert!(placed[3].clamped);
    }

    #[test]
    fn sources_map_file_offsets() {
        let doc = Document::from_bytes("g", &encoding_rs::GB18030.encode("ab中文c").0).unwrap();
        assert_eq!(doc.encoding(), Encoding::Gb18030);
        let s = Source::from_document(&doc).unwrap();
        assert_eq!(s.slice(2, 4), Some("中"));
        assert_eq!(s.slice(3, 4), None);
        assert_eq!(s.slice(6, 7), Some("c"));
        // The same read from the file's bytes.
        let bytes = encoding_rs::GB18030.encode("ab中文c").0.into_owned();
        let s = Source::decode(bytes, "gb18030").unwrap();
        assert_eq!(s.slice(4, 6), Some("文"));
        assert_eq!(s.context(4, 6, 1), Some(["中", "文", "c"]));
        let mut bytes = vec![0xFF, 0xFE];
        for u in "a中b".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let s = Source::decode(bytes, "utf-16le").unwrap();
        assert_eq!(s.slice(2, 4), Some("a"));
        assert_eq!(s.slice(4, 6), Some("中"));
        assert_eq!(s.slice(3, 6), None);
        let s = Source::decode(b"\xEF\xBB\xBFab\xFFc".to_vec(), "utf-8-bom").unwrap();
        assert_eq!(s.slice(3, 5), Some("ab"));
        assert_eq!(s.slice(5, 7), Some("\u{FFFD}c"));
        assert_eq!(s.context(6, 7, 2), Some(["b\u{FFFD}", "c", ""]));
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape("<a href=\"x\">&'\u{1}\r"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\u{FFFD}&#13;"
        );
    }
}
