//! Criterion benchmarks of rihla live in `benches/benches/`.
