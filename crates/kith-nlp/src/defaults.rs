use crate::model::ModelError;
use crate::{
    Coreference, Datelines, DependencyParser, EventNames, GazetteerTagger, NameTagger, NerTagger,
    ParserModel, Pipeline, PosModel, PosTagger, RelationModel, RelationRules, RelationTagger,
    Tokenizer,
};
use std::path::Path;

/// File name of the English POS model in a models directory.
pub const POS_MODEL_FILE: &str = "pos-en.kmodel";
/// File name of the English NER model in a models directory.
pub const NER_MODEL_FILE: &str = "ner-en.kmodel";
/// File name of the English dependency parser model in a models directory.
pub const PARSER_MODEL_FILE: &str = "parser-en.kmodel";
/// The relation model's file name in a models directory.
pub const RELATION_MODEL_FILE: &str = "relations-en.kmodel";

/// The rule-based pipeline (no model files): tokens and sentences, datelines (the place
/// and agency a wire report opens with, before any tagger reads the capitals as a name),
/// event names by rule
/// (first, so an event's name wins over the place inside it: *the Iraq War*), gazetteer
/// entities (countries, roles), other names, coreference (pronouns, titles, partial names,
/// acronyms), then relations between them.
pub fn default_pipeline() -> Pipeline {
    Pipeline::new()
        .with(Tokenizer)
        .with(Datelines)
        .with(EventNames)
        .with(GazetteerTagger::default())
        .with(NameTagger)
        .with(Coreference)
        .with(RelationRules)
}

/// The pipeline `kith build` runs: [`default_pipeline`] plus the trained models found in
/// `models` ([`POS_MODEL_FILE`] after the tokenizer, [`PARSER_MODEL_FILE`] after the POS
/// tagger, whose tags it reads, [`NER_MODEL_FILE`] after the event names and the
/// gazetteer, so events, countries and roles keep their rule types; coreference after the taggers and before the
/// relations, so resolved mentions take part in relations). A missing model file is
/// skipped (that layer stays empty or rule-based); a model file that cannot be read
/// (wrong version, corrupt) is an error.
pub fn english_pipeline(models: &Path) -> Result<Pipeline, ModelError> {
    english_pipeline_with_ner(models, &models.join(NER_MODEL_FILE))
}

/// [`english_pipeline`] with the NER model read from `ner` instead of the models
/// directory (evaluating a model trained for one benchmark in the full pipeline).
pub fn english_pipeline_with_ner(models: &Path, ner: &Path) -> Result<Pipeline, ModelError> {
    let mut pipeline = Pipeline::new().with(Tokenizer);
    let pos = models.join(POS_MODEL_FILE);
    if pos.is_file() {
        pipeline = pipeline.with(PosTagger::load(&pos)?);
        let parser = models.join(PARSER_MODEL_FILE);
        if parser.is_file() {
            pipeline = pipeline.with(DependencyParser::load(&parser)?);
        }
    }
    pipeline = pipeline
        .with(Datelines)
        .with(EventNames)
        .with(GazetteerTagger::default());
    if ner.is_file() {
        pipeline = pipeline.with(NerTagger::load(ner)?);
    }
    pipeline = pipeline
        .with(NameTagger)
        .with(Coreference)
        .with(RelationRules);
    let relations = models.join(RELATION_MODEL_FILE);
    if relations.is_file() {
        pipeline = pipeline.with(RelationTagger::load(&relations)?);
    }
    Ok(pipeline)
}

/// [`english_pipeline`] over model files held in memory (models compiled into a binary):
/// `file(name)` gives the bytes of the models directory's file `name` ([`POS_MODEL_FILE`],
/// ...) or `None` when there is none; `origin` stands for the directory in errors
/// (`origin/ner-en.kmodel`). The same bytes give the same components and fingerprints as
/// [`english_pipeline`] over files holding them, so the same facts.
pub fn english_pipeline_from_bytes<'a>(
    origin: &Path,
    file: impl Fn(&str) -> Option<&'a [u8]>,
) -> Result<Pipeline, ModelError> {
    let name = |f: &str| origin.join(f);
    let mut pipeline = Pipeline::new().with(Tokenizer);
    if let Some(pos) = file(POS_MODEL_FILE) {
        let model = PosModel::from_bytes(pos, &name(POS_MODEL_FILE))?;
        pipeline = pipeline.with(PosTagger::new(model));
        if let Some(parser) = file(PARSER_MODEL_FILE) {
            let model = ParserModel::from_bytes(parser, &name(PARSER_MODEL_FILE))?;
            pipeline = pipeline.with(DependencyParser::new(model));
        }
    }
    pipeline = pipeline
        .with(Datelines)
        .with(EventNames)
        .with(GazetteerTagger::default());
    if let Some(ner) = file(NER_MODEL_FILE) {
        pipeline = pipeline.with(NerTagger::from_bytes(ner, &name(NER_MODEL_FILE))?);
    }
    pipeline = pipeline
        .with(NameTagger)
        .with(Coreference)
        .with(RelationRules);
    if let Some(relations) = file(RELATION_MODEL_FILE) {
        let model = RelationModel::from_bytes(relations, &name(RELATION_MODEL_FILE))?;
        pipeline = pipeline.with(RelationTagger::new(model));
    }
    Ok(pipeline)
}
