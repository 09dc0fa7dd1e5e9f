/* The dunning run (SPEC §7): which scenario step each open invoice is due
 * for as of a date, grouped into one action per customer, and taking an
 * action: the invoices move on, the step is logged, an activity is
 * recorded and e-mails and letters are queued in the outbox, all in one
 * transaction per customer so a killed run leaves whole actions or none.
 *
 * The rules, per customer and as of D:
 * - a customer on hold (customer.on_hold: collection paused, e.g. a key
 *   account handled by sales, or insolvency proceedings) takes no step and
 *   lists no escalation;
 * - an invoice takes part when it is open, issued by D, and not paused at D
 *   by a dispute or by a promise open at D (promise_status_at) that
 *   covers it, or covers the whole account;
 * - its next step is the first after invoice.dunning_step (the last one
 *   taken) — a negative-offset step is only taken before the due date
 *   (D < due date), later the invoice passes over it — and is due when
 *   due date + offset <= D
 *   and the open amount is at least the step's minimum;
 * - no action when the customer is snoozed until D or later, or its last
 *   step was taken on D or less than min_gap_days before D;
 * - otherwise one action: the most advanced due step, covering every
 *   invoice with a due step, each moving to its own next step only.
 * A dispute or promise only pauses an invoice, and a hold a customer, so
 * it comes back at the step it had reached. */
#ifndef DUN_DUNNING_H
#define DUN_DUNNING_H
#include <stdbool.h>
#include <stdint.h>
#include "config.h"
#include "date.h"
#include "money.h"
#include "scenario.h"
#include "store.h"

struct dunning_row {
	int64_t invoice_id;
	char *number;
	const struct scenario_step *step; /* the invoice's own next step */
	int days_overdue;                 /* 0 when not yet due */
	money_t amount, open;
	char currency[4];
	day_t issue_date, due_date;
};

struct dunning_action {
	int64_t customer_id;
	char *code, *name, *email, *language;
	const struct scenario *scenario;
	const struct scenario_step *step; /* the most advanced due step */
	int first_row, nrows;             /* in the plan's rows, by invoice number */
	money_t overdue;                  /* the customer's overdue amount in currency */
	char currency[4];                 /* the customer's currency */
};

/* An invoice past its scenario's max_amicable_days. */
struct dunning_escalation {
	int64_t invoice_id;
	char *customer, *number, *scenario;
	int days_overdue;
	money_t open;
	char currency[4];
};

/* Everything points into the plan; dunning_plan_free frees it. */
struct dunning_plan {
	day_t as_of;
	struct scenario_set scenarios;
	struct dunning_row *rows;
	int nrows;
	struct dunning_action *actions;   /* by customer code */
	int nactions;
	struct dunning_escalation *escalations; /* by customer code, invoice number */
	int nescalations;
};

/* Computes the plan as of as_of for every customer, or only customer_id
 * when it is not 0. Reads only. */
int dunning_plan_compute(struct store *s, const struct config *cfg, day_t as_of, int64_t customer_id,
    struct dunning_plan *plan, char **cause);
void dunning_plan_free(struct dunning_plan *plan);

/* A run (SPEC §3, §7): computes the plan as of as_of and takes every
 * action in one transaction, so that it happens whole or not at all, also
 * when the process is killed. The plan is computed under the write lock,
 * so no other run can take a step in between; *plan holds what was taken
 * (the caller frees it, also on failure). */
int dunning_run(struct store *s, const struct config *cfg, day_t as_of, struct dunning_plan *plan, char **cause);

/* Pauses a customer's dunning until (and including) until, with a reason
 * (DATE_NONE lifts it), and records it as an activity dated today, in one
 * transaction. An unknown customer is DUN_EDATA. */
int dunning_snooze(struct store *s, const char *code, day_t until, const char *reason, day_t today, char **cause);

/* Customers with a call or task step to do on as_of: taken by a run on
 * that day, or due now and not yet taken. For the call list. */
struct dunning_call {
	int64_t customer_id;
	char *label;          /* the step's name, e.g. "call-1" */
	char *scenario;
	int step;             /* 1-based position */
	bool task;            /* a task step, not a call */
	bool taken;           /* logged by a run on as_of */
};
int dunning_calls_due(struct store *s, const struct config *cfg, day_t as_of,
    struct dunning_call **calls, int *ncalls, char **cause);
void dunning_calls_free(struct dunning_call *calls, int ncalls);
#endif
