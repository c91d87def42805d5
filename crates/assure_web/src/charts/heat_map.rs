//! A heat map: a row per organisation, a column per standard, each cell coloured by the level its
//! score is nearest and the score printed on it.

use super::bars::{LABEL_WIDTH, ROW_HEIGHT};
use super::{colour, figure};

/// The width of a column of cells.
pub const CELL_WIDTH: u32 = 56;

/// One cell, as drawn.
pub struct Cell {
    pub x: u32,
    pub y: u32,
    pub fill: &'static str,
    pub ink: &'static str,
    pub label: String,
    pub title: String,
}

/// A cell as given: its value (none when there is no score), the colour name of its level, and
/// what its tooltip says after the value's place ("Essex Police, standard 1").
pub struct Given {
    pub value: Option<f64>,
    pub colour: String,
    pub about: String,
    /// Said after the value, such as " (last cycle 2.5)".
    pub after: String,
}

/// The heat map as drawn.
pub struct HeatMap {
    pub cells: Vec<Cell>,
    pub width: u32,
    pub height: u32,
    /// (x, label) of each column.
    pub columns: Vec<(u32, String)>,
    /// (y, label) of each row.
    pub rows: Vec<(u32, String)>,
}

/// Lays out `rows` (name, cells) under `columns`; a value prints to one decimal place.
pub fn heat_map(columns: &[String], rows: &[(String, Vec<Given>)]) -> HeatMap {
    let mut cells = Vec::new();
    for (r, (_, given)) in rows.iter().enumerate() {
        for (c, g) in given.iter().enumerate() {
            let ((fill, ink), label) = match g.value {
                Some(v) => (colour(&g.colour), figure(v, 1)),
                None => (colour("light-grey"), "none".to_owned()),
            };
            cells.push(Cell {
                x: LABEL_WIDTH + c as u32 * CELL_WIDTH,
                y: ROW_HEIGHT + r as u32 * ROW_HEIGHT,
                fill,
                ink,
                title: format!("{}: {label}{}", g.about, g.after),
                label,
            });
        }
    }
    HeatMap {
        cells,
        width: LABEL_WIDTH + columns.len() as u32 * CELL_WIDTH,
        height: ROW_HEIGHT * (rows.len() as u32 + 1),
        columns: columns.iter().enumerate().map(|(c, s)| (LABEL_WIDTH + c as u32 * CELL_WIDTH, s.clone())).collect(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(r, (name, _))| (ROW_HEIGHT + r as u32 * ROW_HEIGHT, name.clone()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_sit_under_their_column_and_say_their_score() {
        let given = |value, colour: &str| Given {
            value,
            colour: colour.into(),
            about: "Essex Police, standard 1".into(),
            after: String::new(),
        };
        let map = heat_map(
            &["1".into(), "2".into()],
            &[("Essex Police".into(), vec![given(Some(3.26), "green"), given(None, "grey")])],
        );
        assert_eq!((map.width, map.height), (LABEL_WIDTH + 2 * CELL_WIDTH, 2 * ROW_HEIGHT));
        assert_eq!(map.cells[0].label, "3.3");
        assert_eq!(map.cells[0].fill, "#00703c");
        assert_eq!(map.cells[1].label, "none");
        assert_eq!(map.cells[1].title, "Essex Police, standard 1: none");
        assert_eq!(map.columns[1].0, map.cells[1].x);
    }
}
