//! `kith models [--models DIR] [--json]`: the model files of the models directory, with
//! their size, fingerprint and the scores their training recorded
//! (`kith_train::models`).

use crate::cli::ModelsArgs;
use anyhow::Result;
use kith_train::models::MODEL_FILES;
use serde_json::Value;
use std::process::ExitCode;

pub fn models(args: ModelsArgs) -> Result<ExitCode> {
    let dir = super::models_dir();
    let models = kith_train::models::list(&dir)?;
    if args.json {
        let list: Vec<Value> = models
            .iter()
            .map(|m| {
                let scores: serde_json::Map<String, Value> = m.scores.iter().cloned().collect();
                serde_json::json!({
                    "path": m.path.display().to_string(), "kind": m.kind, "bytes": m.bytes,
                    "fingerprint": m.fingerprint, "scores": scores,
                })
            })
            .collect();
        let v = serde_json::json!({"models_dir": dir.display().to_string(), "models": list});
        out!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    if models.is_empty() {
        out!(
            "no model files in {} (looked for {})",
            dir.display(),
            MODEL_FILES.join(", ")
        );
        return Ok(ExitCode::SUCCESS);
    }
    for (i, m) in models.iter().enumerate() {
        if i > 0 {
            out!();
        }
        out!("{}", m.path.display());
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
