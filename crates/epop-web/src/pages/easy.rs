//! The easy-read texts of the fixed pages (home, becoming a peer or a
//! référent, accessibility, personal data): the text the program ships
//! (`content/pages/<slug>.md`) until an admin writes another one
//! (`epop_store::page_texts`), written in a little Markdown — `##` a
//! heading, `-` or `1.` a list, `**…**` strong words, `[words](/address)`
//! a link, one sentence per line — and shown with the mark of its review.
//! What reviewers read and what a review marks is the text without its
//! Markdown ([`plain`]): changing where a link goes keeps the mark,
//! changing a word loses it.

use epop_domain::easy_review::Subject;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::review_mark::EasyText;
use crate::{AppError, AppState, Ctx};

/// A fixed page whose easy-read text can be written and reviewed.
#[derive(Debug)]
pub struct FixedPage {
    /// Its code in addresses (`/admin/pages/accueil`) and reviews.
    pub slug: &'static str,
    /// Its title, as lists name it.
    pub title: &'static str,
    /// Its address.
    pub address: &'static str,
    /// The text the program ships.
    pub shipped: &'static str,
}

/// Every fixed page with an easy-read text, in the order lists show them.
pub const PAGES: [FixedPage; 5] = [
    FixedPage {
        slug: "accueil",
        title: "Accueil",
        address: "/",
        shipped: include_str!("../../content/pages/accueil.md"),
    },
    FixedPage {
        slug: "devenir-intervenant-pair",
        title: "Devenir intervenant-pair",
        address: "/devenir-intervenant-pair",
        shipped: include_str!("../../content/pages/devenir-intervenant-pair.md"),
    },
    FixedPage {
        slug: "devenir-referent",
        title: "Devenir référent",
        address: "/devenir-referent",
        shipped: include_str!("../../content/pages/devenir-referent.md"),
    },
    FixedPage {
        slug: "accessibilite",
        title: "Déclaration d’accessibilité",
        address: "/accessibilite",
        shipped: include_str!("../../content/pages/accessibilite.md"),
    },
    FixedPage {
        slug: "donnees-personnelles",
        title: "Données personnelles",
        address: "/donnees-personnelles",
        shipped: include_str!("../../content/pages/donnees-personnelles.md"),
    },
];

/// The page of this code.
pub fn page(slug: &str) -> Option<&'static FixedPage> {
    PAGES.iter().find(|p| p.slug == slug)
}

/// A page's easy-read text as it is now: an admin's, with when it was
/// written, or the shipped one.
pub async fn current(
    conn: &mut epop_store::Conn,
    page: &FixedPage,
) -> epop_store::Result<(String, Option<i64>)> {
    Ok(match epop_store::page_texts::get(conn, page.slug).await? {
        Some((text, at)) => (text, Some(at)),
        None => (page.shipped.to_owned(), None),
    })
}

/// What a fixed page shows in easy-read: its text as HTML and, under it,
/// the mark of its review (or « à faire »), with the link to its reviews
/// for an admin.
pub struct EasyBlock {
    pub html: String,
    pub review: Option<String>,
    pub may_edit: bool,
    pub slug: &'static str,
}

/// The easy-read block of the page `slug` (one of [`PAGES`]) when
/// easy-read is asked, nothing otherwise.
pub async fn shown(
    state: &AppState,
    ctx: &Ctx,
    slug: &'static str,
) -> Result<Option<EasyBlock>, AppError> {
    if !ctx.easy {
        return Ok(None);
    }
    let page = page(slug).ok_or(AppError::NotFound)?;
    let mut conn = state.db.conn().await?;
    let (text, _) = current(&mut conn, page).await?;
    let review = crate::review_mark::footer(&mut conn, Subject::Page, slug, &plain(&text)).await?;
    Ok(Some(EasyBlock {
        html: to_html(&text),
        review: Some(review),
        may_edit: may_edit(ctx),
        slug,
    }))
}

/// Fixed pages are national: admins write their texts.
pub fn may_edit(ctx: &Ctx) -> bool {
    ctx.user.as_ref().is_some_and(|u| u.principal.is_admin())
}

/// A page's easy-read text, for its review, if this person may edit it.
pub(crate) async fn easy_text(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
) -> Result<EasyText, AppError> {
    let page = page(slug).ok_or(AppError::NotFound)?;
    ctx.require(epop_domain::Principal::is_admin)?;
    let mut conn = state.db.conn().await?;
    let (text, _) = current(&mut conn, page).await?;
    Ok(EasyText {
        title: page.title.to_owned(),
        text: plain(&text),
        page: format!("{}?version=facile", page.address),
        edit: format!("/admin/pages/{}", page.slug),
        department: None,
    })
}

/// Where a link may lead: a page of the site, a secure site, an e-mail
/// address. Anything else (`javascript:`…) is shown as plain words.
fn safe_link(to: &str) -> bool {
    (to.starts_with('/') && !to.starts_with("//"))
        || to.starts_with("https://")
        || to.starts_with("mailto:")
        || to.starts_with('#')
}

/// The text as HTML: headings from level 2 (the page has its own `h1`),
/// every line break kept (one sentence per line), HTML written in the text
/// shown as words, images and unsafe links as their words.
pub fn to_html(text: &str) -> String {
    let mut in_dropped_link = false;
    let events = Parser::new(text).filter_map(|event| match event {
        Event::Html(s) | Event::InlineHtml(s) => Some(Event::Text(s)),
        Event::SoftBreak => Some(Event::HardBreak),
        Event::Start(Tag::Heading { level, .. }) => Some(Event::Start(Tag::Heading {
            level: level.max(HeadingLevel::H2),
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        })),
        Event::End(TagEnd::Heading(level)) => {
            Some(Event::End(TagEnd::Heading(level.max(HeadingLevel::H2))))
        }
        Event::Start(Tag::Link { ref dest_url, .. }) if !safe_link(dest_url) => {
            in_dropped_link = true;
            None
        }
        Event::End(TagEnd::Link) if in_dropped_link => {
            in_dropped_link = false;
            None
        }
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        other => Some(other),
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// The text's words without its Markdown, a line for each heading, list
/// item and line: what reviewers read sentence by sentence.
pub fn plain(text: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(text) {
        match event {
            Event::Text(s) | Event::Code(s) | Event::Html(s) | Event::InlineHtml(s) => {
                out.push_str(&s);
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item)
                if !out.ends_with('\n') =>
            {
                out.push('\n');
            }
            _ => {}
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_safe_html_with_a_line_per_sentence() {
        let html = to_html(
            "# Titre\n\nUne phrase.\nUne autre [ici](/annuaire).\n\n- **Aider**\n- [piège](javascript:alert(1)) <script>x</script>\n\n![image](/x.png)",
        );
        assert!(html.contains("<h2>Titre</h2>"), "{html}");
        assert!(html.contains("Une phrase.<br />"), "{html}");
        assert!(html.contains(r#"<a href="/annuaire">ici</a>"#), "{html}");
        assert!(html.contains("<li><strong>Aider</strong></li>"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("piège"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn the_plain_text_has_the_words_a_line_each() {
        assert_eq!(
            plain("## Pour qui ?\n\nPour vous.\nEt [eux](/x).\n\n1. **Un**\n2. Deux"),
            "Pour qui ?\nPour vous.\nEt eux.\nUn\nDeux"
        );
    }

    #[test]
    fn every_shipped_text_passes_its_own_reading() {
        for p in &PAGES {
            let text = plain(p.shipped);
            assert!(text.lines().count() > 5, "{}", p.slug);
            assert!(!text.contains("**") && !text.contains("]("), "{}", p.slug);
            assert!(!to_html(p.shipped).contains("<h1"), "{}", p.slug);
        }
        assert!(page("accueil").is_some() && page("inconnue").is_none());
    }
}
