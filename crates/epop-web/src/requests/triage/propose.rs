//! Matching and proposing: the peer workers the matching suggests for a
//! request, those left out for soft reasons (who may be asked anyway, once
//! the coordinator confirms) and for hard ones (never), each with why, and
//! proposing the request to some of them with an answer deadline.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::Response;
use epop_domain::matching::{self, RequestNeeds, Standing, When};
use epop_store::proposals;
use epop_store::requests::Request;
use epop_store::{now, outbox, territories};

use super::lifecycle::finish;
use super::{Pick, handled, show, show_typed, who};
use crate::error::refusal;
use crate::forms::Pairs;
use crate::security::public_id;
use crate::{AppError, AppState, Ctx};
use epop_domain::request::RequestForm;

/// The propose section's lists, without the peers already asked.
#[derive(Default)]
pub struct Picks {
    /// Suggested, best first.
    pub suggestions: Vec<Pick>,
    /// Left out for soft reasons only: may be asked, with a confirmation.
    pub possible: Vec<Pick>,
    /// Left out for a hard reason: never asked.
    pub excluded: Vec<Pick>,
    /// Some suggested peers were asked already.
    pub suggested_asked: bool,
}

/// The peers of the request's matching not asked yet, each with the
/// reasons in words.
pub(super) async fn picks(
    conn: &mut epop_store::Conn,
    r: &Request,
    f: &RequestForm,
) -> Result<Picks, AppError> {
    let Some(m) = matching_for(conn, r, f).await? else {
        return Ok(Picks::default());
    };
    let asked = asked(conn, r).await?;
    let names = |code: &str| m.departments.get(code).map(|(n, _)| n.clone());
    let mut out = Picks {
        suggested_asked: m
            .found
            .suggestions
            .iter()
            .any(|s| asked.contains(&s.profile_id)),
        ..Picks::default()
    };
    for s in &m.found.suggestions {
        if !asked.contains(&s.profile_id) {
            let why = s.to_french(&names);
            out.suggestions
                .push(Pick::new(s.profile_id, &s.display_name, why));
        }
    }
    for e in &m.found.excluded {
        if !asked.contains(&e.profile_id) {
            let list = if e.is_possible() {
                &mut out.possible
            } else {
                &mut out.excluded
            };
            list.push(Pick::new(
                e.profile_id,
                &e.display_name,
                e.to_french(&names),
            ));
        }
    }
    Ok(out)
}

/// The profiles the request was proposed to already.
async fn asked(conn: &mut epop_store::Conn, r: &Request) -> Result<Vec<i64>, AppError> {
    Ok(proposals::for_request(conn, r.id)
        .await?
        .iter()
        .map(|p| p.profile_id)
        .collect())
}

/// The matching of a request: the suggestions (best first), those left out,
/// and the départements' names and regions for the explanations.
struct Found {
    found: matching::Matching,
    departments: BTreeMap<String, (String, String)>,
}

async fn matching_for(
    conn: &mut epop_store::Conn,
    r: &Request,
    f: &RequestForm,
) -> Result<Option<Found>, AppError> {
    let Some(kind) = r
        .kind
        .as_deref()
        .and_then(epop_domain::directory::InterventionKind::parse)
    else {
        return Ok(None);
    };
    let departments: BTreeMap<String, (String, String)> = territories::departments(conn)
        .await?
        .into_iter()
        .map(|d| (d.code.clone(), (d.name.clone(), d.region_code.clone())))
        .collect();
    let dept = r.department_code.clone().unwrap_or_default();
    let day = epop_domain::text::parse_date(&f.date_from, "la date").ok();
    let needs = RequestNeeds {
        kind,
        department: dept.clone(),
        region: departments
            .get(&dept)
            .map(|(_, r)| r.clone())
            .unwrap_or_default(),
        remote: f.mode == "a-distance",
        themes: proposals::themes_in(conn, &f.themes).await?,
        when: day
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|d| When::At(d.and_utc().timestamp())),
    };
    let t = now();
    let month = day.unwrap_or_else(crate::french::paris_today);
    let candidates = proposals::candidates(conn, &dept, t, month).await?;
    Ok(Some(Found {
        found: matching::suggest(&needs, &candidates, t),
        departments,
    }))
}

/// The peers a proposal goes to, and what the history says of those the
/// matching left out for a soft reason.
struct Picked {
    ids: Vec<i64>,
    /// « Proposée aussi à une personne non suggérée : Thomas Roux (ne
    /// couvre pas la Haute-Garonne) ».
    note: Option<String>,
}

impl Found {
    /// The chosen profiles that may be asked (not asked yet, suggested or
    /// left out for soft reasons only); a peer left out for a hard reason
    /// is refused, named with the reason (`Err`, in words).
    fn sort_out(&self, chosen: &[i64], asked: &[i64]) -> Result<Picked, String> {
        let names = |code: &str| self.departments.get(code).map(|(n, _)| n.clone());
        let mut ids = Vec::new();
        let mut despite = Vec::new();
        for id in chosen.iter().filter(|id| !asked.contains(id)) {
            match self.found.standing(*id) {
                Standing::Suggested => ids.push(*id),
                Standing::Possible(e) => {
                    ids.push(*id);
                    despite.push(format!("{} ({})", e.display_name, e.to_french(&names)));
                }
                Standing::Refused(e) => {
                    return Err(format!(
                        "{} ne peut pas recevoir la proposition : {}.",
                        e.display_name,
                        e.hard_to_french(&names)
                    ));
                }
                Standing::Unknown => {}
            }
        }
        let note = (!despite.is_empty()).then(|| {
            let whom = if despite.len() > 1 {
                "des personnes non suggérées"
            } else {
                "une personne non suggérée"
            };
            format!("Proposée aussi à {whom} : {}", despite.join(" ; "))
        });
        Ok(Picked { ids, note })
    }
}

const NOT_SUGGESTED: &str =
    "Ces intervenants-pairs ne sont plus suggérés pour cette demande : choisissez parmi la liste.";

pub(super) async fn propose(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = handled(&state, &ctx, &id).await?;
    let chosen: Vec<i64> = p
        .all("peer")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    let deadline = epop_domain::text::parse_date(&p.get("deadline"), "la date limite de réponse")
        .ok()
        .and_then(|d| {
            epop_domain::event::paris_timestamp(d, chrono::NaiveTime::from_hms_opt(23, 59, 0)?).ok()
        });
    if chosen.is_empty() {
        let why = "Cochez au moins un intervenant-pair à qui proposer la demande.";
        return show_typed(&state, &ctx, r, "peers", why.into(), p).await;
    }
    let Some(deadline) = deadline.filter(|d| *d > now()) else {
        let why = "Écrivez une date limite de réponse à venir, par exemple dans une semaine.";
        return show_typed(&state, &ctx, r, "deadline", why.into(), p).await;
    };
    let mut tx = state.db.write().await?;
    // The matching decides who may be asked (a form can be forged).
    let Some(m) = matching_for(&mut tx, &r, &r.typed_form()).await? else {
        drop(tx);
        return show(&state, &ctx, r, NOT_SUGGESTED.into()).await;
    };
    let picked = match m.sort_out(&chosen, &asked(&mut tx, &r).await?) {
        Ok(picked) => picked,
        Err(why) => {
            drop(tx);
            return show_typed(&state, &ctx, r, "", why, p).await;
        }
    };
    if picked.note.is_some() && p.get("confirm_soft") != "oui" {
        drop(tx);
        let why = "Cochez cette case pour proposer à une personne qui n’est pas suggérée.";
        return show_typed(&state, &ctx, r, "confirm-soft", why.into(), p).await;
    }
    let mut peers = Vec::new();
    for profile_id in picked.ids {
        if let Some(account_id) = proposals::account_of(&mut tx, profile_id).await? {
            peers.push((profile_id, account_id, public_id()));
        }
    }
    if peers.is_empty() {
        drop(tx);
        return show(&state, &ctx, r, NOT_SUGGESTED.into()).await;
    }
    let note = picked.note;
    let by = who(&ctx)?;
    let made =
        match proposals::propose_noted(&mut tx, &r, &peers, deadline, by, now(), note.as_deref())
            .await
        {
            Ok(m) => m,
            Err(e) => {
                drop(tx);
                return show(&state, &ctx, r, refusal(e)?).await;
            }
        };
    let base = &state.config.base_url;
    for prop in &made {
        let words = crate::emails::Words::of(&mut tx, &prop.peer_email).await?;
        outbox::enqueue(
            &mut tx,
            &super::super::proposals::mail_proposed(base, prop, &r, words),
        )
        .await?;
    }
    finish(
        tx,
        &ctx,
        &id,
        "request_proposed",
        format!(
            "Proposée à {}.{}",
            crate::french::plural(made.len(), "intervenant-pair", "intervenants-pairs"),
            note.map(|n| format!(" {n}")).unwrap_or_default()
        ),
        "proposee",
    )
    .await
}
