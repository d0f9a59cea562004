//! The mission sheet (tagged PDF) of a request whose framework is chosen.

use axum::extract::{Path, State};
use axum::response::Response;
use epop_docs::pdf::{Block, Document};
use epop_domain::legal;
use epop_domain::request::RequestForm;
use epop_domain::request::format_euros;
use epop_store::proposals::{self, Proposal};
use epop_store::requests::Request;

use super::super::lists::line;
use super::handled;
use crate::{AppError, AppState, Ctx};

/// The mission sheet (tagged PDF) naming all parties, the framework, what
/// it requires and its warnings. The host signs it: it says what the
/// framework asks whatever the person ([`legal::host_duties`]), never the
/// peer's situation (benefits, employment, ESAT…) nor the verdict for it,
/// which stay on the coordinator's page.
pub(super) async fn mission_sheet(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = handled(&state, &ctx, &id).await?;
    let mut conn = state.db.conn().await?;
    let (framework, _) = epop_store::legal::chosen(&mut conn, r.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let peer = proposals::for_request(&mut conn, r.id)
        .await?
        .into_iter()
        .find(|p| p.status == "accepted")
        .ok_or(AppError::NotFound)?;
    let rules = epop_store::legal::rules(&mut conn).await?;
    let when = epop_store::requests::schedule(&mut conn, r.id)
        .await?
        .map(|(start, end)| crate::french::french_when(start, end));
    let referent = epop_store::requests::referent(&mut conn, r.id)
        .await?
        .map(|(_, name, email)| format!("{name} ({email})"));
    drop(conn);
    let e = legal::host_duties(&rules, framework);
    let f = r.typed_form();
    let mut blocks = vec![
        Block::Heading {
            level: 1,
            text: format!("Fiche de mission – {}", f.subject),
        },
        facts(&r, &f, &peer, framework, when, referent),
    ];
    blocks.extend(duties(&f, &e));
    blocks.push(Block::Heading {
        level: 2,
        text: "Signatures".into(),
    });
    blocks.push(Block::Paragraph(
        "En signant, chacun dit avoir lu cette fiche et ce que le cadre demande.".into(),
    ));
    blocks.push(Block::SignatureBoxes(vec![
        "Pour l’organisation qui accueille".into(),
        format!(
            "L’intervenant-pair ou l’intervenante-paire, {}",
            peer.peer_name
        ),
        "Pour la coordination".into(),
    ]));
    let doc = Document {
        title: format!("Fiche de mission – {}", f.subject),
        subject: "Fiche de mission d’une intervention par un intervenant-pair".into(),
        author: "Réseau EPoP".into(),
        blocks,
    };
    let bytes = tokio::task::spawn_blocking(move || epop_docs::pdf::render(&doc))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.0))?;
    Ok(crate::render::download(
        "application/pdf",
        &format!("fiche-mission-{id}.pdf"),
        bytes,
    ))
}

/// Who, what, for whom, when (the scheduled hours once fixed), where, the
/// host's référent, how paid and under which framework.
fn facts(
    r: &Request,
    f: &RequestForm,
    peer: &Proposal,
    framework: legal::Framework,
    scheduled: Option<String>,
    referent: Option<String>,
) -> Block {
    let fee = epop_domain::request::parse_euros(&f.fee)
        .ok()
        .flatten()
        .map(format_euros)
        .unwrap_or_else(|| "À définir avec la coordination".into());
    let organisation = r
        .organisation_name
        .clone()
        .unwrap_or_else(|| f.org_name.clone());
    let fact = |a: &str, b: String| (a.to_owned(), b);
    Block::Facts(vec![
        fact("Organisation qui accueille", organisation),
        fact("Contact", f.contact_name.clone()),
        fact(
            "Intervenant-pair ou intervenante-paire",
            peer.peer_name.clone(),
        ),
        fact(
            "Coordination",
            format!(
                "Réseau EPoP – {}",
                r.department_name.clone().unwrap_or_default()
            ),
        ),
        fact("Type d’intervention", line(r.clone()).kind.to_owned()),
        fact(
            "Pour qui",
            format!("{} ({} personnes)", f.audience, f.audience_size),
        ),
        fact(
            "Quand",
            scheduled.unwrap_or_else(|| {
                if f.date_from.is_empty() {
                    f.period.clone()
                } else {
                    f.date_from.clone()
                }
            }),
        ),
        fact("Durée", f.duration.clone()),
        fact(
            "Où",
            if f.mode == "a-distance" {
                "À distance".into()
            } else {
                f.address.clone()
            },
        ),
        fact(
            "Référent dans l’organisation",
            referent.unwrap_or_else(|| "Pas encore nommé".into()),
        ),
        fact("Rémunération", fee),
        fact("Cadre", framework.label().to_owned()),
    ])
}

/// What the intervention is for, what the framework asks of the host, its
/// warnings and its sources.
fn duties(f: &RequestForm, e: &legal::HostDuties) -> Vec<Block> {
    let or = |list: &[String], none: &str| {
        if list.is_empty() {
            vec![none.to_owned()]
        } else {
            list.to_vec()
        }
    };
    let heading = |text: &str| Block::Heading {
        level: 2,
        text: text.into(),
    };
    vec![
        heading("Ce que l’intervention doit apporter"),
        Block::Paragraph(f.description.clone()),
        heading("Ce que le cadre demande"),
        Block::List(or(&e.guidance.requirements, "Rien de particulier.")),
        heading("Points d’attention"),
        Block::List(or(&e.guidance.warnings, "Aucun.")),
        Block::Paragraph(e.notice()),
        heading("Sources"),
        Block::List(or(&e.sources, "Demandez à la coordination.")),
    ]
}
