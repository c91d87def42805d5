//! A campaign's returns side by side: the heat map of organisation × standard (self or
//! moderated scores), each standard's spread over the scheme's levels, the weakest standards
//! and the change since the previous cycle, filtered by sector and partnership; and the whole
//! campaign as a workbook.

use assure_domain::{Action, CampaignId, FrameworkId, PartnershipId};
use std::collections::BTreeMap;

use assure_domain::audits::assessment::{Answer, AssessmentState};
use assure_domain::audits::framework::{Framework, Scheme};
use assure_domain::authz::ResourceKind as K;
use assure_domain::structure::{Choice, Sector};
use assure_store::audits::{self as st, Assessment, Campaign};
use serde::Serialize;
use serde_json::json;

use super::standard_scores;
use crate::kept::Kept;
use crate::{Core, CoreError, CoreResult, Ctx};

/// Which scores the analysis shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub enum ScoreView {
    /// The organisations' own scores.
    #[default]
    SelfAssessed,
    /// The assessor's moderated score wherever one was given, the self score elsewhere.
    Moderated,
}

impl ScoreView {
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "self" | "" => Some(Self::SelfAssessed),
            "moderated" => Some(Self::Moderated),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::SelfAssessed => "self",
            Self::Moderated => "moderated",
        }
    }
}

/// Which returns the analysis counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct AnalysisFilter {
    /// A sector code (`education`, `police`, ...).
    pub sector: Option<String>,
    /// One of the partnerships running the campaign.
    pub partnership: Option<PartnershipId>,
    pub view: ScoreView,
}

impl AnalysisFilter {
    /// Reads `sector`, `partnership` and `scores` from a query string; unknown values are errors.
    pub fn from_query(query: &[(String, String)]) -> CoreResult<Self> {
        let get = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).unwrap_or("");
        let mut errors = assure_domain::FieldErrors::new();
        let sector = match get("sector") {
            "" => None,
            code if Sector::parse(code).is_some() => Some(code.to_owned()),
            _ => {
                errors.add("sector", "Select the sector from the list");
                None
            }
        };
        let partnership = match get("partnership") {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) => Some(PartnershipId(id)),
                Err(_) => {
                    errors.add("partnership", "Select the partnership from the list");
                    None
                }
            },
        };
        let view = ScoreView::parse(get("scores")).unwrap_or_else(|| {
            errors.add("scores", "Choose self or moderated scores");
            ScoreView::SelfAssessed
        });
        if errors.is_empty() { Ok(Self { sector, partnership, view }) } else { Err(errors.into()) }
    }

    /// The filter as a query string, to carry into the workbook's link.
    pub fn query(&self) -> String {
        let mut parts = vec![format!("scores={}", self.view.code())];
        if let Some(s) = &self.sector {
            parts.push(format!("sector={s}"));
        }
        if let Some(p) = self.partnership {
            parts.push(format!("partnership={}", p.0));
        }
        parts.join("&")
    }
}

/// One returned organisation's row of the heat map.
#[derive(Debug, Clone, Serialize)]
pub struct AnalysisRow {
    pub assessment_id: i64,
    pub organisation: String,
    pub sector: String,
    pub partnership: PartnershipId,
    /// Each standard's score in the chosen view, in the framework's order.
    pub scores: Vec<Option<f64>>,
    /// The same organisation's scores in the previous cycle, where it returned one.
    pub previous: Vec<Option<f64>>,
    /// At least one of its answers carries a moderated score.
    pub moderated: bool,
}

/// One standard across the returns shown.
#[derive(Debug, Clone, Serialize)]
pub struct StandardSummary {
    pub id: String,
    pub title: String,
    /// The mean of the returns' scores to it, if any scored it.
    pub mean: Option<f64>,
    /// The mean in the previous cycle, over the organisations shown that returned then.
    pub previous_mean: Option<f64>,
    /// How many returns score nearest each of the scheme's levels, in the scheme's order.
    pub distribution: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub campaign: Campaign,
    pub framework: Framework,
    pub filter: AnalysisFilter,
    pub standards: Vec<StandardSummary>,
    pub rows: Vec<AnalysisRow>,
    /// (id, title, mean) of each scored standard, weakest first.
    pub weakest: Vec<(String, String, f64)>,
    /// The previous cycle compared with, if there is one.
    pub previous: Option<Campaign>,
    /// The sectors among the campaign's recipients, and the partnerships running it, for the filters.
    pub sectors: Vec<(String, String)>,
    pub partnerships: Vec<(PartnershipId, String)>,
}

/// The index of the scheme level nearest a score.
pub fn nearest_level(scheme: &Scheme, score: f64) -> Option<usize> {
    scheme
        .levels
        .iter()
        .enumerate()
        .min_by(|(_, x), (_, y)| (x.value as f64 - score).abs().total_cmp(&(y.value as f64 - score).abs()))
        .map(|(i, _)| i)
}

fn sector_label(code: &str) -> String {
    Sector::parse(code).map(|s| s.label().to_owned()).unwrap_or_else(|| code.to_owned())
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

fn returned(a: &Assessment) -> bool {
    matches!(a.state, AssessmentState::Submitted | AssessmentState::Resubmitted | AssessmentState::Closed)
}

/// A campaign's returned assessments with their answers and moderated scores, read in three queries.
#[derive(Debug)]
pub(crate) struct Returns {
    assessments: Vec<Assessment>,
    answers: BTreeMap<i64, BTreeMap<String, Answer>>,
    moderated: BTreeMap<i64, BTreeMap<String, i64>>,
}

/// Campaigns' returns as last read (every answer of every return: most of an analysis's reading,
/// and of its previous cycle's), each analysis as computed, and every partnership's campaigns'
/// progress, under the audits' generation (migration 0026: campaigns, their partnerships,
/// assessments, answers, moderated scores, organisations and frameworks raise it). At most
/// [`KEPT_MOST`] of each.
#[derive(Default)]
pub struct KeptReturns {
    returns: Kept<i64, Returns, i64, KEPT_MOST>,
    progress: Kept<PartnershipId, Vec<super::ReturnsByState>, i64, KEPT_MOST>,
    /// Analyses as computed, by campaign and filter: computed from the returns above and the
    /// frameworks, which the same generation covers.
    analyses: Kept<(i64, AnalysisFilter), Analysis, i64, KEPT_MOST>,
}

/// The most campaigns (and partnerships, and analyses) kept at once: a campaign's returns are
/// large.
const KEPT_MOST: usize = 64;

impl Core {
    /// A campaign's returns, as kept or read now (see [`KeptReturns`]).
    async fn returns_of(
        &self,
        conn: &mut assure_store::Conn,
        campaign: i64,
        generation: i64,
    ) -> CoreResult<std::sync::Arc<Returns>> {
        if let Some(kept) = self.kept_returns.returns.get(&campaign, generation) {
            return Ok(kept);
        }
        let read = Returns::read(conn, campaign).await?;
        Ok(self.kept_returns.returns.put(campaign, generation, read))
    }

    /// The returns of every campaign the partnership leads or runs jointly, counted by campaign
    /// and state, as kept or counted now (see [`KeptReturns`]).
    pub(super) async fn returns_by_state(
        &self,
        ctx: &Ctx,
        conn: &mut assure_store::Conn,
        p: PartnershipId,
    ) -> CoreResult<std::sync::Arc<Vec<super::ReturnsByState>>> {
        let generation = match ctx.generations {
            Some(g) => g.audits,
            None => st::audits_generation(conn).await?,
        };
        if let Some(kept) = self.kept_returns.progress.get(&p, generation) {
            return Ok(kept);
        }
        let counted = st::campaign_states(conn, p).await?;
        Ok(self.kept_returns.progress.put(p, generation, counted))
    }
}

impl Returns {
    async fn read(conn: &mut assure_store::Conn, campaign: i64) -> CoreResult<Self> {
        let assessments = st::assessments(conn, campaign).await?;
        let mut answers: BTreeMap<i64, BTreeMap<String, Answer>> = BTreeMap::new();
        for (a, x) in st::answers_of_campaign(conn, campaign).await? {
            answers.entry(a).or_default().insert(x.question.clone(), x);
        }
        let mut moderated: BTreeMap<i64, BTreeMap<String, i64>> = BTreeMap::new();
        for (a, m) in st::moderated_of_campaign(conn, campaign).await? {
            moderated.entry(a).or_default().insert(m.question, m.score);
        }
        Ok(Self { assessments, answers, moderated })
    }

    /// Each standard's score (by id) for one assessment in the given view.
    fn scores(&self, framework: &Framework, id: i64, view: ScoreView) -> BTreeMap<String, Option<f64>> {
        let empty = BTreeMap::new();
        let answers = self.answers.get(&id).unwrap_or(&empty);
        let moderated = match view {
            ScoreView::Moderated => self.moderated.get(&id),
            ScoreView::SelfAssessed => None,
        };
        standard_scores(framework, answers, moderated).into_iter().collect()
    }
}

impl Core {
    /// The analysis of a campaign: for the business unit and the scrutineer of any partnership
    /// running it, since it shows every organisation's scores. The read is logged.
    /// It is kept, per campaign and filter, under the audits' generation (see [`KeptReturns`]);
    /// who may see it is decided on every request, from the campaign as kept with it.
    pub async fn campaign_analysis(
        &self,
        ctx: &Ctx,
        id: CampaignId,
        filter: &AnalysisFilter,
    ) -> CoreResult<std::sync::Arc<Analysis>> {
        let id = id.0;
        let generation = match ctx.generations {
            Some(g) => g.audits,
            None => st::audits_generation(&mut *self.store.read().await?).await?,
        };
        let key = (id, filter.clone());
        if let Some(kept) = self.kept_returns.analyses.get(&key, generation) {
            let partnerships = &kept.campaign.partnerships;
            ctx.authorize_in_any(Action::View, K::Campaign, partnerships, None)?;
            ctx.authorize_in_any(Action::View, K::Assessment, partnerships, None)?;
            self.log_analysis_read(ctx, &kept.campaign, filter).await?;
            return Ok(kept);
        }
        // Computed after the generation was read, so it is at least as new as its tag.
        let (analysis, _) = self.analysis_and_answers(ctx, id, filter).await?;
        Ok(self.kept_returns.analyses.put(key, generation, analysis))
    }

    /// Logs a read of a campaign's analysis: it shows every organisation's scores.
    async fn log_analysis_read(&self, ctx: &Ctx, campaign: &Campaign, filter: &AnalysisFilter) -> CoreResult<()> {
        self.log_read(
            ctx,
            "campaign",
            Some(campaign.id.to_string()),
            Some(campaign.partnership_id),
            json!({"part": "analysis", "filter": filter}),
        )
        .await
    }

    async fn analysis_and_answers(
        &self,
        ctx: &Ctx,
        id: i64,
        filter: &AnalysisFilter,
    ) -> CoreResult<(Analysis, Vec<(Assessment, BTreeMap<String, Answer>, BTreeMap<String, i64>)>)> {
        let mut conn = self.store.read().await?;
        let campaign = st::campaign(&mut conn, id).await?;
        ctx.authorize_in_any(Action::View, K::Campaign, &campaign.partnerships, None)?;
        ctx.authorize_in_any(Action::View, K::Assessment, &campaign.partnerships, None)?;
        if let Some(p) = filter.partnership
            && !campaign.partnerships.contains(&p)
        {
            return Err(CoreError::field("partnership", "Select the partnership from the list"));
        }
        let generation = match ctx.generations {
            Some(g) => g.audits,
            None => st::audits_generation(&mut conn).await?,
        };
        let returns = self.returns_of(&mut conn, id, generation).await?;
        let previous = st::previous_campaign(&mut conn, &campaign).await?;
        let previous_returns = match &previous {
            Some(c) => Some(self.returns_of(&mut conn, c.id.0, generation).await?),
            None => None,
        };
        let mut partnerships = Vec::new();
        for p in &campaign.partnerships {
            partnerships.push((*p, assure_store::structure::partnership(&mut conn, *p).await?.name));
        }
        drop(conn);
        let (_, framework) = self.framework_unchecked(FrameworkId(campaign.framework_id)).await?;
        let previous_framework = match &previous {
            Some(c) => Some(self.framework_unchecked(FrameworkId(c.framework_id)).await?.1),
            None => None,
        };

        let mut sectors: Vec<(String, String)> = Vec::new();
        for a in &returns.assessments {
            if !sectors.iter().any(|(code, _)| *code == a.sector) {
                sectors.push((a.sector.clone(), sector_label(&a.sector)));
            }
        }
        sectors.sort_by(|x, y| x.1.cmp(&y.1));

        let shown: Vec<Assessment> = returns
            .assessments
            .iter()
            .filter(|a| returned(a))
            .filter(|a| filter.sector.as_ref().is_none_or(|s| *s == a.sector))
            .filter(|a| filter.partnership.is_none_or(|p| p == a.organisation_partnership))
            .cloned()
            .collect();
        let ids: Vec<String> = framework.standards().map(|s| s.id.clone()).collect();
        let mut rows = Vec::new();
        for a in &shown {
            let now = returns.scores(&framework, a.id.0, filter.view);
            let before = match (&previous_returns, &previous_framework) {
                (Some(r), Some(f)) => r
                    .assessments
                    .iter()
                    .find(|p| p.organisation_id == a.organisation_id && returned(p))
                    .map(|p| r.scores(f, p.id.0, filter.view)),
                _ => None,
            };
            rows.push(AnalysisRow {
                assessment_id: a.id.0,
                organisation: a.organisation_name.clone(),
                sector: a.sector.clone(),
                partnership: a.organisation_partnership,
                scores: ids.iter().map(|s| now.get(s).copied().flatten()).collect(),
                previous: ids.iter().map(|s| before.as_ref().and_then(|b| b.get(s).copied().flatten())).collect(),
                moderated: returns.moderated.contains_key(&a.id.0),
            });
        }
        let standards: Vec<StandardSummary> = framework
            .standards()
            .enumerate()
            .map(|(i, s)| {
                let mut distribution = vec![0; framework.scheme.levels.len()];
                for score in rows.iter().filter_map(|r| r.scores[i]) {
                    if let Some(level) = nearest_level(&framework.scheme, score) {
                        distribution[level] += 1;
                    }
                }
                StandardSummary {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    mean: mean(rows.iter().filter_map(|r| r.scores[i])),
                    previous_mean: mean(rows.iter().filter_map(|r| r.previous[i])),
                    distribution,
                }
            })
            .collect();
        let mut weakest: Vec<(String, String, f64)> =
            standards.iter().filter_map(|s| s.mean.map(|m| (s.id.clone(), s.title.clone(), m))).collect();
        weakest.sort_by(|a, b| a.2.total_cmp(&b.2).then_with(|| a.0.cmp(&b.0)));

        self.log_analysis_read(ctx, &campaign, filter).await?;
        let detail = shown
            .into_iter()
            .map(|a| {
                let answers = returns.answers.get(&a.id.0).cloned().unwrap_or_default();
                let moderated = returns.moderated.get(&a.id.0).cloned().unwrap_or_default();
                (a, answers, moderated)
            })
            .collect();
        let analysis = Analysis {
            campaign,
            framework,
            filter: filter.clone(),
            standards,
            rows,
            weakest,
            previous,
            sectors,
            partnerships,
        };
        Ok((analysis, detail))
    }

    /// The campaign's returns as a workbook (with the analysis's filter): a summary sheet of
    /// self and moderated scores, and a sheet per standard with every returned answer, its
    /// evidence and its moderated score.
    pub async fn campaign_xlsx(
        &self,
        ctx: &Ctx,
        id: CampaignId,
        filter: &AnalysisFilter,
    ) -> CoreResult<crate::documents::Download> {
        let id = id.0;
        let (analysis, returns) = self.analysis_and_answers(ctx, id, filter).await?;
        use crate::documents::xlsx::{Sheet, Workbook};
        use crate::documents::{Cell, Marking};
        let titles: Vec<String> = analysis.standards.iter().map(|s| format!("{}. {}", s.id, s.title)).collect();
        let score_sheet = |name: &str, view: ScoreView| {
            let header = ["Organisation".to_owned(), "Sector".to_owned()].into_iter().chain(titles.iter().cloned());
            let widths: Vec<f64> = [36.0, 18.0].into_iter().chain(analysis.standards.iter().map(|_| 14.0)).collect();
            let mut sheet = Sheet::new(name, header, &widths);
            for (a, answers, moderated) in &returns {
                let m = (view == ScoreView::Moderated).then_some(moderated);
                let scores = standard_scores(&analysis.framework, answers, m);
                sheet.row(
                    [Cell::from(a.organisation_name.as_str()), Cell::from(sector_label(&a.sector))]
                        .into_iter()
                        .chain(scores.into_iter().map(|(_, s)| Cell::number(s, 1))),
                );
            }
            sheet
        };
        let mut book = Workbook::new(
            format!("{}: returns", analysis.campaign.title),
            Some(Marking::of(assure_domain::authz::ResourceKind::Assessment)),
        );
        book.sheets.push(score_sheet("Summary", ScoreView::SelfAssessed));
        book.sheets.push(score_sheet("Moderated", ScoreView::Moderated));
        for s in &analysis.standards {
            let mut sheet = Sheet::new(
                format!("{} {}", s.id, s.title),
                [
                    "Organisation",
                    "Return",
                    "Question",
                    "Wording",
                    "Self score",
                    "Moderated score",
                    "Not applicable because",
                    "Answer",
                    "Evidence",
                ],
                &[36.0, 16.0, 8.0, 50.0, 10.0, 10.0, 30.0, 40.0, 40.0],
            );
            for (a, answers, moderated) in &returns {
                for q in analysis.framework.questions_of(&s.id) {
                    let x = answers.get(&q.id);
                    sheet.row([
                        Cell::from(a.organisation_name.as_str()),
                        Cell::from(a.state.label()),
                        Cell::from(q.id.as_str()),
                        Cell::from(q.title.as_str()),
                        Cell::number(x.and_then(|x| x.score).map(|v| v as f64), 0),
                        Cell::number(moderated.get(&q.id).map(|v| *v as f64), 0),
                        Cell::text(x.and_then(|x| x.not_applicable.clone())),
                        Cell::text(x.and_then(|x| x.value.clone())),
                        Cell::text(x.and_then(|x| x.evidence.clone())),
                    ]);
                }
            }
            book.sheets.push(sheet);
        }
        self.render_workbook(book, &[analysis.campaign.title.as_str(), "returns"]).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_read_from_the_query_and_back() {
        let q = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
        };
        let f =
            AnalysisFilter::from_query(&q(&[("sector", "education"), ("partnership", "2"), ("scores", "moderated")]))
                .expect("valid");
        assert_eq!(f.sector.as_deref(), Some("education"));
        assert_eq!(f.partnership, Some(PartnershipId(2)));
        assert_eq!(f.view, ScoreView::Moderated);
        assert_eq!(f.query(), "scores=moderated&sector=education&partnership=2");
        assert_eq!(AnalysisFilter::from_query(&[]).expect("empty"), AnalysisFilter::default());
        let e = AnalysisFilter::from_query(&q(&[("sector", "spaceships"), ("scores", "best")])).expect_err("bad");
        let CoreError::Invalid(e) = e else { panic!("{e:?}") };
        assert_eq!(e.get("sector"), Some("Select the sector from the list"));
        assert_eq!(e.get("scores"), Some("Choose self or moderated scores"));
    }

    #[test]
    fn a_score_falls_to_the_nearest_level() {
        let scheme = Scheme {
            kind: assure_domain::audits::framework::SchemeKind::Score,
            levels: (1..=4)
                .map(|v| assure_domain::audits::framework::Level {
                    value: v,
                    label: v.to_string(),
                    colour: "grey".into(),
                })
                .collect(),
            allow_not_applicable: true,
        };
        assert_eq!(nearest_level(&scheme, 1.2), Some(0));
        assert_eq!(nearest_level(&scheme, 3.6), Some(3));
        assert_eq!(nearest_level(&scheme, 9.0), Some(3));
    }
}
