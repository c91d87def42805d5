//! The challenge and escalation log: the partnership challenging an agency, and agencies
//! escalating to the partnership, each with the action agreed, who is responsible, its progress,
//! the plan's actions it produced and how it closed. The business unit keeps the log; the
//! scrutineer reads it all; an agency lead reads the entries concerning their own organisation and
//! reports their progress; nobody else sees it. Open entries older than the partnership's set time
//! are flagged.
//!
//! Parts: `paper` (the log as a workbook and as a paper for the board and the scrutineer).

pub use assure_store::challenges::{Challenge, LinkedAction, Progress};

use assure_domain::challenges::{
    self as ch, ChallengeInput, CloseInput, Direction, ProgressInput, SettingsInput, Status,
};
use assure_domain::structure::Choice;
use assure_domain::{Action, ActionId, MeetingId, OrganisationId, PartnershipId, ResourceKind as K, Role, Target};
use assure_store::audit_log;
use assure_store::challenges as st;
use chrono::NaiveDate;
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

mod paper;

pub use paper::LogPaper;

pub(crate) fn of_challenge(p: PartnershipId, org: Option<OrganisationId>) -> Target {
    Target::new(K::Challenge, p).organisation(org)
}

/// One entry as the log shows it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub challenge: Challenge,
    /// Open longer than the partnership's set time.
    pub flagged: bool,
    /// Days since it was raised (to its closing, once closed).
    pub age_days: i64,
}

impl Entry {
    pub fn reference(&self) -> String {
        ch::reference(self.challenge.number)
    }
}

/// Which entries a reader asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    /// Open or closed only (none: both).
    pub open: Option<bool>,
    pub direction: Option<Direction>,
    /// Flagged only.
    pub flagged: bool,
}

/// What an entry's form offers: the partnership's agencies and its recent meetings.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub organisations: Vec<(OrganisationId, String)>,
    pub meetings: Vec<(i64, String)>,
}

/// The log as a reader sees it.
#[derive(Debug, Clone)]
pub struct Log {
    pub entries: Vec<Entry>,
    /// Entries in the whole log the reader may see, open, and flagged (whatever the filter).
    pub open: usize,
    pub flagged: usize,
    pub flag_after_days: i64,
    /// The reader sees only the entries concerning their own organisation.
    pub own_only: bool,
    pub can_edit: bool,
    pub choices: Choices,
    pub partnership_name: String,
    pub today: NaiveDate,
}

/// One entry with its progress and actions.
#[derive(Debug, Clone)]
pub struct ChallengeView {
    pub entry: Entry,
    pub progress: Vec<Progress>,
    pub actions: Vec<LinkedAction>,
    pub can_edit: bool,
    /// May record progress (the business unit, or the agency concerned).
    pub can_report: bool,
    pub choices: Choices,
}

impl Core {
    async fn challenge_choices(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Choices> {
        let today = self.today();
        let orgs = self.every_organisation(ctx, p).await?;
        let mut conn = self.store.read().await?;
        let since = today.checked_sub_days(chrono::Days::new(730)).unwrap_or(today);
        let mut meetings = assure_store::meetings::meetings_in(&mut conn, p, since, today).await?;
        meetings.reverse();
        Ok(Choices {
            organisations: orgs.iter().filter(|o| o.ended_on.is_none()).map(|o| (o.id, o.name.clone())).collect(),
            meetings: meetings
                .into_iter()
                .filter(|m| m.cancelled_reason.is_none())
                .map(|m| (m.id.0, format!("{}, {}", m.body_name, m.held_on.format("%-d %B %Y"))))
                .collect(),
        })
    }

    fn entry(c: Challenge, today: NaiveDate, flag_after_days: i64) -> Entry {
        let end = c.closed_on.unwrap_or(today);
        Entry {
            flagged: ch::flagged(c.status, c.raised_on, today, flag_after_days),
            age_days: (end - c.raised_on).num_days().max(0),
            challenge: c,
        }
    }

    /// The log (filtered), the latest raised first.
    pub async fn challenges(&self, ctx: &Ctx, p: PartnershipId, filter: Filter) -> CoreResult<Log> {
        let own = ctx.reads_of(K::Challenge, p).ok_or(CoreError::NotFound)?;
        let (all, days, partnership_name) = {
            let mut conn = self.store.read().await?;
            let all = st::challenges_in(&mut conn, p, own.as_deref()).await?;
            let days = st::flag_after_days(&mut conn, p).await?;
            (all, days, assure_store::structure::partnership(&mut conn, p).await?.name)
        };
        let today = self.today();
        let all: Vec<Entry> = all.into_iter().map(|c| Self::entry(c, today, days)).collect();
        let open = all.iter().filter(|e| e.challenge.status == Status::Open).count();
        let flagged = all.iter().filter(|e| e.flagged).count();
        let entries = all
            .into_iter()
            .filter(|e| filter.open.is_none_or(|o| (e.challenge.status == Status::Open) == o))
            .filter(|e| filter.direction.is_none_or(|d| e.challenge.direction == d))
            .filter(|e| !filter.flagged || e.flagged)
            .collect();
        let can_edit = assure_domain::can(&ctx.actor, Action::Create, &of_challenge(p, None));
        let choices = if can_edit { self.challenge_choices(ctx, p).await? } else { Choices::default() };
        Ok(Log {
            entries,
            open,
            flagged,
            flag_after_days: days,
            own_only: own.is_some(),
            can_edit,
            choices,
            partnership_name,
            today,
        })
    }

    /// Checks that an entry's agency and meeting are the partnership's.
    async fn check_challenge(&self, p: PartnershipId, new: &ch::NewChallenge) -> CoreResult<()> {
        let mut conn = self.store.read().await?;
        if let Some(o) = new.organisation_id {
            let org = assure_store::structure::organisation(&mut conn, o).await;
            if !org.as_ref().is_ok_and(|x| x.partnership_id == p) {
                return Err(CoreError::field("organisation_id", "Select the agency from the list"));
            }
        }
        if let Some(m) = new.meeting_id {
            let meeting = assure_store::meetings::meeting(&mut conn, MeetingId(m)).await;
            if !meeting.as_ref().is_ok_and(|x| x.partnership_id == p) {
                return Err(CoreError::field("meeting_id", "Select the meeting from the list"));
            }
        }
        Ok(())
    }

    /// Raises an entry on the log; returns its id and reference.
    pub async fn raise_challenge(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        input: &ChallengeInput,
    ) -> CoreResult<(i64, String)> {
        ctx.authorize(Action::Create, &of_challenge(p, None))?;
        let new = input.validate(self.today())?;
        self.check_challenge(p, &new).await?;
        let mut tx = self.store.write().await?;
        let (id, number) = st::insert(&mut tx, p, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "challenge_entry",
                Some(id.to_string()),
                Some(p),
                json!({"reference": ch::reference(number), "direction": new.direction.code(),
                       "organisation_id": new.organisation_id, "meeting_id": new.meeting_id}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok((id, ch::reference(number)))
    }

    async fn challenge_record(&self, id: i64) -> CoreResult<Challenge> {
        let mut conn = self.store.read().await?;
        Ok(st::challenge(&mut conn, id).await?)
    }

    /// Changes what an entry says.
    pub async fn update_challenge(&self, ctx: &Ctx, id: i64, input: &ChallengeInput) -> CoreResult<()> {
        let c = self.challenge_record(id).await?;
        ctx.authorize(Action::Update, &of_challenge(c.partnership_id, c.organisation_id))?;
        let new = input.validate(self.today())?;
        if c.closed_on.is_some_and(|d| d < new.raised_on) {
            return Err(CoreError::field(
                "raised_on",
                "The day it was raised must be on or before the day it was closed",
            ));
        }
        self.check_challenge(c.partnership_id, &new).await?;
        let mut tx = self.store.write().await?;
        st::update(&mut tx, id, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "challenge_entry",
                Some(id.to_string()),
                Some(c.partnership_id),
                json!({"direction": new.direction.code(), "organisation_id": new.organisation_id,
                       "meeting_id": new.meeting_id}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records progress on an open entry: the business unit, or an agency lead of the agency it
    /// concerns.
    pub async fn add_challenge_progress(&self, ctx: &Ctx, id: i64, input: &ProgressInput) -> CoreResult<i64> {
        let c = self.challenge_record(id).await?;
        ctx.authorize(
            Action::Create,
            &Target::new(K::ChallengeProgress, c.partnership_id).organisation(c.organisation_id),
        )?;
        if c.status != Status::Open {
            return Err(CoreError::field("progress", "This entry is closed: reopen it to record progress"));
        }
        let new = input.validate(self.today())?;
        if new.on < c.raised_on {
            return Err(CoreError::field(
                "on",
                format!(
                    "The day of the progress must be on or after the day it was raised, {}",
                    assure_domain::validation::long_date(c.raised_on)
                ),
            ));
        }
        let mut tx = self.store.write().await?;
        let progress = st::insert_progress(&mut tx, id, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "progress",
                "challenge_entry",
                Some(id.to_string()),
                Some(c.partnership_id),
                json!({"progress_id": progress, "on": new.on}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(progress)
    }

    /// Closes an entry, resolved with its evidence or not with the reason.
    pub async fn close_challenge(&self, ctx: &Ctx, id: i64, input: &CloseInput) -> CoreResult<()> {
        let c = self.challenge_record(id).await?;
        ctx.authorize(Action::Update, &of_challenge(c.partnership_id, c.organisation_id))?;
        if c.status != Status::Open {
            return Err(CoreError::field("outcome", "This entry is already closed"));
        }
        let closure = input.validate(c.raised_on, self.today())?;
        let mut tx = self.store.write().await?;
        st::set_closure(&mut tx, id, Some(&closure), &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "close_challenge",
                "challenge_entry",
                Some(id.to_string()),
                Some(c.partnership_id),
                json!({"outcome": closure.outcome.code(), "closed_on": closure.closed_on}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reopens a closed entry (its closing is kept in the audit log).
    pub async fn reopen_challenge(&self, ctx: &Ctx, id: i64) -> CoreResult<()> {
        let c = self.challenge_record(id).await?;
        ctx.authorize(Action::Update, &of_challenge(c.partnership_id, c.organisation_id))?;
        if c.status == Status::Open {
            return Err(CoreError::field("outcome", "This entry is open"));
        }
        let mut tx = self.store.write().await?;
        st::set_closure(&mut tx, id, None, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "reopen_challenge",
                "challenge_entry",
                Some(id.to_string()),
                Some(c.partnership_id),
                json!({"was": c.status.code(), "closed_on": c.closed_on, "closure": c.closure}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Links an action on the partnership's plan that an entry produced, or unlinks it.
    pub async fn link_challenge_action(&self, ctx: &Ctx, id: i64, action: ActionId, link: bool) -> CoreResult<()> {
        let c = self.challenge_record(id).await?;
        ctx.authorize(Action::Update, &of_challenge(c.partnership_id, c.organisation_id))?;
        let mut tx = self.store.write().await?;
        if link {
            crate::learning::check_plan_action(&mut tx, action, c.partnership_id).await?;
            st::link_action(&mut tx, id, action, &ctx.name)
                .await
                .map_err(|e| CoreError::on_unique(e, "action_id", "That action is already linked to this entry"))?;
        } else {
            st::unlink_action(&mut tx, id, action).await?;
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                if link { "link_action" } else { "unlink_action" },
                "challenge_entry",
                Some(id.to_string()),
                Some(c.partnership_id),
                json!({"action_id": action}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One entry with its progress and the plan's actions it produced.
    pub async fn challenge(&self, ctx: &Ctx, id: i64) -> CoreResult<ChallengeView> {
        let (c, progress, actions, days) = {
            let mut conn = self.store.read().await?;
            let c = st::challenge(&mut conn, id).await?;
            ctx.authorize(Action::View, &of_challenge(c.partnership_id, c.organisation_id))?;
            let progress = st::progress_of(&mut conn, id).await?;
            let actions = st::linked_actions(&mut conn, c.partnership_id, Some(id)).await?;
            let days = st::flag_after_days(&mut conn, c.partnership_id).await?;
            (c, progress, actions, days)
        };
        let p = c.partnership_id;
        let can_edit = assure_domain::can(&ctx.actor, Action::Update, &of_challenge(p, c.organisation_id));
        let can_report = c.status == Status::Open
            && assure_domain::can(
                &ctx.actor,
                Action::Create,
                &Target::new(K::ChallengeProgress, p).organisation(c.organisation_id),
            );
        let mut choices = if can_edit { self.challenge_choices(ctx, p).await? } else { Choices::default() };
        if let (Some(m), Some(label)) = (c.meeting_id, &c.meeting)
            && can_edit
            && !choices.meetings.iter().any(|(id, _)| *id == m)
        {
            choices.meetings.push((m, label.clone()));
        }
        Ok(ChallengeView {
            entry: Self::entry(c, self.today(), days),
            progress,
            actions,
            can_edit,
            can_report,
            choices,
        })
    }

    /// Each entry open longer than the set time, once: the business unit and the agency leads of
    /// the agency it concerns are told.
    pub(crate) async fn challenge_reminder_events(
        &self,
        conn: &mut assure_store::Conn,
        p: PartnershipId,
        today: NaiveDate,
    ) -> CoreResult<Vec<crate::reminders::Event>> {
        let days = st::flag_after_days(conn, p).await?;
        let flagged: Vec<Challenge> = st::challenges_in(conn, p, None)
            .await?
            .into_iter()
            .filter(|c| ch::flagged(c.status, c.raised_on, today, days))
            .collect();
        if flagged.is_empty() {
            return Ok(Vec::new());
        }
        let business_unit = assure_store::reminders::holders(conn, p, Role::BusinessUnit.code(), None).await?;
        let mut events = Vec::new();
        for c in flagged {
            let mut recipients = business_unit.clone();
            if let Some(org) = c.organisation_id {
                let leads = assure_store::reminders::holders(conn, p, Role::AgencyLead.code(), Some(org)).await?;
                recipients = crate::reminders::merge(recipients, leads);
            }
            events.push(crate::reminders::Event {
                key: format!("challenges:flagged:{}", c.id),
                partnership: p,
                message: format!(
                    "Entry {} of the challenge and escalation log ({}) has been open for more than {days} days.",
                    ch::reference(c.number),
                    c.organisation
                ),
                link: format!("/challenges/{}", c.id),
                recipients,
            });
        }
        Ok(events)
    }

    /// How many days an open entry may stand before it is flagged.
    pub async fn set_challenge_settings(&self, ctx: &Ctx, p: PartnershipId, input: &SettingsInput) -> CoreResult<()> {
        ctx.authorize(Action::Update, &of_challenge(p, None))?;
        let days = input.validate()?;
        let mut tx = self.store.write().await?;
        st::set_flag_after_days(&mut tx, p, days, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "challenge_settings",
                "partnership",
                Some(p.to_string()),
                Some(p),
                json!({"flag_after_days": days}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
