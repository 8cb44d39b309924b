//! The `onsale` figures: how long every entrant waited for its drawn position after the sale
//! started, whether the draw is uniform over arrival order (a chi-square test of
//! independence), and whether admission followed the drawn ranks exactly.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::hist::round3;
use crate::raw::{EntrantSample, OnsaleSetup, Raw};

/// Significance level of the uniformity check: the draw fails when p < this.
pub const ALPHA: f64 = 0.001;

/// Fewest entrants with a drawn rank for the uniformity test (ten per arrival decile).
pub const MIN_UNIFORMITY_ENTRANTS: usize = 100;

/// How the p-value is computed.
pub const P_METHOD: &str = "Wilson-Hilferty normal approximation of the chi-square survival \
function (abs. error under 1e-4 at 81 degrees of freedom)";

/// What the controller saw of the draw and of admission.
#[derive(Clone, Debug, Default)]
pub struct OnsaleExtras {
    /// The last answer of `GET /api/v1/events/{id}/draw`.
    pub draw: Option<Value>,
    /// When the controller first saw the draw `drawn`, and when it then opened admission (ms
    /// since the epoch, client clock).
    pub drawn_seen_ms: Option<u64>,
    pub admission_opened_ms: Option<u64>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OnsaleFigures {
    /// The sale's start (ms since the epoch).
    pub sale_starts_at_ms: u64,
    pub window_s: f64,
    pub start_after_s: f64,
    /// Entrants whose join was accepted.
    pub joined: u64,
    /// Of them, given a drawn rank (the pre-queue at the close).
    pub ranked: u64,
    /// Given a position without a rank: joined after the entry list closed (FIFO behind the
    /// drawn ones).
    pub late_joiners: u64,
    pub draw: Option<DrawFigures>,
    pub first_position: FirstPosition,
    pub ranks: RankChecks,
    /// None with fewer than [`MIN_UNIFORMITY_ENTRANTS`] ranked entrants.
    pub uniformity: Option<Uniformity>,
    pub order: AdmissionOrder,
}

/// The public draw record, as the controller last read it; times relative to the start (ms).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DrawFigures {
    pub state: String,
    pub entrants: Option<u64>,
    /// `closed_at` and `drawn_at` (the store's clock) after `sale_starts_at`.
    pub closed_after_start_ms: Option<i64>,
    pub drawn_after_start_ms: Option<i64>,
    /// When the generator saw the draw made and opened admission (its own clock).
    pub seen_drawn_after_start_ms: Option<i64>,
    pub admission_opened_after_start_ms: Option<i64>,
}

/// Time from `sale_starts_at` to each entrant's first drawn position (or its `ready`, when
/// admission reached it before its position push).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FirstPosition {
    /// Entrants (joined before the close) that got their drawn position, and that never did.
    pub received: u64,
    pub missing: u64,
    /// Of those received, how many came in a `snapshot` (after a reconnect) rather than a
    /// `position` push.
    pub via_snapshot: u64,
    /// Entrants admitted before their drawn position was pushed: `ready` (which carries the
    /// rank) told them first, and its time counts as theirs.
    #[serde(default)]
    pub told_by_ready: u64,
    /// Start to the client's receipt (wall clock), ms.
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Start to the message's `server_time`, ms.
    pub server_p50_ms: f64,
    pub server_p99_ms: f64,
    pub server_max_ms: f64,
    /// The draw's `drawn_at` to the client's receipt, ms (with the draw record).
    pub after_draw_p50_ms: Option<f64>,
    pub after_draw_p99_ms: Option<f64>,
    pub after_draw_max_ms: Option<f64>,
}

/// Consistency of the ranks given.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RankChecks {
    /// Entrants given a rank another entrant already had (must be 0).
    pub duplicates: u64,
    /// Ranks outside 1..=entrants of the draw record (must be 0).
    pub out_of_range: u64,
    /// Entrants told a different rank later (must be 0).
    pub changed: u64,
    /// Times a position went up after the drawn one, and entrants it happened to (must be 0).
    pub position_increases: u64,
    pub entrants_with_increases: u64,
    /// Entrants whose first drawn position equals their rank (everyone, when nobody left
    /// before the draw and admission starts after it).
    pub position_equals_rank: u64,
}

/// Pearson's chi-square test of independence of drawn-rank decile and arrival decile.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Uniformity {
    pub entrants: u64,
    /// `table[a][r]`: entrants of arrival decile `a` (by arrival index) whose rank is in rank
    /// decile `r` (by rank among those counted).
    pub table: Vec<Vec<u64>>,
    /// Expected count of a cell (row total × column total ÷ entrants; N/100 when N is a
    /// multiple of 10).
    pub expected_per_cell: f64,
    pub chi_square: f64,
    pub degrees_of_freedom: u32,
    pub p_value: f64,
    pub method: String,
    pub alpha: f64,
    pub pass: bool,
}

/// Admission in drawn-rank order.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AdmissionOrder {
    pub admit_rate: f64,
    pub admit_burst: u32,
    /// Milliseconds from the draw to admission opening (`--admit-delay-ms`).
    #[serde(default)]
    pub admit_delay_ms: u64,
    pub tolerance_ms: u64,
    pub joined: u64,
    /// Joined entrants that got `ready` (late joiners included), and ranked ones among them.
    pub admitted: u64,
    pub ranked_admitted: u64,
    /// Distinct admission steps (`admitted_at`) among the ranked.
    pub steps: u64,
    /// Pairs of ranked entrants whose `ready` `server_time` runs against their ranks by more
    /// than the tolerance, and entrants told after a higher rank that way: how far apart the
    /// replicas delivered one order (each stamps `server_time` when it produces the push), not
    /// the order itself, which `step_inversions` checks.
    pub inversions: u64,
    pub entrants_out_of_order: u64,
    /// Largest amount by which a `ready` came before one of a lower rank (server_time, ms;
    /// within the tolerance when `inversions` is 0).
    pub largest_backstep_ms: u64,
    /// Pairs of ranked entrants admitted by steps (`admitted_at`, one per atomic admission
    /// step) against their ranks (must be 0).
    pub step_inversions: u64,
    /// Late joiners admitted in an earlier step than a ranked entrant (must be 0).
    pub late_joiners_ahead: u64,
    /// First and last ranked `ready` (server_time) after the start, ms.
    pub first_ready_after_start_ms: Option<i64>,
    pub last_ready_after_start_ms: Option<i64>,
    /// Ranked admissions per second between the first and last step.
    pub admissions_per_s: Option<f64>,
}

pub fn figures(raw: &Raw, setup: &OnsaleSetup, x: Option<&OnsaleExtras>) -> OnsaleFigures {
    let start = setup.sale_starts_at_ms;
    let rel = |ms: u64| ms as i64 - start as i64;
    let all = &raw.entrants;
    let ranked: Vec<&EntrantSample> = all.iter().filter(|s| s.drawn_rank.is_some()).collect();
    let late: Vec<&EntrantSample> = all
        .iter()
        .filter(|s| {
            s.drawn_rank.is_none() && (s.first_recv_us.is_some() || s.ready_recv_us.is_some())
        })
        .collect();
    let draw_entrants = x
        .and_then(|x| x.draw.as_ref())
        .and_then(|d| d["entrants"].as_u64());
    let draw = x.and_then(|x| {
        let d = x.draw.as_ref()?;
        Some(DrawFigures {
            state: d["state"].as_str().unwrap_or("").to_owned(),
            entrants: d["entrants"].as_u64(),
            closed_after_start_ms: d["closed_at"].as_u64().map(rel),
            drawn_after_start_ms: d["drawn_at"].as_u64().map(rel),
            seen_drawn_after_start_ms: x.drawn_seen_ms.map(rel),
            admission_opened_after_start_ms: x.admission_opened_ms.map(rel),
        })
    });
    let drawn_at = x
        .and_then(|x| x.draw.as_ref())
        .and_then(|d| d["drawn_at"].as_u64());
    OnsaleFigures {
        sale_starts_at_ms: start,
        window_s: setup.window_s,
        start_after_s: setup.start_after_s,
        joined: all.len() as u64,
        ranked: ranked.len() as u64,
        late_joiners: late.len() as u64,
        first_position: first_position(all, start, drawn_at),
        ranks: rank_checks(&ranked, draw_entrants),
        uniformity: uniformity(&ranked),
        order: admission_order(all, &ranked, setup),
        draw,
    }
}

/// The problems an `onsale` run found (each makes the exit status 2).
pub fn problems(f: &OnsaleFigures) -> Vec<String> {
    let mut out = Vec::new();
    let fp = &f.first_position;
    if fp.missing > 0 {
        out.push(format!(
            "{} of {} entrants were never told their drawn rank (no drawn position, no ready)",
            fp.missing,
            fp.received + fp.missing
        ));
    }
    let r = &f.ranks;
    if r.duplicates > 0 || r.out_of_range > 0 || r.changed > 0 {
        out.push(format!(
            "drawn ranks: {} given twice, {} out of range, {} changed",
            r.duplicates, r.out_of_range, r.changed
        ));
    }
    if r.position_increases > 0 {
        out.push(format!(
            "{} entrants were told a higher position after the draw ({} increases)",
            r.entrants_with_increases, r.position_increases
        ));
    }
    if let Some(u) = &f.uniformity
        && !u.pass
    {
        out.push(format!(
            "the draw is not uniform over arrival order: chi-square {:.1} with {} degrees of \
             freedom, p = {:.2e} < {ALPHA}",
            u.chi_square, u.degrees_of_freedom, u.p_value
        ));
    }
    let o = &f.order;
    if o.step_inversions > 0 {
        out.push(format!(
            "admission out of drawn order: {} pairs of entrants admitted in steps (admitted_at) \
             against their ranks",
            o.step_inversions
        ));
    }
    if o.late_joiners_ahead > 0 {
        out.push(format!(
            "{} late joiners were admitted before a drawn entrant",
            o.late_joiners_ahead
        ));
    }
    out
}

/// When an entrant was first told its rank (receipt µs, server_time ms): its first drawn
/// position, or its `ready` when that came first.
fn told(s: &EntrantSample) -> Option<(u64, u64)> {
    s.drawn_rank?;
    match (s.first_recv_us, s.first_server_ms) {
        (Some(recv), Some(server)) => Some((recv, server)),
        _ => Some((s.ready_recv_us?, s.ready_server_ms.unwrap_or(0))),
    }
}

fn first_position(all: &[EntrantSample], start: u64, drawn_at: Option<u64>) -> FirstPosition {
    // Entrants are those who joined before the close: with a rank, or never told anything
    // (no waiting status, no `ready`). Late joiners have a position without a rank.
    let never = all
        .iter()
        .filter(|s| s.drawn_rank.is_none() && s.first_recv_us.is_none())
        .filter(|s| s.ready_recv_us.is_none())
        .count();
    let got: Vec<(u64, u64)> = all.iter().filter_map(told).collect();
    let ms_after = |us: u64, base_ms: u64| (us as f64 - base_ms as f64 * 1e3) / 1e3;
    let mut recv: Vec<f64> = got.iter().map(|t| ms_after(t.0, start)).collect();
    let mut server: Vec<f64> = got.iter().map(|t| t.1 as f64 - start as f64).collect();
    let mut after_draw: Vec<f64> = match drawn_at {
        Some(d) => got.iter().map(|t| ms_after(t.0, d)).collect(),
        None => Vec::new(),
    };
    for v in [&mut recv, &mut server, &mut after_draw] {
        v.sort_by(f64::total_cmp);
    }
    let q = |v: &[f64], q: f64| round3(quantile(v, q));
    let opt = |v: &[f64], p: f64| (!v.is_empty()).then(|| q(v, p));
    let ranked = || all.iter().filter(|s| s.drawn_rank.is_some());
    FirstPosition {
        received: got.len() as u64,
        missing: never as u64,
        via_snapshot: ranked()
            .filter(|s| s.first_kind.as_deref() == Some("snapshot"))
            .count() as u64,
        told_by_ready: ranked().filter(|s| s.first_recv_us.is_none()).count() as u64,
        p50_ms: q(&recv, 0.5),
        p90_ms: q(&recv, 0.9),
        p99_ms: q(&recv, 0.99),
        max_ms: q(&recv, 1.0),
        server_p50_ms: q(&server, 0.5),
        server_p99_ms: q(&server, 0.99),
        server_max_ms: q(&server, 1.0),
        after_draw_p50_ms: opt(&after_draw, 0.5),
        after_draw_p99_ms: opt(&after_draw, 0.99),
        after_draw_max_ms: opt(&after_draw, 1.0),
    }
}

/// Nearest-rank quantile of sorted values (0 for none).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let k = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[k - 1]
}

fn rank_checks(ranked: &[&EntrantSample], draw_entrants: Option<u64>) -> RankChecks {
    let mut ranks: Vec<u64> = ranked.iter().filter_map(|s| s.drawn_rank).collect();
    ranks.sort_unstable();
    let duplicates = ranks.windows(2).filter(|w| w[0] == w[1]).count() as u64;
    let out_of_range = ranks
        .iter()
        .filter(|&&r| r == 0 || draw_entrants.is_some_and(|n| r > n))
        .count() as u64;
    RankChecks {
        duplicates,
        out_of_range,
        changed: ranked.iter().filter(|s| s.rank_changes > 0).count() as u64,
        position_increases: ranked.iter().map(|s| u64::from(s.position_increases)).sum(),
        entrants_with_increases: ranked.iter().filter(|s| s.position_increases > 0).count() as u64,
        position_equals_rank: ranked
            .iter()
            .filter(|s| s.first_position.is_some() && s.first_position == s.drawn_rank)
            .count() as u64,
    }
}

/// The 10 × 10 table of arrival decile by rank decile, each by order among the ranked
/// entrants (so each row and column holds a tenth), and its chi-square test.
pub fn uniformity(ranked: &[&EntrantSample]) -> Option<Uniformity> {
    let n = ranked.len();
    if n < MIN_UNIFORMITY_ENTRANTS {
        return None;
    }
    let decile = |k: usize| k * 10 / n;
    let mut by_arrival: Vec<usize> = (0..n).collect();
    by_arrival.sort_by_key(|&k| (ranked[k].index, k));
    let mut arrival_decile = vec![0usize; n];
    for (pos, &k) in by_arrival.iter().enumerate() {
        arrival_decile[k] = decile(pos);
    }
    let mut by_rank: Vec<usize> = (0..n).collect();
    by_rank.sort_by_key(|&k| (ranked[k].drawn_rank, ranked[k].index));
    let mut table = vec![vec![0u64; 10]; 10];
    for (pos, &k) in by_rank.iter().enumerate() {
        table[arrival_decile[k]][decile(pos)] += 1;
    }
    let (chi_square, dof) = chi_square(&table);
    let p_value = chi_square_sf(chi_square, dof);
    Some(Uniformity {
        entrants: n as u64,
        expected_per_cell: round3(n as f64 / 100.0),
        chi_square: round3(chi_square),
        degrees_of_freedom: dof,
        p_value: (p_value * 1e9).round() / 1e9,
        method: P_METHOD.to_owned(),
        alpha: ALPHA,
        pass: p_value >= ALPHA,
        table,
    })
}

/// Pearson's chi-square statistic of independence of a contingency table, and its degrees of
/// freedom ((rows − 1) × (columns − 1)).
pub fn chi_square(table: &[Vec<u64>]) -> (f64, u32) {
    let rows: Vec<f64> = table.iter().map(|r| r.iter().sum::<u64>() as f64).collect();
    let cols_n = table.first().map_or(0, Vec::len);
    let cols: Vec<f64> = (0..cols_n)
        .map(|j| table.iter().map(|r| r[j]).sum::<u64>() as f64)
        .collect();
    let n: f64 = rows.iter().sum();
    let mut chi = 0.0;
    for (i, row) in table.iter().enumerate() {
        for (j, &o) in row.iter().enumerate() {
            let e = rows[i] * cols[j] / n;
            if e > 0.0 {
                chi += (o as f64 - e).powi(2) / e;
            }
        }
    }
    let dof = (table.len().saturating_sub(1) * cols_n.saturating_sub(1)) as u32;
    (chi, dof)
}

/// P(X ≥ x) for X chi-square with `k` degrees of freedom, by the Wilson–Hilferty
/// approximation: (X/k)^(1/3) is about normal with mean 1 − 2/(9k) and variance 2/(9k).
pub fn chi_square_sf(x: f64, k: u32) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if x <= 0.0 {
        return 1.0;
    }
    let k = f64::from(k);
    let v = 2.0 / (9.0 * k);
    let z = ((x / k).cbrt() - (1.0 - v)) / v.sqrt();
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

/// The complementary error function (Numerical Recipes' `erfcc`: a Chebyshev fit with
/// relative error under 1.2e-7 everywhere).
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

fn admission_order(
    all: &[EntrantSample],
    ranked: &[&EntrantSample],
    setup: &OnsaleSetup,
) -> AdmissionOrder {
    let start = setup.sale_starts_at_ms as i64;
    let mut ready: Vec<&EntrantSample> = ranked
        .iter()
        .copied()
        .filter(|s| s.ready_server_ms.is_some())
        .collect();
    ready.sort_by_key(|s| (s.drawn_rank, s.index));
    let server: Vec<u64> = ready.iter().filter_map(|s| s.ready_server_ms).collect();
    let (pairs, out_of_order, backstep) = inversions(&server, setup.ready_tolerance_ms);
    let steps_of: Vec<u64> = ready.iter().filter_map(|s| s.admitted_at_ms).collect();
    let (step_inversions, _, _) = inversions(&steps_of, 0);
    let mut steps = steps_of.clone();
    steps.sort_unstable();
    steps.dedup();
    let last_ranked_step = steps.last().copied();
    let late_joiners_ahead = all
        .iter()
        .filter(|s| s.drawn_rank.is_none())
        .filter_map(|s| s.admitted_at_ms)
        .filter(|&a| last_ranked_step.is_some_and(|last| a < last))
        .count() as u64;
    let span_s = match (steps.first(), steps.last()) {
        (Some(a), Some(b)) if b > a => Some((b - a) as f64 / 1e3),
        _ => None,
    };
    AdmissionOrder {
        admit_rate: setup.admit_rate,
        admit_burst: setup.admit_burst,
        admit_delay_ms: setup.admit_delay_ms,
        tolerance_ms: setup.ready_tolerance_ms,
        joined: all.len() as u64,
        admitted: all.iter().filter(|s| s.ready_recv_us.is_some()).count() as u64,
        ranked_admitted: ready.len() as u64,
        steps: steps.len() as u64,
        inversions: pairs,
        entrants_out_of_order: out_of_order,
        largest_backstep_ms: backstep,
        step_inversions,
        late_joiners_ahead,
        first_ready_after_start_ms: server.iter().min().map(|&t| t as i64 - start),
        last_ready_after_start_ms: server.iter().max().map(|&t| t as i64 - start),
        admissions_per_s: span_s.map(|s| round3(steps_of.len() as f64 / s)),
    }
}

/// For times listed in rank order: the pairs (a before b in the list) with `t[a] > t[b] +
/// tolerance`, the entries later than the tolerance behind some earlier one that way, and the
/// largest `t[a] − t[b]` over such pairs (0 when the times never go back). O(n log n).
pub fn inversions(times: &[u64], tolerance: u64) -> (u64, u64, u64) {
    let mut sorted: Vec<u64> = times.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    // A Fenwick tree of how many earlier entries have each (compressed) time.
    let mut tree = vec![0u64; sorted.len() + 1];
    let (mut pairs, mut entries, mut largest) = (0u64, 0u64, 0u64);
    let mut max_before: Option<u64> = None;
    for (seen, &t) in times.iter().enumerate() {
        // Earlier entries with a time at most t + tolerance: the rest are inversions.
        let mut k = sorted.partition_point(|&v| v <= t.saturating_add(tolerance));
        let mut at_most = 0;
        while k > 0 {
            at_most += tree[k];
            k &= k - 1;
        }
        pairs += seen as u64 - at_most;
        if let Some(m) = max_before {
            if m > t.saturating_add(tolerance) {
                entries += 1;
            }
            largest = largest.max(m.saturating_sub(t));
        }
        max_before = Some(max_before.map_or(t, |m| m.max(t)));
        let mut k = sorted.partition_point(|&v| v < t) + 1;
        while k < tree.len() {
            tree[k] += 1;
            k += k & k.wrapping_neg();
        }
    }
    (pairs, entries, largest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chi_square_tail_matches_the_exact_one_at_81_degrees_of_freedom() {
        // Exact values (regularised upper incomplete gamma, series to 1e-17).
        for (x, exact) in [
            (50.0, 0.997_345_047),
            (81.0, 0.479_101_382),
            (100.0, 0.074_753_634),
            (110.0, 0.017_724_710),
            (124.84, 0.001_276_563),
            (150.0, 4.969_28e-6),
        ] {
            let p = chi_square_sf(x, 81);
            assert!((p - exact).abs() < 1e-4, "x {x}: {p} against {exact}");
        }
        // The 0.001 threshold sits near 125 with 81 degrees of freedom.
        assert!(chi_square_sf(124.0, 81) > ALPHA && chi_square_sf(127.0, 81) < ALPHA);
        assert!((erfc(0.0) - 1.0).abs() < 1e-7 && (erfc(1.0) - 0.157_299_207).abs() < 1e-7);
        assert!((erfc(-1.0) - 1.842_700_793).abs() < 1e-7);
    }

    #[test]
    fn a_table_that_follows_expectation_has_chi_square_zero_and_a_diagonal_fails() {
        let even = vec![vec![5u64; 10]; 10];
        assert_eq!(chi_square(&even), (0.0, 81));
        let mut diagonal = vec![vec![0u64; 10]; 10];
        for (i, row) in diagonal.iter_mut().enumerate() {
            row[i] = 50;
        }
        let (x, k) = chi_square(&diagonal);
        assert_eq!((x, k), (4_500.0, 81));
        assert!(chi_square_sf(x, k) < 1e-12);
    }

    fn sample(index: u64, rank: u64, ready_ms: u64, step_ms: u64) -> EntrantSample {
        EntrantSample {
            index,
            drawn_rank: Some(rank),
            first_recv_us: Some(1),
            first_server_ms: Some(0),
            ready_recv_us: Some(ready_ms * 1_000),
            ready_server_ms: Some(ready_ms),
            admitted_at_ms: Some(step_ms),
            ..Default::default()
        }
    }

    #[test]
    fn inversions_count_pairs_beyond_the_tolerance_only() {
        assert_eq!(inversions(&[1, 2, 2, 3], 0), (0, 0, 0));
        assert_eq!(inversions(&[3, 2, 1], 0), (3, 2, 2));
        // Within 100 ms of each other: a tie.
        assert_eq!(inversions(&[150, 100, 300, 250], 100), (0, 0, 50));
        assert_eq!(inversions(&[400, 100, 200], 100), (2, 2, 300));
    }

    #[test]
    fn a_draw_that_keeps_arrival_order_is_not_uniform_and_a_shuffled_one_is() {
        let setup = OnsaleSetup {
            sale_starts_at_ms: 1_000,
            admit_rate: 100.0,
            admit_burst: 10,
            ready_tolerance_ms: 100,
            ..Default::default()
        };
        let figures = |ranks: &dyn Fn(u64) -> u64| {
            let raw = Raw {
                entrants: (0..1_000)
                    .map(|i| {
                        let r = ranks(i);
                        sample(i, r, 2_000 + r * 10, 2_000 + (r - 1) / 10 * 100)
                    })
                    .collect(),
                ..Default::default()
            };
            figures(&raw, &setup, None)
        };
        let fifo = figures(&|i| i + 1);
        let u = fifo.uniformity.as_ref().unwrap();
        assert_eq!(u.table[0][0], 100);
        assert!(!u.pass && u.p_value < 1e-12);
        assert_eq!(problems(&fifo).len(), 1, "{:?}", problems(&fifo));
        assert_eq!((fifo.order.inversions, fifo.order.step_inversions), (0, 0));
        assert_eq!(fifo.order.steps, 100);
        // A seeded Fisher-Yates shuffle of the ranks 1..=1000.
        let mut ranks: Vec<u64> = (1..=1_000).collect();
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for k in (1..ranks.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ranks.swap(k, (state % (k as u64 + 1)) as usize);
        }
        let shuffled = figures(&|i| ranks[i as usize]);
        let u = shuffled.uniformity.as_ref().unwrap();
        assert!(u.table.iter().flatten().all(|&c| c > 0));
        assert_eq!(u.degrees_of_freedom, 81);
        assert!(u.pass, "{u:?}");
        assert!(problems(&shuffled).is_empty(), "{:?}", problems(&shuffled));
        assert_eq!(shuffled.first_position.received, 1_000);
        assert_eq!(shuffled.order.ranked_admitted, 1_000);
    }

    #[test]
    fn ready_delivered_out_of_rank_order_is_measured_and_entrants_never_told_are_a_problem() {
        let setup = OnsaleSetup {
            sale_starts_at_ms: 0,
            ready_tolerance_ms: 100,
            ..Default::default()
        };
        let mut entrants = vec![
            sample(0, 1, 1_000, 1_000),
            sample(1, 2, 1_500, 1_100),
            sample(2, 3, 1_200, 1_200),
        ];
        entrants.push(EntrantSample {
            index: 3,
            ..Default::default()
        });
        // Admitted before its position push: `ready` told it its rank.
        entrants.push(EntrantSample {
            first_recv_us: None,
            first_server_ms: None,
            ..sample(4, 4, 1_600, 1_300)
        });
        let raw = Raw {
            entrants,
            ..Default::default()
        };
        let f = figures(&raw, &setup, None);
        assert_eq!((f.order.inversions, f.order.entrants_out_of_order), (1, 1));
        assert_eq!(f.order.largest_backstep_ms, 300);
        assert_eq!(f.order.step_inversions, 0);
        let fp = &f.first_position;
        assert_eq!((fp.received, fp.missing, fp.told_by_ready), (4, 1, 1));
        assert_eq!(fp.max_ms, 1_600.0, "the ready's receipt counts");
        // Delivery across replicas is measured; only the admission order fails a run.
        assert_eq!(problems(&f).len(), 1, "{:?}", problems(&f));
    }
}
