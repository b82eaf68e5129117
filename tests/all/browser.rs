//! The web page in a real browser: headless Chromium driven over WebDriver
//! (chromedriver), against `opedex serve` on a fixture index that includes a
//! hostile article. Skipped with a printed reason when Chromium or
//! chromedriver is not installed (`.ci/run` installs both).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

use crate::common::*;
use crate::serve::Server;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A chromedriver process and one browser session, ended when dropped.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One WebDriver command: `method path` with a JSON body; returns `value`.
fn webdriver(port: u16, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    let body = read_response(&mut stream).map_err(|e| e.to_string())?;
    let json: Value = serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))?;
    if json["value"]["error"].is_string() {
        return Err(json["value"]["message"].as_str().unwrap_or("").to_string());
    }
    Ok(json["value"].clone())
}

/// An HTTP response's body, read by its Content-Length: chromedriver keeps
/// the connection open whatever the request asks.
fn read_response(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte)? == 0 {
            break;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body)?;
    Ok(String::from_utf8_lossy(&body).into_owned())
}

impl Browser {
    fn start(profile: &Path) -> Result<Browser, String> {
        for exe in [CHROMIUM, CHROMEDRIVER] {
            if !Path::new(exe).exists() {
                return Err(format!("{exe} is not installed"));
            }
        }
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while webdriver(port, "GET", "/status", None).is_err() {
            if Instant::now() > deadline {
                return Err("chromedriver did not start".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1200,900",
        ];
        let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
        }}});
        let session = webdriver(port, "POST", "/session", Some(caps))?;
        browser.session = session["sessionId"].as_str().unwrap_or("").to_string();
        Ok(browser)
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        webdriver(self.port, method, &path, body).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    fn open(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({"url": url})));
    }

    fn js(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// The elements matching a CSS selector (WebDriver element references).
    fn all(&self, css: &str) -> Vec<Value> {
        let found = self.cmd(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        );
        found.as_array().cloned().unwrap_or_default()
    }

    fn id(element: &Value) -> String {
        element
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    }

    fn click(&self, element: &Value) {
        self.cmd(
            "POST",
            &format!("/element/{}/click", Self::id(element)),
            Some(json!({})),
        );
    }

    fn text(&self, element: &Value) -> String {
        self.cmd("GET", &format!("/element/{}/text", Self::id(element)), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn type_into(&self, css: &str, text: &str) {
        let field = self.all(css).into_iter().next().expect("the field");
        self.cmd(
            "POST",
            &format!("/element/{}/clear", Self::id(&field)),
            Some(json!({})),
        );
        self.cmd(
            "POST",
            &format!("/element/{}/value", Self::id(&field)),
            Some(json!({"text": text})),
        );
    }

    /// Waits until `check` holds, up to 15 s.
    fn until(&self, what: &str, check: impl Fn(&Browser) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !check(self) {
            if Instant::now() > deadline {
                let page =
                    self.js("return location.href + ' | ' + document.body.innerText.slice(0, 400)");
                panic!("timed out waiting for {what}; the page: {page}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The text of every element matching `css`, read in one script call.
    fn texts(&self, css: &str) -> Vec<String> {
        let script = format!(
            "return Array.from(document.querySelectorAll({}), e => e.textContent)",
            serde_json::Value::from(css)
        );
        self.js(&script)
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn screenshot(&self, to: &Path) {
        let png = self.cmd("GET", "/screenshot", None);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap_or(""))
            .unwrap();
        std::fs::write(to, bytes).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = webdriver(
                self.port,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Where the test leaves its screenshot (the README's picture is a copy).
fn screenshot_path() -> PathBuf {
    let dir = root().join("target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("opedex-page.png")
}

#[test]
fn the_page_searches_filters_opens_articles_and_runs_no_hostile_script() {
    let dir = tempdir();
    let (index, run) = ingest_fresh(
        dir.path(),
        &[
            s(&root().join("corpus")),
            s(&fixture("hostile/hostile.jsonl")),
        ],
    );
    run.expect(0);
    let browser = match Browser::start(&dir.path().join("profile")) {
        Ok(b) => b,
        Err(why) => {
            eprintln!("SKIPPED: no headless browser here ({why})");
            return;
        }
    };
    let server = Server::start(&index);
    let base = format!("http://{}/", server.addr);

    // A query typed into the box shows results; the URL holds the search.
    browser.open(&base);
    browser.js("document.getElementById('q').focus()");
    browser.type_into("#q", "peace treaty islands\u{E007}");
    browser.until("results", |b| !b.all("#hits li.hit").is_empty());
    let url = browser
        .js("return location.search")
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(url.contains("q=peace+treaty+islands"), "{url}");
    let first = browser.all("#hits li.hit h2").into_iter().next().unwrap();
    assert_eq!(
        browser.text(&first),
        "Islands, fishermen and the treaty nobody signs"
    );

    // The ranking mode goes into the URL. This index has no vectors: asking
    // for meaning says so instead of showing results, and Auto ranks by words.
    browser.js("document.getElementById('mode').value = 'semantic';\
         document.getElementById('search').requestSubmit()");
    browser.until("the message that the index has no vectors", |b| {
        b.js("return document.getElementById('summary').textContent")
            .as_str()
            .unwrap_or("")
            .contains("has no vectors")
            && b.all("#hits li.hit").is_empty()
            && b.js("return location.search")
                .as_str()
                .unwrap_or("")
                .contains("mode=semantic")
    });
    browser.js("document.getElementById('mode').value = '';\
         document.getElementById('search').requestSubmit()");
    browser.until("results by words again", |b| {
        !b.all("#hits li.hit").is_empty()
            && !b
                .js("return location.search")
                .as_str()
                .unwrap_or("")
                .contains("mode=")
    });

    // More passages of the same article: one click narrows the results to it.
    let within = browser
        .all("#hits li.hit [data-within]")
        .into_iter()
        .next()
        .unwrap();
    browser.click(&within);
    browser.until("the article's passages", |b| {
        b.js("return location.search")
            .as_str()
            .unwrap_or("")
            .contains("within=")
    });
    // The titles are read in one script call, so a re-render between
    // finding the elements and reading them cannot make them stale.
    let title = "Islands, fishermen and the treaty nobody signs";
    browser.until("several passages, all of the one article", |b| {
        let titles = b.texts("#hits li.hit h2");
        titles.len() >= 2 && titles.iter().all(|t| t == title)
    });
    browser.js("history.back()");
    browser.until("every article again", |b| {
        !b.js("return location.search")
            .as_str()
            .unwrap_or("")
            .contains("within=")
    });

    // Facets: a click filters and the count follows; a second click removes it.
    browser.open(&format!("{base}?q=policy"));
    browser.until("facets and a timeline", |b| {
        !b.all("#facets a[data-facet='outlets']").is_empty() && !b.all("#timeline rect").is_empty()
    });
    browser.screenshot(&screenshot_path());
    let total = |b: &Browser| {
        b.js("return parseInt(document.getElementById('summary').textContent, 10)")
            .as_u64()
            .unwrap_or(0)
    };
    let before = total(&browser);
    let counts = browser.js(
        "return [...document.querySelectorAll(\"#facets a[data-facet='outlets']\")]\
         .map(a => +a.querySelector('.count').textContent)",
    );
    let counts: Vec<u64> = counts
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    let pick = counts
        .iter()
        .position(|&c| c < before)
        .expect("an outlet with fewer matches");
    let facet = browser.all("#facets a[data-facet='outlets']")[pick].clone();
    browser.click(&facet);
    browser.until("the outlet's count", |b| {
        total(b) == counts[pick]
            && b.js("return location.search")
                .as_str()
                .unwrap_or("")
                .contains("outlet=")
    });
    let active = browser.all("#facets a.active").into_iter().next().unwrap();
    browser.click(&active);
    browser.until("the filter removed", |b| {
        total(b) == before
            && !b
                .js("return location.search")
                .as_str()
                .unwrap_or("")
                .contains("outlet=")
    });

    // The timeline: dragging from the first bar to the second sets the dates.
    let bars = browser.all("#timeline rect").len();
    let periods = browser.js(
        "const r = [...document.querySelectorAll('#timeline rect')];\
         r[0].dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));\
         r[1].dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));\
         return [r[0].dataset.period, r[1].dataset.period]",
    );
    let (from, to) = (periods[0].as_str().unwrap(), periods[1].as_str().unwrap());
    browser.until("the dates set", |b| {
        let search = b
            .js("return location.search")
            .as_str()
            .unwrap_or("")
            .to_string();
        search.contains(&format!("since={from}")) && search.contains(&format!("until={to}"))
    });
    browser.until("fewer matches", |b| {
        let now = total(b);
        now > 0 && (now < before || bars == 2)
    });

    // The article view: title, text, similar articles; back returns to the results.
    browser.open(&format!("{base}?q=peace+treaty+islands"));
    browser.until("results", |b| !b.all("#hits li.hit").is_empty());
    let read = browser
        .all("#hits li.hit .more a")
        .into_iter()
        .next()
        .unwrap();
    browser.click(&read);
    browser.until("the article", |b| {
        b.js("return !document.getElementById('article').hidden && document.querySelectorAll('#similar li').length > 0")
            == json!(true)
    });
    let h1 = browser.all("#article h1").into_iter().next().unwrap();
    assert_eq!(
        browser.text(&h1),
        "Islands, fishermen and the treaty nobody signs"
    );
    browser.js("history.back()");
    browser.until("the results again", |b| {
        b.js("return !document.getElementById('results').hidden") == json!(true)
    });

    // The hostile article: its markup is shown as text and nothing of it runs.
    browser.open(&format!("{base}?q=harbour+fees"));
    browser.until("the hostile hit", |b| {
        b.all("#hits li.hit h2")
            .iter()
            .any(|h| b.text(h).contains("<script>"))
    });
    let read = browser
        .all("#hits li.hit")
        .into_iter()
        .find(|h| browser.text(h).contains("<script>"))
        .unwrap();
    assert!(
        browser.text(&read).contains("onerror"),
        "the markup shows as text"
    );
    browser.open(&format!("{base}?article=hostile-markup"));
    browser.until("the hostile article", |b| !b.all("#article h1").is_empty());
    assert_eq!(
        browser.js("return window.__pwned === undefined"),
        json!(true)
    );
    assert_eq!(
        browser.js("return [...document.querySelectorAll('a')].filter(a => a.href.startsWith('javascript:')).length"),
        json!(0)
    );
    assert_eq!(browser.js("return document.querySelectorAll('#article script, #article img, #article iframe, #article svg').length"), json!(0));
}
