//! Helpers shared by the exporters.

use crate::ExportError;
use kith_graph::{Entity, KnowledgeGraph, Relation};
use kith_schema::{EntityType, Evidence};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

/// Write `path` atomically through [`kith_graph::file::write_atomically`], then give it
/// `mode` (the temporary file is created 0600, which other users, such as a database
/// server reading an import directory, could not read).
pub(crate) fn write_file(
    path: &Path,
    mode: u32,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), ExportError> {
    kith_graph::file::write_atomically(path, |w| write(w)).map_err(ExportError::from_graph)?;
    set_mode(path, mode)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<(), ExportError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(|source| {
        ExportError::Io {
            path: path.into(),
            source,
        }
    })
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> Result<(), ExportError> {
    Ok(())
}

/// A float with at most 6 decimals, at least one, never in exponent form: `0.9`, `1.0`.
pub(crate) fn fmt_float(x: f64) -> String {
    let x = if x.is_finite() { x } else { 0.0 };
    let mut s = format!("{x:.6}");
    while s.ends_with('0') && !s.ends_with(".0") {
        s.pop();
    }
    if s == "-0.0" {
        s = "0.0".into();
    }
    s
}

/// A confidence as written everywhere: clamped to [0, 1], non-finite as 0, rounded to 3
/// decimals (so that `0.8f32` is `0.8`, not `0.800000011920929`; more digits than three
/// would claim a precision the scores do not have). Formatting, not arithmetic, rounds,
/// so the same f32 always gives the same text.
pub fn confidence(x: f32) -> f64 {
    let x = if x.is_finite() {
        (x as f64).clamp(0.0, 1.0)
    } else {
        0.0
    };
    format!("{x:.3}").parse().unwrap_or(0.0)
}

/// One evidence record as JSON, its confidence rounded by [`confidence`]: what every
/// export (and `kith neighbors --json --evidence`) writes.
pub fn evidence_value(evidence: &Evidence) -> serde_json::Value {
    let mut value = serde_json::to_value(evidence).unwrap_or_default();
    value["confidence"] = serde_json::json!(confidence(evidence.confidence));
    value
}

pub(crate) fn confidence_str(x: f32) -> String {
    fmt_float(confidence(x))
}

/// The relationship type of a predicate: `[A-Z0-9_]`, starting with a letter.
pub(crate) fn relationship_type(predicate: &str) -> String {
    let mut out = String::new();
    let mut pending_sep = false;
    for c in predicate.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_sep && !out.is_empty() {
                out.push('_');
            }
            pending_sep = false;
            out.push(c.to_ascii_uppercase());
        } else {
            pending_sep = true;
        }
    }
    if out.is_empty() {
        return "RELATED_TO".into();
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "REL_");
    }
    out
}

/// An identifier safe in every format: `[A-Za-z0-9_]`, other runs of characters as `_`.
pub(crate) fn sanitize_ident(raw: &str) -> String {
    let mut out = String::new();
    let mut pending_sep = false;
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_sep && !out.is_empty() {
                out.push('_');
            }
            pending_sep = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_sep = true;
        }
    }
    if out.is_empty() {
        out.push_str("id");
    }
    out
}

/// The external-id registries used in the graph, each with a unique sanitised key
/// (`x_iso3166_1_alpha2`), in registry order.
pub(crate) fn registries(graph: &KnowledgeGraph) -> Vec<(String, String)> {
    let names: BTreeSet<&String> = graph
        .entities()
        .flat_map(|e| e.external_ids.keys())
        .collect();
    let mut used = BTreeSet::new();
    names
        .into_iter()
        .map(|name| {
            let base = format!("x_{}", sanitize_ident(name));
            let mut key = base.clone();
            let mut n = 2;
            while !used.insert(key.clone()) {
                key = format!("{base}_{n}");
                n += 1;
            }
            (name.clone(), key)
        })
        .collect()
}

/// The attribute name to use for a registry in formats with named attributes, avoiding
/// the fixed names.
pub(crate) fn registry_attr_name(registry: &str, fixed: &[&str]) -> String {
    if fixed.contains(&registry) {
        format!("external:{registry}")
    } else {
        registry.to_string()
    }
}

/// The Wikidata property id of a relation's predicate (`works-for` → `P108`), if it has
/// one (see [`kith_schema::wikidata`]).
pub(crate) fn wikidata_id(relation: &Relation) -> Option<&'static str> {
    kith_schema::wikidata_property(&relation.predicate)
}

/// The evidence list as a JSON string.
pub(crate) fn evidence_json(evidence: &kith_graph::Provenance<Evidence>) -> String {
    let list: Vec<serde_json::Value> = evidence.iter().map(evidence_value).collect();
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn document_count(entity: &Entity) -> usize {
    entity.documents().len()
}

/// The label for a relation in pictures: predicate, `not …`, modality, `×N`.
pub(crate) fn relation_label(relation: &Relation) -> String {
    use kith_schema::{Modality, Polarity};
    if relation.is_cooccurrence() {
        return if relation.count() > 1 {
            format!("×{}", relation.count())
        } else {
            String::new()
        };
    }
    let mut label = String::new();
    if relation.polarity == Polarity::Negated {
        label.push_str("not ");
    }
    label.push_str(&relation.predicate);
    match relation.modality {
        Modality::Asserted => {}
        Modality::Planned => label.push_str(" (planned)"),
        Modality::Reported => label.push_str(" (reported)"),
        Modality::Conditional => label.push_str(" (conditional)"),
    }
    if relation.count() > 1 {
        label.push_str(&format!(" ×{}", relation.count()));
    }
    label
}

/// Colours per entity type: (fill as `#rrggbb`, r, g, b).
pub(crate) fn type_colour(kind: EntityType) -> (&'static str, u8, u8, u8) {
    match kind {
        EntityType::Person => ("#a8c8f0", 0xa8, 0xc8, 0xf0),
        EntityType::Organization => ("#f5c98a", 0xf5, 0xc9, 0x8a),
        EntityType::Country => ("#9fd8a4", 0x9f, 0xd8, 0xa4),
        EntityType::Location => ("#e3eb8f", 0xe3, 0xeb, 0x8f),
        EntityType::Event => ("#f2a6a6", 0xf2, 0xa6, 0xa6),
        EntityType::Role => ("#cdb8ee", 0xcd, 0xb8, 0xee),
        EntityType::Other => ("#d9d9d9", 0xd9, 0xd9, 0xd9),
    }
}

/// Whether an external id can be used as a `sameAs` URI, and which one.
pub(crate) fn same_as_uri(registry: &str, value: &str) -> Option<String> {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if (lower.starts_with("http://") || lower.starts_with("https://"))
        && v.len() > 8
        && !v
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c))
    {
        return Some(v.to_string());
    }
    let reg = registry.to_ascii_lowercase();
    if reg.starts_with("wikidata")
        && v.len() > 1
        && v.starts_with('Q')
        && v[1..].chars().all(|c| c.is_ascii_digit())
    {
        return Some(format!("http://www.wikidata.org/entity/{v}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_fixed() {
        assert_eq!(fmt_float(1.0), "1.0");
        assert_eq!(fmt_float(0.0), "0.0");
        assert_eq!(fmt_float(1e-9), "0.0");
        assert_eq!(confidence_str(0.9), "0.9");
        assert_eq!(confidence_str(f32::NAN), "0.0");
        assert_eq!(confidence_str(7.0), "1.0");
        // Three decimals, never the f32's binary tail.
        assert_eq!(confidence(0.8), 0.8);
        assert_eq!(confidence_str(0.651_273_4), "0.651");
        let evidence = Evidence {
            doc: kith_schema::DocId("d".into()),
            sentence: 0,
            span: kith_schema::CharSpan { start: 0, end: 1 },
            sentence_text: "x".into(),
            confidence: 0.8,
        };
        let text = serde_json::to_string(&evidence_value(&evidence)).unwrap();
        assert!(
            text.contains("\"confidence\":0.8") && !text.contains("0.800"),
            "{text}"
        );
    }

    #[test]
    fn relationship_types() {
        assert_eq!(relationship_type("speak-with"), "SPEAK_WITH");
        assert_eq!(relationship_type("co-occurs-with"), "CO_OCCURS_WITH");
        assert_eq!(relationship_type("2nd-meeting"), "REL_2ND_MEETING");
        assert_eq!(relationship_type("говорить"), "RELATED_TO");
        assert_eq!(
            relationship_type("\"}] MATCH (n) DETACH DELETE n //"),
            "MATCH_N_DETACH_DELETE_N"
        );
    }
}
