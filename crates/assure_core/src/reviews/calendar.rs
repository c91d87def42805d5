//! The working-day calendar that every statutory clock counts in: the built-in bank holidays of
//! England and Wales plus the days an administrator has closed.

use assure_domain::authz::ResourceKind;
use assure_domain::reviews::calendar::{self, WorkingCalendar};
use assure_domain::validation::{required_date, required_text};
use assure_domain::{Action, FieldErrors, Target};
use assure_store::reviews::calendar::{self as store, ClosedDay};
use assure_store::{Conn, audit_log};
use chrono::{Datelike, NaiveDate};
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

/// A closed day as the calendar page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub day: NaiveDate,
    pub name: String,
    /// Added by an administrator rather than built in.
    pub added: bool,
}

/// The calendar with every closed day, read through a connection the use-case already holds
/// (a use-case never takes a second connection while holding one).
pub(crate) async fn working_calendar(conn: &mut Conn) -> CoreResult<WorkingCalendar> {
    let extra = store::closed_days(conn).await?;
    Ok(WorkingCalendar::with_extra_days(extra.into_iter().map(|d| d.day)))
}

impl Core {
    /// The calendar with every closed day; no authorization needed to count days.
    pub async fn working_calendar(&self) -> CoreResult<WorkingCalendar> {
        let mut conn = self.store.read().await?;
        working_calendar(&mut conn).await
    }

    /// Built-in and added closed days in `year`, in date order.
    pub async fn holidays(&self, year: i32) -> CoreResult<Vec<Holiday>> {
        let mut conn = self.store.read().await?;
        let added: Vec<ClosedDay> = store::closed_days(&mut conn).await?;
        let mut out: Vec<Holiday> = calendar::bank_holidays(year)
            .into_iter()
            .filter(|_| (calendar::FIRST_YEAR..=calendar::LAST_YEAR).contains(&year))
            .map(|(day, name)| Holiday { day, name: name.to_owned(), added: false })
            .collect();
        out.extend(added.into_iter().filter(|d| d.day.year() == year).map(|d| Holiday {
            day: d.day,
            name: d.name,
            added: true,
        }));
        out.sort_by_key(|h| h.day);
        Ok(out)
    }

    fn authorize_calendar(&self, ctx: &Ctx) -> CoreResult<()> {
        // The calendar serves every partnership: an administrator of any may change it.
        let allowed = ctx
            .actor
            .partnerships()
            .into_iter()
            .any(|p| ctx.authorize(Action::Administer, &Target::new(ResourceKind::Calendar, p)).is_ok());
        if allowed { Ok(()) } else { Err(CoreError::Forbidden) }
    }

    /// Closes an extra day (a newly proclaimed bank holiday) for every clock.
    pub async fn close_day(&self, ctx: &Ctx, day: &str, name: &str) -> CoreResult<NaiveDate> {
        self.authorize_calendar(ctx)?;
        let mut errors = FieldErrors::new();
        let day = errors.check("day", required_date("the date", day));
        let name = errors.check("name", required_text("the name of the holiday", name, 200));
        let (Some(day), Some(name)) = (day, name) else { return Err(errors.into()) };
        let cal = self.working_calendar().await?;
        if !cal.is_working_day(day) {
            return Err(CoreError::field("day", "That day is already a weekend day or a bank holiday"));
        }
        let mut tx = self.store.write().await?;
        store::insert_closed_day(&mut tx, day, &name, ctx.user_id().map(|u| u.0)).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("close_day", "calendar", Some(day.to_string()), None, json!({"name": name})),
        )
        .await?;
        tx.commit().await?;
        Ok(day)
    }

    /// Reopens a day an administrator had closed (built-in bank holidays cannot be reopened).
    pub async fn reopen_day(&self, ctx: &Ctx, day: &str) -> CoreResult<()> {
        self.authorize_calendar(ctx)?;
        let day = required_date("the date", day).map_err(|m| CoreError::field("day", m))?;
        let mut tx = self.store.write().await?;
        store::delete_closed_day(&mut tx, day).await.map_err(|e| match e {
            assure_store::StoreError::NotFound => CoreError::field("day", "No day was added on that date"),
            other => other.into(),
        })?;
        audit_log::append(&mut tx, ctx.entry("reopen_day", "calendar", Some(day.to_string()), None, json!({}))).await?;
        tx.commit().await?;
        Ok(())
    }
}
