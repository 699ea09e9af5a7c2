/**
 * The handful of DDL differences between SQLite and PostgreSQL, stated as data so that migrations
 * stay written once.
 * @module
 */
import type { ColumnDataType } from 'kysely';

export interface DialectFlavor {
  readonly name: 'sqlite' | 'postgres';
  /** Auto-incrementing 64-bit key. */
  readonly serial: ColumnDataType;
  /** Statements that make a table reject UPDATE and DELETE. */
  appendOnly(table: string): string[];
}

export const SQLITE_FLAVOR: DialectFlavor = Object.freeze({
  name: 'sqlite',
  serial: 'integer',
  appendOnly: (t: string) => [
    `CREATE TRIGGER ${t}_no_update BEFORE UPDATE ON ${t} BEGIN SELECT RAISE(ABORT, '${t} is append-only'); END`,
    `CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t} BEGIN SELECT RAISE(ABORT, '${t} is append-only'); END`,
  ],
});

export const POSTGRES_FLAVOR: DialectFlavor = Object.freeze({
  name: 'postgres',
  serial: 'bigserial',
  appendOnly: (t: string) => [
    `CREATE OR REPLACE FUNCTION ${t}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${t} is append-only'; END $$`,
    `CREATE TRIGGER ${t}_no_change BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${t}_append_only()`,
    `CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION ${t}_append_only()`,
  ],
});
