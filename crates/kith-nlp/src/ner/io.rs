//! NER model files: kind [`NER_KIND`]; the metadata is [`NerMeta`]; sections `names`,
//! `clusters16` (or the older `clusters`), `lexicon`, `stack` (a whole inner model file),
//! `pass1` and `pass2` (weight tables, or `pass1.sparse` and `pass2.sparse` in a voting
//! file), `vote` (whole member files) and `same` (tables a member shares with an earlier
//! one).

use super::config::{NerMeta, STACK_DEPTH, STACK_VOTES, VOTE_DEPTH};
use super::labels::N_LABELS;
use super::lexicon::Lexicon;
use super::name_lists::NameLists;
use super::{NerModel, NER_KIND};
use crate::model::format::{Reader, Writer};
use crate::model::{
    saved_model_methods, ClusterEncoding, ModelError, ModelFile, ModelView, SavedModel, Weights,
    WeightsKind, WordClusters,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a model file sits, for the sections it may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Nesting {
    /// A file of its own: may stack and vote.
    Top,
    /// A voting member: may stack, not vote.
    Voter,
    /// A stacked inner model: neither.
    Inner,
}

/// The tables a voting member may share with the model and the members before it.
const SHARED_TABLES: [&str; 3] = ["names", "clusters16", "lexicon"];
/// Why a shared cluster table is refused.
const SAME_NO_CLUSTERS: &str = "section `same`: the member it names holds no section `clusters16`";
/// Why a shared lexicon is refused.
const SAME_NO_LEXICON: &str = "section `same`: the member it names holds no section `lexicon`";

/// A model's tables as parsed, for the voting members after it that share them.
#[derive(Clone)]
struct Tables {
    names: Arc<NameLists>,
    clusters: Option<Arc<WordClusters>>,
    lexicon: Arc<Lexicon>,
}

/// Moves `file`'s tables that equal one in `held` into a section `same` (table name and
/// holder, in `SHARED_TABLES` order) and records the others as held by `holder`.
fn share_tables(file: &mut ModelFile, held: &mut Vec<(String, Vec<u8>, u32)>, holder: u32) {
    let mut same = Writer::default();
    let mut count = 0u32;
    for table in SHARED_TABLES {
        let Some(at) = file.sections.iter().position(|(n, _)| n == table) else {
            continue;
        };
        match held
            .iter()
            .find(|(n, b, _)| n == table && *b == file.sections[at].1)
        {
            Some((_, _, h)) => {
                same.str(table);
                same.u32(*h);
                count += 1;
                file.sections.remove(at);
            }
            None => held.push((table.to_string(), file.sections[at].1.clone(), holder)),
        }
    }
    if count > 0 {
        let mut w = Writer::default();
        w.u32(count);
        w.bytes(&same.buf);
        file.sections.insert(0, ("same".to_string(), w.buf));
    }
}

/// Section `same`: each shared table's name and holder (an index into `earlier`), every
/// name one of `SHARED_TABLES`, once, and not also a section of `file`.
fn read_same(
    r: &mut Reader<'_>,
    file: &ModelView<'_>,
    earlier: &[Tables],
) -> Result<Vec<(String, Tables)>, ModelError> {
    let count = r.u32()? as usize;
    let mut out: Vec<(String, Tables)> = Vec::new();
    for _ in 0..count {
        let table = r.string()?;
        let holder = r.u32()? as usize;
        if !SHARED_TABLES.contains(&table.as_str()) || out.iter().any(|(t, _)| *t == table) {
            return Err(r.corrupt(format!(
                "section `same`: unexpected or repeated table `{table}`"
            )));
        }
        // The older wide `clusters` section is a cluster table too.
        let held = |n: &str| n == table || (table == "clusters16" && n == "clusters");
        if file.sections.iter().any(|(n, _)| held(n)) {
            return Err(r.corrupt(format!(
                "section `same`: table `{table}` is also a section of its own"
            )));
        }
        let Some(t) = earlier.get(holder) else {
            return Err(r.corrupt(format!(
                "section `same`: table `{table}` refers to member {holder}, but only {} precede this one",
                earlier.len()
            )));
        };
        out.push((table, t.clone()));
    }
    if !r.at_end() {
        return Err(r.corrupt("section `same`: bytes after the last entry".into()));
    }
    Ok(out)
}

/// Section `section` of a file read by `read`, if the file holds it; errors name it.
fn own_table<T>(
    name: &Path,
    file: &ModelView<'_>,
    section: &str,
    read: impl FnOnce(&mut Reader<'_>) -> Result<T, ModelError>,
) -> Result<Option<Arc<T>>, ModelError> {
    let Some((_, b)) = file.sections.iter().find(|(n, _)| n == section) else {
        return Ok(None);
    };
    read(&mut Reader::new(b, name))
        .map(|t| Some(Arc::new(t)))
        .map_err(|e| in_section(section, e))
}

/// A damaged or truncated section's error, naming the section: a voting file holds
/// several tables of each kind, and the file name alone does not say which one failed.
fn in_section(section: &str, e: ModelError) -> ModelError {
    match e {
        ModelError::Corrupt { path, message } if !message.starts_with("section `") => {
            ModelError::Corrupt { path, message: format!("section `{section}`: {message}") }
        }
        ModelError::Truncated { path, offset, needed } => ModelError::Corrupt {
            path,
            message: format!("section `{section}` is truncated ({needed} more bytes needed at offset {offset} of the section)"),
        },
        e => e,
    }
}

/// The tables of each of `files` (a file, then its voting members), in order: a file's
/// own table sections, or those its section `same` shares with the files before it.
fn read_tables(files: &[(&Path, &ModelView<'_>)]) -> Result<Vec<Tables>, ModelError> {
    let mut tables: Vec<Tables> = Vec::with_capacity(files.len());
    for (name, file) in files {
        let corrupt = |m: String| ModelError::Corrupt {
            path: name.to_path_buf(),
            message: m,
        };
        let same = match file.sections.iter().find(|(n, _)| n == "same") {
            Some((_, b)) => read_same(&mut Reader::new(b, name), file, &tables)?,
            None => Vec::new(),
        };
        let shared = |table: &str| same.iter().find(|(s, _)| s == table).map(|(_, t)| t);
        let names = match shared("names") {
            Some(t) => t.names.clone(),
            None => own_table(name, file, "names", NameLists::read_from)?
                .ok_or_else(|| corrupt("missing section `names`".into()))?,
        };
        // The older `clusters` section (u32 ids) counts only without `clusters16`.
        let clusters = match shared("clusters16") {
            Some(t) => Some(
                t.clusters
                    .clone()
                    .ok_or_else(|| corrupt(SAME_NO_CLUSTERS.into()))?,
            ),
            None => match own_table(name, file, "clusters16", |r| {
                WordClusters::read_from(r, ClusterEncoding::U16)
            })? {
                Some(own) => Some(own),
                None => own_table(name, file, "clusters", |r| {
                    WordClusters::read_from(r, ClusterEncoding::U32)
                })?,
            },
        };
        // Lexicons are written only when not empty, so an empty one has no holder.
        let lexicon = match shared("lexicon") {
            Some(t) if t.lexicon.is_empty() => return Err(corrupt(SAME_NO_LEXICON.into())),
            Some(t) => t.lexicon.clone(),
            None => own_table(name, file, "lexicon", Lexicon::read_from)?.unwrap_or_default(),
        };
        tables.push(Tables {
            names,
            clusters,
            lexicon,
        });
    }
    Ok(tables)
}

impl SavedModel for NerModel {
    const KIND: &'static str = NER_KIND;

    /// The model as a file. A voting file stores its weight tables sparse (rows as their
    /// non-zero entries) and each shared table once: a member whose names, clusters or
    /// lexicon equal an earlier member's (or this model's) holds, in section `same`, the
    /// index of that member (0: this model) instead of the table.
    fn to_model_file(&self) -> ModelFile {
        let sparse = !self.voters.is_empty();
        let mut file = self.own_file(sparse);
        let mut held: Vec<(String, Vec<u8>, u32)> = Vec::new();
        share_tables(&mut file, &mut held, 0);
        for (i, voter) in self.voters.iter().enumerate() {
            // Whole files, one section each, in member order.
            let mut member = voter.own_file(true);
            share_tables(&mut member, &mut held, i as u32 + 1);
            file.push_section("vote", member.to_bytes());
        }
        file
    }

    fn from_model_view(file: &ModelView<'_>, path: &Path) -> Result<NerModel, ModelError> {
        NerModel::from_view(file, path, Nesting::Top)
    }
}

saved_model_methods!(NerModel);

impl NerModel {
    /// This model's own sections (no voting members); weight tables sparse or dense.
    pub(super) fn own_file(&self, sparse: bool) -> ModelFile {
        let mut file = ModelFile::new(
            NER_KIND,
            serde_json::to_value(&self.meta).expect("metadata serialises"),
        );
        let mut w = Writer::default();
        self.names.write_to(&mut w);
        file.push_section("names", w.buf);
        if let Some(c) = &self.clusters {
            let mut w = Writer::default();
            c.write_to(&mut w);
            file.push_section("clusters16", w.buf);
        }
        if !self.lexicon.is_empty() {
            let mut w = Writer::default();
            self.lexicon.write_to(&mut w);
            file.push_section("lexicon", w.buf);
        }
        if let Some(inner) = &self.stack {
            // The whole inner file, checksum and all: the outer file stays self-contained.
            file.push_section("stack", inner.to_bytes());
        }
        let passes = [("pass1", Some(&self.pass1)), ("pass2", self.pass2.as_ref())];
        for (section, weights) in passes {
            let Some(weights) = weights else { continue };
            let mut w = Writer::default();
            // Sparse rows hold `i16` values: an `f32` table stays dense, so that a member
            // loads as it was trained rather than quantised.
            if sparse && weights.kind() == WeightsKind::I16 {
                weights.write_sparse_to(&mut w);
                file.push_section(format!("{section}.sparse"), w.buf);
            } else {
                weights.write_to(&mut w);
                file.push_section(section, w.buf);
            }
        }
        file
    }

    /// The model from `bytes`, a file at nesting level `nesting` (an inner model is read
    /// from section `stack`).
    fn parse(bytes: &[u8], name: &Path, nesting: Nesting) -> Result<NerModel, ModelError> {
        let file = ModelView::parse(bytes, name, Some(NER_KIND))?;
        NerModel::from_view(&file, name, nesting)
    }

    /// The model from a checked file at nesting level `nesting`. An inner model holding a
    /// `stack` section of its own, or a voter holding `vote` sections, is refused before
    /// those sections are parsed, so nesting costs no deeper recursion. The tables of the
    /// file and of its voting members are read first, then their weights. One thread:
    /// loading is bound by page faults on fresh memory, and two threads loaded a
    /// nine-member file slower (~580 against ~420 ms in a fresh process).
    fn from_view(
        file: &ModelView<'_>,
        name: &Path,
        nesting: Nesting,
    ) -> Result<NerModel, ModelError> {
        let members = NerModel::member_files(file, name, nesting)?;
        let files: Vec<(&Path, &ModelView<'_>)> = std::iter::once((name, file))
            .chain(members.iter().map(|(n, f)| (n.as_path(), f)))
            .collect();
        let tables = read_tables(&files)?;
        let mut models =
            files
                .iter()
                .zip(&tables)
                .enumerate()
                .map(|(i, ((name, file), tables))| {
                    let nesting = if i == 0 { nesting } else { Nesting::Voter };
                    NerModel::parse_with_tables(file, name, nesting, tables.clone())
                });
        let mut model = models.next().expect("the file's own model")?;
        for (i, voter) in models.enumerate() {
            let voter = voter?;
            // `with_voters` writes each member's data into the metadata: a difference means
            // sections were swapped or replaced after the file was written.
            if voter.meta.data != model.meta.vote_data[i] {
                let message = format!(
                    "the metadata's data of voting member {} disagrees with section `vote` {}",
                    i + 1,
                    i + 1
                );
                return Err(ModelError::Corrupt {
                    path: name.to_path_buf(),
                    message,
                });
            }
            model.voters.push(voter);
        }
        Ok(model)
    }

    /// The `vote` sections of a file, as files: as many as its metadata names, only in a
    /// file of its own (a voter or an inner model holding some is refused before they are
    /// parsed), none holding `vote` sections itself.
    fn member_files<'a>(
        file: &ModelView<'a>,
        name: &Path,
        nesting: Nesting,
    ) -> Result<Vec<(PathBuf, ModelView<'a>)>, ModelError> {
        let corrupt = |m: String| ModelError::Corrupt {
            path: name.to_path_buf(),
            message: m,
        };
        let sections: Vec<&[u8]> = file
            .sections
            .iter()
            .filter(|(n, _)| n == "vote")
            .map(|(_, b)| *b)
            .collect();
        if !sections.is_empty() {
            match nesting {
                Nesting::Top => {}
                Nesting::Voter => return Err(corrupt(VOTE_DEPTH.into())),
                Nesting::Inner => return Err(corrupt(STACK_VOTES.into())),
            }
        }
        let meta: NerMeta = serde_json::from_value(file.meta.clone())
            .map_err(|e| corrupt(format!("metadata: {e}")))?;
        if sections.len() != meta.vote_data.len() {
            return Err(corrupt(format!(
                "the metadata names {} voting members but the file holds {} `vote` sections",
                meta.vote_data.len(),
                sections.len()
            )));
        }
        let mut files = Vec::with_capacity(sections.len());
        for (i, b) in sections.into_iter().enumerate() {
            let voter_name =
                PathBuf::from(format!("{} (section `vote` {})", name.display(), i + 1));
            let voter = ModelView::parse_nested(b, &voter_name, Some(NER_KIND))?;
            if voter.sections.iter().any(|(n, _)| n == "vote") {
                return Err(ModelError::Corrupt {
                    path: voter_name,
                    message: VOTE_DEPTH.into(),
                });
            }
            files.push((voter_name, voter));
        }
        Ok(files)
    }

    /// The rest of [`NerModel::from_view`], once the tables are read.
    fn parse_with_tables(
        file: &ModelView<'_>,
        name: &Path,
        nesting: Nesting,
        tables: Tables,
    ) -> Result<NerModel, ModelError> {
        let corrupt = |m: String| ModelError::Corrupt {
            path: name.to_path_buf(),
            message: m,
        };
        let mut meta: NerMeta = serde_json::from_value(file.meta.clone())
            .map_err(|e| corrupt(format!("metadata: {e}")))?;
        let read_all = |section: &str| -> Result<Option<Reader<'_>>, ModelError> {
            Ok(file
                .sections
                .iter()
                .find(|(n, _)| n == section)
                .map(|(_, b)| Reader::new(b, name)))
        };
        // Files from before lexicons existed read the switch as its default (on).
        meta.features.lexicons &= !tables.lexicon.is_empty();
        let stack = match file.sections.iter().find(|(n, _)| n == "stack") {
            Some(_) if nesting == Nesting::Inner => return Err(corrupt(STACK_DEPTH.into())),
            Some((_, b)) => {
                let inner_name =
                    std::path::PathBuf::from(format!("{} (section `stack`)", name.display()));
                Some(Arc::new(NerModel::parse(b, &inner_name, Nesting::Inner)?))
            }
            None => None,
        };
        if meta.features.stack != stack.is_some() {
            return Err(corrupt(
                "the stacking switch and section `stack` disagree".into(),
            ));
        }
        // A table must fill its section: bytes left over mean a count was damaged.
        let whole = |section: &str, r: &Reader<'_>, w: Weights| match r.rest().len() {
            0 => Ok(Some(w)),
            left => Err(corrupt(format!(
                "section `{section}`: {left} bytes after the table"
            ))),
        };
        let weights = |plain: &str| -> Result<Option<Weights>, ModelError> {
            let sparse = format!("{plain}.sparse");
            match (read_all(plain)?, read_all(&sparse)?) {
                (Some(_), Some(_)) => Err(corrupt(format!(
                    "sections `{plain}` and `{sparse}` both present"
                ))),
                (Some(mut r), None) => {
                    let w = Weights::read_from(&mut r).map_err(|e| in_section(plain, e))?;
                    whole(plain, &r, w)
                }
                (None, Some(mut r)) => {
                    let w = Weights::read_sparse_from(&mut r, N_LABELS)
                        .map_err(|e| in_section(&sparse, e))?;
                    whole(&sparse, &r, w)
                }
                (None, None) => Ok(None),
            }
        };
        let pass1 = weights("pass1")?.ok_or_else(|| corrupt("missing section `pass1`".into()))?;
        let pass2 = weights("pass2")?;
        if pass1.n_classes() != N_LABELS
            || pass2.as_ref().is_some_and(|w| w.n_classes() != N_LABELS)
        {
            return Err(corrupt(format!(
                "weights for {} labels, expected {N_LABELS}",
                pass1.n_classes()
            )));
        }
        if meta.features.document != pass2.is_some() {
            return Err(corrupt(
                "document features and pass-2 weights disagree".into(),
            ));
        }
        let Tables {
            names,
            clusters,
            lexicon,
        } = tables;
        Ok(NerModel::assemble(
            meta.features,
            names,
            clusters,
            lexicon,
            stack,
            pass1,
            pass2,
            meta,
        ))
    }
}

#[cfg(test)]
mod tests;
