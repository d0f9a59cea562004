//! Who may see the profile: what the visibility page may offer to the
//! person and to anyone else, held by the person's listing consent.

use epop_domain::directory::{ListingConsent, Visibility, visibility_ceiling};
use epop_store::directory::{self, ProfileInput};

use super::Target;
use crate::{AppError, AppState};

/// Why a coordinator's choices are limited on the visibility page, and where
/// to record the person's written consent.
pub struct Limits {
    pub text: String,
    pub link: Option<String>,
}

/// What the visibility page may offer: the person chooses anything (and
/// gives their consent on the same page); anyone else is held by
/// [`visibility_ceiling`].
pub(super) struct VisibilityChoice {
    pub(super) owner: bool,
    pub(super) consent: ListingConsent,
    pub(super) ceiling: Visibility,
}

pub(super) async fn visibility_choice(
    state: &AppState,
    t: &Target,
    current: Visibility,
) -> Result<VisibilityChoice, AppError> {
    let mut conn = state.db.conn().await?;
    let consent = directory::listing_consent(&mut conn, t.account_id).await?;
    Ok(VisibilityChoice {
        owner: t.owner,
        consent,
        ceiling: visibility_ceiling(t.owner, consent, Some(current)),
    })
}

/// Someone else's write never leaves a profile more visible than the
/// person's consent allows, read again in the write's transaction: the
/// person may have withdrawn it since the page was read, and their answer
/// wins.
pub(super) async fn keep_to_consent(
    conn: &mut epop_store::Conn,
    t: &Target,
    p: &mut ProfileInput,
) -> Result<(), AppError> {
    if !t.owner {
        let consent = directory::listing_consent(conn, t.account_id).await?;
        p.visibility = p
            .visibility
            .at_most(visibility_ceiling(false, consent, Some(p.visibility)));
    }
    Ok(())
}

/// Why a coordinator's choices are limited, in plain words.
pub(super) fn limits(t: &Target, c: &VisibilityChoice) -> Limits {
    let name = &t.name;
    let text = match c.consent {
        ListingConsent::NeverAsked => format!(
            "{name} n’a pas encore dit si sa fiche peut être dans l’annuaire. C’est la personne qui choisit, dans son espace. Sans son accord, la fiche est visible des membres du réseau, au plus. Vous pouvez la rendre moins visible, pas plus."
        ),
        ListingConsent::ByPerson => format!(
            "C’est {name} qui a choisi qui peut voir sa fiche. Vous pouvez la rendre moins visible, pas plus : pour la montrer à plus de monde, il faut son accord."
        ),
        ListingConsent::Withdrawn => format!(
            "{name} a retiré son accord pour être dans l’annuaire : sa fiche reste masquée. Seule la personne peut la montrer de nouveau, dans son espace, ou en vous donnant son accord par écrit."
        ),
        ListingConsent::Written => format!(
            "L’accord écrit de {name} pour être dans l’annuaire est enregistré. Choisissez qui voit sa fiche, comme la personne l’a demandé."
        ),
    };
    Limits {
        text,
        link: t
            .written_consent
            .clone()
            .filter(|_| c.consent != ListingConsent::Written),
    }
}
