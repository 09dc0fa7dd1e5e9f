/* View 4, open disputes: oldest first, with owner and age; Enter opens the
 * customer. Keyset on (opened, id) over the few open disputes. */
#include <curses.h>
#include <stdlib.h>
#include "list.h"
#include "screen.h"
#include "view.h"
#include "xalloc.h"

struct disputes {
	struct ui *ui;
	struct list list;
};

static const struct list_column columns[] = {
	{"opened", 10, 0, false},
	{"age", 4, 0, true},
	{"customer", 8, 0, false},
	{"invoice", 15, 0, false},
	{"reason", 8, 0, false},
	{"owner", 8, 0, false},
	{"amount", 11, 0, true},
	{"name", 8, 1, false},
};

#define SELECT_DISPUTES \
	"SELECT d.opened, d.id, c.id, c.code, i.number, d.reason, d.owner, coalesce(d.amount, i.open_amount), " \
	"i.currency, c.name, julianday(?3) - julianday(d.opened) " \
	"FROM dispute d JOIN invoice i ON i.id = d.invoice_id JOIN customer c ON c.id = i.customer_id " \
	"WHERE d.resolved IS NULL AND d.opened <= ?3 "

static void bind(struct list *l, sqlite3_stmt *st, const struct list_key *key)
{
	struct disputes *dv = l->data;
	list_bind_text_key(st, 1, key);
	if (key == NULL || key->edge != 0)
		sqlite3_bind_int64(st, 2, key && key->edge > 0 ? INT64_MAX : INT64_MIN);
	else
		sqlite3_bind_int64(st, 2, key->id);
	store_bind_date(st, 3, dv->ui->aging.as_of);
}

static void read_row(struct list *l, sqlite3_stmt *st, struct list_row *row)
{
	(void)l;
	list_key_set_text(&row->key, store_column_text(st, 0));
	row->key.id = row->id = sqlite3_column_int64(st, 1);
	row->customer_id = sqlite3_column_int64(st, 2);
	row->cell[0] = xstrdup(store_column_text(st, 0));
	row->cell[1] = list_cell("%d", sqlite3_column_int(st, 10));
	row->cell[2] = xstrdup(store_column_text(st, 3));
	row->cell[3] = xstrdup(store_column_text(st, 4));
	row->cell[4] = xstrdup(store_column_text(st, 5));
	row->cell[5] = xstrdup(store_column_text(st, 6));
	row->cell[6] = list_cell_money(sqlite3_column_int64(st, 7), store_column_text(st, 8));
	row->cell[7] = xstrdup(store_column_text(st, 9));
	row->style = sqlite3_column_int(st, 10) > 30 ? STYLE_OVERDUE : STYLE_NORMAL;
}

static const struct list_source source = {
	.columns = columns,
	.ncolumns = sizeof columns / sizeof columns[0],
	.sql_from = SELECT_DISPUTES "AND (d.opened, d.id) >= (?1, ?2) ORDER BY d.opened, d.id LIMIT ?9",
	.sql_after = SELECT_DISPUTES "AND (d.opened, d.id) > (?1, ?2) ORDER BY d.opened, d.id LIMIT ?9",
	.sql_before = SELECT_DISPUTES "AND (d.opened, d.id) < (?1, ?2) ORDER BY d.opened DESC, d.id DESC LIMIT ?9",
	.sql_count = "SELECT count(*) FROM dispute d WHERE d.resolved IS NULL AND d.opened <= ?3",
	.bind = bind,
	.read = read_row,
};

static void *disputes_open(struct ui *ui)
{
	struct disputes *dv = xcalloc(1, sizeof *dv);
	dv->ui = ui;
	list_init(&dv->list, &source, ui->store, dv);
	list_reload(&dv->list);
	return dv;
}

static void disputes_close(struct ui *ui, void *state)
{
	(void)ui;
	struct disputes *dv = state;
	list_free(&dv->list);
	free(dv);
}

static void disputes_draw(struct ui *ui, void *state, int y, int height, int width)
{
	view_draw_list(ui, &((struct disputes *)state)->list, "Open disputes", y, 0, height, width, true);
}

static int disputes_key(struct ui *ui, void *state, int key)
{
	struct disputes *dv = state;
	if (key == '\r' || key == '\n' || key == KEY_ENTER) {
		const struct list_row *row = list_selected(&dv->list);
		if (row != NULL)
			ui_show_customer(ui, row->customer_id, row->cell[2]);
		return UI_REDRAW;
	}
	return view_list_key(&dv->list, key);
}

static void disputes_changed(struct ui *ui, void *state)
{
	(void)ui;
	list_refresh(&((struct disputes *)state)->list);
}

static int disputes_click(struct ui *ui, void *state, int y, int x)
{
	(void)ui;
	(void)x;
	list_select_visible(&((struct disputes *)state)->list, y - 2);
	return UI_REDRAW;
}

static int64_t disputes_customer(struct ui *ui, void *state)
{
	(void)ui;
	const struct list_row *row = list_selected(&((struct disputes *)state)->list);
	return row ? row->customer_id : 0;
}

const struct view_ops view_disputes = {
	.number = 4,
	.name = "disputes",
	.title = "4 Disputes",
	.help = "open disputes, oldest first, with owner and age",
	.open = disputes_open,
	.close = disputes_close,
	.draw = disputes_draw,
	.key = disputes_key,
	.changed = disputes_changed,
	.click = disputes_click,
	.customer = disputes_customer,
};
