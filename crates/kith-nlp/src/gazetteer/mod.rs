//! The gazetteer: countries (with ISO 3166-1 codes, variant names and demonyms) and role
//! titles, and [`GazetteerTagger`], the pipeline component that tags them in a
//! [`Doc`](crate::Doc). The data and its parsers are in `data`, the lookups in
//! `matcher`, the component in `component`.
//!
//! The built-in gazetteer is compiled in from `data/gazetteer/` with `include_str!`, so
//! nothing is read from disk at run time:
//! * `countries.tsv`, generated from the `keshvar` crate by
//!   `cargo run -p kith-nlp --example generate_gazetteer`;
//! * `country-variants.tsv`, hand-written news forms (`U.S.`, `Britain`, ...) and
//!   *block* phrases (`Indian Ocean`) that stop a shorter match inside them;
//! * `roles.tsv`, hand-written role and title words.
//!
//! Case rules, the same for text and for [`Gazetteer::lookup_country`]:
//! * a form with no lower-case letters (`US`, `U.S.`, `UAE`, `CEO`) matches only text of
//!   exactly that case, so the words `us` and `in` never match;
//! * any other form matches ignoring case, except that each of its words written with a
//!   capital must start with a capital in the text (`India`, `INDIA`, not `india`;
//!   `Bosnia and Herzegovina` with any case of `and`);
//! * roles are lower case in `roles.tsv`, so they match in any case (`foreign minister`,
//!   `Foreign Minister`), except those flagged `cap` (`General`), which must be capitalised.

mod component;
mod data;
mod matcher;
#[cfg(test)]
mod tests;

pub use component::GazetteerTagger;
pub use data::{Country, GazetteerError, Role};
pub use matcher::{Gazetteer, GazetteerMatch};
