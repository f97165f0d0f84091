//! Renders a [`Chat`] as a WhatsApp "Export chat" text file, in five header formats.
//!
//! Format-only: no randomness here, so the same chat always renders the same bytes. The parser
//! benchmark (`benches/parse.rs`) includes this module and its three dependencies with `#[path]`.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use crate::chat::{self, Body, Chat, Media, Plan, Role, Shop, Size};
use crate::names::Customer;
use crate::rng::Rng;

/// Header format (and system-string language) of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Android pt-BR: `24/11/2026 14:32 - Name: text`.
    #[value(name = "android-br")]
    AndroidBr,
    /// Android en-US 12-hour: `11/24/26, 2:32 PM - Name: text` (U+202F before PM).
    #[value(name = "android-us12h")]
    AndroidUs12h,
    /// Android pt-BR, 2-digit year: `24/11/26 14:32 - Name: text`.
    #[value(name = "android-br-2digit")]
    AndroidBr2Digit,
    /// iOS pt-BR 24-hour: `[24/11/2026, 14:32:05] Name: text`, LRM marks, CRLF.
    #[value(name = "ios24h")]
    Ios24h,
    /// iOS en-US 12-hour: `[11/24/26, 2:32:05 PM] Name: text` (U+202F before PM), CRLF.
    #[value(name = "ios12h")]
    Ios12h,
}

impl Format {
    /// iOS (brackets, seconds, LRM marks, CRLF) rather than Android.
    pub fn is_ios(self) -> bool {
        matches!(self, Self::Ios24h | Self::Ios12h)
    }

    /// System and media strings in Portuguese (else English).
    pub fn portuguese(self) -> bool {
        matches!(self, Self::AndroidBr | Self::AndroidBr2Digit | Self::Ios24h)
    }

    /// iOS exports use CRLF line ends, Android LF.
    pub fn crlf_by_default(self) -> bool {
        self.is_ios()
    }

    /// The export's file name without extension, as the phone names it.
    pub fn file_stem(self, who: &str) -> String {
        match self {
            Self::AndroidBr | Self::AndroidBr2Digit => format!("Conversa do WhatsApp com {who}"),
            Self::AndroidUs12h => format!("WhatsApp Chat with {who}"),
            Self::Ios24h | Self::Ios12h => format!("WhatsApp Chat - {who}"),
        }
    }

    /// The name of the text file inside the export's zip.
    pub fn zip_entry(self, who: &str) -> String {
        if self.is_ios() {
            "_chat.txt".to_string()
        } else {
            format!("{}.txt", self.file_stem(who))
        }
    }

    /// Writes the header of a line stamped `ts` (up to and including the separator before the
    /// author).
    fn header(self, ts: NaiveDateTime, out: &mut String) {
        let (y, mo, d) = (ts.year(), ts.month(), ts.day());
        let (h, mi, s) = (ts.hour(), ts.minute(), ts.second());
        let (h12, ampm) = match h {
            0 => (12, "AM"),
            1..12 => (h, "AM"),
            12 => (12, "PM"),
            _ => (h - 12, "PM"),
        };
        let yy = y.rem_euclid(100);
        let _ = match self {
            Self::AndroidBr => write!(out, "{d:02}/{mo:02}/{y} {h:02}:{mi:02} - "),
            Self::AndroidBr2Digit => write!(out, "{d:02}/{mo:02}/{yy:02} {h:02}:{mi:02} - "),
            Self::AndroidUs12h => write!(out, "{mo}/{d}/{yy:02}, {h12}:{mi:02}\u{202f}{ampm} - "),
            Self::Ios24h => write!(out, "[{d:02}/{mo:02}/{y}, {h:02}:{mi:02}:{s:02}] "),
            Self::Ios12h => write!(
                out,
                "[{mo}/{d}/{yy:02}, {h12}:{mi:02}:{s:02}\u{202f}{ampm}] "
            ),
        };
    }

    fn e2e(self) -> &'static str {
        match (self.is_ios(), self.portuguese()) {
            (false, true) => {
                "As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta e ficam somente entre você e os participantes desta conversa. Nem mesmo o WhatsApp pode ler ou ouvi-las. Toque para saber mais."
            }
            (false, false) => {
                "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more."
            }
            (true, true) => {
                "\u{200e}As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta e ficam somente entre você e os participantes desta conversa. Nem mesmo o WhatsApp pode ler ou ouvi-las."
            }
            (true, false) => {
                "\u{200e}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them."
            }
        }
    }

    fn media(self, m: Media, business: bool) -> &'static str {
        match (self.is_ios(), self.portuguese()) {
            (false, true) => "<Mídia oculta>",
            (false, false) => "<Media omitted>",
            (true, pt) => match (m, pt) {
                (Media::Image, true) => "\u{200e}imagem ocultada",
                (Media::Audio, true) => "\u{200e}áudio ocultado",
                (Media::Video, true) => "\u{200e}vídeo omitido",
                (Media::Sticker, true) => "\u{200e}figurinha omitida",
                (Media::Document, true) if business => {
                    "etiqueta-postagem.pdf \u{200e}documento omitido"
                }
                (Media::Document, true) => "comprovante.pdf \u{200e}documento omitido",
                (Media::Image, false) => "\u{200e}image omitted",
                (Media::Audio, false) => "\u{200e}audio omitted",
                (Media::Video, false) => "\u{200e}video omitted",
                (Media::Sticker, false) => "\u{200e}sticker omitted",
                (Media::Document, false) if business => {
                    "etiqueta-postagem.pdf \u{200e}document omitted"
                }
                (Media::Document, false) => "comprovante.pdf \u{200e}document omitted",
            },
        }
    }

    /// `alt` picks between the two Android pt-BR strings for a deleted incoming message.
    fn deleted(self, business: bool, alt: bool) -> &'static str {
        match (self.is_ios(), self.portuguese(), business) {
            (false, true, true) => "Você apagou esta mensagem",
            (false, true, false) if alt => "Mensagem apagada",
            (false, true, false) => "Esta mensagem foi apagada",
            (false, false, true) => "You deleted this message",
            (false, false, false) => "This message was deleted",
            (true, true, _) => "\u{200e}Mensagem apagada",
            (true, false, true) => "\u{200e}You deleted this message.",
            (true, false, false) => "\u{200e}This message was deleted.",
        }
    }

    fn missed_call(self, video: bool) -> &'static str {
        match (self.is_ios(), self.portuguese(), video) {
            (false, true, false) => "Chamada de voz perdida",
            (false, true, true) => "Chamada de vídeo perdida",
            (false, false, false) => "Missed voice call",
            (false, false, true) => "Missed video call",
            (true, true, false) => "\u{200e}Chamada de voz perdida",
            (true, true, true) => "\u{200e}Chamada de vídeo perdida",
            (true, false, false) => "\u{200e}Missed voice call",
            (true, false, true) => "\u{200e}Missed video call",
        }
    }
}

/// Renders `chat` as the text of an export (every line ends with the line terminator).
pub fn render(chat: &Chat, shop: &Shop, format: Format, crlf: bool) -> String {
    let mut out = String::with_capacity(chat.lines() * 72);
    render_into(chat, shop, format, crlf, &mut out);
    out
}

/// Like [`render`], appending to `out`.
pub fn render_into(chat: &Chat, shop: &Shop, format: Format, crlf: bool, out: &mut String) {
    let eol = if crlf { "\r\n" } else { "\n" };
    let ios = format.is_ios();
    let customer = if ios {
        chat.customer.ios_name()
    } else {
        chat.customer.android_name()
    };
    for m in &chat.messages {
        let marked = ios && matches!(m.body, Body::Media(_) | Body::MissedCall { .. });
        if marked {
            out.push('\u{200e}');
        }
        format.header(m.ts, out);
        let business = matches!(m.role, Role::Agent(_) | Role::Auto);
        match m.role {
            Role::Customer => out.push_str(&customer),
            Role::Agent(_) | Role::Auto => out.push_str(&shop.name),
            Role::System if ios => out.push_str(&customer),
            Role::System => {}
        }
        if m.role != Role::System || ios {
            out.push_str(": ");
        }
        match &m.body {
            Body::Text(lines) => {
                if let Role::Agent(a) = m.role {
                    out.push('*');
                    out.push_str(a.name);
                    out.push_str("*: ");
                }
                for (i, l) in lines.iter().enumerate() {
                    if i > 0 {
                        out.push_str(eol);
                    }
                    out.push_str(l);
                }
            }
            Body::Media(media) => out.push_str(format.media(*media, business)),
            Body::Deleted => out.push_str(format.deleted(business, m.ts.minute() % 2 == 0)),
            Body::MissedCall { video } => out.push_str(format.missed_call(*video)),
            Body::E2eNotice => out.push_str(format.e2e()),
        }
        out.push_str(eol);
    }
}

/// Options of a one-file export (the parser benchmark's input).
#[derive(Debug, Clone)]
pub struct SingleExport {
    /// Header format.
    pub format: Format,
    /// Exact number of physical lines.
    pub lines: usize,
    /// PRNG seed.
    pub seed: u64,
    /// CRLF line ends.
    pub crlf: bool,
    /// Date-looking continuation lines (`13/01/2023, 14:00 fica bom pra mim?`).
    pub date_trap: bool,
    /// Business sender name.
    pub shop: String,
    /// First and last day of the chat.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl SingleExport {
    /// A benchmark export: 2023-01-04 to 2025-10-27 (the peers' generator's span), LF unless iOS,
    /// date trap on, `Loja Exemplo`.
    pub fn new(format: Format, lines: usize, seed: u64) -> Self {
        Self {
            format,
            lines,
            seed,
            crlf: format.crlf_by_default(),
            date_trap: true,
            shop: "Loja Exemplo".to_string(),
            from: NaiveDate::from_ymd_opt(2023, 1, 4).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(2025, 10, 27).unwrap_or_default(),
        }
    }

    /// One chat with one customer, exactly `lines` physical lines; returns the chat and its text.
    pub fn build(&self) -> (Chat, String) {
        let mut rng = Rng::new(self.seed);
        let customer = Customer::random(&mut rng, 0.8);
        let plan = Plan {
            start: self.from.and_hms_opt(9, 0, 0).unwrap_or_default(),
            end: self.to.and_hms_opt(22, 0, 0).unwrap_or_default(),
            cut_at_end: false,
            size: Size::Lines(self.lines),
            date_trap: self.date_trap,
            answered: true,
            rare_events: 1.0,
        };
        let shop = Shop {
            name: self.shop.clone(),
        };
        let chat = chat::generate(&mut rng, &shop, customer, &plan);
        let text = render(&chat, &shop, self.format, self.crlf);
        (chat, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 4)
            .and_then(|d| d.and_hms_opt(h, mi, s))
            .unwrap_or_default()
    }

    #[test]
    fn headers_match_real_exports() {
        let cases = [
            (Format::AndroidBr, ts(14, 32, 5), "04/11/2026 14:32 - "),
            (Format::AndroidBr2Digit, ts(14, 32, 5), "04/11/26 14:32 - "),
            (
                Format::AndroidUs12h,
                ts(14, 32, 5),
                "11/4/26, 2:32\u{202f}PM - ",
            ),
            (
                Format::AndroidUs12h,
                ts(0, 5, 0),
                "11/4/26, 12:05\u{202f}AM - ",
            ),
            (
                Format::AndroidUs12h,
                ts(12, 0, 0),
                "11/4/26, 12:00\u{202f}PM - ",
            ),
            (Format::Ios24h, ts(14, 32, 5), "[04/11/2026, 14:32:05] "),
            (Format::Ios12h, ts(9, 2, 7), "[11/4/26, 9:02:07\u{202f}AM] "),
        ];
        for (format, t, want) in cases {
            let mut got = String::new();
            format.header(t, &mut got);
            assert_eq!(got, want, "{format:?}");
        }
    }

    #[test]
    fn single_export_is_exact_and_deterministic() {
        for format in [Format::AndroidUs12h, Format::Ios24h, Format::AndroidBr] {
            let spec = SingleExport::new(format, 5_000, 9);
            let (chat, text) = spec.build();
            let eol = if format.is_ios() { "\r\n" } else { "\n" };
            assert_eq!(text.matches(eol).count(), 5_000);
            assert_eq!(chat.lines(), 5_000);
            assert_eq!(spec.build().1, text);
            let mut latest = chat.messages[0].ts;
            for m in &chat.messages {
                assert!(m.ts >= latest - chrono::TimeDelta::minutes(1), "{m:?}");
                latest = latest.max(m.ts);
            }
        }
    }

    #[test]
    fn ios_marks_media_lines_and_android_has_no_author_on_the_notice() {
        let (_, ios) = SingleExport::new(Format::Ios24h, 3_000, 1).build();
        assert!(
            ios.lines()
                .any(|l| l.starts_with("\u{200e}[") && l.ends_with("\u{200e}imagem ocultada"))
        );
        let (_, android) = SingleExport::new(Format::AndroidBr, 50, 1).build();
        let first = android.lines().next().unwrap_or_default();
        assert!(first.ends_with(" - As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta e ficam somente entre você e os participantes desta conversa. Nem mesmo o WhatsApp pode ler ou ouvi-las. Toque para saber mais."));
    }
}
