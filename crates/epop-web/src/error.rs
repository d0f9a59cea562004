//! The error policy. Whatever goes wrong, people get a page in French that
//! says what happened and what to do; internal details go to the log only,
//! never to the page.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use epop_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The page needs a signed-in person: go to the sign-in page, then back.
    #[error("connexion requise")]
    SignInRequired { back_to: String },
    #[error("accès refusé")]
    Forbidden,
    #[error("page introuvable")]
    NotFound,
    /// A personal link sent by e-mail (a registration, a draft request)
    /// that opens nothing any more: used up, or erased with the personal
    /// data it led to. Never says whether it ever existed.
    #[error("lien plus valable")]
    LinkExpired,
    /// A form arrived without its security token (or from another site).
    #[error("formulaire expiré")]
    BadCsrf,
    #[error("trop de tentatives")]
    TooManyAttempts,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("gabarit : {0}")]
    Template(#[from] askama::Error),
    /// The file storage failed (an object store out of reach, a full
    /// disk): the page says to come back later; what failed is logged.
    #[error("stockage des fichiers : {0}")]
    FilesUnavailable(String),
    #[error("{0}")]
    Internal(String),
}

/// What the store refused, as the French sentence shown on the page that
/// asked. A store error that is no refusal (a failure, a duplicate the page
/// did not expect) comes back as the error it is.
pub fn refusal(e: StoreError) -> Result<String, AppError> {
    match e {
        StoreError::MoveRefused(why) => Ok(why.0),
        StoreError::AlreadySent => Ok("Cette demande a déjà été envoyée.".to_owned()),
        e => Err(e.into()),
    }
}

/// A bare page for errors, outside the normal layout (it must not fail).
fn error_page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} – EPoP</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head>\
         <body><a class=\"skip-link\" href=\"#contenu\">Aller au contenu</a>\
         <header class=\"site-header\"><div class=\"wrap header-row\"><a class=\"brand\" href=\"/\">\
         <span class=\"brand-name\">EPoP</span> <span class=\"brand-tagline\">Réseau des intervenants-pairs</span></a></div></header>\
         <main id=\"contenu\" tabindex=\"-1\" class=\"wrap\"><h1>{title}</h1>{body}\
         <p><a href=\"/\">Revenir à l’accueil</a></p></main></body></html>"
    );
    (status, Html(html)).into_response()
}

/// A 503 page saying what is out of reach, with when to come back
/// (`Retry-After`, in seconds).
fn unavailable(title: &str, body: &str, retry_after: &'static str) -> Response {
    let mut page = error_page(StatusCode::SERVICE_UNAVAILABLE, title, body);
    page.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static(retry_after));
    page
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::SignInRequired { back_to } => {
                let target = format!("/connexion?suite={}", crate::forms::url_encode(&back_to));
                Redirect::to(&target).into_response()
            }
            AppError::Forbidden => error_page(
                StatusCode::FORBIDDEN,
                "Accès refusé",
                "<p>Cette page n’est pas ouverte à votre compte. Si vous pensez que c’est une erreur, \
                 écrivez à la personne qui coordonne votre territoire.</p>",
            ),
            AppError::NotFound => error_page(
                StatusCode::NOT_FOUND,
                "Page introuvable",
                "<p>Cette page n’existe pas ou n’existe plus. Vérifiez l’adresse, ou partez de l’accueil.</p>",
            ),
            AppError::LinkExpired => error_page(
                StatusCode::NOT_FOUND,
                "Ce lien n’est plus valable",
                "<p>Ce lien ne marche plus. Il a déjà servi, ou il est trop ancien : \
                 nous effaçons les données personnelles après un temps, pour les protéger.</p>\
                 <p>Besoin d’aide ? Écrivez à l’équipe EPoP ou à la personne qui vous a envoyé le lien.</p>",
            ),
            AppError::BadCsrf => error_page(
                StatusCode::FORBIDDEN,
                "Le formulaire a expiré",
                "<p>Pour votre sécurité, ce formulaire ne peut plus être envoyé. \
                 Revenez à la page précédente, rechargez-la, puis envoyez le formulaire à nouveau.</p>",
            ),
            AppError::TooManyAttempts => error_page(
                StatusCode::TOO_MANY_REQUESTS,
                "Trop de tentatives",
                "<p>Il y a eu trop de tentatives en peu de temps. Attendez 15 minutes puis réessayez, \
                 ou demandez un lien de connexion par e-mail.</p>",
            ),
            AppError::Store(StoreError::NotFound) => AppError::NotFound.into_response(),
            AppError::Store(e) if e.is_unavailable() => {
                tracing::error!(error = %e, "database unavailable");
                unavailable(
                    "Service momentanément indisponible",
                    "<p>La plateforme ne peut pas utiliser sa base de données pour le moment \
                     (elle ne répond pas, ou son disque est plein). \
                     Rien n’a été enregistré à moitié : réessayez dans quelques secondes. \
                     Si vous remplissiez un formulaire, revenez à la page précédente : ce que \
                     vous avez tapé y est souvent encore : envoyez-le de nouveau.</p>",
                    "10",
                )
            }
            AppError::FilesUnavailable(what) => {
                tracing::error!(error = %what, "file storage unavailable");
                unavailable(
                    "Fichiers momentanément indisponibles",
                    "<p>Les fichiers sont momentanément indisponibles. Si vous envoyiez un \
                     formulaire, rien n’a été enregistré : vous pourrez l’envoyer à nouveau.</p>\
                     <p>Que faire : réessayez dans quelques minutes. Si cela continue, \
                     écrivez à l’équipe EPoP.</p>",
                    "60",
                )
            }
            other => {
                tracing::error!(error = ?other, "internal error");
                error_page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Un problème est survenu",
                    "<p>Nous n’avons pas pu afficher cette page. Rien de ce que vous avez envoyé n’a été \
                     enregistré à moitié. Réessayez dans un moment ; si cela continue, écrivez à l’équipe EPoP.</p>",
                )
            }
        }
    }
}

impl From<epop_store::SqlError> for AppError {
    fn from(e: epop_store::SqlError) -> Self {
        AppError::Store(e.into())
    }
}

/// A body above a size limit (the whole router's, or a route's own)
/// gets a page saying which limit and what to do, not a bare 413.
pub async fn too_large(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if res.status() != StatusCode::PAYLOAD_TOO_LARGE || is_page {
        return res;
    }
    let max = crate::LARGEST_FILE / (1024 * 1024);
    error_page(
        StatusCode::PAYLOAD_TOO_LARGE,
        "Envoi trop volumineux",
        &format!(
            "<p>Ce que vous avez envoyé est trop gros : rien n’a été enregistré.</p>\
             <p>Chaque formulaire indique à côté du champ la taille maximale de ses fichiers. \
             Aucun envoi ne peut dépasser {max} Mo.</p>\
             <p>Que faire : revenez à la page précédente, puis choisissez un fichier plus petit \
             (une photo moins grande, un PDF compressé) et envoyez à nouveau.</p>"
        ),
    )
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a handler panicked");
    AppError::Internal("panic".into()).into_response()
}
