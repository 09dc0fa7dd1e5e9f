/* Customer risk (SPEC §8): a score 0-100 and a class A-E per customer from
 * its own payment history, with the factors that made it, a payer profile
 * and the learned payment delay that the forecast uses.
 *
 * The score is 100 x the probability that the customer's next invoice is
 * paid more than 30 days late, from a logistic regression over the
 * features below, fitted on the ledger itself (each past invoice against
 * its customer's features as known at its issue date). The history is read
 * into memory once (risk_history_load: one pass per table) for the
 * evaluation, the forecast and partial rescoring; the batch run
 * (risk_score_all) streams it one customer at a time instead, in bounded
 * memory, with the same figures. Results are written in one transaction. */
#ifndef DUN_RISK_H
#define DUN_RISK_H
#include <stdbool.h>
#include <stdint.h>
#include "date.h"
#include "money.h"
#include "store.h"

/* The model's features, in this order everywhere (X-macro: the name used
 * in risk.factors, then what it measures). */
#define RISK_FEATURE_LIST(X) \
	X(days_late, "recency-weighted days late of paid invoices, shrunk toward the segment") \
	X(late_share, "recency-weighted share of invoices paid (or still open) more than 30 days late, shrunk") \
	X(overdue_limit, "overdue amount / credit limit") \
	X(oldest_overdue, "age in days of the oldest overdue invoice") \
	X(broken_promises, "promises broken in the last 365 days") \
	X(open_disputes, "open disputes") \
	X(trend, "days late over the last 90 days minus over the last 365") \
	X(silence, "days without a payment while overdue") \
	X(thin_history, "weight of the segment in the shrunk figures (1 = no history)")

enum risk_feature {
#define X(name, help) RISK_F_##name,
	RISK_FEATURE_LIST(X)
#undef X
	RISK_NFEATURES
};

/* A customer's features as known at a date, and the figures around them. */
struct risk_features {
	double x[RISK_NFEATURES];
	double delay;          /* expected days after due (paid invoices only, shrunk) */
	double late_sd;        /* spread of days late, for the profile */
	int known;             /* invoices whose ">30 days late" is known at the date */
	money_t overdue;       /* open past due at the date, customer's currency */
	money_t open;          /* open at the date, customer's currency */
};

enum risk_profile { RISK_PROMPT, RISK_SLOW, RISK_ERRATIC, RISK_DETERIORATING, RISK_RISKY };

/* Progress: called now and then with done out of total customers, rows
 * or invoices; returning false cancels the work (the function then returns
 * DUN_EDB with cause "cancelled" and writes nothing). May be NULL. */
typedef bool (*risk_progress_fn)(void *arg, const char *stage, int done, int total);

/* The ledger's history in memory, grouped by customer. Opaque. */
struct risk_history;
/* fitted coefficients on standardised features plus the standardisation */
struct risk_model;


/* Reads the history of every customer (ids NULL) or of the n given ones,
 * in one ordered pass per table, as it stands at today (the date known
 * for "open now"), reporting stage "reading" to progress (may be NULL).
 * The caller frees with risk_history_free. */
int risk_history_load(struct store *s, day_t today, const int64_t *ids, int n,
    risk_progress_fn progress, void *arg, struct risk_history **out, char **cause);
void risk_history_free(struct risk_history *h);
int risk_history_count(const struct risk_history *h);  /* customers */
int64_t risk_history_customer_id(const struct risk_history *h, int index);
/* Index of a customer id in h, or -1. */
int risk_history_find(const struct risk_history *h, int64_t customer_id);

/* Features of customer index c as known at date `at` (only invoices issued,
 * payments made, promises broken and disputes opened by then). Segment
 * figures for the shrinkage come from model when given (a partial
 * history has no segments of its own), else from h. */
void risk_features_at(const struct risk_history *h, const struct risk_model *model,
    int c, day_t at, struct risk_features *f);

/* When an invoice of customer c, open at `at` and due on `due`, is
 * expected to be paid, for a customer whose learned delay is `delay` days
 * (risk_features.delay): due + delay while that is still ahead; for an
 * invoice already later than that, the mean extra wait of the customer's
 * own invoices that were once as late (paid before `at`), else as long
 * again as it is already late. Never before at. */
day_t risk_expected_payment(const struct risk_history *h, int c, day_t at, day_t due, double delay);

/* Fits the model on h's invoices with an outcome known at h's today
 * (issued before `until`, or DATE_NONE for all). Never fails: with no
 * data it is the prior model. The caller frees with risk_model_free. */
struct risk_model *risk_model_fit(const struct risk_history *h, day_t until,
    risk_progress_fn progress, void *arg);
void risk_model_free(struct risk_model *m);
/* Probability that an invoice issued now is paid > 30 days late. */
double risk_model_predict(const struct risk_model *m, const struct risk_features *f);

/* One customer's result. */
#define RISK_FACTORS_MAX 160
struct risk_result {
	int64_t customer_id;
	int score;                 /* 0-100 */
	char class;                /* 'A'..'E' */
	enum risk_profile profile;
	int expected_delay;        /* days after due */
	char factors[RISK_FACTORS_MAX]; /* "days_late=+1.32;silence=+0.40", largest first */
	struct risk_features features;
};
void risk_result_compute(const struct risk_history *h, const struct risk_model *m,
    int c, day_t today, struct risk_result *r);
const char *risk_profile_name(enum risk_profile p);
/* False when name is none of the profiles' names. */
bool risk_profile_parse(const char *name, enum risk_profile *out);
char risk_class_for(int score);

/* Scores every customer of h and writes the risk table in one transaction
 * (replacing the rows of those customers). */
int risk_store_results(struct store *s, const struct risk_history *h, const struct risk_model *m,
    day_t today, risk_progress_fn progress, void *arg, char **cause);

/* The batch run of `dun score` and of the background thread: read the
 * ledger twice (segment figures, then each customer's rows in turn), fit,
 * score, write; memory does not grow with the ledger. *model_out (may be NULL) keeps the fitted model for
 * later partial rescoring; counts[5] (may be NULL) gets customers per
 * class. */
int risk_score_all(struct store *s, day_t today, risk_progress_fn progress, void *arg,
    struct risk_model **model_out, int counts[5], char **cause);
/* Rescores only the given customers with an earlier model. */
int risk_score_customers(struct store *s, day_t today, const struct risk_model *m,
    const int64_t *ids, int n, char **cause);

/* `dun score --evaluate`: time-based hold-out. The last quarter of the
 * invoices with a known outcome (by issue date) is the test set; the model
 * is fitted on earlier invoices whose outcome was known at the cut-off. */
#define RISK_DECILES 10
struct risk_evaluation {
	day_t cutoff;
	int train, test;
	double positive_rate;      /* in the test set */
	double auc_model, auc_baseline;
	double brier_model;
	int decile_n[RISK_DECILES];
	double decile_predicted[RISK_DECILES], decile_observed[RISK_DECILES];
};
int risk_evaluate(struct store *s, day_t today, struct risk_evaluation *e, char **cause);

/* Area under the ROC curve of scores against 0/1 labels (ties count half);
 * 0.5 when one class is empty. Exposed for tests. */
double risk_auc(const double *score, const unsigned char *label, int n);
#endif
