//! A self-contained HTML report: sections, paragraphs, tables and figures,
//! with every PNG embedded as base64 so that the report is one file that can
//! be mailed or archived. All text is HTML-escaped (names coming from data
//! cannot inject markup).
//!
//! # Example
//!
//! ```
//! use permafrost_insar::report::Report;
//!
//! let dir = tempfile::tempdir()?;
//! let mut report = Report::new("Permafrost study <demo>");
//! report.section("Recovered parameters");
//! report.paragraph("Linear rate and seasonal amplitude against the planted truth.");
//! report.table(&["quantity", "RMS error"], &[vec!["v (mm/yr)".into(), "0.42".into()]]);
//! let path = dir.path().join("report.html");
//! report.write(&path)?;
//! let html = std::fs::read_to_string(&path)?;
//! assert!(html.contains("Permafrost study &lt;demo&gt;"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt::Write as _;
use std::path::Path;

use crate::error::{Error, Result};
use crate::io::write_atomically;

/// An HTML report built block by block, written as one self-contained file.
#[derive(Debug, Clone, Default)]
pub struct Report {
    title: String,
    blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
enum Block {
    Section(String),
    Paragraph(String),
    Figure {
        base64: String,
        caption: String,
    },
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

const CSS: &str = "body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;\
max-width:1080px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}\
h1{border-bottom:2px solid #444;padding-bottom:.2em}\
h2{margin-top:2em;border-bottom:1px solid #ccc;padding-bottom:.15em}\
nav ul{columns:2;padding-left:1.2em}\
figure{margin:1.5em 0;text-align:center}\
figure img{max-width:100%;height:auto;border:1px solid #ddd}\
figcaption{font-size:.95em;color:#444;margin-top:.4em}\
table{border-collapse:collapse;margin:1em 0;font-size:.95em}\
th,td{border:1px solid #ccc;padding:.3em .7em;text-align:left}\
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}\
tr:nth-child(even) td{background:#fafafa}";

impl Report {
    /// An empty report with a title.
    pub fn new(title: &str) -> Self {
        Report {
            title: title.to_string(),
            blocks: Vec::new(),
        }
    }

    /// Starts a section (a level-2 heading, listed in the contents).
    pub fn section(&mut self, title: &str) {
        self.blocks.push(Block::Section(title.to_string()));
    }

    /// A paragraph of plain text; blank lines start new paragraphs.
    pub fn paragraph(&mut self, text: &str) {
        self.blocks.push(Block::Paragraph(text.to_string()));
    }

    /// Embeds the PNG at `png` (read now, base64-encoded into the report)
    /// with a caption. Fails, naming the file, when it cannot be read or is
    /// not a PNG.
    pub fn figure(&mut self, png: &Path, caption: &str) -> Result<()> {
        let bytes = std::fs::read(png).map_err(|e| Error::io(png, e))?;
        if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Err(Error::format(png, "not a PNG file (no PNG signature)"));
        }
        self.blocks.push(Block::Figure {
            base64: base64(&bytes),
            caption: caption.to_string(),
        });
        Ok(())
    }

    /// A table; numbers are right-aligned, short rows are padded with empty
    /// cells.
    pub fn table(&mut self, header: &[&str], rows: &[Vec<String>]) {
        self.blocks.push(Block::Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: rows.to_vec(),
        });
    }

    /// The report as one HTML document.
    pub fn to_html(&self) -> String {
        let mut h = String::new();
        let title = escape(&self.title);
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
        );
        let sections: Vec<&String> = self
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Section(s) => Some(s),
                _ => None,
            })
            .collect();
        if sections.len() > 1 {
            h.push_str("<nav><ul>\n");
            for (i, s) in sections.iter().enumerate() {
                let _ = writeln!(h, "<li><a href=\"#s{}\">{}</a></li>", i + 1, escape(s));
            }
            h.push_str("</ul></nav>\n");
        }
        let mut n_section = 0;
        let mut n_figure = 0;
        for block in &self.blocks {
            match block {
                Block::Section(s) => {
                    n_section += 1;
                    let _ = writeln!(h, "<h2 id=\"s{n_section}\">{}</h2>", escape(s));
                }
                Block::Paragraph(p) => {
                    for para in p.split("\n\n").filter(|x| !x.trim().is_empty()) {
                        let _ = writeln!(h, "<p>{}</p>", escape(para.trim()));
                    }
                }
                Block::Figure { base64, caption } => {
                    n_figure += 1;
                    let caption = escape(caption);
                    let _ = writeln!(
                        h,
                        "<figure><img src=\"data:image/png;base64,{base64}\" alt=\"{caption}\">\
                         <figcaption>Figure {n_figure}. {caption}</figcaption></figure>"
                    );
                }
                Block::Table { header, rows } => {
                    let width = rows
                        .iter()
                        .map(Vec::len)
                        .chain([header.len()])
                        .max()
                        .unwrap_or(0);
                    h.push_str("<table>\n<thead><tr>");
                    for i in 0..width {
                        let _ = write!(h, "<th>{}</th>", escape(header.get(i).map_or("", |s| s)));
                    }
                    h.push_str("</tr></thead>\n<tbody>\n");
                    for row in rows {
                        h.push_str("<tr>");
                        for i in 0..width {
                            let cell = row.get(i).map_or("", |s| s.as_str());
                            let class = if is_number(cell) {
                                " class=\"num\""
                            } else {
                                ""
                            };
                            let _ = write!(h, "<td{class}>{}</td>", escape(cell));
                        }
                        h.push_str("</tr>\n");
                    }
                    h.push_str("</tbody>\n</table>\n");
                }
            }
        }
        h.push_str("</body>\n</html>\n");
        h
    }

    /// Writes the report to `path` atomically.
    pub fn write(&self, path: &Path) -> Result<()> {
        let html = self.to_html();
        write_atomically(path, |tmp| {
            std::fs::write(tmp, html.as_bytes()).map_err(|e| Error::io(tmp, e))
        })
    }
}

/// `s` with `& < > " '` replaced by character references.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
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

fn is_number(s: &str) -> bool {
    let t = s.trim().trim_end_matches('%').trim();
    !t.is_empty() && t.replace(['±', ' '], "").parse::<f64>().is_ok()
}

/// Standard base64 (RFC 4648, with padding).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextet = |k: u32| ALPHABET[((n >> k) & 63) as usize] as char;
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_rfc4648_vectors() {
        // RFC 4648 §10 test vectors.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape("<b>\"a\" & 'b'</b>"),
            "&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn numbers_are_recognised() {
        assert!(is_number("1.5"));
        assert!(is_number("-3e-2"));
        assert!(is_number("12 %"));
        assert!(!is_number("slope"));
        assert!(!is_number(""));
    }
}
