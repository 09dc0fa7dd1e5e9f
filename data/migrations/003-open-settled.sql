-- dun ledger schema, version 3: each invoice is indexed in one half, open
-- or settled. An open invoice (open_amount <> 0) is in invoice_open alone;
-- a settled one in invoice_settled and invoice_settled_issue (and
-- invoice_paid). A new invoice is open, so an import of a million of them
-- builds one secondary index, not three; aging, dunning and the call list
-- still read invoice_open only.

DROP INDEX invoice_customer_due;
DROP INDEX invoice_issue;
DROP INDEX invoice_open;
-- Covering for the aging, dunning, the call list and an open item's sales
-- (amount, for the KPIs' sales of a period).
CREATE INDEX invoice_open ON invoice(customer_id, due_date, issue_date, currency, open_amount, kind, amount)
	WHERE open_amount <> 0;
-- Not covering: each settlement inserts here at its customer's place, and
-- a wider entry made settling 10,000 invoices 0.5 s slower on the large
-- ledger.
CREATE INDEX invoice_settled ON invoice(customer_id, due_date, number)
	WHERE open_amount = 0;
-- Covering: the KPIs sum a period's settled sales from this alone.
CREATE INDEX invoice_settled_issue ON invoice(issue_date, currency, amount)
	WHERE open_amount = 0;
-- The whole table as its two halves. A query that does not restrict itself
-- to open items (open_amount <> 0) reads this instead of invoice whenever
-- it looks invoices up by customer or issue date: SQLite pushes such a
-- condition into each half, where the half's index answers it; on the
-- table itself neither partial index could, and it would scan.
CREATE VIEW invoice_any AS
	SELECT * FROM invoice WHERE open_amount = 0
	UNION ALL
	SELECT * FROM invoice WHERE open_amount <> 0;
