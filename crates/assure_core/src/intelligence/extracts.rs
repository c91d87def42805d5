//! Record-level extracts uploaded through the pages: a partner's pseudonymised one-row-per-contact
//! file is aggregated (see `assure_extract`) into monthly counts by source, counts by IMD decile
//! and re-referrals within 12 months, and only those counts are kept. Person ids are never
//! stored: the aggregator holds them as 64-bit keys in memory while it reads, and the uploaded
//! file is deleted once it has been read.

// The records these use-cases return, for the web edge and the CLI (which never name the store).
pub use assure_store::intelligence::extracts::Run;

use assure_domain::{Action, ExtractId, OrganisationId, PartnershipId, Target};
use std::collections::BTreeMap;
use std::path::Path;

use assure_domain::authz::ResourceKind as K;
use assure_extract::{Aggregates, ByDecile, Monthly, ReReferrals};
use assure_store::audit_log;
use assure_store::intelligence::extracts::{self as st, Count, NewRun};
use serde::Serialize;
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

/// An extract as received: its name, where it was spooled, its size and SHA-256.
#[derive(Debug, Clone, Copy)]
pub struct ExtractFile<'a> {
    pub name: &'a str,
    pub path: &'a Path,
    pub size: u64,
    pub sha256: &'a str,
}

/// A run with its counts, and the figures its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct ExtractView {
    pub run: Run,
    /// Referrals and re-referrals within 12 months by financial year.
    pub rereferrals: Vec<ReReferralRow>,
    /// Contacts and referrals by month, over every source.
    pub months: Vec<(String, u64, u64)>,
    /// The latest financial year's contacts and referrals by IMD decile (1 = most deprived; 0 = unknown).
    pub deciles_year: Option<String>,
    pub deciles: Vec<(u8, u64, u64)>,
}

/// Re-referrals by financial year: (year, referrals, re-referrals).
pub type ReReferralRow = (String, u64, u64);

fn to_counts(a: &Aggregates) -> Vec<Count> {
    let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    let mut out = Vec::new();
    for m in &a.monthly {
        out.push(Count {
            kind: "monthly".into(),
            period: m.month.clone(),
            category: m.source.clone(),
            contacts: Some(n(m.contacts)),
            referrals: n(m.referrals),
            persons: Some(n(m.persons)),
            rereferrals: None,
        });
    }
    for d in &a.imd {
        out.push(Count {
            kind: "imd".into(),
            period: d.financial_year.clone(),
            category: d.imd_decile.to_string(),
            contacts: Some(n(d.contacts)),
            referrals: n(d.referrals),
            persons: None,
            rereferrals: None,
        });
    }
    for r in &a.rereferrals {
        out.push(Count {
            kind: "rereferrals".into(),
            period: r.financial_year.clone(),
            category: String::new(),
            contacts: None,
            referrals: n(r.referrals),
            persons: None,
            rereferrals: Some(n(r.rereferrals)),
        });
    }
    out
}

fn from_counts(rows: u64, counts: &[Count]) -> Aggregates {
    let u = |v: Option<i64>| v.and_then(|v| u64::try_from(v).ok()).unwrap_or(0);
    let mut a = Aggregates { rows, ..Aggregates::default() };
    for c in counts {
        match c.kind.as_str() {
            "monthly" => a.monthly.push(Monthly {
                month: c.period.clone(),
                source: c.category.clone(),
                contacts: u(c.contacts),
                referrals: u(Some(c.referrals)),
                persons: u(c.persons),
            }),
            "imd" => a.imd.push(ByDecile {
                financial_year: c.period.clone(),
                imd_decile: c.category.parse().unwrap_or(0),
                contacts: u(c.contacts),
                referrals: u(Some(c.referrals)),
            }),
            _ => a.rereferrals.push(ReReferrals {
                financial_year: c.period.clone(),
                referrals: u(Some(c.referrals)),
                rereferrals: u(c.rereferrals),
            }),
        }
    }
    a
}

impl Core {
    /// The organisations the actor may upload an extract for: their own as an agency lead, or
    /// any of the partnership's for the business unit.
    pub async fn extract_organisations(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<(i64, String)>> {
        let (orgs, _) = self.organisations(ctx, p, false, assure_store::structure::Page::ALL).await?;
        Ok(orgs.into_iter().filter(|o| can_upload(ctx, p, o.id)).map(|o| (o.id.0, o.name)).collect())
    }

    /// Whether the actor may upload extracts at all (for some organisation of the partnership).
    /// May the actor upload an extract for some organisation here? Asked before the file is
    /// read; which organisation is checked when it is recorded.
    pub async fn permit_extract_upload(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<crate::UploadPermit> {
        self.authorize_extract_upload(ctx, p).await?;
        Ok(crate::UploadPermit::granted())
    }

    pub async fn authorize_extract_upload(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<()> {
        ctx.authorize(Action::View, &Target::new(K::Indicator, p))?;
        if self.extract_organisations(ctx, p).await?.is_empty() { Err(CoreError::Forbidden) } else { Ok(()) }
    }

    /// Aggregates the extract at `path` for an organisation and keeps the counts. A bad row
    /// refuses the whole file with its row and column, and nothing is kept.
    pub async fn record_extract(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        organisation: &str,
        file: &ExtractFile<'_>,
    ) -> CoreResult<ExtractId> {
        let ExtractFile { name: file_name, path, size, sha256 } = *file;
        self.authorize_extract_upload(ctx, p).await?;
        let org = organisation.trim().parse::<i64>().ok().map(OrganisationId);
        let org = match org {
            Some(o) if can_upload(ctx, p, o) => o,
            _ => return Err(CoreError::field("organisation_id", "Select the organisation the extract comes from")),
        };
        let mut conn = self.store.read().await?;
        match assure_store::structure::organisation(&mut conn, org).await {
            Ok(o) if o.partnership_id == p => {}
            Ok(_) | Err(assure_store::StoreError::NotFound) => {
                return Err(CoreError::field("organisation_id", "Select the organisation the extract comes from"));
            }
            Err(e) => return Err(e.into()),
        }
        drop(conn);
        if size == 0 {
            return Err(CoreError::field("file", "Choose the extract to upload (a CSV file)"));
        }
        let owned = path.to_owned();
        // Off the runtime, and at most as many at once as the pool of file readers allows.
        let aggregates =
            self.parsing.run(move || assure_extract::aggregate_file(&owned)).await?.map_err(|e| match e {
                assure_extract::ExtractError::Io(e) => CoreError::Internal(format!("reading an uploaded extract: {e}")),
                other => CoreError::field("file", format!("{}: {other}", crate::learning::clean_file_name(file_name))),
            })?;
        let counts = to_counts(&aggregates);
        let name = crate::learning::clean_file_name(file_name);
        let mut tx = self.store.write().await?;
        let id = st::insert_run(
            &mut tx,
            &NewRun {
                partnership: p,
                organisation: org.0,
                file_name: &name,
                size: i64::try_from(size).unwrap_or(i64::MAX),
                sha256,
                rows_read: i64::try_from(aggregates.rows).unwrap_or(i64::MAX),
                by_label: &ctx.name,
            },
            &counts,
        )
        .await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "extract",
                "extract_run",
                Some(id.to_string()),
                Some(p),
                json!({"organisation_id": org.0, "file": name, "size": size, "sha256": sha256, "rows": aggregates.rows}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(ExtractId(id))
    }

    /// As [`Core::record_extract`], for an extract held in memory (the demo's).
    pub(crate) async fn record_extract_text(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        organisation: OrganisationId,
        file_name: &str,
        text: &str,
    ) -> CoreResult<ExtractId> {
        use sha2::Digest;
        let path = std::env::temp_dir().join(format!("assure-demo-extract-{:016x}.csv", rand::random::<u64>()));
        std::fs::write(&path, text).map_err(|e| CoreError::Internal(format!("writing the demo extract: {e}")))?;
        let sha = hex::encode(sha2::Sha256::digest(text.as_bytes()));
        let file = ExtractFile { name: file_name, path: &path, size: text.len() as u64, sha256: &sha };
        let result = self.record_extract(ctx, p, &organisation.0.to_string(), &file).await;
        let _ = std::fs::remove_file(&path);
        result
    }

    /// The partnership's extract runs, newest first.
    pub async fn extract_runs(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<Run>> {
        ctx.authorize(Action::View, &Target::new(K::Indicator, p))?;
        let mut conn = self.store.read().await?;
        Ok(st::runs(&mut conn, p).await?)
    }

    /// One run's counts and the figures its page shows.
    pub async fn extract(&self, ctx: &Ctx, id: ExtractId) -> CoreResult<ExtractView> {
        let id = id.0;
        let mut conn = self.store.read().await?;
        let run = st::run(&mut conn, id).await?;
        ctx.authorize(Action::View, &Target::new(K::Indicator, run.partnership_id))?;
        let counts = st::counts(&mut conn, id).await?;
        drop(conn);
        let a = from_counts(u64::try_from(run.rows_read).unwrap_or(0), &counts);
        let mut months: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        for m in &a.monthly {
            let e = months.entry(m.month.clone()).or_default();
            e.0 += m.contacts;
            e.1 += m.referrals;
        }
        let deciles_year = a.imd.iter().map(|d| d.financial_year.clone()).max();
        let deciles = a
            .imd
            .iter()
            .filter(|d| Some(&d.financial_year) == deciles_year.as_ref())
            .map(|d| (d.imd_decile, d.contacts, d.referrals))
            .collect();
        Ok(ExtractView {
            months: months.into_iter().map(|(m, (c, r))| (m, c, r)).collect(),
            deciles_year,
            deciles,
            rereferrals: a.rereferrals.iter().map(|r| (r.financial_year.clone(), r.referrals, r.rereferrals)).collect(),
            run,
        })
    }

    /// One of a run's three files, exactly as `assure extract aggregate` writes it.
    pub async fn extract_file(&self, ctx: &Ctx, id: ExtractId, name: &str) -> CoreResult<Vec<u8>> {
        let id = id.0;
        let mut conn = self.store.read().await?;
        let run = st::run(&mut conn, id).await?;
        ctx.authorize(Action::View, &Target::new(K::Indicator, run.partnership_id))?;
        let counts = st::counts(&mut conn, id).await?;
        drop(conn);
        let a = from_counts(u64::try_from(run.rows_read).unwrap_or(0), &counts);
        let (_, write) = Aggregates::TABLES.iter().find(|(n, _)| *n == name).ok_or(CoreError::NotFound)?;
        let mut out = Vec::new();
        write(&a, &mut out).map_err(|e| CoreError::Internal(e.to_string()))?;
        Ok(out)
    }
}

/// Agency leads upload for their own organisation; the business unit for any.
fn can_upload(ctx: &Ctx, p: PartnershipId, org: OrganisationId) -> bool {
    assure_domain::can(&ctx.actor, Action::Create, &Target::new(K::Indicator, p).organisation(Some(org)))
}
