//! A register's matrix: the likelihood and impact scales, the bands of their product, a rating on
//! them, the form that sends a matrix, and the shipped presets (`config/risks.toml`). A matrix is
//! checked whole before it is used; a rating is checked against the matrix it is made under.

use serde::{Deserialize, Serialize};

use super::MAX_CATEGORIES;
use crate::structure::{Choice, choice};
use crate::validation::{self, FieldErrors, Validated};

/// The fewest and most levels a scale may have ("1–4 or 1–5", and 3 for a simple register).
pub const MIN_LEVELS: usize = 3;
pub const MAX_LEVELS: usize = 5;
/// The most bands a matrix may name.
pub const MAX_BANDS: usize = 5;

choice!(
    /// The colour a band is drawn in; the band's name is always written beside it, so that no
    /// reader depends on colour.
    BandColour {
        Green => ("green", "Green"),
        Yellow => ("yellow", "Yellow"),
        Amber => ("amber", "Amber"),
        Red => ("red", "Red"),
    }
);

/// One level of a scale: 1 is the lowest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub label: String,
    #[serde(default)]
    pub description: String,
}

/// A band of scores: every score from `from` up to the next band's `from` (exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub name: String,
    pub from: u32,
    pub colour: BandColour,
}

/// A risk matrix: the two scales and the bands of their product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matrix {
    pub likelihood: Vec<Level>,
    pub impact: Vec<Level>,
    pub bands: Vec<Band>,
}

/// A likelihood and an impact, each a level of a matrix's scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rating {
    pub likelihood: u32,
    pub impact: u32,
}

impl Rating {
    pub fn score(self) -> u32 {
        self.likelihood * self.impact
    }

    /// As registers write it: "4 × 3".
    pub fn words(self) -> String {
        format!("{} × {}", self.likelihood, self.impact)
    }

    /// A rating as registers write it: "4 x 3", "4×3", "4 X 3", "4*3".
    pub fn parse(raw: &str) -> Option<Rating> {
        let text = raw.trim().replace(['×', 'X', '*'], "x");
        let (l, i) = text.split_once('x')?;
        let whole = |s: &str| s.trim().parse::<u32>().ok().filter(|_| s.trim().bytes().all(|b| b.is_ascii_digit()));
        Some(Rating { likelihood: whole(l)?, impact: whole(i)? })
    }
}

impl std::fmt::Display for Rating {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words())
    }
}

impl Matrix {
    /// The highest score: the top likelihood times the top impact.
    pub fn max_score(&self) -> u32 {
        (self.likelihood.len() * self.impact.len()) as u32
    }

    /// The band a score falls in.
    pub fn band(&self, score: u32) -> Option<&Band> {
        self.bands.iter().rev().find(|b| score >= b.from)
    }

    /// Whether a rating's levels are on this matrix's scales.
    pub fn holds(&self, r: Rating) -> bool {
        (1..=self.likelihood.len() as u32).contains(&r.likelihood) && (1..=self.impact.len() as u32).contains(&r.impact)
    }

    /// Checks a matrix whole: each scale has 3 to 5 named levels, the bands start at 1, rise,
    /// stay within the highest score and have names.
    pub fn validate(&self) -> Validated<()> {
        let mut e = FieldErrors::new();
        for (field, what, levels) in
            [("likelihood", "likelihood", &self.likelihood), ("impact", "impact", &self.impact)]
        {
            if !(MIN_LEVELS..=MAX_LEVELS).contains(&levels.len()) {
                e.add(field, format!("Give the {what} scale {MIN_LEVELS} to {MAX_LEVELS} levels, each with a label"));
            }
            for (n, level) in levels.iter().enumerate() {
                if let Err(m) =
                    validation::required_text(&format!("a label for {what} level {}", n + 1), &level.label, 60)
                {
                    e.add(field, m);
                }
                if let Err(m) = validation::optional_text(
                    &format!("the description of {what} level {}", n + 1),
                    &level.description,
                    300,
                ) {
                    e.add(field, m);
                }
            }
        }
        if self.bands.is_empty() || self.bands.len() > MAX_BANDS {
            e.add("bands", format!("Give the matrix 1 to {MAX_BANDS} bands, each with a name and its lowest score"));
        }
        let max = self.max_score();
        for (n, band) in self.bands.iter().enumerate() {
            if let Err(m) = validation::required_text(&format!("a name for band {}", n + 1), &band.name, 40) {
                e.add("bands", m);
            }
            let previous = if n == 0 { 0 } else { self.bands[n - 1].from };
            if n == 0 && band.from != 1 {
                e.add("bands", "The first band must start at a score of 1, so every score has a band");
            } else if n > 0 && band.from <= previous {
                e.add("bands", format!("Band {} must start at a higher score than band {n}", n + 1));
            }
            if band.from > max {
                e.add("bands", format!("Band {} starts above the highest score, {max}", n + 1));
            }
        }
        e.into_result(|| ())
    }
}

/// A matrix as a form or API request sends it: a row per level and per band, blank rows left
/// out.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct MatrixInput {
    #[serde(default)]
    pub likelihood_label: Vec<String>,
    #[serde(default)]
    pub likelihood_description: Vec<String>,
    #[serde(default)]
    pub impact_label: Vec<String>,
    #[serde(default)]
    pub impact_description: Vec<String>,
    #[serde(default)]
    pub band_name: Vec<String>,
    #[serde(default)]
    pub band_from: Vec<String>,
    #[serde(default)]
    pub band_colour: Vec<String>,
}

impl MatrixInput {
    /// The form's rows for a matrix, with a blank row to add one where there is room.
    pub fn of(m: &Matrix) -> MatrixInput {
        MatrixInput {
            likelihood_label: m.likelihood.iter().map(|l| l.label.clone()).collect(),
            likelihood_description: m.likelihood.iter().map(|l| l.description.clone()).collect(),
            impact_label: m.impact.iter().map(|l| l.label.clone()).collect(),
            impact_description: m.impact.iter().map(|l| l.description.clone()).collect(),
            band_name: m.bands.iter().map(|b| b.name.clone()).collect(),
            band_from: m.bands.iter().map(|b| b.from.to_string()).collect(),
            band_colour: m.bands.iter().map(|b| b.colour.code().to_owned()).collect(),
        }
    }

    fn levels(labels: &[String], descriptions: &[String]) -> Vec<Level> {
        labels
            .iter()
            .enumerate()
            .map(|(n, label)| Level {
                label: label.trim().to_owned(),
                description: descriptions.get(n).map(|d| d.trim().to_owned()).unwrap_or_default(),
            })
            .filter(|l| !(l.label.is_empty() && l.description.is_empty()))
            .collect()
    }

    pub fn validate(&self) -> Validated<Matrix> {
        let mut e = FieldErrors::new();
        if self.likelihood_label.len() > 10 || self.impact_label.len() > 10 || self.band_name.len() > 10 {
            return Err(FieldErrors::single("likelihood", "Send at most 10 rows for each scale and for the bands"));
        }
        let mut bands = Vec::new();
        for (n, name) in self.band_name.iter().enumerate() {
            let from = self.band_from.get(n).map(|s| s.trim()).unwrap_or("");
            let colour = self.band_colour.get(n).map(|s| s.trim()).unwrap_or("");
            if name.trim().is_empty() && from.is_empty() {
                continue;
            }
            let Some(from) = from.parse::<u32>().ok().filter(|_| from.bytes().all(|b| b.is_ascii_digit())) else {
                e.add("bands", format!("Enter band {}'s lowest score as a whole number, like 5", n + 1));
                continue;
            };
            let Some(colour) = BandColour::parse(colour) else {
                e.add("bands", format!("Select band {}'s colour from the list", n + 1));
                continue;
            };
            bands.push(Band { name: name.trim().to_owned(), from, colour });
        }
        let matrix = Matrix {
            likelihood: Self::levels(&self.likelihood_label, &self.likelihood_description),
            impact: Self::levels(&self.impact_label, &self.impact_description),
            bands,
        };
        if let Err(more) = matrix.validate() {
            e.merge(more);
        }
        e.into_result(|| matrix)
    }
}

/// The shipped presets: matrices and sets of categories to start a register from. They are
/// configuration (`config/risks.toml`), read and checked whole by the use-cases.
#[derive(Debug, Clone, Deserialize)]
pub struct Presets {
    #[serde(rename = "matrix")]
    pub matrices: Vec<MatrixPreset>,
    #[serde(rename = "categories")]
    pub category_sets: Vec<CategorySet>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MatrixPreset {
    pub code: String,
    pub name: String,
    pub likelihood: Vec<Level>,
    pub impact: Vec<Level>,
    pub bands: Vec<Band>,
}

impl MatrixPreset {
    pub fn matrix(&self) -> Matrix {
        Matrix { likelihood: self.likelihood.clone(), impact: self.impact.clone(), bands: self.bands.clone() }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct CategorySet {
    pub code: String,
    pub name: String,
    pub source: String,
    pub names: Vec<String>,
}

impl Presets {
    /// Checks every preset: each matrix whole, each set of categories non-empty and distinct.
    pub fn check(&self) -> Result<(), String> {
        if self.matrices.is_empty() || self.category_sets.is_empty() {
            return Err("ship at least one matrix and one set of categories".into());
        }
        for m in &self.matrices {
            m.matrix().validate().map_err(|e| format!("matrix {}: {e:?}", m.code))?;
        }
        for c in &self.category_sets {
            let mut names = c.names.clone();
            names.sort();
            names.dedup();
            if names.len() != c.names.len() || names.is_empty() || names.len() > MAX_CATEGORIES {
                return Err(format!("categories {}: 1 to {MAX_CATEGORIES} distinct names", c.code));
            }
        }
        Ok(())
    }

    pub fn matrix(&self, code: &str) -> Option<&MatrixPreset> {
        self.matrices.iter().find(|m| m.code == code)
    }

    pub fn categories(&self, code: &str) -> Option<&CategorySet> {
        self.category_sets.iter().find(|c| c.code == code)
    }
}

/// A 4 × 4 matrix with four bands, for tests here and in the register's rules.
#[cfg(test)]
pub(crate) fn four_by_four() -> Matrix {
    let levels =
        |n: usize| (1..=n).map(|i| Level { label: format!("Level {i}"), description: String::new() }).collect();
    Matrix {
        likelihood: levels(4),
        impact: levels(4),
        bands: vec![
            Band { name: "Low".into(), from: 1, colour: BandColour::Green },
            Band { name: "Medium".into(), from: 4, colour: BandColour::Yellow },
            Band { name: "High".into(), from: 8, colour: BandColour::Amber },
            Band { name: "Very high".into(), from: 12, colour: BandColour::Red },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn four() -> Matrix {
        four_by_four()
    }

    #[test]
    fn ratings_are_read_as_registers_write_them() {
        assert_eq!(Rating::parse("4 x 3"), Some(Rating { likelihood: 4, impact: 3 }));
        assert_eq!(Rating::parse("1 x1"), Some(Rating { likelihood: 1, impact: 1 }));
        assert_eq!(Rating::parse("2×4"), Some(Rating { likelihood: 2, impact: 4 }));
        assert_eq!(Rating::parse("four by three"), None);
        assert_eq!(Rating::parse("-1 x 3"), None);
        assert_eq!(Rating { likelihood: 4, impact: 3 }.score(), 12);
    }

    #[test]
    fn a_score_falls_in_the_highest_band_it_reaches() {
        let m = four();
        assert_eq!(m.validate(), Ok(()));
        assert_eq!(m.band(1).map(|b| b.name.as_str()), Some("Low"));
        assert_eq!(m.band(6).map(|b| b.name.as_str()), Some("Medium"));
        assert_eq!(m.band(12).map(|b| b.name.as_str()), Some("Very high"));
        assert_eq!(m.band(16).map(|b| b.name.as_str()), Some("Very high"));
    }

    #[test]
    fn a_matrix_with_gaps_or_bands_out_of_order_is_refused() {
        let mut m = four();
        m.bands[0].from = 2;
        m.bands[2].from = 3;
        m.bands[3].from = 17;
        m.likelihood.truncate(2);
        let e = m.validate().expect_err("refused");
        let bands: Vec<&String> = e.iter().filter(|(f, _)| *f == "bands").flat_map(|(_, m)| m).collect();
        assert_eq!(bands.len(), 3, "{bands:?}");
        assert!(e.get("likelihood").is_some_and(|m| m.contains("3 to 5 levels")));
    }

    #[test]
    fn the_form_drops_blank_rows_and_reads_bands() {
        let input = MatrixInput::of(&four());
        let mut with_blank = input.clone();
        with_blank.likelihood_label.push(String::new());
        with_blank.likelihood_description.push(String::new());
        with_blank.band_name.push(String::new());
        with_blank.band_from.push(String::new());
        with_blank.band_colour.push("green".into());
        assert_eq!(with_blank.validate(), Ok(four()));
        let mut bad = input;
        bad.band_from[1] = "four".into();
        assert!(bad.validate().expect_err("refused").get("bands").is_some_and(|m| m.contains("band 2")));
    }
}
