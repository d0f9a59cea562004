//! The page context every handler starts from: who is signed in (and what
//! the rules let them do), the CSRF token for forms, the display settings,
//! and the [`Layout`] the base template needs.

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use epop_domain::Principal;
use epop_store::accounts::{self, Account};
use epop_store::sessions;

use crate::security::{CsrfToken, SESSION_COOKIE, client_ip, hash_token, read_cookie};
use crate::{AppError, AppState};

pub const DISPLAY_COOKIE: &str = "epop_affichage";

/// The signed-in person.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub account: Account,
    pub principal: Principal,
}

/// Display settings chosen on `/parametres-affichage`, kept in a cookie.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Display {
    pub size: String,
    pub contrast: String,
    pub spacing: String,
    pub font: String,
    /// `facile`: easy-read words (FALC) on every page.
    pub easy: String,
}

impl Display {
    /// Keeps only known values (anything else means the default).
    pub fn new(size: &str, contrast: &str, spacing: &str, font: &str, easy: &str) -> Self {
        let pick = |v: &str, allowed: &[&str]| {
            if allowed.contains(&v) {
                v.to_owned()
            } else {
                String::new()
            }
        };
        Display {
            size: pick(size, &["grand", "tres-grand"]),
            contrast: pick(contrast, &["renforce"]),
            spacing: pick(spacing, &["large"]),
            font: pick(font, &["lisible"]),
            easy: pick(easy, &["facile"]),
        }
    }

    /// Cookie format: `grand.renforce.large.lisible.facile` (empty parts =
    /// default; a cookie from before the fifth part reads as not easy).
    pub fn parse(cookie: &str) -> Self {
        let mut parts = cookie.split('.');
        let mut next = || parts.next().unwrap_or("");
        let (a, b, c, d, e) = (next(), next(), next(), next(), next());
        Display::new(a, b, c, d, e)
    }

    pub fn to_cookie(&self) -> String {
        format!(
            "{}.{}.{}.{}.{}",
            self.size, self.contrast, self.spacing, self.font, self.easy
        )
    }

    /// The classes on `<html>` the stylesheet reacts to.
    pub fn html_class(&self) -> String {
        let mut classes = Vec::new();
        if !self.size.is_empty() {
            classes.push(format!("taille-{}", self.size));
        }
        if !self.contrast.is_empty() {
            classes.push(format!("contraste-{}", self.contrast));
        }
        if !self.spacing.is_empty() {
            classes.push(format!("espacement-{}", self.spacing));
        }
        if !self.font.is_empty() {
            classes.push(format!("police-{}", self.font));
        }
        classes.join(" ")
    }
}

/// The request as handlers see it.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub user: Option<CurrentUser>,
    pub csrf: String,
    pub display: Display,
    /// Easy-read words (FALC): the display setting, or `?version=facile`
    /// on this one page. Links do not carry `?version=facile` on: whoever
    /// wants easy words on every page chooses it once in the display
    /// settings (a cookie), so URLs stay the same for everyone.
    pub easy: bool,
    pub path: String,
    pub query: String,
    /// The client's address (see [`client_ip`]): rate limits, audit lines.
    pub ip: Option<String>,
    /// The hash of the session id, if signed in (to end the session).
    pub session_hash: Option<String>,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .map(|u| u.0.clone())
            .unwrap_or_else(|| parts.uri.clone());
        let peer = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        let ip = client_ip(&state.config, &parts.headers, peer).map(|ip| ip.to_string());
        let display = read_cookie(&state.config, &parts.headers, DISPLAY_COOKIE)
            .map(|c| Display::parse(&c))
            .unwrap_or_default();
        let mut user = None;
        let mut session_hash = None;
        if let Some(sid) = read_cookie(&state.config, &parts.headers, SESSION_COOKIE) {
            let hash = hash_token(&sid);
            let mut conn = state.db.conn().await?;
            if let Some(id) = sessions::account_of(&mut conn, &hash).await?
                && let Some(account) = accounts::by_id(&mut conn, id).await?
            {
                let principal = accounts::principal(&mut conn, id).await?;
                user = Some(CurrentUser { account, principal });
                session_hash = Some(hash);
            }
        }
        let query = uri.query().unwrap_or_default().to_owned();
        let easy =
            display.easy == "facile" || query_value(&query, "version").as_deref() == Some("facile");
        Ok(Ctx {
            user,
            csrf,
            display,
            easy,
            path: uri.path().to_owned(),
            query,
            ip,
            session_hash,
        })
    }
}

/// A link of the main navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

impl NavItem {
    /// A menu link, with its easy-read words when `easy`.
    fn new(easy: bool, href: &'static str, label: &'static str, label_easy: &'static str) -> Self {
        NavItem {
            href,
            label: if easy { label_easy } else { label },
            current: false,
        }
    }
}

/// A value of a query string.
fn query_value(query: &str, name: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The user as the header shows them.
#[derive(Debug, Clone)]
pub struct NavUser {
    pub display_name: String,
}

/// What `base.html` needs.
#[derive(Debug, Clone)]
pub struct Layout {
    pub title: String,
    pub has_errors: bool,
    pub html_class: String,
    pub csrf: String,
    pub user: Option<NavUser>,
    pub nav: Vec<NavItem>,
    pub notices: Vec<&'static str>,
    /// Easy-read words (FALC): the one flag templates test.
    pub easy: bool,
}

impl Ctx {
    /// The signed-in person, or a redirect to the sign-in page.
    pub fn user(&self) -> Result<&CurrentUser, AppError> {
        self.user.as_ref().ok_or_else(|| AppError::SignInRequired {
            back_to: if self.query.is_empty() {
                self.path.clone()
            } else {
                format!("{}?{}", self.path, self.query)
            },
        })
    }

    /// The signed-in person if the rule allows them; 403 otherwise.
    pub fn require(&self, rule: impl Fn(&Principal) -> bool) -> Result<&CurrentUser, AppError> {
        let user = self.user()?;
        if rule(&user.principal) {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// What an edit form or route changes: this person must pass `rule`
    /// (403), the item must exist (`found`, « not found ») and be theirs to
    /// change (`allowed`, 403). One rule for every feature's edit routes.
    pub async fn editable<T>(
        &self,
        rule: impl Fn(&Principal) -> bool,
        found: impl AsyncFnOnce() -> Result<Option<T>, AppError>,
        allowed: impl AsyncFnOnce(&Principal, &T) -> Result<bool, AppError>,
    ) -> Result<(&CurrentUser, T), AppError> {
        let user = self.require(rule)?;
        let item = found().await?.ok_or(AppError::NotFound)?;
        if allowed(&user.principal, &item).await? {
            Ok((user, item))
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn query_param(&self, name: &str) -> Option<String> {
        query_value(&self.query, name)
    }

    /// `ordinary` words, or `easy` ones when easy-read is on (titles).
    pub fn words<'a>(&self, ordinary: &'a str, easy: &'a str) -> &'a str {
        if self.easy { easy } else { ordinary }
    }

    pub fn layout(&self, title: impl Into<String>) -> Layout {
        self.layout_with_errors(title, false)
    }

    pub fn layout_with_errors(&self, title: impl Into<String>, has_errors: bool) -> Layout {
        let p = self.user.as_ref().map(|u| &u.principal);
        let e = self.easy;
        let mut nav = vec![
            NavItem::new(e, "/", "Accueil", "Accueil"),
            NavItem::new(e, "/annuaire", "Annuaire", "Chercher une personne"),
            NavItem::new(e, "/evenements", "Événements", "Les rencontres"),
            NavItem::new(e, "/formations", "Formations", "Apprendre"),
            NavItem::new(e, "/territoires", "Territoires", "Près de chez moi"),
            NavItem::new(
                e,
                "/demander-une-intervention",
                "Demander une intervention",
                "Demander quelqu’un pour intervenir",
            ),
        ];
        if p.is_some() {
            nav.push(NavItem::new(
                e,
                "/espace",
                "Mon espace",
                "Ma page personnelle",
            ));
        }
        if p.is_some_and(|p| p.may_administer()) {
            nav.push(NavItem::new(
                e,
                "/admin",
                "Administration",
                "Administration",
            ));
        }
        nav.push(NavItem::new(
            e,
            "/parametres-affichage",
            "Affichage",
            "Changer l’affichage",
        ));
        let current = nav
            .iter()
            .enumerate()
            .filter(|(_, i)| {
                i.href == self.path || (i.href != "/" && self.path.starts_with(i.href))
            })
            .map(|(n, _)| n)
            .next_back();
        if let Some(n) = current {
            nav[n].current = true;
        }
        let notices = self
            .query_param("message")
            .and_then(|m| crate::forms::notice(&m))
            .into_iter()
            .collect();
        Layout {
            title: title.into(),
            has_errors,
            html_class: self.display.html_class(),
            csrf: self.csrf.clone(),
            user: self.user.as_ref().map(|u| NavUser {
                display_name: u.account.display_name.clone(),
            }),
            nav,
            notices,
            easy: self.easy,
        }
    }

    /// An audit event attributed to this request.
    pub fn audit<'a>(
        &self,
        action: &'a str,
        subject: Option<String>,
        detail: String,
    ) -> epop_store::audit::Event<'a> {
        epop_store::audit::Event {
            actor_id: self.user.as_ref().map(|u| u.account.id),
            action,
            subject,
            detail,
            ip: self.ip.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_cookie_round_trip_and_unknown_values_ignored() {
        let d = Display::new("grand", "renforce", "large", "lisible", "facile");
        assert_eq!(Display::parse(&d.to_cookie()), d);
        assert_eq!(
            d.html_class(),
            "taille-grand contraste-renforce espacement-large police-lisible"
        );
        let weird = Display::parse("huge.\"><script>.x");
        assert_eq!(weird, Display::default());
        assert_eq!(weird.html_class(), "");
    }
}
