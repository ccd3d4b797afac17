//! Shared code of the fuzz targets: the crate's fold and segment modules
//! compiled in directly (they are `pub(crate)` in `reprint`, and fuzzing
//! them through a full reconciliation would be slow and indirect), and the
//! invariant checks of `tests/common/mod.rs`, adapted to documents read from
//! raw bytes in any supported encoding.

// The library's own source files, unchanged: `crate::fold` inside
// segment.rs resolves to the module below.
#[allow(dead_code, unreachable_pub)]
#[path = "../../src/fold.rs"]
pub mod fold;
#[allow(dead_code, unreachable_pub)]
#[path = "../../src/segment.rs"]
pub mod segment;

pub mod check;
pub mod fold_target;
pub mod layout_target;
pub mod reconcile_target;
pub mod segment_target;
