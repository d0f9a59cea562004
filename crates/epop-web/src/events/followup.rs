//! An information meeting may present a training programme: its page and
//! the registration's page say so, with the programme's sessions, and once
//! it has ended offer the application (`/devenir-intervenant-pair` or
//! `/devenir-referent`, with the meeting's département). The worker then
//! writes once to each person who had a seat and was not marked absent:
//! thanks, the training, its next sessions and the link to apply, in
//! easy-read French when the registration asked for easy-read documents.

use epop_domain::candidate::path_of;
use epop_domain::event::Need;
use epop_store::Conn as AnyConnection;
use epop_store::Result;
use epop_store::events::{self, Event, Registration};
use epop_store::outbox::Message;
use epop_store::trainings::{self, Programme, Session};

use super::mails::SIGNATURE;
use crate::french::{french_day, french_when};

/// How many sessions the e-mail lists at most.
const SESSIONS_LISTED: usize = 5;

/// What a page says about the training a meeting presents.
#[derive(Debug, Clone)]
pub struct Offer {
    pub title: String,
    /// The programme's sessions on `/formations`.
    pub sessions_href: String,
    /// Where to apply, with the meeting's département.
    pub apply_href: String,
    /// The meeting has ended: the application is offered.
    pub ended: bool,
}

impl Offer {
    /// The offer of an information meeting that presents a programme and
    /// was not cancelled; `None` for any other event.
    pub async fn of(conn: &mut AnyConnection, e: &Event, now: i64) -> Result<Option<Offer>> {
        let Some(id) = e.training_programme_id else {
            return Ok(None);
        };
        if !e.information_meeting || e.cancel_reason.is_some() {
            return Ok(None);
        }
        Ok(programme(conn, id).await?.map(|p| Offer {
            sessions_href: sessions_href(&p),
            apply_href: apply_href(&p, e),
            title: p.title,
            ended: e.ends_at <= now,
        }))
    }
}

async fn programme(conn: &mut AnyConnection, id: i64) -> Result<Option<Programme>> {
    Ok(trainings::programmes(conn)
        .await?
        .into_iter()
        .find(|p| p.id == id))
}

fn sessions_href(p: &Programme) -> String {
    format!("/formations#programme-{}", p.slug)
}

/// `/devenir-intervenant-pair` or `/devenir-referent` as the programme's
/// audience says, with the meeting's département when it has one.
fn apply_href(p: &Programme, e: &Event) -> String {
    let path = format!("/devenir-{}", path_of(p.audience));
    match &e.department_code {
        Some(code) => format!("{path}?departement={code}"),
        None => path,
    }
}

/// This feature's follow-ups due now, in the caller's transaction (each
/// marked sent as it is taken); returns how many e-mails were written.
pub async fn send_due(conn: &mut AnyConnection, base_url: &str, now: i64) -> Result<usize> {
    let due = events::take_due_followups(&mut *conn, now).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let sessions = trainings::sessions(&mut *conn).await?;
    let mut written = 0;
    for (r, e) in due {
        let Some(id) = e.training_programme_id else {
            continue;
        };
        let Some(p) = programme(&mut *conn, id).await? else {
            continue;
        };
        let open: Vec<&Session> = sessions
            .iter()
            .filter(|s| s.programme.id == p.id && s.starts_at() > now)
            .take(SESSIONS_LISTED)
            .collect();
        let m = Followup {
            base_url,
            e: &e,
            r: &r,
            p: &p,
            sessions: &open,
        };
        let message = if r.needs.contains(&Need::EasyRead) {
            m.easy()
        } else {
            m.ordinary()
        };
        epop_store::outbox::enqueue(&mut *conn, &message).await?;
        written += 1;
    }
    Ok(written)
}

/// One person's follow-up e-mail.
struct Followup<'a> {
    base_url: &'a str,
    e: &'a Event,
    r: &'a Registration,
    p: &'a Programme,
    sessions: &'a [&'a Session],
}

impl Followup<'_> {
    fn apply_link(&self) -> String {
        format!("{}{}", self.base_url, apply_href(self.p, self.e))
    }

    fn contact_link(&self) -> String {
        format!(
            "{}/ecrire-a-la-coordination?evenement={}",
            self.base_url, self.e.slug
        )
    }

    fn message(&self, subject: String, body: String) -> Message {
        Message {
            recipient: self.r.email.clone(),
            subject,
            body_text: format!("Bonjour {},\n\n{body}{SIGNATURE}", self.r.name),
            attachment: None,
        }
    }

    /// The sessions open to applications, one `line` each under
    /// `heading`, or `none` and where they will be published.
    fn sessions_text(
        &self,
        heading: &str,
        none: &str,
        line: impl Fn(&Session) -> String,
    ) -> String {
        if self.sessions.is_empty() {
            return format!("{none}\n{}{}\n", self.base_url, sessions_href(self.p));
        }
        let lines: Vec<String> = self.sessions.iter().map(|s| line(s)).collect();
        format!("{heading}\n{}\n", lines.join("\n"))
    }

    fn ordinary(&self) -> Message {
        let (e, p, base) = (self.e, self.p, self.base_url);
        let sessions = self.sessions_text(
            "Les prochaines sessions ouvertes aux candidatures :",
            "Aucune session n’est annoncée pour l’instant ; les prochaines seront publiées ici :",
            |s| {
                format!(
                    "- {} : {}, {} ({})\n  {base}/formations/{}",
                    s.title,
                    french_when(s.starts_at(), s.ends_at()),
                    s.place,
                    s.department_name,
                    s.slug
                )
            },
        );
        self.message(
            format!("Merci pour la réunion d’information : {}", e.title),
            format!(
                "Merci d’avoir participé à la réunion d’information « {} » ({}).\n\n\
                 Elle présentait la formation « {} » ({}, {} heures) :\n{}\n\n{sessions}\n\
                 Vous voulez suivre la formation ? Posez votre candidature ici :\n{}\n\n\
                 Une question ? Écrivez à la coordination :\n{}\n",
                e.title,
                french_when(e.starts_at, e.ends_at),
                p.title,
                p.duration,
                p.hours,
                p.description.trim(),
                self.apply_link(),
                self.contact_link()
            ),
        )
    }

    fn easy(&self) -> Message {
        let (e, p, base) = (self.e, self.p, self.base_url);
        let sessions = self.sessions_text(
            "Les prochaines formations :",
            "Pour l’instant, la formation n’a pas de date.\nLes dates seront sur cette page :",
            |s| {
                format!(
                    "- Le {}, à {} ({}).\n  Pour en savoir plus, ouvrez ce lien :\n  {base}/formations/{}",
                    french_day(s.starts_at()),
                    s.place,
                    s.department_name,
                    s.slug
                )
            },
        );
        self.message(
            "Merci pour votre présence à la réunion d’information".to_owned(),
            format!(
                "Merci pour votre présence à la réunion d’information.\n\
                 La réunion était le {}.\n\n\
                 Dans la réunion, nous avons parlé d’une formation.\n\
                 Cette formation s’appelle : « {} ».\n{}\n\n\
                 Vous voulez suivre la formation ?\n\
                 Vous pouvez poser votre candidature.\n\
                 Poser votre candidature veut dire : dire que vous voulez faire la formation.\n\
                 Pour poser votre candidature, ouvrez ce lien :\n{}\n\n{sessions}\n\
                 Vous avez une question ?\n\
                 Vous pouvez écrire à l’équipe qui organise la formation.\n\
                 Ouvrez ce lien :\n{}\n",
                french_day(e.starts_at),
                p.title,
                p.description_easy.trim(),
                self.apply_link(),
                self.contact_link()
            ),
        )
    }
}
