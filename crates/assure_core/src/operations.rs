//! Whole-database operations for the operator: backup and restore.

use assure_domain::authz::ResourceKind;
use assure_domain::{Action, Target};
use assure_store::{audit_log, backup};
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

impl Core {
    /// Writes a backup of every partnership's data; the actor must administer all of them.
    pub async fn backup(&self, ctx: &Ctx, path: &std::path::Path) -> CoreResult<()> {
        for p in ctx.actor.partnerships() {
            ctx.authorize(Action::Administer, &Target::new(ResourceKind::Partnership, p))?;
        }
        if path.exists() {
            return Err(CoreError::field("file", format!("{} already exists; choose a new file name", path.display())));
        }
        // Logged before the copy, so that the backup itself records that it was taken.
        let mut tx = self.store.write().await?;
        audit_log::append(
            &mut tx,
            ctx.entry("backup", "database", None, None, json!({"file": path.display().to_string()})),
        )
        .await?;
        tx.commit().await?;
        backup::backup(&self.store, path).await.map_err(|e| CoreError::field("file", e.to_string()))
    }

    /// Replaces the whole database with a backup, then records the restore in the restored log.
    pub async fn restore(&self, ctx: &Ctx, path: &std::path::Path) -> CoreResult<audit_log::Verification> {
        for p in ctx.actor.partnerships() {
            ctx.authorize(Action::Administer, &Target::new(ResourceKind::Partnership, p))?;
        }
        backup::restore_file(&self.store, path).await.map_err(|e| match e {
            assure_store::StoreError::Backup(m) => CoreError::field("file", m),
            other => other.into(),
        })?;
        let mut tx = self.store.write().await?;
        audit_log::append(
            &mut tx,
            ctx.entry("restore", "database", None, None, json!({"file": path.display().to_string()})),
        )
        .await?;
        tx.commit().await?;
        let mut conn = self.store.read().await?;
        Ok(audit_log::verify(&mut conn).await?)
    }
}
