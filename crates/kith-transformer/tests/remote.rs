//! The hub model (`TransformerNer::load_default`, feature `remote`) without a network: a
//! clean error naming the model, not a panic. Kith's machines cannot reach the model hub,
//! and a test must not download 1.3 GB where it can, so the test takes the network away
//! itself: every HTTP(S) request goes through a local "proxy" that accepts connections and
//! closes them at once, and rust-bert's cache is an empty temporary directory. The real
//! remote path runs (rust-bert's default config, its cache, cached-path, reqwest with TLS);
//! only the hub is out of reach. This file is its own test binary with one test, because it
//! sets process-wide environment variables.
//!
//!   cargo test -p kith-transformer --features remote --test remote
#![cfg(feature = "remote")]

use kith_transformer::{TransformerError, TransformerNer, TransformerOptions, DEFAULT_MODEL};
use std::net::TcpListener;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[test]
fn default_model_without_network_is_a_clean_error_naming_the_model() {
    // A proxy that refuses to carry anything: accepts, counts, closes.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&connections);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    for var in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        std::env::set_var(var, &proxy);
    }
    for var in ["NO_PROXY", "no_proxy"] {
        std::env::remove_var(var);
    }
    let cache = std::env::temp_dir().join(format!(
        "kith-transformer-rustbert-cache-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&cache);
    std::env::set_var("RUSTBERT_CACHE", &cache);

    let options = TransformerOptions {
        device: tch::Device::Cpu,
        ..TransformerOptions::default()
    };
    for attempt in 0..2 {
        let loaded = catch_unwind(AssertUnwindSafe(|| {
            TransformerNer::load_default_with(options)
        }));
        let error = match loaded {
            Ok(Ok(ner)) => panic!("attempt {attempt}: loaded {ner:?} with the network taken away"),
            Ok(Err(error)) => error,
            Err(_) => {
                panic!("attempt {attempt}: load_default panicked instead of returning an error")
            }
        };
        let message = error.to_string();
        eprintln!("attempt {attempt}: {message}");
        assert!(
            matches!(error, TransformerError::Fetch { model, .. } if model == DEFAULT_MODEL),
            "attempt {attempt}: {message}"
        );
        // Names the model and the file, and fails on the small configuration first (no
        // attempt at the weights).
        assert!(message.contains(DEFAULT_MODEL), "{message}");
        assert!(message.contains("config.json"), "{message}");
        assert!(!message.contains("rust_model.ot"), "{message}");
    }
    // The request really went out (to the proxy), through rust-bert's remote resources.
    assert!(
        connections.load(Ordering::SeqCst) >= 2,
        "no request reached the proxy"
    );
    let _ = std::fs::remove_dir_all(&cache);
}
