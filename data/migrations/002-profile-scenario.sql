-- dun ledger schema, version 2: dunning scenarios chosen by payer profile
-- (risk.profile), consulted after a customer's own scenario and its
-- segment's rule, before the default; and CSV payments found by their
-- reference and date (a re-import that changes an amount corrects the
-- payment instead of adding one).

CREATE TABLE profile_scenario (
	profile TEXT PRIMARY KEY CHECK (profile IN ('prompt', 'slow', 'erratic', 'deteriorating', 'risky')),
	scenario TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX payment_csv_reference ON payment(reference, date) WHERE account = '';
