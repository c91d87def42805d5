//! The hostile-files corpus: files built to break a reader (sparse corners, zip bombs,
//! million-row and million-column tables, text that is not UTF-8, UTF-16, carriage returns
//! alone, formulas, malformed workbooks), each with what Assure must answer. Every upload
//! route and every file command is run against all of them.

use std::io::Write;

/// What a reader must make of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Refused, with a message containing this.
    Refused(&'static str),
    /// Read: it is unusual but well formed.
    Read,
}

/// One file of the corpus.
pub struct Hostile {
    /// The file's name, with the extension a reader goes by.
    pub name: &'static str,
    pub bytes: Vec<u8>,
    /// What a chronology upload must make of it.
    pub chronology: Expect,
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Chronology" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

/// A workbook of one sheet named "Chronology": `sheet` writes the worksheet part (after its
/// XML declaration and root element start, before its end), `strings` the shared strings part.
fn workbook(sheet: impl FnOnce(&mut dyn Write), strings: impl FnOnce(&mut dyn Write)) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let part = |zip: &mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>, name: &str, text: &str| {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    };
    part(&mut zip, "[Content_Types].xml", CONTENT_TYPES);
    part(&mut zip, "_rels/.rels", RELS);
    part(&mut zip, "xl/workbook.xml", WORKBOOK);
    part(&mut zip, "xl/_rels/workbook.xml.rels", WORKBOOK_RELS);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    zip.write_all(SHEET_START.as_bytes()).unwrap();
    sheet(&mut zip);
    zip.write_all(b"</worksheet>").unwrap();
    zip.start_file("xl/sharedStrings.xml", options).unwrap();
    strings(&mut zip);
    zip.finish().unwrap().into_inner()
}

fn plain_strings(out: &mut dyn Write) {
    out.write_all(
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>Date</t></si></sst>"#,
    )
    .unwrap();
}

fn cells(out: &mut dyn Write, dimension: &str, cells: &[(&str, &str)]) {
    write!(out, r#"<dimension ref="{dimension}"/><sheetData>"#).unwrap();
    for (at, value) in cells {
        let row: String = at.chars().filter(char::is_ascii_digit).collect();
        write!(out, r#"<row r="{row}"><c r="{at}" t="inlineStr"><is><t>{value}</t></is></c></row>"#).unwrap();
    }
    out.write_all(b"</sheetData>").unwrap();
}

/// The whole corpus.
pub fn corpus() -> Vec<Hostile> {
    let refused = Expect::Refused;
    let mut out = vec![
        Hostile {
            name: "sparse-corners.xlsx",
            bytes: workbook(|o| cells(o, "A1:XFD1048576", &[("A1", "Date"), ("XFD1048576", "x")]), plain_strings),
            chronology: refused("Sheet 'Chronology' spans 1,048,576 rows and 16,384 columns"),
        },
        Hostile {
            name: "sparse-corners-undeclared.xlsx",
            bytes: workbook(|o| cells(o, "A1", &[("A1", "Date"), ("XFD1048576", "x")]), plain_strings),
            chronology: refused("Sheet 'Chronology' has more than 5,001 rows"),
        },
        Hostile {
            name: "far-column.xlsx",
            bytes: workbook(|o| cells(o, "A1", &[("A1", "Date"), ("XFD1", "x")]), plain_strings),
            chronology: refused("Sheet 'Chronology', row 1, column XFD: a chronology upload takes at most 26 columns"),
        },
        Hostile {
            name: "malformed-range.xlsx",
            bytes: workbook(|o| cells(o, "B2:A1", &[("A1", "Date")]), plain_strings),
            chronology: refused("The workbook holds the cell reference 'B2:A1', which Excel cannot have"),
        },
        Hostile {
            name: "overflowing-reference.xlsx",
            bytes: workbook(|o| cells(o, "A1", &[("ZZZZZZZZZZ1", "x")]), plain_strings),
            chronology: refused("The workbook holds the cell reference 'ZZZZZZZZZZ1', which Excel cannot have"),
        },
        Hostile {
            name: "zip-bomb.xlsx",
            // 200 MB of blank space inside the sheet: a few hundred KB compressed.
            bytes: workbook(
                |o| {
                    o.write_all(br#"<dimension ref="A1"/><sheetData>"#).unwrap();
                    let blank = vec![b' '; 1 << 20];
                    for _ in 0..200 {
                        o.write_all(&blank).unwrap();
                    }
                    o.write_all(b"</sheetData>").unwrap();
                },
                plain_strings,
            ),
            chronology: refused("The workbook unpacks to more than 64 MB"),
        },
        Hostile {
            name: "declared-strings.xlsx",
            bytes: workbook(
                |o| cells(o, "A1", &[("A1", "Date")]),
                |o| {
                    o.write_all(
                        br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1000000000000" uniqueCount="1000000000000"><si><t>x</t></si></sst>"#,
                    )
                    .unwrap()
                },
            ),
            chronology: refused("The workbook holds more than 130,026 different texts"),
        },
        Hostile {
            name: "many-strings.xlsx",
            bytes: workbook(
                |o| cells(o, "A1", &[("A1", "Date")]),
                |o| {
                    o.write_all(br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#).unwrap();
                    for _ in 0..2_000_000 {
                        o.write_all(b"<si><t>a</t></si>").unwrap();
                    }
                    o.write_all(b"</sst>").unwrap();
                },
            ),
            chronology: refused("The workbook holds more than 130,026 different texts"),
        },
        Hostile {
            name: "many-rows.xlsx",
            bytes: workbook(
                |o| {
                    o.write_all(br#"<dimension ref="A1"/><sheetData>"#).unwrap();
                    for r in 1..=30_000 {
                        write!(o, r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#).unwrap();
                    }
                    o.write_all(b"</sheetData>").unwrap();
                },
                plain_strings,
            ),
            chronology: refused("Sheet 'Chronology' has more than 5,001 rows"),
        },
        Hostile {
            name: "not-a-workbook.xlsx",
            bytes: b"PK\x03\x04 this is not a zip archive at all".to_vec(),
            chronology: refused("The file is not an Excel workbook (.xlsx) that can be read"),
        },
        Hostile {
            name: "million-rows.csv",
            bytes: b"a\n".repeat(1 << 20),
            chronology: refused("The file has more than 5,001 rows"),
        },
        Hostile {
            name: "million-columns.csv",
            bytes: [b"a,".repeat(1 << 20), b"\n".to_vec()].concat(),
            chronology: refused("Row 1: the row has 1,048,576 columns"),
        },
        Hostile {
            name: "invalid-utf8.csv",
            bytes: b"Date,Time,Source,Event,Agency comment\n2024-01-10,,GP record,Seen by the GP \xff\xfe,\n".to_vec(),
            chronology: refused("Row 2, column D: the text is not UTF-8"),
        },
        Hostile {
            name: "utf16.csv",
            bytes: {
                let mut b = vec![0xFF, 0xFE];
                for unit in "Date,Time,Source,Event,Agency comment\n".encode_utf16() {
                    b.extend_from_slice(&unit.to_le_bytes());
                }
                b
            },
            chronology: refused("The file is UTF-16 text"),
        },
        Hostile {
            name: "unclosed-quote.csv",
            bytes: b"Date,Time,Source,Event,Agency comment\n2024-01-10,,GP record,\"Seen by the GP,\n".to_vec(),
            chronology: refused("Row 2: a quoted cell is not closed"),
        },
        Hostile {
            name: "carriage-returns-only.csv",
            bytes: b"Date,Time,Source,Event,Agency comment\r2024-01-10,,GP record,Seen by the GP,\r2024-01-11,09:30,Case note,Home visit,\r"
                .to_vec(),
            chronology: Expect::Read,
        },
        Hostile {
            name: "formulas.csv",
            bytes: b"Date,Time,Source,Event,Agency comment\n2024-01-10,,=HYPERLINK(\"http://example.invalid\";\"x\"),@SUM(A1),+1\n"
                .to_vec(),
            chronology: Expect::Read,
        },
        Hostile { name: "empty.csv", bytes: Vec::new(), chronology: refused("Select a CSV or Excel (.xlsx) file") },
        Hostile {
            name: "nul-bytes.csv",
            bytes: b"Date,Time,Source,Event,Agency comment\n\0\0\0,\0,\0,\0,\0\n".to_vec(),
            chronology: refused("Row 2, column A: '\\u{0}\\u{0}\\u{0}' is not a date"),
        },
    ];
    out.push(Hostile {
        name: "huge-cell.csv",
        bytes: [
            b"Date,Time,Source,Event,Agency comment\n2024-01-10,,GP record,".to_vec(),
            vec![b'x'; 8 << 20],
            b",\n".to_vec(),
        ]
        .concat(),
        chronology: refused("Row 2, column D"),
    });
    out
}
