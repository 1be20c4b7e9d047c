//! HTML text: escaping, the page around the sections (inline CSS and script), run colours.

/// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities, safe in element text and in
/// quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
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

/// The colour run `run` is drawn in, in every plot.
pub(crate) fn run_colour(run: usize) -> &'static str {
    const PALETTE: [&str; 8] = [
        "#1f77b4", "#ff7f0e", "#9467bd", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
    ];
    PALETTE[run % PALETTE.len()]
}

/// A legend of the runs' colours.
pub(crate) fn legend(names: &[String]) -> String {
    let mut out = String::from(r#"<div class="legend">"#);
    for (i, name) in names.iter().enumerate() {
        out.push_str(&format!(
            r#"<span><i class="swatch" style="background:{}"></i>{}</span>"#,
            run_colour(i),
            escape(name)
        ));
    }
    out.push_str("</div>");
    out
}

/// The whole document: `title`, then `body`, with the stylesheet and the script inline.
pub(crate) fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n\
         <pre id=\"script-errors\"></pre>\n{body}\n<script>\n{}</script>\n</body>\n</html>\n",
        escape(title),
        include_str!("page.css"),
        include_str!("page.js"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("مرحبا — plain"), "مرحبا — plain");
    }

    #[test]
    fn the_page_is_self_contained() {
        let html = page("a <b>", "<p>x</p>");
        assert!(html.contains("<title>a &lt;b&gt;</title>"));
        assert!(html.contains(r#"<pre id="script-errors"></pre>"#));
        assert!(html.contains("dataset.rendered = \"yes\""));
        assert!(!html.contains("http://") && !html.contains("https://"));
    }
}
