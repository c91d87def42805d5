//! A trend drawn as lines: the drawing is the document engine's ([`assure_core::documents::trend`]),
//! so a page's chart and a document's are one.

pub use assure_core::documents::trend::{Chart, trend};
