//! `/admin/pages`: admins write the easy-read texts of the fixed pages
//! (with the writing aid, read on the text without its Markdown), see
//! whether each was reviewed and ask for its review. Every change is
//! audited; fixed pages are national, so coordinators do not edit them.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use epop_domain::Principal;
use epop_domain::easy_review::Subject;

use super::easy::{self, FixedPage, PAGES, plain};
use crate::context::Layout;
use crate::easy_aid::{self, Aids};
use crate::forms::{Errors, Pairs};
use crate::render::{audited, render, render_form};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/pages", get(list))
        .route("/admin/pages/{slug}", get(edit_form).post(update))
}

/// The longest text a page takes.
const MAX_CHARS: usize = 20_000;

/// A page as the list shows it.
struct Row {
    page: &'static FixedPage,
    /// « Texte livré avec le site » or « Modifié le … ».
    written: String,
    /// The mark of its review, or « à faire ».
    review: String,
}

#[derive(Template)]
#[template(path = "pages/manage_list.html")]
struct List {
    l: Layout,
    rows: Vec<Row>,
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(Principal::is_admin)?;
    let mut conn = state.db.conn().await?;
    let mut rows = Vec::new();
    for page in &PAGES {
        let (text, at) = easy::current(&mut conn, page).await?;
        let review =
            crate::review_mark::footer(&mut conn, Subject::Page, page.slug, &plain(&text)).await?;
        rows.push(Row {
            page,
            written: match at {
                Some(at) => format!("Modifié le {}", crate::french::french_day(at)),
                None => "Texte livré avec le site".to_owned(),
            },
            review,
        });
    }
    render(&List {
        l: ctx.layout("Textes faciles à lire des pages du site"),
        rows,
    })
}

#[derive(Template)]
#[template(path = "pages/manage_form.html")]
struct Form {
    l: Layout,
    page: &'static FixedPage,
    p: Pairs,
    errors: Errors,
    aids: Aids,
}

fn form_page(
    ctx: &Ctx,
    page: &'static FixedPage,
    p: Pairs,
    errors: Errors,
) -> Result<Response, AppError> {
    let invalid = !errors.is_empty();
    let aids = Aids::read(&p, &["easy_text"], plain);
    render_form(
        &Form {
            l: ctx.layout_with_errors(format!("Texte facile à lire : {}", page.title), invalid),
            page,
            p,
            errors,
            aids,
        },
        invalid,
    )
}

fn editable(ctx: &Ctx, slug: &str) -> Result<&'static FixedPage, AppError> {
    let page = easy::page(slug).ok_or(AppError::NotFound)?;
    ctx.require(Principal::is_admin)?;
    Ok(page)
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let page = editable(&ctx, &slug)?;
    let mut conn = state.db.conn().await?;
    let (text, _) = easy::current(&mut conn, page).await?;
    let p = Pairs(vec![("easy_text".to_owned(), text)]);
    form_page(&ctx, page, p, Errors::default())
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let page = editable(&ctx, &slug)?;
    if easy_aid::checking(&p) {
        return form_page(&ctx, page, p, Errors::default());
    }
    let text = p.get("easy_text").trim().replace("\r\n", "\n");
    let mut errors = Errors::default();
    if plain(&text).is_empty() {
        errors.add(
            "easy_text",
            "Écrivez le texte en facile à lire : il ne peut pas être vide.",
        );
    } else if text.chars().count() > MAX_CHARS {
        errors.add(
            "easy_text",
            format!("Le texte est trop long : {MAX_CHARS} caractères au plus."),
        );
    }
    if !errors.is_empty() {
        return form_page(&ctx, page, p, errors);
    }
    let mut tx = state.db.write().await?;
    epop_store::page_texts::save(&mut tx, page.slug, &text, epop_store::now()).await?;
    audited(
        tx,
        ctx.audit(
            "page_text_updated",
            Some(format!("page:{}", page.slug)),
            format!(
                "{} : texte facile à lire, {} caractères",
                page.title,
                text.chars().count()
            ),
        ),
        &format!("{}?version=facile", page.address),
    )
    .await
}
