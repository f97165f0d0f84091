//! Inbox-tool message CSVs (SPEC §3.3): one row per message, with a column map from the config
//! (`conversation_id, timestamp, direction, author, agent, contact_phone, text, is_bot`), or
//! Twilio's console message log (`From,To,Body,Status,SentDate,…,Sid,Direction`, addresses
//! `whatsapp:+55…`). The delimiter (`,`, `;` or tab) is detected. Rows that cannot be used are
//! rejects naming the line and the value.

use std::collections::BTreeMap;
use std::fmt;

use chrono_tz::Tz;

use super::orders::time::parse_instant;
use super::orders::{OrderReject, OrdersError, Table, field};

/// How a messages CSV is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxPreset {
    /// Columns named by the config's map.
    Generic,
    /// Twilio's console message-log export.
    Twilio,
}

impl InboxPreset {
    /// `generic` or `twilio`.
    pub fn as_str(self) -> &'static str {
        match self {
            InboxPreset::Generic => "generic",
            InboxPreset::Twilio => "twilio",
        }
    }
}

impl fmt::Display for InboxPreset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for InboxPreset {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "generic" => Ok(InboxPreset::Generic),
            "twilio" => Ok(InboxPreset::Twilio),
            _ => Err(format!(
                "`{s}` is not a messages format: expected auto, generic or twilio"
            )),
        }
    }
}

/// The fields a generic column map may name.
pub const FIELDS: &[&str] = &[
    "conversation_id",
    "timestamp",
    "direction",
    "author",
    "agent",
    "contact_phone",
    "text",
    "is_bot",
];

/// One usable row.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxRow {
    /// The tool's conversation id.
    pub conversation_id: Option<String>,
    /// When, ms since the epoch.
    pub ts_ms: i64,
    /// Written by the customer.
    pub inbound: bool,
    /// The sender as the tool shows it.
    pub author: Option<String>,
    /// The agent of an outbound message.
    pub agent: Option<String>,
    /// The customer's phone as written.
    pub contact_phone: Option<String>,
    /// The body.
    pub text: Option<String>,
    /// Sent by a bot or automation.
    pub bot: bool,
    /// Delivery of an outbound message (`sent|delivered|read|failed`), when the tool says.
    pub delivery: Option<&'static str>,
    /// Error code of a failed send.
    pub error_code: Option<i32>,
    /// The tool's message id (Twilio `Sid`).
    pub message_ref: Option<String>,
    /// 1-based line.
    pub line: u32,
}

/// What one file gave.
#[derive(Debug, Clone)]
pub struct InboxParsed {
    /// Usable rows, in file order.
    pub rows: Vec<InboxRow>,
    /// Rows that were not.
    pub rejects: Vec<OrderReject>,
    /// The layout used.
    pub preset: InboxPreset,
}

fn has_twilio_header(t: &Table) -> bool {
    ["From", "To", "Body", "Direction"]
        .iter()
        .all(|c| t.col(&[c]).is_some())
        && (t.col(&["SentDate"]).is_some() || t.col(&["DateSent", "date_sent"]).is_some())
}

/// `in`/`out` from a direction value.
fn direction(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "in" | "inbound" | "incoming" | "received" | "receiving" | "customer" | "contact"
        | "user" | "0" | "entrada" | "recebida" | "recebido" | "cliente" | "entrante" => Some(true),
        "out" | "outbound" | "outgoing" | "sent" | "agent" | "business" | "bot"
        | "outbound-api" | "outbound-reply" | "outbound-call" | "1" | "saida" | "saída"
        | "enviada" | "enviado" | "atendente" | "saliente" => Some(false),
        _ => None,
    }
}

fn truthy(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "true" | "1" | "yes" | "y" | "sim" | "s" | "bot" | "x"
    )
}

/// Twilio `Status` → delivery of an outbound message.
fn twilio_delivery(status: &str) -> Option<&'static str> {
    match status.trim().to_ascii_lowercase().as_str() {
        "sent" | "accepted" | "queued" | "sending" => Some("sent"),
        "delivered" => Some("delivered"),
        "read" => Some("read"),
        "failed" | "undelivered" | "canceled" => Some("failed"),
        _ => None,
    }
}

fn cell(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}

fn bad(line: u32, reason: String, excerpt: String) -> OrderReject {
    OrderReject {
        line,
        reason,
        excerpt,
    }
}

/// Reads one messages CSV. `preset` None detects Twilio by its header, else the generic map.
/// Zone-less times are local to `tz`.
pub fn parse_messages_csv(
    file: &str,
    text: &str,
    preset: Option<InboxPreset>,
    columns: Option<&BTreeMap<String, String>>,
    tz: Tz,
) -> Result<InboxParsed, OrdersError> {
    let table = Table::read(file, text)?;
    let preset = preset.unwrap_or(if has_twilio_header(&table) {
        InboxPreset::Twilio
    } else {
        InboxPreset::Generic
    });
    let mut out = InboxParsed {
        rows: Vec::new(),
        rejects: table.bad.clone(),
        preset,
    };
    let config = |why: String| OrdersError::Malformed {
        file: file.to_string(),
        why: format!("messages CSV: {why}"),
    };
    match preset {
        InboxPreset::Twilio => {
            let need = |names: &[&str]| {
                table.col(names).ok_or_else(|| OrdersError::Malformed {
                    file: file.to_string(),
                    why: format!("not a Twilio message log: no {:?} column", names[0]),
                })
            };
            let (from, to, body, direction_col) = (
                need(&["From"])?,
                need(&["To"])?,
                need(&["Body"])?,
                need(&["Direction"])?,
            );
            let sent = need(&["SentDate", "DateSent", "date_sent"])?;
            let (status, error, sid) = (
                table.col(&["Status"]),
                table.col(&["ErrorCode", "error_code"]),
                table.col(&["Sid"]),
            );
            for (line, rec) in &table.rows {
                let excerpt = table.excerpt(rec);
                let d = field(rec, Some(direction_col));
                let Some(inbound) = direction(d) else {
                    out.rejects.push(bad(
                        *line,
                        format!("Direction `{d}` is not inbound or outbound-*"),
                        excerpt,
                    ));
                    continue;
                };
                let when = field(rec, Some(sent));
                let Some((ts_ms, _)) = parse_instant(when, tz) else {
                    out.rejects.push(bad(
                        *line,
                        format!("SentDate `{when}` is not a date and time"),
                        excerpt,
                    ));
                    continue;
                };
                let customer = field(rec, Some(if inbound { from } else { to }));
                out.rows.push(InboxRow {
                    conversation_id: None,
                    ts_ms,
                    inbound,
                    author: None,
                    agent: None,
                    contact_phone: cell(customer),
                    text: cell(field(rec, Some(body))),
                    bot: false,
                    delivery: if inbound {
                        None
                    } else {
                        status.and_then(|s| twilio_delivery(field(rec, Some(s))))
                    },
                    error_code: error.and_then(|e| field(rec, Some(e)).trim().parse().ok()),
                    message_ref: sid.and_then(|s| cell(field(rec, Some(s)))),
                    line: *line,
                });
            }
        }
        InboxPreset::Generic => {
            let map = columns.ok_or_else(|| {
                config(
                    "a messages CSV needs a `columns` map in its [[sources]] entry (conversation_id, timestamp, direction, author, agent, contact_phone, text, is_bot), or `format = \"twilio\"`".into(),
                )
            })?;
            if let Some(unknown) = map.keys().find(|k| !FIELDS.contains(&k.as_str())) {
                return Err(config(format!(
                    "unknown field `{unknown}` in the columns map (known: {})",
                    FIELDS.join(", ")
                )));
            }
            let idx = |f: &str| -> Result<Option<usize>, OrdersError> {
                match map.get(f) {
                    None => Ok(None),
                    Some(name) => table.col(&[name.as_str()]).map(Some).ok_or_else(|| {
                        OrdersError::Malformed {
                            file: file.to_string(),
                            why: format!(
                                "the columns map names `{name}` for {f}, which the header lacks"
                            ),
                        }
                    }),
                }
            };
            let (Some(ts_col), Some(dir_col)) = (idx("timestamp")?, idx("direction")?) else {
                return Err(config(
                    "the columns map must name `timestamp` and `direction`".into(),
                ));
            };
            let (conv, author, agent, phone, body, bot) = (
                idx("conversation_id")?,
                idx("author")?,
                idx("agent")?,
                idx("contact_phone")?,
                idx("text")?,
                idx("is_bot")?,
            );
            if conv.is_none() && phone.is_none() {
                return Err(config(
                    "the columns map must name `contact_phone` or `conversation_id` (who the customer is)".into(),
                ));
            }
            for (line, rec) in &table.rows {
                let excerpt = table.excerpt(rec);
                let d = field(rec, Some(dir_col));
                let Some(inbound) = direction(d) else {
                    out.rejects.push(bad(
                        *line,
                        format!("direction `{d}` is not in/inbound or out/outbound"),
                        excerpt,
                    ));
                    continue;
                };
                let when = field(rec, Some(ts_col));
                let ts = parse_instant(when, tz).map(|(ms, _)| ms).or_else(|| {
                    // Unix seconds or milliseconds.
                    when.trim().parse::<i64>().ok().map(|n| {
                        if n.abs() < 100_000_000_000 {
                            n * 1000
                        } else {
                            n
                        }
                    })
                });
                let Some(ts_ms) = ts else {
                    out.rejects.push(bad(
                        *line,
                        format!("timestamp `{when}` is not a date and time"),
                        excerpt,
                    ));
                    continue;
                };
                let conversation_id = conv.and_then(|c| cell(field(rec, Some(c))));
                let contact_phone = phone.and_then(|c| cell(field(rec, Some(c))));
                if conversation_id.is_none() && contact_phone.is_none() {
                    out.rejects.push(bad(
                        *line,
                        "no contact phone and no conversation id: whose message is it?".into(),
                        excerpt,
                    ));
                    continue;
                }
                out.rows.push(InboxRow {
                    conversation_id,
                    ts_ms,
                    inbound,
                    author: author.and_then(|c| cell(field(rec, Some(c)))),
                    agent: agent.and_then(|c| cell(field(rec, Some(c)))),
                    contact_phone,
                    text: body.and_then(|c| cell(field(rec, Some(c)))),
                    bot: bot.is_some_and(|c| truthy(field(rec, Some(c)))),
                    delivery: None,
                    error_code: None,
                    message_ref: None,
                    line: *line,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWILIO: &str = "From,To,Body,Status,SentDate,ApiVersion,NumSegments,ErrorCode,AccountSid,Sid,Direction,Price,PriceUnit
whatsapp:+5541988887777,whatsapp:+5541999990000,\"Oi! Vi o anúncio, ainda tem o tênis 42?\",received,2025-03-10 14:00:00,2010-04-01,1,,AC1,SM01,inbound,0,USD
whatsapp:+5541999990000,whatsapp:+5541988887777,\"Temos sim\",read,2025-03-10 14:04:00,2010-04-01,1,,AC1,SM02,outbound-api,-0.0050,USD
whatsapp:+5541999990000,whatsapp:+5541988887777,\"Promoção\",undelivered,2025-03-15 14:00:00,2010-04-01,1,63016,AC1,SM03,outbound-api,,USD
whatsapp:+5541999990000,whatsapp:+5541988887777,x,sent,yesterday,2010-04-01,1,,AC1,SM04,outbound-api,,USD
";

    #[test]
    fn twilio_is_detected_and_read() {
        let p = parse_messages_csv("t.csv", TWILIO, None, None, Tz::UTC).unwrap();
        assert_eq!(p.preset, InboxPreset::Twilio);
        assert_eq!(p.rows.len(), 3);
        assert!(p.rows[0].inbound);
        assert_eq!(
            p.rows[0].contact_phone.as_deref(),
            Some("whatsapp:+5541988887777")
        );
        assert_eq!(p.rows[0].ts_ms, 1_741_615_200_000);
        assert_eq!(
            p.rows[1].contact_phone.as_deref(),
            Some("whatsapp:+5541988887777")
        );
        assert_eq!(p.rows[1].delivery, Some("read"));
        assert_eq!(p.rows[2].delivery, Some("failed"));
        assert_eq!(p.rows[2].error_code, Some(63_016));
        assert_eq!(p.rows[2].message_ref.as_deref(), Some("SM03"));
        assert_eq!(p.rejects.len(), 1);
        assert_eq!(p.rejects[0].line, 5);
        assert!(p.rejects[0].reason.contains("yesterday"));
    }

    #[test]
    fn generic_map_semicolons_and_bad_rows() {
        let text = "conversa;quando;sentido;quem;atendente;telefone;mensagem;robo
77;10/03/2025 11:00;entrada;Ana Cliente;;(41) 98888-7777;Oi;
77;10/03/2025 11:02;saida;Loja;Bruno;(41) 98888-7777;Olá!;nao
77;10/03/2025 11:03;saída?;Loja;;(41) 98888-7777;x;
78;1741615200;out;Loja;;;Menu automático;sim
";
        let map: BTreeMap<String, String> = [
            ("conversation_id", "conversa"),
            ("timestamp", "quando"),
            ("direction", "sentido"),
            ("author", "quem"),
            ("agent", "atendente"),
            ("contact_phone", "telefone"),
            ("text", "mensagem"),
            ("is_bot", "robo"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let p = parse_messages_csv(
            "m.csv",
            text,
            None,
            Some(&map),
            chrono_tz::America::Sao_Paulo,
        )
        .unwrap();
        assert_eq!(p.preset, InboxPreset::Generic);
        assert_eq!(p.rejects.len(), 1, "{:?}", p.rejects);
        assert_eq!(p.rejects[0].line, 4);
        assert!(p.rejects[0].reason.contains("`saída?`"));
        assert_eq!(p.rows.len(), 3);
        // 10/03/2025 11:00 in São Paulo is 14:00 UTC.
        assert!(p.rows[0].inbound);
        assert_eq!(p.rows[0].ts_ms, 1_741_615_200_000);
        assert_eq!(p.rows[1].agent.as_deref(), Some("Bruno"));
        assert!(!p.rows[1].bot);
        let r = &p.rows[2];
        assert!(!r.inbound && r.bot);
        assert_eq!(r.ts_ms, 1_741_615_200_000);
        assert_eq!(r.conversation_id.as_deref(), Some("78"));
        let mut bad_map = map.clone();
        bad_map.insert("sender".into(), "quem".into());
        let err = parse_messages_csv("m.csv", text, None, Some(&bad_map), Tz::UTC).unwrap_err();
        assert!(err.to_string().contains("unknown field `sender`"), "{err}");
        let err = parse_messages_csv("m.csv", text, None, None, Tz::UTC).unwrap_err();
        assert!(err.to_string().contains("columns"), "{err}");
    }

    #[test]
    fn a_row_with_more_values_than_columns_is_rejected_not_shifted() {
        // Line 2's timestamp holds an unquoted `;`: its values would move one column right (the
        // direction column would read `1`, outbound in Chatwoot's numbering; the extra value is
        // the empty text). Line 3 is whole.
        let text = "conv;ts;dir;phone;msg\na;0;1;in;(41) 98888-7777;\nb;0;in;(41) 98888-7777;oi\n";
        let map: BTreeMap<String, String> = [
            ("conversation_id", "conv"),
            ("timestamp", "ts"),
            ("direction", "dir"),
            ("contact_phone", "phone"),
            ("text", "msg"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let p = parse_messages_csv("m.csv", text, None, Some(&map), Tz::UTC).unwrap();
        assert_eq!(p.rejects.len(), 1, "{:?}", p.rejects);
        assert_eq!(p.rejects[0].line, 2);
        assert!(
            p.rejects[0]
                .reason
                .contains("6 values where the header has 5 columns"),
            "{}",
            p.rejects[0].reason
        );
        assert_eq!(p.rows.len(), 1);
        assert!(p.rows[0].inbound);
    }
}
