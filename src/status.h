/* Status codes shared by the core and the front ends. The value is the
 * process exit status of SPEC §4. Functions that can fail return one and,
 * through a `char **cause` argument, a message the caller frees. */
#ifndef DUN_STATUS_H
#define DUN_STATUS_H

#define DUN_STATUS_LIST(X) \
	X(DUN_OK, 0, "done") \
	X(DUN_EDATA, 1, "bad data or unknown object") \
	X(DUN_EUSAGE, 2, "bad usage") \
	X(DUN_EDB, 3, "database problem")

enum dun_status {
#define X(name, value, text) name = value,
	DUN_STATUS_LIST(X)
#undef X
};

/* Sets *cause (if cause is not NULL and *cause is NULL: the first error
 * wins) to a formatted message and returns status. */
int dun_fail(char **cause, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
