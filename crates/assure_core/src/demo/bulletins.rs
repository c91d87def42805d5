//! The demo's bulletins: Southend's first, published (the 7-minute briefing of Safeguarding Adult
//! Review A that seed 003 speaks of, the feedback section added to the website, the lunch and
//! learn, and Working Together 2023), its second still a draft, and three fictional subscribers
//! who confirmed their addresses (example.org). None is sent: the demo has no e-mail server.

use assure_domain::PartnershipId;
use assure_domain::bulletins::{BulletinInput, ItemInput};

use crate::{CoreResult, Ctx};

fn item(kind: &str, title: &str, body: &str, link: &str) -> ItemInput {
    ItemInput { kind: kind.into(), title: title.into(), body: body.into(), link: link.into() }
}

impl crate::Core {
    pub(super) async fn load_demo_bulletins(&self, ctx: &Ctx, southend: PartnershipId) -> CoreResult<()> {
        let first = self
            .create_bulletin_with_items(
                ctx,
                southend,
                &BulletinInput {
                    title: "Learning from Safeguarding Adult Review A".into(),
                    introduction: "Welcome to the partnership's bulletin for everyone who works with children, \
                                   families and adults at risk in Southend. This issue brings the learning from \
                                   Safeguarding Adult Review A, a new way to tell us what you think, and training \
                                   coming up."
                        .into(),
                },
                &[
                    item(
                        "briefing",
                        "Safeguarding Adult Review A: the 7-minute briefing",
                        "The review looked at how agencies worked together to support an adult who was \
                         self-neglecting.\n\nThe learning: ask about the person's own wishes and record them; \
                         when someone declines help, consider their capacity to make that decision and go back; \
                         share what you know with the other agencies involved.\n\nTake seven minutes in your next \
                         team meeting to talk through what this means for your practice.",
                        "",
                    ),
                    item(
                        "news",
                        "Tell us what you think",
                        "Practitioners and people who use services can now give us feedback through our website. \
                         Everything you tell us is read by the business unit and helps shape what the partnership \
                         does next.",
                        "/public/southend/feedback",
                    ),
                    item(
                        "training",
                        "Professional curiosity: lunch and learn",
                        "A one-hour session online for practitioners from every agency. Book a place through the \
                         partnership's training pages.",
                        "",
                    ),
                    item(
                        "link",
                        "Working Together to Safeguard Children 2023",
                        "The statutory guidance on multi-agency working.",
                        "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2",
                    ),
                ],
            )
            .await?;
        self.publish_bulletin(ctx, first).await?;
        self.create_bulletin_with_items(
            ctx,
            southend,
            &BulletinInput { title: "Spring bulletin".into(), introduction: String::new() },
            &[item(
                "news",
                "Our annual report",
                "The partnership's annual report for the year is being written: it will be published here.",
                "",
            )],
        )
        .await?;
        for email in ["dee.ford@example.org", "sam.lee@example.org", "ravi.shah@example.org"] {
            self.demo_subscriber(southend, email).await?;
        }
        Ok(())
    }
}
