/** Who a CLI command acts as in the audit log: `cli:<os user>`. @module */
import { userInfo } from 'node:os';

export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
