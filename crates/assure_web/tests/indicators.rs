//! Published statistics: importing DfE's and ONS's files, and computing the indicators the way
//! DfE does. The computed referral rate, children-in-need rate and re-referral percentage are
//! checked against every value DfE published in its Local Authority Interactive Tool (LAIT).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::HashMap;

use support::TestApp;

fn published(name: &str) -> (String, Vec<u8>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/published").join(name);
    (name.to_owned(), std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

const FILES: [&str; 7] = [
    "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "b1_children_in_need_2013_to_2025.csv",
    "ons_mid-year_population_estimates_2012_to_2024.csv",
    "d3_cpps_subsequent_plan_2013_to_2025.csv",
    "d5_cpps_at31march_by_duration_2013_to_2025.csv",
    "cla_number_and_rate_per_10k_children.csv",
    "New_Statistical_Neighbour_Groupings_April_2021.csv",
];

async fn computed_rates_match_every_value_dfe_published(app: &TestApp) {
    let ctx = app.core.operator().await.unwrap();
    let files: Vec<(String, Vec<u8>)> = FILES.iter().map(|f| published(f)).collect();
    let reports = app.core.import_published(&ctx, &files).await.unwrap();
    assert_eq!(reports.len(), 7);

    // DfE's published values, by indicator, DfE LA number and year.
    let lait = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/lait_values.csv")).unwrap();
    let mut published: HashMap<(String, String, String), String> = HashMap::new();
    for line in lait.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        published.insert((cells[0].to_owned(), cells[1].to_owned(), cells[2].to_owned()), cells[3].to_owned());
    }
    let mut conn = app.core.store.read().await.unwrap();
    let numbers: HashMap<String, String> = assure_store::intelligence::indicators::areas(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|a| a.old_la_code.map(|n| (a.code, n)))
        .collect();
    drop(conn);
    for code in ["children.referral_rate", "children.cin_rate", "children.rereferral_percent"] {
        let (_, values) = app.core.indicator_values(code, None).await.unwrap();
        let (mut matched, mut mismatched) = (0, Vec::new());
        for v in &values {
            let (Some(number), Some(ours)) = (numbers.get(&v.area_code), &v.value) else { continue };
            let Some(theirs) = published.get(&(code.to_owned(), number.clone(), v.year.clone())) else { continue };
            if ours == theirs {
                matched += 1;
            } else {
                mismatched.push(format!("{} {} {}: ours {ours}, DfE {theirs}", v.area_name, number, v.period));
            }
        }
        assert!(mismatched.is_empty(), "{code}: {} differ:\n{}", mismatched.len(), mismatched.join("\n"));
        assert!(matched >= 1_500, "{code}: only {matched} local authority years compared");
    }
    // Seed 001's strategy quoted England's figures as Southend's: the data says otherwise.
    let (_, southend) = app.core.indicator_values("children.referral_rate", Some("E06000033")).await.unwrap();
    let y2019 = southend.iter().find(|v| v.period == "2018-19").unwrap();
    assert_eq!(
        (y2019.value.as_deref(), y2019.numerator.as_deref(), y2019.denominator.as_deref()),
        (Some("719.2"), Some("2772"), Some("38542"))
    );
    let (_, by_number) = app.core.indicator_values("children.rereferral_percent", Some("882")).await.unwrap();
    assert_eq!(by_number.iter().find(|v| v.period == "2018-19").unwrap().value.as_deref(), Some("24.4"));
    for (code, value) in [("children.cpp_rate", "44.4"), ("children.cin_rate", "368.4"), ("children.cpp_at31", "171")] {
        let (_, v) = app.core.indicator_values(code, Some("E06000033")).await.unwrap();
        assert_eq!(v.iter().find(|v| v.period == "2018-19").unwrap().value.as_deref(), Some(value), "{code}");
    }
}

on_both!(demo [Intelligence]; computed_rates_match_every_value_dfe_published);

async fn a_bad_file_imports_nothing_and_the_good_figures_stay(app: &TestApp) {
    let ctx = app.core.operator().await.unwrap();
    let good = published("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv");
    app.core
        .import_published(&ctx, &[good.clone(), published("ons_mid-year_population_estimates_2012_to_2024.csv")])
        .await
        .unwrap();
    let before = app.core.indicator_values("children.referral_rate", Some("E06000033")).await.unwrap().1;
    let counts = app.row_counts().await;
    // A later, broken copy of the same file with another good one: nothing of either is written.
    let text = String::from_utf8(good.1.clone()).unwrap();
    let broken = text.replacen(
        ",882,E06000033,Southend-on-Sea,Referrals and Re-referrals,1325,",
        ",882,E06000033,Southend-on-Sea,Referrals and Re-referrals,many,",
        1,
    );
    assert_ne!(broken, text);
    let e = app
        .core
        .import_published(
            &ctx,
            &[published("b1_children_in_need_2013_to_2025.csv"), ("c1.csv".into(), broken.into_bytes())],
        )
        .await
        .unwrap_err();
    let assure_core::CoreError::Invalid(e) = e else { panic!("{e:?}") };
    let messages: Vec<String> = e.iter().flat_map(|(_, m)| m.to_vec()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with("c1.csv: Row ")
            && messages[0].ends_with("column L (referral_count): 'many' is not a number"),
        "{messages:?}"
    );
    assert_eq!(app.row_counts().await, counts, "nothing was written");
    assert_eq!(app.core.indicator_values("children.referral_rate", Some("E06000033")).await.unwrap().1, before);
    // A file with the right headings but no figures Assure uses (only local authority districts)
    // is refused, not recorded as an import of nothing; so is one with headings alone.
    let header = text.lines().next().unwrap();
    let districts: String = std::iter::once(header)
        .chain(text.lines().skip(1).take(3))
        .enumerate()
        .map(|(i, l)| {
            let mut cells: Vec<&str> = l.split(',').collect();
            if i > 0 {
                cells[2] = "Local authority district";
            }
            format!("{}\n", cells.join(","))
        })
        .collect();
    for (name, bytes, expected) in [
        ("districts.csv", districts.into_bytes(), "districts.csv: The file has 3 rows but no figures Assure uses"),
        ("headings.csv", format!("{header}\n").into_bytes(), "headings.csv: The file has headings but no rows"),
    ] {
        let e = app.core.import_published(&ctx, &[(name.into(), bytes)]).await.unwrap_err();
        let assure_core::CoreError::Invalid(e) = e else { panic!("{e:?}") };
        let messages: Vec<String> = e.iter().flat_map(|(_, m)| m.to_vec()).collect();
        assert!(messages[0].starts_with(expected), "{messages:?}");
    }
    assert_eq!(app.row_counts().await, counts, "nothing was written");
    // Unknown indicators and areas are named.
    let e = app.core.indicator_values("children.happiness", None).await.unwrap_err();
    assert!(format!("{e:?}").contains("No indicator 'children.happiness'"), "{e:?}");
    let e = app.core.indicator_values("children.referral_rate", Some("E99999999")).await.unwrap_err();
    assert!(format!("{e:?}").contains("No area 'E99999999'"), "{e:?}");
}

on_both!(demo [Intelligence]; a_bad_file_imports_nothing_and_the_good_figures_stay);

async fn the_api_gives_the_catalogue_and_computed_values(app: &TestApp) {
    use axum::http::{Method, StatusCode};
    let mut api = app.api("viewer@example.org").await;
    let all =
        api.request(Method::GET, "/api/v1/indicators?per_page=200", None, String::new()).await.json()["items"].clone();
    assert!(all.as_array().unwrap().iter().any(|i| i["code"] == "children.referral_rate" && i["decimals"] == 1));
    let v = api
        .request(
            Method::GET,
            "/api/v1/indicators/children.referral_rate/values?area=882&per_page=200",
            None,
            String::new(),
        )
        .await
        .json()["items"]
        .clone();
    let y = v.as_array().unwrap().iter().find(|r| r["period"] == "2018-19").unwrap().clone();
    assert_eq!(
        (y["value"].as_f64(), y["numerator"].as_str(), y["denominator"].as_str()),
        (Some(719.2), Some("2772"), Some("38542"))
    );
    let bad = api.request(Method::GET, "/api/v1/indicators/children.happiness/values", None, String::new()).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

on_both!(demo [Intelligence]; the_api_gives_the_catalogue_and_computed_values);
