//! Build script: link the `kith` binary as a position-dependent executable on Linux.
//!
//! A position-independent kith has some 50,000 relocations for the dynamic loader to apply
//! at every start, which touch about 350 pages: 1.2–1.5 ms of a command that takes 4–6 ms
//! in all (`kith --version` 3.4 → 1.9 ms, a filtered deal list 5.8 → 4.5 ms on the large
//! dataset; docs/performance.md). The cost is that the binary itself is not placed at a
//! random address (libraries, stack and heap still are). Only the binary is linked this
//! way; tests, benchmarks and examples keep the default.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=src/build.rs");
}
