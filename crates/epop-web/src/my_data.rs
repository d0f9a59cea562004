//! Each person's rights in their own space: see and download everything the
//! platform holds about them (`/espace/mes-donnees`, as JSON and as a tagged
//! PDF), and erase their account (`/espace/mes-donnees/effacer`); an admin
//! erases the account of a person who asks by post
//! (`/admin/comptes/{id}/effacer`, reason required and audited). What is
//! exported and erased comes from the register of personal data
//! (`epop_store::privacy`), which also renders the privacy page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use epop_docs::pdf::{self, Block};
use epop_domain::Role;
use epop_store::accounts::{self, Account};
use epop_store::privacy::{self, Person, Rows, Value};
use serde::Deserialize;
use serde_json::json;

use crate::context::Layout;
use crate::forms::Errors;
use crate::french::{elided, french_day_at};
use crate::render::{download, render, render_invalid};
use crate::security::SESSION_COOKIE;
use crate::security::set_cookie;
use crate::{AppError, AppState, Ctx};

/// The word a person types to confirm the erasure of their account.
pub const CONFIRM_WORD: &str = "effacer";

/// The name and version of the export's format (documented on the page).
pub const FORMAT: &str = "epop-mes-donnees-1";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/espace/mes-donnees", get(overview))
        .route("/espace/mes-donnees.json", get(as_json))
        .route("/espace/mes-donnees.pdf", get(as_pdf))
        .route(
            "/espace/mes-donnees/effacer",
            get(erase_form).post(erase_own),
        )
        .route("/compte-efface", get(erased))
        .route(
            "/admin/comptes/{id}/effacer",
            get(admin_erase_form).post(admin_erase),
        )
}

fn person(a: &Account) -> Person {
    Person {
        account_id: a.id,
        email: a.email.clone(),
        public_id: a.public_id.clone(),
    }
}

/// One table of the person's data, as the page lists it.
pub struct Section {
    pub holds: &'static str,
    pub processing: &'static str,
    pub rows: usize,
}

/// One read of the person's sensitive fields.
pub struct Read {
    pub at: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "space/my_data.html")]
struct Overview {
    l: Layout,
    sections: Vec<Section>,
    reads: Vec<Read>,
    format: &'static str,
    /// Peers and référents have a directory profile to correct.
    has_profile: bool,
}

async fn overview(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let p = person(&user.account);
    let rows = privacy::export(&mut conn, &p).await?;
    let reads = privacy::sensitive_reads(&mut conn, &p)
        .await?
        .into_iter()
        .map(|(at, by)| Read {
            at: french_day_at(at),
            by: by.unwrap_or_else(|| "un compte effacé".into()),
        })
        .collect();
    render(&Overview {
        l: ctx.layout("Mes données"),
        sections: rows
            .iter()
            .map(|r| Section {
                holds: r.table.holds,
                processing: r.table.processing.map_or("", |p| p.name),
                rows: r.rows.len(),
            })
            .collect(),
        reads,
        format: FORMAT,
        has_profile: user.principal.has(Role::Peer) || user.principal.has(Role::Referent),
    })
}

fn json_value(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Int(i) => json!(i),
        Value::Real(r) => json!(r),
        Value::Text(t) => json!(t),
    }
}

/// The export as JSON (format [`FORMAT`], described on the page).
pub fn export_json(base_url: &str, a: &Account, rows: &[Rows]) -> serde_json::Value {
    json!({
        "format": FORMAT,
        "documentation": format!("{base_url}/espace/mes-donnees#format"),
        "generated_at": epop_store::now(),
        "account": {
            "public_id": a.public_id,
            "email": a.email,
            "display_name": a.display_name,
        },
        "tables": rows.iter().map(|r| json!({
            "table": r.table.name,
            "holds": r.table.holds,
            "processing": r.table.processing.map(|p| p.name),
            "kept": r.table.keep.in_words(),
            "rows": r.rows.iter().map(|row| {
                r.columns.iter().zip(row).map(|(c, v)| (c.clone(), json_value(v))).collect::<serde_json::Map<_, _>>()
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

async fn as_json(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let rows = privacy::export(&mut conn, &person(&user.account)).await?;
    let body =
        serde_json::to_vec_pretty(&export_json(&state.config.base_url, &user.account, &rows))
            .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download("application/json", "mes-donnees-epop.json", body))
}

/// Whether a column holds a time (Unix seconds), shown in Paris time in
/// the PDF.
fn is_time(column: &str) -> bool {
    column == "at" || column.ends_with("_at") || matches!(column, "deadline" | "window_start")
}

fn text_of(column: &str, v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Int(i) if is_time(column) => french_day_at(*i),
        Value::Int(i) => i.to_string(),
        Value::Real(r) => r.to_string(),
        Value::Text(t) if t.trim().is_empty() => "—".into(),
        // One line per fact; control characters never reach the PDF.
        Value::Text(t) => t
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect(),
    }
}

/// The export as a readable document: one section per table, one list of
/// facts per row.
pub fn export_document(a: &Account, rows: &[Rows]) -> pdf::Document {
    let mut blocks = vec![
        Block::Heading {
            level: 1,
            text: "Mes données sur EPoP".into(),
        },
        Block::Paragraph(format!(
            "Tout ce que la plateforme EPoP garde sur {} ({}), le {}. Les dates sont à l’heure de Paris ; les montants sont en centimes d’euro.",
            a.display_name,
            a.email,
            french_day_at(epop_store::now())
        )),
    ];
    for r in rows {
        blocks.push(Block::Heading {
            level: 2,
            text: r.table.holds.to_owned(),
        });
        blocks.push(Block::Paragraph(format!(
            "Pour : {}. Gardé : {}.",
            r.table.processing.map_or("", |p| p.name),
            r.table.keep.in_words()
        )));
        for (i, row) in r.rows.iter().enumerate() {
            if r.rows.len() > 1 {
                blocks.push(Block::Heading {
                    level: 3,
                    text: format!("Ligne {}", i + 1),
                });
            }
            blocks.push(Block::Facts(
                r.columns
                    .iter()
                    .zip(row)
                    .map(|(c, v)| (c.clone(), text_of(c, v)))
                    .collect(),
            ));
        }
    }
    pdf::Document {
        title: "Mes données sur EPoP".into(),
        subject: format!("Les données personnelles {}", elided("de", &a.display_name)),
        author: "EPoP".into(),
        blocks,
    }
}

async fn as_pdf(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let rows = privacy::export(&mut conn, &person(&user.account)).await?;
    let bytes = pdf::render(&export_document(&user.account, &rows))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download("application/pdf", "mes-donnees-epop.pdf", bytes))
}

/// Why an account cannot be erased right now, in French (empty: it can);
/// `own`: said to the person, otherwise to an admin. An intervention they
/// will do (the organisation counts on them), or the last admin (nobody
/// could manage the platform any more).
async fn blockers(
    conn: &mut epop_store::Conn,
    account: &Account,
    own: bool,
) -> Result<Vec<String>, AppError> {
    let mut out: Vec<String> = privacy::blocking_interventions(conn, account.id)
        .await?
        .into_iter()
        .map(|subject| {
            if own {
                format!(
                    "Vous avez une intervention prévue : « {subject} ». Demandez d’abord à la coordination de l’annuler ou de trouver une autre personne."
                )
            } else {
                format!(
                    "Cette personne a une intervention prévue : « {subject} ». Annulez-la ou trouvez une autre personne d’abord."
                )
            }
        })
        .collect();
    if account.roles.contains_key(&Role::Admin)
        && accounts::count_with_role(conn, Role::Admin).await? <= 1
    {
        out.push(
            "C’est le seul compte administrateur. Donnez d’abord le rôle d’administrateur à une autre personne.".into(),
        );
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "space/erase.html")]
struct ErasePage {
    l: Layout,
    errors: Errors,
    blockers: Vec<String>,
    word: &'static str,
    typed: String,
    /// How long payments and the security log are kept (the register's).
    payments_kept: String,
    log_kept: String,
}

impl ErasePage {
    fn new(l: Layout, errors: Errors, blockers: Vec<String>, typed: String) -> Self {
        ErasePage {
            l,
            errors,
            blockers,
            word: CONFIRM_WORD,
            typed,
            payments_kept: privacy::days_in_words(privacy::PAYMENT_DAYS),
            log_kept: privacy::days_in_words(privacy::AUDIT_LOG_DAYS),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EraseForm {
    confirmation: String,
    mot: String,
}

async fn erase_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let blockers = blockers(&mut conn, &user.account, true).await?;
    render(&ErasePage::new(
        ctx.layout("Effacer mon compte"),
        Errors::default(),
        blockers,
        String::new(),
    ))
}

/// Erases an account in one transaction with its audit line (recorded
/// first, so that its own mentions of the person are erased too), then
/// deletes the files the erasure freed.
async fn erase_account(
    state: &AppState,
    account: &Account,
    event: epop_store::audit::Event<'_>,
) -> Result<(), AppError> {
    let mut tx = state.db.write().await?;
    epop_store::audit::record(&mut tx, event).await?;
    let erased = privacy::erase(&mut tx, &person(account)).await?;
    tx.commit().await?;
    // `photos/<name>`: the register's folders are the storage's keys.
    for key in erased.files {
        crate::storage::discard(state.files.as_ref(), &key).await;
    }
    Ok(())
}

async fn erase_own(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<EraseForm>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let blockers = blockers(&mut conn, &user.account, true).await?;
    drop(conn);
    let mut errors = Errors::default();
    if f.confirmation != "oui" {
        errors.add(
            "confirmation",
            "Cochez la case pour dire que vous voulez effacer votre compte.",
        );
    }
    if f.mot.trim().to_lowercase() != CONFIRM_WORD {
        errors.add(
            "mot",
            format!("Écrivez le mot « {CONFIRM_WORD} » pour confirmer."),
        );
    }
    if !blockers.is_empty() {
        errors.add("confirmation", blockers.join(" "));
    }
    if !errors.is_empty() {
        return render_invalid(&ErasePage::new(
            ctx.layout_with_errors("Effacer mon compte", true),
            errors,
            blockers,
            f.mot,
        ));
    }
    erase_account(
        &state,
        &user.account,
        ctx.audit(
            "account_erased",
            Some(format!("account:{}", user.account.public_id)),
            "Compte effacé à la demande de la personne, depuis son espace".into(),
        ),
    )
    .await?;
    let mut res = Redirect::to("/compte-efface").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state.config, SESSION_COOKIE, "", Some(0)),
    );
    Ok(res)
}

#[derive(Template)]
#[template(path = "space/erased.html")]
struct Erased {
    l: Layout,
    payments_kept: String,
}

async fn erased(ctx: Ctx) -> Result<Response, AppError> {
    render(&Erased {
        l: ctx.layout("Votre compte est effacé"),
        payments_kept: privacy::days_in_words(privacy::PAYMENT_DAYS),
    })
}

#[derive(Template)]
#[template(path = "admin/account_erase.html")]
struct AdminErasePage {
    l: Layout,
    errors: Errors,
    blockers: Vec<String>,
    name: String,
    public_id: String,
    reason: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AdminEraseForm {
    raison: String,
    confirmation: String,
}

/// The account an admin erases (only admins: a coordinator cannot erase).
async fn target(state: &AppState, ctx: &Ctx, id: &str) -> Result<Account, AppError> {
    ctx.require(|p| p.is_admin())?;
    let mut conn = state.db.conn().await?;
    accounts::by_public_id(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn admin_erase_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let a = target(&state, &ctx, &id).await?;
    let mut conn = state.db.conn().await?;
    let blockers = blockers(&mut conn, &a, false).await?;
    render(&AdminErasePage {
        l: ctx.layout(format!(
            "Effacer le compte {}",
            elided("de", &a.display_name)
        )),
        errors: Errors::default(),
        blockers,
        name: a.display_name,
        public_id: a.public_id,
        reason: String::new(),
    })
}

async fn admin_erase(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<AdminEraseForm>,
) -> Result<Response, AppError> {
    let a = target(&state, &ctx, &id).await?;
    let mut conn = state.db.conn().await?;
    let blockers = blockers(&mut conn, &a, false).await?;
    drop(conn);
    let mut errors = Errors::default();
    let reason = f.raison.trim();
    if reason.is_empty() {
        errors.add(
            "raison",
            "Écrivez pourquoi vous effacez ce compte (par exemple : « demande par courrier du 3 mars »).",
        );
    } else if reason.chars().count() > 500 {
        errors.add(
            "raison",
            "La raison est trop longue : 500 caractères au plus.",
        );
    } else if reason.chars().any(char::is_control) {
        errors.add("raison", "Écrivez la raison sur une seule ligne.");
    }
    if f.confirmation != "oui" {
        errors.add(
            "confirmation",
            "Cochez la case pour confirmer que la personne a demandé l’effacement.",
        );
    }
    if !blockers.is_empty() {
        errors.add("confirmation", blockers.join(" "));
    }
    if ctx.user.as_ref().is_some_and(|u| u.account.id == a.id) {
        errors.add(
            "confirmation",
            "Pour effacer votre propre compte, passez par « Mes données » dans votre espace.",
        );
    }
    if !errors.is_empty() {
        return render_invalid(&AdminErasePage {
            l: ctx.layout_with_errors(
                format!("Effacer le compte {}", elided("de", &a.display_name)),
                true,
            ),
            errors,
            blockers,
            name: a.display_name,
            public_id: a.public_id,
            reason: f.raison,
        });
    }
    erase_account(
        &state,
        &a,
        ctx.audit(
            "account_erased",
            Some(format!("account:{}", a.public_id)),
            format!("Compte effacé par un administrateur à la demande de la personne : {reason}"),
        ),
    )
    .await?;
    Ok(Redirect::to("/admin/comptes?message=compte-efface").into_response())
}
