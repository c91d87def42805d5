//! `assure report`: the statutory yearly reports from the console. `report build` writes a report
//! as the records stand (the one started in Assure for that kind and period, or the template with
//! nothing written; a published one exactly as it was published), prints each completeness gap on
//! its own line to standard error, and exits 0; with `--strict`, it exits 3 when gaps remain that
//! the report does not explain.

use anyhow::Result;
use assure_core::documents::Format;
use assure_domain::reports::{Period, ReportKind};
use assure_domain::structure::Choice;

use super::*;
use crate::config::Config;

/// The exit status of `report build --strict` when the report has gaps it does not explain.
pub const GAPS_EXIT: u8 = 3;

/// A strict build found gaps: the console exits with [`GAPS_EXIT`].
#[derive(Debug)]
pub struct GapsRemain(pub usize);

impl std::fmt::Display for GapsRemain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the report has {} gaps it does not explain (listed above)", self.0)
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
        /// Which report: children, adults, scrutiny (the independent scrutineer's own) or
        /// easy-read (the Easy Read version).
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
        let kind = ReportKind::parse(report.trim()).ok_or_else(|| {
            anyhow!("--report: \"{report}\" is not a report; use children, adults, scrutiny or easy-read")
        })?;
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
        let file = core.report_view_file(&view, format).await.map_err(explain)?;
        std::fs::write(&out, &file.bytes).with_context(|| format!("writing {}", out.display()))?;
        let gaps = view.gaps();
        for g in &gaps {
            match &g.explanation {
                Some(why) => eprintln!("gap (explained in the report): {}: {why}", g.message),
                None => eprintln!("gap: {}", g.message),
            }
        }
        let unexplained = view.unexplained();
        let state = match view.report.as_ref().and_then(|r| r.published_at.as_deref()) {
            Some(at) => format!("published {at}, SHA-256 {}", assure_core::reports::sha256_hex(&file.bytes)),
            None => format!("{} gaps, {unexplained} not explained", gaps.len()),
        };
        println!("{}: {} ({}), {} bytes, {state}", out.display(), view.title, kind.code(), file.bytes.len());
        if strict && unexplained > 0 {
            return Err(GapsRemain(unexplained).into());
        }
        Ok(())
    }
}
