-- The plain GROUP BY aging a careful analyst would write in the sqlite3
-- shell: open items and unapplied cash per customer, bucketed by days past
-- due as of :asof, in each item's own currency (no conversion, no
-- disputes: less work than `dun aging` does). Exact for today only: see
-- aging-asof.sql for a past date. bench/aging.sh substitutes :asof.
WITH item AS (
	SELECT customer_id, julianday(:asof) - julianday(due_date) AS days, open_amount AS amount, kind
	FROM invoice WHERE open_amount <> 0 AND issue_date <= :asof
	UNION ALL
	SELECT customer_id, 0, -unapplied, 'cash' FROM payment WHERE unapplied <> 0 AND date <= :asof
)
SELECT c.code AS customer, c.name,
	sum(CASE WHEN kind = 'invoice' AND days <= 0 THEN amount ELSE 0 END) AS "current",
	sum(CASE WHEN kind = 'invoice' AND days BETWEEN 1 AND 30 THEN amount ELSE 0 END) AS "1-30",
	sum(CASE WHEN kind = 'invoice' AND days BETWEEN 31 AND 60 THEN amount ELSE 0 END) AS "31-60",
	sum(CASE WHEN kind = 'invoice' AND days BETWEEN 61 AND 90 THEN amount ELSE 0 END) AS "61-90",
	sum(CASE WHEN kind = 'invoice' AND days BETWEEN 91 AND 120 THEN amount ELSE 0 END) AS "91-120",
	sum(CASE WHEN kind = 'invoice' AND days > 120 THEN amount ELSE 0 END) AS "121+",
	sum(CASE WHEN kind <> 'invoice' THEN amount ELSE 0 END) AS unapplied,
	sum(amount) AS total
FROM item JOIN customer c ON c.id = item.customer_id
GROUP BY c.id ORDER BY c.code;
