//! Model labels onto Kith's entity types.
//!
//! CoNLL-2003 models label words `O`, `B-PER`, `I-PER`, `B-ORG`, `I-ORG`, `B-LOC`, `I-LOC`,
//! `B-MISC`, `I-MISC` (IOB2; older ones IOB1 with only `I-`). BIOES/BILOU prefixes (`S-`,
//! `E-`, `U-`, `L-`) and bare types are accepted too. PER → person, ORG → organization,
//! LOC → location, MISC and every other type → other.

use kith_schema::EntityType;

/// Where a word sits in an entity, as its label says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// `B-`: starts an entity.
    Begin,
    /// `I-` or a bare type: continues an entity of the same type, else starts one.
    Inside,
    /// `E-`/`L-`: ends an entity (continuing one of the same type).
    End,
    /// `S-`/`U-`: a one-word entity.
    Single,
}

/// A label read: outside (`O`), or a position and a Kith type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    Outside,
    Entity(Position, EntityType),
}

/// The Kith type of a label's type part (`PER`, `ORG`, `LOC`, `MISC`, ...).
pub fn entity_type(kind: &str) -> EntityType {
    match kind.to_ascii_uppercase().as_str() {
        "PER" | "PERSON" => EntityType::Person,
        "ORG" | "ORGANIZATION" | "ORGANISATION" => EntityType::Organization,
        "LOC" | "LOCATION" => EntityType::Location,
        _ => EntityType::Other,
    }
}

/// Read one model label.
pub fn parse_label(label: &str) -> Label {
    let label = label.trim();
    if label.is_empty() || label.eq_ignore_ascii_case("O") {
        return Label::Outside;
    }
    let (position, kind) = match label.split_once(['-', '_']) {
        Some((prefix, kind)) if prefix.len() == 1 && !kind.is_empty() => {
            let position = match prefix.to_ascii_uppercase().as_str() {
                "B" => Position::Begin,
                "I" => Position::Inside,
                "E" | "L" => Position::End,
                "S" | "U" => Position::Single,
                _ => return Label::Entity(Position::Inside, entity_type(label)),
            };
            (position, kind)
        }
        _ => (Position::Inside, label),
    };
    Label::Entity(position, entity_type(kind))
}

/// An entity decoded from word labels: word range `[start, end)` and its type.
#[derive(Clone, Debug, PartialEq)]
pub struct Chunk {
    /// The words it covers.
    pub words: std::ops::Range<usize>,
    /// Its Kith type.
    pub kind: EntityType,
}

/// Group labelled words into entities (IOB1, IOB2, BIOES, BILOU all read the same way).
pub fn decode(labels: &[Label]) -> Vec<Chunk> {
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut open: Option<Chunk> = None;
    for (i, label) in labels.iter().enumerate() {
        match *label {
            Label::Outside => chunks.extend(open.take()),
            Label::Entity(position, kind) => {
                let continues = matches!(position, Position::Inside | Position::End)
                    && open.as_ref().is_some_and(|c| c.kind == kind);
                if continues {
                    if let Some(c) = open.as_mut() {
                        c.words.end = i + 1;
                    }
                } else {
                    chunks.extend(open.take());
                    open = Some(Chunk {
                        words: i..i + 1,
                        kind,
                    });
                }
                if matches!(position, Position::End | Position::Single) {
                    chunks.extend(open.take());
                }
            }
        }
    }
    chunks.extend(open);
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityType::*;

    #[test]
    fn conll_labels_map_onto_kith_types() {
        let cases = [
            ("O", Label::Outside),
            ("B-PER", Label::Entity(Position::Begin, Person)),
            ("I-PER", Label::Entity(Position::Inside, Person)),
            ("B-ORG", Label::Entity(Position::Begin, Organization)),
            ("I-ORG", Label::Entity(Position::Inside, Organization)),
            ("B-LOC", Label::Entity(Position::Begin, Location)),
            ("I-LOC", Label::Entity(Position::Inside, Location)),
            ("B-MISC", Label::Entity(Position::Begin, Other)),
            ("I-MISC", Label::Entity(Position::Inside, Other)),
            ("PER", Label::Entity(Position::Inside, Person)),
            ("S-LOC", Label::Entity(Position::Single, Location)),
            ("E-ORG", Label::Entity(Position::End, Organization)),
            ("B-GPE", Label::Entity(Position::Begin, Other)),
            ("DATE", Label::Entity(Position::Inside, Other)),
        ];
        for (label, expected) in cases {
            assert_eq!(parse_label(label), expected, "{label}");
        }
    }

    #[test]
    fn decoding_iob2_iob1_and_bioes() {
        let l = |s: &str| s.split(' ').map(parse_label).collect::<Vec<_>>();
        let chunks = decode(&l("B-PER I-PER O B-ORG B-ORG I-LOC I-LOC O I-MISC"));
        let got: Vec<_> = chunks.iter().map(|c| (c.words.clone(), c.kind)).collect();
        assert_eq!(
            got,
            vec![
                (0..2, Person),
                (3..4, Organization),
                (4..5, Organization),
                (5..7, Location),
                (8..9, Other)
            ]
        );
        let chunks = decode(&l("S-PER B-ORG E-ORG I-ORG"));
        let got: Vec<_> = chunks.iter().map(|c| (c.words.clone(), c.kind)).collect();
        assert_eq!(
            got,
            vec![(0..1, Person), (1..3, Organization), (3..4, Organization)]
        );
        // A type change inside a run starts a new entity.
        let chunks = decode(&l("B-PER I-ORG"));
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[1].kind, Organization);
    }
}
