//! Partners' data returns: the business unit asks organisations for a period's return of a
//! template (the adults' figures, the LADO's, a contribution to the annual report, or one of the
//! partnership's own) by a date; each organisation's agency lead (or the business unit) answers
//! by the form, a spreadsheet or the API; answers are checked against the template (each field's
//! type, parts no larger than wholes, breakdowns adding up) and big changes flagged; late
//! returns are marked and reminded; the submitted figures feed the dashboards.

// The records these use-cases return, for the web edge and the CLI (which never name the store).
pub use assure_store::intelligence::returns::DataReturn;

use assure_domain::authz::ResourceKind as K;
use assure_domain::intelligence::period::Period;
use assure_domain::intelligence::returns::{self, ReturnStatus, Template};
use assure_domain::structure::Choice;
use assure_domain::{Action, DataReturnId, FieldErrors, OrganisationId, PartnershipId, Target, can};
use assure_store::audit_log;
use assure_store::intelligence::returns as st;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

pub mod figures;
pub mod templates;
pub mod workbook;

/// A return's figures as sent: by measure, with its flags and where they came from.
#[derive(Debug, Clone, Copy)]
pub struct ReturnInput<'a> {
    pub values: &'a [(String, String)],
    pub provisional: bool,
    pub footnote: &'a str,
    /// Submit, or keep as a draft.
    pub submit: bool,
    /// form, api, or the file's name.
    pub source: &'a str,
}

/// What the business unit asks for: a template, a period of its type, a due date, organisations.
#[derive(Debug, Clone, Copy)]
pub struct ReturnRequest<'a> {
    /// The template's code: its latest version is asked for.
    pub template: &'a str,
    pub period: &'a str,
    pub due_on: &'a str,
    pub organisation_ids: &'a [String],
}

/// A return as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ReturnView {
    pub r: DataReturn,
    /// What the return asks for.
    pub template: Template,
    pub values: Vec<(String, String)>,
    /// Past its due date and not yet submitted.
    pub late: bool,
    /// This actor answers for the organisation (its agency lead, or the business unit).
    pub can_answer: bool,
    /// This actor validates returns (the business unit).
    pub can_validate: bool,
}

fn answers_for(ctx: &Ctx, r: &DataReturn) -> bool {
    can(
        &ctx.actor,
        Action::Create,
        &Target::new(K::Indicator, r.partnership_id).organisation(Some(OrganisationId(r.organisation_id))),
    )
}

impl Core {
    fn late(&self, r: &DataReturn) -> bool {
        r.status.outstanding() && r.due_on < self.today()
    }

    /// Asks organisations for a period's return of a template by a date (the business unit).
    pub async fn request_returns(&self, ctx: &Ctx, p: PartnershipId, ask: &ReturnRequest<'_>) -> CoreResult<usize> {
        ctx.authorize(Action::Create, &Target::new(K::Indicator, p))?;
        let mut errors = FieldErrors::new();
        let askable = self.askable_return_templates(ctx, p).await?;
        let chosen = askable.into_iter().find(|t| t.code == ask.template.trim());
        let template = match &chosen {
            Some(t) => Some(templates::parse(&t.source).map_err(|e| {
                CoreError::Internal(format!("stored return template {} no longer parses: {e:?}", t.id.0))
            })?),
            None => {
                errors.add("template", "Choose what the return asks for from the list");
                None
            }
        };
        let period = template.as_ref().and_then(|t| {
            let read = t.period.read(ask.period);
            if read.is_none() {
                errors.add("period", format!("Enter the period as {}", t.period.example()));
            }
            read
        });
        let due = errors.check("due_on", assure_domain::validation::required_date("the due date", ask.due_on));
        let mut orgs = Vec::new();
        let mut conn = self.store.read().await?;
        for raw in ask.organisation_ids {
            match raw.trim().parse::<i64>() {
                Ok(id) => match assure_store::structure::organisation(&mut conn, OrganisationId(id)).await {
                    Ok(o) if o.partnership_id == p => orgs.push(id),
                    Ok(_) | Err(assure_store::StoreError::NotFound) => {
                        errors.add("organisation_ids", "Select the organisations from the list")
                    }
                    Err(e) => return Err(e.into()),
                },
                Err(_) => errors.add("organisation_ids", "Select the organisations from the list"),
            }
        }
        drop(conn);
        if orgs.is_empty() && errors.get("organisation_ids").is_none() {
            errors.add("organisation_ids", "Select at least one organisation to ask");
        }
        let (Some(period), Some(due), Some(t)) = (period, due, chosen) else { return Err(errors.into()) };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.store.write().await?;
        let mut added = 0;
        for o in &orgs {
            if st::insert_owed(&mut tx, p, *o, (&t.code, &t.version), &period, due).await? {
                added += 1;
            }
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "request",
                "data_return",
                None,
                Some(p),
                json!({"template": t.code, "version": t.version, "period": period, "due_on": due, "organisations": orgs}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(added)
    }

    /// The partnership's returns, latest period first, each with whether it is late.
    pub async fn data_returns(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<(DataReturn, bool)>> {
        ctx.authorize(Action::View, &Target::new(K::Indicator, p))?;
        let mut conn = self.store.read().await?;
        Ok(st::list(&mut conn, p)
            .await?
            .into_iter()
            .map(|r| {
                let late = self.late(&r);
                (r, late)
            })
            .collect())
    }

    /// The returns still to come whose figures feed the adults' dashboard (those of a template
    /// with a field standing for one of its measures).
    pub async fn adults_returns_owed(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<(DataReturn, bool)>> {
        let owed: Vec<(DataReturn, bool)> =
            self.data_returns(ctx, p).await?.into_iter().filter(|(r, _)| r.status.outstanding()).collect();
        // The templates whose fields stand for the dashboard's measures, read at once.
        let mut conn = self.store.read().await?;
        let feeding: std::collections::HashMap<(String, String), bool> = templates::templates_of(&mut conn, p)
            .await?
            .into_iter()
            .map(|(key, t)| (key, t.fields.iter().any(|f| f.measure.is_some())))
            .collect();
        drop(conn);
        Ok(owed
            .into_iter()
            .filter(|(r, _)| feeding.get(&(r.template_code.clone(), r.template_version.clone())) == Some(&true))
            .collect())
    }

    pub async fn data_return(&self, ctx: &Ctx, id: DataReturnId) -> CoreResult<ReturnView> {
        let id = id.0;
        let mut conn = self.store.read().await?;
        let r = st::get(&mut conn, id).await?;
        ctx.authorize(Action::View, &Target::new(K::Indicator, r.partnership_id))?;
        let values = st::values(&mut conn, id).await?;
        let template =
            templates::template_of(&mut conn, r.partnership_id, &r.template_code, &r.template_version).await?;
        drop(conn);
        Ok(ReturnView {
            template,
            late: self.late(&r),
            can_answer: answers_for(ctx, &r),
            can_validate: can(&ctx.actor, Action::Create, &Target::new(K::Indicator, r.partnership_id)),
            values,
            r,
        })
    }

    /// Saves a return's figures (as a draft, or submitted), all or none. Returns the warnings
    /// the figures raise (a big change since the last period), which do not stop it.
    pub async fn save_data_return(
        &self,
        ctx: &Ctx,
        id: DataReturnId,
        input: &ReturnInput<'_>,
    ) -> CoreResult<Vec<String>> {
        let id = id.0;
        let ReturnInput { values: raw, provisional, footnote, submit, source } = *input;
        let view = self.data_return(ctx, DataReturnId(id)).await?;
        if !view.can_answer {
            return Err(CoreError::Forbidden);
        }
        if view.r.status == ReturnStatus::Validated {
            return Err(CoreError::field(
                "status",
                "The return has been validated: ask the business unit to reopen it",
            ));
        }
        let footnote = footnote.trim();
        if footnote.chars().count() > 2000 {
            return Err(CoreError::field("footnote", "The footnote must be 2,000 characters or fewer"));
        }
        // The same organisation's previous return of the template, for the change check.
        let mut conn = self.store.read().await?;
        let earlier: Vec<DataReturn> = st::list(&mut conn, view.r.partnership_id)
            .await?
            .into_iter()
            .filter(|x| {
                x.organisation_id == view.r.organisation_id
                    && x.template_code == view.r.template_code
                    && x.period < view.r.period
                    && x.status != ReturnStatus::Owed
            })
            .collect();
        let previous = match earlier.first() {
            Some(x) => st::values(&mut conn, x.id.0).await?,
            None => Vec::new(),
        };
        // England's figures for the same financial year, for the check that a return is not
        // quoting England's figure as its own (where its fields are the dashboard's figures).
        let year = Period::parse_financial(&view.r.period)
            .and_then(|p| p.financial_year())
            .filter(|_| view.template.fields.iter().any(|f| f.measure.is_some()));
        let england = match &year {
            Some(y) => self.england_adults(&mut conn, view.r.partnership_id, &y.key()).await?,
            None => Vec::new(),
        };
        drop(conn);
        let mut checked = returns::check_return(&view.template, raw, submit, &previous)?;
        if let Some(y) = &year {
            let figures = returns::dashboard_figures(&view.template, &checked.values);
            checked.warnings.extend(returns::england_echoes(&figures, &england, &y.label()));
        }
        let status = if submit { ReturnStatus::Submitted } else { ReturnStatus::Draft };
        let mut tx = self.store.write().await?;
        st::save(
            &mut tx,
            id,
            &st::Save {
                values: &checked.values,
                status,
                provisional,
                footnote: (!footnote.is_empty()).then_some(footnote),
                source,
                by_label: &ctx.name,
            },
        )
        .await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                if submit { "submit" } else { "answer" },
                "data_return",
                Some(id.to_string()),
                Some(view.r.partnership_id),
                json!({"template": view.r.template_code, "period": view.r.period, "source": source, "provisional": provisional, "warnings": checked.warnings}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(checked.warnings)
    }

    /// May the actor upload figures to this return? Asked before the file is read.
    pub async fn permit_data_return_upload(&self, ctx: &Ctx, id: DataReturnId) -> CoreResult<crate::UploadPermit> {
        let id = id.0;
        if self.data_return(ctx, DataReturnId(id)).await?.can_answer {
            Ok(crate::UploadPermit::granted())
        } else {
            Err(CoreError::Forbidden)
        }
    }

    /// A return's answers from its template file (CSV or XLSX: field, value), checked row by row.
    pub async fn upload_data_return(
        &self,
        ctx: &Ctx,
        id: DataReturnId,
        name: &str,
        bytes: Vec<u8>,
        submit: bool,
    ) -> CoreResult<Vec<String>> {
        let id = id.0;
        // Only someone who may answer this return gets its file read at all.
        let view = self.data_return(ctx, DataReturnId(id)).await?;
        if !view.can_answer {
            return Err(CoreError::Forbidden);
        }
        let rows = self.read_upload("file", name, bytes, crate::tables::Limits::DATA_RETURN).await?;
        let header: Vec<String> =
            rows.first().map(|r| r.iter().map(|c| c.trim().to_lowercase()).collect()).unwrap_or_default();
        if header.len() < 2 || !["measure", "field"].contains(&header[0].as_str()) || header[1] != "value" {
            return Err(CoreError::field("file", "Row 1: the headings must be field, value (download the template)"));
        }
        let mut errors = FieldErrors::new();
        let mut raw = Vec::new();
        for (i, row) in rows.iter().enumerate().skip(1) {
            let cell = |c: usize| row.get(c).map(|s| s.trim()).unwrap_or("");
            if cell(0).is_empty() && cell(1).is_empty() {
                continue;
            }
            let Some(f) = view.template.field(cell(0)) else {
                errors.add(
                    "file",
                    format!(
                        "Row {}, column A (field): '{}' is not a field this return asks for",
                        i + 1,
                        assure_domain::cells::shown(cell(0))
                    ),
                );
                continue;
            };
            if !cell(1).is_empty()
                && let Err(message) = returns::read_value(f, cell(1))
            {
                errors.add("file", format!("Row {}, column B (value): {message}", i + 1));
                continue;
            }
            raw.push((cell(0).to_owned(), cell(1).to_owned()));
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let source = crate::learning::clean_file_name(name);
        let input = ReturnInput {
            values: &raw,
            provisional: view.r.provisional,
            footnote: view.r.footnote.as_deref().unwrap_or(""),
            submit,
            source: &source,
        };
        self.save_data_return(ctx, DataReturnId(id), &input).await
    }

    /// The business unit accepts a submitted return, or sends it back to draft.
    pub async fn validate_data_return(&self, ctx: &Ctx, id: DataReturnId, accept: bool) -> CoreResult<()> {
        let id = id.0;
        let view = self.data_return(ctx, DataReturnId(id)).await?;
        ctx.authorize(Action::Create, &Target::new(K::Indicator, view.r.partnership_id))?;
        let Some(to) = view.r.status.validated(accept) else {
            return Err(CoreError::field("status", "Only a submitted return can be validated or sent back"));
        };
        let mut tx = self.store.write().await?;
        st::set_status(&mut tx, id, to, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                if accept { "validate" } else { "reopen" },
                "data_return",
                Some(id.to_string()),
                Some(view.r.partnership_id),
                json!({"to": to}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Hourly reminders of returns owed: to the organisation's agency leads, five working days
    /// before the due date and once after it.
    pub(crate) async fn return_reminder_events(
        &self,
        conn: &mut assure_store::Conn,
        p: PartnershipId,
        today: NaiveDate,
        cal: &assure_domain::reviews::calendar::WorkingCalendar,
    ) -> CoreResult<Vec<crate::reminders::Event>> {
        let mut events = Vec::new();
        for r in st::list(conn, p).await?.into_iter().filter(|r| r.status.outstanding()) {
            let Some(phase) = crate::reminders::due_phase(today, r.due_on, 5, cal) else { continue };
            let leads =
                assure_store::reminders::holders(conn, p, "agency_lead", Some(OrganisationId(r.organisation_id)))
                    .await?;
            if leads.is_empty() {
                continue;
            }
            events.push(crate::reminders::Event {
                key: format!("data_return:{}:{}:{}", r.id, r.due_on, phase.code()),
                partnership: p,
                message: format!(
                    "{}'s return of {} for {} {} {}.",
                    r.organisation_name,
                    r.template_title,
                    r.period,
                    phase.was_or_is_due(),
                    r.due_on.format("%-d %B %Y")
                ),
                link: format!("/returns/{}", r.id),
                recipients: leads,
            });
        }
        Ok(events)
    }
}
