//! Labels for people, in the config's `locale` (HTML pages): column names, chart and section
//! titles, axis names and the summary's headline lines. Keys are the SPEC's column names or
//! the English text the reports use; a key without an entry is shown as it is.
//!
//! Machine formats (CSV, JSON) and the terminal table keep the SPEC's column names: they are
//! the contract that scripts read.

use super::Locale;

/// `(key, English, Brazilian Portuguese)`.
const LABELS: &[(&str, &str, &str)] = &[
    // Group columns.
    ("period", "Period", "Período"),
    ("day", "Day", "Dia"),
    ("week", "Week", "Semana"),
    ("month", "Month", "Mês"),
    ("agent", "Agent", "Atendente"),
    ("source", "Source", "Origem"),
    ("initiator", "Initiator", "Iniciada por"),
    ("currency", "Currency", "Moeda"),
    // Conversion and summary.
    ("sessions", "Sessions", "Conversas"),
    ("mature_sessions", "Mature sessions", "Conversas maduras"),
    (
        "converted_sessions",
        "Converted sessions",
        "Conversas convertidas",
    ),
    ("conversion_rate", "Conversion", "Conversão"),
    (
        "attributed_orders",
        "Attributed orders",
        "Pedidos atribuídos",
    ),
    ("gross_revenue", "Gross revenue", "Receita bruta"),
    ("refunds", "Refunds", "Reembolsos"),
    ("net_revenue", "Net revenue", "Receita líquida"),
    ("average_order_value", "Average order", "Ticket médio"),
    (
        "immature_sessions",
        "Immature sessions",
        "Conversas imaturas",
    ),
    (
        "revenue_per_session",
        "Revenue per session",
        "Receita por conversa",
    ),
    (
        "time_to_order_p50_s",
        "Time to order (median)",
        "Tempo até o pedido (mediana)",
    ),
    (
        "unattributed_orders",
        "Unattributed orders",
        "Pedidos não atribuídos",
    ),
    (
        "unattributed_revenue",
        "Unattributed revenue",
        "Receita não atribuída",
    ),
    ("match_rate", "Orders matched", "Pedidos casados"),
    ("matched_orders", "Matched orders", "Pedidos casados"),
    ("orders", "Orders", "Pedidos"),
    (
        "frt_p50_s",
        "First response (median)",
        "Primeira resposta (mediana)",
    ),
    (
        "frt_p90_s",
        "First response (p90)",
        "Primeira resposta (p90)",
    ),
    ("answer_rate", "Answer rate", "Taxa de resposta"),
    ("lead_to_paid", "Lead to paid", "Lead até pago"),
    // Response time.
    ("clock", "Clock", "Relógio"),
    ("metric", "Metric", "Métrica"),
    ("turns", "Turns", "Turnos"),
    ("answered", "Answered", "Respondidos"),
    ("pending", "Pending", "Pendentes"),
    ("unanswered", "Unanswered", "Sem resposta"),
    ("mean_s", "Mean", "Média"),
    ("p50_s", "Median", "Mediana"),
    ("p90_s", "p90", "p90"),
    ("p95_s", "p95", "p95"),
    ("max_s", "Slowest", "Máximo"),
    ("calendar", "calendar", "corrido"),
    ("business", "business hours", "horário comercial"),
    ("frt", "first response", "primeira resposta"),
    ("nrt", "next responses", "respostas seguintes"),
    ("all", "all responses", "todas as respostas"),
    // Funnel.
    ("step", "Step", "Etapa nº"),
    ("stage", "Stage", "Etapa"),
    ("units", "Units", "Unidades"),
    ("from_start", "From start", "Desde o início"),
    ("from_previous", "From previous", "Da etapa anterior"),
    ("dropped", "Dropped", "Perdidos"),
    ("immature", "Immature", "Imaturos"),
    (
        "time_from_previous_p50_s",
        "Time from previous (median)",
        "Tempo desde a anterior (mediana)",
    ),
    (
        "time_from_previous_p90_s",
        "Time from previous (p90)",
        "Tempo desde a anterior (p90)",
    ),
    ("lead", "lead", "lead"),
    ("engaged", "engaged", "engajado"),
    ("quote", "quote", "orçamento"),
    ("order", "order", "pedido"),
    ("paid", "paid", "pago"),
    ("group", "Group", "Grupo"),
    ("(none)", "(none)", "(nenhum)"),
    // Chart-only columns.
    (
        "bucket",
        "First response time",
        "Tempo até a primeira resposta",
    ),
    ("share", "Share", "Parcela"),
    // Page, chart and section titles.
    ("Summary", "Summary", "Resumo"),
    ("Conversion", "Conversion", "Conversão"),
    ("Funnel", "Funnel", "Funil"),
    ("Response time", "Response time", "Tempo de resposta"),
    ("Sessions", "Sessions", "Conversas"),
    ("Attribution", "Attribution", "Atribuição"),
    ("Period", "Period", "Período"),
    ("as of", "as of", "dados até"),
    ("period all", "all", "tudo"),
    ("Table", "Table", "Tabela"),
    ("minutes", "minutes", "minutos"),
    ("hours", "hours", "horas"),
    ("seconds", "seconds", "segundos"),
    ("days", "days", "dias"),
    ("from_start note", "{} of start", "{} do início"),
    ("from_previous note", "{} of previous", "{} da anterior"),
    ("frt_p90_s note", "p90 {}", "p90 {}"),
    ("p90_s note", "p90 {}", "p90 {}"),
    ("net_revenue note", "{}", "{}"),
    ("sessions note", "{} sessions", "{} conversas"),
    ("conversion_rate note", "conversion {}", "conversão {}"),
    ("Net revenue", "Net revenue", "Receita líquida"),
    (
        "Net revenue and conversion per week",
        "Net revenue and conversion per week",
        "Receita líquida e conversão por semana",
    ),
    (
        "Net revenue and conversion per day",
        "Net revenue and conversion per day",
        "Receita líquida e conversão por dia",
    ),
    (
        "Net revenue and conversion per month",
        "Net revenue and conversion per month",
        "Receita líquida e conversão por mês",
    ),
    (
        "Net revenue and conversion per agent",
        "Net revenue and conversion per agent",
        "Receita líquida e conversão por atendente",
    ),
    (
        "Net revenue and conversion per group",
        "Net revenue and conversion per group",
        "Receita líquida e conversão por grupo",
    ),
    (
        "First response time",
        "First response time",
        "Tempo até a primeira resposta",
    ),
    (
        "First response time distribution",
        "First response time distribution",
        "Distribuição do tempo até a primeira resposta",
    ),
    (
        "First response time per week (median and p90)",
        "First response time per week (median and p90)",
        "Tempo até a primeira resposta por semana (mediana e p90)",
    ),
    (
        "First response time per day (median and p90)",
        "First response time per day (median and p90)",
        "Tempo até a primeira resposta por dia (mediana e p90)",
    ),
    (
        "First response time per month (median and p90)",
        "First response time per month (median and p90)",
        "Tempo até a primeira resposta por mês (mediana e p90)",
    ),
    (
        "First response time per group (median and p90)",
        "First response time per group (median and p90)",
        "Tempo até a primeira resposta por grupo (mediana e p90)",
    ),
    (
        "First response time per agent (median and p90)",
        "First response time per agent (median and p90)",
        "Tempo até a primeira resposta por atendente (mediana e p90)",
    ),
    (
        "Conversion per agent",
        "Conversion per agent",
        "Conversão por atendente",
    ),
    (
        "Net revenue per ad source",
        "Net revenue per ad source",
        "Receita líquida por origem de anúncio",
    ),
    (
        "Funnel (whole period)",
        "Funnel (whole period)",
        "Funil (período todo)",
    ),
    ("Funnel per stage", "Funnel per stage", "Funil por etapa"),
    (
        "Top agents (net revenue, whole period)",
        "Top agents (net revenue, whole period)",
        "Melhores atendentes (receita líquida, período todo)",
    ),
    (
        "Top sources (net revenue, whole period)",
        "Top sources (net revenue, whole period)",
        "Melhores origens (receita líquida, período todo)",
    ),
    ("Conversion rate", "Conversion rate", "Taxa de conversão"),
    ("Units", "Units", "Unidades"),
    // The summary's headline lines.
    (
        "converted sessions (mature)",
        "Converted / mature sessions",
        "Conversas convertidas / maduras",
    ),
    ("conversion rate", "Conversion rate", "Taxa de conversão"),
    ("net revenue", "Net revenue", "Receita líquida"),
    (
        "first response p50",
        "First response (median)",
        "Primeira resposta (mediana)",
    ),
    (
        "first response p90",
        "First response (p90)",
        "Primeira resposta (p90)",
    ),
    ("answer rate", "Answer rate", "Taxa de resposta"),
    (
        "answered within 15m",
        "Answered within 15m",
        "Respondidas em até 15m",
    ),
    (
        "leads: closed, paid, still open",
        "Leads: closed, paid, still open",
        "Leads: decididos, pagos, em aberto",
    ),
    ("Headline", "Headline", "Destaques"),
    ("lead to paid", "Lead to paid", "Lead até pago"),
    ("value", "Value", "Valor"),
];

/// Like [`label`], and for a key unknown as a whole, a known head before its last `, ` or
/// space is translated and its tail written by `tail` (the page localises periods there):
/// `net revenue BRL` → `Receita líquida BRL`, `Headline, 2026-W47` → `Destaques, sem. …`.
pub fn label_phrase(locale: Locale, key: &str, tail: impl Fn(&str) -> String) -> String {
    if key.starts_with("sla_") || LABELS.iter().any(|(k, _, _)| *k == key) {
        return label(locale, key);
    }
    for sep in [", ", " "] {
        if let Some((head, rest)) = key.rsplit_once(sep)
            && LABELS.iter().any(|(k, _, _)| *k == head)
        {
            return format!("{}{sep}{}", label(locale, head), tail(rest));
        }
    }
    key.to_string()
}

/// The label of `key` for people in `locale`; the key itself when there is none.
pub fn label(locale: Locale, key: &str) -> String {
    if let Some(rest) = key.strip_prefix("sla_") {
        return match locale {
            Locale::PtBr => format!("Em até {rest}"),
            Locale::EnUs => format!("Within {rest}"),
        };
    }
    match LABELS.iter().find(|(k, _, _)| *k == key) {
        Some((_, en, pt)) => match locale {
            Locale::PtBr => (*pt).to_string(),
            Locale::EnUs => (*en).to_string(),
        },
        None => key.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_both_locales() {
        assert_eq!(
            label(Locale::PtBr, "First response time"),
            "Tempo até a primeira resposta"
        );
        assert_eq!(label(Locale::EnUs, "frt_p50_s"), "First response (median)");
        assert_eq!(label(Locale::PtBr, "net_revenue"), "Receita líquida");
        assert_eq!(label(Locale::PtBr, "sla_15m"), "Em até 15m");
        assert_eq!(label(Locale::EnUs, "sla_1h"), "Within 1h");
        // Unknown keys (a stage of the user's own) are shown as they are.
        assert_eq!(label(Locale::PtBr, "visita à loja"), "visita à loja");
        assert_eq!(
            label_phrase(Locale::PtBr, "net revenue BRL", str::to_string),
            "Receita líquida BRL"
        );
        assert_eq!(
            label_phrase(Locale::PtBr, "Headline, 2026-W47", str::to_string),
            "Destaques, 2026-W47"
        );
    }

    #[test]
    fn every_key_once() {
        let mut seen = std::collections::HashSet::new();
        for (k, _, _) in LABELS {
            assert!(seen.insert(*k), "key {k:?} twice");
        }
    }
}
