//! A hand-written SVG chart of a run: latency over time (p50, p99), connections (client side
//! and the server's gauge), and joins and admissions over time.

use std::fmt::Write;

use crate::report::Report;

const W: f64 = 900.0;
const PANEL_H: f64 = 180.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 40.0;
const GAP: f64 = 50.0;

/// One line of a panel: its name, colour and points (seconds, value).
struct Line<'a> {
    name: &'a str,
    colour: &'a str,
    points: Vec<(f64, f64)>,
}

pub fn render(r: &Report) -> String {
    let start_s = r.started_unix_ms as f64 / 1e3;
    let server = |f: fn(&crate::probe::ServerSample) -> f64| -> Vec<(f64, f64)> {
        r.server_series
            .iter()
            .map(|s| (s.at_ms as f64 / 1e3 - start_s, f(s)))
            .filter(|(t, _)| *t >= 0.0)
            .collect()
    };
    let series = |f: fn(&crate::report::Point) -> f64| -> Vec<(f64, f64)> {
        r.series.iter().map(|p| (p.t as f64, f(p))).collect()
    };
    // Latency only where something was measured in that second.
    let measured = |f: fn(&crate::report::Point) -> f64| -> Vec<(f64, f64)> {
        r.series
            .iter()
            .filter(|p| p.samples > 0)
            .map(|p| (p.t as f64, f(p)))
            .collect()
    };
    let latency_name = if r.scenario == "waiters" {
        "push latency"
    } else {
        "request latency"
    };
    let panels = [
        (
            format!("{latency_name} per second (ms)"),
            vec![
                Line {
                    name: "p50",
                    colour: "#1f77b4",
                    points: measured(|p| p.p50_ms),
                },
                Line {
                    name: "p99",
                    colour: "#d62728",
                    points: measured(|p| p.p99_ms),
                },
            ],
        ),
        (
            "connections".to_owned(),
            vec![
                Line {
                    name: "held by usher-load",
                    colour: "#2ca02c",
                    points: series(|p| p.open as f64),
                },
                Line {
                    name: "usher_ws_connections",
                    colour: "#9467bd",
                    points: server(|s| s.ws_connections as f64),
                },
            ],
        ),
        (
            "joins and admissions (cumulative)".to_owned(),
            vec![
                Line {
                    name: "joins",
                    colour: "#ff7f0e",
                    points: series(|p| p.joins_total as f64),
                },
                Line {
                    name: "admitted",
                    colour: "#17becf",
                    points: series(|p| p.admitted_total as f64),
                },
            ],
        ),
    ];
    let t_max = panels
        .iter()
        .flat_map(|(_, lines)| lines.iter().flat_map(|l| l.points.iter().map(|p| p.0)))
        .fold(1.0_f64, f64::max);
    let h = TOP + panels.len() as f64 * (PANEL_H + GAP) + 10.0;
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{h}" viewBox="0 0 {W} {h}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(o, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        o,
        r#"<text x="{LEFT}" y="20" font-size="14">usher-load {} — {} planned, {:.0} s, {}</text>"#,
        escape(&r.scenario),
        r.planned,
        r.duration_s,
        escape(&r.targets.join(", "))
    );
    for (k, (title, lines)) in panels.iter().enumerate() {
        let y0 = TOP + k as f64 * (PANEL_H + GAP);
        panel(&mut o, y0, title, lines, t_max);
    }
    o.push_str("</svg>\n");
    o
}

fn panel(o: &mut String, y0: f64, title: &str, lines: &[Line], t_max: f64) {
    let v_max = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let x = |t: f64| LEFT + t / t_max * (W - LEFT - RIGHT);
    let y = |v: f64| y0 + PANEL_H - v / v_max * PANEL_H;
    let _ = writeln!(
        o,
        r#"<text x="{LEFT}" y="{}" font-size="12">{}</text>"#,
        y0 - 6.0,
        escape(title)
    );
    let _ = writeln!(
        o,
        r##"<rect x="{LEFT}" y="{y0}" width="{}" height="{PANEL_H}" fill="none" stroke="#999"/>"##,
        W - LEFT - RIGHT
    );
    for frac in [0.0, 0.5, 1.0] {
        let v = v_max * frac;
        let _ = writeln!(
            o,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            LEFT - 4.0,
            y(v) + 4.0,
            short(v)
        );
    }
    for frac in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let t = t_max * frac;
        let _ = writeln!(
            o,
            r#"<text x="{}" y="{}" text-anchor="middle">{:.0} s</text>"#,
            x(t),
            y0 + PANEL_H + 14.0,
            t
        );
    }
    for (k, l) in lines.iter().enumerate() {
        if !l.points.is_empty() {
            let pts: Vec<String> = l
                .points
                .iter()
                .map(|&(t, v)| format!("{:.1},{:.1}", x(t), y(v)))
                .collect();
            let _ = writeln!(
                o,
                r#"<polyline fill="none" stroke="{}" stroke-width="1.5" points="{}"/>"#,
                l.colour,
                pts.join(" ")
            );
        }
        let lx = LEFT + 10.0 + k as f64 * 180.0;
        let _ = writeln!(
            o,
            r#"<rect x="{lx}" y="{}" width="10" height="3" fill="{}"/><text x="{}" y="{}">{}</text>"#,
            y0 + 10.0,
            l.colour,
            lx + 14.0,
            y0 + 14.0,
            escape(l.name)
        );
    }
}

fn short(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if v >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if v >= 10.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
