//! Sending one e-mail: through SMTP (lettre, rustls) when `EPOP_SMTP_URL` is
//! set, otherwise as an `.eml` file that any mail program opens. A message is
//! one `text/plain` part; one with an attachment (an event's `.ics`) is
//! `multipart/mixed`: the text first, then the file, in base64 so that its
//! bytes (CRLF line ends, folded lines) arrive unchanged. A message written
//! to the coordination by a visitor carries their address as `Reply-To`,
//! in both (the `.eml` file is the same message). A newsletter message
//! carries `List-Unsubscribe` (its https link, and a `mailto:` to the
//! sender's address) and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
//! (RFC 8058: the mail program unsubscribes with one POST).

use std::path::PathBuf;

use epop_store::outbox::Pending;
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Body, Mailbox, Message, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl Mailer {
    pub fn new(from: &str, smtp_url: Option<&str>, outbox_dir: PathBuf) -> Result<Mailer, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("EPOP_MAIL_FROM invalide : {e}"))?;
        let transport = match smtp_url.filter(|u| !u.is_empty()) {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("EPOP_SMTP_URL invalide : {e}"))?
                    .build(),
            ),
            None => Transport::Files(outbox_dir),
        };
        Ok(Mailer { from, transport })
    }

    /// Where `.eml` files go, when there is no SMTP server.
    pub fn folder(&self) -> Option<&PathBuf> {
        match &self.transport {
            Transport::Files(dir) => Some(dir),
            Transport::Smtp(_) => None,
        }
    }

    fn build(&self, p: &Pending) -> Result<Message, String> {
        let to: Mailbox = p
            .message
            .recipient
            .parse()
            .map_err(|e| format!("destinataire invalide : {e}"))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(p.message.subject.clone())
            .message_id(Some(format!("<{}>", p.message_id)));
        if let Some(reply_to) = &p.reply_to {
            let reply_to: Mailbox = reply_to
                .parse()
                .map_err(|e| format!("adresse de réponse invalide : {e}"))?;
            builder = builder.reply_to(reply_to);
        }
        if let Some(url) = &p.list_unsubscribe {
            // Our own address with a token: printable ASCII, no space, so
            // that nothing can be slipped into the headers.
            if !url.starts_with("http") || !url.bytes().all(|b| b.is_ascii_graphic()) {
                return Err("adresse de désabonnement invalide".to_owned());
            }
            let mailto = format!("mailto:{}?subject=unsubscribe", self.from.email);
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>, <{mailto}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        let text = p.message.body_text.clone();
        match &p.message.attachment {
            None => builder.header(ContentType::TEXT_PLAIN).body(text),
            Some(a) => builder.multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(text))
                    .singlepart(attachment(a)?),
            ),
        }
        .map_err(|e| format!("message invalide : {e}"))
    }

    /// Sends one message; the error is kept in the outbox for the admin.
    pub async fn send(&self, p: &Pending) -> Result<(), String> {
        let message = self.build(p)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| e.to_string())?;
                write_new(dir, p.id, &message.formatted()).await
            }
        }
    }
}

/// The attached file as a MIME part, with its name and its type.
/// Writes an `.eml` file named by the message's id, never over another
/// one: an id can come back once the rows above it are erased (SQLite reuses
/// the highest free row id), then the file is `000005-2.eml`, and so on.
async fn write_new(dir: &std::path::Path, id: i64, bytes: &[u8]) -> Result<(), String> {
    use tokio::io::AsyncWriteExt;
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{id:06}.eml")
        } else {
            format!("{id:06}-{n}.eml")
        };
        match tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dir.join(name))
            .await
        {
            Ok(mut file) => {
                file.write_all(bytes).await.map_err(|e| e.to_string())?;
                return file.flush().await.map_err(|e| e.to_string());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e.to_string()),
        }
    }
    Err(format!("no free file name for message {id}"))
}

fn attachment(a: &epop_store::outbox::Attachment) -> Result<SinglePart, String> {
    let content_type = ContentType::parse(&a.content_type)
        .map_err(|e| format!("type de pièce jointe invalide ({}) : {e}", a.content_type))?;
    let body = Body::new_with_encoding(a.body.clone(), ContentTransferEncoding::Base64)
        .map_err(|_| "pièce jointe impossible à encoder".to_owned())?;
    Ok(Attachment::new(a.filename.clone()).body(body, content_type))
}
