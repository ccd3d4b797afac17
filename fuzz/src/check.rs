//! Invariant checks, recomputed independently of the library (after
//! `tests/common/mod.rs`), for documents built from raw bytes: offsets are
//! checked against the file bytes and the encoding the document reports.

use std::collections::{BTreeMap, BTreeSet};

use reprint::{Document, Encoding, Reconciliation};
use unicode_normalization::UnicodeNormalization;

/// The folded view, computed independently: NFKC, lower case, no whitespace
/// or invisible format characters (as `tests/common/mod.rs`).
pub fn fold(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|&c| !dropped(c))
        .collect()
}

/// Canonical decomposition: folded texts are compared up to canonical
/// equivalence, since the library folds one character cluster at a time
/// and the printed text joins clusters (a base and a mark split by a
/// dropped space compose; marks split by one are ordered apart), as the
/// integration tests' checks do.
pub fn nfd(s: &str) -> String {
    s.nfd().collect()
}

/// Characters the folded view leaves out.
pub fn dropped(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
        )
        || (c.is_control() && c != '\u{FFFD}')
}

/// A document with the bytes it was made from.
pub struct Input {
    pub doc: Document,
    pub bytes: Vec<u8>,
}

impl Input {
    /// Decoded text of `bytes[start..end]`, read as the document's encoding
    /// says (a byte-order mark at the start is skipped, not decoded).
    pub fn slice(&self, start: usize, end: usize) -> String {
        let id = self.doc.id();
        assert!(
            start <= end && end <= self.bytes.len(),
            "{id}: range {start}..{end} outside file of {}",
            self.bytes.len()
        );
        let b = &self.bytes[start..end];
        match self.doc.encoding() {
            Encoding::Gb18030 => encoding_rs::GB18030
                .decode_without_bom_handling(b)
                .0
                .into_owned(),
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let skip = if start == 0 { 2.min(b.len()) } else { 0 };
                utf16(&b[skip..], self.doc.encoding() == Encoding::Utf16Be)
            }
            _ if self.utf8_bom() => {
                let skip = if start == 0 { 3.min(b.len()) } else { 0 };
                String::from_utf8_lossy(&b[skip..]).into_owned()
            }
            _ => String::from_utf8_lossy(b).into_owned(),
        }
    }

    /// File offsets where a decoded character starts, and the file's end:
    /// the only places a range may start or end. A byte-order mark belongs
    /// to the first character.
    pub fn boundaries(&self) -> BTreeSet<usize> {
        let b = &self.bytes;
        let mut out = BTreeSet::new();
        out.insert(0);
        out.insert(b.len());
        let utf8 = |out: &mut BTreeSet<usize>, base: usize, body: &[u8]| {
            let mut at = base;
            for chunk in body.utf8_chunks() {
                for (i, _) in chunk.valid().char_indices() {
                    out.insert(at + i);
                }
                at += chunk.valid().len();
                if !chunk.invalid().is_empty() {
                    out.insert(at);
                    at += chunk.invalid().len();
                }
            }
        };
        match self.doc.encoding() {
            _ if self.utf8_bom() => {
                utf8(&mut out, 3, &b[3..]);
                if b.len() > 3 {
                    out.remove(&3);
                }
            }
            Encoding::Utf8 | Encoding::Utf8Lossy { .. } => utf8(&mut out, 0, b),
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let be = self.doc.encoding() == Encoding::Utf16Be;
                let units: Vec<u16> = b[2..]
                    .chunks_exact(2)
                    .map(|c| {
                        let p = [c[0], c[1]];
                        if be {
                            u16::from_be_bytes(p)
                        } else {
                            u16::from_le_bytes(p)
                        }
                    })
                    .collect();
                let mut at = 2;
                for r in char::decode_utf16(units.iter().copied()) {
                    out.insert(at);
                    at += match r {
                        Ok(c) => 2 * c.len_utf16(),
                        Err(_) => 2,
                    };
                }
                // A dangling odd byte is a character of its own.
                out.insert(at);
                if b.len() > 2 {
                    out.remove(&2);
                }
            }
            Encoding::Gb18030 => {
                // Feed the decoder one byte at a time: a character ends
                // where output appears.
                let mut dec = encoding_rs::GB18030.new_decoder_without_bom_handling();
                let mut s = String::with_capacity(8);
                for (i, &byte) in b.iter().enumerate() {
                    s.clear();
                    let last = i + 1 == b.len();
                    let (_, _, _) = dec.decode_to_string(&[byte], &mut s, last);
                    if !s.is_empty() {
                        out.insert(i + 1);
                    }
                }
            }
            _ => panic!("unknown encoding {:?}", self.doc.encoding()),
        }
        out
    }

    /// UTF-8 after a byte-order mark (damaged UTF-8 after a BOM is
    /// reported as `Utf8Lossy`, its BOM skipped all the same).
    fn utf8_bom(&self) -> bool {
        matches!(
            self.doc.encoding(),
            Encoding::Utf8Bom | Encoding::Utf8Lossy { .. }
        ) && self.bytes.starts_with(b"\xEF\xBB\xBF")
    }

    /// The document reads as its bytes say: its length is the file's and its
    /// text is the file decoded independently.
    pub fn check_decoding(&self) {
        assert_eq!(self.doc.len(), self.bytes.len());
        let independent = self.slice(0, self.bytes.len());
        assert_eq!(
            self.doc.text(),
            independent,
            "decoded as {:?}",
            self.doc.encoding()
        );
        if self.doc.encoding() == Encoding::Utf8 {
            assert_eq!(self.doc.text().as_bytes(), &self.bytes[..]);
        }
    }
}

/// UTF-16 units decoded with U+FFFD for unpaired surrogates and for a
/// dangling odd byte.
fn utf16(b: &[u8], be: bool) -> String {
    let units = b.chunks_exact(2).map(|c| {
        let p = [c[0], c[1]];
        if be {
            u16::from_be_bytes(p)
        } else {
            u16::from_le_bytes(p)
        }
    });
    let mut s: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect();
    if b.len() % 2 == 1 {
        s.push('\u{FFFD}');
    }
    s
}

fn by_id<'a>(inputs: &'a [Input], id: &str) -> &'a Input {
    inputs
        .iter()
        .find(|i| i.doc.id() == id)
        .unwrap_or_else(|| panic!("unknown document {id}"))
}

/// Invariant 1 (conservation): every byte of every input lies in exactly one
/// of: a span's support, a losing reading's support, a removed item.
pub fn check_conservation(inputs: &[Input], r: &Reconciliation) {
    let mut ranges: BTreeMap<String, Vec<(usize, usize, String)>> = BTreeMap::new();
    let mut add = |doc: &str, start: usize, end: usize, what: String| {
        ranges
            .entry(doc.to_owned())
            .or_default()
            .push((start, end, what));
    };
    for f in &r.families {
        for sup in f.spans.iter().flat_map(|s| &s.support) {
            add(&sup.document, sup.start, sup.end, "support".into());
        }
        let losing = f
            .variants
            .iter()
            .flat_map(|v| &v.readings)
            .filter(|r| !r.chosen);
        for sup in losing.flat_map(|r| &r.support) {
            add(&sup.document, sup.start, sup.end, "reading".into());
        }
        for rem in &f.removed {
            add(&rem.document, rem.start, rem.end, format!("{:?}", rem.kind));
        }
    }
    for input in inputs {
        let id = input.doc.id();
        let mut rs = ranges.remove(id).unwrap_or_default();
        rs.retain(|r| r.0 < r.1);
        rs.sort();
        let mut at = 0;
        for (s, e, what) in &rs {
            assert_eq!(
                *s,
                at,
                "{id}: byte {at} is {} (next range {s}..{e} is {what})",
                if *s > at {
                    "unaccounted"
                } else {
                    "counted twice"
                }
            );
            at = *e;
        }
        assert_eq!(at, input.bytes.len(), "{id}: bytes {at}.. unaccounted");
    }
    assert!(
        ranges.is_empty(),
        "ranges of unknown documents: {:?}",
        ranges.keys()
    );
}

/// Invariant 2 (provenance): every range lies inside its file, on character
/// boundaries, and every support range folds to the text it supports.
pub fn check_provenance(inputs: &[Input], r: &Reconciliation) {
    let bounds: BTreeMap<&str, BTreeSet<usize>> = inputs
        .iter()
        .map(|i| (i.doc.id(), i.boundaries()))
        .collect();
    let boundary = |id: &str, at: usize| {
        assert!(
            bounds[id].contains(&at),
            "{id}: offset {at} is not a character boundary (file of {} bytes, {:?})",
            by_id(inputs, id).bytes.len(),
            by_id(inputs, id).doc.encoding()
        );
    };
    for f in &r.families {
        let mut at = 0;
        for s in &f.spans {
            assert!(s.start >= at && s.start <= s.end && s.end <= f.text.len());
            assert!(f.text.is_char_boundary(s.start) && f.text.is_char_boundary(s.end));
            at = s.end;
            let canonical = fold(&f.text[s.start..s.end]);
            for sup in &s.support {
                boundary(&sup.document, sup.start);
                boundary(&sup.document, sup.end);
                let source = fold(&by_id(inputs, &sup.document).slice(sup.start, sup.end));
                assert_eq!(
                    nfd(&source),
                    nfd(&canonical),
                    "span {}..{} of family {} vs {sup:?}",
                    s.start,
                    s.end,
                    f.id
                );
            }
        }
        for v in &f.variants {
            assert!(v.start <= v.end && v.end <= f.text.len());
            for reading in &v.readings {
                let mut joined = String::new();
                for sup in &reading.support {
                    boundary(&sup.document, sup.start);
                    boundary(&sup.document, sup.end);
                    if sup.document == reading.documents[0] {
                        joined.push_str(&by_id(inputs, &sup.document).slice(sup.start, sup.end));
                    }
                }
                assert_eq!(
                    nfd(&fold(&joined)),
                    nfd(&fold(&reading.text)),
                    "reading {reading:?}"
                );
            }
        }
        for rem in &f.removed {
            boundary(&rem.document, rem.start);
            boundary(&rem.document, rem.end);
            if let Some(of) = &rem.of {
                boundary(&of.document, of.start);
                boundary(&of.document, of.end);
            }
        }
        for o in &f.overlaps {
            boundary(&o.document, o.start);
            boundary(&o.document, o.end);
            boundary(&o.with.document, o.with.start);
            boundary(&o.with.document, o.with.end);
        }
    }
}

/// Every family and document of the run is reported once.
pub fn check_structure(inputs: &[Input], r: &Reconciliation) {
    let mut ids: Vec<&str> = inputs.iter().map(|i| i.doc.id()).collect();
    ids.sort_unstable();
    let reported: Vec<&str> = r.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, reported);
    let mut members: Vec<&str> = r
        .families
        .iter()
        .flat_map(|f| f.documents.iter().map(String::as_str))
        .collect();
    members.sort_unstable();
    assert_eq!(ids, members, "each document in exactly one family");
    for (k, f) in r.families.iter().enumerate() {
        assert_eq!(f.id, k);
    }
}

/// The ops of an alignment walk exactly from the start to the end of its
/// ranges, equal characters where they say so; returns the cost.
pub fn check_alignment(al: &reprint::align::Alignment, a: &[char], b: &[char]) -> usize {
    use reprint::align::Op;
    let (ra, rb) = (al.a(), al.b());
    assert!(
        ra.start <= ra.end && ra.end <= a.len(),
        "{ra:?} of {}",
        a.len()
    );
    assert!(
        rb.start <= rb.end && rb.end <= b.len(),
        "{rb:?} of {}",
        b.len()
    );
    let (mut i, mut j) = (ra.start, rb.start);
    let mut cost = 0;
    for &(op, n) in al.ops() {
        let n = n as usize;
        match op {
            Op::Eq => {
                assert!(i + n <= ra.end && j + n <= rb.end, "Eq past the end");
                assert_eq!(a[i..i + n], b[j..j + n], "Eq at {i},{j}");
                i += n;
                j += n;
            }
            Op::Sub => {
                assert!(i + n <= ra.end && j + n <= rb.end, "Sub past the end");
                for t in 0..n {
                    assert_ne!(a[i + t], b[j + t], "Sub of equal characters at {i},{j}");
                }
                i += n;
                j += n;
                cost += n;
            }
            Op::Del => {
                i += n;
                cost += n;
            }
            Op::Ins => {
                j += n;
                cost += n;
            }
        }
    }
    assert_eq!((i, j), (ra.end, rb.end), "ops do not reach the ends");
    assert_eq!(cost, al.cost() as usize);
    cost
}

/// Reconcile the inputs and check the result: structure, conservation,
/// provenance, and the same output for the inputs in reverse order.
pub fn reconcile_checked(inputs: &[Input]) -> Reconciliation {
    let docs: Vec<Document> = inputs.iter().map(|i| i.doc.clone()).collect();
    let r = reprint::Reconciler::new().reconcile(&docs).unwrap();
    check_structure(inputs, &r);
    check_conservation(inputs, &r);
    check_provenance(inputs, &r);
    let reversed: Vec<Document> = docs.iter().rev().cloned().collect();
    let again = reprint::Reconciler::new().reconcile(&reversed).unwrap();
    assert!(
        r.to_json() == again.to_json(),
        "output depends on input order"
    );
    r
}
