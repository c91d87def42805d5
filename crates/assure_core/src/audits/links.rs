//! Respondent links: an organisation without an account answers its return through a link that
//! opens that one return and nothing else.

use super::*;
use assure_domain::{AssessmentId, LinkId};

impl Core {
    /// Makes a link that lets the organisation answer this one assessment without an account.
    /// Returns the link's id and its token, shown once: only the token's hash is kept.
    pub async fn create_respondent_link(&self, ctx: &Ctx, assessment_id: AssessmentId) -> CoreResult<(LinkId, String)> {
        let assessment_id = assessment_id.0;
        let (campaign, assessment) = self.load_assessment(ctx, assessment_id).await?;
        if !links_for(ctx, &assessment) {
            // A joint partner sees the return (so "forbidden"), but a link would answer it.
            return Err(CoreError::Forbidden);
        }
        let token = crate::accounts::auth::random_token(32);
        let hash = crate::accounts::auth::token_hash(&token);
        let expires = campaign.closes_on.max(self.today()) + chrono::Days::new(LINK_GRACE_DAYS);
        let mut tx = self.store.write().await?;
        let id = st::insert_link(&mut tx, assessment_id, &hash, &ctx.name, expires).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "link_create",
                "assessment",
                Some(assessment_id.to_string()),
                Some(campaign.partnership_id),
                json!({"link_id": id, "expires_on": expires}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok((LinkId(id), token))
    }

    /// The links made for an assessment (never their tokens).
    pub async fn respondent_links(&self, ctx: &Ctx, assessment_id: AssessmentId) -> CoreResult<Vec<st::Link>> {
        let assessment_id = assessment_id.0;
        let (campaign, _) = self.load_assessment(ctx, assessment_id).await?;
        authorize_assessor(ctx, &campaign)?;
        let mut conn = self.store.read().await?;
        Ok(st::links_of(&mut conn, assessment_id).await?)
    }

    /// Stops a link working. Returns its assessment.
    pub async fn revoke_respondent_link(&self, ctx: &Ctx, link_id: LinkId) -> CoreResult<AssessmentId> {
        let link_id = link_id.0;
        let mut conn = self.store.read().await?;
        let link = st::link(&mut conn, link_id).await?;
        drop(conn);
        let (campaign, _) = self.load_assessment(ctx, link.assessment_id).await?;
        authorize_assessor(ctx, &campaign)?;
        let mut tx = self.store.write().await?;
        st::revoke_link(&mut tx, link_id).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "link_revoke",
                "assessment",
                Some(link.assessment_id.to_string()),
                Some(campaign.partnership_id),
                json!({"link_id": link_id}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(AssessmentId(link.assessment_id))
    }

    /// Whoever holds a link, as the rules see them: the answering organisation's agency lead for
    /// this one assessment, named in the audit log by the link. A token that is unknown, expired
    /// or revoked is "not found", logged, and counted against the address's attempts.
    pub async fn respondent(
        &self,
        token: &str,
        ip: Option<String>,
        request_id: Option<String>,
    ) -> CoreResult<(Ctx, AssessmentId)> {
        let address = format!("link:{}", ip.clone().unwrap_or_default());
        let hash = crate::accounts::auth::token_hash(token.trim());
        let mut conn = self.store.read().await?;
        let link = st::link_by_hash(&mut conn, &hash).await?;
        let usable = link.as_ref().filter(|l| l.revoked_at.is_none() && l.expires_on >= self.today());
        let Some(link) = usable.cloned() else {
            drop(conn);
            let blocked = self.throttle.blocked(&address);
            self.throttle.failed(&address);
            let mut tx = self.store.write().await?;
            audit_log::append(
                &mut tx,
                assure_store::audit_log::NewEntry {
                    actor_user_id: None,
                    actor_label: "respondent link".into(),
                    action: "link_refused".into(),
                    record_type: "assessment".into(),
                    record_id: link.as_ref().map(|l| l.assessment_id.to_string()),
                    partnership_id: None,
                    ip,
                    request_id,
                    detail: json!({"reason": match &link {
                        None => "unknown",
                        Some(l) if l.revoked_at.is_some() => "revoked",
                        Some(_) => "expired",
                    }}),
                },
            )
            .await?;
            tx.commit().await?;
            return Err(match blocked {
                None => CoreError::NotFound,
                Some(retry_after) => CoreError::Throttled { retry_after },
            });
        };
        let assessment = st::assessment(&mut conn, link.assessment_id).await?;
        drop(conn);
        let mut tx = self.store.write().await?;
        st::touch_link(&mut tx, link.id.0).await?;
        tx.commit().await?;
        let ctx = Ctx {
            actor: assure_domain::Actor {
                user: assure_domain::UserId(0),
                grants: vec![assure_domain::Grant {
                    role: assure_domain::Role::AgencyLead,
                    scope: assure_domain::Scope::Organisation(
                        assessment.organisation_partnership,
                        OrganisationId(assessment.organisation_id),
                    ),
                }],
            },
            label: format!("link {} ({})", link.id, assessment.organisation_name),
            name: format!("{} (through a link)", assessment.organisation_name),
            ip,
            request_id,
            generations: None,
        };
        Ok((ctx, AssessmentId(link.assessment_id)))
    }
}
