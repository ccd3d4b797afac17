//! HTML report (work in progress).
