//! `/admin/actualites`: coordinators and admins write news for the
//! territories they may publish in (`Principal::may_publish_news`: a
//! coordinator, their départements and the régions they wholly coordinate;
//! an admin, anywhere and nationally), with an optional image (its text
//! alternative required), an easy-read version and links; they edit and
//! delete them. The form is multipart (the image), its CSRF token first.
//! Every write is audited.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use epop_domain::Principal;
use epop_domain::news::{NewNews, NewsForm, Scope, links_text};
use epop_store::news::{self, Filter, News};
use epop_store::territories;

use crate::context::{CurrentUser, Layout};
use crate::easy_aid::{self, Aids};
use crate::forms::{Errors, Pairs, image_extension, read_multipart};
use crate::french::paris_today;
use crate::render::{audited, render, render_form};
use crate::storage::{self, NEWS_IMAGES};
use crate::{AppError, AppState, Ctx};

/// Largest image accepted.
const MAX_IMAGE: usize = 2 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/actualites", get(list))
        .route("/admin/actualites/nouvelle", get(new_form).post(create))
        .route("/admin/actualites/{slug}", get(edit_form).post(update))
        .route("/admin/actualites/{slug}/supprimer", post(delete))
}

/// A territory offered in the form.
struct ScopeChoice {
    code: String,
    label: String,
}

/// The territories this person may publish in: national (admins), the
/// régions, the départements.
async fn scopes(state: &AppState, p: &Principal) -> Result<Vec<ScopeChoice>, AppError> {
    let mut conn = state.db.conn().await?;
    let regions = territories::regions(&mut conn).await?;
    let departments = territories::departments(&mut conn).await?;
    let mut out = Vec::new();
    if p.may_publish_news(&Scope::National, &[]) {
        out.push(ScopeChoice {
            code: Scope::National.code(),
            label: "Toute la France (actualité nationale)".into(),
        });
    }
    for r in &regions {
        let theirs: Vec<String> = departments
            .iter()
            .filter(|d| d.region_code == r.code)
            .map(|d| d.code.clone())
            .collect();
        let scope = Scope::Region(r.code.clone());
        if p.may_publish_news(&scope, &theirs) {
            out.push(ScopeChoice {
                code: scope.code(),
                label: format!("Région {}", r.name),
            });
        }
    }
    for d in &departments {
        let scope = Scope::Department(d.code.clone());
        if p.may_publish_news(&scope, &[]) {
            out.push(ScopeChoice {
                code: scope.code(),
                label: format!("{} ({})", d.name, d.code),
            });
        }
    }
    Ok(out)
}

/// Whether this person may publish in this scope (the région's
/// départements read when it is a région).
async fn may_publish(state: &AppState, p: &Principal, scope: &Scope) -> Result<bool, AppError> {
    let region = match scope {
        Scope::Region(r) => {
            let mut conn = state.db.conn().await?;
            news::region_departments(&mut conn, r).await?
        }
        _ => Vec::new(),
    };
    Ok(p.may_publish_news(scope, &region))
}

struct Row {
    slug: String,
    title: String,
    place: String,
    date: String,
    published: bool,
    has_easy: bool,
}

#[derive(Template)]
#[template(path = "news/manage_list.html")]
struct List {
    l: Layout,
    rows: Vec<Row>,
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(Principal::may_write_news)?;
    let mut conn = state.db.conn().await?;
    let all = news::list(&mut conn, &Filter::default()).await?;
    drop(conn);
    let mut rows = Vec::new();
    let now = epop_store::now();
    for n in all {
        if may_publish(&state, &user.principal, &n.scope).await? {
            rows.push(Row {
                place: super::place_words(&n),
                date: crate::french::french_day(n.published_at),
                published: n.published_at <= now,
                has_easy: n.easy.is_some(),
                slug: n.slug,
                title: n.title,
            });
        }
    }
    render(&List {
        l: ctx.layout("Actualités"),
        rows,
    })
}

#[derive(Template)]
#[template(path = "news/manage_form.html")]
struct FormPage {
    l: Layout,
    errors: Errors,
    p: Pairs,
    scopes: Vec<ScopeChoice>,
    action: String,
    /// When editing: the item, its current image.
    editing: Option<News>,
    /// What the easy-read rules flag in the easy-read title and text.
    aids: Aids,
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    errors: Errors,
    p: Pairs,
    editing: Option<News>,
) -> Result<Response, AppError> {
    let invalid = !errors.is_empty();
    let (title, action) = match &editing {
        Some(n) => (
            format!("Modifier l’actualité : {}", n.title),
            format!("/admin/actualites/{}", n.slug),
        ),
        None => (
            "Écrire une actualité".to_owned(),
            "/admin/actualites/nouvelle".to_owned(),
        ),
    };
    let aids = Aids::of(&p, &["title_easy", "body_easy"]);
    render_form(
        &FormPage {
            l: ctx.layout_with_errors(&title, invalid),
            errors,
            p,
            scopes: scopes(state, &user.principal).await?,
            action,
            editing,
            aids,
        },
        invalid,
    )
}

fn form_of(p: &Pairs) -> NewsForm {
    NewsForm {
        title: p.get("title"),
        summary: p.get("summary"),
        body: p.get("body"),
        title_easy: p.get("title_easy"),
        body_easy: p.get("body_easy"),
        scope: p.get("scope"),
        published_on: p.get("published_on"),
        image_alt: p.get("image_alt"),
        links: p.get("links"),
    }
}

fn pairs_of(n: &News) -> Pairs {
    let (title_easy, body_easy) = n.easy.clone().unwrap_or_default();
    Pairs(vec![
        ("title".into(), n.title.clone()),
        ("summary".into(), n.summary.clone()),
        ("body".into(), n.body.clone()),
        ("title_easy".into(), title_easy),
        ("body_easy".into(), body_easy),
        ("scope".into(), n.scope.code()),
        (
            "published_on".into(),
            crate::french::paris(n.published_at)
                .format("%d/%m/%Y")
                .to_string(),
        ),
        ("image_alt".into(), n.image_alt.clone().unwrap_or_default()),
        ("links".into(), links_text(&n.links)),
    ])
}

async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(Principal::may_write_news)?;
    let p = Pairs(vec![(
        "published_on".into(),
        paris_today().format("%d/%m/%Y").to_string(),
    )]);
    form_page(&state, &ctx, user, Errors::default(), p, None).await
}

const TOO_BIG: &str = "L’image est trop lourde : 2 Mo au plus. Choisissez une image plus petite.";

/// What the form asks, checked: the item, its image's extension (a new
/// image), or the problems by field.
fn check(
    p: &Pairs,
    file: &[u8],
    keeps_image: bool,
    mut errors: Errors,
) -> Result<(NewNews, Option<&'static str>), Errors> {
    let extension = if file.is_empty() {
        None
    } else if file.len() > MAX_IMAGE {
        errors.add("image", TOO_BIG);
        None
    } else {
        let e = image_extension(file);
        if e.is_none() {
            errors.add(
                "image",
                "Ce fichier n’est pas une image JPEG, PNG ou WebP. Choisissez une autre image.",
            );
        }
        e
    };
    let has_image = extension.is_some() || keeps_image;
    match form_of(p).validate(paris_today(), has_image) {
        Ok(v) if errors.is_empty() => Ok((v, extension)),
        Ok(_) => Err(errors),
        Err(problems) => {
            let mut all = Errors::from_problems(problems);
            for e in errors.items() {
                all.add(&e.field, e.message.clone());
            }
            Err(all)
        }
    }
}

/// Stores a new image (when one was sent) under a random name; gives
/// that name.
async fn new_image(
    state: &AppState,
    extension: Option<&str>,
    file: &[u8],
) -> Result<Option<String>, AppError> {
    match extension {
        Some(ext) => Ok(Some(
            storage::keep(state.files.as_ref(), NEWS_IMAGES, ext, file).await?,
        )),
        None => Ok(None),
    }
}

/// Midnight (Paris) of the publication day: published from then on.
fn publication_time(v: &NewNews) -> i64 {
    epop_domain::event::paris_timestamp(v.published_on, chrono::NaiveTime::MIN).unwrap_or_default()
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let user = ctx.require(Principal::may_write_news)?;
    let mut errors = Errors::default();
    let (p, file) = read_multipart(multipart, "image", TOO_BIG, &mut errors).await;
    if easy_aid::checking(&p) {
        return form_page(&state, &ctx, user, Errors::default(), p, None).await;
    }
    let (valid, extension) = match check(&p, &file, false, errors) {
        Ok(v) => v,
        Err(errors) => return form_page(&state, &ctx, user, errors, p, None).await,
    };
    if !may_publish(&state, &user.principal, &valid.scope).await? {
        let mut errors = Errors::default();
        errors.add(
            "scope",
            "Vous ne pouvez pas publier dans ce territoire : choisissez un territoire que vous coordonnez.",
        );
        return form_page(&state, &ctx, user, errors, p, None).await;
    }
    let image = new_image(&state, extension, &file).await?;
    let written = async {
        let mut tx = state.db.write().await?;
        let created =
            news::create(&mut tx, &valid, publication_time(&valid), image.as_deref()).await?;
        saved(tx, &ctx, "news_created", &created).await
    }
    .await;
    storage::or_discard(state.files.as_ref(), NEWS_IMAGES, image.as_deref(), written).await
}

/// The item of the address, if this person may edit it: « not found » for
/// an unknown one, 403 for another territory's.
pub(super) async fn editable<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    slug: &str,
) -> Result<(&'a CurrentUser, News), AppError> {
    ctx.editable(
        Principal::may_write_news,
        async || Ok(news::by_slug(&mut *state.db.conn().await?, slug).await?),
        async |p, n| may_publish(state, p, &n.scope).await,
    )
    .await
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (user, n) = editable(&state, &ctx, &slug).await?;
    let p = pairs_of(&n);
    form_page(&state, &ctx, user, Errors::default(), p, Some(n)).await
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (user, n) = editable(&state, &ctx, &slug).await?;
    let mut errors = Errors::default();
    let (p, file) = read_multipart(multipart, "image", TOO_BIG, &mut errors).await;
    if easy_aid::checking(&p) {
        return form_page(&state, &ctx, user, Errors::default(), p, Some(n)).await;
    }
    let remove = p.get("remove_image") == "oui";
    let keeps = !remove && n.image_file.is_some();
    let (valid, extension) = match check(&p, &file, keeps, errors) {
        Ok(v) => v,
        Err(errors) => return form_page(&state, &ctx, user, errors, p, Some(n)).await,
    };
    if !may_publish(&state, &user.principal, &valid.scope).await? {
        let mut errors = Errors::default();
        errors.add(
            "scope",
            "Vous ne pouvez pas publier dans ce territoire : choisissez un territoire que vous coordonnez.",
        );
        return form_page(&state, &ctx, user, errors, p, Some(n)).await;
    }
    let added = new_image(&state, extension, &file).await?;
    let image = match &added {
        Some(_) => added.clone(),
        None if keeps => n.image_file.clone(),
        None => None,
    };
    let written = async {
        let mut tx = state.db.write().await?;
        let updated = news::update(
            &mut tx,
            n.id,
            &valid,
            publication_time(&valid),
            image.as_deref(),
        )
        .await?;
        saved(tx, &ctx, "news_updated", &updated).await
    }
    .await;
    let files = state.files.as_ref();
    let response = storage::or_discard(files, NEWS_IMAGES, added.as_deref(), written).await?;
    if let Some(old) = n.image_file.filter(|old| Some(old) != image.as_ref()) {
        storage::discard(files, &storage::key(NEWS_IMAGES, &old)).await;
    }
    Ok(response)
}

async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (_, n) = editable(&state, &ctx, &slug).await?;
    let mut tx = state.db.write().await?;
    let image = news::delete(&mut tx, n.id).await?;
    let response = audited(
        tx,
        ctx.audit(
            "news_deleted",
            Some(format!("news:{}", n.slug)),
            n.title.clone(),
        ),
        "/admin/actualites?message=actualite-supprimee",
    )
    .await?;
    if let Some(file) = image {
        storage::discard(state.files.as_ref(), &storage::key(NEWS_IMAGES, &file)).await;
    }
    Ok(response)
}

/// An item written: its audit line, the commit, then its page.
async fn saved(
    tx: epop_store::Tx,
    ctx: &Ctx,
    action: &str,
    n: &News,
) -> Result<Response, AppError> {
    audited(
        tx,
        ctx.audit(
            action,
            Some(format!("news:{}", n.slug)),
            format!(
                "{} ({}){}",
                n.title,
                super::place_words(n),
                if n.easy.is_some() {
                    ", avec sa version facile à lire"
                } else {
                    ""
                }
            ),
        ),
        &format!("/actualites/{}?message=actualite", n.slug),
    )
    .await
}
