/* Dates as day numbers: days since 1970-01-01 in the proleptic Gregorian
 * calendar. The store keeps ISO text; code computes with day numbers. */
#ifndef DUN_DATE_H
#define DUN_DATE_H
#include <stdbool.h>
#include <stdint.h>

typedef int32_t day_t;
#define DATE_TEXT_MAX 11 /* "YYYY-MM-DD" and NUL */
#define DATE_NONE INT32_MIN /* no date (NULL in the store) */

day_t date_from_ymd(int year, int month, int day);
void date_to_ymd(day_t d, int *year, int *month, int *day);
bool date_valid_ymd(int year, int month, int day);
bool date_is_leap(int year);
int date_days_in_month(int year, int month);

/* Parses exactly "YYYY-MM-DD" (years 1000-9999). */
bool date_parse_iso(const char *text, day_t *out);
/* Parses with a strftime-like format of %d %m %Y %y and literal
 * characters, e.g. "%d/%m/%Y". */
bool date_parse_format(const char *text, const char *format, day_t *out);
/* True when format names a day, a month and a year with only those. */
bool date_format_valid(const char *format);
/* Writes "YYYY-MM-DD" into buf (DATE_TEXT_MAX bytes) and returns buf. */
char *date_format_iso(day_t d, char *buf);

/* Adds n calendar months, clamping the day to the target month's end
 * (03-31 minus one month is 02-28 or 02-29). */
day_t date_add_months(day_t d, int n);
day_t date_end_of_month(day_t d);
/* 0 = Monday ... 6 = Sunday. */
int date_weekday(day_t d);

/* Today: $DUN_TODAY when set and valid, else the local date. Returns false
 * when DUN_TODAY is set but not a valid ISO date. */
bool date_today(day_t *out);
#endif
