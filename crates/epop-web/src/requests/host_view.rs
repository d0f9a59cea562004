//! What the requesting organisation knows of its intervention (« Votre
//! intervention » on `/espace/demandes/{id}`, and the mission sheet it
//! downloads at `/espace/demandes/{id}/fiche-mission.pdf`): who comes, as
//! the peer shows their name in the directory; when; where; the référent;
//! the framework in a host's words ([`legal::host_duties`], never the
//! peer's situation); the pay; and what the peer chose to tell the
//! organisation to plan for them, which the peer writes on their proposal
//! (`/espace/propositions/{id}/amenagements`) — never their profile's
//! sensitive field.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use epop_domain::directory::ProfileKind;
use epop_domain::legal::{self, Framework, HostDuties};
use epop_domain::payment::Payer;
use epop_domain::request::format_euros;
use epop_store::proposals::{self, Proposal};
use epop_store::requests::{self, Request};
use epop_store::{Conn, audit, directory};

use crate::forms::Pairs;
use crate::render::audit_sensitive_read;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/espace/demandes/{id}/fiche-mission.pdf", get(sheet))
        .route("/espace/propositions/{id}/amenagements", post(share))
}

/// Longest text a peer shares.
const MAX_SHARED: usize = 2000;

/// The organisation's view of its request.
pub struct HostView {
    /// Once a peer accepted (and the request is not cancelled).
    pub intervention: Option<Intervention>,
    /// Before: what happens next, in a sentence or two.
    pub next: &'static str,
}

/// An accepted intervention, as the organisation (and its mission sheet)
/// reads it.
pub struct Intervention {
    /// The peer's name as the directory shows it.
    pub peer: String,
    /// The day and hours once scheduled.
    pub scheduled: Option<String>,
    /// The date the organisation asked for.
    pub requested: String,
    pub place: String,
    pub accessibility: String,
    /// « Name (e-mail) » of the référent named for the host.
    pub referent: Option<String>,
    /// The framework once chosen, with what it asks whatever the person.
    pub framework: Option<(Framework, HostDuties)>,
    /// The amount, or « À définir ».
    pub fee: String,
    /// Who pays, once the coordination recorded it.
    pub payer: Option<&'static str>,
    /// What the peer asked the organisation to plan for them.
    pub accommodations: Option<String>,
}

/// The view of `r` for `ctx`'s person (who may see the request). Reading
/// what the peer shared is health data: audited when anyone but the peer
/// reads it.
pub async fn of(conn: &mut Conn, ctx: &Ctx, r: &Request) -> Result<HostView, AppError> {
    let accepted = if r.status == "cancelled" {
        None
    } else {
        proposals::for_request(conn, r.id)
            .await?
            .into_iter()
            .find(|p| p.status == "accepted")
    };
    let Some(proposal) = accepted else {
        return Ok(HostView {
            intervention: None,
            next: if r.status == "cancelled" {
                "Cette demande est annulée : personne ne viendra."
            } else {
                "La coordination cherche un intervenant-pair pour votre demande. Quand une personne accepte, vous recevez un e-mail, et cette page vous dit qui vient, quand et comment."
            },
        });
    };
    let f = r.typed_form();
    let input = directory::input_of(conn, proposal.profile_id).await?;
    let framework = match epop_store::legal::chosen(conn, r.id).await? {
        Some((framework, _)) => {
            let rules = epop_store::legal::rules(conn).await?;
            Some((framework, legal::host_duties(&rules, framework)))
        }
        None => None,
    };
    let payment = epop_store::payments::get(conn, r.id).await?;
    let (fee, payer) = match payment {
        Some(p) if p.status == "declined" => (
            "Aucune somme à verser à l’intervenant-pair pour cette intervention".into(),
            None,
        ),
        Some(p) => (
            p.fee_cents
                .map(format_euros)
                .unwrap_or_else(|| "À définir".into()),
            Payer::from_code(&p.payer).map(Payer::label),
        ),
        None => ("À définir".into(), None),
    };
    let accommodations = proposals::shared_accommodations(conn, proposal.id).await?;
    if accommodations.is_some() && ctx.user()?.account.id != proposal.account_id {
        let slug = directory::profile_of(conn, proposal.account_id, ProfileKind::Peer)
            .await?
            .map(|(_, slug)| slug)
            .unwrap_or_default();
        audit_sensitive_read(
            conn,
            ctx,
            format!("profile:{slug}"),
            format!(
                "Lecture des aménagements partagés pour la demande « {} »",
                f.subject
            ),
        )
        .await?;
    }
    Ok(HostView {
        intervention: Some(Intervention {
            peer: input.visibility.shown_name(&input.display_name),
            scheduled: requests::schedule(conn, r.id)
                .await?
                .map(|(start, end)| crate::french::french_when(start, end)),
            requested: super::when_of(&f),
            place: if f.mode == "a-distance" {
                "À distance".into()
            } else {
                f.address.clone()
            },
            accessibility: f.accessibility_words(),
            referent: requests::referent(conn, r.id)
                .await?
                .map(|(_, name, email)| format!("{name} ({email})")),
            framework,
            fee,
            payer,
            accommodations,
        }),
        next: "",
    })
}

/// The mission sheet, for the people who see the request (the same
/// document as the coordination's).
async fn sheet(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = super::thread::own(&state, &ctx, &id).await?;
    super::triage::mission_sheet(&state, &ctx, &r).await
}

/// What the peer types on their accepted proposal, kept when refused.
#[derive(Default)]
pub struct Shared {
    pub value: String,
    pub error: String,
}

impl Shared {
    /// What the peer saved, for the form.
    pub async fn saved(conn: &mut Conn, p: &Proposal) -> Result<Shared, AppError> {
        Ok(Shared {
            value: proposals::shared_accommodations(conn, p.id)
                .await?
                .unwrap_or_default(),
            error: String::new(),
        })
    }
}

/// The peer of an accepted proposal writes (or empties) what the
/// organisation must plan for them; audited as a sensitive field change.
/// « Reprendre ce que j’ai écrit sur ma fiche » (`action=fiche`) only
/// puts their profile's words in the form, saved when they choose to.
async fn share(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let (r, p) = super::proposals::accepted(&state, &ctx, &id).await?;
    if form.get("action") == "fiche" {
        // The peer asks for their profile's words, to read and save them.
        let mut conn = state.db.conn().await?;
        let own = directory::sensitive_for_owner(&mut conn, p.profile_id).await?;
        drop(conn);
        let shared = Shared {
            value: own.accommodations.unwrap_or_default(),
            error: String::new(),
        };
        return super::proposals::show(&state, &ctx, &id, Some(shared)).await;
    }
    let typed = form.get("accommodations");
    let text = match epop_domain::text::optional_paragraph(&typed, "ce texte", MAX_SHARED) {
        Ok(text) => text,
        Err(e) => {
            let shared = Shared {
                value: typed,
                error: e.0,
            };
            return super::proposals::show(&state, &ctx, &id, Some(shared)).await;
        }
    };
    let mut tx = state.db.write().await?;
    proposals::share_accommodations(&mut tx, p.id, text.as_deref()).await?;
    audit::record(
        &mut tx,
        ctx.audit(
            "sensitive_shared",
            Some(format!("request:{}", r.public_id)),
            if text.is_some() {
                "Aménagements partagés avec l’organisation par l’intervenant-pair".into()
            } else {
                "Aménagements retirés de la fiche de mission par l’intervenant-pair".into()
            },
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/espace/propositions/{id}?message=amenagements")).into_response())
}
