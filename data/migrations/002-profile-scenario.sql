-- dun ledger schema, version 2: dunning scenarios chosen by payer profile
-- (risk.profile), consulted after a customer's own scenario and its
-- segment's rule, before the default.

CREATE TABLE profile_scenario (
	profile TEXT PRIMARY KEY CHECK (profile IN ('prompt', 'slow', 'erratic', 'deteriorating', 'risky')),
	scenario TEXT NOT NULL
) WITHOUT ROWID;
