/**
 * The command word of an argument list, for the launcher (bin.ts), which must decide what to load
 * before commander parses anything.
 * @module
 */

/** Global flags that take a value (program.ts). */
const GLOBAL_WITH_VALUE = new Set(['--config', '--home', '--database-url']);

/** The first word that is not a global flag or its value; undefined unless the arguments are that simple. */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (GLOBAL_WITH_VALUE.has(a)) i++;
    else if (!a.startsWith('-')) return a;
    else if (!GLOBAL_WITH_VALUE.has(a.slice(0, a.indexOf('=')))) return undefined;
  }
  return undefined;
}
