//! `/admin/programmes`: admins list, create and edit every programme and
//! name its coordinators among the coordinator accounts; a programme's
//! coordinators edit it, within their territory (they neither add nor
//! remove a département outside it) and without changing who coordinates
//! it. Every write is audited.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use epop_domain::programme::{CarrierKind, Kind, NewProgramme, ProgrammeForm, Status};
use epop_domain::{Principal, Role};
use epop_store::accounts::{self, Account};
use epop_store::programmes::{self, Programme};

use crate::context::{CurrentUser, Layout};
use crate::easy_aid::{self, Aids};
use crate::forms::{Errors, Pairs};
use crate::french::paris_today;
use crate::render::{audited, render, render_form};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/programmes", get(list))
        .route("/admin/programmes/nouveau", get(new_form).post(create))
        .route("/admin/programmes/{slug}", get(edit_form).post(update))
}

#[derive(Template)]
#[template(path = "programmes/manage_list.html")]
struct List {
    l: Layout,
    programmes: Vec<Programme>,
    may_create: bool,
}

/// Admins see every programme; a coordinator, those they coordinate.
async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(Principal::may_administer)?;
    let mut conn = state.db.conn().await?;
    let programmes = programmes::list(&mut conn)
        .await?
        .into_iter()
        .filter(|p| user.principal.may_edit_programme(&p.coordinator_ids))
        .collect();
    render(&List {
        l: ctx.layout("Programmes locaux"),
        programmes,
        may_create: user.principal.may_create_programmes(),
    })
}

/// A coordinator account as the form offers it.
struct CoordinatorChoice {
    public_id: String,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "programmes/manage_form.html")]
struct FormPage {
    l: Layout,
    errors: Errors,
    p: Pairs,
    kinds: Vec<(&'static str, &'static str)>,
    carrier_kinds: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    /// Offered to admins only.
    coordinators: Vec<CoordinatorChoice>,
    may_set_coordinators: bool,
    /// What to type, and for a coordinator which départements are theirs.
    departments_hint: String,
    action: String,
    /// The programme's public page, when editing.
    public_page: Option<String>,
    /// What the easy-read rules flag in the easy-read aims.
    aids: Aids,
}

/// The coordinator accounts, by name.
async fn coordinator_accounts(state: &AppState) -> Result<Vec<Account>, AppError> {
    let mut conn = state.db.conn().await?;
    let mut list = accounts::list(&mut conn, None, Some(Role::Coordinator)).await?;
    list.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    Ok(list)
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    errors: Errors,
    p: Pairs,
    editing: Option<&Programme>,
) -> Result<Response, AppError> {
    let invalid = !errors.is_empty();
    let may_set_coordinators = user.principal.may_set_programme_coordinators();
    let chosen = p.all("coordinators");
    let coordinators = if may_set_coordinators {
        coordinator_accounts(state)
            .await?
            .into_iter()
            .map(|a| CoordinatorChoice {
                checked: chosen.contains(&a.public_id),
                label: match &a.department_name {
                    Some(d) => format!("{} ({d})", a.display_name),
                    None => a.display_name.clone(),
                },
                public_id: a.public_id,
            })
            .collect()
    } else {
        Vec::new()
    };
    let (title, action) = match editing {
        Some(programme) => (
            format!("Modifier le programme : {}", programme.name),
            format!("/admin/programmes/{}", programme.slug),
        ),
        None => (
            "Créer un programme local".to_owned(),
            "/admin/programmes/nouveau".to_owned(),
        ),
    };
    let example = "Leurs numéros, séparés par des virgules. Par exemple : 11, 31, 65.";
    let departments_hint = if user.principal.is_admin() {
        example.to_owned()
    } else {
        let own: Vec<&str> = user
            .principal
            .coordinated_departments
            .iter()
            .map(String::as_str)
            .collect();
        format!(
            "{example} Vous pouvez ajouter ou retirer les départements de votre territoire : {}.",
            own.join(", ")
        )
    };
    let aids = Aids::of(&p, &["aims_easy"]);
    let page = FormPage {
        l: ctx.layout_with_errors(&title, invalid),
        errors,
        p,
        kinds: Kind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        carrier_kinds: CarrierKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        statuses: Status::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        coordinators,
        may_set_coordinators,
        departments_hint,
        action,
        public_page: editing.map(|e| format!("/programmes/{}", e.slug)),
        aids,
    };
    render_form(&page, invalid)
}

fn form_of(p: &Pairs) -> ProgrammeForm {
    ProgrammeForm {
        name: p.get("name"),
        kind: p.get("kind"),
        carrier: p.get("carrier"),
        carrier_kind: p.get("carrier_kind"),
        partners: p.get("partners"),
        departments: p.get("departments"),
        start_year: p.get("start_year"),
        end_year: p.get("end_year"),
        aims: p.get("aims"),
        aims_easy: p.get("aims_easy"),
        status: p.get("status"),
        review: p.get("review"),
    }
}

/// The form filled with a stored programme.
fn pairs_of(p: &Programme, coordinators: &[Account]) -> Pairs {
    let mut pairs = vec![
        ("name".into(), p.name.clone()),
        ("kind".into(), p.kind.code().into()),
        ("carrier".into(), p.carrier.clone()),
        ("carrier_kind".into(), p.carrier_kind.code().into()),
        ("partners".into(), p.partners.join("\n")),
        ("departments".into(), p.department_codes().join(", ")),
        ("start_year".into(), p.start_year.to_string()),
        ("end_year".into(), p.end_year.to_string()),
        ("aims".into(), p.aims.clone()),
        ("aims_easy".into(), p.aims_easy.clone()),
        (
            "status".into(),
            p.status_chosen.map(|s| s.code()).unwrap_or_default().into(),
        ),
        ("review".into(), p.review.clone().unwrap_or_default()),
    ];
    for a in coordinators
        .iter()
        .filter(|a| p.coordinator_ids.contains(&a.id))
    {
        pairs.push(("coordinators".into(), a.public_id.clone()));
    }
    Pairs(pairs)
}

/// The coordinator accounts ticked, each a real coordinator account; a
/// forged one is a problem under `coordinators`.
fn chosen_coordinators(p: &Pairs, accounts: &[Account], errors: &mut Errors) -> Vec<i64> {
    let mut ids = Vec::new();
    for public_id in p.all("coordinators") {
        match accounts.iter().find(|a| a.public_id == public_id) {
            Some(a) if !ids.contains(&a.id) => ids.push(a.id),
            Some(_) => {}
            None => {
                errors.add(
                    "coordinators",
                    "Une des personnes cochées ne coordonne pas de territoire : cochez à nouveau parmi la liste.",
                );
                break;
            }
        }
    }
    ids
}

async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(Principal::may_create_programmes)?;
    form_page(
        &state,
        &ctx,
        user,
        Errors::default(),
        Pairs::default(),
        None,
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let user = ctx.require(Principal::may_create_programmes)?;
    if easy_aid::checking(&p) {
        return form_page(&state, &ctx, user, Errors::default(), p, None).await;
    }
    let coordinators = coordinator_accounts(&state).await?;
    let checked = form_of(&p).validate(paris_today());
    let mut errors = match &checked {
        Ok(_) => Errors::default(),
        Err(problems) => Errors::from_problems(problems.clone()),
    };
    let chosen = chosen_coordinators(&p, &coordinators, &mut errors);
    let valid = match checked {
        Ok(v) if errors.is_empty() => v,
        _ => return form_page(&state, &ctx, user, errors, p, None).await,
    };
    let mut tx = state.db.write().await?;
    let created = programmes::create(&mut tx, &valid).await?;
    programmes::set_coordinators(&mut tx, created.id, &chosen).await?;
    saved(
        tx,
        &ctx,
        "programme_created",
        &created,
        &valid,
        chosen.len(),
    )
    .await
}

/// The programme of the address, if this person may edit it: « not found »
/// for an unknown one, 403 for someone else's.
pub(super) async fn editable<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    slug: &str,
) -> Result<(&'a CurrentUser, Programme), AppError> {
    ctx.editable(
        |_| true,
        async || Ok(programmes::by_slug(&mut *state.db.conn().await?, slug).await?),
        async |p, programme| Ok(p.may_edit_programme(&programme.coordinator_ids)),
    )
    .await
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (user, programme) = editable(&state, &ctx, &slug).await?;
    let coordinators = coordinator_accounts(&state).await?;
    let p = pairs_of(&programme, &coordinators);
    form_page(&state, &ctx, user, Errors::default(), p, Some(&programme)).await
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let (user, programme) = editable(&state, &ctx, &slug).await?;
    let may_set = user.principal.may_set_programme_coordinators();
    // The page never offers the list to a coordinator: a forged one is
    // refused as a whole.
    if !may_set && p.0.iter().any(|(k, _)| k == "coordinators") {
        return Err(AppError::Forbidden);
    }
    if easy_aid::checking(&p) {
        return form_page(&state, &ctx, user, Errors::default(), p, Some(&programme)).await;
    }
    let coordinators = coordinator_accounts(&state).await?;
    let checked = form_of(&p).validate(paris_today());
    let mut errors = match &checked {
        Ok(_) => Errors::default(),
        Err(problems) => Errors::from_problems(problems.clone()),
    };
    if let Ok(v) = &checked
        && let Err(e) = user
            .principal
            .may_change_programme_departments(&programme.department_codes(), &v.departments)
    {
        errors.add("departments", e.0);
    }
    let chosen = if may_set {
        chosen_coordinators(&p, &coordinators, &mut errors)
    } else {
        programme.coordinator_ids.clone()
    };
    let valid = match checked {
        Ok(v) if errors.is_empty() => v,
        _ => return form_page(&state, &ctx, user, errors, p, Some(&programme)).await,
    };
    let mut tx = state.db.write().await?;
    let updated = programmes::update(&mut tx, programme.id, &valid).await?;
    programmes::set_coordinators(&mut tx, programme.id, &chosen).await?;
    saved(
        tx,
        &ctx,
        "programme_updated",
        &updated,
        &valid,
        chosen.len(),
    )
    .await
}

/// A programme written: its audit line, the commit, then its public page.
async fn saved(
    tx: epop_store::Tx,
    ctx: &Ctx,
    action: &str,
    p: &Programme,
    v: &NewProgramme,
    coordinators: usize,
) -> Result<Response, AppError> {
    let departments: Vec<&str> = v.departments.iter().map(|d| d.as_str()).collect();
    audited(
        tx,
        ctx.audit(
            action,
            Some(format!("programme:{}", p.slug)),
            format!(
                "{} : départements {}, {}, {}, {}",
                p.name,
                departments.join(", "),
                super::years_of(p),
                p.status.label(),
                crate::french::plural(coordinators, "coordinateur", "coordinateurs")
            ),
        ),
        &format!("/programmes/{}?message=programme", p.slug),
    )
    .await
}
