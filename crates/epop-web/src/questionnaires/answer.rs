//! Answering without an account: `/questionnaire/{token}`, the personal
//! link (or the audience link a host passes on) found by the hash of its
//! token. Without JavaScript, one question per page: each « Continuer »
//! keeps the answer in the invitation's draft and goes to the next
//! question, « Retour » keeps what was typed and goes back, a last page
//! « Vérifiez vos réponses » sends them. `?tout=1` (and every audience
//! link) shows all the questions in one form. Easy-read wordings when the
//! invitation asks for them or with `?version=facile`. A personal link
//! records one response; posts are limited per link.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use epop_domain::questionnaire::Questionnaire;
use epop_store::questionnaires::responses::{self, Invitation, Recorded};
use epop_store::questionnaires::{self, Stored};
use epop_store::{now, rate_limit};

use super::{QuestionView, answer_errors, field, sent_words, views};
use crate::context::Layout;
use crate::forms::{Errors, Pairs};
use crate::render::{render, render_form};
use crate::security::hash_token;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/questionnaire/{token}", get(show).post(save))
}

/// Posts one link may receive in an hour (an audience link serves a room).
const POSTS_PER_HOUR: i64 = 300;

#[derive(Template)]
#[template(path = "questionnaires/answer.html")]
struct Page {
    l: Layout,
    title: String,
    /// `question`, `tout`, `verifier`, `merci`, `deja`.
    mode: &'static str,
    action: String,
    errors: Errors,
    views: Vec<QuestionView>,
    numbered: bool,
    k: usize,
    n: usize,
    review: Vec<(usize, String, String)>,
}

struct Opened {
    inv: Invitation,
    q: Questionnaire,
    easy: bool,
    base: String,
    facile: &'static str,
}

async fn open(state: &AppState, ctx: &Ctx, token: &str) -> Result<Opened, AppError> {
    let mut conn = state.db.conn().await?;
    let inv = responses::invitation(&mut conn, &hash_token(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let Stored { questionnaire, .. } = questionnaires::by_id(&mut conn, inv.questionnaire_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let asked = ctx.query_param("version").as_deref() == Some("facile");
    Ok(Opened {
        easy: inv.easy_read || ctx.easy,
        inv,
        q: questionnaire,
        base: format!("/questionnaire/{token}"),
        facile: if asked { "&version=facile" } else { "" },
    })
}

impl Opened {
    fn page(&self, ctx: &Ctx, mode: &'static str, errors: Errors) -> Page {
        let invalid = !errors.is_empty();
        let title = match mode {
            "merci" | "deja" => "Merci".to_owned(),
            "verifier" => "Vérifiez vos réponses".to_owned(),
            _ => self.q.title.clone(),
        };
        Page {
            l: ctx.layout_with_errors(title, invalid),
            title: self.q.title.clone(),
            mode,
            action: if self.facile.is_empty() {
                self.base.clone()
            } else {
                format!("{}?version=facile", self.base)
            },
            errors,
            views: vec![],
            numbered: true,
            k: 0,
            n: self.q.questions.len(),
            review: vec![],
        }
    }

    fn draft(&self) -> Pairs {
        Pairs(
            self.inv
                .draft
                .as_deref()
                .and_then(|d| serde_urlencoded::from_str(d).ok())
                .unwrap_or_default(),
        )
    }

    fn one_form(&self) -> bool {
        self.inv.is_audience_link()
    }

    fn all(&self, ctx: &Ctx, sent: &Pairs, errors: Errors) -> Result<Response, AppError> {
        let invalid = !errors.is_empty();
        let mut page = self.page(ctx, "tout", errors);
        page.views = views(&self.q, self.easy, sent, &page.errors);
        render_form(&page, invalid)
    }

    fn one(&self, ctx: &Ctx, k: usize, sent: &Pairs, errors: Errors) -> Result<Response, AppError> {
        let invalid = !errors.is_empty();
        let mut page = self.page(ctx, "question", errors);
        let q = &self.q.questions[k - 1];
        page.views = vec![QuestionView::new(
            k,
            q,
            self.easy,
            &sent.all(&q.code),
            page.errors.get(&field(&q.code)),
        )];
        page.numbered = false;
        page.k = k;
        page.l.title = format!("Question {k} sur {} – {}", page.n, self.q.title);
        render_form(&page, invalid)
    }

    fn review(&self, ctx: &Ctx) -> Result<Response, AppError> {
        let draft = self.draft();
        let mut page = self.page(ctx, "verifier", Errors::default());
        page.review = self
            .q
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| {
                (
                    i + 1,
                    q.shown(self.easy).to_owned(),
                    sent_words(q, &draft.all(&q.code)),
                )
            })
            .collect();
        render(&page)
    }

    fn redirect(&self, k: usize) -> Response {
        Redirect::to(&format!("{}?q={k}{}", self.base, self.facile)).into_response()
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let o = open(&state, &ctx, &token).await?;
    if ctx.query_param("merci").is_some() {
        return render(&o.page(&ctx, "merci", Errors::default()));
    }
    if o.inv.is_answered() {
        return render(&o.page(&ctx, "deja", Errors::default()));
    }
    if o.one_form() || ctx.query_param("tout").as_deref() == Some("1") {
        return o.all(&ctx, &o.draft(), Errors::default());
    }
    let n = o.q.questions.len();
    let k = ctx
        .query_param("q")
        .and_then(|k| k.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, n + 1);
    if k > n {
        return o.review(&ctx);
    }
    o.one(&ctx, k, &o.draft(), Errors::default())
}

/// Replaces the draft's answer to `code` with what was sent.
fn with_answer(draft: &Pairs, code: &str, sent: &[String]) -> String {
    let mut pairs: Vec<(String, String)> =
        draft.0.iter().filter(|(c, _)| c != code).cloned().collect();
    pairs.extend(
        sent.iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| (code.to_owned(), s.clone())),
    );
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let o = open(&state, &ctx, &token).await?;
    let mut conn = state.db.conn().await?;
    let bucket = format!("questionnaire:{}", hash_token(&token));
    if rate_limit::hit(&mut conn, &bucket, 3600).await? > POSTS_PER_HOUR {
        return Err(AppError::TooManyAttempts);
    }
    if o.inv.is_answered() {
        return render(&o.page(&ctx, "deja", Errors::default()));
    }
    let n = o.q.questions.len();
    match p.get("etape").as_str() {
        "question" if !o.one_form() => {
            let k = p.get("q").parse::<usize>().unwrap_or(1).clamp(1, n);
            let question = &o.q.questions[k - 1];
            let sent = p.all(&question.code);
            let back = p.get("aller") == "retour";
            if !back && let Err(e) = question.check(&sent) {
                let errors = answer_errors(&o.q, o.easy, vec![(question.code.clone(), e)]);
                return o.one(&ctx, k, &p, errors);
            }
            let draft = with_answer(&o.draft(), &question.code, &sent);
            responses::save_draft(&mut conn, o.inv.id, &draft).await?;
            Ok(o.redirect(if back {
                k.saturating_sub(1).max(1)
            } else {
                k + 1
            }))
        }
        "envoyer" if !o.one_form() => {
            drop(conn);
            let draft = o.draft();
            send(&state, &ctx, &o, &draft).await
        }
        _ => {
            drop(conn);
            send(&state, &ctx, &o, &p).await
        }
    }
}

/// Checks every answer and records the response (the form again with the
/// problems when one is missing or wrong).
async fn send(state: &AppState, ctx: &Ctx, o: &Opened, sent: &Pairs) -> Result<Response, AppError> {
    let answers = match o.q.check_answers(|code| sent.all(code)) {
        Ok(a) => a,
        Err(problems) => return o.all(ctx, sent, answer_errors(&o.q, o.easy, problems)),
    };
    let t = now();
    let mut tx = state.db.write().await?;
    match responses::answer(&mut tx, &o.inv, &answers, t).await? {
        Recorded::AlreadyAnswered => {
            drop(tx);
            return render(&o.page(ctx, "deja", Errors::default()));
        }
        Recorded::Saved(_) => {}
    }
    if o.inv.subject.kind == "intervention" {
        super::evaluate_when_both_answered(&mut tx, o.inv.subject.id, t).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("{}?merci=1{}", o.base, o.facile)).into_response())
}
