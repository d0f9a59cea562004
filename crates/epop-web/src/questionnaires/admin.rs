//! The questionnaires' definitions: `/admin/questionnaires` lists them by
//! purpose with their versions and response counts (admins, and
//! coordinators read-only), `/admin/questionnaires/nouveau` and
//! `/admin/questionnaires/{purpose}-v{version}/nouvelle-version` (admins only) define a
//! questionnaire or its next version, pre-filled from the version it
//! starts from. Without JavaScript: a fixed number of question blocks, and
//! « Ajouter des questions » shows the form again with more. Saved versions
//! are never edited: answers keep the version they answered.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use epop_domain::questionnaire::form::{QuestionForm, QuestionnaireForm};
use epop_domain::questionnaire::{Kind, Purpose, Questionnaire};
use epop_store::questionnaires::{self, Version};
use epop_store::{StoreError, audit, now};

use crate::context::Layout;
use crate::forms::{Errors, Pairs};
use crate::render::{render, render_form};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/questionnaires", get(list))
        .route("/admin/questionnaires/nouveau", get(new_form).post(save))
        .route(
            "/admin/questionnaires/{key}/nouvelle-version",
            get(version_form).post(save_version),
        )
}

/// Question blocks shown at first, and added by « Ajouter des questions ».
const BLOCKS: usize = 10;
const MORE: usize = 5;

struct PurposeList {
    label: &'static str,
    versions: Vec<(Version, String)>,
}

#[derive(Template)]
#[template(path = "questionnaires/list.html")]
struct List {
    l: Layout,
    purposes: Vec<PurposeList>,
    is_admin: bool,
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(|p| p.may_administer())?;
    let mut conn = state.db.conn().await?;
    let all = questionnaires::versions(&mut conn).await?;
    let purposes = Purpose::ALL
        .into_iter()
        .map(|p| PurposeList {
            label: p.label(),
            versions: all
                .iter()
                .filter(|v| v.purpose == p.code())
                .map(|v| (v.clone(), crate::french::french_day(v.created_at)))
                .collect(),
        })
        .collect();
    render(&List {
        l: ctx.layout("Questionnaires"),
        purposes,
        is_admin: user.principal.is_admin(),
    })
}

/// One text field of a question block.
struct Field {
    id: String,
    label: &'static str,
    value: String,
    error: String,
}

/// One question block of the form.
struct Block {
    n: usize,
    fields: Vec<Field>,
    /// (code, words, chosen).
    kinds: Vec<(&'static str, &'static str, bool)>,
    kind_error: String,
    options: Field,
    required: bool,
}

#[derive(Template)]
#[template(path = "questionnaires/form.html")]
struct FormPage {
    l: Layout,
    action: String,
    errors: Errors,
    title: String,
    /// The purpose is that of the version started from (a new version).
    fixed_purpose: Option<&'static str>,
    /// (code, words, chosen).
    purposes: Vec<(&'static str, &'static str, bool)>,
    blocks: Vec<Block>,
}

fn block(n: usize, q: &QuestionForm, errors: &Errors) -> Block {
    let field = |name: &str, label: &'static str, value: &str| {
        let id = format!("question-{n}-{name}");
        Field {
            error: errors.get(&id).to_owned(),
            id,
            label,
            value: value.to_owned(),
        }
    };
    Block {
        n,
        fields: vec![
            field(
                "code",
                "Code (minuscules, chiffres, tirets ; gardez le même d’une version à l’autre)",
                &q.code,
            ),
            field("wording", "Intitulé", &q.wording),
            field(
                "easy-wording",
                "Intitulé en facile à lire et à comprendre (FALC)",
                &q.easy_wording,
            ),
            field("min", "Nombre : minimum", &q.min),
            field("max", "Nombre : maximum", &q.max),
            field(
                "max-length",
                "Texte court : nombre de caractères au plus",
                &q.max_length,
            ),
        ],
        kinds: Kind::CODES
            .iter()
            .map(|(code, label)| (*code, *label, q.kind == *code))
            .collect(),
        kind_error: errors.get(&format!("question-{n}-kind")).to_owned(),
        options: field(
            "options",
            "Choix : les réponses possibles, une par ligne",
            &q.options,
        ),
        required: q.required,
    }
}

/// The form of the admin's typing, as blocks (at least `count`).
fn page(
    ctx: &Ctx,
    title: &str,
    action: String,
    form: &QuestionnaireForm,
    fixed: Option<Purpose>,
    count: usize,
    errors: Errors,
) -> Result<Response, AppError> {
    let invalid = !errors.is_empty();
    let empty = QuestionForm {
        kind: "echelle".into(),
        required: true,
        ..Default::default()
    };
    let blocks = (0..count.max(form.questions.len()))
        .map(|i| block(i + 1, form.questions.get(i).unwrap_or(&empty), &errors))
        .collect();
    let page = FormPage {
        l: ctx.layout_with_errors(title, invalid),
        action,
        title: form.title.clone(),
        fixed_purpose: fixed.map(Purpose::label),
        purposes: Purpose::ALL
            .iter()
            .map(|p| (p.code(), p.label(), form.purpose == p.code()))
            .collect(),
        blocks,
        errors,
    };
    render_form(&page, invalid)
}

async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(|p| p.is_admin())?;
    page(
        &ctx,
        "Créer un questionnaire",
        "/admin/questionnaires/nouveau".into(),
        &QuestionnaireForm::default(),
        None,
        BLOCKS,
        Errors::default(),
    )
}

/// The version a new one starts from (admins only), named in the URL by
/// its purpose and number (`evenement-v2`): internal ids stay out of URLs.
async fn started_from(state: &AppState, ctx: &Ctx, key: &str) -> Result<Questionnaire, AppError> {
    ctx.require(|p| p.is_admin())?;
    let (purpose, version) = key
        .rsplit_once("-v")
        .and_then(|(p, v)| Some((Purpose::from_code(p)?, v.parse::<i64>().ok()?)))
        .ok_or(AppError::NotFound)?;
    let mut conn = state.db.conn().await?;
    Ok(questionnaires::by_version(&mut conn, purpose, version)
        .await?
        .ok_or(AppError::NotFound)?
        .questionnaire)
}

async fn version_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let from = started_from(&state, &ctx, &key).await?;
    let form = QuestionnaireForm {
        title: from.title.clone(),
        purpose: from.purpose.code().to_owned(),
        questions: from
            .questions
            .iter()
            .map(|q| {
                let (min, max, max_length) = match q.kind {
                    Kind::Number { min, max } => (min.to_string(), max.to_string(), String::new()),
                    Kind::ShortText { max } => (String::new(), String::new(), max.to_string()),
                    _ => Default::default(),
                };
                QuestionForm {
                    code: q.code.clone(),
                    wording: q.wording.clone(),
                    easy_wording: q.easy_wording.clone(),
                    required: q.required,
                    kind: q.kind.code().to_owned(),
                    options: q.kind.options().join("\n"),
                    min,
                    max,
                    max_length,
                }
            })
            .collect(),
    };
    page(
        &ctx,
        &format!("Nouvelle version : {}", from.title),
        format!("/admin/questionnaires/{key}/nouvelle-version"),
        &form,
        Some(from.purpose),
        form.questions.len() + 2,
        Errors::default(),
    )
}

/// The typed form: the blocks with anything written, in order (empty
/// blocks are left out, so « Question N » is the N-th written one).
fn typed(p: &Pairs) -> (QuestionnaireForm, usize) {
    let count = p
        .get("blocs")
        .parse::<usize>()
        .unwrap_or(BLOCKS)
        .clamp(1, 100);
    let questions = (1..=count)
        .map(|n| {
            let get = |f: &str| p.get(&format!("question-{n}-{f}"));
            QuestionForm {
                code: get("code"),
                wording: get("wording"),
                easy_wording: get("easy-wording"),
                required: get("required") == "oui",
                kind: get("kind"),
                options: get("options"),
                min: get("min"),
                max: get("max"),
                max_length: get("max-length"),
            }
        })
        .filter(|q| {
            [
                &q.code,
                &q.wording,
                &q.easy_wording,
                &q.options,
                &q.min,
                &q.max,
                &q.max_length,
            ]
            .iter()
            .any(|v| !v.trim().is_empty())
        })
        .collect();
    (
        QuestionnaireForm {
            title: p.get("title"),
            purpose: p.get("purpose"),
            questions,
        },
        count,
    )
}

async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    ctx.require(|p| p.is_admin())?;
    let (form, count) = typed(&p);
    let action = "/admin/questionnaires/nouveau".to_owned();
    store(
        &state,
        &ctx,
        "Créer un questionnaire",
        action,
        form,
        None,
        count,
        &p,
    )
    .await
}

async fn save_version(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let from = started_from(&state, &ctx, &key).await?;
    let (mut form, count) = typed(&p);
    form.purpose = from.purpose.code().to_owned();
    let title = format!("Nouvelle version : {}", from.title);
    let action = format!("/admin/questionnaires/{key}/nouvelle-version");
    store(
        &state,
        &ctx,
        &title,
        action,
        form,
        Some(from.purpose),
        count,
        &p,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn store(
    state: &AppState,
    ctx: &Ctx,
    title: &str,
    action: String,
    form: QuestionnaireForm,
    fixed: Option<Purpose>,
    count: usize,
    p: &Pairs,
) -> Result<Response, AppError> {
    if p.get("faire") == "ajouter" {
        return page(
            ctx,
            title,
            action,
            &form,
            fixed,
            count + MORE,
            Errors::default(),
        );
    }
    let q = match form.validate(0) {
        Ok(q) => q,
        Err(problems) => {
            let mut errors = Errors::default();
            for (field, e) in problems {
                errors.add(&field, e.0);
            }
            return page(ctx, title, action, &form, fixed, count, errors);
        }
    };
    let user = ctx.user()?;
    let mut tx = state.db.write().await?;
    let saved = match questionnaires::save(&mut tx, &q, Some(user.account.id), now()).await {
        Ok(s) => s,
        Err(StoreError::Duplicate(_)) => {
            drop(tx);
            let mut errors = Errors::default();
            errors.add("title", "Une autre version vient d’être enregistrée en même temps : enregistrez de nouveau.");
            return page(ctx, title, action, &form, fixed, count, errors);
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &mut tx,
        ctx.audit(
            "questionnaire_saved",
            Some(format!("questionnaire:{}", saved.id)),
            format!(
                "Questionnaire « {} », version {} ({})",
                saved.questionnaire.title,
                saved.questionnaire.version,
                saved.questionnaire.purpose.code()
            ),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/questionnaires?message=questionnaire").into_response())
}
