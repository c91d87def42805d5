//! Sending a published report, and its public page. Whom each kind of report is sent to is
//! configuration (`config/report_distribution.toml`, with the source of each rule); the business
//! unit sends the report to each recipient from Assure (an e-mail with the published PDF attached
//! and the address of the partnership's public reports page) or records the day it was sent
//! otherwise. The public reports page lists each published report with its files and their
//! SHA-256, and serves the files as they were published, without an account.

use std::sync::LazyLock;

use assure_domain::reports::{Distribution, How, ReportKind, ReportStatus, SendingInput, check_distribution};
use assure_domain::structure::Choice;
use assure_domain::{Action, validation::long_date};
use assure_store::audit_log;
use assure_store::reports::{self as st, KeptFile, NewSendingRow, Report};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use super::of;
use crate::documents::{Download, Format};
use crate::{Core, CoreError, CoreResult, Ctx};

const SHIPPED: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/report_distribution.toml"));

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    report: Vec<Distribution>,
}

/// Reads a distribution file and checks it.
pub fn parse_distribution(text: &str) -> Result<Vec<Distribution>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
    check_distribution(&file.report)?;
    Ok(file.report)
}

static SHIPPED_DISTRIBUTION: LazyLock<Vec<Distribution>> =
    LazyLock::new(|| parse_distribution(SHIPPED).expect("config/report_distribution.toml is valid"));

/// Whom a kind of report is sent to, and where the rule comes from.
pub fn distribution(kind: ReportKind) -> Option<&'static Distribution> {
    SHIPPED_DISTRIBUTION.iter().find(|d| d.kind == kind)
}

/// The day a report was published (in England), if it was.
pub fn published_on(report: &Report) -> Option<NaiveDate> {
    report.published_at.as_deref().and_then(assure_domain::uk_time::uk_date)
}

/// A partnership's published reports with their files, for its public page.
#[derive(Debug, Clone)]
pub struct PublicReports {
    pub partnership_name: String,
    pub slug: String,
    pub reports: Vec<(Report, Vec<KeptFile>)>,
}

impl Core {
    /// Sends a published report to a recipient by e-mail from Assure (the PDF attached), or
    /// records the day it was sent otherwise.
    pub async fn send_report(&self, ctx: &Ctx, id: i64, input: &SendingInput) -> CoreResult<()> {
        let report = self.report_for_step(ctx, id, Action::Update, |r| of(r.partnership_id)).await?;
        let Some(published) = published_on(&report).filter(|_| report.status == ReportStatus::Published) else {
            return Err(CoreError::field("recipient", "Publish the report before sending it"));
        };
        let recipients = distribution(report.kind).map(|d| d.recipients.as_slice()).unwrap_or_default();
        let new = input.validate(recipients, published, self.today()).map_err(CoreError::Invalid)?;
        let (how, email, sent_on) = match &new.how {
            How::Recorded(day) => ("recorded", None, *day),
            How::Email(address) => {
                self.mail_report(&report, id, address).await?;
                ("email", Some(address.as_str()), self.today())
            }
        };
        let row = NewSendingRow { code: new.code.as_deref(), name: &new.name, how, email, sent_on };
        let mut tx = self.store.write().await?;
        let sending = st::insert_sending(&mut tx, id, &row, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "send_report",
                "report",
                Some(id.to_string()),
                Some(report.partnership_id),
                json!({
                    "sending": sending,
                    "recipient": new.code.as_deref().unwrap_or(assure_domain::reports::OTHER_RECIPIENT),
                    "how": how,
                    "sent_on": sent_on.to_string(),
                }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// E-mails the published PDF to `address`, with where the report is published.
    async fn mail_report(&self, report: &Report, id: i64, address: &str) -> CoreResult<()> {
        let mailer = self.settings.mailer.clone().ok_or_else(|| {
            CoreError::field("email", "Sending by e-mail needs an e-mail server: record the day it was sent instead")
        })?;
        let pdf = self.published_file(id, Format::Pdf).await?;
        let mut conn = self.store.read().await?;
        let partnership = assure_store::structure::partnership(&mut conn, report.partnership_id).await?;
        drop(conn);
        let body = format!(
            "{}\n\n{} publishes its {} for {} ({} to {}). It is attached as a PDF, and published at:\n\n{}/public/{}/reports\n",
            report.title,
            partnership.name,
            report.kind.label().to_lowercase(),
            report.period.label(),
            long_date(report.period.start),
            long_date(report.period.end),
            self.settings.public_url,
            partnership.slug,
        );
        mailer
            .send_with_attachment(address, &report.title, body, &pdf.file_name, pdf.content_type, pdf.bytes)
            .await
            .map_err(|_| {
                CoreError::field(
                    "email",
                    "The e-mail server did not take the message, so nothing was recorded: try again, or record the day it was sent",
                )
            })
    }

    /// The partnership's published reports, for anyone (its public page).
    pub async fn public_reports(&self, slug: &str) -> CoreResult<PublicReports> {
        let mut conn = self.store.read().await?;
        let p = assure_store::structure::partnership_by_slug(&mut conn, slug).await?;
        let mut reports = Vec::new();
        for r in st::published_in(&mut conn, p.id).await? {
            let files = st::files(&mut conn, r.id).await?;
            reports.push((r, files));
        }
        drop(conn);
        Ok(PublicReports { partnership_name: p.name, slug: p.slug, reports })
    }

    /// A published report's file, for anyone: exactly as it was published (a draft, or another
    /// partnership's: not found).
    pub async fn public_report_file(&self, slug: &str, id: i64, format: Format) -> CoreResult<Download> {
        let mut conn = self.store.read().await?;
        let p = assure_store::structure::partnership_by_slug(&mut conn, slug).await?;
        let report = st::report(&mut conn, id).await?;
        drop(conn);
        if report.partnership_id != p.id || report.status != ReportStatus::Published {
            return Err(CoreError::NotFound);
        }
        self.published_file(id, format).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_distribution_names_the_care_acts_recipients_with_their_source() {
        let adults = super::distribution(super::ReportKind::Adults).unwrap();
        assert_eq!(adults.source, "Care Act 2014, schedule 2, paragraph 4(2)");
        let codes: Vec<&str> = adults.recipients.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["la_chief_executive", "la_leader", "policing_body", "healthwatch", "hwb_chair"]);
        let children = super::distribution(super::ReportKind::Children).unwrap();
        assert!(children.recipients.is_empty(), "not encoded until checked against the guidance");
        assert!(super::parse_distribution("[[report]]\nkind = \"easy\"\n").is_err());
    }
}
