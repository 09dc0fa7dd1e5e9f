/* Excel workbooks with libxlsxwriter: the statement of account and the
 * aging workbook. Styles are made once per workbook; every libxlsxwriter
 * call's result is kept (the first error wins, as with ferror) and checked
 * before the file is renamed into place. */
#include "xlsx.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zlib.h>
#include "aging.h"
#include "calllist.h"
#include "money.h"
#include "status.h"
#include "text.h"
#include "xalloc.h"

#define EXP_MAX 4          /* largest ISO 4217 exponent (UYW) */
#define MAX_COLS 32
#define WIDTH_MAX 60       /* columns wider than this would not print */
#define CELL_TEXT_MAX 32000 /* below Excel's 32,767 characters a cell holds */

/* Statement labels, English and French (the customer's language). */
#define LABELS(X) \
	X(TITLE, "Statement of account", "Relevé de compte") \
	X(SHEET, "Statement", "Relevé") \
	X(DATE, "Statement date", "Date du relevé") \
	X(CUSTOMER, "Customer", "Client") \
	X(ADDRESS, "Address", "Adresse") \
	X(CURRENCY, "Currency", "Devise") \
	X(DOCUMENT, "Document", "Pièce") \
	X(ISSUE, "Issue date", "Date") \
	X(DUE, "Due date", "Échéance") \
	X(DAYS, "Days overdue", "Jours de retard") \
	X(AMOUNT, "Amount", "Montant") \
	X(PAID, "Paid", "Réglé") \
	X(OPEN, "Open", "Solde") \
	X(STATUS, "Status", "Statut") \
	X(PO, "PO", "Commande") \
	X(PAY, "Pay online", "Payer en ligne") \
	X(TOTAL, "Total", "Total") \
	X(AGING, "Aging", "Balance âgée") \
	X(CURRENT, "Not yet due", "Non échu") \
	X(UNAPPLIED, "Unapplied", "Non affecté") \
	X(DISPUTED_TOTAL, "of which disputed", "dont en litige") \
	X(NOT_DUE, "not due", "non échu") \
	X(OVERDUE, "overdue", "échu") \
	X(DISPUTED, "disputed", "en litige") \
	X(CREDIT, "credit note", "avoir") \
	X(CASH, "unapplied payment", "paiement non affecté") \
	X(NO_ITEMS, "No open items.", "Aucune pièce ouverte.") \
	X(INSTRUCTIONS, "Please pay the open balance by bank transfer, quoting the invoice numbers.", \
	    "Merci de régler le solde par virement en indiquant les numéros de facture.") \
	X(INSTRUCTIONS_LINK, "You can also pay online:", "Vous pouvez aussi payer en ligne :") \
	X(INSTRUCTIONS_LINES, "You can also pay each invoice online (links in the last column).", \
	    "Vous pouvez aussi payer chaque facture en ligne (liens en dernière colonne).")

enum label {
#define X(name, en, fr) L_##name,
	LABELS(X)
#undef X
	L_COUNT
};
static const char *const label_text[2][L_COUNT] = {
#define X(name, en, fr) en,
	{LABELS(X)},
#undef X
#define X(name, en, fr) fr,
	{LABELS(X)},
#undef X
};

/* The amount formats of one currency, plain and for a total line. */
struct money_style {
	char currency[4];       /* "": not an ISO 4217 code, no currency shown */
	int exponent;
	lxw_format *plain, *total;
};

/* A workbook being written under a temporary name, with its styles. */
struct book {
	lxw_workbook *wb;
	char *path, *tmp;
	lxw_error err;          /* first libxlsxwriter error */
	const char *err_what;   /* what was being done then */
	int lang;               /* 0 en, 1 fr */
	lxw_format *title, *bold, *header, *header_number, *date, *integer, *total_text;
	lxw_format *overdue;
	struct money_style *money; /* made on first use, one per currency */
	int nmoney, last_money;
};

/* A worksheet and the display width of what went into each column. */
struct sheet {
	struct book *book;
	lxw_worksheet *ws;
	int width[MAX_COLS];
};

static void book_note(struct book *b, lxw_error e, const char *what)
{
	if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR) {
		b->err = e;
		b->err_what = what;
	}
}

static lxw_format *book_format(struct book *b)
{
	lxw_format *f = workbook_add_format(b->wb);
	if (f == NULL)
		book_note(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "add a format");
	return f;
}

/* A currency number format: exactly the currency's decimals and its ISO
 * code as a locale-independent currency string, "#,##0.00 [$EUR]", which
 * Excel and LibreOffice both read as a currency format (a symbol such as
 * $ would be ambiguous, and a locale's symbol would change with the
 * reader's settings). One section, so negatives show as "-50.00 EUR". */
static void format_money(lxw_format *f, int exponent, const char *currency)
{
	char fmt[32] = "#,##0";
	if (exponent > 0) {
		size_t n = strlen(fmt);
		fmt[n++] = '.';
		for (int i = 0; i < exponent; i++)
			fmt[n++] = '0';
		fmt[n] = '\0';
	}
	if (*currency) {
		size_t n = strlen(fmt);
		snprintf(fmt + n, sizeof fmt - n, " [$%s]", currency);
	}
	format_set_num_format(f, fmt);
}

static bool book_styles(struct book *b)
{
	lxw_format **all[] = {&b->title, &b->bold, &b->header, &b->header_number, &b->date,
	    &b->integer, &b->total_text, &b->overdue};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if ((*all[i] = book_format(b)) == NULL)
			return false;
	format_set_bold(b->title);
	format_set_font_size(b->title, 14);
	format_set_bold(b->bold);
	format_set_bold(b->header);
	format_set_bottom(b->header, LXW_BORDER_THIN);
	format_set_bg_color(b->header, 0xDDE4EE);
	format_set_bold(b->header_number);
	format_set_bottom(b->header_number, LXW_BORDER_THIN);
	format_set_bg_color(b->header_number, 0xDDE4EE);
	format_set_align(b->header_number, LXW_ALIGN_RIGHT);
	format_set_num_format(b->date, b->lang ? "dd/mm/yyyy" : "yyyy-mm-dd");
	format_set_num_format(b->integer, "0");
	format_set_bold(b->total_text);
	format_set_top(b->total_text, LXW_BORDER_THIN);
	format_set_bg_color(b->overdue, 0xF8CBAD);
	return true;
}

/* Opens the workbook on a new temporary file beside path. */
static int book_open(struct book *b, const char *path, bool constant_memory, int lang, char **cause)
{
	memset(b, 0, sizeof *b);
	b->lang = lang;
	b->path = xstrdup(path);
	const char *slash = strrchr(path, '/');
	if (slash != NULL)
		b->tmp = xasprintf("%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1);
	else
		b->tmp = xasprintf(".%s.XXXXXX", path);
	int fd = mkstemp(b->tmp);
	if (fd < 0) {
		int rc = dun_fail(cause, DUN_EDATA, "%s: cannot create the file: %s", path, strerror(errno));
		free(b->path);
		free(b->tmp);
		return rc;
	}
	close(fd);
	/* The C library's tmpfile() ignores TMPDIR; the user's choice of a
	 * place for big temporary files should not be. */
	const char *tmpdir = getenv("TMPDIR");
	lxw_workbook_options opt = {
		.constant_memory = constant_memory,
		.tmpdir = tmpdir && *tmpdir ? (char *)tmpdir : NULL,
	};
	b->wb = workbook_new_opt(b->tmp, &opt);
	if (b->wb == NULL) {
		unlink(b->tmp);
		free(b->path);
		free(b->tmp);
		return dun_fail(cause, DUN_EDATA, "%s: cannot start the workbook: out of memory", path);
	}
	book_styles(b);
	return DUN_OK;
}

/* ---- Reading the finished archive back ----
 *
 * libxlsxwriter 1.1.4 writes every XML part to a temporary file (in
 * TMPDIR) before deflating it into the archive, and never checks those
 * writes: with no room left for them a part comes out cut short inside an
 * archive that is itself sound, and workbook_close() succeeds. So the
 * archive is read back before it takes its final name: every XML part
 * must inflate whole to its recorded size and end with the end tag of
 * its root element. */

#define PART_EDGE 256       /* bytes kept of a part's start and of its end */
#define ZIP_END 22          /* the end of central directory record, no comment */
#define ZIP_ENTRY 46        /* a central directory entry before its name */
#define ZIP_LOCAL 30        /* a local file header before its name */

struct part {
	unsigned char head[PART_EDGE], tail[PART_EDGE];
	size_t nhead, ntail;
	uint64_t size;
};

static uint32_t le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return le16(p) | le16(p + 2) << 16;
}

static void part_take(struct part *pt, const unsigned char *data, size_t n)
{
	if (n == 0)
		return;
	size_t h = n < PART_EDGE - pt->nhead ? n : PART_EDGE - pt->nhead;
	memcpy(pt->head + pt->nhead, data, h);
	pt->nhead += h;
	if (n >= PART_EDGE) {
		memcpy(pt->tail, data + n - PART_EDGE, PART_EDGE);
		pt->ntail = PART_EDGE;
	} else {
		size_t keep = pt->ntail + n > PART_EDGE ? PART_EDGE - n : pt->ntail;
		memmove(pt->tail, pt->tail + pt->ntail - keep, keep);
		memcpy(pt->tail + keep, data, n);
		pt->ntail = keep + n;
	}
	pt->size += n;
}

/* Reads a stored (0) or deflated (8) part of size bytes at offset at of
 * fd with z (raw inflate, made once per archive); false when they end
 * before the part does. in and out have ZIP_BUFFER bytes. */
#define ZIP_BUFFER 65536
static bool part_read(z_stream *z, int fd, off_t at, uint32_t size, uint32_t method, struct part *pt,
    unsigned char *in, unsigned char *out)
{
	if (method != 0 && (method != 8 || inflateReset(z) != Z_OK))
		return false;
	z->avail_in = 0;
	int rc = Z_OK;
	while (rc == Z_OK) {
		if (z->avail_in == 0 && size > 0) {
			ssize_t n = pread(fd, in, size < ZIP_BUFFER ? size : ZIP_BUFFER, at);
			if (n <= 0)
				return false;
			at += n;
			size -= (uint32_t)n;
			z->next_in = in;
			z->avail_in = (uInt)n;
		}
		if (method == 0) {
			part_take(pt, z->next_in, z->avail_in);
			z->avail_in = 0;
			rc = size == 0 ? Z_STREAM_END : Z_OK;
			continue;
		}
		z->next_out = out;
		z->avail_out = ZIP_BUFFER;
		rc = inflate(z, Z_NO_FLUSH);
		part_take(pt, out, ZIP_BUFFER - z->avail_out);
	}
	return rc == Z_STREAM_END;
}

/* Whether an XML part ends with its root element: "</NAME>" after a root
 * "<NAME ...>", or nothing but blanks after a root "<NAME .../>". */
static bool part_complete(const struct part *pt)
{
	const unsigned char *p = pt->head, *end = pt->head + pt->nhead;
	for (;;) { /* the declaration and other <? ?> or <! > before the root */
		while (p < end && isspace(*p))
			p++;
		if (end - p < 2 || p[0] != '<' || (p[1] != '?' && p[1] != '!'))
			break;
		const unsigned char *close = memchr(p, '>', (size_t)(end - p));
		if (close == NULL)
			return false;
		p = close + 1;
	}
	if (p == end || *p++ != '<')
		return false;
	const unsigned char *name = p;
	while (p < end && !isspace(*p) && *p != '>' && *p != '/')
		p++;
	size_t len = (size_t)(p - name);
	/* The root's start tag may go on past the bytes kept (namespaces). */
	const unsigned char *close = memchr(p, '>', (size_t)(end - p));
	if (len == 0 || (close == NULL && pt->nhead == pt->size))
		return false;
	size_t n = pt->ntail;
	while (n > 0 && isspace(pt->tail[n - 1]))
		n--;
	if (close != NULL && close[-1] == '/') {
		size_t after = (size_t)(close + 1 - pt->head);
		while (after < pt->nhead && isspace(pt->head[after]))
			after++;
		return after == pt->nhead && pt->nhead == pt->size;
	}
	return n >= len + 3 && memcmp(pt->tail + n - len - 3, "</", 2) == 0
	    && memcmp(pt->tail + n - len - 1, name, len) == 0 && pt->tail[n - 1] == '>';
}

/* Reads the archive at path back (in pieces: a mapping would count the
 * whole file in the export's memory); false with why not whole in why. */
static bool book_parts_whole(const char *path, char *why, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(why, size, "cannot read it back: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	unsigned char end[ZIP_END], *cd = NULL;
	unsigned char *in = xmalloc(ZIP_BUFFER), *out = xmalloc(ZIP_BUFFER);
	z_stream z = {0};
	bool whole = st.st_size >= ZIP_END && pread(fd, end, ZIP_END, st.st_size - ZIP_END) == ZIP_END
	    && le32(end) == 0x06054b50 && inflateInit2(&z, -MAX_WBITS) == Z_OK;
	uint32_t entries = whole ? le16(end + 10) : 0;
	size_t cd_size = whole ? le32(end + 12) : 0;
	off_t cd_at = whole ? (off_t)le32(end + 16) : 0;
	/* a directory that does not fit before its end record is a broken
	 * archive, not up to 4 GiB to allocate */
	whole = whole && cd_at + (off_t)cd_size <= st.st_size - ZIP_END;
	if (whole) {
		cd = xmalloc(cd_size + 1);
		whole = pread(fd, cd, cd_size, cd_at) == (ssize_t)cd_size;
	}
	snprintf(why, size, "its directory came out incomplete");
	size_t at = 0;
	for (uint32_t i = 0; whole && i < entries; i++) {
		const unsigned char *e = cd + at;
		whole = at + ZIP_ENTRY <= cd_size && le32(e) == 0x02014b50 && at + ZIP_ENTRY + le16(e + 28) <= cd_size;
		if (!whole)
			break;
		const char *name = (const char *)e + ZIP_ENTRY;
		int nlen = (int)le16(e + 28);
		at += ZIP_ENTRY + le16(e + 28) + le16(e + 30) + le16(e + 32);
		bool xml = (nlen > 4 && memcmp(name + nlen - 4, ".xml", 4) == 0)
		    || (nlen > 5 && memcmp(name + nlen - 5, ".rels", 5) == 0);
		if (!xml)
			continue;
		snprintf(why, size, "%.*s came out incomplete (is the temporary directory full?)", nlen, name);
		unsigned char local[ZIP_LOCAL];
		off_t offset = (off_t)le32(e + 42);
		struct part pt = {0};
		whole = pread(fd, local, ZIP_LOCAL, offset) == ZIP_LOCAL && le32(local) == 0x04034b50
		    && part_read(&z, fd, offset + ZIP_LOCAL + le16(local + 26) + le16(local + 28), le32(e + 20),
		        le16(e + 10), &pt, in, out)
		    && pt.size == le32(e + 24) && part_complete(&pt);
	}
	inflateEnd(&z);
	free(cd);
	free(in);
	free(out);
	close(fd);
	return whole;
}

/* Finishes the workbook: on success renames it into place, else removes
 * the temporary file. Frees b's strings either way. */
static int book_close(struct book *b, int status, char **cause)
{
	/* libxlsxwriter reports its I/O errors on stderr too, naming the
	 * temporary file; ours names the real one, and stderr may be under
	 * curses. */
	fflush(stderr);
	int saved_stderr = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved_stderr >= 0 && null >= 0)
		dup2(null, STDERR_FILENO);
	errno = 0;
	lxw_error e = workbook_close(b->wb);
	int saved = errno;
	if (saved_stderr >= 0 && null >= 0)
		dup2(saved_stderr, STDERR_FILENO);
	if (saved_stderr >= 0)
		close(saved_stderr);
	if (null >= 0)
		close(null);
	/* A failed close is an I/O error whose errno says more (disk full). */
	bool io = b->err == LXW_NO_ERROR && e != LXW_NO_ERROR && saved != 0;
	book_note(b, e, "write the file");
	if (status == DUN_OK && b->err != LXW_NO_ERROR) {
		status = dun_fail(cause, DUN_EDATA, "%s: cannot %s: %s", b->path, b->err_what,
		    io ? strerror(saved) : lxw_strerror(b->err));
	}
	char why[160];
	if (status == DUN_OK && !book_parts_whole(b->tmp, why, sizeof why))
		status = dun_fail(cause, DUN_EDATA, "%s: cannot write the file: %s", b->path, why);
	if (status == DUN_OK && rename(b->tmp, b->path) != 0)
		status = dun_fail(cause, DUN_EDATA, "%s: cannot rename the finished file into place: %s",
		    b->path, strerror(errno));
	if (status != DUN_OK)
		unlink(b->tmp);
	free(b->path);
	free(b->tmp);
	free(b->money);
	return status;
}

static void book_properties(struct book *b, const char *title, const char *subject,
    const char *company, day_t as_of)
{
	char *t = text_sanitize(title), *s = text_sanitize(subject), *c = text_sanitize(company);
	lxw_doc_properties p = {
		.title = t, .subject = s, .author = *c ? c : "dun", .company = c,
		.comments = "Written by dun",
		/* The as-of date, not the clock: the same ledger gives the same file. */
		.created = (time_t)as_of * 86400,
	};
	book_note(b, workbook_set_properties(b->wb, &p), "set the document properties");
	free(t);
	free(s);
	free(c);
}

static bool sheet_add(struct sheet *sh, struct book *b, const char *name)
{
	memset(sh, 0, sizeof *sh);
	sh->book = b;
	sh->ws = workbook_add_worksheet(b->wb, name);
	if (sh->ws == NULL)
		book_note(b, LXW_ERROR_CREATING_TMPFILE, "add a worksheet");
	return sh->ws != NULL;
}

static void sheet_measure(struct sheet *sh, lxw_col_t col, int width)
{
	if (col < MAX_COLS && width > sh->width[col])
		sh->width[col] = width;
}

/* Sets each measured column's width to its content (plus room for the
 * autofilter button). */
static void sheet_fit(struct sheet *sh)
{
	for (lxw_col_t c = 0; c < MAX_COLS; c++) {
		if (sh->width[c] == 0)
			continue;
		int w = sh->width[c] + 3;
		book_note(sh->book, worksheet_set_column(sh->ws, c, c, w > WIDTH_MAX ? WIDTH_MAX : w, NULL),
		    "set a column width");
	}
}

/* Imported text may hold control characters or invalid UTF-8, which XML
 * cannot carry (Excel would "repair" the file): those become '?'. */
enum text_kind { TEXT_ASCII, TEXT_UTF8, TEXT_UNCLEAN };

static enum text_kind text_kind_of(const char *s)
{
	bool high = false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0))
			return TEXT_UNCLEAN;
		high |= *p >= 0x80;
	}
	return !high ? TEXT_ASCII : text_utf8_valid(s, strlen(s)) ? TEXT_UTF8 : TEXT_UNCLEAN;
}

/* Always a string cell: text starting with = + - @ stays text. */
static void put_text(struct sheet *sh, lxw_row_t row, lxw_col_t col, const char *s,
    lxw_format *f, bool measure)
{
	if (s == NULL || *s == '\0')
		return;
	char *owned = NULL;
	enum text_kind kind = text_kind_of(s);
	if (kind == TEXT_UNCLEAN)
		s = owned = text_sanitize(s);
	if (strlen(s) > CELL_TEXT_MAX) {
		size_t n = CELL_TEXT_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		char *cut = xstrndup(s, n);
		free(owned);
		s = owned = cut;
	}
	book_note(sh->book, worksheet_write_string(sh->ws, row, col, s, f), "write a cell");
	if (measure)
		sheet_measure(sh, col, kind == TEXT_ASCII ? (int)strlen(s) : text_width(s));
	free(owned);
}

static int exponent_of(const char *currency)
{
	int e = money_exponent(currency);
	return e < 0 ? 2 : e > EXP_MAX ? EXP_MAX : e;
}

static double money_value(money_t amount, int exponent)
{
	static const double scale[] = {1, 10, 100, 1000, 10000};
	return (double)amount / scale[exponent];
}

static void copy_currency(char dst[4], const char *src)
{
	snprintf(dst, 4, "%s", src);
}

/* The amount formats of a currency, made on its first amount: formats are
 * workbook objects, so a workbook holds one pair per ISO 4217 code it
 * shows (and one, without a currency, for a code that is not one). */
static const struct money_style *book_money(struct book *b, const char *currency)
{
	const char *key = money_currency_valid(currency) ? currency : "";
	if (b->nmoney > 0 && strcmp(b->money[b->last_money].currency, key) == 0)
		return &b->money[b->last_money];
	for (int i = 0; i < b->nmoney; i++)
		if (strcmp(b->money[i].currency, key) == 0)
			return &b->money[b->last_money = i];
	b->money = xreallocarray(b->money, (size_t)b->nmoney + 1, sizeof *b->money);
	struct money_style *m = &b->money[b->nmoney];
	copy_currency(m->currency, key);
	m->exponent = exponent_of(key);
	if ((m->plain = book_format(b)) != NULL)
		format_money(m->plain, m->exponent, key);
	if ((m->total = book_format(b)) != NULL) {
		format_money(m->total, m->exponent, key);
		format_set_bold(m->total);
		format_set_top(m->total, LXW_BORDER_THIN);
	}
	b->last_money = b->nmoney++;
	return m;
}

/* What the cell shows: the grouped amount and " EUR". */
static int money_width(money_t amount, const struct money_style *m)
{
	char buf[MONEY_TEXT_MAX];
	int currency = *m->currency ? 4 : 0;
	return (int)strlen(money_format_grouped(amount, m->exponent, ',', '.', buf)) + currency;
}

static void put_money(struct sheet *sh, lxw_row_t row, lxw_col_t col, money_t amount,
    const char *currency, bool total)
{
	const struct money_style *m = book_money(sh->book, currency);
	book_note(sh->book, worksheet_write_number(sh->ws, row, col, money_value(amount, m->exponent),
	    total ? m->total : m->plain), "write a cell");
	sheet_measure(sh, col, money_width(amount, m));
}

/* =SUM over rows first..last (0-based, inclusive) of col, with its value
 * cached so that readers which do not recalculate still show it. */
static void put_sum(struct sheet *sh, lxw_row_t row, lxw_col_t col, lxw_row_t first,
    lxw_row_t last, money_t value, const char *currency)
{
	char range[LXW_MAX_CELL_RANGE_LENGTH], formula[LXW_MAX_CELL_RANGE_LENGTH + 8];
	lxw_rowcol_to_range(range, first, col, last, col);
	snprintf(formula, sizeof formula, "=SUM(%s)", range);
	const struct money_style *m = book_money(sh->book, currency);
	book_note(sh->book, worksheet_write_formula_num(sh->ws, row, col, formula, m->total,
	    money_value(value, m->exponent)), "write a formula");
	sheet_measure(sh, col, money_width(value, m));
}

static void put_date(struct sheet *sh, lxw_row_t row, lxw_col_t col, day_t d)
{
	if (d == DATE_NONE)
		return;
	lxw_datetime dt = {0};
	date_to_ymd(d, &dt.year, &dt.month, &dt.day);
	book_note(sh->book, worksheet_write_datetime(sh->ws, row, col, &dt, sh->book->date), "write a date");
	sheet_measure(sh, col, 10);
}

static void put_int(struct sheet *sh, lxw_row_t row, lxw_col_t col, int64_t v)
{
	book_note(sh->book, worksheet_write_number(sh->ws, row, col, (double)v, sh->book->integer), "write a cell");
	char buf[24];
	sheet_measure(sh, col, snprintf(buf, sizeof buf, "%lld", (long long)v));
}

/* A4, every column on one page wide, the header row on every page. */
static void sheet_print_setup(struct sheet *sh, lxw_row_t header, bool landscape)
{
	worksheet_set_paper(sh->ws, 9);
	if (landscape)
		worksheet_set_landscape(sh->ws);
	worksheet_fit_to_pages(sh->ws, 1, 0);
	book_note(sh->book, worksheet_repeat_rows(sh->ws, header, header), "set the printed header row");
	book_note(sh->book, worksheet_set_footer(sh->ws, "&C&P / &N"), "set the footer");
}

static void aging_options_from(struct aging_options *ao, const struct config *cfg, day_t as_of)
{
	aging_options_default(ao);
	ao->as_of = as_of;
	if (cfg->aging_bucket_count > 0) {
		ao->nedges = cfg->aging_bucket_count;
		memcpy(ao->edges, cfg->aging_buckets, sizeof ao->edges[0] * (size_t)ao->nedges);
	}
	ao->basis_invoice = cfg->aging_basis_invoice != 0;
	ao->base_currency = cfg->base_currency;
}

/* ---- Statement of account ---- */

/* Invoice i's open amount at the date parameter d: today's open amount
 * with the allocations dated after d added back (few or none), as the
 * aging engine counts. */
#define SQL_OPEN_AS_OF(d) \
	"i.open_amount + CASE WHEN i.kind = 'invoice'" \
	" THEN (SELECT coalesce(sum(a.amount), 0) FROM allocation a WHERE a.invoice_id = i.id AND a.date > " d ")" \
	" ELSE -(SELECT coalesce(sum(a.amount), 0) FROM allocation a WHERE a.credit_id = i.id AND a.date > " d ") END"
/* Whether invoice i is under a dispute open at the date parameter d. */
#define SQL_DISPUTED_AT(d) \
	"EXISTS (SELECT 1 FROM dispute d WHERE d.invoice_id = i.id AND d.opened <= " d \
	" AND (d.resolved IS NULL OR d.resolved > " d "))"

enum item_kind { ITEM_INVOICE, ITEM_CREDIT, ITEM_CASH };

struct item {
	enum item_kind kind;
	char *document, *po;
	char currency[4];
	day_t issue, due;       /* due is DATE_NONE for unapplied cash */
	money_t amount, paid, open;
	bool disputed;
};

struct customer {
	int64_t id;
	char *code, *name, *address, *currency;
	int lang;
};

static void items_free(struct item *items, int n)
{
	for (int i = 0; i < n; i++) {
		free(items[i].document);
		free(items[i].po);
	}
	free(items);
}

static int item_compare(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int c = strcmp(a->currency, b->currency);
	if (c != 0)
		return c;
	if ((a->kind == ITEM_CASH) != (b->kind == ITEM_CASH))
		return a->kind == ITEM_CASH ? 1 : -1;
	day_t ka = a->kind == ITEM_CASH ? a->issue : a->due, kb = b->kind == ITEM_CASH ? b->issue : b->due;
	if (ka != kb)
		return ka < kb ? -1 : 1;
	return strcmp(a->document, b->document);
}

/* The customer's items open at as_of: invoices and credit notes issued by
 * then less allocations dated by then, and payments not yet applied then. */
static int items_load(struct store *s, int64_t customer_id, day_t as_of,
    struct item **out, int *count, char **cause)
{
	struct item *items = NULL;
	int n = 0, cap = 0;
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT i.number, i.kind, i.issue_date, i.due_date, i.currency, i.amount, " SQL_OPEN_AS_OF("?2") ","
	    " i.po, " SQL_DISPUTED_AT("?2")
	    " FROM invoice_any i WHERE i.customer_id = ?1 AND i.issue_date <= ?2"
	    " AND (i.open_amount <> 0 OR i.paid_date > ?2)");
	sqlite3_bind_int64(st, 1, customer_id);
	store_bind_date(st, 2, as_of);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		money_t amount = sqlite3_column_int64(st, 5), open = sqlite3_column_int64(st, 6);
		if (open == 0)
			continue;
		if (n == cap)
			items = xreallocarray(items, (size_t)(cap = cap ? 2 * cap : 16), sizeof *items);
		struct item *it = &items[n++];
		it->kind = strcmp(store_column_text(st, 1), "credit_note") == 0 ? ITEM_CREDIT : ITEM_INVOICE;
		it->document = xstrdup(store_column_text(st, 0));
		it->issue = store_column_date(st, 2);
		it->due = store_column_date(st, 3);
		copy_currency(it->currency, store_column_text(st, 4));
		it->amount = amount;
		it->paid = amount - open;
		it->open = open;
		it->po = xstrdup(store_column_text(st, 7));
		it->disputed = sqlite3_column_int(st, 8) != 0;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	/* Cash shows as a negative line: what the customer has paid us that no
	 * invoice has absorbed yet. */
	st = store_stmt(s,
	    "SELECT p.reference, p.date, p.currency, p.amount, p.unapplied"
	    " + (SELECT coalesce(sum(a.amount), 0) FROM allocation a WHERE a.payment_id = p.id AND a.date > ?2)"
	    " FROM payment p WHERE p.customer_id = ?1 AND p.date <= ?2");
	sqlite3_bind_int64(st, 1, customer_id);
	store_bind_date(st, 2, as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		money_t amount = sqlite3_column_int64(st, 3), unapplied = sqlite3_column_int64(st, 4);
		if (unapplied == 0)
			continue;
		if (n == cap)
			items = xreallocarray(items, (size_t)(cap = cap ? 2 * cap : 16), sizeof *items);
		struct item *it = &items[n++];
		it->kind = ITEM_CASH;
		it->document = xstrdup(store_column_text(st, 0));
		it->issue = store_column_date(st, 1);
		it->due = DATE_NONE;
		copy_currency(it->currency, store_column_text(st, 2));
		it->amount = -amount;
		it->paid = unapplied - amount;
		it->open = -unapplied;
		it->po = xstrdup("");
		it->disputed = false;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	qsort(items, (size_t)n, sizeof *items, item_compare);
	*out = items;
	*count = n;
	return DUN_OK;
fail:
	items_free(items, n);
	return store_error(s, "read the customer's open items", cause);
}

static int customer_load(struct store *s, int64_t id, struct customer *c, char **cause)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT code, name, address, currency, language FROM customer WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return dun_fail(cause, DUN_EDATA, "customer %lld: no such customer", (long long)id);
	if (rc != SQLITE_ROW)
		return store_error(s, "read the customer", cause);
	c->id = id;
	c->code = xstrdup(store_column_text(st, 0));
	c->name = xstrdup(store_column_text(st, 1));
	c->address = xstrdup(store_column_text(st, 2));
	c->currency = xstrdup(store_column_text(st, 3));
	c->lang = strcmp(store_column_text(st, 4), "fr") == 0;
	sqlite3_reset(st);
	return DUN_OK;
}

static void customer_free(struct customer *c)
{
	free(c->code);
	free(c->name);
	free(c->address);
	free(c->currency);
}

/* The payment link for an item (invoice NULL: the whole statement). */
static char *payment_link(const char *pattern, const char *customer, const char *invoice,
    money_t amount, int exponent)
{
	char money[MONEY_TEXT_MAX];
	return config_payment_link(pattern, customer, invoice, money_format(amount, exponent, money));
}

/* Excel refuses links longer than this; a longer one is written as text. */
#define URL_MAX 2079

static void put_link(struct sheet *sh, lxw_row_t row, lxw_col_t col, const char *url, const char *label)
{
	char *clean = text_sanitize(url);
	if (strlen(clean) > URL_MAX)
		put_text(sh, row, col, clean, NULL, false);
	else
		book_note(sh->book, worksheet_write_url_opt(sh->ws, row, col, clean, NULL, label, NULL),
		    "write a link");
	free(clean);
}

/* One currency's aging rows by customer, sorted by customer id. */
struct aging_table {
	char currency[4];
	struct aging_row *rows;
	int n;
};

struct xlsx_statements {
	struct store *store;
	const struct config *cfg;
	day_t as_of;
	int64_t only_customer;     /* aging computed for this customer, or 0: all */
	struct aging_options ao;   /* from cfg, currency set per table */
	struct aging_table *tables;
	int ntables;
};

static int aging_row_by_id(const void *pa, const void *pb)
{
	const struct aging_row *a = pa, *b = pb;
	return a->customer_id < b->customer_id ? -1 : a->customer_id > b->customer_id;
}

/* The aging row of a customer in a currency (zero when it owes nothing),
 * computing the currency's table on first use. */
static int statements_aging(struct xlsx_statements *x, int64_t customer_id, const char *currency,
    struct aging_row *out, char **cause)
{
	struct aging_table *t = NULL;
	for (int i = 0; i < x->ntables && t == NULL; i++)
		if (strcmp(x->tables[i].currency, currency) == 0)
			t = &x->tables[i];
	if (t == NULL) {
		struct aging_options o = x->ao;
		o.currency = currency;
		o.customer_id = x->only_customer;
		struct aging_row *rows = NULL;
		int n = 0;
		int rc = aging_compute(x->store, &o, &rows, &n, cause);
		if (rc != DUN_OK)
			return rc;
		qsort(rows, (size_t)n, sizeof *rows, aging_row_by_id);
		x->tables = xreallocarray(x->tables, (size_t)x->ntables + 1, sizeof *x->tables);
		t = &x->tables[x->ntables++];
		copy_currency(t->currency, currency);
		t->rows = rows;
		t->n = n;
	}
	struct aging_row key = {.customer_id = customer_id};
	const struct aging_row *row = bsearch(&key, t->rows, (size_t)t->n, sizeof *t->rows, aging_row_by_id);
	memset(out, 0, sizeof *out);
	if (row != NULL)
		*out = *row; /* key and name stay the table's */
	return DUN_OK;
}

struct statement {
	struct xlsx_statements *x;
	const struct customer *cust;
};

static const char *L(const struct book *b, enum label l)
{
	return label_text[b->lang][l];
}

/* One currency's statement on its own sheet (so that its header freezes,
 * filters and prints with it). */
static int statement_sheet(struct book *b, const struct statement *stm, const char *sheet_name,
    const char *currency, const struct item *items, int n, char **cause)
{
	struct sheet sh;
	if (!sheet_add(&sh, b, sheet_name))
		return DUN_OK; /* reported by book_close */
	const struct config *cfg = stm->x->cfg;
	const struct customer *c = stm->cust;
	day_t as_of = stm->x->as_of;
	int e = exponent_of(currency);
	const char *pattern = cfg->payment_link && *cfg->payment_link ? cfg->payment_link : NULL;
	bool line_links = pattern && strstr(pattern, "{invoice}") != NULL;

	lxw_row_t r = 0;
	if (cfg->company_name && *cfg->company_name)
		put_text(&sh, r, 0, cfg->company_name, b->title, false);
	if (cfg->company_address && *cfg->company_address)
		put_text(&sh, r + 1, 0, cfg->company_address, NULL, false);
	r = 3;
	put_text(&sh, r++, 0, L(b, L_TITLE), b->title, false);
	put_text(&sh, r, 0, L(b, L_DATE), b->bold, true);
	put_date(&sh, r++, 1, as_of);
	put_text(&sh, r, 0, L(b, L_CUSTOMER), b->bold, true);
	put_text(&sh, r++, 1, c->code, NULL, false);
	put_text(&sh, r++, 1, c->name, NULL, false);
	if (*c->address) {
		put_text(&sh, r, 0, L(b, L_ADDRESS), b->bold, true);
		put_text(&sh, r++, 1, c->address, NULL, false);
	}
	put_text(&sh, r, 0, L(b, L_CURRENCY), b->bold, true);
	put_text(&sh, r++, 1, currency, NULL, false);
	r++;

	enum { C_DOC, C_ISSUE, C_DUE, C_DAYS, C_AMOUNT, C_PAID, C_OPEN, C_STATUS, C_PO, C_PAY };
	static const enum label heads[] = {L_DOCUMENT, L_ISSUE, L_DUE, L_DAYS, L_AMOUNT, L_PAID, L_OPEN,
	    L_STATUS, L_PO, L_PAY};
	int ncols = line_links ? C_PAY + 1 : C_PO + 1;
	lxw_row_t header = r;
	for (int col = 0; col < ncols; col++) {
		bool number = col == C_DAYS || col == C_AMOUNT || col == C_PAID || col == C_OPEN;
		put_text(&sh, header, (lxw_col_t)col, L(b, heads[col]), number ? b->header_number : b->header, true);
	}
	r++;
	money_t sum_amount = 0, sum_paid = 0, sum_open = 0;
	bool overflow = false;
	if (n == 0)
		put_text(&sh, r++, 0, L(b, L_NO_ITEMS), NULL, false);
	for (int i = 0; i < n; i++, r++) {
		const struct item *it = &items[i];
		put_text(&sh, r, C_DOC, it->document, NULL, true);
		put_date(&sh, r, C_ISSUE, it->issue);
		put_date(&sh, r, C_DUE, it->due);
		int days = 0;
		if (it->kind == ITEM_INVOICE) {
			days = it->due < as_of ? as_of - it->due : 0;
			put_int(&sh, r, C_DAYS, days);
		}
		put_money(&sh, r, C_AMOUNT, it->amount, currency, false);
		put_money(&sh, r, C_PAID, it->paid, currency, false);
		put_money(&sh, r, C_OPEN, it->open, currency, false);
		enum label status = it->kind == ITEM_CASH ? L_CASH : it->kind == ITEM_CREDIT ? L_CREDIT
		    : it->disputed ? L_DISPUTED : days > 0 ? L_OVERDUE : L_NOT_DUE;
		put_text(&sh, r, C_STATUS, L(b, status), NULL, true);
		put_text(&sh, r, C_PO, it->po, NULL, true);
		if (line_links && it->kind == ITEM_INVOICE) {
			char *url = payment_link(pattern, c->code, it->document, it->open, e);
			put_link(&sh, r, C_PAY, url, L(b, L_PAY));
			free(url);
			sheet_measure(&sh, C_PAY, text_width(L(b, L_PAY)));
		}
		overflow |= !money_add(sum_amount, it->amount, &sum_amount)
		    || !money_add(sum_paid, it->paid, &sum_paid) || !money_add(sum_open, it->open, &sum_open);
	}
	if (overflow)
		return dun_fail(cause, DUN_EDATA, "customer \"%s\": amounts too large to total", c->code);
	lxw_row_t last = r - 1;
	put_text(&sh, r, C_DOC, L(b, L_TOTAL), b->total_text, true);
	for (int col = C_ISSUE; col < ncols; col++)
		if (col != C_AMOUNT && col != C_PAID && col != C_OPEN)
			book_note(b, worksheet_write_blank(sh.ws, r, (lxw_col_t)col, b->total_text), "write a cell");
	put_sum(&sh, r, C_AMOUNT, header + 1, last, sum_amount, currency);
	put_sum(&sh, r, C_PAID, header + 1, last, sum_paid, currency);
	put_sum(&sh, r, C_OPEN, header + 1, last, sum_open, currency);
	r += 2;

	/* The aging summary comes from the aging engine, so it agrees with
	 * `dun aging --currency` for this customer and date. */
	const struct aging_options *ao = &stm->x->ao;
	struct aging_row row;
	int rc = statements_aging(stm->x, c->id, currency, &row, cause);
	if (rc != DUN_OK)
		return rc;
	const struct aging_row *ag = &row;
	put_text(&sh, r, C_PAID, L(b, L_AGING), b->header, true);
	book_note(b, worksheet_write_blank(sh.ws, r, C_OPEN, b->header_number), "write a cell");
	lxw_row_t first_bucket = ++r;
	for (int k = 0; k < ao->nedges + 2; k++, r++) {
		char name[32];
		if (k == 0)
			snprintf(name, sizeof name, "%s", L(b, L_CURRENT));
		else
			aging_bucket_name(k, ao->edges, ao->nedges, name, sizeof name);
		put_text(&sh, r, C_PAID, name, NULL, true);
		put_money(&sh, r, C_OPEN, ag->bucket[k], currency, false);
	}
	put_text(&sh, r, C_PAID, L(b, L_UNAPPLIED), NULL, true);
	put_money(&sh, r++, C_OPEN, ag->unapplied, currency, false);
	put_text(&sh, r, C_PAID, L(b, L_TOTAL), b->total_text, true);
	put_sum(&sh, r, C_OPEN, first_bucket, r - 1, ag->total, currency);
	r++;
	put_text(&sh, r, C_PAID, L(b, L_DISPUTED_TOTAL), NULL, true);
	put_money(&sh, r++, C_OPEN, ag->disputed, currency, false);
	r++;

	put_text(&sh, r++, 0, L(b, L_INSTRUCTIONS), NULL, false);
	if (line_links) {
		put_text(&sh, r++, 0, L(b, L_INSTRUCTIONS_LINES), NULL, false);
	} else if (pattern) {
		put_text(&sh, r++, 0, L(b, L_INSTRUCTIONS_LINK), NULL, false);
		char *url = payment_link(pattern, c->code, NULL, sum_open, e);
		put_link(&sh, r++, 0, url, NULL);
		free(url);
	}

	worksheet_freeze_panes(sh.ws, header + 1, 0);
	book_note(b, worksheet_autofilter(sh.ws, header, 0, last, (lxw_col_t)(ncols - 1)), "set the autofilter");
	sheet_print_setup(&sh, header, false);
	sheet_fit(&sh);
	return DUN_OK;
}

static struct xlsx_statements *statements_new(struct store *s, const struct config *cfg, day_t as_of,
    int64_t only_customer)
{
	struct xlsx_statements *x = xcalloc(1, sizeof *x);
	x->store = s;
	x->cfg = cfg;
	x->as_of = as_of;
	x->only_customer = only_customer;
	aging_options_from(&x->ao, cfg, as_of);
	return x;
}

struct xlsx_statements *xlsx_statements_new(struct store *s, const struct config *cfg, day_t as_of)
{
	return statements_new(s, cfg, as_of, 0);
}

void xlsx_statements_free(struct xlsx_statements *x)
{
	if (x == NULL)
		return;
	for (int i = 0; i < x->ntables; i++)
		aging_free(x->tables[i].rows, x->tables[i].n);
	free(x->tables);
	free(x);
}

int xlsx_statement_write(struct store *s, const struct config *cfg, int64_t customer_id,
    day_t as_of, const char *path, char **cause)
{
	struct xlsx_statements *x = statements_new(s, cfg, as_of, customer_id);
	int rc = xlsx_statements_write(x, customer_id, path, cause);
	xlsx_statements_free(x);
	return rc;
}

int xlsx_statements_write(struct xlsx_statements *x, int64_t customer_id, const char *path, char **cause)
{
	struct store *s = x->store;
	const struct config *cfg = x->cfg;
	day_t as_of = x->as_of;
	struct customer c;
	int rc = customer_load(s, customer_id, &c, cause);
	if (rc != DUN_OK)
		return rc;
	struct item *items = NULL;
	int n = 0;
	rc = items_load(s, customer_id, as_of, &items, &n, cause);
	if (rc != DUN_OK) {
		customer_free(&c);
		return rc;
	}
	struct book b;
	rc = book_open(&b, path, false, c.lang, cause);
	if (rc != DUN_OK) {
		items_free(items, n);
		customer_free(&c);
		return rc;
	}
	struct statement stm = {.x = x, .cust = &c};
	char *title = xasprintf("%s %s", L(&b, L_TITLE), c.code);
	book_properties(&b, title, c.name, cfg->company_name ? cfg->company_name : "", as_of);
	free(title);

	/* Items are sorted by currency: one sheet per run of a currency. */
	bool several = n > 0 && strcmp(items[0].currency, items[n - 1].currency) != 0;
	if (n == 0) {
		rc = statement_sheet(&b, &stm, L(&b, L_SHEET), c.currency, items, 0, cause);
	}
	for (int i = 0; i < n && rc == DUN_OK;) {
		int j = i;
		while (j < n && strcmp(items[j].currency, items[i].currency) == 0)
			j++;
		char *name = several ? xasprintf("%s %s", L(&b, L_SHEET), items[i].currency)
		    : xstrdup(L(&b, L_SHEET));
		/* Excel refuses these in a sheet name; the currency is ledger data. */
		char *clean = text_sanitize(name);
		for (char *p = clean; *p; p++)
			if (strchr("[]:*?/\\", *p) != NULL)
				*p = '_';
		rc = statement_sheet(&b, &stm, clean, items[i].currency, items + i, j - i, cause);
		free(clean);
		free(name);
		i = j;
	}
	rc = book_close(&b, rc, cause);
	items_free(items, n);
	customer_free(&c);
	return rc;
}

char *xlsx_file_name(const char *code, int64_t customer_id)
{
	struct buf b = {0};
	buf_puts(&b, "");
	for (const unsigned char *p = (const unsigned char *)code; *p; p++) {
		bool keep = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')
		    || *p == '_' || (*p == '-' && p != (const unsigned char *)code)
		    || (*p == '.' && p != (const unsigned char *)code);
		if (keep)
			buf_putc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	/* Names stay well below NAME_MAX (255 bytes) with the suffixes. */
	if (b.len > 200) {
		b.len = 180;
		b.data[b.len] = '\0';
		buf_printf(&b, "~%lld", (long long)customer_id);
	}
	if (b.len == 0)
		buf_printf(&b, "customer-%lld", (long long)customer_id);
	buf_puts(&b, ".xlsx");
	return buf_take(&b);
}

/* ---- The aging workbook ---- */

static int aging_rows(struct store *s, const struct aging_options *base, enum aging_by by,
    struct aging_row **rows, int *n, char **cause)
{
	struct aging_options o = *base;
	o.by = by;
	return aging_compute(s, &o, rows, n, cause);
}

/* Header of an aging grid: the key columns then buckets, unapplied, total
 * and disputed. Returns the number of columns. */
static int aging_header(struct sheet *sh, lxw_row_t row, const char *const *keys, int nkeys,
    const struct aging_options *ao)
{
	struct book *b = sh->book;
	int col = 0;
	for (; col < nkeys; col++)
		put_text(sh, row, (lxw_col_t)col, keys[col], b->header, true);
	for (int k = 0; k < ao->nedges + 2; k++, col++) {
		char name[32];
		aging_bucket_name(k, ao->edges, ao->nedges, name, sizeof name);
		put_text(sh, row, (lxw_col_t)col, name, b->header_number, true);
	}
	put_text(sh, row, (lxw_col_t)col++, "unapplied", b->header_number, true);
	put_text(sh, row, (lxw_col_t)col++, "total", b->header_number, true);
	put_text(sh, row, (lxw_col_t)col++, "disputed", b->header_number, true);
	return col;
}

/* The amounts of one aging row from column col; adds them to sums and
 * returns false when a sum overflows. */
static bool aging_amounts(struct sheet *sh, lxw_row_t row, int col, const struct aging_row *a,
    int nbuckets, money_t *sums)
{
	money_t v[AGING_MAX_BUCKETS + 3];
	memcpy(v, a->bucket, sizeof v[0] * (size_t)nbuckets);
	v[nbuckets] = a->unapplied;
	v[nbuckets + 1] = a->total;
	v[nbuckets + 2] = a->disputed;
	bool ok = true;
	for (int k = 0; k < nbuckets + 3; k++) {
		put_money(sh, row, (lxw_col_t)(col + k), v[k], a->currency, false);
		ok &= money_add(sums[k], v[k], &sums[k]);
	}
	return ok;
}

static void aging_totals(struct sheet *sh, lxw_row_t row, int col, lxw_row_t first, lxw_row_t last,
    const money_t *sums, int nsums, const char *currency)
{
	put_text(sh, row, 0, "Total", sh->book->total_text, true);
	for (int c = 1; c < col; c++)
		book_note(sh->book, worksheet_write_blank(sh->ws, row, (lxw_col_t)c, sh->book->total_text),
		    "write a cell");
	for (int k = 0; k < nsums; k++)
		put_sum(sh, row, (lxw_col_t)(col + k), first, last, sums[k], currency);
}

/* One table of the summary: rows by segment or collector, then totals.
 * Returns the next free row, or 0 when the totals overflow. */
static lxw_row_t summary_table(struct sheet *sh, lxw_row_t r, const char *key,
    const struct aging_options *ao, const struct aging_row *rows, int n, const char *currency)
{
	int nb = ao->nedges + 2;
	const char *keys[] = {key};
	aging_header(sh, r++, keys, 1, ao);
	money_t sums[AGING_MAX_BUCKETS + 3] = {0};
	lxw_row_t first = r;
	bool ok = true;
	for (int i = 0; i < n; i++, r++) {
		put_text(sh, r, 0, *rows[i].key ? rows[i].key : "(none)", NULL, true);
		ok &= aging_amounts(sh, r, 1, &rows[i], nb, sums);
	}
	if (n == 0)
		r++; /* an empty row for the SUM ranges to cover */
	aging_totals(sh, r, 1, first, r - 1, sums, nb + 3, currency);
	return ok ? r + 2 : 0;
}

static int aging_summary_sheet(struct book *b, struct store *s, const struct aging_options *ao,
    const char *currency, char **cause)
{
	struct sheet sh;
	if (!sheet_add(&sh, b, "Summary"))
		return DUN_OK;
	struct aging_row *seg = NULL, *col = NULL;
	int nseg = 0, ncol = 0;
	int rc = aging_rows(s, ao, AGING_BY_SEGMENT, &seg, &nseg, cause);
	if (rc == DUN_OK)
		rc = aging_rows(s, ao, AGING_BY_COLLECTOR, &col, &ncol, cause);
	if (rc == DUN_OK) {
		put_text(&sh, 0, 0, "Aging", b->title, false);
		put_text(&sh, 1, 0, "As of", b->bold, false);
		put_date(&sh, 1, 1, ao->as_of);
		put_text(&sh, 2, 0, "Basis", b->bold, false);
		put_text(&sh, 2, 1, ao->basis_invoice ? "days since issue" : "days past due", NULL, false);
		put_text(&sh, 3, 0, "Currency", b->bold, false);
		put_text(&sh, 3, 1, currency, NULL, false);
		lxw_row_t r = summary_table(&sh, 5, "segment", ao, seg, nseg, currency);
		if (r == 0 || summary_table(&sh, r, "collector", ao, col, ncol, currency) == 0)
			rc = dun_fail(cause, DUN_EDATA, "aging: amounts too large to total");
		sheet_print_setup(&sh, 5, true);
		sheet_fit(&sh);
	}
	aging_free(seg, nseg);
	aging_free(col, ncol);
	return rc;
}

static int aging_customer_sheet(struct book *b, struct store *s, const struct aging_options *ao,
    const char *currency, char **cause)
{
	struct sheet sh;
	if (!sheet_add(&sh, b, "By customer"))
		return DUN_OK;
	struct aging_row *rows = NULL;
	int n = 0;
	int rc = aging_rows(s, ao, AGING_BY_CUSTOMER, &rows, &n, cause);
	if (rc != DUN_OK)
		return rc;
	static const char *const keys[] = {"customer", "name", "segment", "collector", "currency"};
	int nkeys = 5, nb = ao->nedges + 2;
	int ncols = aging_header(&sh, 0, keys, nkeys, ao);
	/* constant_memory: ranges are set before the rows they cover go out.
	 * An empty grid keeps one empty row for the ranges and SUMs. */
	lxw_row_t last = n > 0 ? (lxw_row_t)n : 1;
	lxw_conditional_format cf = {
		.type = LXW_CONDITIONAL_TYPE_CELL,
		.criteria = LXW_CONDITIONAL_CRITERIA_GREATER_THAN,
		.value = 0,
		.format = b->overdue,
	};
	/* Overdue buckets (all but "current") stand out when not zero. */
	book_note(b, worksheet_conditional_format_range(sh.ws, 1, (lxw_col_t)(nkeys + 1), last,
	    (lxw_col_t)(nkeys + nb - 1), &cf), "add the conditional format");
	worksheet_freeze_panes(sh.ws, 1, 2);
	book_note(b, worksheet_autofilter(sh.ws, 0, 0, last, (lxw_col_t)(ncols - 1)), "set the autofilter");
	sqlite3_stmt *st = store_stmt(s, "SELECT segment, collector FROM customer WHERE id = ?1");
	money_t sums[AGING_MAX_BUCKETS + 3] = {0};
	bool ok = true;
	for (int i = 0; i < n; i++) {
		const struct aging_row *a = &rows[i];
		lxw_row_t r = (lxw_row_t)i + 1;
		put_text(&sh, r, 0, a->key, NULL, true);
		put_text(&sh, r, 1, a->name, NULL, true);
		sqlite3_bind_int64(st, 1, a->customer_id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			put_text(&sh, r, 2, store_column_text(st, 0), NULL, true);
			put_text(&sh, r, 3, store_column_text(st, 1), NULL, true);
		}
		sqlite3_reset(st);
		put_text(&sh, r, 4, a->currency, NULL, true);
		ok &= aging_amounts(&sh, r, nkeys, a, nb, sums);
	}
	aging_totals(&sh, last + 1, nkeys, 1, last, sums, nb + 3, currency);
	aging_free(rows, n);
	if (!ok)
		return dun_fail(cause, DUN_EDATA, "aging: amounts too large to total");
	sheet_print_setup(&sh, 0, true);
	sheet_fit(&sh);
	return DUN_OK;
}

/* The columns of the open items sheet, over customers c and invoices i,
 * then (the last column) 0 to sort them before the customer's cash. */
#define SQL_OPEN_ITEMS \
	"SELECT c.code, c.name, i.number, i.kind, i.issue_date, i.due_date, i.currency, i.amount, " \
	SQL_OPEN_AS_OF("?1") ", " SQL_DISPUTED_AT("?1") ", i.po, 0"
/* The same columns for the cash of payment p unapplied at ?1 (what is
 * unapplied now and what was allocated after ?1), as the aging counts it:
 * negative, after the customer's invoices, with no customer when none is
 * known yet. */
#define SQL_CASH_ITEMS \
	"SELECT coalesce(c.code, ''), coalesce(c.name, ''), p.reference, 'payment', p.date, NULL, p.currency," \
	" -p.amount, -p.unapplied - (SELECT coalesce(sum(a.amount), 0) FROM allocation a" \
	" WHERE a.payment_id = p.id AND a.date > ?1), 0, '', 1"

/* Every item open at as_of, streamed from SQLite row by row (the sheet is
 * in constant-memory mode), continued on a new sheet past the row limit. */
static int aging_items_sheets(struct book *b, struct store *s, const struct aging_options *ao,
    uint32_t rows_per_sheet, char **cause)
{
	static const char *const heads[] = {"customer", "name", "document", "kind", "issue_date",
	    "due_date", "days_overdue", "bucket", "currency", "amount", "open", "disputed", "po"};
	enum { ncols = sizeof heads / sizeof heads[0] };
	if (rows_per_sheet == 0 || rows_per_sheet > LXW_ROW_MAX - 1)
		rows_per_sheet = LXW_ROW_MAX - 1;
	/* Customers in code order, each one's open invoices from the partial
	 * index in due date order: no sort of the whole set, whose memory
	 * would grow with the ledger. The second part finds what is settled
	 * now but was open at ?1 (little, unless ?1 is long ago); the last
	 * two the customers' unapplied cash, so that the sheet adds up to
	 * the aging (few: what matching left). */
	sqlite3_stmt *st = store_stmt(s,
	    SQL_OPEN_ITEMS " FROM customer c CROSS JOIN invoice i INDEXED BY invoice_open ON i.customer_id = c.id"
	    " WHERE i.open_amount <> 0 AND +i.issue_date <= ?1 AND (?2 IS NULL OR i.currency = ?2)"
	    " UNION ALL " SQL_OPEN_ITEMS " FROM customer c JOIN invoice i ON i.customer_id = c.id"
	    " WHERE i.open_amount = 0 AND i.paid_date > ?1 AND i.issue_date <= ?1 AND (?2 IS NULL OR i.currency = ?2)"
	    " UNION ALL " SQL_CASH_ITEMS " FROM payment p INDEXED BY payment_unapplied"
	    " LEFT JOIN customer c ON c.id = p.customer_id"
	    " WHERE p.unapplied <> 0 AND p.date <= ?1 AND (?2 IS NULL OR p.currency = ?2)"
	    " UNION ALL " SQL_CASH_ITEMS " FROM payment p LEFT JOIN customer c ON c.id = p.customer_id"
	    " WHERE p.unapplied = 0 AND p.date <= ?1 AND (?2 IS NULL OR p.currency = ?2)"
	    "   AND p.id IN (SELECT a.payment_id FROM allocation a WHERE a.date > ?1 AND a.payment_id IS NOT NULL)"
	    " ORDER BY 1, 12, 6, 3");
	store_bind_date(st, 1, ao->as_of);
	store_bind_text(st, 2, ao->currency);
	struct sheet sh = {0};
	int sheets = 0, rc;
	lxw_row_t r = 0;
	bool ok = true;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW || sheets == 0) {
		if (sheets == 0 || r > rows_per_sheet) {
			if (sheets > 0) {
				book_note(b, worksheet_autofilter(sh.ws, 0, 0, r - 1, ncols - 1), "set the autofilter");
				sheet_fit(&sh);
			}
			char name[32];
			snprintf(name, sizeof name, sheets ? "Open items %d" : "Open items", sheets + 1);
			if (!(ok = sheet_add(&sh, b, name)))
				break;
			sheets++;
			for (int c = 0; c < ncols; c++)
				put_text(&sh, 0, (lxw_col_t)c, heads[c], c == 6 || c == 9 || c == 10
				    ? b->header_number : b->header, true);
			worksheet_freeze_panes(sh.ws, 1, 0);
			sheet_print_setup(&sh, 0, true);
			r = 1;
		}
		if (rc != SQLITE_ROW)
			break;
		money_t amount = sqlite3_column_int64(st, 7), open = sqlite3_column_int64(st, 8);
		if (open == 0)
			continue;
		const char *currency = store_column_text(st, 6);
		day_t issue = store_column_date(st, 4), due = store_column_date(st, 5);
		/* Credit notes and cash: unapplied, never overdue. */
		bool credit = strcmp(store_column_text(st, 3), "invoice") != 0;
		put_text(&sh, r, 0, store_column_text(st, 0), NULL, true);
		put_text(&sh, r, 1, store_column_text(st, 1), NULL, true);
		put_text(&sh, r, 2, store_column_text(st, 2), NULL, true);
		put_text(&sh, r, 3, store_column_text(st, 3), NULL, true);
		put_date(&sh, r, 4, issue);
		put_date(&sh, r, 5, due);
		int overdue = !credit && due < ao->as_of ? ao->as_of - due : 0;
		put_int(&sh, r, 6, overdue);
		char bucket[32];
		if (credit) {
			snprintf(bucket, sizeof bucket, "unapplied");
		} else {
			int days = ao->basis_invoice ? ao->as_of - issue : ao->as_of - due;
			aging_bucket_name(aging_bucket_for(days, ao->edges, ao->nedges), ao->edges, ao->nedges,
			    bucket, sizeof bucket);
		}
		put_text(&sh, r, 7, bucket, NULL, true);
		put_text(&sh, r, 8, currency, NULL, true);
		put_money(&sh, r, 9, amount, currency, false);
		put_money(&sh, r, 10, open, currency, false);
		put_text(&sh, r, 11, sqlite3_column_int(st, 9) ? "yes" : "no", NULL, true);
		put_text(&sh, r, 12, store_column_text(st, 10), NULL, true);
		r++;
		if (b->err != LXW_NO_ERROR)
			break;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW && ok)
		return store_error(s, "read the open items", cause);
	sqlite3_reset(st);
	if (ok) {
		book_note(b, worksheet_autofilter(sh.ws, 0, 0, r > 1 ? r - 1 : 1, ncols - 1), "set the autofilter");
		sheet_fit(&sh);
	}
	return DUN_OK;
}

int xlsx_aging_write(struct store *s, const struct config *cfg,
    const struct xlsx_aging_options *o, const char *path, char **cause)
{
	struct aging_options ao;
	aging_options_from(&ao, cfg, o->as_of);
	ao.currency = o->currency;
	const char *currency = o->currency ? o->currency : cfg->base_currency ? cfg->base_currency : "EUR";
	struct book b;
	int rc = book_open(&b, path, true, 0, cause);
	if (rc != DUN_OK)
		return rc;
	char date[DATE_TEXT_MAX];
	char *title = xasprintf("Aging as of %s", date_format_iso(o->as_of, date));
	book_properties(&b, title, "Accounts receivable aging", cfg->company_name ? cfg->company_name : "",
	    o->as_of);
	free(title);
	/* The export reads the ledger once, front to back: a big page cache
	 * would only keep pages it never reads again, and its memory would
	 * add to the workbook's. The connection's own size comes back after. */
	int cache = store_cache_size(s, -4096);
	/* constant_memory writes each sheet's rows in order, sheet by sheet. */
	rc = aging_summary_sheet(&b, s, &ao, currency, cause);
	if (rc == DUN_OK)
		rc = aging_customer_sheet(&b, s, &ao, currency, cause);
	if (rc == DUN_OK)
		rc = aging_items_sheets(&b, s, &ao, o->rows_per_sheet, cause);
	store_cache_size(s, cache);
	return book_close(&b, rc, cause);
}

/* ---- The call list ---- */

int xlsx_calllist_write(struct store *s, const struct config *cfg,
    const struct calllist_options *o, const char *path, char **cause)
{
	struct calllist_row *rows = NULL;
	int n = 0;
	int rc = calllist_build(s, cfg, o, &rows, &n, cause);
	if (rc != DUN_OK)
		return rc;
	struct book b;
	rc = book_open(&b, path, false, 0, cause);
	if (rc != DUN_OK) {
		calllist_free(rows, n);
		return rc;
	}
	char date[DATE_TEXT_MAX];
	char *title = xasprintf("Call list for %s", date_format_iso(o->today, date));
	book_properties(&b, title, o->collector ? o->collector : "", cfg->company_name ? cfg->company_name : "",
	    o->today);
	free(title);
	struct sheet sh;
	if (sheet_add(&sh, &b, "Call list")) {
		static const char *const heads[] = {"rank", "customer", "name", "collector", "priority", "reasons",
		    "overdue", "currency", "risk_class", "next_step", "phone"};
		enum { ncols = sizeof heads / sizeof heads[0] };
		for (int c = 0; c < ncols; c++)
			put_text(&sh, 0, (lxw_col_t)c, heads[c], c == 0 || c == 4 || c == 6 ? b.header_number : b.header, true);
		for (int i = 0; i < n; i++) {
			const struct calllist_row *w = &rows[i];
			lxw_row_t r = (lxw_row_t)i + 1;
			put_int(&sh, r, 0, w->rank);
			put_text(&sh, r, 1, w->code, NULL, true);
			put_text(&sh, r, 2, w->name, NULL, true);
			put_text(&sh, r, 3, w->collector, NULL, true);
			put_int(&sh, r, 4, w->priority);
			put_text(&sh, r, 5, w->reasons, NULL, true);
			put_money(&sh, r, 6, w->overdue, w->currency, false);
			put_text(&sh, r, 7, w->currency, NULL, true);
			put_text(&sh, r, 8, w->risk_class, NULL, true);
			put_text(&sh, r, 9, w->next_step, NULL, true);
			put_text(&sh, r, 10, w->phone, NULL, true);
		}
		worksheet_freeze_panes(sh.ws, 1, 2);
		book_note(&b, worksheet_autofilter(sh.ws, 0, 0, n > 0 ? (lxw_row_t)n : 1, ncols - 1),
		    "set the autofilter");
		sheet_print_setup(&sh, 0, true);
		sheet_fit(&sh);
	}
	calllist_free(rows, n);
	return book_close(&b, DUN_OK, cause);
}
