/**
 * Keyset pages (no OFFSET): a page query asks for one row more than it shows, older rows after a
 * cursor (`after`) or newer ones before it (`before`, read in ascending order). This turns such a
 * fetch into the page's rows, newest first, and the cursors of its neighbours.
 */
export type KeysetPage<Row> = {
  rows: Row[];
  /** Cursor of the next (older) page, if any. */
  next: string | null;
  /** Cursor of the previous (newer) page, if any. */
  prev: string | null;
};

export function keysetPage<Raw, Row>(
  fetched: Raw[],
  pageSize: number,
  direction: { after: boolean; before: boolean },
  toRow: (raw: Raw) => Row,
  cursorOf: (row: Row) => string,
): KeysetPage<Row> {
  const more = fetched.length > pageSize;
  const pageRaw = fetched.slice(0, pageSize);
  if (direction.before) pageRaw.reverse();
  const rows = pageRaw.map(toRow);
  const firstRow = rows[0];
  const lastRow = rows[rows.length - 1];
  // Going back (before) there is always a newer page after ours; going forward, a next one when more rows came.
  const hasNewer = direction.before ? more : direction.after;
  const hasOlder = direction.before ? true : more;
  return {
    rows,
    next: hasOlder && lastRow ? cursorOf(lastRow) : null,
    prev: hasNewer && firstRow ? cursorOf(firstRow) : null,
  };
}
