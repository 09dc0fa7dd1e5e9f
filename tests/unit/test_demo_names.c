/* The demo's parties: valid UTF-8 names, bank spellings in ASCII capitals
 * within 35 characters, mail only at reserved .example domains, and IBANs
 * whose check digits and lengths are right, for every country. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <string.h>
#include "demo_names.h"
#include "text.h"

/* ISO 13616: the rearranged IBAN, letters as 10..35, is 1 mod 97. */
static int iban_mod97(const char *iban)
{
	char moved[80];
	size_t n = strlen(iban);
	memcpy(moved, iban + 4, n - 4);
	memcpy(moved + n - 4, iban, 4);
	moved[n] = '\0';
	int rem = 0;
	for (const char *p = moved; *p; p++)
		rem = isdigit((unsigned char)*p) ? (rem * 10 + (*p - '0')) % 97 : (rem * 100 + (*p - 'A' + 10)) % 97;
	return rem;
}

static void check_party(const struct demo_party *p, enum demo_country c)
{
	static const size_t iban_length[] = {
		[DEMO_FR] = 27, [DEMO_BE] = 16, [DEMO_DE] = 22, [DEMO_GB] = 22, [DEMO_CH] = 21,
	};
	assert_true(p->name[0] != '\0');
	assert_true(text_utf8_valid(p->name, strlen(p->name)));
	assert_true(text_utf8_valid(p->address, strlen(p->address)));
	size_t n = strlen(p->payer);
	assert_true(n > 0 && n <= 35);
	for (const char *s = p->payer; *s; s++)
		assert_true(isupper((unsigned char)*s) || isdigit((unsigned char)*s) || *s == ' ');
	const char *at = strchr(p->email, '@');
	assert_non_null(at);
	n = strlen(p->email);
	assert_true(n > 8 && strcmp(p->email + n - 8, ".example") == 0);
	assert_true(strcmp(p->language, "en") == 0 || strcmp(p->language, "fr") == 0);
	assert_true(p->phone[0] == '+');
	assert_true(p->naccounts == 1 || p->naccounts == 2);
	for (int i = 0; i < p->naccounts; i++) {
		if (c <= DEMO_CH) {
			assert_int_equal(strlen(p->account[i]), iban_length[c]);
			assert_int_equal(iban_mod97(p->account[i]), 1);
		} else {
			assert_true(strlen(p->account[i]) > 10);
		}
	}
}

static void test_every_country(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 5, 0);
	for (int c = DEMO_FR; c <= DEMO_KR; c++) {
		for (int i = 0; i < 300; i++) {
			struct demo_party p;
			demo_party_make(&r, (enum demo_country)c, c == DEMO_FR && i % 3 == 0, &p);
			check_party(&p, (enum demo_country)c);
		}
	}
}

/* French public bodies are paid by the Treasury, under its name. */
static void test_public_payer(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 6, 0);
	for (int i = 0; i < 50; i++) {
		struct demo_party p;
		demo_party_make(&r, DEMO_FR, true, &p);
		assert_true(strncmp(p.payer, "TRESORERIE ", 11) == 0 || strncmp(p.payer, "DGFIP SGC ", 10) == 0);
		assert_string_equal(p.language, "fr");
	}
}

static void test_replay(void **state)
{
	(void)state;
	struct rng a, b;
	rng_seed(&a, 9, 3);
	rng_seed(&b, 9, 3);
	struct demo_party p, q;
	demo_party_make(&a, DEMO_JP, false, &p);
	demo_party_make(&b, DEMO_JP, false, &q);
	assert_memory_equal(&p, &q, sizeof p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_country),
		cmocka_unit_test(test_public_payer),
		cmocka_unit_test(test_replay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
