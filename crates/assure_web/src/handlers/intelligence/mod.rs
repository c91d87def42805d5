//! The intelligence dashboards: indicators from published statistics, partners' data returns and
//! record-level extracts.

pub mod board_pack;
pub mod dashboard;
pub mod extracts;
pub mod return_templates;
pub mod returns;

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(dashboard::routes())
        .merge(board_pack::routes())
        .merge(extracts::routes())
        .merge(returns::routes())
        .merge(return_templates::routes())
}
