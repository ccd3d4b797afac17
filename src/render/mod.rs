//! Render: the formats a reconciliation is written in (plain text, JSON,
//! the HTML report, TEI). It formats a finished [`Reconciliation`] and
//! makes no decision.

mod html;
mod json;
mod tei;
mod text;

pub(crate) use json::JsonWriter;

use crate::output::Reconciliation;

impl Reconciliation {
    /// The `reprint/1` JSON contract, on one line (pipe it through `jq` to read it).
    pub fn to_json(&self) -> String {
        json::to_json(self)
    }

    /// Write the JSON of [`Reconciliation::to_json`] to `out` as it is
    /// produced (buffered), without building it in memory first.
    ///
    /// # Errors
    /// Any error writing to `out`.
    pub fn write_json(&self, out: impl std::io::Write) -> std::io::Result<()> {
        json::write_json(self, out)
    }

    /// Each family's canonical text under a short header naming its documents.
    pub fn to_text(&self) -> String {
        text::to_text(self)
    }
}
