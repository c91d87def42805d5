//! The risks on a register: adding and editing one, its owner's review of its rating (every
//! rating kept, with who, when and why), its status, its controls, and the plan's actions that
//! treat it; one risk's page with its history; and the reminders of reviews falling due.

use std::collections::HashMap;

use assure_domain::risks::{
    ControlInput, MAX_CONTROLS, MAX_RISKS, NewRisk, Rating, RatingInput, RatingKind, RiskInput, StatusInput,
};
use assure_domain::structure::Choice;
use assure_domain::validation::long_date;
use assure_domain::{
    Action, ActionId, PartnershipId, ResourceKind as K, RiskControlId, RiskId, RiskRegisterId, Role, Target, UserId,
};
use assure_store::audit_log;
use assure_store::risks::{self as st, NewRatingEntry, RiskFields};
use chrono::NaiveDate;
use serde_json::json;

use super::{LinkedAction, MatrixVersion, RatingEntry, Register, Risk, RiskLine, of_register};
use crate::{Core, CoreError, CoreResult, Ctx};

/// What the rules need to know to let someone review a risk's rating: its owner may.
fn rating_target(risk: &Risk, ctx: &Ctx) -> Target {
    Target::new(K::RiskRating, risk.partnership_id)
        .owner(risk.owner_user_id.is_some() && risk.owner_user_id == ctx.user_id())
}

/// One rating in a risk's history, with the rating of its kind before it.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub entry: RatingEntry,
    pub from: Option<Rating>,
    /// The version of the matrix it was made under.
    pub matrix_version: i64,
}

/// One risk's page.
#[derive(Debug, Clone)]
pub struct RiskView {
    pub register: Register,
    pub line: RiskLine,
    /// The register's matrix as it now is, and every version (for past ratings).
    pub matrix: MatrixVersion,
    /// Every rating given, the latest first.
    pub history: Vec<HistoryEntry>,
    /// The current rating at each review, in order (for the history chart).
    pub currents: Vec<(NaiveDate, Rating)>,
    pub can_edit: bool,
    pub can_rate: bool,
}

impl Core {
    /// Adds a risk to a register, with its first ratings (on the register's matrix as it now is).
    pub async fn add_risk(&self, ctx: &Ctx, register: RiskRegisterId, input: &RiskInput) -> CoreResult<RiskId> {
        let mut tx = self.store.write().await?;
        let g = st::register(&mut tx, register).await?;
        ctx.authorize(Action::Create, &of_register(g.partnership_id))?;
        let matrix = st::matrix(&mut tx, register).await?;
        let new = input.validate(&matrix.matrix, self.today())?;
        if st::risk_count(&mut tx, register).await? >= MAX_RISKS as i64 {
            return Err(CoreError::field("reference", format!("A register holds at most {MAX_RISKS} risks")));
        }
        let owner = self.risk_fields_checked(&mut tx, &g, &new.details).await?;
        let d = &new.details;
        let fields = RiskFields {
            category_id: d.category_id,
            reference: &d.reference,
            title: &d.title,
            consequence: d.consequence.as_deref(),
            owner: &d.owner,
            owner_user_id: owner,
            target_date: d.target_date,
            review_on: d.review_on,
        };
        let id = st::insert_risk(&mut tx, register, &fields, &ctx.name)
            .await
            .map_err(|e| CoreError::on_unique(e, "reference", "The register already has a risk with that reference"))?;
        write_first_ratings(&mut tx, id, matrix.id, &new, self.today(), &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "risk",
                Some(id.to_string()),
                Some(g.partnership_id),
                json!({"register_id": register, "reference": d.reference, "current": new.current.words(),
                       "target": new.target.map(|t| t.words()), "owner_user_id": owner}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The category is the register's and the owner's account is in the partnership.
    async fn risk_fields_checked(
        &self,
        conn: &mut assure_store::Conn,
        g: &Register,
        d: &assure_domain::risks::RiskDetails,
    ) -> CoreResult<Option<UserId>> {
        let categories = st::categories(conn, g.id).await?;
        if !categories.iter().any(|c| c.id == d.category_id) {
            return Err(CoreError::field("category_id", "Select the category from the register's list"));
        }
        match &d.owner_email {
            None => Ok(None),
            Some(email) => crate::accounts::account_in_partnership(conn, g.partnership_id, email)
                .await?
                .map(Some)
                .map_err(|m| CoreError::field("owner_email", m)),
        }
    }

    /// Edits a risk's own fields (its ratings change only by review). `seen` is the version the
    /// person read, if they say.
    pub async fn update_risk(&self, ctx: &Ctx, id: RiskId, input: &RiskInput, seen: Option<&str>) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let risk = st::risk(&mut tx, id).await?;
        ctx.authorize(Action::Update, &of_register(risk.partnership_id))?;
        let d = input.validate_details(self.today())?;
        crate::still_as_seen(seen, &risk)?;
        let g = st::register(&mut tx, risk.register_id).await?;
        let owner = self.risk_fields_checked(&mut tx, &g, &d).await?;
        let fields = RiskFields {
            category_id: d.category_id,
            reference: &d.reference,
            title: &d.title,
            consequence: d.consequence.as_deref(),
            owner: &d.owner,
            owner_user_id: owner,
            target_date: d.target_date,
            review_on: d.review_on,
        };
        st::update_risk(&mut tx, id, &fields, &ctx.name)
            .await
            .map_err(|e| CoreError::on_unique(e, "reference", "The register already has a risk with that reference"))?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "risk",
                Some(id.to_string()),
                Some(risk.partnership_id),
                json!({"reference": d.reference, "owner_user_id": owner, "review_on": d.review_on}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A review of a risk's rating, by its owner or the business unit: the current rating
    /// (changed, or confirmed as it stands), the target if it changes, why, and the next review
    /// date. Every rating is kept with who gave it, when and why.
    pub async fn rate_risk(&self, ctx: &Ctx, id: RiskId, input: &RatingInput) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let risk = st::risk(&mut tx, id).await?;
        ctx.authorize(Action::Create, &rating_target(&risk, ctx))?;
        if risk.status == assure_domain::risks::Status::Closed {
            return Err(CoreError::field("reason", "The risk is closed: reopen it before reviewing its rating"));
        }
        let matrix = st::matrix(&mut tx, risk.register_id).await?;
        let history = st::ratings_of_risk(&mut tx, id).await?;
        let latest = |kind: RatingKind| history.iter().rev().find(|r| r.kind == kind).map(|r| r.rating);
        let target_now = latest(RatingKind::Target).filter(|t| matrix.matrix.holds(*t));
        let new = input.validate(&matrix.matrix, target_now, self.today())?;
        let today = self.today();
        let from = latest(RatingKind::Current);
        st::insert_rating(
            &mut tx,
            id,
            &NewRatingEntry {
                matrix_id: matrix.id,
                kind: RatingKind::Current,
                rating: new.current,
                rated_on: today,
                reason: Some(&new.reason),
            },
            &ctx.name,
        )
        .await?;
        let target_changed = new.target.filter(|t| Some(*t) != latest(RatingKind::Target));
        if let Some(t) = target_changed {
            let why = new.target_reason.as_deref().unwrap_or(&new.reason);
            st::insert_rating(
                &mut tx,
                id,
                &NewRatingEntry {
                    matrix_id: matrix.id,
                    kind: RatingKind::Target,
                    rating: t,
                    rated_on: today,
                    reason: Some(why),
                },
                &ctx.name,
            )
            .await?;
        }
        st::set_review_on(&mut tx, id, new.review_on, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "rate",
                "risk",
                Some(id.to_string()),
                Some(risk.partnership_id),
                json!({"from": from.map(|r| r.words()), "to": new.current.words(),
                       "target": target_changed.map(|t| t.words()), "reason": new.reason,
                       "review_on": new.review_on, "matrix_version": matrix.version}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Opens, tolerates or closes a risk (the last two with the reason).
    pub async fn set_risk_status(&self, ctx: &Ctx, id: RiskId, input: &StatusInput) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let risk = st::risk(&mut tx, id).await?;
        ctx.authorize(Action::Update, &of_register(risk.partnership_id))?;
        let (status, reason) = input.validate()?;
        st::set_status(&mut tx, id, status, reason.as_deref(), &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "status",
                "risk",
                Some(id.to_string()),
                Some(risk.partnership_id),
                json!({"from": risk.status.code(), "to": status.code(), "reason": reason}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a control to a risk.
    pub async fn add_risk_control(&self, ctx: &Ctx, id: RiskId, input: &ControlInput) -> CoreResult<RiskControlId> {
        let mut tx = self.store.write().await?;
        let risk = st::risk(&mut tx, id).await?;
        ctx.authorize(Action::Update, &of_register(risk.partnership_id))?;
        let new = input.validate()?;
        if st::controls(&mut tx, risk.register_id, Some(id)).await?.len() >= MAX_CONTROLS {
            return Err(CoreError::field("description", format!("A risk lists at most {MAX_CONTROLS} controls")));
        }
        let control = st::insert_control(&mut tx, id, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "control",
                "risk",
                Some(id.to_string()),
                Some(risk.partnership_id),
                json!({"added": control, "in_place": new.in_place}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(control)
    }

    /// Changes a control (its text, owner, timeframe, whether it is in place), or removes it
    /// (`input` none).
    pub async fn change_risk_control(
        &self,
        ctx: &Ctx,
        control: RiskControlId,
        input: Option<&ControlInput>,
    ) -> CoreResult<RiskId> {
        let mut tx = self.store.write().await?;
        let c = st::control(&mut tx, control).await?;
        let risk = st::risk(&mut tx, c.risk_id).await?;
        ctx.authorize(Action::Update, &of_register(risk.partnership_id))?;
        let detail = match input {
            Some(input) => {
                let new = input.validate()?;
                st::update_control(&mut tx, control, &new, &ctx.name).await?;
                json!({"changed": control, "in_place": new.in_place})
            }
            None => {
                st::delete_control(&mut tx, control).await?;
                json!({"removed": control, "description": c.description})
            }
        };
        audit_log::append(
            &mut tx,
            ctx.entry("control", "risk", Some(risk.id.to_string()), Some(risk.partnership_id), detail),
        )
        .await?;
        tx.commit().await?;
        Ok(risk.id)
    }

    /// The risk a control is on, for whoever may see the register.
    pub async fn risk_of_control(&self, ctx: &Ctx, control: RiskControlId) -> CoreResult<RiskId> {
        let mut conn = self.store.read().await?;
        let c = st::control(&mut conn, control).await?;
        let risk = st::risk(&mut conn, c.risk_id).await?;
        ctx.authorize(Action::View, &of_register(risk.partnership_id))?;
        Ok(risk.id)
    }

    /// Links an action on the partnership's plan to a risk it treats, or unlinks it.
    pub async fn link_risk_action(&self, ctx: &Ctx, id: RiskId, action: ActionId, link: bool) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let risk = st::risk(&mut tx, id).await?;
        ctx.authorize(Action::Update, &of_register(risk.partnership_id))?;
        if link {
            crate::learning::check_plan_action(&mut tx, action, risk.partnership_id).await?;
            st::link_action(&mut tx, id, action, &ctx.name)
                .await
                .map_err(|e| CoreError::on_unique(e, "action_id", "That action is already linked to the risk"))?;
        } else {
            st::unlink_action(&mut tx, id, action).await?;
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                if link { "link_action" } else { "unlink_action" },
                "risk",
                Some(id.to_string()),
                Some(risk.partnership_id),
                json!({"action_id": action}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One risk with its whole history.
    pub async fn risk(&self, ctx: &Ctx, id: RiskId) -> CoreResult<RiskView> {
        let mut conn = self.store.read().await?;
        let risk = st::risk(&mut conn, id).await?;
        ctx.authorize(Action::View, &of_register(risk.partnership_id))?;
        let register = st::register(&mut conn, risk.register_id).await?;
        let matrices = st::matrices(&mut conn, risk.register_id).await?;
        let categories = st::categories(&mut conn, risk.register_id).await?;
        let all = st::ratings_of_risk(&mut conn, id).await?;
        let controls = st::controls(&mut conn, risk.register_id, Some(id)).await?;
        let actions = st::linked_actions(&mut conn, risk.register_id, Some(id)).await?;
        drop(conn);
        let matrix =
            matrices.last().cloned().ok_or_else(|| CoreError::Internal("a register without a matrix".into()))?;
        let by_id: HashMap<i64, &MatrixVersion> = matrices.iter().map(|m| (m.id, m)).collect();
        let appetite = categories.iter().find(|c| c.id == risk.category_id).and_then(|c| c.appetite);
        let mut history = Vec::new();
        let mut before: HashMap<RatingKind, Rating> = HashMap::new();
        for e in &all {
            history.push(HistoryEntry {
                from: before.insert(e.kind, e.rating),
                matrix_version: by_id.get(&e.matrix_id).map_or(0, |m| m.version),
                entry: e.clone(),
            });
        }
        history.reverse();
        let currents = all.iter().filter(|e| e.kind == RatingKind::Current).map(|e| (e.rated_on, e.rating)).collect();
        let mut controls_of = HashMap::from([(id, controls)]);
        let mut actions_of: HashMap<RiskId, Vec<LinkedAction>> = HashMap::from([(id, actions)]);
        let can_edit = crate::can(&ctx.actor, Action::Update, &of_register(risk.partnership_id));
        let can_rate = risk.status != assure_domain::risks::Status::Closed
            && crate::can(&ctx.actor, Action::Create, &rating_target(&risk, ctx));
        let line =
            super::line(risk, &all, &by_id, matrix.id, appetite, self.today(), &mut controls_of, &mut actions_of);
        Ok(RiskView { register, line, matrix, history, currents, can_edit, can_rate })
    }

    /// The open risks the signed-in person owns, in a partnership (for their tasks).
    pub async fn my_risks(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<Risk>> {
        let Some(user) = ctx.user_id() else { return Ok(Vec::new()) };
        ctx.authorize(Action::View, &of_register(p))?;
        let mut conn = self.store.read().await?;
        Ok(st::risks_owned(&mut conn, p, user).await?)
    }

    /// Reminders of risks' reviews: to the owner and the business unit, as each falls due within
    /// ten working days and when overdue.
    pub(crate) async fn risk_reminder_events(
        &self,
        conn: &mut assure_store::Conn,
        p: PartnershipId,
        today: NaiveDate,
        cal: &assure_domain::reviews::calendar::WorkingCalendar,
    ) -> CoreResult<Vec<crate::reminders::Event>> {
        let horizon = cal.add_working_days(today, 10);
        let due = st::risks_due(conn, p, horizon).await?;
        if due.is_empty() {
            return Ok(Vec::new());
        }
        let business_unit = assure_store::reminders::holders(conn, p, Role::BusinessUnit.code(), None).await?;
        let mut events = Vec::new();
        for r in due {
            let Some(phase) = crate::reminders::due_phase(today, r.review_on, 10, cal) else { continue };
            let mut recipients = business_unit.clone();
            if let Some(owner) = r.owner_user_id
                && let Some(owner) = assure_store::reminders::active_user(conn, owner).await?
            {
                recipients = crate::reminders::merge(vec![owner], recipients);
            }
            events.push(crate::reminders::Event {
                key: format!("risks:review:{}:{}:{}", r.id, r.review_on, phase.code()),
                partnership: p,
                message: format!(
                    "The review of risk {} ({}) {}.",
                    r.reference,
                    r.category_name,
                    crate::reminders::wording(phase, r.review_on)
                ),
                link: format!("/risks/{}#review", r.id),
                recipients,
            });
        }
        Ok(events)
    }
}

/// A new risk's first ratings: inherent (when given), current and target, rated today.
async fn write_first_ratings(
    tx: &mut assure_store::WriteTx,
    id: RiskId,
    matrix_id: i64,
    new: &NewRisk,
    today: NaiveDate,
    by: &str,
) -> CoreResult<()> {
    let first = "First rated when the risk was added";
    let entries = [
        new.inherent.map(|r| (RatingKind::Inherent, r, first)),
        Some((RatingKind::Current, new.current, first)),
        new.target.map(|r| (RatingKind::Target, r, new.target_reason.as_deref().unwrap_or(first))),
    ];
    for (kind, rating, reason) in entries.into_iter().flatten() {
        st::insert_rating(
            tx,
            id,
            &NewRatingEntry { matrix_id, kind, rating, rated_on: today, reason: Some(reason) },
            by,
        )
        .await?;
    }
    Ok(())
}

/// How a review date reads in a sentence.
pub fn review_words(on: NaiveDate, today: NaiveDate) -> String {
    if on < today { format!("overdue since {}", long_date(on)) } else { format!("due {}", long_date(on)) }
}
