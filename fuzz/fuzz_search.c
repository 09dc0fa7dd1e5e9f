/* Fuzz target: a user's search pattern (the workstation's '/'). Input is
 * "PATTERN\nSUBJECT"; the pattern is compiled with the user limits and run
 * on the subject and on subjects built to make backtracking explode, so a
 * catastrophic pattern must come back (the -timeout of the run) rather
 * than hang. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "user_regex.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t plen = nl ? (size_t)(nl - data) : size;
	char *pattern = xstrndup((const char *)data, plen);
	char why[256];
	struct user_regex *r = user_regex_compile(pattern, why, sizeof why);
	if (r == NULL) {
		if (why[0] == '\0')
			abort();
	} else {
		if (nl != NULL)
			user_regex_match(r, (const char *)nl + 1, size - plen - 1);
		char subject[4096];
		memset(subject, 'a', sizeof subject - 1);
		subject[sizeof subject - 1] = '!';
		user_regex_match(r, subject, sizeof subject);
		user_regex_match(r, "ÉVIAN \xff\xfe caf\xc3\xa9 F-2024-0001", 27);
		user_regex_match(r, "", 0);
	}
	user_regex_free(r);
	free(pattern);
	return 0;
}
