//! Sending e-mail through SMTP, when the operator has configured a server.

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// An SMTP server and the address mail comes from.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

impl Mailer {
    /// `url`: `smtp://host:port` (plain, for a local relay), `smtp://host:port?tls=required`
    /// (STARTTLS) or `smtps://user:password@host:port` (TLS).
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("the SMTP URL is not valid: {e}"))?
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| format!("the sender address is not valid: {e}"))?;
        Ok(Mailer { transport, from })
    }

    /// The address mail comes from (an invitation's organiser).
    pub fn from_address(&self) -> String {
        self.from.email.to_string()
    }

    /// Sends a message with a calendar object (an invitation, a change or a cancellation) as
    /// Outlook and other clients expect it: the text, and the calendar as an alternative part of
    /// type `text/calendar` with its `method`, and again as an `invite.ics` attachment.
    pub async fn send_with_calendar(
        &self,
        to: &str,
        subject: &str,
        body: String,
        ics: String,
        method: &str,
    ) -> Result<(), String> {
        use lettre::message::header::ContentType;
        use lettre::message::{Attachment, MultiPart, SinglePart};
        let to = to.parse::<Mailbox>().map_err(|e| e.to_string())?;
        let calendar =
            ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}")).map_err(|e| e.to_string())?;
        let file = ContentType::parse("application/ics").map_err(|e| e.to_string())?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .multipart(
                MultiPart::mixed()
                    .multipart(
                        MultiPart::alternative()
                            .singlepart(SinglePart::plain(body))
                            .singlepart(SinglePart::builder().header(calendar).body(ics.clone())),
                    )
                    .singlepart(Attachment::new("invite.ics".into()).body(ics, file)),
            )
            .map_err(|e| e.to_string())?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }

    /// Sends a message with one file attached (a published report's PDF).
    pub async fn send_with_attachment(
        &self,
        to: &str,
        subject: &str,
        body: String,
        file_name: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<(), String> {
        use lettre::message::header::ContentType;
        use lettre::message::{Attachment, MultiPart, SinglePart};
        let to = to.parse::<Mailbox>().map_err(|e| e.to_string())?;
        let kind = ContentType::parse(content_type).map_err(|e| e.to_string())?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(body))
                    .singlepart(Attachment::new(file_name.to_owned()).body(bytes, kind)),
            )
            .map_err(|e| e.to_string())?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }

    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), String> {
        let to = to.parse::<Mailbox>().map_err(|e| e.to_string())?;
        let message =
            Message::builder().from(self.from.clone()).to(to).subject(subject).body(body).map_err(|e| e.to_string())?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }

    /// Sends one subscriber's copy of a mailing (a bulletin) with the headers mail clients use to
    /// offer unsubscribing: `List-Unsubscribe` with the subscriber's own link, and
    /// `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, which says a POST to that link
    /// unsubscribes without a further page (RFC 8058).
    pub async fn send_to_subscriber(
        &self,
        to: &str,
        subject: &str,
        body: String,
        unsubscribe_url: &str,
    ) -> Result<(), String> {
        use lettre::message::header::{HeaderName, HeaderValue};
        let to = to.parse::<Mailbox>().map_err(|e| e.to_string())?;
        let list_unsubscribe =
            HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{unsubscribe_url}>"));
        let one_click = HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".to_owned(),
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .raw_header(list_unsubscribe)
            .raw_header(one_click)
            .body(body)
            .map_err(|e| e.to_string())?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }
}
