//! Congestion: a partner that appears at the top of many suggestion lists is discounted a little, so that
//! suggestions spread across the marketplace instead of sending everyone to the same few profiles.
//!
//! Each time a list is served, its first `top` partners gain one exposure; exposures decay with `half_life`. A
//! partner with `e` exposures loses `weight × e / (e + saturation)` from its score: nothing when it is rarely shown,
//! half of `weight` at `saturation` exposures, never more than `weight`. The counts are kept in memory, per replica.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use super::score::{Part, Scored};
use crate::config::CongestionSettings;
use crate::domain::taxonomy::Lang;

#[derive(Default)]
pub struct Congestion {
    exposures: Mutex<HashMap<String, (f64, Instant)>>,
    half_life_secs: f64,
}

impl Congestion {
    pub fn new(settings: &CongestionSettings) -> Self {
        Self { exposures: Mutex::default(), half_life_secs: settings.half_life.as_secs_f64().max(1.0) }
    }

    fn decayed(&self, count: f64, since: Instant) -> f64 {
        count * 0.5f64.powf(since.elapsed().as_secs_f64() / self.half_life_secs)
    }

    pub fn exposure(&self, partner: &str) -> f64 {
        let exposures = match self.exposures.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        exposures.get(partner).map_or(0.0, |(count, since)| self.decayed(*count, *since))
    }

    pub fn expose<'a>(&self, partners: impl Iterator<Item = &'a str>) {
        let mut exposures = match self.exposures.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let now = Instant::now();
        for partner in partners {
            let count = exposures.get(partner).map_or(0.0, |(count, since)| self.decayed(*count, *since));
            exposures.insert(partner.to_owned(), (count + 1.0, now));
        }
    }

    /// Adds the congestion part (a value in [-1, 0]) to a score, never taking the total below zero.
    pub fn discount(&self, scored: &mut Scored, partner: &str, settings: &CongestionSettings, lang: Lang) {
        let exposure = self.exposure(partner);
        let share = exposure / (exposure + settings.saturation);
        let mut value = -share;
        if settings.weight > 0.0 {
            value = value.max(-scored.score / settings.weight);
        }
        // Rounded like every other part; `+ 0.0` turns a negative zero into zero.
        let value = (value * 10_000.0).round() / 10_000.0 + 0.0;
        let shown = exposure.round() as u64;
        scored.push(Part {
            name: "congestion",
            weight: settings.weight,
            value,
            reason: match lang {
                Lang::Fr => format!(
                    "Ce partenaire figure récemment en tête d'environ {shown} liste(s) de suggestions : léger rabais pour répartir les mises en relation."
                ),
                Lang::En => format!(
                    "This partner recently topped about {shown} suggestion list(s): a slight discount spreads introductions across the marketplace."
                ),
            },
        });
    }
}
