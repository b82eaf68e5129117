//! Links the `opedex` binary as a position-dependent executable on Linux
//! with the GNU toolchain.
//!
//! Why: a position-independent build carries about 68,000 relative
//! relocations (static tables of stemmers, HTML atoms, language models) that
//! the dynamic loader applies, page by page, at every start: 4.4 ms of a
//! `--version` run against 1.8 ms without them, and about 2.8 ms of every
//! whole-process `opedex search` (ARCHITECTURE.md, "Why these choices").
//! The cost is address-space randomisation of the executable's own image;
//! libraries, heap and stack are still randomised.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
