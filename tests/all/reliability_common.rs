//! Helpers of the reliability tests: generated corpora, background ingests,
//! what an index holds, and kill/interrupt signals.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Writes `n` generated articles as JSON Lines: ids `gen-000000`…, each a
/// single passage of made-up words, all different enough never to be
/// merged as syndicated copies.
pub fn generated_jsonl(path: &Path, n: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..n {
        let words: Vec<String> = (0..70)
            .map(|_| {
                let r = next();
                let len = 3 + (r % 7) as usize;
                (0..len)
                    .map(|k| (b'a' + ((r >> (8 + 5 * k)) % 26) as u8) as char)
                    .collect()
            })
            .collect();
        let body = format!("Generated piece number {i}. {}.", words.join(" "));
        let line = serde_json::json!({
            "id": format!("gen-{i:06}"),
            "title": format!("Generated column {i}"),
            "body": body,
            "outlet": "The Generated Gazette",
            "published": "2021-03-04",
            "lang": "en",
        });
        writeln!(out, "{line}").unwrap();
    }
}

/// Starts `opedex` with `args` in the background.
pub fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_opedex"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the opedex binary starts")
}

/// Exit code and both streams of a finished child.
pub fn finish(child: Child) -> (Option<i32>, String, String) {
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Sends a signal by name (`INT`, `TERM`) with the system's `kill`.
pub fn signal(child: &Child, name: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill runs")
        .success();
    assert!(ok, "kill -{name} failed");
}

/// The commit stamp in `meta.json`, if there is a readable one.
pub fn opstamp(index: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(index.join("meta.json")).ok()?;
    serde_json::from_str::<Value>(&text).ok()?["opstamp"].as_u64()
}

/// Waits until the index has a commit newer than `after` (or any commit when
/// `after` is `None`); false when the child ended or time ran out first.
pub fn wait_for_commit(child: &mut Child, index: &Path, after: Option<u64>) -> bool {
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        if let Some(stamp) = opstamp(index) {
            if after.is_none_or(|a| stamp > a) {
                return true;
            }
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

/// `opedex stats --json` of the index; panics with stderr unless it succeeds.
pub fn stats(index: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_opedex"))
        .args(["stats", "--json", "--index", index.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "stats failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Articles and passages the index holds.
pub fn counts(index: &Path) -> (u64, u64) {
    let s = stats(index);
    (
        s["articles"].as_u64().unwrap(),
        s["passages"].as_u64().unwrap(),
    )
}

/// Runs a command to completion: (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let (code, out, err) = finish(spawn(args));
    (code.unwrap_or(-1), out, err)
}

/// Checks that the index holds exactly the first `n` generated articles,
/// each whole (one passage each), and that `search` works on it.
pub fn holds_prefix(index: &Path, n: u64) {
    let idx = index.to_str().unwrap();
    assert_eq!(counts(index), (n, n), "articles and passages");
    if n > 0 {
        let last = format!("gen-{:06}", n - 1);
        let (code, _, err) = run(&["show", &last, "--index", idx]);
        assert_eq!(code, 0, "{last} should be committed: {err}");
        let (code, out, err) = run(&["search", "generated column", "-n", "3", "--index", idx]);
        assert_eq!(code, 0, "search after recovery: {out}{err}");
    }
    let next = format!("gen-{n:06}");
    let (code, _, _) = run(&["show", &next, "--index", idx]);
    assert_eq!(code, 2, "{next} should not be committed");
}

/// Path as `&str`.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Whether this process may mount file systems (root in a namespace that
/// allows it); prints why not.
pub fn can_mount(probe: &Path) -> bool {
    std::fs::create_dir_all(probe).unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs", s(probe)])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|st| st.success());
    if ok {
        let _ = Command::new("umount").arg(probe).status();
    } else {
        eprintln!("SKIPPED: cannot mount a tmpfs here (not root, or no mount permission)");
    }
    ok
}

/// A tmpfs mounted for one test, unmounted on drop.
pub struct Tmpfs(pub PathBuf);

impl Tmpfs {
    pub fn mount(at: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs", s(at)])
            .status()
            .unwrap()
            .success();
        assert!(ok, "mount tmpfs at {}", at.display());
        Tmpfs(at.to_path_buf())
    }

    pub fn remount_read_only(&self) {
        self.remount("ro");
    }

    pub fn remount_read_write(&self) {
        self.remount("rw");
    }

    fn remount(&self, mode: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{mode}"), s(&self.0)])
            .status()
            .unwrap()
            .success();
        assert!(ok, "remount {mode}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// True when file permissions do not stop this process (root).
pub fn permissions_ignored(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("perm-probe");
    std::fs::write(&probe, "x").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(&probe).is_ok();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::remove_file(&probe).unwrap();
    readable
}

/// Starts a run with `start`, kills it after `first`, calls `after_kill`,
/// and starts it again with a delay `step` longer, until a run completes
/// (exit 0) before it is killed. Kills at growing delays land before,
/// between and inside commits. Returns the number of kills.
pub fn kill_until_complete(
    mut start: impl FnMut() -> Child,
    first: Duration,
    step: Duration,
    mut after_kill: impl FnMut(),
) -> usize {
    let mut delay = first;
    let mut kills = 0;
    loop {
        let mut child = start();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_some() {
            let (code, out, err) = finish(child);
            assert_eq!(code, Some(0), "{out}{err}");
            break;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        after_kill();
        delay += step;
        assert!(kills < 60, "the ingest never finished");
    }
    eprintln!("killed {kills} times before a run completed");
    kills
}
