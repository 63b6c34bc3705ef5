//! The built front end (Trunk's `dist/`): where it is, its `index.html` (the child's app),
//! `staff/index.html` (the staff app, a separate bundle so children never download it), and
//! the hashes of the inline scripts in both that the Content-Security-Policy must allow.
//!
//! Trunk writes one inline `<script type="module">` per page that loads its wasm. Rather
//! than allow inline scripts in general, the policy names those exact scripts by their
//! SHA-256, computed from the pages read at start; the same bytes are then served, so hashes
//! and pages always agree.

use actix_web::web::Bytes;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::io;
use std::path::{Path, PathBuf};

/// The built front end, or the knowledge that there is none.
#[derive(Clone, Debug)]
pub struct Frontend {
    built: Option<Built>,
}

#[derive(Clone, Debug)]
struct Built {
    dir: PathBuf,
    index_html: Bytes,
    /// `staff/index.html`; `None` when only the child's app is built.
    staff_index_html: Option<Bytes>,
    script_hashes: Vec<String>,
}

/// The file's bytes, or `None` when it does not exist.
fn read_optional(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The policy's `'sha256-…'` source for every inline script in the page.
fn script_hashes(html: &[u8]) -> Vec<String> {
    inline_scripts(&String::from_utf8_lossy(html))
        .into_iter()
        .map(|body| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(body.as_bytes()))))
        .collect()
}

impl Frontend {
    /// Reads `dir/index.html` and `dir/staff/index.html`. A missing folder or page is not an
    /// error: the API works without a front end, and the page at `/` (or `/staff/`) then
    /// says how to build one.
    pub fn load(dir: &Path) -> io::Result<Frontend> {
        let index = dir.join("index.html");
        let Some(html) = read_optional(&index)? else {
            tracing::warn!("{} does not exist: serving the API only", index.display());
            return Ok(Frontend::not_built());
        };
        let staff_index = dir.join("staff").join("index.html");
        let staff_html = read_optional(&staff_index)?;
        if staff_html.is_none() {
            tracing::warn!("{} does not exist: no staff pages under /staff/", staff_index.display());
        }
        let mut hashes = script_hashes(&html);
        hashes.extend(staff_html.iter().flat_map(|page| script_hashes(page)));
        Ok(Frontend {
            built: Some(Built {
                dir: dir.to_path_buf(),
                index_html: Bytes::from(html),
                staff_index_html: staff_html.map(Bytes::from),
                script_hashes: hashes,
            }),
        })
    }

    pub fn not_built() -> Frontend {
        Frontend { built: None }
    }

    /// The folder of static files, if the front end is built.
    pub fn dir(&self) -> Option<&Path> {
        self.built.as_ref().map(|b| b.dir.as_path())
    }

    /// The page every front-end route is answered with.
    pub fn index_html(&self) -> Option<Bytes> {
        self.built.as_ref().map(|b| b.index_html.clone())
    }

    /// The staff app's page, for every path under `/staff/` that is not one of its files.
    pub fn staff_index_html(&self) -> Option<Bytes> {
        self.built.as_ref().and_then(|b| b.staff_index_html.clone())
    }

    /// The Content-Security-Policy for every response.
    pub fn content_security_policy(&self) -> String {
        let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
        for hash in self.built.iter().flat_map(|b| &b.script_hashes) {
            script_src.push(' ');
            script_src.push_str(hash);
        }
        format!(
            "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
    }
}

/// The bodies of the `<script>` elements without a `src`, exactly as written, because the
/// browser hashes exactly those bytes.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    // ASCII lower-casing keeps every byte offset, so positions found in `lower` cut `html`.
    let lower = html.to_ascii_lowercase();
    let mut bodies = Vec::new();
    let mut from = 0;
    while let Some(found) = lower[from..].find("<script") {
        let tag_start = from + found;
        let after_name = tag_start + "<script".len();
        // `<scripts>` or `<script-x>` is another element.
        if !lower[after_name..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>') {
            from = after_name;
            continue;
        }
        let Some(tag_len) = lower[after_name..].find('>') else { break };
        let attributes = &lower[after_name..after_name + tag_len];
        let body_start = after_name + tag_len + 1;
        let Some(body_len) = lower[body_start..].find("</script") else { break };
        let has_src = attributes.split(|c: char| c.is_ascii_whitespace()).any(|a| a == "src" || a.starts_with("src="));
        if !has_src {
            bodies.push(&html[body_start..body_start + body_len]);
        }
        from = body_start + body_len;
    }
    bodies
}
