//! `--by` dimensions and the keys that group turns, sessions and orders by them. Values are
//! interned and time buckets cached per quarter hour (every zone offset is a multiple of 15
//! min), so millions of rows cost a few hash look-ups each.

use std::collections::HashMap;

use chrono_tz::Tz;

use super::periods::{Grain, bucket_label};

/// A `--by` dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// Local day.
    Day,
    /// ISO week.
    Week,
    /// Month.
    Month,
    /// The agent.
    Agent,
    /// The session's source.
    Source,
    /// Who started the session.
    Initiator,
}

impl GroupBy {
    /// The column name (`period` for time buckets).
    pub fn column(self) -> &'static str {
        match self {
            GroupBy::Day | GroupBy::Week | GroupBy::Month => "period",
            GroupBy::Agent => "agent",
            GroupBy::Source => "source",
            GroupBy::Initiator => "initiator",
        }
    }

    /// The time grain of a time dimension.
    pub fn grain(self) -> Option<Grain> {
        match self {
            GroupBy::Day => Some(Grain::Day),
            GroupBy::Week => Some(Grain::Week),
            GroupBy::Month => Some(Grain::Month),
            _ => None,
        }
    }
}

/// The non-time values a row can be grouped by.
#[derive(Debug, Clone, Copy, Default)]
pub struct Attrs<'a> {
    /// The agent (None: no agent).
    pub agent: Option<&'a str>,
    /// The source.
    pub source: Option<&'a str>,
    /// The initiator.
    pub initiator: Option<&'a str>,
}

impl<'a> Attrs<'a> {
    /// A session's agent, source and initiator.
    pub fn of_session(s: &'a super::sessions::Session) -> Attrs<'a> {
        Attrs {
            agent: s.agent.as_deref(),
            source: Some(s.source.as_str()),
            initiator: Some(s.initiator.as_str()),
        }
    }
}

/// The id of a value that is not known for a row (a non-time dimension of an order).
pub const ANY: u32 = u32::MAX;

/// Gives rows a key of small ids, one per dimension, and turns keys back into values.
pub struct Keyer<'a> {
    by: Vec<GroupBy>,
    tz: Tz,
    ids: Vec<HashMap<Option<&'a str>, u32>>,
    labels: Vec<HashMap<String, u32>>,
    quarters: Vec<HashMap<i64, u32>>,
    values: Vec<Vec<Option<String>>>,
}

impl<'a> Keyer<'a> {
    /// A keyer for `by`, time buckets in `tz`.
    pub fn new(by: &[GroupBy], tz: Tz) -> Keyer<'a> {
        let n = by.len();
        Keyer {
            by: by.to_vec(),
            tz,
            ids: vec![HashMap::new(); n],
            labels: vec![HashMap::new(); n],
            quarters: vec![HashMap::new(); n],
            values: vec![Vec::new(); n],
        }
    }

    fn time_id(&mut self, d: usize, ts_ms: i64, grain: Grain) -> u32 {
        let quarter = ts_ms.div_euclid(900_000);
        if let Some(&id) = self.quarters[d].get(&quarter) {
            return id;
        }
        let label = bucket_label(ts_ms, self.tz, grain);
        let next = self.values[d].len() as u32;
        let id = *self.labels[d].entry(label.clone()).or_insert_with(|| {
            self.values[d].push(Some(label));
            next
        });
        self.quarters[d].insert(quarter, id);
        id
    }

    fn value_id(&mut self, d: usize, v: Option<&'a str>) -> u32 {
        let next = self.values[d].len() as u32;
        *self.ids[d].entry(v).or_insert_with(|| {
            self.values[d].push(v.map(str::to_string));
            next
        })
    }

    /// The key of a row at `ts_ms` with `attrs`.
    pub fn key(&mut self, ts_ms: i64, attrs: Attrs<'a>) -> Vec<u32> {
        (0..self.by.len())
            .map(|d| match self.by[d] {
                g if g.grain().is_some() => self.time_id(d, ts_ms, g.grain().expect("time")),
                GroupBy::Agent => self.value_id(d, attrs.agent),
                GroupBy::Source => self.value_id(d, attrs.source),
                _ => self.value_id(d, attrs.initiator),
            })
            .collect()
    }

    /// The key of a row known only by its time: [`ANY`] for the other dimensions.
    pub fn time_key(&mut self, ts_ms: i64) -> Vec<u32> {
        (0..self.by.len())
            .map(|d| match self.by[d].grain() {
                Some(grain) => self.time_id(d, ts_ms, grain),
                None => ANY,
            })
            .collect()
    }

    /// A key with [`ANY`] in every non-time dimension.
    pub fn time_part(&self, key: &[u32]) -> Vec<u32> {
        key.iter()
            .zip(&self.by)
            .map(|(&id, g)| if g.grain().is_some() { id } else { ANY })
            .collect()
    }

    /// The values of a key ([`ANY`] reads as None).
    pub fn values(&self, key: &[u32]) -> Vec<Option<String>> {
        key.iter()
            .enumerate()
            .map(|(d, &id)| {
                if id == ANY {
                    None
                } else {
                    self.values[d][id as usize].clone()
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_intern_values_and_buckets() {
        let sp = chrono_tz::America::Sao_Paulo;
        let mut k = Keyer::new(&[GroupBy::Week, GroupBy::Agent], sp);
        // 2026-11-23T12:00Z and 2026-11-24T12:00Z are both in 2026-W48.
        let mon = 1_795_435_200_000;
        let tue = mon + 86_400_000;
        let a = k.key(
            mon,
            Attrs {
                agent: Some("Ana"),
                ..Attrs::default()
            },
        );
        let b = k.key(tue, Attrs::default());
        assert_eq!(a[0], b[0]);
        assert_ne!(a[1], b[1]);
        assert_eq!(
            k.values(&a),
            vec![Some("2026-W48".to_string()), Some("Ana".to_string())]
        );
        assert_eq!(k.values(&b)[1], None);
        let t = k.time_key(tue);
        assert_eq!(t, vec![a[0], ANY]);
        assert_eq!(k.time_part(&a), t);
    }
}
