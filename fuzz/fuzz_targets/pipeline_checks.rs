//! What must hold of a pipeline's output on any text, shared by the `pipeline` (rules)
//! and `pipeline_models` (built-in models) targets.

use kith_nlp::{Doc, Pipeline};
use kith_schema::DocId;

/// Runs `pipeline` on `text`: its facts pass the merge check and count the text's
/// characters, every mention's span holds exactly the mention's text, and tokens and
/// sentences lie on character boundaries inside the text, in order.
pub fn check(pipeline: &Pipeline, text: &str) {
    let mut doc = Doc::new(DocId::from_content(text), text, "fuzz");
    let facts = pipeline.extract(&mut doc);
    facts
        .check()
        .unwrap_or_else(|e| panic!("pipeline facts fail the check: {e}"));
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(facts.document.chars as usize, chars.len());
    for entity in &facts.entities {
        for m in &entity.mentions {
            let (start, end) = (m.span.start as usize, m.span.end as usize);
            let spanned: String = chars[start..end].iter().collect();
            assert_eq!(spanned, &*m.text, "mention text differs from its span");
        }
    }
    let mut last = 0;
    for token in &doc.tokens {
        assert!(token.start < token.end && token.end <= text.len());
        assert!(token.start >= last, "tokens out of order");
        assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
        last = token.end;
    }
    for sentence in &doc.sentences {
        assert!(sentence.start <= sentence.end && sentence.end <= text.len());
        assert!(text.is_char_boundary(sentence.start) && text.is_char_boundary(sentence.end));
        assert!(sentence.tokens.start <= sentence.tokens.end);
        assert!(sentence.tokens.end <= doc.tokens.len());
    }
}
