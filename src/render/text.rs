//! Plain text: each family's canonical text under a one-line header.

use crate::output::{Family, Reconciliation};

/// The header line of a family: its number and its documents.
pub(crate) fn header(f: &Family) -> String {
    format!("# family {}: {}", f.id, f.documents.join(", "))
}

pub(crate) fn to_text(r: &Reconciliation) -> String {
    let mut out = String::new();
    for (n, f) in r.families.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(&header(f));
        out.push_str("\n\n");
        out.push_str(&f.text);
        out.push('\n');
    }
    out
}
