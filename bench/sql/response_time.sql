-- chatrev report response-time --by week --clock calendar (SPEC §5.3, src/analytics/response_time.rs):
-- per ISO week of the turn's start (report zone) and metric frt | nrt | all; a week with turns
-- has all three rows. The business clock (seconds inside [business_hours]) is not computed here.
-- Needs sessions.sql first.
WITH t AS (
    SELECT week_of(start_ms) AS period, first,
           (reply_ms - start_ms) / 1000.0 AS rt_s,
           CASE WHEN reply_ms IS NOT NULL THEN 'answered'
                WHEN as_of_ms - start_ms >= abandon_ms THEN 'unanswered'
                ELSE 'pending' END AS outcome,
           (as_of_ms - start_ms) / 1000.0 AS age_s
    FROM turns, params
    WHERE in_period(start_ms) AND start_ms <= as_of_ms
), metrics(metric, ord) AS (VALUES ('frt', 1), ('nrt', 2), ('all', 3)),
agg AS (
    SELECT period, metric,
           count(*) AS turns,
           count(*) FILTER (outcome = 'answered') AS answered,
           count(*) FILTER (outcome = 'pending') AS pending,
           count(*) FILTER (outcome = 'unanswered') AS unanswered,
           round(count(*) FILTER (outcome = 'answered')
                 / nullif(count(*) FILTER (outcome <> 'pending'), 0), 4) AS answer_rate,
           round(avg(rt_s)) AS mean_s,
           round(quantile_cont(rt_s, 0.50)) AS p50_s,
           round(quantile_cont(rt_s, 0.90)) AS p90_s,
           round(quantile_cont(rt_s, 0.95)) AS p95_s,
           round(max(rt_s)) AS max_s,
           -- SLA at X: answered within X ÷ turns whose outcome is known at X
           round(count(*) FILTER (rt_s <= 300) / nullif(count(*) FILTER (rt_s IS NOT NULL OR age_s >= 300), 0), 4) AS sla_5m,
           round(count(*) FILTER (rt_s <= 900) / nullif(count(*) FILTER (rt_s IS NOT NULL OR age_s >= 900), 0), 4) AS sla_15m,
           round(count(*) FILTER (rt_s <= 3600) / nullif(count(*) FILTER (rt_s IS NOT NULL OR age_s >= 3600), 0), 4) AS sla_1h,
           round(count(*) FILTER (rt_s <= 14400) / nullif(count(*) FILTER (rt_s IS NOT NULL OR age_s >= 14400), 0), 4) AS sla_4h,
           round(count(*) FILTER (rt_s <= 86400) / nullif(count(*) FILTER (rt_s IS NOT NULL OR age_s >= 86400), 0), 4) AS sla_24h
    FROM t JOIN metrics ON metric = 'all' OR (metric = 'frt') = first
    GROUP BY period, metric
)
SELECT period, 'calendar' AS clock, metric,
       coalesce(turns, 0) AS turns, coalesce(answered, 0) AS answered,
       coalesce(pending, 0) AS pending, coalesce(unanswered, 0) AS unanswered,
       answer_rate, mean_s, p50_s, p90_s, p95_s, max_s, sla_5m, sla_15m, sla_1h, sla_4h, sla_24h
FROM (SELECT DISTINCT period FROM t) weeks
CROSS JOIN metrics
LEFT JOIN agg USING (period, metric)
ORDER BY period, ord;
