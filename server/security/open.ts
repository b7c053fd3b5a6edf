/**
 * Where the accounts and the audit log are, for the CLI: in the case store's
 * SQLite file (the embedded default), or in a SQLite file of their own beside
 * it when the cases live in Neo4j.
 */
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_DATA_DIR } from '../store/index.ts';
import { DB_FILE } from '../store/sqlite/store.ts';
import { SqliteSecurityStore } from '../store/sqlite/security-store.ts';
import { Accounts } from './accounts.ts';

export const SECURITY_DB_FILE = 'mtbnet-security.sqlite';

/** The SQLite file that holds the accounts and the audit log. */
export function securityDbFile(env: NodeJS.ProcessEnv = process.env, dataDir?: string): string {
  const dir = resolve(dataDir ?? env.MTBNET_DATA_DIR ?? DEFAULT_DATA_DIR);
  return join(dir, env.NEO4J_URI ? SECURITY_DB_FILE : DB_FILE);
}

export function openAccounts(file: string): Accounts {
  return new Accounts(new SqliteSecurityStore({ file }));
}

/** Who acts when the CLI changes something: the operating-system user. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
