//! Case reviews: recording a serious incident or referral, moving it through its stages with
//! who and when, pausing and resuming, the panel, and the statutory clocks and deadlines.
//!
//! Reviews are restricted: only their panel, the business unit, administrators and the
//! scrutineer see them; everyone else gets "not found", and every read is logged.

pub mod calendar;
mod caseload;
pub mod chronology;
pub mod conduct;
pub mod requests;
pub mod themes;

// The records these use-cases return, for the web edge and the CLI (which never name the store).
pub use assure_store::reviews::{Request, Review, Theme};
pub use caseload::Caseloads;

use assure_domain::authz::ResourceKind as K;
use assure_domain::reviews::{
    self as review, Clock, NewReviewInput, Pause, RawReviewType, ReviewType, ReviewTypes, Stage, TransitionInput,
};
use assure_domain::structure::Choice;
use assure_domain::validation::{required_date, required_text};
use assure_domain::{Action, FieldErrors, PartnershipId, RequestId, ReviewId, Target};
use assure_store::audit_log;
use assure_store::reminders::{self as rst, Recipient};
use assure_store::reviews::{self as st, Event, PanelMember, PauseRow};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use crate::reminders::{Event as Reminder, due_phase, merge, phase, wording};
use crate::{Core, CoreError, CoreResult, Ctx};

const SHIPPED: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/review_types.toml"));

#[derive(Deserialize)]
struct TypesFile {
    #[serde(rename = "type")]
    types: Vec<RawReviewType>,
}

/// Parses and checks a review-types file; every problem is reported.
pub fn parse_types(text: &str) -> Result<ReviewTypes, Vec<String>> {
    let file: TypesFile = toml::from_str(text).map_err(|e| vec![e.to_string()])?;
    review::check_types(file.types)
}

/// The review types shipped in `config/review_types.toml`.
pub fn shipped_types() -> Result<ReviewTypes, Vec<String>> {
    parse_types(SHIPPED)
}

/// A review with everything its page shows.
#[derive(Debug, Clone)]
pub struct ReviewDetail {
    pub review: Review,
    pub kind: ReviewType,
    pub clocks: Vec<Clock>,
    pub events: Vec<Event>,
    pub pauses: Vec<PauseRow>,
    pub panel: Vec<PanelMember>,
    pub themes: Vec<assure_store::reviews::Theme>,
    /// Information asked of agencies, each as a clock (due, due soon, overdue, met, met late).
    pub requests: Vec<(st::Request, Clock)>,
    pub paused: bool,
    pub next: Vec<Stage>,
}

impl ReviewDetail {
    /// The ids of the themes the review raised, in the order a change to them is checked
    /// against: their [`crate::version_of`] is the version of the review's themes.
    pub fn review_theme_ids(&self) -> Vec<i64> {
        self.themes.iter().map(|t| t.id).collect()
    }
}

/// What the signed-in user has to do soon.
#[derive(Debug, Clone, Default)]
pub struct Tasks {
    /// Open clocks of the reviews they keep (those who may record a review's dates: the business
    /// unit), overdue or due within ten working days: the soonest [`TASKS_SHOWN`] of them. Those
    /// who only see a review (its panel, agency leads) find its clocks on the deadlines page.
    pub deadlines: Vec<Deadline>,
    /// How many more there are (all of them are on the deadlines page).
    pub more_deadlines: usize,
    /// Information asked of the organisations they act for. The review is not named: an agency
    /// lead who is not on its panel may not know which review it is.
    pub requests: Vec<(st::Request, Clock)>,
}

/// One clock of one review, for the partnership's deadlines page.
#[derive(Debug, Clone)]
pub struct Deadline {
    pub review_id: i64,
    pub subject: String,
    pub type_name: String,
    pub clock: Clock,
}

fn review_target(r: &Review, on_panel: bool) -> Target {
    Target::new(K::Review, r.partnership_id).on_panel(on_panel)
}

/// Whether the actor, on the panels of `panels`, may see the review.
fn may_see(ctx: &Ctx, panels: &[i64], r: &Review) -> bool {
    ctx.authorize(Action::View, &review_target(r, panels.contains(&r.id.0))).is_ok()
}

/// Whether the actor keeps the review's clocks: may record its dates and move it on.
fn may_keep(ctx: &Ctx, panels: &[i64], r: &Review) -> bool {
    ctx.authorize(Action::Update, &review_target(r, panels.contains(&r.id.0))).is_ok()
}

impl Core {
    pub fn review_types(&self) -> &ReviewTypes {
        &self.settings.review_types
    }

    /// Today's date in England, as every clock, deadline, lock and page counts it: between
    /// midnight and one in the morning in summer, the UTC date is still yesterday's.
    pub fn today(&self) -> NaiveDate {
        assure_domain::uk_time::uk_today()
    }

    async fn on_panels(&self, ctx: &Ctx) -> CoreResult<Vec<i64>> {
        let Some(user) = ctx.user_id() else { return Ok(Vec::new()) };
        let mut conn = self.store.read().await?;
        Ok(st::panels_of(&mut conn, user).await?)
    }

    fn kind_of(&self, r: &Review) -> CoreResult<ReviewType> {
        self.review_types()
            .get(&r.type_code)
            .cloned()
            .ok_or_else(|| CoreError::Internal(format!("review {} has the unknown type {}", r.id, r.type_code)))
    }

    /// Records a serious incident or referral: the review starts at "referral".
    pub async fn create_review(&self, ctx: &Ctx, p: PartnershipId, input: &NewReviewInput) -> CoreResult<ReviewId> {
        ctx.authorize(Action::Create, &Target::new(K::Review, p))?;
        let new = input.validate(self.review_types(), self.today())?;
        let mut tx = self.store.write().await?;
        let id = st::insert_review(&mut tx, p, &new, ctx.user_id()).await?;
        st::insert_event(
            &mut tx,
            st::NewEvent {
                review_id: id,
                from: None,
                to: Stage::Referral,
                on: new.aware_on,
                note: new.summary.as_deref(),
                by: ctx.user_id(),
                by_label: &ctx.name,
            },
        )
        .await?;
        // The subject's pseudonym is in the review itself; the log names only the review.
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "review",
                Some(id.to_string()),
                Some(p),
                json!({"type": new.type_code, "arm": new.arm}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(ReviewId(id))
    }

    /// The reviews the actor may see, newest first. Listing them is logged as a read.
    pub async fn reviews(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<(Review, Vec<Clock>)>> {
        let out = self.visible_reviews(ctx, p).await?;
        self.log_reviews_read(ctx, p, out.iter().map(|(r, _)| r.id.0)).await?;
        Ok(out)
    }

    /// Logs a read of the reviews a page or answer names (their subjects are restricted).
    async fn log_reviews_read(&self, ctx: &Ctx, p: PartnershipId, ids: impl Iterator<Item = i64>) -> CoreResult<()> {
        let mut ids: Vec<i64> = ids.collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(());
        }
        self.log_read(ctx, "review", None, Some(p), json!({"ids": ids})).await
    }

    /// The reviews the actor may see, with their clocks, not logged: the caller logs the ones it
    /// names.
    async fn visible_reviews(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<(Review, Vec<Clock>)>> {
        let panels = self.on_panels(ctx).await?;
        let caseload = self.caseload(ctx, p).await?;
        Ok(caseload.reviews.iter().filter(|(r, _)| may_see(ctx, &panels, r)).cloned().collect())
    }

    async fn load(&self, ctx: &Ctx, id: i64) -> CoreResult<(Review, bool)> {
        let panels = self.on_panels(ctx).await?;
        let mut conn = self.store.read().await?;
        let r = st::review(&mut conn, id).await?;
        let on_panel = panels.contains(&r.id.0);
        ctx.authorize(Action::View, &review_target(&r, on_panel))?;
        Ok((r, on_panel))
    }

    /// The review row, for a use-case about one of its parts; not found if the actor may not see it.
    pub(crate) async fn review_summary(&self, ctx: &Ctx, id: i64) -> CoreResult<Review> {
        Ok(self.load(ctx, id).await?.0)
    }

    /// One review with its clocks, history, pauses and panel. Every read is logged.
    pub async fn review(&self, ctx: &Ctx, id: ReviewId) -> CoreResult<ReviewDetail> {
        let id = id.0;
        let (review, _) = self.load(ctx, id).await?;
        let kind = self.kind_of(&review)?;
        let mut conn = self.store.read().await?;
        let events = st::events(&mut conn, id).await?;
        let pauses = st::pauses(&mut conn, id).await?;
        let panel = st::panel(&mut conn, id).await?;
        let themes = st::themes_of_review(&mut conn, id).await?;
        let raw_requests = st::requests(&mut conn, id).await?;
        drop(conn);
        let cal = self.working_calendar().await?;
        let plain: Vec<Pause> = pauses.iter().map(|p| p.pause).collect();
        let clocks =
            kind.clocks.iter().map(|rule| review::evaluate(rule, &review.dates, &plain, self.today(), &cal)).collect();
        let paused = plain.iter().any(|p| p.to.is_none());
        let requests = raw_requests
            .into_iter()
            .map(|q| {
                let clock = request_clock(&q, self.today(), &cal);
                (q, clock)
            })
            .collect();
        let next = if paused { Vec::new() } else { kind.next_stages(review.stage, review.decision) };
        self.log_read(ctx, "review", Some(id.to_string()), Some(review.partnership_id), json!({})).await?;
        Ok(ReviewDetail { review, kind, clocks, events, pauses, panel, themes, requests, paused, next })
    }

    /// Moves a review to its next stage, recording who, when and why.
    pub async fn move_review(&self, ctx: &Ctx, id: ReviewId, input: &TransitionInput) -> CoreResult<Stage> {
        let id = id.0;
        let (mut review, on_panel) = self.load(ctx, id).await?;
        ctx.authorize(Action::Update, &review_target(&review, on_panel))?;
        let kind = self.kind_of(&review)?;
        let mut tx = self.store.write().await?;
        if st::pauses(&mut tx, id).await?.iter().any(|p| p.pause.to.is_none()) {
            return Err(CoreError::field("to", "The review is paused: resume it before moving it on"));
        }
        let t = input.validate(&kind, review.stage, review.decision, &review.dates, self.today())?;
        let from = review.stage;
        review.stage = t.to;
        review.dates = t.dates.clone();
        if t.decision.is_some() {
            review.decision = t.decision;
            review.decision_rationale = t.rationale.clone();
        }
        if t.reason.is_some() {
            review.not_published_reason = t.reason.clone();
        }
        if t.notice_not_needed.is_some() {
            review.notice_not_needed = t.notice_not_needed.clone();
        }
        st::save_progress(&mut tx, &review).await?;
        st::insert_event(
            &mut tx,
            st::NewEvent {
                review_id: id,
                from: Some(from),
                to: t.to,
                on: t.on,
                note: t.note.as_deref(),
                by: ctx.user_id(),
                by_label: &ctx.name,
            },
        )
        .await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "transition",
                "review",
                Some(id.to_string()),
                Some(review.partnership_id),
                json!({"from": from, "to": t.to, "on": t.on, "decision": t.decision}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(t.to)
    }

    /// Records dates that are not stage changes: the planned publication date and the notice.
    pub async fn set_publication_dates(
        &self,
        ctx: &Ctx,
        id: ReviewId,
        planned: &str,
        notice_sent: &str,
    ) -> CoreResult<()> {
        let id = id.0;
        let (mut review, on_panel) = self.load(ctx, id).await?;
        ctx.authorize(Action::Update, &review_target(&review, on_panel))?;
        let mut errors = FieldErrors::new();
        let planned = errors
            .check(
                "planned_publication_on",
                assure_domain::validation::optional_date("the planned publication date", planned),
            )
            .flatten();
        let notice = errors
            .check(
                "notice_sent_on",
                assure_domain::validation::optional_date("the date the notice was sent", notice_sent),
            )
            .flatten();
        errors.merge(review::check_publication_dates(&review.dates, review.decision, planned, notice, self.today()));
        if !errors.is_empty() {
            return Err(errors.into());
        }
        review.dates.planned_publication_on = planned;
        review.dates.notice_sent_on = notice;
        if let Err((field, message)) = review.dates.check_order() {
            return Err(CoreError::field(field_name(field), message));
        }
        let mut tx = self.store.write().await?;
        st::save_progress(&mut tx, &review).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "review",
                Some(id.to_string()),
                Some(review.partnership_id),
                json!({"planned_publication_on": planned, "notice_sent_on": notice}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Pauses a review (criminal proceedings, for example): its clocks stop until it resumes.
    pub async fn pause_review(&self, ctx: &Ctx, id: ReviewId, from: &str, reason: &str) -> CoreResult<()> {
        let id = id.0;
        let (review, on_panel) = self.load(ctx, id).await?;
        ctx.authorize(Action::Update, &review_target(&review, on_panel))?;
        let mut errors = FieldErrors::new();
        let from = errors.check("from", required_date("the date the review paused", from));
        let reason = errors.check("pause_reason", required_text("the reason for pausing", reason, 2000));
        let (Some(from), Some(reason)) = (from, reason) else { return Err(errors.into()) };
        if from > self.today() {
            return Err(CoreError::field("from", "The date the review paused cannot be in the future"));
        }
        if review.stage == Stage::Closed {
            return Err(CoreError::field("from", "A closed review cannot be paused"));
        }
        if review.dates.aware_on.is_some_and(|a| from < a) {
            return Err(CoreError::field("from", "A review cannot pause before the partnership became aware"));
        }
        let mut tx = self.store.write().await?;
        let pauses = st::pauses(&mut tx, id).await?;
        if pauses.iter().any(|p| p.pause.to.is_none()) {
            return Err(CoreError::field("from", "The review is already paused"));
        }
        if pauses.iter().any(|p| p.pause.to.is_some_and(|to| from < to)) {
            return Err(CoreError::field("from", "A pause cannot start before the previous one ended"));
        }
        st::insert_pause(&mut tx, id, from, &reason).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("pause", "review", Some(id.to_string()), Some(review.partnership_id), json!({"from": from})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn resume_review(&self, ctx: &Ctx, id: ReviewId, on: &str) -> CoreResult<()> {
        let id = id.0;
        let (review, on_panel) = self.load(ctx, id).await?;
        ctx.authorize(Action::Update, &review_target(&review, on_panel))?;
        let on = required_date("the date the review resumed", on).map_err(|m| CoreError::field("resumed_on", m))?;
        if on > self.today() {
            return Err(CoreError::field("resumed_on", "The date the review resumed cannot be in the future"));
        }
        let mut tx = self.store.write().await?;
        let open = st::pauses(&mut tx, id).await?.into_iter().find(|p| p.pause.to.is_none());
        let Some(open) = open else { return Err(CoreError::field("resumed_on", "The review is not paused")) };
        if on < open.pause.from {
            return Err(CoreError::field(
                "on",
                format!(
                    "The review cannot resume before it paused ({})",
                    assure_domain::validation::long_date(open.pause.from)
                ),
            ));
        }
        st::end_pause(&mut tx, open.id, on).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("resume", "review", Some(id.to_string()), Some(review.partnership_id), json!({"on": on})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds an account to a review's panel, so that they can see it.
    pub async fn add_to_panel(&self, ctx: &Ctx, id: ReviewId, email: &str) -> CoreResult<()> {
        let id = id.0;
        let (review, on_panel) = self.load(ctx, id).await?;
        ctx.authorize(Action::Update, &review_target(&review, on_panel))?;
        let user = self
            .user_by_email(email)
            .await
            .map_err(|_| CoreError::field("email", "There is no account with that email address"))?;
        let mut conn = self.store.read().await?;
        let grants = assure_store::accounts::grants(&mut conn, user.id).await?;
        drop(conn);
        if !grants.iter().any(|g| g.partnership_id == review.partnership_id) {
            return Err(CoreError::field("email", "That account has no role in this partnership"));
        }
        let mut tx = self.store.write().await?;
        st::add_to_panel(&mut tx, id, user.id).await.map_err(|e| match e {
            e if e.is_unique_violation() => CoreError::field("email", "That account is already on the panel"),
            other => other.into(),
        })?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "panel_add",
                "review",
                Some(id.to_string()),
                Some(review.partnership_id),
                json!({"user_id": user.id}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The one check for changing a review: not found if the actor may not see it, forbidden if
    /// they may see it but not change it. Returns the review's partnership.
    pub async fn authorize_review_update(&self, ctx: &Ctx, id: ReviewId) -> CoreResult<PartnershipId> {
        let id = id.0;
        let (review, on_panel) = self.load(ctx, id).await?;
        ctx.authorize(Action::Update, &review_target(&review, on_panel))?;
        Ok(review.partnership_id)
    }

    /// Asks an agency for its summary or chronology by a date.
    pub async fn request_information(
        &self,
        ctx: &Ctx,
        id: ReviewId,
        organisation_id: &str,
        kind: &str,
        due_on: &str,
    ) -> CoreResult<RequestId> {
        let id = id.0;
        let (review, on_panel) = self.load(ctx, id).await?;
        ctx.authorize(Action::Update, &review_target(&review, on_panel))?;
        let mut errors = FieldErrors::new();
        let org = errors
            .check("organisation_id", assure_domain::validation::required_id("the organisation", organisation_id));
        let kind = match kind.trim() {
            k @ ("summary" | "chronology") => Some(k.to_owned()),
            "" => {
                errors.add("kind", "Select what is asked for");
                None
            }
            _ => {
                errors.add("kind", "Select what is asked for from the list");
                None
            }
        };
        let due = errors.check("due_on", required_date("the date it is due", due_on));
        let today = self.today();
        if due.is_some_and(|d| d < today) {
            errors.add("due_on", "The date it is due cannot be in the past");
        }
        if let Some(o) = org {
            let mut conn = self.store.read().await?;
            match assure_store::structure::organisation(&mut conn, assure_domain::OrganisationId(o)).await {
                Ok(found) if found.partnership_id == review.partnership_id => {}
                Ok(_) | Err(assure_store::StoreError::NotFound) => {
                    errors.add("organisation_id", "Select the organisation from the list")
                }
                Err(e) => return Err(e.into()),
            }
        }
        let (Some(org), Some(kind), Some(due)) = (org, kind, due) else { return Err(errors.into()) };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.store.write().await?;
        let request = st::insert_request(&mut tx, id, org, &kind, today, due).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "request",
                "review",
                Some(id.to_string()),
                Some(review.partnership_id),
                json!({"request_id": request, "organisation_id": org, "kind": kind, "due_on": due}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(RequestId(request))
    }

    /// Records the date an agency returned what was asked.
    pub async fn mark_returned(&self, ctx: &Ctx, request_id: RequestId, returned_on: &str) -> CoreResult<ReviewId> {
        let request_id = request_id.0;
        let mut conn = self.store.read().await?;
        let review_id = st::request_review(&mut conn, request_id).await?;
        drop(conn);
        let (review, on_panel) = self.load(ctx, review_id).await?;
        ctx.authorize(Action::Update, &review_target(&review, on_panel))?;
        let on =
            required_date("the date it was returned", returned_on).map_err(|m| CoreError::field("returned_on", m))?;
        let mut conn = self.store.read().await?;
        let request = st::requests(&mut conn, review_id)
            .await?
            .into_iter()
            .find(|q| q.id == RequestId(request_id))
            .ok_or(CoreError::NotFound)?;
        drop(conn);
        if on > self.today() {
            return Err(CoreError::field("returned_on", "The date it was returned cannot be in the future"));
        }
        if on < request.requested_on {
            return Err(CoreError::field(
                "returned_on",
                format!(
                    "It cannot have been returned before it was asked for ({})",
                    assure_domain::validation::long_date(request.requested_on)
                ),
            ));
        }
        let mut tx = self.store.write().await?;
        st::set_request_returned(&mut tx, request_id, Some(on)).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "request_returned",
                "review",
                Some(review_id.to_string()),
                Some(review.partnership_id),
                json!({"request_id": request_id, "returned_on": on}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(ReviewId(review_id))
    }

    /// The signed-in user's tasks for the home page: the clocks of the reviews they keep, and
    /// what is asked of the organisations they act for. The review deadlines are read in the
    /// caseload's order and the walk stops at the first one due beyond ten working days, so the
    /// cost follows what is shown, not how many reviews there are.
    pub async fn my_tasks(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Tasks> {
        let panels = self.on_panels(ctx).await?;
        let caseload = self.caseload(ctx, p).await?;
        let mut deadlines = Vec::new();
        let mut more_deadlines = 0;
        for d in &caseload.deadlines {
            let Some(left) = d.clock.working_days_left else { continue };
            if d.clock.met_on.is_some() || left > 10 {
                // Open clocks come first, soonest due first: none after this one is due sooner.
                break;
            }
            if !caseload.review(d.review_id).is_some_and(|r| may_keep(ctx, &panels, r)) {
                continue;
            }
            if deadlines.len() < TASKS_SHOWN {
                deadlines.push(d.clone());
            } else {
                more_deadlines += 1;
            }
        }
        // Only the reviews the home page names are read.
        self.log_reviews_read(ctx, p, deadlines.iter().map(|d| d.review_id)).await?;
        let cal = &caseload.calendar;
        let mut requests = Vec::new();
        let mut conn = self.store.read().await?;
        for grant in ctx.actor.grants.iter().filter(|g| g.role == assure_domain::Role::AgencyLead) {
            if let assure_domain::Scope::Organisation(gp, org) = grant.scope
                && gp == p
            {
                for q in st::open_requests_to(&mut conn, org.0).await? {
                    let clock = request_clock(&q, self.today(), cal);
                    requests.push((q, clock));
                }
            }
        }
        Ok(Tasks { deadlines, more_deadlines, requests })
    }

    /// Every running clock of every review the actor may see, soonest first.
    pub async fn deadlines(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<Deadline>> {
        let out = self.unlogged_deadlines(ctx, p).await?;
        self.log_reviews_read(ctx, p, out.iter().map(|d| d.review_id)).await?;
        Ok(out)
    }

    async fn unlogged_deadlines(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<Deadline>> {
        let panels = self.on_panels(ctx).await?;
        let caseload = self.caseload(ctx, p).await?;
        Ok(caseload
            .deadlines
            .iter()
            .filter(|d| caseload.review(d.review_id).is_some_and(|r| may_see(ctx, &panels, r)))
            .cloned()
            .collect())
    }
}

/// The review deadlines the home page lists (the soonest); the deadlines page has every one.
pub const TASKS_SHOWN: usize = 20;

/// Working days before a request to an agency falls due soon.
pub(crate) const REQUEST_DUE_SOON: i64 = 3;

/// A request to an agency as a clock: due on its date, met when returned.
fn request_clock(q: &st::Request, today: NaiveDate, cal: &assure_domain::reviews::calendar::WorkingCalendar) -> Clock {
    use assure_domain::reviews::ClockState;
    let label = format!("{} to send its {}", q.organisation_name, q.kind);
    let left = cal.working_days_between(today, q.due_on);
    let state = match q.returned_on {
        Some(r) if r <= q.due_on => ClockState::Met,
        Some(_) => ClockState::MetLate,
        None => ClockState::of_due(today, q.due_on, REQUEST_DUE_SOON, cal),
    };
    Clock {
        code: format!("request-{}", q.id),
        label,
        due: Some(q.due_on),
        state,
        met_on: q.returned_on,
        working_days_left: q.returned_on.is_none().then_some(left),
    }
}

fn field_name(f: review::DateField) -> &'static str {
    f.code()
}

impl Core {
    /// The reminders case reviews give: each statutory clock due soon or overdue (to the business
    /// unit and the review's panel), and each request to an agency (to its agency leads and the
    /// business unit).
    pub(crate) async fn review_reminder_events(
        &self,
        conn: &mut assure_store::Conn,
        p: PartnershipId,
        today: NaiveDate,
        cal: &assure_domain::reviews::calendar::WorkingCalendar,
    ) -> CoreResult<Vec<Reminder>> {
        let business_unit = rst::holders(conn, p, "business_unit", None).await?;
        let mut events = Vec::new();
        for r in st::reviews(conn, p).await? {
            if r.stage == Stage::Closed {
                continue;
            }
            let Some(kind) = self.review_types().get(&r.type_code) else { continue };
            let pauses: Vec<Pause> = st::pauses(conn, r.id.0).await?.into_iter().map(|x| x.pause).collect();
            let panel: Vec<Recipient> = st::panel(conn, r.id.0)
                .await?
                .into_iter()
                .map(|m| Recipient { user_id: m.user_id, email: m.email })
                .collect();
            let link = format!("/reviews/{}", r.id);
            for rule in &kind.clocks {
                let clock = review::evaluate(rule, &r.dates, &pauses, today, cal);
                if let (Some(ph), Some(due)) = (phase(clock.state), clock.due) {
                    events.push(Reminder {
                        partnership: p,
                        key: format!("review:{}:clock:{}:{}:{}", r.id, clock.code, due, ph.code()),
                        message: format!("On a case review, “{}” {}.", clock.label, wording(ph, due)),
                        link: link.clone(),
                        recipients: merge(business_unit.clone(), panel.clone()),
                    });
                }
            }
            for q in st::requests(conn, r.id.0).await?.into_iter().filter(|q| q.returned_on.is_none()) {
                let Some(ph) = due_phase(today, q.due_on, crate::reviews::REQUEST_DUE_SOON, cal) else { continue };
                let leads =
                    rst::holders(conn, p, "agency_lead", Some(assure_domain::OrganisationId(q.organisation_id)))
                        .await?;
                // Agency leads get the home page (they may not see the review); the business unit the review.
                for (recipients, link) in [(leads, "/".to_owned()), (business_unit.clone(), link.clone())] {
                    if recipients.is_empty() {
                        continue;
                    }
                    events.push(Reminder {
                        partnership: p,
                        key: format!(
                            "request:{}:{}:{}:{}",
                            q.id,
                            q.due_on,
                            ph.code(),
                            if link == "/" { "agency" } else { "unit" }
                        ),
                        message: format!(
                            "A case review asks {} for its {}, which {}.",
                            q.organisation_name,
                            q.kind,
                            wording(ph, q.due_on)
                        ),
                        link,
                        recipients,
                    });
                }
            }
        }
        Ok(events)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_review_types_are_valid_and_complete() {
        let types = shipped_types().expect("config/review_types.toml is valid");
        let codes: Vec<&str> = types.0.iter().map(|t| t.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "lcspr",
                "sar_mandatory",
                "sar_discretionary",
                "dhr",
                "action_learning",
                "thematic",
                "learning",
                "cdr"
            ]
        );
        let cdr = types.get("cdr").expect("cdr");
        assert!(cdr.child_death && cdr.clocks.is_empty());
        assert_eq!(cdr.next_stages(Stage::Referral, None), vec![Stage::InProgress]);
        let lcspr = types.get("lcspr").expect("lcspr");
        let clocks: Vec<&str> = lcspr.clocks.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(clocks, vec!["notification", "rapid_review", "completion", "publication_notice"]);
        assert_eq!(lcspr.clocks[0].rule, review::Rule::WorkingDays(5));
        assert_eq!(lcspr.clocks[1].rule, review::Rule::WorkingDays(15));
        assert_eq!(lcspr.clocks[2].rule, review::Rule::Months(6));
        assert_eq!(lcspr.clocks[3].rule, review::Rule::WorkingDays(-7));
    }

    #[test]
    fn a_request_is_due_then_due_soon_then_overdue_and_returned_in_time_or_late() {
        use assure_domain::reviews::ClockState;
        let cal = assure_domain::reviews::calendar::WorkingCalendar::default();
        let d = |s: &str| -> NaiveDate { s.parse().expect("date") };
        let mut q = st::Request {
            id: RequestId(1),
            review_id: 1,
            organisation_id: 2,
            organisation_name: "Essex Police".into(),
            kind: "chronology".into(),
            requested_on: d("2025-06-02"),
            due_on: d("2025-06-16"),
            returned_on: None,
        };
        assert_eq!(request_clock(&q, d("2025-06-02"), &cal).state, ClockState::Due);
        assert_eq!(request_clock(&q, d("2025-06-11"), &cal).state, ClockState::DueSoon);
        assert_eq!(request_clock(&q, d("2025-06-17"), &cal).state, ClockState::Overdue);
        assert_eq!(request_clock(&q, d("2025-06-17"), &cal).label, "Essex Police to send its chronology");
        q.returned_on = Some(d("2025-06-16"));
        assert_eq!(request_clock(&q, d("2025-07-01"), &cal).state, ClockState::Met);
        q.returned_on = Some(d("2025-06-18"));
        assert_eq!(request_clock(&q, d("2025-07-01"), &cal).state, ClockState::MetLate);
    }

    #[test]
    fn a_broken_types_file_names_its_problem() {
        let problems = parse_types("[[type]]\ncode = \"x\"\n").expect_err("invalid");
        assert!(problems[0].contains("missing field"), "{problems:?}");
    }
}
