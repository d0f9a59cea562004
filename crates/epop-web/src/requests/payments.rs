//! What the peer worker is owed: the coordinator records the fee, who pays,
//! the due date and when it is paid; the peer sees where it stands in plain
//! words, declares expenses with their receipts, may decline to be paid,
//! and downloads a yearly summary (CSV and tagged PDF) to help with their
//! own declarations.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use epop_domain::payment::{Payer, PaymentState};
use epop_domain::request::{format_euros, parse_euros};
use epop_store::payments::{self, Expense, Payment};
use epop_store::{Conn, audit, now};

use crate::forms::{Pairs, upload_limit};
use crate::render::download;
use crate::security::public_id;
use crate::storage::{self, RECEIPTS};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/demandes/{id}/paiement", post(record))
        .route(
            "/admin/demandes/{id}/frais/{expense}",
            get(coordinator_receipt),
        )
        .route(
            "/espace/propositions/{id}/frais",
            post(add_expense).layer(DefaultBodyLimit::max(upload_limit(MAX_RECEIPT))),
        )
        .route(
            "/espace/propositions/{id}/frais/{expense}",
            get(peer_receipt),
        )
        .route("/espace/propositions/{id}/refuser-paiement", post(decline))
        .route("/espace/paiements", get(years))
        .route("/espace/paiements/{file}", get(year_file))
}

/// Receipts up to this size (a photo or a scan).
pub const MAX_RECEIPT: usize = 5 * 1024 * 1024;

fn french(date: &Option<String>) -> String {
    date.as_deref()
        .map(crate::french::french_weekday_date)
        .unwrap_or_default()
}

/// A payment as pages show it.
pub struct PaymentView {
    pub fee: String,
    /// The fee as the form shows it (« 250,50 », empty when none).
    pub fee_input: String,
    pub payer: &'static str,
    pub payer_code: String,
    pub due_on: String,
    pub due_on_input: String,
    pub paid_on: String,
    pub paid_on_input: String,
    pub status: String,
    pub state: &'static str,
    pub state_easy: &'static str,
}

pub struct ExpenseView {
    pub e: Expense,
    pub amount: String,
}

/// The payment of a request (or what the request proposed), and its expenses.
pub async fn view(
    conn: &mut Conn,
    request_id: i64,
    proposed_fee: Option<i64>,
) -> Result<(PaymentView, Vec<ExpenseView>), AppError> {
    let p = payments::get(conn, request_id).await?.unwrap_or(Payment {
        fee_cents: proposed_fee,
        payer: Payer::Host.code().into(),
        due_on: None,
        status: "due".into(),
        paid_on: None,
    });
    let due = iso_day(&p.due_on);
    let state = PaymentState::of(&p.status, due, crate::french::paris_today());
    let as_input = |d: Option<NaiveDate>| {
        d.map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default()
    };
    let paid = iso_day(&p.paid_on);
    let view = PaymentView {
        fee_input: p
            .fee_cents
            .map(|c| format_euros(c).trim_end_matches(" €").to_owned())
            .unwrap_or_default(),
        paid_on_input: as_input(paid),
        fee: p
            .fee_cents
            .map(format_euros)
            .unwrap_or_else(|| "À définir".into()),
        payer: Payer::from_code(&p.payer).unwrap_or(Payer::Host).label(),
        payer_code: p.payer.clone(),
        due_on: french(&p.due_on),
        due_on_input: as_input(due),
        paid_on: french(&p.paid_on),
        status: p.status.clone(),
        state: state.label(),
        state_easy: state.label_easy(),
    };
    let expenses = payments::expenses(conn, request_id)
        .await?
        .into_iter()
        .map(|e| ExpenseView {
            amount: format_euros(e.amount_cents),
            e,
        })
        .collect();
    Ok((view, expenses))
}

async fn record(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = super::triage::handled(&state, &ctx, &id).await?;
    let fee = parse_euros(&p.get("fee"));
    let due = optional_date(&p.get("due_on"), "la date « À payer avant le »");
    let today = crate::french::paris_today();
    let paid = optional_date(&p.get("paid_on"), "la date du paiement").and_then(|d| {
        d.map(|d| epop_domain::payment::paid_on(d, today))
            .transpose()
    });
    let status = if p.get("status") == "paid" {
        "paid"
    } else {
        "due"
    };
    let problem = match (&fee, &due, &paid) {
        (Err(e), _, _) => Some(("fee", e.0.clone())),
        (_, Err(e), _) => Some(("due_on", e.0.clone())),
        (_, _, Err(e)) => Some(("paid_on", e.0.clone())),
        (_, _, Ok(None)) if status == "paid" => {
            Some(("paid_on", "Écrivez la date du paiement.".to_owned()))
        }
        _ => None,
    };
    if let Some((field, why)) = problem {
        return super::triage::show_typed(&state, &ctx, r, field, why, p).await;
    }
    let payer = Payer::from_code(&p.get("payer")).unwrap_or(Payer::Host);
    let payment = Payment {
        fee_cents: fee.ok().flatten(),
        payer: payer.code().into(),
        due_on: due.ok().flatten().map(|d| d.to_string()),
        status: status.into(),
        paid_on: paid.ok().flatten().map(|d| d.to_string()),
    };
    let t = now();
    let mut tx = state.db.write().await?;
    payments::set(&mut tx, r.id, &payment, t).await?;
    let step = format!(
        "{}, {}",
        payment
            .fee_cents
            .map(format_euros)
            .unwrap_or_else(|| "montant à définir".into()),
        if status == "paid" {
            format!("payé le {}", french(&payment.paid_on))
        } else {
            "à payer".into()
        }
    );
    let actor = Some(ctx.user()?.account.id);
    let event = epop_store::requests::Event::Payment;
    epop_store::requests::note(&mut tx, r.id, &r.status, event, actor, Some(&step), t).await?;
    audit::record(
        &mut tx,
        ctx.audit(
            "payment_recorded",
            Some(format!("request:{id}")),
            format!("Paiement : {status}"),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&super::triage::back_to(&id, "paiement")).into_response())
}

fn optional_date(s: &str, name: &str) -> Result<Option<NaiveDate>, epop_domain::Invalid> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        epop_domain::text::parse_date(s, name).map(Some)
    }
}

/// What a receipt file is, from its first bytes: PDF, JPEG or PNG.
fn receipt_type(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("pdf", "application/pdf"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("jpg", "image/jpeg"))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("png", "image/png"))
    } else {
        None
    }
}

async fn add_expense(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let (r, _) = super::proposals::accepted(&state, &ctx, &id).await?;
    let mut form = Pairs::default();
    let mut file = Vec::new();
    let mut too_big = false;
    // A body cut short (over the route's limit) fails here or on a field.
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                too_big = true;
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        match field.bytes().await {
            Ok(b) if name == "receipt" => file = b.to_vec(),
            Ok(b) => form
                .0
                .push((name, String::from_utf8_lossy(&b).into_owned())),
            Err(_) => too_big = true,
        }
    }
    let back = |message: &str| {
        Ok(Redirect::to(&format!("/espace/propositions/{id}?message={message}")).into_response())
    };
    // Too big, the form was not received whole: say so first.
    if too_big || file.len() > MAX_RECEIPT {
        return back("justificatif-trop-lourd");
    }
    let label = epop_domain::text::required(&form.get("label"), "ce que c’est", 200);
    let amount = parse_euros(&form.get("amount")).ok().flatten();
    let (Ok(label), Some(amount)) = (label, amount.filter(|a| *a > 0)) else {
        return back("frais-incomplet");
    };
    let kind = if file.is_empty() {
        None
    } else {
        receipt_type(&file)
    };
    if !file.is_empty() && kind.is_none() {
        return back("justificatif-format");
    }
    // The receipt first, then the row that names it; the receipt goes
    // again if the row could not be written.
    let files = state.files.as_ref();
    let stored = match kind {
        Some((ext, _)) => Some(storage::keep(files, RECEIPTS, ext, &file).await?),
        None => None,
    };
    let written = async {
        let mut tx = state.db.write().await?;
        payments::add_expense(
            &mut tx,
            r.id,
            &Expense {
                public_id: public_id(),
                label,
                amount_cents: amount,
                receipt_file: stored.clone(),
                receipt_type: kind.map(|(_, t)| t.to_owned()),
                created_at: now(),
            },
        )
        .await?;
        Ok::<_, AppError>(tx.commit().await?)
    }
    .await;
    storage::or_discard(files, RECEIPTS, stored.as_deref(), written).await?;
    back("frais")
}

async fn receipt(state: &AppState, request_id: i64, expense: &str) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let e = payments::expenses(&mut conn, request_id)
        .await?
        .into_iter()
        .find(|e| e.public_id == expense)
        .ok_or(AppError::NotFound)?;
    let (Some(file), Some(kind)) = (e.receipt_file, e.receipt_type) else {
        return Err(AppError::NotFound);
    };
    drop(conn);
    let bytes = storage::read(state.files.as_ref(), RECEIPTS, &file).await?;
    Ok((
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn peer_receipt(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, expense)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (r, _) = super::proposals::accepted(&state, &ctx, &id).await?;
    receipt(&state, r.id, &expense).await
}

async fn coordinator_receipt(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, expense)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let r = super::triage::handled(&state, &ctx, &id).await?;
    receipt(&state, r.id, &expense).await
}

async fn decline(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (r, _) = super::proposals::accepted(&state, &ctx, &id).await?;
    let mut tx = state.db.write().await?;
    payments::decline(&mut tx, r.id, now()).await?;
    audit::record(
        &mut tx,
        ctx.audit(
            "payment_declined",
            Some(format!("request:{}", r.public_id)),
            "Paiement refusé par l’intervenant-pair".into(),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/espace/propositions/{id}?message=paiement-refuse"
    ))
    .into_response())
}

/// A stored ISO day (`2027-01-05`).
fn iso_day(d: &Option<String>) -> Option<NaiveDate> {
    d.as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// A year of the summary: the lines as text cells ([`HEADERS`]), what was
/// paid in the year, what is still owed, and every year with activity.
struct Summary {
    year: i32,
    rows: Vec<Vec<String>>,
    paid: i64,
    owed: i64,
    years: Vec<i32>,
}

impl Summary {
    fn totals(&self) -> String {
        format!(
            "Payé en {} : {}. Reste à payer : {}.",
            self.year,
            format_euros(self.paid),
            format_euros(self.owed)
        )
    }
}

/// The summary of `year` (by default the last year with activity): a
/// payment counts in the year it was paid, before that in the year of the
/// intervention ([`epop_domain::payment::counted_in`]).
async fn summary(
    state: &AppState,
    account_id: i64,
    year: Option<i32>,
) -> Result<Summary, AppError> {
    use epop_domain::payment::{counted_in, opening_year};
    let today = crate::french::paris_today();
    let mut conn = state.db.conn().await?;
    let lines: Vec<_> = payments::lines(&mut conn, account_id)
        .await?
        .into_iter()
        .map(|l| {
            let paid = l.4.as_ref().filter(|p| p.status == "paid");
            let held = l.3.and_then(|ts| chrono::DateTime::from_timestamp(ts, 0));
            let held = held.map(|t| t.with_timezone(&chrono_tz::Europe::Paris).date_naive());
            (counted_in(paid.and_then(|p| iso_day(&p.paid_on)), held), l)
        })
        .collect();
    let mut years: Vec<i32> = lines.iter().filter_map(|(y, _)| *y).collect();
    years.sort_unstable();
    years.dedup();
    let year = year.unwrap_or_else(|| opening_year(&years, today));
    let mut s = Summary {
        year,
        rows: Vec::new(),
        paid: 0,
        owed: 0,
        years,
    };
    for (_, (_, subject, org, start, p, expenses)) in
        lines.into_iter().filter(|(y, _)| *y == Some(year))
    {
        let fee = p.as_ref().and_then(|p| p.fee_cents);
        let (paid, owed) = match (p.as_ref().map(|p| p.status.as_str()), fee) {
            (Some("paid"), Some(f)) => (Some(f), None),
            (Some("due"), Some(f)) => (None, Some(f)),
            _ => (None, None),
        };
        s.paid += paid.unwrap_or(0);
        s.owed += owed.unwrap_or(0);
        let state_label = p
            .as_ref()
            .map(|p| PaymentState::of(&p.status, iso_day(&p.due_on), today).label())
            .unwrap_or("À définir");
        s.rows.push(vec![
            start.map(crate::french::french_day).unwrap_or_default(),
            subject,
            org,
            paid.map(format_euros).unwrap_or_default(),
            owed.map(format_euros).unwrap_or_default(),
            state_label.to_owned(),
            p.as_ref().map(|p| french(&p.paid_on)).unwrap_or_default(),
            format_euros(expenses),
        ]);
    }
    Ok(s)
}

const HEADERS: [&str; 8] = [
    "Date de l’intervention",
    "Intervention",
    "Organisation",
    "Payé",
    "Reste à payer",
    "État du paiement",
    "Payé le",
    "Frais déclarés",
];

#[derive(askama::Template)]
#[template(path = "requests/payments.html")]
struct Years {
    l: crate::context::Layout,
    s: Summary,
    totals: String,
    headers: [&'static str; 8],
}

async fn years(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let year = ctx.query_param("annee").and_then(|y| y.parse().ok());
    let s = summary(&state, user.account.id, year).await?;
    crate::render::render(&Years {
        l: ctx.layout(format!(
            "{} {}",
            ctx.words(
                "Mes interventions et paiements en",
                "Mes missions et l’argent reçu en"
            ),
            s.year
        )),
        totals: s.totals(),
        s,
        headers: HEADERS,
    })
}

async fn year_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let (year, ext) = file.split_once('.').ok_or(AppError::NotFound)?;
    let year: i32 = year.parse().map_err(|_| AppError::NotFound)?;
    let s = summary(&state, user.account.id, Some(year)).await?;
    let totals = s.totals();
    let rows = s.rows;
    match ext {
        "csv" => {
            let bytes = epop_docs::csv_export::table(&HEADERS, rows)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(download(
                "text/csv; charset=utf-8",
                &format!("interventions-{year}.csv"),
                bytes,
            ))
        }
        "pdf" => {
            use epop_docs::pdf::{Block, Document};
            let name = user.account.display_name.clone();
            let doc = Document {
                title: format!("Récapitulatif {year} – {name}"),
                subject: "Interventions et paiements de l’année".into(),
                author: "Réseau EPoP".into(),
                blocks: vec![
                    Block::Heading {
                        level: 1,
                        text: format!("Mes interventions en {year}"),
                    },
                    Block::Paragraph(format!(
                        "{name} : les interventions faites avec le réseau EPoP en {year}, ce qui a été payé et les frais déclarés. \
                         Ce récapitulatif vous aide pour vos déclarations (impôts, CAF…). Ceci n’est pas un conseil juridique : \
                         pour vos droits, demandez à la CAF, à la MDPH ou à la coordination."
                    )),
                    Block::Table {
                        caption: format!("Interventions {year}"),
                        headers: HEADERS.iter().map(|h| (*h).to_owned()).collect(),
                        rows: if rows.is_empty() {
                            vec![vec![
                                "–".into(),
                                "Aucune intervention".into(),
                                String::new(),
                                String::new(),
                                String::new(),
                                String::new(),
                                String::new(),
                                String::new(),
                            ]]
                        } else {
                            rows
                        },
                        widths: vec![0.14, 0.2, 0.14, 0.09, 0.1, 0.12, 0.11, 0.1],
                    },
                    Block::Paragraph(totals),
                ],
            };
            let bytes = crate::render::pdf(move || epop_docs::pdf::render(&doc)).await?;
            Ok(download(
                "application/pdf",
                &format!("recapitulatif-{year}.pdf"),
                bytes,
            ))
        }
        _ => Err(AppError::NotFound),
    }
}
