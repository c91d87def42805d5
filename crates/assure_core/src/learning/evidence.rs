//! Evidence of impact on an action: what was uploaded, the judgement on it, and its files.

use super::*;
use assure_domain::{ActionId, AttachmentId, EvidenceId};

impl Core {
    /// Adds evidence of impact, with its attachments, to an action. All or nothing.
    /// May the actor add evidence (with files) to this action? Asked before the files are read.
    pub async fn permit_evidence(&self, ctx: &Ctx, id: ActionId) -> CoreResult<crate::UploadPermit> {
        let id = id.0;
        self.action_for_update(ctx, id).await?;
        Ok(crate::UploadPermit::granted())
    }

    pub async fn add_evidence(
        &self,
        ctx: &Ctx,
        id: ActionId,
        input: &EvidenceInput,
        files: Vec<UploadFile>,
    ) -> CoreResult<EvidenceId> {
        let id = id.0;
        let action = self.action_for_update(ctx, id).await?;
        let mut errors = FieldErrors::new();
        let checked = match input.validate() {
            Ok(v) => Some(v),
            Err(e) => {
                for (field, messages) in e.iter() {
                    for m in messages {
                        errors.add(field, m.clone());
                    }
                }
                None
            }
        };
        let files: Vec<UploadFile> = files.into_iter().filter(|f| !f.bytes.is_empty() || !f.name.is_empty()).collect();
        if files.len() > MAX_FILES {
            errors.add("files", format!("Attach at most {MAX_FILES} files"));
        }
        for message in files.iter().filter_map(UploadFile::problem) {
            errors.add("files", message);
        }
        let Some((kind, narrative)) = checked else { return Err(errors.into()) };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.store.write().await?;
        let evidence = st::insert_evidence(&mut tx, id, kind, &narrative, ctx.user_id(), &ctx.name).await?;
        let mut names = Vec::new();
        for f in &files {
            let name = clean_file_name(&f.name);
            let content_type = f.content_type_to_keep();
            let sha = hex::encode(sha2::Sha256::digest(&f.bytes));
            let content = base64::engine::general_purpose::STANDARD.encode(&f.bytes);
            st::insert_file(
                &mut tx,
                evidence,
                &st::NewFile {
                    file_name: &name,
                    content_type,
                    size: f.bytes.len() as i64,
                    sha256: &sha,
                    content: &content,
                },
            )
            .await?;
            names.push(json!({"name": name, "size": f.bytes.len(), "sha256": sha}));
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "evidence_add",
                "action",
                Some(id.to_string()),
                Some(action.partnership_id),
                json!({"evidence_id": evidence, "kind": kind, "files": names}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(EvidenceId(evidence))
    }

    /// Records the owning subgroup's judgement of a piece of evidence. Returns the action's id.
    pub async fn judge_evidence(&self, ctx: &Ctx, evidence_id: EvidenceId, input: &JudgementInput) -> CoreResult<i64> {
        let evidence_id = evidence_id.0;
        let mut conn = self.store.read().await?;
        let evidence = st::evidence(&mut conn, evidence_id).await?;
        drop(conn);
        let action = self.load_action(ctx, evidence.action_id).await?;
        let judge = Target::new(K::Judgement, action.partnership_id).body(Some(BodyId(action.body_id)));
        ctx.authorize(Action::Update, &judge)?;
        let (judgement, comment) = input.validate()?;
        let mut tx = self.store.write().await?;
        st::judge(&mut tx, evidence_id, judgement, &comment, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "judge",
                "evidence",
                Some(evidence_id.to_string()),
                Some(action.partnership_id),
                json!({"action_id": action.id, "judgement": judgement}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(action.id.0)
    }

    /// The action a piece of evidence belongs to, for whoever may see it.
    pub async fn evidence_action(&self, ctx: &Ctx, evidence_id: EvidenceId) -> CoreResult<ActionId> {
        let evidence_id = evidence_id.0;
        let mut conn = self.store.read().await?;
        let evidence = st::evidence(&mut conn, evidence_id).await?;
        drop(conn);
        Ok(self.load_action(ctx, evidence.action_id).await?.id)
    }

    /// An attachment's name, type and bytes, for whoever may see its action.
    pub async fn attachment(&self, ctx: &Ctx, file_id: AttachmentId) -> CoreResult<(FileMeta, Vec<u8>)> {
        let file_id = file_id.0;
        let mut conn = self.store.read().await?;
        let (meta, evidence_id, content) = st::file(&mut conn, file_id).await?;
        let evidence = st::evidence(&mut conn, evidence_id).await?;
        drop(conn);
        self.load_action(ctx, evidence.action_id).await?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(content)
            .map_err(|e| CoreError::Internal(format!("attachment {file_id} is not base64: {e}")))?;
        Ok((meta, bytes))
    }
}
