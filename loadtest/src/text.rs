//! The report as text, for stdout.

use std::fmt::Write;

use crate::report::Report;
use crate::report::attack::AttackFigures;
use crate::report::onsale::OnsaleFigures;

pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let _ = write_all(&mut o, r);
    o
}

fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / 1_048_576.0)
}

fn write_all(o: &mut String, r: &Report) -> std::fmt::Result {
    writeln!(o, "usher-load {} on {}", r.scenario, r.targets.join(", "))?;
    writeln!(
        o,
        "  event {}, {} planned, {:.1} s, {} process(es) x {} source address(es), fd limit {}",
        r.event, r.planned, r.duration_s, r.processes, r.sources_per_process, r.fd_limit
    )?;
    writeln!(o, "counts:")?;
    // An attack's own counts are listed in its section.
    let attack = |k: &str| r.attack.is_some() && k.starts_with("attack.");
    for (k, v) in r.counters.iter().filter(|(k, _)| !attack(k)) {
        writeln!(o, "  {k:<32} {v}")?;
    }
    if !r.latency.is_empty() {
        writeln!(
            o,
            "latency (ms)                           count     p50     p90     p99   p99.9     max"
        )?;
        for (k, s) in &r.latency {
            writeln!(
                o,
                "  {k:<32} {:>10} {:>7.1} {:>7.1} {:>7.1} {:>7.1} {:>7.1}",
                s.count, s.p50_ms, s.p90_ms, s.p99_ms, s.p999_ms, s.max_ms
            )?;
        }
    }
    writeln!(
        o,
        "rates: {:.1} joins/s, {:.1} requests/s, {:.1} admissions/s",
        r.rates.joins_per_s, r.rates.requests_per_s, r.rates.admissions_per_s
    )?;
    if let Some(w) = &r.waiters {
        writeln!(
            o,
            "waiters: {} joined, {} admitted, {} left; {} position increases ({} waiters); {:.2} position pushes per waiter",
            w.joined,
            w.admitted,
            w.left,
            w.position_increases,
            w.waiters_with_increases,
            w.mean_position_pushes
        )?;
        if let Some(f) = &w.fairness {
            writeln!(
                o,
                "fairness: Spearman {:.6} over {} admitted; {} overtaken",
                f.spearman, f.admitted, f.overtaken
            )?;
        }
        if let Some(e) = &w.eta {
            writeln!(
                o,
                "ETA accuracy: {:.1} % over {} waiters",
                e.accuracy * 100.0,
                e.samples
            )?;
            for (k, d) in e.deciles.iter().enumerate() {
                writeln!(
                    o,
                    "  decile {:>2}: positions {:>6}..{:<6} {:>6} waiters, mean wait {:>7.1} s, accuracy {:.1} %",
                    k + 1,
                    d.positions[0],
                    d.positions[1],
                    d.samples,
                    d.mean_wait_s,
                    d.accuracy * 100.0
                )?;
            }
        }
    }
    if let Some(s) = &r.server {
        writeln!(
            o,
            "server: RSS {} before, {} at peak ({} sockets), {} after; CPU {:.1} s",
            mib(s.before.rss_bytes as f64),
            mib(s.peak.rss_bytes as f64),
            s.peak.ws_connections,
            mib(s.after.rss_bytes as f64),
            s.cpu_seconds
        )?;
        if let Some(b) = s.rss_per_connection_bytes {
            writeln!(
                o,
                "  RSS per connection: {:.0} bytes ({:.2} KiB)",
                b,
                b / 1024.0
            )?;
        }
        if let Some(c) = s.cpu_per_10k_waiters_per_min {
            writeln!(
                o,
                "  CPU per 10,000 waiters per minute: {c:.3} s (whole run)"
            )?;
        }
        if let Some(i) = &s.idle {
            writeln!(
                o,
                "  idle window {:.1} s, {} sockets: CPU {:.2} s, {} per 10,000 waiters per minute, RSS per connection {}",
                i.seconds,
                i.ws_connections,
                i.cpu_seconds,
                i.cpu_per_10k_waiters_per_min
                    .map_or("-".into(), |c| format!("{c:.3} s")),
                i.rss_per_connection_bytes
                    .map_or("-".into(), |b| format!("{b:.0} bytes")),
            )?;
        }
    }
    if let Some(rd) = &r.redis {
        writeln!(
            o,
            "redis: {} commands, {:.1}/s, {} per waiter per second",
            rd.commands,
            rd.per_second,
            rd.per_waiter_per_second
                .map_or("-".into(), |v| format!("{v:.4}"))
        )?;
        let top: Vec<String> = rd.top.iter().map(|(k, v)| format!("{k} {v}")).collect();
        writeln!(o, "  top: {}", top.join(", "))?;
        if let Some(i) = &rd.idle {
            writeln!(
                o,
                "  idle window {:.1} s: {} commands, {:.1}/s, {} per waiter per second",
                i.seconds,
                i.commands,
                i.per_second,
                i.per_waiter_per_second
                    .map_or("-".into(), |v| format!("{v:.4}"))
            )?;
        }
    }
    if let Some(x) = &r.oversell {
        writeln!(
            o,
            "oversell check: {} ({} confirmed reservations, {} seats; sold {} -> {} of {}, {} held)",
            if x.ok { "ok" } else { "FAILED" },
            x.confirmed_reservations,
            x.confirmed_seats,
            x.sold_before,
            x.sold_after,
            x.total_seats,
            x.held_after
        )?;
        for f in &x.findings {
            writeln!(o, "  {f}")?;
        }
    }
    if let Some(a) = &r.attack {
        write_attack(o, a)?;
    }
    if let Some(x) = &r.onsale {
        write_onsale(o, x)?;
    }
    writeln!(
        o,
        "client: CPU {:.1} s, max RSS {}",
        r.client.cpu_seconds,
        mib(r.client.max_rss_bytes as f64)
    )?;
    if r.problems.is_empty() {
        writeln!(o, "problems: none")?;
    } else {
        for p in &r.problems {
            writeln!(o, "PROBLEM: {p}")?;
        }
    }
    Ok(())
}

fn write_attack(o: &mut String, a: &AttackFigures) -> std::fmt::Result {
    let ms = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.1} ms"));
    let listed = |m: &std::collections::BTreeMap<String, u64>| {
        let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k} {v}")).collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        }
    };
    writeln!(
        o,
        "attack {}: {} attacker address(es) for {} s beside {} legitimate waiters from {} address(es)",
        a.kind, a.attack_sources, a.attack_duration_s, a.legit.waiters, a.legit_sources
    )?;
    let l = &a.legit;
    writeln!(
        o,
        "  legitimate joins: {} ok, {} failed{}; p50 {}, p99 {}{}",
        l.joins_ok,
        l.joins_failed,
        listed(&l.join_failures),
        ms(l.join_p50_ms),
        ms(l.join_p99_ms),
        a.baseline_join_p99_ms
            .map_or(String::new(), |b| format!(" (baseline {b:.1} ms)"))
    )?;
    writeln!(
        o,
        "  legitimate WebSockets: {} reached ready, {} failed{}; push p99 {}; {} unfinished",
        l.ws_ok,
        l.ws_failed,
        listed(&l.ws_failures),
        ms(l.push_p99_ms),
        l.unfinished
    )?;
    match &a.server {
        Some(p) => {
            let first = p.first.unwrap_or_default();
            writeln!(
                o,
                "  server ({}, {} readings, {} failed): peak RSS {}{}, peak fds {}; first {}, {} fds",
                p.source,
                p.samples,
                p.failed,
                mib(p.peak.rss_bytes as f64),
                if p.peak.hwm_bytes > 0 {
                    format!(" (VmHWM {})", mib(p.peak.hwm_bytes as f64))
                } else {
                    String::new()
                },
                p.peak.fds,
                mib(first.rss_bytes as f64),
                first.fds
            )?;
        }
        None => writeln!(o, "  server: no readings")?,
    }
    if !a.sent.is_empty() {
        writeln!(o, "  attacker sent and was answered:")?;
        for (k, v) in &a.sent {
            writeln!(o, "    {k:<40} {v}")?;
        }
    }
    for t in &a.targets {
        writeln!(
            o,
            "  target {}: {} ({})",
            if t.met { "met" } else { "MISSED" },
            t.target,
            t.detail
        )?;
    }
    Ok(())
}

fn write_onsale(o: &mut String, x: &OnsaleFigures) -> std::fmt::Result {
    let ms = |v: Option<i64>| v.map_or("-".to_owned(), |v| format!("{v} ms"));
    let fms = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.0}"));
    writeln!(
        o,
        "on-sale (random start): {} joined over {:.1} s, sale_starts_at {} ({:.1} s after the window); {} given a rank, {} late joiners",
        x.joined, x.window_s, x.sale_starts_at_ms, x.start_after_s, x.ranked, x.late_joiners
    )?;
    match &x.draw {
        Some(d) => writeln!(
            o,
            "  draw: {}, {} entrants; closed {} and drawn {} after the start; seen drawn {}, admission opened {}",
            d.state,
            d.entrants.map_or("-".to_owned(), |n| n.to_string()),
            ms(d.closed_after_start_ms),
            ms(d.drawn_after_start_ms),
            ms(d.seen_drawn_after_start_ms),
            ms(d.admission_opened_after_start_ms)
        )?,
        None => writeln!(o, "  draw: no record read")?,
    }
    let f = &x.first_position;
    writeln!(
        o,
        "  first drawn position, sale start to client receipt: {} received, {} never; p50 {:.0} ms, p90 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        f.received, f.missing, f.p50_ms, f.p90_ms, f.p99_ms, f.max_ms
    )?;
    writeln!(
        o,
        "    (server_time: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; from the draw's drawn_at to receipt: p50 {}, p99 {}, max {} ms)",
        f.server_p50_ms,
        f.server_p99_ms,
        f.server_max_ms,
        fms(f.after_draw_p50_ms),
        fms(f.after_draw_p99_ms),
        fms(f.after_draw_max_ms),
    )?;
    writeln!(
        o,
        "    {} told by a snapshot after a reconnect; {} admitted before their position push (told by ready)",
        f.via_snapshot, f.told_by_ready
    )?;
    let k = &x.ranks;
    writeln!(
        o,
        "  ranks: {} given twice, {} out of range, {} changed; {} position increases after the draw; first position = rank for {} of {}",
        k.duplicates,
        k.out_of_range,
        k.changed,
        k.position_increases,
        k.position_equals_rank,
        x.ranked
    )?;
    match &x.uniformity {
        Some(u) => {
            writeln!(
                o,
                "  uniformity: chi-square {:.2} with {} degrees of freedom over {} entrants ({:.1} expected per cell), p = {:.4}: {} (pass at p >= {})",
                u.chi_square,
                u.degrees_of_freedom,
                u.entrants,
                u.expected_per_cell,
                u.p_value,
                if u.pass { "pass" } else { "FAIL" },
                u.alpha
            )?;
            writeln!(o, "    p-value: {}", u.method)?;
            if u.expected_per_cell < 5.0 {
                writeln!(
                    o,
                    "    (fewer than 5 expected per cell: the chi-square approximation is rough)"
                )?;
            }
            writeln!(
                o,
                "    arrival decile (rows) by drawn-rank decile (columns):"
            )?;
            for (a, row) in u.table.iter().enumerate() {
                let cells: Vec<String> = row.iter().map(|c| format!("{c:>6}")).collect();
                writeln!(o, "    {:>2}: {}", a + 1, cells.join(""))?;
            }
        }
        None => writeln!(
            o,
            "  uniformity: not tested (fewer than {} ranked entrants)",
            crate::report::onsale::MIN_UNIFORMITY_ENTRANTS
        )?,
    }
    let a = &x.order;
    writeln!(
        o,
        "  admission: {} of {} joined admitted ({} ranked) at {}/s, burst {}, admit delay {} ms, in {} steps; ranked ready from {} to {} after the start{}",
        a.admitted,
        a.joined,
        a.ranked_admitted,
        a.admit_rate,
        a.admit_burst,
        a.admit_delay_ms,
        a.steps,
        ms(a.first_ready_after_start_ms),
        ms(a.last_ready_after_start_ms),
        a.admissions_per_s
            .map_or(String::new(), |r| format!(" ({r:.1}/s)"))
    )?;
    writeln!(
        o,
        "  delivery of ready: {} pairs against the ranks beyond {} ms by server_time ({} entrants; largest step back {} ms); drawn order: {} inversions of admission steps (admitted_at); {} late joiners ahead",
        a.inversions,
        a.tolerance_ms,
        a.entrants_out_of_order,
        a.largest_backstep_ms,
        a.step_inversions,
        a.late_joiners_ahead
    )?;
    Ok(())
}
