//! A QR code drawn on the server as SVG (no third-party service, no script): the set-up link of
//! two-step sign-in, for an authenticator app to scan.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The text as a QR code in SVG to place in a page (no XML declaration), about 220 px square
/// with its quiet zone, dark on white. None when the text is too long for a QR code.
pub fn svg(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let drawn = code
        .render::<svg::Color<'_>>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .dark_color(svg::Color("#0b0c0c"))
        .light_color(svg::Color("#ffffff"))
        .build();
    let start = drawn.find("<svg")?;
    Some(drawn[start..].replacen("<svg ", r#"<svg role="img" aria-labelledby="qr-title" "#, 1).replacen(
        "shape-rendering=\"crispEdges\">",
        "shape-rendering=\"crispEdges\"><title id=\"qr-title\">QR code of the set-up link</title>",
        1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The drawing itself, read back by an independent decoder, gives the text.
    #[test]
    fn the_drawing_decodes_to_the_link() {
        let link = "otpauth://totp/Assure:lead%40example.org?secret=JBSWY3DPEHPK3PXP&issuer=Assure";
        let drawn = svg(link).unwrap();
        assert!(drawn.starts_with("<svg role=\"img\""), "{drawn}");
        assert!(drawn.contains("<title id=\"qr-title\">QR code of the set-up link</title>"));
        // Its size, and each dark module: "M{x} {y}h{s}v{s}H{x}V{y}".
        let attr = |name: &str| -> usize {
            let at = drawn.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            drawn[at..].split('"').next().unwrap().parse().unwrap()
        };
        let side = attr("width");
        let d = drawn.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let mut dark = vec![false; side * side];
        for module in d.split('M').filter(|m| !m.is_empty()) {
            let (x, rest) = module.split_once(' ').unwrap();
            let (y, rest) = rest.split_once('h').unwrap();
            let size: usize = rest.split('v').next().unwrap().parse().unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            for py in y..y + size {
                for px in x..x + size {
                    dark[py * side + px] = true;
                }
            }
        }
        let mut image = rqrr::PreparedImage::prepare_from_bitmap(side, side, |x, y| dark[y * side + x]);
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, link);
        assert!(svg(&"x".repeat(5000)).is_none(), "too long for a QR code");
    }
}
