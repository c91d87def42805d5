//! Spreadsheets: writing tables to an XLSX workbook. (Reading uploaded ones is
//! [`crate::tables`].)

use rust_xlsxwriter::{Format, Workbook};

/// One sheet of a workbook: its name, header, column widths in characters, and rows.
pub struct Sheet<'a> {
    pub name: String,
    pub header: Vec<&'a str>,
    pub widths: Vec<f64>,
    pub rows: Vec<Vec<String>>,
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
pub fn sheet_name(raw: &str) -> String {
    let cleaned: String = raw.chars().map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c }).collect();
    let trimmed: String = cleaned.trim().chars().take(31).collect();
    if trimmed.is_empty() { "Sheet".into() } else { trimmed }
}

/// A workbook of several sheets, each as [`write`] lays one out.
pub fn write_book(sheets: &[Sheet<'_>]) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    for s in sheets {
        add_sheet(&mut book, &s.name, &s.header, &s.widths, &s.rows)?;
    }
    book.save_to_buffer().map_err(|e| e.to_string())
}

/// One sheet: bold, frozen header row, filter buttons, and column widths in characters.
pub fn write(sheet_name: &str, header: &[&str], widths: &[f64], rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    add_sheet(&mut book, sheet_name, header, widths, rows)?;
    book.save_to_buffer().map_err(|e| e.to_string())
}

fn add_sheet(
    book: &mut Workbook,
    sheet_name: &str,
    header: &[&str],
    widths: &[f64],
    rows: &[Vec<String>],
) -> Result<(), String> {
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name).map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold().set_background_color("F3F2F1");
    let wrap = Format::new().set_text_wrap().set_align(rust_xlsxwriter::FormatAlign::Top);
    for (c, h) in header.iter().enumerate() {
        let c = u16::try_from(c).map_err(|e| e.to_string())?;
        sheet.write_string_with_format(0, c, *h, &bold).map_err(|e| e.to_string())?;
        if let Some(w) = widths.get(usize::from(c)) {
            sheet.set_column_width(c, *w).map_err(|e| e.to_string())?;
        }
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|e| e.to_string())?;
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(|e| e.to_string())?;
            sheet.write_string_with_format(r, c, cell, &wrap).map_err(|e| e.to_string())?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    if !header.is_empty() {
        let last_col = u16::try_from(header.len() - 1).map_err(|e| e.to_string())?;
        let last_row = u32::try_from(rows.len()).map_err(|e| e.to_string())?;
        sheet.autofilter(0, 0, last_row, last_col).map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_cut_and_cleaned_as_excel_needs() {
        assert_eq!(sheet_name("Standard 1: [Leadership]?"), "Standard 1   Leadership");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
        assert_eq!(sheet_name("///"), "Sheet");
    }
}
