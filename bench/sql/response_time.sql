-- chatrev report response-time --by week --clock calendar (SPEC §5.3, src/analytics/response_time.rs):
-- per ISO week of the turn's start (report zone) and metric frt | nrt | all. The business clock
-- (seconds inside [business_hours]) is not computed here. Needs sessions.sql first.
WITH t AS (
    SELECT week_of(start_ms) AS period, first,
           (reply_ms - start_ms) / 1000.0 AS rt_s,
           CASE WHEN reply_ms IS NOT NULL THEN 'answered'
                WHEN as_of_ms - start_ms >= abandon_ms THEN 'unanswered'
                ELSE 'pending' END AS outcome,
           (as_of_ms - start_ms) / 1000.0 AS age_s
    FROM turns, params
    WHERE in_period(start_ms) AND start_ms <= as_of_ms
), metrics(metric) AS (VALUES ('frt'), ('nrt'), ('all')),
tm AS (
    SELECT t.*, metric FROM t JOIN metrics
      ON metric = 'all' OR (metric = 'frt') = first
)
SELECT period, 'calendar' AS clock, metric,
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
FROM tm
GROUP BY period, metric
ORDER BY period, CASE metric WHEN 'frt' THEN 1 WHEN 'nrt' THEN 2 ELSE 3 END;
