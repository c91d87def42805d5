//! The learning loop: a review's recommendations become actions owned by agencies; each agency
//! lead reports progress and evidence of impact on their own organisation's actions; the owning
//! subgroup judges the evidence; the Consolidated Action Plan shows every open action.
//!
//! The plan belongs to the whole partnership: everyone in it reads it. A recommendation's
//! source review is named only to those who may see that review; to everyone else it is "a
//! case review" of its type.

mod counts;
mod evidence;
mod papers;
mod reminders;

pub use papers::PAPER_MOST;

pub use counts::PlanCounts;

use assure_domain::{
    Action, ActionId, BodyId, FieldErrors, OrganisationId, PartnershipId, RecommendationId, ReviewId, Role, Scope,
    Target, can,
};
use std::collections::HashMap;

use assure_domain::authz::ResourceKind as K;
use assure_domain::learning::{
    self, ActionInput, ActionStatus, EvidenceInput, JudgementInput, MilestoneInput, PlanFilter, ProgressInput,
    RecommendationInput,
};
use assure_store::audit_log;
use assure_store::learning::{self as st, Evidence, FileMeta, Milestone, PlanAction, Recommendation, Update};
use assure_store::reviews as rs;
use base64::Engine;
use serde::Serialize;
use serde_json::json;
use sha2::Digest;

use crate::{Core, CoreError, CoreResult, Ctx};

/// Where a recommendation came from, as this actor may know it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub kind: learning::PlanSource,
    /// "Local child safeguarding practice review: Child H", or only the type when the actor may
    /// not see the review.
    pub label: String,
    /// The review's page, when the actor may see it.
    pub review_id: Option<i64>,
    /// The audit campaign's page, for a campaign's finding.
    pub campaign_id: Option<i64>,
    /// The inspection's page, when the actor may see it.
    pub inspection_id: Option<i64>,
}

impl Source {
    fn of(kind: learning::PlanSource, label: String) -> Self {
        Source { kind, label, review_id: None, campaign_id: None, inspection_id: None }
    }
}

/// An action as the plan shows it to one actor.
#[derive(Debug, Clone, Serialize)]
pub struct PlanItem {
    #[serde(flatten)]
    pub action: PlanAction,
    pub source: Source,
    pub overdue: bool,
    /// This actor may record progress and evidence on it.
    pub can_update: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecommendationItem {
    pub recommendation: Recommendation,
    pub actions: Vec<PlanItem>,
}

/// One action with everything its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct ActionDetail {
    pub item: PlanItem,
    pub recommendation: Recommendation,
    pub milestones: Vec<Milestone>,
    pub updates: Vec<Update>,
    pub evidence: Vec<Evidence>,
    /// This actor may judge the evidence (the owning subgroup's members and the business unit).
    pub can_judge: bool,
    /// Changes agreed since the action was set, newest first.
    pub revisions: Vec<st::Revision>,
    /// This actor may revise the action itself (the business unit).
    pub can_revise: bool,
    /// The owner's account, if the action has one.
    pub owner_email: Option<String>,
}

/// A revision of an action: its new fields and why they changed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ActionRevisionInput {
    #[serde(flatten)]
    pub action: ActionInput,
    pub reason: String,
}

/// A file attached to evidence, as uploaded.
#[derive(Debug, Clone)]
pub struct UploadFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Attachments a piece of evidence may carry, and the largest one.
pub const MAX_FILES: usize = 5;
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

impl UploadFile {
    /// What stops the file being kept as a document (evidence, an answer's file, what an agency
    /// sends, a review's terms of reference), naming it: empty, larger than [`MAX_FILE_BYTES`],
    /// or not the document, image, spreadsheet or text file its name says.
    pub(crate) fn problem(&self) -> Option<String> {
        let name = clean_file_name(&self.name);
        if self.bytes.is_empty() {
            Some(format!("The file {name} is empty"))
        } else if self.bytes.len() > MAX_FILE_BYTES {
            Some(format!("The file {name} must be smaller than {} MB", MAX_FILE_BYTES >> 20))
        } else {
            assure_domain::files::check_upload(&name, &self.bytes).err()
        }
    }

    /// The content type kept with the file: the one sent, unless it is missing or too long to be one.
    pub(crate) fn content_type_to_keep(&self) -> &str {
        if self.content_type.is_empty() || self.content_type.len() > 100 {
            "application/octet-stream"
        } else {
            &self.content_type
        }
    }
}

fn action_target(a: &PlanAction) -> Target {
    Target::new(K::PlanAction, a.partnership_id).organisation(Some(OrganisationId(a.organisation_id)))
}

/// What a revision of an action changes (its wording, lead, owner and target date): the part
/// whose version a revision is checked against, so that progress reported meanwhile does not
/// stop it.
pub fn revisable(a: &PlanAction) -> impl serde::Serialize + use<> {
    (a.text.clone(), a.organisation_id, a.owner.clone(), a.owner_user_id, a.target_on)
}

/// A file's name without any path, control characters or quotes, at most 200 characters.
pub(crate) fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String =
        base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '|')).take(200).collect();
    let cleaned = cleaned.trim().to_owned();
    if cleaned.is_empty() { "attachment".into() } else { cleaned }
}

/// Checks that `action` is on the plan of partnership `p`, as something is linked to it (a risk it
/// treats, a challenge that produced it): refused by field `action_id` otherwise.
pub(crate) async fn check_plan_action(
    conn: &mut assure_store::Conn,
    action: assure_domain::ActionId,
    p: PartnershipId,
) -> CoreResult<()> {
    match st::action(conn, action.0).await {
        Ok(a) if a.partnership_id == p => Ok(()),
        Ok(_) | Err(assure_store::StoreError::NotFound) => {
            Err(CoreError::field("action_id", "Enter the number of an action on the partnership's plan"))
        }
        Err(e) => Err(e.into()),
    }
}

impl Core {
    /// How each of these reviews of the partnership is named to this actor (only those asked
    /// for are read: a page's worth, never the whole partnership's).
    pub(crate) async fn sources(&self, ctx: &Ctx, p: PartnershipId, ids: &[i64]) -> CoreResult<HashMap<i64, Source>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut conn = self.store.read().await?;
        let panels = match ctx.user_id() {
            Some(u) => rs::panels_of(&mut conn, u).await?,
            None => Vec::new(),
        };
        drop(conn);
        // The reviews as the partnership's caseload keeps them: no statement per page of names.
        let caseload = self.caseload(ctx, p).await?;
        Ok(ids
            .iter()
            .filter_map(|id| caseload.review(*id))
            .map(|r| {
                let type_name = self
                    .review_types()
                    .get(&r.type_code)
                    .map(|t| t.name.clone())
                    .unwrap_or_else(|| r.type_code.clone());
                let target = Target::new(K::Review, p).on_panel(panels.contains(&r.id.0));
                let source = if can(&ctx.actor, Action::View, &target) {
                    Source {
                        review_id: Some(r.id.0),
                        ..Source::of(learning::PlanSource::Review, format!("{type_name}: {}", r.subject))
                    }
                } else {
                    Source::of(learning::PlanSource::Review, format!("A case review ({type_name})"))
                };
                (r.id.0, source)
            })
            .collect())
    }

    /// Logs the reviews whose names `items` show (a review's name is part of a restricted record).
    async fn log_named_reviews(&self, ctx: &Ctx, p: PartnershipId, items: &[PlanItem]) -> CoreResult<()> {
        let ids: std::collections::BTreeSet<i64> = items.iter().filter_map(|i| i.source.review_id).collect();
        if ids.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = ids.into_iter().collect();
        self.log_read(ctx, "review", None, Some(p), json!({"ids": ids, "part": "plan"})).await
    }

    pub(crate) fn item(&self, ctx: &Ctx, action: PlanAction, sources: &HashMap<i64, Source>) -> PlanItem {
        use learning::PlanSource as S;
        let source = match (action.review_id, action.campaign_id, action.inspection_id) {
            (Some(id), _, _) => sources.get(&id).cloned(),
            (None, Some(c), _) => Some(Source {
                campaign_id: Some(c),
                ..Source::of(S::Audit, format!("Audit: {}", action.campaign_title.clone().unwrap_or_default()))
            }),
            (None, None, Some(i)) => Some(
                // An inspection's findings are public once its report is; before that, only those
                // who see every unpublished inspection are told which it was.
                if action.inspection_published_on.is_some()
                    || can(
                        &ctx.actor,
                        Action::View,
                        &Target::new(K::Inspection, action.partnership_id).restricted(true),
                    )
                {
                    Source {
                        inspection_id: Some(i),
                        ..Source::of(
                            S::Inspection,
                            format!("Inspection: {}", action.inspection_title.clone().unwrap_or_default()),
                        )
                    }
                } else {
                    Source::of(S::Inspection, "An inspection not yet published".into())
                },
            ),
            (None, None, None) => None,
        }
        .unwrap_or(Source::of(S::Partnership, "The partnership".into()));
        PlanItem {
            overdue: learning::is_overdue(action.status, action.target_on, self.today()),
            can_update: can(&ctx.actor, Action::Update, &action_target(&action)),
            source,
            action,
        }
    }

    /// A review's recommendations with their actions. Part of the restricted review: the read is logged.
    pub async fn review_recommendations(&self, ctx: &Ctx, review_id: ReviewId) -> CoreResult<Vec<RecommendationItem>> {
        let review_id = review_id.0;
        let review = self.review_summary(ctx, review_id).await?;
        let sources = self.sources(ctx, review.partnership_id, &[review_id]).await?;
        let mut conn = self.store.read().await?;
        let recs = st::recommendations_of_review(&mut conn, review_id).await?;
        let mut actions = st::actions_of_review(&mut conn, review_id).await?;
        drop(conn);
        let out = recs
            .into_iter()
            .map(|recommendation| {
                let (mine, rest): (Vec<_>, Vec<_>) =
                    actions.drain(..).partition(|a| a.recommendation_id == recommendation.id.0);
                actions = rest;
                RecommendationItem {
                    actions: mine.into_iter().map(|a| self.item(ctx, a, &sources)).collect(),
                    recommendation,
                }
            })
            .collect();
        self.log_read(
            ctx,
            "review",
            Some(review_id.to_string()),
            Some(review.partnership_id),
            json!({"part": "recommendations"}),
        )
        .await?;
        Ok(out)
    }

    /// Checks that a body and a theme belong to the partnership.
    pub(crate) async fn check_body_and_theme(
        &self,
        p: PartnershipId,
        body: i64,
        theme: Option<i64>,
        errors: &mut FieldErrors,
    ) -> CoreResult<()> {
        let mut conn = self.store.read().await?;
        match assure_store::structure::body(&mut conn, BodyId(body)).await {
            Ok(b) if b.partnership_id == p && b.ended_on.is_none() => {}
            Ok(_) | Err(assure_store::StoreError::NotFound) => {
                errors.add("body_id", "Select the subgroup that owns it from the list")
            }
            Err(e) => return Err(e.into()),
        }
        if let Some(theme) = theme
            && !rs::themes(&mut conn, p).await?.iter().any(|t| t.id == theme)
        {
            errors.add("theme_id", "Select the theme from the list");
        }
        Ok(())
    }

    /// Refuses a number another recommendation of the same review or inspection already has.
    /// (An audit's findings are numbered by the framework section they are about, which several
    /// share.) Run inside the write, so two people cannot both take one number; a unique index
    /// backs it.
    async fn check_number_free(
        tx: &mut assure_store::Conn,
        origin: st::Origin,
        number: &str,
        except: Option<i64>,
    ) -> CoreResult<()> {
        if st::number_taken(tx, origin, number, except).await? {
            let on = if origin.review_id.is_some() { "review" } else { "inspection" };
            return Err(CoreError::field(
                "number",
                format!("Recommendation {number} is already on this {on}: give this one another number"),
            ));
        }
        Ok(())
    }

    /// Adds a recommendation to a review.
    pub async fn add_recommendation(
        &self,
        ctx: &Ctx,
        review_id: ReviewId,
        input: &RecommendationInput,
    ) -> CoreResult<RecommendationId> {
        let review_id = review_id.0;
        let p = self.authorize_review_update(ctx, ReviewId(review_id)).await?;
        self.insert_recommendation(ctx, p, st::Origin::review(review_id), input).await.map(RecommendationId)
    }

    /// Checks and stores a recommendation of a review or an audit, and logs it. The caller has
    /// checked that the actor may change its source.
    pub(crate) async fn insert_recommendation(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        origin: st::Origin,
        input: &RecommendationInput,
    ) -> CoreResult<i64> {
        ctx.authorize(Action::Create, &Target::new(K::Recommendation, p))?;
        let new = input.validate()?;
        let mut errors = FieldErrors::new();
        self.check_body_and_theme(p, new.body_id, new.theme_id, &mut errors).await?;
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.store.write().await?;
        Self::check_number_free(&mut tx, origin, &new.number, None).await?;
        let id = st::insert_recommendation(&mut tx, p, origin, &new).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "recommendation",
                Some(id.to_string()),
                Some(p),
                json!({"review_id": origin.review_id, "campaign_id": origin.campaign_id,
                       "inspection_id": origin.inspection_id, "number": new.number,
                       "scope": new.scope}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records a recommendation and its first action together, all or nothing: both are checked
    /// before either is written (a deep dive asked of one organisation, say).
    pub(crate) async fn insert_recommendation_with_action(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        origin: st::Origin,
        rec: &RecommendationInput,
        action: &ActionInput,
    ) -> CoreResult<(i64, i64)> {
        ctx.authorize(Action::Create, &Target::new(K::Recommendation, p))?;
        ctx.authorize(Action::Create, &Target::new(K::PlanAction, p))?;
        let mut errors = FieldErrors::new();
        let new_rec = rec.validate().map_err(|e| errors.merge(e)).ok();
        let new_action = action.validate().map_err(|e| errors.merge(e)).ok();
        if let Some(r) = &new_rec {
            self.check_body_and_theme(p, r.body_id, r.theme_id, &mut errors).await?;
        }
        let owner_user = match &new_action {
            Some(a) => match self.check_lead_and_owner(p, a).await {
                Ok(owner) => owner,
                Err(CoreError::Invalid(e)) => {
                    errors.merge(e);
                    None
                }
                Err(e) => return Err(e),
            },
            None => None,
        };
        let (Some(new_rec), Some(new_action)) = (new_rec, new_action) else { return Err(errors.into()) };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.store.write().await?;
        Self::check_number_free(&mut tx, origin, &new_rec.number, None).await?;
        let rec_id = st::insert_recommendation(&mut tx, p, origin, &new_rec).await?;
        let action_id = st::insert_action(&mut tx, rec_id, &new_action, owner_user).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "action",
                Some(action_id.to_string()),
                Some(p),
                json!({"recommendation_id": rec_id, "number": new_rec.number, "organisation_id": new_action.organisation_id,
                       "target_on": new_action.target_on}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok((rec_id, action_id))
    }

    /// Adds an action to a recommendation: its lead organisation, named owner and target date.
    pub async fn add_action(
        &self,
        ctx: &Ctx,
        recommendation_id: RecommendationId,
        input: &ActionInput,
    ) -> CoreResult<ActionId> {
        let recommendation_id = recommendation_id.0;
        let mut conn = self.store.read().await?;
        let rec = st::recommendation(&mut conn, recommendation_id).await?;
        drop(conn);
        ctx.authorize(Action::View, &Target::new(K::Recommendation, rec.partnership_id))?;
        ctx.authorize(Action::Create, &Target::new(K::PlanAction, rec.partnership_id))?;
        if rec.decision == learning::RecDecision::NotImplement {
            return Err(CoreError::field(
                "action",
                "It was decided not to implement this recommendation: record it as to be implemented first",
            ));
        }
        let new = input.validate()?;
        let owner_user = self.check_lead_and_owner(rec.partnership_id, &new).await?;
        let mut tx = self.store.write().await?;
        let id = st::insert_action(&mut tx, recommendation_id, &new, owner_user).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "action",
                Some(id.to_string()),
                Some(rec.partnership_id),
                json!({"recommendation_id": recommendation_id, "organisation_id": new.organisation_id,
                       "target_on": new.target_on}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(ActionId(id))
    }

    /// One recommendation, for whoever may read the plan.
    pub async fn recommendation(&self, ctx: &Ctx, id: RecommendationId) -> CoreResult<Recommendation> {
        let id = id.0;
        let mut conn = self.store.read().await?;
        let rec = st::recommendation(&mut conn, id).await?;
        ctx.authorize(Action::View, &Target::new(K::Recommendation, rec.partnership_id))?;
        Ok(rec)
    }

    /// Checks an action's lead organisation and owner's account against the partnership; returns
    /// the owner's account, if named.
    async fn check_lead_and_owner(
        &self,
        p: PartnershipId,
        new: &learning::NewAction,
    ) -> CoreResult<Option<assure_domain::UserId>> {
        let mut errors = FieldErrors::new();
        let mut conn = self.store.read().await?;
        match assure_store::structure::organisation(&mut conn, OrganisationId(new.organisation_id)).await {
            Ok(o) if o.partnership_id == p => {}
            Ok(_) | Err(assure_store::StoreError::NotFound) => {
                errors.add("organisation_id", "Select the lead organisation from the list")
            }
            Err(e) => return Err(e.into()),
        }
        drop(conn);
        let owner_user = match &new.owner_email {
            Some(email) => match self.user_by_email(email).await {
                Ok(u) => {
                    let mut conn = self.store.read().await?;
                    let grants = assure_store::accounts::grants(&mut conn, u.id).await?;
                    if grants.iter().any(|g| g.partnership_id == p) {
                        Some(u.id)
                    } else {
                        errors.add("owner_email", "That account has no role in this partnership");
                        None
                    }
                }
                Err(_) => {
                    errors.add("owner_email", "There is no account with that email address");
                    None
                }
            },
            None => None,
        };
        if errors.is_empty() { Ok(owner_user) } else { Err(errors.into()) }
    }

    /// Changes a recommendation's number, wording, scope, owning subgroup or theme.
    pub async fn update_recommendation(
        &self,
        ctx: &Ctx,
        id: RecommendationId,
        input: &RecommendationInput,
    ) -> CoreResult<()> {
        let id = id.0;
        let rec = self.recommendation(ctx, RecommendationId(id)).await?;
        ctx.authorize(Action::Update, &Target::new(K::Recommendation, rec.partnership_id))?;
        if let Some(review) = rec.review_id {
            self.authorize_review_update(ctx, ReviewId(review)).await?;
        }
        let new = input.validate()?;
        let mut errors = FieldErrors::new();
        self.check_body_and_theme(rec.partnership_id, new.body_id, new.theme_id, &mut errors).await?;
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.store.write().await?;
        let origin = st::Origin::of(&rec);
        Self::check_number_free(&mut tx, origin, &new.number, Some(id)).await?;
        st::update_recommendation(&mut tx, id, &new).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "recommendation",
                Some(id.to_string()),
                Some(rec.partnership_id),
                json!({"number": new.number, "scope": new.scope, "body_id": new.body_id, "theme_id": new.theme_id}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records what the partnership decided about a recommendation: to implement it, or not and
    /// why (the adults' annual report gives the reasons, item (g)). Whoever may change the
    /// recommendation records it.
    pub async fn decide_recommendation(
        &self,
        ctx: &Ctx,
        id: RecommendationId,
        input: &learning::DecisionInput,
    ) -> CoreResult<()> {
        let rec = self.recommendation(ctx, id).await?;
        ctx.authorize(Action::Update, &Target::new(K::Recommendation, rec.partnership_id))?;
        if let Some(review) = rec.review_id {
            self.authorize_review_update(ctx, ReviewId(review)).await?;
        }
        let new = input.validate(self.today())?;
        let mut tx = self.store.write().await?;
        st::decide_recommendation(&mut tx, id.0, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "decide_recommendation",
                "recommendation",
                Some(id.0.to_string()),
                Some(rec.partnership_id),
                json!({"from": assure_domain::structure::Choice::code(rec.decision), "to": assure_domain::structure::Choice::code(new.decision), "decided_on": new.decided_on,
                       "reason_characters": new.reason.as_ref().map(|r| r.chars().count())}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Revises an agreed action (its wording, lead, owner or target date), recording why. The
    /// business unit does this for the partnership; agency leads report progress instead.
    /// Revises an action's wording, lead, owner or target date, with the reason; `seen` is the
    /// version of those the person read ([`revisable`]), if they said.
    pub async fn revise_action(
        &self,
        ctx: &Ctx,
        id: ActionId,
        input: &ActionRevisionInput,
        seen: Option<&str>,
    ) -> CoreResult<()> {
        let id = id.0;
        let before = self.load_action(ctx, id).await?;
        ctx.authorize(Action::Create, &Target::new(K::PlanAction, before.partnership_id))?;
        let mut errors = FieldErrors::new();
        let new = input.action.validate().map_err(|e| {
            for (field, messages) in e.iter() {
                for m in messages {
                    errors.add(field, m.clone());
                }
            }
        });
        let reason = errors.check(
            "reason",
            assure_domain::validation::required_text("the reason for the change", &input.reason, 2000),
        );
        let (Ok(new), Some(reason)) = (new, reason) else { return Err(errors.into()) };
        let owner_user = self.check_lead_and_owner(before.partnership_id, &new).await?;
        let mut changes = Vec::new();
        if new.target_on != before.target_on {
            changes.push(format!(
                "target date {} to {}",
                before.target_on.format("%-d %B %Y"),
                new.target_on.format("%-d %B %Y")
            ));
        }
        if new.organisation_id != before.organisation_id {
            changes.push("lead organisation".to_owned());
        }
        if new.owner != before.owner || owner_user != before.owner_user_id {
            changes.push(format!("owner {} to {}", before.owner, new.owner));
        }
        if new.text != before.text {
            changes.push("wording".to_owned());
        }
        if changes.is_empty() {
            return Err(CoreError::field("reason", "Nothing has changed: change a field, or go back"));
        }
        let changes = changes.join("; ");
        let mut tx = self.store.write().await?;
        crate::still_as_seen(seen, &revisable(&st::action(&mut tx, id).await?))?;
        st::revise_action(&mut tx, id, &new, owner_user, &changes, &reason, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "revise",
                "action",
                Some(id.to_string()),
                Some(before.partnership_id),
                json!({"changes": changes, "target_on": new.target_on, "organisation_id": new.organisation_id}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn load_action(&self, ctx: &Ctx, id: i64) -> CoreResult<PlanAction> {
        let mut conn = self.store.read().await?;
        let action = st::action(&mut conn, id).await?;
        ctx.authorize(Action::View, &action_target(&action))?;
        Ok(action)
    }

    /// One action with its milestones, progress and evidence.
    pub async fn action_detail(&self, ctx: &Ctx, id: ActionId) -> CoreResult<ActionDetail> {
        let id = id.0;
        let action = self.load_action(ctx, id).await?;
        let sources = self.sources(ctx, action.partnership_id, action.review_id.as_slice()).await?;
        let mut conn = self.store.read().await?;
        let recommendation = st::recommendation(&mut conn, action.recommendation_id).await?;
        let milestones = st::milestones(&mut conn, id).await?;
        let updates = st::updates(&mut conn, id).await?;
        let evidence = st::evidence_of(&mut conn, id).await?;
        let revisions = st::revisions(&mut conn, id).await?;
        let owner_email = match action.owner_user_id {
            Some(u) => st::owner_email(&mut conn, u).await?,
            None => None,
        };
        drop(conn);
        let judge = Target::new(K::Judgement, action.partnership_id).body(Some(BodyId(recommendation.body_id)));
        let p = action.partnership_id;
        let can_revise = can(&ctx.actor, Action::Create, &Target::new(K::PlanAction, p));
        let item = self.item(ctx, action, &sources);
        self.log_named_reviews(ctx, p, std::slice::from_ref(&item)).await?;
        Ok(ActionDetail {
            can_judge: can(&ctx.actor, Action::Update, &judge),
            can_revise,
            revisions,
            owner_email,
            item,
            recommendation,
            milestones,
            updates,
            evidence,
        })
    }

    async fn action_for_update(&self, ctx: &Ctx, id: i64) -> CoreResult<PlanAction> {
        let action = self.load_action(ctx, id).await?;
        ctx.authorize(Action::Update, &action_target(&action))?;
        Ok(action)
    }

    /// Records progress on an action, leaving it at the status and RAG given.
    pub async fn record_progress(&self, ctx: &Ctx, id: ActionId, input: &ProgressInput) -> CoreResult<()> {
        let id = id.0;
        let action = self.action_for_update(ctx, id).await?;
        let progress = input.validate()?;
        let completed_on = match progress.status {
            ActionStatus::Completed => Some(action.completed_on.unwrap_or_else(|| self.today())),
            _ => None,
        };
        let mut tx = self.store.write().await?;
        st::insert_update(&mut tx, id, &progress, completed_on, ctx.user_id(), &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "progress",
                "action",
                Some(id.to_string()),
                Some(action.partnership_id),
                json!({"status": progress.status, "rag": progress.rag}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_milestone(&self, ctx: &Ctx, id: ActionId, input: &MilestoneInput) -> CoreResult<()> {
        let id = id.0;
        let action = self.action_for_update(ctx, id).await?;
        let (text, due) = input.validate(action.target_on)?;
        let mut tx = self.store.write().await?;
        let milestone = st::insert_milestone(&mut tx, id, &text, due).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "milestone_add",
                "action",
                Some(id.to_string()),
                Some(action.partnership_id),
                json!({"milestone_id": milestone, "due_on": due}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn complete_milestone(
        &self,
        ctx: &Ctx,
        id: ActionId,
        milestone_id: &str,
        done_on: &str,
    ) -> CoreResult<()> {
        let id = id.0;
        let action = self.action_for_update(ctx, id).await?;
        let mut errors = FieldErrors::new();
        let milestone_id =
            errors.check("milestone_id", assure_domain::validation::required_id("the milestone", milestone_id));
        let done = errors.check("done_on", assure_domain::validation::required_date("the date it was met", done_on));
        if done.is_some_and(|d| d > self.today()) {
            errors.add("done_on", "The date it was met cannot be in the future");
        }
        let (Some(milestone_id), Some(done)) = (milestone_id, done) else { return Err(errors.into()) };
        let mut conn = self.store.read().await?;
        let milestones = st::milestones(&mut conn, id).await?;
        drop(conn);
        match milestones.iter().find(|m| m.id == milestone_id) {
            None => errors.add("milestone_id", "Select the milestone from the list"),
            Some(m) if m.done_on.is_some() => errors.add("milestone_id", "That milestone is already met"),
            Some(_) => {}
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.store.write().await?;
        st::set_milestone_done(&mut tx, milestone_id, done).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "milestone_met",
                "action",
                Some(id.to_string()),
                Some(action.partnership_id),
                json!({"milestone_id": milestone_id, "done_on": done}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The Consolidated Action Plan: one page of the actions matching the filter, and how many match.
    pub async fn plan(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        filter: &PlanFilter,
        page: assure_store::structure::Page,
    ) -> CoreResult<(Vec<PlanItem>, i64)> {
        ctx.authorize(Action::View, &Target::new(K::Recommendation, p))?;
        let today = self.today();
        let mut conn = self.store.read().await?;
        let generation = match ctx.generations {
            Some(g) => g.plan,
            None => st::plan_generation(&mut conn).await?,
        };
        // Counted and read after the generation was, so what is kept is at least as new as its tag.
        let key = (p, filter.clone(), today);
        let total = match self.plan_counts.counts.get(&key, generation) {
            Some(n) => *n,
            None => {
                let n = st::plan_count(&mut conn, p, filter, today).await?;
                *self.plan_counts.counts.put(key.clone(), generation, n)
            }
        };
        let place = (key, page.offset, page.limit);
        let actions = match self.plan_counts.pages.get(&place, generation) {
            Some(kept) => kept,
            None => {
                let read = st::plan(&mut conn, p, filter, today, page).await?;
                if page.limit <= counts::KEPT_PAGE_MOST {
                    self.plan_counts.pages.put(place, generation, read)
                } else {
                    std::sync::Arc::new(read)
                }
            }
        };
        drop(conn);
        let reviews: Vec<i64> = actions.iter().filter_map(|a| a.review_id).collect();
        let sources = self.sources(ctx, p, &reviews).await?;
        let items: Vec<PlanItem> = actions.iter().map(|a| self.item(ctx, a.clone(), &sources)).collect();
        self.log_named_reviews(ctx, p, &items).await?;
        Ok((items, total))
    }

    /// The user's open actions: those they own, and those of the organisations they lead for
    /// that are overdue or due within a month.
    pub async fn my_actions(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<PlanItem>> {
        let Some(user) = ctx.user_id() else { return Ok(Vec::new()) };
        let orgs: Vec<i64> = ctx
            .actor
            .grants
            .iter()
            .filter_map(|g| match (g.role, g.scope) {
                (Role::AgencyLead, Scope::Organisation(gp, o)) if gp == p => Some(o.0),
                _ => None,
            })
            .collect();
        // Only these actions are read: the home page must not scan the whole plan.
        let due_by = self.today() + chrono::Days::new(31);
        let mut conn = self.store.read().await?;
        let mut mine = st::open_actions(&mut conn, p, Some(user)).await?;
        for org in orgs {
            for a in st::open_actions_due(&mut conn, p, org, due_by).await? {
                if !mine.iter().any(|m| m.id == a.id) {
                    mine.push(a);
                }
            }
        }
        drop(conn);
        mine.sort_by_key(|a| (a.target_on, a.id));
        if mine.is_empty() {
            return Ok(Vec::new());
        }
        let reviews: Vec<i64> = mine.iter().filter_map(|a| a.review_id).collect();
        let sources = self.sources(ctx, p, &reviews).await?;
        let items: Vec<PlanItem> = mine.into_iter().map(|a| self.item(ctx, a, &sources)).collect();
        self.log_named_reviews(ctx, p, &items).await?;
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_paths_and_unsafe_characters() {
        assert_eq!(clean_file_name("C:\\Users\\x\\audit \"final\".pdf"), "audit final.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("\u{1}"), "attachment");
    }
}
