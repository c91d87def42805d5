//! `assure report`: the statutory yearly reports from the console. `report build` writes a report
//! as the records stand (the one started in Assure for that kind and period, or the template with
//! nothing written), prints each completeness gap on its own line to standard error, and exits 0;
//! with `--strict`, it exits 3 when gaps remain.

use anyhow::Result;
use assure_core::documents::Format;
use assure_domain::reports::{Period, ReportKind};
use assure_domain::structure::Choice;

use super::*;
use crate::config::Config;

/// The exit status of `report build --strict` when the report has gaps.
pub const GAPS_EXIT: u8 = 3;

/// A strict build found gaps: the console exits with [`GAPS_EXIT`].
#[derive(Debug)]
pub struct GapsRemain(pub usize);

impl std::fmt::Display for GapsRemain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the report has {} gaps (listed above)", self.0)
    }
}

impl std::error::Error for GapsRemain {}

#[derive(Subcommand)]
pub enum ReportCommand {
    /// Write a report as the records stand today.
    Build {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
        /// Which report: children or adults.
        #[arg(long)]
        report: String,
        /// A financial year (2022-23) or whole months ("2021-10 to 2023-03").
        #[arg(long)]
        period: String,
        /// html, pdf or docx.
        #[arg(long, default_value = "html")]
        format: String,
        /// Where to write it.
        #[arg(long)]
        out: PathBuf,
        /// Exit 3 when the report has gaps.
        #[arg(long)]
        strict: bool,
    },
}

impl ReportCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let ReportCommand::Build { partnership, report, period, format, out, strict } = self;
        let kind = ReportKind::parse(report.trim())
            .ok_or_else(|| anyhow!("--report: \"{report}\" is not a report; use children or adults"))?;
        let period = Period::parse(&period).map_err(|m| anyhow!("--period: {m}"))?;
        let format = match format.as_str() {
            "html" => Format::Html,
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            other => return Err(anyhow!("--format: \"{other}\" is not a format; use html, pdf or docx")),
        };
        let core = open(config).await?;
        let ctx = core.operator().await.map_err(explain)?;
        let p = partnership_id(&core, &ctx, &partnership).await?;
        let view = core.build_report(&ctx, p, kind, period).await.map_err(explain)?;
        let file = core.render_report(&view, format).await.map_err(explain)?;
        std::fs::write(&out, &file.bytes).with_context(|| format!("writing {}", out.display()))?;
        let gaps: Vec<_> = view.gaps().collect();
        for g in &gaps {
            eprintln!("gap: {}", g.message);
        }
        println!(
            "{}: {} ({}), {} bytes, {} gaps",
            out.display(),
            view.title,
            kind.code(),
            file.bytes.len(),
            gaps.len()
        );
        if strict && !gaps.is_empty() {
            return Err(GapsRemain(gaps.len()).into());
        }
        Ok(())
    }
}
