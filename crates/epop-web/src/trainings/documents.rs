//! The training documents, as tagged (accessible) PDF: the certificate of
//! completion (the person, and the coordinators of the session's
//! territory) and the attendance sheet of each half-day (coordinators), to
//! print and sign.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use epop_domain::training::ApplicationStatus;
use epop_store::trainings;

use super::SessionView;
use crate::french::{french_day, french_when};
use crate::render::{download, pdf};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/espace/formations/{id}/certificat.pdf", get(certificate))
        .route("/admin/formations/{slug}/emargement/{file}", get(sheet))
}

async fn certificate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let a = trainings::application_by_public_id(&mut conn, &id)
        .await?
        .filter(|a| a.status == ApplicationStatus::Completed)
        .ok_or(AppError::NotFound)?;
    let s = trainings::session_of(&mut conn, &a).await?;
    let own = a.account_id == user.account.id;
    if !own && !user.principal.may_manage_training(Some(&s.department_code)) {
        return Err(AppError::NotFound);
    }
    let v = SessionView::new(s, epop_store::now());
    let (person, programme) = (a.name.clone(), v.s.programme.title.clone());
    let organiser = format!("le réseau EPoP – {}", v.s.department_name);
    let dates = v.dates.clone();
    let hours = format!("{} heures", v.s.programme.hours);
    let place = v.s.place.clone();
    let issued_on = french_day(a.completed_at.unwrap_or_default());
    let reference = a.public_id.clone();
    let bytes = pdf(move || {
        epop_docs::pdf::certificate(&epop_docs::pdf::Certificate {
            person: &person,
            programme: &programme,
            organiser: &organiser,
            dates: &dates,
            hours: &hours,
            place: &place,
            issued_on: &issued_on,
            signatory: "La coordination territoriale",
            reference: &reference,
        })
    })
    .await?;
    Ok(download(
        "application/pdf",
        &format!("certificat-{}.pdf", v.s.slug),
        bytes,
    ))
}

async fn sheet(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let user = ctx.require(epop_domain::Principal::may_create_events)?;
    let n: usize = file
        .strip_suffix(".pdf")
        .and_then(|n| n.parse().ok())
        .ok_or(AppError::NotFound)?;
    let mut conn = state.db.conn().await?;
    let s = trainings::session_by_slug(&mut conn, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.principal.may_manage_training(Some(&s.department_code)) {
        return Err(AppError::Forbidden);
    }
    let (_, half_day) = *n
        .checked_sub(1)
        .and_then(|i| s.half_days.get(i))
        .ok_or(AppError::NotFound)?;
    let trainees: Vec<String> = trainings::applications(&mut conn, s.id)
        .await?
        .into_iter()
        .filter(|a| a.status.holds_place())
        .map(|a| a.name)
        .collect();
    let trainers: Vec<String> = s
        .trainers
        .iter()
        .cloned()
        .chain(
            s.peer_trainers
                .iter()
                .map(|t| format!("{t} (intervenant-pair ou intervenante-paire)")),
        )
        .collect();
    let when = french_when(half_day.starts_at, half_day.ends_at);
    let (programme, session, place) = (s.programme.title.clone(), s.title.clone(), s.place.clone());
    let bytes = pdf(move || {
        let trainers: Vec<&str> = trainers.iter().map(String::as_str).collect();
        let trainees: Vec<&str> = trainees.iter().map(String::as_str).collect();
        epop_docs::pdf::attendance_sheet(&epop_docs::pdf::AttendanceSheet {
            programme: &programme,
            session: &session,
            place: &place,
            half_day: &when,
            trainers: &trainers,
            trainees: &trainees,
        })
    })
    .await?;
    Ok(download(
        "application/pdf",
        &format!("emargement-{slug}-{n}.pdf"),
        bytes,
    ))
}
