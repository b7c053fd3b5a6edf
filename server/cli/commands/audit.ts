/**
 * `mtbnet audit verify|list`: check the audit log's hash chain (exit 1 and
 * the first broken row when a row was edited, inserted or removed by hand),
 * or print its rows.
 */
import { openAccounts, securityDbFile } from '../../security/open.ts';
import { UsageError, type Io } from '../io.ts';

export async function auditCommand(args: { sub?: string; json?: boolean; data?: string; limit?: number }, io: Io): Promise<number> {
  const accounts = openAccounts(securityDbFile(process.env, args.data));
  try {
    if (args.sub === 'verify') {
      const v = accounts.audit.verify();
      if (args.json) io.stdout(`${JSON.stringify(v, null, 2)}\n`);
      else if (v.ok) io.stdout(`audit: ${v.rows} row(s), hash chain intact (last ${v.lastHash.slice(0, 16)}…)\n`);
      else io.stdout(`audit: TAMPERED: row ${v.firstBad!.seq}: ${v.firstBad!.reason} (${v.rows} row(s) read)\n`);
      return v.ok ? 0 : 1;
    }
    if (args.sub === 'list') {
      const rows = accounts.audit.list({ newestFirst: true, limit: args.limit ?? 50 }).reverse();
      if (args.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      else for (const r of rows) io.stdout(`${r.seq}\t${r.at}\t${r.actor}\t${r.action}\t${r.target ?? ''}\n`);
      return 0;
    }
    throw new UsageError(`audit: unknown subcommand "${args.sub ?? ''}" (verify, list)`);
  } finally {
    accounts.store.close();
  }
}
