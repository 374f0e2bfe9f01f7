use crate::model::ModelError;
use crate::{
    Coreference, Credits, Datelines, DependencyParser, EventNames, GazetteerTagger, NameTagger,
    NerTagger, ParserModel, Pipeline, PosModel, PosTagger, RelationModel, RelationRules,
    RelationTagger, Tokenizer,
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

/// The rule-based pipeline (no model files): tokens and sentences, bylines and photo
/// credits (marked as metadata, so no tagger finds entities in them), datelines (the place
/// and agency a wire report opens with, before any tagger reads the capitals as a name),
/// event names by rule
/// (first, so an event's name wins over the place inside it: *the Iraq War*), gazetteer
/// entities (countries, roles), other names, coreference (pronouns, titles, partial names,
/// acronyms), then relations between them.
pub fn default_pipeline() -> Pipeline {
    Pipeline::new()
        .with(Tokenizer)
        .with(Credits)
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
    let pos = models.join(POS_MODEL_FILE);
    let parser = models.join(PARSER_MODEL_FILE);
    let relations = models.join(RELATION_MODEL_FILE);
    let tagger = if pos.is_file() {
        let pos = PosTagger::load(&pos)?;
        let parser = if parser.is_file() {
            Some(DependencyParser::load(&parser)?)
        } else {
            None
        };
        Some((pos, parser))
    } else {
        None
    };
    let ner = if ner.is_file() {
        Some(NerTagger::load(ner)?)
    } else {
        None
    };
    let relations = if relations.is_file() {
        Some(RelationTagger::load(&relations)?)
    } else {
        None
    };
    Ok(assemble(tagger, ner, relations))
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
    let tagger = match file(POS_MODEL_FILE) {
        Some(pos) => {
            let pos = PosTagger::new(PosModel::from_bytes(pos, &name(POS_MODEL_FILE))?);
            let parser = match file(PARSER_MODEL_FILE) {
                Some(bytes) => Some(DependencyParser::new(ParserModel::from_bytes(
                    bytes,
                    &name(PARSER_MODEL_FILE),
                )?)),
                None => None,
            };
            Some((pos, parser))
        }
        None => None,
    };
    let ner = match file(NER_MODEL_FILE) {
        Some(bytes) => Some(NerTagger::from_bytes(bytes, &name(NER_MODEL_FILE))?),
        None => None,
    };
    let relations = match file(RELATION_MODEL_FILE) {
        Some(bytes) => Some(RelationTagger::new(RelationModel::from_bytes(
            bytes,
            &name(RELATION_MODEL_FILE),
        )?)),
        None => None,
    };
    Ok(assemble(tagger, ner, relations))
}

/// The English pipeline's components in their one order, around the models present: the
/// parser only with the POS tagger whose tags it reads.
fn assemble(
    tagger: Option<(PosTagger, Option<DependencyParser>)>,
    ner: Option<NerTagger>,
    relations: Option<RelationTagger>,
) -> Pipeline {
    let mut pipeline = Pipeline::new().with(Tokenizer);
    if let Some((pos, parser)) = tagger {
        pipeline = pipeline.with(pos);
        if let Some(parser) = parser {
            pipeline = pipeline.with(parser);
        }
    }
    pipeline = pipeline
        .with(Credits)
        .with(Datelines)
        .with(EventNames)
        .with(GazetteerTagger::default());
    if let Some(ner) = ner {
        pipeline = pipeline.with(ner);
    }
    pipeline = pipeline
        .with(NameTagger)
        .with(Coreference)
        .with(RelationRules);
    if let Some(relations) = relations {
        pipeline = pipeline.with(relations);
    }
    pipeline
}
