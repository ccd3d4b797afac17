//! The `reprint/1` JSON contract.

use serde::Serialize;

use super::{DocumentInfo, Family, Reconciliation};

/// The schema name written into every JSON output.
pub(crate) const SCHEMA: &str = "reprint/1";

#[derive(Serialize)]
struct Contract<'a> {
    schema: &'static str,
    documents: &'a [DocumentInfo],
    families: &'a [Family],
}

pub(crate) fn to_json(r: &Reconciliation) -> String {
    let contract = Contract {
        schema: SCHEMA,
        documents: &r.documents,
        families: &r.families,
    };
    // Compact: pretty printing made the output of a long family several
    // times larger and slower to write than the reconciliation itself.
    let mut out = serde_json::to_string(&contract).expect("the contract serializes");
    out.push('\n');
    out
}
