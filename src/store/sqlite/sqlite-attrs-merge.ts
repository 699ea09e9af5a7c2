/**
 * The entity-attribute merge as SQLite text, for Kysely's builder and the cached statements alike.
 * @module
 */

/**
 * SQLite's `json_patch` is RFC 7396: it merges nested objects key by key, where the documented merge
 * (and PostgreSQL's) replaces a key's value whole. Patching first with the new keys set to null
 * removes them, so the second patch writes each new value whole; an unchanged `{}` keeps the row's text.
 */
export function sqliteAttrsMerge(stored: string, added: string): string {
  return `CASE WHEN ${added} = '{}' THEN ${stored} ELSE json_patch(json_patch(${stored}, (SELECT json_group_object(key, NULL) FROM json_each(${added}))), ${added}) END`;
}
