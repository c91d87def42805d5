//! Documents Assure produces for people to file, print and send: one simple model of headings,
//! paragraphs, lists and tables, written out as Word (DOCX) or PDF, and spreadsheets (XLSX).
//!
//! The writers are small and self-contained on purpose: a briefing or a chronology needs
//! headings, text and tables, not a layout engine.

pub mod docx;
pub mod pdf;
pub mod xlsx;

/// A block of a document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1 is the title; 2 and 3 are section headings.
    Heading(u8, String),
    Paragraph(String),
    /// Small grey text: the document's provenance, "restricted" notices.
    Note(String),
    Bullets(Vec<String>),
    /// A table whose first row is its header, with each column's share of the width.
    Table {
        widths: Vec<u32>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub landscape: bool,
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn new(title: impl Into<String>) -> Document {
        let title = title.into();
        Document { blocks: vec![Block::Heading(1, title.clone())], title, landscape: false }
    }

    pub fn landscape(mut self) -> Document {
        self.landscape = true;
        self
    }

    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    pub fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.push(Block::Heading(level, text.into()));
    }

    /// A paragraph per line of `text` that is not blank.
    pub fn text(&mut self, text: &str) {
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            self.push(Block::Paragraph(line.to_owned()));
        }
    }
}
