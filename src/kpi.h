/* Collection KPIs at an as-of date D over a period of P days (SPEC §6):
 * DSO and its best-possible and average-days-delinquent split, countback
 * DSO, the collection effectiveness index, payment delays and the average
 * receivable. Amounts are in the base currency; flows over the period are
 * converted at the rates of D (constant rates, so that a currency move is
 * not read as a collection), and every figure is rounded once. */
#ifndef DUN_KPI_H
#define DUN_KPI_H
#include <stddef.h>
#include <stdint.h>
#include "date.h"
#include "money.h"
#include "store.h"

enum kpi_kind {
	KPI_MONEY,   /* base-currency amount */
	KPI_DAYS,    /* one decimal */
	KPI_RATIO,   /* fraction, four decimals */
	KPI_PERCENT, /* one decimal */
};

/* The metrics, in the order of SPEC §6 and of `dun kpi`. */
#define KPI_LIST(X) \
	X(KPI_AR, "ar", KPI_MONEY) \
	X(KPI_AR_CURRENT, "ar_current", KPI_MONEY) \
	X(KPI_AR_OVERDUE, "ar_overdue", KPI_MONEY) \
	X(KPI_OVERDUE_RATIO, "overdue_ratio", KPI_RATIO) \
	X(KPI_SALES, "sales", KPI_MONEY) \
	X(KPI_DSO, "dso", KPI_DAYS) \
	X(KPI_BPDSO, "bpdso", KPI_DAYS) \
	X(KPI_ADD, "add", KPI_DAYS) \
	X(KPI_COUNTBACK_DSO, "countback_dso", KPI_DAYS) \
	X(KPI_CEI, "cei", KPI_PERCENT) \
	X(KPI_ADP, "adp", KPI_DAYS) \
	X(KPI_AVG_DAYS_LATE, "avg_days_late", KPI_DAYS) \
	X(KPI_AR_AVERAGE, "ar_average", KPI_MONEY)

enum kpi_id {
#define X(id, name, kind) id,
	KPI_LIST(X)
#undef X
	KPI_COUNT
};

/* A money metric is amount; the others are num / den, n/a when den is 0. */
struct kpi_value {
	money_t amount;
	int64_t num, den;
};

struct kpi_result {
	char currency[4];
	int exponent;
	struct kpi_value value[KPI_COUNT];
};

struct kpi_options {
	day_t as_of;
	int period;                /* days, default 90 */
	const char *base_currency;
};

int kpi_compute(struct store *s, const struct kpi_options *o, struct kpi_result *r, char **cause);
const char *kpi_name(enum kpi_id id);
enum kpi_kind kpi_kind(enum kpi_id id);
/* The value as `dun kpi` writes it ("47.2", "0.3120", "1234.50"), or NULL
 * when it is n/a. buf holds at least 48 bytes. */
const char *kpi_format(const struct kpi_result *r, enum kpi_id id, char *buf, size_t size);
#endif
