//! The review of an easy-read text by the people it is for: which texts can
//! be reviewed, the sentences a reviewer reads one by one, what their
//! answers add up to for the author, and the mark « Relu par des personnes
//! concernées » a text keeps only as long as it is the text that was
//! marked. The round itself is paid work: an intervention request of the
//! kind « Donner son avis » (storage and pages elsewhere).

use chrono::NaiveDate;

use crate::schedule::day_in_words;

/// A kind of text that has an easy-read version kept in the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Resource,
    News,
    Programme,
    /// A fixed page of the site (home, becoming a peer…).
    Page,
}

impl Subject {
    pub const ALL: [Subject; 4] = [
        Subject::Resource,
        Subject::News,
        Subject::Programme,
        Subject::Page,
    ];

    /// The code in addresses, forms and the database.
    pub fn code(self) -> &'static str {
        match self {
            Subject::Resource => "ressource",
            Subject::News => "actualite",
            Subject::Programme => "programme",
            Subject::Page => "page",
        }
    }

    pub fn from_code(code: &str) -> Option<Subject> {
        Subject::ALL.into_iter().find(|s| s.code() == code)
    }

    /// « la ressource », for sentences about it (« Revenir à … », « de … »:
    /// always a feminine noun, so that « à » and « de » never contract).
    pub fn label(self) -> &'static str {
        match self {
            Subject::Resource => "la ressource",
            Subject::News => "l’actualité",
            Subject::Programme => "la page du programme local",
            Subject::Page => "la page du site",
        }
    }
}

/// The sentences of a text, as a reviewer reads them one by one: the
/// easy-read rules' own cutting ([`crate::easy_read::sentences`]), so that
/// « phrase 3 » is the same sentence for the writing aid and the review.
pub fn sentences(text: &str) -> Vec<String> {
    crate::easy_read::sentences(text)
        .into_iter()
        .filter_map(|r| text.get(r))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// One reviewer's answer about one sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// 1-based, as the reviewer saw it.
    pub sentence: usize,
    pub understood: bool,
    /// The words the reviewer found hard (may be empty).
    pub words: String,
}

/// What the reviewers said about one sentence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub number: usize,
    pub text: String,
    pub understood: usize,
    pub not_understood: usize,
    /// The hard words, as written, each once.
    pub words: Vec<String>,
}

impl Tally {
    /// A sentence somebody did not understand, or that has hard words: the
    /// author looks at it first.
    pub fn to_revise(&self) -> bool {
        self.not_understood > 0 || !self.words.is_empty()
    }
}

/// The answers of every reviewer, sentence by sentence (answers about a
/// sentence the text no longer has are left out).
pub fn tally(sentences: &[String], answers: &[Answer]) -> Vec<Tally> {
    let mut out: Vec<Tally> = sentences
        .iter()
        .enumerate()
        .map(|(i, s)| Tally {
            number: i + 1,
            text: s.clone(),
            ..Tally::default()
        })
        .collect();
    for a in answers {
        let Some(t) = a.sentence.checked_sub(1).and_then(|i| out.get_mut(i)) else {
            continue;
        };
        if a.understood {
            t.understood += 1;
        } else {
            t.not_understood += 1;
        }
        let words = a.words.trim();
        if !words.is_empty()
            && !t
                .words
                .iter()
                .any(|w| w.to_lowercase() == words.to_lowercase())
        {
            t.words.push(words.to_owned());
        }
    }
    out
}

/// The first name of a display name (« Awa Diallo » → « Awa »): what a
/// reviewer who agreed is shown as.
pub fn first_name(display_name: &str) -> String {
    display_name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The mark of a text reviewed on `day`, naming the reviewers who agreed:
/// « Relu par des personnes concernées le jeudi 3 décembre 2026 (Awa et
/// Paul). »
pub fn mark_words(day: NaiveDate, names: &[String]) -> String {
    let who = match names {
        [] => String::new(),
        [one] => format!(" ({one})"),
        [rest @ .., last] => format!(" ({} et {last})", rest.join(", ")),
    };
    format!(
        "Relu par des personnes concernées le {}{who}.",
        day_in_words(day)
    )
}

/// Whether the text as it is now carries the mark: it is exactly the text
/// that was marked reviewed (any edit loses the mark until a new review).
pub fn still_reviewed(current: &str, reviewed: &str) -> bool {
    !current.trim().is_empty() && current.trim() == reviewed.trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(sentence: usize, understood: bool, words: &str) -> Answer {
        Answer {
            sentence,
            understood,
            words: words.into(),
        }
    }

    #[test]
    fn subjects_read_back_from_their_code() {
        for s in Subject::ALL {
            assert_eq!(Subject::from_code(s.code()), Some(s));
        }
        assert_eq!(Subject::from_code("inconnu"), None);
    }

    #[test]
    fn a_text_is_cut_into_its_sentences() {
        assert_eq!(
            sentences("Bonjour. Vous venez ?\nLa réunion est à 10 h ! Merci…\n\n  Fin"),
            vec![
                "Bonjour.",
                "Vous venez ?",
                "La réunion est à 10 h !",
                "Merci…",
                "Fin"
            ]
        );
        assert_eq!(
            sentences("Le 3.5 reste entier."),
            vec!["Le 3.5 reste entier."]
        );
        assert!(sentences(" \n ").is_empty());
    }

    #[test]
    fn answers_add_up_sentence_by_sentence() {
        let s = vec![
            "Vous pouvez venir.".to_owned(),
            "La réunion a lieu en visioconférence.".to_owned(),
        ];
        let t = tally(
            &s,
            &[
                answer(1, true, ""),
                answer(2, false, "visioconférence"),
                answer(2, true, "VisioconfÉrence"),
                answer(3, false, "ignored"),
                answer(0, false, "ignored too"),
            ],
        );
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].understood, t[0].not_understood), (1, 0));
        assert!(!t[0].to_revise());
        assert_eq!((t[1].understood, t[1].not_understood), (1, 1));
        assert_eq!(t[1].words, vec!["visioconférence".to_owned()]);
        assert!(t[1].to_revise());
    }

    #[test]
    fn the_mark_names_who_agreed() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(
            mark_words(day, &[]),
            "Relu par des personnes concernées le jeudi 3 décembre 2026."
        );
        assert_eq!(
            mark_words(day, &["Awa".into(), "Paul".into(), "Léa".into()]),
            "Relu par des personnes concernées le jeudi 3 décembre 2026 (Awa, Paul et Léa)."
        );
        assert_eq!(first_name("Awa Diallo"), "Awa");
    }

    #[test]
    fn an_edit_loses_the_mark() {
        assert!(still_reviewed("Vous pouvez venir. ", "Vous pouvez venir."));
        assert!(!still_reviewed("Vous pouvez venir !", "Vous pouvez venir."));
        assert!(!still_reviewed("", ""));
    }
}
