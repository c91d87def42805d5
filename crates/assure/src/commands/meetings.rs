//! `assure attendance`: import a body's attendance grid, and print its attendance review, from
//! the console.

use anyhow::{Result, anyhow, bail};

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum AttendanceCommand {
    /// Import an attendance grid (CSV or XLSX: the seats in the first column, one column per
    /// meeting headed by its date), printing how each seat and cell was read. A grid with any
    /// cell that does not read is refused whole, each problem named by row and column.
    Import {
        /// The grid file.
        file: std::path::PathBuf,
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
        /// The body's name, as the partnership's pages show it.
        #[arg(long)]
        body: String,
        /// Add the body as a board when the partnership has none of that name (a historic body,
        /// such as an LSCB before 2019; stand it down afterwards to keep its register).
        #[arg(long)]
        create_body: bool,
        /// What a blank cell means where the seat was held: absent or not_recorded.
        #[arg(long, default_value = "absent")]
        blank: String,
        /// When the meetings the grid adds start (a grid gives only their dates), HH:MM.
        #[arg(long, default_value = "10:00")]
        starts_at: String,
    },
    /// Print a body's attendance, one row per meeting held: date, seats, represented, present,
    /// deputies, apologies, absent, not_recorded, represented_percent, quorate.
    Report {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
        /// The body's name, as the partnership's pages show it.
        #[arg(long)]
        body: String,
        /// The first day of the period (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// The last day of the period (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// The output format: csv.
        #[arg(long, default_value = "csv")]
        format: String,
    },
}

fn date(flag: &str, label: &str, raw: Option<&str>) -> Result<Option<chrono::NaiveDate>> {
    raw.map(|r| assure_domain::validation::optional_date(label, r).map_err(|m| anyhow!("--{flag}: {m}")))
        .transpose()
        .map(Option::flatten)
}

impl AttendanceCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        match self {
            AttendanceCommand::Import { file, partnership, body, create_body, blank, starts_at } => {
                let bytes = read_within(&file, assure_core::tables::Limits::ATTENDANCE.max_bytes)?;
                let core = open(config).await?;
                let ctx = core.operator().await.map_err(explain)?;
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let input = assure_core::meetings::GridOptionsInput { blank, starts_at };
                let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let upload = assure_core::learning::UploadFile { name, content_type: String::new(), bytes };
                let id = match find_body(&core, &ctx, p, &partnership, &body).await {
                    Ok(id) => id,
                    Err(_) if create_body => {
                        // The grid is read before the body is added: a grid that does not read
                        // adds nothing.
                        let (_, reading) = core
                            .read_attendance_grid_for_new_body(&ctx, p, upload.clone(), &input)
                            .await
                            .map_err(explain)?;
                        refuse_unread(&reading)?;
                        let id = core.create_body_for_grid(&ctx, p, body.trim()).await.map_err(explain)?;
                        println!("added the board \"{}\"", body.trim());
                        id
                    }
                    Err(e) => return Err(e),
                };
                let preview = core.read_attendance_grid(&ctx, id, Some(upload), &input).await.map_err(explain)?;
                print_reading(&preview.reading);
                refuse_unread(&preview.reading)?;
                let done = core.import_attendance_grid(&ctx, id, &preview.grid, &input).await.map_err(explain)?;
                println!(
                    "imported: {} meetings added, {} people and {} seats added, {} marks, {} others in attendance",
                    done.meetings_created, done.people_created, done.seats_created, done.marks, done.guests
                );
            }
            AttendanceCommand::Report { partnership, body, from, to, format } => {
                if format != "csv" {
                    bail!("--format: the report is written as csv");
                }
                let from = date("from", "the start of the period", from.as_deref())?;
                let to = date("to", "the end of the period", to.as_deref())?;
                let core = open(config).await?;
                let ctx = core.operator().await.map_err(explain)?;
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let found = find_body(&core, &ctx, p, &partnership, &body).await?;
                let review = core.attendance_review(&ctx, found, from, to).await.map_err(explain)?;
                // The file the page downloads starts with a byte-order mark for Excel; a script
                // reading standard output wants the bare text.
                print!("{}", review.csv().trim_start_matches('\u{feff}'));
            }
        }
        Ok(())
    }
}

/// The body a command names, by its name in the partnership (ended bodies too).
async fn find_body(
    core: &assure_core::Core,
    ctx: &assure_core::Ctx,
    p: assure_domain::PartnershipId,
    partnership: &str,
    body: &str,
) -> Result<assure_domain::BodyId> {
    let (bodies, _) = core.bodies(ctx, p, true, assure_core::structure::Page::ALL).await.map_err(explain)?;
    let wanted = body.trim().to_lowercase();
    bodies.iter().find(|b| b.name.to_lowercase() == wanted).map(|b| b.id).ok_or_else(|| {
        anyhow!(
            "no body named \"{body}\" in {partnership} (see the partnership's boards and groups, or add --create-body)"
        )
    })
}

/// Prints how each seat and cell of a grid was read, row by row.
fn print_reading(reading: &assure_domain::meetings::grid::GridReading) {
    for seat in &reading.seats {
        let holders = match &seat.error {
            Some(e) => format!("cannot be read: {e}"),
            None => seat.holders.iter().map(|h| h.words()).collect::<Vec<_>>().join("; then "),
        };
        println!("row {}: {} = {holders}", seat.line, seat.text);
        for (column, cell) in reading.columns.iter().zip(&seat.cells) {
            println!("  {}: {:?} = {}", column.heading, cell.text, cell.words());
        }
    }
}

/// Refuses a grid with any seat or cell that does not read, naming each by row and column.
fn refuse_unread(reading: &assure_domain::meetings::grid::GridReading) -> Result<()> {
    if reading.is_ok() {
        return Ok(());
    }
    let problems: Vec<String> = reading.errors.iter().map(ToString::to_string).collect();
    bail!("the grid was not imported: correct the file and import it again\n{}", problems.join("\n"))
}
