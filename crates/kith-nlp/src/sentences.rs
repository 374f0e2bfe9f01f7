//! Sentence segmentation over the tokenizer's output.
//!
//! Rule-based and single pass, like the tokenizer: a trained segmenter would need a model
//! and a corpus, while news prose breaks sentences in a few regular ways that rules
//! capture well (terminal punctuation, abbreviation behaviour from the tokenizer's one
//! list, paragraph breaks, headline lines). Each token is looked at a bounded number of
//! times and each gap between tokens is read once, so segmentation is linear.
//!
//! Rules, in order, for a possible break after a token:
//! 1. A paragraph break (two or more line breaks between tokens) always ends a sentence.
//! 2. Terminal punctuation (`.` `!` `?` `…`, runs like `?!`, and other scripts' full
//!    stops) takes along the closing quotes and brackets glued to it (`He said "no."`) and
//!    citation markers after it on the line (`... in 1805. [6]`), then ends the sentence
//!    unless:
//!    - the sentence so far is a list item's number (`1.`, `2.1.`);
//!    - the next token is a comma, semicolon, colon or closer (a straight `"` or `'` after
//!      a space and glued to a word opens a quotation instead: `left. "We`);
//!    - the next token starts with a lower-case letter and a quotation closed after the
//!      mark (`"Stop!" he said`), or the mark is an ellipsis (`wait... what`), or a `?`
//!      or `!` on the same line; a full stop ends the sentence before a lower-case word
//!      unless the word before it may be an abbreviation the list lacks (`Calif.`: a
//!      capitalised word of up to five letters), and any but an ellipsis does at a line
//!      end unless a quotation closed after it;
//!    - a quotation closed after the mark and a speech tag follows (`"Why?" Ann asked`);
//!    - it follows with no space and starts with an ASCII letter or digit (`end.The`).
//!
//!    CJK full stops need no space after them.
//! 3. An abbreviation (see [`crate::tokenize`]'s list) ends a sentence by its kind: titles
//!    (`Mr.`) and `No.` before a number never; `etc.` before any capitalised word; the rest
//!    (`U.S.`, `Inc.`, `Jan.`, `p.m.`, initials) only before a likely sentence starter
//!    ([`SENTENCE_STARTERS`]: `The`, `He`, ...) or, across a line break, before a
//!    capitalised word.
//! 4. Any other token ends a sentence at a single line break when the next line starts
//!    with a capital, a number or a bullet (a headline, dateline or list item without
//!    final punctuation: a new paragraph, as scraped news often marks one), unless the
//!    line ends with something that cannot end one: punctuation other than a closer or a
//!    dash, `&`, or a function word such as `of` or `the` (hard-wrapped prose).
//!
//! The rules were chosen on the training splits of UD English EWT and GUM and are scored
//! on their dev splits by `kith eval sentences` (see `kith_corpus::sentences`).

use crate::doc::{Sentence, Token, TokenKind};
use crate::tokenize::{abbreviation_of, char_at, is_ideographic_terminator, is_terminator, Abbrev};

/// Capitalised words that usually start a sentence and rarely follow an abbreviation such
/// as `U.S.` or `Inc.` inside one.
pub(crate) const SENTENCE_STARTERS: &[&str] = &[
    "A",
    "According",
    "After",
    "All",
    "Also",
    "Although",
    "An",
    "Analysts",
    "And",
    "As",
    "At",
    "Authorities",
    "Because",
    "Before",
    "Both",
    "But",
    "By",
    "Critics",
    "Despite",
    "During",
    "Each",
    "Earlier",
    "Every",
    "Experts",
    "Few",
    "For",
    "From",
    "Furthermore",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "Instead",
    "It",
    "Its",
    "Last",
    "Later",
    "Many",
    "Meanwhile",
    "Moreover",
    "Most",
    "My",
    "Next",
    "No",
    "None",
    "Not",
    "Now",
    "Officials",
    "On",
    "One",
    "Or",
    "Other",
    "Others",
    "Our",
    "Police",
    "Separately",
    "Several",
    "She",
    "Since",
    "So",
    "Some",
    "Still",
    "Such",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "Today",
    "We",
    "What",
    "When",
    "Where",
    "Whereas",
    "Which",
    "While",
    "Who",
    "Why",
    "With",
    "Without",
    "Yesterday",
    "Yet",
    "You",
    "Your",
];

/// Verbs of saying that follow a quotation's speaker in a speech tag ("...?" Smith asked).
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "asked",
    "asks",
    "told",
    "tells",
    "replied",
    "replies",
    "added",
    "adds",
    "cried",
    "shouted",
    "yelled",
    "whispered",
    "wrote",
    "writes",
    "explained",
    "continued",
    "insisted",
    "answered",
    "exclaimed",
    "called",
    "laughed",
    "muttered",
    "screamed",
    "declared",
    "demanded",
    "wondered",
    "recalled",
    "noted",
    "tweeted",
    "howled",
    "began",
    "started",
    "guessed",
    "admitted",
    "argued",
    "warned",
    "urged",
    "joked",
    "sighed",
    "snapped",
];

/// Lower-case words after which a line cannot end a headline: it continues on the next.
const LINE_CONTINUERS: &[&str] = &[
    "a", "about", "after", "against", "an", "and", "are", "as", "at", "be", "before", "between",
    "but", "by", "for", "from", "had", "has", "have", "her", "his", "in", "into", "is", "its",
    "not", "of", "on", "or", "our", "over", "said", "says", "than", "that", "the", "their",
    "these", "this", "those", "to", "was", "were", "will", "with", "would",
];

/// Split tokenized text into sentences. Every token belongs to exactly one sentence; the
/// sentences are in order, and each spans from its first token's start to its last
/// token's end (byte offsets).
pub fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let splitter = Splitter { text, tokens };
    let mut sentences = Vec::new();
    let mut first = 0;
    let mut k = 0;
    while k < tokens.len() {
        let (last, brk) = splitter.step(k, first);
        let last = last.clamp(k, tokens.len() - 1);
        if brk || last + 1 == tokens.len() {
            let start = tokens[first].start;
            sentences.push(Sentence {
                start,
                end: tokens[last].end.max(start),
                tokens: first..last + 1,
            });
            first = last + 1;
        }
        k = last + 1;
    }
    sentences
}

struct Splitter<'a> {
    text: &'a str,
    tokens: &'a [Token],
}

fn is_closer(s: &str) -> bool {
    matches!(
        s,
        "\"" | "'"
            | "\u{201D}"
            | "\u{2019}"
            | "\u{BB}"
            | "\u{203A}"
            | ")"
            | "]"
            | "}"
            | "\u{300D}"
            | "\u{300F}"
            | "\u{FF09}"
            | "\u{3009}"
            | "\u{300B}"
    )
}

fn is_opener(s: &str) -> bool {
    matches!(
        s,
        "\"" | "'"
            | "\u{201C}"
            | "\u{2018}"
            | "\u{AB}"
            | "\u{2039}"
            | "("
            | "["
            | "{"
            | "\u{BF}"
            | "\u{A1}"
            | "\u{300C}"
            | "\u{300E}"
            | "\u{FF08}"
    )
}

fn first_char(s: &str) -> Option<char> {
    char_at(s, 0)
}

impl Splitter<'_> {
    fn text_of(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }

    fn kind(&self, i: usize) -> Option<TokenKind> {
        self.tokens.get(i).map(|t| t.kind)
    }

    /// Whether token `i + 1` follows token `i` with nothing between them.
    fn adjacent(&self, i: usize) -> bool {
        match (self.tokens.get(i), self.tokens.get(i + 1)) {
            (Some(a), Some(b)) => b.start <= a.end,
            _ => false,
        }
    }

    /// Line breaks between token `i` and the next, counting up to 2 (2 = paragraph).
    fn line_breaks(&self, i: usize) -> usize {
        let (Some(a), Some(b)) = (self.tokens.get(i), self.tokens.get(i + 1)) else {
            return 0;
        };
        let Some(gap) = self.text.as_bytes().get(a.end..b.start) else {
            return 0;
        };
        let mut breaks = 0;
        let mut k = 0;
        while k < gap.len() && breaks < 2 {
            match gap[k] {
                b'\n' | 0x0B => breaks += 1,
                b'\r' if gap.get(k + 1) != Some(&b'\n') => breaks += 1,
                0x0C => breaks += 2,
                // U+0085 NEL
                0xC2 if gap.get(k + 1) == Some(&0x85) => breaks += 1,
                // U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR
                0xE2 if gap.get(k + 1) == Some(&0x80) && gap.get(k + 2) == Some(&0xA8) => {
                    breaks += 1
                }
                0xE2 if gap.get(k + 1) == Some(&0x80) && gap.get(k + 2) == Some(&0xA9) => {
                    breaks += 2
                }
                _ => {}
            }
            k += 1;
        }
        breaks.min(2)
    }

    /// The last of the closing quotes and brackets glued to token `k`.
    fn absorb_closers(&self, k: usize) -> usize {
        let mut j = k;
        while self.adjacent(j)
            && self.kind(j + 1) == Some(TokenKind::Punct)
            && is_closer(self.text_of(j + 1))
        {
            j += 1;
        }
        j
    }

    fn starts_lowercase(&self, i: usize) -> bool {
        first_char(self.text_of(i)).is_some_and(char::is_lowercase)
    }

    /// Token `i` starts with a capital, or is an opening quote or bracket glued to one.
    fn starts_capitalised(&self, i: usize) -> bool {
        let s = self.text_of(i);
        if first_char(s).is_some_and(char::is_uppercase) {
            return true;
        }
        is_opener(s)
            && self.adjacent(i)
            && first_char(self.text_of(i + 1)).is_some_and(char::is_uppercase)
    }

    /// Token `i` is a likely sentence starter, or an opening quote glued to a capital.
    fn starts_sentence(&self, i: usize) -> bool {
        let s = self.text_of(i);
        SENTENCE_STARTERS.contains(&s) || (is_opener(s) && self.starts_capitalised(i))
    }

    /// Whether the word before the full stop at `k` may be an abbreviation that the
    /// tokenizer's list lacks: glued to it, capitalised and short (`Calif.`, `Ariz.`).
    fn maybe_abbreviation(&self, k: usize) -> bool {
        if k == 0 || !self.adjacent(k - 1) || self.kind(k - 1) != Some(TokenKind::Word) {
            return false;
        }
        let w = self.text_of(k - 1);
        first_char(w).is_some_and(char::is_uppercase) && w.chars().count() <= 5
    }

    /// Whether tokens from `i` read as a speech tag: capitalised words (a name, `I`; not a
    /// sentence starter such as `As` or `The`) and then a verb of saying (`Smith said`,
    /// `I asked`).
    fn speech_tag(&self, i: usize) -> bool {
        if self.text_of(i) != "I" && SENTENCE_STARTERS.contains(&self.text_of(i)) {
            return false;
        }
        for j in i..(i + 4).min(self.tokens.len()) {
            let t = self.text_of(j);
            if j > i && SPEECH_VERBS.contains(&t) {
                return true;
            }
            if self.kind(j) != Some(TokenKind::Word)
                || !first_char(t).is_some_and(char::is_uppercase)
            {
                return false;
            }
        }
        false
    }

    /// A line ending with token `k` continues on the next line.
    fn continues_line(&self, k: usize) -> bool {
        let s = self.text_of(k);
        match self.kind(k) {
            Some(TokenKind::Punct) => {
                // A dash ends a line of interrupted speech or a dateline ("WASHINGTON —").
                !is_closer(s) && !matches!(s, "-" | "--" | "\u{2013}" | "\u{2014}")
            }
            Some(TokenKind::Symbol) => s == "&" || s == "+",
            Some(TokenKind::Word) => LINE_CONTINUERS.contains(&s),
            _ => false,
        }
    }

    /// Whether token `i` is a straight quote (`"`, `'`) that opens a quotation: space
    /// before it and a word glued after it (`said. "We`), where a closing one has the word
    /// before it.
    fn opens_quote(&self, i: usize) -> bool {
        matches!(self.text_of(i), "\"" | "'")
            && (i == 0 || !self.adjacent(i - 1))
            && self.adjacent(i)
            && self.kind(i + 1) != Some(TokenKind::Punct)
    }

    /// A citation marker right after token `k` on the same line (`[17]`, `[citation
    /// needed]`): the last token of its closing bracket.
    fn citation_after(&self, k: usize) -> Option<usize> {
        if self.text_of(k + 1) != "[" || self.line_breaks(k) > 0 {
            return None;
        }
        (k + 2..self.tokens.len().min(k + 8))
            .take_while(|&j| {
                let t = self.text_of(j);
                t == "]" || !(t == "[" || first_char(t).is_some_and(is_terminator))
            })
            .find(|&j| self.text_of(j) == "]")
    }

    /// Whether tokens `first..k` are only a list marker's number (`1`, `2.1`, `*3`). Only a
    /// few tokens are looked at, so that a run of them stays linear.
    fn list_marker(&self, first: usize, k: usize) -> bool {
        k - first <= 3
            && (first..k).any(|i| self.kind(i) == Some(TokenKind::Number))
            && (first..k).all(|i| {
                self.kind(i) == Some(TokenKind::Number)
                    || matches!(self.text_of(i), "*" | "(" | "#" | "-" | "\u{2022}")
            })
    }

    /// Decide about a break after token `k` of the sentence starting at token `first`:
    /// returns the last token of this step (`k`, or the last closer glued to it) and
    /// whether the sentence ends there.
    fn step(&self, k: usize, first: usize) -> (usize, bool) {
        let n = self.tokens.len();
        if k + 1 >= n {
            return (k, true);
        }
        let s = self.text_of(k);
        let kind = self.kind(k);

        if kind == Some(TokenKind::Punct) && first_char(s).is_some_and(is_terminator) {
            let mut last = self.absorb_closers(k);
            let quoted = last > k;
            // Citation markers after the full stop belong to the sentence they cite for.
            while let Some(end) = self.citation_after(last) {
                last = self.absorb_closers(end);
            }
            if last + 1 >= n || self.line_breaks(last) >= 2 {
                return (last, true);
            }
            // "1. Introduction": a list item's number is no sentence.
            if s == "." && last == k && self.list_marker(first, k) {
                return (last, false);
            }
            let next = last + 1;
            let ns = self.text_of(next);
            // A straight quote after a space opens the next sentence's quotation.
            if matches!(ns, "," | ";" | ":") || (is_closer(ns) && !self.opens_quote(next)) {
                return (last, false);
            }
            if self.starts_lowercase(next) {
                // "Stop!" he said; wait... what: a speech tag or an ellipsis goes on. A
                // full stop before a lower-case word ends a sentence unless a quotation
                // closes after it or the word before it may be an abbreviation the list
                // lacks (`Calif.`); at a line end it does, and so does an unquoted `?` `!`.
                let full_stop = s == "." || s == "\u{FF0E}";
                let ellipsis = s.starts_with("..") || s.contains('\u{2026}');
                let line_end = self.line_breaks(last) == 1;
                let brk = !ellipsis
                    && (full_stop || (line_end && !quoted))
                    && (line_end || (!quoted && !self.maybe_abbreviation(k)));
                return (last, brk);
            }
            // "Are we safe?" Smith asked: a quotation's speech tag belongs to it.
            if quoted && self.line_breaks(last) == 0 && self.speech_tag(next) {
                return (last, false);
            }
            let ideographic = s.chars().any(is_ideographic_terminator);
            if !ideographic
                && self.adjacent(last)
                && first_char(ns).is_some_and(|c| c.is_ascii_alphanumeric())
            {
                return (last, false);
            }
            return (last, true);
        }

        if kind == Some(TokenKind::Word) {
            if let Some(abbrev) = abbreviation_of(s) {
                let last = self.absorb_closers(k);
                if last + 1 >= n {
                    return (last, true);
                }
                let breaks = self.line_breaks(last);
                let next = last + 1;
                let brk = breaks >= 2
                    || match abbrev {
                        Abbrev::Title | Abbrev::BeforeNumber => false,
                        Abbrev::Etc => self.starts_capitalised(next),
                        Abbrev::MayEnd => {
                            self.starts_sentence(next)
                                || (breaks == 1 && self.starts_capitalised(next))
                        }
                    };
                return (last, brk);
            }
        }

        match self.line_breaks(k) {
            0 => (k, false),
            1 => (
                k,
                !self.continues_line(k)
                    && (self.starts_capitalised(k + 1)
                        || self.kind(k + 1) == Some(TokenKind::Number)
                        || matches!(self.text_of(k + 1), "*" | "\u{2022}" | "#")),
            ),
            _ => (k, true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    fn sents(text: &str) -> Vec<&str> {
        let tokens = tokenize(text);
        split_sentences(text, &tokens)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn empty_text_has_no_sentences() {
        assert!(sents("").is_empty());
        assert!(sents("  \n\n \t").is_empty());
        assert_eq!(sents("word"), vec!["word"]);
    }

    #[test]
    fn basic_terminators() {
        assert_eq!(
            sents("The talks ended. Did they agree? No! They will meet again."),
            vec![
                "The talks ended.",
                "Did they agree?",
                "No!",
                "They will meet again."
            ]
        );
        assert_eq!(sents("Really?! Yes."), vec!["Really?!", "Yes."]);
        // A sentence ending without punctuation at the end of the text.
        assert_eq!(sents("One. Two"), vec!["One.", "Two"]);
    }

    #[test]
    fn titles_never_end_a_sentence() {
        assert_eq!(
            sents("Mr. Smith met Sen. Jones and Dr. Lee. Gen. Ray and Lt. Col. Ford agreed."),
            vec![
                "Mr. Smith met Sen. Jones and Dr. Lee.",
                "Gen. Ray and Lt. Col. Ford agreed."
            ]
        );
        assert_eq!(
            sents("It was Smith vs. The Times."),
            vec!["It was Smith vs. The Times."]
        );
    }

    #[test]
    fn us_ends_a_sentence_only_before_a_starter() {
        assert_eq!(
            sents("He moved to the U.S. The move was sudden."),
            vec!["He moved to the U.S.", "The move was sudden."]
        );
        assert_eq!(
            sents("The U.S. State Department said so."),
            vec!["The U.S. State Department said so."]
        );
        assert_eq!(
            sents("Aid from the U.K. He said it came late."),
            vec!["Aid from the U.K.", "He said it came late."]
        );
        assert_eq!(
            sents("She left the U.S. \"We are done,\" she said."),
            vec!["She left the U.S.", "\"We are done,\" she said."]
        );
    }

    #[test]
    fn company_and_name_suffixes() {
        assert_eq!(
            sents("He joined Acme Inc. The firm grew."),
            vec!["He joined Acme Inc.", "The firm grew."]
        );
        assert_eq!(
            sents("Acme Corp. CEO Jo Li spoke."),
            vec!["Acme Corp. CEO Jo Li spoke."]
        );
        assert_eq!(
            sents("Martin Luther King Jr. Day is today."),
            vec!["Martin Luther King Jr. Day is today."]
        );
    }

    #[test]
    fn etc_ends_before_a_capital_only() {
        assert_eq!(
            sents("They sold apples, pears, etc. Prices rose."),
            vec!["They sold apples, pears, etc.", "Prices rose."]
        );
        assert_eq!(
            sents("Apples, pears, etc. were sold."),
            vec!["Apples, pears, etc. were sold."]
        );
    }

    #[test]
    fn months_and_times() {
        assert_eq!(
            sents("On Jan. 5 the vote was held."),
            vec!["On Jan. 5 the vote was held."]
        );
        assert_eq!(
            sents("By Mar. 3 and Sept. 11 it was over."),
            vec!["By Mar. 3 and Sept. 11 it was over."]
        );
        assert_eq!(
            sents("They met at 10 a.m. Monday."),
            vec!["They met at 10 a.m. Monday."]
        );
        assert_eq!(
            sents("They met at 10 p.m. The talks lasted hours."),
            vec!["They met at 10 p.m.", "The talks lasted hours."]
        );
        assert_eq!(
            sents("It was due in Dec. It came late."),
            vec!["It was due in Dec.", "It came late."]
        );
    }

    #[test]
    fn number_abbreviation() {
        assert_eq!(
            sents("He lives at No. 10 Downing Street."),
            vec!["He lives at No. 10 Downing Street."]
        );
        assert_eq!(
            sents("He said No. Then he left."),
            vec!["He said No.", "Then he left."]
        );
    }

    #[test]
    fn initials() {
        assert_eq!(
            sents("J. K. Rowling wrote it."),
            vec!["J. K. Rowling wrote it."]
        );
        assert_eq!(
            sents("President George W. Bush spoke."),
            vec!["President George W. Bush spoke."]
        );
        assert_eq!(
            sents("They chose Plan B. The rest failed."),
            vec!["They chose Plan B.", "The rest failed."]
        );
    }

    #[test]
    fn closing_quotes_and_brackets_belong_to_the_ending_sentence() {
        assert_eq!(
            sents("He said \"no.\" Then he left."),
            vec!["He said \"no.\"", "Then he left."]
        );
        assert_eq!(
            sents("She said \u{201C}we won.\u{201D} Fans cheered."),
            vec!["She said \u{201C}we won.\u{201D}", "Fans cheered."]
        );
        assert_eq!(
            sents("(It rained.) Then it stopped."),
            vec!["(It rained.)", "Then it stopped."]
        );
        assert_eq!(
            sents("\"Stop!\" he shouted."),
            vec!["\"Stop!\" he shouted."]
        );
        assert_eq!(sents("\"Why?\", she asked."), vec!["\"Why?\", she asked."]);
    }

    #[test]
    fn straight_quotes_open_after_a_full_stop() {
        assert_eq!(
            sents("The envoy left. \"We will not give up,\" she said. \"Talks go on.\" Then she flew home."),
            vec![
                "The envoy left.",
                "\"We will not give up,\" she said.",
                "\"Talks go on.\"",
                "Then she flew home."
            ]
        );
        assert_eq!(
            sents("\"Is it over?\" \"No.\" 'Not yet.' 'Soon.'"),
            vec!["\"Is it over?\"", "\"No.\"", "'Not yet.'", "'Soon.'"]
        );
    }

    #[test]
    fn a_closing_quote_ends_a_sentence_at_a_line_end() {
        // A quotation over two paragraphs laid out with single line breaks, and a line that
        // ends a quotation before a lower-case word (a hard-wrapped speech tag does not
        // follow a full stop).
        assert_eq!(
            sents("\u{201C}We do not expect a deal.\u{201D}\nThe minister flies to Oslo.\n\u{201C}He will meet them.\u{201D}\nofficials said nothing."),
            vec![
                "\u{201C}We do not expect a deal.\u{201D}",
                "The minister flies to Oslo.",
                "\u{201C}He will meet them.\u{201D}",
                "officials said nothing."
            ]
        );
        assert_eq!(
            sents("\"Why now?\"\nhe asked."),
            vec!["\"Why now?\"\nhe asked."]
        );
    }

    #[test]
    fn speech_tags_stay_with_their_quotation() {
        // Not a sentence starter, nor across a line break.
        assert_eq!(
            sents("\"It is over.\" As Lee told the BBC, it was."),
            vec!["\"It is over.\"", "As Lee told the BBC, it was."]
        );
        assert_eq!(
            sents("\"It is over.\"\nLee said so."),
            vec!["\"It is over.\"", "Lee said so."]
        );
        assert_eq!(
            sents("\"Are we safe?\" Ann Lee asked. \"Yes!\" I said. \"Go.\" The car left."),
            vec![
                "\"Are we safe?\" Ann Lee asked.",
                "\"Yes!\" I said.",
                "\"Go.\"",
                "The car left."
            ]
        );
    }

    #[test]
    fn a_full_stop_before_a_lower_case_word() {
        assert_eq!(
            sents("The vote ended. then the count began."),
            vec!["The vote ended.", "then the count began."]
        );
        // A short capitalised word may be an abbreviation the list lacks.
        assert_eq!(
            sents("He lives in Calif. now."),
            vec!["He lives in Calif. now."]
        );
        assert_eq!(sents("Wait... what?"), vec!["Wait... what?"]);
        assert_eq!(sents("Is it? maybe."), vec!["Is it? maybe."]);
        assert_eq!(
            sents("It is over.\nthe rest waits."),
            vec!["It is over.", "the rest waits."]
        );
    }

    #[test]
    fn citations_and_list_numbers() {
        assert_eq!(
            sents("He died in 1804. [4] [5] His son moved. [citation needed] It ended."),
            vec![
                "He died in 1804. [4] [5]",
                "His son moved. [citation needed]",
                "It ended."
            ]
        );
        assert_eq!(
            sents("1. Introduction\n\n2.1. The data are new."),
            vec!["1. Introduction", "2.1. The data are new."]
        );
        // Not at the start of a sentence, a number's full stop ends it.
        assert_eq!(
            sents("The score was 2. The game ended."),
            vec!["The score was 2.", "The game ended."]
        );
    }

    #[test]
    fn single_line_breaks_start_paragraphs_by_their_signs() {
        assert_eq!(
            sents("WASHINGTON \u{2014}\nThe talks ended."),
            vec!["WASHINGTON \u{2014}", "The talks ended."]
        );
        assert_eq!(
            sents("Key dates\n2025 was the year of the deal\n* The first item"),
            vec![
                "Key dates",
                "2025 was the year of the deal",
                "* The first item"
            ]
        );
        // Hard-wrapped prose still runs on.
        assert_eq!(
            sents("The firm sold a well-\nknown brand in\n2025."),
            vec!["The firm sold a well-\nknown brand in\n2025."]
        );
    }

    #[test]
    fn paragraph_breaks_always_end_a_sentence() {
        assert_eq!(
            sents("first paragraph\n\nsecond one"),
            vec!["first paragraph", "second one"]
        );
        assert_eq!(
            sents("Talks with\r\n\r\nthe envoy"),
            vec!["Talks with", "the envoy"]
        );
        assert_eq!(sents("Mr.\n  \nSmith"), vec!["Mr.", "Smith"]);
        assert_eq!(sents("a\u{2029}b"), vec!["a", "b"]);
    }

    #[test]
    fn headline_lines_end_at_a_newline_before_a_capital() {
        assert_eq!(
            sents("Floods hit the coast\nThousands were evacuated on Monday."),
            vec![
                "Floods hit the coast",
                "Thousands were evacuated on Monday."
            ]
        );
        assert_eq!(
            sents("WASHINGTON\nThe president spoke."),
            vec!["WASHINGTON", "The president spoke."]
        );
        // Hard-wrapped prose: the line cannot end there, or the next line is lower case.
        assert_eq!(
            sents("He held talks with\nPresident Li."),
            vec!["He held talks with\nPresident Li."]
        );
        assert_eq!(
            sents("He said:\nThe deal is off."),
            vec!["He said:\nThe deal is off."]
        );
        assert_eq!(
            sents("The talks went\nwell today."),
            vec!["The talks went\nwell today."]
        );
        assert_eq!(
            sents("Talks end\n\u{201C}We are done\u{201D}"),
            vec!["Talks end", "\u{201C}We are done\u{201D}"]
        );
    }

    #[test]
    fn no_break_inside_numbers_urls_emails() {
        assert_eq!(
            sents("Growth was 3.5 percent in 2025."),
            vec!["Growth was 3.5 percent in 2025."]
        );
        assert_eq!(
            sents("Visit https://example.com/a.b today."),
            vec!["Visit https://example.com/a.b today."]
        );
        assert_eq!(
            sents("Mail desk@news.example.org now."),
            vec!["Mail desk@news.example.org now."]
        );
        assert_eq!(
            sents("Visit www.example.com. It works."),
            vec!["Visit www.example.com.", "It works."]
        );
    }

    #[test]
    fn ellipsis() {
        assert_eq!(sents("Well... maybe not."), vec!["Well... maybe not."]);
        assert_eq!(
            sents("Well\u{2026} maybe not."),
            vec!["Well\u{2026} maybe not."]
        );
        assert_eq!(
            sents("He paused... Then he spoke."),
            vec!["He paused...", "Then he spoke."]
        );
    }

    #[test]
    fn no_space_after_a_period_does_not_split() {
        assert_eq!(sents("It ended.Then"), vec!["It ended.Then"]);
    }

    #[test]
    fn other_scripts() {
        assert_eq!(
            sents("\u{4ECA}\u{5929}\u{4E0B}\u{96E8}\u{3002}\u{660E}\u{5929}\u{6674}\u{3002}"),
            vec![
                "\u{4ECA}\u{5929}\u{4E0B}\u{96E8}\u{3002}",
                "\u{660E}\u{5929}\u{6674}\u{3002}"
            ]
        );
        assert_eq!(
            sents("\u{647}\u{644} \u{62C}\u{627}\u{621}\u{61F} \u{646}\u{639}\u{645}."),
            vec![
                "\u{647}\u{644} \u{62C}\u{627}\u{621}\u{61F}",
                "\u{646}\u{639}\u{645}."
            ]
        );
    }

    #[test]
    fn sentences_cover_tokens_in_order() {
        let text = "A. B. C. The end. \"Quote.\" (Paren.)\n\nHeadline\nBody text here.";
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        assert!(sentences.len() >= 4);
        let mut next = 0;
        for s in &sentences {
            assert_eq!(s.tokens.start, next);
            next = s.tokens.end;
        }
        assert_eq!(next, tokens.len());
    }

    #[test]
    fn foreign_tokens_never_panic() {
        // Tokens that do not fit the text: out of range, reversed, off char boundaries.
        let text = "\u{E9}t\u{E9}. Ok";
        let tokens = vec![
            Token {
                start: 0,
                end: 1,
                kind: TokenKind::Word,
            },
            Token {
                start: 5,
                end: 2,
                kind: TokenKind::Punct,
            },
            Token {
                start: 40,
                end: 50,
                kind: TokenKind::Word,
            },
            Token {
                start: 1,
                end: 3,
                kind: TokenKind::Punct,
            },
        ];
        let sentences = split_sentences(text, &tokens);
        assert_eq!(sentences.last().map(|s| s.tokens.end), Some(tokens.len()));
    }
}
