//! What may be uploaded as evidence or as an audit answer's file: documents, images,
//! spreadsheets and text, each checked by its content as well as its name, so that a program
//! renamed `report.pdf` is refused as surely as `setup.exe`.

/// A kind of file Assure keeps, by what its content starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    Pdf,
    /// Office Open XML and OpenDocument files are zip packages.
    Zip,
    /// Word 97–2003, Excel 97–2003 and PowerPoint 97–2003 files.
    Compound,
    Rtf,
    Png,
    Jpeg,
    Gif,
    Text,
}

/// The extensions accepted, with the content each must have.
const ACCEPTED: &[(&str, Content)] = &[
    ("pdf", Content::Pdf),
    ("docx", Content::Zip),
    ("xlsx", Content::Zip),
    ("pptx", Content::Zip),
    ("odt", Content::Zip),
    ("ods", Content::Zip),
    ("odp", Content::Zip),
    ("doc", Content::Compound),
    ("xls", Content::Compound),
    ("ppt", Content::Compound),
    ("rtf", Content::Rtf),
    ("png", Content::Png),
    ("jpg", Content::Jpeg),
    ("jpeg", Content::Jpeg),
    ("gif", Content::Gif),
    ("txt", Content::Text),
    ("csv", Content::Text),
    ("md", Content::Text),
];

/// What the refusal lists as accepted.
pub const ACCEPTED_TYPES: &str = "PDF, Word, Excel, PowerPoint, OpenDocument, RTF, PNG, JPEG, GIF, CSV or text";

/// How much of a text file is looked at for binary content.
const TEXT_SAMPLE: usize = 64 * 1024;

impl Content {
    fn of(bytes: &[u8]) -> Option<Content> {
        let starts = |magic: &[u8]| bytes.starts_with(magic);
        Some(if starts(b"%PDF-") {
            Content::Pdf
        } else if starts(b"PK\x03\x04") {
            Content::Zip
        } else if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            Content::Compound
        } else if starts(b"{\\rtf") {
            Content::Rtf
        } else if starts(b"\x89PNG\r\n\x1a\n") {
            Content::Png
        } else if starts(&[0xFF, 0xD8, 0xFF]) {
            Content::Jpeg
        } else if starts(b"GIF87a") || starts(b"GIF89a") {
            Content::Gif
        } else if is_text(bytes) {
            Content::Text
        } else {
            return None;
        })
    }

    fn what(self) -> &'static str {
        match self {
            Content::Pdf => "a PDF",
            Content::Zip => "a Word, Excel, PowerPoint or OpenDocument file",
            Content::Compound => "an older Word, Excel or PowerPoint file",
            Content::Rtf => "an RTF document",
            Content::Png => "a PNG image",
            Content::Jpeg => "a JPEG image",
            Content::Gif => "a GIF image",
            Content::Text => "text",
        }
    }
}

/// Text: no NUL bytes or other control characters than tab, line breaks and form feed in its
/// first 64 KB (UTF-8 or a single-byte encoding such as Windows-1252), and not a program.
fn is_text(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(TEXT_SAMPLE)];
    !bytes.starts_with(b"MZ")
        && !bytes.starts_with(b"\x7fELF")
        && !bytes.starts_with(b"#!")
        && sample.iter().all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
}

/// Checks an uploaded file's name and content; the message names the file and says what to do.
pub fn check_upload(name: &str, bytes: &[u8]) -> Result<(), String> {
    let extension = name.rsplit_once('.').map(|(_, e)| e.trim().to_ascii_lowercase()).unwrap_or_default();
    let Some((_, expected)) = ACCEPTED.iter().find(|(e, _)| *e == extension) else {
        return Err(format!(
            "The file {name} is not a document, image, spreadsheet or text file: attach {ACCEPTED_TYPES}"
        ));
    };
    match Content::of(bytes) {
        Some(found) if found == *expected => Ok(()),
        _ => Err(format!("The file {name} is not what its name says: its content is not {}", expected.what())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_images_spreadsheets_and_text_pass_by_name_and_content() {
        assert_eq!(check_upload("report.pdf", b"%PDF-1.7\n..."), Ok(()));
        assert_eq!(check_upload("Plan.DOCX", b"PK\x03\x04rest"), Ok(()));
        assert_eq!(check_upload("old.xls", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]), Ok(()));
        assert_eq!(check_upload("photo.jpeg", &[0xFF, 0xD8, 0xFF, 0xE0]), Ok(()));
        assert_eq!(check_upload("notes.txt", "Zoë's notes\r\n\tindented".as_bytes()), Ok(()));
        assert_eq!(check_upload("figures.csv", b"\xEF\xBB\xBFa,b\n1,2\n"), Ok(()));
        assert_eq!(check_upload("latin1.csv", b"Zo\xEB,1\n"), Ok(()), "a single-byte encoding is text");
    }

    #[test]
    fn programs_and_files_whose_content_belies_their_name_are_refused() {
        let exe = b"MZ\x90\x00\x03\x00\x00\x00";
        assert!(check_upload("setup.exe", exe).unwrap_err().starts_with("The file setup.exe is not a document"));
        assert_eq!(
            check_upload("report.pdf", exe),
            Err("The file report.pdf is not what its name says: its content is not a PDF".into())
        );
        assert!(check_upload("notes.txt", b"MZ plain").is_err(), "a program's header is not text");
        assert!(check_upload("data.csv", b"a,b\x00c").is_err());
        assert!(check_upload("page.html", b"<p>x</p>").is_err());
        assert!(check_upload("no-extension", b"text").is_err());
        assert!(check_upload("image.png", b"GIF89a").is_err());
    }
}
