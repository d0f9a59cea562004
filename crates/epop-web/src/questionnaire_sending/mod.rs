//! The worker's questionnaire work: invite whoever is due a questionnaire
//! (see `epop_domain::questionnaire::sending` for who and when) and send
//! the one reminder, each e-mail written to the outbox in the transaction
//! that creates the invitation or marks the reminder, so that an e-mail is
//! never lost and never written twice, even by two workers at once.

mod mails;

use std::collections::HashMap;

use epop_domain::questionnaire::Purpose;
use epop_domain::questionnaire::sending::{SubjectKind, minutes_to_answer};
use epop_store::Conn as AnyConnection;
use epop_store::questionnaires;
use epop_store::questionnaires::invitations::{self, About};
use epop_store::{Db, Result, outbox};

use crate::security::{hash_token, random_token};

/// At most this many people of each kind are invited per run (the next run
/// takes the rest).
const BATCH: i64 = 200;

/// Invites whoever is due and sends the reminders due at `now`, in one
/// transaction; returns how many e-mails were written.
pub async fn run_due(db: &Db, base_url: &str, now: i64) -> Result<usize> {
    let mut tx = db.write().await?;
    let mut written = invite_due(&mut tx, base_url, now).await?;
    written += remind_due(&mut tx, base_url, now).await?;
    tx.commit().await?;
    Ok(written)
}

/// What each subject is, read once per run.
#[derive(Default)]
struct Subjects(HashMap<(SubjectKind, i64), Option<About>>);

impl Subjects {
    async fn get(
        &mut self,
        conn: &mut AnyConnection,
        kind: SubjectKind,
        id: i64,
    ) -> Result<Option<About>> {
        if let Some(a) = self.0.get(&(kind, id)) {
            return Ok(a.clone());
        }
        let a = invitations::about(conn, kind, id).await?;
        self.0.insert((kind, id), a.clone());
        Ok(a)
    }
}

async fn invite_due(conn: &mut AnyConnection, base_url: &str, now: i64) -> Result<usize> {
    let mut written = 0;
    let mut subjects = Subjects::default();
    for purpose in Purpose::ALL {
        let Some(current) = questionnaires::current(conn, purpose).await? else {
            continue;
        };
        let (questionnaire_id, questions) = (current.id, current.questionnaire.questions.len());
        for d in invitations::due(conn, purpose, questionnaire_id, now, BATCH).await? {
            let Some(about) = subjects.get(conn, d.subject_kind, d.subject_id).await? else {
                continue;
            };
            let token = random_token();
            if invitations::create(conn, questionnaire_id, &d, &hash_token(&token), now)
                .await?
                .is_none()
            {
                continue;
            }
            let link = format!("{base_url}/questionnaire/{token}");
            let letter = mails::Letter {
                to: &d.email,
                name: d.name.as_deref(),
                purpose,
                respondent: d.respondent,
                about: &about,
                link: &link,
                questions,
                minutes: minutes_to_answer(questions),
                easy_read: d.easy_read,
                reminder: false,
            };
            outbox::enqueue(conn, &letter.message()).await?;
            written += 1;
        }
    }
    Ok(written)
}

async fn remind_due(conn: &mut AnyConnection, base_url: &str, now: i64) -> Result<usize> {
    let mut written = 0;
    let mut subjects = Subjects::default();
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for i in invitations::reminders_due(conn, now, BATCH).await? {
        let (Some(purpose), Some(kind), Some(respondent), Some(email)) =
            (i.purpose, i.subject_kind, i.respondent, i.email.as_deref())
        else {
            continue;
        };
        let Some(about) = subjects.get(conn, kind, i.subject_id).await? else {
            continue;
        };
        let token = random_token();
        if !invitations::take_reminder(conn, i.id, &hash_token(&token), now).await? {
            continue;
        }
        let questions = match counts.get(&i.questionnaire_id) {
            Some(n) => *n,
            None => {
                let n = questionnaires::by_id(conn, i.questionnaire_id)
                    .await?
                    .map_or(0, |q| q.questionnaire.questions.len());
                counts.insert(i.questionnaire_id, n);
                n
            }
        };
        let link = format!("{base_url}/questionnaire/{token}");
        let letter = mails::Letter {
            to: email,
            name: i.name.as_deref(),
            purpose,
            respondent,
            about: &about,
            link: &link,
            questions,
            minutes: minutes_to_answer(questions),
            easy_read: i.easy_read,
            reminder: true,
        };
        outbox::enqueue(conn, &letter.message()).await?;
        written += 1;
    }
    Ok(written)
}
