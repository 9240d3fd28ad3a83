//! The best set of pairings for a whole call: a maximum-weight b-matching on the sparse bipartite candidate graph
//! (offering organisations on the left, end users on the right), each organisation in at most `capacity` pairs.
//!
//! It is solved as a min-cost flow — source → left (capacity `capacity`), left → right (capacity 1, cost
//! −score), right → sink (capacity `capacity`) — by successive shortest paths: Dijkstra on reduced costs with
//! node potentials, one unit per augmentation, stopping as soon as the cheapest augmenting path no longer lowers
//! the cost (the cost is convex in the flow, so that flow is the maximum-weight one, not the largest). Dijkstra
//! stops when it settles the sink, and potentials are raised by `min(dist, dist(sink))`, which keeps reduced costs
//! non-negative. Scores are scaled to integers so that ties and sums are exact.
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// Scores are compared as integers: 1e-6 resolution.
const SCALE: f64 = 1e6;

struct Arc {
    to: usize,
    capacity: i64,
    cost: i64,
}

struct Graph {
    arcs: Vec<Arc>,
    /// Arc indices leaving each node; the arc `i ^ 1` is the reverse of arc `i`.
    out: Vec<Vec<usize>>,
}

impl Graph {
    fn new(nodes: usize) -> Self {
        Graph { arcs: Vec::new(), out: vec![Vec::new(); nodes] }
    }

    fn add(&mut self, from: usize, to: usize, capacity: i64, cost: i64) -> usize {
        let index = self.arcs.len();
        self.arcs.push(Arc { to, capacity, cost });
        self.out[from].push(index);
        self.arcs.push(Arc { to: from, capacity: 0, cost: -cost });
        self.out[to].push(index + 1);
        index
    }
}

/// Keeps the best score of each pair, drops pairs out of range or with a score of zero or less.
fn clean(n_left: usize, n_right: usize, edges: &[(usize, usize, f64)]) -> Vec<(usize, usize, i64, usize)> {
    let mut best: HashMap<(usize, usize), (i64, usize)> = HashMap::new();
    for (index, &(l, r, score)) in edges.iter().enumerate() {
        let weight = (score * SCALE).round();
        if l >= n_left || r >= n_right || !weight.is_finite() || weight <= 0.0 {
            continue;
        }
        let weight = weight as i64;
        let entry = best.entry((l, r)).or_insert((weight, index));
        if weight > entry.0 {
            *entry = (weight, index);
        }
    }
    let mut cleaned: Vec<(usize, usize, i64, usize)> = best.into_iter().map(|((l, r), (w, i))| (l, r, w, i)).collect();
    cleaned.sort_unstable_by_key(|&(_, _, _, index)| index);
    cleaned
}

/// The indices (into `edges`) of a set of pairs with the largest total score, each node in at most `capacity`.
pub fn optimal(n_left: usize, n_right: usize, edges: &[(usize, usize, f64)], capacity: usize) -> Vec<usize> {
    let edges = clean(n_left, n_right, edges);
    if capacity == 0 || edges.is_empty() {
        return Vec::new();
    }
    let capacity = i64::try_from(capacity).unwrap_or(i64::MAX);
    let (source, sink) = (n_left + n_right, n_left + n_right + 1);
    let mut graph = Graph::new(n_left + n_right + 2);
    for l in 0..n_left {
        graph.add(source, l, capacity, 0);
    }
    for r in 0..n_right {
        graph.add(n_left + r, sink, capacity, 0);
    }
    let pair_arcs: Vec<usize> = edges.iter().map(|&(l, r, w, _)| graph.add(l, n_left + r, 1, -w)).collect();

    // Initial potentials: shortest distances from the source in the acyclic starting graph.
    let mut potential = vec![0i64; graph.out.len()];
    for &(_, r, w, _) in &edges {
        potential[n_left + r] = potential[n_left + r].min(-w);
    }
    potential[sink] = (0..n_right).map(|r| potential[n_left + r]).min().unwrap_or(0).min(0);

    let nodes = graph.out.len();
    let mut dist = vec![i64::MAX; nodes];
    let mut via = vec![usize::MAX; nodes];
    let mut settled = vec![false; nodes];
    let mut touched: Vec<usize> = Vec::new();
    loop {
        for &v in &touched {
            dist[v] = i64::MAX;
            via[v] = usize::MAX;
            settled[v] = false;
        }
        touched.clear();
        dist[source] = 0;
        touched.push(source);
        let mut heap = BinaryHeap::from([Reverse((0i64, source))]);
        while let Some(Reverse((d, v))) = heap.pop() {
            if settled[v] || d > dist[v] {
                continue;
            }
            settled[v] = true;
            if v == sink {
                break;
            }
            for &a in &graph.out[v] {
                let arc = &graph.arcs[a];
                if arc.capacity <= 0 {
                    continue;
                }
                let reduced = arc.cost + potential[v] - potential[arc.to];
                let candidate = d + reduced;
                if candidate < dist[arc.to] {
                    if dist[arc.to] == i64::MAX {
                        touched.push(arc.to);
                    }
                    dist[arc.to] = candidate;
                    via[arc.to] = a;
                    heap.push(Reverse((candidate, arc.to)));
                }
            }
        }
        if !settled[sink] {
            break;
        }
        let path_cost = dist[sink] + potential[sink] - potential[source];
        if path_cost >= 0 {
            break;
        }
        // Every node not settled is at least `reach` away: raising all potentials by min(dist, reach) keeps
        // every reduced cost non-negative.
        let reach = dist[sink];
        for (p, &d) in potential.iter_mut().zip(&dist) {
            *p += d.min(reach);
        }
        let mut v = sink;
        while v != source {
            let a = via[v];
            graph.arcs[a].capacity -= 1;
            graph.arcs[a ^ 1].capacity += 1;
            v = graph.arcs[a ^ 1].to;
        }
    }
    pair_arcs.iter().zip(&edges).filter(|(arc, _)| graph.arcs[**arc].capacity == 0).map(|(_, e)| e.3).collect()
}

/// Each pair taken in order of score if both sides still have room: what brokers get by hand.
pub fn greedy(n_left: usize, n_right: usize, edges: &[(usize, usize, f64)], capacity: usize) -> Vec<usize> {
    let mut edges = clean(n_left, n_right, edges);
    edges.sort_by(|a, b| b.2.cmp(&a.2).then(a.3.cmp(&b.3)));
    let (mut left, mut right) = (vec![0usize; n_left], vec![0usize; n_right]);
    let mut chosen = Vec::new();
    for (l, r, _, index) in edges {
        if left[l] < capacity && right[r] < capacity {
            left[l] += 1;
            right[r] += 1;
            chosen.push(index);
        }
    }
    chosen
}

pub fn total(edges: &[(usize, usize, f64)], chosen: &[usize]) -> f64 {
    chosen.iter().map(|&i| edges[i].2).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total_of(edges: &[(usize, usize, f64)], chosen: &[usize]) -> f64 {
        (total(edges, chosen) * 1e6).round() / 1e6
    }

    #[test]
    fn the_optimum_beats_greedy_where_greedy_is_wrong() {
        // A–X 0.9, A–Y 0.8, B–X 0.7: greedy takes A–X (0.9) and leaves B alone; the optimum is A–Y + B–X = 1.5.
        let edges = [(0, 0, 0.9), (0, 1, 0.8), (1, 0, 0.7)];
        let best = optimal(2, 2, &edges, 1);
        assert_eq!(total_of(&edges, &best), 1.5);
        let mut sorted = best.clone();
        sorted.sort();
        assert_eq!(sorted, vec![1, 2]);
        assert_eq!(total_of(&edges, &greedy(2, 2, &edges, 1)), 0.9);
    }

    #[test]
    fn capacity_and_odd_input_are_respected() {
        let edges = [(0, 0, 0.5), (0, 1, 0.4), (0, 2, 0.3), (1, 0, 0.2), (0, 0, 0.1), (5, 0, 0.9), (1, 1, 0.0)];
        let chosen = optimal(2, 3, &edges, 2);
        let mut per_left = [0; 2];
        for &i in &chosen {
            per_left[edges[i].0] += 1;
        }
        assert!(per_left.iter().all(|&n| n <= 2));
        assert!(!chosen.contains(&4) && !chosen.contains(&5) && !chosen.contains(&6));
        assert_eq!(total_of(&edges, &chosen), 1.1, "A–X, A–Y and B–X");
        assert!(optimal(2, 3, &edges, 0).is_empty());
        assert!(optimal(0, 0, &[], 1).is_empty());
    }

    /// A small deterministic generator, so that the brute-force check is repeatable.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    fn brute_force(edges: &[(usize, usize, f64)], n: usize, capacity: usize) -> f64 {
        let mut best = 0.0f64;
        for mask in 0u32..(1 << edges.len()) {
            let (mut left, mut right, mut sum) = (vec![0; n], vec![0; n], 0.0);
            let mut pairs = std::collections::HashSet::new();
            let mut ok = true;
            for (i, &(l, r, w)) in edges.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    left[l] += 1;
                    right[r] += 1;
                    sum += w;
                    ok &= pairs.insert((l, r));
                }
            }
            if ok && left.iter().chain(&right).all(|&c| c <= capacity) {
                best = best.max(sum);
            }
        }
        best
    }

    #[test]
    fn the_optimum_equals_brute_force_on_random_small_graphs() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for round in 0..400 {
            let n = 2 + (next(&mut state) % 3) as usize;
            let count = 1 + (next(&mut state) % 10) as usize;
            let capacity = 1 + (round % 2);
            let edges: Vec<(usize, usize, f64)> = (0..count)
                .map(|_| {
                    let l = (next(&mut state) % n as u64) as usize;
                    let r = (next(&mut state) % n as u64) as usize;
                    (l, r, (next(&mut state) % 1000) as f64 / 1000.0)
                })
                .collect();
            let chosen = optimal(n, n, &edges, capacity);
            let expected = brute_force(&edges, n, capacity);
            assert!((total(&edges, &chosen) - expected).abs() < 1e-6, "round {round}: {edges:?}");
            let greedy_total = total(&edges, &greedy(n, n, &edges, capacity));
            assert!(greedy_total <= expected + 1e-9);
        }
    }
}
