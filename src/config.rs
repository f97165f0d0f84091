//! `chatrev.toml` (SPEC §10): the whole file parses, unknown keys are errors naming the key and line.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono_tz::Tz;
use regex::Regex;
use serde::{Deserialize, Deserializer};

use crate::sources::whatsapp_txt::DateOrder;

/// The file `chatrev init` writes: every key with its default, commented.
pub const DEFAULT_CONFIG: &str = include_str!("default_config.toml");

/// The parsed configuration. Every field is optional in the file; accessors give defaults.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Report and text-export default time zone (IANA name).
    pub timezone: Option<TimeZone>,
    /// Number formats in tables and ambiguous money columns (`pt-BR`, `en-US`…); checked when
    /// read, so a typo names its line.
    #[serde(default, deserialize_with = "locale_name")]
    pub locale: Option<String>,
    /// Country of phone numbers written without a country code (ISO 3166 alpha-2).
    pub default_country: Option<String>,
    /// Day/month order used only when a text export cannot decide by itself.
    pub date_order: Option<DateOrder>,
    /// Which senders of text exports are the business.
    #[serde(default)]
    pub business_names: Vec<String>,
    /// Regex with a named group `agent` that finds the agent's signature in business messages.
    pub agent_pattern: Option<Pattern>,
    /// `[store]`
    #[serde(default)]
    pub store: StoreConfig,
    /// `[sessions]`
    #[serde(default)]
    pub sessions: SessionsConfig,
    /// `[attribution]`
    #[serde(default)]
    pub attribution: AttributionConfig,
    /// `[response_time]`
    #[serde(default)]
    pub response_time: ResponseTimeConfig,
    /// `[business_hours]`; absent means no business clock.
    pub business_hours: Option<BusinessHours>,
    /// `[[auto_reply]]` rules that mark business messages as automatic.
    #[serde(default)]
    pub auto_reply: Vec<AutoReply>,
    /// `[funnel]`
    #[serde(default)]
    pub funnel: FunnelConfig,
    /// `[privacy]`
    #[serde(default)]
    pub privacy: PrivacyConfig,
    /// `[[sources]]` ingested when `ingest` gets no source flag.
    #[serde(default)]
    pub sources: Vec<SourceConfig>,
    /// Folder of the config file; relative paths resolve against it. Not a key.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

/// `[store]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// Store directory (default `chatrev-store`).
    pub dir: Option<PathBuf>,
    /// Messages above this many rows are written as month partitions (default 1,000,000; 0 is
    /// an error naming the line).
    pub partition_rows: Option<std::num::NonZeroU64>,
}

/// Rows above which the messages table is written as month partitions (SPEC §4), unless
/// `[store] partition_rows` says otherwise.
pub const DEFAULT_PARTITION_ROWS: u64 = 1_000_000;

impl StoreConfig {
    /// The row count above which messages are partitioned by month.
    pub fn partition_rows(&self) -> u64 {
        self.partition_rows
            .map_or(DEFAULT_PARTITION_ROWS, |n| n.get())
    }
}

/// `[sessions]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionsConfig {
    /// Silence that starts a new session (default 24h).
    pub gap: Option<DurationSpec>,
    /// Age at which a pending customer turn is abandoned (default 7d).
    pub abandon: Option<DurationSpec>,
}

/// `[attribution]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributionConfig {
    /// last | first | linear | position | time-decay
    pub model: Option<AttributionModel>,
    /// Look-back window before an order (default 7d).
    pub window: Option<DurationSpec>,
    /// Half-life of the time-decay model (default 7d).
    pub half_life: Option<DurationSpec>,
}

/// Attribution models (SPEC §5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum AttributionModel {
    /// All credit to the latest touch.
    Last,
    /// All credit to the earliest touch.
    First,
    /// Equal shares.
    Linear,
    /// 40/20/40.
    Position,
    /// Weights halve every half-life.
    TimeDecay,
}

/// `[response_time]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseTimeConfig {
    /// SLA thresholds (default 5m, 15m, 1h, 4h, 24h).
    pub sla: Option<Vec<Threshold>>,
}

/// `[business_hours]`: an IANA zone, intervals per weekday, holidays.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    /// Zone the intervals are written in (default: the top-level `timezone`).
    pub timezone: Option<TimeZone>,
    /// Monday intervals, `"09:00-18:00"`; an end before the start runs past midnight.
    #[serde(default)]
    pub mon: Vec<Interval>,
    /// Tuesday intervals.
    #[serde(default)]
    pub tue: Vec<Interval>,
    /// Wednesday intervals.
    #[serde(default)]
    pub wed: Vec<Interval>,
    /// Thursday intervals.
    #[serde(default)]
    pub thu: Vec<Interval>,
    /// Friday intervals.
    #[serde(default)]
    pub fri: Vec<Interval>,
    /// Saturday intervals.
    #[serde(default)]
    pub sat: Vec<Interval>,
    /// Sunday intervals.
    #[serde(default)]
    pub sun: Vec<Interval>,
    /// Dates with no business hours (`YYYY-MM-DD`).
    #[serde(default)]
    pub holidays: Vec<chrono::NaiveDate>,
}

/// One `[[auto_reply]]` rule: exact text or regex (exactly one of them).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoReply {
    /// The whole message text, compared after trimming.
    pub text: Option<String>,
    /// A regex searched in the message text.
    pub regex: Option<Pattern>,
}

/// `[funnel]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunnelConfig {
    /// Window from `lead` within which later stages count (default 14d).
    pub window: Option<DurationSpec>,
    /// session | contact
    pub unit: Option<FunnelUnit>,
    /// `[[funnel.stages]]`: the whole stage list, in order (default lead, engaged, quote, order,
    /// paid).
    #[serde(default)]
    pub stages: Vec<FunnelStage>,
}

/// What the funnel counts (`--unit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum FunnelUnit {
    /// Each session is a unit.
    Session,
    /// Each person is a unit, from their first lead in the period.
    Contact,
}

/// How a `[[funnel.stages]]` entry is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StageRuleKind {
    /// The unit's first inbound message (must be the first stage).
    FirstInbound,
    /// A human reply to the first turn followed by another inbound message.
    TwoWay,
    /// A message whose text matches `regex` (in `direction`) or whose kind is `kind`.
    Message,
    /// An order credited to the unit, not cancelled.
    OrderPlaced,
    /// The placed order's payment (or, without an `order-placed` stage, any credited payment).
    OrderPaid,
}

/// Which messages a `message` rule's regex reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextDirection {
    /// Human business messages (the default).
    Outbound,
    /// Customer messages.
    Inbound,
    /// Both.
    Any,
}

/// One `[[funnel.stages]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunnelStage {
    /// The stage's name in reports.
    pub name: String,
    /// How it is reached; may be left out for the default names (lead, engaged, quote, order,
    /// paid), which then keep their default rule.
    pub rule: Option<StageRuleKind>,
    /// `message` rule (and `quote`): the regex searched in message texts.
    pub regex: Option<Pattern>,
    /// `message` rule: whose texts the regex reads (default outbound).
    pub direction: Option<TextDirection>,
    /// `message` rule: a message kind that reaches the stage (e.g. `order`, a catalog cart).
    pub kind: Option<String>,
}

/// `[privacy]`
/// `[privacy]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    /// File holding the pseudonym key (else `$CHATREV_KEY`, else a key created in the store).
    pub key_file: Option<PathBuf>,
}

/// Kinds of `[[sources]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// WhatsApp "Export chat" `.txt`/`.zip` files or folders of them.
    Chats,
    /// Cloud API webhook JSON Lines.
    CloudApi,
    /// Inbox-tool message CSV.
    MessagesCsv,
    /// Order exports.
    Orders,
    /// Name → phone map.
    Contacts,
}

/// One `[[sources]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// What the path holds.
    pub kind: SourceKind,
    /// File or folder (relative to the config file).
    pub path: PathBuf,
    /// Order preset (`auto`, `shopify`, …) or messages-csv preset.
    pub format: Option<String>,
    /// Time zone of this source's local times (text exports, zone-less order dates).
    pub timezone: Option<TimeZone>,
    /// Day/month order for ambiguous text exports of this source.
    pub date_order: Option<DateOrder>,
    /// Column map for `messages-csv` and generic orders.
    pub columns: Option<toml::Table>,
    /// Status map for generic orders (`"Aprovado" = "paid"`).
    pub statuses: Option<toml::Table>,
}

/// A validated IANA time zone name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(pub Tz);

impl<'de> Deserialize<'de> for TimeZone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_time_zone(&s).map_err(serde::de::Error::custom)
    }
}

/// A `locale` the renderers know (`pt-BR`, `en-US` and their variants), kept as written.
fn locale_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    s.parse::<crate::render::Locale>()
        .map_err(serde::de::Error::custom)?;
    Ok(Some(s))
}

/// Parses an IANA zone name, with a message that says what was expected.
pub fn parse_time_zone(s: &str) -> Result<TimeZone, String> {
    s.parse::<Tz>().map(TimeZone).map_err(|_| {
        format!("unknown time zone `{s}`: expected an IANA name such as America/Sao_Paulo")
    })
}

/// A compiled regex from the config.
#[derive(Debug, Clone)]
pub struct Pattern(pub Regex);

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Regex::new(&s)
            .map(Pattern)
            .map_err(|e| serde::de::Error::custom(format!("invalid regex `{s}`: {e}")))
    }
}

/// A duration written `90s`, `15m`, `4h`, `7d` or `2w`, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DurationSpec(pub i64);

impl DurationSpec {
    /// Parses `90s`, `15m`, `4h`, `7d`, `2w`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let expected = || {
            format!(
                "invalid duration `{s}`: expected a number followed by s, m, h, d or w (e.g. 15m, 7d)"
            )
        };
        let n: i64 = num.parse().map_err(|_| expected())?;
        let mult = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86_400,
            "w" => 604_800,
            _ => return Err(expected()),
        };
        n.checked_mul(mult).map(DurationSpec).ok_or_else(expected)
    }
}

impl fmt::Display for DurationSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        // Days rather than weeks: windows are spoken of as `7d` and `14d`.
        for (unit, len) in [("d", 86_400), ("h", 3600), ("m", 60)] {
            if s != 0 && s % len == 0 {
                return write!(f, "{}{unit}", s / len);
            }
        }
        write!(f, "{s}s")
    }
}

impl std::str::FromStr for DurationSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        DurationSpec::parse(s)
    }
}

impl<'de> Deserialize<'de> for DurationSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DurationSpec::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A duration that keeps the spelling it was written in (`24h` stays `24h`, for column names
/// such as `sla_24h`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Threshold {
    /// As written, trimmed.
    pub label: String,
    /// Seconds.
    pub seconds: i64,
}

impl std::str::FromStr for Threshold {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Ok(Threshold {
            label: s.trim().to_string(),
            seconds: DurationSpec::parse(s)?.0,
        })
    }
}

impl<'de> Deserialize<'de> for Threshold {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// The default SLA thresholds.
pub fn default_sla() -> Vec<Threshold> {
    ["5m", "15m", "1h", "4h", "24h"]
        .iter()
        .map(|s| s.parse().expect("valid default"))
        .collect()
}

/// A business-hours interval `HH:MM-HH:MM`, in minutes after midnight; `end <= start` runs past midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    /// Start, minutes after midnight.
    pub start_min: u32,
    /// End, minutes after midnight (1440 allowed for `24:00`).
    pub end_min: u32,
}

impl<'de> Deserialize<'de> for Interval {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let bad = || {
            serde::de::Error::custom(format!(
                "invalid interval `{s}`: expected HH:MM-HH:MM, e.g. 09:00-18:00"
            ))
        };
        let (a, b) = s.split_once('-').ok_or_else(bad)?;
        let minutes = |t: &str| -> Option<u32> {
            let (h, m) = t.trim().split_once(':')?;
            let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
            (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
        };
        let (start_min, end_min) = (minutes(a).ok_or_else(bad)?, minutes(b).ok_or_else(bad)?);
        if start_min == end_min {
            return Err(bad());
        }
        Ok(Interval { start_min, end_min })
    }
}

impl Config {
    /// Reads and validates a config file; errors name the file, line and key.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config {}", path.display()))?;
        let mut cfg = Self::parse(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))?;
        cfg.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(cfg)
    }

    /// Parses config text; the error starts with `line N: `.
    pub fn parse(text: &str) -> Result<Config, String> {
        let cfg: Config = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|sp| text[..sp.start.min(text.len())].matches('\n').count() + 1);
            let msg = e.message().trim().to_string();
            match line {
                Some(l) => format!("line {l}: {msg}"),
                None => msg,
            }
        })?;
        cfg.validate()?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), String> {
        if let Some(p) = &self.agent_pattern
            && p.0.capture_names().all(|n| n != Some("agent"))
        {
            return Err(format!(
                "agent_pattern `{}` has no named group `agent` (e.g. '^\\*(?P<agent>[^*]+)\\*:')",
                p.0.as_str()
            ));
        }
        for (i, rule) in self.auto_reply.iter().enumerate() {
            if rule.text.is_some() == rule.regex.is_some() {
                return Err(format!(
                    "[[auto_reply]] rule {} must have exactly one of `text` or `regex`",
                    i + 1
                ));
            }
        }
        for (i, st) in self.funnel.stages.iter().enumerate() {
            let default = ["lead", "engaged", "quote", "order", "paid"].contains(&st.name.as_str());
            let rule = match (st.rule, st.name.as_str()) {
                (Some(r), _) => r,
                (None, "lead") => StageRuleKind::FirstInbound,
                (None, "engaged") => StageRuleKind::TwoWay,
                (None, "quote") => StageRuleKind::Message,
                (None, "order") => StageRuleKind::OrderPlaced,
                (None, "paid") => StageRuleKind::OrderPaid,
                (None, name) => {
                    return Err(format!(
                        "[[funnel.stages]] `{name}` needs a `rule` (first-inbound, two-way, message, order-placed, order-paid)"
                    ));
                }
            };
            if (i == 0) != (rule == StageRuleKind::FirstInbound) {
                return Err(format!(
                    "[[funnel.stages]] `{}`: the first stage, and only it, has rule first-inbound",
                    st.name
                ));
            }
            if rule == StageRuleKind::Message
                && st.regex.is_none()
                && st.kind.is_none()
                && !(default && st.name == "quote")
            {
                return Err(format!(
                    "[[funnel.stages]] `{}`: a message rule needs `regex` or `kind`",
                    st.name
                ));
            }
        }
        if let Some(c) = &self.default_country
            && crate::normalize::identity::calling_code(c).is_none()
        {
            return Err(format!(
                "default_country `{c}` is not a known ISO 3166 country code"
            ));
        }
        Ok(())
    }

    /// The config's time zone, if set.
    pub fn timezone(&self) -> Option<Tz> {
        self.timezone.map(|t| t.0)
    }

    /// `default_country`, default `BR`.
    pub fn default_country(&self) -> &str {
        self.default_country.as_deref().unwrap_or("BR")
    }

    /// Resolves a path from the config against the config file's folder.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }

    /// The store directory from `[store] dir`, resolved; None when unset.
    pub fn store_dir(&self) -> Option<PathBuf> {
        self.store.dir.as_deref().map(|d| self.resolve(d))
    }
}

/// Finds the config: `--config FILE` (must exist), else `./chatrev.toml` when present.
pub fn locate(flag: Option<&Path>) -> Result<Option<PathBuf>> {
    match flag {
        Some(p) => {
            if !p.is_file() {
                bail!("config file {} does not exist", p.display());
            }
            Ok(Some(p.to_path_buf()))
        }
        None => {
            let p = PathBuf::from("chatrev.toml");
            Ok(p.is_file().then_some(p))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_parses_and_has_every_section() {
        let cfg = Config::parse(DEFAULT_CONFIG).expect("default config parses");
        assert_eq!(cfg.timezone().unwrap().name(), "America/Sao_Paulo");
        assert_eq!(cfg.sessions.gap, Some(DurationSpec(86_400)));
        assert_eq!(cfg.attribution.model, Some(AttributionModel::Last));
        assert_eq!(cfg.response_time.sla.as_ref().unwrap(), &default_sla());
        assert_eq!(
            default_sla()[4],
            Threshold {
                label: "24h".into(),
                seconds: 86_400
            }
        );
    }

    #[test]
    fn spec_example_parses() {
        let text = r#"
timezone = "America/Sao_Paulo"
locale = "pt-BR"
default_country = "BR"
date_order = "dmy"
business_names = ["Loja Exemplo"]
agent_pattern = '^\*(?P<agent>[^*]+)\*:'
[store]
dir = "chatrev-store"
[sessions]
gap = "24h"
abandon = "7d"
[attribution]
model = "last"
window = "7d"
[response_time]
sla = ["5m", "15m", "1h", "4h", "24h"]
[business_hours]
timezone = "America/Sao_Paulo"
mon = ["09:00-12:00", "13:00-18:00"]
sat = ["09:00-13:00"]
holidays = ["2026-12-25", "2027-01-01"]
[[auto_reply]]
regex = '^Olá! Obrigado por entrar em contato'
[[sources]]
kind = "chats"
path = "examples/chats"
[[sources]]
kind = "orders"
format = "shopify"
path = "examples/orders/shopify_orders.csv"
"#;
        let cfg = Config::parse(text).unwrap();
        let bh = cfg.business_hours.unwrap();
        assert_eq!(
            bh.mon[1],
            Interval {
                start_min: 780,
                end_min: 1080
            }
        );
        assert_eq!(bh.holidays.len(), 2);
        assert_eq!(cfg.sources.len(), 2);
        assert_eq!(cfg.sources[1].kind, SourceKind::Orders);
        assert_eq!(cfg.date_order, Some(DateOrder::Dmy));
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = Config::parse("timezone = \"UTC\"\n\n[sessions]\ngapp = \"1h\"\n").unwrap_err();
        assert!(err.starts_with("line 4:"), "{err}");
        assert!(err.contains("gapp"), "{err}");
    }

    #[test]
    fn bad_values_are_errors_with_lines() {
        let err = Config::parse("timezone = \"Mars/Base\"\n").unwrap_err();
        assert!(err.contains("line 1") && err.contains("Mars/Base"), "{err}");
        let err = Config::parse("timezone = \"UTC\"\nlocale = \"xx-YY\"\n").unwrap_err();
        assert!(err.contains("line 2") && err.contains("xx-YY"), "{err}");
        assert_eq!(
            Config::parse("locale = \"en_GB\"")
                .unwrap()
                .locale
                .as_deref(),
            Some("en_GB")
        );
        let err = Config::parse("[sessions]\ngap = \"7x\"\n").unwrap_err();
        assert!(err.contains("line 2") && err.contains("7x"), "{err}");
        let err = Config::parse("agent_pattern = '^x'\n").unwrap_err();
        assert!(err.contains("agent"), "{err}");
        let err = Config::parse("[[auto_reply]]\n").unwrap_err();
        assert!(err.contains("exactly one"), "{err}");
        let err = Config::parse("[business_hours]\nmon = [\"9-18\"]\n").unwrap_err();
        assert!(err.contains("line 2") && err.contains("HH:MM"), "{err}");
        let err = Config::parse("[store]\npartition_rows = 0\n").unwrap_err();
        assert!(err.contains("line 2") && err.contains("nonzero"), "{err}");
        let cfg = Config::parse("[store]\npartition_rows = 5\n").unwrap();
        assert_eq!(cfg.store.partition_rows(), 5);
    }

    #[test]
    fn durations() {
        assert_eq!(DurationSpec::parse("90s"), Ok(DurationSpec(90)));
        assert_eq!(DurationSpec::parse("2w"), Ok(DurationSpec(1_209_600)));
        assert!(DurationSpec::parse("m").is_err());
        assert!(DurationSpec::parse("99999999999999999999d").is_err());
        assert_eq!(DurationSpec(900).to_string(), "15m");
        assert_eq!(DurationSpec(86_400).to_string(), "1d");
        assert_eq!(DurationSpec(90).to_string(), "90s");
    }

    #[test]
    fn interval_past_midnight() {
        let cfg = Config::parse("[business_hours]\nfri = [\"22:00-02:00\"]\n").unwrap();
        let i = cfg.business_hours.unwrap().fri[0];
        assert_eq!((i.start_min, i.end_min), (1320, 120));
    }
}
