use crate::{GazetteerTagger, NameTagger, Pipeline, RelationRules, Tokenizer};

/// The pipeline `kith build` runs: tokens and sentences, gazetteer entities (countries,
/// roles), other names, then relations between them.
pub fn default_pipeline() -> Pipeline {
    Pipeline::new()
        .with(Tokenizer)
        .with(GazetteerTagger::default())
        .with(NameTagger)
        .with(RelationRules)
}
