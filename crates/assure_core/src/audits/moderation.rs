//! Moderating returns: the assessor's score beside the self score, challenge threads per
//! question, files given as answers, and reminders to the organisations yet to return.

use assure_domain::audits::assessment::{self as asmt, Answer, AssessmentState, ModerationInput, Party};
use assure_domain::audits::framework::{AnswerType, NodeKind};
use assure_domain::structure::Choice;
use assure_domain::{AssessmentId, CampaignId, FieldErrors, FrameworkId, OrganisationId, PartnershipId};
use assure_store::audit_log;
use assure_store::audits::{self as st, Assessment, Campaign};
use assure_store::reminders::{self as rst};
use base64::Engine;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sha2::Digest;

use super::{assesses, authorize_assessor, authorize_respondent, responds, window};
use crate::learning::{UploadFile, clean_file_name};
use crate::reminders::Event;
use crate::{Core, CoreError, CoreResult, Ctx};

/// What a one-click reminder did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NudgeReport {
    /// Organisations yet to return whose agency leads were reminded.
    pub organisations: usize,
    /// People reminded (each at most once a day for each return).
    pub people: usize,
    /// Organisations yet to return with no one holding an account to remind: send their link.
    pub unreachable: Vec<String>,
}

impl NudgeReport {
    pub fn summary(&self) -> String {
        let mut s = match (self.organisations, self.people) {
            (0, _) => "No one was reminded".to_owned(),
            (_, 0) => "Everyone with an account yet to return has already been reminded today".to_owned(),
            (o, p) => format!(
                "Reminded {p} {} at {o} organisation{}",
                if p == 1 { "person" } else { "people" },
                if o == 1 { "" } else { "s" }
            ),
        };
        if !self.unreachable.is_empty() {
            s.push_str(&format!(
                ". No one at {} has an account: send them a link ({})",
                if self.unreachable.len() == 1 {
                    "one organisation".to_owned()
                } else {
                    format!("{} organisations", self.unreachable.len())
                },
                self.unreachable.join(", ")
            ));
        }
        s
    }
}

/// Whether a return is still owed.
fn outstanding(state: AssessmentState) -> bool {
    matches!(state, AssessmentState::Draft | AssessmentState::ChangesRequested)
}

/// Whether the caller may moderate this return now: an assessor, once it is submitted and
/// until it is closed.
fn may_moderate(ctx: &Ctx, campaign: &Campaign, assessment: &Assessment) -> CoreResult<()> {
    authorize_assessor(ctx, campaign)?;
    match assessment.state {
        AssessmentState::Draft => {
            Err(CoreError::field("moderation", "The return has not been submitted yet: moderate it once it is"))
        }
        AssessmentState::Closed => {
            Err(CoreError::field("moderation", "The return is closed: reopen it to change the moderated scores"))
        }
        _ => Ok(()),
    }
}

impl Core {
    /// Sets the assessor's moderated scores (a blank score goes back to the self score), all or
    /// none. Only a return that has been submitted, and is not closed, is moderated; that is
    /// checked again inside the write.
    pub async fn moderate(&self, ctx: &Ctx, id: AssessmentId, scores: &[ModerationInput]) -> CoreResult<usize> {
        let id = id.0;
        let (campaign, assessment) = self.load_assessment(ctx, id).await?;
        may_moderate(ctx, &campaign, &assessment)?;
        let (_, framework) = self.framework_unchecked(FrameworkId(campaign.framework_id)).await?;
        let mut errors = FieldErrors::new();
        let mut changes: Vec<(String, Option<i64>)> = Vec::new();
        for m in scores {
            let (q, value) = (m.question.trim(), m.score.trim());
            let named = match framework.node(q) {
                Some(n) if n.answer == Some(AnswerType::Score) => n.named(),
                _ => {
                    errors.add("moderation", format!("{q} is not a scored question of this framework"));
                    continue;
                }
            };
            if value.is_empty() {
                changes.push((q.to_owned(), None));
            } else {
                match value.parse::<i64>() {
                    Ok(s) if framework.scheme.allows(s) => changes.push((q.to_owned(), Some(s))),
                    _ => errors
                        .add(&format!("moderated:{q}"), format!("{named}: choose a moderated score on the scheme")),
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.store.write().await?;
        let (campaign, assessment) = super::reload_assessment(&mut tx, ctx, id).await?;
        may_moderate(ctx, &campaign, &assessment)?;
        let before = st::moderated(&mut tx, id).await?;
        let changed: Vec<&(String, Option<i64>)> =
            changes.iter().filter(|(q, s)| before.iter().find(|m| m.question == *q).map(|m| m.score) != *s).collect();
        if changed.is_empty() {
            return Ok(0);
        }
        for (q, s) in &changed {
            st::set_moderated(&mut tx, id, q, *s, &ctx.name).await?;
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "moderate",
                "assessment",
                Some(id.to_string()),
                Some(campaign.partnership_id),
                json!({"scores": changed.iter().map(|(q, s)| json!({"question": q, "score": s})).collect::<Vec<_>>()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(changed.len())
    }

    /// Adds a comment to a question's challenge thread: the assessor asks ("why not 4?"), the
    /// organisation answers. The other side is told in the application (and by e-mail).
    pub async fn add_challenge(&self, ctx: &Ctx, id: AssessmentId, question: &str, body: &str) -> CoreResult<i64> {
        let id = id.0;
        self.record_challenge(ctx, id, question, body, true).await
    }

    /// As `add_challenge`; `notify` false records a past discussion (the demo's) without
    /// telling anyone of it now.
    pub(crate) async fn record_challenge(
        &self,
        ctx: &Ctx,
        id: i64,
        question: &str,
        body: &str,
        notify: bool,
    ) -> CoreResult<i64> {
        let (campaign, assessment) = self.load_assessment(ctx, id).await?;
        let party = if assesses(ctx, &campaign) {
            Party::Assessor
        } else if responds(ctx, &assessment) {
            Party::Respondent
        } else {
            return Err(CoreError::Forbidden);
        };
        let (_, framework) = self.framework_unchecked(FrameworkId(campaign.framework_id)).await?;
        let mut errors = FieldErrors::new();
        let question = question.trim();
        if framework.node(question).is_none_or(|n| n.kind != NodeKind::Question) {
            errors.add("question", "Select the question from the list");
        }
        let body = body.trim();
        if body.is_empty() {
            errors.add("body", if party == Party::Assessor { "Enter the challenge" } else { "Enter your reply" });
        } else if body.chars().count() > 2000 {
            errors.add("body", "The comment must be 2,000 characters or fewer");
        }
        if assessment.state == AssessmentState::Closed {
            errors.add("body", "The return is closed: reopen it to continue the discussion");
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        // The other side hears of it: the organisation's agency leads, or the business unit of
        // the partnership leading the campaign.
        let mut conn = self.store.read().await?;
        let (recipients, partnership, message) = if party == Party::Assessor {
            (
                rst::holders(
                    &mut conn,
                    assessment.organisation_partnership,
                    "agency_lead",
                    Some(OrganisationId(assessment.organisation_id)),
                )
                .await?,
                assessment.organisation_partnership,
                format!("The assessor has challenged answer {question} of your return to {}.", campaign.title),
            )
        } else {
            (
                rst::holders(&mut conn, campaign.partnership_id, "business_unit", None).await?,
                campaign.partnership_id,
                format!(
                    "{} has replied on answer {question} of its return to {}.",
                    assessment.organisation_name, campaign.title
                ),
            )
        };
        drop(conn);
        let event = Event {
            key: format!("challenge:{id}:{}", crate::accounts::auth::random_token(12)),
            partnership,
            message,
            link: format!("/audits/assessments/{id}#question-{question}"),
            recipients: recipients.into_iter().filter(|r| notify && Some(r.user_id) != ctx.user_id()).collect(),
        };
        let mut comment = 0;
        let (label, q, partnership_id) = (ctx.name.clone(), question.to_owned(), campaign.partnership_id);
        self.deliver(vec![event], "Assure: a question about an audit return", async |conn| {
            comment = st::insert_challenge(conn, id, &q, party, body, &label).await?;
            audit_log::append(
                conn,
                ctx.entry(
                    "challenge",
                    "assessment",
                    Some(id.to_string()),
                    Some(partnership_id),
                    json!({"question": q, "party": party.code(), "comment_id": comment}),
                ),
            )
            .await?;
            Ok(())
        })
        .await?;
        Ok(comment)
    }

    /// Gives a file as the answer to a file question, replacing any earlier one. The answer
    /// then names the file and counts as confirmed.
    /// May the actor give a file as an answer on this return? Asked before the file is read.
    pub async fn permit_answer_file(&self, ctx: &Ctx, id: AssessmentId) -> CoreResult<crate::UploadPermit> {
        let id = id.0;
        let (campaign, assessment) = self.load_assessment(ctx, id).await?;
        authorize_respondent(ctx, &campaign, &assessment)?;
        Ok(crate::UploadPermit::granted())
    }

    pub async fn upload_answer_file(
        &self,
        ctx: &Ctx,
        id: AssessmentId,
        question: &str,
        file: Option<UploadFile>,
    ) -> CoreResult<()> {
        let id = id.0;
        let (campaign, assessment) = self.load_assessment(ctx, id).await?;
        authorize_respondent(ctx, &campaign, &assessment)?;
        if !asmt::editable(assessment.state, window(&campaign, &assessment), self.today()) {
            return Err(CoreError::field("file", "The return cannot be changed now"));
        }
        let (_, framework) = self.framework_unchecked(FrameworkId(campaign.framework_id)).await?;
        let question = question.trim();
        if framework.node(question).and_then(|n| n.answer) != Some(AnswerType::File) {
            return Err(CoreError::field("question", "Select a question that asks for a file"));
        }
        let file = match file {
            Some(f) if !f.bytes.is_empty() || !f.name.is_empty() => f,
            _ => return Err(CoreError::field("file", "Choose the file to upload")),
        };
        if let Some(message) = file.problem() {
            return Err(CoreError::field("file", message));
        }
        let name = clean_file_name(&file.name);
        let meta = st::AnswerFile {
            question: question.to_owned(),
            file_name: name.clone(),
            content_type: file.content_type_to_keep().to_owned(),
            size: file.bytes.len() as i64,
            sha256: hex::encode(sha2::Sha256::digest(&file.bytes)),
            by_label: ctx.name.clone(),
            created_at: String::new(),
        };
        let mut conn = self.store.read().await?;
        let evidence =
            st::answers(&mut conn, id).await?.into_iter().find(|a| a.question == question).and_then(|a| a.evidence);
        drop(conn);
        let mut tx = self.store.write().await?;
        st::put_answer_file(&mut tx, id, &meta, &base64::engine::general_purpose::STANDARD.encode(&file.bytes)).await?;
        let answer = Answer {
            question: question.to_owned(),
            score: None,
            not_applicable: None,
            value: Some(name.clone()),
            evidence,
            confirmed: true,
        };
        st::save_answer(&mut tx, id, &answer).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "answer_file",
                "assessment",
                Some(id.to_string()),
                Some(campaign.partnership_id),
                json!({"question": question, "name": name, "size": meta.size, "sha256": meta.sha256}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The file given as an answer, for whoever may see the return. The read is logged.
    pub async fn answer_file(
        &self,
        ctx: &Ctx,
        id: AssessmentId,
        question: &str,
    ) -> CoreResult<(st::AnswerFile, Vec<u8>)> {
        let id = id.0;
        let (campaign, _) = self.load_assessment(ctx, id).await?;
        let mut conn = self.store.read().await?;
        let (meta, content) = st::answer_file(&mut conn, id, question).await?;
        drop(conn);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(content)
            .map_err(|e| CoreError::Internal(format!("answer file {id}/{question} is not base64: {e}")))?;
        self.log_read(
            ctx,
            "assessment",
            Some(id.to_string()),
            Some(campaign.partnership_id),
            json!({"file": question}),
        )
        .await?;
        Ok((meta, bytes))
    }

    /// Reminds every organisation yet to return (a draft, or changes asked for): its agency
    /// leads, in the application and by e-mail, at most once a day for each return.
    pub async fn remind_laggards(&self, ctx: &Ctx, campaign_id: CampaignId) -> CoreResult<NudgeReport> {
        let campaign_id = campaign_id.0;
        let mut conn = self.store.read().await?;
        let campaign = st::campaign(&mut conn, campaign_id).await?;
        drop(conn);
        ctx.authorize_in_any(
            assure_domain::Action::View,
            assure_domain::ResourceKind::Campaign,
            &campaign.partnerships,
            None,
        )?;
        authorize_assessor(ctx, &campaign)?;
        let today = self.today();
        let mut conn = self.store.read().await?;
        let mut report = NudgeReport::default();
        let mut events = Vec::new();
        for a in st::assessments(&mut conn, campaign_id).await?.into_iter().filter(|a| outstanding(a.state)) {
            let leads = rst::holders(
                &mut conn,
                a.organisation_partnership,
                "agency_lead",
                Some(OrganisationId(a.organisation_id)),
            )
            .await?;
            if leads.is_empty() {
                report.unreachable.push(a.organisation_name.clone());
                continue;
            }
            report.organisations += 1;
            events.push(Event {
                key: format!("campaign:{campaign_id}:nudge:{today}:{}", a.id),
                partnership: a.organisation_partnership,
                message: format!(
                    "{}'s return to {} is not in yet: the audit closes on {}.",
                    a.organisation_name,
                    campaign.title,
                    campaign.closes_on.format("%-d %B %Y")
                ),
                link: format!("/audits/assessments/{}", a.id),
                recipients: leads,
            });
        }
        drop(conn);
        let (organisations, label) = (report.organisations as i64, ctx.name.clone());
        let unreachable = report.unreachable.clone();
        let sent = self
            .deliver(events, "Assure: an audit return is due", async |conn| {
                audit_log::append(
                    conn,
                    ctx.entry(
                        "remind",
                        "campaign",
                        Some(campaign_id.to_string()),
                        Some(campaign.partnership_id),
                        json!({"organisations": organisations, "no_account": unreachable}),
                    ),
                )
                .await?;
                Ok(())
            })
            .await?;
        report.people = sent.notifications;
        let mut tx = self.store.write().await?;
        st::insert_nudge(&mut tx, campaign_id, &label, organisations, sent.notifications as i64).await?;
        tx.commit().await?;
        Ok(report)
    }

    /// The hourly reminders for returns owed to campaigns `p` runs: to the agency leads of `p`'s
    /// own organisations, a week (five working days) before the closing date and after it.
    pub(crate) async fn campaign_reminder_events(
        &self,
        conn: &mut assure_store::Conn,
        p: PartnershipId,
        today: NaiveDate,
        cal: &assure_domain::reviews::calendar::WorkingCalendar,
    ) -> CoreResult<Vec<Event>> {
        let mut events = Vec::new();
        for c in st::campaigns(conn, p).await? {
            if c.opens_on > today {
                continue;
            }
            let Some(phase) = crate::reminders::due_phase(today, c.closes_on, 5, cal) else { continue };
            for a in st::assessments(conn, c.id.0).await? {
                if a.organisation_partnership != p || !outstanding(a.state) {
                    continue;
                }
                let leads = rst::holders(conn, p, "agency_lead", Some(OrganisationId(a.organisation_id))).await?;
                if leads.is_empty() {
                    continue;
                }
                events.push(Event {
                    key: format!("campaign:{}:return:{}:{}:{}", c.id, a.id, c.closes_on, phase.code()),
                    partnership: p,
                    message: format!(
                        "{}'s return to {} {} {}.",
                        a.organisation_name,
                        c.title,
                        phase.was_or_is_due(),
                        c.closes_on.format("%-d %B %Y")
                    ),
                    link: format!("/audits/assessments/{}", a.id),
                    recipients: leads,
                });
            }
        }
        Ok(events)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reminder_says_who_was_reached_and_who_needs_a_link() {
        let r = NudgeReport { organisations: 2, people: 3, unreachable: vec!["Alder Primary School".into()] };
        assert_eq!(
            r.summary(),
            "Reminded 3 people at 2 organisations. No one at one organisation has an account: send them a link (Alder Primary School)"
        );
        assert_eq!(NudgeReport::default().summary(), "No one was reminded");
        assert_eq!(
            NudgeReport { organisations: 1, people: 0, unreachable: Vec::new() }.summary(),
            "Everyone with an account yet to return has already been reminded today"
        );
    }
}
