//! POS model files: kind `pos`; metadata holds the label sets and whether they are joint;
//! sections `weights<h>` and `dict<h>` per classifier, `ambiguity`, and `clusters` when
//! trained with them.

use super::features::AmbClasses;
use super::head::Head;
use super::PosModel;
use crate::model::format::{Reader, Writer};
use crate::model::{
    saved_model_methods, ClusterEncoding, KeyMap, ModelError, ModelFile, ModelView, SavedModel,
    Weights, WordClusters,
};
use std::path::Path;

impl SavedModel for PosModel {
    const KIND: &'static str = "pos";

    fn to_model_file(&self) -> ModelFile {
        let mut meta = self.meta.clone();
        if !meta.is_object() {
            meta = serde_json::json!({});
        }
        meta["joint"] = serde_json::json!(self.joint);
        meta["labels"] = serde_json::json!(self
            .heads
            .iter()
            .map(|h| h.labels.clone())
            .collect::<Vec<_>>());
        let mut file = ModelFile::new(Self::KIND, meta);
        for (h, head) in self.heads.iter().enumerate() {
            let mut w = Writer::default();
            head.weights.write_to(&mut w);
            file.push_section(format!("weights{h}"), w.buf);
            let mut w = Writer::default();
            let mut d: Vec<(u64, u16)> = head.dict.iter().map(|(k, v)| (*k, *v)).collect();
            d.sort_unstable();
            w.u32(d.len() as u32);
            for (k, v) in d {
                w.u64(k);
                w.u16(v);
            }
            file.push_section(format!("dict{h}"), w.buf);
        }
        let mut w = Writer::default();
        let mut a: Vec<(u64, u64)> = self.amb.iter().map(|(k, v)| (*k, *v)).collect();
        a.sort_unstable();
        w.u32(a.len() as u32);
        for (k, v) in a {
            w.u64(k);
            w.u64(v);
        }
        file.push_section("ambiguity", w.buf);
        if let Some(c) = &self.clusters {
            let mut w = Writer::default();
            c.write_to(&mut w);
            file.push_section("clusters", w.buf);
        }
        file
    }

    fn from_model_view(file: &ModelView<'_>, path: &Path) -> Result<PosModel, ModelError> {
        let corrupt = |m: &str| ModelError::Corrupt {
            path: path.to_path_buf(),
            message: m.to_string(),
        };
        let joint = file
            .meta
            .get("joint")
            .and_then(|j| j.as_bool())
            .ok_or_else(|| corrupt("metadata lacks `joint`"))?;
        let labels: Vec<Vec<String>> = file
            .meta
            .get("labels")
            .and_then(|l| serde_json::from_value(l.clone()).ok())
            .ok_or_else(|| corrupt("metadata lacks `labels`"))?;
        if labels.len() != if joint { 1 } else { 2 } {
            return Err(corrupt("wrong number of label sets"));
        }
        let mut heads = Vec::new();
        for (h, labels) in labels.into_iter().enumerate() {
            let sec = file.section(&format!("weights{h}"), path)?;
            let mut r = Reader::new(sec, path);
            let weights = Weights::read_from(&mut r)?;
            if weights.n_classes() != labels.len() {
                return Err(corrupt("weight table and labels disagree"));
            }
            let sec = file.section(&format!("dict{h}"), path)?;
            let mut r = Reader::new(sec, path);
            let n = r.u32()? as usize;
            r.need(n.saturating_mul(10))?;
            let mut dict = KeyMap::default();
            for _ in 0..n {
                let k = r.u64()?;
                let v = r.u16()?;
                if v as usize >= labels.len() {
                    return Err(corrupt("tag dictionary label out of range"));
                }
                dict.insert(k, v);
            }
            heads.push(Head::new(labels, weights, dict));
        }
        let clusters = match file.optional("clusters") {
            Some(b) => Some(WordClusters::read_from(
                &mut Reader::new(b, path),
                ClusterEncoding::Packed,
            )?),
            None => None,
        };
        let mut r = Reader::new(file.section("ambiguity", path)?, path);
        let n = r.u32()? as usize;
        r.need(n.saturating_mul(16))?;
        let mut amb = AmbClasses::default();
        amb.reserve(n);
        for _ in 0..n {
            let k = r.u64()?;
            amb.insert(k, r.u64()?);
        }
        let tags = Self::tag_tables(joint, &heads);
        Ok(PosModel {
            joint,
            heads,
            clusters,
            amb,
            tags,
            meta: file.meta.clone(),
            checksum: Some(file.checksum),
        })
    }

    fn file_checksum(&self) -> Option<u64> {
        self.checksum
    }
}

saved_model_methods!(PosModel);
