//! Scheduling an accepted request: the day and hours, and the e-mail with
//! its calendar file to the peer and the requester.

use axum::extract::{Path, State};
use axum::response::Response;
use epop_domain::Invalid;
use epop_domain::lifecycle::Action;
use epop_domain::schedule::{Edge, check_schedule};
use epop_store::{now, outbox, proposals, requests};

use super::super::mails;
use super::lifecycle::{finish, people};
use super::{handled, show, show_typed, who};
use crate::error::refusal;
use crate::forms::Pairs;
use crate::{AppError, AppState, Ctx};

/// The day and hours typed, in Paris time: the start and end (Unix
/// seconds), or the field that is wrong and why.
fn parse(p: &Pairs, now: i64) -> Result<(i64, i64), (&'static str, Invalid)> {
    use epop_domain::event::{paris_timestamp, parse_time};
    let day = epop_domain::text::parse_date(&p.get("date"), "la date").map_err(|e| ("date", e))?;
    let from =
        parse_time(&p.get("start_time"), "l’heure de début").map_err(|e| ("start_time", e))?;
    let to = parse_time(&p.get("end_time"), "l’heure de fin").map_err(|e| ("end_time", e))?;
    let start = paris_timestamp(day, from).map_err(|e| ("start_time", e))?;
    let end = paris_timestamp(day, to).map_err(|e| ("end_time", e))?;
    check_schedule(start, end, now).map_err(|(edge, e)| match edge {
        // A past day is wrong in the date; today's past hour in the hour.
        Edge::Start if day < crate::french::paris_today() => ("date", e),
        Edge::Start => ("start_time", e),
        Edge::End => ("end_time", e),
    })?;
    Ok((start, end))
}

pub(super) async fn schedule(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = handled(&state, &ctx, &id).await?;
    let (start, end) = match parse(&p, now()) {
        Ok(x) => x,
        Err((field, e)) => return show_typed(&state, &ctx, r, field, e.0, p).await,
    };
    let t = now();
    let mut tx = state.db.write().await?;
    if let Err(e) = proposals::transition(&mut tx, &r, &Action::Schedule, who(&ctx)?, t).await {
        drop(tx);
        return show(&state, &ctx, r, refusal(e)?).await;
    }
    requests::set_schedule(&mut tx, r.id, start, end, t).await?;
    let f = r.typed_form();
    let base = &state.config.base_url;
    let uid = format!("demande-{}@epop", r.public_id);
    let url = format!("{base}/admin/demandes/{}", r.public_id);
    let place = if f.mode == "a-distance" {
        "À distance".to_owned()
    } else {
        f.address.clone()
    };
    let ics = epop_docs::ics::calendar(
        &f.subject,
        &[epop_docs::ics::IcsEvent {
            uid: &uid,
            title: &format!("Intervention : {}", f.subject),
            description: &f.description,
            starts_at: start,
            ends_at: end,
            location: Some(&place),
            url: &url,
            cancelled: false,
            updated_at: t,
        }],
    );
    let when = crate::french::french_when(start, end);
    for (name, email, link) in people(&mut tx, &r).await? {
        let words = crate::emails::Words::of(&mut tx, &email).await?;
        let mail = mails::scheduled(base, &name, &f.subject, (start, end), &place, &link, words);
        let ics = epop_store::outbox::Attachment {
            filename: "intervention.ics".into(),
            content_type: epop_docs::ics::MEDIA_TYPE.into(),
            body: ics.clone(),
        };
        outbox::enqueue(&mut tx, &mail.with_file_to(email, ics)).await?;
    }
    finish(
        tx,
        &ctx,
        &id,
        "request_scheduled",
        format!("Programmée : {when}"),
        "programmee",
    )
    .await
}
