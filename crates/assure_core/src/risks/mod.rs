//! The risk register: a partnership's registers (one per arm, or partnership-wide), each with its
//! matrix in versions, its categories and the board's appetite for each; the risks on it with
//! their ratings (every change kept: who, when, why, from and to), controls, owners, review
//! dates and the plan's actions that treat them. Everyone in the partnership reads the registers;
//! the business unit keeps them; a risk's owner reviews its rating.
//!
//! Parts: `risk` (the risks, their reviews, controls and actions), `paper` (the register as a
//! workbook and as a paper for the board).

use std::collections::HashMap;
use std::sync::OnceLock;

pub use assure_store::risks::{Category, Control, LinkedAction, MatrixVersion, RatingEntry, Register, Risk};

use assure_domain::risks::{
    AppetiteInput, Band, CategoryInput, Direction, MatrixInput, Presets, Rating, RatingKind, RegisterInput, Status,
};
use assure_domain::{Action, BodyId, PartnershipId, ResourceKind as K, RiskRegisterId, Target};
use assure_store::audit_log;
use assure_store::risks as st;
use chrono::NaiveDate;
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

mod paper;
mod risk;

pub use risk::{HistoryEntry, RiskView, review_words};

const SHIPPED: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/risks.toml"));

/// The matrices and sets of categories shipped in `config/risks.toml`, read and checked once.
pub fn presets() -> &'static Presets {
    static PRESETS: OnceLock<Presets> = OnceLock::new();
    PRESETS.get_or_init(|| {
        // The shipped file is checked by a test; an empty set is the fallback, never reached.
        toml::from_str::<Presets>(SHIPPED)
            .ok()
            .filter(|p| p.check().is_ok())
            .unwrap_or(Presets { matrices: Vec::new(), category_sets: Vec::new() })
    })
}

/// What the rules need to know of a register's records.
pub(crate) fn of_register(p: PartnershipId) -> Target {
    Target::new(K::Risk, p)
}

/// One risk on the register, as the register shows it.
#[derive(Debug, Clone)]
pub struct RiskLine {
    pub risk: Risk,
    pub inherent: Option<Rating>,
    /// The latest current rating, and the matrix version it was made under.
    pub current: Option<RatingEntry>,
    /// The current rating before the latest review.
    pub previous: Option<Rating>,
    pub target: Option<Rating>,
    pub direction: Direction,
    /// The band of the current and target ratings, on the matrix each was made under.
    pub band: Option<Band>,
    pub target_band: Option<Band>,
    /// The current rating was made under an earlier version of the matrix.
    pub on_old_matrix: bool,
    pub appetite: Option<u32>,
    pub above_appetite: bool,
    /// Its review date has come.
    pub review_due: bool,
    pub controls: Vec<Control>,
    pub actions: Vec<LinkedAction>,
}

impl RiskLine {
    pub fn score(&self) -> Option<u32> {
        self.current.as_ref().map(|c| c.rating.score())
    }

    /// Open or tolerated: on the heat map and counted.
    pub fn live(&self) -> bool {
        self.risk.status != Status::Closed
    }
}

/// A register as its page shows it.
#[derive(Debug, Clone)]
pub struct RegisterView {
    pub register: Register,
    pub matrix: MatrixVersion,
    pub categories: Vec<Category>,
    pub lines: Vec<RiskLine>,
    pub today: NaiveDate,
    pub can_edit: bool,
}

/// A heat map's cell: how many live risks sit at this likelihood and impact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeatCell {
    pub likelihood: u32,
    pub impact: u32,
    pub count: usize,
    pub band: Option<Band>,
    /// The references of the risks in it.
    pub references: Vec<String>,
}

impl RegisterView {
    /// The heat map of current (or target) ratings on the current matrix: rows from the highest
    /// likelihood down, columns from the lowest impact. Risks rated under an earlier matrix are
    /// left out (the page says how many).
    pub fn heat(&self, target: bool) -> Vec<Vec<HeatCell>> {
        let m = &self.matrix.matrix;
        let mut grid: Vec<Vec<HeatCell>> = (1..=m.likelihood.len() as u32)
            .rev()
            .map(|l| {
                (1..=m.impact.len() as u32)
                    .map(|i| HeatCell {
                        likelihood: l,
                        impact: i,
                        count: 0,
                        band: m.band(l * i).cloned(),
                        references: Vec::new(),
                    })
                    .collect()
            })
            .collect();
        for line in self.lines.iter().filter(|l| l.live() && !l.on_old_matrix) {
            let rating = if target { line.target } else { line.current.as_ref().map(|c| c.rating) };
            let Some(r) = rating.filter(|r| m.holds(*r)) else { continue };
            let row = m.likelihood.len() - r.likelihood as usize;
            let cell = &mut grid[row][r.impact as usize - 1];
            cell.count += 1;
            cell.references.push(line.risk.reference.clone());
        }
        grid
    }

    /// Live risks rated under an earlier version of the matrix (not on the heat map).
    pub fn on_old_matrix(&self) -> usize {
        self.lines.iter().filter(|l| l.live() && l.on_old_matrix).count()
    }

    pub fn above_appetite(&self) -> Vec<&RiskLine> {
        self.lines.iter().filter(|l| l.live() && l.above_appetite).collect()
    }

    pub fn category_lines(&self, category: i64) -> Vec<&RiskLine> {
        self.lines.iter().filter(|l| l.risk.category_id == category).collect()
    }
}

/// A register in the list: its name and counts.
#[derive(Debug, Clone)]
pub struct RegisterSummary {
    pub register: Register,
    pub open: usize,
    pub above_appetite: usize,
    pub review_due: usize,
}

/// The choices the register form offers.
#[derive(Debug, Clone)]
pub struct RegisterChoices {
    pub bodies: Vec<(BodyId, String)>,
    pub matrices: Vec<(String, String)>,
    pub category_sets: Vec<(String, String)>,
}

impl Core {
    /// The partnership's registers with their counts.
    pub async fn risk_registers(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<RegisterSummary>> {
        ctx.authorize(Action::View, &of_register(p))?;
        let mut conn = self.store.read().await?;
        let registers = st::registers_in(&mut conn, p).await?;
        drop(conn);
        let mut out = Vec::new();
        for register in registers {
            let view = self.register_lines(register.id).await?;
            out.push(RegisterSummary {
                open: view.lines.iter().filter(|l| l.risk.status == Status::Open).count(),
                above_appetite: view.above_appetite().len(),
                review_due: view.lines.iter().filter(|l| l.risk.status == Status::Open && l.review_due).count(),
                register,
            });
        }
        Ok(out)
    }

    /// What the form for a register offers: the partnership's bodies and the shipped presets.
    pub async fn risk_register_choices(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<RegisterChoices> {
        ctx.authorize(Action::Create, &of_register(p))?;
        let mut conn = self.store.read().await?;
        let (bodies, _) =
            assure_store::structure::bodies(&mut conn, p, false, assure_store::structure::Page::ALL).await?;
        Ok(RegisterChoices {
            bodies: bodies.into_iter().map(|b| (b.id, b.name)).collect(),
            matrices: presets().matrices.iter().map(|m| (m.code.clone(), m.name.clone())).collect(),
            category_sets: presets().category_sets.iter().map(|c| (c.code.clone(), c.name.clone())).collect(),
        })
    }

    /// Starts a register from a shipped matrix and set of categories.
    pub async fn create_risk_register(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        input: &RegisterInput,
    ) -> CoreResult<RiskRegisterId> {
        ctx.authorize(Action::Create, &of_register(p))?;
        let mut errors = assure_domain::FieldErrors::new();
        let new = input.validate().map_err(|e| errors.merge(e)).ok();
        let matrix = presets().matrix(input.matrix.trim());
        if matrix.is_none() {
            errors.add("matrix", "Select the matrix to start from");
        }
        let set = presets().categories(input.categories.trim());
        if set.is_none() {
            errors.add("categories", "Select the categories to start from");
        }
        let (Some(new), Some(matrix), Some(set)) = (new, matrix, set) else { return Err(errors.into()) };
        let mut tx = self.store.write().await?;
        self.check_register_body(&mut tx, p, new.body_id).await?;
        let id = st::insert_register(&mut tx, p, &new, &ctx.name)
            .await
            .map_err(|e| CoreError::on_unique(e, "name", "The partnership already has a register with that name"))?;
        st::insert_matrix(&mut tx, id, &matrix.matrix(), &ctx.name).await?;
        for name in &set.names {
            st::insert_category(&mut tx, id, name).await?;
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "risk_register",
                Some(id.to_string()),
                Some(p),
                json!({"name": new.name, "matrix": matrix.code, "categories": set.code}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Renames a register, or changes its arm or the body that oversees it.
    pub async fn update_risk_register(&self, ctx: &Ctx, id: RiskRegisterId, input: &RegisterInput) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let register = st::register(&mut tx, id).await?;
        ctx.authorize(Action::Update, &of_register(register.partnership_id))?;
        let new = input.validate()?;
        self.check_register_body(&mut tx, register.partnership_id, new.body_id).await?;
        st::update_register(&mut tx, id, &new)
            .await
            .map_err(|e| CoreError::on_unique(e, "name", "The partnership already has a register with that name"))?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "risk_register",
                Some(id.to_string()),
                Some(register.partnership_id),
                json!({"name": new.name, "arm": new.arm.map(assure_domain::structure::Choice::code), "body_id": new.body_id}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn check_register_body(
        &self,
        conn: &mut assure_store::Conn,
        p: PartnershipId,
        body: Option<BodyId>,
    ) -> CoreResult<()> {
        let Some(body) = body else { return Ok(()) };
        match assure_store::structure::body(conn, body).await {
            Ok(b) if b.partnership_id == p => Ok(()),
            Ok(_) | Err(assure_store::StoreError::NotFound) => {
                Err(CoreError::field("body_id", "Select the body that oversees the register from the list"))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A register with every risk's ratings, controls and actions.
    pub async fn risk_register(&self, ctx: &Ctx, id: RiskRegisterId) -> CoreResult<RegisterView> {
        let mut view = self.register_lines(id).await?;
        ctx.authorize(Action::View, &of_register(view.register.partnership_id))?;
        view.can_edit = crate::can(&ctx.actor, Action::Update, &of_register(view.register.partnership_id));
        Ok(view)
    }

    /// A register's lines, read in six queries whatever its size (one connection, let go before
    /// the lines are put together).
    pub(crate) async fn register_lines(&self, id: RiskRegisterId) -> CoreResult<RegisterView> {
        let mut conn = self.store.read().await?;
        let register = st::register(&mut conn, id).await?;
        let matrices = st::matrices(&mut conn, id).await?;
        let categories = st::categories(&mut conn, id).await?;
        let risks = st::risks_of_register(&mut conn, id).await?;
        let ratings = st::latest_ratings(&mut conn, id).await?;
        let controls = st::controls(&mut conn, id, None).await?;
        let actions = st::linked_actions(&mut conn, id, None).await?;
        drop(conn);
        let matrix =
            matrices.last().cloned().ok_or_else(|| CoreError::Internal("a register without a matrix".into()))?;
        let by_id: HashMap<i64, &MatrixVersion> = matrices.iter().map(|m| (m.id, m)).collect();
        let appetite: HashMap<i64, Option<u32>> = categories.iter().map(|c| (c.id, c.appetite)).collect();
        let mut ratings_of: HashMap<assure_domain::RiskId, Vec<RatingEntry>> = HashMap::new();
        for r in ratings {
            ratings_of.entry(r.risk_id).or_default().push(r);
        }
        let mut controls_of: HashMap<assure_domain::RiskId, Vec<Control>> = HashMap::new();
        for c in controls {
            controls_of.entry(c.risk_id).or_default().push(c);
        }
        let mut actions_of: HashMap<assure_domain::RiskId, Vec<LinkedAction>> = HashMap::new();
        for a in actions {
            actions_of.entry(a.risk_id).or_default().push(a);
        }
        let today = self.today();
        let lines = risks
            .into_iter()
            .map(|risk| {
                let ratings = ratings_of.remove(&risk.id).unwrap_or_default();
                let appetite = appetite.get(&risk.category_id).copied().flatten();
                line(risk, &ratings, &by_id, matrix.id, appetite, today, &mut controls_of, &mut actions_of)
            })
            .collect();
        Ok(RegisterView { register, matrix, categories, lines, today, can_edit: false })
    }

    /// Adds a category to a register.
    pub async fn add_risk_category(&self, ctx: &Ctx, id: RiskRegisterId, input: &CategoryInput) -> CoreResult<i64> {
        let mut tx = self.store.write().await?;
        let register = st::register(&mut tx, id).await?;
        ctx.authorize(Action::Update, &of_register(register.partnership_id))?;
        let name = input.validate()?;
        if st::categories(&mut tx, id).await?.len() >= assure_domain::risks::MAX_CATEGORIES {
            return Err(CoreError::field(
                "name",
                format!("A register has at most {} categories", assure_domain::risks::MAX_CATEGORIES),
            ));
        }
        let category = st::insert_category(&mut tx, id, &name)
            .await
            .map_err(|e| CoreError::on_unique(e, "name", "The register already has a category with that name"))?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "risk_category",
                Some(category.to_string()),
                Some(register.partnership_id),
                json!({"register_id": id, "name": name}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(category)
    }

    /// Records the board's appetite for a category's risks (blank: none).
    pub async fn set_risk_appetite(
        &self,
        ctx: &Ctx,
        id: RiskRegisterId,
        category: i64,
        input: &AppetiteInput,
    ) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let register = st::register(&mut tx, id).await?;
        ctx.authorize(Action::Update, &of_register(register.partnership_id))?;
        let categories = st::categories(&mut tx, id).await?;
        let Some(c) = categories.iter().find(|c| c.id == category) else { return Err(CoreError::NotFound) };
        let matrix = st::matrix(&mut tx, id).await?;
        let new = input.validate(&matrix.matrix)?;
        st::set_appetite(&mut tx, category, new.appetite, new.agreed.as_deref(), &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "appetite",
                "risk_category",
                Some(category.to_string()),
                Some(register.partnership_id),
                json!({"register_id": id, "name": c.name, "from": c.appetite, "to": new.appetite, "agreed": new.agreed}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes a register's matrix: a new version. Past ratings keep the version they were made
    /// under; a risk rated under an earlier one shows so until it is next reviewed.
    pub async fn change_risk_matrix(&self, ctx: &Ctx, id: RiskRegisterId, input: &MatrixInput) -> CoreResult<i64> {
        let mut tx = self.store.write().await?;
        let register = st::register(&mut tx, id).await?;
        ctx.authorize(Action::Update, &of_register(register.partnership_id))?;
        let matrix = input.validate()?;
        let now = st::matrix(&mut tx, id).await?;
        if now.matrix == matrix {
            return Err(CoreError::field(
                "likelihood",
                "The matrix is as it was: change a level or a band to save a new version",
            ));
        }
        let categories = st::categories(&mut tx, id).await?;
        if let Some(c) = categories.iter().find(|c| c.appetite.is_some_and(|a| a > matrix.max_score())) {
            return Err(CoreError::field(
                "bands",
                format!(
                    "The appetite for {} is a score of {}, above the new matrix's highest ({}): change the appetite first",
                    c.name,
                    c.appetite.unwrap_or_default(),
                    matrix.max_score()
                ),
            ));
        }
        let matrix_id = st::insert_matrix(&mut tx, id, &matrix, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "matrix",
                "risk_register",
                Some(id.to_string()),
                Some(register.partnership_id),
                json!({"from_version": now.version, "to_version": now.version + 1,
                       "likelihood": matrix.likelihood.len(), "impact": matrix.impact.len()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(matrix_id)
    }

    /// Proposes, on the agenda of a body's next meeting as it is planned, an item for decision for
    /// each open risk above its category's appetite on the registers the body oversees (the
    /// business unit removes any it does not want), within the agenda's limit. Returns how many
    /// were added.
    pub(crate) async fn propose_risks(
        &self,
        tx: &mut assure_store::Conn,
        body: BodyId,
        meeting: assure_domain::MeetingId,
        by: &str,
    ) -> CoreResult<usize> {
        use assure_domain::meetings::agenda::{MAX_ITEMS, NewAgendaItem, Purpose};
        use assure_store::meetings::agenda as agenda_store;
        let titles = self.risks_above_appetite_for(tx, body).await?;
        let room = MAX_ITEMS.saturating_sub(agenda_store::items(tx, meeting).await?.len());
        for title in titles.iter().take(room) {
            let item = NewAgendaItem {
                title: title.clone(),
                presenter: None,
                purpose: Purpose::Decision,
                minutes: None,
                restricted: false,
                owner_email: None,
            };
            agenda_store::insert_item(tx, meeting, &item, None, by).await?;
        }
        Ok(titles.len().min(room))
    }

    /// The risks above their category's appetite on the registers a body oversees, as agenda
    /// items' titles.
    async fn risks_above_appetite_for(&self, conn: &mut assure_store::Conn, body: BodyId) -> CoreResult<Vec<String>> {
        let registers = st::registers_of_body(conn, body).await?;
        let mut titles = Vec::new();
        for register in registers {
            let categories = st::categories(conn, register.id).await?;
            let risks = st::risks_of_register(conn, register.id).await?;
            let ratings = st::latest_ratings(conn, register.id).await?;
            for risk in risks.iter().filter(|r| r.status == Status::Open) {
                let appetite = categories.iter().find(|c| c.id == risk.category_id).and_then(|c| c.appetite);
                let current = ratings.iter().rev().find(|r| r.risk_id == risk.id && r.kind == RatingKind::Current);
                if let Some(c) = current
                    && assure_domain::risks::above_appetite(c.rating, appetite)
                {
                    titles.push(format!("Risk above appetite: {} {}", risk.reference, clip(&risk.title, 150)));
                }
            }
        }
        Ok(titles)
    }
}

/// A title cut to `max` characters at a word, with an ellipsis.
pub(crate) fn clip(text: &str, max: usize) -> String {
    let first = text.lines().next().unwrap_or("").trim();
    if first.chars().count() <= max {
        return first.to_owned();
    }
    let cut: String = first.chars().take(max).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

#[allow(clippy::too_many_arguments)]
fn line(
    risk: Risk,
    ratings: &[RatingEntry],
    matrices: &HashMap<i64, &MatrixVersion>,
    latest_matrix: i64,
    appetite: Option<u32>,
    today: NaiveDate,
    controls: &mut HashMap<assure_domain::RiskId, Vec<Control>>,
    actions: &mut HashMap<assure_domain::RiskId, Vec<LinkedAction>>,
) -> RiskLine {
    let of = |kind: RatingKind| ratings.iter().filter(move |r| r.kind == kind);
    let current = of(RatingKind::Current).next_back().cloned();
    let previous = {
        let all: Vec<&RatingEntry> = of(RatingKind::Current).collect();
        all.len().checked_sub(2).map(|i| all[i].rating)
    };
    let target_entry = of(RatingKind::Target).next_back();
    let band_of = |e: &RatingEntry| matrices.get(&e.matrix_id).and_then(|m| m.matrix.band(e.rating.score()).cloned());
    let band = current.as_ref().and_then(band_of);
    let target_band = target_entry.and_then(band_of);
    let direction =
        current.as_ref().map(|c| assure_domain::risks::direction(previous, c.rating)).unwrap_or(Direction::New);
    let above = current.as_ref().is_some_and(|c| assure_domain::risks::above_appetite(c.rating, appetite));
    RiskLine {
        inherent: of(RatingKind::Inherent).next_back().map(|r| r.rating),
        on_old_matrix: current.as_ref().is_some_and(|c| c.matrix_id != latest_matrix),
        previous,
        target: target_entry.map(|r| r.rating),
        direction,
        band,
        target_band,
        appetite,
        above_appetite: above,
        review_due: risk.review_on <= today,
        controls: controls.remove(&risk.id).unwrap_or_default(),
        actions: actions.remove(&risk.id).unwrap_or_default(),
        current,
        risk,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_presets_are_valid() {
        let shipped: Presets = toml::from_str(SHIPPED).expect("config/risks.toml parses");
        assert_eq!(shipped.check(), Ok(()));
        assert_eq!(presets().matrices.len(), 2);
        let four = presets().matrix("four_by_four").expect("the seeds' matrix").matrix();
        assert_eq!(four.max_score(), 16);
        assert_eq!(presets().categories("partnership").map(|c| c.names.len()), Some(4));
        assert_eq!(presets().categories("orange_book").map(|c| c.names.len()), Some(13));
    }

    #[test]
    fn titles_are_cut_at_a_word() {
        assert_eq!(clip("There is insufficient funding", 12), "There is…");
        assert_eq!(clip("Short", 12), "Short");
        assert_eq!(clip("First line\nsecond", 40), "First line");
    }
}
