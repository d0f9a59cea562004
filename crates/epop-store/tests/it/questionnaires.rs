//! Questionnaires in the store: the four first versions made by migration
//! 0031 read back, the past intervention feedback copied as responses with
//! their dates, versions numbered per purpose, and a personal link answered
//! once.

use epop_domain::questionnaire::Purpose;
use epop_domain::questionnaire::answer::{Response, Value, YesNo};
use epop_store::questionnaires::{self, responses};
use epop_store::testing;

#[tokio::test]
async fn past_feedback_becomes_responses_of_the_first_intervention_questionnaire() {
    for db in testing::migrated_until(30).await {
        let mut conn = db.conn().await.unwrap();
        let mut ids = Vec::new();
        for public in ["r1", "r2"] {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO intervention_requests (public_id, status, form, contact_email, kind, department_code, created_at, updated_at) \
                 VALUES ($1, 'evaluated', '', 'a@exemple.fr', 'sensibiliser', '31', 10, 10) RETURNING id",
            )
            .bind(public)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
            ids.push(id);
        }
        let (r1, r2) = (ids[0], ids[1]);
        let rows = [
            (
                r1,
                "peer",
                5,
                4,
                "oui",
                Some("Très bon accueil"),
                1_700_000_000,
            ),
            (r1, "host", 3, 2, "peut-etre", None, 1_700_000_100),
            (r2, "host", 1, 1, "non", Some(""), 1_700_000_200),
        ];
        for (request, side, feeling, useful, again, comment, at) in rows {
            sqlx::query(
                "INSERT INTO request_feedback (request_id, side, feeling, useful, again, comment, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(request)
            .bind(side)
            .bind(feeling)
            .bind(useful)
            .bind(again)
            .bind(comment)
            .bind(at)
            .execute(&mut *conn)
            .await
            .unwrap();
        }
        drop(conn);
        db.migrate().await.unwrap();
        let mut conn = db.conn().await.unwrap();
        let first = questionnaires::current(&mut conn, Purpose::Intervention)
            .await
            .unwrap()
            .unwrap();
        let codes: Vec<&str> = first
            .questionnaire
            .questions
            .iter()
            .map(|q| q.code.as_str())
            .collect();
        assert_eq!(codes, ["ressenti", "utile", "encore", "commentaire"]);
        assert_eq!(first.questionnaire.version, 1);
        let one = responses::about(&mut conn, "intervention", r1)
            .await
            .unwrap();
        assert_eq!(one.len(), 2);
        let peer = one.iter().find(|g| g.respondent == "peer").unwrap();
        assert_eq!(peer.created_at, 1_700_000_000);
        assert_eq!(peer.questionnaire_id, first.id);
        let got = |g: &responses::Given, code: &str| {
            g.answers
                .iter()
                .filter(|a| a.question_code == code)
                .map(|a| (a.value, a.text.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(got(peer, "ressenti"), [(Some(5), None)]);
        assert_eq!(got(peer, "utile"), [(Some(4), None)]);
        assert_eq!(got(peer, "encore"), [(Some(1), None)]);
        assert_eq!(
            got(peer, "commentaire"),
            [(None, Some("Très bon accueil".to_owned()))]
        );
        let host = one.iter().find(|g| g.respondent == "host").unwrap();
        assert_eq!(got(host, "encore"), [(Some(-1), None)], "peut-être");
        assert!(got(host, "commentaire").is_empty());
        let two = responses::about(&mut conn, "intervention", r2)
            .await
            .unwrap();
        assert_eq!(got(&two[0], "encore"), [(Some(0), None)]);
        assert!(got(&two[0], "commentaire").is_empty(), "an empty comment");
        let place: (Option<String>, Option<String>) = sqlx::query_as(
            "SELECT department_code, intervention_kind FROM questionnaire_responses WHERE subject_id = $1",
        )
        .bind(r2)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        assert_eq!(place, (Some("31".into()), Some("sensibiliser".into())));
        let versions = questionnaires::versions(&mut conn).await.unwrap();
        let counted: Vec<(String, i64, i64)> = versions
            .iter()
            .map(|v| (v.purpose.clone(), v.version, v.responses))
            .collect();
        assert_eq!(
            counted,
            [
                ("evenement".into(), 1, 0),
                ("fin-formation".into(), 1, 0),
                ("formation-6-mois".into(), 1, 0),
                ("intervention".into(), 1, 3),
            ]
        );
    }
}

#[tokio::test]
async fn every_purpose_has_a_first_version_with_a_scale_a_yes_no_and_a_text() {
    for db in testing::migrated_until(31).await {
        let mut conn = db.conn().await.unwrap();
        for purpose in Purpose::ALL {
            let q = questionnaires::current(&mut conn, purpose)
                .await
                .unwrap()
                .unwrap()
                .questionnaire;
            let kinds: Vec<&str> = q.questions.iter().map(|q| q.kind.code()).collect();
            for kind in ["echelle", "oui-non", "texte-court"] {
                assert!(kinds.contains(&kind), "{purpose:?} {kinds:?}");
            }
            assert!(
                q.questions
                    .iter()
                    .all(|q| !q.easy_wording.is_empty() && q.easy_wording != q.wording)
            );
        }
    }
}

#[tokio::test]
async fn a_new_version_follows_the_last_and_a_personal_link_answers_once() {
    for db in testing::migrated_until(31).await {
        let mut tx = db.write().await.unwrap();
        let mut q = questionnaires::current(&mut tx, Purpose::Event)
            .await
            .unwrap()
            .unwrap()
            .questionnaire;
        q.title = "Votre avis, deuxième version".into();
        q.version = 99;
        let saved = questionnaires::save(&mut tx, &q, None, 50).await.unwrap();
        assert_eq!(saved.questionnaire.version, 2);
        assert_eq!(
            questionnaires::by_id(&mut tx, saved.id)
                .await
                .unwrap()
                .unwrap(),
            saved
        );
        sqlx::query(
            "INSERT INTO questionnaire_invitations (questionnaire_id, token_hash, subject_kind, subject_id, respondent, email, department_code, created_at) \
             VALUES ($1, 'h1', 'event', 7, 'participant', 'p@exemple.fr', '75', 1)",
        )
        .bind(saved.id)
        .execute(&mut *tx)
        .await
        .unwrap();
        let inv = responses::invitation(&mut tx, "h1").await.unwrap().unwrap();
        assert!(!inv.is_answered() && !inv.is_audience_link());
        let answers = vec![
            ("ressenti".to_owned(), Response::Given(Value::Scale(4))),
            ("appris".to_owned(), Response::Declined),
            (
                "choix".to_owned(),
                Response::Given(Value::Choices(vec![1, 3])),
            ),
            (
                "oui".to_owned(),
                Response::Given(Value::YesNo(YesNo::DontKnow)),
            ),
            ("commentaire".to_owned(), Response::Skipped),
        ];
        let first = responses::answer(&mut tx, &inv, &answers, 60)
            .await
            .unwrap();
        let again = responses::answer(&mut tx, &inv, &answers, 61)
            .await
            .unwrap();
        assert!(matches!(first, responses::Recorded::Saved(_)));
        assert_eq!(again, responses::Recorded::AlreadyAnswered);
        tx.commit().await.unwrap();
        let mut conn = db.conn().await.unwrap();
        let given = responses::about(&mut conn, "event", 7).await.unwrap();
        assert_eq!(given.len(), 1);
        let rows: Vec<(String, Option<i64>, bool)> = given[0]
            .answers
            .iter()
            .map(|a| (a.question_code.clone(), a.value, a.declined))
            .collect();
        assert_eq!(
            rows,
            [
                ("ressenti".into(), Some(4), false),
                ("appris".into(), None, true),
                ("choix".into(), Some(1), false),
                ("choix".into(), Some(3), false),
                ("oui".into(), Some(-1), false),
            ]
        );
        let inv = responses::invitation(&mut conn, "h1")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(inv.answered_at, Some(60));
        assert!(inv.is_answered());
    }
}
