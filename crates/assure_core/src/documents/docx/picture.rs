//! An Easy Read paragraph in Word: its picture inline on the left (a PNG drawn from the shipped
//! SVG, with the picture's alternative text as the drawing's description), then a tab, then the
//! words, with a hanging indent so that every line of the words starts beside the picture.

use super::{escape, runs};

/// How wide the picture and the indent are: 2.2 cm in EMU, 3 cm in twentieths of a point.
const PICTURE_EMU: u32 = 792_000;
const INDENT_TWIPS: u32 = 1_701;
/// The picture is drawn at this many pixels square (about 220 dots per inch at 2.2 cm).
const PIXELS: u32 = 192;

pub(super) fn relationship_id(n: usize) -> String {
    format!("rIdPic{n}")
}

pub(super) fn part_name(n: usize) -> String {
    format!("word/media/picture{n}.png")
}

/// The main part's relationship to the `n`th picture.
pub(super) fn relationship(n: usize) -> String {
    format!(
        r#"<Relationship Id="{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/picture{n}.png"/>"#,
        relationship_id(n)
    )
}

fn indented(content: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:keepLines/><w:tabs><w:tab w:val="left" w:pos="{INDENT_TWIPS}"/></w:tabs><w:spacing w:after="240"/><w:ind w:left="{INDENT_TWIPS}" w:hanging="{INDENT_TWIPS}"/></w:pPr>{content}</w:p>"#
    )
}

/// The `n`th picture (drawing id `id`) and its words.
pub(super) fn paragraph(n: usize, id: usize, alt: &str, text: &str) -> String {
    let alt = escape(alt);
    let rel = relationship_id(n);
    let drawing = format!(
        r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{PICTURE_EMU}" cy="{PICTURE_EMU}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{id}" name="Picture {n}" descr="{alt}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="{id}" name="picture{n}.png" descr="{alt}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rel}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{PICTURE_EMU}" cy="{PICTURE_EMU}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
    );
    indented(&format!("{drawing}<w:r><w:tab/></w:r>{}", runs(text, false)))
}

/// An Easy Read paragraph with no picture: its words where the others' start.
pub(super) fn unpictured(text: &str) -> String {
    indented(&format!("<w:r><w:tab/></w:r>{}", runs(text, false)))
}

/// The picture as a PNG, drawn from its SVG.
pub(super) fn png(svg: &str) -> Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    let tree = usvg::Tree::from_str(svg, &usvg::Options::default()).map_err(|e| e.to_string())?;
    let mut pixmap = tiny_skia::Pixmap::new(PIXELS, PIXELS).ok_or("no room to draw a picture")?;
    let scale = PIXELS as f32 / tree.size().width().max(tree.size().height());
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| e.to_string())
}
