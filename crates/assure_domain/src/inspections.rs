//! Inspections of the partnership's agencies and joint inspections: what kind of inspection it
//! was (configuration: the inspectorate or inspectorates, and the grade scale they use, if any),
//! the agencies inspected, the fieldwork and the publication kept apart (a report comes out months
//! after its fieldwork, and annual reports mix the two up), the report's link, and the judgements
//! per area with their grades. The rules here are pure: the kinds' configuration and its checks,
//! the inputs and theirs.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::OrganisationId;
use crate::validation::{self, FieldErrors, Validated};

/// The most agencies one inspection covers (a joint targeted area inspection names a handful).
pub const MAX_AGENCIES: usize = 20;
/// The most judgements one inspection records.
pub const MAX_JUDGEMENTS: usize = 40;

/// A kind of inspection, as `config/inspections.toml` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionType {
    /// Kept with each inspection: lower case letters, digits and underscores.
    pub code: String,
    /// "Ofsted inspection of local authority children's services (ILACS)".
    pub name: String,
    /// Who inspects: one inspectorate, or each of a joint inspection's.
    pub inspectorates: Vec<String>,
    /// The grades from best to worst, as the inspectorate words them; empty when the inspection
    /// reports its findings without grades.
    #[serde(default)]
    pub scale: Vec<String>,
    /// Where the framework and its scale are set out.
    pub source: String,
}

impl InspectionType {
    /// Whether the inspection grades what it judges.
    pub fn grades(&self) -> bool {
        !self.scale.is_empty()
    }

    /// The grade as the scale words it, when `raw` is one of its grades (case and spaces aside).
    pub fn grade(&self, raw: &str) -> Option<&str> {
        let wanted = raw.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        self.scale.iter().find(|g| g.to_lowercase() == wanted).map(String::as_str)
    }

    /// Where a grade stands on the scale: 1 for the best, and how many grades there are.
    pub fn rank(&self, grade: &str) -> Option<(usize, usize)> {
        self.scale.iter().position(|g| g == grade).map(|i| (i + 1, self.scale.len()))
    }
}

/// Every kind of inspection Assure knows, from `config/inspections.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionTypes {
    #[serde(rename = "type", default)]
    pub types: Vec<InspectionType>,
}

impl InspectionTypes {
    pub fn get(&self, code: &str) -> Option<&InspectionType> {
        self.types.iter().find(|t| t.code == code)
    }

    /// The kind's name, or its code when the configuration no longer has it.
    pub fn name_of(&self, code: &str) -> String {
        self.get(code).map(|t| t.name.clone()).unwrap_or_else(|| code.to_owned())
    }

    /// Everything wrong with the configuration, naming the kind: codes unique and well formed,
    /// names and inspectorates given, a scale of two to eight distinct grades when there is one.
    pub fn check(&self) -> Result<(), String> {
        if self.types.is_empty() {
            return Err("Name at least one kind of inspection".into());
        }
        let mut seen = std::collections::HashSet::new();
        for t in &self.types {
            let code_ok = !t.code.is_empty()
                && t.code.len() <= 40
                && t.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !code_ok {
                return Err(format!("The code {:?} must be lower case letters, digits and underscores", t.code));
            }
            if !seen.insert(t.code.as_str()) {
                return Err(format!("The code {} is given twice", t.code));
            }
            if t.name.trim().is_empty() || t.source.trim().is_empty() {
                return Err(format!("{}: give its name and its source", t.code));
            }
            if t.inspectorates.is_empty() || t.inspectorates.iter().any(|i| i.trim().is_empty()) {
                return Err(format!("{}: name the inspectorate", t.code));
            }
            if t.grades() {
                let distinct: std::collections::HashSet<String> = t.scale.iter().map(|g| g.to_lowercase()).collect();
                if !(2..=8).contains(&t.scale.len()) || distinct.len() != t.scale.len() {
                    return Err(format!("{}: a scale has two to eight different grades", t.code));
                }
                if t.scale.iter().any(|g| g.trim() != g || g.is_empty()) {
                    return Err(format!("{}: a grade has no spaces around it", t.code));
                }
            }
        }
        Ok(())
    }
}

/// An inspection as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct InspectionInput {
    /// The kind of inspection, by its code.
    pub type_code: String,
    /// "Inspection of services for children in need of help and protection, children looked
    /// after and care leavers".
    pub title: String,
    /// The agencies inspected, the partnership's organisations by id.
    pub organisation_ids: Vec<String>,
    /// The fieldwork's first and last days (YYYY-MM-DD).
    pub fieldwork_from: String,
    pub fieldwork_to: String,
    /// The day the report was published; blank until it is.
    pub published_on: String,
    /// The published report's address (https).
    pub link: String,
    /// What the inspection found, in a few sentences.
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInspection {
    pub type_code: String,
    pub title: String,
    pub organisation_ids: Vec<OrganisationId>,
    pub fieldwork_from: NaiveDate,
    pub fieldwork_to: NaiveDate,
    pub published_on: Option<NaiveDate>,
    pub link: Option<String>,
    pub summary: Option<String>,
}

/// A published report's address: https, no spaces, at most 500 characters. Blank is none.
pub fn report_link(raw: &str) -> Result<Option<String>, String> {
    validation::https_link(raw, "Enter the report's address, starting https://")
}

impl InspectionInput {
    /// Checks every field against the kinds of inspection; `today` bounds the fieldwork's start
    /// and the publication (neither in the future). The fieldwork ends on or after it starts, and
    /// the report is published on or after the fieldwork ends.
    pub fn validate(&self, types: &InspectionTypes, today: NaiveDate) -> Validated<NewInspection> {
        let mut e = FieldErrors::new();
        let type_code = e.check(
            "type_code",
            types
                .get(self.type_code.trim())
                .map(|t| t.code.clone())
                .ok_or_else(|| "Select the kind of inspection from the list".to_owned()),
        );
        let title = e.check("title", validation::required_text("the inspection's title", &self.title, 300));
        let orgs = e.check(
            "organisation_ids",
            validation::ids_up_to("agency", &self.organisation_ids, MAX_AGENCIES).and_then(|ids| {
                if ids.is_empty() { Err("Select the agency or agencies inspected".to_owned()) } else { Ok(ids) }
            }),
        );
        let from =
            e.check("fieldwork_from", validation::required_date("the fieldwork's first day", &self.fieldwork_from));
        let to = e.check("fieldwork_to", validation::required_date("the fieldwork's last day", &self.fieldwork_to));
        if from.is_some_and(|d| d > today) {
            e.add("fieldwork_from", "The fieldwork's first day must be today or in the past");
        }
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            e.add("fieldwork_to", "The fieldwork's last day must be on or after its first day");
        }
        let published =
            e.check("published_on", validation::optional_date("the day it was published", &self.published_on));
        match (published.flatten(), to) {
            (Some(p), _) if p > today => e.add(
                "published_on",
                "The day it was published must be today or in the past: leave it blank until then",
            ),
            (Some(p), Some(t)) if p < t => e.add(
                "published_on",
                format!(
                    "The day it was published must be on or after the fieldwork's last day, {}",
                    validation::long_date(t)
                ),
            ),
            _ => {}
        }
        let link = e.check("link", report_link(&self.link));
        let summary = e.check("summary", validation::optional_text("the summary", &self.summary, 4000));
        e.into_result(|| NewInspection {
            type_code: type_code.unwrap_or_default(),
            title: title.unwrap_or_default(),
            organisation_ids: orgs.unwrap_or_default().into_iter().map(OrganisationId).collect(),
            fieldwork_from: from.unwrap_or(today),
            fieldwork_to: to.unwrap_or(today),
            published_on: published.flatten(),
            link: link.flatten(),
            summary: summary.flatten(),
        })
    }
}

/// A judgement as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct JudgementInput {
    /// What was judged: "Overall effectiveness", "The experiences and progress of care leavers".
    pub area: String,
    /// One of the inspection's grades; blank for an inspection that does not grade.
    pub grade: String,
    /// The agency judged, one of those inspected; blank for the only one, or for a judgement of
    /// the area's services together.
    pub organisation_id: String,
    /// What the inspectors found, in their words.
    pub finding: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJudgement {
    pub area: String,
    pub grade: Option<String>,
    pub organisation_id: Option<OrganisationId>,
    pub finding: Option<String>,
}

impl JudgementInput {
    /// Checks the judgement against the inspection's kind (a grade on its scale, or none and the
    /// finding for an inspection that does not grade) and the agencies it inspected.
    pub fn validate(&self, kind: &InspectionType, agencies: &[OrganisationId]) -> Validated<NewJudgement> {
        let mut e = FieldErrors::new();
        let area = e.check("area", validation::required_text("the area judged", &self.area, 200));
        let finding = e.check("finding", validation::optional_text("the finding", &self.finding, 4000));
        let grade = if kind.grades() {
            e.check(
                "grade",
                match self.grade.trim() {
                    "" => Err("Select the grade".to_owned()),
                    raw => kind
                        .grade(raw)
                        .map(|g| Some(g.to_owned()))
                        .ok_or_else(|| format!("Select one of the grades: {}", kind.scale.join(", "))),
                },
            )
        } else {
            if !self.grade.trim().is_empty() {
                e.add("grade", "This kind of inspection does not grade: leave the grade blank and write the finding");
            }
            if finding.as_ref().is_some_and(Option::is_none) {
                e.add("finding", "Enter the finding: this kind of inspection does not grade");
            }
            Some(None)
        };
        let organisation = e.check(
            "organisation_id",
            validation::optional_id("the agency", &self.organisation_id).and_then(|id| match id {
                None if agencies.len() == 1 => Ok(agencies.first().copied()),
                None => Ok(None),
                Some(id) if agencies.contains(&OrganisationId(id)) => Ok(Some(OrganisationId(id))),
                Some(_) => Err("Select one of the agencies inspected".to_owned()),
            }),
        );
        e.into_result(|| NewJudgement {
            area: area.unwrap_or_default(),
            grade: grade.flatten(),
            organisation_id: organisation.flatten(),
            finding: finding.flatten(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn types() -> InspectionTypes {
        InspectionTypes {
            types: vec![
                InspectionType {
                    code: "ofsted_sif".into(),
                    name: "Ofsted single inspection".into(),
                    inspectorates: vec!["Ofsted".into()],
                    scale: vec![
                        "Outstanding".into(),
                        "Good".into(),
                        "Requires improvement to be good".into(),
                        "Inadequate".into(),
                    ],
                    source: "Ofsted".into(),
                },
                InspectionType {
                    code: "hmic_child_protection".into(),
                    name: "HMIC national child protection inspection".into(),
                    inspectorates: vec!["HMIC".into()],
                    scale: vec![],
                    source: "HMIC".into(),
                },
            ],
        }
    }

    fn ofsted() -> InspectionInput {
        InspectionInput {
            type_code: "ofsted_sif".into(),
            title: "Services for children in need of help and protection".into(),
            organisation_ids: vec!["3".into(), "".into(), "3".into()],
            fieldwork_from: "2016-04-18".into(),
            fieldwork_to: "2016-05-12".into(),
            published_on: "2016-07-04".into(),
            link: "https://reports.ofsted.gov.uk/".into(),
            summary: "".into(),
        }
    }

    #[test]
    fn fieldwork_and_publication_are_kept_apart_and_in_order() {
        let today = day("2016-09-30");
        let new = ofsted().validate(&types(), today).unwrap();
        assert_eq!(new.organisation_ids, vec![OrganisationId(3)], "ticked twice: once");
        assert_eq!((new.fieldwork_from, new.published_on), (day("2016-04-18"), Some(day("2016-07-04"))));
        let e = InspectionInput {
            fieldwork_to: "2016-04-01".into(),
            published_on: "2016-10-01".into(),
            link: "http://example.org".into(),
            ..ofsted()
        }
        .validate(&types(), today)
        .unwrap_err();
        assert_eq!(e.get("fieldwork_to"), Some("The fieldwork's last day must be on or after its first day"));
        assert_eq!(
            e.get("published_on"),
            Some("The day it was published must be today or in the past: leave it blank until then")
        );
        assert_eq!(e.get("link"), Some("Enter the report's address, starting https://"));
        let e =
            InspectionInput { published_on: "2016-05-01".into(), ..ofsted() }.validate(&types(), today).unwrap_err();
        assert_eq!(
            e.get("published_on"),
            Some("The day it was published must be on or after the fieldwork's last day, 12 May 2016")
        );
        let e = InspectionInput::default().validate(&types(), today).unwrap_err();
        for (field, message) in [
            ("type_code", "Select the kind of inspection from the list"),
            ("title", "Enter the inspection's title"),
            ("organisation_ids", "Select the agency or agencies inspected"),
            ("fieldwork_from", "Enter the fieldwork's first day"),
            ("fieldwork_to", "Enter the fieldwork's last day"),
        ] {
            assert_eq!(e.get(field), Some(message), "{field}");
        }
        let unpublished = InspectionInput { published_on: " ".into(), ..ofsted() }.validate(&types(), today).unwrap();
        assert_eq!(unpublished.published_on, None);
    }

    #[test]
    fn a_grade_is_on_the_inspections_scale_and_an_ungraded_inspection_writes_its_finding() {
        let t = types();
        let sif = t.get("ofsted_sif").unwrap();
        let j = JudgementInput {
            area: "Overall effectiveness".into(),
            grade: " requires  IMPROVEMENT to be good".into(),
            ..Default::default()
        }
        .validate(sif, &[OrganisationId(3)])
        .unwrap();
        assert_eq!(j.grade.as_deref(), Some("Requires improvement to be good"), "the scale's own words");
        assert_eq!(j.organisation_id, Some(OrganisationId(3)), "the only agency inspected");
        assert_eq!(sif.rank("Requires improvement to be good"), Some((3, 4)));
        let e = JudgementInput {
            area: "x".into(),
            grade: "Adequate".into(),
            organisation_id: "9".into(),
            ..Default::default()
        }
        .validate(sif, &[OrganisationId(3), OrganisationId(4)])
        .unwrap_err();
        assert_eq!(
            e.get("grade"),
            Some("Select one of the grades: Outstanding, Good, Requires improvement to be good, Inadequate")
        );
        assert_eq!(e.get("organisation_id"), Some("Select one of the agencies inspected"));
        let cp = t.get("hmic_child_protection").unwrap();
        let e = JudgementInput { area: "Child protection".into(), grade: "Good".into(), ..Default::default() }
            .validate(cp, &[OrganisationId(3), OrganisationId(4)])
            .unwrap_err();
        assert_eq!(
            e.get("grade"),
            Some("This kind of inspection does not grade: leave the grade blank and write the finding")
        );
        assert_eq!(e.get("finding"), Some("Enter the finding: this kind of inspection does not grade"));
        let j = JudgementInput {
            area: "Child protection".into(),
            finding: "Serious and systemic failings".into(),
            ..Default::default()
        }
        .validate(cp, &[OrganisationId(3), OrganisationId(4)])
        .unwrap();
        assert_eq!((j.grade, j.organisation_id), (None, None), "two agencies and none chosen: the area's services");
    }

    #[test]
    fn the_configuration_is_checked_whole() {
        assert_eq!(types().check(), Ok(()));
        let mut twice = types();
        twice.types[1].code = "ofsted_sif".into();
        assert_eq!(twice.check(), Err("The code ofsted_sif is given twice".into()));
        let mut one_grade = types();
        one_grade.types[0].scale = vec!["Good".into()];
        assert_eq!(one_grade.check(), Err("ofsted_sif: a scale has two to eight different grades".into()));
        assert_eq!(InspectionTypes::default().check(), Err("Name at least one kind of inspection".into()));
    }
}
