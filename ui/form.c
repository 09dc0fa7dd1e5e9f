/* Forms drawn centred over the view, validated on every key. */
#include "form.h"
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "modal.h"
#include "screen.h"
#include "status.h"
#include "text.h"
#include "xalloc.h"

struct form *form_new(const char *title, int (*submit)(struct ui *, struct form *), void *data)
{
	struct form *f = xcalloc(1, sizeof *f);
	f->title = xstrdup(title);
	f->submit = submit;
	f->data = data;
	return f;
}

int form_add(struct form *f, const char *label, const char *value,
    const char *(*check)(struct form *, int, const char *), const char *const *choices)
{
	int i = f->nfields++;
	struct form_field *fld = &f->field[i];
	fld->label = label;
	fld->check = check;
	fld->choices = choices;
	edit_set(&fld->edit, value ? value : (choices ? choices[0] : ""));
	return i;
}

const char *form_value(const struct form *f, int field)
{
	return edit_text(&f->field[field].edit);
}

static const char *field_problem(struct form *f, int i)
{
	struct form_field *fld = &f->field[i];
	if (fld->check == NULL)
		return NULL;
	return fld->check(f, i, edit_text(&fld->edit));
}

/* The first invalid field, or -1. */
static int first_problem(struct form *f)
{
	for (int i = 0; i < f->nfields; i++)
		if (field_problem(f, i) != NULL)
			return i;
	return -1;
}

static void form_free(void *state)
{
	struct form *f = state;
	for (int i = 0; i < f->nfields; i++)
		edit_free(&f->field[i].edit);
	free(f->title);
	free(f->data);
	free(f);
}

static void form_draw(struct ui *ui, void *state)
{
	(void)ui;
	struct form *f = state;
	int rows = getmaxy(stdscr), cols = getmaxx(stdscr);
	int label_w = 0;
	for (int i = 0; i < f->nfields; i++)
		if (text_width(f->field[i].label) > label_w)
			label_w = text_width(f->field[i].label);
	int width = screen_clamp(64, 0, cols);
	int height = screen_clamp(f->nfields + 5, 0, rows);
	int y = screen_clamp((rows - height) / 2, 0, rows), x = screen_clamp((cols - width) / 2, 0, cols);
	screen_fill(y, x, height, width, STYLE_NORMAL);
	screen_box(y, x, height, width, f->title, true);
	int field_x = x + 2 + label_w + 2, field_w = screen_clamp(x + width - 2 - field_x, 0, cols);
	for (int i = 0; i < f->nfields && y + 1 + i < y + height - 1; i++) {
		struct form_field *fld = &f->field[i];
		bool bad = field_problem(f, i) != NULL;
		screen_text(y + 1 + i, x + 2, label_w + 1, fld->label, false, bad ? STYLE_OVERDUE : STYLE_NORMAL);
		if (i == f->focus && fld->choices == NULL) {
			edit_draw(&fld->edit, y + 1 + i, field_x, field_w, STYLE_HEADER);
		} else {
			char *shown = fld->choices ? xasprintf("< %s >", edit_text(&fld->edit)) : xstrdup(edit_text(&fld->edit));
			screen_text(y + 1 + i, field_x, field_w, shown, false, i == f->focus ? STYLE_SELECTED : STYLE_HEADER);
			free(shown);
		}
	}
	const char *problem = f->why[0] ? f->why : field_problem(f, f->focus);
	if (height >= 4)
		screen_text(y + height - 3, x + 2, width - 4, problem ? problem : "", false, problem ? STYLE_ERROR : STYLE_NORMAL);
	if (height >= 3)
		screen_text(y + height - 2, x + 2, width - 4, "Tab moves  Enter on the last field or ^S saves  Esc cancels", false, STYLE_DIM);
}

static void cycle(struct form_field *fld, int step)
{
	int n = 0, at = 0;
	while (fld->choices[n] != NULL) {
		if (strcmp(fld->choices[n], edit_text(&fld->edit)) == 0)
			at = n;
		n++;
	}
	edit_set(&fld->edit, fld->choices[(at + step + n) % n]);
}

static int form_submit(struct ui *ui, struct form *f)
{
	int bad = first_problem(f);
	if (bad >= 0) {
		f->focus = bad;
		return UI_REDRAW;
	}
	f->why[0] = '\0';
	if (f->submit(ui, f) == DUN_OK)
		modal_close(ui);
	return UI_REDRAW;
}

static int form_key(struct ui *ui, void *state, int key)
{
	struct form *f = state;
	struct form_field *fld = &f->field[f->focus];
	switch (key) {
	case 27:
		modal_close(ui);
		ui_message(ui, false, "cancelled");
		return UI_REDRAW;
	case '\t':
	case KEY_DOWN:
		f->focus = (f->focus + 1) % f->nfields;
		return UI_REDRAW;
	case KEY_BTAB:
	case KEY_UP:
		f->focus = (f->focus + f->nfields - 1) % f->nfields;
		return UI_REDRAW;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (f->focus + 1 < f->nfields) {
			f->focus++;
			return UI_REDRAW;
		}
		return form_submit(ui, f);
	case 'S' & 0x1f:
		return form_submit(ui, f);
	}
	f->why[0] = '\0';
	if (fld->choices != NULL) {
		if (key == KEY_RIGHT || key == ' ')
			cycle(fld, 1);
		else if (key == KEY_LEFT)
			cycle(fld, -1);
		else
			for (int i = 0; fld->choices[i] != NULL; i++)
				if (fld->choices[i][0] == key) {
					edit_set(&fld->edit, fld->choices[i]);
					break;
				}
		return UI_REDRAW;
	}
	edit_key(&fld->edit, key);
	return UI_REDRAW;
}

static const struct modal_ops form_ops = {
	.draw = form_draw,
	.key = form_key,
	.free = form_free,
};

void form_open(struct ui *ui, struct form *f)
{
	modal_open(ui, &form_ops, f);
}

const char *form_check_required(struct form *f, int field, const char *text)
{
	(void)f;
	(void)field;
	for (; *text; text++)
		if (*text != ' ')
			return NULL;
	return "required";
}

const char *form_check_date(struct form *f, int field, const char *text)
{
	day_t d;
	if (date_parse_iso(text, &d))
		return NULL;
	(void)f;
	(void)field;
	return "a date as YYYY-MM-DD";
}
