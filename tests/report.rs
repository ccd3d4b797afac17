//! The HTML report and the TEI export, on the bundled corpus and on texts
//! full of markup characters: both well-formed, both carrying the whole
//! canonical text and every variant site.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::OnceLock;

use reprint::{Document, Reconciler, Reconciliation};

fn corpus() -> &'static (Vec<Document>, Reconciliation) {
    static CORPUS: OnceLock<(Vec<Document>, Reconciliation)> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let loaded = reprint::load([dir]);
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        let result = Reconciler::new()
            .reconcile(&loaded.documents)
            .expect("the corpus reconciles");
        (loaded.documents, result)
    })
}

// ---------------------------------------------------------------------------
// A small, strict XML reader: enough to tell well-formed from not.

#[derive(Debug, Clone, PartialEq)]
enum Event {
    Start {
        name: String,
        attrs: Vec<(String, String)>,
    },
    End(String),
    Text(String),
}

/// The first characters of `s`, for messages.
fn head(s: &str) -> String {
    s.chars().take(40).collect()
}

/// `s` as the writers escape it.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':' || (c as u32) >= 0xC0
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == '-' || c == '.' || c == '\u{B7}'
}

/// Resolve the entity and character references of `s`; error on a bare `&`
/// or an unknown entity.
fn unescape(s: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let end = rest
            .find(';')
            .filter(|&e| e <= 10)
            .ok_or_else(|| format!("bare & before {:?}", head(rest)))?;
        let name = &rest[..end];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = name.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16)
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse()
                } else {
                    return Err(format!("unknown entity &{name};"));
                };
                code.ok()
                    .and_then(char::from_u32)
                    .filter(|&c| is_xml_char(c))
                    .ok_or_else(|| format!("bad character reference &{name};"))?
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Read `s` as XML (or, with `html`, as the XML-like HTML the report
/// writes: a doctype, void elements, attributes without values, script and
/// style as raw text). Checks characters, names, attribute quoting, entity
/// references, tag balance and a single root.
fn parse(s: &str, html: bool) -> Result<Vec<Event>, String> {
    const VOID: [&str; 6] = ["br", "hr", "img", "input", "meta", "wbr"];
    if let Some(c) = s.chars().find(|&c| !is_xml_char(c)) {
        return Err(format!("character U+{:04X} is not allowed", c as u32));
    }
    let mut events = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut rest = s;
    if let Some(r) = rest.strip_prefix("<?xml") {
        rest = &r[r.find("?>").ok_or("unclosed XML declaration")? + 2..];
    }
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if !rest.trim().is_empty() {
                return Err(format!("text after the root: {:?}", head(rest)));
            }
            break;
        };
        let text = &rest[..lt];
        if stack.is_empty() && !text.trim().is_empty() {
            return Err(format!("text outside the root: {:?}", head(text)));
        }
        if text.contains("]]>") {
            return Err("]]> in text".into());
        }
        if !text.is_empty() {
            events.push(Event::Text(unescape(text)?));
        }
        rest = &rest[lt..];
        if let Some(r) = rest.strip_prefix("<!--") {
            let end = r.find("-->").ok_or("unclosed comment")?;
            if r[..end].contains("--") {
                return Err("-- inside a comment".into());
            }
            rest = &r[end + 3..];
            continue;
        }
        if html
            && rest
                .get(..9)
                .is_some_and(|d| d.eq_ignore_ascii_case("<!DOCTYPE"))
        {
            rest = &rest[rest.find('>').ok_or("unclosed doctype")? + 1..];
            continue;
        }
        if let Some(r) = rest.strip_prefix("<?") {
            rest = &r[r.find("?>").ok_or("unclosed processing instruction")? + 2..];
            continue;
        }
        if let Some(r) = rest.strip_prefix("</") {
            let end = r.find('>').ok_or("unclosed end tag")?;
            let name = r[..end].trim_end();
            match stack.pop() {
                Some(open) if open == name => events.push(Event::End(name.to_owned())),
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            rest = &r[end + 1..];
            continue;
        }
        // A start tag.
        let mut r = &rest[1..];
        let name_len = r.find(|c: char| !is_name_char(c)).unwrap_or(r.len());
        let name = &r[..name_len];
        if name.is_empty() || !name.starts_with(is_name_start) {
            return Err(format!("bad tag name near {:?}", head(rest)));
        }
        r = &r[name_len..];
        let mut attrs: Vec<(String, String)> = Vec::new();
        let empty;
        loop {
            let trimmed = r.trim_start();
            let had_space = trimmed.len() < r.len();
            r = trimmed;
            if let Some(after) = r.strip_prefix("/>") {
                empty = true;
                r = after;
                break;
            }
            if let Some(after) = r.strip_prefix('>') {
                empty = false;
                r = after;
                break;
            }
            if !had_space {
                return Err(format!("<{name}>: attributes must be separated by space"));
            }
            let an_len = r.find(|c: char| !is_name_char(c)).unwrap_or(r.len());
            let an = &r[..an_len];
            if an.is_empty() || !an.starts_with(is_name_start) {
                return Err(format!("<{name}>: bad attribute near {:?}", head(r)));
            }
            r = &r[an_len..];
            let value = if let Some(after) = r.trim_start().strip_prefix('=') {
                let after = after.trim_start();
                let quote = after
                    .chars()
                    .next()
                    .filter(|&q| q == '"' || q == '\'')
                    .ok_or_else(|| format!("<{name} {an}>: unquoted value"))?;
                let body = &after[1..];
                let end = body
                    .find(quote)
                    .ok_or_else(|| format!("<{name} {an}>: unclosed value"))?;
                let raw = &body[..end];
                if raw.contains('<') {
                    return Err(format!("<{name} {an}>: < in a value"));
                }
                r = &body[end + 1..];
                unescape(raw)?
            } else if html {
                String::new()
            } else {
                return Err(format!("<{name} {an}>: attribute without a value"));
            };
            if attrs.iter().any(|(a, _)| a == an) {
                return Err(format!("<{name}>: duplicate attribute {an}"));
            }
            attrs.push((an.to_owned(), value));
        }
        rest = r;
        if stack.is_empty() {
            roots += 1;
            if roots > 1 {
                return Err(format!("second root element <{name}>"));
            }
        }
        events.push(Event::Start {
            name: name.to_owned(),
            attrs,
        });
        if empty || (html && VOID.contains(&name)) {
            events.push(Event::End(name.to_owned()));
        } else if html && (name == "script" || name == "style") {
            let close = format!("</{name}>");
            let end = rest
                .find(&close)
                .ok_or_else(|| format!("unclosed <{name}>"))?;
            events.push(Event::Text(rest[..end].to_owned()));
            events.push(Event::End(name.to_owned()));
            rest = &rest[end + close.len()..];
        } else {
            stack.push(name.to_owned());
        }
    }
    if let Some(open) = stack.pop() {
        return Err(format!("<{open}> is never closed"));
    }
    if roots != 1 {
        return Err("no root element".into());
    }
    Ok(events)
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(a, _)| a == name)
        .map(|(_, v)| v.as_str())
}

fn has_class(attrs: &[(String, String)], class: &str) -> bool {
    attr(attrs, "class").is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

/// The canonical text of each family as the TEI gives it: text of the
/// `<div type="family">`, readings (`<rdg>`) and headings left out, a break
/// between paragraphs and at each paragraph milestone.
fn tei_texts(events: &[Event]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut family: Option<(String, String)> = None;
    let mut skip = 0;
    let mut paragraphs = 0;
    let mut in_p = 0;
    for e in events {
        match e {
            Event::Start { name, attrs }
                if name == "div" && attr(attrs, "type") == Some("family") =>
            {
                family = Some((attr(attrs, "n").unwrap_or("").to_owned(), String::new()));
                paragraphs = 0;
            }
            Event::End(name) if name == "div" => {
                if let Some((n, text)) = family.take() {
                    out.insert(n, text);
                }
            }
            Event::Start { name, .. } if name == "rdg" || name == "listApp" => skip += 1,
            Event::End(name) if name == "rdg" || name == "listApp" => skip -= 1,
            Event::End(name) if name == "p" => in_p -= 1,
            Event::Start { name, attrs } if skip == 0 => {
                in_p += i32::from(name == "p");
                if let Some((_, text)) = &mut family {
                    if name == "p" {
                        if paragraphs > 0 {
                            text.push('\n');
                        }
                        paragraphs += 1;
                    } else if name == "milestone" && attr(attrs, "unit") == Some("paragraph") {
                        text.push('\n');
                    }
                }
            }
            Event::Text(t) if skip == 0 && in_p > 0 => {
                if let Some((_, text)) = &mut family {
                    text.push_str(t);
                }
            }
            _ => {}
        }
    }
    out
}

/// The canonical text of each family as the HTML shows it: the text of the
/// `<div class="text">` of each `<section>`, a break between paragraphs.
fn html_texts(events: &[Event]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut section = String::new();
    let mut depth = 0; // inside the text div: element depth
    let mut text = String::new();
    let mut paragraphs = 0;
    for e in events {
        match e {
            Event::Start { name, attrs } if name == "section" => {
                section = attr(attrs, "id").unwrap_or("").to_owned();
            }
            Event::Start { name, attrs }
                if depth == 0 && name == "div" && has_class(attrs, "text") =>
            {
                depth = 1;
                text.clear();
                paragraphs = 0;
            }
            Event::Start { name, .. } if depth > 0 => {
                depth += 1;
                if name == "p" {
                    if paragraphs > 0 {
                        text.push('\n');
                    }
                    paragraphs += 1;
                }
            }
            Event::End(_) if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.insert(section.clone(), text.clone());
                }
            }
            Event::Text(t) if depth > 0 => {
                // Whitespace between tags is not in the text, newlines aside
                // (the writer puts one after each `</p>`).
                text.push_str(&t.replace('\n', ""));
            }
            _ => {}
        }
    }
    out
}

/// Ids of the elements with class `v` (one per variant site).
fn variant_ids(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Start { attrs, .. } if has_class(attrs, "v") => {
                attr(attrs, "id").map(str::to_owned)
            }
            _ => None,
        })
        .collect()
}

fn check_html(r: &Reconciliation, html: &str) {
    let events = parse(html, true).unwrap_or_else(|e| panic!("HTML: {e}"));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no network"
    );
    let ids: HashSet<String> = variant_ids(&events).into_iter().collect();
    let texts = html_texts(&events);
    for f in &r.families {
        for d in &f.documents {
            assert!(
                html.contains(&escaped(d)),
                "family {}: document {d} not shown",
                f.id
            );
        }
        for i in 0..f.variants.len() {
            assert!(
                ids.contains(&format!("v{}-{i}", f.id)),
                "family {}: variant {i} not highlighted",
                f.id
            );
        }
        assert_eq!(
            texts.get(&format!("f{}", f.id)),
            Some(&f.text),
            "family {}: text",
            f.id
        );
    }
    let total: usize = r.families.iter().map(|f| f.variants.len()).sum();
    assert_eq!(ids.len(), total, "one highlighted element per variant");
}

fn check_tei(r: &Reconciliation, tei: &str) {
    let events = parse(tei, false).unwrap_or_else(|e| panic!("TEI: {e}"));
    let Some(Event::Start { name, attrs }) =
        events.iter().find(|e| matches!(e, Event::Start { .. }))
    else {
        panic!("TEI: no root");
    };
    assert_eq!(name, "TEI");
    assert_eq!(attr(attrs, "xmlns"), Some("http://www.tei-c.org/ns/1.0"));
    let ncname = |s: &str| {
        s.starts_with(|c: char| is_name_start(c) && c != ':')
            && s.chars().all(|c| is_name_char(c) && c != ':')
    };
    let mut xml_ids = HashSet::new();
    let mut witnesses = HashSet::new();
    let mut apps = HashSet::new();
    for e in &events {
        if let Event::Start { name, attrs } = e {
            if let Some(id) = attr(attrs, "xml:id") {
                assert!(ncname(id), "xml:id {id:?} is not an NCName");
                assert!(xml_ids.insert(id.to_owned()), "xml:id {id:?} twice");
                if name == "witness" {
                    witnesses.insert(format!("#{id}"));
                }
                if name == "app" {
                    apps.insert(id.to_owned());
                }
            }
        }
    }
    assert_eq!(
        witnesses.len(),
        r.documents.len(),
        "one witness per document"
    );
    for e in &events {
        if let Event::Start { name, attrs } = e {
            for key in ["wit", "corresp"] {
                for w in attr(attrs, key).unwrap_or("").split_whitespace() {
                    assert!(witnesses.contains(w), "<{name} {key}>: {w} is no witness");
                }
            }
            for key in ["prev", "next"] {
                if let Some(t) = attr(attrs, key) {
                    assert!(
                        apps.contains(t.trim_start_matches('#')),
                        "<{name} {key}={t}> dangles"
                    );
                }
            }
        }
    }
    let texts = tei_texts(&events);
    for f in &r.families {
        for i in 0..f.variants.len() {
            let whole = format!("f{}-v{i}", f.id);
            assert!(
                apps.contains(&whole) || apps.contains(&format!("{whole}-p1")),
                "family {}: variant {i} has no <app>",
                f.id
            );
        }
        assert_eq!(
            texts.get(&f.id.to_string()),
            Some(&f.text),
            "family {}: text",
            f.id
        );
    }
}

#[test]
fn html_report_shows_every_family_and_variant() {
    let (docs, r) = corpus();
    assert!(!r.families.is_empty());
    let html = r.to_html_with(docs);
    check_html(r, &html);
    // Removed stretches are listed with their text.
    for f in &r.families {
        if let Some(rm) = f.removed.first() {
            assert!(html.contains(&format!("{}–{}", rm.start, rm.end)));
        }
    }
    assert!(
        !html.contains("(text unavailable)"),
        "every excerpt is readable"
    );
    // Reading the files by path gives the same page.
    assert_eq!(r.to_html(), html);
}

#[test]
fn tei_is_well_formed_and_complete() {
    let (_, r) = corpus();
    check_tei(r, &r.to_tei());
}

#[test]
fn markup_characters_are_escaped() {
    let line = |w: &str| {
        format!(
            "Fish & chips <b>cost</b> \"5 < 6\" pounds; it's {w} > less, said O'Brien & Sons of \"Main Street\".\n\
             The <script>alert('x')</script> tag & the ]]> marker stay text, as does &amp; itself.\n"
        )
    };
    let docs = [
        Document::from_text("a&b", line("far")),
        Document::from_text("a<b>", line("far")),
        Document::from_text("'quoted\"", line("fer")),
    ];
    let r = Reconciler::new().reconcile(&docs).expect("reconciles");
    assert!(
        r.families.iter().any(|f| f.text.contains("<b>")),
        "{:?}",
        r.families
    );
    let html = r.to_html_with(&docs);
    check_html(&r, &html);
    assert!(!html.contains("<b>cost"));
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;b&gt;cost&lt;/b&gt;"));
    assert!(html.contains("&amp;amp;"));
    let tei = r.to_tei();
    check_tei(&r, &tei);
    assert!(tei.contains("&lt;script&gt;alert(&#39;x&#39;)"));
    assert!(tei.contains("n=\"a&amp;b\""));
    assert!(tei.contains("n=\"&#39;quoted&quot;\""));
}

#[test]
fn many_variants_render_well_formed() {
    use reprint::simulate::{SimConfig, simulate};
    let clean = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/clean");
    let sources: Vec<String> = ["zh.txt", "en.txt"]
        .iter()
        .filter_map(|f| std::fs::read_to_string(clean.join(f)).ok())
        .collect();
    let mut config = SimConfig::new();
    config
        .families(4)
        .scans(5..=7)
        .paragraphs(20..=30)
        .noise(0.06)
        .seed(7);
    let sim = simulate(&config, &sources);
    let docs = sim.documents();
    let r = Reconciler::new().reconcile(&docs).expect("reconciles");
    let variants: usize = r.families.iter().map(|f| f.variants.len()).sum();
    let t = std::time::Instant::now();
    let html = r.to_html_with(&docs);
    let tei = r.to_tei();
    eprintln!(
        "{variants} variants: HTML {} KB, TEI {} KB in {:?}",
        html.len() / 1024,
        tei.len() / 1024,
        t.elapsed()
    );
    check_html(&r, &html);
    check_tei(&r, &tei);
    if let Some(dir) = std::env::var_os("REPRINT_REPORT_DIR") {
        // For looking at: a page with thousands of sites.
        let _ = std::fs::write(PathBuf::from(dir).join("simulated.html"), &html);
    }
}

#[test]
fn checker_rejects_broken_xml() {
    for bad in [
        "<a><b></a></b>",
        "<a x=1/>",
        "<a x=\"1\" x=\"2\"/>",
        "<a>&nbsp;</a>",
        "<a>a & b</a>",
        "<a/><b/>",
        "<a x=\"<\"/>",
        "<a>\u{1}</a>",
        "<a>",
    ] {
        assert!(parse(bad, false).is_err(), "{bad}");
    }
    assert!(
        parse(
            "<?xml version=\"1.0\"?>\n<a x='1' y=\"&amp;\"><b/>&#x4E2D;<!-- c --></a>\n",
            false
        )
        .is_ok()
    );
}

/// Write the report and the TEI of the corpus (for `.ci/screenshot`):
/// `cargo test --test report -- --ignored write_report`; the directory is
/// `$REPRINT_REPORT_DIR`, by default `target/` in the crate.
#[test]
#[ignore]
fn write_report() {
    let (docs, r) = corpus();
    let dir = std::env::var_os("REPRINT_REPORT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    std::fs::create_dir_all(&dir).expect("report directory");
    std::fs::write(dir.join("report.html"), r.to_html_with(docs)).expect("write report.html");
    std::fs::write(dir.join("report.tei.xml"), r.to_tei()).expect("write report.tei.xml");
    std::fs::write(dir.join("reconciliation.json"), r.to_json())
        .expect("write reconciliation.json");
    eprintln!("wrote {}", dir.join("report.html").display());
}
