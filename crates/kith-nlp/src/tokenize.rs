//! Tokenizer for English news text.
//!
//! Rule-based and single pass, on purpose: news text is regular enough that a few dozen
//! hand-written rules (abbreviations, clitics, numbers, URLs, e-mails, handles, emoji)
//! get tokens right, the rules are inspectable and testable one by one, and a single
//! left-to-right walk over the chars with no regex and no per-token allocation is fast
//! (linear time, tens of MB/s) and cannot blow up on hostile input. Every scan that may
//! look ahead without consuming what it read (e-mail and dotted-acronym detection)
//! remembers how far it failed, so no byte is re-scanned more than a constant number of
//! times.
//!
//! Conventions (see the tests for examples):
//! - Offsets are byte offsets into the text, always on char boundaries. Whitespace,
//!   control characters and invisible format characters (zero-width space, BOM, bidi
//!   marks, soft hyphen) are never part of a token.
//! - `Word`: letters and digits of any script, with internal hyphens, apostrophes
//!   (`O'Brien`), `_` and `&` (`AT&T`) between alphanumerics, combining marks, and
//!   lower-case dotted continuations (`Amazon.com`). A token holding both letters and
//!   digits (`G20`, `1990s`, `3.5bn`, `2-year-old`) is a `Word`. Scripts written without
//!   spaces (CJK, Thai) are not segmented: a run of them is one `Word`.
//! - Clitics split off as their own `Word` token (Penn Treebank style): `'s`, `'m`, `'d`,
//!   `'ll`, `'re`, `'ve` (straight or curly apostrophe) and `n't` (`don't` → `do` `n't`,
//!   `can't` → `ca` `n't`).
//! - Abbreviations keep their period: the [`ABBREVIATIONS`] list, dotted acronyms
//!   (`U.S.`, `e.g.`, `U.S.A.`) and single capital initials (`J.`). `No.`-style entries
//!   keep it only before a number.
//! - `Number`: digits with `.` `,` `:` `/` between digits and `-` (`1,000`, `3.5`,
//!   `22/04/2025`, `2025-04-22`, `10:30`). `%` is a separate `Symbol` token, as are
//!   currency signs (`$` `€` `£`).
//! - `Url` (`http://`, `https://`, `ftp://`, `www.`), without trailing sentence
//!   punctuation or an unbalanced closing bracket; `Email`; `Handle` (`@name`);
//!   `Hashtag` (`#tag`, needs a letter: `#1` is `#` + `1`).
//! - `Punct`: ASCII punctuation except `# $ % & * + < = > @ ^ \` | ~`, plus Unicode
//!   quotes, dashes, ellipsis, `« »`, CJK and other scripts' punctuation. A run of
//!   sentence-final marks (`...`, `?!`) and a run of `-` (`--`) are one token.
//! - `Symbol`: everything else; an emoji sequence (modifiers, ZWJ sequences, flags,
//!   variation selectors) is one token.

use crate::doc::{Doc, Token, TokenKind};
use crate::pipeline::Component;
use crate::sentences::split_sentences;

/// How an abbreviation behaves where a sentence could end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Abbrev {
    /// Precedes a name or noun, so never ends a sentence (`Mr.`, `Sen.`, `vs.`, `e.g.`).
    Title,
    /// An abbreviation only before a number (`No. 10`, `pp. 4`); elsewhere the period is
    /// an ordinary full stop and stays a separate token.
    BeforeNumber,
    /// Ends a sentence only when a likely sentence starter follows (`U.S. The ...`) or the
    /// next line starts with a capital; `the U.S. State Department` stays one sentence.
    MayEnd,
    /// `etc.`: ends a sentence before any capitalised word.
    Etc,
}

use Abbrev::{BeforeNumber, Etc, MayEnd, Title};

/// Every abbreviation the tokenizer keeps together with its period, and how it behaves at
/// a possible sentence end. This is the one list; [`abbreviation_of`] reads it too.
///
/// Matching: an entry starting with a capital matches as written or in all capitals
/// (`Mr.`, `MR.`, not `mr.`); an entry starting in lower case also matches with a capital
/// first letter or in all capitals (`no.`, `No.`, `NO.`), except one-letter entries
/// (`p.`, `v.`), which match only as written. Dotted acronyms (`U.N.`, `e.g.`) and single
/// capital initials (`J.`) are recognised by pattern and behave as [`Abbrev::MayEnd`]
/// unless listed here.
pub(crate) const ABBREVIATIONS: &[(&str, Abbrev)] = &[
    // Titles and ranks: followed by a name.
    ("Mr.", Title),
    ("Mrs.", Title),
    ("Ms.", Title),
    ("Messrs.", Title),
    ("Dr.", Title),
    ("Prof.", Title),
    ("Sen.", Title),
    ("Sens.", Title),
    ("Rep.", Title),
    ("Reps.", Title),
    ("Gov.", Title),
    ("Govs.", Title),
    ("Gen.", Title),
    ("Lt.", Title),
    ("Col.", Title),
    ("Maj.", Title),
    ("Capt.", Title),
    ("Cmdr.", Title),
    ("Adm.", Title),
    ("Sgt.", Title),
    ("Cpl.", Title),
    ("Pvt.", Title),
    ("Brig.", Title),
    ("Rev.", Title),
    ("Hon.", Title),
    ("Pres.", Title),
    ("Supt.", Title),
    ("Atty.", Title),
    ("Amb.", Title),
    ("Mt.", Title),
    ("Ft.", Title),
    ("vs.", Title),
    ("v.", Title),
    ("e.g.", Title),
    ("i.e.", Title),
    ("cf.", Title),
    // Abbreviations only before a number.
    ("no.", BeforeNumber),
    ("nos.", BeforeNumber),
    ("p.", BeforeNumber),
    ("pp.", BeforeNumber),
    ("Vol.", BeforeNumber),
    ("Art.", BeforeNumber),
    ("Fig.", BeforeNumber),
    // May end a sentence.
    ("U.S.", MayEnd),
    ("U.K.", MayEnd),
    ("U.N.", MayEnd),
    ("E.U.", MayEnd),
    ("a.m.", MayEnd),
    ("p.m.", MayEnd),
    ("Ph.D.", MayEnd),
    ("St.", MayEnd),
    ("Jr.", MayEnd),
    ("Sr.", MayEnd),
    ("Inc.", MayEnd),
    ("Corp.", MayEnd),
    ("Ltd.", MayEnd),
    ("Co.", MayEnd),
    ("Cos.", MayEnd),
    ("Bros.", MayEnd),
    ("Plc.", MayEnd),
    ("Dept.", MayEnd),
    ("Univ.", MayEnd),
    ("Ave.", MayEnd),
    ("Blvd.", MayEnd),
    ("Rd.", MayEnd),
    ("approx.", MayEnd),
    ("est.", MayEnd),
    ("al.", MayEnd),
    // Months (capitalised only, so the verb "mar." is not one; no "May.").
    ("Jan.", MayEnd),
    ("Feb.", MayEnd),
    ("Mar.", MayEnd),
    ("Apr.", MayEnd),
    ("Jun.", MayEnd),
    ("Jul.", MayEnd),
    ("Aug.", MayEnd),
    ("Sep.", MayEnd),
    ("Sept.", MayEnd),
    ("Oct.", MayEnd),
    ("Nov.", MayEnd),
    ("Dec.", MayEnd),
    ("etc.", Etc),
];

/// Split `text` into tokens with byte offsets; see the module docs for the rules.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        tokens: Vec::with_capacity(text.len() / 5 + 1),
        email_fail_until: 0,
        dotted_fail_until: 0,
    };
    let mut i = 0;
    while let Some(c) = char_at(text, i) {
        if is_skip(c) {
            i += c.len_utf8();
        } else {
            let next = scanner.token(i, c);
            debug_assert!(next > i);
            i = next.max(i + c.len_utf8());
        }
    }
    scanner.tokens
}

/// The tokenizer and sentence splitter as a pipeline component: fills `doc.tokens` and
/// `doc.sentences`, replacing whatever was there.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tokenizer;

impl Component for Tokenizer {
    fn name(&self) -> &'static str {
        "tokenizer"
    }

    fn process(&self, doc: &mut Doc) {
        doc.tokens = tokenize(&doc.text);
        doc.sentences = split_sentences(&doc.text, &doc.tokens);
    }
}

/// How a token ending in `.` behaves as an abbreviation, if it is one.
pub(crate) fn abbreviation_of(token: &str) -> Option<Abbrev> {
    let b = token.as_bytes();
    if b.len() < 2 || b[b.len() - 1] != b'.' {
        return None;
    }
    if let Some(&(_, kind)) = ABBREVIATIONS
        .iter()
        .find(|(entry, _)| abbrev_matches(entry.as_bytes(), b))
    {
        return Some(kind);
    }
    // Dotted acronym (`U.N.`) or a single capital initial (`J.`).
    let mut chars = token.chars();
    let mut pairs = 0;
    let mut first_upper = false;
    while let Some(c) = chars.next() {
        if !c.is_alphabetic() || chars.next() != Some('.') {
            return None;
        }
        if pairs == 0 {
            first_upper = c.is_uppercase();
        }
        pairs += 1;
    }
    (pairs >= 2 || (pairs == 1 && first_upper)).then_some(MayEnd)
}

/// Sentence-final punctuation: Latin, CJK, Arabic, Devanagari, Ethiopic, Myanmar.
pub(crate) fn is_terminator(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | '\u{2026}' // …
            | '\u{203C}' // ‼
            | '\u{2047}'
            ..='\u{2049}'
            | '\u{3002}' // 。
            | '\u{FF01}' // ！
            | '\u{FF0E}' // ．
            | '\u{FF1F}' // ？
            | '\u{FF61}' // ｡
            | '\u{061F}' // ؟
            | '\u{06D4}' // ۔
            | '\u{0964}' // ।
            | '\u{0965}' // ॥
            | '\u{1362}' // ።
            | '\u{104B}' // ။
    )
}

/// Terminators of scripts written without spaces: they end a sentence even when the next
/// character follows directly.
pub(crate) fn is_ideographic_terminator(c: char) -> bool {
    matches!(
        c,
        '\u{3002}' | '\u{FF01}' | '\u{FF0E}' | '\u{FF1F}' | '\u{FF61}'
    )
}

/// The char starting at byte `i`, or `None` at the end (or off a char boundary).
#[inline]
pub(crate) fn char_at(text: &str, i: usize) -> Option<char> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        return Some(b as char);
    }
    text.get(i..)?.chars().next()
}

/// Never part of a token: whitespace, control characters and invisible format characters.
#[inline]
fn is_skip(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_whitespace() || c.is_ascii_control();
    }
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{AD}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// Combining marks and other characters that continue whatever precedes them: combining
/// diacritics, Indic / Southeast Asian vowel signs and viramas that are not `Alphabetic`,
/// variation selectors, emoji skin-tone modifiers and tag characters.
#[inline]
fn is_mark(c: char) -> bool {
    let u = c as u32;
    if u < 0x300 {
        return false;
    }
    match u {
        0x0300..=0x036F | 0x0483..=0x0489 => true,
        0x0591..=0x05BD | 0x05BF | 0x05C1 | 0x05C2 | 0x05C4 | 0x05C5 | 0x05C7 => true,
        0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E4 => true,
        0x06E7 | 0x06E8 | 0x06EA..=0x06ED | 0x0711 | 0x0730..=0x074A => true,
        // Indic scripts, Thai, Lao, Tibetan, Myanmar, Khmer: whatever in these blocks is
        // neither alphanumeric nor punctuation is a sign attached to a letter.
        0x0900..=0x0DFF | 0x0E00..=0x0EFF | 0x0F00..=0x0FFF | 0x1000..=0x109F | 0x1780..=0x17FF => {
            !c.is_alphanumeric() && !is_punct(c) && !matches!(u, 0x0E3F | 0x17DB)
        }
        0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF => true,
        0x302A..=0x302F | 0x3099 | 0x309A => true,
        0xFE00..=0xFE0F | 0xFE20..=0xFE2F => true,
        0x1F3FB..=0x1F3FF | 0xE0020..=0xE007F | 0xE0100..=0xE01EF => true,
        _ => false,
    }
}

/// Punctuation (as opposed to symbols): see the module docs.
pub(crate) fn is_punct(c: char) -> bool {
    match c {
        '!' | '"' | '\'' | '(' | ')' | ',' | '-' | '.' | '/' | ':' | ';' | '?' | '[' | '\\'
        | ']' | '_' | '{' | '}' => true,
        _ if c.is_ascii() => false,
        '\u{A1}' | '\u{A7}' | '\u{AB}' | '\u{B6}' | '\u{B7}' | '\u{BB}' | '\u{BF}' => true,
        '\u{37E}' | '\u{387}' | '\u{55A}'..='\u{55F}' | '\u{589}' => true,
        '\u{5BE}' | '\u{5C0}' | '\u{5C3}' | '\u{5C6}' | '\u{5F3}' | '\u{5F4}' => true,
        '\u{609}'..='\u{60D}' | '\u{61B}' | '\u{61D}'..='\u{61F}' | '\u{66A}'..='\u{66D}' => true,
        '\u{6D4}' | '\u{964}' | '\u{965}' | '\u{970}' | '\u{DF4}' => true,
        '\u{E4F}' | '\u{E5A}' | '\u{E5B}' | '\u{F04}'..='\u{F12}' | '\u{F14}' => true,
        '\u{104A}'..='\u{104F}' | '\u{1361}'..='\u{1368}' | '\u{17D4}'..='\u{17DA}' => true,
        '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '\u{2E00}'..='\u{2E7F}' => true,
        '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301F}' => true,
        '\u{30FB}' | '\u{FE10}'..='\u{FE19}' | '\u{FE30}'..='\u{FE4F}' => true,
        '\u{FE50}'..='\u{FE6B}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' => true,
        '\u{FF3B}'..='\u{FF3D}' | '\u{FF3F}' | '\u{FF5B}'..='\u{FF65}' => true,
        _ => false,
    }
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// Whether `entry` (from [`ABBREVIATIONS`]) matches `text` of the same length, under the
/// case rules described there.
fn abbrev_matches(entry: &[u8], text: &[u8]) -> bool {
    if entry.len() != text.len() || entry.is_empty() {
        return false;
    }
    let (e0, t0) = (entry[0], text[0]);
    let long = entry.len() > 2;
    if !(t0 == e0 || (long && e0.is_ascii_lowercase() && t0 == e0.to_ascii_uppercase())) {
        return false;
    }
    let (er, tr) = (&entry[1..], &text[1..]);
    tr == er
        || (long
            && t0.is_ascii_uppercase()
            && tr.iter().zip(er).all(|(t, e)| *t == e.to_ascii_uppercase()))
}

/// If the text at `q` (just after an apostrophe) is a clitic followed by a word boundary,
/// its end and whether it is the `t` of `n't`.
fn clitic_at(text: &str, q: usize) -> Option<(usize, bool)> {
    let b = text.as_bytes();
    let boundary =
        |at: usize| !char_at(text, at).is_some_and(|c| c.is_alphanumeric() || is_mark(c));
    let lower = |at: usize| b.get(at).map(|x| x.to_ascii_lowercase());
    match (lower(q), lower(q + 1)) {
        (Some(b'l'), Some(b'l')) | (Some(b'r'), Some(b'e')) | (Some(b'v'), Some(b'e'))
            if boundary(q + 2) =>
        {
            Some((q + 2, false))
        }
        (Some(c @ (b's' | b'm' | b'd' | b't')), _) if boundary(q + 1) => Some((q + 1, c == b't')),
        _ => None,
    }
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    tokens: Vec<Token>,
    /// An e-mail scan from any start before this offset is known to fail.
    email_fail_until: usize,
    /// A dotted-acronym scan from any start before this offset is known to fail.
    dotted_fail_until: usize,
}

impl Scanner<'_> {
    #[inline]
    fn at(&self, i: usize) -> Option<char> {
        char_at(self.text, i)
    }

    #[inline]
    fn push(&mut self, start: usize, end: usize, kind: TokenKind) {
        debug_assert!(
            start < end && self.text.is_char_boundary(start) && self.text.is_char_boundary(end)
        );
        self.tokens.push(Token { start, end, kind });
    }

    /// Scan the token starting at `i` (a non-skip char `c`), push it (or them, for a
    /// word and its clitic) and return where scanning resumes.
    fn token(&mut self, i: usize, c: char) -> usize {
        if c.is_alphanumeric() {
            if matches!(c, 'h' | 'H' | 'f' | 'F' | 'w' | 'W') {
                if let Some(prefix) = self.url_prefix(i) {
                    return self.url(i, prefix);
                }
            }
            if i >= self.email_fail_until {
                if let Some(end) = self.email(i) {
                    return end;
                }
            }
            return self.word(i, c);
        }
        match c {
            '@' | '#' => self.tag(i, c),
            _ if is_apostrophe(c) => self.apostrophe(i, c),
            '-' => self.run(i, |c| c == '-', TokenKind::Punct),
            _ if is_terminator(c) => self.run(i, is_terminator, TokenKind::Punct),
            _ if is_punct(c) => {
                self.push(i, i + c.len_utf8(), TokenKind::Punct);
                i + c.len_utf8()
            }
            _ => self.symbol(i, c),
        }
    }

    /// A run of chars satisfying `pred`, as one token.
    fn run(&mut self, i: usize, pred: fn(char) -> bool, kind: TokenKind) -> usize {
        let mut p = i;
        while let Some(c) = self.at(p).filter(|&c| pred(c)) {
            p += c.len_utf8();
        }
        self.push(i, p, kind);
        p
    }

    fn url_prefix(&self, i: usize) -> Option<usize> {
        let b = &self.bytes[i..];
        for prefix in ["https://", "http://", "ftp://"] {
            if b.len() >= prefix.len() && b[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
            {
                return Some(prefix.len());
            }
        }
        (b.len() > 4 && b[..4].eq_ignore_ascii_case(b"www.") && b[4].is_ascii_alphanumeric())
            .then_some(4)
    }

    fn url(&mut self, i: usize, prefix: usize) -> usize {
        let mut p = i + prefix;
        let (mut parens, mut brackets) = (0i64, 0i64);
        while let Some(c) = self.at(p) {
            if is_skip(c)
                || matches!(
                    c,
                    '<' | '>'
                        | '"'
                        | '`'
                        | '\u{201C}'
                        | '\u{201D}'
                        | '\u{2018}'
                        | '\u{2019}'
                        | '\u{AB}'
                        | '\u{BB}'
                )
            {
                break;
            }
            match c {
                '(' => parens += 1,
                ')' => parens -= 1,
                '[' => brackets += 1,
                ']' => brackets -= 1,
                _ => {}
            }
            p += c.len_utf8();
        }
        // Trailing punctuation belongs to the sentence, and so does a closing bracket
        // the URL did not open.
        while p > i + prefix {
            match self.bytes[p - 1] {
                b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'*' => {}
                b')' if parens < 0 => parens += 1,
                b']' if brackets < 0 => brackets += 1,
                b'}' => {}
                _ => break,
            }
            p -= 1;
        }
        self.push(i, p, TokenKind::Url);
        p
    }

    /// An e-mail address starting at `i`, pushed, or `None` (remembering how far the
    /// local part reached, since every start up to there fails the same way).
    fn email(&mut self, i: usize) -> Option<usize> {
        let mut j = i;
        while let Some(c) = self
            .at(j)
            .filter(|&c| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-'))
        {
            j += c.len_utf8();
        }
        if self.bytes.get(j) != Some(&b'@') || self.bytes[j - 1] == b'.' {
            self.email_fail_until = j;
            return None;
        }
        let domain = j + 1;
        let mut k = domain;
        while let Some(c) = self
            .at(k)
            .filter(|&c| c.is_alphanumeric() || c == '-' || c == '.')
        {
            k += c.len_utf8();
        }
        while k > domain && matches!(self.bytes[k - 1], b'.' | b'-') {
            k -= 1;
        }
        let host = &self.text[domain..k];
        let valid = match host.rfind('.') {
            Some(dot) if dot > 0 => {
                let tld = &host[dot + 1..];
                tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic)
            }
            _ => false,
        };
        if !valid {
            self.email_fail_until = j;
            return None;
        }
        self.push(i, k, TokenKind::Email);
        Some(k)
    }

    /// `@handle` or `#hashtag`, else the sign alone as a symbol.
    fn tag(&mut self, i: usize, c: char) -> usize {
        let mut p = i + 1;
        let mut alpha = false;
        while let Some(n) = self
            .at(p)
            .filter(|&n| n.is_alphanumeric() || n == '_' || (p > i + 1 && is_mark(n)))
        {
            alpha |= n.is_alphabetic();
            p += n.len_utf8();
        }
        match c {
            '@' if p > i + 1 => self.push(i, p, TokenKind::Handle),
            '#' if alpha => self.push(i, p, TokenKind::Hashtag),
            _ => return self.symbol(i, c),
        }
        p
    }

    /// An apostrophe starting a token: a clitic glued to the previous token (`U.S.'s`),
    /// else a quote mark.
    fn apostrophe(&mut self, i: usize, c: char) -> usize {
        let q = i + c.len_utf8();
        let glued = self.tokens.last().is_some_and(|t| {
            t.end == i
                && matches!(
                    t.kind,
                    TokenKind::Word | TokenKind::Number | TokenKind::Handle | TokenKind::Hashtag
                )
        });
        if glued {
            if let Some((end, false)) = clitic_at(self.text, q) {
                self.push(i, end, TokenKind::Word);
                return end;
            }
        }
        self.push(i, q, TokenKind::Punct);
        q
    }

    /// A symbol with whatever continues it: a second regional indicator (a flag), marks,
    /// variation selectors, skin tones, and ZWJ-joined symbols.
    fn symbol(&mut self, i: usize, c: char) -> usize {
        let mut p = i + c.len_utf8();
        if is_regional_indicator(c) {
            if let Some(n) = self.at(p).filter(|&n| is_regional_indicator(n)) {
                p += n.len_utf8();
            }
        }
        loop {
            match self.at(p) {
                Some(n) if is_mark(n) => p += n.len_utf8(),
                Some('\u{200D}') => match self.at(p + 3) {
                    Some(m) if !is_skip(m) && !m.is_alphanumeric() && !is_punct(m) => {
                        p += 3 + m.len_utf8()
                    }
                    _ => break,
                },
                _ => break,
            }
        }
        self.push(i, p, TokenKind::Symbol);
        p
    }

    /// A dotted acronym (`U.S.`, `a.m.`, `J.K.`: two or more single letters each followed
    /// by a period) starting at `i`, returning its end.
    fn dotted(&mut self, i: usize) -> Option<usize> {
        if i < self.dotted_fail_until {
            return None;
        }
        let mut p = i;
        let mut letters = 0;
        while let Some(c) = self.at(p).filter(|c| c.is_alphabetic()) {
            let q = p + c.len_utf8();
            if self.bytes.get(q) != Some(&b'.') {
                break;
            }
            p = q + 1;
            letters += 1;
        }
        if letters >= 2
            && !self
                .at(p)
                .is_some_and(|c| c.is_alphanumeric() || is_mark(c))
        {
            Some(p)
        } else {
            self.dotted_fail_until = p;
            None
        }
    }

    fn word(&mut self, s: usize, c0: char) -> usize {
        if c0.is_alphabetic() && self.bytes.get(s + c0.len_utf8()) == Some(&b'.') {
            if let Some(end) = self.dotted(s) {
                self.push(s, end, TokenKind::Word);
                return end;
            }
        }
        let kind = |alpha: bool| {
            if alpha {
                TokenKind::Word
            } else {
                TokenKind::Number
            }
        };
        let mut p = s + c0.len_utf8();
        let mut prev = c0;
        let mut alpha = c0.is_alphabetic();
        while let Some(c) = self.at(p) {
            if c.is_alphanumeric() || is_mark(c) {
                alpha |= c.is_alphabetic();
                prev = c;
                p += c.len_utf8();
                continue;
            }
            let q = p + c.len_utf8();
            let next = self.at(q);
            let prev_alnum = prev.is_alphanumeric() || is_mark(prev);
            let join = match c {
                '-' | '\u{2010}' | '\u{2011}' | '_' | '&' | '\u{AD}' | '\u{200C}' | '\u{200D}' => {
                    prev_alnum && next.is_some_and(|n| n.is_alphanumeric())
                }
                '.' | ',' | ':' | '/'
                    if prev.is_numeric() && next.is_some_and(|n| n.is_numeric()) =>
                {
                    true
                }
                '.' => prev.is_alphabetic() && next.is_some_and(|n| n.is_lowercase()),
                _ if is_apostrophe(c) && prev_alnum && next.is_some_and(|n| n.is_alphabetic()) => {
                    match clitic_at(self.text, q) {
                        Some((end, false)) => {
                            self.push(s, p, kind(alpha));
                            self.push(p, end, TokenKind::Word);
                            return end;
                        }
                        Some((end, true)) if matches!(prev, 'n' | 'N') && p - 1 > s => {
                            self.push(s, p - 1, kind(alpha));
                            self.push(p - 1, end, TokenKind::Word);
                            return end;
                        }
                        _ => true,
                    }
                }
                _ => false,
            };
            if !join {
                break;
            }
            prev = c;
            p = q;
        }
        if self.bytes.get(p) == Some(&b'.') && alpha {
            if let Some(end) = self.listed_abbreviation(s, p) {
                self.push(s, end, TokenKind::Word);
                return end;
            }
            let initial = p == s + c0.len_utf8() && c0.is_uppercase();
            if initial && !self.at(p + 1).is_some_and(|n| n.is_alphanumeric()) {
                self.push(s, p + 1, TokenKind::Word);
                return p + 1;
            }
        }
        self.push(s, p, kind(alpha));
        p
    }

    /// The end of the longest [`ABBREVIATIONS`] entry that starts at `s` and whose first
    /// period is at `p` (where the word scanned from `s` stopped).
    fn listed_abbreviation(&self, s: usize, p: usize) -> Option<usize> {
        let word_len = p - s;
        let mut best = None;
        for &(entry, kind) in ABBREVIATIONS {
            let e = entry.as_bytes();
            if e.len() <= word_len || e[word_len] != b'.' {
                continue;
            }
            let end = s + e.len();
            match self.bytes.get(s..end) {
                Some(t) if abbrev_matches(e, t) => {}
                _ => continue,
            }
            if self
                .at(end)
                .is_some_and(|c| c.is_alphanumeric() || is_mark(c))
            {
                continue;
            }
            if kind == BeforeNumber && !self.digit_follows(end) {
                continue;
            }
            if best.is_none_or(|b| end > b) {
                best = Some(end);
            }
        }
        best
    }

    /// Whether a digit follows `i`, after spaces on the same line.
    fn digit_follows(&self, mut i: usize) -> bool {
        while let Some(c) = self.at(i) {
            if c.is_ascii_digit() {
                return true;
            }
            if !c.is_whitespace() || c == '\n' || c == '\r' {
                return false;
            }
            i += c.len_utf8();
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pipeline;
    use kith_schema::DocId;
    use TokenKind::*;

    fn toks(text: &str) -> Vec<(&str, TokenKind)> {
        tokenize(text)
            .iter()
            .map(|t| (&text[t.start..t.end], t.kind))
            .collect()
    }

    fn words(text: &str) -> Vec<&str> {
        toks(text).into_iter().map(|(w, _)| w).collect()
    }

    #[test]
    fn empty_whitespace_and_controls_give_no_tokens() {
        assert!(tokenize("").is_empty());
        assert!(tokenize(" \t\n\r\n  \u{A0}\u{3000}").is_empty());
        assert!(tokenize("\u{0}\u{1}\u{7}\u{1B}\u{7F}\u{85}\u{200B}\u{FEFF}\u{200E}").is_empty());
    }

    #[test]
    fn plain_sentence() {
        assert_eq!(
            toks("Officials met, then left."),
            vec![
                ("Officials", Word),
                ("met", Word),
                (",", Punct),
                ("then", Word),
                ("left", Word),
                (".", Punct)
            ]
        );
    }

    #[test]
    fn hyphenated_words_stay_whole_and_dashes_are_punct() {
        assert_eq!(
            words("Lashkar-e-Taiba, a well-known 2-year-old COVID-19 case -- or not \u{2014} x \u{2013} y - z"),
            vec![
                "Lashkar-e-Taiba", ",", "a", "well-known", "2-year-old", "COVID-19", "case", "--", "or",
                "not", "\u{2014}", "x", "\u{2013}", "y", "-", "z"
            ]
        );
        assert_eq!(toks("--")[0].1, Punct);
        assert_eq!(toks("\u{2014}")[0].1, Punct);
        // A trailing hyphen does not join.
        assert_eq!(
            words("pre- and post-war"),
            vec!["pre", "-", "and", "post-war"]
        );
    }

    #[test]
    fn apostrophes_in_names_stay() {
        assert_eq!(
            words("O'Brien and O\u{2019}Neill met Shi'ite leaders"),
            vec![
                "O'Brien",
                "and",
                "O\u{2019}Neill",
                "met",
                "Shi'ite",
                "leaders"
            ]
        );
    }

    #[test]
    fn possessives_split_off() {
        assert_eq!(
            toks("Pakistan's army"),
            vec![("Pakistan", Word), ("'s", Word), ("army", Word)]
        );
        assert_eq!(
            words("India\u{2019}s move"),
            vec!["India", "\u{2019}s", "move"]
        );
        assert_eq!(words("PAKISTAN'S"), vec!["PAKISTAN", "'S"]);
        assert_eq!(words("the U.S.'s role"), vec!["the", "U.S.", "'s", "role"]);
        assert_eq!(toks("@kith's post")[..2], [("@kith", Handle), ("'s", Word)]);
        assert_eq!(
            toks("the 1990's"),
            vec![("the", Word), ("1990", Number), ("'s", Word)]
        );
        // Plural possessive: the apostrophe is a quote mark of its own.
        assert_eq!(
            toks("the states' rights")[1..3],
            [("states", Word), ("'", Punct)]
        );
    }

    #[test]
    fn negation_and_other_clitics_split() {
        assert_eq!(words("don't"), vec!["do", "n't"]);
        assert_eq!(
            words("They can\u{2019}t, won't"),
            vec!["They", "ca", "n\u{2019}t", ",", "wo", "n't"]
        );
        assert_eq!(
            words("I'm sure we're done, they've said; I'll go, he'd say"),
            vec![
                "I", "'m", "sure", "we", "'re", "done", ",", "they", "'ve", "said", ";", "I",
                "'ll", "go", ",", "he", "'d", "say"
            ]
        );
        // 't without n is not a clitic.
        assert_eq!(words("Ca't"), vec!["Ca't"]);
    }

    #[test]
    fn numbers_dates_times() {
        assert_eq!(
            toks("1,000 3.5 2025 22/04/2025 2025-04-22 10:30 0.25"),
            vec![
                ("1,000", Number),
                ("3.5", Number),
                ("2025", Number),
                ("22/04/2025", Number),
                ("2025-04-22", Number),
                ("10:30", Number),
                ("0.25", Number)
            ]
        );
        assert_eq!(
            toks("up 3.5%"),
            vec![("up", Word), ("3.5", Number), ("%", Symbol)]
        );
        assert_eq!(
            toks("in 2025."),
            vec![("in", Word), ("2025", Number), (".", Punct)]
        );
        assert_eq!(toks("1,"), vec![("1", Number), (",", Punct)]);
        assert_eq!(toks("G20 1990s")[..], [("G20", Word), ("1990s", Word)]);
        assert_eq!(toks("\u{663}\u{664}")[0], ("\u{663}\u{664}", Number));
    }

    #[test]
    fn currency_symbols() {
        assert_eq!(
            toks("$5 \u{20AC}3.2 \u{A3}10"),
            vec![
                ("$", Symbol),
                ("5", Number),
                ("\u{20AC}", Symbol),
                ("3.2", Number),
                ("\u{A3}", Symbol),
                ("10", Number)
            ]
        );
    }

    #[test]
    fn urls() {
        assert_eq!(
            toks("See https://example.com/a/b?c=1&d=2. Then"),
            vec![
                ("See", Word),
                ("https://example.com/a/b?c=1&d=2", Url),
                (".", Punct),
                ("Then", Word)
            ]
        );
        assert_eq!(
            words("(see www.example.org/x), or http://x.io/wiki/Foo_(bar)!"),
            vec![
                "(",
                "see",
                "www.example.org/x",
                ")",
                ",",
                "or",
                "http://x.io/wiki/Foo_(bar)",
                "!"
            ]
        );
        assert_eq!(toks("HTTPS://EXAMPLE.COM")[0].1, Url);
        assert_eq!(
            toks("\u{201C}https://a.b/c\u{201D}")[1],
            ("https://a.b/c", Url)
        );
        // "www" alone is a word.
        assert_eq!(toks("www."), vec![("www", Word), (".", Punct)]);
    }

    #[test]
    fn emails() {
        assert_eq!(
            toks("Write to jane.doe+news@example.co.uk."),
            vec![
                ("Write", Word),
                ("to", Word),
                ("jane.doe+news@example.co.uk", Email),
                (".", Punct)
            ]
        );
        // No dot in the domain: not an e-mail.
        assert_eq!(toks("foo@bar"), vec![("foo", Word), ("@bar", Handle)]);
    }

    #[test]
    fn handles_and_hashtags() {
        assert_eq!(
            toks("@kith_news posted #Election2025 and #1 @ noon"),
            vec![
                ("@kith_news", Handle),
                ("posted", Word),
                ("#Election2025", Hashtag),
                ("and", Word),
                ("#", Symbol),
                ("1", Number),
                ("@", Symbol),
                ("noon", Word)
            ]
        );
    }

    #[test]
    fn quotes_and_brackets_are_punct() {
        let text = "\u{201C}a\u{201D} \"b\" 'c' \u{2018}d\u{2019} \u{AB}e\u{BB} (f) [g]";
        let t = toks(text);
        let punct: Vec<&str> = t
            .iter()
            .filter(|(_, k)| *k == Punct)
            .map(|(w, _)| *w)
            .collect();
        assert_eq!(
            punct,
            vec![
                "\u{201C}", "\u{201D}", "\"", "\"", "'", "'", "\u{2018}", "\u{2019}", "\u{AB}",
                "\u{BB}", "(", ")", "[", "]"
            ]
        );
        assert_eq!(t.iter().filter(|(_, k)| *k == Word).count(), 7);
    }

    #[test]
    fn emoji_and_symbols() {
        let text = "ok \u{1F44D}\u{1F3FD} \u{1F1FA}\u{1F1F8}\u{1F1EC}\u{1F1E7} \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} \u{2764}\u{FE0F} \u{A9} \u{2122}";
        assert_eq!(
            toks(text),
            vec![
                ("ok", Word),
                ("\u{1F44D}\u{1F3FD}", Symbol),
                ("\u{1F1FA}\u{1F1F8}", Symbol),
                ("\u{1F1EC}\u{1F1E7}", Symbol),
                ("\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}", Symbol),
                ("\u{2764}\u{FE0F}", Symbol),
                ("\u{A9}", Symbol),
                ("\u{2122}", Symbol)
            ]
        );
        assert_eq!(words("yes\u{1F600}no"), vec!["yes", "\u{1F600}", "no"]);
    }

    #[test]
    fn other_scripts_are_words() {
        assert_eq!(
            toks("\u{41C}\u{43E}\u{441}\u{43A}\u{432}\u{430} \u{627}\u{644}\u{633}\u{644}\u{627}\u{645}\u{60C} \u{5317}\u{4EAC}\u{5E02}"),
            vec![
                ("\u{41C}\u{43E}\u{441}\u{43A}\u{432}\u{430}", Word),
                ("\u{627}\u{644}\u{633}\u{644}\u{627}\u{645}", Word),
                ("\u{60C}", Punct),
                ("\u{5317}\u{4EAC}\u{5E02}", Word)
            ]
        );
        // Devanagari with virama and vowel signs, Thai with tone marks, a decomposed é.
        let hindi = "\u{939}\u{93F}\u{928}\u{94D}\u{926}\u{940}";
        assert_eq!(words(hindi), vec![hindi]);
        let thai = "\u{E20}\u{E32}\u{E29}\u{E32}\u{E44}\u{E17}\u{E22}\u{E48}";
        assert_eq!(words(thai), vec![thai]);
        assert_eq!(words("Jose\u{301} said"), vec!["Jose\u{301}", "said"]);
        // Arabic with harakat.
        let arabic = "\u{643}\u{64E}\u{62A}\u{64E}\u{628}\u{64E}";
        assert_eq!(words(arabic), vec![arabic]);
    }

    #[test]
    fn abbreviations_keep_their_period() {
        assert_eq!(
            words("Mr. Smith, Mrs. Lee, Dr. Ng, Sen. Ko and Gov. Li of the U.S. and U.K. met Lt. Col. Day"),
            vec![
                "Mr.", "Smith", ",", "Mrs.", "Lee", ",", "Dr.", "Ng", ",", "Sen.", "Ko", "and", "Gov.", "Li", "of",
                "the", "U.S.", "and", "U.K.", "met", "Lt.", "Col.", "Day"
            ]
        );
        assert_eq!(
            words("Acme Inc. vs. Foo Corp. and Bar Ltd. and Baz Co. etc. at 10 a.m. or 3 p.m. Sept. 11"),
            vec![
                "Acme", "Inc.", "vs.", "Foo", "Corp.", "and", "Bar", "Ltd.", "and", "Baz", "Co.", "etc.", "at",
                "10", "a.m.", "or", "3", "p.m.", "Sept.", "11"
            ]
        );
        assert_eq!(
            words("Jan. Feb. Mar. Apr. Aug. Oct. Nov. Dec. St. Jr. Sr. Ms. Rep. Gen."),
            vec![
                "Jan.", "Feb.", "Mar.", "Apr.", "Aug.", "Oct.", "Nov.", "Dec.", "St.", "Jr.",
                "Sr.", "Ms.", "Rep.", "Gen."
            ]
        );
        // Lower-case "mar." is a verb, not a month.
        assert_eq!(words("to mar."), vec!["to", "mar", "."]);
        assert_eq!(words("MR. SMITH"), vec!["MR.", "SMITH"]);
        assert_eq!(words("a Ph.D. student"), vec!["a", "Ph.D.", "student"]);
    }

    #[test]
    fn no_is_an_abbreviation_only_before_a_number() {
        assert_eq!(
            words("No. 10 and no. 7"),
            vec!["No.", "10", "and", "no.", "7"]
        );
        assert_eq!(
            words("He said No. Then"),
            vec!["He", "said", "No", ".", "Then"]
        );
        assert_eq!(words("see pp. 4-5"), vec!["see", "pp.", "4-5"]);
    }

    #[test]
    fn initials_keep_their_period() {
        assert_eq!(
            words("J. K. Rowling and George W. Bush"),
            vec!["J.", "K.", "Rowling", "and", "George", "W.", "Bush"]
        );
        assert_eq!(words("J.K. Rowling"), vec!["J.K.", "Rowling"]);
        // A lower-case single letter is not an initial.
        assert_eq!(words("item b."), vec!["item", "b", "."]);
    }

    #[test]
    fn terminator_runs_are_one_token() {
        assert_eq!(
            words("Wait... what?! Fine\u{2026}"),
            vec!["Wait", "...", "what", "?!", "Fine", "\u{2026}"]
        );
    }

    #[test]
    fn controls_and_invisibles_split_and_are_excluded() {
        let text = "\u{FEFF}Hello\u{0}world\u{200B}again\u{7}";
        let t = tokenize(text);
        assert_eq!(words(text), vec!["Hello", "world", "again"]);
        assert_eq!(t[0].start, 3);
        for tok in &t {
            assert!(text[tok.start..tok.end]
                .chars()
                .all(|c| !c.is_control() && !c.is_whitespace()));
        }
        // A soft hyphen inside a word joins it.
        assert_eq!(words("news\u{AD}paper"), vec!["news\u{AD}paper"]);
    }

    #[test]
    fn offsets_are_bytes() {
        let text = "\u{C9}t\u{E9} \u{1F600} na\u{EF}ve";
        let t = tokenize(text);
        assert_eq!((t[0].start, t[0].end), (0, 5));
        assert_eq!((t[1].start, t[1].end), (6, 10));
        assert_eq!((t[2].start, t[2].end), (11, 17));
    }

    #[test]
    fn domain_like_words_stay_whole() {
        assert_eq!(
            words("Amazon.com and Node.js"),
            vec!["Amazon.com", "and", "Node.js"]
        );
    }

    #[test]
    fn tokenizer_component_fills_tokens_and_sentences() {
        let pipeline = Pipeline::new().with(Tokenizer);
        assert_eq!(pipeline.component_names(), vec!["tokenizer"]);
        let mut doc = Doc::new(DocId("d".into()), "Mr. Li spoke. He left.", "-");
        pipeline.run(&mut doc);
        assert_eq!(doc.tokens.len(), 7);
        assert_eq!(doc.sentences.len(), 2);
        assert_eq!(doc.token_text(0), "Mr.");
        assert_eq!(doc.sentence_of_token(5), 1);
    }

    /// A small deterministic PRNG (xorshift64*), so the property test needs no crates.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
    }

    pub(crate) fn varied_inputs() -> Vec<String> {
        let mut inputs: Vec<String> = [
            "",
            " ",
            "\n\n\n",
            ".",
            "...",
            "'",
            "'s",
            "n't",
            "@",
            "#",
            "-",
            "a.",
            "A.",
            "U.S.",
            "U.S.A",
            "a.b.c.d.e.f.G.H.I.J.k",
            "x@y.",
            "x@.com",
            "@.",
            "http://",
            "https://)",
            "www.a",
            "\u{200D}\u{200D}",
            "\u{301}\u{301}a",
            "\u{1F1FA}",
            "\u{1F44D}\u{200D}",
            "#\u{FE0F}\u{20E3}",
            "1\u{FE0F}\u{20E3}",
            "No.",
            "no. \n5",
            "He said \"no.\" Then he left.\n\nNew para",
            "Pakistan's army and India\u{2019}s don't can't O'Brien",
            "\u{4ECA}\u{5929}\u{4E0B}\u{96E8}\u{3002}\u{660E}\u{5929}\u{FF01}",
            "\u{627}\u{644}\u{633}\u{644}\u{627}\u{645} \u{639}\u{644}\u{64A}\u{643}\u{645}\u{61F} \u{646}\u{639}\u{645}.",
            "\u{0}\u{1}\u{2}abc\u{7F}\u{85}def\u{1B}[0m",
            "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{1F3FD}\u{FE0F}!!",
            "mixed \u{41C}\u{43E}\u{441}\u{43A}\u{432}\u{430}-city \u{939}\u{93F}\u{928}\u{94D}\u{926}\u{940}. Next",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let alphabet: Vec<char> =
            "aZ9 .,!?'\u{2019}\"-@#:/\n\t\u{0}\u{301}\u{200D}\u{1F600}\u{4E2D}\u{627}%$wh"
                .chars()
                .collect();
        for round in 0..300 {
            if round % 2 == 0 {
                let bytes: Vec<u8> = (0..(rng.next() % 200)).map(|_| rng.next() as u8).collect();
                inputs.push(String::from_utf8_lossy(&bytes).into_owned());
            } else {
                let s: String = (0..(rng.next() % 200))
                    .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
                    .collect();
                inputs.push(s);
            }
        }
        inputs
    }

    #[test]
    fn property_offsets_are_valid_on_varied_input() {
        for text in varied_inputs() {
            let tokens = tokenize(&text);
            let mut prev_end = 0;
            for t in &tokens {
                assert!(t.start < t.end, "empty token in {text:?}");
                assert!(
                    t.start >= prev_end,
                    "overlapping or unsorted tokens in {text:?}"
                );
                assert!(
                    text.is_char_boundary(t.start) && text.is_char_boundary(t.end),
                    "{text:?}"
                );
                assert!(t.end <= text.len());
                let s = &text[t.start..t.end];
                assert!(
                    !s.chars().any(|c| c.is_control() || c.is_whitespace()),
                    "{s:?} in {text:?}"
                );
                prev_end = t.end;
            }
            // Everything that is not skipped is in some token.
            let covered: usize = tokens.iter().map(|t| t.end - t.start).sum();
            let skipped: usize = text
                .chars()
                .filter(|&c| is_skip(c))
                .map(char::len_utf8)
                .sum();
            assert!(covered + skipped >= text.len(), "{text:?} lost characters");
            let sentences = split_sentences(&text, &tokens);
            let mut next = 0;
            for s in &sentences {
                assert_eq!(s.tokens.start, next, "{text:?}");
                assert!(s.tokens.end > s.tokens.start, "{text:?}");
                assert_eq!(s.start, tokens[s.tokens.start].start);
                assert_eq!(s.end, tokens[s.tokens.end - 1].end);
                assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
                next = s.tokens.end;
            }
            assert_eq!(
                next,
                tokens.len(),
                "{text:?}: sentences do not cover all tokens"
            );
        }
    }

    /// Tokenize and split a large input, checking the sentences agree with the tokens.
    /// Speed is measured by the `pipeline` benchmark, not here; a quadratic scan would
    /// still make these inputs take minutes.
    fn tokenize_large(text: &str) -> usize {
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        assert_eq!(sentences.is_empty(), tokens.is_empty());
        assert_eq!(sentences.last().map_or(0, |s| s.tokens.end), tokens.len());
        tokens.len()
    }

    #[test]
    fn one_megabyte_without_punctuation_is_linear() {
        let reps = (1 << 20) / 23 + 1;
        let words = "alpha beta gamma delta ".repeat(reps);
        assert_eq!(tokenize_large(&words), reps * 4);
        let one_word = "a".repeat(1 << 20);
        assert_eq!(tokenize_large(&one_word), 1);
        // Inputs that tempt look-ahead scans into re-reading: dotted letters, e-mail local
        // parts, hyphens, apostrophes, dots without end.
        tokenize_large(&"A.B".repeat(1 << 18));
        tokenize_large(&"a.".repeat(1 << 19));
        tokenize_large(&"x.y-z+".repeat(1 << 18));
        tokenize_large(&"ab'".repeat(1 << 18));
        tokenize_large(&"\u{1F600}\u{200D}".repeat(1 << 17));
        tokenize_large(&"No. ".repeat(1 << 18));
        assert_eq!(tokenize_large(&" \n".repeat(1 << 19)), 0);
    }
}
