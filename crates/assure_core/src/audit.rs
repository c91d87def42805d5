//! Reading and verifying the audit log.

use assure_domain::authz::ResourceKind;
use assure_domain::{Action, PartnershipId, Target};
use assure_store::audit::{self, Entry, Filter, Verification};

use crate::{Core, CoreResult, Ctx};

impl Core {
    /// The partnership's audit entries, newest first, for administrators and the scrutineer.
    pub async fn audit_entries(
        &self,
        ctx: &Ctx,
        partnership: PartnershipId,
        mut filter: Filter,
    ) -> CoreResult<(Vec<Entry>, i64)> {
        ctx.authorize(Action::View, &Target::new(ResourceKind::AuditLog, partnership))?;
        filter.partnership_id = Some(partnership.0);
        let mut conn = self.store.read().await?;
        Ok(audit::list(&mut conn, &filter).await?)
    }

    /// Checks the whole chain. The operator's command; it reads every partnership's entries.
    pub async fn verify_audit(&self, ctx: &Ctx) -> CoreResult<Verification> {
        for p in ctx.actor.partnerships() {
            ctx.authorize(Action::View, &Target::new(ResourceKind::AuditLog, p))?;
        }
        let mut conn = self.store.read().await?;
        Ok(audit::verify(&mut conn).await?)
    }
}
