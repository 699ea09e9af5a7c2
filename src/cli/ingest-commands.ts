/**
 * The `ingest` command and its subcommands, in the order they attach to it: loaded on their own by the
 * launcher (bin.ts) for `precursor ingest …`, and as part of every command by main.ts.
 * @module
 */
import type { CliCommand } from './command.js';
import { ingestCommand } from './commands/ingest.js';
import { ingestCertstreamCommand } from './commands/ingest-certstream.js';
import { ingestCtCommand } from './commands/ingest-ct.js';
import { ingestEventsCommand } from './commands/ingest-events.js';
import { ingestTransactionsCommand } from './commands/ingest-transactions.js';
import { ingestZoneCommand } from './commands/ingest-zone.js';

/** `ingest` first: the subcommands attach to it. */
export const INGEST_COMMANDS: readonly CliCommand[] = [
  ingestCommand,
  ingestCtCommand,
  ingestCertstreamCommand,
  ingestZoneCommand,
  ingestEventsCommand,
  ingestTransactionsCommand,
];
