/* Edits of a customer's mutable fields (contacts, collector, segment,
 * credit limit, terms, on hold) with optimistic concurrency: an edit names the
 * version it was made on, and is refused when the row has changed since,
 * so that two collectors editing at once never lose an update silently. */
#ifndef DUN_CUSTOMER_H
#define DUN_CUSTOMER_H
#include <stdbool.h>
#include <stdint.h>
#include "date.h"
#include "money.h"
#include "store.h"

#define CUSTOMER_FIELD_LIST(X) \
	X(email) \
	X(phone) \
	X(collector) \
	X(segment) \
	X(terms)

struct customer_edit {
	int64_t customer_id;
	int64_t version;          /* customer.version as read before editing */
#define X(name) const char *name;
	CUSTOMER_FIELD_LIST(X)
#undef X
	money_t credit_limit;     /* minor units of the customer's currency */
	bool on_hold;             /* collection paused: no dunning, off the call list */
	day_t today;              /* the activity's date */
	const char *who;
};

/* Reads the editable fields and version of a customer into e (strings
 * owned by e, freed with customer_edit_free). DUN_EDATA when absent. */
int customer_edit_load(struct store *s, int64_t customer_id, struct customer_edit *e, char **cause);
void customer_edit_free(struct customer_edit *e);
/* Writes the edit and an "edit" activity naming each changed field, in
 * one transaction. Refuses with DUN_EDATA bad terms, a negative limit, or
 * a version that is no longer current (someone else changed the customer). */
int customer_update(struct store *s, const struct customer_edit *e, char **cause);
#endif
