/* A small form in a box over the view: labelled fields, each checked as
 * the user types (the reason shows under the form), choice fields cycled
 * with Left/Right or by their first letter. Enter on the last field (or
 * Ctrl-S anywhere) submits when every field is valid; Esc cancels. */
#ifndef DUN_UI_FORM_H
#define DUN_UI_FORM_H
#include "edit.h"
#include "view.h"

#define FORM_MAX_FIELDS 8

struct form;

struct form_field {
	const char *label;
	struct edit edit;
	const char *const *choices;  /* NULL-ended, or NULL for free text */
	/* Returns NULL when text is acceptable, else a reason (static text or
	 * written into f->check_why). May be NULL. */
	const char *(*check)(struct form *f, int field, const char *text);
};

struct form {
	char *title;
	struct form_field field[FORM_MAX_FIELDS];
	int nfields;
	int focus;
	char why[256];          /* the submit's reason */
	char check_why[256];    /* room for a check's reason */
	/* Writes the action; returns DUN_OK (the form closes) or a status
	 * with the reason in f->why (the form stays). */
	int (*submit)(struct ui *ui, struct form *f);
	void *data;             /* the action's context, freed with free() */
};

/* A new form; the caller adds fields and opens it. */
struct form *form_new(const char *title, int (*submit)(struct ui *, struct form *), void *data);
int form_add(struct form *f, const char *label, const char *value,
    const char *(*check)(struct form *, int, const char *), const char *const *choices);
const char *form_value(const struct form *f, int field);
/* Opens the form as the modal. */
void form_open(struct ui *ui, struct form *f);

/* Checks shared by the actions. */
const char *form_check_required(struct form *f, int field, const char *text);
const char *form_check_date(struct form *f, int field, const char *text);
#endif
