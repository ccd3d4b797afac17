//! The `reprint/1` JSON contract.

use std::io::Write;

use serde::Serialize;

use crate::output::{DocumentInfo, Family, Reconciliation};

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

/// The contract written piece by piece: the documents, then one family at
/// a time, byte for byte as [`write_json`] writes the whole.
pub(crate) struct JsonWriter<W: std::io::Write> {
    out: std::io::BufWriter<W>,
    families: usize,
}

impl<W: std::io::Write> JsonWriter<W> {
    pub(crate) fn new(out: W) -> JsonWriter<W> {
        JsonWriter {
            out: std::io::BufWriter::with_capacity(1 << 16, out),
            families: 0,
        }
    }

    /// The opening, up to the start of the families.
    pub(crate) fn documents(&mut self, documents: &[DocumentInfo]) -> std::io::Result<()> {
        write!(self.out, "{{\"schema\":")?;
        serde_json::to_writer(&mut self.out, SCHEMA)?;
        write!(self.out, ",\"documents\":")?;
        serde_json::to_writer(&mut self.out, documents)?;
        write!(self.out, ",\"families\":[")
    }

    /// One family, already serialized.
    pub(crate) fn family(&mut self, json: &[u8]) -> std::io::Result<()> {
        if self.families > 0 {
            self.out.write_all(b",")?;
        }
        self.families += 1;
        self.out.write_all(json)
    }

    pub(crate) fn finish(mut self) -> std::io::Result<()> {
        self.out.write_all(b"]}\n")?;
        self.out.flush()
    }
}
