//! E-mails about introductions, in the recipient's language: sent over SMTP when `mail.smtp_url` is set,
//! otherwise written as `.eml` files under `<data.dir>/mail` (what the demo and the tests read).
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::Value;

use crate::config::Settings;
use crate::domain::introduction::Event;
use crate::domain::taxonomy::Lang;

pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl Mailer {
    pub fn new(settings: &Settings) -> anyhow::Result<(Mailer, Mailbox)> {
        let from: Mailbox = settings.mail.from.parse()?;
        let mailer = if settings.mail.smtp_url.is_empty() {
            let dir = settings.data.dir.join("mail");
            std::fs::create_dir_all(&dir)?;
            Mailer::Files(AsyncFileTransport::new(dir))
        } else {
            Mailer::Smtp(AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.mail.smtp_url)?.build())
        };
        Ok((mailer, from))
    }

    pub async fn send(&self, message: Message) -> Result<(), String> {
        match self {
            Mailer::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Mailer::Files(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}

/// The facts an e-mail tells, already resolved to names.
pub struct Letter<'a> {
    pub event: Event,
    pub lang: Lang,
    pub recipient_name: &'a str,
    pub from_name: &'a str,
    pub to_name: &'a str,
    pub call_name: Option<&'a str>,
    pub data: &'a Value,
}

/// Subject and plain-text body. Contacts are written only in the `connected` e-mail (the data carries them only
/// once both sides accepted); a decline's free text never (the data never carries it).
pub fn compose(letter: &Letter<'_>) -> (String, String) {
    let fr = letter.lang == Lang::Fr;
    let pair = format!("{} — {}", letter.from_name, letter.to_name);
    let subject = match (letter.event, fr) {
        (Event::Proposed, true) => format!("Mise en relation proposée : {pair}"),
        (Event::Proposed, false) => format!("Introduction proposed: {pair}"),
        (Event::Accepted, true) => format!("Mise en relation acceptée par une partie : {pair}"),
        (Event::Accepted, false) => format!("Introduction accepted by one side: {pair}"),
        (Event::Connected, true) => format!("Vous êtes en relation : {pair}"),
        (Event::Connected, false) => format!("You are connected: {pair}"),
        (Event::Declined, true) => format!("Mise en relation déclinée : {pair}"),
        (Event::Declined, false) => format!("Introduction declined: {pair}"),
        (Event::Withdrawn, true) => format!("Mise en relation retirée : {pair}"),
        (Event::Withdrawn, false) => format!("Introduction withdrawn: {pair}"),
        (Event::Reminder, true) => format!("Rappel : une mise en relation attend votre réponse ({pair})"),
        (Event::Reminder, false) => format!("Reminder: an introduction awaits your answer ({pair})"),
        (Event::Expired, true) => format!("Mise en relation expirée : {pair}"),
        (Event::Expired, false) => format!("Introduction expired: {pair}"),
    };
    let mut body = if fr {
        format!("Bonjour {},\n\n", letter.recipient_name)
    } else {
        format!("Hello {},\n\n", letter.recipient_name)
    };
    let call = letter.call_name.map(|c| if fr { format!(" (appel : {c})") } else { format!(" (call: {c})") });
    let call = call.unwrap_or_default();
    body.push_str(&match (letter.event, fr) {
        (Event::Proposed, true) => format!("Une mise en relation entre {pair}{call} est proposée. Répondez dans Tandem : chaque partie doit accepter avant que les coordonnées soient partagées.\n"),
        (Event::Proposed, false) => format!("An introduction between {pair}{call} has been proposed. Answer in Tandem: both sides must accept before contact details are shared.\n"),
        (Event::Accepted, true) => format!("Une partie a accepté la mise en relation {pair}{call}. Les coordonnées seront partagées quand l'autre partie aura accepté.\n"),
        (Event::Accepted, false) => format!("One side accepted the introduction {pair}{call}. Contact details are shared once the other side accepts.\n"),
        (Event::Connected, true) => format!("Les deux parties ont accepté la mise en relation {pair}{call}. Voici les contacts :\n"),
        (Event::Connected, false) => format!("Both sides accepted the introduction {pair}{call}. Here are the contacts:\n"),
        (Event::Declined, true) => format!("La mise en relation {pair}{call} a été déclinée (motif : {}).\n", reason(letter.data, true)),
        (Event::Declined, false) => format!("The introduction {pair}{call} was declined (reason: {}).\n", reason(letter.data, false)),
        (Event::Withdrawn, true) => format!("La mise en relation {pair}{call} a été retirée par qui l'avait proposée.\n"),
        (Event::Withdrawn, false) => format!("The introduction {pair}{call} was withdrawn by its proposer.\n"),
        (Event::Reminder, true) => format!("La mise en relation {pair}{call} attend toujours votre réponse ; sans réponse, elle expirera le {}.\n", expires(letter.data)),
        (Event::Reminder, false) => format!("The introduction {pair}{call} still awaits your answer; without one it expires on {}.\n", expires(letter.data)),
        (Event::Expired, true) => format!("La mise en relation {pair}{call} a expiré sans réponse des deux parties.\n"),
        (Event::Expired, false) => format!("The introduction {pair}{call} expired before both sides answered.\n"),
    });
    if letter.event == Event::Connected
        && let Some(contacts) = letter.data.get("contacts").and_then(Value::as_object)
    {
        for contact in contacts.values() {
            let field = |k: &str| contact.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
            body.push_str(&format!("- {} <{}> {}\n", field("name"), field("email"), field("phone")));
        }
    }
    body.push_str("\n— Tandem\n");
    (subject, body)
}

fn reason(data: &Value, fr: bool) -> String {
    let code = data.get("decline_reason").and_then(Value::as_str).unwrap_or("other");
    match (code, fr) {
        ("not_relevant", true) => "pas pertinent",
        ("not_relevant", false) => "not relevant",
        ("no_capacity", true) => "pas de capacité",
        ("no_capacity", false) => "no capacity",
        ("already_partnered", true) => "déjà un partenaire",
        ("already_partnered", false) => "already partnered",
        (_, true) => "autre",
        (_, false) => "other",
    }
    .to_owned()
}

fn expires(data: &Value) -> String {
    data.get("expires_at").and_then(Value::as_str).unwrap_or("?").to_owned()
}

/// The message; its text travels as 8-bit UTF-8 (readable as it is in the .eml files) when its lines allow.
pub fn message(from: &Mailbox, to: Mailbox, subject: String, body: String) -> Result<Message, String> {
    let body =
        Body::new_with_encoding(body.clone(), ContentTransferEncoding::EightBit).unwrap_or_else(|_| Body::new(body));
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| e.to_string())
}
