//! `/demander-une-intervention`: the request form. « Enregistrer le
//! brouillon » keeps what is typed and e-mails a link to finish later;
//! « Envoyer » checks everything, then — signed in — submits at once, or —
//! without an account — e-mails a confirmation link: confirming creates the
//! requester's account (and the organisation if new), submits the request
//! and tells the coordinators of the département. Naming an existing
//! organisation that has members makes nobody its member: the request stays
//! its maker's, « organisation à vérifier » for the coordination.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use epop_domain::Role;
use epop_domain::account::AccountStatus;
use epop_domain::directory::InterventionKind;
use epop_domain::organisation::OrganisationKind;
use epop_domain::request::NewRequest;
use epop_store::accounts::{self, NewAccount};
use epop_store::organisations::Organisation;
use epop_store::territories::{self, Department};
use epop_store::{Conn, Result as StoreResult, audit, now, organisations, outbox, requests};

use super::mails;
use super::{form_of, pairs_of, stored};
use crate::auth;
use crate::context::Layout;
use crate::forms::{Errors, Pairs};
use crate::render::{render, render_form, slowed};
use crate::security::{hash_token, public_id, random_token};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/demander-une-intervention", get(new_form).post(submit))
        .route("/demander-une-intervention/reprendre/{token}", get(resume))
        .route(
            "/demander-une-intervention/confirmer/{token}",
            get(confirm_page).post(confirm),
        )
}

#[derive(Template)]
#[template(path = "requests/form.html")]
struct FormPage {
    l: Layout,
    p: Pairs,
    errors: Errors,
    kinds: Vec<(&'static str, &'static str)>,
    org_kinds: Vec<(&'static str, &'static str)>,
    departments: Vec<Department>,
    /// The link token of the draft being finished, if any.
    draft: String,
    signed_in: bool,
    /// Where the form goes; a coordinator editing a request uses the same form.
    action: String,
    editing: bool,
    /// A signed-in requester's organisation (« name — kind »): their
    /// requests are made in its name, so the form shows it and does not ask.
    own_organisation: Option<String>,
    /// The peer worker the request was asked from, if the visitor may see
    /// their profile.
    wished: Option<Wished>,
}

/// A peer worker named as a wish: their profile's slug and name.
pub(super) struct Wished {
    pub slug: String,
    pub name: String,
}

/// The wish `slug` (a request's `souhait`), when it names a peer worker's
/// profile the visitor may see; nothing otherwise, so that a made-up or
/// hidden one is neither shown nor kept.
pub(super) async fn wished(
    conn: &mut Conn,
    ctx: &Ctx,
    slug: &str,
) -> Result<Option<Wished>, AppError> {
    if slug.is_empty() {
        return Ok(None);
    }
    match crate::directory::visible_profile(conn, ctx, slug).await {
        Ok((p, _)) if p.card.kind == epop_domain::directory::ProfileKind::Peer => {
            Ok(Some(Wished {
                slug: p.card.slug,
                name: p.card.display_name,
            }))
        }
        Ok(_) | Err(AppError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The organisation of a signed-in requester's account, if it has one.
async fn own_organisation(conn: &mut Conn, ctx: &Ctx) -> StoreResult<Option<Organisation>> {
    match ctx.user.as_ref().and_then(|u| u.account.organisation_id) {
        Some(id) => organisations::by_id(conn, id).await,
        None => Ok(None),
    }
}

/// The form's organisation fields, as the account's organisation says.
fn with_organisation(p: &mut Pairs, org: &Organisation) {
    p.0.retain(|(k, _)| !matches!(k.as_str(), "org_name" | "org_kind" | "org_siret"));
    p.0.push(("org_name".into(), org.name.clone()));
    p.0.push(("org_kind".into(), org.kind.clone()));
    if let Some(siret) = &org.siret {
        p.0.push(("org_siret".into(), siret.clone()));
    }
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    p: Pairs,
    errors: Errors,
    draft: String,
) -> Result<Response, AppError> {
    request_form(state, ctx, p, errors, draft, None).await
}

/// The request form: a new request, or (`editing`: its public id) a
/// coordinator correcting one.
pub(super) async fn request_form(
    state: &AppState,
    ctx: &Ctx,
    p: Pairs,
    errors: Errors,
    draft: String,
    editing: Option<&str>,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let departments = territories::departments(&mut conn).await?;
    let own = match editing {
        Some(_) => None,
        None => own_organisation(&mut conn, ctx).await?,
    };
    let wished = wished(&mut conn, ctx, &p.get("souhait")).await?;
    let invalid = !errors.is_empty();
    let page = FormPage {
        l: ctx.layout_with_errors(
            if editing.is_some() {
                "Modifier la demande"
            } else {
                "Demander une intervention"
            },
            invalid,
        ),
        action: editing
            .map(|id| format!("/admin/demandes/{id}/modifier"))
            .unwrap_or_else(|| "/demander-une-intervention".into()),
        editing: editing.is_some(),
        p,
        errors,
        kinds: InterventionKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        org_kinds: OrganisationKind::ALL
            .iter()
            .filter(|k| {
                !matches!(
                    k,
                    OrganisationKind::Funder | OrganisationKind::NetworkPartner
                )
            })
            .map(|k| (k.code(), k.label()))
            .collect(),
        departments,
        draft,
        signed_in: ctx.user.is_some(),
        own_organisation: own.map(|o| {
            let kind = OrganisationKind::from_code(&o.kind)
                .map(OrganisationKind::label)
                .unwrap_or_default();
            format!("{} — {kind}", o.name)
        }),
        wished,
    };
    render_form(&page, invalid)
}

async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let mut p = Pairs::default();
    if let Some(u) = &ctx.user {
        p.0.push(("contact_name".into(), u.account.display_name.clone()));
        p.0.push(("contact_email".into(), u.account.email.clone()));
        if let Some(d) = &u.account.department_code {
            p.0.push(("department".into(), d.clone()));
        }
    }
    if let Some(slug) = ctx.query_param("intervenant") {
        p.0.push(("souhait".into(), slug));
    }
    if let Some(round) = ctx.query_param("relecture") {
        let fields = crate::easy_review::request_fields(&state, &ctx, &round).await?;
        let names: Vec<String> = fields.iter().map(|(k, _)| k.clone()).collect();
        p.0.retain(|(k, _)| !names.contains(k));
        p.0.extend(fields);
    }
    form_page(&state, &ctx, p, Errors::default(), String::new()).await
}

async fn resume(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let r = requests::by_token(&mut conn, &hash_token(&token))
        .await?
        .ok_or(AppError::LinkExpired)?;
    drop(conn);
    form_page(&state, &ctx, pairs_of(&r.form), Errors::default(), token).await
}

#[derive(Template)]
#[template(path = "requests/sent_mail.html")]
struct SentMail {
    l: Layout,
    email: String,
    draft: bool,
}

async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(mut p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let draft_token = p.get("brouillon");
    let mut conn = state.db.conn().await?;
    // Signed in with an organisation: the request is in its name, whatever
    // the fields say (the form does not show them then).
    if let Some(org) = own_organisation(&mut conn, &ctx).await? {
        with_organisation(&mut p, &org);
    }
    // A wish is kept only when it names a peer this visitor may see.
    if wished(&mut conn, &ctx, &p.get("souhait")).await?.is_none() {
        p.0.retain(|(k, _)| k != "souhait");
    }
    let form = form_of(&p);
    // The draft being finished keeps its id; otherwise a new one.
    let existing = if draft_token.is_empty() {
        None
    } else {
        requests::by_token(&mut conn, &hash_token(&draft_token)).await?
    };
    drop(conn);
    let id = existing
        .as_ref()
        .map(|r| r.public_id.clone())
        .unwrap_or_else(public_id);
    let base = &state.config.base_url;
    if p.get("action") == "brouillon" {
        return save_draft(&state, &ctx, p, &id, draft_token).await;
    }
    let today = crate::french::paris_today();
    let valid = match form.validate(today) {
        Ok(v) => v,
        Err(list) => {
            return form_page(&state, &ctx, p, Errors::from_problems(list), draft_token).await;
        }
    };
    if let Some(u) = &ctx.user {
        let mut tx = state.db.write().await?;
        let org = organisation_for(&mut tx, &valid, u.account.organisation_id).await?;
        let sent = Sent {
            public_id: &id,
            form: &stored(&p),
            organisation: org.id,
            requester: u.account.id,
        };
        send(&mut tx, &ctx, base, &sent, &valid, "Demande envoyée").await?;
        let round = p.get("relecture");
        if !round.is_empty() {
            crate::easy_review::attach_request(&mut tx, u.account.id, &round, &id).await?;
        }
        tx.commit().await?;
        return Ok(Redirect::to("/espace/demandes?message=demande-envoyee").into_response());
    }
    // Without an account: confirm the address first.
    let email = valid.contact_email.as_str();
    if let Some(wait) = too_early(&state, &ctx, &p, email, &draft_token).await? {
        return Ok(wait);
    }
    let token = random_token();
    let mut tx = state.db.write().await?;
    requests::save_draft(
        &mut tx,
        &id,
        &stored(&p),
        valid.contact_email.as_str(),
        &hash_token(&token),
        now(),
    )
    .await?;
    outbox::enqueue(
        &mut tx,
        &mails::confirm_address(base, &token, &valid.contact_name, &valid.subject)
            .to(valid.contact_email.as_str()),
    )
    .await?;
    tx.commit().await?;
    render(&SentMail {
        l: ctx.layout("Vérifiez votre boîte e-mail"),
        email: valid.contact_email.as_str().to_owned(),
        draft: false,
    })
}

/// « Enregistrer le brouillon »: only the address is needed; the draft is
/// saved under `id` and a link to finish it is e-mailed.
async fn save_draft(
    state: &AppState,
    ctx: &Ctx,
    p: Pairs,
    id: &str,
    draft_token: String,
) -> Result<Response, AppError> {
    let base = &state.config.base_url;
    let email = match form_of(&p).validate_draft() {
        Ok(e) => e,
        Err(list) => {
            return form_page(state, ctx, p, Errors::from_problems(list), draft_token).await;
        }
    };
    if let Some(wait) = too_early(state, ctx, &p, email.as_str(), &draft_token).await? {
        return Ok(wait);
    }
    let token = random_token();
    let mut tx = state.db.write().await?;
    requests::save_draft(
        &mut tx,
        id,
        &stored(&p),
        email.as_str(),
        &hash_token(&token),
        now(),
    )
    .await?;
    outbox::enqueue(
        &mut tx,
        &mails::draft_saved(base, &token).to(email.as_str()),
    )
    .await?;
    tx.commit().await?;
    render(&SentMail {
        l: ctx.layout("Brouillon enregistré"),
        email: email.as_str().to_owned(),
        draft: true,
    })
}

/// Drafts and requests without an account e-mail the address typed: they
/// are limited per client address and slowed down per e-mail address, as
/// sign-in is. `Some(page)`: the form again, asking to wait.
async fn too_early(
    state: &AppState,
    ctx: &Ctx,
    p: &Pairs,
    email: &str,
    draft_token: &str,
) -> Result<Option<Response>, AppError> {
    if ctx.user.is_some() {
        return Ok(None);
    }
    let Some(seconds) = auth::limit(state, ctx, "request", email).await? else {
        return Ok(None);
    };
    let mut errors = Errors::default();
    errors.add("contact_email", auth::wait_message(seconds));
    let page = form_page(state, ctx, p.clone(), errors, draft_token.to_owned()).await?;
    Ok(Some(slowed(page)))
}

/// The organisation the request is for: the account's own, or the one of
/// that name, or a new one.
async fn organisation_for(
    conn: &mut Conn,
    r: &NewRequest,
    own: Option<i64>,
) -> StoreResult<Organisation> {
    if let Some(id) = own
        && let Some(o) = organisations::by_id(conn, id).await?
    {
        return Ok(o);
    }
    match organisations::by_name(conn, &r.organisation.name).await? {
        Some(o) => Ok(o),
        None => organisations::create(conn, &r.organisation).await,
    }
}

/// Whose request goes to the coordination, as stored.
struct Sent<'a> {
    public_id: &'a str,
    form: &'a str,
    organisation: i64,
    requester: i64,
}

/// Submits a checked request (signed in, or once the address is
/// confirmed), tells the coordinators and writes the audit line.
async fn send(
    conn: &mut Conn,
    ctx: &Ctx,
    base: &str,
    s: &Sent<'_>,
    v: &NewRequest,
    how: &str,
) -> Result<(), AppError> {
    let r = requests::submit(
        conn,
        s.public_id,
        s.form,
        v,
        s.organisation,
        s.requester,
        now(),
    )
    .await?;
    tell_coordinators(conn, base, &r, v).await?;
    audit::record(
        conn,
        ctx.audit(
            "request_submitted",
            Some(format!("request:{}", r.public_id)),
            format!("{how} : {}", v.subject),
        ),
    )
    .await?;
    Ok(())
}

/// Tells the coordinators of the request's département.
async fn tell_coordinators(
    conn: &mut Conn,
    base: &str,
    r: &requests::Request,
    v: &NewRequest,
) -> StoreResult<()> {
    let to_check = r.organisation_to_check();
    for (name, email) in accounts::coordinators_of(conn, v.department.as_str()).await? {
        let mail = mails::new_request(base, &name, v, &r.public_id, to_check);
        outbox::enqueue(conn, &mail.to(email)).await?;
    }
    Ok(())
}

#[derive(Template)]
#[template(path = "requests/confirm.html")]
struct ConfirmPage {
    l: Layout,
    token: String,
    subject: String,
    organisation: String,
    email: String,
}

/// What the confirmation link shows once the request is sent: the request,
/// what happens next, how to follow it — the first time (`just_sent`) and
/// whenever the link is opened again.
#[derive(Template)]
#[template(path = "requests/confirmed.html")]
struct ConfirmedPage {
    l: Layout,
    just_sent: bool,
    subject: String,
    organisation: String,
    email: String,
}

async fn confirm_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let hash = hash_token(&token);
    let Some(r) = requests::by_token(&mut conn, &hash).await? else {
        let sent = requests::sent_by_token(&mut conn, &hash)
            .await?
            .ok_or(AppError::LinkExpired)?;
        let just_sent = ctx.query_param("envoyee").is_some();
        let f = sent.typed_form();
        let title = if just_sent {
            "Votre demande est envoyée"
        } else {
            "Cette demande est déjà confirmée"
        };
        return render(&ConfirmedPage {
            l: ctx.layout(title),
            just_sent,
            subject: f.subject,
            organisation: f.org_name,
            email: sent.contact_email,
        });
    };
    let f = r.typed_form();
    render(&ConfirmPage {
        l: ctx.layout("Confirmer ma demande"),
        token,
        subject: f.subject,
        organisation: f.org_name,
        email: r.contact_email,
    })
}

async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let confirmed = format!("/demander-une-intervention/confirmer/{token}");
    let mut tx = state.db.write().await?;
    let Some(r) = requests::by_token(&mut tx, &hash_token(&token)).await? else {
        // Sent already (a second click, a second tab): its page says so.
        return Ok(Redirect::to(&confirmed).into_response());
    };
    let today = crate::french::paris_today();
    // Checked again: dates may have passed since the form was sent.
    let valid = match r.typed_form().validate(today) {
        Ok(v) => v,
        Err(list) => {
            drop(tx);
            let p = pairs_of(&r.form);
            return form_page(&state, &ctx, p, Errors::from_problems(list), token).await;
        }
    };
    let org = organisation_for(&mut tx, &valid, None).await?;
    let account = match accounts::credentials(&mut tx, &valid.contact_email).await? {
        Some(c) => c.id,
        None => {
            let id = accounts::create(
                &mut tx,
                &NewAccount {
                    public_id: public_id(),
                    email: valid.contact_email.clone(),
                    display_name: valid.contact_name.clone(),
                    status: AccountStatus::Active,
                    department: Some(valid.department.as_str().to_owned()),
                    organisation_id: None,
                },
            )
            .await?;
            accounts::grant(&mut tx, id, Role::Requester).await?;
            id
        }
    };
    // Naming an organisation makes nobody its member: only a new
    // organisation, or one nobody belongs to yet, takes the requester in
    // (if they belong to none). Otherwise the request stays its maker's
    // alone, and the coordination checks it (« organisation à vérifier »)
    // and may link them.
    if org.members == 0 {
        organisations::add_member(&mut tx, account, org.id).await?;
    }
    let base = &state.config.base_url;
    let sent = Sent {
        public_id: &r.public_id,
        form: &r.form,
        organisation: org.id,
        requester: account,
    };
    send(
        &mut tx,
        &ctx,
        base,
        &sent,
        &valid,
        "Demande confirmée par e-mail",
    )
    .await?;
    outbox::enqueue(
        &mut tx,
        &mails::request_sent(base, &valid.contact_name, &valid.subject)
            .to(valid.contact_email.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("{confirmed}?envoyee=1")).into_response())
}
