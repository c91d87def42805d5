//! The `assure` binary, run as an operator would run it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use assure_store::Backend;
use assure_testing::TestDb;

mod demo_console;

const PASSWORD: &str = "correct horse battery";

fn assure(url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_assure"))
        .args(args)
        .env("ASSURE_DATABASE_URL", url)
        .env("ASSURE_DEMO_PASSWORD", PASSWORD)
        .env_remove("ASSURE_CONFIG")
        .env_remove("ASSURE_LISTEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn err(out: &Output) -> String {
    assert!(!out.status.success(), "should have failed: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn config_print_shows_the_effective_values_with_secrets_redacted() {
    let out = ok(&assure(
        "postgres://assure:hunter2@127.0.0.1:1/db",
        &["config", "print", "--listen", "127.0.0.1:9999"],
        None,
    ));
    assert!(out.contains("database_url = \"postgres://assure:[redacted]@127.0.0.1:1/db\""), "{out}");
    assert!(out.contains("listen = \"127.0.0.1:9999\""));
    assert!(!out.contains("hunter2"));
    let e = err(&assure("mysql://x/y", &["config", "print"], None));
    assert!(e.contains("the scheme \"mysql\" is not supported"), "{e}");
    let e = err(&assure("sqlite://x", &["config", "print", "--secure-cookies", "sometimes"], None));
    assert!(e.contains("\"sometimes\" is not true or false"), "{e}");
}

async fn operator_commands(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.clone();
    let out = ok(&assure(&url, &["demo", "--no-serve"], None));
    // Text logs written anywhere but a terminal (here a pipe) carry no colour codes.
    let logged = Command::new(env!("CARGO_BIN_EXE_assure"))
        .args(["partnership", "list"])
        .env("ASSURE_DATABASE_URL", &url)
        .env("ASSURE_LOG", "debug")
        .env("ASSURE_LOG_FORMAT", "text")
        .env_remove("ASSURE_CONFIG")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let logs = String::from_utf8_lossy(&logged.stderr);
    assert!(logs.lines().count() > 0, "debug logs expected");
    assert!(!logs.contains('\u{1b}'), "no escape codes: {logs}");
    assert!(out.contains("admin@example.org") && out.contains("police.lead@example.org"), "{out}");

    let partnerships = ok(&assure(&url, &["partnership", "list"], None));
    assert_eq!(
        partnerships.lines().map(|l| l.split('\t').next().unwrap()).collect::<Vec<_>>(),
        vec!["essex", "southend", "thurrock"]
    );
    ok(&assure(&url, &["partnership", "add", "--slug", "basildon", "--name", "Basildon Test Partnership"], None));
    assert!(err(&assure(&url, &["partnership", "add", "--slug", "Bad Slug", "--name", "x"], None)).contains("--slug"));

    let added = ok(&assure(
        &url,
        &[
            "user",
            "add",
            "--email",
            "new.analyst@example.org",
            "--name",
            "New Analyst",
            "--role",
            "viewer",
            "--partnership",
            "basildon",
            "--password-stdin",
        ],
        Some("lighthouse pebble orchard\n"),
    ));
    assert!(added.contains("Created new.analyst@example.org") && !added.contains("Temporary password"));
    let weak = err(&assure(
        &url,
        &[
            "user",
            "add",
            "--email",
            "weak@example.org",
            "--name",
            "Weak",
            "--role",
            "viewer",
            "--partnership",
            "basildon",
            "--password-stdin",
        ],
        Some("password"),
    ));
    assert!(weak.contains("password: Password must be 12 characters or more"), "{weak}");
    let generated = ok(&assure(
        &url,
        &[
            "user",
            "add",
            "--email",
            "temp@example.org",
            "--name",
            "Temp",
            "--role",
            "viewer",
            "--partnership",
            "basildon",
        ],
        None,
    ));
    assert!(generated.contains("Temporary password: "));
    let list = ok(&assure(&url, &["user", "list", "--partnership", "basildon"], None));
    assert!(list.contains("new.analyst@example.org\tNew Analyst\tactive"), "{list}");
    ok(&assure(
        &url,
        &["user", "grant", "new.analyst@example.org", "--role", "scrutineer", "--partnership", "southend"],
        None,
    ));
    ok(&assure(&url, &["user", "disable", "new.analyst@example.org"], None));
    assert!(
        ok(&assure(&url, &["user", "list", "--partnership", "basildon"], None))
            .contains("new.analyst@example.org\tNew Analyst\tdisabled")
    );
    ok(&assure(&url, &["user", "enable", "new.analyst@example.org"], None));
    let reset = ok(&assure(&url, &["user", "reset-password", "new.analyst@example.org"], None));
    assert!(reset.contains("Temporary password: "));
    assert!(err(&assure(&url, &["user", "disable", "nobody@example.org"], None)).contains("no account"));

    // token create prints the token alone on its last line; it then authenticates.
    let out = ok(&assure(&url, &["token", "create", "--user", "police.lead@example.org"], None));
    let token = out.lines().last().unwrap().to_owned();
    assert!(token.starts_with("assure_") && !token.contains(' '), "{token}");
    let core = assure_core::Core::new(db.store.clone(), assure_core::Settings::default());
    let who = core.api_token(&token).await.unwrap().expect("the printed token works");
    assert_eq!(who.user.email, "police.lead@example.org");

    // Every CLI change is in the audit log as the operator.
    let mut conn = db.store.read().await.unwrap();
    let (entries, _) = assure_store::audit_log::list(
        &mut conn,
        &assure_store::audit_log::Filter {
            actor: Some("cli".into()),
            action: Some("disable".into()),
            limit: 10,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(entries.len(), 1);
    drop(conn);

    let verified = ok(&assure(&url, &["audit", "verify"], None));
    assert!(verified.starts_with("The audit log is intact"), "{verified}");
    // Someone with database access edits an entry: verify exits non-zero and says which.
    match backend {
        Backend::Sqlite => {
            sqlx::query("DROP TRIGGER audit_log_no_update").execute(db.store.pool()).await.unwrap();
        }
        Backend::Postgres => {
            sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
                .execute(db.store.pool())
                .await
                .unwrap();
        }
    }
    sqlx::query("UPDATE audit_log SET detail = '{}' WHERE seq = 7").execute(db.store.pool()).await.unwrap();
    let tampered = err(&assure(&url, &["audit", "verify"], None));
    assert!(tampered.contains("the audit log has been tampered with: entry 7 has been altered"), "{tampered}");
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn operator_commands_on_sqlite() {
    operator_commands(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn operator_commands_on_postgres() {
    operator_commands(Backend::Postgres).await;
}

/// Equal tables, reported by the first row that differs rather than by printing both.
fn same_rows(table: &str, expected: &[Vec<serde_json::Value>], got: &[Vec<serde_json::Value>]) {
    assert_eq!(expected.len(), got.len(), "{table}: row count");
    if let Some((i, (a, b))) = expected.iter().zip(got).enumerate().find(|(_, (a, b))| a != b) {
        panic!("{table} row {i} differs:\n  expected {a:?}\n  got      {b:?}");
    }
}

async fn backup_and_restore_round_trip(backend: Backend) {
    let db = TestDb::new(backend).await;
    ok(&assure(&db.url, &["demo", "--no-serve"], None));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("assure.backup");
    let file_arg = file.to_str().unwrap();
    ok(&assure(&db.url, &["backup", file_arg], None));
    assert!(err(&assure(&db.url, &["backup", file_arg], None)).contains("already exists"));
    let before = assure_store::backup::snapshot(&db.store).await.unwrap();

    // Restore into a fresh database, of each kind.
    for target in assure_testing::BACKENDS {
        let fresh = TestDb::new(target).await;
        // An empty database needs no confirmation.
        let out = ok(&assure(&fresh.url, &["restore", file_arg], None));
        assert!(out.contains("intact"), "{out}");
        let after = assure_store::backup::snapshot(&fresh.store).await.unwrap();
        for ((table, rows), (_, restored)) in before.tables.iter().zip(&after.tables) {
            match table.as_str() {
                // The restore itself is recorded: one more entry after everything that was there.
                "audit_log" => {
                    assert_eq!(restored.len(), rows.len() + 1);
                    same_rows(table, &rows[..], &restored[..rows.len()]);
                }
                "audit_head" => {}
                _ => same_rows(table, rows, restored),
            }
        }
        fresh.finish().await;
    }
    // Over existing data, restore asks for --yes and changes nothing without it.
    assert!(err(&assure(&db.url, &["restore", file_arg], None)).contains("--yes"));
    let garbage = dir.path().join("not-a-backup");
    std::fs::write(&garbage, "hello, this is not a backup at all").unwrap();
    assert!(
        err(&assure(&db.url, &["restore", garbage.to_str().unwrap(), "--yes"], None)).contains("not an Assure backup")
    );
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn backup_and_restore_round_trip_from_sqlite() {
    backup_and_restore_round_trip(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn backup_and_restore_round_trip_from_postgres() {
    backup_and_restore_round_trip(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_calendar_commands_count_working_days_and_take_added_days() {
    let db = TestDb::new(Backend::Sqlite).await;
    let url = db.url.clone();
    ok(&assure(&url, &["demo", "--no-serve"], None));
    // Friday 20 December 2024: five working days skip Christmas, Boxing Day and the weekend.
    assert_eq!(ok(&assure(&url, &["calendar", "add-working-days", "2024-12-20", "5"], None)), "2024-12-31\n");
    assert_eq!(ok(&assure(&url, &["calendar", "add-working-days", "2024-03-28", "15"], None)), "2024-04-22\n");
    assert_eq!(ok(&assure(&url, &["calendar", "working-days-between", "2024-12-20", "2024-12-31"], None)), "5\n");
    assert_eq!(ok(&assure(&url, &["calendar", "working-days-between", "2022-12-23", "2023-01-03"], None)), "4\n");
    let holidays = ok(&assure(&url, &["calendar", "holidays", "2022"], None));
    assert!(holidays.contains("2022-09-19\tBank holiday for the State Funeral of Queen Elizabeth II"), "{holidays}");
    assert!(
        err(&assure(&url, &["calendar", "add-working-days", "2024-02-30", "5"], None))
            .contains("DATE: The date must be a real date")
    );
    assert!(
        err(&assure(&url, &["calendar", "add-working-days", "2024-02-01", "-1"], None))
            .contains("N: \"-1\" is not a whole number")
    );
    // A proclaimed extra day moves every deadline over it.
    ok(&assure(&url, &["calendar", "close-day", "2030-06-14", "--name", "Proclaimed bank holiday"], None));
    assert_eq!(ok(&assure(&url, &["calendar", "add-working-days", "2030-06-13", "1"], None)), "2030-06-17\n");
    assert!(
        ok(&assure(&url, &["calendar", "holidays", "2030"], None))
            .contains("2030-06-14\tProclaimed bank holiday (added)")
    );
    assert!(
        err(&assure(&url, &["calendar", "close-day", "2030-06-15", "--name", "A Saturday"], None))
            .contains("already a weekend day")
    );
    ok(&assure(&url, &["calendar", "reopen-day", "2030-06-14"], None));
    assert_eq!(ok(&assure(&url, &["calendar", "add-working-days", "2030-06-13", "1"], None)), "2030-06-14\n");
    db.finish().await;
}

#[test]
fn extract_aggregate_writes_the_three_tables_and_names_a_bad_cell() {
    let dir = tempfile::tempdir().unwrap();
    let extract = dir.path().join("contacts.csv");
    std::fs::write(
        &extract,
        "contact_id,person_id,contact_date,source,outcome,age_band,lsoa11cd\n\
         C1,P00000001,2023-04-03,police,referral,5_9,E01033768\n\
         C2,P00000001,2024-02-29,school,referral,5_9,E01033768\n\
         C3,P00000002,2024-03-01,police,early_help,1_4,X\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    // No database is needed: the URL is never opened.
    let done = ok(&assure(
        "sqlite://unused",
        &["extract", "aggregate", extract.to_str().unwrap(), "--out", out.to_str().unwrap()],
        None,
    ));
    assert!(done.starts_with("Aggregated 3 rows into"), "{done}");
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    assert_eq!(
        read("monthly.csv"),
        "month,source,contacts,referrals,persons\n2023-04,police,1,1,1\n2024-02,school,1,1,1\n2024-03,police,1,0,1\n"
    );
    assert_eq!(read("imd.csv"), "financial_year,imd_decile,contacts,referrals\n2023-24,0,1,0\n2023-24,1,2,2\n");
    assert_eq!(read("rereferrals.csv"), "financial_year,referrals,rereferrals\n2023-24,2,1\n");
    std::fs::write(
        &extract,
        "contact_id,person_id,contact_date,source,outcome,age_band,lsoa11cd\nC1,P1,29/02/2024,police,referral,5_9,\n",
    )
    .unwrap();
    let e = err(&assure(
        "sqlite://unused",
        &["extract", "aggregate", extract.to_str().unwrap(), "--out", out.to_str().unwrap()],
        None,
    ));
    assert!(e.contains("Row 2, column C (contact_date): '29/02/2024' is not a date"), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn frameworks_are_listed_imported_as_new_versions_and_exported() {
    let db = TestDb::new(Backend::Sqlite).await;
    let url = db.url.clone();
    let list = ok(&assure(&url, &["framework", "list"], None));
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 3, "the shipped frameworks: {list}");
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with("\tsection11\t2025.1\tSection 11 self-assessment (Children Act 2004)\tshared")),
        "{list}"
    );
    let s11 = lines.iter().find(|l| l.contains("\tsection11\t")).unwrap().split('\t').next().unwrap().to_owned();
    // Export, change the version, import: a new version beside the old.
    let text = ok(&assure(&url, &["framework", "export", &s11], None));
    assert!(text.contains("code: section11"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s11.yaml");
    std::fs::write(&file, text.replace("version: \"2025.1\"", "version: \"2027.1\"")).unwrap();
    let out = ok(&assure(&url, &["framework", "import", file.to_str().unwrap()], None));
    assert!(out.starts_with("Imported framework") && out.contains("section11 version 2027.1"), "{out}");
    assert_eq!(ok(&assure(&url, &["framework", "list"], None)).lines().count(), 4);
    // The same version again, and a broken file: refused with the line, nothing added.
    let again = err(&assure(&url, &["framework", "import", file.to_str().unwrap()], None));
    assert!(again.contains("s11.yaml line 1: version 2027.1 of 'section11' is already imported"), "{again}");
    std::fs::write(
        &file,
        text.replace("version: \"2025.1\"", "version: \"2028.1\"")
            .replace(
                "    parent: \"8\"\n    type: question\n    title: The policy",
                "    parent: \"9\"\n    type: question\n    title: The policy",
            )
            .replace("    target: 4\n  - id: \"1.2\"", "    target: 5\n  - id: \"1.2\""),
    )
    .unwrap();
    let broken = err(&assure(&url, &["framework", "import", file.to_str().unwrap()], None));
    assert!(broken.contains("line 24: the score 5 is not on the scheme (1, 2, 3, 4)"), "{broken}");
    assert!(broken.contains("line 125: the parent '9' is not an item above this one"), "{broken}");
    assert_eq!(ok(&assure(&url, &["framework", "list"], None)).lines().count(), 4);
    assert!(err(&assure(&url, &["framework", "export", "999"], None)).contains("not found"));
    // As a workbook: written, edited, imported as a new version.
    let book = dir.path().join("s11.xlsx");
    let out = ok(&assure(&url, &["framework", "export", &s11, "--xlsx", book.to_str().unwrap()], None));
    assert!(out.starts_with("Wrote framework"), "{out}");
    assert!(
        err(&assure(&url, &["framework", "export", &s11, "--xlsx", book.to_str().unwrap()], None)).contains("creating")
    );
    let mut f = assure_core::audits::frameworks::workbook::read(&std::fs::read(&book).unwrap()).unwrap();
    f.version = "2029.1".into();
    std::fs::write(&book, assure_core::audits::frameworks::workbook::write(&f).unwrap()).unwrap();
    let out = ok(&assure(&url, &["framework", "import", book.to_str().unwrap()], None));
    assert!(out.contains("section11 version 2029.1"), "{out}");
    assert_eq!(ok(&assure(&url, &["framework", "list"], None)).lines().count(), 5);
    // A partnership's own: the same version beside the shared one, under the partnership's name.
    ok(&assure(&url, &["partnership", "add", "--slug", "basildon", "--name", "Basildon Test Partnership"], None));
    let args = ["framework", "import", book.to_str().unwrap(), "--partnership", "basildon"];
    let out = err(&assure(&url, &args, None));
    assert!(out.contains("version 2029.1 of 'section11' is shared by every partnership already"), "{out}");
    f.version = "2030.1".into();
    std::fs::write(&book, assure_core::audits::frameworks::workbook::write(&f).unwrap()).unwrap();
    assert!(ok(&assure(&url, &args, None)).contains("section11 version 2030.1"));
    let list = ok(&assure(&url, &["framework", "list"], None));
    assert!(list.lines().any(|l| l.contains("\tsection11\t2030.1\t") && l.ends_with("\tbasildon")), "{list}");
    let args = ["framework", "import", book.to_str().unwrap(), "--partnership", "nowhere"];
    assert!(err(&assure(&url, &args, None)).contains("no partnership with the short name \"nowhere\""));
    db.finish().await;
}

/// Every file command against the hostile-files corpus: refused with a message on standard
/// error that carries no raw control character (nothing a terminal would act on), no panic,
/// and nothing written.
#[tokio::test]
async fn file_commands_refuse_hostile_files_clearly_and_write_nothing() {
    let db = TestDb::new(Backend::Sqlite).await;
    // Opening the database loads the shipped frameworks once.
    ok(&assure(&db.url, &["framework", "list"], None));
    // A partnership for attendance grids, whose body the grid would add.
    ok(&assure(&db.url, &["partnership", "add", "--slug", "basildon", "--name", "Basildon Test Partnership"], None));
    let before = assure_store::backup::snapshot(&db.store).await.unwrap().tables;
    let dir = tempfile::tempdir().unwrap();
    for file in assure_testing::hostile::corpus() {
        let path = dir.path().join(file.name);
        std::fs::write(&path, &file.bytes).unwrap();
        let out = dir.path().join(format!("{}-out", file.name));
        for args in [
            vec!["import", path.to_str().unwrap()],
            vec!["framework", "import", path.to_str().unwrap()],
            vec!["extract", "aggregate", path.to_str().unwrap(), "--out", out.to_str().unwrap()],
            vec![
                "attendance",
                "import",
                path.to_str().unwrap(),
                "--partnership",
                "basildon",
                "--body",
                "Grid Board",
                "--create-body",
            ],
        ] {
            let said = err(&assure(&db.url, &args, None));
            assert!(!said.contains("panicked"), "{} {args:?}: {said}", file.name);
            assert!(said.starts_with("error: "), "{} {args:?}: {said}", file.name);
            assert!(
                said.chars().all(|c| !c.is_control() || c == '\n'),
                "{} {args:?} echoed a control character: {said:?}",
                file.name
            );
        }
    }
    // A header that is all escape sequences is quoted back harmlessly.
    let path = dir.path().join("escapes.csv");
    std::fs::write(&path, "\u{1b}[2J\u{1b}[31mcontact_id,person_id\n").unwrap();
    let said = err(&assure(
        &db.url,
        &["extract", "aggregate", path.to_str().unwrap(), "--out", dir.path().join("x").to_str().unwrap()],
        None,
    ));
    assert!(said.contains("\\u{1b}[2J"), "{said:?}");
    let after = assure_store::backup::snapshot(&db.store).await.unwrap().tables;
    let data = |t: &Vec<(String, Vec<Vec<serde_json::Value>>)>| {
        t.iter()
            .filter(|(n, _)| n != "audit_log" && n != "audit_head")
            .map(|(n, r)| (n.clone(), r.len()))
            .collect::<Vec<_>>()
    };
    assert_eq!(data(&after), data(&before));
    db.finish().await;
}

/// `assure demo --scale N` adds N generated reviews, each with a recommendation and ten actions.
#[tokio::test(flavor = "multi_thread")]
async fn the_demo_scales_for_measuring() {
    let db = TestDb::new(Backend::Sqlite).await;
    let url = db.url.clone();
    let out = ok(&assure(&url, &["demo", "--no-serve", "--scale", "2"], None));
    assert!(out.contains("Added 2 case reviews"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.xlsx");
    ok(&assure(&url, &["plan", "export", "--partnership", "southend", file.to_str().unwrap()], None));
    let rows = assure_testing::workbook_rows(&std::fs::read(&file).unwrap());
    let generated = rows.iter().filter(|r| r.iter().any(|c| c.starts_with("Generated action"))).count();
    assert_eq!(generated, 20, "ten actions for each of the two reviews");
    db.finish().await;
}
