//! `assure import`, `assure indicators` and `assure extract`: published statistics, the
//! indicator catalogue and its values, and record-level extracts.

use anyhow::{Context, Result, anyhow, bail};

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum IndicatorsCommand {
    /// Print the catalogue, one indicator a line: code, unit, title.
    List,
    /// Print an indicator's values: area code, period and value.
    Values {
        /// The indicator's code, such as children.referral_rate.
        code: String,
        /// One area, by its ONS code (E06000033) or DfE number (882); default every area.
        #[arg(long)]
        area: Option<String>,
        /// csv (default) or json.
        #[arg(long, default_value = "csv")]
        format: String,
    },
}

#[derive(Subcommand)]
pub enum ExtractCommand {
    /// Aggregate a pseudonymised contacts extract (CSV) into monthly.csv, imd.csv and
    /// rereferrals.csv in DIR. Needs no database; person ids are never written out.
    Aggregate {
        file: PathBuf,
        /// The folder to write the three files into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
}
impl IndicatorsCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        match self {
            IndicatorsCommand::List => {
                for i in assure_domain::intelligence::indicators::CATALOGUE {
                    println!("{}\t{}\t{}", i.code, i.unit, i.title);
                }
                Ok(())
            }
            IndicatorsCommand::Values { code, area, format } => {
                if format != "csv" && format != "json" {
                    bail!("--format is csv or json, not '{format}'");
                }
                let core = open(config).await?;
                let (_, values) = core.indicator_values(&code, area.as_deref()).await.map_err(|e| match e {
                    CoreError::Invalid(errors) => {
                        anyhow!(errors.iter().flat_map(|(_, ms)| ms.to_vec()).collect::<Vec<_>>().join("\n"))
                    }
                    other => explain(other),
                })?;
                if format == "json" {
                    let rows: Vec<serde_json::Value> = values
                        .iter()
                        .map(|v| serde_json::json!({"area_code": v.area_code, "area": v.area_name, "period": v.period, "value": v.number(), "note": v.note}))
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&rows)?);
                } else {
                    print!("{}", assure_domain::cells::csv_line(["area_code", "period", "value"]));
                    for v in values {
                        print!(
                            "{}",
                            assure_domain::cells::csv_line([v.area_code, v.period, v.value.unwrap_or_default()])
                        );
                    }
                }
                Ok(())
            }
        }
    }
}

impl ExtractCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let ExtractCommand::Aggregate { file, out } = self;
        let _ = config;

        let aggregates = assure_extract::aggregate_file(&file).map_err(|e| anyhow!("{}: {e}", file.display()))?;
        std::fs::create_dir_all(&out)?;
        aggregates.write_to(&out)?;
        println!("Aggregated {} rows into {} (monthly.csv, imd.csv, rereferrals.csv)", aggregates.rows, out.display());
        Ok(())
    }
}

/// `assure import FILE…`: published statistics, all files or none.
pub(super) async fn import(config: &Config, files: Vec<std::path::PathBuf>) -> Result<()> {
    let core = open(config).await?;
    let ctx = core.operator().await.map_err(explain)?;
    let mut loaded = Vec::new();
    for f in &files {
        let bytes = read_within(f, assure_core::tables::Limits::PUBLISHED.max_bytes)?;
        loaded.push((f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), bytes));
    }
    let reports = core.import_published(&ctx, &loaded).await.map_err(|e| match e {
        CoreError::Invalid(errors) => {
            anyhow!(
                "Nothing was imported:\n{}",
                errors.iter().flat_map(|(_, ms)| ms.to_vec()).collect::<Vec<_>>().join("\n")
            )
        }
        other => explain(other),
    })?;
    for r in reports {
        println!("{}: {} ({} rows, {} areas, {} figures)", r.file, r.kind, r.rows, r.areas, r.figures);
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum ReturnsCommand {
    /// Print a partnership's data returns, one a line: id, period, template code, organisation,
    /// status, and "late" where it is.
    List {
        #[arg(long, value_name = "SLUG")]
        partnership: String,
    },
    /// Print every figure a template's returns have given (submitted or validated), one a line:
    /// field, period, value (whole numbers added up over the organisations, percentages their
    /// mean), and how many organisations gave it.
    Figures {
        /// The template's code, such as lado.
        code: String,
        #[arg(long, value_name = "SLUG")]
        partnership: String,
    },
    /// Print every return template version, one a line: id, code, version, period type, title,
    /// and whose it is ("shared", or the short name of the partnership whose own it is).
    Templates,
    /// Import a return template (YAML, or an XLSX workbook laid out as `export-template --xlsx`
    /// writes one) as a new version; every problem is reported with its line, or sheet, row and
    /// column. Shared by every partnership on the instance unless `--partnership` names the one
    /// whose own template it is.
    ImportTemplate {
        file: PathBuf,
        /// The partnership (by short name) whose own template this is; only it sees and uses it.
        #[arg(long, value_name = "SLUG")]
        partnership: Option<String>,
    },
    /// Print a template version's file (YAML), or write it as a workbook, to edit and import as
    /// a new version.
    ExportTemplate {
        id: i64,
        /// Write the template as an XLSX workbook to this file instead (it must not exist).
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
    },
}

impl ReturnsCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let core = open(config).await?;
        let ctx = core.operator().await.map_err(explain)?;
        match self {
            ReturnsCommand::List { partnership } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                for (r, late) in core.data_returns(&ctx, p).await.map_err(explain)? {
                    let status = assure_domain::structure::Choice::code(r.status);
                    println!(
                        "{}\t{}\t{}\t{}\t{status}{}",
                        r.id,
                        r.period,
                        r.template_code,
                        r.organisation_name,
                        if late { "\tlate" } else { "" }
                    );
                }
            }
            ReturnsCommand::Figures { code, partnership } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let f = core.return_figures(&ctx, p, &code, None).await.map_err(explain)?;
                for row in &f.rows {
                    for (period, v) in f.periods.iter().zip(&row.values) {
                        if let Some(v) = v {
                            println!("{}\t{period}\t{}\t{}", row.field.id, v.value, v.organisations);
                        }
                    }
                }
            }
            ReturnsCommand::Templates => {
                let partnerships = core.my_partnerships(&ctx).await.map_err(explain)?;
                for t in core.return_templates(&ctx, None).await.map_err(explain)? {
                    let owner = match t.partnership_id {
                        None => "shared",
                        Some(id) => partnerships.iter().find(|p| p.id == id).map_or("", |p| p.slug.as_str()),
                    };
                    println!("{}\t{}\t{}\t{}\t{}\t{owner}", t.id, t.code, t.version, t.period_type, t.title);
                }
            }
            ReturnsCommand::ImportTemplate { file, partnership } => {
                let bytes = read_within(&file, assure_core::tables::Limits::FRAMEWORK.max_bytes)?;
                let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let owner = match partnership {
                    Some(slug) => Some(partnership_id(&core, &ctx, &slug).await?),
                    None => None,
                };
                let id = core.import_return_template(&ctx, owner, &name, bytes).await.map_err(|e| match e {
                    CoreError::Invalid(errors) => {
                        anyhow!(errors.iter().flat_map(|(_, ms)| ms.to_vec()).collect::<Vec<_>>().join("\n"))
                    }
                    other => explain(other),
                })?;
                let (stored, _) = core.return_template(&ctx, id).await.map_err(explain)?;
                println!("Imported return template {id}: {} version {}", stored.code, stored.version);
            }
            ReturnsCommand::ExportTemplate { id, xlsx: None } => {
                let (stored, _) =
                    core.return_template(&ctx, assure_domain::ReturnTemplateId(id)).await.map_err(explain)?;
                print!("{}", stored.source);
            }
            ReturnsCommand::ExportTemplate { id, xlsx: Some(path) } => {
                let (stored, bytes) =
                    core.return_template_xlsx(&ctx, assure_domain::ReturnTemplateId(id)).await.map_err(explain)?;
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
                    .with_context(|| format!("creating {}", path.display()))?;
                std::io::Write::write_all(&mut file, &bytes).with_context(|| format!("writing {}", path.display()))?;
                println!(
                    "Wrote return template {id} ({} version {}) to {}",
                    stored.code,
                    stored.version,
                    path.display()
                );
            }
        }
        Ok(())
    }
}
