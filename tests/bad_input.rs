//! Bad input (SPEC §8), through the binary: one table of malformed inputs, one runner.
//!
//! Every case starts from a store that already holds a small valid chat, writes its own inputs
//! into a temp folder (the command runs there, so file names in messages are the short ones
//! written below), runs one command and checks what a careful analyst expects:
//!
//! - [`Expect::Fails`]: that exit code; stderr names the file (and the line where there is one)
//!   and what was expected; the store's files (names and bytes) are exactly as before.
//! - [`Expect::Rejects`]: a good file with bad rows: exit 0, stderr counts them, `rejects.csv`
//!   names file, line and reason; the same run with `--strict` exits 3 and changes nothing.
//! - [`Expect::Accepted`]: odd but valid: exit 0, no new rejected line.
//!
//! Cases where the current binary misbehaves are in [`known_bugs`], with the behaviour they
//! should have: `bad_input_is_refused_cleanly` skips them (and prints them);
//! `known_bugs_behave` (ignored) runs them, so it starts passing as they are fixed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

/// What a case must do.
enum Expect {
    /// Refused with this exit code; stderr holds every fragment (`!fragment`: must not hold it);
    /// the store is unchanged.
    Fails(i32, &'static [&'static str]),
    /// Exit 0 with rejected rows: stderr fragments, then `rejects.csv` fragments. With
    /// `--strict`: exit 3 and the store unchanged.
    Rejects(&'static [&'static str], &'static [&'static str]),
    /// Exit 0, stderr fragments, and no new rejected line.
    Accepted(&'static [&'static str]),
}
use Expect::{Accepted, Fails, Rejects};

struct Case {
    name: &'static str,
    /// Writes the inputs (and a `chatrev.toml` when the case needs its own config) into the
    /// folder the command runs in.
    setup: fn(&Path),
    /// Arguments after `--config … --store …`; paths are relative to the setup folder.
    args: &'static [&'static str],
    expect: Expect,
}

// ---------------------------------------------------------------------------------------------
// Inputs

/// The chat in the store before every case.
const GOOD_CHAT: &str = "\
24/11/2026 10:00 - Lia: oi, tem a bolsa preta?
24/11/2026 10:05 - Loja Exemplo: *Ana*: Temos! R$ 120,00
";

/// One valid Cloud API webhook body (an inbound text).
const WEBHOOK: &str = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"5511999990000","phone_number_id":"1"},"contacts":[{"wa_id":"5541988887777","profile":{"name":"Bia"}}],"messages":[{"from":"5541988887777","id":"wamid.A1","timestamp":"1795600000","type":"text","text":{"body":"oi"}}]}}]}]}"#;

/// The Shopify "Orders export" columns chatrev reads (enough for auto-detection).
const SHOPIFY_HEAD: &str = "Name,Email,Financial Status,Paid at,Currency,Total,Created at,Phone,Refunded Amount,Cancelled at";

/// A valid Shopify order row with `id` and `total`.
fn shopify_row(id: &str, total: &str) -> String {
    format!("#{id},,paid,,BRL,{total},2026-11-24 10:00:00 -0300,+5541988887777,0.00,")
}

/// The CLI tests' config plus `extra` (a `[[sources]]` entry, a bad key…).
fn config_with(dir: &Path, extra: &str) {
    write(
        dir,
        "chatrev.toml",
        format!(
            "timezone = \"America/Sao_Paulo\"\ndate_order = \"dmy\"\n\
             business_names = [\"Loja Exemplo\"]\n{extra}"
        ),
    );
}

/// A config whose only source is generic orders at `path` with the usual column map.
fn generic_orders_config(dir: &Path, path: &str) {
    config_with(
        dir,
        &format!(
            "[[sources]]\nkind = \"orders\"\nformat = \"generic\"\npath = \"{path}\"\n\
             columns = {{ order_id = \"id\", created_at = \"data\", total = \"total\", \
             status = \"status\", currency = \"moeda\" }}\n"
        ),
    );
}

fn write(dir: &Path, name: &str, body: impl AsRef<[u8]>) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, body).unwrap();
}

fn zip(dir: &Path, name: &str, entries: &[(&str, &str)]) {
    use std::io::Write;
    let file = fs::File::create(dir.join(name)).unwrap();
    let mut z = zip::ZipWriter::new(file);
    for (entry, body) in entries {
        z.start_file(*entry, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    z.finish().unwrap();
}

/// 50 MiB without a newline.
const BIG: usize = 50 << 20;

// ---------------------------------------------------------------------------------------------
// The table

fn cases() -> Vec<Case> {
    vec![
        // --- WhatsApp text exports -----------------------------------------------------------
        Case {
            name: "empty chat file",
            setup: |d| write(d, "WhatsApp Chat with Ana.txt", ""),
            args: &["ingest", "--chats", "WhatsApp Chat with Ana.txt"],
            expect: Fails(
                1,
                &[
                    "WhatsApp Chat with Ana.txt: not a WhatsApp export",
                    "empty file",
                ],
            ),
        },
        Case {
            name: "binary file as a chat",
            setup: |d| {
                let bytes: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
                write(d, "WhatsApp Chat with Ana.txt", bytes);
            },
            args: &["ingest", "--chats", "WhatsApp Chat with Ana.txt"],
            expect: Fails(
                1,
                &[
                    "WhatsApp Chat with Ana.txt: not a WhatsApp export",
                    "no dated line",
                ],
            ),
        },
        Case {
            name: "text file without any message header",
            setup: |d| write(d, "notes.txt", "oi\ntudo bem?\nLoja: olá\n"),
            args: &["ingest", "--chats", "notes.txt"],
            expect: Fails(1, &["notes.txt: not a WhatsApp export", "no dated line"]),
        },
        Case {
            name: "50 MB single line without a newline",
            setup: |d| write(d, "big.txt", vec![b'x'; BIG]),
            args: &["ingest", "--chats", "big.txt"],
            expect: Fails(1, &["big.txt: not a WhatsApp export", "no dated line"]),
        },
        Case {
            name: "truncated zip",
            setup: |d| {
                zip(d, "full.zip", &[("_chat.txt", &GOOD_CHAT.repeat(50))]);
                let bytes = fs::read(d.join("full.zip")).unwrap();
                write(d, "chat.zip", &bytes[..bytes.len() / 2]);
            },
            args: &["ingest", "--chats", "chat.zip"],
            expect: Fails(1, &["chat.zip: not a readable zip archive"]),
        },
        Case {
            name: "zip without a chat",
            setup: |d| {
                zip(
                    d,
                    "media.zip",
                    &[("IMG-001.jpg", "\u{ff}jpeg"), ("notes.md", "hi")],
                )
            },
            args: &["ingest", "--chats", "media.zip"],
            expect: Fails(1, &["media.zip: not a WhatsApp export", "no _chat.txt"]),
        },
        Case {
            name: "zip whose _chat.txt is empty",
            setup: |d| zip(d, "chat.zip", &[("_chat.txt", "")]),
            args: &["ingest", "--chats", "chat.zip"],
            expect: Fails(
                1,
                &["chat.zip!_chat.txt: not a WhatsApp export", "empty file"],
            ),
        },
        Case {
            name: "empty stdin",
            setup: |_| {},
            args: &["ingest", "--chats", "-"],
            expect: Fails(1, &["-: not a WhatsApp export: empty file"]),
        },
        Case {
            name: "chat path that does not exist",
            setup: |_| {},
            args: &["ingest", "--chats", "missing/WhatsApp Chat with Ana.txt"],
            expect: Fails(
                1,
                &["missing/WhatsApp Chat with Ana.txt: no such file or folder"],
            ),
        },
        Case {
            name: "ambiguous day/month order and no date_order anywhere",
            setup: |d| {
                write(
                    d,
                    "chatrev.toml",
                    "timezone = \"America/Sao_Paulo\"\nbusiness_names = [\"Loja Exemplo\"]\n",
                );
                write(
                    d,
                    "WhatsApp Chat with Rui.txt",
                    "03/04/2026 10:00 - Rui: oi\n03/04/2026 10:05 - Loja Exemplo: olá\n",
                );
            },
            args: &["ingest", "--chats", "WhatsApp Chat with Rui.txt"],
            expect: Fails(1, &["WhatsApp Chat with Rui.txt", "--date-order"]),
        },
        Case {
            name: "text before the first message",
            setup: |d| {
                write(
                    d,
                    "WhatsApp Chat with Ana.txt",
                    format!("exported by a tool\n{GOOD_CHAT}"),
                )
            },
            args: &["ingest", "--chats", "WhatsApp Chat with Ana.txt"],
            expect: Rejects(
                &["1 line(s) rejected"],
                &["WhatsApp Chat with Ana.txt,1,text before the first message,exported by a tool"],
            ),
        },
        Case {
            name: "chat with only system lines",
            setup: |d| {
                write(
                    d,
                    "WhatsApp Chat with Ana.txt",
                    "24/11/2026 10:00 - Messages and calls are end-to-end encrypted. No one \
                     outside of this chat, not even WhatsApp, can read or listen to them.\n\
                     24/11/2026 10:01 - Ana changed their phone number to a new number.\n",
                )
            },
            args: &["ingest", "--chats", "WhatsApp Chat with Ana.txt"],
            expect: Accepted(&["2 message(s) read, 2 new"]),
        },
        // --- Cloud API webhook logs ----------------------------------------------------------
        Case {
            name: "webhook line with the wrong envelope",
            setup: |d| {
                write(
                    d,
                    "hooks.jsonl",
                    format!("{WEBHOOK}\n{{\"hello\":\"world\"}}\n"),
                )
            },
            args: &["ingest", "--cloud-api", "hooks.jsonl"],
            expect: Rejects(
                &["1 line(s) rejected"],
                &[
                    "hooks.jsonl,2,JSON but not a WhatsApp Cloud API webhook body (no `entry` array)",
                ],
            ),
        },
        Case {
            name: "webhook line that is not JSON",
            setup: |d| write(d, "hooks.jsonl", format!("{WEBHOOK}\nthis is not json\n")),
            args: &["ingest", "--cloud-api", "hooks.jsonl"],
            expect: Rejects(
                &["1 message(s) read", "1 line(s) rejected"],
                &["hooks.jsonl,2,not JSON: expected ident at line 1 column 2,this is not json"],
            ),
        },
        Case {
            name: "wrapper whose body is a string",
            setup: |d| write(d, "hooks.jsonl", "{\"received_at\": 5, \"body\": \"x\"}\n"),
            args: &["ingest", "--cloud-api", "hooks.jsonl"],
            expect: Rejects(
                &["1 line(s) rejected"],
                &["hooks.jsonl,1,`body` is a string that is not JSON"],
            ),
        },
        Case {
            // Read by its bytes, not its name: the good line counts, the bad one is a reject.
            name: ".jsonl.gz that is plain text",
            setup: |d| write(d, "hooks.jsonl.gz", format!("{WEBHOOK}\nnot json\n")),
            args: &["ingest", "--cloud-api", "hooks.jsonl.gz"],
            expect: Rejects(
                &["1 message(s) read", "1 line(s) rejected"],
                &["hooks.jsonl.gz,2,not JSON"],
            ),
        },
        Case {
            name: "truncated gzip",
            setup: |d| {
                use std::io::Write;
                let mut gz =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                for _ in 0..20 {
                    writeln!(gz, "{WEBHOOK}").unwrap();
                }
                let bytes = gz.finish().unwrap();
                write(d, "hooks.jsonl.gz", &bytes[..bytes.len() / 2]);
            },
            args: &["ingest", "--cloud-api", "hooks.jsonl.gz"],
            expect: Fails(1, &["hooks.jsonl.gz: not a readable gzip file"]),
        },
        Case {
            name: "50 MB unterminated JSON line",
            setup: |d| {
                let mut line = b"{\"entry\":[\"".to_vec();
                line.resize(BIG, b'a');
                write(d, "big.jsonl", line);
            },
            args: &["ingest", "--cloud-api", "big.jsonl"],
            expect: Rejects(
                &["1 line(s) rejected"],
                &["big.jsonl,1,not JSON: EOF while parsing a string"],
            ),
        },
        // --- Orders --------------------------------------------------------------------------
        Case {
            name: "Shopify CSV missing the Total column",
            setup: |d| {
                write(
                    d,
                    "orders.csv",
                    "Name,Email,Financial Status,Paid at,Currency,Created at,Phone\n\
                     #1,a@b.c,paid,,BRL,2026-11-24 10:00:00 -0300,\n",
                )
            },
            args: &["ingest", "--orders", "orders.csv"],
            expect: Fails(
                1,
                &["orders.csv: not a shopify order export: missing required column \"Total\""],
            ),
        },
        Case {
            name: "non-numeric amount",
            setup: |d| {
                write(
                    d,
                    "orders.csv",
                    format!(
                        "{SHOPIFY_HEAD}\n{}\n{}\n",
                        shopify_row("1", "abc"),
                        shopify_row("2", "10.00")
                    ),
                )
            },
            args: &["ingest", "--orders", "orders.csv"],
            expect: Rejects(
                &["read as shopify orders", "1 order(s); 1 line(s) rejected"],
                &["orders.csv,2,\"order #1: Total: not an amount: \"\"abc\"\"\""],
            ),
        },
        Case {
            name: "unknown financial status",
            setup: |d| {
                let row = shopify_row("1", "10.00").replace(",paid,", ",weird,");
                write(
                    d,
                    "orders.csv",
                    format!("{SHOPIFY_HEAD}\n{row}\n{}\n", shopify_row("2", "10.00")),
                );
            },
            args: &["ingest", "--orders", "orders.csv"],
            expect: Rejects(
                &["1 line(s) rejected"],
                &["orders.csv,2,\"order #1: unknown Financial Status \"\"weird\"\"\""],
            ),
        },
        Case {
            name: "order date that is not a date",
            setup: |d| {
                let row =
                    shopify_row("1", "10.00").replace("2026-11-24 10:00:00 -0300", "yesterday");
                write(
                    d,
                    "orders.csv",
                    format!("{SHOPIFY_HEAD}\n{row}\n{}\n", shopify_row("2", "10.00")),
                );
            },
            args: &["ingest", "--orders", "orders.csv"],
            expect: Rejects(
                &["1 line(s) rejected"],
                &["orders.csv,2,\"order #1: Created at: not a date/time: \"\"yesterday\"\"\""],
            ),
        },
        Case {
            name: "order row cut short",
            setup: |d| {
                write(
                    d,
                    "orders.csv",
                    format!(
                        "{SHOPIFY_HEAD}\n{}\n#2,,paid,,BRL,10.00\n",
                        shopify_row("1", "10.00")
                    ),
                )
            },
            args: &["ingest", "--orders", "orders.csv"],
            expect: Rejects(
                &["1 line(s) rejected"],
                &["orders.csv,3,\"order #2: Created at: not a date/time"],
            ),
        },
        Case {
            name: "order without a currency",
            setup: |d| {
                let row = shopify_row("1", "10.00").replace(",BRL,", ",,");
                write(d, "orders.csv", format!("{SHOPIFY_HEAD}\n{row}\n"));
            },
            args: &["ingest", "--orders", "orders.csv"],
            expect: Rejects(
                &["1 line(s) rejected"],
                &[
                    "orders.csv,2,order #1: no currency in the row and no default currency configured",
                ],
            ),
        },
        Case {
            name: "ambiguous money column and no locale",
            setup: |d| {
                write(
                    d,
                    "orders.csv",
                    format!("{SHOPIFY_HEAD}\n{}\n", shopify_row("1", "1.234")),
                )
            },
            args: &["ingest", "--orders", "orders.csv"],
            expect: Fails(
                1,
                &[
                    "orders.csv: money column \"Total\" is ambiguous",
                    "set `locale`",
                ],
            ),
        },
        Case {
            name: "orders JSON that is not a recognised export",
            setup: |d| write(d, "orders.json", "{\"orders\": {\"id\": 1}}\n"),
            args: &["ingest", "--orders", "orders.json"],
            expect: Fails(1, &["orders.json: not a recognised order export", "format"]),
        },
        Case {
            name: "WooCommerce JSON that is an object, not an array of orders",
            setup: |d| write(d, "orders.json", "{\"orders\": {\"id\": 1}}\n"),
            args: &[
                "ingest",
                "--orders-format",
                "woocommerce",
                "--orders",
                "orders.json",
            ],
            expect: Rejects(&["1 line(s) rejected"], &["orders.json,1,no id or number"]),
        },
        Case {
            name: "unknown --orders-format",
            setup: |d| write(d, "orders.csv", format!("{SHOPIFY_HEAD}\n")),
            args: &[
                "ingest",
                "--orders-format",
                "magento",
                "--orders",
                "orders.csv",
            ],
            expect: Fails(2, &["unknown orders format \"magento\"", "shopify"]),
        },
        Case {
            name: "generic orders CSV without a columns map",
            setup: |d| {
                write(
                    d,
                    "orders.csv",
                    "id,data,total,status\nA1,2026-11-24 10:00,100.00,paid\n",
                )
            },
            args: &[
                "ingest",
                "--orders-format",
                "generic",
                "--orders",
                "orders.csv",
            ],
            expect: Fails(1, &["orders.csv: generic orders", "needs a `columns` map"]),
        },
        Case {
            name: "generic orders CSV missing a mapped column",
            setup: |d| {
                generic_orders_config(d, "orders.csv");
                write(
                    d,
                    "orders.csv",
                    "id,data,valor,status,moeda\nA1,2026-11-24 10:00,100.00,paid,BRL\n",
                );
            },
            args: &["ingest"],
            expect: Fails(
                1,
                &["orders.csv: not a generic order export: missing required column \"total\""],
            ),
        },
        Case {
            name: "generic status map to a status that does not exist",
            setup: |d| {
                config_with(
                    d,
                    "[[sources]]\nkind = \"orders\"\nformat = \"generic\"\npath = \"orders.csv\"\n\
                     columns = { order_id = \"id\", created_at = \"data\", total = \"total\", status = \"status\" }\n\
                     statuses = { Aprovado = \"pagado\" }\n",
                );
                write(
                    d,
                    "orders.csv",
                    "id,data,total,status\nA1,2026-11-24 10:00,100.00,Aprovado\n",
                );
            },
            args: &["ingest"],
            expect: Fails(
                1,
                &[
                    "orders.csv",
                    "\"Aprovado\" maps to unknown status \"pagado\"",
                ],
            ),
        },
        // --- Inbox CSVs and contacts ---------------------------------------------------------
        Case {
            name: "messages CSV with an unknown direction",
            setup: |d| {
                config_with(
                    d,
                    "[[sources]]\nkind = \"messages-csv\"\npath = \"inbox.csv\"\n\
                     columns = { conversation_id = \"conversa\", timestamp = \"data\", direction = \"sentido\", \
                     contact_phone = \"telefone\", text = \"mensagem\" }\n",
                );
                write(
                    d,
                    "inbox.csv",
                    "conversa,data,sentido,telefone,mensagem\n\
                     c1,2026-11-24 10:00,entrada,+5541988887777,oi\n\
                     c1,2026-11-24 10:05,sideways,+5541988887777,ola\n",
                );
            },
            args: &["ingest"],
            expect: Rejects(
                &["1 message(s) read", "1 line(s) rejected"],
                &["inbox.csv,3,direction `sideways` is not in/inbound or out/outbound"],
            ),
        },
        Case {
            name: "Twilio log without a Direction column",
            setup: |d| write(d, "twilio.csv", "From,To,Body\nx,y,z\n"),
            args: &[
                "ingest",
                "--messages-format",
                "twilio",
                "--messages-csv",
                "twilio.csv",
            ],
            expect: Fails(
                1,
                &[
                    "twilio.csv",
                    "not a Twilio message log: no \"Direction\" column",
                ],
            ),
        },
        Case {
            name: "contacts with no usable phone",
            setup: |d| {
                write(
                    d,
                    "contatos.csv",
                    "nome;telefone\nAna;\nBeto;abc\nCarla;123\n",
                )
            },
            args: &["ingest", "--contacts", "contatos.csv"],
            expect: Rejects(
                &["3 line(s) rejected"],
                &[
                    "contatos.csv,2,no phone or e-mail,Ana;",
                    "contatos.csv,3,no phone or e-mail,Beto;abc",
                    "contatos.csv,4,no usable phone or e-mail,Carla",
                ],
            ),
        },
        Case {
            name: "contacts CSV without a name column",
            setup: |d| write(d, "contatos.csv", "foo,bar\n1,2\n"),
            args: &["ingest", "--contacts", "contatos.csv"],
            expect: Fails(
                1,
                &[
                    "contatos.csv: no name column",
                    "expected one of: name, nome",
                ],
            ),
        },
        Case {
            name: "vCard never closed",
            setup: |d| {
                write(
                    d,
                    "contatos.vcf",
                    "BEGIN:VCARD\nFN:Ana\nTEL:+5541988887777\n",
                )
            },
            args: &["ingest", "--contacts", "contatos.vcf"],
            expect: Rejects(
                &["1 line(s) rejected"],
                &["contatos.vcf,1,card not closed (no END:VCARD)"],
            ),
        },
        // --- Config --------------------------------------------------------------------------
        Case {
            name: "config with an unknown key",
            setup: |d| config_with(d, "colour = \"red\"\n"),
            args: &["ingest", "--chats", "."],
            expect: Fails(
                1,
                &[
                    "chatrev.toml:line 4",
                    "unknown field `colour`",
                    "expected one of `timezone`",
                ],
            ),
        },
        Case {
            name: "config that is not TOML",
            setup: |d| write(d, "chatrev.toml", "this is = = not toml [\n"),
            args: &["status"],
            expect: Fails(1, &["chatrev.toml:line 1", "expected `=`"]),
        },
        Case {
            name: "config time zone that does not exist",
            setup: |d| write(d, "chatrev.toml", "timezone = \"Mars/Olympus\"\n"),
            args: &["status"],
            expect: Fails(
                1,
                &[
                    "chatrev.toml:line 1",
                    "unknown time zone `Mars/Olympus`",
                    "IANA",
                ],
            ),
        },
        Case {
            name: "source time zone that does not exist",
            setup: |d| {
                config_with(
                    d,
                    "[[sources]]\nkind = \"chats\"\npath = \"chats\"\ntimezone = \"Mars/Olympus\"\n",
                )
            },
            args: &["status"],
            expect: Fails(
                1,
                &["chatrev.toml:line 7", "unknown time zone `Mars/Olympus`"],
            ),
        },
        Case {
            name: "source of an unknown kind",
            setup: |d| config_with(d, "[[sources]]\nkind = \"emails\"\npath = \"x\"\n"),
            args: &["status"],
            expect: Fails(
                1,
                &[
                    "chatrev.toml:line 5",
                    "unknown variant `emails`",
                    "expected one of `chats`",
                ],
            ),
        },
        // --- Report flags --------------------------------------------------------------------
        Case {
            name: "--period with a week that does not exist",
            setup: |_| {},
            args: &["report", "funnel", "--period", "2026-W99"],
            expect: Fails(2, &["invalid period `2026-W99`", "ISO weeks 01 to 53"]),
        },
        Case {
            name: "--by currency on response-time",
            setup: |_| {},
            args: &["report", "response-time", "--by", "currency"],
            expect: Fails(
                2,
                &["--by currency applies to money reports, not to response-time"],
            ),
        },
        Case {
            name: "--by on sessions",
            setup: |_| {},
            args: &["sessions", "--by", "agent"],
            expect: Fails(2, &["takes no --by"]),
        },
        // Fixed after the bad-input sweep.
        Case {
            name: "UTF-16 text export",
            setup: |d| {
                let text = GOOD_CHAT.replace("Lia", "Ana");
                let mut bytes = vec![0xff, 0xfe];
                bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                write(d, "WhatsApp Chat with Ana.txt", bytes);
            },
            args: &["ingest", "--chats", "WhatsApp Chat with Ana.txt"],
            expect: Accepted(&["2 message(s) read"]),
        },
        // Fixed after the bad-input sweep.
        Case {
            name: "chat folder with no matching files",
            setup: |d| write(d, "exports/readme.md", "nothing here"),
            args: &["ingest", "--chats", "exports"],
            expect: Fails(1, &["exports", ".txt"]),
        },
        // Fixed after the bad-input sweep.
        Case {
            name: "binary file as a Cloud API log",
            setup: |d| {
                let bytes: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
                write(d, "hooks.jsonl", bytes);
            },
            args: &["ingest", "--cloud-api", "hooks.jsonl"],
            expect: Fails(1, &["hooks.jsonl", "not a Cloud API"]),
        },
        // Fixed after the bad-input sweep.
        Case {
            name: "generic duplicate order id, conflicting totals",
            setup: |d| {
                generic_orders_config(d, "orders.csv");
                write(
                    d,
                    "orders.csv",
                    "id,data,total,status,moeda\n\
                     A1,2026-11-24 10:00,100.00,paid,BRL\n\
                     A1,2026-11-24 10:00,250.00,paid,BRL\n",
                );
            },
            args: &["ingest"],
            expect: Rejects(&["1 line(s) rejected"], &["orders.csv,3,", "A1"]),
        },
        // Fixed after the bad-input sweep.
        Case {
            name: "negative amount",
            setup: |d| {
                write(
                    d,
                    "orders.csv",
                    format!(
                        "{SHOPIFY_HEAD}\n{}\n{}\n",
                        shopify_row("1", "-10.00"),
                        shopify_row("2", "10.00")
                    ),
                )
            },
            args: &["ingest", "--orders", "orders.csv"],
            expect: Rejects(&["1 line(s) rejected"], &["orders.csv,2,", "-10.00"]),
        },
        // Fixed after the bad-input sweep.
        Case {
            name: "refund larger than the total",
            setup: |d| {
                let row = shopify_row("1", "10.00")
                    .replace(",paid,", ",refunded,")
                    .replace(",0.00,", ",500.00,");
                write(d, "orders.csv", format!("{SHOPIFY_HEAD}\n{row}\n"));
            },
            args: &["ingest", "--orders", "orders.csv"],
            expect: Rejects(&["1 line(s) rejected"], &["orders.csv,2,", "500.00"]),
        },
        // Fixed after the bad-input sweep.
        Case {
            name: "unknown currency",
            setup: |d| {
                let row = shopify_row("1", "10.00").replace(",BRL,", ",XYZ,");
                write(
                    d,
                    "orders.csv",
                    format!("{SHOPIFY_HEAD}\n{row}\n{}\n", shopify_row("2", "10.00")),
                );
            },
            args: &["ingest", "--orders", "orders.csv"],
            expect: Rejects(&["1 line(s) rejected"], &["orders.csv,2,", "XYZ"]),
        },
        // Fixed after the bad-input sweep.
        Case {
            name: "order dated 1900",
            setup: |d| {
                let row = shopify_row("1", "10.00").replace("2026-11-24", "1900-01-01");
                write(
                    d,
                    "orders.csv",
                    format!("{SHOPIFY_HEAD}\n{row}\n{}\n", shopify_row("2", "10.00")),
                );
            },
            args: &["ingest", "--orders", "orders.csv"],
            expect: Rejects(&["1 line(s) rejected"], &["orders.csv,2,", "1900"]),
        },
        // Fixed after the bad-input sweep.
        Case {
            name: "order dated 2200",
            setup: |d| {
                let row = shopify_row("1", "10.00").replace("2026-11-24", "2200-01-01");
                write(
                    d,
                    "orders.csv",
                    format!("{SHOPIFY_HEAD}\n{row}\n{}\n", shopify_row("2", "10.00")),
                );
            },
            args: &["ingest", "--orders", "orders.csv"],
            expect: Rejects(&["1 line(s) rejected"], &["orders.csv,2,", "2200"]),
        },
        // Fixed after the bad-input sweep.
        Case {
            name: "messages CSV without a columns map",
            setup: |d| {
                write(
                    d,
                    "inbox.csv",
                    "conversa,data,sentido\nc1,2026-11-24 10:00,entrada\n",
                )
            },
            args: &["ingest", "--messages-csv", "inbox.csv"],
            expect: Fails(1, &["inbox.csv", "needs a `columns` map", "!orders"]),
        },
        // Fixed after the bad-input sweep.
        Case {
            name: "--source-tz that does not exist",
            setup: |d| write(d, "WhatsApp Chat with Ana.txt", GOOD_CHAT),
            args: &[
                "ingest",
                "--source-tz",
                "Mars/Olympus",
                "--chats",
                "WhatsApp Chat with Ana.txt",
            ],
            expect: Fails(2, &["--source-tz", "unknown time zone `Mars/Olympus`"]),
        },
        // Fixed after the bad-input sweep.
        Case {
            name: "--tz that does not exist",
            setup: |_| {},
            args: &["report", "summary", "--tz", "Nowhere/Zone"],
            expect: Fails(2, &["--tz", "unknown time zone `Nowhere/Zone`"]),
        },
        // Fixed after the bad-input sweep.
        Case {
            name: "--as-of garbage",
            setup: |_| {},
            args: &["report", "summary", "--as-of", "garbage"],
            expect: Fails(2, &["--as-of `garbage`", "expected RFC 3339"]),
        },
        // Fixed after the bad-input sweep.
        Case {
            name: "--since after --until",
            setup: |_| {},
            args: &[
                "report",
                "conversion",
                "--since",
                "2026-12-01",
                "--until",
                "2026-11-01",
            ],
            expect: Fails(2, &["--since", "--until"]),
        },
        Case {
            name: "zip with two chats",
            setup: |d| {
                zip(
                    d,
                    "chats.zip",
                    &[
                        ("_chat.txt", "24/11/2026 11:00 - Ana: oi\n"),
                        ("WhatsApp Chat with Bia.txt", "24/11/2026 11:00 - Bia: oi\n"),
                    ],
                )
            },
            args: &["ingest", "--chats", "chats.zip"],
            expect: Fails(1, &["chats.zip", "2 chats"]),
        },
        Case {
            name: "Shopify duplicate order id, conflicting totals",
            setup: |d| {
                write(
                    d,
                    "orders.csv",
                    format!(
                        "{SHOPIFY_HEAD}\n{}\n{}\n",
                        shopify_row("1", "100.00"),
                        shopify_row("1", "250.00")
                    ),
                )
            },
            args: &["ingest", "--orders", "orders.csv"],
            expect: Rejects(&["1 line(s) rejected"], &["orders.csv,3,", "#1", "250.00"]),
        },
        // Fixed in the hardening pass: these were folded into the first message's text. A
        // complete header of another shape (or a date impossible in the file's order) dated
        // after the message before it and no later than the one after it is a message, not a
        // pasted copy (a copy is never newer than the message it is pasted into).
        Case {
            name: "mixed export formats in one file",
            setup: |d| {
                write(
                    d,
                    "WhatsApp Chat with Ana.txt",
                    "24/11/2026 10:00 - Ana: oi\n\
                     [24/11/2026, 10:05:00] Loja Exemplo: olá\n\
                     11/24/26, 10:06 AM - Ana: ok\n\
                     2026-11-24 10:07 - Ana: hm\n",
                )
            },
            args: &["ingest", "--chats", "WhatsApp Chat with Ana.txt"],
            expect: Rejects(
                &["3 line(s) rejected"],
                &[
                    "WhatsApp Chat with Ana.txt,2,\"a message header in another export format; expected android \"\"dd/mm/yyyy HH:mm - \"\"\"",
                    "WhatsApp Chat with Ana.txt,3,",
                    "WhatsApp Chat with Ana.txt,4,",
                ],
            ),
        },
        Case {
            name: "mixed day/month order in one file",
            setup: |d| {
                write(
                    d,
                    "WhatsApp Chat with Ana.txt",
                    "24/11/2026 10:00 - Ana: oi\n\
                     11/25/2026 10:05 - Loja Exemplo: *Ana*: olá\n\
                     26/11/2026 10:06 - Ana: ok\n",
                )
            },
            args: &["ingest", "--chats", "WhatsApp Chat with Ana.txt"],
            expect: Rejects(
                &["1 line(s) rejected"],
                &[
                    "WhatsApp Chat with Ana.txt,2,\"date impossible in this file's day/month order; expected android",
                ],
            ),
        },
    ]
}

/// Cases the current binary gets wrong, each with the behaviour it should have (none today).
fn known_bugs() -> Vec<(&'static str, Case)> {
    Vec::new()
}

// ---------------------------------------------------------------------------------------------
// The runner

fn testdata_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cli/chatrev.toml")
}

fn chatrev(config: &Path, store: &Path, cwd: &Path, args: &[&str]) -> Output {
    assert_cmd::cargo::cargo_bin_cmd!("chatrev")
        .env_remove("CHATREV_TEST_PAUSE")
        .env_remove("CHATREV_KEY")
        .env("NO_COLOR", "1")
        .current_dir(cwd)
        .write_stdin("") // `--chats -` reads an empty stdin
        .arg("--config")
        .arg(config)
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .unwrap()
}

/// The store's files: name → bytes.
fn snapshot(store: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(store)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn copy_store(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Names of the files that differ between two snapshots (empty: unchanged).
fn changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|n| before.get(*n) != after.get(*n))
        .cloned()
        .collect()
}

/// Checks that stderr holds every fragment (`!fragment`: does not hold it).
fn check_stderr(stderr: &str, fragments: &[&str]) -> Result<(), String> {
    for f in fragments {
        match f.strip_prefix('!') {
            Some(absent) if stderr.contains(absent) => {
                return Err(format!("stderr should not say {absent:?}"));
            }
            Some(_) => {}
            None if !stderr.contains(f) => return Err(format!("stderr lacks {f:?}")),
            None => {}
        }
    }
    Ok(())
}

/// A store holding one small valid chat, made once per test.
fn baseline(dir: &Path) -> PathBuf {
    let inputs = dir.join("baseline-input");
    write(&inputs, "WhatsApp Chat with Lia.txt", GOOD_CHAT);
    let store = dir.join("baseline-store");
    let out = chatrev(
        &testdata_config(),
        &store,
        &inputs,
        &["ingest", "--chats", "WhatsApp Chat with Lia.txt"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in [
        "messages.parquet",
        "identities.parquet",
        "manifest.json",
        "rejects.csv",
    ] {
        assert!(store.join(name).exists(), "baseline store lacks {name}");
    }
    store
}

/// Runs one case on a fresh copy of `baseline`; `Err` says what went wrong.
fn run_case(case: &Case, baseline: &Path) -> Result<(), String> {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    fs::create_dir_all(&inputs).unwrap();
    (case.setup)(&inputs);
    let config = match inputs.join("chatrev.toml") {
        own if own.exists() => own,
        _ => testdata_config(),
    };
    // Runs `args` on a fresh copy of the baseline store: (exit code, stderr, before, after).
    let attempt = |n: usize, args: &[&str]| {
        let store = tmp.path().join(format!("store{n}"));
        copy_store(baseline, &store);
        let before = snapshot(&store);
        let out = chatrev(&config, &store, &inputs, args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let code = out.status.code();
        if code == Some(101) || stderr.contains("panicked") {
            return Err(format!("panicked: {stderr}"));
        }
        Ok((code, stderr, before, snapshot(&store)))
    };
    let rejects = |snap: &BTreeMap<String, Vec<u8>>| {
        String::from_utf8_lossy(snap.get("rejects.csv").map_or(&[][..], Vec::as_slice)).into_owned()
    };
    let (code, stderr, before, after) = attempt(0, case.args)?;
    let ctx = |why: String| format!("{why}\n  exit: {code:?}\n  stderr: {}", stderr.trim_end());
    match case.expect {
        Fails(want, fragments) => {
            if code != Some(want) {
                return Err(ctx(format!("expected exit {want}")));
            }
            check_stderr(&stderr, fragments).map_err(ctx)?;
            let diff = changed(&before, &after);
            if !diff.is_empty() {
                return Err(ctx(format!("the store changed: {diff:?}")));
            }
        }
        Rejects(fragments, rows) => {
            if code != Some(0) {
                return Err(ctx("expected exit 0 with rejected rows".into()));
            }
            check_stderr(&stderr, fragments).map_err(ctx)?;
            let (old, new) = (rejects(&before), rejects(&after));
            if !new.starts_with(&old) {
                return Err(ctx(format!("earlier rejects were lost:\n{new}")));
            }
            let added = &new[old.len()..];
            for row in rows {
                if !added.contains(row) {
                    return Err(ctx(format!(
                        "no new reject holds {row:?}; rejects.csv:\n{new}"
                    )));
                }
            }
            if let Some(long) = added.lines().find(|l| l.len() > 400) {
                return Err(format!(
                    "reject line of {} bytes: excerpt not cut",
                    long.len()
                ));
            }
            // The same run with --strict: exit 3, nothing written.
            let mut strict: Vec<&str> = case.args.to_vec();
            strict.insert(1, "--strict");
            let (code, stderr, before, after) = attempt(1, &strict)?;
            if code != Some(3) || !stderr.contains("rejected and --strict was given") {
                return Err(format!("--strict: expected exit 3, got {code:?}: {stderr}"));
            }
            let diff = changed(&before, &after);
            if !diff.is_empty() {
                return Err(format!("--strict changed the store: {diff:?}"));
            }
        }
        Accepted(fragments) => {
            if code != Some(0) {
                return Err(ctx("expected exit 0".into()));
            }
            check_stderr(&stderr, fragments).map_err(ctx)?;
            if rejects(&after) != rejects(&before) {
                return Err(ctx(format!("new rejects:\n{}", rejects(&after))));
            }
        }
    }
    Ok(())
}

/// Runs every case and returns the failures, one paragraph each.
fn run_all<'a>(cases: impl IntoIterator<Item = &'a Case>) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    let base = baseline(tmp.path());
    cases
        .into_iter()
        .filter_map(|c| run_case(c, &base).err().map(|e| format!("{}: {e}", c.name)))
        .collect()
}

#[test]
fn bad_input_is_refused_cleanly() {
    let cases = cases();
    let bugs = known_bugs();
    let mut names: Vec<&str> = cases
        .iter()
        .chain(bugs.iter().map(|(_, c)| c))
        .map(|c| c.name)
        .collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(
        names.len(),
        cases.len() + bugs.len(),
        "case names are unique"
    );
    for (bug, case) in &bugs {
        eprintln!("skipped, known bug: {}: {bug}", case.name);
    }
    let failures = run_all(&cases);
    assert!(
        failures.is_empty(),
        "{} of {} case(s) failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
#[ignore = "known bugs: the current binary fails these (see known_bugs())"]
fn known_bugs_behave() {
    let bugs = known_bugs();
    let failures = run_all(bugs.iter().map(|(_, c)| c));
    assert!(
        failures.is_empty(),
        "{} of {} known bug(s) still fail:\n\n{}",
        failures.len(),
        bugs.len(),
        failures.join("\n\n")
    );
}
