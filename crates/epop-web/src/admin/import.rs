//! The upload page for the directory spreadsheets (national administrators):
//! the same flow as `epop import-directory`, with its three options.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::Response;
use axum::routing::get;

use crate::context::Layout;
use crate::directory_import::{self, Options};
use crate::forms::Errors;
use crate::render::{render, render_invalid};
use crate::{AppError, AppState, Ctx};

/// The largest spreadsheet the page takes (it says « 8 Mo »); the largest
/// body of the whole application too.
pub const MAX_FILE: usize = 8 * 1024 * 1024;
const TOO_BIG: &str = "Le fichier n’a pas pu être reçu en entier. Il fait peut-être plus de 8 Mo : coupez-le en plusieurs fichiers.";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/annuaire/import", get(form).post(upload))
        .layer(DefaultBodyLimit::max(crate::forms::upload_limit(MAX_FILE)))
}

#[derive(Template)]
#[template(path = "admin/import.html")]
struct Page {
    l: Layout,
    errors: Errors,
    dry_run: bool,
    skip_invalid: bool,
    invite: bool,
    /// What the import said, line by line, and whether it refused.
    lines: Vec<String>,
    refusal: String,
    done: bool,
}

fn page(ctx: &Ctx, errors: Errors, options: &Options) -> Page {
    Page {
        l: ctx.layout_with_errors("Importer l’annuaire", !errors.is_empty()),
        errors,
        dry_run: options.dry_run,
        skip_invalid: options.skip_invalid,
        invite: options.invite,
        lines: Vec::new(),
        refusal: String::new(),
        done: false,
    }
}

async fn form(ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(|p| p.is_admin())?;
    render(&page(
        &ctx,
        Errors::default(),
        &Options {
            dry_run: true,
            ..Default::default()
        },
    ))
}

async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let user = ctx.require(|p| p.is_admin())?;
    let mut options = Options {
        base_url: state.config.base_url.clone(),
        wording: crate::directory_import::Wording::Page,
        ..Default::default()
    };
    let mut file: Vec<u8> = Vec::new();
    let mut errors = Errors::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                errors.add("fichier", TOO_BIG);
                break;
            }
        };
        match field.name().unwrap_or_default() {
            "fichier" => match field.bytes().await {
                Ok(b) if b.len() > MAX_FILE => errors.add("fichier", TOO_BIG),
                Ok(b) => file = b.to_vec(),
                Err(_) => errors.add("fichier", TOO_BIG),
            },
            "essai" => options.dry_run = true,
            "ignorer" => options.skip_invalid = true,
            "inviter" => options.invite = true,
            _ => {}
        }
    }
    if errors.is_empty() && file.is_empty() {
        errors.add(
            "fichier",
            "Choisissez le fichier CSV à importer (enregistré depuis votre tableur).",
        );
    }
    if !errors.is_empty() {
        return render_invalid(&page(&ctx, errors, &options));
    }
    let mut out = Vec::new();
    let result = directory_import::run(
        &state.db,
        &file,
        &options,
        Some(user.account.id),
        &mut out,
        &mut |_, _| {},
    )
    .await;
    let mut p = page(&ctx, Errors::default(), &options);
    p.lines = String::from_utf8_lossy(&out)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    p.done = true;
    match result {
        Ok(_) => render(&p),
        Err(refusal) => {
            p.refusal = refusal;
            render_invalid(&p)
        }
    }
}
