//! Load on `opedex serve`, for the benchmark suite (`bench/load.sh`).
//!
//! Two measurements of the same query list, so that they can be put side by
//! side:
//!
//! - `--in-process INDEX`: one thread calls [`opedex::Index::search`] for each
//!   query (after a warm-up round) and prints the mean, p50 and p99, and
//!   `capacity_rps`, the throughput the machine's cores give in-process
//!   (cores ÷ mean search time).
//! - `--addr HOST:PORT`: `--clients` threads, each with one keep-alive HTTP/1.1
//!   connection, send `GET /api/v1/search?q=…` back to back for `--seconds`,
//!   taking the queries in turn. Prints requests, errors (a status other than
//!   200, or a broken connection), throughput, p50 and p99.
//!
//! `--facets` asks for facet counts with every search (both modes).
//! Output is one JSON object per run, on standard output.
//!
//! Run: `cargo run --release --example http_load -- QUERIES.txt (--in-process INDEX | --addr HOST:PORT [--clients N] [--seconds S]) [--facets]`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use opedex::{Index, SearchRequest};

enum Mode {
    InProcess(String),
    Http(String),
}

struct Args {
    queries: Vec<String>,
    mode: Mode,
    clients: usize,
    seconds: u64,
    facets: bool,
}

const USAGE: &str = "usage: http_load QUERIES.txt (--in-process INDEX | --addr HOST:PORT [--clients N] [--seconds S]) [--facets]";

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let file = args.next().ok_or(USAGE)?;
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
    let queries: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    if queries.is_empty() {
        return Err(format!("{file}: no queries"));
    }
    let (mut index, mut addr) = (None, None);
    let mut out = Args {
        queries,
        mode: Mode::Http(String::new()),
        clients: 32,
        seconds: 60,
        facets: false,
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--in-process" => index = Some(value()?),
            "--addr" => addr = Some(value()?),
            "--clients" => out.clients = value()?.parse().map_err(|e| format!("--clients: {e}"))?,
            "--seconds" => out.seconds = value()?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--facets" => out.facets = true,
            _ => return Err(format!("unknown argument {flag}\n{USAGE}")),
        }
    }
    out.mode = match (index, addr) {
        (Some(dir), None) => Mode::InProcess(dir),
        (None, Some(addr)) => Mode::Http(addr),
        _ => return Err(USAGE.into()),
    };
    Ok(out)
}

fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    let ms: Vec<f64> = sorted.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    opedex::eval::nearest_rank(&ms, p / 100.0).unwrap_or(0.0)
}

fn in_process(args: &Args, dir: &str) -> Result<String, Box<dyn std::error::Error>> {
    let index = Index::open(dir)?;
    let request = |q: &str| {
        let mut req = SearchRequest::new(q);
        req.facets = args.facets;
        req
    };
    for q in &args.queries {
        index.search(&request(q))?;
    }
    let mut times = Vec::with_capacity(args.queries.len());
    for q in &args.queries {
        let start = Instant::now();
        index.search(&request(q))?;
        times.push(start.elapsed());
    }
    let mean = times.iter().sum::<Duration>().as_secs_f64() / times.len() as f64;
    times.sort();
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    Ok(format!(
        "{{\"mode\":\"in-process\",\"facets\":{},\"queries\":{},\"cores\":{cores},\"mean_ms\":{:.3},\"p50_ms\":{:.3},\"p99_ms\":{:.3},\"capacity_rps\":{:.1}}}",
        args.facets,
        times.len(),
        mean * 1e3,
        percentile_ms(&times, 50.0),
        percentile_ms(&times, 99.0),
        cores as f64 / mean
    ))
}

/// Percent-encodes a query-string value.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One request on a keep-alive connection: the status code, after the whole
/// body has been read.
fn request(conn: &mut BufReader<TcpStream>, addr: &str, path: &str) -> std::io::Result<u16> {
    write!(
        conn.get_mut(),
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\n\r\n"
    )?;
    let mut line = String::new();
    conn.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut length = None;
    loop {
        line.clear();
        if conn.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<u64>().ok();
            }
        }
    }
    let length = length.ok_or_else(|| std::io::Error::other("response without Content-Length"))?;
    std::io::copy(&mut conn.by_ref().take(length), &mut std::io::sink())?;
    Ok(status)
}

struct ClientResult {
    latencies: Vec<Duration>,
    errors: usize,
}

fn client(args: &Args, addr: &str, first: usize, stop: &AtomicBool) -> ClientResult {
    let mut result = ClientResult {
        latencies: Vec::new(),
        errors: 0,
    };
    let facets = if args.facets { "&facets=true" } else { "" };
    let mut conn: Option<BufReader<TcpStream>> = None;
    let mut i = first;
    while !stop.load(Ordering::Relaxed) {
        let q = &args.queries[i % args.queries.len()];
        i += 1;
        let path = format!("/api/v1/search?q={}&n=10{facets}", encode(q));
        let start = Instant::now();
        let status = match conn.as_mut() {
            Some(c) => request(c, addr, &path),
            None => TcpStream::connect(addr).and_then(|s| {
                s.set_nodelay(true)?;
                let c = conn.insert(BufReader::new(s));
                request(c, addr, &path)
            }),
        };
        match status {
            Ok(200) => result.latencies.push(start.elapsed()),
            Ok(_) => result.errors += 1,
            Err(_) => {
                result.errors += 1;
                conn = None;
            }
        }
    }
    result
}

fn over_http(args: &Args, addr: &str) -> String {
    let stop = AtomicBool::new(false);
    let started = Instant::now();
    let results: Vec<ClientResult> = thread::scope(|s| {
        let handles: Vec<_> = (0..args.clients)
            .map(|c| {
                let stop = &stop;
                s.spawn(move || client(args, addr, c * 7919, stop))
            })
            .collect();
        thread::sleep(Duration::from_secs(args.seconds));
        stop.store(true, Ordering::Relaxed);
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or(ClientResult {
                    latencies: Vec::new(),
                    errors: 1,
                })
            })
            .collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    let errors: usize = results.iter().map(|r| r.errors).sum();
    let mut latencies: Vec<Duration> = results.into_iter().flat_map(|r| r.latencies).collect();
    latencies.sort();
    format!(
        "{{\"mode\":\"http\",\"facets\":{},\"clients\":{},\"seconds\":{elapsed:.1},\"requests\":{},\"errors\":{errors},\"throughput_rps\":{:.1},\"p50_ms\":{:.3},\"p99_ms\":{:.3}}}",
        args.facets,
        args.clients,
        latencies.len(),
        latencies.len() as f64 / elapsed,
        percentile_ms(&latencies, 50.0),
        percentile_ms(&latencies, 99.0)
    )
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("http_load: {e}");
            return ExitCode::from(2);
        }
    };
    let line = match &args.mode {
        Mode::InProcess(dir) => match in_process(&args, dir) {
            Ok(line) => line,
            Err(e) => {
                eprintln!("http_load: {e}");
                return ExitCode::from(2);
            }
        },
        Mode::Http(addr) => over_http(&args, addr),
    };
    println!("{line}");
    ExitCode::SUCCESS
}
