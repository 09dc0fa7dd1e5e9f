/* Runs a fuzz target over files without libFuzzer, so every build replays
 * the seed corpora (and every crash once found) as a regression test.
 * Usage: fuzz_NAME FILE|DIR... */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		perror(path);
		return 1;
	}
	struct buf b = {0};
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	/* A copy of exactly the file's size, so ASan sees reads past its end. */
	uint8_t *data = xmalloc(b.len);
	if (b.len)
		memcpy(data, b.data, b.len);
	LLVMFuzzerTestOneInput(data, b.len);
	free(data);
	buf_free(&b);
	return 0;
}

int main(int argc, char **argv)
{
	int failures = 0, runs = 0;
	for (int i = 1; i < argc; i++) {
		struct stat sb;
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *e;
			while (d && (e = readdir(d)) != NULL) {
				if (e->d_name[0] == '.')
					continue;
				char *path = xasprintf("%s/%s", argv[i], e->d_name);
				failures += run_file(path);
				runs++;
				free(path);
			}
			if (d)
				closedir(d);
		} else {
			failures += run_file(argv[i]);
			runs++;
		}
	}
	printf("%d inputs\n", runs);
	return failures ? 1 : 0;
}
