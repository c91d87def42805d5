//! Cells of the tables people upload and download: how a column is lettered, how a cell's text
//! is quoted back in an error message, and how a cell is written into a CSV file Assure writes.

/// A whole number as people write it, with thousands separated: 20,000; -1,250.
pub fn thousands(n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Pence as pounds for people: 450050 as "£4,500.50", 450000 as "£4,500", -30000 as "−£300".
pub fn pounds(pence: i64) -> String {
    if pence < 0 {
        return format!("\u{2212}{}", pounds(pence.checked_neg().unwrap_or(i64::MAX)));
    }
    let whole = thousands(pence / 100);
    match pence % 100 {
        0 => format!("£{whole}"),
        p => format!("£{whole}.{p:02}"),
    }
}

/// A column's letters as a spreadsheet shows them: 0 is `A`, 25 `Z`, 26 `AA`.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        out.push(char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// The longest piece of a cell quoted back in a message.
const SHOWN: usize = 60;

/// A cell's text as a message quotes it: control characters (which a terminal would act on)
/// shown as `\u{..}` escapes, and anything past 60 characters cut with an ellipsis.
pub fn shown(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == SHOWN {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `text` is a plain number (`12`, `-3.5`): a spreadsheet reads it as the number it is.
fn plain_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// A cell of a CSV file Assure writes. Text a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return, unless it is a plain number such as `-3.5`)
/// is neutralised with a leading apostrophe; a cell holding a comma, quote or line break is
/// quoted. Every CSV Assure writes goes through this.
pub fn csv_cell(text: &str) -> String {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !plain_number(text);
    let text = if risky { format!("'{text}") } else { text.to_owned() };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// One line of a CSV file Assure writes, ending in `\n`.
pub fn csv_line<S: AsRef<str>>(cells: impl IntoIterator<Item = S>) -> String {
    let mut line = cells.into_iter().map(|c| csv_cell(c.as_ref())).collect::<Vec<_>>().join(",");
    line.push('\n');
    line
}

/// The byte-order mark every CSV file Assure gives people begins with: without it, Excel on
/// Windows reads UTF-8 as its own code page and shows "Zoë" as "ZoÃ«".
pub const BOM: &str = "\u{FEFF}";

/// A whole CSV file to download: the byte-order mark, the header, then the rows.
pub fn csv_file<S: AsRef<str>>(header: &[S], rows: &[Vec<String>]) -> String {
    let mut out = String::from(BOM);
    out.push_str(&csv_line(header));
    for row in rows {
        out.push_str(&csv_line(row));
    }
    out
}

/// One bad cell of an uploaded table. Rows count from 1 as a spreadsheet shows them (the
/// header is row 1); columns are letters.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CellError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Row {}, column {}: {}", self.row, self.column, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_048_576_u64), "1,048,576");
        assert_eq!(thousands(-1250), "-1,250");
    }

    #[test]
    fn column_letters_go_past_z() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(16383), "XFD");
    }

    #[test]
    fn formulas_are_neutralised_in_every_csv_cell() {
        assert_eq!(csv_cell("=HYPERLINK(\"http://x\",\"click\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"");
        for risky in ["+1+2", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd", "=1"] {
            assert!(csv_cell(risky).trim_start_matches('"').starts_with('\''), "{risky:?}");
        }
        for plain in ["-3.5", "12", "-0", "Police", "", "2024-05", "a=b"] {
            assert!(!csv_cell(plain).contains('\''), "{plain:?}");
        }
        assert_eq!(csv_cell("Seen, then referred"), "\"Seen, then referred\"");
        assert_eq!(csv_line(["a", "-2", "=x"]), "a,-2,'=x\n");
        assert_eq!(csv_file(&["Zoë"], &[vec!["1".into()]]), "\u{FEFF}Zoë\n1\n");
    }

    #[test]
    fn messages_show_control_characters_escaped_and_long_text_cut() {
        assert_eq!(shown("contact\u{1b}[31mid"), "contact\\u{1b}[31mid");
        assert_eq!(shown(&"x".repeat(100)).chars().count(), 61);
        assert_eq!(shown("Zoë"), "Zoë");
    }

    #[test]
    fn pence_read_as_pounds() {
        assert_eq!(pounds(450_050), "£4,500.50");
        assert_eq!(pounds(450_000), "£4,500");
        assert_eq!(pounds(99), "£0.99");
        assert_eq!(pounds(100_000_000), "£1,000,000");
    }
}
