//! The independent scrutineer's own report: each piece of scrutiny of the period (what they
//! examined, by which method, when, and what they found), and their recommendations, each to one
//! statutory partner or to them all, with the partner's response as the business unit records
//! it. The rules here are pure: the methods, the partners' stances, and the inputs with their
//! checks.

use chrono::NaiveDate;
use serde::Deserialize;

use super::Period;
use super::sign_off::MAX_NOTE_CHARS;
use crate::structure::{Choice, choice};
use crate::validation::{self, FieldErrors, Validated, long_date};

/// The longest "what was examined", in characters.
pub const MAX_EXAMINED_CHARS: usize = 300;
/// The longest "who responded for the partner" (a name and a role), in characters.
pub const MAX_RESPONDED_BY_CHARS: usize = 200;

choice!(
    /// How the scrutineer examined something: the methods scrutiny reports name.
    Method {
        Observation => ("observation", "Observing meetings and practice"),
        Cases => ("cases", "Reading case records and reviews"),
        Audit => ("audit", "A multi-agency audit"),
        Practitioners => ("practitioners", "Talking with practitioners and managers"),
        Voice => ("voice", "Hearing from children and families"),
        Figures => ("figures", "Reading the figures"),
        Documents => ("documents", "Reading plans, policies and reports"),
        Leaders => ("leaders", "Challenge with the partners' leaders"),
    }
);

choice!(
    /// What a partner made of a recommendation.
    Stance {
        Accepted => ("accepted", "Accepted"),
        Partly => ("partly", "Accepted in part"),
        NotAccepted => ("not_accepted", "Not accepted"),
    }
);

/// A piece of scrutiny as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActivityInput {
    /// What was examined ("The front door: how contacts become referrals").
    pub examined: String,
    pub method: String,
    /// The day it was done (the last day, for work over several), `YYYY-MM-DD`.
    pub done_on: String,
    /// What was found.
    pub found: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivity {
    pub examined: String,
    pub method: Method,
    pub done_on: NaiveDate,
    pub found: String,
}

impl ActivityInput {
    /// A piece of scrutiny of the report's `period`, done by `today`.
    pub fn validate(&self, period: &Period, today: NaiveDate) -> Validated<NewActivity> {
        let mut e = FieldErrors::new();
        let examined =
            e.check("examined", validation::required_text("what was examined", &self.examined, MAX_EXAMINED_CHARS));
        let method =
            e.check("method", Method::parse(self.method.trim()).ok_or_else(|| "Select how it was examined".to_owned()));
        let done_on = e.check(
            "done_on",
            validation::required_date("the day it was done", &self.done_on).and_then(|d| {
                if period.contains(d) && d <= today {
                    Ok(d)
                } else {
                    Err(format!(
                        "The day it was done must be within the report's period ({} to {}) and not after today",
                        long_date(period.start),
                        long_date(period.end)
                    ))
                }
            }),
        );
        let found = e.check("found", validation::required_text("what was found", &self.found, MAX_NOTE_CHARS));
        e.into_result(|| NewActivity {
            examined: examined.unwrap_or_default(),
            method: method.unwrap_or(Method::Observation),
            done_on: done_on.unwrap_or(today),
            found: found.unwrap_or_default(),
        })
    }
}

/// A recommendation as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RecommendationInput {
    pub recommendation: String,
    /// The statutory partner it is made to; blank for every partner together.
    pub organisation_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecommendation {
    pub recommendation: String,
    /// `None`: to the safeguarding partners together.
    pub organisation_id: Option<i64>,
}

impl RecommendationInput {
    /// `partners` are the statutory partners a recommendation may be made to.
    pub fn validate(&self, partners: &[i64]) -> Validated<NewRecommendation> {
        let mut e = FieldErrors::new();
        let text = e.check(
            "recommendation",
            validation::required_text("the recommendation", &self.recommendation, MAX_NOTE_CHARS),
        );
        let raw = self.organisation_id.trim();
        let org = e.check(
            "organisation_id",
            if raw.is_empty() {
                Ok(None)
            } else {
                raw.parse::<i64>()
                    .ok()
                    .filter(|id| partners.contains(id))
                    .map(Some)
                    .ok_or_else(|| "Select a statutory partner, or every partner together".to_owned())
            },
        );
        e.into_result(|| NewRecommendation { recommendation: text.unwrap_or_default(), organisation_id: org.flatten() })
    }
}

/// A partner's response to a recommendation, as the business unit records it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PartnerResponseInput {
    pub stance: String,
    /// What the partner will do, or why not.
    pub response: String,
    /// Who responded for the partner: a name and a role.
    pub responded_by: String,
    /// The day they responded, `YYYY-MM-DD`.
    pub responded_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPartnerResponse {
    pub stance: Stance,
    pub response: String,
    pub responded_by: String,
    pub responded_on: NaiveDate,
}

impl PartnerResponseInput {
    /// Nobody responds after `today`.
    pub fn validate(&self, today: NaiveDate) -> Validated<NewPartnerResponse> {
        let mut e = FieldErrors::new();
        let stance = e.check(
            "stance",
            Stance::parse(self.stance.trim())
                .ok_or_else(|| "Select whether the partner accepted the recommendation".to_owned()),
        );
        let response = e.check(
            "response",
            validation::required_text("what the partner will do, or why not", &self.response, MAX_NOTE_CHARS),
        );
        let by = e.check(
            "responded_by",
            validation::required_text("who responded, with their role", &self.responded_by, MAX_RESPONDED_BY_CHARS),
        );
        let on = e.check(
            "responded_on",
            validation::required_date("the day they responded", &self.responded_on).and_then(|d| {
                if d > today { Err("The day they responded must be today or in the past".to_owned()) } else { Ok(d) }
            }),
        );
        e.into_result(|| NewPartnerResponse {
            stance: stance.unwrap_or(Stance::Accepted),
            response: response.unwrap_or_default(),
            responded_by: by.unwrap_or_default(),
            responded_on: on.unwrap_or(today),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_piece_of_scrutiny_is_of_the_period_and_not_in_the_future() {
        let period = Period::financial(2022).unwrap();
        let good = ActivityInput {
            examined: " The front door ".into(),
            method: "observation".into(),
            done_on: "2022-11-14".into(),
            found: "Contacts are screened the same day.".into(),
        };
        let a = good.validate(&period, day(2026, 12, 1)).unwrap();
        assert_eq!(
            (a.examined.as_str(), a.method, a.done_on),
            ("The front door", Method::Observation, day(2022, 11, 14))
        );
        for (raw, today) in [("2023-04-01", day(2026, 12, 1)), ("2022-11-14", day(2022, 11, 13))] {
            let e = ActivityInput { done_on: raw.into(), ..good.clone() }.validate(&period, today).unwrap_err();
            assert_eq!(
                e.get("done_on"),
                Some(
                    "The day it was done must be within the report's period (1 April 2022 to 31 March 2023) and not after today"
                ),
                "{raw}"
            );
        }
        let e = ActivityInput { method: "guesswork".into(), examined: "x".repeat(MAX_EXAMINED_CHARS + 1), ..good }
            .validate(&period, day(2026, 12, 1))
            .unwrap_err();
        assert_eq!(e.get("method"), Some("Select how it was examined"));
        assert!(e.get("examined").is_some());
    }

    #[test]
    fn a_recommendation_is_to_one_statutory_partner_or_to_them_all() {
        let all = RecommendationInput { recommendation: "Audit the front door.".into(), organisation_id: " ".into() };
        assert_eq!(all.validate(&[7]).unwrap().organisation_id, None);
        let one = RecommendationInput { organisation_id: "7".into(), ..all.clone() };
        assert_eq!(one.validate(&[7]).unwrap().organisation_id, Some(7));
        let e =
            RecommendationInput { recommendation: " ".into(), organisation_id: "9".into() }.validate(&[7]).unwrap_err();
        assert_eq!(e.get("organisation_id"), Some("Select a statutory partner, or every partner together"));
        assert!(e.get("recommendation").is_some());
    }

    #[test]
    fn a_response_says_whether_it_was_accepted_who_responded_and_when() {
        let today = day(2023, 6, 1);
        let good = PartnerResponseInput {
            stance: "partly".into(),
            response: "We will audit the front door in the autumn.".into(),
            responded_by: "Jo Bloggs, Director of Children's Services".into(),
            responded_on: "2023-05-30".into(),
        };
        assert_eq!(good.validate(today).unwrap().stance, Stance::Partly);
        let e = PartnerResponseInput { stance: "maybe".into(), responded_on: "2023-06-02".into(), ..good }
            .validate(today)
            .unwrap_err();
        assert_eq!(e.get("stance"), Some("Select whether the partner accepted the recommendation"));
        assert_eq!(e.get("responded_on"), Some("The day they responded must be today or in the past"));
    }
}
