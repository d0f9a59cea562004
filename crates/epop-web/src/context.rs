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
}

impl Display {
    /// Keeps only known values (anything else means the default).
    pub fn new(size: &str, contrast: &str, spacing: &str, font: &str) -> Self {
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
        }
    }

    /// Cookie format: `grand.renforce.large.lisible` (empty parts = default).
    pub fn parse(cookie: &str) -> Self {
        let mut parts = cookie.split('.');
        let mut next = || parts.next().unwrap_or("");
        let (a, b, c, d) = (next(), next(), next(), next());
        Display::new(a, b, c, d)
    }

    pub fn to_cookie(&self) -> String {
        format!(
            "{}.{}.{}.{}",
            self.size, self.contrast, self.spacing, self.font
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
        Ok(Ctx {
            user,
            csrf,
            display,
            path: uri.path().to_owned(),
            query: uri.query().unwrap_or_default().to_owned(),
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

    pub fn query_param(&self, name: &str) -> Option<String> {
        serde_urlencoded::from_str::<Vec<(String, String)>>(&self.query)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    pub fn layout(&self, title: impl Into<String>) -> Layout {
        self.layout_with_errors(title, false)
    }

    pub fn layout_with_errors(&self, title: impl Into<String>, has_errors: bool) -> Layout {
        let p = self.user.as_ref().map(|u| &u.principal);
        let mut nav = vec![
            NavItem {
                href: "/",
                label: "Accueil",
                current: false,
            },
            NavItem {
                href: "/annuaire",
                label: "Annuaire",
                current: false,
            },
            NavItem {
                href: "/evenements",
                label: "Événements",
                current: false,
            },
            NavItem {
                href: "/formations",
                label: "Formations",
                current: false,
            },
            NavItem {
                href: "/demander-une-intervention",
                label: "Demander une intervention",
                current: false,
            },
        ];
        if p.is_some() {
            nav.push(NavItem {
                href: "/espace",
                label: "Mon espace",
                current: false,
            });
        }
        if p.is_some_and(|p| p.may_administer()) {
            nav.push(NavItem {
                href: "/admin",
                label: "Administration",
                current: false,
            });
        }
        nav.push(NavItem {
            href: "/parametres-affichage",
            label: "Affichage",
            current: false,
        });
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
        let d = Display::new("grand", "renforce", "large", "lisible");
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
