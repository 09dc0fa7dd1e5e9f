/* The call list: one pass per table over what is open today, grouped by
 * customer in memory, scored and sorted. See calllist.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calllist.h"
#include "dunning.h"
#include "fx.h"
#include "status.h"
#include "xalloc.h"

struct entry {
	struct calllist_row row;
	money_t limit;
	int score;               /* -1: not scored */
	money_t open, stake_overdue, soon, promise_due;
	money_t credit;          /* unapplied cash and open credit notes, >= 0 */
	/* Sums of the items in another currency than the customer's, at
	 * today's rates through the base currency (rates are units of base
	 * per unit), each rounded once into its currency (SPEC §5); NULL for
	 * the many customers billed in their currency alone. */
	fx_value *foreign;
	char unrated[4];         /* a currency of its items without a rate, left out */
	int oldest, soon_days, promise_days;
	bool promise_broken, call_due, task_due, over_limit;
	day_t broken_on;
	int64_t call_today;      /* id of today's last call, 0 if none */
	bool news_after_call;
	double priority;
};

static struct entry *entry_find(struct entry *e, int n, int64_t id)
{
	int lo = 0, hi = n - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (e[mid].row.customer_id == id)
			return &e[mid];
		if (e[mid].row.customer_id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* An amount in base-currency major units, for ranking only. */
static double weigh(struct fx *fx, const char *currency, money_t amount)
{
	fx_value v;
	char *cause = NULL;
	if (fx_scale(fx, currency, amount, &v, &cause) != DUN_OK) {
		free(cause);
		int e = money_exponent(currency);
		return (double)amount / pow(10, e < 0 ? 2 : e);
	}
	return (double)v / (double)FX_SCALE / pow(10, fx_exponent(fx));
}

/* The sums of a customer's items in other currencies, in base-currency
 * scaled values (fx.h), brought into its currency once at the end. */
enum { F_OPEN, F_OVERDUE, F_STAKE, F_SOON, F_CREDIT, F_COUNT };

/* amount in currency as a scaled base value, when both currency and the
 * customer's own have a rate (the sums go back into the latter). An item
 * without is left out and the reasons say so: the morning's list must not
 * fail on one customer's foreign invoice (the aging, which must tie to the
 * ledger, refuses instead). */
static bool convert(struct fx *fx, struct entry *c, const char *currency, money_t amount, fx_value *out)
{
	fx_value unit;
	char *cause = NULL;
	if (fx_scale(fx, currency, amount, out, &cause) == DUN_OK &&
	    fx_scale(fx, c->row.currency, 1, &unit, &cause) == DUN_OK) {
		if (c->foreign == NULL)
			c->foreign = xcalloc(F_COUNT, sizeof *c->foreign);
		return true;
	}
	free(cause);
	if (c->unrated[0] == '\0')
		snprintf(c->unrated, sizeof c->unrated, "%s", currency);
	return false;
}

/* The foreign sums into the customer's currency, each rounded once. */
static void add_foreign(struct fx *fx, struct entry *c)
{
	money_t *into[F_COUNT] = {
		[F_OPEN] = &c->open, [F_OVERDUE] = &c->row.overdue, [F_STAKE] = &c->stake_overdue,
		[F_SOON] = &c->soon, [F_CREDIT] = &c->credit,
	};
	for (int f = 0; f < F_COUNT; f++) {
		money_t v = 0;
		char *cause = NULL;
		fx_unscale(fx, c->row.currency, c->foreign[f], &v, &cause); /* its rate was read by convert */
		free(cause);
		*into[f] += v;
	}
	free(c->foreign);
	c->foreign = NULL;
}

/* A customer on hold is not called: its collection is in other hands. */
static int load_customers(struct store *s, const struct calllist_options *o,
    struct entry **out, int *n, char **cause)
{
	static const char sql[] = "SELECT c.id, c.code, c.name, c.collector, c.phone, c.currency,"
	    " c.credit_limit, coalesce(r.score, -1), coalesce(r.class, '')"
	    " FROM customer c LEFT JOIN risk r ON r.customer_id = c.id"
	    " WHERE (?1 IS NULL OR c.collector = ?1) AND c.on_hold = 0 ORDER BY c.id";
	sqlite3_stmt *st = store_stmt(s, sql);
	store_bind_text(st, 1, o->collector);
	int rc, cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		struct entry *e = &(*out)[(*n)++];
		memset(e, 0, sizeof *e);
		e->row.customer_id = sqlite3_column_int64(st, 0);
		e->row.code = xstrdup(store_column_text(st, 1));
		e->row.name = xstrdup(store_column_text(st, 2));
		e->row.collector = xstrdup(store_column_text(st, 3));
		e->row.phone = xstrdup(store_column_text(st, 4));
		snprintf(e->row.currency, sizeof e->row.currency, "%s", store_column_text(st, 5));
		e->row.exponent = money_exponent(e->row.currency);
		if (e->row.exponent < 0)
			e->row.exponent = 2;
		e->limit = sqlite3_column_int64(st, 6);
		e->score = sqlite3_column_int(st, 7);
		snprintf(e->row.risk_class, sizeof e->row.risk_class, "%s", store_column_text(st, 8));
		e->broken_on = DATE_NONE;
		e->soon_days = e->promise_days = INT32_MAX;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, "read customers", cause);
	return DUN_OK;
}

/* Open invoices of today: overdue (disputed ones are paused, not at
 * stake), open total for the limit, and what falls due within a week. */
static int load_invoices(struct store *s, struct fx *fx, day_t today, struct entry *e, int n, char **cause)
{
	static const char sql[] = "SELECT i.customer_id, i.due_date, i.open_amount, i.currency,"
	    " EXISTS (SELECT 1 FROM dispute d WHERE d.invoice_id = i.id AND d.resolved IS NULL AND d.opened <= ?1)"
	    " FROM invoice i WHERE i.open_amount <> 0 AND i.kind = 'invoice' AND i.issue_date <= ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	store_bind_date(st, 1, today);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct entry *c = entry_find(e, n, sqlite3_column_int64(st, 0));
		if (c == NULL)
			continue; /* another collector's */
		day_t due = store_column_date(st, 1);
		money_t open = sqlite3_column_int64(st, 2);
		bool disputed = sqlite3_column_int(st, 4);
		bool overdue = due < today, soon = !overdue && due - today <= 7 && !disputed;
		if (strcmp(store_column_text(st, 3), c->row.currency) != 0) {
			fx_value x;
			if (!convert(fx, c, store_column_text(st, 3), open, &x))
				continue;
			c->foreign[F_OPEN] += x;
			c->foreign[F_OVERDUE] += overdue ? x : 0;
			c->foreign[F_STAKE] += overdue && !disputed ? x : 0;
			c->foreign[F_SOON] += soon ? x : 0;
		} else {
			c->open += open;
			c->row.overdue += overdue ? open : 0;
			c->stake_overdue += overdue && !disputed ? open : 0;
			c->soon += soon ? open : 0;
		}
		if (overdue && !disputed && today - due > c->oldest)
			c->oldest = today - due;
		if (soon && due - today < c->soon_days)
			c->soon_days = due - today;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, "read open invoices", cause);
	return DUN_OK;
}

/* Cash received but not yet matched, and open credit notes: an overdue
 * amount they cover is not worth a call (it is the matching view's job). */
static int load_credits(struct store *s, struct fx *fx, day_t today, struct entry *e, int n, char **cause)
{
	static const char sql[] = "SELECT customer_id, currency, unapplied FROM payment"
	    " WHERE unapplied <> 0 AND customer_id IS NOT NULL AND date <= ?1 AND unapplied > 0"
	    " UNION ALL SELECT customer_id, currency, -open_amount FROM invoice"
	    " WHERE open_amount <> 0 AND kind = 'credit_note' AND issue_date <= ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	store_bind_date(st, 1, today);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct entry *c = entry_find(e, n, sqlite3_column_int64(st, 0));
		if (c == NULL)
			continue;
		if (strcmp(store_column_text(st, 1), c->row.currency) == 0) {
			c->credit += sqlite3_column_int64(st, 2);
			continue;
		}
		fx_value x;
		if (!convert(fx, c, store_column_text(st, 1), sqlite3_column_int64(st, 2), &x))
			continue;
		c->foreign[F_CREDIT] += x;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, "read unapplied cash", cause);
	return DUN_OK;
}

static int load_promises(struct store *s, const struct config *cfg, day_t today,
    struct entry *e, int n, char **cause)
{
	static const char sql[] = "SELECT customer_id, promised_date, status, settled_date, amount"
	    " FROM promise WHERE status = 'open' OR (status = 'broken' AND promised_date >= ?1)";
	sqlite3_stmt *st = store_stmt(s, sql);
	store_bind_date(st, 1, today - 30); /* a promise broken a month ago is no news */
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct entry *c = entry_find(e, n, sqlite3_column_int64(st, 0));
		if (c == NULL)
			continue;
		day_t promised = store_column_date(st, 1);
		bool broken = strcmp(store_column_text(st, 2), "broken") == 0;
		day_t broken_on = DATE_NONE;
		if (broken)
			broken_on = sqlite3_column_type(st, 3) == SQLITE_NULL ? promised + 1 : store_column_date(st, 3);
		else if (promised + cfg->promise_grace_days < today)
			broken_on = promised + cfg->promise_grace_days + 1; /* not yet marked */
		if (broken_on != DATE_NONE) {
			if (c->broken_on == DATE_NONE || broken_on > c->broken_on)
				c->broken_on = broken_on;
		} else if (promised >= today && promised - today <= 2) {
			c->promise_due += sqlite3_column_int64(st, 4);
			if (promised - today < c->promise_days)
				c->promise_days = promised - today;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, "read promises", cause);
	return DUN_OK;
}

/* A promise broken on broken_on is news until a call on or after that day.
 * Asked only for the few customers with a broken promise: the last call of
 * every customer would visit every call ever logged (row by row, as the
 * kind index holds no customer), which cost most of the list's time. */
static int load_calls_since_broken(struct store *s, struct entry *e, int n, char **cause)
{
	static const char sql[] = "SELECT EXISTS (SELECT 1 FROM activity"
	    " WHERE customer_id = ?1 AND date >= ?2 AND kind = 'call')";
	for (int i = 0; i < n; i++) {
		if (e[i].broken_on == DATE_NONE)
			continue;
		sqlite3_stmt *st = store_stmt(s, sql);
		sqlite3_bind_int64(st, 1, e[i].row.customer_id);
		store_bind_date(st, 2, e[i].broken_on);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			e[i].promise_broken = sqlite3_column_int(st, 0) == 0;
		sqlite3_reset(st);
		if (rc != SQLITE_ROW)
			return store_error(s, "read calls", cause);
	}
	return DUN_OK;
}

/* Today's calls against what came after them. */
static int load_activity(struct store *s, day_t today, struct entry *e, int n, char **cause)
{
	static const char sql_today[] = "SELECT customer_id, id, kind FROM activity"
	    " WHERE kind IN ('call', 'payment', 'allocation', 'dispute', 'resolve') AND date = ?1 ORDER BY id";
	sqlite3_stmt *st = store_stmt(s, sql_today);
	store_bind_date(st, 1, today);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct entry *c = entry_find(e, n, sqlite3_column_int64(st, 0));
		if (c == NULL)
			continue;
		if (strcmp(store_column_text(st, 2), "call") == 0) {
			c->call_today = sqlite3_column_int64(st, 1);
			c->news_after_call = false;
		} else if (c->call_today != 0) {
			c->news_after_call = true;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, "read today's activity", cause);
	return DUN_OK;
}

static void add_reason(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_reason(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	if (b->len)
		buf_puts(b, "; ");
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	buf_puts(b, text);
	free(text);
}

static void days_text(int days, char *buf, size_t size)
{
	if (days == 0)
		snprintf(buf, size, "today");
	else
		snprintf(buf, size, "in %d day%s", days, days == 1 ? "" : "s");
}

/* Decides the reasons and the priority; false when nothing is to do. */
static bool entry_assess(struct entry *c, struct fx *fx)
{
	struct buf reasons = { 0 };
	char amount[MONEY_TEXT_MAX], when[32];
	bool risky = c->row.risk_class[0] == 'D' || c->row.risk_class[0] == 'E';
	double weight = c->score < 0 ? 0.5 : 0.2 + 0.8 * c->score / 100.0;
	c->stake_overdue = c->stake_overdue > c->credit ? c->stake_overdue - c->credit : 0;
	double stake = weigh(fx, c->row.currency, c->stake_overdue) * weight;
	double urgency = 1;
	c->over_limit = c->limit > 0 && c->open > c->limit;
	if (c->promise_broken) {
		add_reason(&reasons, "promise broken");
		urgency += 1.5;
	}
	if (c->promise_due > 0) {
		days_text(c->promise_days, when, sizeof when);
		add_reason(&reasons, "promise due %s", when);
		stake += weigh(fx, c->row.currency, c->promise_due) * weight;
		urgency += 0.5;
	}
	if (c->call_due) {
		add_reason(&reasons, c->task_due ? "task step due" : "call step due");
		urgency += 1;
	}
	if (c->over_limit) {
		add_reason(&reasons, "over limit");
		stake += weigh(fx, c->row.currency, c->open - c->limit) * weight;
		urgency += 0.5;
	}
	if (risky && c->soon > 0) {
		days_text(c->soon_days, when, sizeof when);
		money_format_grouped(c->soon, c->row.exponent, ',', '.', amount);
		add_reason(&reasons, "high risk, %s due %s", amount, when);
		stake += weigh(fx, c->row.currency, c->soon) * weight / 2;
	}
	if (c->stake_overdue > 0) {
		add_reason(&reasons, "%d day%s overdue", c->oldest, c->oldest == 1 ? "" : "s");
		urgency += c->oldest >= 120 ? 2 : c->oldest / 60.0;
	}
	if (reasons.len == 0) {
		buf_free(&reasons);
		return false;
	}
	if (c->unrated[0] != '\0')
		add_reason(&reasons, "%s items not counted (no rate)", c->unrated);
	c->row.called_today = c->call_today != 0 && !c->news_after_call;
	if (c->row.called_today)
		add_reason(&reasons, "called today");
	c->priority = stake * urgency;
	c->row.priority = llround(c->priority);
	c->row.reasons = buf_take(&reasons);
	return true;
}

static int compare_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->row.called_today != y->row.called_today)
		return x->row.called_today ? 1 : -1;
	if (x->priority != y->priority)
		return x->priority < y->priority ? 1 : -1;
	return strcmp(x->row.code, y->row.code);
}

static void entry_clear(struct entry *e)
{
	free(e->row.code);
	free(e->row.name);
	free(e->row.collector);
	free(e->row.phone);
	free(e->row.reasons);
	free(e->row.next_step);
}

int calllist_build(struct store *s, const struct config *cfg, const struct calllist_options *o,
    struct calllist_row **rows, int *nrows, char **cause)
{
	struct entry *e = NULL;
	int n = 0;
	*rows = NULL;
	*nrows = 0;
	struct fx *fx = fx_new(s, cfg->base_currency, o->today);
	int rc = load_customers(s, o, &e, &n, cause);
	if (rc == DUN_OK)
		rc = load_invoices(s, fx, o->today, e, n, cause);
	if (rc == DUN_OK)
		rc = load_credits(s, fx, o->today, e, n, cause);
	for (int i = 0; i < n; i++)
		if (e[i].foreign != NULL)
			add_foreign(fx, &e[i]);
	if (rc == DUN_OK)
		rc = load_promises(s, cfg, o->today, e, n, cause);
	if (rc == DUN_OK)
		rc = load_calls_since_broken(s, e, n, cause);
	if (rc == DUN_OK)
		rc = load_activity(s, o->today, e, n, cause);
	struct dunning_call *calls = NULL;
	int ncalls = 0;
	if (rc == DUN_OK)
		rc = dunning_calls_due(s, cfg, o->today, &calls, &ncalls, cause);
	for (int i = 0; rc == DUN_OK && i < ncalls; i++) {
		struct entry *c = entry_find(e, n, calls[i].customer_id);
		if (c != NULL && !c->call_due) {
			c->call_due = true;
			c->task_due = calls[i].task;
			c->row.next_step = xstrdup(calls[i].label);
		}
	}
	dunning_calls_free(calls, ncalls);
	if (rc != DUN_OK) {
		for (int i = 0; i < n; i++)
			entry_clear(&e[i]);
		free(e);
		fx_free(fx);
		return rc;
	}
	int kept = 0;
	for (int i = 0; i < n; i++) {
		if (entry_assess(&e[i], fx))
			e[kept++] = e[i];
		else
			entry_clear(&e[i]);
	}
	fx_free(fx);
	if (kept > 1)
		qsort(e, kept, sizeof *e, compare_entry);
	int count = o->limit > 0 && o->limit < kept ? o->limit : kept;
	*rows = xcalloc(count ? count : 1, sizeof **rows);
	for (int i = 0; i < kept; i++) {
		if (i < count) {
			(*rows)[i] = e[i].row;
			(*rows)[i].rank = i + 1;
			if ((*rows)[i].next_step == NULL)
				(*rows)[i].next_step = xstrdup("");
		} else {
			entry_clear(&e[i]);
		}
	}
	free(e);
	*nrows = count;
	return DUN_OK;
}

void calllist_free(struct calllist_row *rows, int nrows)
{
	for (int i = 0; i < nrows; i++) {
		free(rows[i].code);
		free(rows[i].name);
		free(rows[i].collector);
		free(rows[i].phone);
		free(rows[i].reasons);
		free(rows[i].next_step);
	}
	free(rows);
}
