//! HTML main-text extraction on its own (the ingest target reaches it through files, at
//! a file write per run): any string of a depth the ingest admits extracts without
//! panicking, and the text it gives has no blank ends (paragraphs are trimmed).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else {
        return;
    };
    // The ingest refuses deeper pages before extracting (the parser is quadratic in depth).
    if kith_ingest::html_depth(html) > kith_ingest::MAX_HTML_DEPTH {
        return;
    }
    let text = kith_ingest::extract_html(html).text;
    assert_eq!(text, text.trim(), "extracted text has blank ends");
});
