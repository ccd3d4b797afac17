//! # reprint
//!
//! Many noisy OCR scans of the same newspaper text in, one canonical text
//! out, with provenance for every span.
//!
//! ```
//! use reprint::{Document, Reconciler};
//!
//! let scans = [
//!     Document::from_text("a", "暴风雨最猛烈的地方，恰恰是“哪吒闹海”、“一飞冲天”的舞台。\n"),
//!     Document::from_text("b", "暴风雨最猛烈的地方，恰恰是“晒雨晒海”、“一飞冲天”的舞台。\n（下转第四版）\n"),
//!     Document::from_text("c", "暴风雨最猛烈的地方，恰恰是“哪吒闹海”、“一飞冲天”的舞台。\n"),
//! ];
//! let result = Reconciler::new().reconcile(&scans)?;
//! let family = &result.families[0];
//! assert_eq!(family.documents, ["a", "b", "c"]);
//! assert_eq!(family.text, "暴风雨最猛烈的地方，恰恰是“哪吒闹海”、“一飞冲天”的舞台。");
//! // The losing reading and the dropped jump marker are on record.
//! let variant = &family.variants[0];
//! assert_eq!(variant.chosen, "哪吒闹");
//! assert_eq!(variant.readings[1].text, "晒雨晒");
//! assert_eq!(variant.readings[1].documents, ["b"]);
//! assert_eq!(family.removed[0].kind, reprint::RemovedKind::Debris);
//! # Ok::<(), reprint::Error>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod align;
mod collate;
mod decide;
mod document;
mod error;
pub mod evaluate;
mod family;
mod fold;
mod index;
mod layout;
mod output;
mod reconcile;
mod render;
mod segment;
pub mod simulate;

pub use document::{Document, Encoding, Loaded, load};
pub use error::{Error, ErrorKind, Result};
pub use output::{
    DocumentInfo, Family, Overlap, PunctuationStyle, Reading, Reconciliation, Removed, RemovedKind,
    Rule, Span, Support, Variant, WitnessWeight,
};
pub use reconcile::{Config, Progress, Reconciler};
pub use segment::DebrisKind;

// The README's Rust example is compiled and run as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
