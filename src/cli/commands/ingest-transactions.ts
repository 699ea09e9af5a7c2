/**
 * `precursor ingest transactions FILE [--format csv|jsonl]`: a wallet-transaction export
 * (docs/transactions.md) into `transaction` observations and `wallet:` entities; bad rows become dead
 * letters and the rest is processed.
 * @module
 */
import { Option } from 'commander';
import {
  createTransactionSource,
  type TransactionFormat,
} from '../../ingest/sources/transactions/transaction-source.js';
import type { CliCommand } from '../command.js';
import { action, parseIntFlag, untilInterrupted, withApp } from '../runtime.js';
import { type IngestRunFlags, ingestGroup, runSourceCommand } from './ingest.js';

export const ingestTransactionsCommand = {
  register(program, io, setExit) {
    const cmd = ingestGroup(program)
      .command('transactions')
      .description(
        'a wallet-transaction export: one transaction per JSONL line or CSV row (docs/transactions.md)',
      )
      .argument('<file>', 'file to read (- for standard input)')
      .addOption(
        new Option('--format <format>', 'input format (default: csv for .csv files, else jsonl)').choices([
          'csv',
          'jsonl',
        ]),
      )
      .option('--source-id <id>', 'checkpoint/dead-letter id (default: transactions:<absolute path>)')
      .option('--from-start', 'ignore the checkpoint and read from the beginning')
      .option('--batch-size <n>', 'transactions per store transaction', parseIntFlag('--batch-size', 1))
      .option('--no-detect', 'store observations only; score later with `precursor detect`')
      .option('--json', 'print the summary as JSON');
    cmd.action(
      action(
        io,
        setExit,
        async (file: string, opts: IngestRunFlags & { format?: TransactionFormat; sourceId?: string }) =>
          withApp(cmd, io, async (app) => {
            const source = createTransactionSource({
              path: file,
              ...(opts.format ? { format: opts.format } : {}),
              ...(opts.sourceId ? { sourceId: opts.sourceId } : {}),
            });
            return untilInterrupted((signal) => runSourceCommand(app, io, source, opts, signal));
          }),
      ),
    );
  },
} satisfies CliCommand;
