//! Lines in capitals (*PAKISTAN DEFENCE MINISTER ADMITS SUPPORTING MILITANTS*) read as a
//! run of names by any tagger that looks at capital letters. Before tagging, such a line's
//! words are re-cased from the document's own text: a word keeps a capitalised form only
//! when the body writes it so (the form the body uses most, *Pakistan*, *NATO*), and is
//! lower case otherwise. So a headline never yields a name its body would not.
//!
//! Only the words given to the taggers change; tokens and offsets still point into the
//! original text.
//!
//! A capitals line is a line (between line breaks; in gold-tokenized data, a sentence)
//! with at least two words of two letters or more and no lower-case letter. Capitalised
//! body words that open a sentence count only when the body has no other evidence for the
//! word. A document with no body (all in capitals) is left as written.

use crate::{Doc, TokenKind};
use std::collections::HashMap;

/// Whether `words` (one line or sentence) are in capitals: two words of two letters or
/// more, and no lower-case letter.
pub(crate) fn is_capitals_line<S: AsRef<str>>(words: &[S]) -> bool {
    let long = words
        .iter()
        .filter(|w| w.as_ref().chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count();
    long >= 2
        && !words
            .iter()
            .any(|w| w.as_ref().chars().any(char::is_lowercase))
}

/// How the body writes a word: capitalised (not opening a sentence), capitalised at a
/// sentence's start, lower case; the most frequent capitalised form.
#[derive(Default)]
struct Forms<'a> {
    capitalised: HashMap<&'a str, usize>,
    opening: HashMap<&'a str, usize>,
    lower: usize,
}

/// The words to tag instead of `words`: for each word in a capitals line (`in_caps`), the
/// body's form or lower case; `None` where the word stays as written. `opens[i]`: word `i`
/// opens a sentence.
pub(crate) fn recase(words: &[&str], in_caps: &[bool], opens: &[bool]) -> Vec<Option<String>> {
    let mut out = vec![None; words.len()];
    if !in_caps.iter().any(|&c| c) || in_caps.iter().all(|&c| c) {
        return out;
    }
    let mut forms: HashMap<String, Forms> = HashMap::new();
    for (i, w) in words.iter().enumerate() {
        if in_caps[i] || !w.chars().any(char::is_alphabetic) {
            continue;
        }
        let entry = forms.entry(w.to_lowercase()).or_default();
        if !w.chars().next().is_some_and(char::is_uppercase) {
            entry.lower += 1;
        } else if opens[i] {
            *entry.opening.entry(w).or_default() += 1;
        } else {
            *entry.capitalised.entry(w).or_default() += 1;
        }
    }
    // The most frequent form, ties to the smaller string (so the result is deterministic).
    let best = |m: &HashMap<&str, usize>| {
        m.iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(w, n)| (w.to_string(), *n))
    };
    for (i, w) in words.iter().enumerate() {
        if !in_caps[i] || !w.chars().any(char::is_uppercase) {
            continue;
        }
        let lower = w.to_lowercase();
        let form = forms.get(&lower).and_then(|f| {
            let capitalised = best(&f.capitalised).filter(|(_, n)| *n >= f.lower);
            // Sentence openings count only when nothing else speaks for the word.
            let opening = (f.capitalised.is_empty() && f.lower == 0)
                .then(|| best(&f.opening))
                .flatten();
            capitalised.or(opening).map(|(w, _)| w)
        });
        out[i] = Some(form.unwrap_or(lower));
    }
    out
}

/// Which tokens of `doc` lie in a capitals line.
fn capitals_lines(doc: &Doc) -> Vec<bool> {
    let text = doc.text.as_str();
    let mut in_caps = vec![false; doc.tokens.len()];
    let mut start = 0;
    while start < doc.tokens.len() {
        let mut end = start + 1;
        while end < doc.tokens.len()
            && !text[doc.tokens[end - 1].end..doc.tokens[end].start].contains('\n')
        {
            end += 1;
        }
        let words: Vec<&str> = (start..end)
            .filter(|&t| doc.tokens[t].kind == TokenKind::Word)
            .map(|t| doc.token_text(t))
            .collect();
        if is_capitals_line(&words) {
            in_caps[start..end].iter_mut().for_each(|c| *c = true);
        }
        start = end;
    }
    in_caps
}

/// For each token of `doc`: its re-cased form where it lies in a capitals line and the
/// form differs ([`recase`], from the body outside bylines and credits), else `None`.
pub(crate) fn recased_words(doc: &Doc) -> Vec<Option<String>> {
    let words: Vec<&str> = (0..doc.tokens.len()).map(|i| doc.token_text(i)).collect();
    let in_caps = capitals_lines(doc);
    // Bylines and credits (*Harbour Pictures*) are no evidence of how the body writes a
    // word: they are read as empty words, and stay as written.
    let mut read = words.clone();
    for m in &doc.metadata {
        for t in m.tokens.clone() {
            if let Some(w) = read.get_mut(t) {
                *w = "";
            }
        }
    }
    let mut opens = vec![false; words.len()];
    for s in &doc.sentences {
        if s.tokens.start < opens.len() {
            opens[s.tokens.start] = true;
        }
    }
    recase(&read, &in_caps, &opens)
        .into_iter()
        .zip(&words)
        .map(|(r, w)| r.filter(|r| r != w))
        .collect()
}

/// The words of `doc` as the taggers read them: capitals lines re-cased
/// ([`recased_words`]), every other token as written.
#[cfg(test)]
fn tagging_words(doc: &Doc) -> Vec<std::borrow::Cow<'_, str>> {
    recased_words(doc)
        .into_iter()
        .enumerate()
        .map(|(i, r)| match r {
            Some(r) => std::borrow::Cow::Owned(r),
            None => std::borrow::Cow::Borrowed(doc.token_text(i)),
        })
        .collect()
}

/// The name of a span over `tokens` in the body's spelling (*Ferrytown* for a headline's
/// *FERRYTOWN*), when re-casing changed one of its words and left every word capitalised;
/// `None` otherwise (the span is named as written). `recased` is [`recased_words`].
pub(crate) fn recased_name(
    doc: &Doc,
    recased: &[Option<String>],
    tokens: std::ops::Range<usize>,
) -> Option<String> {
    let changed = |t: usize| recased.get(t).and_then(Option::as_deref);
    if !tokens.clone().any(|t| changed(t).is_some()) {
        return None;
    }
    let capitalised = tokens.clone().all(|t| {
        doc.tokens[t].kind != TokenKind::Word
            || changed(t)
                .unwrap_or(doc.token_text(t))
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
    });
    if !capitalised {
        return None;
    }
    let mut name = String::new();
    for t in tokens.clone() {
        if t > tokens.start {
            name.push_str(&doc.text[doc.tokens[t - 1].end..doc.tokens[t].start]);
        }
        name.push_str(changed(t).unwrap_or(doc.token_text(t)));
    }
    Some(name)
}

/// Gold-tokenized sentences with each sentence in capitals re-cased from the others (what
/// [`tagging_words`] does for a line), for scoring the tagger as the pipeline runs it.
pub fn recase_sentences(sentences: &[Vec<&str>]) -> Vec<Vec<String>> {
    let words: Vec<&str> = sentences.iter().flatten().copied().collect();
    let mut in_caps = Vec::with_capacity(words.len());
    let mut opens = Vec::with_capacity(words.len());
    for s in sentences {
        let caps = is_capitals_line(s);
        in_caps.extend(std::iter::repeat_n(caps, s.len()));
        opens.extend((0..s.len()).map(|i| i == 0));
    }
    let mut recased = recase(&words, &in_caps, &opens).into_iter().zip(&words);
    sentences
        .iter()
        .map(|s| {
            (0..s.len())
                .map(|_| {
                    let (r, w) = recased.next().expect("one per word");
                    r.unwrap_or_else(|| w.to_string())
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Pipeline, Tokenizer};

    fn words(text: &str) -> Vec<String> {
        let mut doc = Doc::new(kith_schema::DocId("d".into()), text, "d");
        Pipeline::new().with(Tokenizer).run(&mut doc);
        tagging_words(&doc).into_iter().map(|w| w.into()).collect()
    }

    #[test]
    fn headline_words_take_the_body_form_or_lower_case() {
        let w = words(
            "PAKISTAN DEFENCE MINISTER ADMITS SUPPORTING MILITANTS\n\nIn Islamabad, the \
             defence minister of Pakistan spoke to NATO. The militants denied it.",
        );
        assert_eq!(
            &w[..6],
            [
                "Pakistan",
                "defence",
                "minister",
                "admits",
                "supporting",
                "militants"
            ]
        );
        // The body as written.
        assert_eq!(w[6], "In");
        assert!(w.contains(&"Islamabad".to_string()));
    }

    #[test]
    fn a_word_the_body_capitalises_only_opening_sentences_keeps_its_capital() {
        // Measured: lower-casing it loses names the body writes only sentence-first
        // (CoNLL-2003 testb 66.91 instead of 67.29 F1).
        let w = words("MILITANTS ADMIT ATTACK\nMilitants spoke. An attack followed.");
        assert_eq!(&w[..3], ["Militants", "admit", "attack"]);
    }

    #[test]
    fn acronyms_and_body_capitals_keep_their_form() {
        let w = words("NATO AND THE UN MEET\nDelegates of the UN and NATO met in Geneva.");
        assert_eq!(&w[..5], ["NATO", "and", "the", "UN", "meet"]);
    }

    #[test]
    fn mixed_case_lines_and_all_capitals_documents_stay_as_written() {
        let w = words("Talks in GENEVA\nThe talks ended.");
        assert_eq!(w[2], "GENEVA");
        let w = words("ALL CAPS ONLY\nNOTHING ELSE");
        assert_eq!(w, ["ALL", "CAPS", "ONLY", "NOTHING", "ELSE"]);
    }

    #[test]
    fn a_name_in_a_capitals_line_is_named_as_the_body_writes_it() {
        let text = "FERRYTOWN COUNCIL MEETS\nThe council of Ferrytown met.";
        let mut doc = Doc::new(kith_schema::DocId("d".into()), text, "d");
        Pipeline::new().with(Tokenizer).run(&mut doc);
        let recased = recased_words(&doc);
        assert_eq!(
            recased_name(&doc, &recased, 0..1).as_deref(),
            Some("Ferrytown")
        );
        assert_eq!(
            recased_name(&doc, &recased, 0..2),
            None,
            "council is no name"
        );
        assert_eq!(recased_name(&doc, &recased, 6..7), None, "as written");
    }

    #[test]
    fn gold_sentences_are_recased_like_lines() {
        let s = vec![
            vec!["TESLA", "SHARES", "FALL"],
            vec!["Tesla", "shares", "fell", "."],
        ];
        assert_eq!(
            recase_sentences(&s),
            vec![
                vec!["Tesla", "shares", "fall"],
                vec!["Tesla", "shares", "fell", "."]
            ]
        );
    }
}
