//! « Partager »: what the public page of an event, a training session, a
//! programme or a territory offers to pass it on without JavaScript — its
//! address to copy, an e-mail ready to send, and a short text to paste in a
//! message, in ordinary and in easy-read French (the template is
//! `partials/share.html`).

use crate::forms::url_encode;

pub struct Share {
    /// What is shared, after « Partager » (e.g. « cet événement »).
    pub what: &'static str,
    pub url: String,
    /// A `mailto:` link: the title as subject, the text and the address as body.
    pub mail: String,
    pub text: String,
    pub text_easy: String,
    /// The printable A4 poster, for events.
    pub poster: Option<String>,
}

impl Share {
    /// `text` and `text_easy` end with the page's address, added here.
    pub fn new(
        base_url: &str,
        path: &str,
        what: &'static str,
        title: &str,
        text: &str,
        text_easy: &str,
    ) -> Share {
        let url = format!("{}{path}", base_url.trim_end_matches('/'));
        let text = format!("{text} {url}");
        let mail = format!(
            "mailto:?subject={}&body={}",
            url_encode(title),
            url_encode(&text)
        );
        Share {
            what,
            mail,
            text_easy: format!("{text_easy} {url}"),
            text,
            url,
            poster: None,
        }
    }

    pub fn with_poster(mut self, path: String) -> Share {
        self.poster = Some(path);
        self
    }
}
