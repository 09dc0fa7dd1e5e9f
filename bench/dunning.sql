-- One plain pass over the open invoices, as the dunning plan must read
-- them: each open invoice with its customer, in customer code then invoice
-- number order (the reference for bench/dunning.sh). Written to read the
-- partial index of open invoices, as dun's own query does: with a bare
-- "issue_date <= :asof" the planner walks the issue-date index over the
-- whole history and the pass is several times slower.
SELECT c.code, c.name, c.segment, c.scenario, c.language, c.email,
	i.number, i.issue_date, i.due_date, i.currency, i.amount, i.open_amount, i.dunning_step
FROM invoice i JOIN customer c ON c.id = i.customer_id
WHERE i.open_amount <> 0 AND i.open_amount > 0 AND i.kind = 'invoice' AND +i.issue_date <= :asof
ORDER BY c.code, i.number;
