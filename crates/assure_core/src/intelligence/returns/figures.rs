//! The figures a template's returns have given, period by period: every whole number summed
//! over the organisations whose returns are in (submitted or validated), every percentage as the
//! mean of theirs; the fields the template marks as indicators shown with their trend.

use std::collections::BTreeMap;

use assure_domain::authz::ResourceKind as K;
use assure_domain::intelligence::returns::{Field, FieldKind, Template};
use assure_domain::{Action, PartnershipId, Target};
use serde::Serialize;

use crate::{Core, CoreError, CoreResult, Ctx};

/// One period's figure of a field: its value, and how many organisations' returns gave it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub value: String,
    pub organisations: usize,
}

/// A numeric field's figures, one per period (None where no return in gave it).
#[derive(Debug, Clone, Serialize)]
pub struct FigureRow {
    pub field: Field,
    /// The title of the field's group, or empty.
    pub group: String,
    pub values: Vec<Option<Figure>>,
}

/// A written answer or choice field's answers in one period, each with its organisation; and, for
/// a choice, how many organisations gave each option.
#[derive(Debug, Clone, Serialize)]
pub struct Answers {
    pub field: Field,
    pub group: String,
    /// (organisation, answer), by organisation.
    pub given: Vec<(String, String)>,
    /// A choice's options with how many gave each.
    pub counts: Vec<(String, usize)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReturnFigures {
    /// The latest version of the template the partnership uses.
    pub template: Template,
    /// The periods with returns in, earliest first.
    pub periods: Vec<String>,
    pub rows: Vec<FigureRow>,
    /// How many returns (submitted or validated) the figures come from.
    pub returns_counted: usize,
    /// The period whose written answers are shown (the latest, unless asked), if any.
    pub answers_period: Option<String>,
    /// The written answers and choices of that period, field by field.
    pub answers: Vec<Answers>,
}

/// The written answers and choices given in one period, field by field.
pub fn answers(t: &Template, returned: &[assure_store::intelligence::returns::Returned], period: &str) -> Vec<Answers> {
    let groups: BTreeMap<&str, &str> = t.groups.iter().map(|g| (g.id.as_str(), g.title.as_str())).collect();
    t.fields
        .iter()
        .filter(|f| !f.numeric())
        .map(|f| {
            let given: Vec<(String, String)> = returned
                .iter()
                .filter(|r| r.period == period && r.field == f.id)
                .map(|r| (r.organisation_name.clone(), r.value.clone()))
                .collect();
            let counts = f.choices.iter().map(|c| (c.clone(), given.iter().filter(|(_, v)| v == c).count())).collect();
            Answers {
                field: f.clone(),
                group: f.group.as_deref().and_then(|g| groups.get(g)).map(|g| (*g).to_owned()).unwrap_or_default(),
                given,
                counts,
            }
        })
        .collect()
}

/// A mean to one decimal place, half up, from tenths.
fn mean_of(tenths: &[u32]) -> String {
    let n = tenths.len() as u64;
    let sum: u64 = tenths.iter().map(|t| u64::from(*t)).sum();
    let mean = (sum * 2 + n) / (2 * n);
    format!("{}.{}", mean / 10, mean % 10)
}

fn tenths(value: &str) -> Option<u32> {
    let (whole, decimal) = value.split_once('.').unwrap_or((value, "0"));
    Some(whole.parse::<u32>().ok()? * 10 + decimal.parse::<u32>().ok()?)
}

/// Sums (and averages) the returned values of one template's fields by period.
pub fn figures(
    t: &Template,
    returned: &[assure_store::intelligence::returns::Returned],
) -> (Vec<String>, Vec<FigureRow>) {
    let periods: Vec<String> = {
        let mut p: Vec<String> = returned.iter().map(|r| r.period.clone()).collect();
        p.sort();
        p.dedup();
        p
    };
    let groups: BTreeMap<&str, &str> = t.groups.iter().map(|g| (g.id.as_str(), g.title.as_str())).collect();
    let rows = t
        .fields
        .iter()
        .filter(|f| f.numeric())
        .map(|f| {
            let values = periods
                .iter()
                .map(|period| {
                    let given: Vec<&str> = returned
                        .iter()
                        .filter(|r| r.period == *period && r.field == f.id)
                        .map(|r| r.value.as_str())
                        .collect();
                    if given.is_empty() {
                        return None;
                    }
                    let value = match f.kind {
                        FieldKind::Whole => given.iter().filter_map(|v| v.parse::<u64>().ok()).sum::<u64>().to_string(),
                        _ => {
                            let t: Vec<u32> = given.iter().filter_map(|v| tenths(v)).collect();
                            if t.is_empty() {
                                return None;
                            }
                            mean_of(&t)
                        }
                    };
                    Some(Figure { value, organisations: given.len() })
                })
                .collect();
            FigureRow {
                field: f.clone(),
                group: f.group.as_deref().and_then(|g| groups.get(g)).map(|g| (*g).to_owned()).unwrap_or_default(),
                values,
            }
        })
        .collect();
    (periods, rows)
}

impl Core {
    /// The figures the partnership's returns of a template (by code) have given, and the written
    /// answers of one period (`period`, or the latest).
    pub async fn return_figures(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        code: &str,
        period: Option<&str>,
    ) -> CoreResult<ReturnFigures> {
        ctx.authorize(Action::View, &Target::new(K::Indicator, p))?;
        let latest = self
            .askable_return_templates(ctx, p)
            .await?
            .into_iter()
            .find(|t| t.code == code)
            .ok_or(CoreError::NotFound)?;
        let mut conn = self.store.read().await?;
        let returned = assure_store::intelligence::returns::returned_values(&mut conn, p, Some(code)).await?;
        let template = super::templates::template_of(&mut conn, p, &latest.code, &latest.version).await?;
        drop(conn);
        let counted: std::collections::BTreeSet<(i64, &str)> =
            returned.iter().map(|r| (r.organisation_id, r.period.as_str())).collect();
        let returns_counted = counted.len();
        let (periods, rows) = figures(&template, &returned);
        let answers_period = match period {
            // A period with no returns in has nothing to show.
            Some(asked) => Some(periods.iter().find(|p| *p == asked).cloned().ok_or(CoreError::NotFound)?),
            None => periods.last().cloned(),
        };
        let answers = match &answers_period {
            Some(at) if template.fields.iter().any(|f| !f.numeric()) => answers(&template, &returned, at),
            _ => Vec::new(),
        };
        Ok(ReturnFigures { template, periods, rows, returns_counted, answers_period, answers })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_summed_and_percentages_averaged_by_period() {
        let t = super::super::templates::parse(super::super::templates::SHIPPED[1].1).expect("the LADO template");
        let row = |org: i64, period: &str, field: &str, value: &str| assure_store::intelligence::returns::Returned {
            template_code: "lado".into(),
            template_version: "2026.1".into(),
            organisation_id: org,
            organisation_name: format!("Organisation {org}"),
            period: period.into(),
            field: field.into(),
            value: value.into(),
        };
        let returned = vec![
            row(1, "2026-27 Q1", "allegations", "4"),
            row(2, "2026-27 Q1", "allegations", "3"),
            row(1, "2026-27 Q1", "positive_percent", "87.5"),
            row(2, "2026-27 Q1", "positive_percent", "90"),
            row(1, "2025-26 Q4", "allegations", "6"),
        ];
        let (periods, rows) = figures(&t, &returned);
        assert_eq!(periods, vec!["2025-26 Q4", "2026-27 Q1"]);
        let allegations = rows.iter().find(|r| r.field.id == "allegations").expect("a row");
        assert_eq!(allegations.group, "Contacts and allegations");
        assert_eq!(
            allegations.values,
            vec![
                Some(Figure { value: "6".into(), organisations: 1 }),
                Some(Figure { value: "7".into(), organisations: 2 })
            ]
        );
        let positive = rows.iter().find(|r| r.field.id == "positive_percent").expect("a row");
        assert_eq!(positive.values[1], Some(Figure { value: "88.8".into(), organisations: 2 }));
        assert_eq!(positive.values[0], None);
        assert!(rows.iter().all(|r| r.field.numeric()), "written answers are not figures");
    }
}
