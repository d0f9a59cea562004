//! Organisations: list, create, edit (national administrators only).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use epop_domain::organisation::{OrganisationForm, OrganisationKind};
use epop_store::organisations::{self, Organisation};
use epop_store::territories::{self, Department};
use epop_store::{StoreError, audit};
use serde::Deserialize;

use crate::context::Layout;
use crate::forms::Errors;
use crate::render::{render, render_form};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/organisations", get(list))
        .route("/admin/organisations/nouvelle", get(new_form).post(create))
        .route("/admin/organisations/{slug}", get(edit_form).post(update))
}

pub struct KindOption {
    pub code: &'static str,
    pub label: &'static str,
}

fn kinds() -> Vec<KindOption> {
    OrganisationKind::ALL
        .into_iter()
        .map(|k| KindOption {
            code: k.code(),
            label: k.label(),
        })
        .collect()
}

pub fn kind_label(code: &str) -> &'static str {
    OrganisationKind::from_code(code)
        .map(OrganisationKind::label)
        .unwrap_or("Autre")
}

#[derive(Template)]
#[template(path = "admin/organisations.html")]
struct List {
    l: Layout,
    organisations: Vec<Organisation>,
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(|p| p.may_manage_organisations())?;
    let mut conn = state.db.conn().await?;
    let organisations = organisations::list(&mut conn).await?;
    render(&List {
        l: ctx.layout("Organisations"),
        organisations,
    })
}

#[derive(Template)]
#[template(path = "admin/organisation_form.html")]
struct FormPage {
    l: Layout,
    errors: Errors,
    form: OrgFields,
    action: String,
    kinds: Vec<KindOption>,
    departments: Vec<Department>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct OrgFields {
    pub name: String,
    pub kind: String,
    pub siret: String,
    pub department: String,
}

impl OrgFields {
    fn domain(&self) -> OrganisationForm {
        OrganisationForm {
            name: self.name.clone(),
            kind: self.kind.clone(),
            siret: self.siret.clone(),
            department: self.department.clone(),
        }
    }
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    title: &str,
    form: OrgFields,
    action: String,
    errors: Errors,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let departments = territories::departments(&mut conn).await?;
    let invalid = !errors.is_empty();
    let page = FormPage {
        l: ctx.layout_with_errors(title, invalid),
        errors,
        form,
        action,
        kinds: kinds(),
        departments,
    };
    render_form(&page, invalid)
}

async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(|p| p.may_manage_organisations())?;
    page(
        &state,
        &ctx,
        "Ajouter une organisation",
        OrgFields::default(),
        "/admin/organisations/nouvelle".into(),
        Errors::default(),
    )
    .await
}

/// Validates the form; on problems returns them field by field.
fn validate(form: &OrgFields) -> Result<epop_domain::organisation::NewOrganisation, Errors> {
    form.domain().validate().map_err(Errors::from_problems)
}

fn siret_taken() -> Errors {
    let mut errors = Errors::default();
    errors.add("siret", "Une autre organisation a déjà ce numéro SIRET. Cherchez-la dans la liste des organisations.");
    errors
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<OrgFields>,
) -> Result<Response, AppError> {
    ctx.require(|p| p.may_manage_organisations())?;
    let action = "/admin/organisations/nouvelle".to_string();
    let org = match validate(&form) {
        Ok(o) => o,
        Err(errors) => {
            return page(
                &state,
                &ctx,
                "Ajouter une organisation",
                form,
                action,
                errors,
            )
            .await;
        }
    };
    let mut tx = state.db.write().await?;
    let created = match organisations::create(&mut tx, &org).await {
        Ok(c) => c,
        Err(StoreError::Duplicate(_)) => {
            drop(tx);
            return page(
                &state,
                &ctx,
                "Ajouter une organisation",
                form,
                action,
                siret_taken(),
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &mut tx,
        ctx.audit(
            "organisation_created",
            Some(format!("organisation:{}", created.slug)),
            format!("Organisation créée : {}", created.name),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/organisations?message=organisation").into_response())
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    ctx.require(|p| p.may_manage_organisations())?;
    let mut conn = state.db.conn().await?;
    let org = organisations::by_slug(&mut conn, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let form = OrgFields {
        name: org.name.clone(),
        kind: org.kind.clone(),
        siret: org.siret.clone().unwrap_or_default(),
        department: org.department_code.clone().unwrap_or_default(),
    };
    page(
        &state,
        &ctx,
        &format!("Modifier : {}", org.name),
        form,
        format!("/admin/organisations/{slug}"),
        Errors::default(),
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<OrgFields>,
) -> Result<Response, AppError> {
    ctx.require(|p| p.may_manage_organisations())?;
    let mut tx = state.db.write().await?;
    let org = organisations::by_slug(&mut tx, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let title = format!("Modifier : {}", org.name);
    let action = format!("/admin/organisations/{slug}");
    let valid = match validate(&form) {
        Ok(v) => v,
        Err(errors) => {
            drop(tx);
            return page(&state, &ctx, &title, form, action, errors).await;
        }
    };
    match organisations::update(&mut tx, org.id, &valid).await {
        Ok(()) => {}
        Err(StoreError::Duplicate(_)) => {
            drop(tx);
            return page(&state, &ctx, &title, form, action, siret_taken()).await;
        }
        Err(e) => return Err(e.into()),
    }
    audit::record(
        &mut tx,
        ctx.audit(
            "organisation_updated",
            Some(format!("organisation:{slug}")),
            format!("Organisation modifiée : {}", valid.name),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/organisations?message=organisation").into_response())
}
