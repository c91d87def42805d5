//! Spreadsheets: writing a table to an XLSX workbook, and reading the first sheet of an
//! uploaded CSV or XLSX file into rows of text.

use calamine::{Data, Reader};
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

/// What kind of upload a file is, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upload {
    Csv,
    Xlsx,
}

impl Upload {
    pub fn from_name(name: &str) -> Option<Upload> {
        let lower = name.to_lowercase();
        if lower.ends_with(".csv") {
            Some(Upload::Csv)
        } else if lower.ends_with(".xlsx") {
            Some(Upload::Xlsx)
        } else {
            None
        }
    }
}

/// Reads a CSV file (UTF-8, with or without a byte-order mark) into rows of cells.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "The file is not UTF-8 text (the first bad byte is at position {}): save it as CSV UTF-8",
            e.valid_up_to()
        )
    })?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("Row {}: the CSV cannot be read ({e})", i + 1))?;
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(rows)
}

/// Reads the first sheet of an XLSX workbook into rows of cells. Dates and times come out as
/// ISO text ("2023-05-04", "14:30"), so that they read like typed ones.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let mut book = open(bytes)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| "The workbook has no sheets".to_owned())?
        .map_err(|_| "The workbook's first sheet cannot be read".to_owned())?;
    Ok(range_rows(&range))
}

/// A sheet's rows of cells as text.
pub type Rows = Vec<Vec<String>>;

/// Reads every sheet of an XLSX workbook, by name, as [`read_xlsx`] reads the first.
pub fn read_xlsx_sheets(bytes: &[u8]) -> Result<Vec<(String, Rows)>, String> {
    let mut book = open(bytes)?;
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|_| format!("The sheet {name} cannot be read"))?;
        out.push((name, range_rows(&range)));
    }
    Ok(out)
}

fn open(bytes: &[u8]) -> Result<calamine::Xlsx<std::io::Cursor<&[u8]>>, String> {
    calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|_| "The file is not an Excel workbook (.xlsx) that can be read".to_owned())
}

fn range_rows(range: &calamine::Range<Data>) -> Vec<Vec<String>> {
    // Keep the sheet's own row numbers: a sheet that starts lower down still reports true rows.
    let start_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let start_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); start_row];
    for row in range.rows() {
        let mut cells = vec![String::new(); start_col];
        cells.extend(row.iter().map(cell_text));
        rows.push(cells);
    }
    rows
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 {
                format!("{f:.0}")
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if dt.as_f64() < 1.0 => t.format("%H:%M").to_string(),
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            None => dt.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_sheet_reads_back() {
        let rows = vec![vec!["2023-05-04".to_owned(), "Seen by GP, \"routine\"".to_owned()]];
        let bytes = write("Chronology", &["Date", "Event"], &[12.0, 60.0], &rows).expect("written");
        let back = read_xlsx(&bytes).expect("read");
        assert_eq!(back, vec![vec!["Date".to_owned(), "Event".to_owned()], rows[0].clone()]);
    }

    #[test]
    fn csv_reads_quoted_cells_and_a_byte_order_mark() {
        let rows = read_csv(b"\xEF\xBB\xBFDate,Event\n2023-05-04,\"Seen, then referred\"\n").expect("read");
        assert_eq!(rows[1], vec!["2023-05-04", "Seen, then referred"]);
        assert!(read_csv(b"Date\n\xff\xfe").expect_err("not utf-8").contains("not UTF-8"));
    }

    #[test]
    fn a_file_that_is_not_a_workbook_is_refused_plainly() {
        assert_eq!(
            read_xlsx(b"hello").expect_err("refused"),
            "The file is not an Excel workbook (.xlsx) that can be read"
        );
    }
}
