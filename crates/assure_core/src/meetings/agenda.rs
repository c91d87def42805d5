//! A meeting's agenda and papers: the business unit sets out the items (title, presenter,
//! purpose, minutes, an owner who provides the papers, restricted or not) and the order; the
//! owner or the business unit adds papers; papers are due a number of working days before the
//! meeting (each body sets how many) and the owner and the business unit are reminded; the
//! members read the papers once the business unit publishes the pack. A restricted item's papers
//! are read only by the body's members and those who see everything, and every read is logged.

pub use assure_store::meetings::agenda::{AgendaItem, Paper, StandingItem};

use assure_domain::meetings::agenda::{
    AgendaItemInput, DEFAULT_PAPERS_DAYS, MAX_ITEMS, MAX_STANDING, Move, NewAgendaItem, StandingItemInput, moved,
    papers_days, papers_due, start_times,
};
use assure_domain::meetings::seat_on;
use assure_domain::structure::Choice as _;
use assure_domain::validation::long_date;
use assure_domain::{
    Action, AgendaItemId, BodyId, FieldErrors, MeetingId, PaperId, PartnershipId, ResourceKind as K, Role, Target,
    UserId, can,
};
use assure_store::audit_log;
use assure_store::meetings::agenda as st;
use assure_store::meetings::{self as meetings_store};
use assure_store::structure::{self as structure_store};
use base64::Engine as _;
use chrono::{NaiveDate, NaiveTime};
use serde_json::json;
use sha2::Digest as _;

use super::{Meeting, of_meeting};
use crate::learning::{MAX_FILES, UploadFile, clean_file_name};
use crate::{Core, CoreError, CoreResult, Ctx, UploadPermit};

/// Why an item's papers are not shown to the actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withheld {
    /// A restricted item: only the body's members and those who see everything read its papers.
    Restricted,
    /// The pack is not yet published to the members.
    NotPublished,
}

/// An agenda item as the actor sees it.
#[derive(Debug, Clone)]
pub struct ItemView {
    pub item: AgendaItem,
    /// Its number on the agenda, from 1.
    pub number: usize,
    /// When it starts, from the meeting's start and the minutes of the items before it.
    pub starts_at: Option<NaiveTime>,
    /// Its papers, when the actor may read them.
    pub papers: Vec<Paper>,
    pub withheld: Option<Withheld>,
    /// The actor may add papers to it.
    pub may_add_papers: bool,
    /// Its papers were due and none has come.
    pub late: bool,
}

/// Papers the actor owes: an item of theirs with none in yet, for a meeting ahead.
#[derive(Debug, Clone)]
pub struct PapersOwed {
    pub item_id: AgendaItemId,
    pub title: String,
    pub meeting_id: MeetingId,
    pub body_name: String,
    pub held_on: NaiveDate,
    pub due_on: NaiveDate,
    pub state: assure_domain::reviews::ClockState,
}

/// A meeting's agenda as the actor sees it.
#[derive(Debug, Clone)]
pub struct Agenda {
    pub items: Vec<ItemView>,
    /// The working days before the meeting its papers are due, and the day that is.
    pub papers_days: u32,
    pub papers_due_on: NaiveDate,
    /// The actor may set out the agenda and publish the pack.
    pub can_edit: bool,
}

/// The target of an item's papers, and of its record (who reads one reads the other):
/// restricted as the item (or its body) is; `owner` when the actor provides the papers.
pub(super) fn paper_target(m: &Meeting, item: &AgendaItem, actor: Option<UserId>) -> Target {
    Target::new(K::Paper, m.partnership_id)
        .body(Some(m.body_id))
        .restricted(item.restricted || m.body_restricted)
        .owner(actor.is_some() && item.owner_user_id == actor)
}

impl Core {
    /// The agenda of a meeting the actor sees (read with the meeting, on its connection).
    pub(super) fn agenda_of(
        &self,
        ctx: &Ctx,
        meeting: &Meeting,
        items: Vec<AgendaItem>,
        papers: Vec<Paper>,
        days: Option<u32>,
        cal: &assure_domain::reviews::calendar::WorkingCalendar,
    ) -> Agenda {
        let papers_days = days.unwrap_or(DEFAULT_PAPERS_DAYS);
        let papers_due_on = papers_due(meeting.held_on, papers_days, cal);
        let can_edit = can(&ctx.actor, Action::Update, &of_meeting(meeting));
        let starts = start_times(meeting.starts_at, &items.iter().map(|i| i.minutes).collect::<Vec<_>>());
        let today = self.today();
        let open = meeting.cancelled_reason.is_none();
        let items = items
            .into_iter()
            .zip(starts)
            .enumerate()
            .map(|(at, (item, starts_at))| {
                let target = paper_target(meeting, &item, ctx.user_id());
                let sees = can(&ctx.actor, Action::View, &target);
                let drafts = can(&ctx.actor, Action::Create, &target);
                let withheld = if !sees {
                    Some(Withheld::Restricted)
                } else if meeting.pack_published.is_none() && !drafts {
                    Some(Withheld::NotPublished)
                } else {
                    None
                };
                let own: Vec<Paper> = papers.iter().filter(|p| p.item_id == item.id).cloned().collect();
                let late = own.is_empty() && open && today > papers_due_on && today <= meeting.held_on;
                ItemView {
                    number: at + 1,
                    starts_at,
                    papers: if withheld.is_none() { own } else { Vec::new() },
                    withheld,
                    may_add_papers: drafts && open,
                    late,
                    item,
                }
            })
            .collect();
        Agenda { items, papers_days, papers_due_on, can_edit }
    }

    /// A meeting the actor may set out the agenda of, read in a write.
    async fn meeting_to_arrange(&self, ctx: &Ctx, tx: &mut assure_store::Conn, id: MeetingId) -> CoreResult<Meeting> {
        let m = meetings_store::meeting(tx, id).await?;
        ctx.authorize(Action::Update, &of_meeting(&m))?;
        if m.cancelled_reason.is_some() {
            return Err(CoreError::field("title", "The meeting was cancelled: its agenda is kept as it was"));
        }
        if assure_store::meetings::minutes::state(tx, id).await?.is_some_and(|s| s.approval.is_some()) {
            return Err(CoreError::field(
                "title",
                "The minutes were approved as a correct record: the agenda is kept as it was",
            ));
        }
        Ok(m)
    }

    /// The account an item's owner is named by: one with a role in the partnership.
    async fn owner_account(
        &self,
        conn: &mut assure_store::Conn,
        p: PartnershipId,
        new: &NewAgendaItem,
    ) -> CoreResult<Option<UserId>> {
        let Some(email) = &new.owner_email else { return Ok(None) };
        crate::accounts::account_in_partnership(conn, p, email)
            .await?
            .map(Some)
            .map_err(|m| CoreError::field("owner_email", m))
    }

    /// Adds an item at the end of a meeting's agenda.
    pub async fn add_agenda_item(&self, ctx: &Ctx, id: MeetingId, input: &AgendaItemInput) -> CoreResult<AgendaItemId> {
        let mut tx = self.store.write().await?;
        let m = self.meeting_to_arrange(ctx, &mut tx, id).await?;
        let new = input.validate()?;
        if st::items(&mut tx, id).await?.len() >= MAX_ITEMS {
            return Err(CoreError::field("title", format!("An agenda has at most {MAX_ITEMS} items")));
        }
        let owner = self.owner_account(&mut tx, m.partnership_id, &new).await?;
        let item = st::insert_item(&mut tx, id, &new, owner, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "agenda_item",
                Some(item.to_string()),
                Some(m.partnership_id),
                json!({"meeting_id": id.0, "title": new.title, "purpose": new.purpose, "restricted": new.restricted,
                       "owner": new.owner_email}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(item)
    }

    /// One item, for the business unit's form, with its meeting and papers.
    pub async fn agenda_item(&self, ctx: &Ctx, id: AgendaItemId) -> CoreResult<(Meeting, ItemView)> {
        let mut conn = self.store.read().await?;
        let item = st::item(&mut conn, id).await?;
        let m = meetings_store::meeting(&mut conn, item.meeting_id).await?;
        ctx.authorize(Action::View, &of_meeting(&m))?;
        let items = st::items(&mut conn, m.id).await?;
        let papers = st::papers(&mut conn, m.id).await?;
        let days = st::papers_days(&mut conn, m.body_id).await?;
        let cal = crate::reviews::calendar::working_calendar(&mut conn).await?;
        drop(conn);
        let agenda = self.agenda_of(ctx, &m, items, papers, days, &cal);
        let view = agenda.items.into_iter().find(|v| v.item.id == id).ok_or(CoreError::NotFound)?;
        if !view.may_add_papers && !can(&ctx.actor, Action::Update, &of_meeting(&m)) {
            return Err(CoreError::Forbidden);
        }
        if m.body_restricted {
            self.log_read(ctx, "meeting", Some(m.id.to_string()), Some(m.partnership_id), json!({"item": id.0}))
                .await?;
        }
        Ok((m, view))
    }

    /// Changes an item's title, presenter, purpose, minutes, owner or restriction.
    pub async fn update_agenda_item(&self, ctx: &Ctx, id: AgendaItemId, input: &AgendaItemInput) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let before = st::item(&mut tx, id).await?;
        let m = self.meeting_to_arrange(ctx, &mut tx, before.meeting_id).await?;
        let new = input.validate()?;
        let owner = self.owner_account(&mut tx, m.partnership_id, &new).await?;
        st::update_item(&mut tx, id, &new, owner, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "agenda_item",
                Some(id.to_string()),
                Some(m.partnership_id),
                json!({"meeting_id": m.id.0, "title": new.title, "purpose": new.purpose,
                       "restricted": {"from": before.restricted, "to": new.restricted},
                       "owner": {"from": before.owner_email, "to": new.owner_email}}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes an item off the agenda, with its papers (the audit log keeps what they were).
    pub async fn remove_agenda_item(&self, ctx: &Ctx, id: AgendaItemId) -> CoreResult<MeetingId> {
        let mut tx = self.store.write().await?;
        let item = st::item(&mut tx, id).await?;
        let m = self.meeting_to_arrange(ctx, &mut tx, item.meeting_id).await?;
        if assure_store::meetings::minutes::records_on_item(&mut tx, id).await? > 0 {
            return Err(CoreError::field(
                "title",
                "The item has declarations, decisions or actions recorded against it: it stays on the agenda",
            ));
        }
        let papers: Vec<serde_json::Value> = st::papers(&mut tx, m.id)
            .await?
            .into_iter()
            .filter(|p| p.item_id == id)
            .map(|p| json!({"paper_id": p.id.0, "name": p.file_name, "sha256": p.sha256}))
            .collect();
        st::delete_item(&mut tx, id).await?;
        let order: Vec<i64> = st::items(&mut tx, m.id).await?.iter().map(|i| i.id.0).collect();
        st::set_order(&mut tx, m.id, &order).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "delete",
                "agenda_item",
                Some(id.to_string()),
                Some(m.partnership_id),
                json!({"meeting_id": m.id.0, "title": item.title, "papers": papers}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(m.id)
    }

    /// Moves an item one place up or down the agenda.
    pub async fn move_agenda_item(&self, ctx: &Ctx, id: AgendaItemId, to: Move) -> CoreResult<MeetingId> {
        let mut tx = self.store.write().await?;
        let item = st::item(&mut tx, id).await?;
        let m = self.meeting_to_arrange(ctx, &mut tx, item.meeting_id).await?;
        let order: Vec<i64> = st::items(&mut tx, m.id).await?.iter().map(|i| i.id.0).collect();
        let Some(order) = moved(&order, id.0, to) else {
            return Err(CoreError::field("move", "The item cannot move further that way"));
        };
        st::set_order(&mut tx, m.id, &order).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "reorder",
                "meeting",
                Some(m.id.to_string()),
                Some(m.partnership_id),
                json!({"item": id.0, "order": order}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(m.id)
    }

    /// An item, its meeting, and whether the actor may add papers to it.
    async fn item_standing(&self, ctx: &Ctx, id: AgendaItemId) -> CoreResult<(AgendaItem, Meeting, Target)> {
        let mut conn = self.store.read().await?;
        let item = st::item(&mut conn, id).await?;
        let m = meetings_store::meeting(&mut conn, item.meeting_id).await?;
        drop(conn);
        ctx.authorize(Action::View, &of_meeting(&m))?;
        let target = paper_target(&m, &item, ctx.user_id());
        Ok((item, m, target))
    }

    /// May the actor add papers to this item? Asked before the files are read.
    pub async fn permit_papers(&self, ctx: &Ctx, id: AgendaItemId) -> CoreResult<UploadPermit> {
        let (_, m, target) = self.item_standing(ctx, id).await?;
        ctx.authorize(Action::Create, &target)?;
        if m.cancelled_reason.is_some() {
            return Err(CoreError::field("files", "The meeting was cancelled: it takes no papers"));
        }
        Ok(UploadPermit::granted())
    }

    /// Keeps an item's papers, all or none.
    pub async fn add_papers(&self, ctx: &Ctx, id: AgendaItemId, files: Vec<UploadFile>) -> CoreResult<Vec<PaperId>> {
        let (item, m, target) = self.item_standing(ctx, id).await?;
        ctx.authorize(Action::Create, &target)?;
        let files: Vec<UploadFile> = files.into_iter().filter(|f| !f.bytes.is_empty() || !f.name.is_empty()).collect();
        let mut errors = FieldErrors::new();
        if files.is_empty() {
            errors.add("files", "Choose the papers to add");
        }
        if files.len() > MAX_FILES {
            errors.add("files", format!("Add at most {MAX_FILES} papers at a time"));
        }
        for message in files.iter().filter_map(UploadFile::problem) {
            errors.add("files", message);
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.store.write().await?;
        // Checked again in the write: the meeting may have been cancelled since.
        if meetings_store::meeting(&mut tx, m.id).await?.cancelled_reason.is_some() {
            return Err(CoreError::field("files", "The meeting was cancelled: it takes no papers"));
        }
        let mut added = Vec::new();
        let mut kept = Vec::new();
        for f in &files {
            let name = clean_file_name(&f.name);
            let sha = hex::encode(sha2::Sha256::digest(&f.bytes));
            let content = base64::engine::general_purpose::STANDARD.encode(&f.bytes);
            let paper = st::insert_paper(
                &mut tx,
                &st::NewPaper {
                    item_id: id,
                    file_name: &name,
                    content_type: f.content_type_to_keep(),
                    size: f.bytes.len() as i64,
                    sha256: &sha,
                    content: &content,
                    added_by: ctx.user_id(),
                    by_label: &ctx.name,
                },
            )
            .await?;
            kept.push(json!({"paper_id": paper.0, "name": name, "size": f.bytes.len(), "sha256": sha}));
            added.push(paper);
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "papers",
                "agenda_item",
                Some(id.to_string()),
                Some(m.partnership_id),
                json!({"meeting_id": m.id.0, "title": item.title, "files": kept}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(added)
    }

    /// A paper's bytes, for whoever may read it: its item's owner and the business unit at any
    /// time, the members once the pack is published. A restricted paper's read is logged.
    pub async fn paper(&self, ctx: &Ctx, id: PaperId) -> CoreResult<(Paper, Vec<u8>)> {
        let mut conn = self.store.read().await?;
        let (paper, content) = st::paper(&mut conn, id).await?;
        drop(conn);
        let (item, m, target) = self.item_standing(ctx, paper.item_id).await?;
        ctx.authorize(Action::View, &target)?;
        if m.pack_published.is_none() && !can(&ctx.actor, Action::Create, &target) {
            return Err(CoreError::NotFound);
        }
        if target.restricted {
            self.log_read(
                ctx,
                "paper",
                Some(id.to_string()),
                Some(m.partnership_id),
                json!({"meeting_id": m.id.0, "item": item.id.0}),
            )
            .await?;
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(content)
            .map_err(|e| CoreError::Internal(format!("paper {id} is not base64: {e}")))?;
        Ok((paper, bytes))
    }

    /// Takes a paper off its item (the business unit; the audit log keeps what it was).
    pub async fn remove_paper(&self, ctx: &Ctx, id: PaperId) -> CoreResult<AgendaItemId> {
        let mut tx = self.store.write().await?;
        let (paper, _) = st::paper(&mut tx, id).await?;
        let item = st::item(&mut tx, paper.item_id).await?;
        let m = self.meeting_to_arrange(ctx, &mut tx, item.meeting_id).await?;
        st::delete_paper(&mut tx, id).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "remove_paper",
                "agenda_item",
                Some(item.id.to_string()),
                Some(m.partnership_id),
                json!({"meeting_id": m.id.0, "paper_id": id.0, "name": paper.file_name, "sha256": paper.sha256}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(item.id)
    }

    /// Sets how many working days before a body's meetings their papers are due.
    pub async fn set_papers_days(&self, ctx: &Ctx, body: BodyId, raw: &str) -> CoreResult<u32> {
        let mut tx = self.store.write().await?;
        let b = structure_store::body(&mut tx, body).await?;
        ctx.authorize(Action::Update, &super::of_body(&b))?;
        let days = papers_days(raw).map_err(|m| CoreError::field("papers_days", m))?;
        st::set_papers_days(&mut tx, body, days, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "papers_due",
                "body",
                Some(body.to_string()),
                Some(b.partnership_id),
                json!({"working_days": days}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(days)
    }

    /// The working days before a body's meetings that their papers are due.
    pub async fn papers_days_of(&self, ctx: &Ctx, body: BodyId) -> CoreResult<u32> {
        let mut conn = self.store.read().await?;
        let b = structure_store::body(&mut conn, body).await?;
        ctx.authorize(Action::View, &super::of_body(&b))?;
        Ok(st::papers_days(&mut conn, body).await?.unwrap_or(DEFAULT_PAPERS_DAYS))
    }

    /// Publishes a meeting's papers to its members: each seat holder on the day with an account
    /// is told (in Assure, and by e-mail when it is configured). Publishing again, after a late
    /// paper, tells them again.
    pub async fn publish_pack(&self, ctx: &Ctx, id: MeetingId) -> CoreResult<usize> {
        let mut conn = self.store.read().await?;
        let m = meetings_store::meeting(&mut conn, id).await?;
        ctx.authorize(Action::Update, &of_meeting(&m))?;
        if m.cancelled_reason.is_some() {
            return Err(CoreError::field("pack", "The meeting was cancelled: there is no pack to publish"));
        }
        let items = st::items(&mut conn, id).await?;
        if items.is_empty() {
            return Err(CoreError::field("pack", "Add the agenda's items before publishing the pack"));
        }
        let seats = structure_store::memberships_of_body(&mut conn, m.body_id).await?;
        let mut recipients = Vec::new();
        for s in seats.iter().filter(|s| seat_on(s.from_date, s.to_date, m.held_on)) {
            let person = structure_store::person(&mut conn, s.person_id).await?;
            if let Some(email) = person.email
                && let Some(user) = assure_store::reminders::active_user_by_email(&mut conn, &email).await?
            {
                recipients = crate::reminders::merge(recipients, vec![user]);
            }
        }
        drop(conn);
        let told = recipients.len();
        let event = crate::reminders::Event {
            key: format!("meetings:pack:{}:{}", id, crate::version_of(&(chrono::Utc::now().to_rfc3339(), id.0))),
            partnership: m.partnership_id,
            message: format!("The papers for {} on {} are published", m.body_name, long_date(m.held_on)),
            link: format!("/meetings/{id}"),
            recipients,
        };
        let entry = ctx.entry(
            "publish_pack",
            "meeting",
            Some(id.to_string()),
            Some(m.partnership_id),
            json!({"items": items.len(), "members_told": told}),
        );
        let by = ctx.name.clone();
        self.deliver(vec![event], "Assure: a meeting's papers are published", async move |tx| {
            st::publish_pack(tx, id, &by).await?;
            audit_log::append(tx, entry).await?;
            Ok(())
        })
        .await?;
        Ok(told)
    }

    /// A body's annual business cycle: its standing items, and whether the actor may change it.
    pub async fn business_cycle(
        &self,
        ctx: &Ctx,
        body: BodyId,
    ) -> CoreResult<(structure_store::Body, Vec<StandingItem>, bool)> {
        let mut conn = self.store.read().await?;
        let b = structure_store::body(&mut conn, body).await?;
        ctx.authorize(Action::View, &super::of_body(&b))?;
        let items = st::standing_items(&mut conn, body).await?;
        drop(conn);
        if b.restricted {
            self.log_read(
                ctx,
                "body",
                Some(b.id.to_string()),
                Some(b.partnership_id),
                json!({"part": "business_cycle"}),
            )
            .await?;
        }
        let can_edit = can(&ctx.actor, Action::Update, &super::of_body(&b));
        Ok((b, items, can_edit))
    }

    /// Adds a standing item to a body's business cycle. Meetings planned from then on in its
    /// months have it on their agenda; meetings already planned keep theirs.
    pub async fn add_standing_item(&self, ctx: &Ctx, body: BodyId, input: &StandingItemInput) -> CoreResult<i64> {
        let mut tx = self.store.write().await?;
        let b = structure_store::body(&mut tx, body).await?;
        ctx.authorize(Action::Update, &super::of_body(&b))?;
        let new = input.validate()?;
        if st::standing_items(&mut tx, body).await?.len() >= MAX_STANDING {
            return Err(CoreError::field(
                "title",
                format!("A business cycle has at most {MAX_STANDING} standing items"),
            ));
        }
        let id = st::insert_standing_item(&mut tx, body, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "standing_item",
                Some(id.to_string()),
                Some(b.partnership_id),
                json!({"body_id": body.0, "title": new.item.title, "months": new.months}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Takes a standing item out of a body's business cycle (agendas already set out keep it).
    pub async fn remove_standing_item(&self, ctx: &Ctx, id: i64) -> CoreResult<BodyId> {
        let mut tx = self.store.write().await?;
        let item = st::standing_item(&mut tx, id).await?;
        let b = structure_store::body(&mut tx, item.body_id).await?;
        ctx.authorize(Action::Update, &super::of_body(&b))?;
        st::delete_standing_item(&mut tx, id).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "delete",
                "standing_item",
                Some(id.to_string()),
                Some(b.partnership_id),
                json!({"body_id": b.id.0, "title": item.item.title, "months": item.months}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(b.id)
    }

    /// The papers the actor owes in a partnership (items of theirs with none in yet, for
    /// meetings not yet held), soonest due first: for My tasks and their calendar feed.
    pub async fn papers_owed(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<PapersOwed>> {
        let Some(user) = ctx.user_id() else { return Ok(Vec::new()) };
        let today = self.today();
        let mut conn = self.store.read().await?;
        let owed = st::owed_by(&mut conn, user, p, today).await?;
        drop(conn);
        if owed.is_empty() {
            return Ok(Vec::new());
        }
        let cal = self.working_calendar().await?;
        let mut out: Vec<PapersOwed> = owed
            .into_iter()
            .filter(|o| {
                // A body the owner may no longer see: its items are not theirs to see either.
                ctx.authorize(Action::View, &super::meeting_target(p, o.body_id, o.body_restricted)).is_ok()
            })
            .map(|o| {
                let due_on = papers_due(o.held_on, o.papers_days.unwrap_or(DEFAULT_PAPERS_DAYS), &cal);
                PapersOwed {
                    item_id: o.item_id,
                    title: o.title,
                    meeting_id: o.meeting_id,
                    body_name: o.body_name,
                    held_on: o.held_on,
                    due_on,
                    state: assure_domain::reviews::ClockState::of_due(today, due_on, 2, &cal),
                }
            })
            .collect();
        out.sort_by_key(|o| o.due_on);
        Ok(out)
    }

    /// Reminders of papers due: to each item's owner and the business unit, as the papers fall
    /// due and when they are late, until the meeting. A restricted item is not named.
    pub(crate) async fn paper_reminder_events(
        &self,
        conn: &mut assure_store::Conn,
        p: PartnershipId,
        today: NaiveDate,
        cal: &assure_domain::reviews::calendar::WorkingCalendar,
    ) -> CoreResult<Vec<crate::reminders::Event>> {
        let mut events = Vec::new();
        let ahead = today + chrono::Days::new(60);
        let meetings = meetings_store::meetings_in(conn, p, today, ahead).await?;
        let mut business_unit = None;
        for m in meetings.iter().filter(|m| m.cancelled_reason.is_none() && m.pack_published.is_none()) {
            let days = st::papers_days(conn, m.body_id).await?.unwrap_or(DEFAULT_PAPERS_DAYS);
            let due = papers_due(m.held_on, days, cal);
            let Some(phase) = crate::reminders::due_phase(today, due, 2, cal) else { continue };
            let items = st::items(conn, m.id).await?;
            if items.is_empty() {
                continue;
            }
            let papers = st::papers(conn, m.id).await?;
            if business_unit.is_none() {
                business_unit = Some(assure_store::reminders::holders(conn, p, Role::BusinessUnit.code(), None).await?);
            }
            for item in items.iter().filter(|i| !papers.iter().any(|paper| paper.item_id == i.id)) {
                let mut recipients = business_unit.clone().unwrap_or_default();
                if let Some(owner) = item.owner_user_id
                    && let Some(user) = assure_store::reminders::active_user(conn, owner).await?
                {
                    recipients = crate::reminders::merge(recipients, vec![user]);
                }
                // E-mail leaves the service: a restricted item is named by its number only, and a
                // restricted body not at all.
                let what = if item.restricted || m.body_restricted {
                    format!("item {}", item.position)
                } else {
                    format!("\u{201c}{}\u{201d}", item.title)
                };
                let at = if m.body_restricted { "the meeting".to_owned() } else { m.body_name.clone() };
                let were = if phase == assure_domain::reviews::ClockState::Overdue { "were" } else { "are" };
                events.push(crate::reminders::Event {
                    key: format!("meetings:papers:{}:{}:{}", item.id, due, phase.code()),
                    partnership: p,
                    message: format!(
                        "The papers for {what} at {at} on {} {were} due on {}",
                        long_date(m.held_on),
                        due.format("%-d %B %Y")
                    ),
                    link: format!("/agenda/{}", item.id),
                    recipients,
                });
            }
        }
        Ok(events)
    }
}

/// Puts a body's standing items for each meeting's month on the meeting's agenda, in the
/// transaction that plans the meetings. Returns how many items it added.
pub(super) async fn add_standing_items(
    tx: &mut assure_store::Conn,
    body: BodyId,
    meetings: &[(MeetingId, NaiveDate)],
    by: &str,
) -> CoreResult<usize> {
    use chrono::Datelike as _;
    let standing = st::standing_items(tx, body).await?;
    let mut added = 0;
    for (meeting, day) in meetings {
        for s in standing.iter().filter(|s| s.months.contains(&day.month())) {
            st::insert_item(tx, *meeting, &s.item, None, by).await?;
            added += 1;
        }
    }
    Ok(added)
}

/// A meeting's agenda as a document, the front sheet of its pack: when and where, when papers
/// are due, and each item with its time, presenter, purpose and the papers the reader may read.
pub fn agenda_document(detail: &super::MeetingDetail) -> crate::documents::Document {
    use crate::documents::{Block, Cell, Document, Marking, Table};
    use assure_domain::structure::Choice as _;
    let m = &detail.meeting;
    let marking = if m.body_restricted { Marking::OfficialSensitive } else { Marking::Official };
    let mut doc = Document::new(format!("Agenda: {}, {}", m.body_name, long_date(m.held_on))).marked(marking);
    doc.push(Block::Paragraph(format!(
        "{} from {}{}{}.",
        long_date(m.held_on),
        m.starts_at.format("%H:%M"),
        m.ends_at.map(|e| format!(" to {}", e.format("%H:%M"))).unwrap_or_default(),
        m.place.as_deref().map(|p| format!(", {p}")).unwrap_or_default()
    )));
    let ag = &detail.agenda;
    doc.push(Block::Note(format!(
        "Papers are due by {} ({} working days before the meeting). {} Produced by Assure on {}.",
        long_date(ag.papers_due_on),
        ag.papers_days,
        match &m.pack_published {
            Some(_) => "The pack is published to the members.",
            None => "The pack is not yet published.",
        },
        chrono::Utc::now().format("%-d %B %Y")
    )));
    let mut t = Table::new(["Item", "Time", "Title", "Presented by", "Purpose", "Papers"], &[6, 8, 34, 20, 14, 18]);
    for v in &ag.items {
        let papers = match v.withheld {
            Some(Withheld::Restricted) => "Restricted".to_owned(),
            Some(Withheld::NotPublished) => "Not yet published".to_owned(),
            None if v.papers.is_empty() => "None".to_owned(),
            None => v.papers.iter().map(|p| p.file_name.clone()).collect::<Vec<_>>().join("; "),
        };
        t.row([
            Cell::integer(v.number as i64),
            Cell::text(v.starts_at.map(|s| s.format("%H:%M").to_string())),
            Cell::text(Some(if v.item.restricted {
                format!("{} (restricted)", v.item.title)
            } else {
                v.item.title.clone()
            })),
            Cell::text(v.item.presenter.clone()),
            Cell::text(Some(v.item.purpose.label().to_owned())),
            Cell::text(Some(papers)),
        ]);
    }
    if ag.items.is_empty() {
        doc.push(Block::Paragraph("No agenda yet.".into()));
    } else {
        doc.table(t);
    }
    doc
}

/// The largest pack, papers and agenda together: past it the papers are downloaded one by one.
pub const MAX_PACK_BYTES: usize = 64 * 1024 * 1024;

impl Core {
    /// A meeting's pack as one file for the reader: a ZIP holding the agenda (PDF) and every
    /// paper they may read, named by item number ("03-1 Section 11 findings.pdf"). Reads of a
    /// restricted item's papers are logged as each paper's download is.
    pub async fn meeting_pack(&self, ctx: &Ctx, id: MeetingId) -> CoreResult<crate::documents::Download> {
        let detail = self.meeting(ctx, id).await?;
        let m = detail.meeting.clone();
        let mut wanted: Vec<(usize, usize, PaperId, bool)> = Vec::new();
        for v in &detail.agenda.items {
            for (k, p) in v.papers.iter().enumerate() {
                wanted.push((v.number, k + 1, p.id, v.item.restricted || m.body_restricted));
            }
        }
        let size: i64 = detail.agenda.items.iter().flat_map(|v| &v.papers).map(|p| p.size).sum();
        if usize::try_from(size).unwrap_or(usize::MAX) > MAX_PACK_BYTES {
            return Err(CoreError::field(
                "pack",
                format!("The papers come to more than {} MB: download them one by one", MAX_PACK_BYTES >> 20),
            ));
        }
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let mut conn = self.store.read().await?;
        for (number, k, paper, _) in &wanted {
            let (p, content) = st::paper(&mut conn, *paper).await?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(content)
                .map_err(|e| CoreError::Internal(format!("paper {paper} is not base64: {e}")))?;
            files.push((format!("{number:02}-{k} {}", crate::learning::clean_file_name(&p.file_name)), bytes));
        }
        drop(conn);
        let restricted: Vec<i64> = wanted.iter().filter(|w| w.3).map(|w| w.2.0).collect();
        if !restricted.is_empty() {
            self.log_read(
                ctx,
                "paper",
                None,
                Some(m.partnership_id),
                json!({"meeting_id": id.0, "ids": restricted, "part": "pack"}),
            )
            .await?;
        }
        let agenda = self.render(agenda_document(&detail), crate::documents::Format::Pdf, &["agenda"]).await?;
        let bytes = self
            .rendering
            .run(move || -> Result<Vec<u8>, String> {
                use std::io::Write as _;
                let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
                let options =
                    zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
                zip.start_file("00 Agenda.pdf", options).map_err(|e| e.to_string())?;
                zip.write_all(&agenda.bytes).map_err(|e| e.to_string())?;
                for (name, bytes) in files {
                    zip.start_file(name, options).map_err(|e| e.to_string())?;
                    zip.write_all(&bytes).map_err(|e| e.to_string())?;
                }
                Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
            })
            .await?
            .map_err(CoreError::Internal)?;
        let name = format!("{} {}", m.body_name, m.held_on);
        Ok(crate::documents::Download {
            file_name: self.download_name(&[&name, "pack"], "zip"),
            content_type: "application/zip",
            bytes,
        })
    }
}
