//! The Easy Read version of a year, on both stores: its sections written with a picture beside
//! each paragraph (a picture Assure does not ship refused, with the name), its words to know
//! (each line a word and its meaning, or refused with the line), the Easy Read check of the words
//! saved shown to the author, and the report in large type with its pictures and their
//! alternative text in HTML, in the PDF and as pictures of Word's own in the DOCX.

use std::io::Read;

use axum::http::StatusCode;

use super::reports::report_id;
use super::*;

const EASY_READ: &str = "Southend Safeguarding Partnership: Easy Read yearly report 2022/23";

async fn an_easy_read_report_has_pictures_large_type_and_its_words_checked(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let id = report_id(&mut bu, EASY_READ).await;
    let base = format!("/reports/{id}");

    // The demo's version: paragraphs with their pictures, the words to know, the gaps.
    let page = bu.get(&base).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let alts = page.attrs("section[aria-labelledby=section-who_we_are] .assure-pictured img", "alt");
    assert_eq!(alts, vec!["Two hands shaking", "A shield", "A school"]);
    let words = page.texts("#glossary .govuk-summary-list__key");
    assert_eq!(words, vec!["Safeguarding", "Partnership", "Training"]);
    assert!(page.texts("#items").is_empty(), "the Easy Read version answers no statutory item of its own");
    let gaps = page.texts("#gap-list .gap-message");
    assert!(gaps.contains(&"What we learned: nothing written yet".to_owned()), "{gaps:?}");
    let (status, headers, svg) = bu.download("/assets/pictures/working-together.svg").await;
    assert_eq!(
        (status, headers[axum::http::header::CONTENT_TYPE].to_str().unwrap()),
        (StatusCode::OK, "image/svg+xml")
    );
    assert!(String::from_utf8_lossy(&svg).starts_with("<svg"));
    assert_eq!(bu.download("/assets/pictures/dragon.svg").await.0, StatusCode::NOT_FOUND);

    // The section's form lists the pictures and shows the check of the words saved.
    let form = format!("{base}/sections/what_we_learned");
    let page = bu.get(&form).await;
    assert_eq!(page.texts(".assure-picture-list li").len(), 30);
    assert!(page.texts("#check").is_empty(), "nothing written yet, nothing checked");
    let before = app.row_counts().await;
    let r = bu.post(&form, &[("narrative", "[dragon] We learned a lot.")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_summary(),
        vec!["There is no picture called [dragon]: use the name of one of the pictures listed"]
    );
    let r = bu.post(&format!("{base}/sections/words"), &[("narrative", "Abuse: harm\nNeglect means not caring")]).await;
    assert_eq!(
        r.error_summary(),
        vec!["Write each word on its own line as the word, a colon, then what it means (line 2)"]
    );
    assert_eq!(app.row_counts().await, before, "nothing saved");
    // Checked without saving: the draft's check is shown, nothing is kept.
    let r = bu
        .post(&form, &[("narrative", "[idea] Lessons were learned by everybody concerned."), ("preview", "yes")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.texts("#check"), vec!["Easy Read check of the words above, not yet saved"]);
    assert!(r.texts("#sentences li strong").contains(&"Passive voice".to_owned()), "{:?}", r.texts("#sentences"));
    assert_eq!(r.texts("textarea#narrative"), vec!["[idea] Lessons were learned by everybody concerned."]);
    assert_eq!(app.row_counts().await, before, "a check saves nothing");
    let words = "[idea] We learned a lot this year.\n\n\
                 [better] The arrangements were comprehensively reconfigured and it was agreed by partners that \
                 notifications would be expedited across the whole of the partnership area.";
    let r = bu.post(&form, &[("narrative", words)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().starts_with(&format!("{form}?done=updated")), "{}", r.location());
    let page = bu.get(&form).await;
    let flagged = page.texts("#sentences > li > p").join(" | ");
    assert!(flagged.contains("The arrangements were comprehensively reconfigured"), "{flagged}");
    assert!(!flagged.contains("We learned a lot"), "a good sentence is not flagged: {flagged}");
    let counts = page.texts("#counts .govuk-summary-list__row").join(" | ");
    assert!(counts.contains("Sentence over 15 words 1") && counts.contains("Passive voice"), "{counts}");

    // The files: large type, each picture with what it shows.
    let (status, _, html) = bu.download(&format!("{base}/report.html")).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("<body class=\"large\">"), "large type");
    assert!(html.contains("<img src=\"data:image/svg+xml;base64,") && html.contains("alt=\"Two hands shaking\""));
    assert!(html.contains("<th scope=\"col\">What it means</th>"), "the words to know as a table");
    let (_, _, pdf) = bu.download(&format!("{base}/report.pdf")).await;
    let (text, _) = assure_testing::pdf_text(&pdf);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("The council, the police and the health service work together"), "{text}");
    assert!(text.contains("OpenMoji"), "the pictures' credit: {text}");
    let (_, _, docx) = bu.download(&format!("{base}/report.docx")).await;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx.clone())).unwrap();
    assert!(zip.by_name("word/media/picture1.png").is_ok(), "a picture of Word's own");
    let mut body = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut body).unwrap();
    assert!(body.contains("descr=\"Two hands shaking\""), "each picture says what it shows");
    let mut styles = String::new();
    zip.by_name("word/styles.xml").unwrap().read_to_string(&mut styles).unwrap();
    assert!(styles.contains("<w:sz w:val=\"28\"/>"), "14-point type");
    let (words, _) = assure_testing::word_text(&docx);
    assert!(words.contains("We help to keep children and adults safe from harm."), "{words}");
}

crate::on_both!(demo [Reports]; an_easy_read_report_has_pictures_large_type_and_its_words_checked);
