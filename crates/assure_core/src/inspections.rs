//! Inspections of the partnership's agencies and joint inspections: the business unit records
//! each (its kind from `config/inspections.toml`, the agencies, fieldwork and publication kept
//! apart, the report's link), its judgements with the grades of the inspectorate's scale, and its
//! recommendations, which go on the Consolidated Action Plan with actions and evidence like a
//! review's. Everyone in the partnership reads a published inspection; one not yet published is
//! read only by the business unit, the scrutineer and the agency leads of the agencies inspected,
//! and each read of it is logged. An agency's grades over time are read the same way.

pub use assure_store::inspections::{Agency, GradeLine, Inspection, Judgement};

use std::collections::HashMap;
use std::sync::OnceLock;

use assure_domain::inspections::{InspectionInput, InspectionType, InspectionTypes, JudgementInput, MAX_JUDGEMENTS};
use assure_domain::learning::RecommendationInput;
use assure_domain::{Action, OrganisationId, PartnershipId, RecommendationId, ResourceKind as K, Target, can};
use assure_store::audit_log;
use assure_store::inspections as st;
use assure_store::learning as ls;
use serde_json::json;

use crate::learning::RecommendationItem;
use crate::{Core, CoreError, CoreResult, Ctx};

const SHIPPED: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/inspections.toml"));

/// The kinds of inspection shipped in `config/inspections.toml`, read and checked once.
pub fn types() -> &'static InspectionTypes {
    static TYPES: OnceLock<InspectionTypes> = OnceLock::new();
    TYPES.get_or_init(|| {
        // The shipped file is checked by a test; an empty set is the fallback, never reached.
        toml::from_str::<InspectionTypes>(SHIPPED).ok().filter(|t| t.check().is_ok()).unwrap_or_default()
    })
}

/// What the rules need to know of an inspection: unpublished, it is restricted.
fn target(i: &Inspection, org: Option<OrganisationId>) -> Target {
    Target::new(K::Inspection, i.partnership_id).restricted(i.published_on.is_none()).organisation(org)
}

/// Whether the actor reads this inspection: published, or they read every unpublished one, or
/// they lead one of the agencies inspected.
fn readable(ctx: &Ctx, i: &Inspection) -> bool {
    can(&ctx.actor, Action::View, &target(i, None))
        || i.agencies.iter().any(|a| can(&ctx.actor, Action::View, &target(i, Some(a.id))))
}

/// An inspection as the register lists it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub inspection: Inspection,
    /// The kind's name.
    pub kind: String,
    pub judgements: Vec<Judgement>,
}

/// The partnership's inspections as a reader sees them.
#[derive(Debug, Clone)]
pub struct Register {
    pub items: Vec<Listed>,
    /// The agency the list is limited to, if any.
    pub organisation: Option<OrganisationId>,
    /// The partnership's agencies, for the filter and the form.
    pub organisations: Vec<(OrganisationId, String)>,
    pub can_edit: bool,
}

/// One inspection with everything its page shows.
#[derive(Debug, Clone)]
pub struct InspectionView {
    pub inspection: Inspection,
    /// Its kind, when the configuration still has it.
    pub kind: Option<InspectionType>,
    pub kind_name: String,
    pub judgements: Vec<Judgement>,
    pub recommendations: Vec<RecommendationItem>,
    pub can_edit: bool,
}

/// One line of an agency's grades, with where the grade stands on its scale.
#[derive(Debug, Clone)]
pub struct Graded {
    pub line: GradeLine,
    pub kind: String,
    /// 1 for the scale's best grade, and how many grades the scale has.
    pub rank: Option<(usize, usize)>,
}

/// An agency's grades over time, the earliest first.
#[derive(Debug, Clone)]
pub struct GradeHistory {
    pub organisation: OrganisationId,
    pub organisation_name: String,
    pub lines: Vec<Graded>,
}

impl Core {
    /// The partnership's inspections the actor may read, the latest fieldwork first; limited to
    /// those of one agency when `organisation` is given.
    pub async fn inspections(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        organisation: Option<OrganisationId>,
    ) -> CoreResult<Register> {
        ctx.authorize(Action::View, &Target::new(K::Inspection, p))?;
        let orgs = self.every_organisation(ctx, p).await?;
        if organisation.is_some_and(|o| !orgs.iter().any(|x| x.id == o)) {
            return Err(CoreError::field("organisation", "Select the agency from the list"));
        }
        let (list, mut judgements) = {
            let mut conn = self.store.read().await?;
            let list: Vec<Inspection> = st::inspections_in(&mut conn, p, organisation)
                .await?
                .into_iter()
                .filter(|i| readable(ctx, i))
                .collect();
            let ids: Vec<i64> = list.iter().map(|i| i.id).collect();
            let judgements = st::judgements_of(&mut conn, &ids).await?;
            (list, judgements)
        };
        let unpublished: Vec<i64> = list.iter().filter(|i| i.published_on.is_none()).map(|i| i.id).collect();
        if !unpublished.is_empty() {
            self.log_read(ctx, "inspection", None, Some(p), json!({"ids": unpublished, "part": "register"})).await?;
        }
        let items = list
            .into_iter()
            .map(|inspection| Listed {
                kind: types().name_of(&inspection.type_code),
                judgements: judgements.remove(&inspection.id).unwrap_or_default(),
                inspection,
            })
            .collect();
        Ok(Register {
            items,
            organisation,
            organisations: orgs.iter().map(|o| (o.id, o.name.clone())).collect(),
            can_edit: can(&ctx.actor, Action::Create, &Target::new(K::Inspection, p)),
        })
    }

    /// The partnership's agencies an inspection's form offers, for those who record inspections.
    pub async fn inspection_choices(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<(OrganisationId, String)>> {
        ctx.authorize(Action::Create, &Target::new(K::Inspection, p))?;
        let orgs = self.every_organisation(ctx, p).await?;
        Ok(orgs.iter().filter(|o| o.ended_on.is_none()).map(|o| (o.id, o.name.clone())).collect())
    }

    /// An inspection the actor may read (a denied one is not found); its unpublished read logged.
    async fn readable_inspection(&self, ctx: &Ctx, id: i64) -> CoreResult<Inspection> {
        let mut conn = self.store.read().await?;
        let i = st::inspection(&mut conn, id).await?;
        drop(conn);
        if !readable(ctx, &i) {
            return Err(CoreError::NotFound);
        }
        Ok(i)
    }

    /// One inspection with its judgements and its recommendations with their actions.
    pub async fn inspection(&self, ctx: &Ctx, id: i64) -> CoreResult<InspectionView> {
        let inspection = self.readable_inspection(ctx, id).await?;
        let (judgements, recs, mut actions) = {
            let mut conn = self.store.read().await?;
            (
                st::judgements(&mut conn, id).await?,
                ls::recommendations_of_inspection(&mut conn, id).await?,
                ls::actions_of_inspection(&mut conn, id).await?,
            )
        };
        if inspection.published_on.is_none() {
            self.log_read(ctx, "inspection", Some(id.to_string()), Some(inspection.partnership_id), json!({})).await?;
        }
        let none = HashMap::new();
        let recommendations = recs
            .into_iter()
            .map(|recommendation| {
                let (mine, rest): (Vec<_>, Vec<_>) =
                    actions.drain(..).partition(|a| a.recommendation_id == recommendation.id.0);
                actions = rest;
                RecommendationItem {
                    actions: mine.into_iter().map(|a| self.item(ctx, a, &none)).collect(),
                    recommendation,
                }
            })
            .collect();
        let kind = types().get(&inspection.type_code).cloned();
        Ok(InspectionView {
            kind_name: types().name_of(&inspection.type_code),
            kind,
            can_edit: can(&ctx.actor, Action::Update, &target(&inspection, None)),
            judgements,
            recommendations,
            inspection,
        })
    }

    /// Checks that every agency ticked is one of the partnership's.
    async fn check_agencies(&self, ctx: &Ctx, p: PartnershipId, ids: &[OrganisationId]) -> CoreResult<()> {
        let orgs = self.every_organisation(ctx, p).await?;
        if ids.iter().all(|o| orgs.iter().any(|x| x.id == *o)) {
            Ok(())
        } else {
            Err(CoreError::field("organisation_ids", "Select the agencies inspected from the list"))
        }
    }

    /// Records an inspection; returns its id.
    pub async fn record_inspection(&self, ctx: &Ctx, p: PartnershipId, input: &InspectionInput) -> CoreResult<i64> {
        ctx.authorize(Action::Create, &Target::new(K::Inspection, p))?;
        let new = input.validate(types(), self.today())?;
        self.check_agencies(ctx, p, &new.organisation_ids).await?;
        let mut tx = self.store.write().await?;
        let id = st::insert(&mut tx, p, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "inspection",
                Some(id.to_string()),
                Some(p),
                json!({"type": new.type_code, "organisation_ids": new.organisation_ids.iter().map(|o| o.0).collect::<Vec<_>>(),
                       "fieldwork_from": new.fieldwork_from, "fieldwork_to": new.fieldwork_to,
                       "published_on": new.published_on}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The inspection, if the actor may change it.
    async fn inspection_to_change(&self, ctx: &Ctx, id: i64) -> CoreResult<Inspection> {
        let i = self.readable_inspection(ctx, id).await?;
        // Read, so a refusal is a refusal (an agency inspected reads it but does not change it).
        if !can(&ctx.actor, Action::Update, &target(&i, None)) {
            return Err(CoreError::Forbidden);
        }
        Ok(i)
    }

    /// Changes what an inspection says. Its kind changes only while it has no judgements (their
    /// grades are on its scale), and an agency leaves it only once no judgement names it.
    pub async fn update_inspection(&self, ctx: &Ctx, id: i64, input: &InspectionInput) -> CoreResult<()> {
        let old = self.inspection_to_change(ctx, id).await?;
        let p = old.partnership_id;
        let new = input.validate(types(), self.today())?;
        self.check_agencies(ctx, p, &new.organisation_ids).await?;
        let mut tx = self.store.write().await?;
        let judgements = st::judgements(&mut tx, id).await?;
        if new.type_code != old.type_code && !judgements.is_empty() {
            return Err(CoreError::field(
                "type_code",
                "Remove the judgements before changing the kind of inspection: their grades are on its scale",
            ));
        }
        st::update(&mut tx, id, &new, &ctx.name).await?;
        if st::judgements_outside_agencies(&mut tx, id).await? > 0 {
            return Err(CoreError::field(
                "organisation_ids",
                "A judgement names an agency you have unticked: remove that judgement first",
            ));
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "inspection",
                Some(id.to_string()),
                Some(p),
                json!({"type": new.type_code, "organisation_ids": new.organisation_ids.iter().map(|o| o.0).collect::<Vec<_>>(),
                       "fieldwork_from": new.fieldwork_from, "fieldwork_to": new.fieldwork_to,
                       "published_on": new.published_on}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a judgement of an inspection; returns its id.
    pub async fn add_judgement(&self, ctx: &Ctx, id: i64, input: &JudgementInput) -> CoreResult<i64> {
        let i = self.inspection_to_change(ctx, id).await?;
        let Some(kind) = types().get(&i.type_code) else {
            return Err(CoreError::field("grade", "This kind of inspection is no longer configured: change its kind"));
        };
        let agencies: Vec<OrganisationId> = i.agencies.iter().map(|a| a.id).collect();
        let new = input.validate(kind, &agencies)?;
        let mut tx = self.store.write().await?;
        if st::judgements(&mut tx, id).await?.len() >= MAX_JUDGEMENTS {
            return Err(CoreError::field("area", format!("An inspection records at most {MAX_JUDGEMENTS} judgements")));
        }
        let jid = st::insert_judgement(&mut tx, id, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "inspection_judgement",
                Some(jid.to_string()),
                Some(i.partnership_id),
                json!({"inspection_id": id, "area": new.area, "grade": new.grade,
                       "organisation_id": new.organisation_id.map(|o| o.0)}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(jid)
    }

    /// Removes a judgement recorded in error.
    pub async fn remove_judgement(&self, ctx: &Ctx, id: i64, judgement: i64) -> CoreResult<()> {
        let i = self.inspection_to_change(ctx, id).await?;
        let mut tx = self.store.write().await?;
        if !st::delete_judgement(&mut tx, id, judgement).await? {
            return Err(CoreError::NotFound);
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "delete",
                "inspection_judgement",
                Some(judgement.to_string()),
                Some(i.partnership_id),
                json!({"inspection_id": id}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records one of the inspection's recommendations on the partnership's plan; its actions
    /// are then added to it like any recommendation's.
    pub async fn add_inspection_recommendation(
        &self,
        ctx: &Ctx,
        id: i64,
        input: &RecommendationInput,
    ) -> CoreResult<RecommendationId> {
        let i = self.inspection_to_change(ctx, id).await?;
        self.insert_recommendation(ctx, i.partnership_id, ls::Origin::inspection(id), input).await.map(RecommendationId)
    }

    /// An agency's grades over time in the partnership, from the inspections the actor may read.
    pub async fn agency_grades(&self, ctx: &Ctx, p: PartnershipId, org: OrganisationId) -> CoreResult<GradeHistory> {
        ctx.authorize(Action::View, &Target::new(K::Inspection, p))?;
        let orgs = self.every_organisation(ctx, p).await?;
        let name = orgs.iter().find(|o| o.id == org).map(|o| o.name.clone()).ok_or(CoreError::NotFound)?;
        let lines = {
            let mut conn = self.store.read().await?;
            st::grades_of(&mut conn, p, org).await?
        };
        let unpublished_seen =
            can(&ctx.actor, Action::View, &Target::new(K::Inspection, p).restricted(true).organisation(Some(org)));
        let lines: Vec<Graded> = lines
            .into_iter()
            .filter(|l| l.published_on.is_some() || unpublished_seen)
            .map(|line| Graded {
                kind: types().name_of(&line.type_code),
                rank: types().get(&line.type_code).zip(line.grade.as_deref()).and_then(|(t, g)| t.rank(g)),
                line,
            })
            .collect();
        let unpublished: Vec<i64> = {
            let mut ids: Vec<i64> =
                lines.iter().filter(|l| l.line.published_on.is_none()).map(|l| l.line.inspection_id).collect();
            ids.dedup();
            ids
        };
        if !unpublished.is_empty() {
            self.log_read(ctx, "inspection", None, Some(p), json!({"ids": unpublished, "part": "grades"})).await?;
        }
        Ok(GradeHistory { organisation: org, organisation_name: name, lines })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_kinds_of_inspection_are_valid() {
        let shipped: assure_domain::inspections::InspectionTypes =
            toml::from_str(super::SHIPPED).expect("config/inspections.toml parses");
        assert_eq!(shipped.check(), Ok(()));
        assert_eq!(super::types(), &shipped, "read whole, not the empty fallback");
        for code in ["ofsted_ilacs", "ofsted_sif", "jtai", "cqc_clas", "hmicfrs_peel", "hmic_child_protection"] {
            assert!(shipped.get(code).is_some(), "{code}");
        }
        assert!(!shipped.get("jtai").unwrap().grades(), "a JTAI reports findings without grades");
    }
}
