/** Exit codes of every `precursor` command (documented in docs/cli.md). */
export const EXIT = Object.freeze({
  /** Done, nothing rejected. */
  OK: 0,
  /** The command failed (see the error on stderr). */
  FAILURE: 1,
  /** Bad usage: unknown flag, missing argument, invalid value. */
  USAGE: 2,
  /** Done, but some input records were rejected (dead-lettered or reported per line). */
  PARTIAL: 3,
  /** A required service (database, broker, browser) is unavailable. */
  UNAVAILABLE: 4,
  /** Stopped by SIGINT/SIGTERM before the input ended; what was committed stays, a re-run resumes. */
  INTERRUPTED: 130,
});
