//! How a name is spelled for matching: whitespace runs made one space and curly
//! apostrophes made straight, so that a name as a data file writes it and as a text
//! writes it compare equal. The gazetteer and the NER lexicon normalise their entries
//! (and the gazetteer the text it looks up) here.

use std::borrow::Cow;

/// `text` with every whitespace run made one space and the ends trimmed
/// (`" New \t York "` → `New York`); borrowed when it is already so.
pub fn spaces(text: &str) -> Cow<'_, str> {
    if text
        .split(' ')
        .all(|word| !word.is_empty() && !word.contains(char::is_whitespace))
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// `text` with curly apostrophes (`’`) made straight (`'`).
pub fn apostrophes(text: &str) -> Cow<'_, str> {
    if text.contains('\u{2019}') {
        Cow::Owned(text.replace('\u{2019}', "'"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A name as the gazetteer stores and looks it up: [`spaces`], then [`apostrophes`]
/// (`Côte d’Ivoire ` → `Côte d'Ivoire`).
pub fn name(text: &str) -> String {
    apostrophes(&spaces(text)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_spelled_one_way() {
        assert_eq!(spaces(" New \t York  City "), "New York City");
        assert!(matches!(spaces("New York"), Cow::Borrowed(_)));
        assert_eq!(spaces(""), "");
        assert_eq!(spaces("  "), "");
        assert_eq!(name("Côte  d\u{2019}Ivoire\n"), "Côte d'Ivoire");
        assert!(matches!(apostrophes("d'Ivoire"), Cow::Borrowed(_)));
    }
}
