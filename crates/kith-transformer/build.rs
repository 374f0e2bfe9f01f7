//! Gives binaries an rpath to libtorch, so they run without `LD_LIBRARY_PATH`.
//!
//! torch-sys (a direct dependency for this reason) declares `links = "tch"` and exports the
//! libtorch library directory as `DEP_TCH_LIBTORCH_LIB`. This script adds the rpath to this
//! crate's tests and examples, and passes the directory on as metadata
//! (`DEP_KITH_TRANSFORMER_LIBTORCH_LIB`) for the `kith` binary's build script, since link
//! arguments do not propagate to dependents. Without the `torch` feature: nothing to do.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
        println!("cargo:libtorch_lib={dir}");
    }
}
