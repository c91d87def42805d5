//! `assure framework`: assurance frameworks as YAML or workbooks.

use anyhow::{Context, Result, anyhow};
use assure_domain::FrameworkId;

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum FrameworkCommand {
    /// Print every framework version, one a line: id, code, version, title, and whose it is
    /// ("shared", or the short name of the partnership whose own it is).
    List,
    /// Import a framework file (YAML, or an XLSX workbook laid out as `export --xlsx` writes
    /// one) as a new version; every problem is reported with its line, or sheet, row and column.
    /// Shared by every partnership on the instance unless `--partnership` names the one whose
    /// own framework it is.
    Import {
        file: PathBuf,
        /// The partnership (by short name) whose own framework this is; only it sees and uses it.
        #[arg(long, value_name = "SLUG")]
        partnership: Option<String>,
    },
    /// Print a framework version's file (YAML), or write it as a workbook, to edit and import
    /// as a new version.
    Export {
        id: i64,
        /// Write the framework as an XLSX workbook to this file instead (it must not exist).
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
    },
}
impl FrameworkCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let core = open(config).await?;
        let ctx = core.operator().await.map_err(explain)?;
        match self {
            FrameworkCommand::List => {
                let partnerships = core.my_partnerships(&ctx).await.map_err(explain)?;
                for f in core.frameworks(&ctx, None).await.map_err(explain)? {
                    let owner = match f.partnership_id {
                        None => "shared",
                        Some(id) => partnerships.iter().find(|p| p.id == id).map_or("", |p| p.slug.as_str()),
                    };
                    println!("{}\t{}\t{}\t{}\t{owner}", f.id, f.code, f.version, f.title);
                }
            }
            FrameworkCommand::Import { file, partnership } => {
                let bytes = read_within(&file, assure_core::tables::Limits::FRAMEWORK.max_bytes)?;
                let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let owner = match partnership {
                    Some(slug) => Some(partnership_id(&core, &ctx, &slug).await?),
                    None => None,
                };
                let id = core.import_framework(&ctx, owner, &name, bytes).await.map_err(|e| match e {
                    CoreError::Invalid(errors) => {
                        anyhow!(errors.iter().flat_map(|(_, ms)| ms.to_vec()).collect::<Vec<_>>().join("\n"))
                    }
                    other => explain(other),
                })?;
                let (stored, _) = core.framework(&ctx, id).await.map_err(explain)?;
                println!("Imported framework {id}: {} version {}", stored.code, stored.version);
            }
            FrameworkCommand::Export { id, xlsx: None } => {
                let (stored, _) = core.framework(&ctx, FrameworkId(id)).await.map_err(explain)?;
                print!("{}", stored.source);
            }
            FrameworkCommand::Export { id, xlsx: Some(path) } => {
                let (stored, bytes) = core.framework_xlsx(&ctx, FrameworkId(id)).await.map_err(explain)?;
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
                    .with_context(|| format!("creating {}", path.display()))?;
                std::io::Write::write_all(&mut file, &bytes).with_context(|| format!("writing {}", path.display()))?;
                println!("Wrote framework {id} ({} version {}) to {}", stored.code, stored.version, path.display());
            }
        }
        Ok(())
    }
}
