//! What the simulator writes beside the scans: the truth about every scan.

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::TRUTH_SCHEMA;
use crate::Document;

// ---------------------------------------------------------------------------
// Output and truth

/// A simulated corpus: the scans and the truth about them.
#[derive(Debug, Clone, PartialEq)]
pub struct SimCorpus {
    /// The scans, sorted by name.
    pub scans: Vec<SimScan>,
    /// What the scans are made of.
    pub truth: Truth,
}

/// One simulated scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimScan {
    /// Its name (`scan-0007`), which is the document id; the file is `NAME.txt`.
    pub name: String,
    /// Its text, UTF-8.
    pub text: String,
}

/// The script of a family's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// Chinese characters (a paragraph at least 30 % ideographs).
    Han,
    /// Alphabetic text.
    Latin,
}

impl Script {
    /// `han` or `latin`.
    pub fn name(&self) -> &'static str {
        match self {
            Script::Han => "han",
            Script::Latin => "latin",
        }
    }
}

/// Everything the simulator put into the scans. Written as `truth.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    /// Always [`TRUTH_SCHEMA`].
    pub schema: String,
    /// The seed used.
    pub seed: u64,
    /// The families, by id: reprint families first, then distractors.
    pub families: Vec<TruthFamily>,
    /// Every scan, sorted by name.
    pub scans: Vec<TruthScan>,
}

/// One family: the scans printing one clean text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthFamily {
    /// Index in [`Truth::families`].
    pub id: usize,
    /// Script of its text.
    pub script: Script,
    /// True for a distractor (a single scan of paragraphs no family uses).
    pub distractor: bool,
    /// Names of its scans, sorted.
    pub scans: Vec<String>,
    /// Where each paragraph comes from, in order.
    pub sources: Vec<SourceRef>,
    /// The clean text: its paragraphs joined by `\n`.
    pub text: String,
    /// Paragraphs exactly one scan prints (every other scan misses them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub solo: Vec<usize>,
    /// Errors of the source that every scan copies. [`TruthFamily::text`]
    /// is the correct text; the scans print it with these applied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub misprints: Vec<Misprint>,
}

/// An error in the source of a family, copied by all its reprints: the
/// scans print `printed` where the clean paragraph has `clean`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Misprint {
    /// Index of the clean paragraph in the family.
    pub paragraph: usize,
    /// Byte offset of `clean` in the clean paragraph.
    pub offset: usize,
    /// The correct text.
    pub clean: String,
    /// What the source prints instead.
    pub printed: String,
}

impl Misprint {
    /// The paragraph `clean` with this misprint applied (`clean` must be the
    /// paragraph it was recorded for).
    pub fn apply(&self, clean: &str) -> String {
        let end = self.offset + self.clean.len();
        format!("{}{}{}", &clean[..self.offset], self.printed, &clean[end..])
    }
}

impl TruthFamily {
    /// The clean paragraphs, in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.text.split('\n')
    }
}

/// The source of one clean paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// Index of the source paragraph (non-empty source lines, in order).
    pub index: usize,
    /// 0 for the source as written; `n > 0` for its `n`-th re-lettering.
    pub generation: usize,
}

/// What one scan is made of. Ranges are byte offsets of the scan file,
/// half-open, on character boundaries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthScan {
    /// Name of the scan (document id).
    pub name: String,
    /// Id of its family.
    pub family: usize,
    /// The character error rate it was printed with.
    pub noise: f64,
    /// The family's paragraphs as printed, in printed order (each once:
    /// duplicates and fragments are listed apart).
    pub paragraphs: Vec<PrintedParagraph>,
    /// Paragraphs of the family the scan misses (abridgement).
    pub missing: Vec<usize>,
    /// True if two adjacent sections are printed in swapped order.
    pub reordered: bool,
    /// Paragraphs printed a second time.
    pub duplicates: Vec<Copied>,
    /// Truncated copies of paragraphs.
    pub fragments: Vec<Copied>,
    /// Debris lines.
    pub debris: Vec<DebrisLine>,
    /// Paragraphs of a section moved to another place (in clean order);
    /// [`TruthScan::paragraphs`] gives where they are printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moved: Vec<usize>,
    /// The column the scan is printed in; `None` for one line per paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<Column>,
    /// Bytes the column layout inserted or replaced, by `start`. Replacing
    /// each range of a paragraph, duplicate or fragment by its
    /// [`BreakKind::clean`] undoes the layout (see [`TruthScan::unlaid`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<LineBreak>,
}

impl TruthScan {
    /// The bytes `range` of the scan's `text` with the column layout undone:
    /// every [`LineBreak`] inside `range` replaced by its clean text. For a
    /// paragraph, joining the unlaid pieces gives the printed paragraph.
    ///
    /// # Panics
    /// If `range` is not a range of `text` on character boundaries.
    pub fn unlaid(&self, text: &str, range: Range<usize>) -> String {
        let mut out = String::with_capacity(range.len());
        let mut at = range.start;
        let first = self.breaks.partition_point(|b| b.start < range.start);
        for b in self.breaks[first..]
            .iter()
            .take_while(|b| b.start <= range.end)
        {
            if b.end > range.end {
                continue;
            }
            out.push_str(&text[at..b.start]);
            out.push_str(b.kind.clean());
            at = b.end;
        }
        out.push_str(&text[at..range.end]);
        out
    }
}

/// How a scan printed as a newspaper column lays out its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// Characters a line holds (a Han line may take one more: a closing
    /// mark never starts a line).
    pub width: usize,
    /// True if a blank line separates paragraphs (and debris); otherwise
    /// only a short last line or the indent shows where a paragraph ends.
    pub blank_lines: bool,
    /// What starts a paragraph's first line: empty, spaces (Latin) or two
    /// U+3000 (Han).
    pub indent: String,
}

/// Bytes `start..end` of a scan (half-open) that the column layout printed
/// in place of [`BreakKind::clean`].
///
/// A line end is `\n`, or `-\n` for a hyphenated word. Where a page break
/// or the end of a fragment falls at a line end, the range keeps only the
/// bytes inside the piece: the `-` of a hyphen, or nothing (`start ==
/// end`, at the piece's end) for a [`BreakKind::Space`], which still
/// stands for the space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineBreak {
    /// First byte.
    pub start: usize,
    /// One past the last byte (`start <= end`).
    pub end: usize,
    /// What was there before the layout.
    pub kind: BreakKind,
}

impl LineBreak {
    /// `start..end`.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// What a [`LineBreak`] stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BreakKind {
    /// A line end where the text has a space.
    Space,
    /// A line end between two characters the text does not separate (Han
    /// text, or after a hyphen the text has: `By-\nLaws`).
    Join,
    /// A word hyphenated at a line end: `-\n` inside a word.
    Hyphen,
    /// The indent of a paragraph's first line.
    Indent,
}

impl BreakKind {
    /// The clean text the layout replaced: a space for [`BreakKind::Space`],
    /// nothing for the others.
    pub fn clean(&self) -> &'static str {
        match self {
            BreakKind::Space => " ",
            _ => "",
        }
    }
}

/// A clean paragraph as one scan prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintedParagraph {
    /// Index of the clean paragraph in the family.
    pub paragraph: usize,
    /// Where it is printed: one range, or two when a page break or a
    /// fragment placed inside it cuts it. Joined, with the column layout
    /// undone ([`TruthScan::unlaid`]), they are the printed paragraph. In a
    /// column the ranges cover whole lines.
    pub pieces: Vec<Range<usize>>,
    /// Upper bound of the edit distance between the printed paragraph and the
    /// clean one, both folded (the errors injected, misprints included;
    /// width swaps and spaces do not count).
    pub edits: usize,
    /// True if the printed paragraph (layout undone) is byte for byte the
    /// clean one.
    pub exact: bool,
}

/// A duplicate or a fragment: bytes that copy bytes printed elsewhere in the scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Copied {
    /// First byte of the copy.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// The bytes it copies (the same text, the same line breaks).
    pub of: Range<usize>,
    /// Index of the clean paragraph copied.
    pub paragraph: usize,
}

impl Copied {
    /// `start..end`.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// A line of page debris.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebrisLine {
    /// First byte of the line.
    pub start: usize,
    /// One past its last byte (the line break excluded).
    pub end: usize,
    /// What it is.
    pub kind: Debris,
    /// Its text.
    pub text: String,
}

impl DebrisLine {
    /// `start..end`.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Kinds of simulated debris (named as [`crate::DebrisKind`] names them;
/// [`Debris::Boilerplate`] has no `DebrisKind`: the library reports shared
/// boilerplate as an overlap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Debris {
    /// A photo caption.
    Caption,
    /// A photo or wire credit.
    Credit,
    /// A jump marker ("（下转第四版）").
    JumpMarker,
    /// A "scan the code" prompt.
    QrPrompt,
    /// A page number or dateline.
    Furniture,
    /// Boilerplate of the paper (masthead, address block, standing notice):
    /// the same lines in scans of different families.
    Boilerplate,
    /// A logo or ornament read as letters (`HUttWir`, `~~*~~`).
    Garbage,
}

impl Debris {
    /// The kebab-case name.
    pub fn name(&self) -> &'static str {
        match self {
            Debris::Caption => "caption",
            Debris::Credit => "credit",
            Debris::JumpMarker => "jump-marker",
            Debris::QrPrompt => "qr-prompt",
            Debris::Furniture => "furniture",
            Debris::Boilerplate => "boilerplate",
            Debris::Garbage => "garbage",
        }
    }
}

pub(super) fn named(path: &Path, e: impl std::fmt::Display, kind: io::ErrorKind) -> io::Error {
    io::Error::new(kind, format!("{}: {e}", path.display()))
}

impl SimCorpus {
    /// Write every scan as `DIR/NAME.txt` and the truth as `DIR/truth.json`,
    /// creating `DIR` if needed. Scan files of an earlier run in `DIR`
    /// (`scan-*.txt`) are removed first, so the directory holds this corpus only.
    ///
    /// # Errors
    /// Any I/O error, naming the file.
    pub fn write(&self, dir: impl AsRef<Path>) -> io::Result<()> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| named(dir, &e, e.kind()))?;
        for entry in std::fs::read_dir(dir).map_err(|e| named(dir, &e, e.kind()))? {
            let path = entry.map_err(|e| named(dir, &e, e.kind()))?.path();
            let stale = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.strip_prefix("scan-")
                    .and_then(|n| n.strip_suffix(".txt"))
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            });
            if stale {
                std::fs::remove_file(&path).map_err(|e| named(&path, &e, e.kind()))?;
            }
        }
        for scan in &self.scans {
            let path = dir.join(format!("{}.txt", scan.name));
            std::fs::write(&path, &scan.text).map_err(|e| named(&path, &e, e.kind()))?;
        }
        let path = dir.join("truth.json");
        std::fs::write(&path, self.truth.to_json()).map_err(|e| named(&path, &e, e.kind()))
    }

    /// The scans as documents, for reconciling in memory.
    pub fn documents(&self) -> Vec<Document> {
        self.scans
            .iter()
            .map(|s| Document::from_text(s.name.clone(), s.text.clone()))
            .collect()
    }
}

impl Truth {
    /// Pretty-printed JSON.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("truth serialises");
        s.push('\n');
        s
    }

    /// Parse the JSON of a truth file.
    ///
    /// # Errors
    /// Malformed JSON, or a schema other than [`TRUTH_SCHEMA`].
    pub fn from_json(json: &str) -> Result<Truth, String> {
        let mut truth: Truth = serde_json::from_str(json).map_err(|e| e.to_string())?;
        // Lookups by name rely on the order the simulator writes.
        truth.scans.sort_by(|a, b| a.name.cmp(&b.name));
        if truth.schema != TRUTH_SCHEMA {
            return Err(format!(
                "schema {:?}, expected {TRUTH_SCHEMA:?}",
                truth.schema
            ));
        }
        Ok(truth)
    }

    /// Read a truth file: `PATH` itself, or `PATH/truth.json` for a directory.
    ///
    /// # Errors
    /// I/O errors, malformed JSON, a wrong schema; every error names the file.
    pub fn read(path: impl AsRef<Path>) -> io::Result<Truth> {
        let path = path.as_ref();
        let file: PathBuf = if path.is_dir() {
            path.join("truth.json")
        } else {
            path.to_path_buf()
        };
        let json = std::fs::read_to_string(&file).map_err(|e| named(&file, &e, e.kind()))?;
        Truth::from_json(&json).map_err(|e| named(&file, e, io::ErrorKind::InvalidData))
    }

    /// The scan named `name`.
    pub fn scan(&self, name: &str) -> Option<&TruthScan> {
        self.scans
            .binary_search_by(|s| s.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.scans[i])
    }
}
