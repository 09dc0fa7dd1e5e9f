-- dun ledger schema, version 1. Money is INTEGER minor units of the row's
-- currency; dates are ISO 'YYYY-MM-DD' text; timestamps ISO 8601 UTC text.
-- Derived amounts (invoice.open_amount, payment.unapplied) are kept in step
-- by the allocation triggers below, inside the writer's own transaction, so
-- no code path can forget them.

CREATE TABLE setting (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE customer (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	segment TEXT NOT NULL DEFAULT '',
	collector TEXT NOT NULL DEFAULT '',
	terms TEXT NOT NULL DEFAULT 'net 30',
	credit_limit INTEGER NOT NULL DEFAULT 0,
	currency TEXT NOT NULL DEFAULT 'EUR',
	email TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'fr')),
	scenario TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	on_hold INTEGER NOT NULL DEFAULT 0,
	notes TEXT NOT NULL DEFAULT '',
	dunning_snooze_until TEXT,
	dunning_snooze_reason TEXT NOT NULL DEFAULT '',
	-- Bumped by every edit: an edit made on a stale version is refused.
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX customer_collector ON customer(collector, code);
CREATE INDEX customer_segment ON customer(segment, code);

CREATE TABLE invoice (
	id INTEGER PRIMARY KEY,
	number TEXT NOT NULL UNIQUE,
	customer_id INTEGER NOT NULL REFERENCES customer(id),
	kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
	issue_date TEXT NOT NULL,
	due_date TEXT NOT NULL,
	currency TEXT NOT NULL,
	amount INTEGER NOT NULL,
	-- amount minus allocations: for an invoice from amount down to 0, for a
	-- credit note from its negative amount up to 0.
	open_amount INTEGER NOT NULL,
	-- date of the allocation that settled it fully, NULL while open.
	paid_date TEXT,
	po TEXT NOT NULL DEFAULT '',
	terms TEXT NOT NULL DEFAULT '',
	discount_date TEXT,
	applies_to TEXT NOT NULL DEFAULT '',
	-- dunning: position (1-based) of the last scenario step taken, and when.
	dunning_step INTEGER NOT NULL DEFAULT 0,
	dunning_date TEXT,
	version INTEGER NOT NULL DEFAULT 1,
	CHECK ((kind = 'invoice' AND amount >= 0 AND open_amount BETWEEN 0 AND amount)
	    OR (kind = 'credit_note' AND amount <= 0 AND open_amount BETWEEN amount AND 0))
);
CREATE INDEX invoice_customer_due ON invoice(customer_id, due_date, number);
-- Covering index of what is still open: aging, dunning and the call list
-- read only this, never the settled history.
CREATE INDEX invoice_open ON invoice(customer_id, due_date, issue_date, currency, open_amount, kind)
	WHERE open_amount <> 0;
-- Covering: the KPIs sum a period's sales from this alone.
CREATE INDEX invoice_issue ON invoice(issue_date, currency, amount);
-- Covering: aging as of a past date reads the items settled since from
-- this alone, and the KPIs their payment delays.
CREATE INDEX invoice_paid ON invoice(paid_date, customer_id, kind, due_date, issue_date, currency, amount)
	WHERE paid_date IS NOT NULL;

CREATE TABLE payment (
	id INTEGER PRIMARY KEY,
	reference TEXT NOT NULL,
	date TEXT NOT NULL,
	value_date TEXT,
	amount INTEGER NOT NULL,
	currency TEXT NOT NULL,
	method TEXT NOT NULL DEFAULT '',
	-- our bank account the line came in on ('' for CSV imports)
	account TEXT NOT NULL DEFAULT '',
	payer_name TEXT NOT NULL DEFAULT '',
	payer_account TEXT NOT NULL DEFAULT '',
	remittance TEXT NOT NULL DEFAULT '',
	structured_ref TEXT NOT NULL DEFAULT '',
	end_to_end_id TEXT NOT NULL DEFAULT '',
	entry_ref TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT 'csv',
	customer_id INTEGER REFERENCES customer(id),
	-- amount minus allocations; a negative payment (a reversal or refund)
	-- is never allocated.
	unapplied INTEGER NOT NULL,
	reversal_of INTEGER REFERENCES payment(id),
	imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	UNIQUE (account, date, amount, reference),
	CHECK ((amount >= 0 AND unapplied BETWEEN 0 AND amount) OR (amount < 0 AND unapplied = amount))
);
CREATE INDEX payment_customer ON payment(customer_id, date);
-- Covering: the KPIs sum a period's receipts from this alone.
CREATE INDEX payment_date ON payment(date, currency, amount);
-- Covering index of the cash still unapplied (aging reads only this).
CREATE INDEX payment_unapplied ON payment(customer_id, date, currency, unapplied) WHERE unapplied <> 0;

CREATE TABLE allocation (
	id INTEGER PRIMARY KEY,
	invoice_id INTEGER NOT NULL REFERENCES invoice(id),
	payment_id INTEGER REFERENCES payment(id),
	credit_id INTEGER REFERENCES invoice(id),
	amount INTEGER NOT NULL CHECK (amount > 0),
	-- the later of the payment's (or credit note's) date and the invoice's
	-- issue date, so that as of any date both sides exist.
	date TEXT NOT NULL,
	how TEXT NOT NULL CHECK (how IN ('import', 'rule', 'manual')),
	CHECK ((payment_id IS NULL) <> (credit_id IS NULL))
);
CREATE INDEX allocation_invoice ON allocation(invoice_id, date);
CREATE INDEX allocation_payment ON allocation(payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX allocation_credit ON allocation(credit_id) WHERE credit_id IS NOT NULL;
-- Covering: aging as of D adds back what was allocated after D from this alone.
CREATE INDEX allocation_date ON allocation(date, invoice_id, payment_id, credit_id, amount);

-- The CHECK constraints on invoice and payment make an allocation above an
-- open or unapplied amount fail inside these triggers.
CREATE TRIGGER allocation_insert AFTER INSERT ON allocation BEGIN
	UPDATE invoice SET open_amount = open_amount - NEW.amount,
		paid_date = CASE WHEN open_amount - NEW.amount = 0
			THEN (SELECT max(date) FROM allocation WHERE invoice_id = NEW.invoice_id) END
	WHERE id = NEW.invoice_id;
	UPDATE payment SET unapplied = unapplied - NEW.amount WHERE id = NEW.payment_id;
	UPDATE invoice SET open_amount = open_amount + NEW.amount,
		paid_date = CASE WHEN open_amount + NEW.amount = 0
			THEN (SELECT max(date) FROM allocation WHERE credit_id = NEW.credit_id) END
	WHERE id = NEW.credit_id;
END;
CREATE TRIGGER allocation_delete AFTER DELETE ON allocation BEGIN
	UPDATE invoice SET open_amount = open_amount + OLD.amount, paid_date = NULL
	WHERE id = OLD.invoice_id;
	UPDATE payment SET unapplied = unapplied + OLD.amount WHERE id = OLD.payment_id;
	UPDATE invoice SET open_amount = open_amount - OLD.amount, paid_date = NULL
	WHERE id = OLD.credit_id;
END;
CREATE TRIGGER allocation_no_update BEFORE UPDATE ON allocation BEGIN
	SELECT RAISE(ABORT, 'allocations are not edited: undo and allocate again');
END;

CREATE TABLE rate (
	currency TEXT NOT NULL,
	date TEXT NOT NULL,
	rate TEXT NOT NULL,          -- as imported: units of base per 1 unit
	rate_e9 INTEGER NOT NULL,    -- the same times 10^9, exact
	PRIMARY KEY (currency, date)
) WITHOUT ROWID;

CREATE TABLE dispute (
	id INTEGER PRIMARY KEY,
	invoice_id INTEGER NOT NULL REFERENCES invoice(id),
	amount INTEGER,              -- NULL: the whole open amount
	reason TEXT NOT NULL CHECK (reason IN ('billing', 'delivery', 'quality', 'pricing', 'other')),
	owner TEXT NOT NULL DEFAULT '',
	opened TEXT NOT NULL,
	resolved TEXT,
	resolution TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX dispute_one_open ON dispute(invoice_id) WHERE resolved IS NULL;
CREATE INDEX dispute_invoice ON dispute(invoice_id, opened);

CREATE TABLE promise (
	id INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customer(id),
	amount INTEGER NOT NULL CHECK (amount > 0),
	currency TEXT NOT NULL,
	made_date TEXT NOT NULL,
	promised_date TEXT NOT NULL,
	-- as last evaluated; promise_status_as_of() gives it at any date.
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'kept', 'broken')),
	settled_date TEXT
);
CREATE INDEX promise_customer ON promise(customer_id, promised_date);
CREATE TABLE promise_invoice (
	promise_id INTEGER NOT NULL REFERENCES promise(id),
	invoice_id INTEGER NOT NULL REFERENCES invoice(id),
	PRIMARY KEY (promise_id, invoice_id)
) WITHOUT ROWID;
CREATE INDEX promise_invoice_invoice ON promise_invoice(invoice_id);

-- The customer's history: append-only, enforced below.
CREATE TABLE activity (
	id INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customer(id),
	date TEXT NOT NULL,          -- the business date (DUN_TODAY in tests)
	at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	kind TEXT NOT NULL,          -- call email letter note promise dispute resolve payment allocation unallocation dunning edit sent undo
	who TEXT NOT NULL DEFAULT '',
	text TEXT NOT NULL DEFAULT '',
	outcome TEXT NOT NULL DEFAULT '',
	amount INTEGER,
	currency TEXT
);
CREATE INDEX activity_customer ON activity(customer_id, date, id);
CREATE INDEX activity_kind_date ON activity(kind, date);
CREATE TABLE activity_invoice (
	activity_id INTEGER NOT NULL REFERENCES activity(id),
	invoice_id INTEGER NOT NULL REFERENCES invoice(id),
	PRIMARY KEY (activity_id, invoice_id)
) WITHOUT ROWID;
CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity BEGIN
	SELECT RAISE(ABORT, 'the activity log is append-only');
END;
CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity BEGIN
	SELECT RAISE(ABORT, 'the activity log is append-only');
END;
CREATE TRIGGER activity_invoice_no_update BEFORE UPDATE ON activity_invoice BEGIN
	SELECT RAISE(ABORT, 'the activity log is append-only');
END;
CREATE TRIGGER activity_invoice_no_delete BEFORE DELETE ON activity_invoice BEGIN
	SELECT RAISE(ABORT, 'the activity log is append-only');
END;

-- Dunning configuration (replaced whole by `scenarios load`).
CREATE TABLE scenario (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	max_amicable_days INTEGER NOT NULL DEFAULT 60,
	min_gap_days INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE scenario_step (
	scenario_id INTEGER NOT NULL REFERENCES scenario(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,   -- 1-based
	offset_days INTEGER NOT NULL,
	channel TEXT NOT NULL CHECK (channel IN ('email', 'letter', 'call', 'task', 'escalate')),
	name TEXT NOT NULL,
	min_amount TEXT NOT NULL DEFAULT '0', -- in major units of the invoice's currency
	options TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (scenario_id, position)
) WITHOUT ROWID;
CREATE TABLE segment_scenario (
	segment TEXT PRIMARY KEY,
	scenario TEXT NOT NULL
) WITHOUT ROWID;

-- Every dunning step taken, per invoice.
CREATE TABLE dunning_log (
	id INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customer(id),
	invoice_id INTEGER NOT NULL REFERENCES invoice(id),
	date TEXT NOT NULL,
	scenario TEXT NOT NULL,
	step INTEGER NOT NULL,
	channel TEXT NOT NULL,
	name TEXT NOT NULL,
	activity_id INTEGER REFERENCES activity(id),
	outbox_id INTEGER REFERENCES outbox(id),
	UNIQUE (invoice_id, scenario, step)
);
CREATE INDEX dunning_log_customer ON dunning_log(customer_id, date);

CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customer(id),
	date TEXT NOT NULL,          -- the as-of date the message speaks of
	channel TEXT NOT NULL CHECK (channel IN ('email', 'letter')),
	template TEXT NOT NULL,
	language TEXT NOT NULL,
	recipient TEXT NOT NULL DEFAULT '',
	subject TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL DEFAULT '',
	message_id TEXT NOT NULL UNIQUE,
	attach_statement INTEGER NOT NULL DEFAULT 0,
	state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'held', 'sending', 'sent')),
	attempts INTEGER NOT NULL DEFAULT 0,
	error TEXT NOT NULL DEFAULT '',
	sent_at TEXT
);
CREATE INDEX outbox_state ON outbox(state, id);

-- Risk and behaviour, recomputed by the background module.
CREATE TABLE risk (
	customer_id INTEGER PRIMARY KEY REFERENCES customer(id),
	score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
	class TEXT NOT NULL CHECK (class IN ('A', 'B', 'C', 'D', 'E')),
	profile TEXT NOT NULL DEFAULT '',
	expected_delay INTEGER NOT NULL DEFAULT 0, -- days after due, learned
	factors TEXT NOT NULL DEFAULT '',          -- "name=contribution;..." largest first
	computed_at TEXT NOT NULL
);

-- Payer accounts learned from matches (manual or confirmed).
CREATE TABLE payer_account (
	account TEXT PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customer(id),
	learned_date TEXT NOT NULL
) WITHOUT ROWID;
