//! Replays every committed fuzz input on the stable toolchain: each target of
//! [`rihla_fuzz_harness::TARGETS`] runs on every file of `fuzz/corpus/<target>/` and
//! `fuzz/regressions/<target>/`. A panic (an engine panic or a broken invariant) fails the
//! test, naming the file and the message — except for the files listed in
//! `fuzz/regressions/KNOWN_FAILING` (`<target>/<file>` per line, `#` comments), crashes
//! found before their fix landed: they are reported, not failed, and a listed file that
//! passes fails the test until its line is removed, so the list only ever shrinks.

use rihla_fuzz_harness::TARGETS;
use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The files of a directory, sorted (none when it does not exist).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn known_failing() -> BTreeSet<String> {
    let path = fuzz_dir().join("regressions/KNOWN_FAILING");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

#[test]
fn every_corpus_and_regression_input_replays() {
    let known = known_failing();
    let (mut failures, mut still_known, mut fixed, mut slow) = (vec![], vec![], vec![], vec![]);
    let mut counts = Vec::new();
    // The expected panics of known failures would flood the output: silence the hook
    // while replaying, and report every message below.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for (target, run) in TARGETS {
        let corpus = files(&fuzz_dir().join("corpus").join(target));
        let regressions = files(&fuzz_dir().join("regressions").join(target));
        counts.push(format!(
            "{target}: {} + {}",
            corpus.len(),
            regressions.len()
        ));
        if corpus.is_empty() {
            failures.push(format!(
                "{target}: fuzz/corpus/{target}/ is empty or missing"
            ));
        }
        for file in corpus.iter().chain(&regressions) {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("?");
            let key = format!("{target}/{name}");
            let data = std::fs::read(file).unwrap_or_default();
            let start = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| run(&data)));
            if start.elapsed() > Duration::from_secs(2) {
                slow.push(format!("{key}: {:?}", start.elapsed()));
            }
            match (outcome, known.contains(&key)) {
                (Ok(()), false) => {}
                (Ok(()), true) => fixed.push(key),
                (Err(p), true) => still_known.push(format!("{key}: {}", message(&*p))),
                (Err(p), false) => failures.push(format!("{key}: {}", message(&*p))),
            }
        }
    }
    std::panic::set_hook(hook);
    eprintln!("replayed (corpus + regressions): {}", counts.join(", "));
    if !still_known.is_empty() {
        eprintln!(
            "{} known failures (fuzz/regressions/KNOWN_FAILING), not yet fixed:\n  {}",
            still_known.len(),
            still_known.join("\n  ")
        );
    }
    if !slow.is_empty() {
        eprintln!("slow inputs (> 2 s each):\n  {}", slow.join("\n  "));
    }
    for key in &fixed {
        failures.push(format!(
            "{key} passes now: remove its line from fuzz/regressions/KNOWN_FAILING"
        ));
    }
    assert!(
        failures.is_empty(),
        "{} fuzz inputs fail:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}
