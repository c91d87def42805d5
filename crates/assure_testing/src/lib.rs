//! Test support: each test gets its own, freshly migrated database.
//!
//! `ASSURE_TEST_POSTGRES_URL` names a PostgreSQL server (the test script starts one on
//! loopback); each PostgreSQL test database is created on it and dropped afterwards. Without it
//! the PostgreSQL half of a contract test fails and says how to run it, rather than passing
//! without having run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod hostile;

use assure_store::{Backend, Store};
use rand::Rng;

pub const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

/// Limits generous enough for any workbook Assure writes, to read a download back in a test.
const DOWNLOAD: assure_core::tables::Limits = assure_core::tables::Limits {
    what: "a download",
    max_bytes: 256 * 1024 * 1024,
    max_rows: 1_048_576,
    max_columns: 16_384,
    max_cells: 50_000_000,
    max_sheets: 1_000,
    max_unzipped: 1024 * 1024 * 1024,
};

/// Every sheet of a workbook Assure wrote, by name, as rows of text.
pub fn workbook_sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    assure_core::tables::read_sheets(bytes, &DOWNLOAD).unwrap()
}

/// Every part of a workbook (or any zip) as text, by name, to look inside what Assure wrote.
pub fn workbook_parts(bytes: &[u8]) -> Vec<(String, String)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut part = zip.by_index(i).unwrap();
            let mut text = String::new();
            let _ = part.read_to_string(&mut text);
            (part.name().unwrap().to_string(), text)
        })
        .collect()
}

/// The first sheet of a workbook Assure wrote.
pub fn workbook_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    workbook_sheets(bytes).swap_remove(0).1
}

/// A PDF's text as poppler's `pdftotext` extracts it (a tool independent of the engine that
/// wrote the PDF), with its `pdfinfo` report ("Key: value" a line, single spaces): what a
/// reader and a screen reader get.
pub fn pdf_text(bytes: &[u8]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, bytes).unwrap();
    let run = |tool: &str, args: &[&std::ffi::OsStr]| {
        let out = std::process::Command::new(tool)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{tool} must be installed (poppler-utils; scripts/test installs it): {e}"));
        assert!(out.status.success(), "{tool}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run("pdftotext", &["-enc".as_ref(), "UTF-8".as_ref(), path.as_os_str(), "-".as_ref()]);
    let info = run("pdfinfo", &[path.as_os_str()]);
    let info = info.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n");
    (text, info)
}

/// A Word file's text as LibreOffice lays it out (a reader independent of the writer): the file
/// converted to PDF by `soffice --headless`, with its own profile so that tests can convert at
/// once, and the PDF's text and `pdfinfo` report as [`pdf_text`] gives them. Charts come out as
/// LibreOffice draws them, so their axis labels and legend are in the text.
pub fn word_text(bytes: &[u8]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.docx");
    std::fs::write(&path, bytes).unwrap();
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("profile").display());
    let out = std::process::Command::new("soffice")
        .arg(&profile)
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&path)
        .output()
        .unwrap_or_else(|e| {
            panic!("soffice must be installed (libreoffice-writer-nogui; scripts/test installs it): {e}")
        });
    let pdf = std::fs::read(dir.path().join("document.pdf")).unwrap_or_else(|_| {
        panic!("LibreOffice could not open the Word file: {}", String::from_utf8_lossy(&out.stderr))
    });
    pdf_text(&pdf)
}

/// A PDF's objects as `qpdf --qdf` writes them out (uncompressed, one object after another), to
/// look at its structure tree: `/S /Figure`, `/Alt (...)`, `/Lang`.
pub fn pdf_objects(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let (from, to) = (dir.path().join("in.pdf"), dir.path().join("out.pdf"));
    std::fs::write(&from, bytes).unwrap();
    let out = std::process::Command::new("qpdf")
        .arg("--qdf")
        .arg("--object-streams=disable")
        .arg(&from)
        .arg(&to)
        .output()
        .unwrap_or_else(|e| panic!("qpdf must be installed (scripts/test installs it): {e}"));
    assert!(out.status.success(), "qpdf: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&std::fs::read(&to).unwrap()).into_owned()
}

pub struct TestDb {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    drop_pg: Option<(String, String)>,
}

fn postgres_server() -> String {
    std::env::var("ASSURE_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!(
            "ASSURE_TEST_POSTGRES_URL is not set: run the whole suite with `scripts/test`, which starts a \
             PostgreSQL server on loopback, or set it to a server you may create databases on"
        )
    })
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("assure.sqlite3").display());
                let store = Store::connect(&url).await.unwrap();
                store.migrate().await.unwrap();
                TestDb { store, url, _dir: Some(dir), drop_pg: None }
            }
            Backend::Postgres => {
                let server = postgres_server();
                let name = format!("assure_test_{:016x}", rand::thread_rng().r#gen::<u64>());
                let admin = Store::connect(&server).await.unwrap();
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(admin.pool()).await.unwrap();
                admin.close().await;
                let base = server.rsplit_once('/').map(|(b, _)| b).unwrap_or(&server);
                let url = format!("{base}/{name}");
                let store = Store::connect(&url).await.unwrap();
                store.migrate().await.unwrap();
                TestDb { store, url, _dir: None, drop_pg: Some((server, name)) }
            }
        }
    }

    /// Closes the pool and drops a PostgreSQL database (SQLite files go with the temp dir).
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((server, name)) = &self.drop_pg {
            let admin = Store::connect(server).await.unwrap();
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(admin.pool()).await.unwrap();
            admin.close().await;
        }
    }
}
