/**
 * One file per command under `commands/`; each exports a `CliCommand` that declares its flags and
 * calls library functions (the same ones the server calls). Commands return an exit code instead of
 * calling `process.exit`, so they are testable in-process.
 * @module
 */
import type { Command } from 'commander';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface CliCommand {
  /** Adds the subcommand to `program`; its action must resolve to an exit code via `setExit`. */
  register(program: Command, io: CliIo, setExit: (code: number) => void): void;
}
