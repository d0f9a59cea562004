//! The legal framework of an accepted request: the peer's situations
//! ticked on the page, each framework weighed for them, the choice of one
//! (with a confirmation when it carries a risk), and the audited read of
//! the chosen situations.

use axum::extract::{Path, State};
use axum::response::Response;
use epop_domain::directory::ProfileKind;
use epop_domain::legal;
use epop_store::proposals;
use epop_store::requests::{self, Request};
use epop_store::{directory, now};

use super::lifecycle::finish;
use super::{handled, show_typed};
use crate::forms::Pairs;
use crate::render::audit_sensitive_read;
use crate::{AppError, AppState, Ctx};

/// A framework as the coordinator weighs it for the peer's situations.
pub struct EvalView {
    pub code: &'static str,
    pub label: &'static str,
    pub verdict: &'static str,
    pub e: legal::Evaluation,
    pub notice: String,
    pub notice_easy: String,
    pub confirm: bool,
    pub possible: bool,
}

/// The situations ticked on the page (`?situation=aah&situation=…`).
fn situations_of(pairs: &[(String, String)]) -> Vec<legal::Situation> {
    pairs
        .iter()
        .filter(|(k, _)| k == "situation")
        .filter_map(|(_, v)| legal::Situation::from_code(v))
        .collect()
}

/// The legal part of the page: the situations to tick, each framework
/// weighed for those ticked (once the request is accepted), and the
/// framework chosen.
pub(super) struct Section {
    pub situations: Vec<(&'static str, &'static str, bool)>,
    pub evaluations: Vec<EvalView>,
    pub chosen: Option<String>,
}

/// The situations to weigh: those ticked in the query (`?situation=…`),
/// else those of the framework form that failed (`typed`), else those
/// chosen with the peer, so that the page remembers them.
fn picked(
    query: &str,
    typed: &Pairs,
    chosen: Option<&[legal::Situation]>,
) -> Vec<legal::Situation> {
    let query: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    if query.iter().any(|(k, _)| k == "situation") {
        situations_of(&query)
    } else if typed.0.iter().any(|(k, _)| k == "framework") {
        situations_of(&typed.0)
    } else {
        chosen.map(<[_]>::to_vec).unwrap_or_default()
    }
}

pub(super) async fn section(
    conn: &mut epop_store::Conn,
    ctx: &Ctx,
    r: &Request,
    legal_open: bool,
    typed: &Pairs,
) -> Result<Section, AppError> {
    let chosen = epop_store::legal::chosen(conn, r.id).await?;
    let picked = picked(
        &ctx.query,
        typed,
        chosen.as_ref().map(|(_, s)| s.as_slice()),
    );
    let evaluations = if legal_open && !picked.is_empty() {
        let rules = epop_store::legal::rules(conn).await?;
        legal::fitting(&rules, &picked)
            .into_iter()
            .map(|(f, e)| EvalView {
                code: f.code(),
                label: f.label(),
                verdict: e.verdict.label(),
                notice: e.notice(),
                notice_easy: e.notice_easy(),
                confirm: e.needs_confirmation(),
                possible: e.verdict != legal::Verdict::NotPossible,
                e,
            })
            .collect()
    } else {
        Vec::new()
    };
    if let Some((_, situations)) = &chosen
        && !situations.is_empty()
    {
        audit_situations_read(conn, ctx, r).await?;
    }
    let chosen = chosen.map(|(f, s)| {
        format!(
            "{} (situation : {})",
            f.label(),
            s.iter().map(|x| x.label()).collect::<Vec<_>>().join(", ")
        )
    });
    let situations = legal::Situation::ALL
        .iter()
        .map(|s| (s.code(), s.label(), picked.contains(s)))
        .collect();
    Ok(Section {
        situations,
        evaluations,
        chosen,
    })
}

/// The request's page shows the accepted peer's situations (« Cadre choisi
/// : … ») to the coordination: an audit line about the peer's profile, so
/// that the peer sees the read in « Mes données ».
async fn audit_situations_read(
    conn: &mut epop_store::Conn,
    ctx: &Ctx,
    r: &Request,
) -> Result<(), AppError> {
    let accepted = proposals::for_request(conn, r.id)
        .await?
        .into_iter()
        .find(|p| p.status == "accepted");
    let subject = match &accepted {
        Some(p) => directory::profile_of(conn, p.account_id, ProfileKind::Peer)
            .await?
            .map(|(_, slug)| format!("profile:{slug}")),
        None => None,
    };
    let whose = accepted.map_or_else(|| "l’intervenant-pair".into(), |p| p.peer_name);
    audit_sensitive_read(
        conn,
        ctx,
        subject.unwrap_or_else(|| format!("request:{}", r.public_id)),
        format!(
            "Lecture des situations de {whose} (cadre choisi) sur la demande « {} »",
            r.subject.clone().unwrap_or_default()
        ),
    )
    .await
}

pub(super) async fn choose_framework(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = handled(&state, &ctx, &id).await?;
    let actor = ctx.user()?.account.id;
    let picked = situations_of(&p.0);
    if picked.is_empty() {
        let why = "Cochez la situation de l’intervenant-pair avant de choisir un cadre.";
        return show_typed(&state, &ctx, r, "situations", why.into(), p).await;
    }
    let Some(framework) = legal::Framework::from_code(&p.get("framework")) else {
        let why = "Choisissez un cadre dans la liste.";
        return show_typed(&state, &ctx, r, "cadres", why.into(), p).await;
    };
    let mut conn = state.db.conn().await?;
    let rules = epop_store::legal::rules(&mut conn).await?;
    drop(conn);
    let e = legal::evaluate(&rules, &picked, framework);
    if e.verdict == legal::Verdict::NotPossible {
        let why = format!(
            "« {} » n’est pas possible dans cette situation : choisissez un autre cadre.",
            framework.label()
        );
        return show_typed(&state, &ctx, r, "cadres", why, p).await;
    }
    if e.needs_confirmation() && p.get("confirm") != "oui" {
        let why = format!(
            "« {} » présente un risque pour l’intervenant-pair : lisez les mises en garde avec lui, puis cochez la case de confirmation.",
            framework.label()
        );
        let field = format!("confirm-{}", framework.code());
        return show_typed(&state, &ctx, r, &field, why, p).await;
    }
    let t = now();
    let mut tx = state.db.write().await?;
    epop_store::legal::choose(&mut tx, r.id, framework, &picked, t).await?;
    let what = format!("{} ({})", framework.label(), e.verdict.label());
    let event = requests::Event::Framework;
    requests::note(&mut tx, r.id, &r.status, event, Some(actor), Some(&what), t).await?;
    let detail = format!("Cadre choisi : {what}");
    finish(tx, &ctx, &id, "request_framework", detail, "cadre").await
}
