//! Themes' names: one theme is one name, whatever its case or spacing, so that "communication"
//! and "Communication " do not split a theme's count.

use crate::validation::required_text;

/// A theme's name as it is kept: trimmed, runs of spaces made one, at most 100 characters.
pub fn tidy_name(raw: &str) -> Result<String, String> {
    let name = required_text("the theme", raw, 100)?;
    Ok(name.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Whether two names are the same theme: equal without regard to case or spacing.
pub fn same_theme(a: &str, b: &str) -> bool {
    let key = |s: &str| s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>();
    key(a) == key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_without_regard_to_case_and_spacing() {
        assert_eq!(tidy_name("  Mental   health ").as_deref(), Ok("Mental health"));
        assert_eq!(tidy_name("   "), Err("Enter the theme".to_owned()));
        assert!(same_theme("communication", "Communication"));
        assert!(same_theme("Mental  health", " mental health"));
        assert!(!same_theme("Mental health", "Mentalhealth"));
    }
}
