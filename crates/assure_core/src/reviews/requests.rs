//! What a review asks of an agency, and the documents the agency sends in answer: its summary,
//! or any report the request asks for. The agency asked sends them on the request's page; the
//! request is then marked returned. Only the review's panel and the business unit read them, and
//! every read is logged.

use super::*;
use crate::UploadPermit;
use crate::learning::{MAX_FILES, UploadFile, clean_file_name};
use assure_domain::{OrganisationId, RequestDocumentId, can};
use base64::Engine as _;
use sha2::Digest as _;

pub use assure_store::reviews::RequestDocument;

/// One request as its page shows it.
#[derive(Debug, Clone)]
pub struct RequestView {
    pub request: st::Request,
    pub clock: Clock,
    /// The review's subject, for those who may see the review; an agency lead who is not on its
    /// panel is told only that a case review asks.
    pub review_subject: Option<String>,
    /// What was sent, in the order it came.
    pub documents: Vec<RequestDocument>,
    /// The actor may send documents in answer (the agency asked, or the business unit).
    pub may_send: bool,
    /// The actor may open what was sent (the review's panel and the business unit).
    pub may_read: bool,
}

/// Who the actor is to one request.
struct Standing {
    request: st::Request,
    review: Review,
    sees_review: bool,
    target: Target,
}

impl Core {
    /// The request with its review, and what the actor may do with it: not found unless the actor
    /// sees the review or acts for the organisation asked.
    async fn request_standing(&self, ctx: &Ctx, request_id: i64) -> CoreResult<Standing> {
        let panels = self.on_panels(ctx).await?;
        let mut conn = self.store.read().await?;
        let review_id = st::request_review(&mut conn, request_id).await?;
        let review = st::review(&mut conn, review_id).await?;
        let request = st::requests(&mut conn, review_id)
            .await?
            .into_iter()
            .find(|q| q.id == RequestId(request_id))
            .ok_or(CoreError::NotFound)?;
        drop(conn);
        let on_panel = panels.contains(&review_id);
        let sees_review = may_see(ctx, &panels, &review);
        let asked = ctx.actor.acts_for(review.partnership_id, OrganisationId(request.organisation_id));
        if !sees_review && !asked {
            return Err(CoreError::NotFound);
        }
        let target = Target::new(K::RequestDocument, review.partnership_id)
            .organisation(Some(OrganisationId(request.organisation_id)))
            .on_panel(on_panel)
            .asked(true);
        Ok(Standing { request, review, sees_review, target })
    }

    /// One request with what was sent in answer. Whoever sees the review has its read logged.
    pub async fn information_request(&self, ctx: &Ctx, id: RequestId) -> CoreResult<RequestView> {
        let s = self.request_standing(ctx, id.0).await?;
        let mut conn = self.store.read().await?;
        let documents = st::request_documents(&mut conn, id.0).await?;
        drop(conn);
        let cal = self.working_calendar().await?;
        if s.sees_review {
            self.log_reviews_read(ctx, s.review.partnership_id, std::iter::once(s.review.id.0)).await?;
        }
        let clock = request_clock(&s.request, self.today(), &cal);
        Ok(RequestView {
            clock,
            review_subject: s.sees_review.then(|| s.review.subject.clone()),
            documents,
            may_send: can(&ctx.actor, Action::Create, &s.target),
            may_read: can(&ctx.actor, Action::View, &s.target),
            request: s.request,
        })
    }

    /// May the actor send documents in answer to this request? Asked before the files are read.
    pub async fn permit_request_documents(&self, ctx: &Ctx, id: RequestId) -> CoreResult<UploadPermit> {
        let s = self.request_standing(ctx, id.0).await?;
        ctx.authorize(Action::Create, &s.target)?;
        Ok(UploadPermit::granted())
    }

    /// Keeps the documents an agency sends in answer to a request, all or none, and marks the
    /// request returned today if it was not already.
    pub async fn send_request_documents(&self, ctx: &Ctx, id: RequestId, files: Vec<UploadFile>) -> CoreResult<()> {
        let s = self.request_standing(ctx, id.0).await?;
        ctx.authorize(Action::Create, &s.target)?;
        let files: Vec<UploadFile> = files.into_iter().filter(|f| !f.bytes.is_empty() || !f.name.is_empty()).collect();
        let mut errors = FieldErrors::new();
        if files.is_empty() {
            errors.add("files", "Choose the file to send");
        }
        if files.len() > MAX_FILES {
            errors.add("files", format!("Send at most {MAX_FILES} files at a time"));
        }
        for message in files.iter().filter_map(UploadFile::problem) {
            errors.add("files", message);
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let today = self.today();
        let mut sent = Vec::new();
        let mut tx = self.store.write().await?;
        for f in &files {
            let name = clean_file_name(&f.name);
            let content_type = f.content_type_to_keep();
            let sha = hex::encode(sha2::Sha256::digest(&f.bytes));
            let content = base64::engine::general_purpose::STANDARD.encode(&f.bytes);
            let doc = st::insert_request_document(
                &mut tx,
                &st::NewRequestDocument {
                    request_id: id.0,
                    file_name: &name,
                    content_type,
                    size: f.bytes.len() as i64,
                    sha256: &sha,
                    content: &content,
                    sent_by: ctx.user_id(),
                    sent_by_label: &ctx.name,
                },
            )
            .await?;
            sent.push(json!({"document_id": doc, "name": name, "size": f.bytes.len(), "sha256": sha}));
        }
        let returned = s.request.returned_on.is_none();
        if returned {
            st::set_request_returned(&mut tx, id.0, Some(today)).await?;
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "request_documents",
                "review",
                Some(s.review.id.to_string()),
                Some(s.review.partnership_id),
                json!({
                    "request_id": id.0,
                    "organisation_id": s.request.organisation_id,
                    "files": sent,
                    "returned_on": returned.then_some(today),
                }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A document sent in answer to a request, for the review's panel and the business unit.
    /// The read is logged.
    pub async fn request_document(&self, ctx: &Ctx, id: RequestDocumentId) -> CoreResult<(RequestDocument, Vec<u8>)> {
        let mut conn = self.store.read().await?;
        let (doc, content) = st::request_document(&mut conn, id.0).await?;
        drop(conn);
        let s = self.request_standing(ctx, doc.request_id.0).await?;
        ctx.authorize(Action::View, &s.target)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(content)
            .map_err(|e| CoreError::Internal(format!("request document {id} is not base64: {e}")))?;
        self.log_read(
            ctx,
            "request_document",
            Some(id.to_string()),
            Some(s.review.partnership_id),
            json!({"review_id": s.review.id.0, "request_id": doc.request_id.0}),
        )
        .await?;
        Ok((doc, bytes))
    }
}
