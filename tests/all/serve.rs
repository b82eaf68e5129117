//! `opedex serve` over a real port: it answers HTTP as documented, follows
//! the commits of an ingest running in another process without a restart,
//! and drops clients that never finish their request.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::*;

/// A running `opedex serve`, killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Server {
    /// Starts `opedex serve` on an ephemeral loopback port over `index`.
    pub fn start(index: &Path) -> Server {
        Server::start_with_env(index, &[])
    }

    /// The same, with these environment variables set for the server (and
    /// `OPEDEX_MODEL` only when given).
    pub fn start_with_env(index: &Path, env: &[(&str, &Path)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_opedex"))
            .args(["serve", "--addr", "127.0.0.1:0", "--index", s(index)])
            .env_remove("OPEDEX_MODEL")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("opedex serve starts");
        let mut stderr = child.stderr.take().unwrap();
        let mut seen = String::new();
        let mut buf = [0u8; 256];
        let deadline = Instant::now() + Duration::from_secs(30);
        let addr = loop {
            assert!(Instant::now() < deadline, "no address announced: {seen}");
            let n = stderr.read(&mut buf).unwrap();
            assert!(n > 0, "opedex serve exited: {seen}");
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            if let Some(at) = seen.find("http://") {
                let rest = &seen[at + 7..];
                if let Some(end) = rest.find('/') {
                    break rest[..end].to_string();
                }
            }
        };
        // Keep reading stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut stderr, &mut std::io::sink());
        });
        Server { child, addr }
    }

    /// One request; returns the status and the body.
    pub fn request(&self, method: &str, target: &str, body: Option<&str>) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let body = body.unwrap_or("");
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let text = String::from_utf8_lossy(&response).into_owned();
        let status = text[9..12].parse().unwrap();
        let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        (status, dechunk(body))
    }

    /// `GET target` as JSON.
    pub fn json(&self, target: &str) -> (u16, Value) {
        let (status, body) = self.request("GET", target, None);
        let json = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{target}: {e}: {body}"));
        (status, json)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The body of a chunked response, or the body as it is.
fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    loop {
        let Some((size, after)) = rest.split_once("\r\n") else {
            return body.to_string();
        };
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            return body.to_string();
        };
        if n == 0 {
            return out;
        }
        let Some(chunk) = after.get(..n) else {
            return body.to_string();
        };
        out.push_str(chunk);
        rest = after[n..].trim_start_matches("\r\n");
    }
}

#[test]
fn serve_answers_the_api_over_a_port() {
    let dir = tempdir();
    let (index, run) = ingest_fresh(dir.path(), &[s(&root().join("corpus"))]);
    run.expect(0);
    let server = Server::start(&index);
    let (status, json) = server.json("/api/v1/search?q=peace+treaty+islands&n=5");
    assert_eq!(status, 200, "{json}");
    // The hits are the objects `search --json` prints, in its order.
    let cli = opedex(&[
        "search",
        "--json",
        "-n",
        "5",
        "--index",
        s(&index),
        "peace treaty islands",
    ])
    .expect(0)
    .hits();
    assert_eq!(json["hits"].as_array().unwrap(), &cli);
    let (status, json) = server.json("/api/v1/search?q=x&frobnicate=1");
    assert_eq!(
        (status, &json["error"]["parameter"]),
        (400, &Value::from("frobnicate"))
    );
    let (status, body) = server.request(
        "POST",
        "/api/v1/search",
        Some(r#"{"q": "housing", "n": 2}"#),
    );
    assert_eq!(status, 200, "{body}");
    let (status, json) = server.json("/api/v1/articles/sample-housing-supply");
    assert_eq!(
        (status, &json["id"]),
        (200, &Value::from("sample-housing-supply"))
    );
    let (status, page) = server.request("GET", "/", None);
    assert_eq!(status, 200);
    assert!(page.contains("<script src=\"/app.js\""), "{page}");
}

#[test]
fn serve_follows_commits_of_an_ingest_in_another_process() {
    let dir = tempdir();
    let (index, run) = ingest_fresh(dir.path(), &[s(&fixture("pages/basic.txt"))]);
    run.expect(0);
    let server = Server::start(&index);
    let (_, before) = server.json("/api/v1/stats");
    assert_eq!(before["articles"], 1);
    let (status, _) = server.json("/api/v1/search?q=peace+treaty+islands");
    assert_eq!(status, 200);
    // Another process adds the sample corpus and commits.
    opedex(&[
        "ingest",
        "-q",
        "--index",
        s(&index),
        s(&root().join("corpus")),
    ])
    .expect(0);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, stats) = server.json("/api/v1/stats");
        if stats["articles"] == 20 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server never saw the commit: {stats}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (_, json) = server.json("/api/v1/search?q=peace+treaty+islands&n=1");
    assert_eq!(
        json["hits"][0]["title"],
        "Islands, fishermen and the treaty nobody signs"
    );
    // The server never took the writer lock: another ingest can still write.
    opedex(&[
        "ingest",
        "-q",
        "--index",
        s(&index),
        s(&fixture("pages/two_authors.txt")),
    ])
    .expect(0);
}

#[test]
fn a_client_that_never_finishes_its_request_is_dropped() {
    let dir = tempdir();
    let (index, run) = ingest_fresh(dir.path(), &[s(&fixture("pages/basic.txt"))]);
    run.expect(0);
    let server = Server::start(&index);
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.write_all(b"GET /api/v1/healthz HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let _ = slow.read_to_end(&mut buf);
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(25),
        "the connection stayed open {waited:?}"
    );
    // Meanwhile others are served.
    let (status, _) = server.json("/api/v1/healthz");
    assert_eq!(status, 200);
}
