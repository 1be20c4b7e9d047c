//! Links `waymark` on Linux as a position-dependent executable (`-no-pie`).
//!
//! A position-independent `waymark` has about 19,500 relocations that the dynamic loader
//! applies at every start, writing to some 90 pages of read-only data (each a copy-on-write
//! fault); linked at a fixed address it has none. That is about 0.7 ms of each run
//! (`waymark --version`: 3.0 against 2.3 ms), a noticeable share of a 20 ms `score r2r`.
//! The code stays position-independent; only the executable's load address is fixed.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bin=waymark=-no-pie");
    }
}
