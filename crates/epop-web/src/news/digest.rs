//! The monthly digest of each place (the whole country, every région, and
//! every département some subscriber chose): the worker builds it (the
//! news of the month, the events and trainings to come, the resources
//! published in the toolbox) and rebuilds it until it is sent; its
//! coordination (of the département, or of a département of the région)
//! or an admin previews it at `/admin/lettre/{id}` and sends it.
//! Sending only marks it: the worker then writes its e-mails to the outbox
//! [`BATCH`] subscribers at a time, each with its own unsubscribe link and
//! the one-click headers, so that thousands of subscribers never hold a
//! request; the outbox drains in batches as always.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{Datelike, NaiveTime};
use epop_domain::Principal;
use epop_domain::news::{DigestItem, DigestItems, Scope, digest_text, month_of, month_words};
use epop_domain::toolbox::{BrowseQuery, Territory};
use epop_store::newsletter::{self, Digest};
use epop_store::toolbox::published_since;
use epop_store::{Conn, Result, news, territories};

use crate::context::Layout;
use crate::render::{audited, render};
use crate::security::{hash_token, random_token};
use crate::{AppError, AppState, Ctx};

/// Subscribers written to per digest and per run of the worker.
pub const BATCH: i64 = 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/lettre", get(list))
        .route("/admin/lettre/{id}", get(preview))
        .route("/admin/lettre/{id}/envoyer", post(send))
}

/// The first second of the month of `now`, in Paris.
fn month_start(now: i64) -> (String, i64) {
    let day = crate::french::paris(now).date_naive();
    let first = day.with_day0(0).unwrap_or(day);
    (
        month_of(day),
        epop_domain::event::paris_timestamp(first, NaiveTime::MIN).unwrap_or(now),
    )
}

/// The worker's part: this month's digests (re)built until sent, then the
/// next batch of each digest being sent; returns the e-mails written.
pub async fn due(conn: &mut Conn, base_url: &str, now: i64) -> Result<usize> {
    build(conn, base_url, now).await?;
    let mut written = 0;
    for (d, people) in newsletter::next_batches(conn, BATCH).await? {
        let count = people.len() as i64;
        let last = people.last().map(|r| r.id);
        for r in &people {
            let token = random_token();
            let url = format!("{base_url}/lettre/desabonnement/{token}");
            let body = if r.easy { &d.body_easy } else { &d.body };
            let m = super::mails::digest(&r.email, &d.subject, body, r.easy, &url);
            newsletter::enqueue_for(conn, r, &m, &hash_token(&token), &url).await?;
        }
        written += people.len();
        let finished = count < BATCH;
        newsletter::batch_written(conn, d.id, last.unwrap_or(0).max(0), count, finished).await?;
    }
    Ok(written)
}

/// The digests' places: the whole country, every région, and the
/// départements some subscriber chose; each with its words (« pour la
/// région Occitanie ») and the départements its events and trainings are
/// in (`None`: all).
async fn places(conn: &mut Conn) -> Result<Vec<(Scope, String, Option<Vec<String>>)>> {
    let mut out = vec![(Scope::National, "pour toute la France".to_owned(), None)];
    for r in territories::regions(conn).await? {
        let departments = news::region_departments(conn, &r.code).await?;
        out.push((
            Scope::Region(r.code),
            format!("pour la région {}", r.name),
            Some(departments),
        ));
    }
    let chosen = newsletter::subscribed_departments(conn).await?;
    for d in territories::departments(conn).await? {
        if chosen.contains(&d.code) {
            out.push((
                Scope::Department(d.code.clone()),
                format!("pour le département {} ({})", d.name, d.code),
                Some(vec![d.code]),
            ));
        }
    }
    Ok(out)
}

/// Writes this month's digest of every place (not those sent): the news
/// published this month, the events and trainings to come, the public
/// resources first published this month.
async fn build(conn: &mut Conn, base_url: &str, now: i64) -> Result<()> {
    let (month, since) = month_start(now);
    for (place, words, departments) in places(conn).await? {
        let (region, department) = match &place {
            Scope::Region(r) => (Some(r.as_str()), None),
            Scope::Department(d) => (None, Some(std::slice::from_ref(d))),
            Scope::National => (None, None),
        };
        let items = news::list(
            conn,
            &news::Filter {
                published_by: Some(now),
                since: Some(since),
                region,
                departments: department,
                limit: Some(20),
            },
        )
        .await?;
        let upcoming = territories::upcoming(conn, now, departments.as_deref()).await?;
        let resources = published_since(
            conn,
            &BrowseQuery {
                territory: match place {
                    Scope::National => None,
                    _ => Territory::parse(&place.code()).ok(),
                },
                ..Default::default()
            },
            since,
            20,
        )
        .await?;
        let item = |title: &str, when: i64, path: String| DigestItem {
            title: title.to_owned(),
            when: crate::french::french_day(when),
            url: format!("{base_url}{path}"),
        };
        let parts = DigestItems {
            news: items
                .iter()
                .map(|n| item(&n.title, n.published_at, format!("/actualites/{}", n.slug)))
                .collect(),
            upcoming: upcoming
                .iter()
                .take(10)
                .map(|u| {
                    let section = if u.kind == "event" {
                        "evenements"
                    } else {
                        "formations"
                    };
                    item(&u.title, u.starts_at, format!("/{section}/{}", u.slug))
                })
                .collect(),
            resources: resources
                .iter()
                .map(|(slug, title, at)| item(title, *at, format!("/boite-a-outils/{slug}")))
                .collect(),
        };
        let text = digest_text(&words, &month, &parts);
        newsletter::save_digest(conn, &place.code(), &month, &text).await?;
    }
    Ok(())
}

/// The name of a digest's place (its code) and whether this person may
/// send it.
async fn territory(state: &AppState, p: &Principal, code: &str) -> Result<(String, bool)> {
    let Ok(place) = Scope::parse(code) else {
        return Ok((String::new(), false));
    };
    let mut conn = state.db.conn().await?;
    let (name, departments) = match &place {
        Scope::National => ("Toute la France".to_owned(), Vec::new()),
        Scope::Region(r) => (
            territories::regions(&mut conn)
                .await?
                .into_iter()
                .find(|x| &x.code == r)
                .map(|x| format!("Région {}", x.name))
                .unwrap_or_default(),
            news::region_departments(&mut conn, r).await?,
        ),
        Scope::Department(d) => (
            territories::departments(&mut conn)
                .await?
                .into_iter()
                .find(|x| &x.code == d)
                .map(|x| format!("Département {} ({})", x.name, x.code))
                .unwrap_or_default(),
            Vec::new(),
        ),
    };
    Ok((name, p.may_send_digest(&place, &departments)))
}

struct Row {
    id: i64,
    place: String,
    month: String,
    status: String,
}

#[derive(Template)]
#[template(path = "news/digest_list.html")]
struct List {
    l: Layout,
    rows: Vec<Row>,
}

fn status(d: &Digest) -> String {
    match (d.send_requested_at, d.sent_at) {
        (_, Some(_)) => format!(
            "Envoyée à {}",
            crate::french::plural(d.recipients, "personne", "personnes")
        ),
        (Some(_), None) => "Envoi en cours".to_owned(),
        (None, None) => "À relire et envoyer".to_owned(),
    }
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(Principal::may_write_news)?;
    let mut conn = state.db.conn().await?;
    let all = newsletter::digests(&mut conn).await?;
    drop(conn);
    let mut rows = Vec::new();
    for d in all.iter().take(200) {
        let (place, may) = territory(&state, &user.principal, &d.territory).await?;
        if may {
            rows.push(Row {
                id: d.id,
                place,
                month: month_words(&d.month),
                status: status(d),
            });
        }
    }
    render(&List {
        l: ctx.layout("La lettre d’information"),
        rows,
    })
}

#[derive(Template)]
#[template(path = "news/digest_preview.html")]
struct Preview {
    l: Layout,
    d: Digest,
    status: String,
    audience: String,
    body: Vec<String>,
    body_easy: Vec<String>,
}

/// The digest of the address, if this person may send it.
async fn sendable(state: &AppState, ctx: &Ctx, id: &str) -> Result<(Digest, String), AppError> {
    let user = ctx.require(Principal::may_write_news)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.conn().await?;
    let d = newsletter::digest_by_id(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let (place, may) = territory(state, &user.principal, &d.territory).await?;
    if !may {
        return Err(AppError::Forbidden);
    }
    Ok((d, place))
}

async fn preview(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (d, place) = sendable(&state, &ctx, &id).await?;
    let mut conn = state.db.conn().await?;
    let n = newsletter::audience(&mut conn, &d.territory).await?;
    let lines = |t: &str| t.lines().map(str::to_owned).collect::<Vec<_>>();
    render(&Preview {
        l: ctx.layout(format!("Lettre de {} – {place}", month_words(&d.month))),
        status: status(&d),
        audience: crate::french::plural(n, "personne abonnée", "personnes abonnées"),
        body: lines(&d.body),
        body_easy: lines(&d.body_easy),
        d,
    })
}

async fn send(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (d, place) = sendable(&state, &ctx, &id).await?;
    let mut tx = state.db.write().await?;
    if !newsletter::request_sending(&mut tx, d.id).await? {
        drop(tx);
        return Ok(axum::response::Redirect::to(&format!(
            "/admin/lettre/{}?message=lettre-deja-envoyee",
            d.id
        ))
        .into_response());
    }
    audited(
        tx,
        ctx.audit(
            "newsletter_sent",
            Some(format!("newsletter:{}:{}", d.territory, d.month)),
            format!("{} – {place}", d.subject),
        ),
        &format!("/admin/lettre/{}?message=lettre-envoyee", d.id),
    )
    .await
}
