//! `kith remove GRAPH SOURCE...`: take documents out of a graph by source or id, so that
//! it becomes the graph the remaining documents build. All or nothing: a name that matches
//! no document is an error and the graph is left as it was.

use crate::cli::RemoveArgs;
use crate::output::{one_line, plural};
use anyhow::{Context, Result};
use kith_graph::{GraphStore, KnowledgeGraph, RemoveCounts};
use kith_schema::DocId;
use std::process::ExitCode;

pub fn remove(args: RemoveArgs) -> Result<ExitCode> {
    let path = &args.graph;
    let cannot = || format!("cannot write {}", path.display());
    let counts = if kith_graph::store::is_store(path) {
        let mut store = GraphStore::open(path)
            .with_context(|| format!("cannot read graph {}", path.display()))?;
        store.set_busy_timeout(super::busy_timeout())?;
        // The write lock first, so the documents found are the ones removed.
        store.begin().with_context(cannot)?;
        let mut ids = Vec::new();
        for name in &args.sources {
            let mut found: Vec<DocId> = store
                .documents_with_source(name)?
                .into_iter()
                .map(|d| d.id)
                .collect();
            let id = DocId(name.as_str().into());
            if store.document(&id)?.is_some() {
                found.push(id);
            }
            ids.extend(unknown_if_empty(found, name, path)?);
        }
        let counts = store.remove_documents(&ids).with_context(cannot)?;
        store.commit().with_context(cannot)?;
        counts
    } else {
        let _lock = super::lock_json_graph(path)?;
        let mut graph = super::load_graph(path)?;
        let mut ids = Vec::new();
        for name in &args.sources {
            let found = documents_named(&graph, name);
            ids.extend(unknown_if_empty(found, name, path)?);
        }
        let counts = graph.remove_documents(&ids).with_context(cannot)?;
        graph.save(path).with_context(cannot)?;
        counts
    };
    report(path, counts);
    Ok(ExitCode::SUCCESS)
}

/// The documents of a graph held whole with this source or id.
fn documents_named(graph: &KnowledgeGraph, name: &str) -> Vec<DocId> {
    let mut found: Vec<DocId> = graph
        .documents_with_source(name)
        .into_iter()
        .map(|d| d.id.clone())
        .collect();
    let id = DocId(name.into());
    if graph.contains_document(&id) {
        found.push(id);
    }
    found
}

fn unknown_if_empty(found: Vec<DocId>, name: &str, graph: &std::path::Path) -> Result<Vec<DocId>> {
    if found.is_empty() {
        anyhow::bail!(
            "{}: no document has the source or id {}; nothing removed",
            one_line(&graph.display().to_string()),
            one_line(&format!("{name:?}"))
        );
    }
    Ok(found)
}

fn report(path: &std::path::Path, counts: RemoveCounts) {
    eprintln!(
        "kith: removed {} from {} ({} and {} no remaining document names)",
        plural(counts.documents, "document", "documents"),
        one_line(&path.display().to_string()),
        plural(counts.entities, "entity", "entities"),
        plural(counts.relations, "relation", "relations"),
    );
}
