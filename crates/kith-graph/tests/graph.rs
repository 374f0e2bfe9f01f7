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
    for m in other.entities.iter_mut().flat_map(|e| &mut e.mentions) {
        m.doc = other.document.id.clone();
    }
    for r in &mut other.relations {
        r.evidence.doc = other.document.id.clone();
    }
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

/// A field's name and how to spoil it.
type Spoil<T> = (&'static str, fn(&mut T));

/// Facts with values no document can have are refused, naming the field, instead of being
/// written as a graph Kith cannot read back (an f32 of 1e39 is infinite, written `null`).
#[test]
fn facts_out_of_range_are_refused_naming_the_field() {
    let cases: Vec<Spoil<DocumentFacts>> = vec![
        ("relations[0].confidence", |d| {
            d.relations[0].confidence = "1e39".parse().unwrap()
        }),
        ("relations[0].evidence.confidence", |d| {
            d.relations[0].evidence.confidence = -0.5
        }),
        ("entities[1].mentions[0].confidence", |d| {
            d.entities[1].mentions[0].confidence = f32::NAN
        }),
        ("entities[0].mentions[0].span", |d| {
            d.entities[0].mentions[0].span = CharSpan {
                start: 4_000_000_000,
                end: 3,
            }
        }),
        ("entities[1].mentions[0].span", |d| {
            d.entities[1].mentions[0].span = CharSpan {
                start: 90,
                end: 101,
            }
        }),
        ("relations[0].evidence.span", |d| {
            d.relations[0].evidence.span = CharSpan { start: 0, end: 500 }
        }),
        ("entities[0].name", |d| d.entities[0].name = " ".into()),
        ("entities[0].mentions[0].doc", |d| {
            d.entities[0].mentions[0].doc = DocId("elsewhere".into())
        }),
        ("relations[0].object", |d| d.relations[0].object = 7),
        ("relations[0].predicate", |d| {
            d.relations[0].predicate = String::new()
        }),
    ];
    for (field, spoil) in cases {
        let mut facts = corpus().remove(0);
        spoil(&mut facts);
        let mut g = KnowledgeGraph::new(GraphOptions::default());
        let err = g.add_document(facts).unwrap_err().to_string();
        assert!(err.contains(field), "{field:?} not named in {err:?}");
        assert_eq!(g.documents().len(), 0, "{field}: nothing added");
    }
}

/// A graph file with values Kith never writes is refused, naming the field.
#[test]
fn graph_files_out_of_range_are_refused_naming_the_field() {
    let good: serde_json::Value =
        serde_json::from_slice(&bytes(&graph_of(corpus(), GraphOptions::default()))).unwrap();
    let cases: Vec<Spoil<serde_json::Value>> = vec![
        ("confidence", |g| {
            g["relations"][0]["confidence"] = serde_json::from_str("1e308").unwrap()
        }),
        ("evidence[0].confidence", |g| {
            g["relations"][0]["evidence"][0]["confidence"] = (-1.0).into()
        }),
        ("mentions[0].span", |g| {
            g["entities"][0]["mentions"][0]["span"] =
                serde_json::json!({"start": 4_000_000_000u32, "end": 3})
        }),
        ("mentions[0].span", |g| {
            g["entities"][0]["mentions"][0]["span"] = serde_json::json!({"start": 0, "end": 101})
        }),
        (".doc is nowhere", |g| {
            g["entities"][0]["mentions"][0]["doc"] = "nowhere".into()
        }),
        (".name", |g| g["entities"][1]["name"] = "".into()),
        ("duplicate entity", |g| {
            let first = g["entities"][0].clone();
            g["entities"].as_array_mut().unwrap().insert(1, first);
        }),
    ];
    for (field, spoil) in cases {
        let mut graph = good.clone();
        spoil(&mut graph);
        let text = serde_json::to_vec(&graph).unwrap();
        let err = KnowledgeGraph::from_slice(&text, std::path::Path::new("g.json")).unwrap_err();
        let message = err.to_string();
        assert!(
            matches!(err, GraphError::Corrupt { .. }) && message.contains(field),
            "{field:?} not named in {message:?}"
        );
        assert!(message.contains("g.json"), "{message}");
    }
}

/// A small deterministic generator (xorshift64*), so the property test needs no crate and
/// fails the same way every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    /// Mostly valid confidences (including every f32 pattern in 0..=1), sometimes not.
    fn confidence(&mut self) -> f32 {
        match self.below(12) {
            0 => *self.pick(&[0.0, 1.0, -0.0, f32::MIN_POSITIVE, 1e-45, 0.1, 0.7]),
            1 => *self.pick(&[f32::INFINITY, f32::NAN, -0.25, 1.0001, 1e39f64 as f32]),
            _ => f32::from_bits(self.below(0x3f80_0001) as u32),
        }
    }
    fn span(&mut self, chars: u32) -> CharSpan {
        if self.below(20) == 0 {
            let (start, end) = (self.next() as u32, self.next() as u32);
            return CharSpan { start, end };
        }
        let start = self.below(chars as u64 + 1) as u32;
        let end = start + self.below((chars - start) as u64 + 1) as u32;
        CharSpan { start, end }
    }
    fn text(&mut self) -> String {
        let pieces = [
            "Rubio",
            "India",
            "",
            " ",
            "Zoë\t\r\n",
            "\u{0}\u{1f}",
            "\"}]",
            "\\",
            "محمد",
            "👩\u{200d}🔬",
            "\u{2028}",
            "-Foo",
            "=1+2",
            "é",
            "E\u{301}",
        ];
        (0..self.below(3) + 1)
            .map(|_| *self.pick(&pieces))
            .collect()
    }
}

fn random_facts(rng: &mut Rng, id: &str) -> DocumentFacts {
    let chars = *rng.pick(&[0, 1, 40, 1000, u32::MAX]);
    let doc = DocId(id.into());
    let kinds = EntityType::ALL;
    let entities: Vec<EntityFacts> = (0..rng.below(5))
        .map(|_| EntityFacts {
            kind: *rng.pick(&kinds),
            name: rng.text(),
            aliases: (0..rng.below(2)).map(|_| rng.text()).collect(),
            external_ids: if rng.below(4) == 0 {
                [("iso3166-1:alpha2".to_string(), rng.text())].into()
            } else {
                BTreeMap::new()
            },
            mentions: (0..rng.below(3) + 1)
                .map(|_| Mention {
                    doc: doc.clone(),
                    sentence: rng.below(4) as u32,
                    span: rng.span(chars),
                    text: rng.text().into(),
                    confidence: rng.confidence(),
                    resolved_by: if rng.below(3) == 0 {
                        Some(ResolvedBy::Pronoun)
                    } else {
                        None
                    },
                })
                .collect(),
        })
        .collect();
    let n = entities.len() as u64;
    let relations = (0..if n > 1 { rng.below(4) } else { 0 })
        .map(|_| RelationFacts {
            subject: rng.below(n + 1) as usize,
            object: rng.below(n) as usize,
            predicate: rng.pick(&["speak-with", "works-for", "x"]).to_string(),
            class: rng.pick(&[None, Some(RelationClass::Conflict)]).to_owned(),
            polarity: *rng.pick(&[Polarity::Affirmed, Polarity::Negated]),
            modality: *rng.pick(&[Modality::Asserted, Modality::Conditional]),
            confidence: rng.confidence(),
            evidence: Evidence {
                doc: doc.clone(),
                sentence: rng.below(4) as u32,
                span: rng.span(chars),
                sentence_text: rng.text().into(),
                confidence: rng.confidence(),
            },
        })
        .collect();
    let sentences = (0..rng.below(3))
        .map(|i| SentenceFacts {
            index: i as u32,
            span: rng.span(chars),
            text: rng.text().into(),
        })
        .collect();
    DocumentFacts {
        producer: "test".into(),
        document: DocumentInfo {
            id: doc,
            title: (rng.below(2) == 0).then(|| rng.text()),
            url: None,
            published: None,
            source: rng.text(),
            chars,
            sentences: 4,
        },
        entities,
        relations,
        sentences,
    }
}

fn round_trips(graph: &KnowledgeGraph, context: &str) {
    let written = bytes(graph);
    let read = KnowledgeGraph::from_slice(&written, std::path::Path::new("g.json"))
        .unwrap_or_else(|e| panic!("{context}: Kith refuses the graph it wrote: {e}"));
    assert_eq!(
        String::from_utf8_lossy(&bytes(&read)),
        String::from_utf8_lossy(&written),
        "{context}"
    );
}

/// Property: whatever facts arrive, any graph Kith writes, Kith reads back to the same bytes.
#[test]
fn any_graph_kith_writes_reads_back_to_the_same_bytes() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut added, mut refused) = (0, 0);
    for case in 0..400 {
        let options = GraphOptions {
            cooccurrence: rng.below(2) == 0,
        };
        let mut graphs = vec![KnowledgeGraph::new(options), KnowledgeGraph::new(options)];
        for i in 0..rng.below(6) {
            // Ids repeat within a graph (a repeat is already present), never across the two.
            let id = format!("d{}-{}", i % 2, rng.below(3));
            let facts = random_facts(&mut rng, &id);
            match graphs[i as usize % 2].add_document(facts) {
                Ok(_) => added += 1,
                Err(_) => refused += 1,
            }
        }
        round_trips(&graphs[0], &format!("case {case}"));
        let second = graphs.pop().unwrap();
        graphs[0].merge(second).unwrap();
        round_trips(&graphs[0], &format!("case {case}, merged"));
    }
    assert!(
        added > 200 && refused > 50,
        "{added} added, {refused} refused"
    );
}

/// A graph file cut short is called truncated, with the offset where it ends; a graph
/// with bad JSON further on is corrupt at an offset, not "not a Kith graph file".
#[test]
fn truncated_and_broken_graph_files_say_so_with_the_offset() {
    let written = bytes(&graph_of(corpus(), GraphOptions::default()));
    let half = &written[..written.len() / 2];
    let err = KnowledgeGraph::from_slice(half, std::path::Path::new("g.json")).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, GraphError::Corrupt { .. }), "{message}");
    assert!(
        message.contains("truncated") && message.contains(&format!("byte offset {}", half.len())),
        "{message}"
    );
    let mut broken = written.clone();
    // The bracket opening the relations: a '#' there is bad JSON, not just a bad field.
    let text = String::from_utf8(written.clone()).unwrap();
    let at = text.find("\"relations\":[").unwrap() + "\"relations\":".len();
    broken[at] = b'#';
    let err = KnowledgeGraph::from_slice(&broken, std::path::Path::new("g.json")).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, GraphError::Corrupt { .. }), "{message}");
    assert!(message.contains(&format!("byte offset {at}")), "{message}");
}

/// Property: a store that graphs are merged into, in any order, holds the graph that
/// merging them in memory in that order gives, byte for byte once loaded, also where the
/// graphs share documents (so mentions and evidence meet at one place and one outranks).
#[test]
fn a_store_holds_what_merging_in_memory_gives() {
    use kith_graph::GraphStore;
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut shared_places = 0;
    for case in 0..60 {
        let options = GraphOptions {
            cooccurrence: rng.below(2) == 0,
        };
        let mut graphs = vec![KnowledgeGraph::new(options); 3];
        for i in 0..rng.below(9) {
            // A few ids shared by all three graphs, so their facts meet.
            let id = format!("d{}", rng.below(4));
            let facts = random_facts(&mut rng, &id);
            let _ = graphs[i as usize % 3].add_document(facts);
        }
        let mut order = [0usize, 1, 2];
        if case % 2 == 1 {
            order.reverse();
        }
        let mut expected = KnowledgeGraph::new(options);
        let path = dir.path().join(format!("case-{case}.kith"));
        let mut store = GraphStore::create(&path, options).unwrap();
        for &i in &order {
            expected.merge(graphs[i].clone()).unwrap();
            store.merge(&graphs[i]).unwrap();
            // Merging the same graph again changes nothing.
            store.merge(&graphs[i]).unwrap();
        }
        shared_places += expected
            .entities()
            .map(|e| e.mention_count())
            .sum::<usize>();
        let loaded = GraphStore::open(&path).unwrap().load().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&bytes(&loaded)),
            String::from_utf8_lossy(&bytes(&expected)),
            "case {case}, order {order:?}"
        );
        assert_eq!(
            store.counts().unwrap(),
            (
                expected.documents().len(),
                expected.entities().len(),
                expected.relations().len()
            ),
            "case {case}: counts"
        );
        let stats = store.stats(5).unwrap();
        let memory = expected.stats(5);
        assert_eq!(
            serde_json::to_string(&stats).unwrap(),
            serde_json::to_string(&memory).unwrap(),
            "case {case}: stats"
        );
    }
    assert!(shared_places > 100, "{shared_places} mentions in all");
}

/// A store refuses another producer's graph and leaves its content as it was.
#[test]
fn a_store_refuses_another_producer_and_stays_unchanged() {
    use kith_graph::GraphStore;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kith");
    let graph = graph_of(corpus(), GraphOptions::default());
    GraphStore::save_new(&graph, &path).unwrap();
    let mut other = corpus().remove(0);
    other.producer = "another pipeline".into();
    other.document.id = DocId("other".into());
    for m in other
        .entities
        .iter_mut()
        .flat_map(|e| e.mentions.iter_mut())
    {
        m.doc = DocId("other".into());
    }
    for r in other.relations.iter_mut() {
        r.evidence.doc = DocId("other".into());
    }
    let foreign = graph_of([other], GraphOptions::default());
    let mut store = GraphStore::open(&path).unwrap();
    let err = store.merge(&foreign).unwrap_err();
    assert!(matches!(err, GraphError::ProducerMismatch { .. }), "{err}");
    assert_eq!(bytes(&store.load().unwrap()), bytes(&graph));
}

/// Property: taking documents out of a graph leaves the graph the remaining documents
/// build, byte for byte: names, aliases, classes and confidences refolded from what the
/// remaining documents gave, entities and relations only the removed ones gave gone.
#[test]
fn removing_documents_gives_the_graph_of_the_rest() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let (mut removed_entities, mut removed_relations, mut refolded) = (0, 0, 0);
    for case in 0..300 {
        let options = GraphOptions {
            cooccurrence: rng.below(2) == 0,
        };
        let mut docs: Vec<DocumentFacts> = (0..rng.below(6) + 1)
            .map(|i| random_facts(&mut rng, &format!("d{i}")))
            .filter(|d| d.check().is_ok())
            .collect();
        // Names shared across documents in several spellings, so that entities meet and
        // what each document gave them differs.
        for d in &mut docs {
            for e in &mut d.entities {
                if rng.below(2) == 0 {
                    e.kind = EntityType::Person;
                    e.external_ids.clear();
                    e.name = rng
                        .pick(&["Ann Lee", "ann lee", "ANN LEE", "Ann  Lee"])
                        .to_string();
                }
            }
        }
        let mut whole = graph_of(docs.clone(), options);
        let gone: Vec<DocId> = docs
            .iter()
            .filter(|_| rng.below(3) == 0)
            .map(|d| d.document.id.clone())
            .collect();
        let before = whole.clone();
        let counts = whole.remove_documents(&gone).unwrap();
        assert_eq!(counts.documents, gone.len(), "case {case}");
        let rest = graph_of(
            docs.into_iter().filter(|d| !gone.contains(&d.document.id)),
            options,
        );
        assert_eq!(
            String::from_utf8_lossy(&bytes(&whole)),
            String::from_utf8_lossy(&bytes(&rest)),
            "case {case}: removed {gone:?}"
        );
        round_trips(&whole, &format!("case {case}"));
        removed_entities += counts.entities;
        removed_relations += counts.relations;
        refolded += rest
            .entities()
            .filter(|e| {
                before
                    .entity(&e.id)
                    .is_some_and(|b| (&b.name, &b.aliases) != (&e.name, &e.aliases))
            })
            .count();
    }
    // The property was exercised where it matters.
    assert!(
        removed_entities > 50 && removed_relations > 10 && refolded > 5,
        "{removed_entities} entities, {removed_relations} relations removed, {refolded} renamed"
    );
}

/// Taking out a document the graph does not have, or one added before units existed, is
/// refused and changes nothing.
#[test]
fn removing_an_unknown_document_changes_nothing() {
    let mut graph = graph_of(corpus(), GraphOptions::default());
    let before = bytes(&graph);
    let err = graph
        .remove_documents(&[DocId("d1".into()), DocId("nope".into())])
        .unwrap_err();
    assert!(
        matches!(err, GraphError::UnknownDocument(ref id) if id == "nope"),
        "{err}"
    );
    assert_eq!(bytes(&graph), before);
    // A file written before units: its documents read, but cannot be taken out.
    let text = String::from_utf8(before.clone()).unwrap();
    let cut = text.find(",\"units\":").expect("the file has units");
    let old = format!("{}}}", &text[..cut]);
    let mut old =
        KnowledgeGraph::from_slice(old.as_bytes(), std::path::Path::new("g.json")).unwrap();
    assert!(!old.is_unit(&DocId("d1".into())));
    let err = old.remove_documents(&[DocId("d1".into())]).unwrap_err();
    assert!(matches!(err, GraphError::NotAUnit(_)), "{err}");
    // Removing the second document of three renames Rubio back and drops Pakistan's d2 share.
    let mut graph = graph_of(corpus(), GraphOptions::default());
    graph.remove_documents(&[DocId("d2".into())]).unwrap();
    let expected = graph_of(
        corpus()
            .into_iter()
            .filter(|d| d.document.id.as_str() != "d2"),
        GraphOptions::default(),
    );
    assert_eq!(bytes(&graph), bytes(&expected));
    assert_ne!(bytes(&graph), before);
    // d2 alone called him "marco rubio": the alias went with it.
    let rubio = graph.find("Marco Rubio");
    assert_eq!(rubio.len(), 1);
    assert!(rubio[0].aliases.is_empty(), "{:?}", rubio[0].aliases);
    // d3 alone gave India the name "Republic of India": without d3, India is "India".
    let mut graph = graph_of(corpus(), GraphOptions::default());
    graph.remove_documents(&[DocId("d3".into())]).unwrap();
    let india: Vec<_> = graph
        .entities()
        .filter(|e| e.kind == EntityType::Country)
        .map(|e| e.name.clone())
        .collect();
    assert_eq!(
        india,
        ["India", "Pakistan"]
            .map(String::from)
            .to_vec()
            .into_iter()
            .filter(|n| india.contains(n))
            .collect::<Vec<_>>()
    );
    assert!(india.contains(&"India".to_string()), "{india:?}");
}

/// Property: a store takes documents out as the in-memory graph does, so it holds the
/// graph the remaining documents build, byte for byte once loaded, with its counts; a
/// failed removal changes nothing.
#[test]
fn a_store_removes_documents_as_memory_does() {
    use kith_graph::GraphStore;
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x5851_f42d_4c95_7f2d);
    let mut removed = 0;
    for case in 0..60 {
        let options = GraphOptions {
            cooccurrence: rng.below(2) == 0,
        };
        let mut docs: Vec<DocumentFacts> = (0..rng.below(6) + 1)
            .map(|i| random_facts(&mut rng, &format!("d{i}")))
            .filter(|d| d.check().is_ok())
            .collect();
        for d in &mut docs {
            for e in &mut d.entities {
                if rng.below(2) == 0 {
                    e.kind = EntityType::Person;
                    e.external_ids.clear();
                    e.name = rng
                        .pick(&["Ann Lee", "ann lee", "ANN LEE", "Ann  Lee"])
                        .to_string();
                }
            }
        }
        let path = dir.path().join(format!("case-{case}.kith"));
        let mut store = GraphStore::create(&path, options).unwrap();
        // One document at a time, as runs add them.
        for d in &docs {
            store.merge(&graph_of([d.clone()], options)).unwrap();
        }
        let before = store.load().unwrap();
        let err = store
            .remove_documents(&[DocId("d0".into()), DocId("missing".into())])
            .unwrap_err();
        assert!(matches!(err, GraphError::UnknownDocument(_)), "{err}");
        assert_eq!(bytes(&store.load().unwrap()), bytes(&before), "case {case}");
        let gone: Vec<DocId> = docs
            .iter()
            .filter(|_| rng.below(2) == 0)
            .map(|d| d.document.id.clone())
            .collect();
        let counts = store.remove_documents(&gone).unwrap();
        removed += counts.entities;
        let rest = graph_of(
            docs.into_iter().filter(|d| !gone.contains(&d.document.id)),
            options,
        );
        let loaded = GraphStore::open(&path).unwrap().load().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&bytes(&loaded)),
            String::from_utf8_lossy(&bytes(&rest)),
            "case {case}: removed {gone:?}"
        );
        assert_eq!(
            store.counts().unwrap(),
            (
                rest.documents().len(),
                rest.entities().len(),
                rest.relations().len()
            ),
            "case {case}: counts"
        );
        assert_eq!(
            serde_json::to_string(&store.stats(5).unwrap()).unwrap(),
            serde_json::to_string(&rest.stats(5)).unwrap(),
            "case {case}: stats"
        );
    }
    assert!(removed > 20, "{removed} entities removed");
}

/// Property: the shares a graph keeps are canonical — building document by document,
/// merging graphs of any grouping in any order, and adding groups to a store one batch at
/// a time all give the same bytes, and taking documents out of each gives the graph of
/// the rest. Names are drawn from a few spellings so that documents disagree, and many
/// documents share them, so groups grow, shrink and trade places as the default.
#[test]
fn shares_are_canonical_however_documents_come_together() {
    use kith_graph::GraphStore;
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut kept = 0;
    for case in 0..80 {
        let options = GraphOptions {
            cooccurrence: rng.below(2) == 0,
        };
        let mut docs: Vec<DocumentFacts> = (0..rng.below(10) + 2)
            .map(|i| random_facts(&mut rng, &format!("d{i}")))
            .filter(|d| d.check().is_ok())
            .collect();
        for d in &mut docs {
            for e in &mut d.entities {
                if rng.below(3) != 0 {
                    e.kind = EntityType::Person;
                    e.external_ids.clear();
                    e.name = rng.pick(&["Ann Lee", "ann lee", "Ann  Lee"]).to_string();
                    if rng.below(4) == 0 {
                        e.mentions.clear();
                    }
                }
            }
        }
        let whole = graph_of(docs.clone(), options);
        kept += usize::from(bytes(&whole).windows(9).any(|w| w == b"\"others\":"));
        // In groups, merged in a shuffled order.
        let mut groups: Vec<Vec<DocumentFacts>> = vec![Vec::new(); rng.below(3) as usize + 1];
        for d in &docs {
            let at = rng.below(groups.len() as u64) as usize;
            groups[at].push(d.clone());
        }
        let mut merged = KnowledgeGraph::new(options);
        while !groups.is_empty() {
            let group = groups.remove(rng.below(groups.len() as u64) as usize);
            merged.merge(graph_of(group, options)).unwrap();
        }
        assert_eq!(
            String::from_utf8_lossy(&bytes(&merged)),
            String::from_utf8_lossy(&bytes(&whole)),
            "case {case}: merged"
        );
        // Into a store, a group of documents per batch (some sent twice).
        let path = dir.path().join(format!("canon-{case}.kith"));
        let mut store = GraphStore::create(&path, options).unwrap();
        let mut at = 0;
        while at < docs.len() {
            let n = rng.below(3) as usize + 1;
            let from = at.saturating_sub(rng.below(2) as usize);
            let batch = docs[from..(at + n).min(docs.len())].to_vec();
            store.merge(&graph_of(batch, options)).unwrap();
            at += n;
        }
        assert_eq!(
            String::from_utf8_lossy(&bytes(&store.load().unwrap())),
            String::from_utf8_lossy(&bytes(&whole)),
            "case {case}: store"
        );
        let gone: Vec<DocId> = docs
            .iter()
            .filter(|_| rng.below(3) == 0)
            .map(|d| d.document.id.clone())
            .collect();
        let rest = graph_of(
            docs.iter()
                .filter(|d| !gone.contains(&d.document.id))
                .cloned(),
            options,
        );
        merged.remove_documents(&gone).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&bytes(&merged)),
            String::from_utf8_lossy(&bytes(&rest)),
            "case {case}: removed {gone:?} in memory"
        );
        store.remove_documents(&gone).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&bytes(&store.load().unwrap())),
            String::from_utf8_lossy(&bytes(&rest)),
            "case {case}: removed {gone:?} from the store"
        );
    }
    assert!(kept > 20, "{kept} graphs kept shares");
}
