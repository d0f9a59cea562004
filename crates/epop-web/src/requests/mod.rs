//! Intervention requests: the intake at `/demander-une-intervention`
//! (usable without an account: drafts kept with a link to finish them, the
//! e-mail address confirmed before the organisation and the requester's
//! account are created, the coordinators of the département told), the
//! requester's list, the coordinators' list and triage (suggestions that
//! explain themselves, proposals with a deadline), and the peer worker's
//! answer, the first acceptance taking the place; the rules of the legal
//! and payment frameworks (`/admin/cadres`) the coordinator weighs.

pub(crate) mod api;
mod audience;
mod feedback;
mod host_view;
mod hosting;
mod intake;
mod legal_rules;
mod lists;
mod mails;
mod organisation_check;
mod payments;
mod proposals;
mod thread;
mod triage;

use axum::Router;
use epop_domain::request::RequestForm;

pub(crate) use lists::status_label;

use crate::AppState;
use crate::forms::Pairs;

/// This feature's part of the OpenAPI document (`crate::api`).
pub fn api_doc() -> utoipa::openapi::OpenApi {
    <api::RequestsApi as utoipa::OpenApi>::openapi()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(intake::router())
        .merge(lists::router())
        .merge(organisation_check::router())
        .merge(triage::router())
        .merge(proposals::router())
        .merge(api::router())
        .merge(feedback::router())
        .merge(payments::router())
        .merge(hosting::router())
        .merge(host_view::router())
        .merge(thread::router())
        .merge(audience::router())
        .merge(legal_rules::router())
}

/// The request form's values from a submitted form (a stored one:
/// [`epop_store::requests::Request::typed_form`]).
pub fn form_of(p: &Pairs) -> RequestForm {
    RequestForm::from_fields(|name| p.get(name))
}

/// The fields a request's form holds, without the CSRF token and buttons.
pub fn stored(p: &Pairs) -> String {
    let kept: Vec<(String, String)> =
        p.0.iter()
            .filter(|(k, _)| !matches!(k.as_str(), "csrf" | "action" | "brouillon"))
            .cloned()
            .collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

/// A stored form back as pairs.
pub fn pairs_of(stored: &str) -> Pairs {
    Pairs(serde_urlencoded::from_str(stored).unwrap_or_default())
}

/// Ends the proposals left unanswered past their deadline and tells the
/// coordinators of each request's territory; returns how many e-mails.
pub async fn expire_proposals(
    conn: &mut epop_store::Conn,
    base: &str,
    now: i64,
) -> epop_store::Result<usize> {
    let mut written = 0;
    for p in epop_store::proposals::expire(conn, now).await? {
        let Some(r) = epop_store::requests::by_id(conn, p.request_id).await? else {
            continue;
        };
        let dept = r.department_code.clone().unwrap_or_default();
        for (name, email) in epop_store::accounts::coordinators_of(conn, &dept).await? {
            let subject = r.subject.clone().unwrap_or_default();
            let mail = mails::proposal_expired(base, &name, &p.peer_name, &subject, &r.public_id);
            epop_store::outbox::enqueue(conn, &mail.to(email)).await?;
            written += 1;
        }
    }
    Ok(written)
}

/// When a request's intervention is wanted, in words: « samedi 16 janvier
/// 2027 », « du … au … », or the period as typed.
pub fn when_of(f: &RequestForm) -> String {
    let day = |s: &str| {
        epop_domain::text::parse_date(s, "la date")
            .ok()
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|d| crate::french::french_day(d.and_utc().timestamp()))
    };
    match (day(&f.date_from), day(&f.date_to)) {
        (Some(a), Some(b)) => format!("du {a} au {b}"),
        (Some(a), None) => a,
        _ => f.period.clone(),
    }
}
