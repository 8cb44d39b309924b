//! The crate's top-level modules form a one-way stack: each may use only the modules below it.
//!
//! Read from the sources: every `crate::<module>` path outside comments, in every file of a
//! top-level module (its tests included), is an edge from that module. The test fails on a
//! module missing from [`STACK`], on an edge that points up the stack, and on any cycle (so
//! the stack can only be reordered, never bent into a loop).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Bottom first. Each module may use only the modules listed before it.
const STACK: &[&str] = &[
    // Foundations.
    "domain",
    "draw",
    "clock",
    "shutdown",
    "metrics",
    "config",
    "telemetry",
    // The wire protocol: WebSocket messages, the status payload, purchase notices.
    "protocol",
    // The storage contract and its implementations.
    "store",
    // Who is calling.
    "auth",
    // Queue rules, once, above the store.
    "queue",
    // The per-node fan-out.
    "hub",
    // The backends' gRPC clients.
    "upstream",
    // Reservations and payments over them.
    "purchase",
    // The seed's error envelope, and every error mapped to it.
    "error",
    // Connections: listener, per-client limits.
    "net",
    // The application state the edge shares.
    "app",
    // The edge.
    "ws",
    "http",
    // Assembly.
    "server",
    "cli",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`None` for the crate roots).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let first = file.strip_prefix(src).unwrap().components().next()?;
    let name = first.as_os_str().to_str()?.trim_end_matches(".rs");
    (!matches!(name, "lib" | "main")).then(|| name.to_owned())
}

/// The modules named as `crate::<name>` or inside `crate::{...}` on a line of code.
fn referenced(line: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end]
                .split(',')
                .map(|item| item.trim().split("::").next().unwrap_or(""))
                .collect()
        } else {
            vec![
                rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    .unwrap_or(""),
            ]
        };
        for name in names {
            if modules.contains(name) {
                found.insert(name.to_owned());
            }
        }
    }
    found
}

/// Module → the modules it uses, read from `src/`.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(&src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = modules
        .iter()
        .map(|m| (m.clone(), BTreeSet::new()))
        .collect();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for used in referenced(code, &modules) {
                if used != module {
                    graph.get_mut(&module).unwrap().insert(used);
                }
            }
        }
    }
    graph
}

/// The cycles' members: strongly connected components with more than one module.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    // Two modules are in one cycle when each reaches the other.
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(m) = todo.pop() {
            for next in &graph[&m] {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|m| (m, reach(m))).collect();
    let mut components: Vec<BTreeSet<String>> = Vec::new();
    for (m, r) in &reaches {
        let component: BTreeSet<String> = r
            .iter()
            .filter(|other| reaches[other].contains(*m))
            .cloned()
            .collect();
        if component.len() > 1 && !components.contains(&component) {
            components.push(component);
        }
    }
    components
}

#[test]
fn top_level_modules_form_a_one_way_stack() {
    let graph = graph();
    for (module, uses) in &graph {
        println!(
            "{module} -> {}",
            Vec::from_iter(uses.iter().cloned()).join(", ")
        );
    }
    let cycles = cycles(&graph);
    assert!(
        cycles.is_empty(),
        "import cycles between modules: {cycles:?}"
    );
    let rank = |m: &str| STACK.iter().position(|s| *s == m);
    for module in graph.keys() {
        assert!(
            rank(module).is_some(),
            "module {module} is not in the stack: add it to STACK in tests/architecture.rs"
        );
    }
    let upward: Vec<String> = graph
        .iter()
        .flat_map(|(m, uses)| {
            uses.iter()
                .filter(|u| rank(u) > rank(m))
                .map(move |u| format!("{m} -> {u}"))
        })
        .collect();
    assert!(upward.is_empty(), "edges up the stack: {upward:?}");
}

#[test]
fn the_checks_see_cycles_and_paths_in_groups() {
    let modules: BTreeSet<String> = ["a", "b", "c"].map(String::from).into();
    assert_eq!(
        referenced("use crate::{a::X, c, zz};", &modules),
        ["a", "c"].map(String::from).into()
    );
    assert_eq!(
        referenced("let x = crate::b::f(crate::a::Y);", &modules),
        ["a", "b"].map(String::from).into()
    );
    let g = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = modules
            .iter()
            .map(|m| (m.clone(), BTreeSet::new()))
            .collect();
        for (from, to) in edges {
            g.get_mut(*from).unwrap().insert((*to).to_owned());
        }
        g
    };
    assert!(cycles(&g(&[("a", "b"), ("b", "c")])).is_empty());
    assert_eq!(
        cycles(&g(&[("a", "b"), ("b", "c"), ("c", "a")])),
        vec![modules.clone()]
    );
}
