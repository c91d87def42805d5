//! A section of a report asked of its author. The business unit asks someone with a role in the
//! partnership (an agency's lead for their agency's part, a subgroup's chair for its year) to write
//! one section by a day; they are told in Assure and by e-mail, and reminded as the day comes and
//! passes. The author reads what the section asks and writes its words, whatever their role, until
//! the report's words are locked; nothing else of the report is theirs to read (its figures come
//! from records they may not see). The scrutineer's own report is not asked of anyone.

pub use assure_store::reports::{Asked, Author};

use assure_domain::reports::{AuthorInput, SectionKey, Step, askable};
use assure_domain::structure::Choice;
use assure_domain::validation::long_date;
use assure_domain::{Action, PartnershipId, ResourceKind as K, Target, UserId, can};
use assure_store::audit_log;
use assure_store::reports::{self as st, Claim, Report, Written};
use chrono::NaiveDate;
use serde_json::json;

use super::{Kept, of, scrutiny};
use crate::reminders::Event;
use crate::{Core, CoreError, CoreResult, Ctx};

/// The working days before a section is due that its author is reminded.
const REMIND_DAYS: u32 = 10;

/// Whom a section's words are written by: in the scrutineer's own report, the scrutineer; in the
/// others, the business unit and the section's author (`owner` when the actor is that author).
pub(super) fn section_target(report: &Report, author: Option<&Author>, actor: Option<UserId>) -> Target {
    if report.kind.by_scrutineer() {
        return scrutiny::writer(report);
    }
    let theirs = actor.is_some() && author.map(|a| a.user_id) == actor;
    Target::new(K::ReportSection, report.partnership_id).owner(theirs)
}

/// The page where a section is written.
pub(super) fn section_page(report_id: i64, key: SectionKey) -> String {
    format!("/reports/{report_id}/sections/{}", key.code())
}

/// A section as its writer reads it: the report, the section, every section's words (an Easy Read
/// section is checked against the glossary's), who it is asked of, and whether words may change.
pub(super) struct ToWrite {
    pub report: Report,
    pub key: SectionKey,
    pub written: Vec<Written>,
    pub author: Option<Author>,
    /// Why words may not be written now.
    pub refused: Option<String>,
}

impl Core {
    /// A section the actor writes (the business unit, its author, or in their own report the
    /// scrutineer), read on one connection and authorized before anything of it is returned.
    pub(super) async fn section_to_write(&self, ctx: &Ctx, id: i64, section: &str) -> CoreResult<ToWrite> {
        let mut conn = self.store.read().await?;
        let report = st::report(&mut conn, id).await?;
        let key = SectionKey::parse(section).filter(|k| report.kind.template().contains(k));
        let author = match key {
            Some(k) => st::author_of(&mut conn, id, k).await?,
            None => None,
        };
        ctx.authorize(Action::Update, &section_target(&report, author.as_ref(), ctx.user_id()))?;
        let key = key.ok_or(CoreError::NotFound)?;
        let kept = Kept {
            written: st::sections(&mut conn, id).await?,
            agreements: st::agreements(&mut conn, id).await?,
            report: Some(report.clone()),
            ..Kept::default()
        };
        drop(conn);
        Ok(ToWrite { refused: kept.refuses(Step::Write), written: kept.written, report, key, author })
    }

    /// Asks someone with a role in the partnership to write a section by a day (in place of
    /// whoever was asked before). They are told in Assure and, when SMTP is configured, by e-mail.
    pub async fn ask_report_author(&self, ctx: &Ctx, id: i64, section: &str, input: &AuthorInput) -> CoreResult<()> {
        let (report, key, kept) = self.report_to_arrange(ctx, id, section).await?;
        if let Some(why) = kept.refuses(Step::Write) {
            return Err(CoreError::field("email", why));
        }
        let new = input.validate(self.today()).map_err(CoreError::Invalid)?;
        let mut conn = self.store.read().await?;
        let user = crate::accounts::account_in_partnership(&mut conn, report.partnership_id, &new.email)
            .await?
            .map_err(|m| CoreError::field("email", m))?;
        drop(conn);
        // The account just found active, by the address it was found by.
        let told = assure_store::reminders::Recipient { user_id: user, email: new.email.clone() };
        let event = Event {
            key: format!("reports:author:{id}:{}:{}:{}", key.code(), user.0, new.due_on),
            partnership: report.partnership_id,
            message: format!(
                "You are asked to write \u{201c}{}\u{201d} of {} by {}.",
                key.label(),
                report.title,
                long_date(new.due_on)
            ),
            link: section_page(id, key),
            recipients: vec![told],
        };
        let p = report.partnership_id;
        let kind = report.kind;
        let due_on = new.due_on;
        self.deliver(vec![event], "Assure: a section of a yearly report to write", async |tx| {
            if !st::claim(tx, id, Claim::words(kind)).await? {
                return Err(CoreError::Changed);
            }
            st::ask(tx, id, key, user, due_on, &ctx.name).await?;
            audit_log::append(
                tx,
                ctx.entry(
                    "ask_section_author",
                    "report",
                    Some(id.to_string()),
                    Some(p),
                    json!({"section": key.code(), "author": user.0, "due_on": due_on.to_string()}),
                ),
            )
            .await?;
            Ok(())
        })
        .await?;
        Ok(())
    }

    /// No longer asks anyone to write a section (the words written stay).
    pub async fn withdraw_report_author(&self, ctx: &Ctx, id: i64, section: &str) -> CoreResult<()> {
        let (report, key, kept) = self.report_to_arrange(ctx, id, section).await?;
        if let Some(why) = kept.refuses(Step::Write) {
            return Err(CoreError::field("email", why));
        }
        let mut tx = self.store.write().await?;
        if !st::claim(&mut tx, id, Claim::words(report.kind)).await? {
            return Err(CoreError::Changed);
        }
        let Some(author) = st::author_of(&mut tx, id, key).await? else {
            return Err(CoreError::field("email", "Nobody is asked to write this section"));
        };
        st::withdraw(&mut tx, id, key).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "withdraw_section_author",
                "report",
                Some(id.to_string()),
                Some(report.partnership_id),
                json!({"section": key.code(), "author": author.user_id.0}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A report whose sections the actor asks authors of (the business unit), with the section.
    async fn report_to_arrange(&self, ctx: &Ctx, id: i64, section: &str) -> CoreResult<(Report, SectionKey, Kept)> {
        let mut conn = self.store.read().await?;
        let report = st::report(&mut conn, id).await?;
        ctx.authorize(Action::Update, &of(report.partnership_id))?;
        let key =
            SectionKey::parse(section).filter(|k| report.kind.template().contains(k)).ok_or(CoreError::NotFound)?;
        if !askable(report.kind) {
            return Err(CoreError::field(
                "email",
                "The scrutineer writes their own report: its sections are not asked of anyone",
            ));
        }
        let kept =
            Kept { agreements: st::agreements(&mut conn, id).await?, report: Some(report.clone()), ..Kept::default() };
        drop(conn);
        Ok((report, key, kept))
    }

    /// The sections asked of the actor in the partnership, the soonest due first.
    pub async fn sections_asked_of_me(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<Asked>> {
        let Some(user) = ctx.user_id() else { return Ok(Vec::new()) };
        let mut conn = self.store.read().await?;
        let asked = st::asked_of(&mut conn, user, p).await?;
        drop(conn);
        // Asked of them by the business unit: theirs to read, whatever their role.
        Ok(asked
            .into_iter()
            .filter(|a| can(&ctx.actor, Action::View, &Target::new(K::ReportSection, a.partnership_id).owner(true)))
            .collect())
    }

    /// Reminders to the authors (active accounts) of sections due within ten working days, or
    /// overdue, and not yet written: one query, the authors' addresses with the sections.
    pub(crate) async fn report_author_reminder_events(
        &self,
        conn: &mut assure_store::Conn,
        p: PartnershipId,
        today: NaiveDate,
        cal: &assure_domain::reviews::calendar::WorkingCalendar,
    ) -> CoreResult<Vec<Event>> {
        let horizon = cal.add_working_days(today, REMIND_DAYS);
        let mut events = Vec::new();
        for a in st::unwritten_due(conn, p, horizon).await? {
            let Some(phase) = crate::reminders::due_phase(today, a.author.due_on, i64::from(REMIND_DAYS), cal) else {
                continue;
            };
            events.push(Event {
                key: format!(
                    "reports:author:{}:{}:{}:{}:{}",
                    a.report_id,
                    a.author.section.code(),
                    a.author.user_id.0,
                    a.author.due_on,
                    phase.code()
                ),
                partnership: p,
                message: format!(
                    "Your section \u{201c}{}\u{201d} of {} {}.",
                    a.author.section.label(),
                    a.title,
                    crate::reminders::wording(phase, a.author.due_on)
                ),
                link: section_page(a.report_id, a.author.section),
                recipients: vec![assure_store::reminders::Recipient {
                    user_id: a.author.user_id,
                    email: a.author.email.clone(),
                }],
            });
        }
        Ok(events)
    }
}
