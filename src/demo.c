/* The demo ledger. Each customer is simulated on its own random streams
 * (seed, customer number), so a customer's story does not depend on how
 * many customers there are, and the simulation can run twice: a first
 * pass only counts the invoices issued each day, so that the second pass,
 * which writes, can number them the way an invoicing system does (one
 * sequence a year, in date order: INV-2025-000123) although it writes them
 * customer by customer. Payments, credit notes and disputes are written
 * through the ledger's own allocation paths, so open amounts, unapplied
 * cash and paid dates are what the schema's triggers make of them. */
#include "demo.h"
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "demo_names.h"
#include "ledger.h"
#include "money.h"
#include "rng.h"
#include "scenario.h"
#include "status.h"
#include "store.h"
#include "terms.h"
#include "xalloc.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define HISTORY_MONTHS 26      /* whole months before today's month */
#define CUSTOMERS_PER_COMMIT 1000
#define LIST_SHOWN 3           /* invoice numbers named in a text before "and N more" */
#define MAX_GROUPED 25         /* invoices one grouped payment covers at most */

/* Random streams of one customer. */
enum stream { STREAM_LEDGER, STREAM_PARTY, STREAM_TEXT, STREAMS_PER_CUSTOMER };
#define STREAM_RATES UINT64_MAX

enum segment { SEG_RETAIL, SEG_WHOLESALE, SEG_SMB, SEG_PUBLIC, SEG_EXPORT, SEGMENTS };
static const char *const segment_names[SEGMENTS] = { "retail", "wholesale", "smb", "public", "export" };
static const int segment_weights[SEGMENTS] = { 30, 22, 28, 10, 10 };
/* Invoices a month (hundredths) and the typical invoice (major units). */
static const int segment_rate[SEGMENTS] = { 133, 168, 91, 70, 91 };
static const int segment_typical[SEGMENTS] = { 900, 7000, 450, 6000, 18000 };

struct weighted_text {
	const char *text;
	int weight;
};

static const struct weighted_text segment_terms[SEGMENTS][4] = {
	[SEG_RETAIL] = { { "due", 15 }, { "net 30", 45 }, { "2/10 net 30", 20 }, { "30 eom", 20 } },
	[SEG_WHOLESALE] = { { "net 45", 30 }, { "30 eom", 25 }, { "eom 45", 25 }, { "net 30", 20 } },
	[SEG_SMB] = { { "net 30", 60 }, { "due", 15 }, { "2/10 net 30", 25 }, { "net 45", 0 } },
	[SEG_PUBLIC] = { { "net 30", 60 }, { "eom 45", 20 }, { "net 45", 20 }, { "due", 0 } },
	[SEG_EXPORT] = { { "net 30", 40 }, { "net 45", 30 }, { "net 60", 30 }, { "due", 0 } },
};

enum behaviour { PROMPT, SLOW, ERRATIC, DETERIORATING, DEFAULTING, BEHAVIOURS };
static const char *const behaviour_names[BEHAVIOURS] = { "prompt", "slow", "erratic", "deteriorating", "defaulting" };
static const int behaviour_weights[SEGMENTS][BEHAVIOURS] = {
	[SEG_RETAIL] = { 40, 22, 15, 13, 10 },
	[SEG_WHOLESALE] = { 42, 25, 13, 12, 8 },
	[SEG_SMB] = { 36, 24, 18, 12, 10 },
	[SEG_PUBLIC] = { 30, 55, 10, 5, 0 }, /* public bodies pay late, but they pay */
	[SEG_EXPORT] = { 35, 22, 25, 10, 8 },
};

static const char *const collectors[] = { "alice", "bob", "chloe", "david", "emma" };
static const int collector_weights[SEGMENTS][COUNT(collectors)] = {
	[SEG_RETAIL] = { 45, 0, 0, 10, 45 },
	[SEG_WHOLESALE] = { 0, 70, 0, 30, 0 },
	[SEG_SMB] = { 30, 30, 0, 10, 30 },
	[SEG_PUBLIC] = { 0, 0, 100, 0, 0 },
	[SEG_EXPORT] = { 0, 0, 30, 70, 0 },
};

/* Sales by month in percent of an average month: the August trough of a
 * French year, the December peak of retail, public bodies spending what
 * is left of their budget in November and December. */
static const int season_pct[SEGMENTS][12] = {
	[SEG_RETAIL] = { 80, 85, 95, 100, 100, 105, 90, 70, 100, 105, 125, 145 },
	[SEG_WHOLESALE] = { 85, 95, 110, 105, 100, 110, 95, 60, 110, 110, 110, 110 },
	[SEG_SMB] = { 90, 95, 105, 100, 100, 105, 90, 65, 105, 110, 115, 120 },
	[SEG_PUBLIC] = { 60, 85, 100, 100, 95, 100, 90, 55, 100, 105, 135, 175 },
	[SEG_EXPORT] = { 95, 100, 110, 100, 100, 105, 95, 85, 100, 100, 105, 105 },
};

/* The currencies of the demo, their value in EUR at the start of the
 * history (millionths) and the daily wobble of that value, and the seller's
 * bank account each is received on. */
struct currency_info {
	const char *code;
	int64_t eur_micro;
	int64_t wobble_micro;
	const char *our_account;
};
static const struct currency_info currencies[] = {
	{ "EUR", 1000000, 0, "FR7630004000031234567890143" },
	{ "USD", 920000, 2500, "FR7630004000039876543210136" },
	{ "GBP", 1160000, 2200, "GB33BUKB20201555555555" },
	{ "CHF", 1040000, 1800, "CH9300762011623852957" },
};
enum { CUR_EUR, CUR_USD, CUR_GBP, CUR_CHF };

static const char *const dispute_reasons[] = { "billing", "delivery", "quality", "pricing", "other" };
static const int dispute_reason_weights[] = { 30, 25, 20, 20, 5 };
static const char *const dispute_texts[] = {
	"quantity invoiced does not match the delivery note",
	"goods not received",
	"goods arrived damaged",
	"price differs from the quote",
	"customer disputes the charge",
};

/* What a customer is, including what only the payments may reveal. */
struct profile {
	enum segment segment;
	enum behaviour behaviour;
	enum demo_country country;
	int currency;
	const char *terms_text;
	struct terms terms;
	const char *collector;
	day_t since, until;        /* invoiced between these dates */
	day_t stop_paying;         /* defaulting: nothing is paid from then on */
	day_t worsen_from;         /* deteriorating: later and later from then */
	int worsen_slope;          /* extra days late per 30 days */
	int slow_days;             /* slow: the usual delay */
	double rate;               /* invoices a month before season and growth */
	money_t typical;           /* minor units */
	money_t credit_limit;
	bool monthly_billing;      /* one invoice at each month's end */
	int run_day[2], nruns;     /* the days of its payment runs, if it has any */
	int partial_permille;
	int call_weekday;          /* the collector calls this customer on this weekday */
};

struct item {                  /* an invoice or a credit note */
	day_t issue, due;
	money_t amount;            /* credit notes negative */
	bool credit;
	int applies_to;            /* credit note: the invoice it relates to, or -1 */
	money_t open;              /* as the simulation allocates */
	day_t pay;                 /* invoice: when the payer means to pay it all, or DATE_NONE */
	day_t paid;                /* fully allocated on, or DATE_NONE */
	int dispute;               /* index in disputes, or -1 */
	bool reminded, noticed;    /* collection steps already taken */
	int64_t id;                /* second pass: the row */
};

enum payment_state { PAY_MATCHED, PAY_UNMATCHED, PAY_UNKNOWN_PAYER, PAY_ON_ACCOUNT };
enum method { METHOD_TRANSFER, METHOD_CHEQUE, METHOD_CARD };
static const char *const method_names[] = { "transfer", "cheque", "card" };

struct payment {
	day_t date;
	money_t amount;
	int first, n;              /* its allocations */
	enum payment_state state;
	enum method method;
	bool partial;              /* pays part of one invoice */
	int64_t id;
};

struct alloc {
	int item;
	int source;                /* payment index, or credit note item index */
	bool credit;
	money_t amount;
	day_t date;
	bool applied;              /* false: meant, but the payment is not matched yet */
};

struct dispute {
	int item;
	int reason;
	day_t opened, resolved;    /* resolved DATE_NONE while open */
	int credit;                /* the credit note that settled it, or -1 */
	money_t amount;            /* the disputed part, 0 for the whole invoice */
};

enum promise_status { PROMISE_OPEN, PROMISE_KEPT, PROMISE_BROKEN };
static const char *const promise_status_names[] = { "open", "kept", "broken" };

struct promise {
	day_t made, promised, settled;
	money_t amount;
	enum promise_status status;
	int first, n;              /* links */
};

enum act_kind { ACT_EMAIL, ACT_CALL, ACT_PROMISE, ACT_LETTER, ACT_NOTE, ACT_DISPUTE, ACT_RESOLVE };
static const char *const act_kind_names[] = { "email", "call", "promise", "letter", "note", "dispute", "resolve" };

enum call_outcome { CALL_PROMISE, CALL_PAYMENT_SENT, CALL_NO_ANSWER, CALL_VOICEMAIL, CALL_CALL_BACK, CALL_COPY };
static const char *const call_outcome_names[] = {
	"promise", "payment announced", "no answer", "voicemail", "call back", "copy requested",
};

#define NOTE_AGENCY (-1)       /* the defaulting customer's file goes to collection */

struct activity {
	day_t date;
	enum act_kind kind;
	int what;                  /* call outcome, note number, dispute or promise index */
	money_t amount;
	int first, n;              /* links */
	int seq;                   /* creation order, to sort stably */
};

/* One customer's simulated history; the arrays are reused. */
struct sim {
	struct profile p;
	struct item *items;
	int nitems, capitems, ninvoices;
	struct payment *pays;
	int npays, cappays;
	struct alloc *allocs;
	int nallocs, capallocs;
	struct dispute *disputes;
	int ndisputes, capdisputes;
	struct promise *promises;
	int npromises, cappromises;
	struct activity *acts;
	int nacts, capacts;
	int *links;                /* invoice indices of promises and activities */
	int nlinks, caplinks;
};

/* Appends one zeroed element to a growable array. */
#define PUSH(s, arr, n, cap) \
	(((s)->n == (s)->cap ? ((s)->arr = xreallocarray((s)->arr, (size_t)((s)->cap = (s)->cap ? 2 * (s)->cap : 64), \
	    sizeof *(s)->arr)) : NULL), memset(&(s)->arr[(s)->n], 0, sizeof *(s)->arr), &(s)->arr[(s)->n++])

static day_t weekday_on_or_after(day_t d)
{
	while (date_weekday(d) >= 5)
		d++;
	return d;
}

static day_t first_of_month(day_t d)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	return date_from_ymd(y, m, 1);
}

static int pick_weighted_text(struct rng *r, const struct weighted_text *choices, int n)
{
	int weights[8];
	for (int i = 0; i < n; i++)
		weights[i] = choices[i].weight;
	return rng_pick(r, weights, n);
}

/* amount * percent / 100, rounded half away from zero. */
static money_t percent_of(money_t amount, int64_t percent)
{
	money_t out;
	return money_muldiv(amount, percent, 100, &out) ? out : 0;
}

static enum demo_country pick_country(struct rng *r, enum segment seg)
{
	if (seg == SEG_PUBLIC)
		return DEMO_FR;
	if (seg == SEG_EXPORT) {
		static const enum demo_country countries[] = { DEMO_US, DEMO_JP, DEMO_CN, DEMO_KR, DEMO_GB };
		static const int weights[] = { 75, 8, 8, 4, 5 };
		return countries[rng_pick(r, weights, COUNT(weights))];
	}
	static const enum demo_country countries[] = { DEMO_FR, DEMO_DE, DEMO_BE, DEMO_GB, DEMO_CH, DEMO_US };
	static const int weights[] = { 80, 5, 4, 5, 4, 2 };
	return countries[rng_pick(r, weights, COUNT(weights))];
}

static int currency_of(enum demo_country c, enum segment seg)
{
	if (seg == SEG_EXPORT)
		return CUR_USD; /* export is invoiced in dollars wherever the buyer is */
	switch (c) {
	case DEMO_GB:
		return CUR_GBP;
	case DEMO_CH:
		return CUR_CHF;
	case DEMO_US:
	case DEMO_JP:
	case DEMO_CN:
	case DEMO_KR:
		return CUR_USD;
	default:
		return CUR_EUR;
	}
}

static void make_profile(struct rng *r, struct profile *p, day_t start, day_t today)
{
	memset(p, 0, sizeof *p);
	p->segment = (enum segment)rng_pick(r, segment_weights, SEGMENTS);
	p->behaviour = (enum behaviour)rng_pick(r, behaviour_weights[p->segment], BEHAVIOURS);
	p->country = pick_country(r, p->segment);
	p->currency = currency_of(p->country, p->segment);
	p->terms_text = segment_terms[p->segment][pick_weighted_text(r, segment_terms[p->segment], 4)].text;
	const char *why;
	if (!terms_parse(p->terms_text, &p->terms, &why))
		abort(); /* the table above is ours */
	p->collector = collectors[rng_pick(r, collector_weights[p->segment], COUNT(collectors))];

	/* Most customers are there from the start; some arrive later, a few
	 * leave. */
	p->since = start;
	if (rng_chance(r, 250))
		p->since = (day_t)rng_range(r, start, today - 60);
	p->until = today;
	if (rng_chance(r, 60))
		p->until = (day_t)rng_range(r, p->since + 180 < today ? p->since + 180 : today, today);
	p->stop_paying = DATE_NONE;
	if (p->behaviour == DEFAULTING) {
		p->stop_paying = (day_t)rng_range(r, today - 480, today - 45);
		if (p->stop_paying < p->since + 90)
			p->stop_paying = p->since + 90 < today - 30 ? p->since + 90 : today - 30;
		/* Orders stop once the customer is put on hold. */
		day_t hold = p->stop_paying + (day_t)rng_range(r, 20, 90);
		if (hold < p->until)
			p->until = hold;
	}
	p->worsen_from = (day_t)rng_range(r, today - 540, today - 120);
	p->worsen_slope = (int)rng_range(r, 3, 8);
	p->slow_days = (int)rng_range(r, 12, 40);

	p->rate = segment_rate[p->segment] / 100.0 * rng_lognormal_permille(r, 0.8) / 1000.0;
	money_t typical = (money_t)segment_typical[p->segment] * 100;
	p->typical = percent_of(typical, rng_lognormal_permille(r, 0.8) / 10);
	if (p->typical < 2000)
		p->typical = 2000;
	p->monthly_billing = (p->segment == SEG_WHOLESALE || p->segment == SEG_PUBLIC) && rng_chance(r, 300);
	if (p->monthly_billing && p->rate > 1)
		p->typical = percent_of(p->typical, (int64_t)(p->rate * 100)); /* a month's deliveries on one invoice */

	if (rng_chance(r, (p->segment == SEG_WHOLESALE || p->segment == SEG_PUBLIC) ? 500 : 150)) {
		p->nruns = rng_chance(r, 500) ? 2 : 1;
		p->run_day[0] = (int)rng_range(r, 1, p->nruns == 2 ? 14 : 28);
		p->run_day[1] = p->run_day[0] + 15;
	}
	p->partial_permille = (p->behaviour == SLOW || p->behaviour == ERRATIC) ? 120 : 40;
	p->call_weekday = (int)rng_range(r, 0, 4);

	/* A credit limit of three or four months of sales, in round
	 * thousands, as credit managers set them; a few customers have none. */
	money_t monthly = percent_of(p->typical, (int64_t)(p->rate * 100) + 1);
	money_t limit = percent_of(monthly, rng_range(r, 250, 500));
	limit = (limit / 100000 + 1) * 100000;
	p->credit_limit = rng_chance(r, 50) ? 0 : limit;
}

static void add_item(struct sim *s, day_t issue, day_t due, money_t amount, bool credit, int applies_to)
{
	struct item *it = PUSH(s, items, nitems, capitems);
	it->issue = issue;
	it->due = due;
	it->amount = amount;
	it->open = amount;
	it->credit = credit;
	it->applies_to = applies_to;
	it->pay = DATE_NONE;
	it->paid = DATE_NONE;
	it->dispute = -1;
}

static int compare_items(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->issue != y->issue)
		return x->issue < y->issue ? -1 : 1;
	if (x->amount != y->amount)
		return x->amount < y->amount ? -1 : 1;
	return 0; /* equal items are interchangeable */
}

static day_t random_weekday_in(struct rng *r, day_t from, day_t to)
{
	day_t d = (day_t)rng_range(r, from, to);
	if (date_weekday(d) >= 5)
		d = d - (date_weekday(d) - 4); /* back to the Friday */
	return d < from ? weekday_on_or_after(from) : d;
}

static void make_invoices(struct rng *r, struct sim *s, day_t start, day_t today)
{
	const struct profile *p = &s->p;
	for (day_t m = first_of_month(p->since); m <= today; m = date_add_months(m, 1)) {
		int y, mo, dd;
		date_to_ymd(m, &y, &mo, &dd);
		day_t end = date_end_of_month(m);
		double growth = 1.0 + 0.08 * (m - start) / 365.0; /* the business grows 8 % a year */
		int n = p->monthly_billing ? 1 + rng_chance(r, 100)
		    : rng_poisson(r, p->rate * season_pct[p->segment][mo - 1] / 100.0 * growth);
		for (int k = 0; k < n; k++) {
			day_t issue = p->monthly_billing && k == 0 ? end : random_weekday_in(r, m, end);
			while (date_weekday(issue) >= 5)
				issue--;
			money_t amount = percent_of(p->typical, rng_lognormal_permille(r, 0.5) / 10);
			if (p->monthly_billing)
				amount = percent_of(amount, season_pct[p->segment][mo - 1]);
			if (rng_chance(r, 150))
				amount = amount / 100 * 100; /* round figures happen */
			if (amount < 500)
				amount = 500;
			if (issue < p->since || issue > p->until || issue > today)
				continue;
			add_item(s, issue, terms_due_date(&p->terms, issue), amount, false, -1);
		}
	}
	qsort(s->items, (size_t)s->nitems, sizeof *s->items, compare_items);
	s->ninvoices = s->nitems;
}

/* The first payment run on or after d. */
static day_t next_run(const struct profile *p, day_t d)
{
	for (day_t m = first_of_month(d);; m = date_add_months(m, 1)) {
		int y, mo, dd;
		date_to_ymd(m, &y, &mo, &dd);
		int last = date_days_in_month(y, mo);
		for (int i = 0; i < p->nruns; i++) {
			day_t run = weekday_on_or_after(date_from_ymd(y, mo, p->run_day[i] < last ? p->run_day[i] : last));
			if (run >= d)
				return run;
		}
	}
}

static int days_late(struct rng *r, const struct profile *p, day_t issue)
{
	switch (p->behaviour) {
	case PROMPT: {
		static const int weights[] = { 70, 25, 5 };
		static const int lo[] = { -6, 3, 13 }, hi[] = { 2, 12, 35 };
		int k = rng_pick(r, weights, 3);
		return (int)rng_range(r, lo[k], hi[k]);
	}
	case SLOW:
		return p->slow_days + (int)(rng_gauss(r) * 7);
	case ERRATIC: {
		static const int weights[] = { 45, 35, 20 };
		static const int lo[] = { -4, 9, 51 }, hi[] = { 8, 50, 160 };
		int k = rng_pick(r, weights, 3);
		return (int)rng_range(r, lo[k], hi[k]);
	}
	case DETERIORATING:
		if (issue < p->worsen_from)
			return (int)rng_range(r, -3, 10);
		return 4 + p->worsen_slope * (issue - p->worsen_from) / 30 + (int)(rng_gauss(r) * 5);
	default:
		return (int)rng_range(r, 3, 40);
	}
}

/* When the payer means to settle an invoice, or DATE_NONE for never. */
static day_t intended_payment(struct rng *r, const struct profile *p, const struct item *it)
{
	day_t d;
	if (p->behaviour == PROMPT && p->terms.kind == TERMS_DISCOUNT && rng_chance(r, 600))
		d = terms_discount_date(&p->terms, it->issue); /* takes the early-payment window */
	else
		d = it->due + days_late(r, p, it->issue);
	if (d <= it->issue)
		d = it->issue + 1;
	d = weekday_on_or_after(d);
	if (p->nruns)
		d = next_run(p, d);
	if (p->stop_paying != DATE_NONE && d >= p->stop_paying)
		return DATE_NONE;
	return d;
}

/* Records an allocation; apply false keeps it as what the payer meant,
 * for the remittance text of a payment nobody has matched yet. */
static void allocate(struct sim *s, int item, int source, bool credit, money_t amount, day_t date, bool apply)
{
	struct alloc *a = PUSH(s, allocs, nallocs, capallocs);
	a->item = item;
	a->source = source;
	a->credit = credit;
	a->amount = amount;
	a->date = date;
	a->applied = apply;
	if (!apply)
		return;
	s->items[item].open -= amount;
	if (credit)
		s->items[source].open += amount;
	if (s->items[item].open == 0)
		s->items[item].paid = date;
}

/* What an invoice still owed on date t. */
static money_t owed_at(const struct sim *s, int item, day_t t)
{
	money_t owed = s->items[item].amount;
	for (int i = 0; i < s->nallocs; i++)
		if (s->allocs[i].item == item && s->allocs[i].applied && s->allocs[i].date <= t)
			owed -= s->allocs[i].amount;
	return owed;
}

/* A credit note for amount of an invoice on date, applied to it when
 * apply. Returns its index. */
static int credit_note(struct sim *s, int invoice, day_t date, money_t amount, bool apply)
{
	if (amount > s->items[invoice].open)
		amount = s->items[invoice].open;
	if (amount <= 0)
		return -1;
	add_item(s, date, date, -amount, true, invoice);
	int cn = s->nitems - 1;
	if (apply)
		allocate(s, invoice, cn, true, amount, date, true);
	return cn;
}

static void make_disputes_and_credits(struct rng *r, struct sim *s, day_t today)
{
	const struct profile *p = &s->p;
	int dispute_permille = p->behaviour == ERRATIC || p->behaviour == DEFAULTING ? 45 : 20;
	for (int i = 0; i < s->ninvoices; i++) {
		struct item *it = &s->items[i];
		if (rng_chance(r, dispute_permille)) {
			day_t opened = weekday_on_or_after(it->issue + (day_t)rng_range(r, 8, 40));
			if (opened > today)
				continue;
			struct dispute *d = PUSH(s, disputes, ndisputes, capdisputes);
			it->dispute = s->ndisputes - 1;
			d->item = i;
			d->reason = rng_pick(r, dispute_reason_weights, COUNT(dispute_reason_weights));
			d->opened = opened;
			d->resolved = weekday_on_or_after(opened + (day_t)rng_range(r, 5, 80));
			d->credit = -1;
			if (d->resolved > today) {
				d->resolved = DATE_NONE;
				it->pay = DATE_NONE; /* nobody pays a disputed invoice */
				continue;
			}
			/* Billing and pricing disputes mostly end in a credit note,
			 * delivery and quality ones often in proof that all was well. */
			bool credited = rng_chance(r, d->reason == 0 || d->reason == 3 ? 750 : 400);
			if (credited) {
				int64_t percent = d->reason == 0 && rng_chance(r, 300) ? 100 : rng_range(r, 5, 30);
				d->credit = credit_note(s, i, d->resolved, percent_of(it->amount, percent), true);
				it = &s->items[i]; /* credit_note may move the array */
				if (d->reason == 3 && d->credit >= 0)
					d->amount = -s->items[d->credit].amount;
			}
			if (it->open > 0) {
				day_t pay = intended_payment(r, p, it);
				day_t after = weekday_on_or_after(d->resolved + (day_t)rng_range(r, 3, 25));
				it->pay = pay == DATE_NONE ? DATE_NONE : (pay > after ? pay : after);
			}
			continue;
		}
		it->pay = intended_payment(r, p, it);
		if (p->terms.kind == TERMS_DISCOUNT && it->pay != DATE_NONE && it->pay <= today
		    && it->pay <= terms_discount_date(&p->terms, it->issue)) {
			/* Paid within the discount window: the payer deducts the
			 * discount and a credit note settles it. */
			money_t discount;
			if (money_muldiv(it->amount, p->terms.discount_hundredths, 10000, &discount) && discount > 0)
				credit_note(s, i, it->pay, discount, true);
			it = &s->items[i];
		}
		if (rng_chance(r, 15)) {
			/* Goods returned: a credit note, applied when the invoice is
			 * still open, else left for the customer to use. */
			day_t date = weekday_on_or_after(it->issue + (day_t)rng_range(r, 3, 30));
			if (date <= today) {
				day_t pay = it->pay;
				credit_note(s, i, date, percent_of(it->amount, rng_range(r, 10, 60)), pay == DATE_NONE || date <= pay);
			}
		}
	}
}

/* A part of an invoice a payment settles. */
struct portion {
	int item;
	day_t date;
	money_t amount;
	bool alone;                /* paid on its own, not in a payment run */
};

static int compare_portions(const void *a, const void *b)
{
	const struct portion *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->alone != y->alone)
		return x->alone ? 1 : -1;
	return (x->item > y->item) - (x->item < y->item);
}

static enum method pick_method(struct rng *r, const struct profile *p)
{
	if (p->country != DEMO_FR || p->segment == SEG_PUBLIC)
		return METHOD_TRANSFER;
	if (p->segment == SEG_RETAIL && rng_chance(r, 60))
		return METHOD_CARD;
	if ((p->segment == SEG_RETAIL || p->segment == SEG_SMB) && rng_chance(r, 120))
		return METHOD_CHEQUE;
	return METHOD_TRANSFER;
}

static void make_payments(struct rng *r, struct sim *s, day_t today)
{
	const struct profile *p = &s->p;
	struct portion *parts = xmalloc(sizeof *parts * (size_t)(2 * s->ninvoices + 1));
	int nparts = 0;
	for (int i = 0; i < s->ninvoices; i++) {
		struct item *it = &s->items[i];
		if (it->open <= 0)
			continue;
		if (it->pay == DATE_NONE) {
			/* Now and then a defaulter sends something against an old invoice. */
			if (p->behaviour == DEFAULTING && it->dispute < 0 && rng_chance(r, 120)) {
				day_t hi = it->due + 120 < today ? it->due + 120 : today;
				if (hi > it->due + 10) {
					day_t d = weekday_on_or_after((day_t)rng_range(r, it->due + 10, hi));
					if (d <= today)
						parts[nparts++] = (struct portion){ i, d, percent_of(it->open, rng_range(r, 20, 50)), true };
				}
			}
			continue;
		}
		if (it->pay > today)
			continue;
		if (p->nruns == 0 && it->open >= 10000 && rng_chance(r, p->partial_permille)) {
			money_t first = percent_of(it->open, rng_range(r, 30, 70));
			day_t second = weekday_on_or_after(it->pay + (day_t)rng_range(r, 14, 60));
			parts[nparts++] = (struct portion){ i, it->pay, first, true };
			if (second <= today)
				parts[nparts++] = (struct portion){ i, second, it->open - first, true };
			continue;
		}
		parts[nparts++] = (struct portion){ i, it->pay, it->open, false };
	}
	qsort(parts, (size_t)nparts, sizeof *parts, compare_portions);

	for (int k = 0; k < nparts;) {
		int end = k + 1;
		if (!parts[k].alone)
			while (end < nparts && !parts[end].alone && parts[end].date == parts[k].date && end - k < MAX_GROUPED)
				end++;
		struct payment *pay = PUSH(s, pays, npays, cappays);
		int pi = s->npays - 1;
		pay->date = parts[k].date;
		pay->method = end - k > 1 ? METHOD_TRANSFER : pick_method(r, p);
		pay->partial = parts[k].alone && parts[k].amount < s->items[parts[k].item].open;
		for (int j = k; j < end; j++)
			pay->amount += parts[j].amount;
		money_t fee = 0, over = 0;
		if (p->currency == CUR_USD && pay->method == METHOD_TRANSFER && parts[end - 1].amount > 100000 && rng_chance(r, 150))
			fee = rng_range(r, 1000, 3500); /* the intermediary bank keeps its charges */
		else if (rng_chance(r, 15)) {
			/* Over-payments: a rounding up, a few percent too much, or
			 * an invoice paid twice. */
			static const int weights[] = { 35, 50, 15 };
			int kind = rng_pick(r, weights, 3);
			over = kind == 0 ? rng_range(r, 1, 50) * 100
			    : kind == 1 ? percent_of(pay->amount, rng_range(r, 1, 5)) : parts[k].amount;
		}
		pay->amount += over - fee;
		if (pay->date > today - 30 && rng_chance(r, 180)) {
			/* Not matched yet; some came from an account nobody knows. */
			pay->state = PAY_UNMATCHED;
			if (pay->method == METHOD_TRANSFER && rng_chance(r, 400))
				pay->state = PAY_UNKNOWN_PAYER;
		}
		pay->first = s->nallocs;
		bool apply = pay->state == PAY_MATCHED;
		for (int j = k; j < end; j++)
			allocate(s, parts[j].item, pi, false, parts[j].amount - (j == end - 1 ? fee : 0), pay->date, apply);
		s->pays[pi].n = s->nallocs - s->pays[pi].first;
		if (fee > 0 && apply && rng_chance(r, 850)) {
			/* Most such charges are written off with a credit note. */
			day_t date = weekday_on_or_after(s->pays[pi].date + (day_t)rng_range(r, 20, 60));
			if (date <= today)
				credit_note(s, parts[end - 1].item, date, fee, true);
		}
		k = end;
	}
	free(parts);

	/* A defaulting customer on a payment plan pays round sums on account. */
	if (p->behaviour == DEFAULTING && p->stop_paying + 15 < today && rng_chance(r, 300)) {
		money_t owed = 0;
		for (int i = 0; i < s->ninvoices; i++)
			owed += s->items[i].open;
		int n = (int)rng_range(r, 1, 3);
		for (int j = 0; j < n && owed > 20000; j++) {
			struct payment *pay = PUSH(s, pays, npays, cappays);
			pay->date = weekday_on_or_after((day_t)rng_range(r, p->stop_paying + 15, today));
			if (pay->date > today)
				pay->date = today;
			pay->amount = percent_of(owed, rng_range(r, 5, 15)) / 10000 * 10000 + 10000;
			pay->state = PAY_ON_ACCOUNT;
			pay->method = METHOD_TRANSFER;
			pay->first = s->nallocs;
		}
	}
}

static int add_links(struct sim *s, const int *items, int n)
{
	int first = s->nlinks;
	for (int i = 0; i < n; i++)
		*PUSH(s, links, nlinks, caplinks) = items[i];
	return first;
}

static struct activity *add_activity(struct sim *s, day_t date, enum act_kind kind, int what, const int *items, int n)
{
	int first = add_links(s, items, n);
	struct activity *a = PUSH(s, acts, nacts, capacts);
	a->date = date;
	a->kind = kind;
	a->what = what;
	a->first = first;
	a->n = n;
	a->seq = s->nacts;
	for (int i = 0; i < n; i++)
		a->amount += owed_at(s, items[i], date);
	return a;
}

static bool disputed_at(const struct sim *s, const struct item *it, day_t t)
{
	if (it->dispute < 0)
		return false;
	const struct dispute *d = &s->disputes[it->dispute];
	return d->opened <= t && (d->resolved == DATE_NONE || d->resolved > t);
}

/* The collector's week by week: a reminder for what has just fallen
 * overdue, a call every fortnight while something is overdue (with a
 * promise kept when the customer pays soon after, else most often a promise
 * broken or nobody to talk to), a formal notice past sixty days. */
static void make_collection(struct rng *r, struct sim *s, day_t today)
{
	const struct profile *p = &s->p;
	if (s->ninvoices == 0)
		return;
	int *overdue = xmalloc(sizeof *overdue * (size_t)s->ninvoices);
	int *fresh = xmalloc(sizeof *fresh * (size_t)s->ninvoices);
	int *soon = xmalloc(sizeof *soon * (size_t)s->ninvoices);
	day_t t = s->items[0].due + 14;
	while (date_weekday(t) != p->call_weekday)
		t++;
	day_t last_call = INT32_MIN / 2;
	/* Once a defaulter's file goes to the collection agency (see
	 * make_notes), the collector stops chasing it. */
	day_t handed_over = p->stop_paying != DATE_NONE ? p->stop_paying + 150 : today;
	for (; t <= today && t <= handed_over; t += 7) {
		int n = 0, nfresh = 0, nsoon = 0, nnotice = 0;
		day_t next_payment = DATE_NONE, oldest_due = t;
		for (int i = 0; i < s->ninvoices; i++) {
			struct item *it = &s->items[i];
			if (it->issue > t || it->due + 10 >= t || (it->paid != DATE_NONE && it->paid <= t) || disputed_at(s, it, t))
				continue;
			overdue[n++] = i;
			if (it->due < oldest_due)
				oldest_due = it->due;
			if (!it->reminded)
				fresh[nfresh++] = i;
			if (it->paid != DATE_NONE && (next_payment == DATE_NONE || it->paid < next_payment))
				next_payment = it->paid;
			if (it->paid != DATE_NONE && it->paid <= t + 12)
				soon[nsoon++] = i;
			if (!it->noticed && it->due + 60 < t)
				nnotice++;
		}
		if (n == 0)
			continue;
		if (nfresh > 0) {
			add_activity(s, t, ACT_EMAIL, 0, fresh, nfresh);
			for (int i = 0; i < nfresh; i++)
				s->items[fresh[i]].reminded = true;
			continue;
		}
		if (nnotice > 0) {
			int k = 0;
			for (int i = 0; i < n; i++)
				if (!s->items[overdue[i]].noticed && s->items[overdue[i]].due + 60 < t) {
					s->items[overdue[i]].noticed = true;
					fresh[k++] = overdue[i];
				}
			add_activity(s, t, ACT_LETTER, 0, fresh, k);
			continue;
		}
		/* Every fortnight; monthly once the debt is old and the calls
		 * have stopped being useful. */
		if (t - last_call < (t - oldest_due > 90 ? 28 : 14))
			continue;
		last_call = t;
		if (nsoon > 0) {
			if (rng_chance(r, 600)) {
				day_t promised = t + 1;
				for (int i = 0; i < nsoon; i++)
					if (s->items[soon[i]].paid > promised)
						promised = s->items[soon[i]].paid;
				promised = weekday_on_or_after(promised - (day_t)rng_range(r, 0, 2));
				if (promised <= t)
					promised = weekday_on_or_after(t + 1);
				struct promise *pr = PUSH(s, promises, npromises, cappromises);
				pr->made = t;
				pr->promised = promised;
				pr->first = add_links(s, soon, nsoon);
				pr->n = nsoon;
				for (int i = 0; i < nsoon; i++)
					pr->amount += owed_at(s, soon[i], t);
				pr->status = PROMISE_KEPT;
				pr->settled = next_payment;
				for (int i = 0; i < nsoon; i++)
					if (s->items[soon[i]].paid > pr->settled)
						pr->settled = s->items[soon[i]].paid;
				add_activity(s, t, ACT_CALL, CALL_PROMISE, soon, nsoon);
				add_activity(s, t, ACT_PROMISE, s->npromises - 1, soon, nsoon);
			} else {
				add_activity(s, t, ACT_CALL, CALL_PAYMENT_SENT, overdue, n);
			}
			continue;
		}
		static const int weights[] = { 35, 25, 20, 10, 10 };
		static const enum call_outcome outcomes[] = { CALL_PROMISE, CALL_NO_ANSWER, CALL_VOICEMAIL, CALL_CALL_BACK, CALL_COPY };
		enum call_outcome outcome = outcomes[rng_pick(r, weights, COUNT(weights))];
		add_activity(s, t, ACT_CALL, outcome, overdue, n);
		if (outcome == CALL_PROMISE) {
			/* Promised within ten days, not paid by then: broken, or still
			 * open while its date (and the grace) has not passed. */
			struct promise *pr = PUSH(s, promises, npromises, cappromises);
			pr->made = t;
			pr->promised = weekday_on_or_after(t + (day_t)rng_range(r, 5, 10));
			pr->first = add_links(s, overdue, n);
			pr->n = n;
			for (int i = 0; i < n; i++)
				pr->amount += owed_at(s, overdue[i], t);
			pr->status = pr->promised + 2 < today ? PROMISE_BROKEN : PROMISE_OPEN;
			pr->settled = pr->status == PROMISE_BROKEN ? pr->promised + 3 : DATE_NONE;
			add_activity(s, t, ACT_PROMISE, s->npromises - 1, overdue, n);
		}
	}
	free(overdue);
	free(fresh);
	free(soon);
}

#define NOTES 6
static void make_notes(struct rng *r, struct sim *s, day_t today)
{
	const struct profile *p = &s->p;
	int n = rng_poisson(r, (today - p->since) / 365.0 * 0.6);
	for (int i = 0; i < n; i++)
		add_activity(s, random_weekday_in(r, p->since, today - 1), ACT_NOTE, (int)rng_range(r, 0, NOTES - 1), NULL, 0);
	day_t handed_over = p->stop_paying != DATE_NONE ? weekday_on_or_after(p->stop_paying + 150) : DATE_NONE;
	if (handed_over != DATE_NONE && handed_over <= today)
		add_activity(s, handed_over, ACT_NOTE, NOTE_AGENCY, NULL, 0);
	for (int i = 0; i < s->ndisputes; i++) {
		const struct dispute *d = &s->disputes[i];
		add_activity(s, d->opened, ACT_DISPUTE, i, &d->item, 1);
		if (d->resolved != DATE_NONE)
			add_activity(s, d->resolved, ACT_RESOLVE, i, &d->item, 1);
	}
}

static int compare_activities(const void *a, const void *b)
{
	const struct activity *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Runs customer index's whole history. */
static void simulate(struct sim *s, uint64_t seed, int index, day_t start, day_t today)
{
	struct rng r;
	rng_seed(&r, seed, (uint64_t)index * STREAMS_PER_CUSTOMER + STREAM_LEDGER);
	s->nitems = s->ninvoices = s->npays = s->nallocs = s->ndisputes = 0;
	s->npromises = s->nacts = s->nlinks = 0;
	make_profile(&r, &s->p, start, today);
	make_invoices(&r, s, start, today);
	make_disputes_and_credits(&r, s, today);
	make_payments(&r, s, today);
	make_collection(&r, s, today);
	make_notes(&r, s, today);
	qsort(s->acts, (size_t)s->nacts, sizeof *s->acts, compare_activities);
}

static void sim_free(struct sim *s)
{
	free(s->items);
	free(s->pays);
	free(s->allocs);
	free(s->disputes);
	free(s->promises);
	free(s->acts);
	free(s->links);
}

/* Invoice numbers: one sequence a year per kind, in date order. After
 * the first pass next[kind][day] holds how many items were issued that
 * day; numbering_finish turns that into the day's first number. */
struct numbering {
	day_t start;
	int ndays;
	int *next[2];              /* [0] invoices, [1] credit notes */
};

static void numbering_init(struct numbering *nb, day_t start, day_t today)
{
	nb->start = start;
	nb->ndays = today - start + 1;
	for (int k = 0; k < 2; k++)
		nb->next[k] = xcalloc((size_t)nb->ndays, sizeof *nb->next[k]);
}

static void numbering_count(struct numbering *nb, const struct sim *s)
{
	for (int i = 0; i < s->nitems; i++)
		nb->next[s->items[i].credit][s->items[i].issue - nb->start]++;
}

static void numbering_finish(struct numbering *nb)
{
	int y, m, d;
	date_to_ymd(nb->start, &y, &m, &d);
	day_t jan1 = date_from_ymd(y, 1, 1);
	int sample = nb->ndays < 90 ? nb->ndays : 90;
	for (int k = 0; k < 2; k++) {
		/* The history starts mid-year: continue a sequence that would
		 * have run since January at the same pace. */
		long early = 0;
		for (int i = 0; i < sample; i++)
			early += nb->next[k][i];
		long seq = early * (nb->start - jan1) / sample;
		for (int i = 0; i < nb->ndays; i++) {
			date_to_ymd(nb->start + i, &y, &m, &d);
			if (i > 0 && m == 1 && d == 1)
				seq = 0;
			int count = nb->next[k][i];
			nb->next[k][i] = (int)seq + 1;
			seq += count;
		}
	}
}

static void numbering_take(struct numbering *nb, const struct item *it, char *buf, size_t size)
{
	int y, m, d;
	date_to_ymd(it->issue, &y, &m, &d);
	int seq = nb->next[it->credit][it->issue - nb->start]++;
	snprintf(buf, size, "%s-%04d-%06d", it->credit ? "CN" : "INV", y, seq);
}

static void numbering_free(struct numbering *nb)
{
	free(nb->next[0]);
	free(nb->next[1]);
}

/* The second pass: writes a simulated customer through the store. */
struct writer {
	struct store *s;
	const struct demo_options *o;
	struct numbering nb;
	struct demo_counts *counts;
	long entries;              /* bank entries so far, for their references */
	char (*numbers)[24];       /* the current customer's item numbers */
	char (*pos)[24];           /* and purchase-order references */
	int capnumbers;
	int64_t *ids;              /* scratch for activity links */
	int capids;
};

static const char sql_customer[] =
	"INSERT INTO customer(code, name, segment, collector, terms, credit_limit, currency, email, phone,"
	" language, address) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char sql_invoice[] =
	"INSERT INTO invoice(number, customer_id, kind, issue_date, due_date, currency, amount, open_amount,"
	" po, terms, discount_date, applies_to) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10, ?11)";
static const char sql_payment[] =
	"INSERT INTO payment(reference, date, value_date, amount, currency, method, account, payer_name,"
	" payer_account, remittance, end_to_end_id, entry_ref, source, customer_id, unapplied, imported_at)"
	" VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'demo', ?12, ?3, ?13)";
static const char sql_dispute[] =
	"INSERT INTO dispute(invoice_id, amount, reason, owner, opened, resolved, resolution)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char sql_promise[] =
	"INSERT INTO promise(customer_id, amount, currency, made_date, promised_date, status, settled_date)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char sql_promise_invoice[] = "INSERT INTO promise_invoice(promise_id, invoice_id) VALUES (?1, ?2)";
static const char sql_rate[] = "INSERT INTO rate(currency, date, rate, rate_e9) VALUES (?1, ?2, ?3, ?4)";

static int step(struct writer *w, sqlite3_stmt *st, const char *what, char **cause)
{
	int rc = store_step_done(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? DUN_OK : store_error(w->s, what, cause);
}

static const char *amount_text(money_t amount, const char *currency, char *buf)
{
	char n[MONEY_TEXT_MAX];
	snprintf(buf, MONEY_TEXT_MAX + 8, "%s %s", money_format_grouped(amount, money_exponent(currency), ',', '.', n), currency);
	return buf;
}

/* "INV-2025-000123, INV-2025-000124 and 3 more" */
static void list_text(struct writer *w, const struct sim *s, int first, int n, struct buf *b)
{
	for (int i = 0; i < n && i < LIST_SHOWN; i++)
		buf_printf(b, "%s%s", i ? ", " : "", w->numbers[s->links[first + i]]);
	if (n > LIST_SHOWN)
		buf_printf(b, " and %d more", n - LIST_SHOWN);
}

static const char *const notes_en[NOTES] = {
	"Customer asked for a statement of account; sent by e-mail.",
	"New accounts payable contact; invoices to go to the same mailbox.",
	"Their payment run moves to the middle of the month.",
	"Closed for the holidays for two weeks; payments resume afterwards.",
	"Asked for invoices as PDF only, no paper copies.",
	"Called to check bank details after a fraud attempt on their side; confirmed our IBAN.",
};
static const char *const notes_fr[NOTES] = {
	"Le client demande un relevé de compte ; envoyé par e-mail.",
	"Nouvelle interlocutrice à la comptabilité fournisseurs.",
	"Leurs paiements passent désormais au 15 du mois.",
	"Fermeture annuelle de deux semaines ; règlements à la reprise.",
	"Souhaite recevoir les factures uniquement en PDF.",
	"Appel pour vérifier nos coordonnées bancaires (tentative de fraude chez eux) ; IBAN confirmé.",
};

static void resolution_text(struct writer *w, const struct dispute *d, struct buf *b)
{
	static const char *const texts[] = {
		"delivery note confirms the quantity invoiced",
		"proof of delivery sent, customer accepted it",
		"goods inspected, no defect found",
		"quote confirmed, customer will pay",
		"charge explained, customer will pay",
	};
	if (d->credit >= 0)
		buf_printf(b, "credit note %s issued", w->numbers[d->credit]);
	else
		buf_puts(b, texts[d->reason]);
}

static int write_activity(struct writer *w, const struct sim *s, int64_t customer_id,
    const struct demo_party *party, const struct activity *a, char **cause)
{
	const struct profile *p = &s->p;
	const char *currency = currencies[p->currency].code;
	struct buf text = { 0 };
	char amount[MONEY_TEXT_MAX + 8];
	const char *outcome = NULL;
	bool with_amount = true;
	switch (a->kind) {
	case ACT_EMAIL:
		buf_printf(&text, "Payment reminder e-mailed to %s: %s overdue (", party->email,
		    amount_text(a->amount, currency, amount));
		list_text(w, s, a->first, a->n, &text);
		buf_puts(&text, ")");
		outcome = "sent";
		break;
	case ACT_LETTER:
		buf_printf(&text, "Formal notice sent by registered letter: %s overdue (",
		    amount_text(a->amount, currency, amount));
		list_text(w, s, a->first, a->n, &text);
		buf_puts(&text, ")");
		outcome = "sent";
		break;
	case ACT_CALL:
		outcome = call_outcome_names[a->what];
		switch ((enum call_outcome)a->what) {
		case CALL_PROMISE:
			buf_printf(&text, "Called %s about %s overdue: promise to pay", party->phone, amount_text(a->amount, currency, amount));
			break;
		case CALL_PAYMENT_SENT:
			buf_printf(&text, "Called %s: payment of %s released, expected this week", party->phone,
			    amount_text(a->amount, currency, amount));
			break;
		case CALL_NO_ANSWER:
			buf_printf(&text, "Called %s: no answer", party->phone);
			break;
		case CALL_VOICEMAIL:
			buf_printf(&text, "Called %s: left a voicemail about %s overdue", party->phone,
			    amount_text(a->amount, currency, amount));
			break;
		case CALL_CALL_BACK:
			buf_printf(&text, "Called %s: contact away, call back next week", party->phone);
			break;
		case CALL_COPY:
			buf_puts(&text, "Customer asked for copies of ");
			list_text(w, s, a->first, a->n, &text);
			buf_puts(&text, "; sent by e-mail");
			break;
		}
		break;
	case ACT_PROMISE: {
		const struct promise *pr = &s->promises[a->what];
		char date[DATE_TEXT_MAX];
		buf_printf(&text, "Promise to pay %s by %s (", amount_text(pr->amount, currency, amount),
		    date_format_iso(pr->promised, date));
		list_text(w, s, a->first, a->n, &text);
		buf_puts(&text, ")");
		break;
	}
	case ACT_NOTE:
		with_amount = false;
		if (a->what == NOTE_AGENCY)
			buf_puts(&text, strcmp(party->language, "fr") == 0
			    ? "Client injoignable depuis des mois : dossier transmis au recouvrement contentieux."
			    : "No answer for months: file handed to the collection agency.");
		else
			buf_puts(&text, (strcmp(party->language, "fr") == 0 ? notes_fr : notes_en)[a->what]);
		break;
	case ACT_DISPUTE: {
		const struct dispute *d = &s->disputes[a->what];
		buf_printf(&text, "Dispute on %s: %s", w->numbers[d->item], dispute_texts[d->reason]);
		outcome = dispute_reasons[d->reason];
		break;
	}
	case ACT_RESOLVE: {
		const struct dispute *d = &s->disputes[a->what];
		buf_printf(&text, "Dispute on %s resolved: ", w->numbers[d->item]);
		resolution_text(w, d, &text);
		break;
	}
	}
	if (a->n > w->capids) {
		w->capids = a->n * 2;
		w->ids = xreallocarray(w->ids, (size_t)w->capids, sizeof *w->ids);
	}
	for (int i = 0; i < a->n; i++)
		w->ids[i] = s->items[s->links[a->first + i]].id;
	struct ledger_activity la = {
		.customer_id = customer_id,
		.date = a->date,
		.kind = act_kind_names[a->kind],
		.who = p->collector,
		.text = text.data,
		.outcome = outcome,
		.amount = a->kind == ACT_PROMISE ? s->promises[a->what].amount : a->amount,
		.currency = with_amount ? currency : NULL,
		.invoice_ids = w->ids,
		.ninvoices = a->n,
	};
	int rc = ledger_activity_add(w->s, &la, NULL, cause);
	buf_free(&text);
	if (rc == DUN_OK)
		w->counts->activities++;
	return rc;
}

/* How this customer's bank writes its remittance information. */
enum remittance_style { REM_EXACT, REM_LABELLED, REM_MANGLED, REM_SLASHED, REM_PO, REM_NOTHING, REM_FIRST_ONLY, REM_STYLES };
static const int remittance_weights[REM_STYLES] = { 35, 20, 15, 5, 8, 10, 7 };

/* One invoice number as a payer may have typed it. */
static void mangle_number(struct rng *r, const char *number, struct buf *b)
{
	char prefix[8];
	int year, seq;
	if (sscanf(number, "%7[A-Z]-%d-%d", prefix, &year, &seq) != 3) {
		buf_puts(b, number);
		return;
	}
	switch (rng_range(r, 0, 5)) {
	case 0:
		buf_printf(b, "%s %d %d", prefix, year, seq);
		break;
	case 1:
		buf_printf(b, "%c%c%c%d-%d", prefix[0] | 0x20, prefix[1] | 0x20, prefix[2] ? prefix[2] | 0x20 : 'x', year, seq);
		break;
	case 2:
		buf_printf(b, "%s-%d-%d", prefix, year, seq);
		break;
	case 3:
		buf_printf(b, "%s%d%06d", prefix, year, seq);
		break;
	case 4:
		buf_printf(b, "%d-%06d", year, seq);
		break;
	default:
		buf_printf(b, "%s %d/%06d", prefix, year, seq);
		break;
	}
}

static void remittance_text(struct writer *w, struct rng *r, const struct sim *s, const struct payment *pay,
    enum remittance_style habit, bool french, struct buf *b)
{
	if (pay->state == PAY_ON_ACCOUNT) {
		buf_puts(b, french ? "ACOMPTE ECHEANCIER" : "PAYMENT ON ACCOUNT - PAYMENT PLAN");
		return;
	}
	if (pay->method == METHOD_CHEQUE) {
		buf_printf(b, "REMISE CHEQUE %07" PRId64, rng_range(r, 1000000, 9999999));
		return;
	}
	enum remittance_style style = rng_chance(r, 700) ? habit : (enum remittance_style)rng_pick(r, remittance_weights, REM_STYLES);
	const struct alloc *a = &s->allocs[pay->first];
	if (style == REM_PO && w->pos[a->item][0] == '\0')
		style = REM_EXACT;
	if (style == REM_FIRST_ONLY && pay->n < 2)
		style = REM_LABELLED;
	if (pay->method == METHOD_CARD)
		buf_puts(b, "CB ");
	if (pay->partial)
		buf_puts(b, french ? "ACOMPTE " : "PART PAYMENT ");
	switch (style) {
	case REM_LABELLED:
		buf_puts(b, french ? (pay->n > 1 ? "REGLEMENT FACTURES " : "REGLEMENT FACTURE ")
		    : (pay->n > 1 ? "Invoices " : "Invoice "));
		/* The numbers follow the label, as in REM_EXACT. */
		/* fall through */
	case REM_EXACT:
		for (int i = 0; i < pay->n; i++)
			buf_printf(b, "%s%s", i ? (style == REM_LABELLED ? ", " : " ") : "", w->numbers[a[i].item]);
		break;
	case REM_MANGLED:
		for (int i = 0; i < pay->n; i++) {
			if (i)
				buf_puts(b, " ");
			mangle_number(r, w->numbers[a[i].item], b);
		}
		break;
	case REM_SLASHED:
		for (int i = 0; i < pay->n; i++) {
			int year, seq;
			if (sscanf(w->numbers[a[i].item], "%*[A-Z]-%d-%d", &year, &seq) == 2)
				buf_printf(b, "%sINV/%d/%06d", i ? " " : "", year, seq);
		}
		break;
	case REM_PO:
		buf_printf(b, "%s", w->pos[a->item]);
		break;
	case REM_NOTHING: {
		char date[DATE_TEXT_MAX];
		if (rng_chance(r, 500))
			buf_puts(b, french ? "VIR SEPA FOURNISSEUR" : "SUPPLIER PAYMENT");
		else
			buf_printf(b, "%s %s", french ? "PAIEMENT DU" : "PAYMENT RUN", date_format_iso(pay->date, date));
		break;
	}
	case REM_FIRST_ONLY:
		buf_printf(b, "%s %s %d", w->numbers[a->item], french ? "ET" : "+", pay->n - 1);
		buf_puts(b, french ? " AUTRES" : " MORE");
		break;
	case REM_STYLES:
		break;
	}
	if (b->len > 140) { /* the SEPA remittance field */
		b->len = 140;
		b->data[140] = '\0';
	}
}

static int write_payment(struct writer *w, struct rng *r, const struct sim *s, int index, int64_t customer_id,
    const struct demo_party *party, enum remittance_style habit, char **cause)
{
	const struct payment *pay = &s->pays[index];
	const char *currency = currencies[s->p.currency].code;
	char date[DATE_TEXT_MAX], entry[32], e2e[40], at[32];
	date_format_iso(pay->date, date);
	long n = ++w->entries;
	snprintf(entry, sizeof entry, "%.4s%.2s%.2s%08ld", date, date + 5, date + 8, n);
	const char *reference = entry;
	e2e[0] = '\0';
	if (pay->method == METHOD_TRANSFER) {
		if (rng_chance(r, 700)) {
			snprintf(e2e, sizeof e2e, "E2E%010" PRId64 "%04ld", rng_range(r, 0, 9999999999), n % 10000);
			reference = e2e;
		} else {
			snprintf(e2e, sizeof e2e, "NOTPROVIDED");
		}
	}
	snprintf(at, sizeof at, "%sT07:%02d:00Z", date, (int)(n % 60));
	struct buf remittance = { 0 };
	remittance_text(w, r, s, pay, habit, strcmp(party->language, "fr") == 0, &remittance);
	bool second = party->naccounts > 1 && rng_chance(r, 300);
	sqlite3_stmt *st = store_stmt(w->s, sql_payment);
	store_bind_text(st, 1, reference);
	store_bind_text(st, 2, date);
	sqlite3_bind_int64(st, 3, pay->amount);
	store_bind_text(st, 4, currency);
	store_bind_text(st, 5, method_names[pay->method]);
	store_bind_text(st, 6, currencies[s->p.currency].our_account);
	store_bind_text(st, 7, pay->method == METHOD_CHEQUE ? "" : party->payer);
	store_bind_text(st, 8, pay->method == METHOD_TRANSFER ? party->account[second] : "");
	store_bind_text(st, 9, remittance.data ? remittance.data : "");
	store_bind_text(st, 10, e2e);
	store_bind_text(st, 11, entry);
	if (pay->state != PAY_UNKNOWN_PAYER)
		sqlite3_bind_int64(st, 12, customer_id);
	store_bind_text(st, 13, at);
	int rc = step(w, st, "write a payment", cause);
	buf_free(&remittance);
	if (rc != DUN_OK)
		return rc;
	int64_t id = sqlite3_last_insert_rowid(store_db(w->s));
	w->counts->payments++;
	if (pay->state != PAY_MATCHED)
		return DUN_OK;
	for (int i = pay->first; i < pay->first + pay->n; i++) {
		rc = ledger_allocate_payment(w->s, id, s->items[s->allocs[i].item].id, s->allocs[i].amount, LEDGER_IMPORT, NULL, cause);
		if (rc != DUN_OK)
			return rc;
		w->counts->allocations++;
	}
	return DUN_OK;
}

static void make_po(struct rng *r, const struct profile *p, day_t issue, char *buf, size_t size)
{
	int y, m, d;
	date_to_ymd(issue, &y, &m, &d);
	buf[0] = '\0';
	if (p->segment == SEG_PUBLIC)
		snprintf(buf, size, "BC-%d-%05" PRId64, y, rng_range(r, 1, 99999)); /* a French public order */
	else if ((p->segment == SEG_WHOLESALE || p->segment == SEG_EXPORT) && rng_chance(r, 700))
		snprintf(buf, size, "PO %" PRId64, rng_range(r, 4500000000, 4509999999));
	else if (rng_chance(r, 200))
		snprintf(buf, size, "CMD-%" PRId64, rng_range(r, 10000, 99999));
}

static int write_items(struct writer *w, struct rng *text_rng, struct sim *s, int64_t customer_id, char **cause)
{
	const struct profile *p = &s->p;
	const char *currency = currencies[p->currency].code;
	if (s->nitems > w->capnumbers) {
		w->capnumbers = s->nitems * 2;
		w->numbers = xreallocarray(w->numbers, (size_t)w->capnumbers, sizeof *w->numbers);
		w->pos = xreallocarray(w->pos, (size_t)w->capnumbers, sizeof *w->pos);
	}
	sqlite3_stmt *st = store_stmt(w->s, sql_invoice);
	for (int i = 0; i < s->nitems; i++) {
		struct item *it = &s->items[i];
		char issue[DATE_TEXT_MAX], due[DATE_TEXT_MAX];
		numbering_take(&w->nb, it, w->numbers[i], sizeof w->numbers[i]);
		if (it->credit)
			w->pos[i][0] = '\0';
		else
			make_po(text_rng, p, it->issue, w->pos[i], sizeof w->pos[i]);
		store_bind_text(st, 1, w->numbers[i]);
		sqlite3_bind_int64(st, 2, customer_id);
		store_bind_text(st, 3, it->credit ? "credit_note" : "invoice");
		store_bind_text(st, 4, date_format_iso(it->issue, issue));
		store_bind_text(st, 5, date_format_iso(it->due, due));
		store_bind_text(st, 6, currency);
		sqlite3_bind_int64(st, 7, it->amount);
		store_bind_text(st, 8, w->pos[i]);
		store_bind_text(st, 9, it->credit ? "" : p->terms_text);
		store_bind_date(st, 10, it->credit ? DATE_NONE : terms_discount_date(&p->terms, it->issue));
		store_bind_text(st, 11, it->applies_to >= 0 ? w->numbers[it->applies_to] : "");
		int rc = step(w, st, "write an invoice", cause);
		if (rc != DUN_OK)
			return rc;
		it->id = sqlite3_last_insert_rowid(store_db(w->s));
		if (it->credit)
			w->counts->credit_notes++;
		else
			w->counts->invoices++;
	}
	for (int i = 0; i < s->nallocs; i++) {
		const struct alloc *a = &s->allocs[i];
		if (!a->credit)
			continue;
		int rc = ledger_allocate_credit(w->s, s->items[a->source].id, s->items[a->item].id, a->amount, LEDGER_IMPORT, NULL, cause);
		if (rc != DUN_OK)
			return rc;
		w->counts->allocations++;
	}
	return DUN_OK;
}

static int write_disputes_and_promises(struct writer *w, const struct sim *s, int64_t customer_id, char **cause)
{
	const char *currency = currencies[s->p.currency].code;
	static const char *const owners[] = { "marc", "sophie" }; /* sales, who own the customer relationship */
	for (int i = 0; i < s->ndisputes; i++) {
		const struct dispute *d = &s->disputes[i];
		struct buf resolution = { 0 };
		if (d->resolved != DATE_NONE)
			resolution_text(w, d, &resolution);
		sqlite3_stmt *st = store_stmt(w->s, sql_dispute);
		sqlite3_bind_int64(st, 1, s->items[d->item].id);
		if (d->amount > 0)
			sqlite3_bind_int64(st, 2, d->amount);
		store_bind_text(st, 3, dispute_reasons[d->reason]);
		store_bind_text(st, 4, d->reason == 1 || d->reason == 2 ? s->p.collector : owners[d->item % 2]);
		store_bind_date(st, 5, d->opened);
		store_bind_date(st, 6, d->resolved);
		store_bind_text(st, 7, resolution.data ? resolution.data : "");
		int rc = step(w, st, "write a dispute", cause);
		buf_free(&resolution);
		if (rc != DUN_OK)
			return rc;
		w->counts->disputes++;
	}
	for (int i = 0; i < s->npromises; i++) {
		const struct promise *pr = &s->promises[i];
		sqlite3_stmt *st = store_stmt(w->s, sql_promise);
		sqlite3_bind_int64(st, 1, customer_id);
		sqlite3_bind_int64(st, 2, pr->amount);
		store_bind_text(st, 3, currency);
		store_bind_date(st, 4, pr->made);
		store_bind_date(st, 5, pr->promised);
		store_bind_text(st, 6, promise_status_names[pr->status]);
		store_bind_date(st, 7, pr->settled);
		int rc = step(w, st, "write a promise", cause);
		if (rc != DUN_OK)
			return rc;
		int64_t id = sqlite3_last_insert_rowid(store_db(w->s));
		st = store_stmt(w->s, sql_promise_invoice);
		for (int j = pr->first; j < pr->first + pr->n; j++) {
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, s->items[s->links[j]].id);
			if ((rc = step(w, st, "write a promise", cause)) != DUN_OK)
				return rc;
		}
		w->counts->promises++;
	}
	return DUN_OK;
}

static int write_customer(struct writer *w, struct sim *s, int index, char **cause)
{
	const struct profile *p = &s->p;
	struct rng party_rng, text_rng;
	rng_seed(&party_rng, w->o->seed, (uint64_t)index * STREAMS_PER_CUSTOMER + STREAM_PARTY);
	rng_seed(&text_rng, w->o->seed, (uint64_t)index * STREAMS_PER_CUSTOMER + STREAM_TEXT);
	struct demo_party party;
	demo_party_make(&party_rng, p->country, p->segment == SEG_PUBLIC, &party);
	char code[16];
	snprintf(code, sizeof code, "C%05d", index + 1);
	sqlite3_stmt *st = store_stmt(w->s, sql_customer);
	store_bind_text(st, 1, code);
	store_bind_text(st, 2, party.name);
	store_bind_text(st, 3, segment_names[p->segment]);
	store_bind_text(st, 4, p->collector);
	store_bind_text(st, 5, p->terms_text);
	sqlite3_bind_int64(st, 6, p->credit_limit);
	store_bind_text(st, 7, currencies[p->currency].code);
	store_bind_text(st, 8, party.email);
	store_bind_text(st, 9, party.phone);
	store_bind_text(st, 10, party.language);
	store_bind_text(st, 11, party.address);
	int rc = step(w, st, "write a customer", cause);
	if (rc != DUN_OK)
		return rc;
	int64_t customer_id = sqlite3_last_insert_rowid(store_db(w->s));
	w->counts->customers++;
	if (w->o->behaviour != NULL)
		w->o->behaviour(w->o->behaviour_arg, code, behaviour_names[p->behaviour]);
	if ((rc = write_items(w, &text_rng, s, customer_id, cause)) != DUN_OK)
		return rc;
	enum remittance_style habit = (enum remittance_style)rng_pick(&text_rng, remittance_weights, REM_STYLES);
	for (int i = 0; i < s->npays; i++)
		if ((rc = write_payment(w, &text_rng, s, i, customer_id, &party, habit, cause)) != DUN_OK)
			return rc;
	if ((rc = write_disputes_and_promises(w, s, customer_id, cause)) != DUN_OK)
		return rc;
	for (int i = 0; i < s->nacts; i++)
		if ((rc = write_activity(w, s, customer_id, &party, &s->acts[i], cause)) != DUN_OK)
			return rc;
	return DUN_OK;
}

static int currency_index(const char *code)
{
	for (int i = 0; i < COUNT(currencies); i++)
		if (strcmp(currencies[i].code, code) == 0)
			return i;
	return -1;
}

/* Daily rates (on weekdays, as central banks publish them) of every demo
 * currency in the base currency, wandering around their starting value. */
static int write_rates(struct writer *w, day_t start, day_t today, char **cause)
{
	int base = currency_index(w->o->base_currency);
	struct rng r;
	rng_seed(&r, w->o->seed, STREAM_RATES);
	int64_t value[COUNT(currencies)];
	for (int c = 0; c < COUNT(currencies); c++)
		value[c] = currencies[c].eur_micro;
	sqlite3_stmt *st = store_stmt(w->s, sql_rate);
	for (day_t d = start - 7; d <= today; d++) {
		if (date_weekday(d) >= 5)
			continue;
		for (int c = 0; c < COUNT(currencies); c++)
			value[c] += (int64_t)(rng_gauss(&r) * (double)currencies[c].wobble_micro)
			    + (currencies[c].eur_micro - value[c]) / 100;
		char date[DATE_TEXT_MAX], text[32];
		date_format_iso(d, date);
		for (int c = 0; c < COUNT(currencies); c++) {
			if (c == base)
				continue;
			int64_t micro = (value[c] * 1000000 + value[base] / 2) / value[base];
			snprintf(text, sizeof text, "%" PRId64 ".%06" PRId64, micro / 1000000, micro % 1000000);
			store_bind_text(st, 1, currencies[c].code);
			store_bind_text(st, 2, date);
			store_bind_text(st, 3, text);
			sqlite3_bind_int64(st, 4, micro * 1000);
			int rc = step(w, st, "write a rate", cause);
			if (rc != DUN_OK)
				return rc;
			w->counts->rates++;
		}
	}
	return DUN_OK;
}

/* True when path holds a ledger marked as a demo. Read with SQLite
 * directly, not through store_open, so that a demo of an older schema can
 * still be recognised and replaced. */
static bool is_demo_ledger(const char *path)
{
	sqlite3 *db;
	bool demo = false;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, "SELECT value FROM setting WHERE key = ?1", -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, DEMO_SETTING, -1, SQLITE_STATIC);
			demo = sqlite3_step(st) == SQLITE_ROW;
			sqlite3_finalize(st);
		}
	}
	sqlite3_close(db);
	return demo;
}

/* Removes a ledger file and its WAL companions; a missing one is fine. */
static int remove_ledger_files(const char *path, char **cause)
{
	static const char *const suffixes[] = { "-wal", "-shm", "" };
	for (int i = 0; i < COUNT(suffixes); i++) {
		char *name = xasprintf("%s%s", path, suffixes[i]);
		int failed = unlink(name) != 0 && errno != ENOENT;
		int e = errno;
		free(name);
		if (failed)
			return dun_fail(cause, DUN_EDB, "%s%s: cannot remove: %s", path, suffixes[i], strerror(e));
	}
	return DUN_OK;
}

/* The build writes a file nobody else knows of yet, discarded if
 * anything fails: it may skip the rollback journal and the fsyncs and keep
 * a large cache, which takes a 50,000-customer ledger from hours to
 * minutes. A real ledger never runs like this, and the demo is switched
 * back to WAL before it takes its name. */
static const char build_pragmas[] =
	"PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;"
	" PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY;";
static const char final_pragmas[] = "PRAGMA locking_mode = NORMAL; PRAGMA journal_mode = WAL;";

static int exec_sql(struct store *s, const char *sql, char **cause)
{
	if (sqlite3_exec(store_db(s), sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_error(s, "build the demo ledger", cause);
	return DUN_OK;
}

/* Both passes over the customers; see the head of this file. */
static int fill(struct writer *w, day_t start, char **cause)
{
	const struct demo_options *o = w->o;
	struct sim sim = { 0 };
	numbering_init(&w->nb, start, o->today);
	for (int i = 0; i < o->customers; i++) {
		simulate(&sim, o->seed, i, start, o->today);
		numbering_count(&w->nb, &sim);
	}
	numbering_finish(&w->nb);

	char seed[24];
	snprintf(seed, sizeof seed, "%" PRIu64, o->seed);
	int rc = store_begin(w->s, cause);
	if (rc == DUN_OK)
		rc = store_setting_set(w->s, DEMO_SETTING, seed, cause);
	if (rc == DUN_OK)
		rc = write_rates(w, start, o->today, cause);
	for (int i = 0; i < o->customers && rc == DUN_OK; i++) {
		simulate(&sim, o->seed, i, start, o->today);
		rc = write_customer(w, &sim, i, cause);
		if (rc == DUN_OK && (i + 1) % CUSTOMERS_PER_COMMIT == 0 && i + 1 < o->customers) {
			if ((rc = store_commit(w->s, cause)) == DUN_OK)
				rc = store_begin(w->s, cause);
			if (o->progress != NULL)
				o->progress(o->progress_arg, i + 1, o->customers);
		}
	}
	if (rc == DUN_OK)
		rc = store_commit(w->s, cause);
	sim_free(&sim);
	numbering_free(&w->nb);
	free(w->numbers);
	free(w->pos);
	free(w->ids);
	return rc;
}

int demo_build(const char *path, const struct demo_options *o, struct demo_counts *counts, char **cause)
{
	memset(counts, 0, sizeof *counts);
	if (o->customers < 1 || o->customers > DEMO_MAX_CUSTOMERS)
		return dun_fail(cause, DUN_EUSAGE, "--customers \"%d\": expected 1 to %d", o->customers, DEMO_MAX_CUSTOMERS);
	if (currency_index(o->base_currency) < 0)
		return dun_fail(cause, DUN_EDATA, "base currency \"%s\": the demo ledger has rates for EUR, USD, GBP and CHF only",
		    o->base_currency);
	struct stat sb;
	if (lstat(path, &sb) == 0 && (!S_ISREG(sb.st_mode) || !is_demo_ledger(path)))
		return dun_fail(cause, DUN_EDATA, "%s: not a demo ledger: refusing to replace it (give another --db PATH)", path);

	char *tmp = xasprintf("%s.building-%ld", path, (long)getpid());
	int rc = remove_ledger_files(tmp, cause);
	struct store *s = NULL;
	if (rc == DUN_OK)
		rc = store_open(tmp, STORE_CREATE, &s, cause);
	if (rc == DUN_OK)
		rc = scenario_install_defaults(s, cause);
	if (rc == DUN_OK)
		rc = exec_sql(s, build_pragmas, cause);
	if (rc == DUN_OK) {
		struct writer w = { .s = s, .o = o, .counts = counts };
		day_t start = date_add_months(first_of_month(o->today), -HISTORY_MONTHS);
		rc = fill(&w, start, cause);
	}
	if (rc == DUN_OK)
		rc = exec_sql(s, final_pragmas, cause);
	store_close(s);
	if (rc == DUN_OK)
		rc = remove_ledger_files(path, cause);
	if (rc == DUN_OK && rename(tmp, path) != 0)
		rc = dun_fail(cause, DUN_EDB, "%s: cannot rename to %s: %s", tmp, path, strerror(errno));
	if (rc != DUN_OK) {
		char *ignored = NULL;
		remove_ledger_files(tmp, &ignored);
		free(ignored);
	}
	free(tmp);
	return rc;
}
