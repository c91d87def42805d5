//! The Easy Read checker for the people who write a report's Easy Read version: a text checked
//! against the rules (`assure_domain::reports::easy_read`) with the word lists shipped in
//! `config/easy_read/`. It reads no records; it is for those who read the partnership's reports.

use std::sync::OnceLock;

use assure_domain::reports::easy_read::{CheckInput, Checked, WordLists, check};
use assure_domain::{Action, PartnershipId};

use crate::{Core, CoreResult, Ctx};

const WORDS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/easy_read/words.txt"));
const VERBS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/easy_read/verbs.txt"));

/// The shipped word lists, read once.
pub fn word_lists() -> &'static WordLists {
    static LISTS: OnceLock<WordLists> = OnceLock::new();
    LISTS.get_or_init(|| WordLists::parse(WORDS, VERBS))
}

impl Core {
    /// Whether the actor may use the checker: those who read the partnership's reports.
    pub fn may_check_easy_read(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<()> {
        ctx.authorize(Action::View, &super::of(p))
    }

    /// Checks a text against the Easy Read rules, off the async runtime.
    pub async fn check_easy_read(&self, ctx: &Ctx, p: PartnershipId, input: &CheckInput) -> CoreResult<Checked> {
        self.may_check_easy_read(ctx, p)?;
        let (text, glossary) = input.validate()?;
        self.rendering.run(move || check(&text, &glossary, word_lists())).await
    }
}
