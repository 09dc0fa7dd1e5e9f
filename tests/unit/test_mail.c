/* MIME composition: headers, RFC 2047 words, quoted-printable bodies, the
 * attachment, and no way for a value to add a header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "mail.h"
#include "status.h"
#include "xalloc.h"

static char *compose(const struct mail_message *m)
{
	char *out = NULL, *cause = NULL;
	size_t len;
	if (mail_compose(m, &out, &len, &cause) != DUN_OK)
		fail_msg("%s", cause);
	assert_int_equal(strlen(out), len);
	return out;
}

static const struct mail_message plain = {
	.from = "Credit control <ar@example.com>", .to_name = "Acme", .to_address = "ap@acme.test",
	.subject = "Payment reminder", .body = "Hello,\nPlease pay.\n", .message_id = "<1.x@example.com>",
	.date = 20779, /* 2026-11-22 */
};

static void test_plain_message(void **state)
{
	(void)state;
	char *out = compose(&plain);
	assert_string_equal(out,
	    "From: Credit control <ar@example.com>\r\n"
	    "To: Acme <ap@acme.test>\r\n"
	    "Subject: Payment reminder\r\n"
	    "Date: Sun, 22 Nov 2026 00:00:00 +0000\r\n"
	    "Message-ID: <1.x@example.com>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "\r\n"
	    "Hello,\r\nPlease pay.\r\n");
	free(out);
}

static void test_encoded_words(void **state)
{
	(void)state;
	struct buf b = { 0 };
	mail_header_text(&b, "Évian", true);
	assert_string_equal(b.data, "=?UTF-8?B?w4l2aWFu?=");
	buf_free(&b);
	mail_header_text(&b, "Smith, Jones & Co.", true);
	assert_string_equal(b.data, "\"Smith, Jones & Co.\"");
	buf_free(&b);
	/* Long text is split between characters, one word per folded line. */
	mail_header_text(&b, "Relance : factures échues — société générale d'équipements électriques", false);
	assert_null(strstr(b.data, "\r\n\r\n"));
	assert_non_null(strstr(b.data, "?=\r\n =?UTF-8?B?"));
	for (char *line = b.data; line; line = strstr(line, "\r\n")) {
		line += line == b.data ? 0 : 2;
		size_t n = strcspn(line, "\r");
		assert_true(n <= 76);
		if (!line[n])
			break;
		line += n;
	}
	buf_free(&b);
}

static void test_header_injection(void **state)
{
	(void)state;
	struct mail_message m = plain;
	m.to_name = "Évian \"Ltd\"\r\nBcc: x@y";
	m.subject = "Reminder\r\nBcc: x@y";
	char *out = compose(&m);
	/* No line of the message starts a Bcc header. */
	assert_null(strstr(out, "\nBcc:"));
	assert_non_null(strstr(out, "To: =?UTF-8?B?"));
	assert_non_null(strstr(out, "Subject: Reminder  Bcc: x@y\r\n"));
	free(out);
	/* A bad address is refused, not written. */
	char *cause = NULL, *text = NULL;
	size_t len;
	m = plain;
	m.to_address = "a@b\r\nBcc: x@y";
	assert_int_equal(mail_compose(&m, &text, &len, &cause), DUN_EDATA);
	assert_null(text);
	free(cause);
}

static void test_quoted_printable(void **state)
{
	(void)state;
	struct mail_message m = plain;
	char body[200];
	memset(body, 'x', 100);
	strcpy(body + 100, " = é \n");
	m.body = body;
	char *out = compose(&m);
	const char *b = strstr(out, "\r\n\r\n") + 4;
	/* 75 x, soft break, 25 x, then '=' and 'é' encoded and the trailing space too. */
	char want[200];
	memset(want, 'x', 75);
	strcpy(want + 75, "=\r\n");
	memset(want + 78, 'x', 25);
	strcpy(want + 103, " =3D =C3=A9=20\r\n");
	assert_string_equal(b, want);
	free(out);
}

static void test_attachment(void **state)
{
	(void)state;
	struct mail_attachment a = { "statement-C1.xlsx", "application/octet-stream", "abc", 3 };
	struct mail_message m = plain;
	m.attachment = &a;
	char *out = compose(&m);
	assert_non_null(strstr(out, "Content-Type: multipart/mixed; boundary=\"=_dun_part_boundary\"\r\n"));
	assert_non_null(strstr(out, "filename=\"statement-C1.xlsx\"\r\n\r\nYWJj\r\n\r\n--=_dun_part_boundary--\r\n"));
	free(out);
}

/* A letter is the same message marked for printing; with no e-mail
 * address its To: is a group that names the addressee, never a header
 * its name could break out of. */
static void test_letter(void **state)
{
	(void)state;
	struct mail_message m = plain;
	m.letter = true;
	char *out = compose(&m);
	assert_non_null(strstr(out, "\r\nTo: Acme <ap@acme.test>\r\n"));
	assert_non_null(strstr(out, "\r\nMessage-ID: <1.x@example.com>\r\nX-Dun-Channel: letter\r\nMIME-Version: 1.0\r\n"));
	free(out);
	m.to_address = "";
	m.to_name = "Smith: Jones;\r\nBcc: x@y";
	out = compose(&m);
	assert_non_null(strstr(out, "\r\nTo: \"Smith: Jones;  Bcc: x@y\":;\r\nSubject: "));
	free(out);
	m.to_name = "";
	out = compose(&m);
	assert_non_null(strstr(out, "\r\nTo: undisclosed-recipients:;\r\n"));
	free(out);
	/* An e-mail still needs its address. */
	m.letter = false;
	char *cause = NULL, *text = NULL;
	size_t len;
	assert_int_equal(mail_compose(&m, &text, &len, &cause), DUN_EDATA);
	free(cause);
}

static void test_addresses(void **state)
{
	(void)state;
	assert_true(mail_address_valid("a.b+c@example.com"));
	assert_false(mail_address_valid("-oQ@example.com"));
	assert_false(mail_address_valid("a b@example.com"));
	assert_false(mail_address_valid("a@b@c"));
	assert_false(mail_address_valid("@example.com"));
	char *name, *address, *cause = NULL;
	assert_int_equal(mail_address_parse("\"Credit control\" <ar@example.com>", &name, &address, &cause), DUN_OK);
	assert_string_equal(name, "Credit control");
	assert_string_equal(address, "ar@example.com");
	free(name);
	free(address);
	assert_int_equal(mail_address_parse("nobody", &name, &address, &cause), DUN_EDATA);
	assert_string_equal(cause, "address \"nobody\": not a valid e-mail address");
	free(cause);
}

static void test_transports(void **state)
{
	(void)state;
	static const char *const good[] = {
		"sendmail /usr/sbin/sendmail -oi -t", "smtp://mail.example.com", "smtp://mail.example.com:587",
		"smtps://mail.example.com:465", "smtp://user:secret@mail.example.com:587", "smtp://[::1]:25",
	};
	static const char *const bad[] = {
		"sendmail", "sendmail   ", "/usr/sbin/sendmail -t", "SMTP://mail.example.com", "smtp://",
		"smtp://mail.example.com:99999", "smtp://mail.example.com:port", "smtp://mail example.com:25",
		"smtp://:25", "ftp://mail.example.com",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (mail_transport_check(good[i]) != NULL)
			fail_msg("refused: %s", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (mail_transport_check(bad[i]) == NULL)
			fail_msg("accepted: %s", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_message),
		cmocka_unit_test(test_encoded_words),
		cmocka_unit_test(test_header_injection),
		cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_attachment),
		cmocka_unit_test(test_letter),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_transports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
