//! On the day: the register (attended, late cancellation, did not attend) by the business unit,
//! or from an online meeting's attendance report (Teams, Zoom or any table with an e-mail
//! column; authorized before a byte is read, read off the async runtime within its limits);
//! the charges for places not used, per organisation, for invoicing; and the business unit's
//! settings (retention, charges, the late window).

use std::collections::BTreeMap;

use assure_domain::structure::Choice;
use assure_domain::training::{self as tr, Attendance, BookingStatus, SettingsInput};
use assure_domain::{Action, PartnershipId};
use assure_store::audit_log;
use assure_store::training as st;
use serde_json::json;

use super::{of_booking, of_event};
use crate::tables::Limits;
use crate::{Core, CoreError, CoreResult, Ctx};

/// An attendance report's size limits: 2 MB, 5,000 rows, 60 columns.
pub const REPORT_LIMITS: Limits = Limits {
    what: "an attendance report",
    max_bytes: 2 * 1024 * 1024,
    max_rows: 5_000,
    max_columns: 60,
    max_cells: 150_000,
    max_sheets: 10,
    max_unzipped: 16 * 1024 * 1024,
};

/// What an attendance report did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterImport {
    /// Bookings marked attended.
    pub marked: usize,
    /// Addresses in the report with no booking on the session (row, address).
    pub not_booked: Vec<(usize, String)>,
    /// Rows without an address (guests, the report's own summary).
    pub skipped: usize,
}

/// What one organisation is charged for places not used in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    pub organisation: String,
    pub no_shows: i64,
    pub late_cancellations: i64,
    /// Pence.
    pub amount: i64,
    /// Each charged place: (day, event, what happened).
    pub places: Vec<(chrono::NaiveDate, String, Attendance)>,
}

impl Core {
    /// Marks the register: each (booking id, attendance code or "" to clear) of the session's
    /// booked places. Refused whole if any booking is not a place on this session.
    pub async fn mark_register(&self, ctx: &Ctx, session: i64, marks: &[(i64, String)]) -> CoreResult<usize> {
        let s = {
            let mut conn = self.store.read().await?;
            st::session(&mut conn, session).await?
        };
        ctx.authorize(Action::Update, &of_event(s.partnership_id))?;
        if s.starts.date() > self.today() {
            return Err(CoreError::field("register", "The register is taken on or after the day of the session"));
        }
        let mut tx = self.store.write().await?;
        let bookings = st::bookings_of(&mut tx, session).await?;
        let mut changed = 0;
        let mut detail = Vec::new();
        for (id, code) in marks {
            let Some(b) = bookings.iter().find(|b| b.id == *id && b.status == BookingStatus::Booked) else {
                return Err(CoreError::field("register", "Mark only the places booked on this session"));
            };
            let mark = match code.trim() {
                "" => None,
                c => Some(Attendance::parse(c).ok_or_else(|| {
                    CoreError::field("register", "Mark each place attended, late cancellation or did not attend")
                })?),
            };
            if mark != b.attendance {
                st::set_attendance(&mut tx, *id, mark).await?;
                changed += 1;
                detail.push(json!({"booking_id": id, "attendance": mark.map(|m| m.code())}));
            }
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "register",
                "training_session",
                Some(session.to_string()),
                Some(s.partnership_id),
                json!({"marks": detail}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(changed)
    }

    /// Whether `ctx` may import a session's attendance report: asked before a byte of it is read.
    pub async fn permit_register_import(&self, ctx: &Ctx, session: i64) -> CoreResult<crate::UploadPermit> {
        let mut conn = self.store.read().await?;
        let s = st::session(&mut conn, session).await?;
        drop(conn);
        ctx.authorize(Action::Update, &of_event(s.partnership_id))?;
        Ok(crate::UploadPermit::granted())
    }

    /// Marks attended every booked place whose address is in an online meeting's attendance
    /// report; addresses with no place are listed, nothing else changes. A report that cannot be
    /// read is refused by row and column, and nothing is marked.
    pub async fn import_register(
        &self,
        ctx: &Ctx,
        session: i64,
        name: &str,
        bytes: Vec<u8>,
    ) -> CoreResult<RegisterImport> {
        let s = {
            let mut conn = self.store.read().await?;
            st::session(&mut conn, session).await?
        };
        ctx.authorize(Action::Update, &of_event(s.partnership_id))?;
        let rows = self.read_upload("file", name, bytes, REPORT_LIMITS).await?;
        let (people, skipped) = tr::attendance_report(&rows).map_err(|m| CoreError::field("file", m))?;
        let mut tx = self.store.write().await?;
        let bookings = st::bookings_of(&mut tx, session).await?;
        let mut out = RegisterImport { skipped, ..Default::default() };
        for a in &people {
            match bookings
                .iter()
                .find(|b| b.status == BookingStatus::Booked && b.email.as_deref() == Some(a.email.as_str()))
            {
                Some(b) => {
                    if b.attendance != Some(Attendance::Attended) {
                        st::set_attendance(&mut tx, b.id, Some(Attendance::Attended)).await?;
                    }
                    out.marked += 1;
                }
                None => out.not_booked.push((a.row, a.email.clone())),
            }
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "import",
                "training_session",
                Some(session.to_string()),
                Some(s.partnership_id),
                json!({"file": name, "marked": out.marked, "not_booked": out.not_booked.len(), "skipped": skipped}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The partnership's training settings.
    pub async fn training_settings(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<tr::Settings> {
        ctx.authorize(Action::View, &of_event(p))?;
        let mut conn = self.store.read().await?;
        Ok(st::settings(&mut conn, p).await?)
    }

    pub async fn set_training_settings(&self, ctx: &Ctx, p: PartnershipId, input: &SettingsInput) -> CoreResult<()> {
        ctx.authorize(Action::Update, &of_event(p))?;
        let s = input.validate()?;
        let mut tx = self.store.write().await?;
        st::set_settings(&mut tx, p, &s, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "training_settings",
                "partnership",
                Some(p.to_string()),
                Some(p),
                json!({"retention_days": s.retention_days, "no_show_charge_pence": s.no_show_charge,
                       "late_cancellation_charge_pence": s.late_cancellation_charge, "late_within_days": s.late_within_days}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What each organisation is charged for places not used on sessions from `from` to `to`
    /// (inclusive), at the partnership's charges; an agency lead sees their own organisation's.
    pub async fn training_charges(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> CoreResult<Vec<Charge>> {
        ctx.reads_of(assure_domain::ResourceKind::Booking, p).ok_or(CoreError::NotFound)?;
        let mut conn = self.store.read().await?;
        let settings = st::settings(&mut conn, p).await?;
        let lines = st::lines_between(
            &mut conn,
            p,
            &format!("{from}T00:00"),
            &format!("{}T00:00", to.succ_opt().unwrap_or(to)),
        )
        .await?;
        drop(conn);
        let mut by: BTreeMap<String, Charge> = BTreeMap::new();
        for l in lines {
            let b = &l.booking;
            let Some(a @ (Attendance::NoShow | Attendance::LateCancellation)) = b.attendance else { continue };
            if !assure_domain::can(&ctx.actor, Action::View, &of_booking(p, b.organisation_id)) {
                continue;
            }
            let price = match a {
                Attendance::NoShow => settings.no_show_charge,
                _ => settings.late_cancellation_charge,
            };
            let Some(price) = price else { continue };
            let name = b.organisation_name.clone().unwrap_or_else(|| "No organisation given".into());
            let c = by.entry(name.clone()).or_insert_with(|| Charge {
                organisation: name,
                no_shows: 0,
                late_cancellations: 0,
                amount: 0,
                places: Vec::new(),
            });
            if a == Attendance::NoShow {
                c.no_shows += 1;
            } else {
                c.late_cancellations += 1;
            }
            c.amount += price;
            c.places.push((l.starts.date(), l.event_title.clone(), a));
        }
        Ok(by.into_values().collect())
    }
}
