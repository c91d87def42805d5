//! The Easy Read version of a year: how its words are written. Each paragraph of a section may
//! begin with the name of a picture in square brackets ("[family] We help families."), which is
//! printed on the left of the paragraph; the section "Words to know" lists the harder words the
//! report uses, one on each line as "word: what it means", which is its glossary (and the
//! checker's). The rules here are pure: reading the paragraphs, their pictures and the glossary.

use super::paragraphs;

/// The longest picture name, in characters.
const MAX_PICTURE_NAME: usize = 40;

/// A paragraph of an Easy Read section, with the picture it names (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EasyParagraph {
    pub picture: Option<String>,
    pub text: String,
}

/// The picture a paragraph begins with, and the rest of it.
fn split_picture(p: &str) -> (Option<&str>, &str) {
    let Some(rest) = p.strip_prefix('[') else { return (None, p) };
    let Some(end) = rest.find(']') else { return (None, p) };
    let name = &rest[..end];
    let good = !name.is_empty()
        && name.chars().count() <= MAX_PICTURE_NAME
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if good { (Some(name), rest[end + 1..].trim_start()) } else { (None, p) }
}

/// A section's words as paragraphs, each with its picture.
pub fn easy_paragraphs(text: &str) -> Vec<EasyParagraph> {
    paragraphs(text)
        .iter()
        .map(|p| {
            let (picture, rest) = split_picture(p);
            EasyParagraph { picture: picture.map(str::to_owned), text: rest.to_owned() }
        })
        .collect()
}

/// Every picture the words name, in order, once each.
pub fn pictures_named(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for p in easy_paragraphs(text) {
        if let Some(name) = p.picture
            && !names.contains(&name)
        {
            names.push(name);
        }
    }
    names
}

/// The glossary: each non-blank line "word: what it means".
pub fn glossary(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(term, meaning)| (term.trim().to_owned(), meaning.trim().to_owned()))
        .filter(|(term, meaning)| !term.is_empty() && !meaning.is_empty())
        .collect()
}

/// What is wrong with a glossary's lines, if anything: the first line that is not "word: what
/// it means".
pub fn glossary_problem(text: &str) -> Option<String> {
    text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).find_map(|(n, line)| {
        let ok = line.split_once(':').is_some_and(|(t, m)| !t.trim().is_empty() && !m.trim().is_empty());
        (!ok).then(|| {
            format!("Write each word on its own line as the word, a colon, then what it means (line {})", n + 1)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paragraph_names_its_picture_in_square_brackets() {
        let text = "[family] We help families.\nWe listen.\n\nNo picture here.\n\n[Bad Name] Kept as typed.";
        let ps = easy_paragraphs(text);
        assert_eq!(
            ps[0],
            EasyParagraph { picture: Some("family".into()), text: "We help families. We listen.".into() }
        );
        assert_eq!(ps[1].picture, None);
        assert_eq!(ps[2], EasyParagraph { picture: None, text: "[Bad Name] Kept as typed.".into() });
        assert_eq!(pictures_named("[yes] A.\n\n[no] B.\n\n[yes] C."), vec!["yes".to_owned(), "no".to_owned()]);
        assert_eq!(easy_paragraphs("[] Empty.")[0].picture, None);
    }

    #[test]
    fn the_glossary_is_a_word_and_its_meaning_on_each_line() {
        let text = "Safeguarding: keeping people safe from harm\n\nPartner: an organisation we work with";
        assert_eq!(glossary(text).len(), 2);
        assert_eq!(glossary(text)[0], ("Safeguarding".to_owned(), "keeping people safe from harm".to_owned()));
        assert_eq!(glossary_problem(text), None);
        assert_eq!(
            glossary_problem("Abuse: harm\nNeglect means not caring").as_deref(),
            Some("Write each word on its own line as the word, a colon, then what it means (line 2)")
        );
    }
}
