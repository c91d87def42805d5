//! A [`Document`] as a standalone, accessible HTML page: the language declared, the title as
//! the page's title and its one `h1`, headings in order, tables with a caption-free header row
//! of `th scope="col"`, figures as SVG with `role="img"`, their alternative text and caption,
//! and the protective marking at the top. Everything typed is escaped.

use base64::Engine as _;

use super::{Block, Document, LANGUAGE};

/// Text made safe for HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The document as an HTML page.
pub fn write(doc: &Document) -> String {
    let mut body = String::new();
    if let Some(m) = doc.marking {
        body.push_str(&format!("<p class=\"marking\"><strong>{}</strong></p>\n", m.label()));
    }
    for block in &doc.blocks {
        match block {
            Block::Heading(level, text) => {
                let level = (*level).clamp(1, 6);
                body.push_str(&format!("<h{level}>{}</h{level}>\n", escape(text)));
            }
            Block::Paragraph(text) => body.push_str(&format!("<p>{}</p>\n", escape(text))),
            Block::Note(text) => body.push_str(&format!("<p class=\"note\">{}</p>\n", escape(text))),
            Block::Bullets(items) => {
                body.push_str("<ul>\n");
                for item in items {
                    body.push_str(&format!("<li>{}</li>\n", escape(item)));
                }
                body.push_str("</ul>\n");
            }
            Block::Table(t) => {
                body.push_str("<table>\n<thead><tr>");
                for h in &t.header {
                    body.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
                }
                body.push_str("</tr></thead>\n<tbody>\n");
                for row in &t.rows {
                    body.push_str("<tr>");
                    for c in 0..t.header.len() {
                        let shown = row.get(c).map(super::Cell::shown).unwrap_or_default();
                        body.push_str(&format!("<td>{}</td>", escape(&shown)));
                    }
                    body.push_str("</tr>\n");
                }
                body.push_str("</tbody>\n</table>\n");
            }
            Block::Facts(facts) => {
                // Each tile reads "what it counts: the figure"; the figure is drawn above.
                body.push_str("<dl class=\"facts\">\n");
                for f in facts {
                    body.push_str(&format!("<div><dt>{}</dt><dd>{}</dd></div>\n", escape(&f.label), escape(&f.figure)));
                }
                body.push_str("</dl>\n");
            }
            Block::Pictured { picture, text } => {
                // The picture is one of Assure's own (never a user's upload), as an image whose
                // alternative text says what it shows.
                let image = picture.as_ref().map_or_else(String::new, |p| {
                    let data = base64::engine::general_purpose::STANDARD.encode(p.svg);
                    format!(
                        "<img src=\"data:image/svg+xml;base64,{data}\" alt=\"{}\" width=\"96\" height=\"96\">",
                        escape(&p.alt)
                    )
                });
                body.push_str(&format!("<div class=\"pictured\">{image}<p>{}</p></div>\n", escape(text)));
            }
            Block::Figure { svg, alt, caption, .. } => {
                // The SVG is Assure's own drawing (a chart), never a user's upload.
                body.push_str(&format!(
                    "<figure><div role=\"img\" aria-label=\"{}\">{svg}</div><figcaption>{}</figcaption></figure>\n",
                    escape(alt),
                    escape(caption)
                ));
            }
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{LANGUAGE}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <style>body{{font-family:Arial,sans-serif;max-width:60em;margin:1em auto;padding:0 1em;line-height:1.4}}\
         table{{border-collapse:collapse;width:100%}}th,td{{border:1px solid #b1b4b6;padding:.3em;text-align:left;vertical-align:top}}\
         th{{background:#f3f2f1}}.note{{color:#505a5f;font-size:.9em}}.marking{{text-align:center}}\
         .facts{{display:grid;grid-template-columns:repeat(auto-fill,minmax(11em,1fr));gap:.6em;padding:0}}\
         .facts div{{display:flex;flex-direction:column-reverse;background:#f3f2f1;padding:.6em;border-left:5px solid #1d70b8}}\
         .facts dd{{margin:0;font-size:2em;font-weight:bold}}.facts dt{{font-size:.95em}}\
         .large{{font-size:1.3em;line-height:1.5}}.pictured{{display:flex;gap:1em;align-items:center;margin:0 0 1em}}\
         .pictured img{{flex:0 0 96px}}.pictured p{{margin:0}}</style>\n\
         </head>\n<body{}>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(&doc.title),
        if doc.large_type { " class=\"large\"" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::{Cell, Marking, Table};

    #[test]
    fn the_page_declares_its_language_and_escapes_what_was_typed() {
        let mut doc = Document::new("Child K <script>").marked(Marking::OfficialSensitive);
        let mut t = Table::new(["Date", "Count"], &[2, 1]);
        t.row([Cell::from("O'Brien & \"Co\""), Cell::integer(1200)]);
        doc.table(t);
        let page = write(&doc);
        assert!(page.contains("<html lang=\"en-GB\">"));
        assert!(page.contains("<title>Child K &lt;script&gt;</title>"));
        assert!(page.contains("<h1>Child K &lt;script&gt;</h1>"));
        assert!(page.contains("<th scope=\"col\">Count</th>"));
        assert!(page.contains("<td>O&#39;Brien &amp; &quot;Co&quot;</td><td>1,200</td>"));
        assert!(page.contains("OFFICIAL-SENSITIVE"));
    }

    #[test]
    fn key_figures_are_tiles_that_read_what_then_how_many() {
        let mut doc = Document::new("Year");
        doc.push(Block::Facts(vec![crate::documents::Fact::new("1,200", "Referrals <in> the year")]));
        let page = write(&doc);
        assert!(page.contains("<dl class=\"facts\">\n<div><dt>Referrals &lt;in&gt; the year</dt><dd>1,200</dd></div>"));
        assert!(page.contains(".facts div{display:flex;flex-direction:column-reverse"), "the figure drawn above");
    }
}
