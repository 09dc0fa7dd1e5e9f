/* Names, contacts and bank accounts for the demo ledger's customers. The
 * word lists are small, the combinations many: 50,000 customers still read
 * like a real customer master, duplicates included, as real ones have. */
#include "demo_names.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define PICK(r, a) ((a)[rng_range((r), 0, COUNT(a) - 1)])

static const char *const fr_surnames[] = {
	"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
	"Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
	"Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
	"Dupont", "Lambert", "Bonnet", "François", "Legrand", "Garnier", "Faure", "Rousseau",
	"Blanc", "Guérin", "Muller", "Henry", "Roussel", "Perrin", "Morin", "Mathieu",
	"Clément", "Gauthier", "Dumont", "Fontaine", "Chevalier", "Robin", "Masson", "Gérard",
	"Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Roche", "Noël",
	"Meyer", "Lucas", "Meunier", "Pérez", "Marchand", "Dufour", "Blanchard", "Barbier",
	"Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Renard", "Arnaud",
	"Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois", "Renaud",
	"Lemoine", "Picard", "Gaillard", "Lacroix", "Fabre", "Dupuis", "Olivier", "Hubert",
	"Rivière", "Le Gall", "Guillaume", "Moulin", "Berger", "Lecomte", "Ménard", "Fleury",
	"Deschamps", "Carpentier", "Benoît", "Maillard", "Aubry", "Vasseur", "Le Roux", "Jacquet",
	"Prévost", "Poirier", "Charpentier", "Royer", "Huet", "Baron", "Dupuy", "Carré",
	"Breton", "Rémy", "Perrot", "Guyot", "Marty", "Lebœuf", "Chrétien", "Hérault",
};

static const char *const fr_trades[] = {
	"Boulangerie", "Transports", "Menuiserie", "Imprimerie", "Plomberie", "Électricité",
	"Garage", "Pharmacie", "Librairie", "Fromagerie", "Caves", "Bâtiment", "Quincaillerie",
	"Boucherie", "Pâtisserie", "Brasserie", "Hôtel", "Cabinet", "Ateliers", "Laboratoires",
	"Matériaux", "Décoration", "Chaussures", "Optique", "Jardinerie", "Carrosserie",
	"Maçonnerie", "Charpente", "Traiteur", "Négoce", "Distribution", "Fournitures",
	"Équipements", "Nettoyage", "Sécurité", "Informatique", "Conseil", "Froid",
};

static const char *const fr_forms[] = { "SARL", "SAS", "SA", "EURL", "SASU", "SNC" };

static const char *const fr_inventions[] = {
	"Alpha", "Novatech", "Sud", "Armor", "Provence", "Atlantique", "Azur", "Alpes",
	"Euro", "Interdis", "Techni", "Agri", "Bretagne", "Normandie", "Val de Loire", "Méditerranée",
};

static const char *const fr_sectors[] = {
	"Industrie", "Solutions", "Services", "Emballages", "Équipement", "Énergies",
	"Logistique", "Matériaux", "Agroalimentaire", "Hygiène", "Bureautique", "Métallerie",
};

static const char *const fr_cities[] = {
	"Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Strasbourg", "Montpellier",
	"Bordeaux", "Lille", "Rennes", "Reims", "Saint-Étienne", "Le Havre", "Grenoble", "Dijon",
	"Angers", "Nîmes", "Besançon", "Orléans", "Rouen", "Mulhouse", "Caen", "Nancy",
	"Clermont-Ferrand", "Aix-en-Provence", "Brest", "Limoges", "Tours", "Amiens", "Perpignan",
	"Metz", "Béziers", "Annecy", "Valence", "Chambéry", "Épinal", "Périgueux", "Fréjus",
	"Villeurbanne", "Vénissieux", "Saint-Denis", "Argenteuil", "Montreuil", "Créteil",
	"Nanterre", "Pau", "Calais", "La Rochelle", "Cannes", "Antibes", "Bourges", "Quimper",
	"Troyes", "Lorient", "Niort", "Chartres", "Évry", "Sète", "Arles", "Saint-Malo",
	"Bayonne", "Vannes", "Cholet", "Colmar", "Blois", "Châteauroux", "Belfort", "Montauban",
	"Albi", "Alès", "Auxerre", "Mâcon", "Évreux", "Beauvais", "Hyères", "Agen", "Carcassonne",
	"Le Mans", "Angoulême", "Poitiers", "Saint-Nazaire", "Cergy", "Versailles", "Vienne",
};

static const int fr_postcodes[] = {
	75002, 69003, 13001, 31000, 6000, 44000, 67000, 34000, 33000, 59000, 35000, 51100,
	42000, 76600, 38000, 21000, 49100, 30000, 25000, 45000, 76000, 68100, 14000, 54000,
	63000, 13100, 29200, 87000, 37000, 80000, 66000, 57000, 34500, 74000, 26000, 73000,
	88000, 24000, 83600, 69100, 69200, 93200, 95100, 93100, 94000, 92000, 64000, 62100,
	17000, 6400, 6600, 18000, 29000, 10000, 56100, 79000, 28000, 91000, 34200, 13200,
	35400, 64100, 56000, 49300, 68000, 41000, 36000, 90000, 82000, 81000, 30100, 89000,
	71000, 27000, 60000, 83400, 47000, 11000, 72000, 16000, 86000, 44600, 95000, 78000,
	38200,
};

static const char *const fr_streets[] = {
	"rue de la République", "avenue Jean Jaurès", "boulevard Victor Hugo", "rue Pasteur",
	"place du Marché", "rue des Écoles", "chemin des Vignes", "rue du Général Leclerc",
	"avenue de la Gare", "rue Émile Zola", "quai des Chartrons", "zone artisanale des Près",
	"rue du Faubourg Saint-Honoré", "impasse des Tilleuls", "route de Lyon", "allée des Chênes",
};

static const char *const fr_people[] = {
	"Victor Hugo", "Jean Moulin", "Marie Curie", "Jules Ferry", "Louis Pasteur",
	"Simone Veil", "Jean Jaurès", "Georges Brassens", "Émile Zola", "Albert Camus",
	"Colette", "Paul Éluard", "Antoine de Saint-Exupéry", "Jacques Prévert",
};

/* %s takes "de Lyon", "d'Angers" or "du Havre". */
static const char *const fr_public[] = {
	"Mairie %s", "Centre hospitalier %s", "Université %s", "CCAS %s",
	"Office public de l'habitat %s", "Médiathèque %s", "Communauté d'agglomération %s",
	"Régie des eaux %s", "Théâtre municipal %s",
};

static const char *const fr_schools[] = { "Lycée %s", "Collège %s", "École élémentaire %s" };

static const char *const de_surnames[] = {
	"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Schäfer", "Köhler", "Schröder",
	"Weiß", "Groß", "Kühn", "Krüger", "Hoffmann", "Wagner", "Becker", "Böhm", "Jäger", "Lorenz",
};

static const char *const de_sectors[] = {
	"Maschinenbau", "Logistik", "Elektrotechnik", "Holzbau", "Präzisionsteile", "Verpackung",
	"Handelsgesellschaft", "Metallbau", "Lebensmittel", "Gerätebau",
};

static const char *const de_cities[] = {
	"Köln", "München", "Düsseldorf", "Stuttgart", "Nürnberg", "Saarbrücken", "Freiburg im Breisgau",
	"Mannheim", "Karlsruhe", "Frankfurt am Main",
};

static const char *const be_cities[] = { "Bruxelles", "Liège", "Namur", "Charleroi", "Mons", "Louvain-la-Neuve" };

static const char *const ch_surnames[] = {
	"Brändli", "Zürcher", "Meier", "Keller", "Frei", "Gerber", "Käser", "Hürlimann", "Nägeli",
	"Rochat", "Favre", "Perret", "Jaquet", "Rossier", "Bühler", "Fässler",
};

static const char *const ch_sectors[] = {
	"Präzision", "Uhren", "Horlogerie", "Mécanique", "Pharma", "Instruments", "Chocolatier", "Technik",
};

static const char *const ch_cities[] = { "Zürich", "Genève", "Lausanne", "Basel", "Bern", "Neuchâtel", "Biel/Bienne", "Luzern" };

static const char *const gb_words[] = {
	"Ashford", "Blackwood", "Carrington", "Northgate", "Westbury", "Thornbury", "Kingsley",
	"Harlow", "Pembroke", "Whitmore", "Redfern", "Oakridge", "Fairfax", "Marlow", "Hollis",
	"Brampton", "Sutherland", "Greenhill", "Stanmore", "Eastleigh",
};

static const char *const gb_sectors[] = {
	"Trading", "Logistics", "Engineering", "Foods", "Supplies", "Joinery", "Print",
	"Electrical", "Fabrications", "Consulting", "Retail", "Marine", "Instruments", "Textiles",
};

static const char *const gb_towns[] = { "London", "Leeds", "Bristol", "Manchester", "Glasgow", "Birmingham", "Norwich", "Cardiff" };

static const char *const us_words[] = {
	"Lakeside", "Summit", "Pioneer", "Redwood", "Keystone", "Liberty", "Bayview", "Granite",
	"Frontier", "Evergreen", "Ironwood", "Silverline", "Cedar Ridge", "Blue Harbor", "Prairie",
	"Great Lakes", "Golden Gate", "Lone Star",
};

static const char *const us_sectors[] = {
	"Industries", "Distribution", "Foods", "Supply", "Technologies", "Imports", "Medical",
	"Hospitality", "Brands", "Components", "Wine & Spirits", "Outfitters",
};

static const char *const us_forms[] = { "Inc.", "LLC", "Corp.", "Co." };

static const char *const us_cities[] = {
	"New York, NY 10118", "Chicago, IL 60601", "Houston, TX 77002", "Seattle, WA 98101",
	"Boston, MA 02110", "Atlanta, GA 30303", "Denver, CO 80202", "Miami, FL 33131",
};

/* CJK names with the romanisation their banks and mail domains use. */
struct cjk_word {
	const char *text, *latin;
};

static const struct cjk_word jp_places[] = {
	{ "東京", "Tokyo" }, { "大阪", "Osaka" }, { "名古屋", "Nagoya" }, { "横浜", "Yokohama" },
	{ "京都", "Kyoto" }, { "神戸", "Kobe" }, { "札幌", "Sapporo" }, { "福岡", "Fukuoka" },
};
static const struct cjk_word jp_trades[] = {
	{ "精密", "Seimitsu" }, { "物産", "Bussan" }, { "電機", "Denki" }, { "化学", "Kagaku" },
	{ "商事", "Shoji" }, { "製作所", "Seisakusho" }, { "工業", "Kogyo" }, { "食品", "Shokuhin" },
};
static const struct cjk_word cn_places[] = {
	{ "上海", "Shanghai" }, { "北京", "Beijing" }, { "深圳市", "Shenzhen" }, { "广州", "Guangzhou" },
	{ "杭州", "Hangzhou" }, { "苏州", "Suzhou" },
};
static const struct cjk_word cn_names[] = {
	{ "华联", "Hualian" }, { "海通", "Haitong" }, { "嘉和", "Jiahe" }, { "宏达", "Hongda" },
	{ "鑫源", "Xinyuan" }, { "恒信", "Hengxin" }, { "天成", "Tiancheng" },
};
static const struct cjk_word cn_trades[] = {
	{ "贸易", "Trading" }, { "电子", "Electronics" }, { "科技", "Technology" },
	{ "实业", "Industrial" }, { "机械", "Machinery" },
};
static const struct cjk_word kr_names[] = {
	{ "한빛", "Hanbit" }, { "대성", "Daesung" }, { "미래", "Mirae" }, { "서울", "Seoul" }, { "새한", "Saehan" },
};
static const struct cjk_word kr_trades[] = {
	{ "무역", "Trading" }, { "전자", "Electronics" }, { "산업", "Industries" }, { "정밀", "Precision" },
};

#define PICK_CJK(r, a) (&(a)[rng_range((r), 0, COUNT(a) - 1)])

/* ASCII of Latin-1 letters U+00C0..U+00FF, for mail domains and payer
 * names ('?' where no letter fits). */
static const char latin1_ascii[] = "AAAAAAACEEEEIIIIDNOOOOO?OUUUUY?saaaaaaaceeeeiiiidnooooo?ouuuuy?y";

/* Folds UTF-8 text to ASCII letters, digits and single spaces. Other
 * characters (punctuation, CJK) become spaces. */
static void fold_ascii(const char *s, char *out, size_t size)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && n + 3 < size) {
		const char *add = " ";
		char one[2] = { 0, 0 };
		if (*p < 0x80) {
			one[0] = isalnum(*p) ? (char)*p : ' ';
			add = one;
			p++;
		} else if ((*p == 0xc3) && p[1] >= 0x80 && p[1] <= 0xbf) {
			int cp = ((*p & 0x1f) << 6) | (p[1] & 0x3f);
			if (cp == 0xdf)
				add = "ss";
			else if (cp == 0xc6)
				add = "AE";
			else if (cp == 0xe6)
				add = "ae";
			else if (cp >= 0xc0) {
				one[0] = latin1_ascii[cp - 0xc0];
				add = one[0] == '?' ? " " : one;
			}
			p += 2;
		} else if (*p == 0xc5 && (p[1] == 0x92 || p[1] == 0x93)) {
			add = p[1] == 0x92 ? "OE" : "oe";
			p += 2;
		} else {
			p++;
			while ((*p & 0xc0) == 0x80)
				p++;
		}
		for (; *add && n + 1 < size; add++) {
			if (*add == ' ' && (n == 0 || out[n - 1] == ' '))
				continue;
			out[n++] = *add;
		}
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* The legal forms a mail domain leaves out. */
static bool is_legal_form(const char *word)
{
	static const char *const forms[] = {
		"sarl", "sas", "sa", "eurl", "sasu", "snc", "gmbh", "kg", "ag", "ltd", "plc",
		"llc", "inc", "corp", "co", "sprl", "srl", "nv", "ets",
	};
	for (int i = 0; i < COUNT(forms); i++)
		if (strcmp(word, forms[i]) == 0)
			return true;
	return false;
}

/* "Boulangerie Lefèvre SARL" -> "boulangerie-lefevre.example". The .example
 * top-level domain is reserved (RFC 2606): the demo's dunning e-mails can
 * never reach a real company, whatever transport is configured. */
static void make_domain(const char *latin, char *out, size_t size)
{
	char folded[128], word[64];
	fold_ascii(latin, folded, sizeof folded);
	size_t n = 0, words = 0;
	const char *p = folded;
	while (*p && words < 3) {
		size_t w = 0;
		while (*p && *p != ' ' && w + 1 < sizeof word)
			word[w++] = (char)tolower((unsigned char)*p++);
		word[w] = '\0';
		while (*p == ' ')
			p++;
		if (w == 0 || is_legal_form(word) || strcmp(word, "de") == 0 || strcmp(word, "d") == 0
		    || strcmp(word, "du") == 0 || strcmp(word, "la") == 0 || strcmp(word, "et") == 0
		    || strcmp(word, "des") == 0
		    || strcmp(word, "l") == 0)
			continue;
		if (n + w + 2 >= size - 9)
			break;
		if (n > 0)
			out[n++] = '-';
		memcpy(out + n, word, w);
		n += w;
		words++;
	}
	if (n == 0) {
		memcpy(out, "customer", 8);
		n = 8;
	}
	snprintf(out + n, size - n, ".example");
}

/* "Saint-Étienne" -> "de Saint-Étienne", "Angers" -> "d'Angers",
 * "Le Havre" -> "du Havre". */
static void french_of(const char *city, char *out, size_t size)
{
	if (strncmp(city, "Le ", 3) == 0)
		snprintf(out, size, "du %s", city + 3);
	else if (strchr("AEIOUY", city[0]) || strncmp(city, "É", strlen("É")) == 0)
		snprintf(out, size, "d'%s", city);
	else
		snprintf(out, size, "de %s", city);
}

/* Fills the check digits of an IBAN whose first four characters are the
 * country code and "00" (ISO 13616: mod 97 of the rearranged digits). */
static void iban_check(char *iban)
{
	char moved[64];
	snprintf(moved, sizeof moved, "%s%.4s", iban + 4, iban);
	unsigned rem = 0;
	for (const char *p = moved; *p; p++) {
		unsigned v = isdigit((unsigned char)*p) ? (unsigned)(*p - '0') : (unsigned)(*p - 'A' + 10);
		rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
	}
	unsigned check = 98 - rem;
	iban[2] = (char)('0' + check / 10);
	iban[3] = (char)('0' + check % 10);
}

static void digits(struct rng *r, char *out, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = (char)('0' + rng_range(r, 0, 9));
	out[n] = '\0';
}

static void make_account(struct rng *r, enum demo_country country, char *out, size_t size)
{
	char a[16], b[16];
	switch (country) {
	case DEMO_FR: {
		static const char *const banks[] = { "30004", "30003", "30002", "10278", "11306", "20041", "30066", "18206" };
		digits(r, a, 5);
		digits(r, b, 11);
		const char *bank = PICK(r, banks);
		/* The French RIB key: 97 - (89 bank + 15 branch + 3 account) mod 97. */
		unsigned long long k = (89ULL * strtoull(bank, NULL, 10) + 15ULL * strtoull(a, NULL, 10)
		    + 3ULL * (strtoull(b, NULL, 10) % 97)) % 97;
		snprintf(out, size, "FR00%s%s%s%02llu", bank, a, b, 97 - k);
		break;
	}
	case DEMO_BE:
		/* Belgian account numbers end in their own mod-97 check. */
		digits(r, a, 10);
		unsigned long long k = strtoull(a, NULL, 10) % 97;
		snprintf(out, size, "BE00%s%02llu", a, k == 0 ? 97 : k);
		break;
	case DEMO_DE: {
		static const char *const blz[] = { "37040044", "50010517", "70020270", "20070000", "60050101" };
		digits(r, a, 10);
		snprintf(out, size, "DE00%s%s", PICK(r, blz), a);
		break;
	}
	case DEMO_GB: {
		static const char *const banks[] = { "NWBK", "BARC", "LOYD", "HBUK", "MIDL" };
		digits(r, a, 6);
		digits(r, b, 8);
		snprintf(out, size, "GB00%s%s%s", PICK(r, banks), a, b);
		break;
	}
	case DEMO_CH: {
		static const char *const clearing[] = { "00762", "00230", "00700", "00483", "08390" };
		digits(r, a, 12);
		snprintf(out, size, "CH00%s%s", PICK(r, clearing), a);
		break;
	}
	case DEMO_US: {
		/* American banks have no IBAN: statements show routing and
		 * account numbers. */
		static const char *const aba[] = { "021000021", "026009593", "121000248", "011000138" };
		digits(r, a, 10);
		snprintf(out, size, "ABA %s ACCT %s", PICK(r, aba), a);
		return;
	}
	case DEMO_JP:
	case DEMO_CN:
	case DEMO_KR: {
		static const char *const bic[][3] = {
			{ "BOTKJPJT", "MHCBJPJT", "SMBCJPJT" },
			{ "ICBKCNBJ", "BKCHCNBJ", "PCBCCNBJ" },
			{ "HVBKKRSE", "KOEXKRSE", "CZNBKRSE" },
		};
		digits(r, a, 10);
		snprintf(out, size, "%s %s", bic[country - DEMO_JP][rng_range(r, 0, 2)], a);
		return;
	}
	}
	iban_check(out);
}

_Static_assert(COUNT(fr_cities) == COUNT(fr_postcodes), "one postcode per city");

/* What the country-specific part decides beyond the party's own fields:
 * the Latin spelling mail domains use, the name a bank writes as payer
 * (usually the same), and the mailbox. */
struct draft {
	char latin[128];
	char payer[128];
	const char *mailbox;
};

static void append(char *s, size_t size, const char *fmt, const char *arg)
{
	size_t n = strlen(s);
	snprintf(s + n, size - n, fmt, arg);
}

static void make_french(struct rng *r, bool public_body, struct demo_party *p, struct draft *d)
{
	static const char *const mailboxes[] = { "compta", "comptabilite", "fournisseurs", "factures", "service.comptable" };
	static const char *const public_mailboxes[] = { "mandatement", "service.financier", "factures", "ordonnateur" };
	int c = (int)rng_range(r, 0, COUNT(fr_cities) - 1);
	const char *city = fr_cities[c];
	char of[64];
	french_of(city, of, sizeof of);
	const char *surname = PICK(r, fr_surnames);
	const char *form = PICK(r, fr_forms);
	if (public_body) {
		d->mailbox = PICK(r, public_mailboxes);
		if (rng_chance(r, 250)) {
			char school[96];
			snprintf(school, sizeof school, PICK(r, fr_schools), PICK(r, fr_people));
			snprintf(p->name, sizeof p->name, "%s (%s)", school, city);
		} else {
			snprintf(p->name, sizeof p->name, PICK(r, fr_public), of);
		}
	} else {
		d->mailbox = PICK(r, mailboxes);
		switch (rng_range(r, 0, 5)) {
		case 0:
			snprintf(p->name, sizeof p->name, "%s %s", PICK(r, fr_trades), surname);
			if (rng_chance(r, 500))
				append(p->name, sizeof p->name, " %s", form);
			break;
		case 1:
			snprintf(p->name, sizeof p->name, rng_chance(r, 500) ? "Établissements %s" : "Éts %s et Fils", surname);
			break;
		case 2:
			snprintf(p->name, sizeof p->name, "%s %s", surname, rng_chance(r, 500) ? "& Fils" : "Frères");
			append(p->name, sizeof p->name, " %s", form);
			break;
		case 3:
			snprintf(p->name, sizeof p->name, "%s %s %s", PICK(r, fr_trades), of, form);
			break;
		case 4:
			snprintf(p->name, sizeof p->name, "%s-%s %s %s", surname, PICK(r, fr_surnames), PICK(r, fr_sectors), form);
			break;
		default:
			snprintf(p->name, sizeof p->name, "%s %s %s", PICK(r, fr_inventions), PICK(r, fr_sectors), form);
			break;
		}
	}
	snprintf(p->address, sizeof p->address, "%d %s, %05d %s", (int)rng_range(r, 1, 180),
	    PICK(r, fr_streets), fr_postcodes[c], city);
	snprintf(p->phone, sizeof p->phone, "+33 %d %02d %02d %02d %02d", (int)rng_range(r, 1, 5),
	    (int)rng_range(r, 10, 99), (int)rng_range(r, 0, 99), (int)rng_range(r, 0, 99), (int)rng_range(r, 0, 99));
	snprintf(d->latin, sizeof d->latin, "%s", p->name);
	if (public_body)
		/* French public bodies pay through the Treasury's accountant:
		 * the payer on the statement is not the customer's name. */
		snprintf(d->payer, sizeof d->payer, "%s %s", rng_chance(r, 700) ? "Trésorerie" : "DGFIP SGC", city);
	else
		snprintf(d->payer, sizeof d->payer, "%s", p->name);
}

static void make_belgian(struct rng *r, struct demo_party *p, struct draft *d)
{
	static const int postcodes[] = { 1000, 4000, 5000, 6000, 7000, 1348 };
	static const char *const streets[] = { "Avenue Louise", "Rue Neuve", "Chaussée de Waterloo", "Rue de la Station" };
	static const char *const forms[] = { "SRL", "SA", "SPRL" };
	_Static_assert(COUNT(postcodes) == COUNT(be_cities), "one postcode per city");
	int c = (int)rng_range(r, 0, COUNT(be_cities) - 1);
	snprintf(p->name, sizeof p->name, "%s %s %s", PICK(r, fr_trades), PICK(r, fr_surnames), PICK(r, forms));
	snprintf(p->address, sizeof p->address, "%s %d, %04d %s", PICK(r, streets), (int)rng_range(r, 1, 250),
	    postcodes[c], be_cities[c]);
	snprintf(p->phone, sizeof p->phone, "+32 %d %03d %02d %02d", (int)rng_range(r, 2, 9),
	    (int)rng_range(r, 100, 999), (int)rng_range(r, 0, 99), (int)rng_range(r, 0, 99));
	d->mailbox = "comptabilite";
}

static void make_german(struct rng *r, struct demo_party *p, struct draft *d)
{
	static const char *const streets[] = { "Hauptstraße", "Bahnhofstraße", "Industriestraße", "Gartenweg", "Am Hafen" };
	const char *surname = PICK(r, de_surnames);
	switch (rng_range(r, 0, 2)) {
	case 0:
		snprintf(p->name, sizeof p->name, "%s %s GmbH", surname, PICK(r, de_sectors));
		break;
	case 1:
		snprintf(p->name, sizeof p->name, "%s & %s KG", surname, PICK(r, de_surnames));
		break;
	default:
		snprintf(p->name, sizeof p->name, "%s GmbH & Co. KG", surname);
		break;
	}
	snprintf(p->address, sizeof p->address, "%s %d, %05d %s", PICK(r, streets), (int)rng_range(r, 1, 120),
	    (int)rng_range(r, 10115, 99998), PICK(r, de_cities));
	snprintf(p->phone, sizeof p->phone, "+49 %d %07d", (int)rng_range(r, 211, 911), (int)rng_range(r, 1000000, 9999999));
	d->mailbox = rng_chance(r, 500) ? "buchhaltung" : "rechnungen";
}

static void make_swiss(struct rng *r, struct demo_party *p, struct draft *d)
{
	int s = (int)rng_range(r, 0, COUNT(ch_surnames) - 1);
	/* The second half of the surnames are from the French-speaking part. */
	bool romand = s >= COUNT(ch_surnames) / 2;
	snprintf(p->name, sizeof p->name, "%s %s %s", ch_surnames[s], PICK(r, ch_sectors), romand ? "SA" : "AG");
	snprintf(p->address, sizeof p->address, "%s %d, %04d %s", romand ? "Rue du Rhône" : "Bahnhofstrasse",
	    (int)rng_range(r, 1, 90), (int)rng_range(r, 1000, 9658), PICK(r, ch_cities));
	snprintf(p->phone, sizeof p->phone, "+41 %d %03d %02d %02d", (int)rng_range(r, 21, 91),
	    (int)rng_range(r, 100, 999), (int)rng_range(r, 0, 99), (int)rng_range(r, 0, 99));
	d->mailbox = romand ? "comptabilite" : "kreditoren";
	if (romand)
		snprintf(p->language, sizeof p->language, "fr");
}

static void make_british(struct rng *r, struct demo_party *p, struct draft *d)
{
	static const char *const forms[] = { "Ltd", "Ltd", "plc", "LLP" };
	static const char *const mailboxes[] = { "accounts", "ap", "accounts.payable", "finance", "invoices" };
	if (rng_chance(r, 250))
		snprintf(p->name, sizeof p->name, "%s & %s %s", PICK(r, gb_words), PICK(r, gb_words), PICK(r, forms));
	else
		snprintf(p->name, sizeof p->name, "%s %s %s", PICK(r, gb_words), PICK(r, gb_sectors), PICK(r, forms));
	const char *town = PICK(r, gb_towns);
	snprintf(p->address, sizeof p->address, "%d High Street, %s %c%c%d %d%c%c", (int)rng_range(r, 1, 300), town,
	    town[0], (char)('A' + rng_range(r, 0, 25)), (int)rng_range(r, 1, 20), (int)rng_range(r, 1, 9),
	    (char)('A' + rng_range(r, 0, 25)), (char)('A' + rng_range(r, 0, 25)));
	/* 020 7946 0xxx is Ofcom's range reserved for fiction. */
	snprintf(p->phone, sizeof p->phone, "+44 20 7946 0%03d", (int)rng_range(r, 0, 999));
	d->mailbox = PICK(r, mailboxes);
}

static void make_american(struct rng *r, struct demo_party *p, struct draft *d)
{
	static const char *const mailboxes[] = { "ap", "accountspayable", "finance", "payables" };
	static const int area[] = { 212, 312, 713, 206, 617, 404, 303, 305 };
	_Static_assert(COUNT(area) == COUNT(us_cities), "one area code per city");
	int c = (int)rng_range(r, 0, COUNT(us_cities) - 1);
	snprintf(p->name, sizeof p->name, "%s %s %s", PICK(r, us_words), PICK(r, us_sectors), PICK(r, us_forms));
	snprintf(p->address, sizeof p->address, "%d %s, %s", (int)rng_range(r, 10, 9999),
	    rng_chance(r, 500) ? "Main Street" : "Commerce Drive", us_cities[c]);
	/* 555-0100 to 555-0199 are the numbers reserved for fiction. */
	snprintf(p->phone, sizeof p->phone, "+1 %d 555 01%02d", area[c], (int)rng_range(r, 0, 99));
	d->mailbox = PICK(r, mailboxes);
}

static void make_east_asian(struct rng *r, enum demo_country country, struct demo_party *p, struct draft *d)
{
	static const char *const jp_districts[] = { "Chiyoda-ku", "Minato-ku", "Chuo-ku", "Kita-ku", "Naka-ku" };
	d->mailbox = "finance";
	if (country == DEMO_JP) {
		const struct cjk_word *place = PICK_CJK(r, jp_places), *trade = PICK_CJK(r, jp_trades);
		bool prefix = rng_chance(r, 500);
		snprintf(p->name, sizeof p->name, "%s%s%s%s", prefix ? "株式会社" : "", place->text, trade->text,
		    prefix ? "" : "株式会社");
		snprintf(d->latin, sizeof d->latin, "%s %s Co., Ltd.", place->latin, trade->latin);
		snprintf(p->address, sizeof p->address, "%d-%d-%d %s, %s", (int)rng_range(r, 1, 9), (int)rng_range(r, 1, 20),
		    (int)rng_range(r, 1, 30), PICK(r, jp_districts), place->latin);
		snprintf(p->phone, sizeof p->phone, "+81 %d %04d %04d", (int)rng_range(r, 3, 6),
		    (int)rng_range(r, 1000, 9999), (int)rng_range(r, 0, 9999));
	} else if (country == DEMO_CN) {
		const struct cjk_word *place = PICK_CJK(r, cn_places), *name = PICK_CJK(r, cn_names),
		    *trade = PICK_CJK(r, cn_trades);
		snprintf(p->name, sizeof p->name, "%s%s%s有限公司", place->text, name->text, trade->text);
		snprintf(d->latin, sizeof d->latin, "%s %s %s Co., Ltd.", place->latin, name->latin, trade->latin);
		snprintf(p->address, sizeof p->address, "No. %d %s Road, %s", (int)rng_range(r, 1, 888),
		    name->latin, place->latin);
		snprintf(p->phone, sizeof p->phone, "+86 %d %04d %04d", (int)rng_range(r, 10, 29),
		    (int)rng_range(r, 1000, 9999), (int)rng_range(r, 0, 9999));
	} else {
		const struct cjk_word *name = PICK_CJK(r, kr_names), *trade = PICK_CJK(r, kr_trades);
		snprintf(p->name, sizeof p->name, "%s%s 주식회사", name->text, trade->text);
		snprintf(d->latin, sizeof d->latin, "%s %s Co., Ltd.", name->latin, trade->latin);
		snprintf(p->address, sizeof p->address, "%d Teheran-ro, Gangnam-gu, Seoul", (int)rng_range(r, 1, 520));
		snprintf(p->phone, sizeof p->phone, "+82 2 %04d %04d", (int)rng_range(r, 1000, 9999), (int)rng_range(r, 0, 9999));
	}
}

/* A bank's spelling: ASCII capitals, punctuation dropped, cut at the
 * 35 characters of the SEPA and SWIFT name fields. */
static void bank_spelling(const char *name, char *out, size_t size)
{
	char folded[128];
	fold_ascii(name, folded, sizeof folded);
	size_t n = 0;
	for (const char *s = folded; *s && n + 1 < size && n < 35; s++)
		out[n++] = (char)toupper((unsigned char)*s);
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

void demo_party_make(struct rng *r, enum demo_country country, bool public_body, struct demo_party *p)
{
	struct draft d = { .latin = "", .payer = "", .mailbox = "accounts" };
	memset(p, 0, sizeof *p);
	snprintf(p->language, sizeof p->language, "en");
	switch (country) {
	case DEMO_FR:
		make_french(r, public_body, p, &d);
		snprintf(p->language, sizeof p->language, "fr");
		break;
	case DEMO_BE:
		make_belgian(r, p, &d);
		snprintf(p->language, sizeof p->language, "fr");
		break;
	case DEMO_DE:
		make_german(r, p, &d);
		break;
	case DEMO_CH:
		make_swiss(r, p, &d);
		break;
	case DEMO_GB:
		make_british(r, p, &d);
		break;
	case DEMO_US:
		make_american(r, p, &d);
		break;
	case DEMO_JP:
	case DEMO_CN:
	case DEMO_KR:
		make_east_asian(r, country, p, &d);
		break;
	}
	if (d.latin[0] == '\0')
		snprintf(d.latin, sizeof d.latin, "%s", p->name);
	if (d.payer[0] == '\0')
		snprintf(d.payer, sizeof d.payer, "%s", d.latin);
	char domain[64];
	make_domain(d.latin, domain, sizeof domain);
	snprintf(p->email, sizeof p->email, "%s@%s", d.mailbox, domain);
	bank_spelling(d.payer, p->payer, sizeof p->payer);
	p->naccounts = rng_chance(r, 120) ? 2 : 1;
	for (int i = 0; i < p->naccounts; i++)
		make_account(r, country, p->account[i], sizeof p->account[i]);
}
