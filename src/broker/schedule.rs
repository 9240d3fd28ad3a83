//! Brokerage-day scheduling: meetings (pairs of organisations) into time slots, never two meetings of one
//! organisation in the same slot, each in a slot where both are available, as many as possible.
//!
//! - Nobody limited their availability, the meetings are bipartite (offering side / end users) and nobody has more
//!   meetings than slots: König's theorem says `max degree` colours suffice, and the alternating-path recolouring
//!   below finds them, so every meeting fits.
//! - Otherwise, up to [`EXACT_LIMIT`] meetings: an exact branch-and-bound search (most constrained meeting first,
//!   bounded by "placed so far + still placeable"), seeded with the heuristic's answer.
//! - Beyond: the heuristic — most constrained first, then repair passes that move one blocking meeting to another
//!   free slot to make room.

/// Exact search up to this many meetings.
pub const EXACT_LIMIT: usize = 50;
/// Search nodes the exact search may visit before it settles for the best found (keeps a request bounded).
const NODE_BUDGET: u64 = 5_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unscheduled {
    /// The two organisations share no available slot.
    NoCommonSlot,
    /// One of them has more meetings than available slots.
    OverBooked,
    /// It fits on its own, but not together with the others.
    NoRoomLeft,
}

impl Unscheduled {
    pub fn as_str(self) -> &'static str {
        match self {
            Unscheduled::NoCommonSlot => "no_common_slot",
            Unscheduled::OverBooked => "over_booked",
            Unscheduled::NoRoomLeft => "no_room_left",
        }
    }
}

pub struct Problem {
    pub organisations: usize,
    pub slots: usize,
    pub meetings: Vec<(usize, usize)>,
    /// Per organisation: `None` when available in every slot, else a flag per slot.
    pub available: Vec<Option<Vec<bool>>>,
    /// Per organisation: which side it is on (the edge colouring needs a bipartite graph).
    pub side: Vec<bool>,
}

impl Problem {
    fn free(&self, org: usize, slot: usize) -> bool {
        self.available.get(org).and_then(Option::as_ref).is_none_or(|a| a.get(slot).copied().unwrap_or(false))
    }

    fn common(&self, m: usize) -> Vec<usize> {
        let (a, b) = self.meetings[m];
        (0..self.slots).filter(|&s| self.free(a, s) && self.free(b, s)).collect()
    }
}

/// Each meeting's slot, or why it has none.
pub fn schedule(problem: &Problem) -> Vec<Result<usize, Unscheduled>> {
    let n = problem.meetings.len();
    let valid = |&(a, b): &(usize, usize)| a != b && a < problem.organisations && b < problem.organisations;
    let unlimited = problem.available.iter().all(Option::is_none);
    let bipartite = problem.meetings.iter().all(|&(a, b)| problem.side.get(a) != problem.side.get(b));
    let mut degree = vec![0usize; problem.organisations];
    for &(a, b) in problem.meetings.iter().filter(|m| valid(m)) {
        degree[a] += 1;
        degree[b] += 1;
    }
    let slots: Vec<Option<usize>> = if problem.slots == 0 {
        vec![None; n]
    } else if unlimited && bipartite && degree.iter().all(|&d| d <= problem.slots) {
        edge_colouring(problem)
    } else {
        let options: Vec<Vec<usize>> =
            (0..n).map(|m| if valid(&problem.meetings[m]) { problem.common(m) } else { Vec::new() }).collect();
        let mut best = heuristic(problem, &options);
        if n <= EXACT_LIMIT {
            exact(problem, &options, &mut best);
        }
        best
    };
    // Why the others could not be placed.
    let mut available_slots = vec![0usize; problem.organisations];
    for (org, count) in available_slots.iter_mut().enumerate() {
        *count = (0..problem.slots).filter(|&s| problem.free(org, s)).count();
    }
    (0..n)
        .map(|m| match slots[m] {
            Some(slot) => Ok(slot),
            None => {
                let (a, b) = problem.meetings[m];
                if !valid(&problem.meetings[m]) || problem.common(m).is_empty() {
                    Err(Unscheduled::NoCommonSlot)
                } else if degree[a] > available_slots[a] || degree[b] > available_slots[b] {
                    Err(Unscheduled::OverBooked)
                } else {
                    Err(Unscheduled::NoRoomLeft)
                }
            }
        })
        .collect()
}

/// König: colour each edge with a colour free at both ends, flipping an alternating path when none is.
fn edge_colouring(problem: &Problem) -> Vec<Option<usize>> {
    let colours = problem.slots;
    let mut at: Vec<Vec<Option<usize>>> = vec![vec![None; colours]; problem.organisations];
    let mut colour: Vec<Option<usize>> = vec![None; problem.meetings.len()];
    for (m, &(u, v)) in problem.meetings.iter().enumerate() {
        let Some(a) = (0..colours).find(|&c| at[u][c].is_none()) else { continue };
        let Some(b) = (0..colours).find(|&c| at[v][c].is_none()) else { continue };
        if at[v][a].is_some() {
            // Swap a and b along the path from v that alternates a, b, a, ...; it cannot reach u (bipartite).
            let mut path = Vec::new();
            let (mut node, mut want) = (v, a);
            while let Some(e) = at[node][want] {
                path.push(e);
                let (x, y) = problem.meetings[e];
                node = if x == node { y } else { x };
                want = if want == a { b } else { a };
            }
            for &e in &path {
                let (x, y) = problem.meetings[e];
                if let Some(c) = colour[e] {
                    at[x][c] = None;
                    at[y][c] = None;
                }
            }
            for &e in &path {
                let (x, y) = problem.meetings[e];
                let new = if colour[e] == Some(a) { b } else { a };
                colour[e] = Some(new);
                at[x][new] = Some(e);
                at[y][new] = Some(e);
            }
        }
        colour[m] = Some(a);
        at[u][a] = Some(m);
        at[v][a] = Some(m);
    }
    colour
}

/// Most constrained first, then repair: an unplaced meeting takes a slot blocked by one meeting that can move.
fn heuristic(problem: &Problem, options: &[Vec<usize>]) -> Vec<Option<usize>> {
    let n = problem.meetings.len();
    let mut busy: Vec<Vec<Option<usize>>> = vec![vec![None; problem.slots]; problem.organisations];
    let mut slot: Vec<Option<usize>> = vec![None; n];
    let mut order: Vec<usize> = (0..n).collect();
    let mut degree = vec![0usize; problem.organisations];
    for &(a, b) in &problem.meetings {
        if a < problem.organisations && b < problem.organisations {
            degree[a] += 1;
            degree[b] += 1;
        }
    }
    order.sort_by_key(|&m| {
        let (a, b) = problem.meetings[m];
        (options[m].len(), std::cmp::Reverse(degree.get(a).copied().unwrap_or(0) + degree.get(b).copied().unwrap_or(0)))
    });
    let place = |busy: &mut Vec<Vec<Option<usize>>>, slot: &mut Vec<Option<usize>>, m: usize, s: usize| {
        let (a, b) = problem.meetings[m];
        busy[a][s] = Some(m);
        busy[b][s] = Some(m);
        slot[m] = Some(s);
    };
    for &m in &order {
        let (a, b) = problem.meetings[m];
        if let Some(&s) = options[m].iter().find(|&&s| busy[a][s].is_none() && busy[b][s].is_none()) {
            place(&mut busy, &mut slot, m, s);
        }
    }
    for _pass in 0..3 {
        let mut improved = false;
        for &m in &order {
            if slot[m].is_some() || options[m].is_empty() {
                continue;
            }
            let (a, b) = problem.meetings[m];
            'slots: for &s in &options[m] {
                let blockers: Vec<usize> = [busy[a][s], busy[b][s]].into_iter().flatten().collect();
                if blockers.len() != 1 {
                    continue;
                }
                let other = blockers[0];
                let (x, y) = problem.meetings[other];
                for &t in &options[other] {
                    if t != s && busy[x][t].is_none() && busy[y][t].is_none() {
                        busy[x][s] = None;
                        busy[y][s] = None;
                        place(&mut busy, &mut slot, other, t);
                        place(&mut busy, &mut slot, m, s);
                        improved = true;
                        break 'slots;
                    }
                }
            }
        }
        if !improved {
            break;
        }
    }
    slot
}

/// Branch and bound over meetings in most-constrained order: each meeting takes one of its free slots or is left
/// out; a branch is cut when even placing every remaining meeting would not beat the best known.
fn exact(problem: &Problem, options: &[Vec<usize>], best: &mut Vec<Option<usize>>) {
    let n = problem.meetings.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&m| options[m].len());
    struct Search<'a> {
        problem: &'a Problem,
        options: &'a [Vec<usize>],
        order: Vec<usize>,
        busy: Vec<Vec<bool>>,
        current: Vec<Option<usize>>,
        best: Vec<Option<usize>>,
        best_count: usize,
        nodes: u64,
    }
    impl Search<'_> {
        fn go(&mut self, depth: usize, placed: usize) {
            self.nodes += 1;
            if placed + (self.order.len() - depth) <= self.best_count || self.nodes > NODE_BUDGET {
                return;
            }
            if depth == self.order.len() {
                self.best_count = placed;
                self.best = self.current.clone();
                return;
            }
            let m = self.order[depth];
            let (a, b) = self.problem.meetings[m];
            for i in 0..self.options[m].len() {
                let s = self.options[m][i];
                if !self.busy[a][s] && !self.busy[b][s] {
                    self.busy[a][s] = true;
                    self.busy[b][s] = true;
                    self.current[m] = Some(s);
                    self.go(depth + 1, placed + 1);
                    self.current[m] = None;
                    self.busy[a][s] = false;
                    self.busy[b][s] = false;
                }
            }
            self.go(depth + 1, placed);
        }
    }
    let best_count = best.iter().filter(|s| s.is_some()).count();
    let mut search = Search {
        problem,
        options,
        order,
        busy: vec![vec![false; problem.slots]; problem.organisations],
        current: vec![None; n],
        best: best.clone(),
        best_count,
        nodes: 0,
    };
    search.go(0, 0);
    *best = search.best;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(problem: &Problem, result: &[Result<usize, Unscheduled>]) -> bool {
        let mut seen = std::collections::HashSet::new();
        result.iter().enumerate().all(|(m, r)| match r {
            Ok(s) => {
                let (a, b) = problem.meetings[m];
                *s < problem.slots
                    && problem.free(a, *s)
                    && problem.free(b, *s)
                    && seen.insert((a, *s))
                    && seen.insert((b, *s))
            }
            Err(_) => true,
        })
    }

    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    /// `left` organisations on one side, `right` on the other, random meetings with degree at most `max_degree`.
    fn random(
        state: &mut u64,
        left: usize,
        right: usize,
        meetings: usize,
        slots: usize,
        max_degree: usize,
        limited: bool,
    ) -> Problem {
        let orgs = left + right;
        let mut degree = vec![0; orgs];
        let mut list = Vec::new();
        let mut tries = 0;
        while list.len() < meetings && tries < meetings * 20 {
            tries += 1;
            let a = (next(state) % left as u64) as usize;
            let b = left + (next(state) % right as u64) as usize;
            if degree[a] < max_degree && degree[b] < max_degree {
                degree[a] += 1;
                degree[b] += 1;
                list.push((a, b));
            }
        }
        let available =
            (0..orgs).map(|_| limited.then(|| (0..slots).map(|_| !next(state).is_multiple_of(4)).collect())).collect();
        Problem { organisations: orgs, slots, meetings: list, available, side: (0..orgs).map(|o| o >= left).collect() }
    }

    #[test]
    fn everything_fits_when_nobody_has_more_meetings_than_slots() {
        let mut state = 7;
        for _ in 0..20 {
            let problem = random(&mut state, 30, 30, 200, 8, 8, false);
            let result = schedule(&problem);
            assert!(valid(&problem, &result));
            assert!(result.iter().all(Result::is_ok), "König: max degree colours suffice");
        }
    }

    #[test]
    fn availability_is_respected_and_reasons_are_given() {
        let problem = Problem {
            organisations: 4,
            slots: 2,
            meetings: vec![(0, 2), (1, 3), (0, 3), (1, 2)],
            available: vec![Some(vec![true, false]), Some(vec![false, true]), None, None],
            side: vec![false, false, true, true],
        };
        let result = schedule(&problem);
        assert!(valid(&problem, &result));
        assert_eq!(result.iter().filter(|r| r.is_ok()).count(), 2);
        assert_eq!(result[2], Err(Unscheduled::OverBooked), "org 0 has two meetings and one free slot");
        let apart = Problem {
            organisations: 2,
            slots: 2,
            meetings: vec![(0, 1)],
            available: vec![Some(vec![true, false]), Some(vec![false, true])],
            side: vec![false, true],
        };
        assert_eq!(schedule(&apart), vec![Err(Unscheduled::NoCommonSlot)]);
    }

    fn brute_force(problem: &Problem) -> usize {
        fn go(p: &Problem, m: usize, busy: &mut Vec<Vec<bool>>) -> usize {
            if m == p.meetings.len() {
                return 0;
            }
            let mut best = go(p, m + 1, busy);
            let (a, b) = p.meetings[m];
            for s in 0..p.slots {
                if p.free(a, s) && p.free(b, s) && !busy[a][s] && !busy[b][s] {
                    busy[a][s] = true;
                    busy[b][s] = true;
                    best = best.max(1 + go(p, m + 1, busy));
                    busy[a][s] = false;
                    busy[b][s] = false;
                }
            }
            best
        }
        go(problem, 0, &mut vec![vec![false; problem.slots]; problem.organisations])
    }

    #[test]
    fn the_exact_search_places_as_many_as_brute_force() {
        let mut state = 99;
        for round in 0..150 {
            let problem = random(&mut state, 4, 4, 8, 3, 4, round % 3 != 0);
            let result = schedule(&problem);
            assert!(valid(&problem, &result));
            assert_eq!(result.iter().filter(|r| r.is_ok()).count(), brute_force(&problem), "round {round}");
        }
    }

    #[test]
    fn large_days_stay_valid() {
        let mut state = 5;
        let problem = random(&mut state, 1000, 1000, 2000, 12, 12, true);
        let result = schedule(&problem);
        assert!(valid(&problem, &result));
        assert!(result.iter().filter(|r| r.is_ok()).count() > 1500);
    }
}
