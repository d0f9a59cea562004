//! Filling in a directory profile, one question per page, in easy words.
//! Each answer is saved as soon as it is sent, so nothing is lost after a
//! mistake or a pause; a new profile stays hidden until its owner chooses
//! who may see it and gives their consent. Coordinators fill the same pages
//! for people of their territory (except the sensitive questions, which
//! only the person answers, with their own consent); they never give a
//! consent in the person's name, and may make a profile less visible, never
//! more (`epop_domain::directory::visibility_ceiling`), unless they recorded
//! the person's written consent (`admin::consent`). The summary page shows
//! the person each consent on file, who gave it and when, and withdraws it.

mod answers;
mod fields;
mod overview;
mod photo;
mod steps;
mod visibility;

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use epop_domain::Role;
use epop_domain::directory::ProfileKind;
use epop_store::directory::{self, ProfileInput, Sensitive, purpose};
use epop_store::{accounts, audit};

use crate::context::Layout;
use crate::forms::{Errors, Pairs};
use crate::render::render_form;
use crate::{AppError, AppState, Ctx};
use answers::{AbsenceChanges, Answers, apply};
use fields::{Field, fields};
use overview::{overview, withdraw};
use photo::{MAX_PHOTO, other_photo_form, other_photo_save, own_photo_form, own_photo_save};
use steps::{Step, steps};
use visibility::{Limits, keep_to_consent, limits, visibility_choice};

/// Version of the consent texts shown on these pages.
const CONSENT_VERSION: &str = "2026-11";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/espace/ma-fiche", get(overview))
        .route("/espace/ma-fiche/accords", post(withdraw))
        .route(
            "/espace/ma-fiche/photo",
            get(own_photo_form).post(own_photo_save),
        )
        .route("/espace/ma-fiche/{step}", get(own_step).post(own_save))
        .route(
            "/admin/annuaire/{slug}/modifier/photo",
            get(other_photo_form).post(other_photo_save),
        )
        .route(
            "/admin/annuaire/{slug}/modifier/{step}",
            get(other_step).post(other_save),
        )
        .layer(DefaultBodyLimit::max(crate::forms::upload_limit(MAX_PHOTO)))
}

#[derive(Template)]
#[template(path = "directory/profile_form_step.html")]
struct StepPage {
    l: Layout,
    errors: Errors,
    number: usize,
    count: usize,
    help: &'static str,
    limits: Option<Limits>,
    fields: Vec<Field>,
    action: String,
    back: Option<String>,
    whose: String,
    /// The photo page sends a file: multipart, CSRF token in the action URL.
    multipart: bool,
}

/// Whose profile is being filled in.
struct Target {
    account_id: i64,
    kind: ProfileKind,
    owner: bool,
    /// Base of the pages' URLs (`/espace/ma-fiche` or `/admin/annuaire/{slug}/modifier`).
    base: String,
    /// The page recording the person's written consent (coordinators' pages).
    written_consent: Option<String>,
    name: String,
    home_department: Option<String>,
    organisation_id: Option<i64>,
}

fn own_target(ctx: &Ctx) -> Result<Target, AppError> {
    let user = ctx.user()?;
    let kind = if user.principal.has(Role::Peer) {
        ProfileKind::Peer
    } else if user.principal.has(Role::Referent) {
        ProfileKind::Referent
    } else {
        return Err(AppError::Forbidden);
    };
    Ok(Target {
        account_id: user.account.id,
        kind,
        owner: true,
        base: "/espace/ma-fiche".into(),
        written_consent: None,
        name: user.account.display_name.clone(),
        home_department: user.account.department_code.clone(),
        organisation_id: user.account.organisation_id,
    })
}

/// A coordinator (of a département of the profile) or an admin.
async fn other_target(state: &AppState, ctx: &Ctx, slug: &str) -> Result<Target, AppError> {
    let profile = super::managed_profile(state, ctx, slug).await?;
    let user = ctx.user()?;
    Ok(Target {
        account_id: profile.account_id,
        kind: profile.card.kind,
        owner: profile.account_id == user.account.id,
        base: format!("/admin/annuaire/{slug}/modifier"),
        written_consent: Some(format!("/admin/annuaire/{slug}/accord-ecrit")),
        name: profile.card.display_name.clone(),
        home_department: profile.card.home_department.clone(),
        organisation_id: None,
    })
}

/// The profile's current values, or the defaults of a new profile.
async fn current(
    state: &AppState,
    t: &Target,
) -> Result<(Option<i64>, ProfileInput, Sensitive), AppError> {
    let mut conn = state.db.conn().await?;
    match directory::profile_of(&mut conn, t.account_id, t.kind).await? {
        Some((id, _)) => {
            let input = directory::input_of(&mut conn, id).await?;
            let sensitive = if t.owner {
                directory::sensitive_for_owner(&mut conn, id).await?
            } else {
                Sensitive::default()
            };
            Ok((Some(id), input, sensitive))
        }
        None => Ok((
            None,
            ProfileInput::new_hidden(
                t.kind,
                t.name.clone(),
                t.home_department.clone(),
                t.organisation_id,
            ),
            Sensitive::default(),
        )),
    }
}

fn find_step(t: &Target, slug: &str) -> Result<(usize, Step, Vec<Step>), AppError> {
    let list = steps(t.kind, t.owner);
    let n = list
        .iter()
        .position(|s| s.slug() == slug)
        .ok_or(AppError::NotFound)?;
    Ok((n, list[n], list))
}

/// Today in Paris, as stored dates are compared.
fn today() -> String {
    crate::french::paris_today().to_string()
}

/// What was sent, when a page comes back with errors: every text the person
/// typed is shown again as typed, even when it could not be kept.
type Typed<'a> = (ProfileInput, Sensitive, BTreeSet<String>, &'a Pairs);

/// A page as stored, without problems.
async fn show_blank(
    state: &AppState,
    ctx: &Ctx,
    t: &Target,
    slug: &str,
) -> Result<Response, AppError> {
    show(state, ctx, t, slug, Errors::default(), None).await
}

async fn show(
    state: &AppState,
    ctx: &Ctx,
    t: &Target,
    slug: &str,
    errors: Errors,
    typed: Option<Typed<'_>>,
) -> Result<Response, AppError> {
    let (n, step, list) = find_step(t, slug)?;
    let (profile_id, stored, _) = current(state, t).await?;
    let choice = visibility_choice(state, t, stored.visibility).await?;
    let (p, s, consents, form) = match typed {
        Some((p, s, c, form)) => (p, s, c, Some(form)),
        None => {
            let (_, p, s) = current(state, t).await?;
            let mut conn = state.db.conn().await?;
            let consents = directory::active_consents(&mut conn, t.account_id)
                .await?
                .into_keys()
                .collect();
            (p, s, consents, None)
        }
    };
    let mut fields = fields(state, step, profile_id, &p, &s, &consents, &choice).await?;
    if let Some(form) = form {
        for field in &mut fields {
            if let Field::Text { name, value, .. }
            | Field::Area { name, value, .. }
            | Field::Number { name, value, .. } = field
                && form.0.iter().any(|(k, _)| k == name)
            {
                *value = form.get(name);
            }
        }
    }
    let invalid = !errors.is_empty();
    let page = StepPage {
        l: ctx.layout_with_errors(step.question(), invalid),
        errors,
        number: n + 1,
        count: list.len(),
        help: if step == Step::Visibility && !t.owner {
            ""
        } else {
            step.help()
        },
        limits: (step == Step::Visibility && !t.owner).then(|| limits(t, &choice)),
        fields,
        action: format!("{}/{}", t.base, step.slug()),
        back: (n > 0).then(|| format!("{}/{}", t.base, list[n - 1].slug())),
        multipart: step == Step::Photo,
        whose: if t.owner {
            String::new()
        } else {
            t.name.clone()
        },
    };
    render_form(&page, invalid)
}

async fn save(
    state: AppState,
    ctx: Ctx,
    t: Target,
    slug: String,
    form: Pairs,
) -> Result<Response, AppError> {
    let (n, step, list) = find_step(&t, &slug)?;
    let (existing, mut p, mut s) = current(&state, &t).await?;
    let choice = visibility_choice(&state, &t, p.visibility).await?;
    let mut conn = state.db.conn().await?;
    let before: BTreeSet<String> = directory::active_consents(&mut conn, t.account_id)
        .await?
        .into_keys()
        .collect();
    drop(conn);
    let mut consents = before.clone();
    let mut absence_changes = AbsenceChanges::default();
    let errors = apply(
        &state,
        step,
        &form,
        Answers {
            p: &mut p,
            s: &mut s,
            consents: &mut consents,
            absences: &mut absence_changes,
        },
        &choice,
    )
    .await?;
    if !errors.is_empty() {
        return show(
            &state,
            &ctx,
            &t,
            &slug,
            errors,
            Some((p, s, consents, &form)),
        )
        .await;
    }
    let mut tx = state.db.write().await?;
    keep_to_consent(&mut tx, &t, &mut p).await?;
    let (id, profile_slug) =
        directory::upsert(&mut tx, state.db.engine(), t.account_id, &p).await?;
    // Only the person gives or withdraws their consents.
    let purposes: &[&str] = if t.owner {
        &[
            purpose::LISTING,
            purpose::ACCOMMODATIONS,
            purpose::EXPERIENCE,
        ]
    } else {
        &[]
    };
    for &key in purposes {
        match (before.contains(key), consents.contains(key)) {
            (false, true) => {
                directory::give_consent(&mut tx, t.account_id, key, CONSENT_VERSION).await?
            }
            (true, false) => directory::withdraw_consent(&mut tx, t.account_id, key).await?,
            _ => {}
        }
    }
    for absence in &absence_changes.remove {
        directory::remove_absence(&mut tx, id, *absence).await?;
    }
    if let Some((start, end)) = &absence_changes.add {
        directory::add_absence(&mut tx, id, start, end).await?;
    }
    if step.sensitive() {
        let stored = directory::sensitive_for_owner(&mut tx, id).await?;
        let merged = Sensitive {
            accommodations: if step == Step::Accommodations {
                s.accommodations.clone()
            } else {
                stored.accommodations
            },
            disability_experience: if step == Step::Experience {
                s.disability_experience.clone()
            } else {
                stored.disability_experience
            },
        };
        directory::set_sensitive(&mut tx, id, &merged).await?;
    }
    if !t.owner || existing.is_none() {
        let detail = if existing.is_none() {
            "Fiche d’annuaire créée".to_owned()
        } else {
            format!("Fiche de {} modifiée : {}", p.display_name, step.question())
        };
        audit::record(
            &mut tx,
            ctx.audit(
                "profile_updated",
                Some(format!("profile:{profile_slug}")),
                detail,
            ),
        )
        .await?;
    }
    if step == Step::Name && t.owner {
        accounts::update_display_name(&mut tx, t.account_id, &p.display_name).await?;
    }
    tx.commit().await?;
    let changed_absences = absence_changes.add.is_some() || !absence_changes.remove.is_empty();
    let next = match list.get(n + 1) {
        _ if changed_absences => format!("{}/{}?message=absences", t.base, step.slug()),
        Some(next) => format!("{}/{}", t.base, next.slug()),
        None if t.owner => "/espace/ma-fiche?message=fiche".into(),
        None => format!("/annuaire/{profile_slug}"),
    };
    Ok(Redirect::to(&next).into_response())
}

async fn own_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(step): Path<String>,
) -> Result<Response, AppError> {
    let t = own_target(&ctx)?;
    show_blank(&state, &ctx, &t, &step).await
}

async fn own_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(step): Path<String>,
    Form(form): Form<Pairs>,
) -> Result<Response, AppError> {
    let t = own_target(&ctx)?;
    save(state, ctx, t, step, form).await
}

async fn other_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, step)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let t = other_target(&state, &ctx, &slug).await?;
    show_blank(&state, &ctx, &t, &step).await
}

async fn other_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, step)): Path<(String, String)>,
    Form(form): Form<Pairs>,
) -> Result<Response, AppError> {
    let t = other_target(&state, &ctx, &slug).await?;
    save(state, ctx, t, step, form).await
}
