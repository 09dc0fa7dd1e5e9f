/* Civil-calendar arithmetic on day numbers (Howard Hinnant's algorithms,
 * valid for every proleptic Gregorian date we can meet). */
#include "date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool date_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month == 2 && date_is_leap(year))
		return 29;
	return days[month - 1];
}

bool date_valid_ymd(int year, int month, int day)
{
	return year >= 1000 && year <= 9999 && month >= 1 && month <= 12 &&
	    day >= 1 && day <= date_days_in_month(year, month);
}

day_t date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_ymd(day_t z, int *year, int *month, int *day)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int y = yoe + era * 400;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int d = doy - (153 * mp + 2) / 5 + 1;
	int m = mp + (mp < 10 ? 3 : -9);
	*year = y + (m <= 2);
	*month = m;
	*day = d;
}

static bool read_digits(const char **s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return false;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return true;
}

bool date_parse_iso(const char *text, day_t *out)
{
	return date_parse_format(text, "%Y-%m-%d", out);
}

bool date_format_valid(const char *format)
{
	bool day = false, month = false, year = false;
	for (const char *p = format; *p; p++) {
		if (*p != '%')
			continue;
		switch (*++p) {
		case 'd': day = true; break;
		case 'm': month = true; break;
		case 'Y': case 'y': year = true; break;
		default: return false;
		}
	}
	return day && month && year;
}

bool date_parse_format(const char *text, const char *format, day_t *out)
{
	int y = 0, m = 0, d = 0;
	bool have_y = false, have_m = false, have_d = false;
	const char *s = text;
	for (const char *f = format; *f; f++) {
		if (*f != '%') {
			if (*s++ != *f)
				return false;
			continue;
		}
		f++;
		switch (*f) {
		case 'Y':
			if (!read_digits(&s, 4, &y))
				return false;
			have_y = true;
			break;
		case 'y':
			if (!read_digits(&s, 2, &y))
				return false;
			y += y < 70 ? 2000 : 1900; /* POSIX strptime's pivot */
			have_y = true;
			break;
		case 'm':
			if (!read_digits(&s, 2, &m))
				return false;
			have_m = true;
			break;
		case 'd':
			if (!read_digits(&s, 2, &d))
				return false;
			have_d = true;
			break;
		case '%':
			if (*s++ != '%')
				return false;
			break;
		default:
			return false;
		}
	}
	if (*s != '\0' || !have_y || !have_m || !have_d || !date_valid_ymd(y, m, d))
		return false;
	*out = date_from_ymd(y, m, d);
	return true;
}

char *date_format_iso(day_t d, char *buf)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	/* Digits by hand: the year is always 4 digits in the ledger's range. */
	unsigned yy = (unsigned)y % 10000;
	buf[0] = (char)('0' + yy / 1000);
	buf[1] = (char)('0' + yy / 100 % 10);
	buf[2] = (char)('0' + yy / 10 % 10);
	buf[3] = (char)('0' + yy % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + dd / 10);
	buf[9] = (char)('0' + dd % 10);
	buf[10] = '\0';
	return buf;
}

day_t date_add_months(day_t d, int n)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	int months = y * 12 + (m - 1) + n;
	y = months / 12;
	m = months % 12 + 1;
	int last = date_days_in_month(y, m);
	return date_from_ymd(y, m, dd > last ? last : dd);
}

day_t date_end_of_month(day_t d)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	return date_from_ymd(y, m, date_days_in_month(y, m));
}

int date_weekday(day_t d)
{
	/* 1970-01-01 was a Thursday (3 with Monday = 0). */
	int w = (d + 3) % 7;
	return w < 0 ? w + 7 : w;
}

bool date_today(day_t *out)
{
	const char *env = getenv("DUN_TODAY");
	if (env != NULL && *env != '\0')
		return date_parse_iso(env, out);
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	*out = date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return true;
}
