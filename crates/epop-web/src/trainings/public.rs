//! `/formations`: the programmes and their sessions, a session's page,
//! applying (signed in, as a peer worker or a référent as the programme
//! says, or as a candidate: the step joins their path), and `/espace/formations`: a person's applications, withdrawing,
//! the certificate once the training is completed.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use epop_domain::candidate::Step;
use epop_store::trainings::{self, Application, Applied, Programme};
use epop_store::{audit, candidates, now, outbox};

use super::{SessionView, mails};
use crate::context::Layout;
use crate::forms::{Errors, Pairs};
use crate::render::{render, render_form};
use crate::security::public_id;
use crate::share::Share;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/formations", get(list))
        .route("/formations/{slug}", get(page))
        .route(
            "/formations/{slug}/candidature",
            get(apply_form).post(apply),
        )
        .route("/espace/formations", get(mine))
        .route("/espace/formations/{id}/retirer", post(withdraw))
}

pub struct ProgrammeView {
    pub p: Programme,
    pub sessions: Vec<SessionView>,
}

#[derive(Template)]
#[template(path = "trainings/list.html")]
struct List {
    l: Layout,
    programmes: Vec<ProgrammeView>,
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let t = now();
    let sessions = trainings::sessions(&mut conn).await?;
    let programmes = trainings::programmes(&mut conn)
        .await?
        .into_iter()
        .map(|p| ProgrammeView {
            sessions: sessions
                .iter()
                .filter(|s| s.programme.id == p.id)
                .cloned()
                .map(|s| SessionView::new(s, t))
                .filter(|v| v.upcoming)
                .collect(),
            p,
        })
        .collect();
    render(&List {
        l: ctx.layout("Formations"),
        programmes,
    })
}

async fn session(state: &AppState, slug: &str) -> Result<SessionView, AppError> {
    let mut conn = state.db.conn().await?;
    let s = trainings::session_by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(SessionView::new(s, now()))
}

#[derive(Template)]
#[template(path = "trainings/session.html")]
struct Page {
    l: Layout,
    v: SessionView,
    easy: bool,
    may_apply: bool,
    signed_in: bool,
    mine: Option<Application>,
    share: Share,
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let v = session(&state, &slug).await?;
    let mine = match &ctx.user {
        Some(u) => {
            let mut conn = state.db.conn().await?;
            trainings::applications_of(&mut conn, u.account.id)
                .await?
                .into_iter()
                .find(|a| a.session_id == v.s.id && a.status.is_open())
        }
        None => None,
    };
    let may_apply = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.principal.may_apply_to_training(v.s.programme.audience));
    let title = format!("{} – {}", v.s.programme.title, v.s.title);
    let place = format!("{} ({})", v.s.place, v.s.department_name);
    let share = Share::new(
        &state.config.base_url,
        &format!("/formations/{}", v.s.slug),
        "cette formation",
        &title,
        &format!(
            "Formation « {title} » : {}, {place}. Pour la découvrir et candidater :",
            v.dates
        ),
        &format!(
            "Une formation : « {} ». C’est {}. C’est ici : {place}. Pour en savoir plus et pour candidater, allez sur cette page :",
            v.s.programme.title, v.dates
        ),
    );
    render(&Page {
        share,
        l: ctx.layout(title),
        easy: ctx.query_param("version").as_deref() == Some("facile"),
        may_apply,
        signed_in: ctx.user.is_some(),
        mine,
        v,
    })
}

#[derive(Template)]
#[template(path = "trainings/apply.html")]
struct ApplyPage {
    l: Layout,
    v: SessionView,
    errors: Errors,
    motivation: String,
    needs: String,
}

fn apply_page(ctx: &Ctx, v: SessionView, errors: Errors, p: &Pairs) -> Result<Response, AppError> {
    let invalid = !errors.is_empty();
    let page = ApplyPage {
        l: ctx.layout_with_errors(format!("Candidater : {}", v.s.programme.title), invalid),
        v,
        errors,
        motivation: p.get("motivation"),
        needs: p.get("needs"),
    };
    render_form(&page, invalid)
}

async fn apply_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let v = session(&state, &slug).await?;
    let audience = v.s.programme.audience;
    ctx.require(|p| p.may_apply_to_training(audience))?;
    apply_page(&ctx, v, Errors::default(), &Pairs::default())
}

async fn apply(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let v = session(&state, &slug).await?;
    let audience = v.s.programme.audience;
    let user = ctx.require(|p| p.may_apply_to_training(audience))?;
    let mut errors = Errors::default();
    let motivation = errors.check(
        "motivation",
        epop_domain::text::paragraph(
            &p.get("motivation"),
            "pourquoi vous voulez suivre cette formation",
            3000,
        ),
    );
    let needs = p.get("needs");
    if needs.chars().count() > 1000 {
        errors.add(
            "needs",
            "Raccourcissez vos besoins : 1 000 caractères au plus.",
        );
    }
    let Some(motivation) = motivation.filter(|_| errors.is_empty()) else {
        return apply_page(&ctx, v, errors, &p);
    };
    let mut tx = state.db.write().await?;
    let applied = trainings::apply(
        &mut tx,
        v.s.id,
        user.account.id,
        &public_id(),
        &motivation,
        needs.trim(),
        now(),
    )
    .await?;
    if let Applied::New(a) = applied {
        let words = crate::emails::Words::of(&mut tx, &a.email).await?;
        outbox::enqueue(
            &mut tx,
            &mails::received(&state.config.base_url, &a, &v, words),
        )
        .await?;
        candidates::training_step(
            &mut tx,
            user.account.id,
            Step::TrainingApplied,
            &format!("{} – {}", v.s.programme.title, v.s.title),
            None,
            now(),
        )
        .await?;
        audit::record(
            &mut tx,
            ctx.audit(
                "training_applied",
                Some(format!("session:{}", v.s.slug)),
                format!("Candidature de {}", a.email),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to("/espace/formations?message=candidature").into_response())
}

pub struct MineRow {
    pub a: Application,
    pub v: SessionView,
}

#[derive(Template)]
#[template(path = "trainings/mine.html")]
struct Mine {
    l: Layout,
    rows: Vec<MineRow>,
}

async fn mine(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let apps = trainings::applications_of(&mut conn, user.account.id).await?;
    let sessions = trainings::sessions(&mut conn).await?;
    let t = now();
    let rows = apps
        .into_iter()
        .filter_map(|a| {
            let s = sessions.iter().find(|s| s.id == a.session_id)?.clone();
            Some(MineRow {
                a,
                v: SessionView::new(s, t),
            })
        })
        .collect();
    render(&Mine {
        l: ctx.layout("Mes formations"),
        rows,
    })
}

async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut tx = state.db.write().await?;
    let a = trainings::application_by_public_id(&mut tx, &id)
        .await?
        .filter(|a| a.account_id == user.account.id)
        .ok_or(AppError::NotFound)?;
    trainings::withdraw(&mut tx, a.id, now()).await?;
    tx.commit().await?;
    Ok(Redirect::to("/espace/formations?message=candidature-retiree").into_response())
}
