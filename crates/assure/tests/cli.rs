//! The `assure` binary, run as an operator would run it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use assure_store::Backend;
use assure_testing::TestDb;

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

#[tokio::test(flavor = "multi_thread")]
async fn the_console_exports_the_plan_and_reports_attendance() {
    let db = TestDb::new(Backend::Sqlite).await;
    let url = db.url.clone();
    ok(&assure(&url, &["demo", "--no-serve"], None));
    // A body's attendance, one CSV row per meeting held, without the byte-order mark the page's
    // download carries for Excel.
    let args = ["attendance", "report", "--partnership", "southend", "--body", "ssp children's board (sspc)"];
    let mut args: Vec<&str> = args.to_vec();
    args.extend(["--from", "2022-04-01", "--to", "2023-03-31", "--format", "csv"]);
    let report = ok(&assure(&url, &args, None));
    assert_eq!(
        report.lines().collect::<Vec<_>>(),
        [
            "date,seats,represented,present,deputies,apologies,absent,not_recorded,represented_percent,quorate",
            "2022-06-14,8,7,6,1,2,0,0,87.5,yes",
            "2022-09-13,8,7,6,1,0,1,0,87.5,yes",
            "2022-12-13,8,6,5,1,2,1,0,75.0,no",
            "2023-03-14,8,7,7,0,0,1,0,87.5,yes",
        ]
    );
    // A grid kept before Assure, as a workbook: refused whole (and no body added) while a cell
    // does not read; imported, with the historic body added, once it does.
    let dir = tempfile::tempdir().unwrap();
    let csv =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../assure_web/tests/data/attendance_grid.csv"))
            .unwrap();
    let grid = |maybe: &str| -> std::path::PathBuf {
        let text = csv.replace("maybe", maybe);
        let limits = assure_core::tables::Limits::ATTENDANCE;
        let rows = assure_core::tables::read_csv(text.as_bytes(), &limits).unwrap();
        let header: Vec<&str> = rows[0].iter().map(String::as_str).collect();
        let book = assure_core::documents::xlsx::text_workbook("Attendance", &header, &rows[1..]).unwrap();
        let path = dir.path().join(format!("grid-{maybe}.xlsx"));
        std::fs::write(&path, book).unwrap();
        path
    };
    let bad = grid("maybe");
    let body = "Southend LSCB (fictional grid)";
    let import = |path: &std::path::Path| {
        let path = path.to_str().unwrap().to_owned();
        let args: Vec<String> =
            ["attendance", "import", &path, "--partnership", "southend", "--body", body, "--create-body"]
                .iter()
                .map(|s| (*s).to_owned())
                .collect();
        args
    };
    let args = import(&bad);
    let refused = err(&assure(&url, &args.iter().map(String::as_str).collect::<Vec<_>>(), None));
    assert!(refused.contains("Row 8, column E: 'maybe' is not an attendance mark"), "{refused}");
    let report = ["attendance", "report", "--partnership", "southend", "--body", body];
    assert!(err(&assure(&url, &report, None)).contains("no body named"), "a refused grid adds no body");
    let args = import(&grid("Apologies"));
    let out = ok(&assure(&url, &args.iter().map(String::as_str).collect::<Vec<_>>(), None));
    assert!(out.contains("added the board \"Southend LSCB (fictional grid)\""), "{out}");
    assert!(out.contains("row 4: Robin Hale"), "{out}");
    assert!(
        out.contains("\"Apologies – June Tarrant attended\" = Apologies, a deputy attended: June Tarrant"),
        "{out}"
    );
    assert!(
        out.contains("imported: 4 meetings added, 7 people and 7 seats added, 19 marks, 1 others in attendance"),
        "{out}"
    );
    let lines = ok(&assure(&url, &report, None));
    assert!(lines.lines().any(|l| l.starts_with("2016-09-29,5,3,3,0,1,0,1,60.0")), "{lines}");
    let args = ["attendance", "report", "--partnership", "southend", "--body", "No Such Board"];
    assert!(err(&assure(&url, &args, None)).contains("no body named \"No Such Board\" in southend"));
    let args = ["attendance", "report", "--partnership", "southend", "--body", "SSP Executive", "--from", "1/4/22"];
    assert!(err(&assure(&url, &args, None)).contains("--from: The start of the period must be a real date"));
    let file = dir.path().join("plan.xlsx");
    let path = file.to_str().unwrap();
    let out = ok(&assure(&url, &["plan", "export", "--partnership", "southend", "--overdue", path], None));
    assert!(out.starts_with("Wrote the action plan to"), "{out}");
    let rows = assure_testing::workbook_rows(&std::fs::read(&file).unwrap());
    assert_eq!(rows.len(), 4, "a header and the demo's three overdue actions");
    assert!(
        err(&assure(&url, &["plan", "export", "--partnership", "southend", path], None)).contains("already exists")
    );
    let other = dir.path().join("other.xlsx");
    let e = err(&assure(
        &url,
        &["plan", "export", "--partnership", "southend", "--status", "done", other.to_str().unwrap()],
        None,
    ));
    assert!(e.contains("Select the status from the list"), "{e}");
    assert!(
        err(&assure(&url, &["plan", "export", "--partnership", "nowhere", other.to_str().unwrap()], None))
            .contains("no partnership")
    );
    let inspections = dir.path().join("inspections.xlsx");
    ok(&assure(
        &url,
        &["plan", "export", "--partnership", "southend", "--source", "inspection", inspections.to_str().unwrap()],
        None,
    ));
    let rows = assure_testing::workbook_rows(&std::fs::read(&inspections).unwrap());
    assert_eq!(rows.len(), 3, "a header and the joint inspection's two open actions: {rows:?}");

    // The risk registers: listed, one register's risks, a risk's history, a review recorded
    // (refused first with every problem named, nothing saved).
    let registers = ok(&assure(&url, &["risks", "list", "--partnership", "southend"], None));
    assert!(registers.lines().any(|l| l.ends_with("\tAdults' risk register\t10\t2\t0")), "{registers}");
    let args = ["risks", "list", "--partnership", "southend", "--register", "adults' risk register"];
    let risks = ok(&assure(&url, &args, None));
    let first = risks.lines().next().unwrap().split('\t').collect::<Vec<_>>();
    assert_eq!(first[1..6], ["1.1", "Financial", "4 × 3", "worse", "1 × 1"], "{risks}");
    let id = first[0];
    let shown = ok(&assure(&url, &["risks", "show", id], None));
    assert!(shown.contains("current: 4 × 3 (score 12), Increased"), "{shown}");
    assert!(shown.lines().any(|l| l.starts_with("2020-01-15\tcurrent\t1 × 1\t4 × 3")), "{shown}");
    let refused = err(&assure(
        &url,
        &["risks", "rate", id, "--likelihood", "5", "--impact", "3", "--reason", "", "--review-on", "2020-01-01"],
        None,
    ));
    assert!(refused.contains("not on the register's matrix") && refused.contains("Enter what changed"), "{refused}");
    let next = (chrono::Utc::now().date_naive() + chrono::Days::new(60)).to_string();
    let args = ["risks", "rate", id, "--likelihood", "2", "--impact", "3", "--reason", "Three-year budget agreed"];
    let mut args = args.to_vec();
    args.extend(["--review-on", &next]);
    let out = ok(&assure(&url, &args, None));
    assert!(out.contains("is now 2 × 3 (Reduced)"), "{out}");

    // The strategy: listed, a quarter's report and a year's little progress, progress recorded.
    let strategies = ok(&assure(&url, &["strategy", "list", "--partnership", "southend"], None));
    let line = strategies.lines().next().unwrap().split('\t').collect::<Vec<_>>();
    assert_eq!(line[1..], ["Strategic Plan 2020–23", "2020-21", "2023-24"], "{strategies}");
    let id = line[0];
    let report = ok(&assure(&url, &["strategy", "report", id, "--quarter", "2021-Q4"], None));
    assert_eq!(report.lines().count(), 3, "{report}");
    let slipped = report.lines().find(|l| l.contains("\tslipped\t")).unwrap();
    assert!(slipped.ends_with("Audit postponed twice for lack of capacity in two agencies; not yet rescheduled."));
    let year = ok(&assure(&url, &["strategy", "report", id, "--year", "2022"], None));
    assert!(year.starts_with("# 2022-23: 6 due, 3 completed"), "{year}");
    let activity = year.lines().nth(1).unwrap().split('\t').next().unwrap().to_owned();
    let refused = err(&assure(&url, &["strategy", "update", &activity, "--text", "", "--status", "done"], None));
    assert!(refused.contains("Enter what was done") && refused.contains("Select the activity's status"), "{refused}");
    let args =
        ["strategy", "update", &activity, "--text", "Agreement signed", "--status", "completed", "--rag", "green"];
    assert!(ok(&assure(&url, &args, None)).contains("is completed"));
    assert!(err(&assure(&url, &["strategy", "report", id], None)).contains("give --quarter or --year"));

    // The budgets: listed, a year shown line by line, a quarter's actual recorded.
    let years = ok(&assure(&url, &["finance", "list", "--partnership", "southend"], None));
    let cols: Vec<Vec<&str>> = years.lines().map(|l| l.split('\t').collect()).collect();
    // (In kind is the time given to the demo's meetings in the year, valued at the rate.)
    assert_eq!(cols[0][1..5], ["2022-23", "263337.00", "0.00", "0.00"], "{years}");
    assert_eq!(cols[0][6..], ["178000.00", "locked", "0"], "{years}");
    assert_eq!(cols[1][1..4], ["2019-20", "222916.00", "222916.00"], "{years}");
    let show = ok(&assure(&url, &["finance", "show", "--partnership", "southend", "--year", "2019"], None));
    let salaries = show.lines().find(|l| l.contains("\tSalaries")).unwrap().split('\t').collect::<Vec<_>>();
    assert_eq!(
        salaries[1..],
        ["expenditure", "staff", "Salaries (including 34% on-costs)", "155396.00", "0.00", "155396.00"]
    );
    let refused = err(&assure(&url, &["finance", "actual", salaries[0], "--quarter", "6", "--actual", "x"], None));
    assert!(
        refused.contains("Choose the quarter") && refused.contains("Enter the actual amount in pounds"),
        "{refused}"
    );
    let args = ["finance", "actual", salaries[0], "--quarter", "1", "--actual", "38,849"];
    assert!(ok(&assure(&url, &args, None)).starts_with("Recorded on budget"));
    let show = ok(&assure(&url, &["finance", "show", "--partnership", "southend", "--year", "2019"], None));
    assert!(show.contains("\tSalaries (including 34% on-costs)\t155396.00\t38849.00\t155396.00"), "{show}");
    assert!(
        err(&assure(&url, &["finance", "show", "--partnership", "southend", "--year", "2030"], None))
            .contains("There is no budget for 2030-31")
    );

    // The challenge log: listed (the flagged only), an entry shown, progress recorded.
    let flagged = ok(&assure(&url, &["challenges", "list", "--partnership", "southend", "--flagged"], None));
    let cols: Vec<&str> = flagged.lines().next().unwrap().split('\t').collect();
    assert_eq!(flagged.lines().count(), 1, "{flagged}");
    assert_eq!(
        cols[3..],
        [
            "escalation",
            "Southend Youth Justice Service",
            "Mid and South Essex Integrated Care Board",
            "open",
            "120",
            "flagged"
        ],
        "{flagged}"
    );
    let all = ok(&assure(&url, &["challenges", "list", "--partnership", "southend"], None));
    assert_eq!(all.lines().count(), 8, "{all}");
    let refused = err(&assure(&url, &["challenges", "progress", cols[0], "--progress", " "], None));
    assert!(refused.contains("Enter the progress"), "{refused}");
    assert!(
        ok(&assure(&url, &["challenges", "progress", cols[0], "--progress", "Post filled"], None))
            .contains("Progress recorded")
    );
    let shown = ok(&assure(&url, &["challenges", "show", cols[0]], None));
    assert!(
        shown.starts_with("CH-7: Southend Youth Justice Service") && shown.contains("\tthe operator\tPost filled"),
        "{shown}"
    );

    // Inspections: listed (one agency's), one shown, an agency's grades over time.
    let all = ok(&assure(&url, &["inspections", "list", "--partnership", "southend"], None));
    assert_eq!(all.lines().count(), 5, "{all}");
    let ofsted = all.lines().find(|l| l.contains("\tofsted_sif\t")).unwrap();
    let cols: Vec<&str> = ofsted.split('\t').collect();
    assert_eq!(cols[2..6], ["2016-04-18", "2016-05-12", "2016-07-04", "Southend Children's Services"], "{ofsted}");
    let shown = ok(&assure(&url, &["inspections", "show", cols[0]], None));
    assert!(
        shown.contains("Fieldwork: 2016-04-18 to 2016-05-12") && shown.contains("Published: 2016-07-04"),
        "{shown}"
    );
    assert!(shown.contains("judgement\tOverall effectiveness\tRequires improvement to be good"), "{shown}");
    assert_eq!(shown.lines().filter(|l| l.starts_with("recommendation ")).count(), 12, "{shown}");
    let police = all.lines().find(|l| l.contains("\thmic_child_protection\t")).unwrap().split('\t').next().unwrap();
    let police_org = ok(&assure(&url, &["inspections", "show", police], None));
    assert!(police_org.contains("Agencies: Essex Police"), "{police_org}");
    let police_org_id: i64 = {
        use sqlx::Row;
        let mut conn = db.store.read().await.unwrap();
        sqlx::query(
            "SELECT o.id FROM organisations o JOIN partnerships p ON p.id = o.partnership_id \
                     WHERE o.name = 'Essex Police' AND p.slug = 'southend'",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get(0)
    };
    let police_org_id = police_org_id.to_string();
    let grades = ok(&assure(&url, &["inspections", "grades", "--partnership", "southend", &police_org_id], None));
    let lines: Vec<&str> = grades.lines().collect();
    assert_eq!(lines.len(), 3, "{grades}");
    assert!(lines[1].ends_with("\tInadequate"), "{grades}");
    let missing = err(&assure(&url, &["inspections", "show", "999999"], None));
    assert!(!missing.is_empty());

    // Feedback from the public page: listed, one piece shown with its triage, You said, we did.
    let feedback = ok(&assure(&url, &["feedback", "list", "--partnership", "southend"], None));
    assert_eq!(feedback.lines().count(), 4, "{feedback}");
    let closed = feedback.lines().find(|l| l.contains("\tclosed\t")).unwrap();
    let cols: Vec<&str> = closed.split('\t').collect();
    assert_eq!(cols[3..5], ["practitioner", "training"], "{closed}");
    let shown = ok(&assure(&url, &["feedback", "show", cols[0]], None));
    assert!(
        shown.contains("Night staff in our service") && shown.contains("\troute\tLearning and Development\t"),
        "{shown}"
    );
    let said = ok(&assure(&url, &["feedback", "said-did", "--partnership", "essex"], None));
    assert_eq!(said.lines().count(), 3, "{said}");
    assert!(said.lines().all(|l| l.contains("\tpublished\t")), "{said}");
    let surveys = ok(&assure(&url, &["feedback", "surveys", "--partnership", "southend"], None));
    let first = surveys.lines().next().unwrap();
    assert!(first.ends_with("\t6\topen\tAfter the professional curiosity lunch and learn"), "{surveys}");
    let results = ok(&assure(&url, &["feedback", "survey", first.split('\t').next().unwrap()], None));
    assert!(results.contains("(6 answered, mean 4.2)") && results.contains("\tPolice\t2"), "{results}");

    // Bulletins: the demo's published one and its draft, and the subscribers' counts (never their
    // addresses); publishing the draft from the console; sending needs an e-mail server.
    let bulletins = ok(&assure(&url, &["bulletins", "list", "--partnership", "southend"], None));
    assert!(
        bulletins.contains("\t1\tpublished\t\t0\t0\t0\t0\tLearning from Safeguarding Adult Review A"),
        "{bulletins}"
    );
    assert!(bulletins.ends_with("Subscribers: 3 confirmed, 0 waiting to confirm, 0 unsubscribed\n"), "{bulletins}");
    assert!(!bulletins.contains("@example.org"), "{bulletins}");
    let draft = bulletins.lines().find(|l| l.contains("\tdraft\t")).unwrap().split('\t').next().unwrap().to_owned();
    let shown = ok(&assure(&url, &["bulletins", "show", &draft], None));
    assert!(shown.starts_with("Spring bulletin (Draft)") && shown.contains("News: Our annual report"), "{shown}");
    assert_eq!(ok(&assure(&url, &["bulletins", "publish", &draft], None)).trim(), "Published as bulletin 2");
    let refused = assure(&url, &["bulletins", "send", &draft], None);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Sending needs an e-mail server"), "{refused:?}");

    // The yearly reports: built as the records stand, each gap on its own line to standard error;
    // `--strict` exits 3 while unexplained gaps remain; a report nobody started is the template,
    // unwritten.
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("adults.pdf");
    let pdf_arg = pdf.to_str().unwrap();
    let build = ["report", "build", "--partnership", "southend", "--report", "adults", "--period", "2022-23"];
    let out = assure(&url, &[&build[..], &["--format", "pdf", "--out", pdf_arg]].concat(), None);
    assert!(out.status.success(), "{out:?}");
    let gaps = String::from_utf8_lossy(&out.stderr);
    assert!(gaps.lines().any(|l| l == "gap: SAR B: no findings or recommendations recorded"), "{gaps}");
    // The gap the demo explained is printed with its explanation, and --strict does not count it.
    assert!(
        gaps.lines()
            .any(|l| l.starts_with("gap (explained in the report): No meetings recorded in 2022/23: The board met")),
        "{gaps}"
    );
    let summary = String::from_utf8_lossy(&out.stdout);
    let explained = gaps.lines().filter(|l| l.starts_with("gap (explained")).count();
    let all = gaps.lines().filter(|l| l.starts_with("gap")).count();
    assert!(summary.contains(&format!("{all} gaps, {} not explained", all - explained)), "{summary}");
    let (text, info) = assure_testing::pdf_text(&std::fs::read(&pdf).unwrap());
    assert!(info.contains("Title: Southend Safeguarding Partnership: Safeguarding Adults Board annual report 2022/23"));
    assert!(text.contains("The board's objective is to help and protect adults"), "the demo's words: {text}");
    let strict = assure(&url, &[&build[..], &["--out", pdf_arg, "--strict"]].concat(), None);
    assert_eq!(strict.status.code(), Some(3), "{strict:?}");
    let html = dir.path().join("new.html");
    let fresh =
        ["report", "build", "--partnership", "southend", "--report", "children", "--period", "2021-10 to 2023-03"];
    ok(&assure(&url, &[&fresh[..], &["--out", html.to_str().unwrap()]].concat(), None));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("children&#39;s safeguarding yearly report October 2021 to March 2023"), "{page}");
    let bad = err(&assure(
        &url,
        &[
            "report",
            "build",
            "--partnership",
            "southend",
            "--report",
            "easy-read",
            "--period",
            "2022-23",
            "--out",
            pdf_arg,
        ],
        None,
    ));
    assert!(bad.contains("--report: \"easy-read\" is not a report; use children or adults"), "{bad}");

    // Data returns of every template, and the templates themselves.
    let returns = ok(&assure(&url, &["returns", "list", "--partnership", "southend"], None));
    assert!(returns.lines().any(|l| l.contains("\tlado\tSouthend Children's Services\tvalidated")), "{returns}");
    assert!(
        returns.lines().any(|l| l.contains("\tadults\tSouthend Adult Social Care\t") && l.ends_with("\tlate")),
        "{returns}"
    );
    // This year's contributions to the annual report, and 2022/23's (for the demo's yearly reports).
    assert_eq!(returns.lines().filter(|l| l.contains("\tannual_report\t")).count(), 6, "{returns}");
    let figures = ok(&assure(&url, &["returns", "figures", "lado", "--partnership", "southend"], None));
    // The last two quarters', and 2022-23's four (for the demo's children's report).
    assert_eq!(figures.lines().filter(|l| l.starts_with("allegations\t")).count(), 6, "{figures}");
    assert!(figures.lines().any(|l| l.starts_with("positive_percent\t") && l.ends_with("\t92.3\t1")), "{figures}");
    let templates = ok(&assure(&url, &["returns", "templates"], None));
    assert_eq!(templates.lines().count(), 3, "{templates}");
    let lado =
        templates.lines().find(|l| l.contains("\tlado\t2026.1\tquarter\tLADO quarterly figures\tshared")).unwrap();
    let text = ok(&assure(&url, &["returns", "export-template", lado.split('\t').next().unwrap()], None));
    assert!(text.starts_with("# The Local Authority Designated Officer's"), "{text}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lado.yaml");
    std::fs::write(&file, text.replace("version: \"2026.1\"", "version: \"2027.1\"")).unwrap();
    let out =
        ok(&assure(&url, &["returns", "import-template", file.to_str().unwrap(), "--partnership", "essex"], None));
    assert!(out.starts_with("Imported return template") && out.contains("lado version 2027.1"), "{out}");
    assert!(
        ok(&assure(&url, &["returns", "templates"], None))
            .contains("\tlado\t2027.1\tquarter\tLADO quarterly figures\tessex")
    );
    std::fs::write(
        &file,
        text.replace("version: \"2026.1\"", "version: \"2028.1\"").replace("total: concluded", "total: finished"),
    )
    .unwrap();
    let broken = err(&assure(&url, &["returns", "import-template", file.to_str().unwrap()], None));
    assert!(broken.contains("lado.yaml line 74: the field 'finished' is not one of the fields"), "{broken}");
    let book = dir.path().join("lado.xlsx");
    let id = lado.split('\t').next().unwrap();
    let out = ok(&assure(&url, &["returns", "export-template", id, "--xlsx", book.to_str().unwrap()], None));
    assert!(out.starts_with("Wrote return template"), "{out}");
    let again = err(&assure(&url, &["returns", "import-template", book.to_str().unwrap()], None));
    assert!(again.contains("lado.xlsx line 1: version 2026.1 of 'lado' is already imported"), "{again}");
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
