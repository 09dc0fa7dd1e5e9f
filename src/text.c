/* UTF-8 decoding and display width. Widths come from our own table (after
 * Markus Kuhn's wcwidth) rather than the C library's, so output does not
 * depend on the user's locale. */
#include "text.h"
#include <string.h>

int text_decode(const char *str, size_t len, int *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	int n, c;
	if (len == 0) {
		*cp = -1;
		return 1;
	}
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		*cp = -1;
		return 1;
	}
	if ((size_t)n > len) {
		*cp = -1;
		return 1;
	}
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = -1;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlongs, surrogates and values past U+10FFFF are invalid. */
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff)) {
		*cp = -1;
		return 1;
	}
	*cp = c;
	return n;
}

bool text_utf8_valid(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		int cp;
		i += text_decode(s + i, len - i, &cp);
		if (cp < 0)
			return false;
	}
	return true;
}

struct range {
	int first, last;
};

static const struct range zero_width[] = {
	{0x0300, 0x036f}, {0x0483, 0x0489}, {0x0591, 0x05bd}, {0x0610, 0x061a},
	{0x064b, 0x065f}, {0x0e31, 0x0e31}, {0x0e34, 0x0e3a}, {0x1ab0, 0x1aff},
	{0x1dc0, 0x1dff}, {0x200b, 0x200f}, {0x202a, 0x202e}, {0x2060, 0x2064},
	{0x20d0, 0x20ff}, {0xfe00, 0xfe0f}, {0xfe20, 0xfe2f}, {0xfeff, 0xfeff},
};

static const struct range wide[] = {
	{0x1100, 0x115f}, {0x2e80, 0x303e}, {0x3041, 0x33ff}, {0x3400, 0x4dbf},
	{0x4e00, 0x9fff}, {0xa000, 0xa4cf}, {0xac00, 0xd7a3}, {0xf900, 0xfaff},
	{0xfe30, 0xfe4f}, {0xff00, 0xff60}, {0xffe0, 0xffe6}, {0x1f300, 0x1f64f},
	{0x1f900, 0x1f9ff}, {0x20000, 0x2fffd}, {0x30000, 0x3fffd},
};

static bool in_ranges(int cp, const struct range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= r[i].first && cp <= r[i].last)
			return true;
	return false;
}

int text_cp_width(int cp)
{
	if (in_ranges(cp, zero_width, sizeof zero_width / sizeof zero_width[0]))
		return 0;
	if (in_ranges(cp, wide, sizeof wide / sizeof wide[0]))
		return 2;
	return 1;
}

static bool is_control(int cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

int text_width(const char *s)
{
	size_t len = strlen(s), i = 0;
	int w = 0;
	while (i < len) {
		int cp;
		i += text_decode(s + i, len - i, &cp);
		w += (cp < 0 || is_control(cp)) ? 1 : text_cp_width(cp);
	}
	return w;
}

void text_fit(struct buf *b, const char *s, int width, bool right)
{
	if (width <= 0)
		return;
	if (s == NULL)
		s = "";
	struct buf cut = {0};
	size_t len = strlen(s), i = 0;
	int used = 0;
	bool truncated = text_width(s) > width;
	int room = truncated ? width - 1 : width;
	while (i < len) {
		int cp;
		int n = text_decode(s + i, len - i, &cp);
		bool bad = cp < 0 || is_control(cp);
		int w = bad ? 1 : text_cp_width(cp);
		if (used + w > room)
			break;
		if (bad)
			buf_putc(&cut, '?');
		else
			buf_add(&cut, s + i, (size_t)n);
		used += w;
		i += (size_t)n;
	}
	if (truncated) {
		buf_putc(&cut, '~');
		used++;
	}
	if (right)
		for (; used < width; used++)
			buf_putc(b, ' ');
	if (cut.len)
		buf_add(b, cut.data, cut.len);
	if (!right)
		for (; used < width; used++)
			buf_putc(b, ' ');
	buf_free(&cut);
}

char *text_sanitize(const char *s)
{
	struct buf b = {0};
	size_t len = strlen(s), i = 0;
	while (i < len) {
		int cp;
		int n = text_decode(s + i, len - i, &cp);
		if (cp < 0 || is_control(cp))
			buf_putc(&b, '?');
		else
			buf_add(&b, s + i, (size_t)n);
		i += (size_t)n;
	}
	return buf_take(&b);
}
