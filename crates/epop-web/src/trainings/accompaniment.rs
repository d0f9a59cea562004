//! `/admin/accompagnement/{account}`: the accompaniment of a trained person
//! over 2 to 3 years — their path (the one they see in « Mon parcours », with
//! the milestones that are late), recording a milestone, and follow-up notes. Only the coordinators of the person's territory and
//! admins see this page, and only for an account they may manage (not
//! another coordinator's, nor an admin's): the same rule as the account's
//! own page, for every route of this file. Every read of the notes is
//! audited.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use epop_domain::training::Milestone;
use epop_store::accounts::{self, Account};
use epop_store::trainings::{self, Note};
use epop_store::{audit, now};

use crate::context::Layout;
use crate::forms::{Errors, Pairs};
use crate::french::{paris_time, paris_today};
use crate::path::PathView;
use crate::render::{audited, render_form};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/accompagnement/{id}", get(page))
        .route("/admin/accompagnement/{id}/etape", post(milestone))
        .route("/admin/accompagnement/{id}/note", post(note))
}

/// The person, if the viewer may manage their account: an admin, or a
/// coordinator of their territory for an account holding no role above
/// what a coordinator gives (`Principal::may_manage_account`).
async fn person(state: &AppState, ctx: &Ctx, id: &str) -> Result<Account, AppError> {
    let user = ctx.require(|p| p.may_administer())?;
    let mut conn = state.db.conn().await?;
    let a = accounts::by_public_id(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user
        .principal
        .may_manage_account(a.department_code.as_deref(), a.roles.keys().copied())
    {
        return Err(AppError::Forbidden);
    }
    Ok(a)
}

pub struct NoteView {
    pub n: Note,
    pub when: String,
}

#[derive(Template)]
#[template(path = "trainings/accompaniment.html")]
struct Page {
    l: Layout,
    a: Account,
    path: PathView,
    milestones: Vec<(&'static str, &'static str)>,
    notes: Vec<NoteView>,
    errors: Errors,
    p: Pairs,
}

async fn render_page(
    state: &AppState,
    ctx: &Ctx,
    a: Account,
    errors: Errors,
    p: Pairs,
) -> Result<Response, AppError> {
    let mut tx = state.db.write().await?;
    let path = crate::path::view(
        &epop_store::path::of(&mut tx, a.id, &a.email).await?,
        now(),
        paris_today(),
    );
    let notes: Vec<NoteView> = trainings::notes(&mut tx, a.id)
        .await?
        .into_iter()
        .map(|n| NoteView {
            when: paris_time(n.created_at),
            n,
        })
        .collect();
    if !notes.is_empty() {
        audit::record(
            &mut tx,
            ctx.audit(
                "follow_up_read",
                Some(format!("account:{}", a.public_id)),
                format!("Lecture des notes de suivi de {}", a.email),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    let invalid = !errors.is_empty();
    let page = Page {
        l: ctx.layout_with_errors(format!("Accompagnement : {}", a.display_name), invalid),
        a,
        path,
        milestones: Milestone::ALL
            .iter()
            .map(|m| (m.code(), m.label()))
            .collect(),
        notes,
        errors,
        p,
    };
    render_form(&page, invalid)
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let a = person(&state, &ctx, &id).await?;
    render_page(&state, &ctx, a, Errors::default(), Pairs::default()).await
}

async fn milestone(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let a = person(&state, &ctx, &id).await?;
    let mut errors = Errors::default();
    let m = Milestone::from_code(&p.get("milestone"));
    if m.is_none() {
        errors.add("milestone", "Choisissez l’étape atteinte.");
    }
    let date = errors.check(
        "reached_on",
        epop_domain::text::parse_date(&p.get("reached_on"), "la date")
            .and_then(|d| epop_domain::path::reached_on(d, paris_today())),
    );
    let (Some(m), Some(date)) = (m, date) else {
        return render_page(&state, &ctx, a, errors, p).await;
    };
    let by = ctx.user()?.account.id;
    let mut tx = state.db.write().await?;
    trainings::record_milestone(&mut tx, a.id, m, &date.to_string(), by, now()).await?;
    audited(
        tx,
        ctx.audit(
            "milestone_recorded",
            Some(format!("account:{}", a.public_id)),
            format!("{} : {}", m.label(), date),
        ),
        &format!("/admin/accompagnement/{id}?message=etape"),
    )
    .await
}

async fn note(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let a = person(&state, &ctx, &id).await?;
    let mut errors = Errors::default();
    let Some(body) = errors.check(
        "body",
        epop_domain::text::paragraph(&p.get("body"), "la note", 5000),
    ) else {
        return render_page(&state, &ctx, a, errors, p).await;
    };
    let by = ctx.user()?.account.id;
    let mut tx = state.db.write().await?;
    trainings::add_note(&mut tx, a.id, by, &body, now()).await?;
    audited(
        tx,
        ctx.audit(
            "follow_up_written",
            Some(format!("account:{}", a.public_id)),
            "Note de suivi ajoutée".into(),
        ),
        &format!("/admin/accompagnement/{id}?message=note"),
    )
    .await
}
