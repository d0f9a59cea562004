//! The mission sheet (tagged PDF) of a request whose framework is chosen.

use axum::extract::{Path, State};
use axum::response::Response;
use epop_docs::pdf::{Block, Document};
use epop_domain::legal;
use epop_domain::request::RequestForm;
use epop_store::requests::Request;

use super::super::host_view::{self, Intervention};
use super::super::lists::line;
use super::handled;
use crate::{AppError, AppState, Ctx};

/// The coordination's route to the mission sheet.
pub(super) async fn for_coordination(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = handled(&state, &ctx, &id).await?;
    mission_sheet(&state, &ctx, &r).await
}

/// The mission sheet (tagged PDF) naming all parties, the framework, what
/// it requires, its warnings and the accommodations the peer chose to
/// share, for whoever may see `r` (the caller checks): the coordination
/// and the organisation read the same document. The host signs it: it
/// says what the framework asks whatever the person
/// ([`legal::host_duties`]), never the peer's situation (benefits,
/// employment, ESAT…) nor the verdict for it, which stay on the
/// coordinator's page. « Not found » until a peer accepted and a
/// framework is chosen.
pub async fn mission_sheet(state: &AppState, ctx: &Ctx, r: &Request) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let view = host_view::of(&mut conn, ctx, r).await?;
    drop(conn);
    let i = view.intervention.ok_or(AppError::NotFound)?;
    let (framework, duties_of) = i.framework.clone().ok_or(AppError::NotFound)?;
    let f = r.typed_form();
    let mut blocks = vec![
        Block::Heading {
            level: 1,
            text: format!("Fiche de mission – {}", f.subject),
        },
        facts(r, &f, &i, framework),
    ];
    blocks.extend(duties(&f, &duties_of));
    blocks.push(Block::Heading {
        level: 2,
        text: "Aménagements demandés par l’intervenant-pair".into(),
    });
    blocks.push(Block::Paragraph(
        i.accommodations
            .clone()
            .unwrap_or_else(|| "Aucun aménagement demandé.".into()),
    ));
    blocks.push(Block::Heading {
        level: 2,
        text: "Signatures".into(),
    });
    blocks.push(Block::Paragraph(
        "En signant, chacun dit avoir lu cette fiche et ce que le cadre demande.".into(),
    ));
    blocks.push(Block::SignatureBoxes(vec![
        "Pour l’organisation qui accueille".into(),
        format!("L’intervenant-pair ou l’intervenante-paire, {}", i.peer),
        "Pour la coordination".into(),
    ]));
    let doc = Document {
        title: format!("Fiche de mission – {}", f.subject),
        subject: "Fiche de mission d’une intervention par un intervenant-pair".into(),
        author: "Réseau EPoP".into(),
        blocks,
    };
    let bytes = crate::render::pdf(move || epop_docs::pdf::render(&doc)).await?;
    Ok(crate::render::download(
        "application/pdf",
        &format!("fiche-mission-{}.pdf", r.public_id),
        bytes,
    ))
}

/// Who, what, for whom, when (the scheduled hours once fixed), where, the
/// host's référent, how paid and under which framework.
fn facts(r: &Request, f: &RequestForm, i: &Intervention, framework: legal::Framework) -> Block {
    let fee = match i.payer {
        Some(payer) => format!("{} – payé par : {payer}", i.fee),
        None => i.fee.clone(),
    };
    let organisation = r
        .organisation_name
        .clone()
        .unwrap_or_else(|| f.org_name.clone());
    let fact = |a: &str, b: String| (a.to_owned(), b);
    Block::Facts(vec![
        fact("Organisation qui accueille", organisation),
        fact("Contact", f.contact_name.clone()),
        fact("Intervenant-pair ou intervenante-paire", i.peer.clone()),
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
            i.scheduled.clone().unwrap_or_else(|| i.requested.clone()),
        ),
        fact("Durée", f.duration.clone()),
        fact("Où", i.place.clone()),
        fact(
            "Référent dans l’organisation",
            i.referent
                .clone()
                .unwrap_or_else(|| "Pas encore nommé".into()),
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
