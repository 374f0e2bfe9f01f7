//! `kith models [--models DIR] [--json]`: the models `build` loads (the models directory's
//! files, else those built into kith), with their size, fingerprint and the scores their
//! training recorded (`kith_train::models`).

use crate::cli::ModelsArgs;
use anyhow::Result;
use kith_train::models::MODEL_FILES;
use serde_json::Value;
use std::process::ExitCode;

pub fn models(args: ModelsArgs) -> Result<ExitCode> {
    // Where `build` takes its models from: the user's directory, else the built-in ones.
    let (models, origin, missing) = match super::models_dir() {
        Some((dir, from)) => {
            let models = kith_train::models::list(&dir)?;
            let missing: Vec<&str> = MODEL_FILES
                .iter()
                .copied()
                .filter(|f| !dir.join(f).is_file())
                .collect();
            (models, format!("{} (from {from})", dir.display()), missing)
        }
        None => {
            let models = kith_models::MODELS
                .iter()
                .map(|m| {
                    kith_train::models::summary_of_bytes(m.bytes, std::path::Path::new(m.file))
                })
                .collect::<Result<Vec<_>, _>>()?;
            (models, "built into kith".to_string(), Vec::new())
        }
    };
    let embedded = super::models_dir().is_none();
    if args.json {
        let list: Vec<Value> = models
            .iter()
            .map(|m| {
                let scores: serde_json::Map<String, Value> = m.scores.iter().cloned().collect();
                serde_json::json!({
                    "path": m.path.display().to_string(), "kind": m.kind, "bytes": m.bytes,
                    "source": if embedded { "embedded" } else { "file" },
                    "fingerprint": m.fingerprint, "scores": scores,
                })
            })
            .collect();
        let v = serde_json::json!({
            "models": list, "from": origin, "missing": missing,
            "models_dir": super::models_dir().map(|(d, _)| d.display().to_string()),
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    if models.is_empty() {
        out!(
            "no model files in {origin} (looked for {})",
            MODEL_FILES.join(", ")
        );
    } else {
        out!("models {origin}");
        out!();
    }
    for (i, m) in models.iter().enumerate() {
        if i > 0 {
            out!();
        }
        let source = if embedded { "embedded" } else { "file" };
        out!("{} ({source})", m.path.display());
        let mut rows = vec![
            ("kind".to_string(), m.kind.clone()),
            (
                "size".to_string(),
                format!("{} bytes ({:.1} MB)", m.bytes, m.bytes as f64 / 1e6),
            ),
            ("fingerprint".to_string(), m.fingerprint.clone()),
        ];
        rows.extend(m.scores.iter().map(|(k, v)| (k.clone(), show(v))));
        let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (key, value) in rows {
            out!("  {key:<width$}  {value}");
        }
    }
    if !missing.is_empty() && !models.is_empty() {
        out!();
    }
    if !missing.is_empty() {
        out!(
            "missing: {} (kith build refuses this directory; --rules-only builds without models)",
            missing.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A metadata value on one line: numbers with at most two decimals, lists in brackets.
fn show(v: &Value) -> String {
    match v {
        Value::Number(n) if n.is_f64() => format!("{:.2}", n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(show).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}
