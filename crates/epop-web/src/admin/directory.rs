//! The directory of a territory for its coordination: every profile of
//! their départements (hidden ones too, marked), the training status that
//! only coordinators set, the CSV and XLSX exports, and the curated themes.
//! Admins see and may do all of it everywhere. Exports never hold the
//! sensitive fields, and each export and training change is audited.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::NaiveDate;
use epop_domain::Principal;
use epop_domain::directory::{Visibility, may_manage_profile};
use epop_store::directory_admin::{self, ExportRow, ThemeUse, TrainingSubject};
use epop_store::{audit, directory as store_directory, territories};
use serde::Deserialize;

use crate::context::{CurrentUser, Layout};
use crate::directory::language_label;
use crate::forms::{Errors, url_encode};
use crate::french::{elided, french_date, plural};
use crate::render::{XLSX_TYPE, download, render, render_form};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/annuaire", get(list))
        .route("/admin/annuaire/export.csv", get(export_csv))
        .route("/admin/annuaire/export.xlsx", get(export_xlsx))
        .route(
            "/admin/annuaire/{slug}/formation",
            get(training_form).post(training_save),
        )
        .route("/admin/themes", get(themes_page).post(theme_add))
}

/// Profiles per page of the table.
const PAGE_SIZE: i64 = 50;

/// The départements this person sees the directory of (`None`: all).
fn scope(p: &Principal) -> Option<Vec<String>> {
    if p.is_admin() {
        None
    } else {
        Some(p.coordinated_departments.iter().cloned().collect())
    }
}

/// May set the training status of a profile of these départements.
fn may_set_training(p: &Principal, departments: &[String]) -> bool {
    may_manage_profile(p, departments.iter().map(String::as_str))
}

fn visibility_label(v: Visibility) -> &'static str {
    match v {
        Visibility::Public => "Publique",
        Visibility::Members => "Réservée au réseau",
        Visibility::Hidden => "Masquée",
    }
}

/// « 20 juin 2025 (Formation EPoP) », or what to say when not trained.
fn training_text(trained_on: Option<&str>, programme: Option<&str>) -> String {
    match (trained_on, programme.filter(|p| !p.is_empty())) {
        (Some(d), Some(p)) => format!("Le {} ({p})", french_date(d)),
        (Some(d), None) => format!("Le {}", french_date(d)),
        (None, _) => "Pas encore de formation".to_owned(),
    }
}

/// A line of the table.
pub struct RowView {
    pub slug: String,
    pub name: String,
    pub kind: &'static str,
    pub email: String,
    pub places: String,
    pub visibility: &'static str,
    pub hidden: bool,
    pub training: String,
    pub may_edit: bool,
}

#[derive(Template)]
#[template(path = "admin/directory.html")]
struct ListPage {
    l: Layout,
    rows: Vec<RowView>,
    total: i64,
    page: i64,
    pages: i64,
    saved: Option<String>,
    national: bool,
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(|p| p.may_administer())?;
    let allowed = scope(&user.principal);
    let page = ctx
        .query_param("page")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 100_000);
    let mut conn = state.db.conn().await?;
    let names: BTreeMap<String, String> = territories::departments(&mut conn)
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    let (found, total) = directory_admin::territory_page(
        &mut conn,
        allowed.as_deref(),
        Some(((page - 1) * PAGE_SIZE, PAGE_SIZE)),
    )
    .await?;
    let saved = match ctx.query_param("formation") {
        Some(slug) => directory_admin::profile_for_training(&mut conn, &slug)
            .await?
            .filter(|s| may_set_training(&user.principal, &s.departments))
            .map(|s| s.display_name),
        None => None,
    };
    let rows = found
        .into_iter()
        .map(|r| RowView {
            places: r
                .departments
                .iter()
                .map(|c| match names.get(c) {
                    Some(n) => format!("{n} ({c})"),
                    None => c.clone(),
                })
                .collect::<Vec<_>>()
                .join(", "),
            visibility: visibility_label(r.visibility),
            hidden: r.visibility == Visibility::Hidden,
            training: training_text(r.trained_on.as_deref(), r.training_programme.as_deref()),
            may_edit: may_set_training(&user.principal, &r.departments),
            kind: r.kind.label(),
            slug: r.slug,
            name: r.display_name,
            email: r.email,
        })
        .collect();
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let national = allowed.is_none();
    render(&ListPage {
        l: ctx.layout(if national {
            "Annuaire : toutes les fiches"
        } else {
            "Annuaire de mon territoire"
        }),
        rows,
        total,
        page: page.min(pages),
        pages,
        saved,
        national,
    })
}

/// « 23/11/2026 18:49 », Paris time, as spreadsheets read it.
fn sheet_time(ts: i64) -> String {
    use chrono::TimeZone;
    match chrono::Utc.timestamp_opt(ts, 0).single() {
        Some(t) => t
            .with_timezone(&chrono_tz::Europe::Paris)
            .format("%d/%m/%Y %H:%M")
            .to_string(),
        None => String::new(),
    }
}

/// « 20/06/2025 » from `2025-06-20`.
fn sheet_date(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| iso.to_owned())
}

/// A profile as the cells of the exports, in the order of
/// `epop_docs::directory_export::HEADERS`.
fn cells(r: &ExportRow, names: &BTreeMap<String, String>) -> Vec<String> {
    let mut languages: Vec<String> = r.languages.iter().map(|l| language_label(l)).collect();
    if !r.other_languages.trim().is_empty() {
        languages.push(r.other_languages.trim().to_owned());
    }
    vec![
        r.display_name.clone(),
        r.kind.label().to_owned(),
        r.email.clone(),
        visibility_label(r.visibility).to_owned(),
        r.home_department
            .as_ref()
            .map(|c| match names.get(c) {
                Some(n) => format!("{c} – {n}"),
                None => c.clone(),
            })
            .unwrap_or_default(),
        r.departments.join(", "),
        r.interventions
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join(" ; "),
        r.themes.join(" ; "),
        r.formats
            .iter()
            .map(|f| f.label())
            .collect::<Vec<_>>()
            .join(", "),
        languages.join(", "),
        r.trained_on.as_deref().map(sheet_date).unwrap_or_default(),
        r.training_programme.clone().unwrap_or_default(),
        r.organisation_name.clone().unwrap_or_default(),
        r.job_title.clone().unwrap_or_default(),
        sheet_time(r.updated_at),
    ]
}

/// The rows of the export for this person, after writing the export to the
/// audit log.
async fn export_rows(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    format: &str,
) -> Result<Vec<Vec<String>>, AppError> {
    let allowed = scope(&user.principal);
    let mut conn = state.db.conn().await?;
    let names: BTreeMap<String, String> = territories::departments(&mut conn)
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    let rows = directory_admin::territory_profiles(&mut conn, allowed.as_deref()).await?;
    let territory = match &allowed {
        None => "toute la France".to_owned(),
        Some(list) => format!("départements {}", list.join(", ")),
    };
    audit::record(
        &mut conn,
        ctx.audit(
            "directory_exported",
            Some("annuaire".into()),
            format!(
                "Export de l’annuaire en {format} : {}, {territory}",
                plural(rows.len(), "fiche", "fiches")
            ),
        ),
    )
    .await?;
    Ok(rows.iter().map(|r| cells(r, &names)).collect())
}

async fn export_csv(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(|p| p.may_administer())?;
    let rows = export_rows(&state, &ctx, user, "CSV").await?;
    let bytes = tokio::task::spawn_blocking(move || epop_docs::directory_export::csv(&rows))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(
        "text/csv; charset=utf-8",
        "annuaire-epop.csv",
        bytes,
    ))
}

async fn export_xlsx(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(|p| p.may_administer())?;
    let rows = export_rows(&state, &ctx, user, "XLSX").await?;
    let bytes = tokio::task::spawn_blocking(move || {
        epop_docs::directory_export::xlsx(&epop_docs::directory_export::HEADERS, &rows)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(XLSX_TYPE, "annuaire-epop.xlsx", bytes))
}

/// The training form's fields, kept to show them again on error.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct TrainingFields {
    pub trained_on: String,
    pub programme: String,
}

#[derive(Template)]
#[template(path = "admin/directory_training.html")]
struct TrainingPage {
    l: Layout,
    errors: Errors,
    s: TrainingSubject,
    form: TrainingFields,
}

const MAX_PROGRAMME_CHARS: usize = 120;

/// Checks the training form: (date as `YYYY-MM-DD`, programme), both
/// optional; a programme needs a date.
fn validate_training(
    f: &TrainingFields,
    today: NaiveDate,
) -> Result<(Option<String>, Option<String>), Errors> {
    let mut errors = Errors::default();
    let raw = f.trained_on.trim();
    let date = if raw.is_empty() {
        None
    } else {
        match NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        {
            Ok(d) if d > today => {
                errors.add(
                    "trained_on",
                    "La date de formation ne peut pas être dans le futur. Indiquez le jour où la formation s’est terminée.",
                );
                None
            }
            Ok(d) if d < NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(d) => {
                errors.add(
                    "trained_on",
                    "La date de formation doit être après le 1er janvier 2000.",
                );
                None
            }
            Ok(d) => Some(d.format("%Y-%m-%d").to_string()),
            Err(_) => {
                errors.add(
                    "trained_on",
                    "La date de formation n’est pas une date valide. Écrivez-la sous la forme jour/mois/année, par exemple 20/06/2025.",
                );
                None
            }
        }
    };
    let programme = f.programme.split_whitespace().collect::<Vec<_>>().join(" ");
    if programme.chars().count() > MAX_PROGRAMME_CHARS {
        errors.add(
            "programme",
            format!(
                "Le nom de la formation doit faire au plus {MAX_PROGRAMME_CHARS} caractères (il en fait {}).",
                programme.chars().count()
            ),
        );
    }
    if raw.is_empty() && !programme.is_empty() {
        errors.add(
            "trained_on",
            "Indiquez la date de la formation, ou videz le champ « Formation suivie ».",
        );
    }
    if errors.is_empty() {
        Ok((date, Some(programme).filter(|p| !p.is_empty())))
    } else {
        Err(errors)
    }
}

/// The profile and the permission to set its training status.
async fn subject(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
) -> Result<(CurrentUser, TrainingSubject), AppError> {
    let user = ctx.require(|p| p.may_administer())?.clone();
    let mut conn = state.db.conn().await?;
    let s = directory_admin::profile_for_training(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_set_training(&user.principal, &s.departments) {
        return Err(AppError::Forbidden);
    }
    Ok((user, s))
}

fn training_page(
    ctx: &Ctx,
    s: TrainingSubject,
    f: TrainingFields,
    errors: Errors,
) -> Result<Response, AppError> {
    let invalid = !errors.is_empty();
    let page = TrainingPage {
        l: ctx.layout_with_errors(
            format!("Formation {}", elided("de", &s.display_name)),
            invalid,
        ),
        errors,
        s,
        form: f,
    };
    render_form(&page, invalid)
}

async fn training_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (_, s) = subject(&state, &ctx, &slug).await?;
    let f = TrainingFields {
        trained_on: s.trained_on.clone().unwrap_or_default(),
        programme: s.training_programme.clone().unwrap_or_default(),
    };
    training_page(&ctx, s, f, Errors::default())
}

async fn training_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(f): Form<TrainingFields>,
) -> Result<Response, AppError> {
    let (_, s) = subject(&state, &ctx, &slug).await?;
    let today = crate::french::paris_today();
    let (date, programme) = match validate_training(&f, today) {
        Ok(v) => v,
        Err(errors) => return training_page(&ctx, s, f, errors),
    };
    let mut tx = state.db.write().await?;
    store_directory::set_training(&mut tx, s.id, date.as_deref(), programme.as_deref()).await?;
    let detail = match &date {
        Some(d) => format!(
            "Formation de {} : {}",
            s.display_name,
            training_text(Some(d), programme.as_deref())
        ),
        None => format!("Formation {} retirée", elided("de", &s.display_name)),
    };
    audit::record(
        &mut tx,
        ctx.audit("training_set", Some(format!("profile:{}", s.slug)), detail),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/admin/annuaire?formation={}",
        url_encode(&s.slug)
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "admin/directory_themes.html")]
struct ThemesPage {
    l: Layout,
    errors: Errors,
    themes: Vec<ThemeUse>,
    theme_label: String,
    added: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ThemeFields {
    pub label: String,
}

const THEME_MIN: usize = 3;
const THEME_MAX: usize = 60;

/// The label as it will be stored (spaces tidied), or what is wrong with it.
fn validate_theme(input: &str) -> Result<String, String> {
    let label = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = label.chars().count();
    if n == 0 {
        Err("Écrivez le nom du thème, par exemple « Emploi accompagné ».".into())
    } else if n < THEME_MIN {
        Err(format!(
            "Le nom du thème doit faire au moins {THEME_MIN} caractères."
        ))
    } else if n > THEME_MAX {
        Err(format!(
            "Le nom du thème doit faire au plus {THEME_MAX} caractères (il en fait {n})."
        ))
    } else if !label.chars().any(char::is_alphanumeric) {
        Err("Le nom du thème doit contenir des lettres.".into())
    } else {
        Ok(label)
    }
}

async fn themes_render(
    state: &AppState,
    ctx: &Ctx,
    label: String,
    errors: Errors,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let themes = directory_admin::themes_in_use(&mut conn).await?;
    let added = ctx.query_param("ajoute").and_then(|slug| {
        themes
            .iter()
            .find(|t| t.theme.slug == slug)
            .map(|t| t.theme.label.clone())
    });
    let invalid = !errors.is_empty();
    let page = ThemesPage {
        l: ctx.layout_with_errors("Thèmes de l’annuaire", invalid),
        errors,
        themes,
        theme_label: label,
        added,
    };
    render_form(&page, invalid)
}

async fn themes_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(|p| p.may_administer())?;
    themes_render(&state, &ctx, String::new(), Errors::default()).await
}

async fn theme_add(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ThemeFields>,
) -> Result<Response, AppError> {
    ctx.require(|p| p.may_administer())?;
    let label = match validate_theme(&f.label) {
        Ok(l) => l,
        Err(message) => {
            let mut errors = Errors::default();
            errors.add("label", message);
            return themes_render(&state, &ctx, f.label, errors).await;
        }
    };
    let mut tx = state.db.write().await?;
    let Some(theme) = directory_admin::add_new_theme(&mut tx, &label).await? else {
        drop(tx);
        let mut conn = state.db.conn().await?;
        let slug = epop_domain::text::slugify(&label);
        let existing = store_directory::themes(&mut conn)
            .await?
            .into_iter()
            .find(|t| t.slug == slug)
            .map(|t| t.label)
            .unwrap_or_else(|| label.clone());
        drop(conn);
        let mut errors = Errors::default();
        errors.add(
            "label",
            format!("Le thème « {existing} » existe déjà dans la liste. Écrivez un autre thème."),
        );
        return themes_render(&state, &ctx, f.label, errors).await;
    };
    audit::record(
        &mut tx,
        ctx.audit(
            "theme_added",
            Some(format!("theme:{}", theme.slug)),
            format!("Thème ajouté : {}", theme.label),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/themes?ajoute={}", url_encode(&theme.slug))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn fields(date: &str, programme: &str) -> TrainingFields {
        TrainingFields {
            trained_on: date.into(),
            programme: programme.into(),
        }
    }

    #[test]
    fn training_dates_in_iso_or_french_form() {
        let today = day(2026, 11, 23);
        assert_eq!(
            validate_training(&fields("2025-06-20", "  Formation   EPoP "), today).unwrap(),
            (Some("2025-06-20".into()), Some("Formation EPoP".into()))
        );
        assert_eq!(
            validate_training(&fields("20/06/2025", ""), today).unwrap(),
            (Some("2025-06-20".into()), None)
        );
        assert_eq!(
            validate_training(&fields("", ""), today).unwrap(),
            (None, None)
        );
        for bad in ["2025-02-30", "hier", "2027-01-01", "1999-12-31"] {
            let e = validate_training(&fields(bad, ""), today).unwrap_err();
            assert_eq!(e.items()[0].field, "trained_on", "{bad}");
        }
        assert!(validate_training(&fields("", "Formation EPoP"), today).is_err());
        assert!(validate_training(&fields("2025-06-20", &"x".repeat(121)), today).is_err());
    }

    #[test]
    fn theme_labels_are_tidied_and_bounded() {
        assert_eq!(
            validate_theme("  Emploi   accompagné ").unwrap(),
            "Emploi accompagné"
        );
        assert!(validate_theme("").is_err());
        assert!(validate_theme("ab").is_err());
        assert!(validate_theme("---").is_err());
        assert!(validate_theme(&"é".repeat(61)).is_err());
        assert!(validate_theme(&"é".repeat(60)).is_ok());
    }

    #[test]
    fn training_status_reads_in_french() {
        assert_eq!(
            training_text(Some("2025-06-20"), Some("EPoP")),
            "Le 20 juin 2025 (EPoP)"
        );
        assert_eq!(training_text(None, None), "Pas encore de formation");
        assert_eq!(sheet_date("2025-06-20"), "20/06/2025");
    }
}
