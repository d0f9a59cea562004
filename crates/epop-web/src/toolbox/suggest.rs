//! `/boite-a-outils/proposer`: a member of the network suggests a resource
//! (often a link to one that exists elsewhere); it is kept for the review
//! of the coordination of its territory, who get an e-mail (the admins for
//! a national one, or where nobody coordinates), audited, and shown
//! nowhere else.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use epop_domain::toolbox::{Status, may_suggest};

use epop_domain::toolbox::Territory;
use epop_store::outbox::Message;

use super::Lists;
use crate::context::Layout;
use crate::emails::FOOTER;
use crate::forms::{Errors, Pairs};
use crate::render::{audited, render_form};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/boite-a-outils/proposer", get(form).post(send))
}

#[derive(Template)]
#[template(path = "toolbox/suggest.html")]
struct Page {
    l: Layout,
    errors: Errors,
    p: Pairs,
    territories: Vec<(String, String)>,
}

async fn page(state: &AppState, ctx: &Ctx, errors: Errors, p: Pairs) -> Result<Response, AppError> {
    let lists = Lists::load(state).await?;
    let invalid = !errors.is_empty();
    render_form(
        &Page {
            l: ctx.layout_with_errors("Proposer une ressource", invalid),
            errors,
            p,
            territories: lists.territories,
        },
        invalid,
    )
}

async fn form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(may_suggest)?;
    let p = Pairs(vec![
        ("language".into(), "fr".into()),
        ("territory".into(), "national".into()),
        (
            "date".into(),
            crate::french::paris_today().format("%d/%m/%Y").to_string(),
        ),
    ]);
    page(&state, &ctx, Errors::default(), p).await
}

async fn send(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let user = ctx.require(may_suggest)?;
    let mut form = super::manage::form_of(&p);
    // What the coordination decides when it reviews the suggestion.
    form.visibility = "members".into();
    form.transcript.clear();
    form.summary_easy.clear();
    form.kinds.clear();
    let r = match form.validate() {
        Ok(r) => r,
        Err(problems) => return page(&state, &ctx, Errors::from_problems(problems), p).await,
    };
    let mut tx = state.db.write().await?;
    let (_, slug) =
        epop_store::toolbox::create(&mut tx, &r, &[], Status::Suggested, user.account.id).await?;
    let base = &state.config.base_url;
    for (name, email) in reviewers(&mut tx, &r.territory).await? {
        let mail = Message {
            recipient: email,
            subject: format!(
                "Une ressource est proposée pour la boîte à outils : {}",
                r.title
            ),
            body_text: format!(
                "Bonjour {name},\n\n{} propose une ressource pour la boîte à outils de votre territoire :\n\
                 « {} ».\n\nElle n’est visible par personne tant que vous ne l’avez pas relue et publiée.\n\
                 Pour la relire, la compléter et la publier :\n{base}/admin/boite-a-outils/{slug}\n{FOOTER}",
                user.account.display_name, r.title
            ),
            attachment: None,
        };
        epop_store::outbox::enqueue(&mut tx, &mail).await?;
    }
    audited(
        tx,
        ctx.audit(
            "resource_suggested",
            Some(format!("resource:{slug}")),
            r.title.clone(),
        ),
        "/boite-a-outils?message=ressource-proposee",
    )
    .await
}

/// Who reviews a suggestion: the coordinators of its département, or of
/// any département of its région; the admins for a national one, or when
/// nobody coordinates the place. (name, e-mail), each once.
async fn reviewers(
    conn: &mut epop_store::Conn,
    territory: &Territory,
) -> epop_store::Result<Vec<(String, String)>> {
    let departments: Vec<String> = match territory {
        Territory::National => Vec::new(),
        Territory::Department(d) => vec![d.as_str().to_owned()],
        Territory::Region(r) => epop_store::territories::departments(conn)
            .await?
            .into_iter()
            .filter(|d| d.region_code == r.as_str())
            .map(|d| d.code)
            .collect(),
    };
    let mut out: Vec<(String, String)> = Vec::new();
    for d in &departments {
        for c in epop_store::accounts::coordinators_of(conn, d).await? {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    if out.is_empty() {
        out = epop_store::candidates::coordination_of(conn, None).await?;
    }
    Ok(out)
}
