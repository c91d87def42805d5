//! Importing the attendance grids partnerships already keep: an uploaded CSV or XLSX grid is
//! read (off the async runtime, within [`Limits::ATTENDANCE`]) into a preview that says how
//! every seat and cell was read; the business unit corrects seats or cells on the preview and
//! checks again; saving reads the grid once more inside one transaction against what the body
//! holds then, and adds the people, seats, meetings, marks and others in attendance it names, or
//! nothing at all.

use std::collections::HashMap;

use assure_domain::meetings::grid::{
    self as g, Blank, CellOutcome, Column, GridContext, GridReading, GridText, Holding, KnownMeeting, KnownSeat,
};
use assure_domain::meetings::{NewMeeting, optional_time};
use assure_domain::structure::{BodyKind, Cadence, Choice, NewMembership, NewPerson};
use assure_domain::{
    Action, BodyId, FieldErrors, MeetingId, MembershipId, PartnershipId, PersonId, ResourceKind as K, Target,
};
use assure_store::meetings::{self as st, Guest};
use assure_store::structure::{self as structure_store, Body, Page};
use assure_store::{Conn, audit_log};
use chrono::NaiveTime;
use serde::Deserialize;
use serde_json::json;

use super::of_body;
use crate::learning::UploadFile;
use crate::tables::Limits;
use crate::{Core, CoreError, CoreResult, Ctx};

/// Problems listed at most, so a wholly wrong file gives a readable page.
const MAX_REPORTED: usize = 40;

/// What the import form sends besides the grid, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GridOptionsInput {
    /// What a blank cell means where the seat was held: `absent` (the default) or `not_recorded`.
    #[serde(default)]
    pub blank: String,
    /// When the meetings the grid adds start ("10:00"): a grid gives only their dates.
    #[serde(default)]
    pub starts_at: String,
}

/// How a grid is imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridOptions {
    pub blank: Blank,
    pub starts_at: NaiveTime,
}

impl GridOptionsInput {
    pub fn validate(&self) -> Result<GridOptions, FieldErrors> {
        let mut e = FieldErrors::new();
        let blank = match self.blank.trim() {
            "" => Some(Blank::Absent),
            code => Blank::parse(code),
        };
        if blank.is_none() {
            e.add("blank", "Select what a blank cell means");
        }
        let starts_at = e.check(
            "starts_at",
            optional_time("the start time", &self.starts_at)
                .and_then(|t| t.ok_or_else(|| "Enter when the meetings the grid adds start, like 10:00".to_owned())),
        );
        match (blank, starts_at) {
            (Some(blank), Some(starts_at)) if e.is_empty() => Ok(GridOptions { blank, starts_at }),
            _ => Err(e),
        }
    }
}

/// A grid as read, for the preview.
#[derive(Debug, Clone)]
pub struct GridPreview {
    pub body: Body,
    pub grid: GridText,
    pub reading: GridReading,
    pub input: GridOptionsInput,
}

/// What an import added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GridImported {
    pub meetings_created: usize,
    pub people_created: usize,
    pub seats_created: usize,
    pub marks: usize,
    pub guests: usize,
}

/// What a grid is read against, as the store has it.
struct Known {
    organisations: Vec<(assure_domain::OrganisationId, String)>,
    seats: Vec<KnownSeat>,
    people: Vec<(PersonId, String)>,
    meetings: Vec<KnownMeeting>,
    restricted_people: Vec<i64>,
}

async fn known(conn: &mut Conn, body: &Body) -> CoreResult<Known> {
    let mut known = known_in(conn, body.partnership_id).await?;
    let memberships = structure_store::memberships_of_body(conn, body.id).await?;
    let meetings = st::meetings_of_body(conn, body.id, None, None).await?;
    known.restricted_people = memberships.iter().filter(|m| m.person_restricted).map(|m| m.person_id.0).collect();
    known.seats = memberships
        .into_iter()
        .map(|m| KnownSeat {
            membership: m.id,
            person: m.person_id,
            name: m.person_name,
            role: m.role,
            from: m.from_date,
            to: m.to_date,
        })
        .collect();
    known.meetings = meetings
        .into_iter()
        .map(|m| KnownMeeting { id: m.id, held_on: m.held_on, cancelled: m.cancelled_reason.is_some() })
        .collect();
    Ok(known)
}

/// What a grid for a body not yet added is read against: the partnership's organisations and
/// people.
async fn known_in(conn: &mut Conn, p: PartnershipId) -> CoreResult<Known> {
    let (organisations, _) = structure_store::organisations(conn, p, true, Page::ALL).await?;
    let (people, _) = structure_store::people(conn, p, true, Page::ALL).await?;
    Ok(Known {
        organisations: organisations.into_iter().map(|o| (o.id, o.name)).collect(),
        seats: Vec::new(),
        people: people.into_iter().map(|p| (p.id, p.name)).collect(),
        meetings: Vec::new(),
        restricted_people: Vec::new(),
    })
}

fn read(
    grid: &GridText,
    known: &Known,
    ended: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
    blank: Blank,
) -> GridReading {
    g::read_grid(
        grid,
        &GridContext {
            today,
            body_ended: ended,
            organisations: &known.organisations,
            seats: &known.seats,
            people: &known.people,
            meetings: &known.meetings,
            blank,
        },
    )
}

/// Every problem of a reading as field errors of `field`, the first [`MAX_REPORTED`] of them.
fn problems(field: &str, errors: &[assure_domain::cells::CellError]) -> FieldErrors {
    let mut e = FieldErrors::new();
    for cell in errors.iter().take(MAX_REPORTED) {
        e.add(field, cell.to_string());
    }
    if errors.len() > MAX_REPORTED {
        e.add(field, format!("and {} more problems", errors.len() - MAX_REPORTED));
    }
    e
}

impl Core {
    /// Whether the actor may import a grid into the body: record its attendance, and add the
    /// people and seats a grid may name. Asked before any byte of the upload is read.
    pub async fn permit_attendance_import(&self, ctx: &Ctx, body: BodyId) -> CoreResult<crate::UploadPermit> {
        let mut conn = self.store.read().await?;
        let b = structure_store::body(&mut conn, body).await?;
        drop(conn);
        authorize_import(ctx, &b)?;
        Ok(crate::UploadPermit::granted())
    }

    /// The body the import form is for, once the actor may import into it.
    pub async fn attendance_import_body(&self, ctx: &Ctx, body: BodyId) -> CoreResult<Body> {
        let mut conn = self.store.read().await?;
        let b = structure_store::body(&mut conn, body).await?;
        drop(conn);
        authorize_import(ctx, &b)?;
        Ok(b)
    }

    /// Reads an uploaded grid into a preview. A file that holds no grid is refused (`file`, by
    /// row and column); a grid whose cells do not all read is previewed with each problem.
    pub async fn read_attendance_grid(
        &self,
        ctx: &Ctx,
        body: BodyId,
        file: Option<UploadFile>,
        input: &GridOptionsInput,
    ) -> CoreResult<GridPreview> {
        let b = self.attendance_import_body(ctx, body).await?;
        let options = input.validate()?;
        let Some(file) = file.filter(|f| !f.bytes.is_empty()) else {
            return Err(CoreError::field("file", "Select a CSV or Excel (.xlsx) attendance grid"));
        };
        let rows = self.read_upload("file", &file.name, file.bytes, Limits::ATTENDANCE).await?;
        let grid = GridText::from_rows(&rows).map_err(|cells| CoreError::Invalid(problems("file", &cells)))?;
        self.preview(ctx, b, grid, input.clone(), options).await
    }

    /// Reads a grid corrected on the preview again.
    pub async fn check_attendance_grid(
        &self,
        ctx: &Ctx,
        body: BodyId,
        grid: GridText,
        input: &GridOptionsInput,
    ) -> CoreResult<GridPreview> {
        let b = self.attendance_import_body(ctx, body).await?;
        let options = input.validate()?;
        check_size(&grid)?;
        self.preview(ctx, b, grid, input.clone(), options).await
    }

    async fn preview(
        &self,
        ctx: &Ctx,
        body: Body,
        grid: GridText,
        input: GridOptionsInput,
        options: GridOptions,
    ) -> CoreResult<GridPreview> {
        let mut conn = self.store.read().await?;
        let known = known(&mut conn, &body).await?;
        drop(conn);
        let reading = read(&grid, &known, body.ended_on, self.today(), options.blank);
        self.log_matched_people(ctx, &body, &known, &reading).await?;
        Ok(GridPreview { body, grid, reading, input })
    }

    /// Logs the reads of restricted people the preview matched to the body's seats.
    async fn log_matched_people(&self, ctx: &Ctx, body: &Body, known: &Known, reading: &GridReading) -> CoreResult<()> {
        let matched: Vec<MembershipId> = reading
            .seats
            .iter()
            .flat_map(|s| &s.holders)
            .filter_map(|h| if let Holding::Seat(m) = h.holding { Some(m) } else { None })
            .collect();
        let mut people: Vec<i64> = known
            .seats
            .iter()
            .filter(|s| matched.contains(&s.membership) && known.restricted_people.contains(&s.person.0))
            .map(|s| s.person.0)
            .collect();
        people.sort_unstable();
        people.dedup();
        if people.is_empty() {
            return Ok(());
        }
        let record = (people.len() == 1).then(|| people[0].to_string());
        self.log_read(
            ctx,
            "person",
            record,
            Some(body.partnership_id),
            json!({"ids": people, "part": "attendance import"}),
        )
        .await
    }

    /// Reads a grid file and imports it whole, as the API and scripts do: refused whole, each
    /// problem by row and column under `file`, when any cell does not read; with `dry_run`, read
    /// and reported only.
    pub async fn import_attendance_file(
        &self,
        ctx: &Ctx,
        body: BodyId,
        file: UploadFile,
        input: &GridOptionsInput,
        dry_run: bool,
    ) -> CoreResult<(GridPreview, Option<GridImported>)> {
        let preview = self.read_attendance_grid(ctx, body, Some(file), input).await?;
        if !preview.reading.is_ok() {
            return Err(CoreError::Invalid(problems("file", &preview.reading.errors)));
        }
        if dry_run {
            return Ok((preview, None));
        }
        let done = self.import_attendance_grid(ctx, body, &preview.grid, input).await?;
        Ok((preview, Some(done)))
    }

    /// Saves a grid: reads it again in one transaction against what the body holds now, and
    /// adds everything it names, or nothing (an error by row and column under `grid`).
    pub async fn import_attendance_grid(
        &self,
        ctx: &Ctx,
        body: BodyId,
        grid: &GridText,
        input: &GridOptionsInput,
    ) -> CoreResult<GridImported> {
        let options = input.validate()?;
        check_size(grid)?;
        let mut tx = self.store.write().await?;
        let b = structure_store::body(&mut tx, body).await?;
        authorize_import(ctx, &b)?;
        let known = known(&mut tx, &b).await?;
        let reading = read(grid, &known, b.ended_on, self.today(), options.blank);
        if !reading.is_ok() {
            return Err(CoreError::Invalid(problems("grid", &reading.errors)));
        }
        let mut done = GridImported::default();
        // People first (one per name, whichever rows name them), then their seats.
        let mut new_people: HashMap<String, PersonId> = HashMap::new();
        let mut seats: Vec<Vec<MembershipId>> = Vec::new();
        for seat in &reading.seats {
            let mut ids = Vec::new();
            for h in &seat.holders {
                let person = match h.holding {
                    Holding::Seat(m) => {
                        ids.push(m);
                        continue;
                    }
                    Holding::Person(p) => p,
                    Holding::NewPerson => {
                        let key = g::comparable_name(&h.name);
                        match new_people.get(&key) {
                            Some(p) => *p,
                            None => {
                                let new = NewPerson {
                                    name: h.name.clone(),
                                    job_title: h.job_title.clone(),
                                    email: None,
                                    organisation_id: h.organisation,
                                    restricted: false,
                                };
                                let p = structure_store::insert_person(&mut tx, b.partnership_id, &new).await?;
                                done.people_created += 1;
                                new_people.insert(key, p);
                                p
                            }
                        }
                    }
                };
                let new = NewMembership {
                    person_id: person,
                    organisation_id: h.organisation,
                    role: h.role,
                    from_date: h.from,
                    to_date: h.to,
                };
                ids.push(structure_store::insert_membership(&mut tx, b.id, &new).await?);
                done.seats_created += 1;
            }
            seats.push(ids);
        }
        let mut meetings: Vec<Option<MeetingId>> = Vec::new();
        for column in &reading.columns {
            meetings.push(match (column.meeting, column.date) {
                (Some(Column::Existing(id)), _) => Some(id),
                (Some(Column::New), Some(held_on)) => {
                    let new = NewMeeting { held_on, starts_at: options.starts_at, ends_at: None, place: None };
                    done.meetings_created += 1;
                    Some(st::insert_meeting(&mut tx, b.id, &new, &ctx.name).await?)
                }
                _ => None,
            });
        }
        for (c, meeting) in meetings.iter().enumerate() {
            let Some(meeting) = *meeting else { continue };
            let mut marks = Vec::new();
            let mut guests: Vec<Guest> = Vec::new();
            for (s, seat) in reading.seats.iter().enumerate() {
                if let Some(CellOutcome::Mark { holder, mark, also }) = seat.cells.get(c).map(|cell| &cell.outcome) {
                    marks.push((seats[s][*holder], mark.clone()));
                    for name in also {
                        if !guests.iter().any(|g| g::comparable_name(&g.name) == g::comparable_name(name)) {
                            guests.push(Guest { name: name.clone(), came_as: Some("Also attended".into()) });
                        }
                    }
                }
            }
            done.marks += marks.len();
            st::set_marks(&mut tx, meeting, &marks, &ctx.name).await?;
            if !guests.is_empty() {
                let mut all = st::guests(&mut tx, meeting).await?;
                for guest in guests {
                    if !all.iter().any(|g| g::comparable_name(&g.name) == g::comparable_name(&guest.name)) {
                        done.guests += 1;
                        all.push(guest);
                    }
                }
                st::set_guests(&mut tx, meeting, &all, &ctx.name).await?;
            }
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "import",
                "body",
                Some(b.id.to_string()),
                Some(b.partnership_id),
                json!({"part": "attendance", "seats": reading.seats.len(), "meetings": reading.columns.len(),
                       "meetings_created": done.meetings_created, "people_created": done.people_created,
                       "seats_created": done.seats_created, "marks": done.marks, "guests": done.guests,
                       "blank": options.blank.code()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Reads a grid for a body the partnership does not have yet, at the console (the command
    /// `attendance import --create-body`), so that a grid that does not read adds no body.
    pub async fn read_attendance_grid_for_new_body(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        file: UploadFile,
        input: &GridOptionsInput,
    ) -> CoreResult<(GridText, GridReading)> {
        ctx.authorize(Action::Create, &Target::new(K::Body, p))?;
        ctx.authorize(Action::Create, &Target::new(K::Person, p))?;
        let options = input.validate()?;
        let rows = self.read_upload("file", &file.name, file.bytes, Limits::ATTENDANCE).await?;
        let grid = GridText::from_rows(&rows).map_err(|cells| CoreError::Invalid(problems("file", &cells)))?;
        let mut conn = self.store.read().await?;
        let known = known_in(&mut conn, p).await?;
        drop(conn);
        let reading = read(&grid, &known, None, self.today(), options.blank);
        Ok((grid, reading))
    }

    /// Adds a board for a grid's historic body (an LSCB before 2019), so its register can be
    /// kept: the command `attendance import --create-body`.
    pub async fn create_body_for_grid(&self, ctx: &Ctx, p: PartnershipId, name: &str) -> CoreResult<BodyId> {
        let input = assure_domain::structure::BodyInput {
            name: name.to_owned(),
            kind: BodyKind::Board.code().to_owned(),
            cadence: Cadence::AsRequired.code().to_owned(),
            purpose: "Its attendance was imported from a grid".to_owned(),
            ..Default::default()
        };
        self.create_body(ctx, p, &input).await
    }
}
fn authorize_import(ctx: &Ctx, b: &Body) -> CoreResult<()> {
    ctx.authorize(Action::Update, &of_body(b))?;
    ctx.authorize(Action::Create, &Target::new(K::Person, b.partnership_id))?;
    ctx.authorize(
        Action::Create,
        &Target::new(K::Membership, b.partnership_id).body(Some(b.id)).restricted(b.restricted),
    )?;
    Ok(())
}

/// A grid sent back from the preview is held to the limits an uploaded one is.
fn check_size(grid: &GridText) -> CoreResult<()> {
    if grid.rows.len() > g::MAX_SEATS || grid.dates.len() > g::MAX_MEETINGS {
        return Err(CoreError::field(
            "grid",
            format!("A grid has at most {} seats and {} meetings", g::MAX_SEATS, g::MAX_MEETINGS),
        ));
    }
    if grid.rows.iter().any(|r| r.cells.len() != grid.dates.len()) {
        return Err(CoreError::field("grid", "Each seat has one cell per meeting"));
    }
    Ok(())
}
