/* E-mail: MIME composition (RFC 5322, RFC 2045, RFC 2047) and the two
 * transports, a sendmail-style command run with execvp (never a shell)
 * and smtp:// or smtps:// through libcurl.
 *
 * Header values never carry a line break: control characters in display
 * names and subjects become spaces before encoding, non-ASCII text is sent
 * as RFC 2047 encoded-words, and addresses are checked against a strict
 * addr-spec, so imported text cannot add a header. */
#ifndef DUN_MAIL_H
#define DUN_MAIL_H
#include <stdbool.h>
#include <stddef.h>
#include "date.h"

struct mail_attachment {
	const char *file_name;       /* ASCII, e.g. "statement-C001.xlsx" */
	const char *content_type;
	const void *data;
	size_t size;
};

struct mail_message {
	const char *from;            /* "Name <addr>" or "addr" */
	const char *to_name;         /* display name, may be NULL or "" */
	const char *to_address;
	const char *subject, *body;  /* UTF-8; the body's lines end in \n */
	const char *message_id;      /* "<...@...>" */
	day_t date;                  /* the Date: header, at 00:00 UTC */
	const struct mail_attachment *attachment; /* NULL: none */
	/* A letter, printed and posted rather than sent: the same message
	 * marked "X-Dun-Channel: letter", and a to_address that is not an
	 * address (a customer with no e-mail) makes To: name the addressee
	 * alone, as an empty group ("Acme Ltd":;). */
	bool letter;
};

/* True for a plain addr-spec (local@domain, printable ASCII, no quoting,
 * no leading '-'). */
bool mail_address_valid(const char *address);
/* Splits "Name <addr>" or "addr" into its parts (the caller frees both)
 * and checks the address. */
int mail_address_parse(const char *text, char **name, char **address, char **cause);

/* Composes the message with CRLF line ends into *out (the caller frees),
 * its length in *len. Fails on an invalid address (but a letter's
 * recipient). */
int mail_compose(const struct mail_message *m, char **out, size_t *len, char **cause);

/* Appends an RFC 2047 rendering of a header text to b: unchanged when it
 * is short printable ASCII, else UTF-8 "B" encoded-words folded with
 * CRLF SP. phrase: a display name, quoted when it holds specials. */
struct buf;
void mail_header_text(struct buf *b, const char *text, bool phrase);

/* Sends a composed message (CRLF line ends) to one recipient through the
 * transport ("sendmail PROGRAM [ARGS...]", "smtp://HOST:PORT" or
 * "smtps://HOST:PORT"). A sendmail program gets the message on its
 * standard input (LF line ends) and the recipient as its last argument
 * unless -t is among the arguments. */
int mail_send(const char *transport, const char *from_address, const char *to_address,
    const char *message, size_t len, char **cause);
/* NULL when transport has one of the forms mail_send takes, else why not
 * (for the configuration to refuse it at its own line). */
const char *mail_transport_check(const char *transport);
#endif
