//! The audit log, for national administrators: filter by action, person and
//! dates; page through; export the same selection as CSV. Codes are shown
//! in words (`super::audit_words`).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{NaiveDate, TimeZone};
use epop_store::audit::{self, Filter};

use super::audit_words;
use crate::context::Layout;
use crate::forms::{Errors, url_encode};
use crate::french::paris_time;
use crate::render::{render, render_invalid};
use crate::{AppError, AppState, Ctx};

const PAGE: i64 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/journal", get(page))
        .route("/admin/journal.csv", get(export))
}

pub struct LineView {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub ip: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct Page {
    l: Layout,
    errors: Errors,
    lines: Vec<LineView>,
    total: i64,
    /// Each action code with its words.
    actions: Vec<(String, String)>,
    action: String,
    actor: String,
    from: String,
    to: String,
    page: i64,
    pages: i64,
    query: String,
}

/// A date as the hint asks (`23/11/2026`) or as a date field sends it
/// (`2026-11-23`).
fn parse_day(date: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(date, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(date, "%Y-%m-%d"))
        .ok()
}

/// Paris midnight of a date as a Unix time.
fn day_start(date: &str) -> Option<i64> {
    let d = parse_day(date)?;
    let local = chrono_tz::Europe::Paris
        .from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
        .earliest()?;
    Some(local.timestamp())
}

/// Reads the filter from the query string; bad dates become field errors.
/// Good dates come back as a date field holds them (`2026-11-23`).
fn filter(ctx: &Ctx, errors: &mut Errors) -> (Filter, String, String) {
    let field = |name: &str| {
        let value = ctx.query_param(name).unwrap_or_default();
        parse_day(&value).map_or(value, |d| d.format("%Y-%m-%d").to_string())
    };
    let (from, to) = (field("du"), field("au"));
    let mut parse = |value: &str, field: &str| {
        if value.is_empty() {
            return None;
        }
        let t = day_start(value);
        if t.is_none() {
            errors.add(
                field,
                "Saisissez une date au format jour/mois/année, par exemple 23/11/2026.",
            );
        }
        t
    };
    let f = Filter {
        action: ctx.query_param("action").unwrap_or_default(),
        actor: ctx.query_param("personne").unwrap_or_default(),
        from: parse(&from, "du"),
        to: parse(&to, "au").map(|t| t + 86_400 - 1),
    };
    (f, from, to)
}

fn view(l: audit::Line) -> LineView {
    LineView {
        at: paris_time(l.at),
        actor: l.actor.unwrap_or_else(|| "—".into()),
        action: audit_words::action(&l.action),
        subject: l
            .subject
            .as_deref()
            .map(audit_words::subject)
            .unwrap_or_default(),
        detail: audit_words::detail(&l.detail),
        ip: l.ip.unwrap_or_default(),
    }
}

async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(|p| p.may_read_audit_log())?;
    let mut errors = Errors::default();
    let (f, from, to) = filter(&ctx, &mut errors);
    let page = ctx
        .query_param("page")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .max(1);
    let mut conn = state.db.conn().await?;
    let (lines, total) = audit::search(&mut conn, &f, PAGE, (page - 1) * PAGE).await?;
    let actions = audit::actions(&mut conn)
        .await?
        .into_iter()
        .map(|code| {
            let words = audit_words::action(&code);
            (code, words)
        })
        .collect();
    let query = format!(
        "action={}&personne={}&du={}&au={}",
        url_encode(&f.action),
        url_encode(&f.actor),
        url_encode(&from),
        url_encode(&to)
    );
    let invalid = !errors.is_empty();
    let p = Page {
        l: ctx.layout_with_errors("Journal de sécurité", invalid),
        errors,
        lines: lines.into_iter().map(view).collect(),
        total,
        actions,
        action: f.action,
        actor: f.actor,
        from,
        to,
        page,
        pages: ((total + PAGE - 1) / PAGE).max(1),
        query,
    };
    if invalid {
        render_invalid(&p)
    } else {
        render(&p)
    }
}

async fn export(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(|p| p.may_read_audit_log())?;
    let mut errors = Errors::default();
    let (f, _, _) = filter(&ctx, &mut errors);
    let mut conn = state.db.conn().await?;
    let (lines, _) = audit::search(&mut conn, &f, 100_000, 0).await?;
    let rows = lines
        .into_iter()
        .map(view)
        .map(|l| vec![l.at, l.actor, l.action, l.subject, l.detail, l.ip]);
    let bytes = epop_docs::csv_export::table(
        &[
            "Date (heure de Paris)",
            "Personne",
            "Action",
            "Objet",
            "Détail",
            "Adresse IP",
        ],
        rows,
    )
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"journal-epop.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
