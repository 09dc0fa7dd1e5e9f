-- The plain GROUP BY aging as of a past date :asof, by the definition:
-- items issued (received) by then, open at D = amount minus allocations
-- dated <= D. Same columns and simplifications as aging.sql.
WITH paid AS (
	SELECT invoice_id AS id, sum(amount) AS s FROM allocation WHERE date <= :asof GROUP BY invoice_id
), used AS (
	SELECT credit_id AS id, sum(amount) AS s FROM allocation
	WHERE credit_id IS NOT NULL AND date <= :asof GROUP BY credit_id
), applied AS (
	SELECT payment_id AS id, sum(amount) AS s FROM allocation
	WHERE payment_id IS NOT NULL AND date <= :asof GROUP BY payment_id
), item AS (
	SELECT i.customer_id, julianday(:asof) - julianday(i.due_date) AS days,
		i.amount - coalesce(p.s, 0) + coalesce(u.s, 0) AS amount, i.kind
	FROM invoice i LEFT JOIN paid p ON p.id = i.id LEFT JOIN used u ON u.id = i.id
	WHERE i.issue_date <= :asof
	UNION ALL
	SELECT y.customer_id, 0, -(y.amount - coalesce(a.s, 0)), 'cash'
	FROM payment y LEFT JOIN applied a ON a.id = y.id WHERE y.date <= :asof
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
WHERE amount <> 0
GROUP BY c.id ORDER BY c.code;
