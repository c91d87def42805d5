//! The audit log: reading and verifying it, and logging every read of a restricted record.
//!
//! A response that shows a restricted record is sent only after its read is durably in the
//! log. Writing each read in its own transaction would make every business-unit page view a
//! serialised write; instead reads are *group-committed*: each request hands its entries to one
//! writer task and waits, and the writer appends everything that has arrived in one transaction
//! on a connection of its own, then wakes every request whose entries it committed.

mod words;

// The records these use-cases return, for the web edge and the CLI (which never name the store).
pub use assure_store::audit_log::{COUNT_CAP, Entry, Filter};
pub use words::{ACTIONS, RECORDS, actor_words, record_words, sentence};

use std::sync::Arc;

use assure_domain::authz::ResourceKind;
use assure_domain::{Action, PartnershipId, Target};
use assure_store::Store;
use assure_store::audit_log::{self, NewEntry, Verification};
use tokio::sync::{OnceCell, mpsc, oneshot};

use crate::{Core, CoreError, CoreResult, Ctx};

/// How many entries may wait for the writer before requests wait to hand theirs over.
const QUEUE: usize = 4096;
/// The most entries one transaction appends.
const GROUP: usize = 512;

type Ticket = (Vec<NewEntry>, oneshot::Sender<Result<(), String>>);

/// The group-commit writer of restricted reads, started on first use in the running runtime.
#[derive(Clone, Default)]
pub(crate) struct ReadLog {
    queue: Arc<OnceCell<mpsc::Sender<Ticket>>>,
}

impl ReadLog {
    async fn sender(&self, store: &Store) -> mpsc::Sender<Ticket> {
        self.queue
            .get_or_init(|| async {
                let (tx, rx) = mpsc::channel(QUEUE);
                tokio::spawn(write_groups(store.clone(), rx));
                tx
            })
            .await
            .clone()
    }
}

/// Appends each group of waiting entries in one transaction, then tells their requests.
async fn write_groups(store: Store, mut rx: mpsc::Receiver<Ticket>) {
    while let Some(first) = rx.recv().await {
        let mut tickets = vec![first];
        let mut count = tickets[0].0.len();
        while count < GROUP {
            match rx.try_recv() {
                Ok(t) => {
                    count += t.0.len();
                    tickets.push(t);
                }
                Err(_) => break,
            }
        }
        let entries: Vec<NewEntry> = tickets.iter().flat_map(|(e, _)| e.iter().cloned()).collect();
        let result = async {
            let mut tx = store.write_log().await?;
            audit_log::append_all(&mut tx, entries).await?;
            tx.commit().await
        }
        .await
        .map_err(|e| e.to_string());
        for (_, done) in tickets {
            let _ = done.send(result.clone());
        }
    }
}

impl Core {
    /// Logs reads of restricted records, returning once they are committed. The caller must
    /// hold no database connection while it waits (checked).
    pub(crate) async fn log_reads(&self, entries: Vec<NewEntry>) -> CoreResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        if assure_store::holds_connection() {
            return Err(CoreError::Internal("a read was logged while a database connection was held".into()));
        }
        let (done, committed) = oneshot::channel();
        let queue = self.reads.sender(&self.store).await;
        queue
            .send((entries, done))
            .await
            .map_err(|_| CoreError::Internal("the audit log writer has stopped".into()))?;
        committed
            .await
            .map_err(|_| CoreError::Internal("the audit log writer has stopped".into()))?
            .map_err(|e| CoreError::Internal(format!("logging a read: {e}")))
    }

    /// Logs one read of a restricted record (or of a list of them, by id in `detail`).
    pub(crate) async fn log_read(
        &self,
        ctx: &Ctx,
        record_type: &str,
        record_id: Option<String>,
        partnership: Option<PartnershipId>,
        detail: serde_json::Value,
    ) -> CoreResult<()> {
        self.log_reads(vec![ctx.entry("read", record_type, record_id, partnership, detail)]).await
    }

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
        Ok(audit_log::list(&mut conn, &filter).await?)
    }

    /// Checks the whole chain. The operator's command; it reads every partnership's entries.
    pub async fn verify_audit(&self, ctx: &Ctx) -> CoreResult<Verification> {
        for p in ctx.actor.partnerships() {
            ctx.authorize(Action::View, &Target::new(ResourceKind::AuditLog, p))?;
        }
        let mut conn = self.store.read().await?;
        Ok(audit_log::verify(&mut conn).await?)
    }
}
