//! `/admin/cadres`: the rules of legal and payment frameworks, one per
//! situation and framework, with their source and the date they were last
//! checked (national administrators edit them; a rule not checked for a
//! year is flagged).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use epop_domain::legal::{Framework, Rule, RuleForm, Situation, Verdict};
use epop_store::{audit, legal, now};

use crate::context::Layout;
use crate::forms::{Errors, Pairs};
use crate::render::{render, render_form};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/cadres", get(list)).route(
        "/admin/cadres/{situation}/{framework}",
        get(edit).post(save),
    )
}

pub struct Line {
    pub r: Rule,
    pub stale: bool,
}

#[derive(Template)]
#[template(path = "requests/legal_rules.html")]
struct List {
    l: Layout,
    situations: Vec<(Situation, Vec<Line>)>,
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(|p| p.is_admin())?;
    let mut conn = state.db.conn().await?;
    let rules = legal::rules(&mut conn).await?;
    let t = crate::french::paris_today();
    let situations = Situation::ALL
        .into_iter()
        .map(|s| {
            (
                s,
                rules
                    .iter()
                    .filter(|r| r.situation == s)
                    .map(|r| Line {
                        stale: (t - r.checked_on).num_days() > 365,
                        r: r.clone(),
                    })
                    .collect(),
            )
        })
        .collect();
    render(&List {
        l: ctx.layout("Cadres juridiques et de paiement"),
        situations,
    })
}

#[derive(Template)]
#[template(path = "requests/legal_rule.html")]
struct Edit {
    l: Layout,
    f: RuleForm,
    errors: Errors,
    situation: Situation,
    framework: Framework,
    verdicts: Vec<(&'static str, &'static str)>,
}

fn pair(situation: &str, framework: &str) -> Result<(Situation, Framework), AppError> {
    Situation::from_code(situation)
        .zip(Framework::from_code(framework))
        .ok_or(AppError::NotFound)
}

fn edit_page(
    ctx: &Ctx,
    s: Situation,
    f: Framework,
    form: RuleForm,
    errors: Errors,
) -> Result<Response, AppError> {
    let invalid = !errors.is_empty();
    let page = Edit {
        l: ctx.layout_with_errors(format!("{} – {}", s.label(), f.label()), invalid),
        f: form,
        errors,
        situation: s,
        framework: f,
        verdicts: [
            Verdict::Fits,
            Verdict::FitsWithConditions,
            Verdict::Risky,
            Verdict::NotPossible,
        ]
        .iter()
        .map(|v| (v.code(), v.label()))
        .collect(),
    };
    render_form(&page, invalid)
}

async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((situation, framework)): Path<(String, String)>,
) -> Result<Response, AppError> {
    ctx.require(|p| p.is_admin())?;
    let (s, f) = pair(&situation, &framework)?;
    let mut conn = state.db.conn().await?;
    let rule = legal::rules(&mut conn)
        .await?
        .into_iter()
        .find(|r| r.situation == s && r.framework == f)
        .ok_or(AppError::NotFound)?;
    edit_page(&ctx, s, f, rule.to_form(), Errors::default())
}

async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((situation, framework)): Path<(String, String)>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let user = ctx.require(|p| p.is_admin())?;
    let (s, f) = pair(&situation, &framework)?;
    let form = RuleForm {
        situation: s.code().into(),
        framework: f.code().into(),
        verdict: p.get("verdict"),
        requirements: p.get("requirements"),
        warnings: p.get("warnings"),
        warnings_easy: p.get("warnings_easy"),
        whom_to_ask: p.get("whom_to_ask"),
        source: p.get("source"),
        checked_on: p.get("checked_on"),
    };
    let rule = match form.validate(crate::french::paris_today()) {
        Ok(r) => r,
        Err(problems) => return edit_page(&ctx, s, f, form, Errors::from_problems(problems)),
    };
    let mut tx = state.db.write().await?;
    legal::save(&mut tx, &rule, user.account.id, now()).await?;
    audit::record(
        &mut tx,
        ctx.audit(
            "legal_rule_updated",
            Some(format!("rule:{situation}:{framework}")),
            format!(
                "Règle modifiée : {} – {} : {} (source : {})",
                s.label(),
                f.label(),
                rule.verdict.label(),
                rule.source
            ),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/cadres?message=regle").into_response())
}
