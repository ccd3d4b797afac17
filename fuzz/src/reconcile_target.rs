//! A whole reconciliation of 1–4 small documents from arbitrary bytes (any
//! encoding `Document::from_bytes` accepts; documents it refuses are
//! skipped): the decoding reads as an independent decoder does, every input
//! byte is accounted for exactly once, every range lies on a character
//! boundary and reads what it supports, and the output does not depend on
//! the order of the inputs.
//!
//! Input: documents separated by the two bytes `\x1E\x1E` (record separators,
//! which no text uses), so that seeds are readable files joined. The
//! integration test `tests/fuzz_findings.rs` runs this on every finding.

use crate::check::{self, Input};
use reprint::Document;

/// One fuzz input.
pub fn run(data: &[u8]) {
    let mut inputs = Vec::new();
    for (k, part) in split(data, b"\x1E\x1E").take(4).enumerate() {
        match Document::from_bytes(format!("d{k}"), part) {
            Ok(doc) => inputs.push(Input {
                doc,
                bytes: part.to_vec(),
            }),
            // Refusals must say why in one line.
            Err(e) => assert!(!e.to_string().is_empty() && !e.to_string().contains('\n')),
        }
    }
    if inputs.is_empty() {
        return;
    }
    for i in &inputs {
        i.check_decoding();
    }
    check::reconcile_checked(&inputs);
}

/// The parts of `data` between separators.
fn split<'a>(data: &'a [u8], sep: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.windows(sep.len()).position(|w| w == sep) {
            Some(p) => {
                rest = Some(&r[p + sep.len()..]);
                Some(&r[..p])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}
