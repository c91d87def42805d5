//! The document engine's benchmark (a measurement, not a test): renders a 7-minute briefing, a
//! 200-row action plan and a 50-page document to PDF and DOCX, and the same models to HTML as
//! the reference (the cost of writing every byte of the content with no layout at all), and
//! prints the time per document (Typst's memory of earlier documents emptied before each, so it
//! is the cost of a new document), pages per second and the process's peak memory.
//!
//!   cargo run --release -p assure_core --example render_documents
//!
//! `scripts/bench-documents` runs it, then measures the same documents end to end over HTTP.

use std::time::{Duration, Instant};

use assure_core::documents::{Block, Cell, Document, Format, Marking, Table, render};
use chrono::NaiveDate;

fn briefing() -> Document {
    let mut doc = Document::new("7-minute briefing: Child K").marked(Marking::OfficialSensitive);
    doc.push(Block::Note("Child safeguarding practice review. Produced by Assure.".into()));
    for (n, heading) in
        ["Background", "Themes", "Learning", "Recommendations", "Questions for practitioners"].iter().enumerate()
    {
        doc.heading(2, format!("{}. {heading}", n + 1));
        doc.push(Block::Paragraph(
            "Siobhán O'Brien's family moved between three local authorities in eighteen months; each \
             agency held part of the picture and none held the whole. Information about the risk \
             from an adult in the household was shared late and in part."
                .repeat(2),
        ));
        doc.push(Block::Bullets(
            (1..=4).map(|i| format!("Point {i}: share what you know, when you know it")).collect(),
        ));
    }
    doc
}

fn plan(rows: usize) -> Document {
    let mut doc = Document::new("Consolidated Action Plan: Southend Safeguarding Partnership").landscape();
    doc.heading(2, "Child K (CSPR)");
    let mut t = Table::new(
        ["Recommendation", "Action", "Lead", "Target date", "Status", "RAG", "Overdue", "Evidence"],
        &[4, 8, 4, 3, 3, 2, 2, 2],
    );
    let day = NaiveDate::from_ymd_opt(2027, 3, 31).expect("a date");
    for n in 0..rows {
        t.row([
            Cell::from(format!("{}. Agencies share information about risk at the point of transfer", n % 9 + 1)),
            Cell::from("Review the transfer-in protocol with every partner and audit its use after six months"),
            Cell::from("Essex Police"),
            Cell::day(day),
            Cell::from("In progress"),
            Cell::from("Amber"),
            Cell::from(if n % 7 == 0 { "Overdue" } else { "" }),
            Cell::from("2 (1 assured)"),
        ]);
    }
    doc.table(t);
    doc
}

fn long(sections: usize) -> Document {
    let mut doc = Document::new("Annual report 2025-26").marked(Marking::Official);
    for n in 0..sections {
        doc.heading(2, format!("Section {}", n + 1));
        for _ in 0..5 {
            doc.push(Block::Paragraph(
                "The partnership's priorities this year were neglect, exploitation and the transition \
                 to adulthood. This section sets out what was done, what changed for children and \
                 families, and where there has been little or no progress. "
                    .repeat(3),
            ));
        }
        let mut t = Table::new(["Measure", "2024-25", "2025-26"], &[4, 1, 1]);
        for m in 0..6 {
            t.row([Cell::from(format!("Measure {m}")), Cell::integer(1_000 + m), Cell::Number(45.25, 1)]);
        }
        doc.table(t);
    }
    doc
}

fn peak_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM")).map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_owned())
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or("?".into(), |kb| format!("{:.0}", kb / 1024.0))
}

/// The PDF's pages as poppler's `pdfinfo` counts them.
fn pages(pdf: &[u8]) -> usize {
    let path = std::env::temp_dir().join(format!("assure-bench-{}.pdf", std::process::id()));
    std::fs::write(&path, pdf).expect("written");
    let info = std::process::Command::new("pdfinfo").arg(&path).output().map(|o| o.stdout).unwrap_or_default();
    let _ = std::fs::remove_file(&path);
    String::from_utf8_lossy(&info)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    let rounds: u32 = std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(5);
    println!("document engine, {rounds} rounds each after one warm-up; HTML (no layout) is the reference");
    println!(
        "{:<28} {:>6} {:>10} {:>10} {:>10} {:>10} {:>8}",
        "document", "pages", "pdf_ms", "docx_ms", "html_ms", "pdf/html", "pages/s"
    );
    for (name, doc) in
        [("7-minute briefing", briefing()), ("action plan, 200 rows", plan(200)), ("50-page document", long(56))]
    {
        // Typst keeps what it computed between documents; a benchmark that rendered the same
        // document again would measure that memory. Each round starts with it emptied.
        let time = |format: Format| -> (Duration, Vec<u8>) {
            let mut out = render(&doc, format).expect("rendered");
            let mut spent = Duration::ZERO;
            for _ in 0..rounds {
                typst::comemo::evict(0);
                let started = Instant::now();
                out = render(&doc, format).expect("rendered");
                spent += started.elapsed();
            }
            (spent / rounds, out)
        };
        let (pdf, bytes) = time(Format::Pdf);
        let (docx, _) = time(Format::Docx);
        let (html, _) = time(Format::Html);
        let n = pages(&bytes);
        println!(
            "{:<28} {:>6} {:>10.1} {:>10.2} {:>10.3} {:>10.0} {:>8.0}",
            name,
            n,
            pdf.as_secs_f64() * 1e3,
            docx.as_secs_f64() * 1e3,
            html.as_secs_f64() * 1e3,
            pdf.as_secs_f64() / html.as_secs_f64().max(1e-9),
            n as f64 / pdf.as_secs_f64(),
        );
    }
    println!("peak memory: {} MB", peak_mb());
}
