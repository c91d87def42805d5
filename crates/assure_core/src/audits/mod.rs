//! Audit campaigns: a framework version sent to organisations with opening and closing dates;
//! each organisation's assessment answered by its agency leads, submitted, challenged and closed
//! by the business unit; progress counted as returns come in.
//!
//! Everyone in the partnership sees a campaign's progress (who has returned); an assessment's
//! answers are restricted to the business unit, the scrutineer and the answering organisation's
//! agency leads, and every read of them is logged.

pub mod frameworks;

// The records these use-cases return, for the web edge and the CLI (which never name the store).
pub use assure_store::audits::{AnswerFile, Campaign, Link};

use assure_domain::{
    Action, AssessmentId, CampaignId, FieldErrors, FrameworkId, OrganisationId, PartnershipId, RecommendationId,
    Target, can,
};
use std::collections::BTreeMap;

use assure_domain::audits::assessment::{self as asmt, Answer, AnswerInput, AssessmentState, Party, Step, Window};
use assure_domain::audits::framework::{AnswerType, Framework, NodeKind};
use assure_domain::authz::ResourceKind as K;
use assure_domain::structure::Choice;
use assure_domain::validation::{required_date, required_id, required_text};
use assure_store::audit_log;
use assure_store::audits::{self as st, Assessment};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

pub mod analysis;
mod links;
pub mod moderation;

pub use analysis::{Analysis, AnalysisFilter, AnalysisRow, KeptReturns, ScoreView};

/// Returns of one campaign in one state, answered or not, and how many: (campaign, state,
/// any answer confirmed, count).
pub(crate) type ReturnsByState = (i64, AssessmentState, bool, usize);

/// A new campaign as typed into the form.
#[derive(Debug, Clone, Default)]
pub struct CampaignInput {
    pub title: String,
    pub framework_id: String,
    pub opens_on: String,
    pub closes_on: String,
    pub organisation_ids: Vec<String>,
    /// Other partnerships running it jointly: each must be one where the actor may launch
    /// campaigns, and their organisations may then receive it.
    pub partnership_ids: Vec<String>,
}

/// How far a campaign has got.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Progress {
    pub recipients: usize,
    /// Submitted, resubmitted or closed.
    pub returned: usize,
    /// A draft with answers, or changes requested.
    pub in_progress: usize,
    pub not_started: usize,
}

impl Progress {
    /// "58 of 62 (93.5%)".
    pub fn summary(&self) -> String {
        if self.recipients == 0 {
            return "no recipients".into();
        }
        let percent = self.returned as f64 * 100.0 / self.recipients as f64;
        format!("{} of {} returned ({percent:.1}%)", self.returned, self.recipients)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CampaignView {
    pub campaign: Campaign,
    pub assessments: Vec<Assessment>,
    pub progress: Progress,
    pub can_run: bool,
    /// One-click reminders sent so far, newest first.
    pub nudges: Vec<st::Nudge>,
    /// The partnerships running it, the lead first.
    pub partnership_names: Vec<String>,
}

/// One organisation's assessment, with everything its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    pub campaign: Campaign,
    pub assessment: Assessment,
    pub framework: Framework,
    pub answers: BTreeMap<String, Answer>,
    pub events: Vec<st::Event>,
    /// The respondent may change answers now.
    pub editable: bool,
    /// This actor answers for the organisation.
    pub can_respond: bool,
    /// This actor moderates: requests changes, closes, reopens, lifts the lock.
    pub can_assess: bool,
    /// This actor makes answering links for the organisation (its own partnership's business
    /// unit: a link answers, so a partnership running the campaign jointly makes none).
    pub can_link: bool,
    /// Each standard's score so far (weighted mean, N/A left out), by standard id.
    pub scores: BTreeMap<String, Option<f64>>,
    /// The assessor's scores by question, and each standard's score with them in place of
    /// the self scores they moderate.
    pub moderated: BTreeMap<String, st::Moderated>,
    pub moderated_scores: BTreeMap<String, Option<f64>>,
    /// The challenge threads, by question, oldest comment first.
    pub challenges: BTreeMap<String, Vec<st::Challenge>>,
    /// Files given as answers, by question.
    pub files: BTreeMap<String, st::AnswerFile>,
    pub locked: bool,
}

/// Each standard's score from self scores, with moderated scores in their place where given.
fn standard_scores(
    framework: &Framework,
    answers: &BTreeMap<String, Answer>,
    moderated: Option<&BTreeMap<String, i64>>,
) -> Vec<(String, Option<f64>)> {
    let mut scored: BTreeMap<String, assure_domain::audits::framework::Scored> =
        answers.iter().filter_map(|(q, a)| a.scored().map(|s| (q.clone(), s))).collect();
    if let Some(m) = moderated {
        for (q, score) in m {
            scored.insert(q.clone(), assure_domain::audits::framework::Scored::Score(*score));
        }
    }
    framework.standards().map(|s| (s.id.clone(), framework.standard_score(&s.id, &scored))).collect()
}

fn progress(assessments: &[Assessment], answered: &[i64]) -> Progress {
    Progress::of(assessments.iter().map(|a| (a.state, answered.contains(&a.id.0))))
}

impl Progress {
    /// The progress of returns, each given as its state and whether any answer is confirmed.
    fn of(returns: impl Iterator<Item = (AssessmentState, bool)>) -> Progress {
        let mut p = Progress::default();
        for (state, answered) in returns {
            p.recipients += 1;
            match state {
                AssessmentState::Submitted | AssessmentState::Resubmitted | AssessmentState::Closed => p.returned += 1,
                AssessmentState::ChangesRequested => p.in_progress += 1,
                AssessmentState::Draft if answered => p.in_progress += 1,
                AssessmentState::Draft => p.not_started += 1,
            }
        }
        p
    }
}

fn org_of(a: &Assessment) -> OrganisationId {
    OrganisationId(a.organisation_id)
}

/// Whether the actor answers for the assessment's organisation.
/// Whether the actor answers for the assessment's organisation: its agency lead, or the
/// business unit of the organisation's own partnership (entering a return on its behalf). A
/// partnership running the campaign jointly moderates the return but never answers it.
fn responds(ctx: &Ctx, a: &Assessment) -> bool {
    can(
        &ctx.actor,
        Action::Update,
        &Target::new(K::Assessment, a.organisation_partnership).organisation(Some(org_of(a))),
    )
}

/// As `responds`, as an error: forbidden to those who may see the return, not found to others.
fn authorize_respondent(ctx: &Ctx, c: &Campaign, a: &Assessment) -> CoreResult<()> {
    if responds(ctx, a) {
        Ok(())
    } else if ctx.may_in_any(Action::View, K::Assessment, &c.partnerships, Some(org_of(a))) {
        Err(CoreError::Forbidden)
    } else {
        Err(CoreError::NotFound)
    }
}

/// Whether the actor moderates the campaign's returns (its business unit, in any partnership running it).
fn assesses(ctx: &Ctx, c: &Campaign) -> bool {
    ctx.may_in_any(Action::Create, K::Campaign, &c.partnerships, None)
}

/// Whether the actor makes answering links for the assessment's organisation: a link answers
/// for the organisation, so only the organisation's own partnership's business unit makes one.
fn links_for(ctx: &Ctx, a: &Assessment) -> bool {
    can(&ctx.actor, Action::Create, &Target::new(K::Campaign, a.organisation_partnership)) && responds(ctx, a)
}

fn authorize_assessor(ctx: &Ctx, c: &Campaign) -> CoreResult<()> {
    ctx.authorize_in_any(Action::Create, K::Campaign, &c.partnerships, None)
}

/// Whether the caller may change this return's answers now: its organisation, while it is open.
fn may_answer(ctx: &Ctx, campaign: &Campaign, assessment: &Assessment, today: NaiveDate) -> CoreResult<()> {
    authorize_respondent(ctx, campaign, assessment)?;
    if asmt::editable(assessment.state, window(campaign, assessment), today) {
        return Ok(());
    }
    Err(CoreError::field(
        "answers",
        match assessment.state {
            AssessmentState::Draft | AssessmentState::ChangesRequested => {
                "The audit closed: ask the business unit to lift the lock if you still need to answer"
            }
            _ => "The return has been submitted: answers can change only if the assessor asks for changes",
        },
    ))
}

/// A return and its campaign read again inside a write transaction, and the caller's view of
/// it checked again: what the write goes on is what the transaction holds.
async fn reload_assessment(conn: &mut assure_store::Conn, ctx: &Ctx, id: i64) -> CoreResult<(Campaign, Assessment)> {
    let assessment = st::assessment(conn, id).await?;
    let campaign = st::campaign(conn, assessment.campaign_id).await?;
    ctx.authorize_in_any(Action::View, K::Assessment, &campaign.partnerships, Some(org_of(&assessment)))?;
    Ok((campaign, assessment))
}

/// Who takes a step, checking the caller may: the organisation submits, the assessor does the rest.
fn step_party(ctx: &Ctx, step: Step, campaign: &Campaign, assessment: &Assessment) -> CoreResult<Party> {
    if step == Step::Submit {
        authorize_respondent(ctx, campaign, assessment)?;
        Ok(Party::Respondent)
    } else {
        authorize_assessor(ctx, campaign)?;
        Ok(Party::Assessor)
    }
}

fn window(c: &Campaign, a: &Assessment) -> Window {
    Window { opens_on: c.opens_on, closes_on: c.closes_on, unlocked: a.unlocked }
}

impl Core {
    /// Launches a campaign: one assessment per organisation, with each one's answers from the
    /// last campaign of the same framework carried forward, unconfirmed.
    pub async fn create_campaign(&self, ctx: &Ctx, p: PartnershipId, input: &CampaignInput) -> CoreResult<CampaignId> {
        ctx.authorize(Action::Create, &Target::new(K::Campaign, p))?;
        let mut errors = FieldErrors::new();
        let title = errors.check("title", required_text("the campaign's title", &input.title, 200));
        let framework_id = errors.check("framework_id", required_id("the framework", &input.framework_id));
        let opens = errors.check("opens_on", required_date("the opening date", &input.opens_on));
        let closes = errors.check("closes_on", required_date("the closing date", &input.closes_on));
        if let (Some(o), Some(c)) = (opens, closes)
            && c < o
        {
            errors.add("closes_on", "The closing date cannot be before the opening date");
        }
        // A shared framework, or the launching partnership's own.
        let framework = match framework_id {
            Some(id) => match self.framework(ctx, FrameworkId(id)).await {
                Ok((stored, f)) if stored.partnership_id.is_none_or(|owner| owner == p) => Some((stored, f)),
                Ok(_) | Err(CoreError::NotFound) => {
                    errors.add("framework_id", "Select the framework from the list");
                    None
                }
                Err(e) => return Err(e),
            },
            None => None,
        };
        let mut joint = vec![p];
        for raw in &input.partnership_ids {
            match raw.trim().parse::<i64>().map(PartnershipId) {
                Ok(q) if can(&ctx.actor, Action::Create, &Target::new(K::Campaign, q)) => {
                    if !joint.contains(&q) {
                        joint.push(q);
                    }
                }
                _ => errors.add(
                    "partnership_ids",
                    "Select the partnerships from the list: you can run a campaign only with partnerships where you launch campaigns",
                ),
            }
        }
        // The other partnerships' agencies could not read a partnership's own framework.
        if joint.len() > 1 && framework.as_ref().is_some_and(|(stored, _)| stored.partnership_id.is_some()) {
            errors.add(
                "framework_id",
                "This framework is your partnership's own: a campaign run with other partnerships uses a framework shared by all of them",
            );
        }
        let mut organisations = Vec::new();
        let mut conn = self.store.read().await?;
        for raw in &input.organisation_ids {
            match raw.trim().parse::<i64>() {
                Ok(id) => match assure_store::structure::organisation(&mut conn, OrganisationId(id)).await {
                    Ok(o) if joint.contains(&o.partnership_id) => {
                        if !organisations.contains(&id) {
                            organisations.push(id)
                        }
                    }
                    Ok(o) if can(&ctx.actor, Action::View, &Target::new(K::Organisation, o.partnership_id)) => errors
                        .add(
                            "organisation_ids",
                            format!(
                                "{} belongs to a partnership not running this campaign: tick that partnership too",
                                o.name
                            ),
                        ),
                    Ok(_) | Err(assure_store::StoreError::NotFound) => {
                        errors.add("organisation_ids", "Select the organisations from the list")
                    }
                    Err(e) => return Err(e.into()),
                },
                Err(_) => errors.add("organisation_ids", "Select the organisations from the list"),
            }
        }
        drop(conn);
        if organisations.is_empty() && errors.get("organisation_ids").is_none() {
            errors.add("organisation_ids", "Select at least one organisation to send it to");
        }
        let (Some(title), Some((stored, framework)), Some(opens), Some(closes)) = (title, framework, opens, closes)
        else {
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.store.write().await?;
        let id = st::insert_campaign(&mut tx, p, &joint, stored.id.0, &title, opens, closes).await?;
        let mut carried = 0;
        for org in &organisations {
            let assessment = st::insert_assessment(&mut tx, id, *org).await?;
            if let Some(previous) = st::previous_assessment(&mut tx, &stored.code, *org, id).await? {
                let old = st::answers(&mut tx, previous).await?;
                for a in asmt::carry_forward(&old, &framework) {
                    st::save_answer(&mut tx, assessment, &a).await?;
                    if framework.node(&a.question).and_then(|n| n.answer) == Some(AnswerType::File) {
                        st::copy_answer_file(&mut tx, previous, assessment, &a.question).await?;
                    }
                    carried += 1;
                }
            }
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "campaign",
                Some(id.to_string()),
                Some(p),
                json!({"framework": stored.code, "version": stored.version, "recipients": organisations.len(),
                       "answers_carried": carried, "partnerships": joint}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(CampaignId(id))
    }

    async fn campaign_with_assessments(&self, id: i64) -> CoreResult<(Campaign, Vec<Assessment>, Vec<i64>)> {
        let mut conn = self.store.read().await?;
        let campaign = st::campaign(&mut conn, id).await?;
        let assessments = st::assessments(&mut conn, id).await?;
        let answered = st::started_drafts(&mut conn, id).await?;
        Ok((campaign, assessments, answered))
    }

    /// The partnership's campaigns with their progress, newest first.
    pub async fn campaigns(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<(Campaign, Progress)>> {
        ctx.authorize(Action::View, &Target::new(K::Campaign, p))?;
        let mut conn = self.store.read().await?;
        let campaigns = st::campaigns(&mut conn, p).await?;
        let states = self.returns_by_state(ctx, &mut conn, p).await?;
        drop(conn);
        Ok(campaigns
            .into_iter()
            .map(|c| {
                let progress = Progress::of(
                    states
                        .iter()
                        .filter(|(id, _, _, _)| *id == c.id.0)
                        .flat_map(|(_, s, a, n)| std::iter::repeat_n((*s, *a), *n)),
                );
                (c, progress)
            })
            .collect())
    }

    /// One campaign: who it went to, where each return has got, and the progress.
    pub async fn campaign(&self, ctx: &Ctx, id: CampaignId) -> CoreResult<CampaignView> {
        let id = id.0;
        let (campaign, assessments, answered) = self.campaign_with_assessments(id).await?;
        ctx.authorize_in_any(Action::View, K::Campaign, &campaign.partnerships, None)?;
        let can_run = ctx.may_in_any(Action::Create, K::Campaign, &campaign.partnerships, None);
        let mut conn = self.store.read().await?;
        let nudges = st::nudges(&mut conn, id).await?;
        let mut partnership_names = Vec::new();
        for p in &campaign.partnerships {
            partnership_names.push(assure_store::structure::partnership(&mut conn, *p).await?.name);
        }
        drop(conn);
        Ok(CampaignView {
            progress: progress(&assessments, &answered),
            campaign,
            assessments,
            can_run,
            nudges,
            partnership_names,
        })
    }

    /// An assessment and its campaign, if the actor may see it: the business unit or the
    /// scrutineer of any partnership running the campaign, or the answering organisation.
    async fn load_assessment(&self, ctx: &Ctx, id: i64) -> CoreResult<(Campaign, Assessment)> {
        let mut conn = self.store.read().await?;
        let assessment = st::assessment(&mut conn, id).await?;
        let campaign = st::campaign(&mut conn, assessment.campaign_id).await?;
        drop(conn);
        ctx.authorize_in_any(Action::View, K::Assessment, &campaign.partnerships, Some(org_of(&assessment)))?;
        Ok((campaign, assessment))
    }

    /// One organisation's return, with its answers and history. The read is logged.
    pub async fn assessment(&self, ctx: &Ctx, id: AssessmentId) -> CoreResult<AssessmentView> {
        let id = id.0;
        let (campaign, assessment) = self.load_assessment(ctx, id).await?;
        let (_, framework) = self.framework_unchecked(FrameworkId(campaign.framework_id)).await?;
        let mut conn = self.store.read().await?;
        let answers: BTreeMap<String, Answer> =
            st::answers(&mut conn, id).await?.into_iter().map(|a| (a.question.clone(), a)).collect();
        let events = st::events(&mut conn, id).await?;
        let moderated: BTreeMap<String, st::Moderated> =
            st::moderated(&mut conn, id).await?.into_iter().map(|m| (m.question.clone(), m)).collect();
        let mut challenges: BTreeMap<String, Vec<st::Challenge>> = BTreeMap::new();
        for c in st::challenges(&mut conn, id).await? {
            challenges.entry(c.question.clone()).or_default().push(c);
        }
        let files = st::answer_files(&mut conn, id).await?.into_iter().map(|f| (f.question.clone(), f)).collect();
        drop(conn);
        let w = window(&campaign, &assessment);
        let scores = standard_scores(&framework, &answers, None).into_iter().collect();
        let by_question: BTreeMap<String, i64> = moderated.iter().map(|(q, m)| (q.clone(), m.score)).collect();
        let moderated_scores = standard_scores(&framework, &answers, Some(&by_question)).into_iter().collect();
        let can_respond = responds(ctx, &assessment);
        let can_assess = assesses(ctx, &campaign);
        let can_link = links_for(ctx, &assessment);
        self.log_read(ctx, "assessment", Some(id.to_string()), Some(campaign.partnership_id), json!({})).await?;
        Ok(AssessmentView {
            editable: asmt::editable(assessment.state, w, self.today()),
            locked: !w.open_for_respondent(self.today()),
            campaign,
            assessment,
            framework,
            answers,
            events,
            can_respond,
            can_assess,
            can_link,
            scores,
            moderated,
            moderated_scores,
            challenges,
            files,
        })
    }

    /// Saves a return's answers, all or none: `answers` is the whole set, so a question of the
    /// framework that is not in it, or is sent blank, loses its answer. Every answer saved is
    /// confirmed. The return is checked again inside the write, so a submission that lands
    /// between the check and the write is never overwritten.
    pub async fn save_answers(&self, ctx: &Ctx, id: AssessmentId, answers: &[AnswerInput]) -> CoreResult<()> {
        let id = id.0;
        let (campaign, assessment) = self.load_assessment(ctx, id).await?;
        may_answer(ctx, &campaign, &assessment, self.today())?;
        let (_, framework) = self.framework_unchecked(FrameworkId(campaign.framework_id)).await?;
        let (answers, cleared) = asmt::check_answers(&framework, answers)?;
        let mut tx = self.store.write().await?;
        let (campaign, assessment) = reload_assessment(&mut tx, ctx, id).await?;
        may_answer(ctx, &campaign, &assessment, self.today())?;
        let files = st::answer_files(&mut tx, id).await?;
        for a in &answers {
            st::save_answer(&mut tx, id, a).await?;
            // A file answer whose reference was replaced no longer carries the file.
            if files.iter().any(|f| f.question == a.question && a.value.as_deref() != Some(&f.file_name)) {
                st::delete_answer_file(&mut tx, id, &a.question).await?;
            }
        }
        for q in &cleared {
            st::delete_answer(&mut tx, id, q).await?;
            st::delete_answer_file(&mut tx, id, q).await?;
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "answer",
                "assessment",
                Some(id.to_string()),
                Some(campaign.partnership_id),
                json!({"answered": answers.len()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Submits, requests changes to, closes or reopens a return. The move is worked out from the
    /// state the write transaction reads, so two moves at once cannot both start from one state.
    pub async fn step_assessment(
        &self,
        ctx: &Ctx,
        id: AssessmentId,
        step: &str,
        reason: &str,
    ) -> CoreResult<AssessmentState> {
        let id = id.0;
        let (campaign, assessment) = self.load_assessment(ctx, id).await?;
        let step = Step::parse(step.trim()).ok_or_else(|| CoreError::field("step", "Choose what to do"))?;
        let party = step_party(ctx, step, &campaign, &assessment)?;
        let reason = reason.trim();
        if reason.chars().count() > 2000 {
            return Err(CoreError::field("reason", "The reason must be 2,000 characters or fewer"));
        }
        let reason = (!reason.is_empty()).then_some(reason);
        // Every question answered (or not applicable), and nothing carried left unconfirmed.
        let questions: Vec<String> = if step == Step::Submit {
            let (_, framework) = self.framework_unchecked(FrameworkId(campaign.framework_id)).await?;
            framework
                .nodes
                .iter()
                .filter(|n| n.kind == NodeKind::Question && n.answer.is_some())
                .map(|n| n.id.clone())
                .collect()
        } else {
            Vec::new()
        };
        let mut tx = self.store.write().await?;
        let (campaign, assessment) = reload_assessment(&mut tx, ctx, id).await?;
        step_party(ctx, step, &campaign, &assessment)?;
        let to = asmt::next(assessment.state, step, party, window(&campaign, &assessment), self.today(), reason)
            .map_err(|r| CoreError::field(if party == Party::Assessor { "reason" } else { "step" }, r.0))?;
        if step == Step::Submit {
            let answers = st::answers(&mut tx, id).await?;
            asmt::ready_to_submit(&questions, &answers).map_err(|why| CoreError::field("step", why))?;
        }
        st::set_state(&mut tx, id, to).await?;
        st::insert_event(&mut tx, id, step.code(), to, reason, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                step.code(),
                "assessment",
                Some(id.to_string()),
                Some(campaign.partnership_id),
                json!({"from": assessment.state, "to": to}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(to)
    }

    /// Lifts (or restores) the lock for one recipient after the closing date.
    pub async fn set_assessment_unlocked(&self, ctx: &Ctx, id: AssessmentId, unlocked: bool) -> CoreResult<()> {
        let id = id.0;
        let (campaign, assessment) = self.load_assessment(ctx, id).await?;
        authorize_assessor(ctx, &campaign)?;
        if assessment.unlocked == unlocked {
            return Ok(());
        }
        let mut tx = self.store.write().await?;
        st::set_unlocked(&mut tx, id, unlocked).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                if unlocked { "unlock" } else { "lock" },
                "assessment",
                Some(id.to_string()),
                Some(campaign.partnership_id),
                json!({}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Core {
    /// A campaign's findings for partnership `p` (each partnership running a campaign keeps
    /// its own findings on its own plan), each a recommendation with its actions.
    pub async fn campaign_findings(
        &self,
        ctx: &Ctx,
        id: CampaignId,
        p: PartnershipId,
    ) -> CoreResult<Vec<crate::learning::RecommendationItem>> {
        let id = id.0;
        let mut conn = self.store.read().await?;
        let campaign = st::campaign(&mut conn, id).await?;
        ctx.authorize_in_any(Action::View, K::Campaign, &campaign.partnerships, None)?;
        if !campaign.partnerships.contains(&p) {
            return Ok(Vec::new());
        }
        ctx.authorize(Action::View, &Target::new(K::Recommendation, p))?;
        let recs: Vec<_> = assure_store::learning::recommendations_of_campaign(&mut conn, id)
            .await?
            .into_iter()
            .filter(|r| r.partnership_id == p)
            .collect();
        let mut actions = assure_store::learning::actions_of_campaign(&mut conn, id).await?;
        drop(conn);
        let reviews: Vec<i64> = actions.iter().filter_map(|a| a.review_id).collect();
        let sources = self.sources(ctx, p, &reviews).await?;
        Ok(recs
            .into_iter()
            .map(|recommendation| {
                let (mine, rest): (Vec<_>, Vec<_>) =
                    actions.drain(..).partition(|a| a.recommendation_id == recommendation.id.0);
                actions = rest;
                crate::learning::RecommendationItem {
                    actions: mine.into_iter().map(|a| self.item(ctx, a, &sources)).collect(),
                    recommendation,
                }
            })
            .collect())
    }

    /// Records a finding of a campaign as a recommendation on partnership `p`'s plan (one of
    /// the partnerships running it); its actions then go on that plan.
    pub async fn add_finding(
        &self,
        ctx: &Ctx,
        id: CampaignId,
        p: PartnershipId,
        input: &assure_domain::learning::RecommendationInput,
    ) -> CoreResult<RecommendationId> {
        let id = id.0;
        let mut conn = self.store.read().await?;
        let campaign = st::campaign(&mut conn, id).await?;
        drop(conn);
        ctx.authorize_in_any(Action::View, K::Campaign, &campaign.partnerships, None)?;
        if !campaign.partnerships.contains(&p) {
            return Err(CoreError::NotFound);
        }
        ctx.authorize(Action::Create, &Target::new(K::Campaign, p))?;
        let origin = assure_store::learning::Origin::campaign(id);
        self.insert_recommendation(ctx, p, origin, input).await.map(RecommendationId)
    }
}

impl AssessmentView {
    /// One organisation's return as a document, for its records or the subgroup's papers: each
    /// standard's self score beside its moderated score, every answer with its moderated score.
    pub fn document(&self) -> crate::documents::Document {
        use crate::documents::{Block, Cell, Document, Marking, Table};
        let mut doc = Document::new(format!("{}: {}", self.assessment.organisation_name, self.campaign.title))
            .marked(Marking::of(K::Assessment));
        doc.push(Block::Note(format!(
            "{}. Return {}. Restricted. Produced by Assure on {}.",
            self.campaign.framework_title,
            self.assessment.state.label().to_lowercase(),
            chrono::Utc::now().format("%-d %B %Y")
        )));
        doc.heading(2, "Scores by standard");
        let mut scores = Table::new(["Standard", "Self score", "Moderated score"], &[6, 1, 1]);
        for s in self.framework.standards() {
            scores.row([
                Cell::from(format!("{}. {}", s.id, s.title)),
                Cell::number(self.scores.get(&s.id).copied().flatten(), 1),
                Cell::number(self.moderated_scores.get(&s.id).copied().flatten(), 1),
            ]);
        }
        doc.table(scores);
        doc.heading(2, "Answers");
        let mut answers = Table::new(["Question", "Answer", "Moderated score", "Evidence"], &[4, 2, 1, 3]);
        for q in self.framework.nodes.iter().filter(|n| n.kind == NodeKind::Question) {
            let a = self.answers.get(&q.id);
            let answer = match a {
                Some(a) if a.not_applicable.is_some() => {
                    Cell::from(format!("Not applicable: {}", a.not_applicable.clone().unwrap_or_default()))
                }
                Some(a) if a.score.is_some() => Cell::number(a.score.map(|s| s as f64), 0),
                Some(a) => Cell::text(a.value.clone()),
                None => Cell::from("Not answered"),
            };
            answers.row([
                Cell::from(format!("{} {}", q.id, q.title)),
                answer,
                Cell::number(self.moderated.get(&q.id).map(|m| m.score as f64), 0),
                Cell::text(a.and_then(|a| a.evidence.clone())),
            ]);
        }
        doc.table(answers);
        if !self.events.is_empty() {
            doc.heading(2, "History");
            doc.push(Block::Bullets(
                self.events
                    .iter()
                    .map(|e| {
                        let reason = e.reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default();
                        let on = chrono::NaiveDate::parse_from_str(e.created_at.get(..10).unwrap_or(""), "%Y-%m-%d")
                            .map(|d| d.format("%-d %B %Y").to_string())
                            .unwrap_or_else(|_| e.created_at.clone());
                        format!("{on}: {} ({}){reason}", e.to.label(), e.by_label)
                    })
                    .collect(),
            ));
        }
        doc
    }
}

/// How long a respondent link lasts after the campaign closes, unless revoked sooner.
const LINK_GRACE_DAYS: u64 = 14;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_as_a_count_and_a_percentage() {
        let p = Progress { recipients: 62, returned: 58, in_progress: 3, not_started: 1 };
        assert_eq!(p.summary(), "58 of 62 returned (93.5%)");
        assert_eq!(Progress::default().summary(), "no recipients");
    }
}
