//! The record of a meeting once held: the business unit drafts each item's minutes and records
//! the interests declared, the decisions (numbered per body) and the actions (an owner with an
//! account, a due date); the minutes are approved as a correct record at the body's next meeting
//! held, and read-only from then on. Actions stay live: their owners (or the business unit) mark
//! them done, they are in the owner's tasks, and owners and the business unit are reminded as
//! they fall due. A restricted item's record is read only by those who read its papers.

pub use assure_store::meetings::minutes::{Approval, Decision, Declaration, MeetingAction, MinutesState};

use assure_domain::meetings::minutes::{
    ActionState, DecisionInput, DeclarationInput, MAX_RECORDS, MeetingActionInput, approving_meeting, minutes_text,
};
use assure_domain::validation::long_date;
use assure_domain::{
    Action, AgendaItemId, FieldErrors, MeetingId, PartnershipId, ResourceKind as K, Role, Target, can,
};
use assure_store::audit_log;
use assure_store::meetings::agenda as agenda_store;
use assure_store::meetings::minutes as st;
use assure_store::meetings::{self as meetings_store};
use chrono::NaiveDate;
use serde_json::json;

use super::{AgendaItem, Meeting, of_meeting};
use crate::{Core, CoreError, CoreResult, Ctx};

/// One agenda item's part of the record, as the actor sees it.
#[derive(Debug, Clone)]
pub struct ItemRecord {
    pub item: AgendaItem,
    pub number: usize,
    /// A restricted item whose record the actor may not read: only its title is shown.
    pub withheld: bool,
    pub minutes: Option<String>,
    pub declarations: Vec<Declaration>,
    pub decisions: Vec<Decision>,
    pub actions: Vec<MeetingAction>,
}

/// A meeting's record as the actor sees it.
#[derive(Debug, Clone)]
pub struct MinutesView {
    pub meeting: Meeting,
    pub items: Vec<ItemRecord>,
    /// Decisions and actions on no item.
    pub decisions: Vec<Decision>,
    pub actions: Vec<MeetingAction>,
    pub state: Option<MinutesState>,
    /// Held: on or before today and not cancelled.
    pub held: bool,
    /// The actor may change the record: the business unit, once held, until approved.
    pub can_edit: bool,
    /// The meeting that approves these minutes (the body's next meeting held), while they await it.
    pub approving: Option<(MeetingId, NaiveDate)>,
    /// The version of the record, for the minutes form's hidden field and `If-Match`.
    pub version: String,
}

impl MinutesView {
    pub fn approved(&self) -> bool {
        self.state.as_ref().is_some_and(|s| s.approval.is_some())
    }
}

impl Core {
    /// A meeting's record.
    pub async fn minutes(&self, ctx: &Ctx, id: MeetingId) -> CoreResult<MinutesView> {
        let mut conn = self.store.read().await?;
        let meeting = meetings_store::meeting(&mut conn, id).await?;
        ctx.authorize(Action::View, &of_meeting(&meeting))?;
        let items = agenda_store::items(&mut conn, id).await?;
        let texts = st::item_minutes(&mut conn, id).await?;
        let declarations = st::declarations(&mut conn, id).await?;
        let decisions = st::decisions(&mut conn, id).await?;
        let actions = st::actions(&mut conn, id).await?;
        let state = st::state(&mut conn, id).await?;
        let today = self.today();
        let held_ones: Vec<(i64, NaiveDate)> =
            meetings_store::meetings_of_body(&mut conn, meeting.body_id, None, Some(today))
                .await?
                .into_iter()
                .filter(|m| m.cancelled_reason.is_none())
                .map(|m| (m.id.0, m.held_on))
                .collect();
        drop(conn);
        let version = crate::version_of(&(&texts, &declarations, &decisions, &actions, &state));
        let held = meeting.cancelled_reason.is_none() && meeting.held_on <= today;
        let approved = state.as_ref().is_some_and(|s| s.approval.is_some());
        let approving =
            if approved { None } else { approving_meeting(&held_ones, id.0).map(|(m, d)| (MeetingId(m), d)) };
        let can_edit = held && !approved && can(&ctx.actor, Action::Update, &of_meeting(&meeting));
        let items = items
            .into_iter()
            .enumerate()
            .map(|(at, item)| {
                let withheld = !can(&ctx.actor, Action::View, &super::agenda::paper_target(&meeting, &item, None));
                let mine = |i: Option<AgendaItemId>| i == Some(item.id);
                ItemRecord {
                    number: at + 1,
                    withheld,
                    minutes: if withheld {
                        None
                    } else {
                        texts.iter().find(|(i, _)| *i == item.id).map(|(_, t)| t.clone())
                    },
                    declarations: if withheld {
                        Vec::new()
                    } else {
                        declarations.iter().filter(|d| d.item_id == item.id).cloned().collect()
                    },
                    decisions: if withheld {
                        Vec::new()
                    } else {
                        decisions.iter().filter(|d| mine(d.item_id)).cloned().collect()
                    },
                    actions: if withheld {
                        Vec::new()
                    } else {
                        actions.iter().filter(|a| mine(a.item_id)).cloned().collect()
                    },
                    item,
                }
            })
            .collect();
        if meeting.body_restricted {
            self.log_read(
                ctx,
                "meeting",
                Some(id.to_string()),
                Some(meeting.partnership_id),
                json!({"part": "minutes"}),
            )
            .await?;
        }
        Ok(MinutesView {
            items,
            decisions: decisions.into_iter().filter(|d| d.item_id.is_none()).collect(),
            actions: actions.into_iter().filter(|a| a.item_id.is_none()).collect(),
            state,
            held,
            can_edit,
            approving,
            version,
            meeting,
        })
    }

    /// A meeting whose record the actor may change, read in the write: held, not approved.
    async fn record_to_change(
        &self,
        ctx: &Ctx,
        tx: &mut assure_store::Conn,
        id: MeetingId,
        field: &str,
    ) -> CoreResult<Meeting> {
        let m = meetings_store::meeting(tx, id).await?;
        ctx.authorize(Action::Update, &of_meeting(&m))?;
        if m.cancelled_reason.is_some() {
            return Err(CoreError::field(field, "The meeting was cancelled: it has no record"));
        }
        if m.held_on > self.today() {
            return Err(CoreError::field(
                field,
                format!("The meeting is on {}: record it once it has been held", long_date(m.held_on)),
            ));
        }
        if st::state(tx, id).await?.is_some_and(|s| s.approval.is_some()) {
            return Err(CoreError::field(field, "The minutes were approved as a correct record: they are read-only"));
        }
        Ok(m)
    }

    /// The item of this meeting an entry names, if it names one.
    async fn item_of(
        tx: &mut assure_store::Conn,
        meeting: MeetingId,
        item: Option<i64>,
        errors: &mut FieldErrors,
    ) -> CoreResult<Option<AgendaItemId>> {
        let Some(item) = item else { return Ok(None) };
        match agenda_store::item(tx, AgendaItemId(item)).await {
            Ok(i) if i.meeting_id == meeting => Ok(Some(i.id)),
            Ok(_) | Err(assure_store::StoreError::NotFound) => {
                errors.add("item_id", "Select an item of this meeting's agenda");
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Saves the items' minutes: `texts` gives (item id, text) for each item changed; an empty
    /// text clears one. All or nothing.
    pub async fn save_minutes(
        &self,
        ctx: &Ctx,
        id: MeetingId,
        texts: &[(String, String)],
        seen: Option<&str>,
    ) -> CoreResult<usize> {
        let mut tx = self.store.write().await?;
        let m = self.record_to_change(ctx, &mut tx, id, "minutes").await?;
        let current = (
            st::item_minutes(&mut tx, id).await?,
            st::declarations(&mut tx, id).await?,
            st::decisions(&mut tx, id).await?,
            st::actions(&mut tx, id).await?,
            st::state(&mut tx, id).await?,
        );
        crate::still_as_seen(seen, &(&current.0, &current.1, &current.2, &current.3, &current.4))?;
        let items = agenda_store::items(&mut tx, id).await?;
        let mut errors = FieldErrors::new();
        let mut changes = Vec::new();
        for (item, text) in texts {
            let Some(found) = item.trim().parse::<i64>().ok().and_then(|i| items.iter().find(|x| x.id.0 == i)) else {
                errors.add("minutes", format!("{} is not an item of this meeting's agenda", item.trim()));
                continue;
            };
            match minutes_text(text) {
                Ok(t) => changes.push((found.id, t)),
                Err(message) => {
                    errors.add(&format!("minutes:{}", found.id), format!("Item {}: {message}", found.position))
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        for (item, text) in &changes {
            st::set_item_minutes(&mut tx, *item, text.as_deref(), &ctx.name).await?;
        }
        st::touch(&mut tx, id, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "minutes",
                "meeting",
                Some(id.to_string()),
                Some(m.partnership_id),
                json!({"items": changes.iter().map(|(i, t)| json!({"item": i.0, "chars": t.as_ref().map_or(0, |t| t.chars().count())})).collect::<Vec<_>>()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(changes.len())
    }

    /// Records an interest declared on an item.
    ///
    /// The business unit records anyone's declaration once the meeting has been held. A member
    /// declares their own (under their seat's name), before the meeting or at it, until the
    /// minutes are approved.
    pub async fn declare_interest(&self, ctx: &Ctx, id: MeetingId, input: &DeclarationInput) -> CoreResult<i64> {
        let mut tx = self.store.write().await?;
        let meeting = meetings_store::meeting(&mut tx, id).await?;
        ctx.authorize(Action::View, &of_meeting(&meeting))?;
        let (m, input) = if can(&ctx.actor, Action::Update, &of_meeting(&meeting)) {
            (self.record_to_change(ctx, &mut tx, id, "person").await?, input.clone())
        } else {
            let mine =
                assure_store::structure::memberships_of_email(&mut tx, meeting.partnership_id, &ctx.label).await?;
            let Some(seat) = mine.into_iter().find(|s| {
                ctx.user_id().is_some()
                    && s.body_id == meeting.body_id
                    && assure_domain::meetings::seat_on(s.from_date, s.to_date, meeting.held_on)
            }) else {
                return Err(CoreError::Forbidden);
            };
            if meeting.cancelled_reason.is_some() {
                return Err(CoreError::field("interest", "The meeting was cancelled: there is nothing to declare"));
            }
            if st::state(&mut tx, id).await?.is_some_and(|s| s.approval.is_some()) {
                return Err(CoreError::field(
                    "interest",
                    "The minutes were approved as a correct record: they are read-only",
                ));
            }
            (meeting, DeclarationInput { person: seat.person_name, ..input.clone() })
        };
        let new = input.validate()?;
        let mut errors = FieldErrors::new();
        Self::item_of(&mut tx, id, Some(new.item_id), &mut errors).await?;
        if st::declarations(&mut tx, id).await?.len() >= MAX_RECORDS {
            errors.add("person", format!("A meeting records at most {MAX_RECORDS} declarations"));
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let made = st::insert_declaration(&mut tx, &new, &ctx.name).await?;
        st::touch(&mut tx, id, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "declare",
                "meeting",
                Some(id.to_string()),
                Some(m.partnership_id),
                json!({"item": new.item_id, "declaration": made}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(made)
    }

    /// Records a decision under the body's next number. Returns the number.
    pub async fn record_decision(&self, ctx: &Ctx, id: MeetingId, input: &DecisionInput) -> CoreResult<i64> {
        let mut tx = self.store.write().await?;
        let m = self.record_to_change(ctx, &mut tx, id, "text").await?;
        let new = input.validate()?;
        let mut errors = FieldErrors::new();
        Self::item_of(&mut tx, id, new.item_id, &mut errors).await?;
        if st::decisions(&mut tx, id).await?.len() >= MAX_RECORDS {
            errors.add("text", format!("A meeting records at most {MAX_RECORDS} decisions"));
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let (made, number) = st::insert_decision(&mut tx, m.body_id, id, &new, &ctx.name).await?;
        st::touch(&mut tx, id, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "decide",
                "meeting",
                Some(id.to_string()),
                Some(m.partnership_id),
                json!({"decision": made, "number": number, "item": new.item_id}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(number)
    }

    /// Records an action from a meeting, owned by an account with a role in the partnership.
    pub async fn add_meeting_action(&self, ctx: &Ctx, id: MeetingId, input: &MeetingActionInput) -> CoreResult<i64> {
        let mut tx = self.store.write().await?;
        let m = self.record_to_change(ctx, &mut tx, id, "text").await?;
        let new = input.validate()?;
        let mut errors = FieldErrors::new();
        Self::item_of(&mut tx, id, new.item_id, &mut errors).await?;
        let owner = match crate::accounts::account_in_partnership(&mut tx, m.partnership_id, &new.owner_email).await? {
            Ok(user) => Some(user),
            Err(message) => {
                errors.add("owner_email", message);
                None
            }
        };
        if st::actions(&mut tx, id).await?.len() >= MAX_RECORDS {
            errors.add("text", format!("A meeting records at most {MAX_RECORDS} actions"));
        }
        let Some(owner) = owner.filter(|_| errors.is_empty()) else { return Err(errors.into()) };
        let made = st::insert_action(&mut tx, id, &new, owner, &ctx.name).await?;
        st::touch(&mut tx, id, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "meeting_action",
                Some(made.to_string()),
                Some(m.partnership_id),
                json!({"meeting_id": id.0, "owner": new.owner_email, "due_on": new.due_on, "item": new.item_id}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(made)
    }

    /// Approves a meeting's minutes as a correct record, at the body's next meeting held (which
    /// must have been held). From then on they are read-only.
    pub async fn approve_minutes(&self, ctx: &Ctx, id: MeetingId) -> CoreResult<MeetingId> {
        let today = self.today();
        let mut tx = self.store.write().await?;
        let m = self.record_to_change(ctx, &mut tx, id, "approve").await?;
        let held: Vec<(i64, NaiveDate)> = meetings_store::meetings_of_body(&mut tx, m.body_id, None, Some(today))
            .await?
            .into_iter()
            .filter(|x| x.cancelled_reason.is_none())
            .map(|x| (x.id.0, x.held_on))
            .collect();
        let Some((at, at_day)) = approving_meeting(&held, id.0) else {
            return Err(CoreError::field(
                "approve",
                format!("Minutes are approved at the next meeting of {}: it has not been held yet", m.body_name),
            ));
        };
        st::approve(&mut tx, id, MeetingId(at), &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "approve_minutes",
                "meeting",
                Some(id.to_string()),
                Some(m.partnership_id),
                json!({"held_on": m.held_on, "approved_at_meeting": at, "approved_at_held_on": at_day}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(MeetingId(at))
    }

    /// Marks a meeting's action done (today) or open again: its owner, or the business unit.
    pub async fn set_meeting_action_state(&self, ctx: &Ctx, id: i64, state_code: &str) -> CoreResult<MeetingId> {
        let mut tx = self.store.write().await?;
        let a = st::action(&mut tx, id).await?;
        let meeting = meetings_store::meeting(&mut tx, a.meeting_id).await?;
        ctx.authorize(Action::View, &of_meeting(&meeting))?;
        let owner = ctx.user_id() == Some(a.owner_user_id);
        if !owner {
            ctx.authorize(Action::Update, &of_meeting(&meeting))?;
        }
        let Some(state) = <ActionState as assure_domain::structure::Choice>::parse(state_code.trim()) else {
            return Err(CoreError::field("state", "Select whether the action is open or done"));
        };
        let done_on = (state == ActionState::Done).then(|| a.done_on.unwrap_or_else(|| self.today()));
        st::set_action_state(&mut tx, id, state, done_on, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "progress",
                "meeting_action",
                Some(id.to_string()),
                Some(meeting.partnership_id),
                json!({"state": state, "done_on": done_on}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(a.meeting_id)
    }

    /// The open actions of the partnership's meetings the actor owns, soonest due first (for My
    /// tasks).
    pub async fn my_meeting_actions(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<MeetingAction>> {
        let Some(user) = ctx.user_id() else { return Ok(Vec::new()) };
        let mut conn = self.store.read().await?;
        let mine = st::open_actions(&mut conn, p, Some(user)).await?;
        drop(conn);
        Ok(mine
            .into_iter()
            .filter(|a| ctx.authorize(Action::View, &super::meeting_target(p, a.body_id, a.body_restricted)).is_ok())
            .collect())
    }

    /// The partnership's decisions whose wording contains `words`, the latest first (at most
    /// 200), that the actor may read.
    pub async fn search_decisions(&self, ctx: &Ctx, p: PartnershipId, words: &str) -> CoreResult<Vec<Decision>> {
        ctx.authorize(Action::View, &Target::new(K::Meeting, p))?;
        let words = words.trim();
        if words.chars().count() > 200 {
            return Err(CoreError::field("q", "Search for at most 200 characters"));
        }
        let mut conn = self.store.read().await?;
        let found = st::search_decisions(&mut conn, p, words, 200).await?;
        drop(conn);
        let seen: Vec<Decision> = found
            .into_iter()
            .filter(|d| {
                let target =
                    Target::new(K::Paper, p).body(Some(d.body_id)).restricted(d.item_restricted || d.body_restricted);
                can(&ctx.actor, Action::View, &target)
            })
            .collect();
        let mut bodies: Vec<i64> = seen.iter().filter(|d| d.body_restricted).map(|d| d.body_id.0).collect();
        bodies.sort_unstable();
        bodies.dedup();
        if !bodies.is_empty() {
            self.log_read(ctx, "body", None, Some(p), json!({"ids": bodies, "part": "decisions"})).await?;
        }
        Ok(seen)
    }

    /// Reminders of the meetings' actions due: to the owner and the business unit, as each falls
    /// due within five working days and when overdue. A restricted item's or body's action is
    /// not described.
    pub(crate) async fn meeting_action_reminder_events(
        &self,
        conn: &mut assure_store::Conn,
        p: PartnershipId,
        today: NaiveDate,
        cal: &assure_domain::reviews::calendar::WorkingCalendar,
    ) -> CoreResult<Vec<crate::reminders::Event>> {
        let open = st::open_actions(conn, p, None).await?;
        if open.is_empty() {
            return Ok(Vec::new());
        }
        let business_unit = assure_store::reminders::holders(conn, p, Role::BusinessUnit.code(), None).await?;
        let mut events = Vec::new();
        for a in open {
            let Some(phase) = crate::reminders::due_phase(today, a.due_on, 5, cal) else { continue };
            let mut recipients = business_unit.clone();
            if let Some(owner) = assure_store::reminders::active_user(conn, a.owner_user_id).await? {
                recipients = crate::reminders::merge(vec![owner], recipients);
            }
            let from = if a.body_restricted {
                format!("the meeting on {}", long_date(a.held_on))
            } else {
                format!("{} on {}", a.body_name, long_date(a.held_on))
            };
            let what = if a.item_restricted || a.body_restricted {
                "An action".to_owned()
            } else {
                format!("The action \u{201c}{}\u{201d}", a.text)
            };
            events.push(crate::reminders::Event {
                key: format!(
                    "meetings:action:{}:{}:{}",
                    a.id,
                    a.due_on,
                    <assure_domain::reviews::ClockState as assure_domain::structure::Choice>::code(phase)
                ),
                partnership: p,
                message: format!("{what} from {from} {}.", crate::reminders::wording(phase, a.due_on)),
                link: format!("/meetings/{}/minutes#actions", a.meeting_id),
                recipients,
            });
        }
        Ok(events)
    }
}

impl MinutesView {
    /// The minutes as a document for the board (PDF or Word): who came (from the meeting's
    /// seats and others in attendance), then each item's record, then other business. Marked
    /// OFFICIAL-SENSITIVE when the body is restricted or a restricted item's record is in it.
    pub fn document(&self, attendance: &super::MeetingDetail) -> crate::documents::Document {
        use crate::documents::{Block, Cell, Document, Marking, Table};
        let m = &self.meeting;
        let sensitive = m.body_restricted || self.items.iter().any(|r| r.item.restricted && !r.withheld);
        let marking = if sensitive { Marking::OfficialSensitive } else { Marking::Official };
        let mut doc = Document::new(format!("Minutes: {}, {}", m.body_name, long_date(m.held_on))).marked(marking);
        let status = match self.state.as_ref().and_then(|s| s.approval.as_ref()) {
            Some(a) => format!("Approved as a correct record at the meeting of {}.", long_date(a.at_held_on)),
            None => "Draft: not yet approved as a correct record.".to_owned(),
        };
        doc.push(Block::Note(format!(
            "{status} Held on {} from {}{}. Produced by Assure on {}.",
            long_date(m.held_on),
            m.starts_at.format("%H:%M"),
            m.place.as_deref().map(|p| format!(" at {p}")).unwrap_or_default(),
            chrono::Utc::now().format("%-d %B %Y")
        )));
        doc.heading(2, "Attendance");
        let mut present = Vec::new();
        let mut apologies = Vec::new();
        for s in &attendance.seats {
            let who = match &s.membership.organisation_name {
                Some(o) => format!("{} ({o})", s.membership.person_name),
                None => s.membership.person_name.clone(),
            };
            use assure_domain::meetings::Presence as P;
            match s.mark.presence {
                P::Present => present.push(who),
                P::Remote => present.push(format!("{who}, remotely")),
                P::Deputy | P::SomeoneElse => {
                    let by = s.mark.attended_by.clone().unwrap_or_default();
                    present.push(format!("{by} for {who}"));
                    if s.mark.presence == P::Deputy {
                        apologies.push(who);
                    }
                }
                P::Apologies => apologies.push(who),
                P::Absent | P::NotRecorded => {}
            }
        }
        present.extend(attendance.guests.iter().map(|g| match &g.came_as {
            Some(c) => format!("{} ({c}), in attendance", g.name),
            None => format!("{}, in attendance", g.name),
        }));
        doc.push(Block::Paragraph(if present.is_empty() {
            "Present: not recorded.".into()
        } else {
            "Present:".into()
        }));
        if !present.is_empty() {
            doc.push(Block::Bullets(present));
        }
        if !apologies.is_empty() {
            doc.push(Block::Paragraph("Apologies:".into()));
            doc.push(Block::Bullets(apologies));
        }
        let actions_table = |actions: &[MeetingAction]| {
            let mut t = Table::new(["Action", "Owner", "Due", "Status"], &[46, 24, 14, 16]);
            for a in actions {
                t.row([
                    Cell::text(Some(a.text.clone())),
                    Cell::text(Some(a.owner_email.clone())),
                    Cell::day(a.due_on),
                    Cell::text(Some(match a.done_on {
                        Some(d) => format!("{} on {}", a.state.label(), d.format("%-d %b %Y")),
                        None => a.state.label().to_owned(),
                    })),
                ]);
            }
            t
        };
        use assure_domain::structure::Choice as _;
        for r in &self.items {
            doc.heading(2, format!("{}. {}", r.number, r.item.title));
            if r.withheld {
                doc.push(Block::Note("A restricted item: its record is not in this copy.".into()));
                continue;
            }
            if !r.declarations.is_empty() {
                doc.push(Block::Paragraph("Interests declared:".into()));
                doc.push(Block::Bullets(
                    r.declarations.iter().map(|d| format!("{}: {}", d.person, d.interest)).collect(),
                ));
            }
            match &r.minutes {
                Some(t) => doc.text(t),
                None => doc.push(Block::Note("No minutes recorded.".into())),
            }
            if !r.decisions.is_empty() {
                doc.push(Block::Bullets(
                    r.decisions.iter().map(|d| format!("Decision {}: {}", d.number, d.text)).collect(),
                ));
            }
            if !r.actions.is_empty() {
                doc.table(actions_table(&r.actions));
            }
        }
        if !self.decisions.is_empty() || !self.actions.is_empty() {
            doc.heading(2, "Other business");
            if !self.decisions.is_empty() {
                doc.push(Block::Bullets(
                    self.decisions.iter().map(|d| format!("Decision {}: {}", d.number, d.text)).collect(),
                ));
            }
            if !self.actions.is_empty() {
                doc.table(actions_table(&self.actions));
            }
        }
        doc
    }
}
