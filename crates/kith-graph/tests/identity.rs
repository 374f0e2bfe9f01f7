//! Cross-document identity (`kith_graph::identity`): what joins, what stays apart, and
//! that the resolved graph is the same whatever order or grouping built it.

use kith_graph::identity::{AliasTable, IdentitySettings};
use kith_graph::{GraphOptions, KnowledgeGraph};
use kith_schema::*;
use std::collections::BTreeMap;

fn mention(doc: &str, start: u32, text: &str) -> Mention {
    Mention {
        doc: DocId(doc.into()),
        sentence: 0,
        span: CharSpan::new(start, start + text.chars().count() as u32),
        text: text.into(),
        confidence: 0.9,
        resolved_by: None,
    }
}

fn entity(kind: EntityType, name: &str, doc: &str) -> EntityFacts {
    EntityFacts {
        kind,
        name: name.into(),
        aliases: vec![],
        external_ids: BTreeMap::new(),
        mentions: vec![mention(doc, 0, name)],
    }
}

fn relation(subject: usize, object: usize, predicate: &str, doc: &str) -> RelationFacts {
    RelationFacts {
        subject,
        object,
        predicate: predicate.into(),
        class: None,
        polarity: Polarity::Affirmed,
        modality: Modality::Asserted,
        confidence: 0.7,
        evidence: Evidence {
            doc: DocId(doc.into()),
            sentence: 0,
            span: CharSpan::new(0, 10),
            sentence_text: "some text".into(),
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

fn graph_of(docs: impl IntoIterator<Item = DocumentFacts>) -> KnowledgeGraph {
    let mut g = KnowledgeGraph::new(GraphOptions::default());
    for d in docs {
        g.add_document(d).unwrap();
    }
    g
}

/// Names of the resolved graph's nodes of one type, each with its aliases, sorted.
fn nodes(g: &KnowledgeGraph, kind: EntityType) -> Vec<String> {
    let mut out: Vec<String> = g
        .resolved()
        .entities()
        .filter(|e| e.kind == kind)
        .map(|e| {
            let mut s = e.name.clone();
            for a in &e.aliases {
                s.push_str(" | ");
                s.push_str(a);
            }
            s
        })
        .collect();
    out.sort();
    out
}

fn bytes(g: &KnowledgeGraph) -> Vec<u8> {
    let mut out = Vec::new();
    g.write_json(&mut out).unwrap();
    out
}

/// Three outlets' versions of one story, with variant names.
fn story() -> Vec<DocumentFacts> {
    use EntityType::*;
    vec![
        document(
            "a",
            vec![
                entity(Person, "Marco Rubio", "a"),
                entity(Organization, "The State Department", "a"),
                entity(Event, "Pahalgam terror attack", "a"),
                entity(Person, "John Smith", "a"),
            ],
            vec![relation(0, 1, "works-for", "a")],
        ),
        document(
            "b",
            vec![
                entity(Person, "Rubio", "b"),
                entity(Organization, "State Department", "b"),
                entity(Event, "Pahalgam attack", "b"),
                entity(Person, "Jane Smith", "b"),
            ],
            vec![relation(0, 1, "works-for", "b")],
        ),
        document(
            "c",
            vec![
                entity(Person, "Mr. Rubio", "c"),
                entity(Organization, "STATE DEPARTMENT", "c"),
                entity(Person, "Smith", "c"),
            ],
            vec![],
        ),
    ]
}

#[test]
fn variants_and_partial_names_join() {
    let g = graph_of(story());
    let resolved = g.resolved();
    let people = nodes(&g, EntityType::Person);
    assert!(
        people.contains(&"Marco Rubio | Mr. Rubio | Rubio".to_string()),
        "{people:?}"
    );
    let orgs = nodes(&g, EntityType::Organization);
    assert_eq!(
        orgs,
        vec!["State Department | STATE DEPARTMENT | The State Department"]
    );
    let events = nodes(&g, EntityType::Event);
    assert_eq!(events, vec!["Pahalgam terror attack | Pahalgam attack"]);
    // The two works-for facts are one relation now, with both documents' evidence.
    let works: Vec<_> = resolved
        .relations()
        .filter(|r| r.predicate == "works-for")
        .collect();
    assert_eq!(works.len(), 1);
    assert_eq!(works[0].count(), 2);
}

#[test]
fn two_smiths_never_merge_and_a_bare_smith_stays_apart() {
    let g = graph_of(story());
    let people = nodes(&g, EntityType::Person);
    assert!(people.contains(&"John Smith".to_string()), "{people:?}");
    assert!(people.contains(&"Jane Smith".to_string()), "{people:?}");
    // "Smith" has two candidates and no shared neighbour: kept apart, and said so.
    assert!(people.contains(&"Smith".to_string()), "{people:?}");
    let resolution = g.resolve_identities();
    let refusal = resolution
        .decisions
        .iter()
        .find(|d| d.name == "Smith" && !d.merged)
        .expect("a refusal for Smith");
    assert!(
        refusal.reason.contains("several candidates"),
        "{}",
        refusal.reason
    );
    let joined = resolution
        .decisions
        .iter()
        .find(|d| d.name.ends_with("Rubio") && d.name != "Marco Rubio" && d.rule == "partial-name")
        .expect("a join for Rubio");
    assert!(joined.merged);
    assert_eq!(joined.rule, "partial-name");
    assert!(joined.reason.contains("Marco Rubio"), "{}", joined.reason);
}

#[test]
fn a_partial_name_with_one_candidate_per_neighbour_picks_the_neighbour() {
    use EntityType::*;
    let docs = vec![
        document(
            "a",
            vec![
                entity(Person, "John Smith", "a"),
                entity(Organization, "Acme", "a"),
            ],
            vec![relation(0, 1, "works-for", "a")],
        ),
        document("b", vec![entity(Person, "Jane Smith", "b")], vec![]),
        document(
            "c",
            vec![
                entity(Person, "Smith", "c"),
                entity(Organization, "Acme", "c"),
            ],
            vec![relation(0, 1, "works-for", "c")],
        ),
    ];
    let people = nodes(&graph_of(docs), Person);
    assert_eq!(people, vec!["Jane Smith", "John Smith | Smith"]);
}

#[test]
fn resolved_graph_is_the_same_in_any_order_and_grouping() {
    let docs = story();
    let whole = bytes(&graph_of(docs.clone()).resolved());
    for order in [[2, 1, 0], [1, 2, 0], [0, 2, 1]] {
        let g = graph_of(order.iter().map(|&i| docs[i].clone()));
        assert_eq!(bytes(&g.resolved()), whole, "order {order:?}");
    }
    // Sharded: each document its own graph, merged in another order.
    let mut merged = graph_of([docs[2].clone()]);
    merged.merge(graph_of([docs[0].clone()])).unwrap();
    merged.merge(graph_of([docs[1].clone()])).unwrap();
    assert_eq!(bytes(&merged.resolved()), whole);
    // And --into: a resolved view of a graph that took more documents later.
    let mut into = graph_of([docs[0].clone(), docs[1].clone()]);
    let before = nodes(&into, EntityType::Person);
    into.add_document(docs[2].clone()).unwrap();
    assert_eq!(bytes(&into.resolved()), whole);
    assert_ne!(before, nodes(&into, EntityType::Person));
}

#[test]
fn a_second_candidate_undoes_an_earlier_join() {
    use EntityType::*;
    let mut g = graph_of([
        document("a", vec![entity(Person, "Marco Rubio", "a")], vec![]),
        document("b", vec![entity(Person, "Rubio", "b")], vec![]),
    ]);
    assert_eq!(nodes(&g, Person), vec!["Marco Rubio | Rubio"]);
    g.add_document(document(
        "c",
        vec![entity(Person, "Tom Rubio", "c")],
        vec![],
    ))
    .unwrap();
    assert_eq!(nodes(&g, Person), vec!["Marco Rubio", "Rubio", "Tom Rubio"]);
}

#[test]
fn alias_file_forces_and_forbids() {
    use EntityType::*;
    let docs = vec![
        document("a", vec![entity(Person, "Marco Rubio", "a")], vec![]),
        document("b", vec![entity(Person, "Rubio", "b")], vec![]),
        document("c", vec![entity(Person, "Secretary Rubio", "c")], vec![]),
        document("d", vec![entity(Organization, "Foggy Bottom", "d")], vec![]),
        document(
            "e",
            vec![entity(Organization, "State Department", "e")],
            vec![],
        ),
    ];
    let table = AliasTable::parse(
        "# comments and blank lines are skipped\n\nRubio,!\nFoggy Bottom,State Department\nMarco Rubio,wikidata:Q324546\n",
        "aliases.csv",
    )
    .unwrap();
    let mut g = graph_of(docs.clone());
    g.set_identity(None, &table);
    let people = nodes(&g, Person);
    assert!(people.contains(&"Rubio".to_string()), "{people:?}");
    assert_eq!(
        nodes(&g, Organization),
        vec!["State Department | Foggy Bottom"]
    );
    let rubio = g
        .resolved()
        .entities()
        .find(|e| e.name == "Marco Rubio")
        .cloned()
        .unwrap();
    assert_eq!(rubio.external_ids["wikidata"], "Q324546");
    // Secretary Rubio is a variant (honorific), joined automatically.
    assert!(rubio.aliases.contains("Secretary Rubio"), "{rubio:?}");
    // Switched off, only the alias file acts.
    let mut off = graph_of(docs);
    off.set_identity(Some(false), &table);
    let people = nodes(&off, Person);
    assert_eq!(people.len(), 3, "{people:?}");
    assert_eq!(
        nodes(&off, Organization),
        vec!["State Department | Foggy Bottom"]
    );
}

#[test]
fn settings_survive_the_file_and_merge_commutatively() {
    let table = AliasTable::parse("Rubio,!\n", "a.csv").unwrap();
    let mut g = graph_of(story());
    g.set_identity(Some(false), &table);
    let path = tempfile::tempdir().unwrap();
    let file = path.path().join("g.json");
    g.save(&file).unwrap();
    let loaded = KnowledgeGraph::load(&file).unwrap();
    assert_eq!(loaded.identity_settings(), g.identity_settings());
    // A graph with default settings writes no `identity` field at all.
    let plain = bytes(&graph_of(story()));
    assert!(!String::from_utf8(plain).unwrap().contains("\"identity\""));
    let mut a = IdentitySettings::default();
    a.merge(loaded.identity_settings());
    let mut b = loaded.identity_settings().clone();
    b.merge(&IdentitySettings::default());
    assert_eq!(a, b);
    assert!(!a.cross_document);
}

#[test]
fn bad_alias_lines_name_file_and_line() {
    let err = AliasTable::parse("Rubio,!\nonly-one-field\n", "aliases.csv")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("aliases.csv:2:"), "{err}");
    let err = AliasTable::parse("\"Smith, John,!\n", "x.csv")
        .unwrap_err()
        .to_string();
    assert!(err.contains("x.csv:1: unterminated"), "{err}");
    let err = AliasTable::parse("Rubio,!\nRubio,Marco Rubio\n", "x.csv")
        .unwrap_err()
        .to_string();
    assert!(err.contains("x.csv:2:"), "{err}");
    let quoted = AliasTable::parse("\"Smith, John\",John Smith\n", "x.csv").unwrap();
    assert_eq!(quoted.len(), 1);
}

#[test]
fn an_untyped_mention_joins_the_typed_entity_but_a_person_never_a_place() {
    use EntityType::*;
    let docs = vec![
        document(
            "a",
            vec![
                entity(Location, "Alaska", "a"),
                entity(Person, "Jordan", "a"),
            ],
            vec![],
        ),
        document("b", vec![entity(Location, "Alaska", "b")], vec![]),
        document(
            "c",
            vec![
                entity(Organization, "Alaska", "c"),
                entity(Country, "Jordan", "c"),
            ],
            vec![],
        ),
    ];
    let resolved = graph_of(docs).resolved();
    let names: Vec<(EntityType, &str)> = resolved
        .entities()
        .map(|e| (e.kind, e.name.as_str()))
        .collect();
    assert_eq!(
        names.iter().filter(|(_, n)| *n == "Alaska").count(),
        1,
        "{names:?}"
    );
    assert!(names.contains(&(Location, "Alaska")), "{names:?}");
    assert_eq!(
        names.iter().filter(|(_, n)| *n == "Jordan").count(),
        2,
        "{names:?}"
    );
}

#[test]
fn a_bare_title_is_one_node_per_document_and_never_joins_unrelated_holders() {
    use EntityType::*;
    let docs = vec![
        document(
            "a",
            vec![
                entity(Person, "Ann Lee", "a"),
                entity(Role, "Prime Minister", "a"),
                entity(Role, "Finance Minister of Pakistan", "a"),
            ],
            vec![
                relation(0, 1, "holds-position", "a"),
                relation(0, 2, "holds-position", "a"),
            ],
        ),
        document(
            "b",
            vec![
                entity(Person, "Bo Chen", "b"),
                entity(Role, "Prime Minister", "b"),
                entity(Role, "Finance Minister of Pakistan", "b"),
            ],
            vec![
                relation(0, 1, "holds-position", "b"),
                relation(0, 2, "holds-position", "b"),
            ],
        ),
    ];
    let g = graph_of(docs.clone());
    let resolved = g.resolved();
    let bare: Vec<_> = resolved
        .entities()
        .filter(|e| e.name == "Prime Minister")
        .collect();
    assert_eq!(bare.len(), 2);
    for role in &bare {
        // Each bare title node is held by the one person of its document.
        let holders: Vec<_> = resolved
            .relations()
            .filter(|r| r.object == role.id)
            .map(|r| resolved.entity(&r.subject).unwrap().name.clone())
            .collect();
        assert_eq!(holders.len(), 1, "{holders:?}");
        assert_eq!(role.documents().len(), 1);
    }
    // The qualified role is one thing: both holders hold it.
    let qualified = resolved
        .entities()
        .find(|e| e.name == "Finance Minister of Pakistan")
        .unwrap();
    assert_eq!(
        resolved
            .relations()
            .filter(|r| r.object == qualified.id)
            .count(),
        2
    );
    let mut reversed = graph_of(docs.into_iter().rev());
    reversed.set_identity(None, &AliasTable::default());
    assert_eq!(bytes(&reversed.resolved()), bytes(&resolved));
    assert!(g
        .resolve_identities()
        .decisions
        .iter()
        .any(|d| d.rule == "bare-role" && d.name == "Prime Minister"));
}

#[test]
fn a_bare_title_is_the_qualified_title_its_holder_holds_whose_name_holds_it() {
    use EntityType::*;
    let docs = vec![
        document(
            "a",
            vec![
                entity(Person, "Ann Lee", "a"),
                entity(Role, "United States Secretary of State", "a"),
            ],
            vec![relation(0, 1, "holds-position", "a")],
        ),
        document(
            "b",
            vec![
                entity(Person, "Ann Lee", "b"),
                entity(Role, "Secretary", "b"),
            ],
            vec![relation(0, 1, "holds-position", "b")],
        ),
        document(
            "c",
            vec![
                entity(Person, "Bo Chen", "c"),
                entity(Role, "Secretary", "c"),
            ],
            vec![relation(0, 1, "holds-position", "c")],
        ),
    ];
    let resolved = graph_of(docs.clone()).resolved();
    let qualified = resolved
        .entities()
        .find(|e| e.name == "United States Secretary of State")
        .unwrap();
    let holders: Vec<String> = resolved
        .relations()
        .filter(|r| r.object == qualified.id)
        .map(|r| resolved.entity(&r.subject).unwrap().name.clone())
        .collect();
    // Ann's "Secretary" is her qualified title; Bo's stays a title of his document alone.
    assert_eq!(holders, vec!["Ann Lee".to_string()]);
    assert_eq!(qualified.documents().len(), 2);
    let bare: Vec<_> = resolved
        .entities()
        .filter(|e| e.name == "Secretary")
        .collect();
    assert_eq!(bare.len(), 1);
    assert_eq!(bare[0].documents().len(), 1);
    let reversed = graph_of(docs.into_iter().rev()).resolved();
    assert_eq!(bytes(&reversed), bytes(&resolved));
}

#[test]
fn a_bare_title_is_qualified_by_its_holders_affiliation() {
    use EntityType::*;
    let mut pakistan = entity(Country, "Pakistan", "a");
    pakistan
        .external_ids
        .insert("iso3166-1:alpha2".into(), "PK".into());
    let docs = vec![
        document(
            "a",
            vec![
                entity(Person, "Ann Lee", "a"),
                entity(Role, "Prime Minister", "a"),
                pakistan,
            ],
            vec![
                relation(0, 1, "holds-position", "a"),
                relation(0, 2, "affiliated-with", "a"),
            ],
        ),
        document(
            "b",
            vec![
                entity(Person, "Bo Chen", "b"),
                entity(Role, "Prime Minister of Pakistan", "b"),
            ],
            vec![relation(0, 1, "holds-position", "b")],
        ),
    ];
    let resolved = graph_of(docs).resolved();
    let roles: Vec<_> = resolved.entities().filter(|e| e.kind == Role).collect();
    assert_eq!(roles.len(), 1, "{roles:?}");
    assert_eq!(roles[0].name, "Prime Minister of Pakistan");
    let holders: BTreeMap<String, usize> = resolved
        .relations()
        .filter(|r| r.object == roles[0].id && r.predicate == "holds-position")
        .map(|r| (resolved.entity(&r.subject).unwrap().name.clone(), r.count()))
        .collect();
    assert_eq!(holders.len(), 2, "{holders:?}");
}
