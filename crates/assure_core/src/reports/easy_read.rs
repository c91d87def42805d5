//! The Easy Read checker for the people who write a report's Easy Read version: a text checked
//! against the rules (`assure_domain::reports::easy_read`) with the word lists shipped in
//! `config/easy_read/`. It reads no records; it is for those who read the partnership's reports.
//! And the pictures an Easy Read report may print: OpenMoji's (CC BY-SA 4.0), shipped in
//! `config/easy_read/pictures/` with what each shows (`pictures.toml`).

use std::sync::{LazyLock, OnceLock};

use serde::Deserialize;

use assure_domain::reports::easy_read::{CheckInput, Checked, WordLists, check};
use assure_domain::reports::{self, SectionKey};
use assure_domain::{Action, PartnershipId};

use crate::documents::{Block, Cell, Picture, Table};

use crate::{Core, CoreResult, Ctx};

const WORDS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/easy_read/words.txt"));
const VERBS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/easy_read/verbs.txt"));

/// Each shipped picture's SVG, by name (`pictures.toml` says what each shows).
macro_rules! shipped {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/easy_read/pictures/", $name, ".svg")))),*]
    };
}

const SVGS: &[(&str, &str)] = shipped![
    "family",
    "child",
    "older-person",
    "police",
    "health-worker",
    "home",
    "school",
    "people",
    "talk",
    "speech",
    "book",
    "phone",
    "calendar",
    "money",
    "yes",
    "no",
    "question",
    "warning",
    "heart",
    "working-together",
    "checking",
    "idea",
    "teacher",
    "computer",
    "paper",
    "letter",
    "hospital",
    "safe",
    "better",
    "thumbs-up",
];

const PICTURES: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/easy_read/pictures/pictures.toml"));

/// Where the pictures come from, printed at the end of a report that uses them.
pub const PICTURES_CREDIT: &str =
    "Pictures: OpenMoji, the open-source emoji and icon project (openmoji.org), licensed CC BY-SA 4.0.";

/// A picture an Easy Read report may print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippedPicture {
    pub name: &'static str,
    /// What it shows, for people who cannot see it.
    pub alt: String,
    pub svg: &'static str,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Listed {
    picture: Vec<ListedPicture>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListedPicture {
    name: String,
    alt: String,
    #[allow(dead_code)]
    openmoji: String,
}

/// The pictures listed in `pictures.toml` with their SVGs, or why they are not all there.
fn read_pictures(listed: &str) -> Result<Vec<ShippedPicture>, String> {
    let listed: Listed = toml::from_str(listed).map_err(|e| e.to_string())?;
    if listed.picture.len() != SVGS.len() {
        return Err(format!("{} pictures listed for {} files", listed.picture.len(), SVGS.len()));
    }
    listed
        .picture
        .into_iter()
        .map(|p| {
            let (name, svg) = SVGS.iter().find(|(n, _)| *n == p.name).ok_or(format!("no file for {}", p.name))?;
            if p.alt.trim().is_empty() {
                return Err(format!("{name} says nothing of what it shows"));
            }
            Ok(ShippedPicture { name, alt: p.alt, svg })
        })
        .collect()
}

/// The shipped pictures, read once.
pub fn pictures() -> &'static [ShippedPicture] {
    static ALL: LazyLock<Vec<ShippedPicture>> =
        LazyLock::new(|| read_pictures(PICTURES).expect("config/easy_read/pictures/pictures.toml lists every picture"));
    &ALL
}

/// A shipped picture by its name.
pub fn picture(name: &str) -> Option<&'static ShippedPicture> {
    pictures().iter().find(|p| p.name == name)
}

/// The shipped word lists, read once.
pub fn word_lists() -> &'static WordLists {
    static LISTS: OnceLock<WordLists> = OnceLock::new();
    LISTS.get_or_init(|| WordLists::parse(WORDS, VERBS))
}

/// The words of an Easy Read report's section as they may be kept: every picture named is one
/// of the shipped pictures, and "Words to know" is a word and its meaning on each line.
pub(super) fn check_easy_words(key: SectionKey, words: &str) -> Result<(), String> {
    if let Some(unknown) = reports::pictures_named(words).into_iter().find(|n| picture(n).is_none()) {
        return Err(format!("There is no picture called [{unknown}]: use the name of one of the pictures listed"));
    }
    match key {
        SectionKey::EasyWords => reports::glossary_problem(words).map_or(Ok(()), Err),
        _ => Ok(()),
    }
}

/// The section belongs to the Easy Read report's template.
pub fn is_easy_read_key(key: SectionKey) -> bool {
    assure_domain::reports::ReportKind::EasyRead.template().contains(&key)
}

/// An Easy Read section's words as the document prints them: each paragraph with its picture.
pub(super) fn pictured(words: &str) -> Vec<Block> {
    reports::easy_paragraphs(words)
        .into_iter()
        .map(|p| Block::Pictured {
            picture: p.picture.as_deref().and_then(picture).map(|s| Picture { svg: s.svg, alt: s.alt.clone() }),
            text: p.text,
        })
        .collect()
}

/// "Words to know" as a table of each word and what it means.
pub(super) fn glossary_table(words: &str) -> Table {
    let mut t = Table::new(["Word", "What it means"], &[1, 3]);
    for (term, meaning) in reports::glossary(words) {
        t.row([Cell::from(term), Cell::from(meaning)]);
    }
    t
}

impl Core {
    /// An Easy Read section's words checked against the rules, with the report's glossary (its
    /// "Words to know"), the pictures' names left out; off the async runtime.
    pub(super) async fn check_easy_read_words(&self, words: &str, glossary: Option<&str>) -> CoreResult<Checked> {
        let text: Vec<String> = reports::easy_paragraphs(words).into_iter().map(|p| p.text).collect();
        let text = text.join("\n\n");
        let terms: Vec<String> = glossary
            .map(reports::glossary)
            .unwrap_or_default()
            .into_iter()
            .map(|(term, _)| term)
            .take(assure_domain::reports::easy_read::MAX_GLOSSARY_TERMS)
            .collect();
        self.rendering.run(move || check(&text, &terms, word_lists())).await
    }

    /// Whether the actor may use the checker: those who read the partnership's reports.
    pub fn may_check_easy_read(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<()> {
        ctx.authorize(Action::View, &super::of(p))
    }

    /// Checks a text against the Easy Read rules, off the async runtime.
    pub async fn check_easy_read(&self, ctx: &Ctx, p: PartnershipId, input: &CheckInput) -> CoreResult<Checked> {
        self.may_check_easy_read(ctx, p)?;
        let (text, glossary) = input.validate()?;
        self.rendering.run(move || check(&text, &glossary, word_lists())).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_picture_is_listed_with_what_it_shows_and_draws() {
        assert_eq!(pictures().len(), SVGS.len());
        for p in pictures() {
            assert!(p.svg.starts_with("<svg") && !p.alt.is_empty(), "{}", p.name);
            let tree = resvg::usvg::Tree::from_str(p.svg, &resvg::usvg::Options::default());
            assert!(tree.is_ok(), "{} draws", p.name);
        }
        assert!(picture("family").is_some() && picture("nothing").is_none());
        assert!(read_pictures("[[picture]]\nname = \"family\"\nalt = \" \"\nopenmoji = \"1F46A\"").is_err());
    }
}
