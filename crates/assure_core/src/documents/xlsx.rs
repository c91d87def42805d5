//! Spreadsheets: a [`Workbook`] of typed tables written as XLSX. (Reading uploaded ones is
//! [`crate::tables`].)
//!
//! Numbers are numbers and dates are dates (shown to their precision: "4 May 2023", "Sep
//! 2023", "2023"), so Excel can sum, sort and chart them; an empty value is an empty cell. Each
//! sheet's data is an Excel table (filter buttons, banded rows) under a frozen header row that
//! also repeats on every printed page; wide sheets print landscape, fitted to the page width;
//! every page's header carries the sheet's full name and the protective marking, its footer
//! the workbook's title, the marking again and "Page x of y". The workbook's title is its document property.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, TableColumn, Workbook as Book};

use super::{Cell, Marking};
use assure_domain::reviews::chronology::Precision;

/// Sheets wider than this many characters print landscape.
const LANDSCAPE_FROM: f64 = 110.0;

/// One sheet: its name (cut to Excel's 31 characters when written, the full name printed in
/// its page header), header row, column widths in characters, and rows.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub widths: Vec<f64>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn new<S: Into<String>>(name: impl Into<String>, header: impl IntoIterator<Item = S>, widths: &[f64]) -> Sheet {
        Sheet {
            name: name.into(),
            header: header.into_iter().map(Into::into).collect(),
            widths: widths.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: impl IntoIterator<Item = Cell>) {
        self.rows.push(cells.into_iter().collect());
    }
}

/// A workbook: its title (the document property and every page's footer), its marking, sheets.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub title: String,
    pub marking: Option<Marking>,
    pub sheets: Vec<Sheet>,
}

impl Workbook {
    pub fn new(title: impl Into<String>, marking: Option<Marking>) -> Workbook {
        Workbook { title: title.into(), marking, sheets: Vec::new() }
    }

    /// A workbook of one sheet.
    pub fn of(title: impl Into<String>, marking: Option<Marking>, sheet: Sheet) -> Workbook {
        Workbook { title: title.into(), marking, sheets: vec![sheet] }
    }

    /// The workbook as the bytes of an .xlsx file.
    pub fn write(&self) -> Result<Vec<u8>, String> {
        write(self)
    }
}

/// A workbook of one sheet of text, as a person fills in an upload template (the tests and
/// fuzz targets of the readers make their files with it).
pub fn text_workbook(sheet: &str, header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    // A row may be wider than the header (a reader's tests try that): the header is padded.
    let width = rows.iter().map(Vec::len).chain([header.len()]).max().unwrap_or(0);
    let padded = (0..width).map(|c| header.get(c).copied().unwrap_or(""));
    let mut s = Sheet::new(sheet, padded, &vec![16.0; header.len()]);
    for row in rows {
        s.row(row.iter().map(|c| Cell::from(c.as_str())));
    }
    Workbook::of(sheet, None, s).write()
}

/// A sheet name Excel accepts, unique among `taken`: at most 31 characters, none of
/// `[]:*?/\`; a name cut short or already taken ends in " (2)", " (3)", ...
pub fn sheet_name(raw: &str, taken: &[String]) -> String {
    let cleaned: String = raw.chars().map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c }).collect();
    let cleaned = cleaned.trim().trim_matches('\'');
    let base: String = if cleaned.is_empty() { "Sheet".into() } else { cleaned.to_owned() };
    let free = |name: &str| !taken.iter().any(|t| t.to_lowercase() == name.to_lowercase());
    if base.chars().count() <= 31 && free(&base) {
        return base;
    }
    (2..)
        .map(|n| {
            let suffix = format!(" ({n})");
            let kept: String = base.chars().take(31 - suffix.len()).collect();
            format!("{}{suffix}", kept.trim_end())
        })
        .find(|name| free(name))
        .expect("a free name")
}

/// Text for a page header or footer: `&` doubled so that Excel prints it rather than reading a code.
fn header_text(text: &str) -> String {
    text.replace('&', "&&").chars().take(80).collect()
}

fn error(e: rust_xlsxwriter::XlsxError) -> String {
    e.to_string()
}

fn write(book: &Workbook) -> Result<Vec<u8>, String> {
    let mut out = Book::new();
    out.set_properties(&DocProperties::new().set_title(&book.title).set_author("Assure"));
    let mut taken: Vec<String> = Vec::new();
    let bold = Format::new().set_bold().set_background_color("F3F2F1").set_text_wrap().set_align(FormatAlign::Top);
    let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let formats = Formats::new();
    for s in &book.sheets {
        let name = sheet_name(&s.name, &taken);
        taken.push(name.clone());
        let sheet = out.add_worksheet();
        sheet.set_name(&name).map_err(error)?;
        let columns = u16::try_from(s.header.len()).map_err(|e| e.to_string())?;
        for (c, width) in s.widths.iter().enumerate().take(s.header.len()) {
            sheet.set_column_width(c as u16, *width).map_err(error)?;
        }
        for (c, h) in s.header.iter().enumerate().filter(|(_, h)| !h.is_empty()) {
            sheet.write_string_with_format(0, c as u16, h, &bold).map_err(error)?;
        }
        for (r, row) in s.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(|e| e.to_string())?;
            for (c, cell) in row.iter().enumerate().take(s.header.len()) {
                let c = c as u16;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(t) => {
                        sheet.write_string_with_format(r, c, t, &text).map_err(error)?;
                    }
                    Cell::Number(v, decimals) => {
                        sheet.write_number_with_format(r, c, *v, formats.number(*decimals)).map_err(error)?;
                    }
                    Cell::Date(on, precision) => {
                        use chrono::Datelike;
                        let date = ExcelDateTime::from_ymd(
                            u16::try_from(on.year()).map_err(|e| e.to_string())?,
                            on.month() as u8,
                            on.day() as u8,
                        )
                        .map_err(error)?;
                        sheet.write_datetime_with_format(r, c, &date, formats.date(*precision)).map_err(error)?;
                    }
                }
            }
        }
        if columns > 0 {
            sheet.set_freeze_panes(1, 0).map_err(error)?;
            sheet.set_repeat_rows(0, 0).map_err(error)?;
            let last_row = u32::try_from(s.rows.len()).map_err(|e| e.to_string())?;
            let unique = {
                let mut seen: Vec<String> = s.header.iter().map(|h| h.to_lowercase()).collect();
                seen.sort();
                seen.dedup();
                seen.len() == s.header.len() && s.header.iter().all(|h| !h.trim().is_empty())
            };
            if last_row > 0 && unique {
                let table = rust_xlsxwriter::Table::new().set_style(rust_xlsxwriter::TableStyle::Light1).set_columns(
                    &s.header
                        .iter()
                        .map(|h| TableColumn::new().set_header(h).set_header_format(&bold))
                        .collect::<Vec<_>>(),
                );
                sheet.add_table(0, 0, last_row, columns - 1, &table).map_err(error)?;
            } else {
                sheet.autofilter(0, 0, last_row, columns - 1).map_err(error)?;
            }
        }
        sheet.set_paper_size(9); // A4
        if s.widths.iter().take(s.header.len()).sum::<f64>() > LANDSCAPE_FROM {
            sheet.set_landscape();
        }
        sheet.set_print_fit_to_pages(1, 0);
        let marking = book.marking.map(|m| format!("&C&B{}", m.label())).unwrap_or_default();
        sheet.set_header(format!("&L{}{marking}", header_text(&s.name)));
        sheet.set_footer(format!("&L{}{marking}&RPage &P of &N", header_text(&book.title)));
    }
    out.save_to_buffer().map_err(error)
}

/// Number and date formats, made once per workbook.
struct Formats {
    numbers: Vec<Format>,
    day: Format,
    month: Format,
    year: Format,
}

impl Formats {
    fn new() -> Formats {
        let top = || Format::new().set_align(FormatAlign::Top);
        Formats {
            numbers: (0..=4)
                .map(|d| {
                    top().set_num_format(if d == 0 { "#,##0".to_owned() } else { format!("#,##0.{}", "0".repeat(d)) })
                })
                .collect(),
            day: top().set_num_format("d mmm yyyy").set_align(FormatAlign::Left),
            month: top().set_num_format("mmm yyyy").set_align(FormatAlign::Left),
            year: top().set_num_format("yyyy").set_align(FormatAlign::Left),
        }
    }

    fn number(&self, decimals: u8) -> &Format {
        &self.numbers[usize::from(decimals.min(4))]
    }

    fn date(&self, precision: Precision) -> &Format {
        match precision {
            Precision::Day => &self.day,
            Precision::Month => &self.month,
            Precision::Year => &self.year,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader};
    use chrono::NaiveDate;

    #[test]
    fn sheet_names_are_cut_cleaned_and_kept_unique() {
        assert_eq!(sheet_name("Standard 1: [Leadership]?", &[]), "Standard 1   Leadership");
        let long = "x".repeat(40);
        let first = sheet_name(&long, &[]);
        assert_eq!(first.chars().count(), 31);
        assert!(first.ends_with(" (2)"));
        assert_ne!(sheet_name(&long, std::slice::from_ref(&first)), first);
        assert_eq!(sheet_name("///", &[]), "Sheet");
        assert_eq!(sheet_name("Summary", &["summary".into()]), "Summary (2)");
    }

    #[test]
    fn numbers_and_dates_are_read_back_as_numbers_and_dates() {
        let mut sheet =
            Sheet::new("Figures", ["Area", "Count", "Rate", "Month", "Note"], &[20.0, 10.0, 10.0, 12.0, 20.0]);
        let sep = NaiveDate::from_ymd_opt(2023, 9, 1).unwrap();
        sheet.row([
            Cell::from("Southend"),
            Cell::integer(1200),
            Cell::Number(45.25, 1),
            Cell::Date(sep, Precision::Month),
            Cell::Empty,
        ]);
        let bytes = Workbook::of("Figures", Some(Marking::OfficialSensitive), sheet).write().unwrap();
        let sheet_xml = {
            use std::io::Read;
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
            let mut xml = String::new();
            zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
            xml
        };
        // The marking on every printed page, top and bottom, with the page numbers.
        assert!(
            sheet_xml.contains("<oddHeader>&amp;LFigures&amp;C&amp;BOFFICIAL-SENSITIVE</oddHeader>"),
            "{sheet_xml}"
        );
        assert!(
            sheet_xml.contains(
                "<oddFooter>&amp;LFigures&amp;C&amp;BOFFICIAL-SENSITIVE&amp;RPage &amp;P of &amp;N</oddFooter>"
            )
        );
        assert!(sheet_xml.contains("<pageSetup paperSize=\"9\""), "A4: {sheet_xml}");
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("Figures").unwrap();
        assert_eq!(range.get((1, 1)), Some(&Data::Float(1200.0)));
        assert_eq!(range.get((1, 2)), Some(&Data::Float(45.25)));
        match range.get((1, 3)) {
            Some(Data::DateTime(d)) => assert_eq!(d.as_datetime().unwrap().date(), sep),
            other => panic!("a date, not {other:?}"),
        }
        assert!(matches!(range.get((1, 4)), None | Some(Data::Empty)));
    }
}
