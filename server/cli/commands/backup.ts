/**
 * `mtbnet backup FILE` and `mtbnet restore FILE [--force]`: an online backup
 * of the data folder's SQLite file (cases, decisions, accounts, audit log)
 * while the server runs, and its restore (with the server stopped). Both are
 * recorded in the audit log.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { cliActor, openAccounts, securityDbFile } from '../../security/open.ts';
import { backupDatabase, restoreDatabase } from '../../store/sqlite/backup.ts';
import { UsageError, type Io } from '../io.ts';

const rows = (tables: Record<string, number>) =>
  ['cases', 'decisions', 'snapshots', 'users', 'audit_log'].filter((t) => t in tables).map((t) => `${tables[t]} ${t}`).join(', ');

export async function backupCommand(args: { file?: string; data?: string }, io: Io): Promise<number> {
  if (!args.file) throw new UsageError('backup: name the backup file (mtbnet backup FILE)');
  const db = securityDbFile(process.env, args.data);
  if (!existsSync(db)) throw new UsageError(`backup: no database at ${db} (use --data DIR)`);
  const accounts = openAccounts(db);
  try {
    accounts.audit.append({ actor: cliActor(), action: 'store.backup', target: resolve(args.file) });
  } finally {
    accounts.store.close();
  }
  const r = await backupDatabase(db, args.file);
  io.stdout(`backup: ${db} -> ${resolve(args.file)} (${r.bytes} bytes; integrity ok; ${rows(r.tables)})\n`);
  if (process.env.NEO4J_URI) io.stdout('backup: the cases live in Neo4j: back them up with neo4j-admin database dump\n');
  return 0;
}

export async function restoreCommand(args: { file?: string; data?: string; force?: boolean }, io: Io): Promise<number> {
  if (!args.file) throw new UsageError('restore: name the backup file (mtbnet restore FILE)');
  if (!existsSync(args.file)) throw new UsageError(`restore: no file ${args.file}`);
  const db = securityDbFile(process.env, args.data);
  if (existsSync(db) && !args.force) {
    throw new UsageError(`restore: ${db} exists; stop the server and add --force to replace it with ${args.file}`);
  }
  const r = await restoreDatabase(args.file, db);
  if (!r.ok) {
    io.stderr(`restore: the restored database failed its check: ${r.integrity.join('; ')}\n`);
    return 1;
  }
  const accounts = openAccounts(db);
  try {
    accounts.audit.append({ actor: cliActor(), action: 'store.restore', target: resolve(args.file) });
  } finally {
    accounts.store.close();
  }
  io.stdout(`restore: ${resolve(args.file)} -> ${db} (integrity ok; ${rows(r.tables)})\n`);
  return 0;
}
