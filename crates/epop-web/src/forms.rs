//! Form plumbing shared by every feature: the list of field errors shown in
//! the error summary and beside each field, and the messages shown after a
//! redirect (`?message=code`).

use epop_domain::Invalid;

/// One field's problem.
#[derive(Debug, Clone)]
pub struct FieldError {
    /// The `id` of the field, so the summary can link to it.
    pub field: String,
    pub message: String,
}

/// The problems of a submitted form, in the order of the fields.
#[derive(Debug, Clone, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// Keeps the value when valid; records the problem under `field` otherwise.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.0);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn items(&self) -> &[FieldError] {
        &self.0
    }

    /// The problems a domain check returns, field by field, in order.
    pub fn from_problems(problems: Vec<(&'static str, Invalid)>) -> Self {
        let mut errors = Errors::default();
        for (field, e) in problems {
            errors.add(field, e.0);
        }
        errors
    }

    /// The message for one field, or "" (what the field macro expects).
    pub fn get(&self, field: &str) -> &str {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
            .unwrap_or("")
    }
}

/// Messages shown once after an action, by code (kept short in URLs).
pub fn notice(code: &str) -> Option<&'static str> {
    Some(match code {
        "connecte" => "Votre session est ouverte.",
        "deconnecte" => "Votre session est terminée. À bientôt !",
        "mot-de-passe" => "Votre mot de passe est enregistré.",
        "invitation" => "L’invitation est envoyée par e-mail.",
        "organisation" => "L’organisation est enregistrée.",
        "compte" => "Le compte est enregistré.",
        "compte-efface" => "Le compte est effacé.",
        "bienvenue" => "Bienvenue ! Votre compte est prêt.",
        "fiche" => "Merci ! Votre fiche est enregistrée.",
        "absences" => "Vos absences sont enregistrées. Continuez quand vous voulez.",
        "accord-retire" => "Votre accord est retiré.",
        "accord-ecrit" => {
            "L’accord écrit est enregistré. Vous pouvez maintenant choisir qui voit la fiche."
        }
        "inscription" => "C’est fait ! Nous vous avons envoyé un e-mail avec ces informations.",
        "inscription-annulee" => "Votre inscription est annulée. Nous vous avons envoyé un e-mail.",
        "place-prise" => "C’est fait : la place est à vous. Nous vous avons envoyé un e-mail.",
        "evenement" => "L’événement est enregistré.",
        "presences" => "Les présences sont enregistrées.",
        "raison-annulation" => {
            "L’événement n’est pas annulé : écrivez la raison, elle est envoyée aux personnes inscrites."
        }
        "evenement-annule" => {
            "L’événement est annulé. Toutes les personnes inscrites reçoivent un e-mail."
        }
        "contact-envoye" => {
            "Votre message est envoyé à la coordination. Une copie vous est envoyée par e-mail."
        }
        "reponse-envoyee" => "Votre réponse est envoyée par e-mail à la personne.",
        "message-envoye" => "Le message part par e-mail aux personnes inscrites.",
        "candidature" => "Votre candidature est envoyée. Nous vous avons écrit un e-mail.",
        "candidature-retiree" => "Votre candidature est retirée.",
        "formation" => "La formation est enregistrée.",
        "programme" => "Le programme est enregistré.",
        "ressource" => "La ressource est enregistrée.",
        "ressource-publiee" => "La ressource est publiée.",
        "ressource-depubliee" => "La ressource est dépubliée : seule la coordination la voit.",
        "ressource-proposee" => {
            "Merci ! Votre proposition est envoyée : la coordination la relit avant de la publier."
        }
        "publication-impossible" => {
            "La ressource n’est pas publiée : il lui faut un fichier ou un lien, et pour une vidéo ou un son ses sous-titres ou sa transcription."
        }
        "questionnaire" => "Le questionnaire est enregistré : cette version est désormais envoyée.",
        "decision" => "La décision est enregistrée. La personne reçoit un e-mail.",
        "raison-manquante" => {
            "Pour ne pas retenir une candidature, écrivez la raison : elle est envoyée à la personne. Rien n’a changé."
        }
        "decision-manquante" => "Choisissez une décision avant d’enregistrer. Rien n’a changé.",
        "decision-impossible" => {
            "Cette décision n’est plus possible : la candidature a changé entre-temps. Rien n’a changé."
        }
        "formation-terminee" => {
            "La formation est terminée pour cette personne : son certificat est prêt et sa fiche indique qu’elle est formée."
        }
        "formation-pas-finie" => {
            "La formation n’est pas finie : le certificat se délivre après la dernière demi-journée. Rien n’a changé."
        }
        "presences-trop-tot" => {
            "Cette demi-journée n’a pas commencé : les présences se notent le jour même ou après. Rien n’a changé."
        }
        "etape" => "L’étape est enregistrée.",
        "demande" => "La demande est enregistrée.",
        "demande-etudiee" => {
            "Vous étudiez cette demande : le demandeur en est prévenu par e-mail. Choisissez maintenant à qui la proposer, dans « Intervenants-pairs suggérés »."
        }
        "demande-annulee" => {
            "La demande est annulée : le demandeur et les intervenants-pairs sollicités en sont prévenus par e-mail."
        }
        "demande-close" => "La demande est close. Merci pour le suivi !",
        "demande-modifiee" => "La demande est modifiée. Le changement est gardé dans l’historique.",
        "programmee" => {
            "L’intervention est programmée : l’intervenant-pair et le demandeur reçoivent une invitation d’agenda par e-mail."
        }
        "realisee" => {
            "C’est noté : l’intervention a eu lieu. L’intervenant-pair et le demandeur reçoivent une demande d’avis."
        }
        "avis" => "Merci pour votre avis !",
        "paiement" => "Le paiement est enregistré.",
        "referent" => "Le référent est nommé. Il reçoit un e-mail avec la liste de préparation.",
        "message-demande" => "Le message est envoyé.",
        "organisation-rattachee" => {
            "La personne est rattachée à l’organisation : ses membres voient maintenant ses demandes."
        }
        "question" => "Votre question est envoyée à la coordination. Elle vous répond par e-mail.",
        "question-vide" => "Écrivez votre question avant d’appuyer sur le bouton.",
        "preparation" => "Merci ! La préparation est enregistrée.",
        "frais" => "Vos frais sont enregistrés.",
        "frais-incomplet" => {
            "Vos frais ne sont pas enregistrés : écrivez ce que c’est et le montant en euros (par exemple 12,50)."
        }
        "justificatif-trop-lourd" => {
            "Le justificatif est trop lourd : 5 Mo au plus. Vos frais ne sont pas enregistrés."
        }
        "justificatif-format" => {
            "Le justificatif doit être un PDF, une photo JPEG ou PNG. Vos frais ne sont pas enregistrés."
        }
        "amenagements" => "C’est enregistré. L’organisation le lit sur la fiche de mission.",
        "paiement-refuse" => {
            "C’est noté : vous ne recevrez pas d’argent pour cette intervention. Si vous changez d’avis, écrivez à la coordination."
        }
        "regle" => "La règle est enregistrée.",
        "cadre" => "Le cadre de l’intervention est enregistré.",
        "proposee" => "La demande est proposée : les intervenants-pairs reçoivent un e-mail.",
        "proposition-acceptee" => {
            "Merci ! Vous avez accepté. La coordination vous écrit pour la suite."
        }
        "proposition-refusee" => "C’est noté : vous avez dit non. Merci d’avoir répondu.",
        "trop-tard" => {
            "Cette proposition n’est plus ouverte : une autre personne a accepté, ou la date est passée."
        }
        "demande-envoyee" => {
            "Votre demande est envoyée à la coordination de votre territoire. Nous vous avons écrit un e-mail."
        }
        "note" => "La note est enregistrée.",
        _ => return notice_news(code),
    })
}

/// The messages of the news and the newsletter.
fn notice_news(code: &str) -> Option<&'static str> {
    Some(match code {
        "actualite" => "L’actualité est enregistrée.",
        "actualite-supprimee" => "L’actualité est supprimée.",
        "lettre" => "C’est enregistré : vous recevrez la lettre d’information chaque mois.",
        "lettre-arretee" => "C’est fait : vous ne recevrez plus la lettre d’information.",
        "lettre-envoyee" => {
            "La lettre part : la plateforme l’envoie à chaque personne abonnée, par lots, dans les minutes qui viennent."
        }
        "lettre-deja-envoyee" => "Cette lettre est déjà envoyée. Rien n’a changé.",
        "relu" => "C’est fait : le texte porte la mention « Relu par des personnes concernées ».",
        "relecture-sans-texte" => {
            "Ce texte n’a pas encore de version facile à lire : écrivez-la avant de demander une relecture."
        }
        "relecture-pas-finie" => {
            "Pas encore : il faut qu’au moins un relecteur ait fini de relire le texte."
        }
        "relecture-finie" => {
            "Merci ! Vos réponses sont envoyées à la personne qui a écrit le texte."
        }
        _ => return None,
    })
}

/// Room for a file form's other fields and its multipart framing.
const UPLOAD_MARGIN: usize = 64 * 1024;

/// The body limit of a route whose form sends a file of at most `max_file`
/// bytes (the size its page promises).
pub fn upload_limit(max_file: usize) -> usize {
    max_file + UPLOAD_MARGIN
}

/// Percent-encodes a value for a query string.
pub fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Only same-site paths are followed after sign-in (no open redirect): a
/// path that starts with one `/` followed by anything but `/` or `\`, with
/// no control character, neither as typed nor once percent-decoded (`%09`,
/// `%0d%0a`). Anything else goes to `/espace`.
pub fn safe_next(next: &str) -> String {
    let decoded = percent_decode(next);
    let same_site = |path: &str| {
        path.strip_prefix('/')
            .is_some_and(|rest| !rest.starts_with(['/', '\\']))
            && !path.chars().any(char::is_control)
    };
    if same_site(next) && same_site(&decoded) {
        let mut out = String::with_capacity(next.len());
        for c in next.chars() {
            if c.is_ascii_graphic() {
                out.push(c);
            } else {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
        out
    } else {
        "/espace".to_owned()
    }
}

/// `%XX` sequences decoded (others kept as they are), for checking only.
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_same_site_only() {
        assert_eq!(safe_next("/admin/comptes"), "/admin/comptes");
        assert_eq!(safe_next("//evil.example"), "/espace");
        assert_eq!(safe_next("https://evil.example"), "/espace");
        assert_eq!(safe_next("/\\evil.example"), "/espace");
        assert_eq!(safe_next(""), "/espace");
        assert_eq!(safe_next("/"), "/");
        assert_eq!(safe_next("/annuaire?q=a%20b"), "/annuaire?q=a%20b");
        assert_eq!(
            safe_next("/annuaire?q=santé mentale"),
            "/annuaire?q=sant%C3%A9%20mentale"
        );
        for bad in [
            "/\t/evil.example",
            "/%09/evil.example",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "/espace%0d%0aSet-Cookie:x=1",
            "/espace\r\nSet-Cookie:x=1",
            "javascript:alert(1)",
            "evil.example",
        ] {
            assert_eq!(safe_next(bad), "/espace", "{bad:?}");
        }
    }

    #[test]
    fn url_encoding() {
        assert_eq!(url_encode("/admin?x=1&y"), "/admin%3Fx%3D1%26y");
        assert_eq!(url_encode("é"), "%C3%A9");
    }

    #[test]
    fn errors_keep_order_and_lookup() {
        let mut e = Errors::default();
        e.add("email", "a");
        e.check::<()>("name", Err(Invalid::new("b")));
        assert_eq!(e.len(), 2);
        assert_eq!(e.get("name"), "b");
        assert_eq!(e.get("other"), "");
        assert_eq!(e.items()[0].field, "email");
    }
}

/// The image formats accepted (profile photos, news images), recognised
/// by their first bytes (what the browser says the file is cannot be
/// trusted): the extension to store them under.
pub fn image_extension(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Some("png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else if bytes.len() > 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

/// Reads a multipart form: its text fields, and the bytes of its file
/// field `file_field` (empty when no file was chosen). A body too large to
/// read adds `too_big` under `file_field`.
pub async fn read_multipart(
    mut multipart: axum::extract::Multipart,
    file_field: &str,
    too_big: &str,
    errors: &mut Errors,
) -> (Pairs, Vec<u8>) {
    let mut form = Pairs::default();
    let mut file = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_owned();
                match field.bytes().await {
                    Ok(bytes) if name == file_field => file = bytes.to_vec(),
                    Ok(bytes) => form
                        .0
                        .push((name, String::from_utf8_lossy(&bytes).into_owned())),
                    Err(_) => {
                        errors.add(file_field, too_big);
                        break;
                    }
                }
            }
            Ok(None) => break,
            Err(_) => {
                errors.add(file_field, too_big);
                break;
            }
        }
    }
    (form, file)
}

/// The media type of an image stored with this extension.
pub fn image_type(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        _ => "image/jpeg",
    }
}

/// A submitted form as a list of pairs, for forms with repeated fields
/// (checkbox groups), which plain structs cannot hold.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}
