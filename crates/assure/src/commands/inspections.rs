//! `assure inspections`: inspections from the console: list them (all, or one agency's), show one
//! with its judgements and recommendations, and an agency's grades over time.

use anyhow::Result;

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum InspectionsCommand {
    /// List the inspections, the latest fieldwork first: id, kind, fieldwork from, fieldwork to,
    /// published on (blank until it is), agencies, title; tab-separated.
    List {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
        /// Only the inspections of this agency (an organisation's id).
        #[arg(long)]
        organisation: Option<i64>,
    },
    /// Show an inspection with its judgements and its recommendations' actions.
    Show {
        /// The inspection's id (the first column of `inspections list`).
        id: i64,
    },
    /// An agency's grades over time: fieldwork from, published on, kind, area, grade; tab-separated.
    Grades {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
        /// The organisation's id.
        organisation: i64,
    },
}

impl InspectionsCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let core = open(config).await?;
        let ctx = core.operator().await.map_err(explain)?;
        let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        match self {
            InspectionsCommand::List { partnership, organisation } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let org = organisation.map(assure_domain::OrganisationId);
                let register = core.inspections(&ctx, p, org).await.map_err(explain)?;
                for l in &register.items {
                    let i = &l.inspection;
                    let agencies: Vec<&str> = i.agencies.iter().map(|a| a.name.as_str()).collect();
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        i.id,
                        i.type_code,
                        i.fieldwork_from,
                        i.fieldwork_to,
                        day(i.published_on),
                        agencies.join("; "),
                        i.title
                    );
                }
            }
            InspectionsCommand::Show { id } => {
                let v = core.inspection(&ctx, id).await.map_err(explain)?;
                let i = &v.inspection;
                println!("{} ({})", i.title, v.kind_name);
                let agencies: Vec<&str> = i.agencies.iter().map(|a| a.name.as_str()).collect();
                println!("Agencies: {}", agencies.join(", "));
                println!("Fieldwork: {} to {}", i.fieldwork_from, i.fieldwork_to);
                match i.published_on {
                    Some(d) => println!("Published: {d}"),
                    None => println!("Published: not yet"),
                }
                if let Some(link) = &i.link {
                    println!("Report: {link}");
                }
                for j in &v.judgements {
                    println!(
                        "judgement\t{}\t{}\t{}",
                        j.area,
                        j.grade.as_deref().unwrap_or("not graded"),
                        j.organisation.as_deref().unwrap_or("the agencies together")
                    );
                }
                for r in &v.recommendations {
                    println!("recommendation {}\t{}", r.recommendation.number, r.recommendation.text);
                    for a in &r.actions {
                        println!(
                            "  action {}\t{}\t{}\t{}",
                            a.action.id.0, a.action.organisation_name, a.action.target_on, a.action.text
                        );
                    }
                }
            }
            InspectionsCommand::Grades { partnership, organisation } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let h =
                    core.agency_grades(&ctx, p, assure_domain::OrganisationId(organisation)).await.map_err(explain)?;
                for g in &h.lines {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        g.line.fieldwork_from,
                        day(g.line.published_on),
                        g.kind,
                        g.line.area,
                        g.line.grade.as_deref().unwrap_or("not graded")
                    );
                }
            }
        }
        Ok(())
    }
}
