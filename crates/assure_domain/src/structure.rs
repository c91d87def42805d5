//! The partnership's structure: kinds of organisation, body and membership role, and the
//! validated inputs that create or change them.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::validation::{self, FieldErrors, Validated};

/// A closed list whose values are stored as stable codes and shown with labels.
pub trait Choice: Sized + Copy + 'static {
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn label(self) -> &'static str;
    fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.code() == code)
    }
}

macro_rules! choice {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($code:literal, $label:literal)),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $crate::structure::Choice for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),*];
            fn code(self) -> &'static str { match self { $(Self::$variant => $code),* } }
            fn label(self) -> &'static str { match self { $(Self::$variant => $label),* } }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
pub(crate) use choice;

choice!(
    /// The two arms of a partnership: the children's arrangements and the adults' board.
    ArmKind { Children => ("children", "Children's safeguarding"), Adults => ("adults", "Adults' safeguarding") }
);

choice!(
    OrganisationKind {
        StatutoryPartner => ("statutory_partner", "Statutory partner"),
        RelevantAgency => ("relevant_agency", "Relevant agency"),
        School => ("school", "School or college"),
        VoluntarySector => ("voluntary_sector", "Voluntary sector"),
        Other => ("other", "Other"),
    }
);

choice!(
    Sector {
        LocalAuthority => ("local_authority", "Local authority"),
        Police => ("police", "Police"),
        Health => ("health", "Health"),
        Education => ("education", "Education"),
        Probation => ("probation", "Probation and justice"),
        Housing => ("housing", "Housing"),
        FireRescue => ("fire_rescue", "Fire and rescue"),
        Voluntary => ("voluntary", "Voluntary and community"),
        Other => ("other", "Other"),
    }
);

choice!(
    BodyKind {
        Board => ("board", "Board"),
        Executive => ("executive", "Executive"),
        Subgroup => ("subgroup", "Subgroup"),
        Forum => ("forum", "Forum"),
        TaskAndFinish => ("task_and_finish", "Task and finish group"),
        SetWorkstream => ("set_workstream", "SET workstream"),
    }
);

choice!(
    Cadence {
        Monthly => ("monthly", "Monthly"),
        SixWeekly => ("six_weekly", "Every six weeks"),
        BiMonthly => ("bi_monthly", "Every two months"),
        Quarterly => ("quarterly", "Quarterly"),
        TwiceYearly => ("twice_yearly", "Twice a year"),
        Yearly => ("yearly", "Yearly"),
        AsRequired => ("as_required", "As required"),
    }
);

choice!(
    MembershipRole {
        Chair => ("chair", "Chair"),
        ViceChair => ("vice_chair", "Vice-chair"),
        Member => ("member", "Member"),
        Adviser => ("adviser", "Adviser"),
        Deputy => ("deputy", "Deputy"),
    }
);

impl MembershipRole {
    /// A body has one chair and one vice-chair at a time; a handover is one membership's end
    /// date and the next one's start date.
    pub fn one_at_a_time(self) -> bool {
        matches!(self, MembershipRole::Chair | MembershipRole::ViceChair)
    }
}

/// The version of a body's terms of reference in effect on `today`: of those in effect from
/// `today` or before, the one in effect from the latest date (the later version on a tie). A
/// version dated in the future is not current yet, whenever it was added.
pub fn terms_in_effect(versions: impl IntoIterator<Item = (i64, NaiveDate)>, today: NaiveDate) -> Option<i64> {
    versions.into_iter().filter(|(_, from)| *from <= today).max_by_key(|(v, from)| (*from, *v)).map(|(v, _)| v)
}

/// The start of another holder's time in a seat held one at a time (chair, vice-chair) that
/// overlaps the period from `from` to `to` (open-ended when `None`), if any.
pub fn seat_taken(
    role: MembershipRole,
    from: NaiveDate,
    to: Option<NaiveDate>,
    others: impl IntoIterator<Item = (MembershipRole, NaiveDate, Option<NaiveDate>)>,
) -> Option<NaiveDate> {
    if !role.one_at_a_time() {
        return None;
    }
    others
        .into_iter()
        .filter(|(r, _, _)| *r == role)
        .find(|(_, start, end)| end.is_none_or(|e| from <= e) && to.is_none_or(|t| *start <= t))
        .map(|(_, start, _)| start)
}

fn choice_field<C: Choice>(label: &str, raw: &str) -> Result<C, String> {
    if raw.trim().is_empty() {
        return Err(format!("Select {label}"));
    }
    C::parse(raw.trim()).ok_or_else(|| format!("Select {label} from the list"))
}

/// What a form or API request sends for an organisation, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrganisationInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub parent_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganisation {
    pub name: String,
    pub kind: OrganisationKind,
    pub sector: Sector,
    pub parent_id: Option<crate::OrganisationId>,
}

impl OrganisationInput {
    pub fn validate(&self) -> Validated<NewOrganisation> {
        let mut e = FieldErrors::new();
        let name = e.check("name", validation::required_text("the organisation's name", &self.name, 200));
        let kind = e.check("kind", choice_field("the kind of organisation", &self.kind));
        let sector = e.check("sector", choice_field("the sector", &self.sector));
        let parent = e.check("parent_id", validation::optional_id("the parent organisation", &self.parent_id));
        match (name, kind, sector, parent) {
            (Some(name), Some(kind), Some(sector), Some(parent)) if e.is_empty() => {
                Ok(NewOrganisation { name, kind, sector, parent_id: parent.map(crate::OrganisationId) })
            }
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub job_title: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub organisation_id: String,
    /// "true"/"on" when the person's details are restricted (every read is logged).
    #[serde(default)]
    pub restricted: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub name: String,
    pub job_title: Option<String>,
    pub email: Option<String>,
    pub organisation_id: Option<crate::OrganisationId>,
    pub restricted: bool,
}

pub fn flag(raw: &str) -> Result<bool, String> {
    match raw.trim() {
        "" | "false" | "no" | "off" | "0" => Ok(false),
        "true" | "yes" | "on" | "1" => Ok(true),
        _ => Err("Choose yes or no".into()),
    }
}

impl PersonInput {
    pub fn validate(&self) -> Validated<NewPerson> {
        let mut e = FieldErrors::new();
        let name = e.check("name", validation::required_text("the person's name", &self.name, 200));
        let job_title = e.check("job_title", validation::optional_text("the job title", &self.job_title, 200));
        let email = if self.email.trim().is_empty() {
            Some(None)
        } else {
            e.check("email", validation::email(&self.email).map(Some))
        };
        let org = e.check("organisation_id", validation::optional_id("the organisation", &self.organisation_id));
        let restricted = e.check("restricted", flag(&self.restricted));
        match (name, job_title, email, org, restricted) {
            (Some(name), Some(job_title), Some(email), Some(org), Some(restricted)) if e.is_empty() => {
                Ok(NewPerson { name, job_title, email, organisation_id: org.map(crate::OrganisationId), restricted })
            }
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct BodyInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub arm: String,
    #[serde(default)]
    pub parent_id: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub cadence: String,
    #[serde(default)]
    pub restricted: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBody {
    pub name: String,
    pub kind: BodyKind,
    /// None when the body serves both arms (e.g. a joint executive).
    pub arm: Option<ArmKind>,
    pub parent_id: Option<crate::BodyId>,
    pub purpose: Option<String>,
    pub cadence: Cadence,
    pub restricted: bool,
}

impl BodyInput {
    pub fn validate(&self) -> Validated<NewBody> {
        let mut e = FieldErrors::new();
        let name = e.check("name", validation::required_text("the body's name", &self.name, 200));
        let kind = e.check("kind", choice_field("the kind of body", &self.kind));
        let arm = if self.arm.trim().is_empty() || self.arm.trim() == "both" {
            Some(None)
        } else {
            e.check("arm", choice_field("the arm", &self.arm).map(Some))
        };
        let parent = e.check("parent_id", validation::optional_id("the parent body", &self.parent_id));
        let purpose = e.check("purpose", validation::optional_text("the purpose", &self.purpose, 2000));
        let cadence = e.check("cadence", choice_field("how often it meets", &self.cadence));
        let restricted = e.check("restricted", flag(&self.restricted));
        match (name, kind, arm, parent, purpose, cadence, restricted) {
            (Some(name), Some(kind), Some(arm), Some(parent), Some(purpose), Some(cadence), Some(restricted))
                if e.is_empty() =>
            {
                Ok(NewBody { name, kind, arm, parent_id: parent.map(crate::BodyId), purpose, cadence, restricted })
            }
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TermsInput {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub effective_from: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTerms {
    pub text: String,
    pub effective_from: NaiveDate,
}

impl TermsInput {
    pub fn validate(&self) -> Validated<NewTerms> {
        let mut e = FieldErrors::new();
        let text = e.check("text", validation::required_text("the terms of reference", &self.text, 20_000));
        let from =
            e.check("effective_from", validation::required_date("the date they take effect", &self.effective_from));
        match (text, from) {
            (Some(text), Some(effective_from)) if e.is_empty() => Ok(NewTerms { text, effective_from }),
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MembershipInput {
    #[serde(default)]
    pub person_id: String,
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub from_date: String,
    #[serde(default)]
    pub to_date: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMembership {
    pub person_id: crate::PersonId,
    pub organisation_id: Option<crate::OrganisationId>,
    pub role: MembershipRole,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
}

impl MembershipInput {
    pub fn validate(&self) -> Validated<NewMembership> {
        let mut e = FieldErrors::new();
        let person = e.check("person_id", validation::required_id("the person", &self.person_id));
        let org =
            e.check("organisation_id", validation::optional_id("the organisation represented", &self.organisation_id));
        let role = e.check("role", choice_field("the role", &self.role));
        let from = e.check("from_date", validation::required_date("the start date", &self.from_date));
        let to = e.check("to_date", validation::optional_date("the end date", &self.to_date));
        if let (Some(from), Some(Some(to))) = (from, to)
            && to < from
        {
            e.add("to_date", "The end date must be the same as or after the start date");
        }
        match (person, org, role, from, to) {
            (Some(person), Some(org), Some(role), Some(from_date), Some(to_date)) if e.is_empty() => {
                Ok(NewMembership {
                    person_id: crate::PersonId(person),
                    organisation_id: org.map(crate::OrganisationId),
                    role,
                    from_date,
                    to_date,
                })
            }
            _ => Err(e),
        }
    }
}

/// Ending a record: the date it stopped (organisations merge, bodies are stood down, people leave).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EndInput {
    #[serde(default)]
    pub ended_on: String,
}

impl EndInput {
    pub fn validate(&self) -> Validated<NaiveDate> {
        let mut e = FieldErrors::new();
        let date = e.check("ended_on", validation::required_date("the end date", &self.ended_on));
        match date {
            Some(d) if e.is_empty() => Ok(d),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_input_reports_every_bad_field_at_once() {
        let input =
            OrganisationInput { name: " ".into(), kind: "spaceship".into(), sector: "".into(), parent_id: "x".into() };
        let errors = input.validate().expect_err("invalid");
        assert_eq!(errors.get("name"), Some("Enter the organisation's name"));
        assert_eq!(errors.get("kind"), Some("Select the kind of organisation from the list"));
        assert_eq!(errors.get("sector"), Some("Select the sector"));
        assert_eq!(errors.get("parent_id"), Some("Select the parent organisation from the list"));
    }

    #[test]
    fn membership_cannot_end_before_it_starts() {
        let input = MembershipInput {
            person_id: "1".into(),
            organisation_id: "".into(),
            role: "chair".into(),
            from_date: "2023-04-01".into(),
            to_date: "2023-03-31".into(),
        };
        assert_eq!(
            input.validate().expect_err("invalid").get("to_date"),
            Some("The end date must be the same as or after the start date")
        );
    }

    #[test]
    fn choices_round_trip_through_their_codes() {
        for kind in BodyKind::ALL {
            assert_eq!(BodyKind::parse(kind.code()), Some(*kind));
        }
        assert_eq!(MembershipRole::parse("vice_chair"), Some(MembershipRole::ViceChair));
    }

    #[test]
    fn the_current_terms_are_those_in_effect_today() {
        let d = |s: &str| s.parse::<NaiveDate>().expect("date");
        // Version 3 was added last but takes effect next year; version 1 was backdated.
        let versions = [(1, d("2024-04-01")), (2, d("2025-04-01")), (3, d("2027-04-01"))];
        assert_eq!(terms_in_effect(versions, d("2026-11-29")), Some(2));
        assert_eq!(terms_in_effect(versions, d("2027-04-01")), Some(3));
        assert_eq!(terms_in_effect(versions, d("2024-01-01")), None, "none in effect yet");
        assert_eq!(terms_in_effect([(1, d("2025-04-01")), (2, d("2024-04-01"))], d("2026-01-01")), Some(1));
    }

    #[test]
    fn one_chair_at_a_time_and_a_handover_is_an_end_and_a_start() {
        let d = |s: &str| s.parse::<NaiveDate>().expect("date");
        let chair = [(MembershipRole::Chair, d("2024-04-01"), Some(d("2025-03-31")))];
        let taken = |role, from: &str, to: Option<&str>| seat_taken(role, d(from), to.map(d), chair);
        assert_eq!(taken(MembershipRole::Chair, "2024-04-01", None), Some(d("2024-04-01")), "two from the same day");
        assert_eq!(taken(MembershipRole::Chair, "2025-03-31", None), Some(d("2024-04-01")), "a day of overlap");
        assert_eq!(taken(MembershipRole::Chair, "2023-01-01", Some("2024-04-01")), Some(d("2024-04-01")));
        assert_eq!(taken(MembershipRole::Chair, "2025-04-01", None), None, "the handover");
        assert_eq!(taken(MembershipRole::Chair, "2023-01-01", Some("2024-03-31")), None, "the chair before");
        assert_eq!(taken(MembershipRole::ViceChair, "2024-04-01", None), None, "the vice-chair is another seat");
        assert_eq!(taken(MembershipRole::Member, "2024-04-01", None), None, "members are many");
        assert_eq!(MembershipRole::parse("emperor"), None);
    }
}
