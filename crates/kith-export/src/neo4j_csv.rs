//! A directory of CSV files for `neo4j-admin database import full` (and Kùzu `COPY FROM`).

use crate::common::{
    confidence_str, document_count, evidence_json, relationship_type, wikidata_id, write_file,
};
use crate::ExportError;
use kith_graph::KnowledgeGraph;
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) const NODES_HEADER: [&str; 8] = [
    "id:ID",
    "name",
    "kind",
    "aliases:string[]",
    "mention_count:int",
    "document_count:int",
    "external_ids:string[]",
    ":LABEL",
];

pub(crate) const RELATIONSHIPS_HEADER: [&str; 13] = [
    ":START_ID",
    ":END_ID",
    ":TYPE",
    "id",
    "predicate",
    "class",
    "polarity",
    "modality",
    "confidence:double",
    "count:int",
    "evidence",
    "wikidata",
    "documents:string[]",
];

/// Document nodes: the `id:ID` is `document:<document id>` (entity ids hold no `:`, so
/// the two never meet in neo4j-admin's one id space); `doc_id` is the document id as
/// evidence names it.
pub(crate) const DOCUMENTS_HEADER: [&str; 9] = [
    "id:ID",
    "doc_id",
    "title",
    "url",
    "published",
    "source",
    "chars:int",
    "sentences:int",
    ":LABEL",
];

/// `(:Document)-[:SUPPORTS]->(:Entity)`: one per document and end of a fact the document
/// states, with the fact's relation id; so a document leads to the facts it supports, and
/// a fact (whose `documents` column lists its documents) back to them.
pub(crate) const SUPPORTS_HEADER: [&str; 6] = [
    ":START_ID",
    ":END_ID",
    ":TYPE",
    "relation",
    "predicate",
    "statements:int",
];

pub(crate) const IMPORT_COMMAND: &str = "neo4j-admin database import full --nodes=nodes.csv \
--nodes=documents.csv --relationships=relationships.csv --relationships=supports.csv \
--multiline-fields=true --array-delimiter=\";\" neo4j";

/// The node id of a document.
fn document_node(doc: &kith_schema::DocId) -> String {
    format!("document:{}", doc.0)
}

/// A field: NUL (which neo4j-admin cannot read) becomes U+FFFD.
fn field(s: &str) -> String {
    s.replace('\0', "\u{FFFD}")
}

/// An array item: also `;` becomes `,`, so it cannot split the item, and the item is
/// [`neutralised`] on its own (a consumer splitting the array sees no formula either).
fn item(s: &str) -> String {
    neutralised(field(s).replace(';', ","))
}

/// A cell a spreadsheet would run as a formula (one starting with `=`, `+`, `-`, `@`, tab
/// or carriage return) gets a leading `'`, as OWASP recommends against CSV injection; so
/// does one already starting with `'`, so that removing one leading `'` always gives the
/// text back. Numbers never start so: confidences and counts are not negative.
fn neutralised(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) {
        format!("'{cell}")
    } else {
        cell
    }
}

fn csv_err(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

fn write_csv(out: &mut dyn Write, header: &[&str], rows: Vec<Vec<String>>) -> std::io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    writer.write_record(header).map_err(csv_err)?;
    for row in rows {
        let row = row.into_iter().map(neutralised);
        writer.write_record(row).map_err(csv_err)?;
    }
    writer.flush()
}

fn nodes(graph: &KnowledgeGraph) -> Vec<Vec<String>> {
    graph
        .entities()
        .map(|e| {
            let aliases: Vec<String> = e.aliases.iter().map(|a| item(a)).collect();
            let external: Vec<String> = e
                .external_ids
                .iter()
                .map(|(r, v)| item(&format!("{r}={v}")))
                .collect();
            vec![
                field(&e.id.0),
                field(&e.name),
                e.kind.as_str().to_string(),
                aliases.join(";"),
                e.mention_count().to_string(),
                document_count(e).to_string(),
                external.join(";"),
                format!("Entity;{}", e.kind.as_str()),
            ]
        })
        .collect()
}

fn relationships(graph: &KnowledgeGraph) -> Vec<Vec<String>> {
    graph
        .relations()
        .map(|r| {
            vec![
                field(&r.subject.0),
                field(&r.object.0),
                relationship_type(&r.predicate),
                field(&r.id.0),
                field(&r.predicate),
                r.class.map(|c| c.as_str()).unwrap_or("").to_string(),
                r.polarity.as_str().to_string(),
                r.modality.as_str().to_string(),
                confidence_str(r.confidence),
                r.count().to_string(),
                field(&evidence_json(&r.evidence)),
                wikidata_id(r).unwrap_or("").to_string(),
                statements_by_document(r)
                    .keys()
                    .map(|d| item(&document_node(d)))
                    .collect::<Vec<_>>()
                    .join(";"),
            ]
        })
        .collect()
}

/// How many of a relation's evidence records each document gives, in document order.
fn statements_by_document(
    relation: &kith_graph::Relation,
) -> std::collections::BTreeMap<&kith_schema::DocId, usize> {
    let mut by_doc = std::collections::BTreeMap::new();
    for e in relation.evidence.iter() {
        *by_doc.entry(&e.doc).or_insert(0) += 1;
    }
    by_doc
}

fn supports(graph: &KnowledgeGraph) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for r in graph.relations() {
        for (doc, statements) in statements_by_document(r) {
            let mut ends = vec![&r.subject, &r.object];
            ends.dedup();
            for end in ends {
                rows.push(vec![
                    field(&document_node(doc)),
                    field(&end.0),
                    "SUPPORTS".to_string(),
                    field(&r.id.0),
                    field(&r.predicate),
                    statements.to_string(),
                ]);
            }
        }
    }
    rows
}

fn documents(graph: &KnowledgeGraph) -> Vec<Vec<String>> {
    graph
        .documents()
        .map(|d| {
            vec![
                field(&document_node(&d.id)),
                field(&d.id.0),
                field(d.title.as_deref().unwrap_or("")),
                field(d.url.as_deref().unwrap_or("")),
                field(d.published.as_deref().unwrap_or("")),
                field(&d.source),
                d.chars.to_string(),
                d.sentences.to_string(),
                "Document".to_string(),
            ]
        })
        .collect()
}

fn readme(graph: &KnowledgeGraph) -> String {
    format!(
        "Kith knowledge graph for Neo4j: {} entities, {} relations, {} documents.\n\
         \n\
         Import into an empty database (stop it first; see import.sh):\n\
         \n\
         \x20   {IMPORT_COMMAND}\n\
         \n\
         nodes.csv columns: {}\n\
         relationships.csv columns: {}\n\
         documents.csv columns (nodes labelled Document): {}\n\
         supports.csv columns (Document -SUPPORTS-> each end of a fact it states): {}\n\
         \n\
         The facts a document supports, and the documents of a fact:\n\
         \n\
         \x20   MATCH (d:Document {{source: 'articles/a.txt'}})-[s:SUPPORTS]->(x)-[r]-() WHERE r.id = s.relation RETURN DISTINCT r\n\
         \x20   MATCH ()-[r {{predicate: 'works-for'}}]->(), (d:Document) WHERE d.id IN r.documents RETURN d.source\n\
         \n\
         Arrays are separated by ';' (a ';' inside an item was replaced by ','). The evidence\n\
         column is a JSON list of {{doc, sentence, span: {{start, end}}, sentence_text, confidence}}\n\
         with character offsets. The wikidata column is the Wikidata property of the predicate\n\
         (works-for: P108), empty for predicates without one. Fields may contain line breaks,\n\
         hence --multiline-fields=true. A cell or array item starting with =, +, -, @, a tab,\n\
         a carriage return or ' has a ' put before it (against formula injection in\n\
         spreadsheets): remove one leading ' to get the text.\n",
        graph.entities().len(),
        graph.relations().len(),
        graph.documents().len(),
        NODES_HEADER.join(","),
        RELATIONSHIPS_HEADER.join(","),
        DOCUMENTS_HEADER.join(","),
        SUPPORTS_HEADER.join(","),
    )
}

const IMPORT_SH: &str = "#!/bin/sh\n\
# Import this directory into the Neo4j database \"neo4j\" (which must be stopped; the\n\
# import replaces its contents only with --overwrite-destination).\n\
set -e\n\
cd \"$(dirname \"$0\")\"\n\
exec neo4j-admin database import full --nodes=nodes.csv --nodes=documents.csv \
--relationships=relationships.csv --relationships=supports.csv --multiline-fields=true --array-delimiter=\";\" \"$@\" neo4j\n";

pub(crate) fn write_dir(graph: &KnowledgeGraph, dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Io {
        path: dir.into(),
        source,
    })?;
    let mut written = Vec::new();
    let mut file = |name: &str, mode: u32, body: &dyn Fn(&mut dyn Write) -> std::io::Result<()>| {
        let path = dir.join(name);
        write_file(&path, mode, |w| body(w))?;
        written.push(path);
        Ok::<(), ExportError>(())
    };
    file("nodes.csv", 0o644, &|w| {
        write_csv(w, &NODES_HEADER, nodes(graph))
    })?;
    file("relationships.csv", 0o644, &|w| {
        write_csv(w, &RELATIONSHIPS_HEADER, relationships(graph))
    })?;
    file("documents.csv", 0o644, &|w| {
        write_csv(w, &DOCUMENTS_HEADER, documents(graph))
    })?;
    file("supports.csv", 0o644, &|w| {
        write_csv(w, &SUPPORTS_HEADER, supports(graph))
    })?;
    file("README.txt", 0o644, &|w| {
        w.write_all(readme(graph).as_bytes())
    })?;
    file("import.sh", 0o755, &|w| w.write_all(IMPORT_SH.as_bytes()))?;
    Ok(written)
}
