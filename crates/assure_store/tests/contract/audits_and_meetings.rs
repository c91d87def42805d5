//! The repository contract for frameworks (shared and a partnership's own, and the SQLite
//! rebuild of migration 0036) and for meetings, their marks and quorums.

use super::*;

contract!(framework_versions_are_kept_side_by_side);

async fn framework_versions_are_kept_side_by_side(db: &TestDb) {
    use assure_store::audits::frameworks as f;
    let (southend, essex) = (partnership(db, "southend").await, partnership(db, "essex").await);
    let mut tx = db.store.write().await.unwrap();
    f::insert(&mut tx, None, "section11", "2025.1", "Section 11", "code: section11\n").await.unwrap();
    f::insert(&mut tx, None, "section11", "2027.1", "Section 11", "code: section11 # new\n").await.unwrap();
    assert!(f::insert(&mut tx, None, "section11", "2025.1", "again", "").await.unwrap_err().is_unique_violation());
    drop(tx);
    let mut tx = db.store.write().await.unwrap();
    f::insert(&mut tx, None, "section11", "2025.1", "Section 11", "code: section11\n").await.unwrap();
    f::insert(&mut tx, None, "section11", "2027.1", "Section 11", "code: section11 # new\n").await.unwrap();
    // Each partnership's own versions are unique to it, and apart from the shared ones.
    let own = f::insert(&mut tx, Some(southend), "section11", "2028.1", "Local", "code: section11\n").await.unwrap();
    f::insert(&mut tx, Some(essex), "section11", "2028.1", "Local", "code: section11\n").await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.store.write().await.unwrap();
    let again = f::insert(&mut tx, Some(southend), "section11", "2028.1", "Again", "").await;
    assert!(again.unwrap_err().is_unique_violation());
    drop(tx);
    let mut conn = db.store.read().await.unwrap();
    let all = f::list(&mut conn).await.unwrap();
    assert_eq!(
        all.iter().map(|x| x.version.as_str()).collect::<Vec<_>>(),
        vec!["2025.1", "2027.1", "2028.1", "2028.1"]
    );
    assert_eq!(all[2].partnership_id, Some(southend));
    assert_eq!(all[0].partnership_id, None);
    // What a new version would sit beside: for a partnership, the shared and its own.
    assert_eq!(f::find(&mut conn, None, "section11", "2027.1").await.unwrap().map(|x| x.1), Some(None));
    assert_eq!(f::find(&mut conn, Some(southend), "section11", "2027.1").await.unwrap().map(|x| x.1), Some(None));
    assert_eq!(f::find(&mut conn, Some(southend), "section11", "2028.1").await.unwrap(), Some((own, Some(southend))));
    assert!(f::find(&mut conn, None, "section11", "2028.1").await.unwrap().is_some(), "the operator sees every one");
    let thurrock = PartnershipId(essex.0 + 1000);
    assert_eq!(f::find(&mut conn, Some(thurrock), "section11", "2028.1").await.unwrap(), None);
    assert_eq!(f::find(&mut conn, None, "s175", "2025.1").await.unwrap(), None);
    assert_eq!(f::find_shared(&mut conn, "section11", "2028.1").await.unwrap(), None);
    assert!(f::find_shared(&mut conn, "section11", "2027.1").await.unwrap().is_some());
    assert_eq!(f::get(&mut conn, all[1].id.0).await.unwrap().source, "code: section11 # new\n");
}

/// Migration 0036 builds SQLite's frameworks table again (to drop a UNIQUE constraint) while
/// campaigns refer to it: run again over a campaign, every reference holds, the ids and the
/// triggers stay, and the foreign keys are still enforced afterwards.
#[tokio::test]
async fn sqlite_rebuilds_frameworks_keeping_every_campaigns_reference() {
    use assure_store::audits::frameworks as f;
    let db = TestDb::new(Backend::Sqlite).await;
    let p = partnership(&db, "southend").await;
    let mut tx = db.store.write().await.unwrap();
    f::insert(&mut tx, None, "adults", "2025.1", "Adults", "code: adults\n").await.unwrap();
    let s11 = f::insert(&mut tx, None, "section11", "2025.1", "Section 11", "code: section11\n").await.unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let campaign = assure_store::audits::insert_campaign(&mut tx, p, &[p], s11, "S11", day, day).await.unwrap();
    tx.commit().await.unwrap();
    let generation = || async {
        let mut conn = db.store.read().await.unwrap();
        sqlx::query_scalar::<_, i64>("SELECT generation FROM audits_generation").fetch_one(&mut *conn).await.unwrap()
    };
    let before = generation().await;
    let mut tx = db.store.write().await.unwrap();
    sqlx::raw_sql(include_str!("../../migrations/sqlite/0036_partnership_frameworks.sql"))
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(generation().await > before, "the kept audit figures are read again");
    let mut tx = db.store.write().await.unwrap();
    let used: i64 = sqlx::query_scalar("SELECT framework_id FROM campaigns WHERE id = $1")
        .bind(campaign)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(used, s11);
    assert_eq!(f::get(&mut tx, s11).await.unwrap().code, "section11");
    // Still enforced: a campaign of a framework that is not there, a framework in use deleted.
    let missing = assure_store::audits::insert_campaign(&mut tx, p, &[p], s11 + 100, "X", day, day).await;
    assert!(missing.is_err());
    let gone = sqlx::query("DELETE FROM frameworks WHERE id = $1").bind(s11).execute(&mut *tx).await;
    assert!(gone.is_err(), "a framework in use is not deleted");
    drop(tx);
    let mut tx = db.store.write().await.unwrap();
    let next = f::insert(&mut tx, Some(p), "section11", "2025.1", "Local", "code: section11\n").await.unwrap();
    assert!(next > s11, "ids carry on after the kept ones");
    tx.commit().await.unwrap();
    let before = generation().await;
    let mut tx = db.store.write().await.unwrap();
    f::insert(&mut tx, Some(p), "section11", "2026.1", "Local", "code: section11\n").await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(generation().await, before + 1, "the triggers are back");
    db.finish().await;
}

contract!(meetings_marks_and_quorums_round_trip);

async fn meetings_marks_and_quorums_round_trip(db: &TestDb) {
    use assure_domain::meetings::{Mark, NewMeeting, Presence, Quorum};
    use assure_store::meetings as mt;
    let p = partnership(db, "southend").await;
    let day = |s: &str| -> chrono::NaiveDate { s.parse().unwrap() };
    let mut tx = db.store.write().await.unwrap();
    let board = NewBody {
        name: "Board".into(),
        kind: BodyKind::Board,
        arm: None,
        parent_id: None,
        purpose: None,
        cadence: Cadence::Quarterly,
        restricted: false,
    };
    let body = st::insert_body(&mut tx, p, &board).await.unwrap();
    let person = |name: &str| NewPerson {
        name: name.into(),
        job_title: None,
        email: None,
        organisation_id: None,
        restricted: false,
    };
    let mut seats = Vec::new();
    for name in ["Alex Chair", "Sam Member"] {
        let id = st::insert_person(&mut tx, p, &person(name)).await.unwrap();
        let m = NewMembership {
            person_id: id,
            organisation_id: None,
            role: MembershipRole::Member,
            from_date: day("2022-04-01"),
            to_date: None,
        };
        seats.push(st::insert_membership(&mut tx, body, &m).await.unwrap());
    }
    let at = |held_on: &str| NewMeeting {
        held_on: day(held_on),
        starts_at: chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        ends_at: None,
        place: Some("Civic Centre".into()),
    };
    let june = mt::insert_meeting(&mut tx, body, &at("2022-06-14"), "bm").await.unwrap();
    let sept = mt::insert_meeting(&mut tx, body, &at("2022-09-13"), "bm").await.unwrap();
    let deputy = Mark { presence: Presence::Deputy, attended_by: Some("June Mitchell".into()) };
    let present = Mark { presence: Presence::Present, attended_by: None };
    mt::set_marks(&mut tx, june, &[(seats[0], deputy.clone()), (seats[1], present.clone())], "bm").await.unwrap();
    mt::set_marks(&mut tx, sept, &[(seats[0], present.clone())], "bm").await.unwrap();
    // A mark given again replaces it; "not recorded" removes it.
    let not_recorded = Mark { presence: Presence::NotRecorded, attended_by: None };
    mt::set_marks(&mut tx, june, &[(seats[1], not_recorded)], "bm").await.unwrap();
    mt::update_meeting(&mut tx, sept, &NewMeeting { place: None, ..at("2022-09-20") }).await.unwrap();
    mt::set_cancelled(&mut tx, sept, Some("Clash")).await.unwrap();
    mt::set_quorum(&mut tx, body, &Quorum { members: Some(5), statutory_partners: true }, "bm").await.unwrap();
    mt::set_quorum(&mut tx, body, &Quorum { members: None, statutory_partners: true }, "bm").await.unwrap();
    tx.commit().await.unwrap();

    let mut conn = db.store.read().await.unwrap();
    let got = mt::meeting(&mut conn, sept).await.unwrap();
    assert_eq!((got.held_on, got.place, got.cancelled_reason.as_deref()), (day("2022-09-20"), None, Some("Clash")));
    assert_eq!(got.body_name, "Board");
    let marks = mt::marks(&mut conn, june).await.unwrap();
    assert_eq!(marks.iter().map(|m| (m.membership_id, m.mark.clone())).collect::<Vec<_>>(), vec![(seats[0], deputy)]);
    let all = mt::marks_of_body(&mut conn, body, None, None).await.unwrap();
    assert_eq!(all.len(), 2);
    let later = mt::marks_of_body(&mut conn, body, Some(day("2022-07-01")), None).await.unwrap();
    assert_eq!(later.iter().map(|m| m.meeting_id).collect::<Vec<_>>(), vec![sept]);
    let listed = mt::meetings_of_body(&mut conn, body, None, Some(day("2022-06-30"))).await.unwrap();
    assert_eq!(listed.iter().map(|m| m.id).collect::<Vec<_>>(), vec![june]);
    let within = mt::meetings_in(&mut conn, p, day("2022-01-01"), day("2022-12-31")).await.unwrap();
    assert_eq!(within.len(), 2);
    assert!(
        mt::meetings_in(&mut conn, PartnershipId(p.0 + 1), day("2022-01-01"), day("2022-12-31"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(mt::quorum(&mut conn, body).await.unwrap(), Quorum { members: None, statutory_partners: true });
    assert!(matches!(mt::meeting(&mut conn, MeetingId(june.0 + 100)).await, Err(StoreError::NotFound)));
}
