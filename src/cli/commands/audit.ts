/**
 * `precursor audit verify`: checks the audit log's hash chain (and, with anchors, its length and
 * head) and prints the head hash. Exit 0 intact, 1 naming the first bad entry.
 * @module
 */
import { verifyAuditChain } from '../../review/audit-anchoring.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, withApp, writeJson } from '../runtime.js';

export const auditCommand = {
  register(program, io, setExit) {
    const audit = program.command('audit').description('the tamper-evident audit log');
    const verify = audit
      .command('verify')
      .description('verify the hash chain; exit 0 when intact, 1 naming the first bad entry')
      .option('--anchors <file>', 'anchor file to check the chain against (default: review.audit.anchorFile)')
      .option('--json', 'the verdict as JSON');
    verify.action(
      action(io, setExit, async (opts: { anchors?: string; json?: boolean }) =>
        withApp(
          verify,
          io,
          async (app) => {
            const file = opts.anchors ?? app.config.review.audit.anchorFile;
            const v = await verifyAuditChain(app.pipeline.store, file);
            if (opts.json) writeJson(io, { ...v, anchorFile: file ?? null });
            else if (v.ok)
              io.stdout.write(
                `audit chain intact: ${v.count} entries, head ${v.head?.hash ?? '(empty)'}${v.anchorsChecked ? `, ${v.anchorsChecked} anchors checked` : ''}\n`,
              );
            if (!v.ok && v.firstBad) {
              const b = v.firstBad;
              io.stderr.write(`precursor: AUDIT_BROKEN: audit entry ${b.seq}: ${b.reason}: ${b.detail}\n`);
              if (!opts.json) io.stdout.write(`head ${v.head?.hash ?? '(empty)'} (${v.count} entries)\n`);
              return EXIT.FAILURE;
            }
            return EXIT.OK;
          },
          { readOnly: true },
        ),
      ),
    );
  },
} satisfies CliCommand;
