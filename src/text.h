/* UTF-8 text for humans: display width (accents, CJK), cutting and padding
 * by columns, and stripping control characters before drawing. */
#ifndef DUN_TEXT_H
#define DUN_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include "xalloc.h"

/* True when s is valid UTF-8 (no overlongs, no surrogates). */
bool text_utf8_valid(const char *s, size_t len);
/* Columns s takes on a terminal; invalid bytes and controls count 1 as
 * they are drawn as '?'. */
int text_width(const char *s);
/* Appends s to b cut to at most width columns and padded with spaces to
 * exactly width (right-aligned when right is true). Control characters
 * and invalid bytes become '?'. A cut string ends with '~' when cut. */
void text_fit(struct buf *b, const char *s, int width, bool right);
/* A copy of s with control characters (C0, DEL, C1, escape sequences'
 * introducers) and invalid bytes replaced by '?'. Caller frees. */
char *text_sanitize(const char *s);
/* Decodes one UTF-8 code point at s (len bytes available); returns the
 * number of bytes used (at least 1) and sets *cp, or -1 in *cp when the
 * bytes are invalid. */
int text_decode(const char *s, size_t len, int *cp);
/* Display columns of a code point: 0, 1 or 2. */
int text_cp_width(int cp);
#endif
