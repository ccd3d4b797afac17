//! Segmentation: blocks are sorted, disjoint, non-empty ranges of the folded
//! text, one or two per source line; and through the public API, a single
//! document reconciles with every byte accounted for and every removed range
//! (debris above all) on character boundaries inside the file.

use crate::check::{self, Input};
use crate::{fold, segment};
use reprint::{Document, Reconciler};

/// One fuzz input.
pub fn run(data: &[u8]) {
    let s = match std::str::from_utf8(data) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&data[..e.valid_up_to()]).unwrap(),
    };
    let f = fold::fold(s);
    let blocks = segment::segment(s, &f);
    let mut end = 0;
    let mut line = 0;
    for (k, b) in blocks.iter().enumerate() {
        assert!(b.range.start < b.range.end, "empty block {b:?}");
        assert!(b.range.start >= end, "blocks overlap or are unsorted");
        assert!(b.range.end as usize <= f.n());
        assert!(b.line >= line, "lines out of order");
        // Blocks of one line are adjacent (a line split before its credit).
        if k > 0 && b.line == line {
            assert_eq!(b.range.start, end);
        }
        end = b.range.end;
        line = b.line;
        // A block never crosses a line break of the source.
        let (lo, hi) = (
            f.own(b.range.start as usize),
            f.src(b.range.end as usize - 1),
        );
        assert!(!s[lo as usize..hi as usize].contains(['\n', '\r']) || lo == 0);
    }
    // Every folded character is in a block.
    let covered: usize = blocks.iter().map(|b| b.len()).sum();
    assert_eq!(covered, f.n());

    if f.n() == 0 || s.len() > 4096 {
        return;
    }
    let doc = Document::from_text("d", s);
    let r = Reconciler::new()
        .reconcile(std::slice::from_ref(&doc))
        .unwrap();
    assert_eq!(r.families.len(), 1);
    let inputs = [Input {
        doc,
        bytes: s.as_bytes().to_vec(),
    }];
    check::check_structure(&inputs, &r);
    check::check_conservation(&inputs, &r);
    check::check_provenance(&inputs, &r);
    for rem in &r.families[0].removed {
        assert!(rem.start < rem.end && rem.end <= s.len());
        assert!(s.is_char_boundary(rem.start) && s.is_char_boundary(rem.end));
    }
}
