/* Fuzz target: the CSV reader on arbitrary bytes, as UTF-8 and as cp1252
 * (the first input byte chooses). Records must come with line numbers that
 * never go back and never pass the file's last line. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "csv_reader.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char path[] = "/tmp/dun-fuzz-csv.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		abort();
	if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		abort();
	close(fd);
	long lines = 1;
	for (size_t i = 1; i < size; i++)
		lines += data[i] == '\n';
	struct csv_reader *r;
	char *cause = NULL;
	if (csv_reader_open(path, data[0] & 1 ? "cp1252" : NULL, &r, &cause) == DUN_OK) {
		struct csv_record *rec;
		long last = 0;
		while (csv_reader_next(r, &rec, &cause) == DUN_OK && rec != NULL) {
			if (rec->line < last || rec->line > lines || rec->nfields < 1)
				abort();
			for (int i = 0; i < rec->nfields; i++)
				if (strlen(rec->fields[i]) > rec->lengths[i])
					abort();
			last = rec->line;
		}
		csv_reader_close(r);
	}
	free(cause);
	unlink(path);
	return 0;
}
