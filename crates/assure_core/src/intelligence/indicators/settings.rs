//! What the business unit sets on the dashboard: the partnership's area, thresholds,
//! published figures entered by hand, indicator versions, commentary and deep dives.

use assure_domain::FigureId;
use std::collections::HashMap;

use assure_domain::intelligence::indicators::{self as ind};
use assure_domain::structure::ArmKind;
use assure_store::audit_log;
use assure_store::intelligence::indicators::{self as st, Observation};
use serde_json::json;

use super::*;
use crate::{Core, CoreError, CoreResult, Ctx};

impl Core {
    /// Sets the area (ONS code or DfE number) whose published figures the partnership's
    /// dashboards show.
    pub async fn set_partnership_area(&self, ctx: &Ctx, p: assure_domain::PartnershipId, raw: &str) -> CoreResult<()> {
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::Create, &Target::new(ResourceKind::Indicator, p))?;
        let mut conn = self.store.read().await?;
        let area = match st::area(&mut conn, raw.trim()).await {
            Ok(a) if a.level == "local_authority" => a,
            Ok(_) | Err(assure_store::StoreError::NotFound) => {
                return Err(CoreError::field(
                    "area",
                    "Enter a local authority's ONS code (such as E06000033) or DfE number (882) from the published data",
                ));
            }
            Err(e) => return Err(e.into()),
        };
        drop(conn);
        let mut tx = self.store.write().await?;
        st::set_partnership_area(&mut tx, p, &area.code).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("update", "dashboard_area", Some(area.code.clone()), Some(p), json!({"area": area.name})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets (or with both blank clears) an indicator's RAG thresholds for the partnership.
    pub async fn set_indicator_threshold(
        &self,
        ctx: &Ctx,
        p: assure_domain::PartnershipId,
        code: &str,
        green: &str,
        red: &str,
    ) -> CoreResult<()> {
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::Create, &Target::new(ResourceKind::Indicator, p))?;
        let indicator = ind::indicator(code).ok_or(CoreError::NotFound)?;
        let mut conn = self.store.read().await?;
        let stored = st::indicator_versions(&mut conn, p).await?;
        drop(conn);
        let polarity = versions_of(indicator, &stored).last().map_or(indicator.polarity, |d| d.polarity);
        let (green, red) = (green.trim(), red.trim());
        let mut errors = assure_domain::FieldErrors::new();
        let levels = if green.is_empty() && red.is_empty() {
            None
        } else {
            if polarity == ind::Polarity::Neither {
                errors
                    .add("green", "Neither a higher nor a lower value is better for this indicator, so it has no RAG");
            }
            let g = green.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0);
            let r = red.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0);
            if g.is_none() {
                errors.add("green", "Enter the green threshold as a number, such as 20.5");
            }
            if r.is_none() {
                errors.add("red", "Enter the red threshold as a number, such as 25");
            }
            if let (Some(g), Some(r)) = (g, r) {
                match polarity {
                    ind::Polarity::LowerIsBetter if g >= r => {
                        errors.add("red", "Lower is better here: the red threshold must be above the green one")
                    }
                    ind::Polarity::HigherIsBetter if g <= r => {
                        errors.add("red", "Higher is better here: the red threshold must be below the green one")
                    }
                    _ => {}
                }
            }
            Some((green, red))
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.store.write().await?;
        st::set_threshold(&mut tx, p, code, levels, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("threshold", "indicator", Some(code.to_owned()), Some(p), json!({"green": green, "red": red})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The figures the business unit entered from publications, with the areas' names.
    pub async fn entered_figures(
        &self,
        ctx: &Ctx,
        p: assure_domain::PartnershipId,
    ) -> CoreResult<Vec<(st::EnteredFigure, String)>> {
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::View, &Target::new(ResourceKind::Indicator, p))?;
        let mut conn = self.store.read().await?;
        let names = area_names(&mut conn).await?;
        let figures = st::entered_figures(&mut conn, p).await?;
        Ok(figures
            .into_iter()
            .map(|f| {
                let name = names.get(&f.area_code).cloned().unwrap_or_default();
                (f, name)
            })
            .collect())
    }

    /// Enters a published figure no importable file holds (an adult population, England's or a
    /// neighbour's Safeguarding Adults Collection count, the area's own earlier years), or
    /// replaces the one entered for the same area, measure and period. Returns its id.
    pub async fn enter_figure(
        &self,
        ctx: &Ctx,
        p: assure_domain::PartnershipId,
        input: &FigureInput,
    ) -> CoreResult<FigureId> {
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::Create, &Target::new(ResourceKind::Indicator, p))?;
        let this_year = chrono::Datelike::year(&self.today());
        let checked = ind::check_entered_figure(&input.measure, &input.period, &input.value, this_year);
        let mut errors = match &checked {
            Ok(_) => assure_domain::FieldErrors::new(),
            Err(e) => e.clone(),
        };
        let source = input.source.trim();
        if source.is_empty() {
            errors.add("source", "Say which publication the figure comes from");
        } else if source.chars().count() > 500 {
            errors.add("source", "The source must be 500 characters or fewer");
        }
        let mut conn = self.store.read().await?;
        let area = match st::area(&mut conn, input.area.trim()).await {
            Ok(a) => Some(a),
            Err(assure_store::StoreError::NotFound) => {
                errors.add(
                    "area",
                    "Enter an area of the published data: E92000001 for England, or a local authority's ONS code or DfE number",
                );
                None
            }
            Err(e) => return Err(e.into()),
        };
        drop(conn);
        let (Ok(f), Some(area), true) = (checked, area, errors.is_empty()) else {
            return Err(errors.into());
        };
        let mut tx = self.store.write().await?;
        let value = f.value.to_string();
        let (id, before) = st::enter_figure(
            &mut tx,
            p,
            &st::NewFigure {
                area_code: &area.code,
                measure: f.measure,
                period: &f.period,
                value: &value,
                source,
                by_label: &ctx.name,
            },
        )
        .await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                if before.is_some() { "update" } else { "create" },
                "entered_figure",
                Some(id.to_string()),
                Some(p),
                json!({"area": area.code, "measure": f.measure, "period": f.period, "value": value, "before": before, "source": source}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(FigureId(id))
    }

    /// Removes an entered figure.
    pub async fn remove_figure(&self, ctx: &Ctx, p: assure_domain::PartnershipId, id: FigureId) -> CoreResult<()> {
        let id = id.0;
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::Create, &Target::new(ResourceKind::Indicator, p))?;
        let mut tx = self.store.write().await?;
        let f = st::remove_figure(&mut tx, p, id).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "delete",
                "entered_figure",
                Some(id.to_string()),
                Some(p),
                json!({"area": f.area_code, "measure": f.measure, "period": f.period, "value": f.value}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// England's adults' indicators for a financial year (its key, "2026"), from the figures the
    /// business unit entered: what a return is checked against.
    pub(crate) async fn england_adults(
        &self,
        conn: &mut assure_store::Conn,
        p: assure_domain::PartnershipId,
        year: &str,
    ) -> CoreResult<Vec<(String, String)>> {
        let rows: Vec<Observation> =
            adult_observations(conn, p, "").await?.into_iter().filter(|o| o.area_code == ENGLAND).collect();
        let names = HashMap::new();
        Ok(ind::CATALOGUE
            .iter()
            .filter(|i| i.arm == ArmKind::Adults)
            .flat_map(|i| {
                compute(i, &rows, &names)
                    .into_iter()
                    .filter(|v| v.year == year)
                    .filter_map(|v| Some((i.code.to_owned(), v.value?)))
                    .collect::<Vec<_>>()
            })
            .collect())
    }

    /// Adds a version of an indicator's definition for the partnership (the business unit): it
    /// applies from its first period on; earlier values keep the version they were made under.
    /// Returns the new version's number.
    pub async fn add_indicator_version(
        &self,
        ctx: &Ctx,
        p: assure_domain::PartnershipId,
        code: &str,
        input: &ind::DefinitionInput,
    ) -> CoreResult<u32> {
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::Create, &Target::new(ResourceKind::Indicator, p))?;
        let indicator = ind::indicator(code).ok_or(CoreError::NotFound)?;
        let (organisations, _) = self.organisations(ctx, p, false, assure_store::structure::Page::ALL).await?;
        let suppliers: Vec<i64> = organisations.iter().map(|o| o.id.0).collect();
        let mut tx = self.store.write().await?;
        let stored = st::indicator_versions(&mut tx, p).await?;
        let versions = versions_of(indicator, &stored);
        let latest = versions.last().cloned().unwrap_or_else(|| ind::Definition::shipped(indicator));
        let new = ind::check_definition(indicator, input, &latest, &suppliers)?;
        st::add_indicator_version(&mut tx, p, code, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "version",
                "indicator",
                Some(code.to_owned()),
                Some(p),
                json!({
                    "version": new.version,
                    "effective_from": new.effective_from,
                    "title": new.title,
                    "polarity": new.polarity.code(),
                    "decimals": new.decimals,
                    "suppress_below": new.suppress_below,
                    "owner": new.owner,
                    "supplier_id": new.supplier_id,
                    "reason": new.reason,
                }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(new.version)
    }

    /// Adds the performance subgroup's commentary on an indicator for one of its periods.
    pub async fn add_indicator_comment(
        &self,
        ctx: &Ctx,
        p: assure_domain::PartnershipId,
        code: &str,
        period: &str,
        body: &str,
    ) -> CoreResult<i64> {
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::Create, &Target::new(ResourceKind::Indicator, p))?;
        let (_, tile, _, _) = self.indicator_page(ctx, p, code).await?;
        let mut errors = assure_domain::FieldErrors::new();
        if !tile.history.iter().any(|v| v.period == period.trim()) {
            errors.add("period", "Select the period from the list");
        }
        let body = body.trim();
        if body.is_empty() {
            errors.add("body", "Enter the commentary");
        } else if body.chars().count() > 4000 {
            errors.add("body", "The commentary must be 4,000 characters or fewer");
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.store.write().await?;
        let id = st::add_comment(&mut tx, p, code, period.trim(), body, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "comment",
                "indicator",
                Some(code.to_owned()),
                Some(p),
                json!({"period": period.trim(), "comment_id": id}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// A published figure as typed into the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct FigureInput {
    /// The area's ONS code (E92000001 for England) or DfE number.
    pub area: String,
    pub measure: String,
    /// A mid-year (2024) for a population, a financial year (2024-25) for a count.
    pub period: String,
    pub value: String,
    /// The publication it comes from.
    pub source: String,
}

/// A deep dive asked of an organisation about an indicator, as typed into the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct DeepDiveInput {
    /// What the organisation is asked to look into.
    pub question: String,
    pub period: String,
    pub organisation_id: String,
    pub owner: String,
    pub owner_email: String,
    pub target_on: String,
    /// The subgroup that will judge what comes back.
    pub body_id: String,
}

impl Core {
    /// Asks an organisation for a deep dive into an indicator: a recommendation of the
    /// partnership's with one action for that organisation, on the plan and in its tasks and
    /// reminders. Returns the action.
    pub async fn request_deep_dive(
        &self,
        ctx: &Ctx,
        p: assure_domain::PartnershipId,
        code: &str,
        input: &DeepDiveInput,
    ) -> CoreResult<i64> {
        use assure_domain::{Action, ResourceKind, Target};
        let indicator = ind::indicator(code).ok_or(CoreError::NotFound)?;
        ctx.authorize(Action::Create, &Target::new(ResourceKind::Indicator, p))?;
        ctx.authorize(Action::Create, &Target::new(ResourceKind::PlanAction, p))?;
        let period = input.period.trim();
        let question = input.question.trim();
        if question.is_empty() {
            // Checked here, so the form names its own field rather than the plan's.
            let mut errors =
                assure_domain::FieldErrors::single("question", "Say what the organisation should look into");
            let rest = assure_domain::learning::ActionInput {
                action: "-".into(),
                organisation_id: input.organisation_id.clone(),
                owner: input.owner.clone(),
                owner_email: input.owner_email.clone(),
                target_on: input.target_on.clone(),
            };
            if let Err(e) = rest.validate() {
                errors.merge(e);
            }
            if input.body_id.trim().is_empty() {
                errors.add("body_id", "Select the subgroup that owns it");
            }
            return Err(errors.into());
        }
        let rec = assure_domain::learning::RecommendationInput {
            number: format!("Deep dive {}", if period.is_empty() { "" } else { period }).trim().to_owned(),
            text: if question.is_empty() {
                String::new()
            } else {
                format!("Deep dive into {} ({}): {question}", indicator.title.to_lowercase(), indicator.code)
            },
            scope: "local".into(),
            body_id: input.body_id.clone(),
            theme_id: String::new(),
        };
        let action = assure_domain::learning::ActionInput {
            action: question.to_owned(),
            organisation_id: input.organisation_id.clone(),
            owner: input.owner.clone(),
            owner_email: input.owner_email.clone(),
            target_on: input.target_on.clone(),
        };
        let origin = assure_store::learning::Origin::default();
        let (_, action_id) = self.insert_recommendation_with_action(ctx, p, origin, &rec, &action).await?;
        Ok(action_id)
    }
}
