/* Synthetic parties for the demo ledger: company names as a European
 * seller's customer master holds them (French with accents, German,
 * Belgian, Swiss, British, American, and a few Chinese, Japanese and
 * Korean), with contacts, addresses and payer bank accounts shaped like the
 * real thing, and the way a bank statement spells the payer. Internal to
 * demo.c. */
#ifndef DUN_DEMO_NAMES_H
#define DUN_DEMO_NAMES_H
#include <stdbool.h>
#include "rng.h"

enum demo_country { DEMO_FR, DEMO_BE, DEMO_DE, DEMO_GB, DEMO_CH, DEMO_US, DEMO_JP, DEMO_CN, DEMO_KR };

struct demo_party {
	char name[128];        /* UTF-8, as the customer master writes it */
	char payer[36];        /* as a bank writes it: ASCII capitals, at most 35 */
	char email[96];        /* always at a reserved .example domain */
	char phone[32];
	char address[128];
	char language[3];      /* "en" or "fr" */
	char account[2][64];   /* the accounts it pays from: IBAN where the country has them */
	int naccounts;
};

/* Makes a party of a country; public_body gives town halls, hospitals,
 * schools and the like instead of companies. */
void demo_party_make(struct rng *r, enum demo_country country, bool public_body, struct demo_party *p);
#endif
