/* The view registry and what every list-based view shares. */
#include "view.h"
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "screen.h"
#include "xalloc.h"

extern const struct view_ops view_calllist, view_customers, view_aging, view_disputes, view_outbox,
    view_matching, view_forecast;

/* One line per view; the first is the one dun opens on. */
const struct view_ops *const view_table[] = {
	&view_calllist,
	&view_customers,
	&view_aging,
	&view_disputes,
	&view_outbox,
	&view_matching,
	&view_forecast,
	NULL,
};

const struct view_ops *view_find(const char *name_or_number)
{
	char *end;
	long n = strtol(name_or_number, &end, 10);
	for (int i = 0; view_table[i] != NULL; i++) {
		if (*end == '\0' && view_table[i]->number == n)
			return view_table[i];
		if (strcmp(view_table[i]->name, name_or_number) == 0)
			return view_table[i];
	}
	return NULL;
}

void view_draw_list(struct ui *ui, struct list *l, const char *title, int y, int x, int height, int width, bool focused)
{
	(void)ui;
	if (height < 3 || width < 4)
		return;
	list_set_height(l, height - 3);
	char *t;
	if (l->count > 0)
		t = xasprintf("%s %lld/%lld", title, (long long)list_position(l) + 1, (long long)l->count);
	else
		t = xstrdup(title);
	screen_box(y, x, height, width, t, focused);
	free(t);
	list_draw(l, y + 1, x + 1, height - 2, width - 2, focused);
}

int view_list_key(struct list *l, int key)
{
	switch (key) {
	case KEY_DOWN:
	case 'j':
		list_move(l, 1);
		break;
	case KEY_UP:
	case 'k':
		list_move(l, -1);
		break;
	case KEY_NPAGE:
	case ' ':
		list_move(l, l->height);
		break;
	case KEY_PPAGE:
		list_move(l, -l->height);
		break;
	case KEY_HOME:
	case 'g':
		list_home(l);
		break;
	case KEY_END:
	case 'G':
		list_end(l);
		break;
	default:
		return UI_IGNORED;
	}
	return UI_HANDLED | UI_REDRAW;
}
