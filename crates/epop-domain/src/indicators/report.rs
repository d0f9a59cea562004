//! From the raw [`Indicators`] to the [`Report`] every view renders: one
//! section per subject with its title, a one-sentence summary in French, a
//! note saying what each figure counts, and its figures as the viewer may
//! see them.
//!
//! Counts of things (requests, interventions, sessions, hours, events) are
//! always exact. Counts of people (peers, trainees, participants,
//! candidates, people asked and answers) read « moins de 5 » below 5 for a
//! masked sight; a total that would let a hidden figure be worked out by
//! subtraction is withheld too (a scale question's answers are given step
//! by step, without their total, as soon as one step is hidden), and the
//! money paid to peers is not said when fewer than 5 peers were paid (it
//! would tell what a person earned).

use crate::directory::InterventionKind;
use crate::figures::{Cell, Chart, Report, Row, Section, grouped};
use crate::lifecycle::State;
use crate::organisation::OrganisationKind;
use crate::questionnaire::small::{Figure, Rate, Sight, THRESHOLD, distribution};
use crate::questionnaire::{Purpose, SCALE};

use super::{Filter, Indicators, Scale};

/// The report of `ind`, counted for `filter` over the territory named
/// `place` (« Occitanie », « la France entière »), as `sight` may see it.
pub fn report(ind: &Indicators, filter: &Filter, place: &str, sight: Sight) -> Report {
    let when = filter.period.words();
    let scope = match filter.kind {
        Some(k) => format!(
            "{place}, {} ; interventions : {}",
            lower_first(&when),
            k.label()
        ),
        None => format!("{place}, {}", lower_first(&when)),
    };
    let mut sections = vec![
        requests(ind, &when),
        cancelled(ind),
        months(ind, filter),
        delay(ind),
        by_kind(ind, &when),
        by_host(ind),
        reach(ind, sight),
        peers(ind, sight),
        trainings(ind, sight),
        events(ind, sight),
        candidates(ind, sight),
        money(ind, sight),
        asked(ind, sight),
    ];
    sections.extend(ind.satisfaction.iter().map(|s| satisfaction(s, ind, sight)));
    Report {
        title: format!("Indicateurs : {place}"),
        scope,
        sections,
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn people(n: u64, sight: Sight) -> Cell {
    Cell::Count(Figure::of(n, sight))
}

/// « 3 demandes », « 1 demande », « 0 demande ».
fn count_of(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n as i64), if n > 1 { many } else { one })
}

/// A count of people as a sentence says it.
fn said(n: u64, sight: Sight, one: &str, many: &str) -> String {
    match Figure::of(n, sight) {
        Figure::Exact(n) => count_of(n, one, many),
        Figure::FewerThanFive => format!("moins de 5 {many}"),
    }
}

fn row(label: impl Into<String>, cells: Vec<Cell>) -> Row {
    Row {
        label: label.into(),
        cells,
    }
}

fn section(code: &str, title: &str, summary: String, chart: Chart, columns: &[&str]) -> Section {
    Section {
        code: code.to_owned(),
        title: title.to_owned(),
        summary,
        chart,
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        rows: Vec::new(),
        note: String::new(),
    }
}

fn requests(ind: &Indicators, when: &str) -> Section {
    let f = &ind.requests;
    let mut s = section(
        "demandes",
        "Les demandes d’intervention",
        format!(
            "{when}, {}, dont {}.",
            count_of(f.received, "demande reçue", "demandes reçues"),
            count_of(f.done, "réalisée", "réalisées")
        ),
        Chart::Bars,
        &["Étape", "Demandes"],
    );
    s.rows = [
        ("Reçues", f.received),
        ("Examinées par la coordination", f.studied),
        ("Proposées à des intervenants-pairs", f.proposed),
        ("Acceptées par un intervenant-pair", f.accepted),
        ("Réalisées", f.done),
        ("Annulées", f.cancelled),
    ]
    .into_iter()
    .map(|(l, n)| row(l, vec![Cell::things(n)]))
    .collect();
    s.note = "Les demandes envoyées pendant la période, et jusqu’où chacune est allée depuis : une demande réalisée compte aussi comme reçue, examinée, proposée et acceptée.".into();
    s
}

fn cancelled(ind: &Indicators) -> Section {
    let total: u64 = ind.cancelled_from.iter().map(|(_, n)| n).sum();
    let mut s = section(
        "annulations",
        "Les demandes annulées, selon l’étape",
        format!(
            "{} parmi les demandes reçues.",
            count_of(total, "demande annulée", "demandes annulées")
        ),
        Chart::Bars,
        &["Annulée à l’étape", "Demandes"],
    );
    s.rows = ind
        .cancelled_from
        .iter()
        .map(|(code, n)| {
            let label =
                State::from_code(code).map_or_else(|| code.clone(), |s| s.label().to_owned());
            row(label, vec![Cell::things(*n)])
        })
        .collect();
    s.note = "La raison écrite de chaque annulation n’est pas reprise ici : c’est un texte libre qui peut nommer des personnes.".into();
    s
}

fn months(ind: &Indicators, filter: &Filter) -> Section {
    let months = filter.period.months();
    let mut s = section(
        "mois",
        "Mois par mois",
        format!(
            "Demandes reçues et interventions réalisées chaque mois, de {} à {}.",
            months.first().map(|m| m.words()).unwrap_or_default(),
            months.last().map(|m| m.words()).unwrap_or_default()
        ),
        Chart::Months,
        &["Mois", "Demandes reçues", "Interventions réalisées"],
    );
    s.rows = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            row(
                m.words(),
                vec![
                    Cell::things(ind.received_by_month.get(i).copied().unwrap_or(0)),
                    Cell::things(ind.done_by_month.get(i).copied().unwrap_or(0)),
                ],
            )
        })
        .collect();
    s
}

fn delay(ind: &Indicators) -> Section {
    let mut s = section(
        "delai",
        "Délai entre la demande et l’intervention",
        match ind.median_days_to_done {
            Some(d) => format!(
                "La moitié des interventions réalisées l’ont été en {} jours ou moins après la demande.",
                grouped(d as i64)
            ),
            None => "Aucune intervention réalisée pendant la période.".into(),
        },
        Chart::None,
        &["Mesure", "Valeur"],
    );
    s.rows = vec![row(
        "Délai médian",
        vec![match ind.median_days_to_done {
            Some(d) => Cell::Decimal {
                tenths: d as i64 * 10,
                unit: "jours",
            },
            None => Cell::Text("sans objet".into()),
        }],
    )];
    s.note = "En jours entiers, de l’envoi de la demande au jour où l’intervention est marquée réalisée.".into();
    s
}

fn by_kind(ind: &Indicators, when: &str) -> Section {
    let total: u64 = ind.done_by_kind.iter().map(|(_, n)| n).sum();
    let mut s = section(
        "interventions-type",
        "Les interventions réalisées, par type",
        format!(
            "{when}, {}.",
            count_of(total, "intervention réalisée", "interventions réalisées")
        ),
        Chart::Bars,
        &["Type d’intervention", "Interventions"],
    );
    s.rows = ind
        .done_by_kind
        .iter()
        .map(|(code, n)| {
            let label = InterventionKind::parse(code).map_or("Type non précisé", |k| k.label());
            row(label, vec![Cell::things(*n)])
        })
        .collect();
    s.note = "Une intervention compte le mois où elle est marquée réalisée.".into();
    s
}

fn by_host(ind: &Indicators) -> Section {
    let mut s = section(
        "interventions-structure",
        "Les interventions réalisées, par type de structure d’accueil",
        match ind.done_by_host.iter().max_by_key(|(_, n)| *n) {
            Some((code, _)) => format!(
                "Les structures qui ont accueilli le plus d’interventions : {}.",
                host_label(code).to_lowercase()
            ),
            None => "Aucune intervention réalisée pendant la période.".into(),
        },
        Chart::Bars,
        &["Type de structure", "Interventions"],
    );
    s.rows = ind
        .done_by_host
        .iter()
        .map(|(code, n)| row(host_label(code), vec![Cell::things(*n)]))
        .collect();
    s
}

fn host_label(code: &str) -> &'static str {
    OrganisationKind::from_code(code).map_or("Structure non précisée", |k| k.label())
}

fn reach(ind: &Indicators, sight: Sight) -> Section {
    let mut s = section(
        "heures-public",
        "Heures d’intervention et personnes touchées",
        format!(
            "{} d’intervention, devant {}.",
            count_of(ind.minutes / 60, "heure", "heures"),
            said(ind.people_reached, sight, "personne", "personnes")
        ),
        Chart::None,
        &["Mesure", "Valeur"],
    );
    s.rows = vec![
        row(
            "Heures d’intervention",
            vec![Cell::Decimal {
                tenths: (ind.minutes as i64 * 10 + 30) / 60,
                unit: "heures",
            }],
        ),
        row(
            "Personnes touchées",
            vec![people(ind.people_reached, sight)],
        ),
    ];
    s.note = "Les heures vont du début à la fin prévus de chaque intervention réalisée ; les personnes touchées sont la taille du public que la structure a indiquée.".into();
    s
}

fn peers(ind: &Indicators, sight: Sight) -> Section {
    let mut s = section(
        "pairs",
        "Intervenants-pairs et référents",
        format!(
            "{} ont fait au moins une intervention ; {} formés.",
            said(
                ind.peers_active,
                sight,
                "intervenant-pair",
                "intervenants-pairs"
            ),
            said(
                ind.peers_trained,
                sight,
                "nouvel intervenant-pair",
                "nouveaux intervenants-pairs"
            )
        ),
        Chart::Bars,
        &["Personnes", "Nombre"],
    );
    s.rows = vec![
        row(
            "Intervenants-pairs actifs (au moins une intervention)",
            vec![people(ind.peers_active, sight)],
        ),
        row(
            "Intervenants-pairs formés",
            vec![people(ind.peers_trained, sight)],
        ),
        row(
            "Référents formés",
            vec![people(ind.referents_trained, sight)],
        ),
    ];
    s.note =
        "Formés : formation terminée pendant la période, personnes qui habitent le territoire."
            .into();
    s
}

fn trainings(ind: &Indicators, sight: Sight) -> Section {
    let rate = attendance_rate(
        ind.attendance_present,
        ind.attendance_marked,
        ind.trainees,
        sight,
    );
    let mut s = section(
        "formations",
        "Les formations",
        format!(
            "{} de formation, en {}, pour {}.",
            count_of(ind.training_sessions, "session", "sessions"),
            count_of(ind.training_half_days, "demi-journée", "demi-journées"),
            said(ind.trainees, sight, "stagiaire", "stagiaires")
        ),
        Chart::None,
        &["Mesure", "Valeur"],
    );
    s.rows = vec![
        row("Sessions", vec![Cell::things(ind.training_sessions)]),
        row("Demi-journées", vec![Cell::things(ind.training_half_days)]),
        row("Stagiaires", vec![people(ind.trainees, sight)]),
        row("Taux de présence", vec![Cell::Percent(rate)]),
    ];
    s.note = "Le taux de présence compte les présences notées sur toutes les demi-journées de la période ; il n’est pas dit pour moins de 5 stagiaires.".into();
    s
}

fn attendance_rate(present: u64, marked: u64, people: u64, sight: Sight) -> Option<u64> {
    if marked == 0 || (sight == Sight::Masked && people < THRESHOLD) {
        None
    } else {
        Some((present * 100 + marked / 2) / marked)
    }
}

fn events(ind: &Indicators, sight: Sight) -> Section {
    let mut s = section(
        "evenements",
        "Événements et réunions d’information",
        format!(
            "{} et {}, avec {} présentes.",
            count_of(ind.events, "événement", "événements"),
            count_of(
                ind.meetings,
                "réunion d’information",
                "réunions d’information"
            ),
            said(
                ind.event_attended + ind.meeting_attended,
                sight,
                "personne",
                "personnes"
            )
        ),
        Chart::Bars,
        &["Rencontres", "Nombre", "Inscriptions", "Présences"],
    );
    s.rows = vec![
        row(
            "Événements",
            vec![
                Cell::things(ind.events),
                people(ind.event_registrations, sight),
                people(ind.event_attended, sight),
            ],
        ),
        row(
            "Réunions d’information",
            vec![
                Cell::things(ind.meetings),
                people(ind.meeting_registrations, sight),
                people(ind.meeting_attended, sight),
            ],
        ),
    ];
    s.note = "Les rencontres non annulées qui ont commencé pendant la période ; inscriptions non annulées, présences notées par l’organisation.".into();
    s
}

fn candidates(ind: &Indicators, sight: Sight) -> Section {
    let mut s = section(
        "candidatures",
        "Les candidatures pour rejoindre le réseau",
        format!(
            "{} envoyées ; {} formées depuis.",
            said(ind.candidates, sight, "candidature", "candidatures"),
            said(ind.candidates_trained, sight, "personne", "personnes")
        ),
        Chart::Bars,
        &["Candidatures", "Personnes"],
    );
    s.rows = vec![
        row("Candidatures envoyées", vec![people(ind.candidates, sight)]),
        row(
            "Devenues intervenants-pairs ou référents",
            vec![people(ind.candidates_trained, sight)],
        ),
    ];
    s
}

fn money(ind: &Indicators, sight: Sight) -> Section {
    let hidden = sight == Sight::Masked && ind.peers_active < THRESHOLD;
    let cell = |cents: i64| {
        if hidden && cents != 0 {
            Cell::Text("non communiqué".into())
        } else {
            Cell::Money(cents)
        }
    };
    let mut s = section(
        "argent",
        "Rémunérations et frais des intervenants-pairs",
        if hidden && ind.paid_cents + ind.expenses_cents != 0 {
            "Les montants ne sont pas dits : moins de 5 intervenants-pairs sont intervenus.".into()
        } else {
            format!(
                "{} versés aux intervenants-pairs et {} de frais.",
                Cell::Money(ind.paid_cents).shown(),
                Cell::Money(ind.expenses_cents).shown()
            )
        },
        Chart::None,
        &["Montant", "Euros"],
    );
    s.rows = vec![
        row("Rémunérations versées", vec![cell(ind.paid_cents)]),
        row("Frais déclarés", vec![cell(ind.expenses_cents)]),
    ];
    s.note = "Pour les interventions réalisées pendant la période : rémunérations marquées payées, frais déclarés avec leurs justificatifs.".into();
    s
}

fn purpose_label(code: &str) -> String {
    Purpose::from_code(code).map_or_else(|| code.to_owned(), |p| p.label().to_owned())
}

fn asked(ind: &Indicators, sight: Sight) -> Section {
    let invitations: u64 = ind.asked.iter().map(|a| a.invitations).sum();
    let mut s = section(
        "questionnaires",
        "Les questionnaires : personnes interrogées et réponses",
        format!(
            "{} ; {} reçues.",
            said(
                invitations,
                sight,
                "personne interrogée",
                "personnes interrogées"
            ),
            said(
                ind.asked.iter().map(|a| a.responses).sum(),
                sight,
                "réponse",
                "réponses"
            )
        ),
        Chart::None,
        &[
            "Questionnaire",
            "Personnes interrogées",
            "Réponses",
            "Taux de réponse",
        ],
    );
    s.rows = ind
        .asked
        .iter()
        .map(|a| {
            let rate = distribution(&[], a.responses, a.invitations, sight).rate;
            row(
                purpose_label(&a.purpose),
                vec![
                    people(a.invitations, sight),
                    people(a.responses, sight),
                    Cell::Percent(match rate {
                        Rate::Percent(p) => Some(p),
                        Rate::NobodyAsked | Rate::Hidden => None,
                    }),
                ],
            )
        })
        .collect();
    s.note = "Les réponses sont anonymes : elles ne disent pas qui a répondu. Le taux n’est pas dit pour moins de 5 réponses.".into();
    s
}

fn satisfaction(q: &Scale, ind: &Indicators, sight: Sight) -> Section {
    let asked = ind
        .asked
        .iter()
        .find(|a| a.purpose == q.purpose)
        .map_or(0, |a| a.invitations);
    let d = distribution(&q.per_step, q.declined, asked, sight);
    let some_hidden = d.steps.iter().any(|s| s.count == Figure::FewerThanFive)
        || d.declined == Figure::FewerThanFive;
    let best: u64 = q
        .per_step
        .iter()
        .filter(|(v, _)| *v >= 4)
        .map(|(_, n)| n)
        .sum();
    let answered: u64 = q
        .per_step
        .iter()
        .filter(|(v, _)| (1..=5).contains(v))
        .map(|(_, n)| n)
        .sum();
    let summary = match d.answered {
        Figure::Exact(0) => format!("« {} » : pas encore de réponse.", q.wording),
        Figure::Exact(_) if !some_hidden => format!(
            "« {} » : {} sur {} ont répondu « Très bien » ou « Bien ».",
            q.wording,
            grouped(best as i64),
            grouped(answered as i64)
        ),
        _ => format!(
            "« {} » : les réponses, étape par étape (moins de 5 personnes pour certaines).",
            q.wording
        ),
    };
    let mut s = section(
        &format!("satisfaction-{}-{}", q.purpose, q.question_code),
        &format!("{} : {}", purpose_label(&q.purpose), q.wording),
        summary,
        Chart::Parts,
        &["Réponse", "Personnes"],
    );
    s.rows = d
        .steps
        .iter()
        .map(|st| row(st.label, vec![Cell::Count(st.count)]))
        .collect();
    s.rows.push(row(
        "Je préfère ne pas répondre",
        vec![Cell::Count(d.declined)],
    ));
    if !some_hidden {
        s.rows
            .push(row("Total des réponses", vec![Cell::Count(d.answered)]));
    }
    s.note = format!(
        "Les réponses à cette question sur l’échelle en cinq mots ({} à {}).{}",
        SCALE[0].1,
        SCALE[4].1,
        if some_hidden {
            " Le total n’est pas dit : il permettrait de retrouver un chiffre caché."
        } else {
            ""
        }
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::{Asked, Funnel};

    fn sample() -> Indicators {
        Indicators {
            requests: Funnel {
                received: 124,
                studied: 110,
                proposed: 100,
                accepted: 90,
                done: 87,
                cancelled: 3,
            },
            cancelled_from: vec![("submitted".into(), 2), ("proposed".into(), 1)],
            received_by_month: vec![10; 12],
            done_by_month: vec![7; 12],
            median_days_to_done: Some(21),
            done_by_kind: vec![("former".into(), 80), ("sensibiliser".into(), 7)],
            done_by_host: vec![("association".into(), 87)],
            minutes: 90,
            people_reached: 3,
            peers_active: 4,
            peers_trained: 12,
            referents_trained: 0,
            trainees: 3,
            attendance_present: 5,
            attendance_marked: 6,
            paid_cents: 30_000,
            satisfaction: vec![Scale {
                purpose: "intervention".into(),
                question_code: "utile".into(),
                wording: "Utile ?".into(),
                per_step: vec![(5, 12), (4, 2)],
                declined: 0,
            }],
            asked: vec![Asked {
                purpose: "intervention".into(),
                invitations: 40,
                responses: 14,
            }],
            ..Default::default()
        }
    }

    fn cell<'a>(r: &'a Report, code: &str, label: &str) -> &'a Cell {
        let s = r.sections.iter().find(|s| s.code == code).unwrap();
        &s.rows.iter().find(|r| r.label == label).unwrap().cells[0]
    }

    #[test]
    fn the_summary_says_the_year_in_a_sentence() {
        let r = report(
            &sample(),
            &Filter::year(2026),
            "la France entière",
            Sight::Masked,
        );
        assert_eq!(
            r.sections[0].summary,
            "En 2026, 124 demandes reçues, dont 87 réalisées."
        );
        assert_eq!(r.scope, "la France entière, en 2026");
        assert_eq!(r.sections[2].rows.len(), 12);
        let mut one = sample();
        one.requests.received = 1;
        one.requests.done = 0;
        let r = report(&one, &Filter::year(2026), "x", Sight::Masked);
        assert_eq!(
            r.sections[0].summary,
            "En 2026, 1 demande reçue, dont 0 réalisée."
        );
    }

    #[test]
    fn people_below_five_are_hidden_and_things_are_not() {
        let r = report(&sample(), &Filter::year(2026), "x", Sight::Masked);
        assert_eq!(cell(&r, "demandes", "Annulées").shown(), "3");
        assert_eq!(
            cell(&r, "heures-public", "Personnes touchées").shown(),
            "moins de 5"
        );
        assert_eq!(cell(&r, "pairs", "Intervenants-pairs formés").shown(), "12");
        assert_eq!(
            cell(&r, "formations", "Taux de présence").shown(),
            "non communiqué"
        );
        assert_eq!(
            cell(&r, "argent", "Rémunérations versées").shown(),
            "non communiqué"
        );
        let sat = "satisfaction-intervention-utile";
        assert_eq!(cell(&r, sat, "Bien").shown(), "moins de 5");
        let s = r.sections.iter().find(|s| s.code == sat).unwrap();
        assert!(s.rows.iter().all(|r| r.label != "Total des réponses"));
        assert!(!s.summary.contains("14"), "{}", s.summary);
        let exact = report(&sample(), &Filter::year(2026), "x", Sight::Exact);
        assert_eq!(
            cell(&exact, "heures-public", "Personnes touchées").shown(),
            "3"
        );
        assert_eq!(
            cell(&exact, "formations", "Taux de présence").shown(),
            "83\u{a0}%"
        );
        assert_eq!(cell(&exact, sat, "Total des réponses").shown(), "14");
        assert_eq!(
            cell(&exact, "argent", "Rémunérations versées").shown(),
            "300,00\u{a0}€"
        );
    }
}
