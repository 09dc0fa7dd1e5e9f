-- The KPIs' raw figures as plain SQL as of today (:asof), period 90 days:
-- receivable, current and overdue open amounts, sales and receipts of the
-- period, and the amount-weighted days to payment, in each row's own
-- currency. A reference for `dun kpi`, which also converts, counts back
-- and averages the daily balance.
SELECT
	(SELECT sum(open_amount) FROM invoice WHERE open_amount <> 0)
	  - (SELECT coalesce(sum(unapplied), 0) FROM payment WHERE unapplied <> 0) AS ar,
	(SELECT sum(open_amount) FROM invoice WHERE open_amount <> 0 AND kind = 'invoice' AND due_date >= :asof) AS ar_current,
	(SELECT sum(open_amount) FROM invoice WHERE open_amount <> 0 AND kind = 'invoice' AND due_date < :asof) AS ar_overdue,
	(SELECT sum(amount) FROM invoice_any WHERE issue_date > date(:asof, '-90 days') AND issue_date <= :asof) AS sales,
	(SELECT sum(amount) FROM payment WHERE date > date(:asof, '-90 days') AND date <= :asof) AS receipts,
	(SELECT sum(amount * (julianday(paid_date) - julianday(issue_date))) / sum(amount) FROM invoice
	 WHERE kind = 'invoice' AND paid_date > date(:asof, '-90 days') AND paid_date <= :asof) AS adp;
