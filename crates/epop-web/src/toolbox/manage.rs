//! `/admin/boite-a-outils`: the coordination adds a resource (with its file
//! and captions), edits it (a new file is a new version), publishes it
//! (a video or a sound needs its captions or transcript) and unpublishes
//! it — by role and territory (`epop_domain::toolbox::may_manage`) — and
//! reviews members' suggestions. Every change is audited.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use epop_domain::toolbox::{MAX_FILE, ResourceForm, Status, may_add, may_publish};
use epop_store::toolbox::{self, FileRole, Resource};

use super::upload::{self, Received, Stored};
use super::{Lists, manages};
use crate::context::{CurrentUser, Layout};
use crate::easy_aid::{self, Aids};
use crate::forms::{Errors, Pairs};
use crate::render::{audited, render, render_form};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/boite-a-outils", get(list))
        .route("/admin/boite-a-outils/nouvelle", get(new_form).post(create))
        .route("/admin/boite-a-outils/{slug}", get(edit_form).post(update))
        .route(
            "/admin/boite-a-outils/{slug}/publication",
            post(publication),
        )
        .layer(DefaultBodyLimit::max(crate::forms::upload_limit(MAX_FILE)))
}

#[derive(Template)]
#[template(path = "toolbox/manage_list.html")]
struct ListPage {
    l: Layout,
    suggested: Vec<Resource>,
    drafts: Vec<Resource>,
    published: Vec<Resource>,
}

/// The resources this person manages, by status.
async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(may_add)?;
    let mut conn = state.db.conn().await?;
    let all = toolbox::list(&mut conn, &Status::ALL).await?;
    drop(conn);
    let mut mine = Vec::new();
    for r in all {
        if manages(&state, &user.principal, &r).await? {
            mine.push(r);
        }
    }
    let of = |s: &[Status]| -> Vec<Resource> {
        mine.iter()
            .filter(|r| s.contains(&r.status))
            .cloned()
            .collect()
    };
    render(&ListPage {
        l: ctx.layout("Gérer la boîte à outils"),
        suggested: of(&[Status::Suggested]),
        drafts: of(&[Status::Draft, Status::Unpublished]),
        published: of(&[Status::Published]),
    })
}

#[derive(Template)]
#[template(path = "toolbox/manage_form.html")]
struct FormPage {
    l: Layout,
    errors: Errors,
    p: Pairs,
    lists_themes: Vec<(String, String)>,
    territories: Vec<(String, String)>,
    action: String,
    /// When editing: the resource, to publish or unpublish it.
    editing: Option<Resource>,
    max_mb: usize,
    /// What the easy-read rules flag in the easy-read summary.
    aids: Aids,
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    errors: Errors,
    p: Pairs,
    editing: Option<Resource>,
) -> Result<Response, AppError> {
    let lists = Lists::load(state).await?;
    let invalid = !errors.is_empty();
    let (title, action) = match &editing {
        Some(r) => (
            format!("Modifier la ressource : {}", r.title),
            format!("/admin/boite-a-outils/{}", r.slug),
        ),
        None => (
            "Ajouter une ressource".to_owned(),
            "/admin/boite-a-outils/nouvelle".to_owned(),
        ),
    };
    let aids = Aids::of(&p, &["summary_easy"]);
    render_form(
        &FormPage {
            l: ctx.layout_with_errors(title, invalid),
            errors,
            p,
            lists_themes: lists
                .themes
                .iter()
                .map(|t| (t.slug.clone(), t.label.clone()))
                .collect(),
            territories: lists.manageable(&user.principal),
            action,
            editing,
            max_mb: MAX_FILE / (1024 * 1024),
            aids,
        },
        invalid,
    )
}

pub(super) fn form_of(p: &Pairs) -> ResourceForm {
    ResourceForm {
        title: p.get("title"),
        summary: p.get("summary"),
        summary_easy: p.get("summary_easy"),
        audiences: p.all("audiences"),
        kinds: p.all("kinds"),
        territory: p.get("territory"),
        language: p.get("language"),
        date: p.get("date"),
        author: p.get("author"),
        licence: p.get("licence"),
        link: p.get("link"),
        transcript: p.get("transcript"),
        visibility: p.get("visibility"),
    }
}

/// The form filled with a stored resource.
fn pairs_of(r: &Resource) -> Pairs {
    let mut pairs = vec![
        ("title".into(), r.title.clone()),
        ("summary".into(), r.summary.clone()),
        ("summary_easy".into(), r.summary_easy.clone()),
        ("territory".into(), r.territory_code()),
        ("language".into(), r.language.clone()),
        ("date".into(), r.dated.clone()),
        ("author".into(), r.author.clone()),
        ("licence".into(), r.licence.clone()),
        ("link".into(), r.link.clone().unwrap_or_default()),
        ("transcript".into(), r.transcript.clone()),
        ("visibility".into(), r.visibility.code().into()),
    ];
    pairs.extend(
        r.audiences
            .iter()
            .map(|a| ("audiences".into(), a.code().into())),
    );
    pairs.extend(r.kinds.iter().map(|k| ("kinds".into(), k.code().into())));
    pairs.extend(r.themes.iter().map(|(s, _)| ("themes".into(), s.clone())));
    Pairs(pairs)
}

async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(may_add)?;
    let mut p = Pairs::default();
    p.0.push(("language".into(), "fr".into()));
    p.0.push(("visibility".into(), "public".into()));
    p.0.push((
        "date".into(),
        crate::french::paris_today().format("%d/%m/%Y").to_string(),
    ));
    form_page(&state, &ctx, user, Errors::default(), p, None).await
}

/// What a checked form will write.
struct Checked {
    resource: epop_domain::toolbox::NewResource,
    theme_ids: Vec<i64>,
    file: Option<epop_domain::toolbox::FileKind>,
    captions: Option<epop_domain::toolbox::FileKind>,
}

/// Checks the whole form — fields, territory, themes, files, and the
/// publication rule when asked to publish — collecting every problem.
async fn check(
    state: &AppState,
    user: &CurrentUser,
    form: &Received,
    editing: Option<(&Resource, bool, bool)>,
) -> Result<Result<Checked, Errors>, AppError> {
    let lists = Lists::load(state).await?;
    let mut errors = Errors::default();
    // The problems in the order of the page's fields.
    let checked = form_of(&form.pairs).validate();
    if let Err(problems) = &checked {
        for (field, why) in problems {
            errors.add(field, why.0.clone());
        }
    }
    let theme_ids = match lists.theme_ids(&form.pairs.all("themes")) {
        Ok(ids) => ids,
        Err(why) => {
            errors.add("themes", why);
            Vec::new()
        }
    };
    let file = upload::check(&form.file, "file", false, &mut errors);
    let captions = upload::check(&form.captions, "captions", true, &mut errors);
    if let Ok(r) = &checked
        && !epop_domain::toolbox::may_manage(&user.principal, &lists.departments_of(&r.territory))
    {
        errors.add(
            "territory",
            "Choisissez un territoire que vous coordonnez : une ressource nationale est publiée par l’administration.",
        );
    }
    if let Ok(r) = &checked
        && form.pairs.get("publier") == "oui"
    {
        let (had_file, had_captions) = editing.map(|(_, f, c)| (f, c)).unwrap_or_default();
        let format = file
            .map(|k| k.format())
            .or(editing.and_then(|(e, _, _)| e.format).filter(|_| had_file))
            .or(r.link.as_ref().map(|_| epop_domain::toolbox::Format::Link));
        if let Err((field, why)) =
            may_publish(format, captions.is_some() || had_captions, &r.transcript)
        {
            errors.add(field, why.0);
        }
    }
    Ok(match checked {
        Ok(resource) if errors.is_empty() => Ok(Checked {
            resource,
            theme_ids,
            file,
            captions,
        }),
        _ => Err(errors),
    })
}

/// Writes the checked files to the storage.
async fn store_files(
    state: &AppState,
    form: &Received,
    c: &Checked,
) -> Result<Vec<Stored>, AppError> {
    let mut stored = Vec::new();
    for (sent, kind, role) in [
        (&form.file, c.file, FileRole::Main),
        (&form.captions, c.captions, FileRole::Captions),
    ] {
        if let Some(kind) = kind {
            match upload::store(state, sent, kind, role).await {
                Ok(s) => stored.push(s),
                Err(e) => {
                    upload::forget(state, &stored).await;
                    return Err(e);
                }
            }
        }
    }
    Ok(stored)
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let user = ctx.require(may_add)?;
    let form = upload::read(multipart).await;
    if easy_aid::checking(&form.pairs) {
        return form_page(&state, &ctx, user, Errors::default(), form.pairs, None).await;
    }
    let c = match check(&state, user, &form, None).await? {
        Ok(c) => c,
        Err(errors) => return form_page(&state, &ctx, user, errors, form.pairs, None).await,
    };
    let stored = store_files(&state, &form, &c).await?;
    let publish = form.pairs.get("publier") == "oui";
    let written = async {
        let mut tx = state.db.write().await?;
        let status = if publish {
            Status::Published
        } else {
            Status::Draft
        };
        let (id, slug) =
            toolbox::create(&mut tx, &c.resource, &c.theme_ids, status, user.account.id).await?;
        for s in &stored {
            toolbox::add_file(&mut tx, id, &s.record(), user.account.id).await?;
        }
        Ok::<_, AppError>((tx, slug))
    }
    .await;
    let (tx, slug) = upload::or_forget(&state, &stored, written).await?;
    let detail = format!(
        "{} : {}, {}",
        c.resource.title,
        if publish { "publiée" } else { "brouillon" },
        crate::french::plural(stored.len(), "fichier", "fichiers")
    );
    audited(
        tx,
        ctx.audit("resource_created", Some(format!("resource:{slug}")), detail),
        &format!("/boite-a-outils/{slug}?message=ressource"),
    )
    .await
}

/// The resource of an address if this person manages it: « not found »
/// for an unknown one, 403 for another territory's.
pub(super) async fn editable<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    slug: &str,
) -> Result<(&'a CurrentUser, Resource), AppError> {
    ctx.editable(
        may_add,
        async || Ok(toolbox::by_slug(&mut *state.db.conn().await?, slug).await?),
        async |p, r| manages(state, p, r).await,
    )
    .await
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (user, r) = editable(&state, &ctx, &slug).await?;
    let p = pairs_of(&r);
    form_page(&state, &ctx, user, Errors::default(), p, Some(r)).await
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (user, r) = editable(&state, &ctx, &slug).await?;
    let form = upload::read(multipart).await;
    if easy_aid::checking(&form.pairs) {
        return form_page(&state, &ctx, user, Errors::default(), form.pairs, Some(r)).await;
    }
    let mut conn = state.db.conn().await?;
    let files = toolbox::files(&mut conn, r.id).await?;
    drop(conn);
    let has_file = files.iter().any(|f| !f.captions);
    let has_captions = files.iter().any(|f| f.captions);
    let c = match check(&state, user, &form, Some((&r, has_file, has_captions))).await? {
        Ok(c) => c,
        Err(errors) => return form_page(&state, &ctx, user, errors, form.pairs, Some(r)).await,
    };
    let stored = store_files(&state, &form, &c).await?;
    let publish = form.pairs.get("publier") == "oui";
    let written = async {
        let mut tx = state.db.write().await?;
        toolbox::update(&mut tx, r.id, &c.resource, &c.theme_ids).await?;
        for s in &stored {
            toolbox::add_file(&mut tx, r.id, &s.record(), user.account.id).await?;
        }
        if publish {
            toolbox::set_status(&mut tx, r.id, Status::Published).await?;
        }
        Ok::<_, AppError>(tx)
    }
    .await;
    let tx = upload::or_forget(&state, &stored, written).await?;
    let detail = format!(
        "{} : modifiée{}, {}",
        c.resource.title,
        if publish { " et publiée" } else { "" },
        crate::french::plural(stored.len(), "nouveau fichier", "nouveaux fichiers")
    );
    audited(
        tx,
        ctx.audit(
            "resource_updated",
            Some(format!("resource:{}", r.slug)),
            detail,
        ),
        &format!("/boite-a-outils/{}?message=ressource", r.slug),
    )
    .await
}

/// Publishes or unpublishes a resource (`etat`: `publier`, `depublier`).
async fn publication(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let (_, r) = editable(&state, &ctx, &slug).await?;
    let (status, action, message) = match p.get("etat").as_str() {
        "publier" => (Status::Published, "resource_published", "ressource-publiee"),
        "depublier" => (
            Status::Unpublished,
            "resource_unpublished",
            "ressource-depubliee",
        ),
        _ => return Ok(Redirect::to(&format!("/admin/boite-a-outils/{slug}")).into_response()),
    };
    if status == Status::Published {
        let mut conn = state.db.conn().await?;
        let files = toolbox::files(&mut conn, r.id).await?;
        let format = r.format;
        let captions = files.iter().any(|f| f.captions);
        if may_publish(format, captions, &r.transcript).is_err() {
            return Ok(Redirect::to(&format!(
                "/admin/boite-a-outils/{slug}?message=publication-impossible"
            ))
            .into_response());
        }
    }
    let mut tx = state.db.write().await?;
    toolbox::set_status(&mut tx, r.id, status).await?;
    audited(
        tx,
        ctx.audit(action, Some(format!("resource:{slug}")), r.title.clone()),
        &format!("/boite-a-outils/{slug}?message={message}"),
    )
    .await
}
