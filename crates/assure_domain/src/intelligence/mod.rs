//! The intelligence dashboard's vocabulary: the indicator catalogue and its exact arithmetic,
//! the periods figures are for, and partners' data returns.

mod catalogue;
pub mod indicators;
pub mod period;
pub mod returns;
