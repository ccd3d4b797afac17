//! The `reprint/1` JSON contract.

use std::io::Write;

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
    let mut out = Vec::new();
    write_json(r, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// The contract, written as it is serialized: the output of a large run is
/// as large as its input, and need not be held in memory a second time.
pub(crate) fn write_json(r: &Reconciliation, out: impl std::io::Write) -> std::io::Result<()> {
    let contract = Contract {
        schema: SCHEMA,
        documents: &r.documents,
        families: &r.families,
    };
    // Compact: pretty printing made the output of a long family several
    // times larger and slower to write than the reconciliation itself.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer(&mut out, &contract).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}
