//! Suggestions of peer workers for an intervention request: the hard filters
//! (each exclusion with its reason), the ranking (a score with named
//! weights, deterministic ties) and the explanation in plain French a
//! coordinator reads before deciding. Each exclusion is soft (a matter of
//! fit: the peer may still be asked, with a confirmation) or hard (never):
//! the rule is on [`Exclusion::is_hard`], the check on
//! [`Matching::standing`].
//!
//! The input is plain data the store fills; it holds nothing sensitive (no
//! accommodation, no experience of disability), so neither do the
//! suggestions nor the exclusions.
//!
//! **Ranking.** `score = THEME_WEIGHT × themes in common + distance −
//! OPPORTUNITY_WEIGHT × proposals in the last 90 days`, highest first; ties
//! go to the peer with fewer recent proposals, then by name, then by profile
//! id. Distance (on-site requests only) counts where the peer lives:
//! `SAME_DEPARTMENT` in the request's département, `SAME_REGION` in its
//! région, 0 elsewhere. With the weights below one theme in common (10)
//! outweighs up to two more proposals lately (8) but not three (12), and
//! living in the same département (6) weighs one proposal and a half: the
//! network wants the right person, but not always the same one. The last
//! intervention's date is shown in the explanation, not scored.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use chrono_tz::Europe::Paris;

use crate::directory::{Format, InterventionKind, Visibility};
use crate::text::{fold, plural};

/// Points per theme the peer shares with the request.
pub const THEME_WEIGHT: i64 = 10;
/// Points lost per proposal made to the peer in the last 90 days.
pub const OPPORTUNITY_WEIGHT: i64 = 4;
/// Points for living in the request's département (on-site requests).
pub const SAME_DEPARTMENT: i64 = 6;
/// Points for living in the request's région (on-site requests).
pub const SAME_REGION: i64 = 3;

/// When the intervention takes place, as far as the request knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A time (Unix seconds); its day in Paris is what counts.
    At(i64),
    /// Some time in this month.
    Month { year: i32, month: u32 },
}

/// What the matching needs to know about a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestNeeds {
    pub kind: InterventionKind,
    /// INSEE code of the département where it takes place.
    pub department: String,
    /// INSEE code of that département's région.
    pub region: String,
    pub remote: bool,
    pub themes: BTreeSet<i64>,
    /// `None`: no date yet (no one is excluded for being away).
    pub when: Option<When>,
}

/// What the matching needs to know about a peer worker's profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub profile_id: i64,
    pub display_name: String,
    pub kinds: BTreeSet<InterventionKind>,
    /// Départements the peer covers (their home counts too).
    pub departments: BTreeSet<String>,
    pub home_department: Option<String>,
    /// Région of the home département.
    pub home_region: Option<String>,
    /// Empty: not stated, taken as on site only.
    pub formats: BTreeSet<Format>,
    pub themes: BTreeSet<i64>,
    pub trained: bool,
    pub visibility: Visibility,
    /// The peer's own monthly limit; `None`: no limit.
    pub max_per_month: Option<u32>,
    /// Interventions already planned or done in the month of the request
    /// (this month when the request has no date).
    pub interventions_this_month: u32,
    /// Periods away, first and last day included.
    pub away: Vec<(NaiveDate, NaiveDate)>,
    /// Proposals made to the peer in the last 90 days, whatever the answer.
    pub opportunities_90_days: u32,
    /// When their last intervention took place (Unix seconds).
    pub last_intervention_at: Option<i64>,
}

/// Why a peer is suggested: each becomes a few French words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Covers the request's département (code).
    Covers(String),
    WorksRemotely,
    Offers(InterventionKind),
    ThemesInCommon(usize),
    LivesInDepartment,
    LivesInRegion,
    LivesElsewhere,
    /// Proposals in the last 90 days.
    RecentProposals(u32),
    /// Whole months since the last intervention; `None`: none yet.
    LastIntervention(Option<i64>),
    /// Away some days of the requested month.
    AwayPartOfMonth,
}

/// Why a peer is not suggested. Each reason is *soft* or *hard*
/// ([`Exclusion::is_hard`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exclusion {
    KindNotOffered(InterventionKind),
    /// Does not cover the request's département (code).
    DepartmentNotCovered(String),
    NotRemote,
    NotOnSite,
    NotTrained,
    Hidden,
    MonthlyLimitReached(u32),
    Away,
}

impl Exclusion {
    /// Whether this reason forbids proposing the request to the peer.
    ///
    /// **The rule.** A reason is *hard* when the person cannot or did not
    /// agree to take part: not trained yet ([`Exclusion::NotTrained`]: the
    /// network sends only trained peers), a hidden profile
    /// ([`Exclusion::Hidden`]: they asked not to be found), away at that
    /// date ([`Exclusion::Away`]). A reason is *soft* when it is about fit
    /// or preference, which the peer weighs when answering: a kind of
    /// intervention not offered ([`Exclusion::KindNotOffered`]), a
    /// département not covered (far away for an on-site intervention,
    /// [`Exclusion::DepartmentNotCovered`]), a format not offered
    /// ([`Exclusion::NotRemote`], [`Exclusion::NotOnSite`]), already busy
    /// this month ([`Exclusion::MonthlyLimitReached`]). A peer left out
    /// only for soft reasons may be asked anyway, once the coordinator
    /// confirms having read why; one hard reason and never.
    pub fn is_hard(&self) -> bool {
        match self {
            Exclusion::NotTrained | Exclusion::Hidden | Exclusion::Away => true,
            Exclusion::KindNotOffered(_)
            | Exclusion::DepartmentNotCovered(_)
            | Exclusion::NotRemote
            | Exclusion::NotOnSite
            | Exclusion::MonthlyLimitReached(_) => false,
        }
    }
}

/// Whether a request may be proposed to a peer, by the matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing<'a> {
    /// Fits every condition.
    Suggested,
    /// Left out for soft reasons only: may be asked, with a confirmation.
    Possible(&'a Excluded),
    /// Left out for at least one hard reason: never asked.
    Refused(&'a Excluded),
    /// Not a candidate at all (not a peer, not in the area…).
    Unknown,
}

/// A peer worker who fits, with their score and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub profile_id: i64,
    pub display_name: String,
    pub score: i64,
    pub reasons: Vec<Reason>,
}

/// A peer worker who does not fit, with every reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub profile_id: i64,
    pub display_name: String,
    pub reasons: Vec<Exclusion>,
}

/// Suggestions best first, and the others (by name) with their reasons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matching {
    pub suggestions: Vec<Suggestion>,
    pub excluded: Vec<Excluded>,
}

/// The département's name with its article (« la Haute-Garonne », « le Gers »,
/// « l’Hérault », « les Hautes-Pyrénées », « Paris »), from its code and the
/// name the caller has (the names live in the database).
pub fn department_with_article(code: &str, name: &str) -> String {
    const PLURAL: [&str; 14] = [
        "04", "05", "06", "08", "13", "22", "40", "64", "65", "66", "78", "79", "88", "92",
    ];
    const MASCULINE: [&str; 27] = [
        "14", "15", "18", "25", "29", "30", "32", "39", "41", "45", "46", "47", "49", "56", "59",
        "62", "63", "67", "68", "69", "81", "82", "83", "84", "90", "94", "95",
    ];
    const NO_ARTICLE: [&str; 3] = ["75", "974", "976"];
    let elided = code == "34"
        || name
            .chars()
            .next()
            .is_some_and(|c| "AEIOUYÉÈÊÎ".contains(c.to_uppercase().next().unwrap_or(c)));
    if NO_ARTICLE.contains(&code) {
        name.to_owned()
    } else if PLURAL.contains(&code) {
        format!("les {name}")
    } else if elided {
        format!("l’{name}")
    } else if MASCULINE.contains(&code) {
        format!("le {name}")
    } else {
        format!("la {name}")
    }
}

fn kind_phrase(kind: InterventionKind) -> &'static str {
    match kind {
        InterventionKind::PeerSupport => "l’aide à d’autres personnes en situation de handicap",
        InterventionKind::TrainingProfessionals => "la formation de professionnels",
        InterventionKind::Awareness => "la sensibilisation des citoyens",
        InterventionKind::ExpertReview => "l’avis sur des services ou des produits",
        InterventionKind::Advocacy => {
            "la défense des droits des personnes en situation de handicap"
        }
        InterventionKind::PolicyParticipation => {
            "la participation à la création de nouvelles règles ou lois"
        }
    }
}

/// `departments` gives a département's name from its code; an unknown code
/// is shown as « le département 31 ».
fn department_words(code: &str, departments: &dyn Fn(&str) -> Option<String>) -> String {
    departments(code)
        .map(|name| department_with_article(code, &name))
        .unwrap_or_else(|| format!("le département {code}"))
}

impl Reason {
    pub fn to_french(&self, departments: &dyn Fn(&str) -> Option<String>) -> String {
        match self {
            Reason::Covers(code) => format!("couvre {}", department_words(code, departments)),
            Reason::WorksRemotely => "intervient à distance".to_owned(),
            Reason::Offers(kind) => format!("propose {}", kind_phrase(*kind)),
            Reason::ThemesInCommon(0) => "aucun thème en commun".to_owned(),
            Reason::ThemesInCommon(n) => {
                format!("{} en commun", plural(*n as i64, "thème", "thèmes"))
            }
            Reason::LivesInDepartment => "habite dans le département".to_owned(),
            Reason::LivesInRegion => "habite dans la région".to_owned(),
            Reason::LivesElsewhere => "habite hors de la région".to_owned(),
            Reason::RecentProposals(0) => "aucune proposition depuis 3 mois".to_owned(),
            Reason::RecentProposals(n) => {
                format!("{} en 3 mois", plural(*n, "proposition", "propositions"))
            }
            Reason::LastIntervention(None) => "pas encore d’intervention".to_owned(),
            Reason::LastIntervention(Some(0)) => "dernière intervention ce mois-ci".to_owned(),
            Reason::LastIntervention(Some(m)) => {
                format!("dernière intervention il y a {m} mois")
            }
            Reason::AwayPartOfMonth => "absence une partie du mois".to_owned(),
        }
    }
}

impl Exclusion {
    pub fn to_french(&self, departments: &dyn Fn(&str) -> Option<String>) -> String {
        match self {
            Exclusion::KindNotOffered(kind) => format!("ne propose pas {}", kind_phrase(*kind)),
            Exclusion::DepartmentNotCovered(code) => {
                format!("ne couvre pas {}", department_words(code, departments))
            }
            Exclusion::NotRemote => "n’intervient pas à distance".to_owned(),
            Exclusion::NotOnSite => "n’intervient pas sur place".to_owned(),
            Exclusion::NotTrained => "n’a pas encore suivi la formation".to_owned(),
            Exclusion::Hidden => "fiche masquée".to_owned(),
            Exclusion::MonthlyLimitReached(max) => format!(
                "a atteint sa limite de {} par mois",
                plural(*max, "intervention", "interventions")
            ),
            Exclusion::Away => "absence à cette date".to_owned(),
        }
    }
}

/// Reasons joined by « · », as a coordinator reads them.
fn sentence<T>(items: &[T], words: impl Fn(&T) -> String) -> String {
    items.iter().map(words).collect::<Vec<_>>().join(" · ")
}

impl Suggestion {
    /// « couvre la Haute-Garonne · propose la formation de professionnels ·
    /// 2 thèmes en commun · aucune proposition depuis 3 mois · … ».
    pub fn to_french(&self, departments: &dyn Fn(&str) -> Option<String>) -> String {
        sentence(&self.reasons, |r| r.to_french(departments))
    }
}

impl Excluded {
    pub fn to_french(&self, departments: &dyn Fn(&str) -> Option<String>) -> String {
        sentence(&self.reasons, |r| r.to_french(departments))
    }

    /// Left out for soft reasons only: the request may be proposed anyway.
    pub fn is_possible(&self) -> bool {
        !self.reasons.iter().any(Exclusion::is_hard)
    }

    /// The hard reasons only, in words (why the peer cannot be asked).
    pub fn hard_to_french(&self, departments: &dyn Fn(&str) -> Option<String>) -> String {
        let hard: Vec<&Exclusion> = self.reasons.iter().filter(|r| r.is_hard()).collect();
        sentence(&hard, |r| r.to_french(departments))
    }
}

impl Matching {
    /// Whether the request may be proposed to this profile: the one check
    /// every proposal goes through (a form can be forged).
    pub fn standing(&self, profile_id: i64) -> Standing<'_> {
        if self.suggestions.iter().any(|s| s.profile_id == profile_id) {
            return Standing::Suggested;
        }
        match self.excluded.iter().find(|e| e.profile_id == profile_id) {
            Some(e) if e.is_possible() => Standing::Possible(e),
            Some(e) => Standing::Refused(e),
            None => Standing::Unknown,
        }
    }
}

fn paris_date(ts: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(ts, 0).map(|t| t.with_timezone(&Paris).date_naive())
}

/// First and last day of the request's time.
fn days(when: When) -> Option<(NaiveDate, NaiveDate)> {
    match when {
        When::At(ts) => paris_date(ts).map(|d| (d, d)),
        When::Month { year, month } => {
            let first = NaiveDate::from_ymd_opt(year, month, 1)?;
            let next = if month == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(year, month + 1, 1)?
            };
            Some((first, next.pred_opt()?))
        }
    }
}

/// Away for every day of the request's time (excluded), or some of them.
fn away(c: &Candidate, when: Option<When>) -> (bool, bool) {
    let Some((first, last)) = when.and_then(days) else {
        return (false, false);
    };
    let all = c.away.iter().any(|(f, t)| *f <= first && *t >= last);
    let some = c.away.iter().any(|(f, t)| *f <= last && *t >= first);
    (all, some && !all)
}

fn exclusions(r: &RequestNeeds, c: &Candidate) -> Vec<Exclusion> {
    let mut out = Vec::new();
    if !c.kinds.contains(&r.kind) {
        out.push(Exclusion::KindNotOffered(r.kind));
    }
    if r.remote {
        if !c.formats.contains(&Format::Remote) {
            out.push(Exclusion::NotRemote);
        }
    } else {
        let covers = c.departments.contains(&r.department)
            || c.home_department.as_deref() == Some(r.department.as_str());
        if !covers {
            out.push(Exclusion::DepartmentNotCovered(r.department.clone()));
        }
        if !c.formats.is_empty() && !c.formats.contains(&Format::OnSite) {
            out.push(Exclusion::NotOnSite);
        }
    }
    if !c.trained {
        out.push(Exclusion::NotTrained);
    }
    if c.visibility == Visibility::Hidden {
        out.push(Exclusion::Hidden);
    }
    if let Some(max) = c.max_per_month
        && c.interventions_this_month >= max
    {
        out.push(Exclusion::MonthlyLimitReached(max));
    }
    if away(c, r.when).0 {
        out.push(Exclusion::Away);
    }
    out
}

/// Whole months (of 30 days) between two times, never negative.
fn months_between(earlier: i64, later: i64) -> i64 {
    ((later - earlier) / (30 * 86_400)).max(0)
}

fn suggestion(r: &RequestNeeds, c: &Candidate, now: i64) -> Suggestion {
    let common = r.themes.intersection(&c.themes).count();
    let mut reasons = vec![if r.remote {
        Reason::WorksRemotely
    } else {
        Reason::Covers(r.department.clone())
    }];
    reasons.push(Reason::Offers(r.kind));
    if !r.themes.is_empty() {
        reasons.push(Reason::ThemesInCommon(common));
    }
    let mut distance = 0;
    if !r.remote {
        let (points, reason) = if c.home_department.as_deref() == Some(r.department.as_str()) {
            (SAME_DEPARTMENT, Reason::LivesInDepartment)
        } else if c.home_region.as_deref() == Some(r.region.as_str()) {
            (SAME_REGION, Reason::LivesInRegion)
        } else {
            (0, Reason::LivesElsewhere)
        };
        distance = points;
        reasons.push(reason);
    }
    reasons.push(Reason::RecentProposals(c.opportunities_90_days));
    reasons.push(Reason::LastIntervention(
        c.last_intervention_at.map(|t| months_between(t, now)),
    ));
    if away(c, r.when).1 {
        reasons.push(Reason::AwayPartOfMonth);
    }
    Suggestion {
        profile_id: c.profile_id,
        display_name: c.display_name.clone(),
        score: THEME_WEIGHT * common as i64 + distance
            - OPPORTUNITY_WEIGHT * i64::from(c.opportunities_90_days),
        reasons,
    }
}

/// Sorts suggestions best first: score, then fewer recent proposals, then
/// name (without accents or case), then profile id.
fn rank(suggestions: &mut [(Suggestion, u32)]) {
    suggestions.sort_by(|(a, a_opp), (b, b_opp)| {
        b.score
            .cmp(&a.score)
            .then(a_opp.cmp(b_opp))
            .then_with(|| fold(&a.display_name).cmp(&fold(&b.display_name)))
            .then(a.profile_id.cmp(&b.profile_id))
    });
}

/// Splits the candidates into suggestions (best first) and exclusions (by
/// name), at `now` (Unix seconds, for « dernière intervention il y a … »).
pub fn suggest(request: &RequestNeeds, candidates: &[Candidate], now: i64) -> Matching {
    let mut fitting = Vec::new();
    let mut excluded = Vec::new();
    for c in candidates {
        let reasons = exclusions(request, c);
        if reasons.is_empty() {
            fitting.push((suggestion(request, c, now), c.opportunities_90_days));
        } else {
            excluded.push(Excluded {
                profile_id: c.profile_id,
                display_name: c.display_name.clone(),
                reasons,
            });
        }
    }
    rank(&mut fitting);
    excluded.sort_by(|a, b| {
        fold(&a.display_name)
            .cmp(&fold(&b.display_name))
            .then(a.profile_id.cmp(&b.profile_id))
    });
    Matching {
        suggestions: fitting.into_iter().map(|(s, _)| s).collect(),
        excluded,
    }
}

/// The month of a time in Paris, for a request known by its month.
pub fn month_of(ts: i64) -> Option<When> {
    paris_date(ts).map(|d| When::Month {
        year: d.year(),
        month: d.month(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const NOW: i64 = 1_795_000_000; // November 2026

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn request() -> RequestNeeds {
        RequestNeeds {
            kind: InterventionKind::TrainingProfessionals,
            department: "31".into(),
            region: "76".into(),
            remote: false,
            themes: [1, 2, 3].into(),
            when: Some(When::At(
                chrono::Utc
                    .with_ymd_and_hms(2027, 3, 15, 9, 0, 0)
                    .unwrap()
                    .timestamp(),
            )),
        }
    }

    fn peer(id: i64, name: &str) -> Candidate {
        Candidate {
            profile_id: id,
            display_name: name.into(),
            kinds: [InterventionKind::TrainingProfessionals].into(),
            departments: ["31".to_string(), "09".to_string()].into(),
            home_department: Some("31".into()),
            home_region: Some("76".into()),
            formats: [Format::OnSite].into(),
            themes: [1, 2].into(),
            trained: true,
            visibility: Visibility::Public,
            max_per_month: Some(2),
            interventions_this_month: 0,
            away: vec![],
            opportunities_90_days: 0,
            last_intervention_at: None,
        }
    }

    fn names(d: &str) -> Option<String> {
        match d {
            "31" => Some("Haute-Garonne".into()),
            "34" => Some("Hérault".into()),
            _ => None,
        }
    }

    fn excluded_for(c: Candidate, r: &RequestNeeds) -> Vec<Exclusion> {
        let m = suggest(r, &[c], NOW);
        assert!(m.suggestions.is_empty());
        m.excluded.into_iter().next().unwrap().reasons
    }

    #[test]
    fn a_fitting_peer_is_suggested() {
        let m = suggest(&request(), &[peer(1, "Awa")], NOW);
        assert_eq!(m.suggestions.len(), 1);
        assert!(m.excluded.is_empty());
        assert_eq!(m.suggestions[0].score, 2 * THEME_WEIGHT + SAME_DEPARTMENT);
    }

    #[test]
    fn each_hard_filter_alone_excludes() {
        let r = request();
        let cases: Vec<(Candidate, Exclusion)> = vec![
            (
                Candidate {
                    kinds: [InterventionKind::Awareness].into(),
                    ..peer(1, "A")
                },
                Exclusion::KindNotOffered(InterventionKind::TrainingProfessionals),
            ),
            (
                Candidate {
                    departments: ["34".to_string()].into(),
                    home_department: Some("34".into()),
                    ..peer(1, "A")
                },
                Exclusion::DepartmentNotCovered("31".into()),
            ),
            (
                Candidate {
                    formats: [Format::Remote].into(),
                    ..peer(1, "A")
                },
                Exclusion::NotOnSite,
            ),
            (
                Candidate {
                    trained: false,
                    ..peer(1, "A")
                },
                Exclusion::NotTrained,
            ),
            (
                Candidate {
                    visibility: Visibility::Hidden,
                    ..peer(1, "A")
                },
                Exclusion::Hidden,
            ),
            (
                Candidate {
                    interventions_this_month: 2,
                    ..peer(1, "A")
                },
                Exclusion::MonthlyLimitReached(2),
            ),
            (
                Candidate {
                    away: vec![(day(2027, 3, 10), day(2027, 3, 20))],
                    ..peer(1, "A")
                },
                Exclusion::Away,
            ),
        ];
        for (c, why) in cases {
            assert_eq!(excluded_for(c, &r), vec![why]);
        }
        let remote = RequestNeeds {
            remote: true,
            ..request()
        };
        assert_eq!(
            excluded_for(peer(1, "A"), &remote),
            vec![Exclusion::NotRemote]
        );
    }

    #[test]
    fn members_only_profiles_and_no_limit_still_fit() {
        let c = Candidate {
            visibility: Visibility::Members,
            max_per_month: None,
            interventions_this_month: 40,
            formats: BTreeSet::new(),
            departments: BTreeSet::new(),
            ..peer(1, "A")
        };
        assert_eq!(suggest(&request(), &[c], NOW).suggestions.len(), 1);
    }

    #[test]
    fn every_reason_is_listed_when_several_filters_exclude() {
        let c = Candidate {
            trained: false,
            visibility: Visibility::Hidden,
            kinds: BTreeSet::new(),
            ..peer(9, "Zoé")
        };
        let m = suggest(&request(), &[c], NOW);
        assert_eq!(
            m.excluded[0].to_french(&names),
            "ne propose pas la formation de professionnels · n’a pas encore suivi la formation · fiche masquée"
        );
    }

    #[test]
    fn away_for_a_month_only_when_the_whole_month_is_covered() {
        let r = RequestNeeds {
            when: Some(When::Month {
                year: 2027,
                month: 2,
            }),
            ..request()
        };
        let partly = Candidate {
            away: vec![(day(2027, 2, 10), day(2027, 3, 5))],
            ..peer(1, "A")
        };
        let m = suggest(&r, &[partly], NOW);
        assert!(m.suggestions[0].reasons.contains(&Reason::AwayPartOfMonth));
        let whole = Candidate {
            away: vec![(day(2027, 1, 20), day(2027, 2, 28))],
            ..peer(1, "A")
        };
        assert_eq!(excluded_for(whole, &r), vec![Exclusion::Away]);
        let no_date = RequestNeeds {
            when: None,
            ..request()
        };
        let always_away = Candidate {
            away: vec![(day(2000, 1, 1), day(2100, 1, 1))],
            ..peer(1, "A")
        };
        assert_eq!(suggest(&no_date, &[always_away], NOW).suggestions.len(), 1);
    }

    #[test]
    fn fairness_orders_two_otherwise_equal_peers() {
        let busy = Candidate {
            opportunities_90_days: 1,
            ..peer(1, "Awa")
        };
        let quiet = peer(2, "Zoé");
        let m = suggest(&request(), &[busy, quiet], NOW);
        let order: Vec<&str> = m
            .suggestions
            .iter()
            .map(|s| s.display_name.as_str())
            .collect();
        assert_eq!(order, vec!["Zoé", "Awa"]);
        // Equal in everything: by name, accents ignored.
        let m = suggest(&request(), &[peer(1, "Zoé"), peer(2, "Élise")], NOW);
        assert_eq!(m.suggestions[0].display_name, "Élise");
    }

    #[test]
    fn a_theme_beats_fairness_only_by_its_weight() {
        // One more theme in common is worth THEME_WEIGHT; each recent
        // proposal costs OPPORTUNITY_WEIGHT.
        let more_themes = |opportunities| Candidate {
            themes: [1, 2, 3].into(),
            opportunities_90_days: opportunities,
            ..peer(1, "Awa")
        };
        let fewer_themes = peer(2, "Zoé");
        let first = |c: Candidate| {
            suggest(&request(), &[c, fewer_themes.clone()], NOW).suggestions[0]
                .display_name
                .clone()
        };
        let outweighed = (THEME_WEIGHT / OPPORTUNITY_WEIGHT) as u32 + 1;
        assert_eq!(first(more_themes(outweighed - 1)), "Awa");
        assert_eq!(first(more_themes(outweighed)), "Zoé");
        assert_eq!(
            outweighed, 3,
            "one theme outweighs two proposals, not three"
        );
    }

    #[test]
    fn distance_counts_on_site_and_is_ignored_remote() {
        let near = peer(1, "Zoé");
        let region = Candidate {
            home_department: Some("09".into()),
            ..peer(2, "Awa")
        };
        let far = Candidate {
            home_department: Some("75".into()),
            home_region: Some("11".into()),
            ..peer(3, "Bea")
        };
        let all = [near, region, far];
        let m = suggest(&request(), &all, NOW);
        let ids: Vec<i64> = m.suggestions.iter().map(|s| s.profile_id).collect();
        assert_eq!(ids, vec![1, 2, 3]);
        let remote = RequestNeeds {
            remote: true,
            ..request()
        };
        let remote_peers: Vec<Candidate> = all
            .into_iter()
            .map(|c| Candidate {
                formats: [Format::Remote].into(),
                departments: ["2A".to_string()].into(),
                ..c
            })
            .collect();
        let m = suggest(&remote, &remote_peers, NOW);
        let ids: Vec<i64> = m.suggestions.iter().map(|s| s.profile_id).collect();
        assert_eq!(ids, vec![2, 3, 1], "remote: same score, by name");
        assert!(m.suggestions.iter().all(|s| s.score == 2 * THEME_WEIGHT));
        assert!(m.suggestions[0].reasons.contains(&Reason::WorksRemotely));
    }

    #[test]
    fn the_explanation_reads_as_plain_french() {
        let c = Candidate {
            last_intervention_at: Some(NOW - 100 * 86_400),
            ..peer(1, "Awa")
        };
        let m = suggest(&request(), &[c], NOW);
        assert_eq!(
            m.suggestions[0].to_french(&names),
            "couvre la Haute-Garonne · propose la formation de professionnels · 2 thèmes en commun · habite dans le département · aucune proposition depuis 3 mois · dernière intervention il y a 3 mois"
        );
        let c = Candidate {
            opportunities_90_days: 1,
            themes: [3].into(),
            ..peer(1, "Awa")
        };
        let r = RequestNeeds {
            department: "34".into(),
            ..request()
        };
        let c = Candidate {
            departments: ["34".to_string()].into(),
            ..c
        };
        assert_eq!(
            suggest(&r, &[c], NOW).suggestions[0].to_french(&names),
            "couvre l’Hérault · propose la formation de professionnels · 1 thème en commun · habite dans la région · 1 proposition en 3 mois · pas encore d’intervention"
        );
        assert_eq!(
            Exclusion::DepartmentNotCovered("65".into()).to_french(&names),
            "ne couvre pas le département 65"
        );
        assert_eq!(
            Exclusion::MonthlyLimitReached(1).to_french(&names),
            "a atteint sa limite de 1 intervention par mois"
        );
    }

    #[test]
    fn each_exclusion_is_soft_or_hard() {
        let hard = [Exclusion::NotTrained, Exclusion::Hidden, Exclusion::Away];
        let soft = [
            Exclusion::KindNotOffered(InterventionKind::Awareness),
            Exclusion::DepartmentNotCovered("31".into()),
            Exclusion::NotRemote,
            Exclusion::NotOnSite,
            Exclusion::MonthlyLimitReached(2),
        ];
        assert!(hard.iter().all(Exclusion::is_hard));
        assert!(!soft.iter().any(Exclusion::is_hard));
    }

    #[test]
    fn a_peer_left_out_only_for_soft_reasons_is_possible() {
        let far_and_busy = Candidate {
            departments: ["34".to_string()].into(),
            home_department: Some("34".into()),
            interventions_this_month: 2,
            ..peer(2, "Bea")
        };
        let far_and_hidden = Candidate {
            departments: ["34".to_string()].into(),
            home_department: Some("34".into()),
            visibility: Visibility::Hidden,
            ..peer(3, "Cam")
        };
        let untrained = Candidate {
            trained: false,
            ..peer(4, "Dan")
        };
        let m = suggest(
            &request(),
            &[peer(1, "Awa"), far_and_busy, far_and_hidden, untrained],
            NOW,
        );
        assert_eq!(m.standing(1), Standing::Suggested);
        let Standing::Possible(bea) = m.standing(2) else {
            panic!("Bea may be asked: {:?}", m.standing(2));
        };
        assert_eq!(
            bea.to_french(&names),
            "ne couvre pas la Haute-Garonne · a atteint sa limite de 2 interventions par mois"
        );
        let Standing::Refused(cam) = m.standing(3) else {
            panic!("one hard reason is enough: {:?}", m.standing(3));
        };
        assert_eq!(cam.hard_to_french(&names), "fiche masquée");
        assert!(matches!(m.standing(4), Standing::Refused(_)));
        assert_eq!(m.standing(99), Standing::Unknown);
    }

    #[test]
    fn departments_take_their_article() {
        for (code, name, words) in [
            ("31", "Haute-Garonne", "la Haute-Garonne"),
            ("32", "Gers", "le Gers"),
            ("34", "Hérault", "l’Hérault"),
            ("09", "Ariège", "l’Ariège"),
            ("65", "Hautes-Pyrénées", "les Hautes-Pyrénées"),
            ("05", "Hautes-Alpes", "les Hautes-Alpes"),
            ("75", "Paris", "Paris"),
            ("974", "La Réunion", "La Réunion"),
            ("90", "Territoire de Belfort", "le Territoire de Belfort"),
            ("2A", "Corse-du-Sud", "la Corse-du-Sud"),
            ("27", "Eure", "l’Eure"),
        ] {
            assert_eq!(department_with_article(code, name), words);
        }
    }

    #[test]
    fn months_of_times() {
        assert_eq!(
            month_of(NOW),
            Some(When::Month {
                year: 2026,
                month: 11
            })
        );
        assert_eq!(
            days(When::Month {
                year: 2027,
                month: 12
            }),
            Some((day(2027, 12, 1), day(2027, 12, 31)))
        );
    }
}
