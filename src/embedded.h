/* Data files compiled into the binary (schema migrations, default scenarios,
 * templates), generated from data/ by scripts/embed.sh. */
#ifndef DUN_EMBEDDED_H
#define DUN_EMBEDDED_H
#include <stddef.h>

struct embedded_file {
	const char *path; /* relative to data/, e.g. "migrations/001-init.sql" */
	const char *data; /* NUL-terminated */
	size_t size;
};
/* Terminated by an entry whose path is NULL. */
extern const struct embedded_file embedded_files[];
/* The file at path, or NULL. */
const struct embedded_file *embedded_find(const char *path);
#endif
