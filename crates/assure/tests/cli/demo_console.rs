//! The console over the whole demo: one demo loaded, then every capability's commands run on it
//! as an operator would (the plan, attendance, reviews, audits, returns, reports and the rest).

use assure_store::Backend;
use assure_testing::TestDb;

use super::{assure, err, ok};

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
        &["report", "build", "--partnership", "southend", "--report", "plain", "--period", "2022-23", "--out", pdf_arg],
        None,
    ));
    assert!(bad.contains("--report: \"plain\" is not a report; use children, adults, scrutiny or easy-read"), "{bad}");
    // The scrutineer's own report: what they examined, and the recommendation still awaiting
    // Essex Police's response as a gap.
    let docx = dir.path().join("scrutiny.docx");
    let scrutiny = ["report", "build", "--partnership", "southend", "--report", "scrutiny", "--period", "2022-23"];
    let out = assure(&url, &[&scrutiny[..], &["--format", "docx", "--out", docx.to_str().unwrap()]].concat(), None);
    assert!(out.status.success(), "{out:?}");
    let gaps = String::from_utf8_lossy(&out.stderr);
    assert!(gaps.lines().any(|l| l == "gap: Recommendation 2 (to Essex Police): no response recorded"), "{gaps}");
    let (words, _) = assure_testing::word_text(&std::fs::read(&docx).unwrap());
    assert!(words.contains("The front door: how contacts about children become referrals"), "{words}");
    // The Easy Read version: its unwritten sections are gaps; its pictures' credit closes it.
    let easy = dir.path().join("easy-read.html");
    let version = ["report", "build", "--partnership", "southend", "--report", "easy-read", "--period", "2022-23"];
    let out = assure(&url, &[&version[..], &["--out", easy.to_str().unwrap()]].concat(), None);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).lines().any(|l| l == "gap: What we learned: nothing written yet"));
    let page = std::fs::read_to_string(&easy).unwrap();
    assert!(page.contains("alt=\"A shield\"") && page.contains("OpenMoji"), "{page}");

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
