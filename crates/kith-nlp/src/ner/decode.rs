//! Tagging: the gazetteer codes a model reads, the two passes over a document's
//! sentences (with stacking and voting), and each span's confidence.

use super::document::DocStats;
use super::features::{doc_topic, lexicon_codes, sentence_features, token_infos, TokInfo};
use super::fused::add_row;
use super::labels::{self, bilou_spans, N_LABELS, TYPES};
use super::{features, vote, NerModel, NerSpan};
use crate::{Component, Doc, Gazetteer, GazetteerTagger, Sentence, Token, TokenKind};
use kith_schema::{DocId, EntityType};
use std::ops::Range;

/// Sentences longer than this are decoded in pieces (bounds memory; keeps linear time).
const MAX_PIECE: usize = 1000;

pub(crate) fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl NerModel {
    /// Entities of one sentence of words (the sentence is its own document).
    pub fn tag_words(&self, words: &[&str]) -> Vec<NerSpan> {
        let gaz = gazetteer_codes_for_words(words, std::slice::from_ref(&(0..words.len())));
        self.tag_ranges(words, std::slice::from_ref(&(0..words.len())), &gaz)
    }

    /// Entities of each sentence of a document (token offsets within each sentence),
    /// with document-level features across the sentences.
    pub fn tag_document(&self, sentences: &[Vec<&str>]) -> Vec<Vec<NerSpan>> {
        let words: Vec<&str> = sentences.iter().flatten().copied().collect();
        let mut ranges = Vec::new();
        let mut at = 0;
        for s in sentences {
            ranges.push(at..at + s.len());
            at += s.len();
        }
        let gaz = gazetteer_codes_for_words(&words, &ranges);
        let spans = self.tag_ranges(&words, &ranges, &gaz);
        let mut out: Vec<Vec<NerSpan>> = vec![Vec::new(); sentences.len()];
        for (s, e, t, c) in spans {
            let i = ranges.partition_point(|r| r.end <= s);
            out[i].push((s - ranges[i].start, e - ranges[i].start, t, c));
        }
        out
    }

    /// Entities over document tokens `words`, sentences `ranges` (token ranges, sorted),
    /// gazetteer codes per token. Spans never cross a sentence. With voters, the majority
    /// of this model's and the voters' spans.
    pub(crate) fn tag_ranges(
        &self,
        words: &[&str],
        ranges: &[Range<usize>],
        gaz: &[u8],
    ) -> Vec<NerSpan> {
        let own = self.tag_ranges_alone(words, ranges, gaz);
        if self.voters.is_empty() {
            return own;
        }
        let mut all = vec![own];
        all.extend(
            self.voters
                .iter()
                .map(|m| m.tag_ranges_alone(words, ranges, gaz)),
        );
        vote::majority(&all)
    }

    /// [`NerModel::tag_ranges`] of this model alone, without its voters.
    fn tag_ranges_alone(
        &self,
        words: &[&str],
        ranges: &[Range<usize>],
        gaz: &[u8],
    ) -> Vec<NerSpan> {
        let mut infos: Vec<TokInfo> = Vec::new();
        token_infos(
            words,
            gaz,
            &self.names,
            self.clusters.as_deref(),
            &self.switches,
            &mut infos,
        );
        if self.switches.lexicons {
            lexicon_codes(&self.lexicon, words, ranges, &mut infos, &mut Vec::new());
        }
        let stack = self.stack_types(words, ranges, gaz);
        let topic = doc_topic(&infos, &self.switches);
        // Pieces: sentences, split when very long.
        let mut pieces: Vec<Range<usize>> = Vec::new();
        for r in ranges {
            let r = r.start.min(words.len())..r.end.min(words.len());
            let mut s = r.start;
            while s < r.end {
                let e = (s + MAX_PIECE).min(r.end);
                pieces.push(s..e);
                s = e;
            }
        }
        let n = N_LABELS;
        let total = words.len();
        let fused = &self.fused;
        let two = self.pass2.is_some() && self.decoder2.is_some();
        let mut labels = vec![0u8; total];
        let mut margins = vec![0f32; total];
        // Pass-2 scores of the static features, gathered during pass 1 (same lookups).
        let mut static2: Vec<i32> = if two { vec![0; total * n] } else { Vec::new() };
        let (mut feats, mut offs, mut rows) = (Vec::new(), Vec::new(), Vec::new());
        let (mut emis, mut out, mut m) = (Vec::new(), Vec::new(), Vec::new());
        let mut decoder = self.decoder1.clone();
        for p in &pieces {
            feats.clear();
            offs.clear();
            sentence_features(
                &words[p.clone()],
                &infos[p.clone()],
                stack.get(p.clone()).unwrap_or(&[]),
                topic,
                &self.switches,
                &mut feats,
                &mut offs,
            );
            emis.clear();
            emis.resize(p.len() * n, 0.0);
            fused.resolve(&feats, &mut rows);
            for t in 0..p.len() {
                let mut a1 = [0i32; N_LABELS];
                let mut a2 = [0i32; N_LABELS];
                for &r in &rows[offs[t] as usize..offs[t + 1] as usize] {
                    if r != u32::MAX {
                        let row = fused.row_at(r);
                        add_row(&mut a1, &row[..n]);
                        if two {
                            add_row(&mut a2, &row[n..2 * n]);
                        }
                    }
                }
                for (e, a) in emis[t * n..t * n + n].iter_mut().zip(&a1) {
                    *e = *a as f32 * fused.scale1;
                }
                if two {
                    static2[(p.start + t) * n..(p.start + t + 1) * n].copy_from_slice(&a2);
                }
            }
            decoder.decode(&emis, &mut out, (!two).then_some(&mut m));
            labels[p.clone()].copy_from_slice(&out);
            if !two {
                margins[p.clone()].copy_from_slice(&m);
            }
        }
        if let (true, Some(d2)) = (two, &self.decoder2) {
            let stats = DocStats::build(
                pieces
                    .iter()
                    .map(|p| (&infos[p.clone()], &labels[p.clone()])),
                &self.switches,
            );
            let mut decoder = d2.clone();
            for p in &pieces {
                feats.clear();
                offs.clear();
                stats.features(&infos[p.clone()], &labels[p.clone()], &mut feats, &mut offs);
                emis.clear();
                emis.resize(p.len() * n, 0.0);
                fused.resolve(&feats, &mut rows);
                for t in 0..p.len() {
                    let mut a2 = [0i32; N_LABELS];
                    a2.copy_from_slice(&static2[(p.start + t) * n..(p.start + t + 1) * n]);
                    for &r in &rows[offs[t] as usize..offs[t + 1] as usize] {
                        if r != u32::MAX {
                            add_row(&mut a2, &fused.row_at(r)[n..2 * n]);
                        }
                    }
                    for (e, a) in emis[t * n..t * n + n].iter_mut().zip(&a2) {
                        *e = *a as f32 * fused.scale2;
                    }
                }
                decoder.decode(&emis, &mut out, Some(&mut m));
                labels[p.clone()].copy_from_slice(&out);
                margins[p.clone()].copy_from_slice(&m);
            }
        }
        let mut spans = Vec::new();
        for p in &pieces {
            for (s, e, t) in bilou_spans(&labels[p.clone()]) {
                let m = margins[p.start + s..p.start + e]
                    .iter()
                    .copied()
                    .fold(f32::INFINITY, f32::min);
                let conf = sigmoid(m / self.meta.temperature.max(1e-3) - self.meta.offset);
                spans.push((p.start + s, p.start + e, TYPES[t], conf));
            }
        }
        spans
    }

    /// With stacking, the type (index in `TYPES` + 1; 0: none) the inner model gives each
    /// of `words`, tagging the same sentences with the same gazetteer codes as the outer
    /// model sees; without, nothing (no allocation).
    pub(crate) fn stack_types(
        &self,
        words: &[&str],
        ranges: &[Range<usize>],
        gaz: &[u8],
    ) -> Vec<u8> {
        let Some(inner) = self.stack.as_deref().filter(|_| self.switches.stack) else {
            return Vec::new();
        };
        let mut types = vec![0u8; words.len()];
        for (s, e, kind, _) in inner.tag_ranges(words, ranges, gaz) {
            let Some(t) = labels::type_of(kind) else {
                continue;
            };
            let e = e.min(types.len());
            types[s.min(e)..e].fill(t as u8 + 1);
        }
        types
    }
}

/// Gazetteer codes of words joined by spaces, sentence by sentence (as at tagging time).
pub(crate) fn gazetteer_codes_for_words(words: &[&str], ranges: &[Range<usize>]) -> Vec<u8> {
    let mut text = String::new();
    let mut tokens = Vec::with_capacity(words.len());
    for w in words {
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(w);
        tokens.push(Token {
            start,
            end: text.len(),
            kind: TokenKind::Word,
        });
    }
    let mut doc = Doc::new(DocId("".into()), text, "-");
    doc.sentences = ranges
        .iter()
        .filter(|r| r.start < r.end && r.end <= tokens.len())
        .map(|r| Sentence {
            start: tokens[r.start].start,
            end: tokens[r.end - 1].end,
            tokens: r.clone(),
        })
        .collect();
    doc.tokens = tokens;
    GazetteerTagger::default().process(&mut doc);
    gazetteer_codes(&doc)
}

/// Gazetteer codes per token of a `Doc` from the spans the gazetteer wrote.
pub(super) fn gazetteer_codes(doc: &Doc) -> Vec<u8> {
    let mut codes = vec![features::GAZ_NONE; doc.tokens.len()];
    for span in &doc.entities {
        let range = span.tokens.start.min(codes.len())..span.tokens.end.min(codes.len());
        match span.kind {
            EntityType::Country => {
                let demonym = matches!(
                    Gazetteer::builtin().lookup(doc.span_text(span)),
                    Some(crate::gazetteer::GazetteerMatch::Country { demonym: true, .. })
                );
                for (j, t) in range.enumerate() {
                    codes[t] = if demonym {
                        features::GAZ_DEMONYM
                    } else if j == 0 {
                        features::GAZ_COUNTRY_B
                    } else {
                        features::GAZ_COUNTRY_I
                    };
                }
            }
            EntityType::Role => range.for_each(|t| codes[t] = features::GAZ_ROLE),
            _ => {}
        }
    }
    codes
}
