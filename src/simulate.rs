//! Scan simulator: noisy scans with known truth (work in progress).
