//! The e-mails asking for an opinion, in plain French or in easy-read
//! French when the person asked for easy-read documents: what it is about
//! (« l’intervention du jeudi 10 décembre 2026 chez … »), the personal link
//! `/questionnaire/{token}`, how long it takes, that answering is free and
//! that every question accepts « Je préfère ne pas répondre ».

use epop_domain::questionnaire::Purpose;
use epop_domain::questionnaire::sending::{Respondent, SubjectKind};
use epop_store::outbox::Message;
use epop_store::questionnaires::invitations::About;

use crate::french::french_day;

const SIGNATURE: &str = "\n--\nEPoP – réseau des intervenants-pairs\n\
Vous recevez ce message parce que vous avez pris part à ce que le réseau organise.\n\
Vos réponses sont gardées sans votre nom ni votre adresse.\n";

/// One e-mail: the first invitation or its one reminder.
pub struct Letter<'a> {
    pub to: &'a str,
    pub name: Option<&'a str>,
    pub purpose: Purpose,
    pub respondent: Respondent,
    pub about: &'a About,
    /// The personal link, in full.
    pub link: &'a str,
    pub questions: usize,
    pub minutes: u32,
    pub easy_read: bool,
    pub reminder: bool,
}

impl Letter<'_> {
    fn day(&self, ts: Option<i64>) -> Option<String> {
        ts.map(french_day)
    }

    /// « l’intervention du jeudi 10 décembre 2026 », « la formation « … » ».
    fn short(&self) -> String {
        let a = self.about;
        match epop_domain::questionnaire::sending::subject_of(self.purpose) {
            SubjectKind::Intervention => match self.day(a.starts_at) {
                Some(day) => format!("l’intervention du {day}"),
                None => "l’intervention".to_owned(),
            },
            SubjectKind::Training => format!("la formation « {} »", a.title),
            SubjectKind::Event => format!("l’événement « {} »", a.title),
        }
    }

    /// The whole of what it is about, with the place and the days.
    fn long(&self) -> String {
        let a = self.about;
        let mut s = self.short();
        match self.purpose {
            Purpose::Intervention => {
                if let Some(place) = a.place.as_deref().filter(|p| !p.is_empty()) {
                    s.push_str(&format!(" chez {place}"));
                }
                if !a.title.trim().is_empty() {
                    s.push_str(&format!(" (« {} »)", a.title.trim()));
                }
            }
            Purpose::TrainingEnd | Purpose::TrainingLater => {
                if self.respondent == Respondent::Employer {
                    s.push_str(" qu’une personne de votre structure a suivie");
                } else if let Some(place) = a.place.as_deref().filter(|p| !p.is_empty()) {
                    s.push_str(&format!(" à {place}"));
                }
                if let Some(day) = self.day(a.ends_at) {
                    s.push_str(&format!(", terminée le {day}"));
                }
                if self.purpose == Purpose::TrainingLater {
                    s.push_str(", il y a six mois");
                }
            }
            Purpose::Event => {
                if let Some(day) = self.day(a.starts_at) {
                    s.push_str(&format!(" du {day}"));
                }
            }
        }
        s
    }

    pub fn message(&self) -> Message {
        let short = self.short();
        let subject = if self.reminder {
            format!("Rappel : votre avis sur {short}")
        } else {
            format!("Votre avis sur {short}")
        };
        let hello = match self.name.filter(|n| !n.trim().is_empty()) {
            Some(name) => format!("Bonjour {},", name.trim()),
            None => "Bonjour,".to_owned(),
        };
        let body = if self.easy_read {
            self.easy()
        } else {
            self.ordinary()
        };
        Message {
            recipient: self.to.to_owned(),
            subject,
            body_text: format!("{hello}\n\n{body}{SIGNATURE}"),
            attachment: None,
        }
    }

    fn ordinary(&self) -> String {
        let reminder = if self.reminder {
            "Nous vous avons écrit il y a une semaine. Voici un nouveau lien ; celui du premier \
             message marche toujours. C’est notre seul rappel.\n\n"
        } else {
            ""
        };
        format!(
            "{reminder}Nous aimerions connaître votre avis sur {}.\n\n\
             Pour répondre, ouvrez ce lien personnel (sans compte, sans mot de passe) :\n{}\n\n\
             Il y a {} questions ; cela prend environ {} minutes.\n\
             Répondre est libre, et chaque question accepte « Je préfère ne pas répondre ».\n\
             Vos réponses sont comptées avec celles des autres personnes, sans votre nom : \
             personne ne saura qui a répondu quoi.\n\
             Ce lien est à vous : ne le transférez pas.\n",
            self.long(),
            self.link,
            self.questions,
            self.minutes
        )
    }

    fn easy(&self) -> String {
        let reminder = if self.reminder {
            "Nous vous avons déjà écrit il y a une semaine.\n\
             Nous vous écrivons une dernière fois.\n\n"
        } else {
            ""
        };
        format!(
            "{reminder}Nous voulons savoir ce que vous pensez de {}.\n\n\
             Pour donner votre avis, ouvrez ce lien :\n{}\n\n\
             Il y a {} questions.\n\
             Cela prend environ {} minutes.\n\n\
             Répondre n’est pas obligatoire.\n\
             Pour chaque question, vous pouvez choisir : « Je préfère ne pas répondre ».\n\
             Nous ne disons à personne ce que vous avez répondu.\n",
            self.long(),
            self.link,
            self.questions,
            self.minutes
        )
    }
}
