/* MIME composition and transports. */
#include "mail.h"
#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "status.h"
#include "text.h"
#include "xalloc.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64_add(struct buf *b, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		buf_putc(b, b64[v >> 18 & 63]);
		buf_putc(b, b64[v >> 12 & 63]);
		buf_putc(b, i + 1 < n ? b64[v >> 6 & 63] : '=');
		buf_putc(b, i + 2 < n ? b64[v & 63] : '=');
	}
}

bool mail_address_valid(const char *address)
{
	const char *at = strchr(address, '@');
	if (!at || at == address || at[1] == '\0' || strchr(at + 1, '@') || *address == '-' || strlen(address) > 254)
		return false;
	for (const char *p = address; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
			return false;
	return true;
}

int mail_address_parse(const char *text, char **name, char **address, char **cause)
{
	const char *lt = strrchr(text, '<');
	char *addr;
	if (lt) {
		const char *gt = strchr(lt, '>');
		if (!gt || gt[1] != '\0')
			return dun_fail(cause, DUN_EDATA, "address \"%s\": expected Name <address>", text);
		addr = xstrndup(lt + 1, (size_t)(gt - lt - 1));
		const char *e = lt;
		while (e > text && e[-1] == ' ')
			e--;
		const char *s = text;
		while (*s == ' ')
			s++;
		if (*s == '"' && e > s + 1 && e[-1] == '"') {
			s++;
			e--;
		}
		*name = xstrndup(s, e > s ? (size_t)(e - s) : 0);
	} else {
		addr = xstrdup(text);
		*name = xstrdup("");
	}
	if (!mail_address_valid(addr)) {
		int status = dun_fail(cause, DUN_EDATA, "address \"%s\": not a valid e-mail address", addr);
		free(addr);
		free(*name);
		*name = NULL;
		return status;
	}
	*address = addr;
	return DUN_OK;
}

/* Controls (CR and LF above all) become spaces, invalid UTF-8 '?'. */
static char *header_clean(const char *text)
{
	struct buf b = { 0 };
	buf_puts(&b, "");
	size_t len = strlen(text);
	for (size_t i = 0; i < len;) {
		int cp;
		int k = text_decode(text + i, len - i, &cp);
		if (cp < 0)
			buf_putc(&b, '?');
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			buf_putc(&b, ' ');
		else
			buf_add(&b, text + i, (size_t)k);
		i += (size_t)k;
	}
	return buf_take(&b);
}

void mail_header_text(struct buf *b, const char *text, bool phrase)
{
	char *clean = header_clean(text);
	bool ascii = true, special = false;
	for (const char *p = clean; *p; p++) {
		if ((unsigned char)*p >= 0x80)
			ascii = false;
		if (strchr("()<>[]:;@\\,.\"", *p))
			special = true;
	}
	if (ascii && strlen(clean) < 900 && !strstr(clean, "=?")) {
		if (phrase && special) {
			buf_putc(b, '"');
			for (const char *p = clean; *p; p++) {
				if (*p == '"' || *p == '\\')
					buf_putc(b, '\\');
				buf_putc(b, *p);
			}
			buf_putc(b, '"');
		} else
			buf_puts(b, clean);
		free(clean);
		return;
	}
	/* Encoded-words of at most 45 bytes (60 base64 characters, 72 with
	 * the markers), cut between UTF-8 characters. */
	size_t len = strlen(clean), i = 0;
	bool first = true;
	while (i < len) {
		size_t n = 0;
		while (i + n < len) {
			int cp;
			int k = text_decode(clean + i + n, len - i - n, &cp);
			if (n + (size_t)k > 45)
				break;
			n += (size_t)k;
		}
		if (!first)
			buf_puts(b, "\r\n ");
		buf_puts(b, "=?UTF-8?B?");
		base64_add(b, (const unsigned char *)clean + i, n);
		buf_puts(b, "?=");
		i += n;
		first = false;
	}
	free(clean);
}

/* Quoted-printable (RFC 2045 §6.7) of a UTF-8 text, lines ending CRLF. */
static void qp_add(struct buf *b, const char *text)
{
	int col = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue;
		if (*p == '\n') {
			buf_puts(b, "\r\n");
			col = 0;
			continue;
		}
		bool line_end = p[1] == '\0' || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
		bool plain = (*p >= 33 && *p <= 126 && *p != '=') || ((*p == ' ' || *p == '\t') && !line_end);
		int width = plain ? 1 : 3;
		if (col + width > 75) {
			buf_puts(b, "=\r\n");
			col = 0;
		}
		if (plain)
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "=%02X", *p);
		col += width;
	}
	if (col > 0)
		buf_puts(b, "\r\n");
}

static void date_header(struct buf *b, day_t d)
{
	static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int y, m, day;
	date_to_ymd(d, &y, &m, &day);
	buf_printf(b, "Date: %s, %d %s %04d 00:00:00 +0000\r\n", days[date_weekday(d)], day, months[m - 1], y);
}

int mail_compose(const struct mail_message *m, char **out, size_t *len, char **cause)
{
	char *from_name, *from_address;
	int status = mail_address_parse(m->from ? m->from : "", &from_name, &from_address, cause);
	if (status != DUN_OK)
		return status;
	bool to_valid = mail_address_valid(m->to_address);
	if (!to_valid && !m->letter) {
		free(from_name);
		free(from_address);
		return dun_fail(cause, DUN_EDATA, "recipient \"%s\": not a valid e-mail address", m->to_address);
	}
	struct buf b = { 0 };
	buf_puts(&b, "From: ");
	if (*from_name) {
		mail_header_text(&b, from_name, true);
		buf_putc(&b, ' ');
	}
	buf_printf(&b, "<%s>\r\nTo: ", from_address);
	if (!to_valid) {
		/* RFC 5322 §3.4: a group with no mailbox names without an address. */
		mail_header_text(&b, m->to_name && *m->to_name ? m->to_name : "undisclosed-recipients", true);
		buf_puts(&b, ":;");
	} else {
		if (m->to_name && *m->to_name) {
			mail_header_text(&b, m->to_name, true);
			buf_putc(&b, ' ');
		}
		buf_printf(&b, "<%s>", m->to_address);
	}
	buf_puts(&b, "\r\nSubject: ");
	mail_header_text(&b, m->subject, false);
	buf_puts(&b, "\r\n");
	date_header(&b, m->date);
	buf_printf(&b, "Message-ID: %s\r\n", m->message_id);
	if (m->letter)
		buf_puts(&b, "X-Dun-Channel: letter\r\n");
	buf_puts(&b, "MIME-Version: 1.0\r\n");
	static const char boundary[] = "=_dun_part_boundary";
	if (m->attachment)
		buf_printf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n"
		    "This is a message in MIME format.\r\n\r\n--%s\r\n", boundary, boundary);
	buf_puts(&b, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
	qp_add(&b, m->body);
	if (m->attachment) {
		const struct mail_attachment *a = m->attachment;
		buf_printf(&b, "\r\n--%s\r\nContent-Type: %s; name=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n"
		    "Content-Disposition: attachment; filename=\"%s\"\r\n\r\n", boundary, a->content_type, a->file_name, a->file_name);
		for (size_t i = 0; i < a->size; i += 57) {
			base64_add(&b, (const unsigned char *)a->data + i, a->size - i < 57 ? a->size - i : 57);
			buf_puts(&b, "\r\n");
		}
		buf_printf(&b, "\r\n--%s--\r\n", boundary);
	}
	free(from_name);
	free(from_address);
	*len = b.len;
	*out = buf_take(&b);
	return DUN_OK;
}

/* sendmail: the command's words, run directly; the message on stdin. */
static int send_command(const char *command, const char *to_address, const char *message, size_t len, char **cause)
{
	char *copy = xstrdup(command);
	char **argv = NULL;
	int argc = 0;
	bool dash_t = false;
	for (char *save, *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		argv = xreallocarray(argv, (size_t)argc + 3, sizeof *argv);
		argv[argc++] = w;
		dash_t = dash_t || strcmp(w, "-t") == 0;
	}
	int status = DUN_OK;
	/* is_sendmail saw a program word: argc >= 1 */
	if (!dash_t)
		argv[argc++] = (char *)to_address;
	argv[argc] = NULL;
	int fds[2];
	if (pipe(fds) != 0) {
		status = dun_fail(cause, DUN_EDATA, "mail transport: pipe: %s", strerror(errno));
		goto done;
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		status = dun_fail(cause, DUN_EDATA, "mail transport: fork: %s", strerror(errno));
		goto done;
	}
	if (pid == 0) {
		/* The message on stdin; what the program says goes to our
		 * stderr, never into dun's own output. */
		dup2(fds[0], 0);
		dup2(2, 1);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "dun: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	/* A program that exits early must not kill us with SIGPIPE. */
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	sigaction(SIGPIPE, &ign, &old);
	bool write_failed = false;
	for (size_t i = 0; i < len && !write_failed;) {
		/* sendmail reads local line ends. */
		size_t n = 0;
		while (i + n < len && message[i + n] != '\r')
			n++;
		if (n > 0) {
			ssize_t w = write(fds[1], message + i, n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				write_failed = true;
				break;
			}
			i += (size_t)w;
		} else
			i++; /* skip the CR */
	}
	close(fds[1]);
	sigaction(SIGPIPE, &old, NULL);
	int wstatus;
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
		status = dun_fail(cause, DUN_EDATA, "mail transport \"%s\": %s %d", argv[0],
		    WIFEXITED(wstatus) ? "exited with status" : "killed by signal",
		    WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : WTERMSIG(wstatus));
	else if (write_failed)
		status = dun_fail(cause, DUN_EDATA, "mail transport \"%s\": did not read the whole message", argv[0]);
done:
	free(argv);
	free(copy);
	return status;
}

struct upload {
	const char *p;
	size_t left;
};

static size_t upload_read(char *dst, size_t size, size_t n, void *user)
{
	struct upload *u = user;
	size_t k = size * n < u->left ? size * n : u->left;
	memcpy(dst, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

static int send_smtp(const char *url, const char *from_address, const char *to_address,
    const char *message, size_t len, char **cause)
{
	static bool initialised;
	if (!initialised) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		initialised = true;
	}
	CURL *curl = curl_easy_init();
	if (!curl)
		return dun_fail(cause, DUN_EDATA, "mail transport: cannot start libcurl");
	char *from = xasprintf("<%s>", from_address), *to = xasprintf("<%s>", to_address);
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	struct upload u = { message, len };
	char err[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(curl, CURLOPT_READDATA, &u);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 20L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	if (strncmp(url, "smtp://", 7) == 0)
		curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	CURLcode rc = curl_easy_perform(curl);
	int status = DUN_OK;
	if (rc != CURLE_OK)
		status = dun_fail(cause, DUN_EDATA, "mail transport \"%s\": %s", url, *err ? err : curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	free(from);
	free(to);
	return status;
}

static bool is_sendmail(const char *transport)
{
	return strncmp(transport, "sendmail", 8) == 0 && (transport[8] == ' ' || transport[8] == '\t') &&
	    transport[8 + strspn(transport + 8, " \t")] != '\0';
}

/* An smtp:// or smtps:// URL that libcurl itself reads, with a host:
 * a port past 65535 or a blank in the host is refused here, at the
 * configuration's line, not at every send. */
static bool is_smtp(const char *transport)
{
	if (strncmp(transport, "smtp://", 7) != 0 && strncmp(transport, "smtps://", 8) != 0)
		return false;
	CURLU *url = curl_url();
	char *host = NULL;
	bool ok = url != NULL && curl_url_set(url, CURLUPART_URL, transport, 0) == CURLUE_OK &&
	    curl_url_get(url, CURLUPART_HOST, &host, 0) == CURLUE_OK && *host != '\0';
	curl_free(host);
	curl_url_cleanup(url);
	return ok;
}

const char *mail_transport_check(const char *transport)
{
	return is_sendmail(transport) || is_smtp(transport) ? NULL
	    : "expected \"sendmail PROGRAM [ARGS...]\", smtp://HOST:PORT or smtps://HOST:PORT";
}

int mail_send(const char *transport, const char *from_address, const char *to_address,
    const char *message, size_t len, char **cause)
{
	if (!transport || !*transport)
		return dun_fail(cause, DUN_EDATA, "no mail transport configured ([mail] transport)");
	if (is_sendmail(transport))
		return send_command(transport + 9, to_address, message, len, cause);
	if (is_smtp(transport))
		return send_smtp(transport, from_address, to_address, message, len, cause);
	return dun_fail(cause, DUN_EDATA, "mail transport \"%s\": %s", transport, mail_transport_check(transport));
}
