//! With the `transformer` feature, gives the `kith` binary an rpath to libtorch so it runs
//! without `LD_LIBRARY_PATH`. kith-transformer (`links = "kith_transformer"`) passes on the
//! directory torch-sys found; without the feature there is nothing to do.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=DEP_KITH_TRANSFORMER_LIBTORCH_LIB");
    if let Ok(dir) = std::env::var("DEP_KITH_TRANSFORMER_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg-bins=-Wl,-rpath,{dir}");
    }
}
