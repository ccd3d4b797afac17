//! Output: what the library returns, types only. `decide` fills them in,
//! `render` writes them out; nothing here decides or formats.

use serde::Serialize;

use crate::segment::DebrisKind;

/// The rule that decided a variant site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Rule {
    /// Most witnesses read it, and their weights agree.
    Majority,
    /// The witnesses' weights (learned reliability) outvote a plain count, or
    /// break a tie the language model and confusable tables could not.
    Weighted,
    /// A character n-gram model of the corpus preferred it (a tie, or only two witnesses).
    LanguageModel,
    /// The readings differ by characters recognisers confuse; the commoner character won.
    Confusable,
    /// The readings differ by a character printed twice or dropped, the
    /// usual recognition errors: the reading that undoes the error won.
    OcrError,
    /// Only one witness reads the whole site (the others read part of it, or
    /// nothing, and do not vote).
    SoleWitness,
    /// Content present in some witnesses and passed over by others (abridgement,
    /// an added clause): kept once.
    Editorial,
    /// Nothing separated the readings; the reading of the first document (by id) was kept.
    Tie,
}

impl Rule {
    /// The name used in the JSON output.
    pub fn name(&self) -> &'static str {
        match self {
            Rule::Majority => "majority",
            Rule::Weighted => "weighted",
            Rule::LanguageModel => "language-model",
            Rule::Confusable => "confusable",
            Rule::OcrError => "ocr-error",
            Rule::SoleWitness => "sole-witness",
            Rule::Editorial => "editorial",
            Rule::Tie => "tie",
        }
    }
}

/// The result of a reconciliation: the documents read and the families found.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Reconciliation {
    /// Every input document, sorted by id.
    pub documents: Vec<DocumentInfo>,
    /// Families of reprints, ordered by their first document id.
    pub families: Vec<Family>,
}

/// What the output says of one input document.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct DocumentInfo {
    /// The document's id.
    pub id: String,
    /// The file it came from, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Size of the original file in bytes.
    pub bytes: usize,
    /// How it was decoded (`utf-8`, `gb18030`, …).
    pub encoding: &'static str,
}

/// One family of reprints and its canonical text.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Family {
    /// Index of the family in [`Reconciliation::families`].
    pub id: usize,
    /// Ids of its documents, sorted.
    pub documents: Vec<String>,
    /// The canonical text; paragraphs separated by `\n`.
    pub text: String,
    /// Which document ranges support which part of the text.
    pub spans: Vec<Span>,
    /// Every place where the witnesses differ, with the decision taken.
    pub variants: Vec<Variant>,
    /// Stretches of the documents left out of the text, with the reason.
    pub removed: Vec<Removed>,
    /// Passages shared with documents of other families (quotations, stock
    /// phrases). Informative only: these bytes are also accounted for in the
    /// spans, variants or removed items of this family.
    pub overlaps: Vec<Overlap>,
    /// The reliability learned for each document of the family.
    pub witnesses: Vec<WitnessWeight>,
    /// The punctuation style of the text: `fullwidth`, `halfwidth` or `as-scanned`.
    pub punctuation: &'static str,
}

/// A range of an original file: byte offsets, 0-based, half-open `[start, end)`,
/// always on character boundaries; `start <= end`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[non_exhaustive]
pub struct Support {
    /// Id of the document.
    pub document: String,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A part of the canonical text and the document ranges that read it.
///
/// `start..end` are byte offsets of [`Family::text`]. Each support range,
/// folded, equals the span's text folded (whitespace and paragraph breaks aside).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Span {
    /// First byte in the canonical text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The document ranges that read this text.
    pub support: Vec<Support>,
}

/// A variant site: the readings of the witnesses and the one chosen.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Variant {
    /// First byte of the chosen reading in the canonical text.
    pub start: usize,
    /// One past its last byte (`start == end` when the text omits the site).
    pub end: usize,
    /// The chosen reading, as printed.
    pub chosen: String,
    /// Every reading, chosen or not.
    pub readings: Vec<Reading>,
    /// The rule that decided.
    pub rule: Rule,
}

/// One reading of a variant site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Reading {
    /// The reading as the first of its documents prints it.
    pub text: String,
    /// Documents reading it.
    pub documents: Vec<String>,
    /// Where it is read (empty for a reading that omits the site).
    pub support: Vec<Support>,
    /// True for the reading the canonical text follows (its bytes are also
    /// the support of the spans there).
    pub chosen: bool,
    /// True for a document that covers only part of the site: reported, not counted.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

/// Why a stretch of a document is not in the canonical text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum RemovedKind {
    /// A repeat of text printed elsewhere in the same document (`of` says where).
    Duplicate,
    /// A truncated copy of a paragraph printed in full elsewhere (`of`).
    Fragment,
    /// Page debris: captions, credits, jump markers, prompts, furniture (`reason`).
    Debris,
    /// A passage belonging to another family.
    Overlap,
}

/// A stretch of a document left out of the canonical text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Removed {
    /// Id of the document.
    pub document: String,
    /// First byte in the original file.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Why it was removed.
    pub kind: RemovedKind,
    /// For debris, what kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<DebrisKind>,
    /// For duplicates and fragments, the copy kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<Support>,
}

/// A passage a document shares with a document of another family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Overlap {
    /// Id of the document (in this family).
    pub document: String,
    /// First byte in the original file.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The same passage in the other document.
    pub with: Support,
    /// The other document's family.
    pub family: usize,
}

/// The weight a document earned in its family's votes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct WitnessWeight {
    /// Id of the document.
    pub document: String,
    /// Log-odds weight from its estimated error rate.
    pub weight: f64,
}

/// How width-variant punctuation (`，`/`,`, `：`/`:` …) is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PunctuationStyle {
    /// The style most documents of the family use (fullwidth on a tie in Chinese text).
    #[default]
    Majority,
    /// Fullwidth after Chinese text, as in standard Chinese typesetting.
    Fullwidth,
    /// Halfwidth everywhere.
    Halfwidth,
    /// As the supporting documents print it.
    AsScanned,
}
