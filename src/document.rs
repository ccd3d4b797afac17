//! Document: one scan, loaded and decoded, with a map back to its file's bytes.
//!
//! The original text is never modified. Scans arrive as UTF-8 (with or
//! without a byte-order mark), UTF-16 with a BOM, or GB18030/GBK; all are
//! decoded to UTF-8 and every decoded offset can be mapped back to a byte
//! offset of the file, so provenance always points into the file as it is on
//! disk.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, ErrorKind, Result};
use crate::fold;

/// How a document's bytes were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (the three BOM bytes belong to the first character).
    Utf8Bom,
    /// UTF-8 with some invalid byte sequences, each decoded as U+FFFD. The
    /// replaced bytes stay in the provenance: the U+FFFD character maps back to them.
    Utf8Lossy {
        /// Number of invalid sequences replaced.
        replaced: usize,
    },
    /// UTF-16, little-endian, with a byte-order mark.
    Utf16Le,
    /// UTF-16, big-endian, with a byte-order mark.
    Utf16Be,
    /// GB18030 (a superset of GBK and GB2312).
    Gb18030,
}

impl Encoding {
    /// A short name, as used in the JSON output.
    pub fn name(&self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf8Lossy { .. } => "utf-8-lossy",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Gb18030 => "gb18030",
        }
    }
}

/// One scan: its id, its decoded text and where it came from.
///
/// ```
/// use reprint::Document;
/// let doc = Document::from_text("a", "哪吒闹海");
/// assert_eq!(doc.id(), "a");
/// assert_eq!(doc.text(), "哪吒闹海");
/// assert_eq!(doc.len(), 12);
/// ```
#[derive(Debug, Clone)]
pub struct Document {
    id: String,
    path: Option<PathBuf>,
    text: String,
    encoding: Encoding,
    /// Checkpoints `(decoded offset, file offset)`; between checkpoints bytes
    /// map one to one. Sorted by both coordinates.
    map: Vec<(u32, u32)>,
    file_len: u32,
}

impl Document {
    /// A document from text already in memory (its "file" is the UTF-8 text).
    pub fn from_text(id: impl Into<String>, text: impl Into<String>) -> Document {
        let text = text.into();
        let file_len = text.len() as u32;
        Document {
            id: id.into(),
            path: None,
            text,
            encoding: Encoding::Utf8,
            map: vec![(0, 0)],
            file_len,
        }
    }

    /// A document from raw bytes, detecting the encoding.
    ///
    /// # Errors
    /// [`ErrorKind::Empty`] if the bytes hold no visible text,
    /// [`ErrorKind::Binary`] for binary data, [`ErrorKind::Encoding`] if no
    /// supported encoding fits, [`ErrorKind::TooLarge`] past 4 GiB.
    pub fn from_bytes(id: impl Into<String>, bytes: &[u8]) -> Result<Document> {
        Self::decode(id.into(), None, bytes)
    }

    /// Load a file; its id is the file stem.
    ///
    /// # Errors
    /// As [`Document::from_bytes`], plus [`ErrorKind::Io`]; every error names the file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Document> {
        let path = path.as_ref();
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let meta = std::fs::metadata(path).map_err(|e| Error::io(e, path))?;
        if meta.is_dir() {
            return Err(Error::io(
                std::io::Error::other("is a directory, expected a file"),
                path,
            ));
        }
        if meta.len() > u32::MAX as u64 {
            return Err(Error::new(
                ErrorKind::TooLarge {
                    bytes: meta.len(),
                    limit: u32::MAX as u64,
                },
                Some(path),
            ));
        }
        // Read at most one byte past the limit: a file may grow, or report
        // no size (a pipe named on the command line, a /proc file).
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        std::fs::File::open(path)
            .and_then(|f| f.take(u32::MAX as u64 + 1).read_to_end(&mut bytes))
            .map_err(|e| Error::io(e, path))?;
        Self::decode_owned(id, path, bytes)
    }

    fn decode(id: String, path: Option<&Path>, bytes: &[u8]) -> Result<Document> {
        let err = |kind| Error::new(kind, path);
        if bytes.len() > u32::MAX as usize {
            return Err(err(ErrorKind::TooLarge {
                bytes: bytes.len() as u64,
                limit: u32::MAX as u64,
            }));
        }
        let (text, encoding, map) = decode_bytes(bytes).map_err(err)?;
        Self::finish(id, path, text, encoding, map, bytes.len())
    }

    /// Decode bytes read from a file, reusing their buffer for the text when
    /// they are plain UTF-8 (a file is then in memory once, not twice).
    fn decode_owned(id: String, path: &Path, mut bytes: Vec<u8>) -> Result<Document> {
        let file_len = bytes.len();
        let bom = bytes.starts_with(b"\xEF\xBB\xBF");
        let plain = !bytes.starts_with(b"\xFF\xFE") && !bytes.starts_with(b"\xFE\xFF");
        let valid = plain && std::str::from_utf8(&bytes[if bom { 3 } else { 0 }..]).is_ok();
        if !valid || (!bom && check_binary(&bytes).is_err()) {
            return Self::decode(id, Some(path), &bytes);
        }
        if bom {
            bytes.drain(..3);
        }
        let text = String::from_utf8(bytes).expect("checked above");
        let (encoding, map) = if bom {
            (Encoding::Utf8Bom, vec![(0, 3)])
        } else {
            (Encoding::Utf8, vec![(0, 0)])
        };
        Self::finish(id, Some(path), text, encoding, map, file_len)
    }

    fn finish(
        id: String,
        path: Option<&Path>,
        text: String,
        encoding: Encoding,
        map: Vec<(u32, u32)>,
        file_len: usize,
    ) -> Result<Document> {
        let err = |kind| Error::new(kind, path);
        // Decoded offsets are 32-bit too, and decoding can grow a file (a
        // two-byte GB18030 or UTF-16 character takes three bytes in UTF-8).
        if text.len() > u32::MAX as usize {
            return Err(err(ErrorKind::TooLarge {
                bytes: text.len() as u64,
                limit: u32::MAX as u64,
            }));
        }
        if fold::folds_to_nothing(&text) {
            return Err(err(ErrorKind::Empty));
        }
        Ok(Document {
            id,
            path: path.map(Path::to_path_buf),
            text,
            encoding,
            map,
            file_len: file_len as u32,
        })
    }

    /// The document's id (unique within one reconciliation).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The file it was loaded from, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The decoded text, unmodified.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How the file was decoded.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Length of the original file in bytes.
    pub fn len(&self) -> usize {
        self.file_len as usize
    }

    /// True if the original file is empty (never, for a loaded document).
    pub fn is_empty(&self) -> bool {
        self.file_len == 0
    }

    /// Give the document another id (used to disambiguate equal file stems).
    pub fn with_id(mut self, id: impl Into<String>) -> Document {
        self.id = id.into();
        self
    }

    /// Map a byte offset of the decoded text (at a character boundary, or the
    /// end) to the byte offset of the original file.
    pub(crate) fn file_offset(&self, decoded: u32) -> u32 {
        if decoded >= self.text.len() as u32 {
            return self.file_len;
        }
        // A byte-order mark belongs to the first character: without this,
        // the BOM's bytes would lie in no output range.
        if decoded == 0 {
            return 0;
        }
        let k = self.map.partition_point(|&(d, _)| d <= decoded) - 1;
        let (d, f) = self.map[k];
        f + (decoded - d)
    }
}

type Decoded = (String, Encoding, Vec<(u32, u32)>);

fn decode_bytes(bytes: &[u8]) -> std::result::Result<Decoded, ErrorKind> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((s.to_owned(), Encoding::Utf8Bom, vec![(0, 3)])),
            Err(_) => lossy_utf8(rest, 3),
        };
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return utf16(&bytes[2..], false);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return utf16(&bytes[2..], true);
    }
    check_binary(bytes)?;
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_owned(), Encoding::Utf8, vec![(0, 0)])),
        Err(e) => {
            // Mostly UTF-8 with a few damaged sequences (a truncated download,
            // a flipped bit): keep it, marking each bad sequence with U+FFFD.
            // Checked before GB18030, which would decode UTF-8 bytes as nonsense.
            let (mut invalid, mut multibyte) = (0, 0);
            for chunk in bytes.utf8_chunks() {
                invalid += usize::from(!chunk.invalid().is_empty());
                multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
            }
            if invalid * 1000 <= bytes.len().max(1000) && multibyte >= invalid * 10 {
                return lossy_utf8(bytes, 0);
            }
            gb18030(bytes).ok_or(ErrorKind::Encoding {
                offset: e.valid_up_to(),
            })
        }
    }
}

/// Binary data holds NUL bytes or many control bytes.
fn check_binary(bytes: &[u8]) -> std::result::Result<(), ErrorKind> {
    let head = &bytes[..bytes.len().min(1 << 16)];
    let is_control = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C);
    if let Some(offset) = head.iter().position(|&b| b == 0) {
        return Err(ErrorKind::Binary { offset });
    }
    let controls = head.iter().filter(|&&b| is_control(b)).count();
    if controls * 20 > head.len() {
        let offset = head.iter().position(|&b| is_control(b)).unwrap_or(0);
        return Err(ErrorKind::Binary { offset });
    }
    Ok(())
}

fn lossy_utf8(bytes: &[u8], base: u32) -> std::result::Result<Decoded, ErrorKind> {
    let mut text = String::with_capacity(bytes.len());
    let mut map = Vec::new();
    let mut file = base;
    let mut replaced = 0;
    for chunk in bytes.utf8_chunks() {
        map.push((text.len() as u32, file));
        text.push_str(chunk.valid());
        file += chunk.valid().len() as u32;
        if !chunk.invalid().is_empty() {
            map.push((text.len() as u32, file));
            text.push('\u{FFFD}');
            file += chunk.invalid().len() as u32;
            replaced += 1;
        }
    }
    Ok((text, Encoding::Utf8Lossy { replaced }, map))
}

fn utf16(body: &[u8], big_endian: bool) -> std::result::Result<Decoded, ErrorKind> {
    let units = body.chunks_exact(2).map(|c| {
        let pair = [c[0], c[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut text = String::with_capacity(body.len());
    let mut map = Vec::new();
    let mut file = 2u32;
    for r in char::decode_utf16(units) {
        let (c, width) = match r {
            Ok(c) => (c, c.len_utf16() as u32 * 2),
            Err(_) => ('\u{FFFD}', 2),
        };
        map.push((text.len() as u32, file));
        text.push(c);
        file += width;
    }
    // A dangling odd byte (a truncated file) is not half a character to
    // guess at: it reads as U+FFFD, and stays in the provenance.
    if body.len() % 2 == 1 {
        map.push((text.len() as u32, file));
        text.push('\u{FFFD}');
    }
    if map.is_empty() {
        map.push((0, 2));
    }
    let encoding = if big_endian {
        Encoding::Utf16Be
    } else {
        Encoding::Utf16Le
    };
    Ok((text, encoding, map))
}

/// Strict GB18030 decoding, accepted only when the result reads as Chinese
/// (most non-ASCII characters are common ideographs or CJK punctuation).
fn gb18030(bytes: &[u8]) -> Option<Decoded> {
    let (cow, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return None;
    }
    let text = cow.into_owned();
    let non_ascii = text.chars().filter(|c| !c.is_ascii()).count();
    let cjk = text
        .chars()
        .filter(|&c| {
            matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}'
                | '\u{2010}'..='\u{201F}')
        })
        .count();
    if non_ascii == 0 || cjk * 10 < non_ascii * 8 {
        return None;
    }
    // Each GB18030 sequence (1, 2 or 4 bytes, by its lead and second bytes)
    // decodes to one character.
    let mut map = Vec::with_capacity(non_ascii * 2 + 1);
    let mut file = 0usize;
    let mut ascii_run = false;
    for (offset, c) in text.char_indices() {
        let width = if bytes[file] <= 0x80 || bytes[file] == 0xFF {
            1
        } else if bytes
            .get(file + 1)
            .is_some_and(|b| (0x30..=0x39).contains(b))
        {
            4
        } else {
            2
        };
        let one_to_one = width == 1 && c.is_ascii();
        if !(one_to_one && ascii_run) {
            map.push((offset as u32, file as u32));
        }
        ascii_run = one_to_one;
        file += width;
    }
    (file == bytes.len()).then_some((text, Encoding::Gb18030, map))
}

/// What [`load`] found: the documents it could read and one error per file it could not.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Documents read, sorted by id.
    pub documents: Vec<Document>,
    /// One error per path that could not be read, each naming it.
    pub errors: Vec<Error>,
}

/// Load files and directories (searched recursively for `*.txt`).
///
/// Ids are file stems; where two files share a stem, their paths relative to
/// the directory given (without the extension) tell them apart. A file
/// named twice is loaded once. Files are read in parallel; the result does
/// not depend on the order of `paths`.
///
/// ```no_run
/// let loaded = reprint::load(["corpus"]);
/// for err in &loaded.errors {
///     eprintln!("skipped: {err}");
/// }
/// println!("{} documents", loaded.documents.len());
/// ```
pub fn load<I, P>(paths: I) -> Loaded
where
    I: IntoIterator<Item = P>,
    P: AsRef<Path>,
{
    let mut errors = Vec::new();
    // Canonical path -> (path as found, path relative to the root it was found under).
    let mut files: BTreeMap<PathBuf, (PathBuf, PathBuf)> = BTreeMap::new();
    for root in paths {
        let root = root.as_ref();
        match std::fs::metadata(root) {
            Err(e) => errors.push(Error::io(e, root)),
            Ok(meta) if meta.is_dir() => {
                let before = files.len();
                let mut found = Vec::new();
                let mut seen = BTreeSet::new();
                walk(root, &mut found, &mut seen, &mut errors);
                for f in found {
                    let rel = f.strip_prefix(root).unwrap_or(&f).to_path_buf();
                    let key = std::fs::canonicalize(&f).unwrap_or_else(|_| f.clone());
                    files.entry(key).or_insert((f, rel));
                }
                if files.len() == before && !errors.iter().any(|e| e.path() == Some(root)) {
                    errors.push(Error::new(ErrorKind::NoDocuments, Some(root)));
                }
            }
            Ok(_) => {
                let key = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
                let rel = root.to_path_buf();
                files.entry(key).or_insert((root.to_path_buf(), rel));
            }
        }
    }
    let files: Vec<(PathBuf, PathBuf)> = files.into_values().collect();
    let results: Vec<Result<Document>> = files
        .par_iter()
        .map(|(path, _)| Document::from_path(path))
        .collect();
    let mut documents = Vec::new();
    let mut rels = Vec::new();
    for (result, (_, rel)) in results.into_iter().zip(&files) {
        match result {
            Ok(doc) => {
                documents.push(doc);
                rels.push(rel.clone());
            }
            Err(e) => errors.push(e),
        }
    }
    disambiguate(&mut documents, &rels);
    documents.sort_by(|a, b| a.id.cmp(&b.id));
    errors.sort_by(|a, b| a.path().cmp(&b.path()));
    Loaded { documents, errors }
}

/// Give documents with equal stems ids from their relative paths.
fn disambiguate(documents: &mut [Document], rels: &[PathBuf]) {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for d in documents.iter() {
        *count.entry(d.id.clone()).or_default() += 1;
    }
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    for (d, rel) in documents.iter_mut().zip(rels) {
        if count[&d.id] > 1 {
            let rel = rel.with_extension("");
            let parts: Vec<String> = rel
                .components()
                .filter_map(|c| match c {
                    std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect();
            d.id = parts.join("/");
        }
        *taken.entry(d.id.clone()).or_default() += 1;
    }
    // Still equal (the same relative path under two roots): fall back to the full path.
    for d in documents.iter_mut() {
        if taken[&d.id] > 1
            && let Some(p) = &d.path
        {
            d.id = p.with_extension("").display().to_string();
        }
    }
}

fn walk(
    dir: &Path,
    found: &mut Vec<PathBuf>,
    seen: &mut BTreeSet<PathBuf>,
    errors: &mut Vec<Error>,
) {
    // Symlink loops: never enter a directory twice.
    let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if !seen.insert(canonical) {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(Error::io(e, dir));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => walk(&p, found, seen, errors),
            Ok(m) => {
                let is_txt = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt"));
                // A pipe or device found by searching would block or never
                // end; named on the command line, it is read as asked.
                if is_txt && !m.is_file() {
                    errors.push(Error::io(std::io::Error::other("not a regular file"), &p));
                } else if is_txt {
                    found.push(p);
                }
            }
            // A dangling symlink or unreadable entry: name it, go on.
            Err(e) => {
                if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt")) {
                    errors.push(Error::io(e, &p));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb18030_maps_back_to_file_bytes() {
        let text = "A哪吒闹海，b€";
        let (bytes, _, _) = encoding_rs::GB18030.encode(text);
        let doc = Document::from_bytes("g", &bytes).unwrap();
        assert_eq!(doc.encoding(), Encoding::Gb18030);
        assert_eq!(doc.text(), text);
        for (offset, c) in doc.text().char_indices() {
            let f = doc.file_offset(offset as u32) as usize;
            let (enc, _, _) = encoding_rs::GB18030.encode(&text[offset..offset + c.len_utf8()]);
            assert_eq!(&bytes[f..f + enc.len()], &enc[..], "char {c}");
        }
        assert_eq!(
            doc.file_offset(doc.text().len() as u32) as usize,
            bytes.len()
        );
    }

    #[test]
    fn bom_and_utf16() {
        let doc = Document::from_bytes("b", b"\xEF\xBB\xBFab").unwrap();
        assert_eq!(doc.text(), "ab");
        assert_eq!(doc.file_offset(1), 4);
        let mut bytes = vec![0xFF, 0xFE];
        for u in "甲b".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let doc = Document::from_bytes("u", &bytes).unwrap();
        assert_eq!(doc.text(), "甲b");
        assert_eq!(doc.file_offset(3), 4);
        assert_eq!(doc.file_offset(4), 6);
    }

    #[test]
    fn damaged_utf8_is_kept_with_replacement() {
        let mut bytes = "哪吒闹海".repeat(300).into_bytes();
        bytes[7] = 0xFF;
        let doc = Document::from_bytes("d", &bytes).unwrap();
        // The damaged character becomes three replacement characters, one
        // per invalid byte, each mapping back to its byte.
        assert!(matches!(
            doc.encoding(),
            Encoding::Utf8Lossy { replaced: 3 }
        ));
        let r = doc.text().find('\u{FFFD}').unwrap() as u32;
        assert_eq!(
            [6, 7, 8, 9].map(|k| doc.file_offset(r + 3 * (k - 6))),
            [6, 7, 8, 9]
        );
    }

    #[test]
    fn bad_inputs() {
        assert!(matches!(
            Document::from_bytes("e", b"").unwrap_err().kind(),
            ErrorKind::Empty
        ));
        assert!(matches!(
            Document::from_bytes("e", b" \n\t").unwrap_err().kind(),
            ErrorKind::Empty
        ));
        assert!(matches!(
            Document::from_bytes("b", b"PK\x03\x04\x00\x00")
                .unwrap_err()
                .kind(),
            ErrorKind::Binary { .. }
        ));
    }
}
