//! The voice of practitioners and the public. Anyone gives feedback on the partnership's public
//! page, without an account (limited per address, a honeypot for scripts, nothing shown back but
//! what they wrote); the business unit triages it (acknowledges it, passes it on to a subgroup or
//! an agency, records the response, closes it), each step kept with who and when; the agency it
//! was passed on to reads it; the hourly reminders tell the business unit of new feedback and an
//! agency's leads of feedback passed on to them, once. "You said, we did" entries say what was
//! heard and what was done; those the business unit publishes show on the public page.
//!
//! Surveys of practitioners (after a briefing, say) use the same public machinery with a question
//! set the business unit writes; their results are counted for the business unit and the
//! scrutineer.
//!
//! Feedback is always restricted (people write about their families): every read is logged.

pub use assure_store::voice::{Feedback, FeedbackStep, SaidDid, Survey};

use assure_domain::structure::Choice;
use assure_domain::voice::{self as v, FeedbackInput, SaidDidInput, Status, TriageInput, survey};
use assure_domain::{Action, OrganisationId, PartnershipId, ResourceKind as K, Role, Target, can};
use assure_store::audit_log::{self, NewEntry};
use assure_store::voice as st;
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

/// How long feedback's contact details are kept once it is closed: then the hourly work erases
/// them (the words stay, for "You said, we did" and the annual report).
pub const CONTACT_KEPT_DAYS: i64 = 90;

/// How many pieces of feedback one address may give in [`FEEDBACK_WINDOW_MINUTES`].
pub const FEEDBACK_PER_ADDRESS: u32 = 5;
pub const FEEDBACK_WINDOW_MINUTES: i64 = 60;

fn of_feedback(f: &Feedback) -> Target {
    Target::new(K::Feedback, f.partnership_id).organisation(f.organisation_id)
}

/// The partnership's feedback as a reader sees it.
#[derive(Debug, Clone)]
pub struct Inbox {
    pub items: Vec<Feedback>,
    /// The reader sees only what was passed on to their own organisation.
    pub own_only: bool,
    pub can_triage: bool,
    /// The public page's address, to link from the partnership's own website.
    pub public_path: String,
}

/// Where feedback may be passed on: the partnership's subgroups and agencies.
#[derive(Debug, Clone, Default)]
pub struct Routes {
    pub bodies: Vec<(i64, String)>,
    pub organisations: Vec<(OrganisationId, String)>,
}

/// One piece of feedback with its triage.
#[derive(Debug, Clone)]
pub struct FeedbackView {
    pub feedback: Feedback,
    pub steps: Vec<FeedbackStep>,
    pub can_triage: bool,
    pub routes: Routes,
    /// "You said, we did" entries that answer it.
    pub answered_by: Vec<SaidDid>,
}

/// The partnership's public pages: its name and what it publishes.
#[derive(Debug, Clone)]
pub struct PublicVoice {
    pub partnership_name: String,
    pub slug: String,
    pub entries: Vec<SaidDid>,
}

/// "You said, we did" as the partnership's readers see it.
#[derive(Debug, Clone)]
pub struct SaidDidList {
    pub entries: Vec<SaidDid>,
    pub can_edit: bool,
    pub public_path: String,
}

impl Core {
    /// The partnership a public page names by its short name (not found: no such partnership).
    pub async fn public_voice(&self, slug: &str) -> CoreResult<PublicVoice> {
        let mut conn = self.store.read().await?;
        let p = assure_store::structure::partnership_by_slug(&mut conn, slug).await?;
        let entries = st::said_did_in(&mut conn, p.id, true).await?;
        Ok(PublicVoice { partnership_name: p.name, slug: p.slug, entries })
    }

    /// Takes feedback from the public page; returns its id and reference. A script that fills the field
    /// people do not see is refused, and so is an address that has given too much this hour.
    pub async fn give_feedback(
        &self,
        slug: &str,
        input: &FeedbackInput,
        ip: Option<String>,
        request_id: Option<String>,
    ) -> CoreResult<(i64, String)> {
        let address = ip.clone().unwrap_or_default();
        if let Some(retry_after) = self.feedback_throttle.blocked(&address) {
            return Err(CoreError::Throttled { retry_after });
        }
        if input.is_robot() {
            self.feedback_throttle.failed(&address);
            return Err(CoreError::field("feedback", "Your feedback could not be taken: please try again"));
        }
        let new = input.validate()?;
        let p = {
            let mut conn = self.store.read().await?;
            assure_store::structure::partnership_by_slug(&mut conn, slug).await?
        };
        self.feedback_throttle.failed(&address);
        let mut tx = self.store.write().await?;
        let (id, number) = st::insert(&mut tx, p.id, &new).await?;
        audit_log::append(
            &mut tx,
            NewEntry {
                actor_label: "feedback page".into(),
                action: "create".into(),
                record_type: "feedback".into(),
                record_id: Some(id.to_string()),
                partnership_id: Some(p.id.0),
                ip,
                request_id,
                detail: json!({"reference": v::reference(number), "giver": new.giver.code(), "topic": new.topic.code(),
                               "characters": new.feedback.chars().count(), "reply_asked": new.reply_to.is_some()}),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        Ok((id, v::reference(number)))
    }

    fn public_path(slug: &str) -> String {
        format!("/public/{slug}/feedback")
    }

    /// The feedback the actor may read, the latest first; the read is logged.
    pub async fn feedback_inbox(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Inbox> {
        let own = ctx.reads_of(K::Feedback, p).ok_or(CoreError::NotFound)?;
        let (items, slug) = {
            let mut conn = self.store.read().await?;
            let items = st::feedback_in(&mut conn, p, own.as_deref()).await?;
            (items, assure_store::structure::partnership(&mut conn, p).await?.slug)
        };
        if !items.is_empty() {
            let ids: Vec<i64> = items.iter().map(|f| f.id).collect();
            self.log_read(ctx, "feedback", None, Some(p), json!({"ids": ids, "part": "inbox"})).await?;
        }
        Ok(Inbox {
            items,
            own_only: own.is_some(),
            can_triage: can(&ctx.actor, Action::Update, &Target::new(K::Feedback, p)),
            public_path: Self::public_path(&slug),
        })
    }

    async fn readable_feedback(&self, ctx: &Ctx, id: i64) -> CoreResult<Feedback> {
        let mut conn = self.store.read().await?;
        let f = st::feedback(&mut conn, id).await?;
        drop(conn);
        ctx.authorize(Action::View, &of_feedback(&f))?;
        Ok(f)
    }

    /// One piece of feedback with its triage; the read is logged.
    pub async fn feedback_item(&self, ctx: &Ctx, id: i64) -> CoreResult<FeedbackView> {
        let feedback = self.readable_feedback(ctx, id).await?;
        let p = feedback.partnership_id;
        let can_triage = can(&ctx.actor, Action::Update, &of_feedback(&feedback));
        let (steps, answered_by) = {
            let mut conn = self.store.read().await?;
            let steps = st::steps(&mut conn, id).await?;
            let answered =
                st::said_did_in(&mut conn, p, false).await?.into_iter().filter(|s| s.feedback_id == Some(id)).collect();
            (steps, answered)
        };
        let routes = if can_triage { self.feedback_routes(ctx, p).await? } else { Routes::default() };
        self.log_read(ctx, "feedback", Some(id.to_string()), Some(p), json!({})).await?;
        Ok(FeedbackView { feedback, steps, can_triage, routes, answered_by })
    }

    async fn feedback_routes(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Routes> {
        let orgs = self.every_organisation(ctx, p).await?;
        let (bodies, _) = self.bodies(ctx, p, false, crate::structure::Page::ALL).await?;
        Ok(Routes {
            bodies: bodies.into_iter().map(|b| (b.id.0, b.name)).collect(),
            organisations: orgs.iter().filter(|o| o.ended_on.is_none()).map(|o| (o.id, o.name.clone())).collect(),
        })
    }

    /// Takes a triage step on a piece of feedback.
    pub async fn triage_feedback(&self, ctx: &Ctx, id: i64, input: &TriageInput) -> CoreResult<Status> {
        let f = self.readable_feedback(ctx, id).await?;
        ctx.authorize(Action::Update, &of_feedback(&f))?;
        let new = input.validate()?;
        let to = new.step.from(f.status).map_err(|m| CoreError::field("step", m))?;
        let p = f.partnership_id;
        if new.body_id.is_some() || new.organisation_id.is_some() {
            let routes = self.feedback_routes(ctx, p).await?;
            if new.body_id.is_some_and(|b| !routes.bodies.iter().any(|(id, _)| *id == b)) {
                return Err(CoreError::field("body_id", "Select the subgroup from the list"));
            }
            if new.organisation_id.is_some_and(|o| !routes.organisations.iter().any(|(id, _)| id.0 == o)) {
                return Err(CoreError::field("organisation_id", "Select the agency from the list"));
            }
        }
        let mut tx = self.store.write().await?;
        if st::feedback(&mut tx, id).await?.status != f.status {
            return Err(CoreError::field("step", "Someone else has just moved this feedback on: look again"));
        }
        st::insert_step(&mut tx, id, &new, to, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "triage_feedback",
                "feedback",
                Some(id.to_string()),
                Some(p),
                json!({"step": new.step.code(), "from": f.status.code(), "to": to.code(), "body_id": new.body_id,
                       "organisation_id": new.organisation_id}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(to)
    }

    /// Erases the contact details of feedback closed more than [`CONTACT_KEPT_DAYS`] ago, in
    /// every partnership (the hourly work); returns how many, and logs them when there are any.
    pub async fn erase_feedback_contacts(&self) -> CoreResult<u64> {
        let before = (chrono::Utc::now() - chrono::Duration::days(CONTACT_KEPT_DAYS))
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string();
        let mut tx = self.store.write().await?;
        let erased = st::erase_closed_contacts(&mut tx, &before).await?;
        if erased > 0 {
            audit_log::append(
                &mut tx,
                NewEntry {
                    actor_label: "assure".into(),
                    action: "erase_contacts".into(),
                    record_type: "feedback".into(),
                    detail: json!({"erased": erased, "closed_before": before}),
                    ..Default::default()
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(erased)
    }

    /// What the hourly reminders tell, once each: the business unit of feedback not yet
    /// acknowledged, an agency's leads of feedback passed on to them and not closed.
    pub(crate) async fn feedback_reminder_events(
        &self,
        conn: &mut assure_store::Conn,
        p: PartnershipId,
    ) -> CoreResult<Vec<crate::reminders::Event>> {
        let items = st::feedback_in(conn, p, None).await?;
        let mut events = Vec::new();
        let received: Vec<&Feedback> = items.iter().filter(|f| f.status == Status::Received).collect();
        if !received.is_empty() {
            let business_unit = assure_store::reminders::holders(conn, p, Role::BusinessUnit.code(), None).await?;
            for f in received {
                events.push(crate::reminders::Event {
                    key: format!("feedback:received:{}", f.id),
                    partnership: p,
                    message: format!(
                        "New feedback {} ({}) is waiting to be acknowledged.",
                        v::reference(f.number),
                        f.topic.label()
                    ),
                    link: format!("/feedback/{}", f.id),
                    recipients: business_unit.clone(),
                });
            }
        }
        for f in items.iter().filter(|f| f.status == Status::Routed) {
            let Some(org) = f.organisation_id else { continue };
            let leads = assure_store::reminders::holders(conn, p, Role::AgencyLead.code(), Some(org)).await?;
            events.push(crate::reminders::Event {
                key: format!("feedback:routed:{}:{}", f.id, org.0),
                partnership: p,
                message: format!("Feedback {} has been passed on to your organisation.", v::reference(f.number)),
                link: format!("/feedback/{}", f.id),
                recipients: leads,
            });
        }
        Ok(events)
    }

    /// "You said, we did" as the partnership reads it, the latest done first.
    pub async fn said_did_list(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<SaidDidList> {
        ctx.authorize(Action::View, &Target::new(K::SaidDid, p))?;
        let mut conn = self.store.read().await?;
        let entries = st::said_did_in(&mut conn, p, false).await?;
        let slug = assure_store::structure::partnership(&mut conn, p).await?.slug;
        drop(conn);
        Ok(SaidDidList {
            entries,
            can_edit: can(&ctx.actor, Action::Create, &Target::new(K::SaidDid, p)),
            public_path: format!("/public/{slug}/you-said-we-did"),
        })
    }

    async fn check_said_did(&self, p: PartnershipId, new: &v::NewSaidDid) -> CoreResult<()> {
        if let Some(f) = new.feedback_id {
            let mut conn = self.store.read().await?;
            let found = st::feedback(&mut conn, f).await;
            if !found.as_ref().is_ok_and(|x| x.partnership_id == p) {
                return Err(CoreError::field(
                    "feedback_id",
                    "Enter the number of one of the partnership's pieces of feedback",
                ));
            }
        }
        Ok(())
    }

    /// Records a "You said, we did" entry; returns its id.
    pub async fn record_said_did(&self, ctx: &Ctx, p: PartnershipId, input: &SaidDidInput) -> CoreResult<i64> {
        ctx.authorize(Action::Create, &Target::new(K::SaidDid, p))?;
        let new = input.validate(self.today())?;
        self.check_said_did(p, &new).await?;
        let mut tx = self.store.write().await?;
        let id = st::insert_said_did(&mut tx, p, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "said_did",
                Some(id.to_string()),
                Some(p),
                json!({"done_on": new.done_on, "published": new.published, "feedback_id": new.feedback_id}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One entry, for its form.
    pub async fn said_did_entry(&self, ctx: &Ctx, id: i64) -> CoreResult<SaidDid> {
        let mut conn = self.store.read().await?;
        let s = st::said_did(&mut conn, id).await?;
        drop(conn);
        ctx.authorize(Action::View, &Target::new(K::SaidDid, s.partnership_id))?;
        Ok(s)
    }

    /// Changes an entry (publishing or withdrawing it among them).
    pub async fn update_said_did(&self, ctx: &Ctx, id: i64, input: &SaidDidInput) -> CoreResult<()> {
        let old = self.said_did_entry(ctx, id).await?;
        let p = old.partnership_id;
        ctx.authorize(Action::Update, &Target::new(K::SaidDid, p))?;
        let new = input.validate(self.today())?;
        self.check_said_did(p, &new).await?;
        let mut tx = self.store.write().await?;
        st::update_said_did(&mut tx, id, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "said_did",
                Some(id.to_string()),
                Some(p),
                json!({"done_on": new.done_on, "published": new.published, "was_published": old.published,
                       "feedback_id": new.feedback_id}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The partnership's surveys, as the business unit and the scrutineer see them.
#[derive(Debug, Clone)]
pub struct SurveyList {
    pub surveys: Vec<(Survey, bool)>,
    pub can_edit: bool,
    pub slug: String,
}

/// A survey with its results.
#[derive(Debug, Clone)]
pub struct SurveyResults {
    pub survey: Survey,
    pub results: Vec<survey::QuestionResult>,
    /// It takes answers today.
    pub open: bool,
    pub can_edit: bool,
    /// The public page that takes its answers.
    pub public_path: String,
}

/// A survey as the public answers it.
#[derive(Debug, Clone)]
pub struct PublicSurvey {
    pub partnership_name: String,
    pub slug: String,
    pub survey: Survey,
    pub open: bool,
}

fn is_open(s: &Survey, today: chrono::NaiveDate) -> bool {
    s.closed_at.is_none() && s.closes_on.is_none_or(|d| d >= today)
}

impl Core {
    /// The partnership's surveys, the latest first, each with whether it takes answers today.
    pub async fn surveys(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<SurveyList> {
        ctx.authorize(Action::View, &Target::new(K::Survey, p))?;
        let mut conn = self.store.read().await?;
        let list = st::surveys_in(&mut conn, p).await?;
        let slug = assure_store::structure::partnership(&mut conn, p).await?.slug;
        drop(conn);
        let today = self.today();
        Ok(SurveyList {
            surveys: list
                .into_iter()
                .map(|s| {
                    let open = is_open(&s, today);
                    (s, open)
                })
                .collect(),
            can_edit: can(&ctx.actor, Action::Create, &Target::new(K::Survey, p)),
            slug,
        })
    }

    /// Starts a survey; returns its id.
    pub async fn create_survey(&self, ctx: &Ctx, p: PartnershipId, input: &survey::SurveyInput) -> CoreResult<i64> {
        ctx.authorize(Action::Create, &Target::new(K::Survey, p))?;
        let new = input.validate(self.today())?;
        let mut tx = self.store.write().await?;
        let id = st::insert_survey(&mut tx, p, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "survey",
                Some(id.to_string()),
                Some(p),
                json!({"title": new.title, "questions": new.questions.len(), "closes_on": new.closes_on}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn readable_survey(&self, ctx: &Ctx, id: i64) -> CoreResult<Survey> {
        let mut conn = self.store.read().await?;
        let s = st::survey(&mut conn, id).await?;
        drop(conn);
        ctx.authorize(Action::View, &Target::new(K::Survey, s.partnership_id))?;
        Ok(s)
    }

    /// A survey with its results counted, and every written answer.
    pub async fn survey_results(&self, ctx: &Ctx, id: i64) -> CoreResult<SurveyResults> {
        let survey = self.readable_survey(ctx, id).await?;
        let (responses, slug) = {
            let mut conn = self.store.read().await?;
            let responses = st::responses(&mut conn, id).await?;
            (responses, assure_store::structure::partnership(&mut conn, survey.partnership_id).await?.slug)
        };
        Ok(SurveyResults {
            results: survey::results(&survey.questions, &responses),
            open: is_open(&survey, self.today()),
            can_edit: can(&ctx.actor, Action::Update, &Target::new(K::Survey, survey.partnership_id)),
            public_path: format!("/public/{slug}/surveys/{id}"),
            survey,
        })
    }

    /// Every response as CSV (for Excel, with its byte-order mark; formulas neutralised): a column
    /// per question, a row per person, in the order they came.
    pub async fn survey_csv(&self, ctx: &Ctx, id: i64) -> CoreResult<(Survey, String)> {
        let survey = self.readable_survey(ctx, id).await?;
        let responses = {
            let mut conn = self.store.read().await?;
            st::responses(&mut conn, id).await?
        };
        let mut csv = assure_domain::cells::BOM.to_owned();
        csv.push_str(&assure_domain::cells::csv_line(survey.questions.iter().map(|q| q.text())));
        for r in &responses {
            csv.push_str(&assure_domain::cells::csv_line(r.iter().map(String::as_str)));
        }
        Ok((survey, csv))
    }

    /// Closes a survey to more answers.
    pub async fn close_survey(&self, ctx: &Ctx, id: i64) -> CoreResult<()> {
        let s = self.readable_survey(ctx, id).await?;
        ctx.authorize(Action::Update, &Target::new(K::Survey, s.partnership_id))?;
        let mut tx = self.store.write().await?;
        st::close_survey(&mut tx, id, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "close_survey",
                "survey",
                Some(id.to_string()),
                Some(s.partnership_id),
                json!({"responses": s.responses}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A survey as the public page shows it (not found: no such survey of that partnership).
    pub async fn public_survey(&self, slug: &str, id: i64) -> CoreResult<PublicSurvey> {
        let mut conn = self.store.read().await?;
        let p = assure_store::structure::partnership_by_slug(&mut conn, slug).await?;
        let survey = st::survey(&mut conn, id).await?;
        drop(conn);
        if survey.partnership_id != p.id {
            return Err(CoreError::NotFound);
        }
        Ok(PublicSurvey { partnership_name: p.name, slug: p.slug, open: is_open(&survey, self.today()), survey })
    }

    /// Takes one person's answers from the public page, within the same limit per address as
    /// feedback; a script that fills the field people do not see is refused.
    pub async fn answer_survey(
        &self,
        slug: &str,
        id: i64,
        raw: &[(String, String)],
        ip: Option<String>,
        request_id: Option<String>,
    ) -> CoreResult<()> {
        let address = ip.clone().unwrap_or_default();
        if let Some(retry_after) = self.feedback_throttle.blocked(&address) {
            return Err(CoreError::Throttled { retry_after });
        }
        let public = self.public_survey(slug, id).await?;
        if raw.iter().any(|(k, v)| k == "website" && !v.trim().is_empty()) {
            self.feedback_throttle.failed(&address);
            return Err(CoreError::field("q1", "Your answers could not be taken: please try again"));
        }
        if !public.open {
            return Err(CoreError::field("q1", "This survey has closed: thank you for your interest"));
        }
        let answers = survey::check_answers(&public.survey.questions, raw)?;
        self.feedback_throttle.failed(&address);
        let mut tx = self.store.write().await?;
        let response = st::insert_response(&mut tx, id, &answers).await?;
        audit_log::append(
            &mut tx,
            NewEntry {
                actor_label: "survey page".into(),
                action: "answer_survey".into(),
                record_type: "survey".into(),
                record_id: Some(id.to_string()),
                partnership_id: Some(public.survey.partnership_id.0),
                ip,
                request_id,
                detail: json!({"response_id": response}),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
