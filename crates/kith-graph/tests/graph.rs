use kith_graph::{file, GraphError, GraphOptions, KnowledgeGraph, NeighborQuery};
use kith_schema::*;
use std::collections::BTreeMap;

fn mention(doc: &str, sentence: u32, start: u32, text: &str) -> Mention {
    Mention {
        doc: DocId(doc.into()),
        sentence,
        span: CharSpan::new(start, start + text.chars().count() as u32),
        text: text.into(),
        confidence: 0.9,
        resolved_by: None,
    }
}

fn entity(kind: EntityType, name: &str, doc: &str, start: u32) -> EntityFacts {
    EntityFacts {
        kind,
        name: name.into(),
        aliases: vec![],
        external_ids: BTreeMap::new(),
        mentions: vec![mention(doc, 0, start, name)],
    }
}

fn country(name: &str, code: &str, doc: &str, start: u32) -> EntityFacts {
    let mut e = entity(EntityType::Country, name, doc, start);
    e.external_ids
        .insert("iso3166-1:alpha2".into(), code.into());
    e
}

fn relation(
    subject: usize,
    object: usize,
    predicate: &str,
    doc: &str,
    text: &str,
) -> RelationFacts {
    RelationFacts {
        subject,
        object,
        predicate: predicate.into(),
        class: Some(RelationClass::Communication),
        polarity: Polarity::Affirmed,
        modality: Modality::Planned,
        confidence: 0.7,
        evidence: Evidence {
            doc: DocId(doc.into()),
            sentence: 0,
            span: CharSpan::new(0, text.chars().count() as u32),
            sentence_text: text.into(),
            confidence: 0.7,
        },
    }
}

fn document(id: &str, entities: Vec<EntityFacts>, relations: Vec<RelationFacts>) -> DocumentFacts {
    DocumentFacts {
        producer: "test".into(),
        document: DocumentInfo {
            id: DocId(id.into()),
            title: None,
            url: None,
            published: None,
            source: format!("{id}.txt"),
            chars: 100,
            sentences: 1,
        },
        entities,
        relations,
        sentences: vec![],
    }
}

/// Three small documents that share entities.
fn corpus() -> Vec<DocumentFacts> {
    let s1 = "Marco Rubio will speak with India.";
    let s2 = "Rubio will speak with India's foreign minister.";
    vec![
        document(
            "d1",
            vec![
                entity(EntityType::Person, "Marco Rubio", "d1", 0),
                country("India", "IN", "d1", 28),
            ],
            vec![relation(0, 1, "speak-with", "d1", s1)],
        ),
        document(
            "d2",
            vec![
                entity(EntityType::Person, "marco rubio", "d2", 0),
                country("India", "IN", "d2", 22),
                country("Pakistan", "PK", "d2", 40),
            ],
            vec![relation(0, 1, "speak-with", "d2", s2)],
        ),
        document(
            "d3",
            vec![
                country("Republic of India", "IN", "d3", 0),
                country("Pakistan", "PK", "d3", 30),
            ],
            vec![],
        ),
    ]
}

fn bytes(graph: &KnowledgeGraph) -> Vec<u8> {
    let mut out = Vec::new();
    graph.write_json(&mut out).unwrap();
    out
}

fn graph_of(
    docs: impl IntoIterator<Item = DocumentFacts>,
    options: GraphOptions,
) -> KnowledgeGraph {
    let mut g = KnowledgeGraph::new(options);
    for d in docs {
        g.add_document(d).unwrap();
    }
    g
}

#[test]
fn entities_merge_by_name_and_external_id() {
    let g = graph_of(corpus(), GraphOptions::default());
    assert_eq!(g.documents().len(), 3);
    assert_eq!(g.entities().len(), 3, "Rubio, India, Pakistan");
    let india = g.resolve("republic of india").unwrap();
    assert_eq!(india.external_ids["iso3166-1:alpha2"], "IN");
    assert_eq!(india.mention_count(), 3);
    assert_eq!(
        india.name, "Republic of India",
        "the longer name is canonical"
    );
    assert!(india.aliases.contains("India"));
    let rubio = g.resolve("MARCO RUBIO").unwrap();
    assert_eq!(rubio.documents().len(), 2);
    let speak: Vec<_> = g
        .relations()
        .filter(|r| r.predicate == "speak-with")
        .collect();
    assert_eq!(speak.len(), 1);
    assert_eq!(speak[0].count(), 2, "both statements kept as evidence");
}

#[test]
fn adding_a_document_twice_changes_nothing() {
    let mut g = graph_of(corpus(), GraphOptions::default());
    let before = bytes(&g);
    assert_eq!(
        g.add_document(corpus().remove(0)).unwrap(),
        kith_graph::AddOutcome::AlreadyPresent
    );
    assert_eq!(bytes(&g), before);
}

#[test]
fn merge_is_associative_and_commutative() {
    let whole = bytes(&graph_of(corpus(), GraphOptions { cooccurrence: true }));
    let orders: [[usize; 3]; 4] = [[0, 1, 2], [2, 1, 0], [1, 0, 2], [2, 0, 1]];
    for order in orders {
        let docs = corpus();
        let parts: Vec<KnowledgeGraph> = order
            .iter()
            .map(|&i| graph_of([docs[i].clone()], GraphOptions { cooccurrence: true }))
            .collect();
        let mut left = parts[0].clone();
        let mut right = parts[1].clone();
        right.merge(parts[2].clone()).unwrap();
        left.merge(right).unwrap();
        assert_eq!(bytes(&left), whole, "grouping (a (b c)) in order {order:?}");
        let mut flat = parts[2].clone();
        flat.merge(parts[1].clone()).unwrap();
        flat.merge(parts[0].clone()).unwrap();
        assert_eq!(bytes(&flat), whole, "((c b) a) in order {order:?}");
    }
}

#[test]
fn cooccurrence_edges_only_when_asked() {
    let plain = graph_of(corpus(), GraphOptions::default());
    assert!(plain.relations().all(|r| !r.is_cooccurrence()));
    let weighted = graph_of(corpus(), GraphOptions { cooccurrence: true });
    let edges: Vec<_> = weighted
        .relations()
        .filter(|r| r.is_cooccurrence())
        .collect();
    // d1: Rubio–India; d2: Rubio–India, Rubio–Pakistan, India–Pakistan; d3: India–Pakistan.
    assert_eq!(edges.len(), 3);
    let india_pakistan = edges
        .iter()
        .find(|r| {
            let names = [
                &weighted.entity(&r.subject).unwrap().name,
                &weighted.entity(&r.object).unwrap().name,
            ];
            names.contains(&&"Pakistan".to_string()) && !names.iter().any(|n| n.contains("Rubio"))
        })
        .unwrap();
    assert_eq!(india_pakistan.count(), 2);
}

#[test]
fn file_round_trip_and_atomic_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.json");
    let g = graph_of(corpus(), GraphOptions::default());
    g.save(&path).unwrap();
    let loaded = KnowledgeGraph::load(&path).unwrap();
    assert_eq!(loaded, g);
    assert_eq!(bytes(&loaded), bytes(&g));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");
}

#[test]
fn failed_write_keeps_the_previous_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.json");
    std::fs::write(&path, b"previous").unwrap();
    let result = file::write_atomically(&path, |w| {
        use std::io::Write;
        w.write_all(b"half a gra")?;
        Err(std::io::Error::other("interrupted"))
    });
    assert!(result.is_err());
    assert_eq!(std::fs::read(&path).unwrap(), b"previous");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn wrong_version_and_corrupt_files_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.json");
    std::fs::write(
        &path,
        br#"{"format":"kith-graph","version":99,"documents":[]}"#,
    )
    .unwrap();
    let err = KnowledgeGraph::load(&path).unwrap_err();
    assert!(
        matches!(err, GraphError::WrongVersion { found: 99, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("g.json"));

    std::fs::write(&path, b"\x00\x01 not json").unwrap();
    assert!(matches!(
        KnowledgeGraph::load(&path).unwrap_err(),
        GraphError::NotAGraph { .. }
    ));

    std::fs::write(
        &path,
        br#"{"format":"kith-graph","version":1,"documents":[],"entities":[]"#,
    )
    .unwrap();
    assert!(matches!(
        KnowledgeGraph::load(&path).unwrap_err(),
        GraphError::NotAGraph { .. } | GraphError::Corrupt { .. }
    ));

    std::fs::write(&path, br#"{"format":"kith-graph","version":1,"documents":[],"entities":[],"relations":[{"id":"r1","subject":"e1","object":"e2","predicate":"p","polarity":"affirmed","modality":"asserted","confidence":1.0,"evidence":[]}]}"#).unwrap();
    let err = KnowledgeGraph::load(&path).unwrap_err();
    assert!(matches!(err, GraphError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("missing entity"));
}

#[test]
fn neighbors_paths_and_ambiguity() {
    let mut docs = corpus();
    docs.push(document(
        "d4",
        vec![entity(EntityType::Person, "Pakistan", "d4", 0)],
        vec![],
    ));
    let g = graph_of(docs, GraphOptions { cooccurrence: true });
    let err = g.resolve("pakistan").unwrap_err();
    assert!(
        matches!(err, GraphError::Ambiguous { ref candidates, .. } if candidates.len() == 2),
        "{err}"
    );
    assert!(matches!(
        g.resolve("nobody"),
        Err(GraphError::UnknownEntity(_))
    ));

    let rubio = g.resolve("Marco Rubio").unwrap();
    let near = g.neighbors(&rubio.id, &NeighborQuery::default());
    let names: Vec<&str> = near.iter().map(|n| n.entity.name.as_str()).collect();
    assert_eq!(names, ["Pakistan", "Republic of India"]);
    let spoken = g.neighbors(
        &rubio.id,
        &NeighborQuery {
            predicates: vec!["speak-with".into()],
            ..NeighborQuery::default()
        },
    );
    assert_eq!(spoken.len(), 1);
    let countries_only = g.neighbors(
        &rubio.id,
        &NeighborQuery {
            types: vec![EntityType::Person],
            ..NeighborQuery::default()
        },
    );
    assert!(countries_only.is_empty());

    let india = g.resolve("India").unwrap();
    let path = g.path(&rubio.id, &india.id).unwrap();
    assert_eq!(path.len(), 1);
    assert_eq!(path[0].entity.id, india.id);
    let lone = g
        .find("Pakistan")
        .into_iter()
        .find(|e| e.kind == EntityType::Person)
        .unwrap();
    assert!(g.path(&rubio.id, &lone.id).is_none());

    let stats = g.stats(2);
    assert_eq!(stats.entities, 4);
    assert_eq!(stats.entities_by_type["Country"], 2);
    assert_eq!(stats.top_entities.len(), 2);
    assert_eq!(stats.top_entities[0].2, 2);
    // speak-with has no Wikidata property.
    assert!(stats
        .predicates
        .iter()
        .any(|p| p.0 == "speak-with" && p.3.is_none()));
}

#[test]
fn facts_from_another_producer_are_refused() {
    let mut g = graph_of(corpus(), GraphOptions::default());
    let before = bytes(&g);
    let mut other = corpus().remove(0);
    other.producer = "kith-nlp 9.9 [ner@abc]".into();
    other.document.id = DocId("new".into());
    let err = g.add_document(other.clone()).unwrap_err();
    assert!(matches!(err, GraphError::ProducerMismatch { .. }));
    assert!(err.to_string().contains("9.9"), "{err}");
    assert_eq!(bytes(&g), before, "nothing changed");
    let err = g
        .merge(graph_of([other], GraphOptions::default()))
        .unwrap_err();
    assert!(matches!(err, GraphError::ProducerMismatch { .. }));
    assert_eq!(g.producer(), Some("test"));
}

/// Memory at a million documents depends on it: equal texts and a document's id are held
/// once, however the graph was built (documents added, graphs merged, file read).
#[test]
fn equal_strings_share_one_allocation() {
    let built = |names: &[(&str, &str)]| {
        let mut g = KnowledgeGraph::new(GraphOptions::default());
        for (doc, name) in names {
            let mut e = entity(EntityType::Person, name, doc, 0);
            e.mentions.push(mention(doc, 1, 0, name));
            g.add_document(document(doc, vec![e], vec![])).unwrap();
        }
        g
    };
    let check = |g: &KnowledgeGraph| {
        let mentions: Vec<&Mention> = g.entities().flat_map(|e| e.mentions.iter()).collect();
        assert_eq!(mentions.len(), 6);
        for m in &mentions {
            let table = g.documents().find(|d| d.id == m.doc).unwrap();
            assert!(
                ArcStr::ptr_eq(&m.doc.0, &table.id.0),
                "doc id of {m:?} not shared"
            );
            let first = mentions.iter().find(|o| o.text == m.text).unwrap();
            assert!(
                ArcStr::ptr_eq(&m.text, &first.text),
                "text of {m:?} not shared"
            );
        }
    };
    let mut g = built(&[("a", "Ann Lee"), ("b", "Ann Lee")]);
    check(&{
        let mut g = g.clone();
        g.merge(built(&[("c", "Ann Lee")])).unwrap();
        g
    });
    g.add_document(document(
        "c",
        vec![entity(EntityType::Person, "Ann Lee", "c", 0), {
            let mut e = entity(EntityType::Person, "Ann Lee", "c", 5);
            e.mentions[0].sentence = 1;
            e
        }],
        vec![],
    ))
    .unwrap();
    check(&g);
    let mut bytes = Vec::new();
    g.write_json(&mut bytes).unwrap();
    check(&KnowledgeGraph::from_slice(&bytes, std::path::Path::new("g.json")).unwrap());
}

/// How a mention joined its entity survives merging and the file; `explain` groups by it,
/// and a file written before the field existed still loads.
#[test]
fn resolution_rules_are_kept_and_explained() {
    let mut rubio = entity(EntityType::Person, "Marco Rubio", "d1", 0);
    rubio.aliases.push("Rubio".into());
    rubio.mentions.push(Mention {
        resolved_by: Some(ResolvedBy::PartialName),
        ..mention("d1", 1, 40, "Rubio")
    });
    rubio.mentions.push(Mention {
        resolved_by: Some(ResolvedBy::Pronoun),
        ..mention("d1", 2, 60, "he")
    });
    let mut graph = KnowledgeGraph::new(GraphOptions::default());
    graph
        .add_document(document("d1", vec![rubio], vec![]))
        .unwrap();
    graph
        .add_document(document(
            "d2",
            vec![entity(EntityType::Person, "Marco Rubio", "d2", 5)],
            vec![],
        ))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.json");
    graph.save(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(r#""resolved_by":"pronoun""#)
            && text.contains(r#""resolved_by":"partial-name""#),
        "{text}"
    );
    let loaded = KnowledgeGraph::load(&path).unwrap();
    assert_eq!(loaded, graph);
    let found = loaded.explain("rubio").unwrap();
    assert_eq!(found.identity_key, "name=marco rubio");
    assert_eq!(found.documents.len(), 2);
    let rules: Vec<(&str, usize)> = found
        .mentions_by_rule
        .iter()
        .map(|(r, m)| (*r, m.len()))
        .collect();
    assert_eq!(rules, [("name", 2), ("partial-name", 1), ("pronoun", 1)]);
    // Without the field (older files), mentions load as named ones.
    let old = text
        .replace(r#","resolved_by":"pronoun""#, "")
        .replace(r#","resolved_by":"partial-name""#, "");
    assert!(!old.contains("resolved_by"));
    let old = KnowledgeGraph::from_slice(old.as_bytes(), &path).unwrap();
    assert_eq!(
        old.explain("Marco Rubio").unwrap().mentions_by_rule.len(),
        1
    );
}
