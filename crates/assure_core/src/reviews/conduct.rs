//! How a review is conducted: appointing its independent reviewer or author (with the agreed
//! cost, which the partnership's finances count as review costs), and recording the learning
//! events where the practitioners involved were heard. Restricted like the review: read by its
//! panel, the business unit and the scrutineer; recorded by those who keep the review.

use super::*;
use assure_domain::reviews::conduct::{AppointmentInput, LearningEventInput};

pub use assure_store::reviews::conduct::{Appointment, LearningEvent, ReviewTerms};

use crate::UploadPermit;
use crate::learning::{UploadFile, clean_file_name};
use base64::Engine as _;
use sha2::Digest as _;

/// A review's appointments and learning events.
#[derive(Debug, Clone, Default)]
pub struct Conduct {
    pub appointments: Vec<Appointment>,
    pub events: Vec<LearningEvent>,
    /// Its own terms of reference, newest version first (the first is the one in force).
    pub terms: Vec<ReviewTerms>,
    /// A child death review's findings, once the panel has recorded them.
    pub findings: Option<assure_domain::reviews::child_deaths::Findings>,
    /// The agreed costs of its appointments, in pence.
    pub total_cost_pence: i64,
}

impl Core {
    /// A review's appointments and learning events, for whoever may see the review. The read is
    /// logged.
    pub async fn review_conduct(&self, ctx: &Ctx, id: ReviewId) -> CoreResult<Conduct> {
        let (review, _) = self.load(ctx, id.0).await?;
        let conduct = self.read_conduct(id.0).await?;
        self.log_read(ctx, "review", Some(id.to_string()), Some(review.partnership_id), json!({"part": "conduct"}))
            .await?;
        Ok(conduct)
    }

    /// The conduct of a review already read (and its read logged) by [`Core::review`]: the
    /// review's page shows both, as one logged read.
    pub async fn conduct_of(&self, d: &super::ReviewDetail) -> CoreResult<Conduct> {
        self.read_conduct(d.review.id.0).await
    }

    async fn read_conduct(&self, id: i64) -> CoreResult<Conduct> {
        let mut conn = self.store.read().await?;
        let appointments = assure_store::reviews::conduct::appointments(&mut conn, id).await?;
        let events = assure_store::reviews::conduct::learning_events(&mut conn, id).await?;
        let terms = assure_store::reviews::conduct::review_terms(&mut conn, id).await?;
        let findings = assure_store::reviews::conduct::findings(&mut conn, id).await?;
        let total_cost_pence = appointments.iter().filter_map(|a| a.cost_pence).sum();
        Ok(Conduct { appointments, events, terms, findings, total_cost_pence })
    }

    /// Records who is appointed to lead or write a review, from when, and the agreed cost.
    pub async fn appoint(&self, ctx: &Ctx, id: ReviewId, input: &AppointmentInput) -> CoreResult<i64> {
        let (review, on_panel) = self.load(ctx, id.0).await?;
        ctx.authorize(Action::Update, &review_target(&review, on_panel))?;
        let a = input.validate()?;
        let mut tx = self.store.write().await?;
        let appointment = assure_store::reviews::conduct::insert_appointment(&mut tx, id.0, &a, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "appoint",
                "review",
                Some(id.to_string()),
                Some(review.partnership_id),
                json!({"appointment_id": appointment, "role": a.role.code(), "appointed_on": a.appointed_on, "cost_pence": a.cost_pence}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(appointment)
    }

    /// Records a practitioner learning event of a review: when, which agencies' practitioners
    /// attended and how many, and what was heard. The agencies are the partnership's.
    pub async fn record_learning_event(&self, ctx: &Ctx, id: ReviewId, input: &LearningEventInput) -> CoreResult<i64> {
        let (review, on_panel) = self.load(ctx, id.0).await?;
        ctx.authorize(Action::Update, &review_target(&review, on_panel))?;
        let e = input.validate(self.today())?;
        let mut tx = self.store.write().await?;
        for org in &e.organisation_ids {
            match assure_store::structure::organisation(&mut tx, assure_domain::OrganisationId(*org)).await {
                Ok(o) if o.partnership_id == review.partnership_id => {}
                Ok(_) | Err(assure_store::StoreError::NotFound) => {
                    return Err(CoreError::field("organisation_ids", "Select the agencies from the list"));
                }
                Err(other) => return Err(other.into()),
            }
        }
        let event = assure_store::reviews::conduct::insert_learning_event(&mut tx, id.0, &e, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "learning_event",
                "review",
                Some(id.to_string()),
                Some(review.partnership_id),
                json!({"event_id": event, "held_on": e.held_on, "organisation_ids": e.organisation_ids, "attendees": e.attendees}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(event)
    }

    /// May the actor add a version of the review's terms of reference? Asked before the file is
    /// read.
    pub async fn permit_review_terms(&self, ctx: &Ctx, id: ReviewId) -> CoreResult<UploadPermit> {
        self.authorize_review_update(ctx, id).await?;
        Ok(UploadPermit::granted())
    }

    /// Keeps a new version of the review's own terms of reference: the document, and the date the
    /// panel agreed it. Returns the version's number.
    pub async fn add_review_terms(
        &self,
        ctx: &Ctx,
        id: ReviewId,
        agreed_on: &str,
        note: &str,
        file: Option<UploadFile>,
    ) -> CoreResult<i64> {
        let (review, on_panel) = self.load(ctx, id.0).await?;
        ctx.authorize(Action::Update, &review_target(&review, on_panel))?;
        let mut errors = FieldErrors::new();
        let agreed = errors.check("agreed_on", required_date("the date the panel agreed them", agreed_on));
        if agreed.is_some_and(|d| d > self.today()) {
            errors.add("agreed_on", "The date the panel agreed them cannot be in the future");
        }
        let note = errors.check("note", assure_domain::validation::optional_text("the note", note, 2000));
        let file = file.filter(|f| !f.bytes.is_empty() || !f.name.is_empty());
        match file.as_ref().map(UploadFile::problem) {
            None => errors.add("file", "Choose the document"),
            Some(Some(message)) => errors.add("file", message),
            Some(None) => {}
        }
        let (Some(agreed), Some(note), Some(file)) = (agreed, note, file) else { return Err(errors.into()) };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let name = clean_file_name(&file.name);
        let sha = hex::encode(sha2::Sha256::digest(&file.bytes));
        let content = base64::engine::general_purpose::STANDARD.encode(&file.bytes);
        let content_type = file.content_type_to_keep();
        let mut tx = self.store.write().await?;
        let (terms, version) = assure_store::reviews::conduct::insert_review_terms(
            &mut tx,
            id.0,
            &assure_store::reviews::conduct::NewReviewTerms {
                agreed_on: agreed,
                note: note.as_deref(),
                file_name: &name,
                content_type,
                size: file.bytes.len() as i64,
                sha256: &sha,
                content: &content,
            },
            &ctx.name,
        )
        .await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "terms",
                "review",
                Some(id.to_string()),
                Some(review.partnership_id),
                json!({"terms_id": terms, "version": version, "agreed_on": agreed, "name": name, "sha256": sha}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// A version of a review's terms of reference with its bytes, for whoever may see the review.
    /// The read is logged.
    pub async fn review_terms_file(&self, ctx: &Ctx, terms_id: i64) -> CoreResult<(ReviewTerms, Vec<u8>)> {
        let mut conn = self.store.read().await?;
        let (terms, content) = assure_store::reviews::conduct::review_terms_file(&mut conn, terms_id).await?;
        drop(conn);
        let (review, _) = self.load(ctx, terms.review_id).await?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(content)
            .map_err(|e| CoreError::Internal(format!("review terms {terms_id} are not base64: {e}")))?;
        self.log_read(
            ctx,
            "review",
            Some(review.id.to_string()),
            Some(review.partnership_id),
            json!({"terms_id": terms_id}),
        )
        .await?;
        Ok((terms, bytes))
    }

    /// Records (or corrects) the Child Death Overview Panel's findings on a child death review.
    pub async fn record_child_death_findings(
        &self,
        ctx: &Ctx,
        id: ReviewId,
        input: &assure_domain::reviews::child_deaths::FindingsInput,
    ) -> CoreResult<()> {
        let (review, on_panel) = self.load(ctx, id.0).await?;
        ctx.authorize(Action::Update, &review_target(&review, on_panel))?;
        if !self.kind_of(&review)?.child_death {
            return Err(CoreError::field("category", "Only a child death review has the panel's findings"));
        }
        let f = input.validate(self.today())?;
        let mut tx = self.store.write().await?;
        assure_store::reviews::conduct::put_findings(&mut tx, id.0, &f, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "findings",
                "review",
                Some(id.to_string()),
                Some(review.partnership_id),
                json!({"category": f.category.code(), "modifiable": f.modifiable, "reviewed_on": f.reviewed_on}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The partnership's child death figures by financial year: deaths reviewed, by category,
    /// and with modifiable factors. Counts only, naming no child; for those who see the
    /// partnership's reviews (the business unit, administrators, the scrutineer).
    pub async fn child_death_figures(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
    ) -> CoreResult<Vec<assure_domain::reviews::child_deaths::YearFigures>> {
        ctx.authorize(Action::View, &Target::new(K::Review, p))?;
        let mut conn = self.store.read().await?;
        let findings = assure_store::reviews::conduct::findings_in(&mut conn, p).await?;
        Ok(assure_domain::reviews::child_deaths::figures(&findings))
    }
}
