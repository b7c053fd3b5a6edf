/**
 * `mtbnet reevaluate [--save] [--json] [--data DIR]`: after the knowledge base
 * changed, re-rank the open cases of the case store and list those whose top
 * therapies changed, with the evidence that caused it and the classes and
 * tiers that changed. With --save the new
 * rankings are stored as snapshots. Exit 0 either way; the list is the answer.
 */
import { caseContext, reevaluate } from '../../cases/index.ts';
import type { Engine } from '../../engine.ts';
import { openStore, storeConfigFromEnv } from '../../store/index.ts';
import type { Io } from '../io.ts';
import { cliActor, openAccounts, securityDbFile } from '../../security/open.ts';

export async function reevaluateCommand(engine: Engine, args: { save?: boolean; json?: boolean; data?: string }, io: Io): Promise<number> {
  const store = await openStore(storeConfigFromEnv(process.env, { dataDir: args.data }));
  try {
    const report = await reevaluate(caseContext(store, engine), { save: args.save });
    // Saved snapshots are changes to cases: audited as the same request over HTTP is (who, what, which snapshots).
    const saved = report.changed.filter((c) => c.current.snapshotId).map((c) => ({ caseId: c.caseId, snapshotId: c.current.snapshotId, top: c.current.top }));
    if (args.save && saved.length > 0) {
      const accounts = openAccounts(securityDbFile(process.env, args.data));
      try {
        accounts.audit.append({ actor: cliActor(), action: 'cases.reevaluate', target: null, after: { kb: report.kb, saved } });
      } finally {
        accounts.store.close();
      }
    }
    if (args.json) {
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    io.stdout(`reevaluate: ${report.checked} open case(s) re-ranked with ${report.kb.name} ${report.kb.version} (${report.kb.hash}); ${report.changed.length} changed\n`);
    for (const c of report.changed) {
      io.stdout(`  ${c.caseId} (${c.status}): ${c.previous.top[0] ?? '(nothing)'} -> ${c.current.top[0] ?? '(nothing)'}${c.current.snapshotId ? ' [saved]' : ''}\n`);
      for (const e of c.evidence) io.stdout(`    ${e.change} ${e.id} for ${e.therapy}: ${e.before ?? '-'} -> ${e.after ?? '-'}\n`);
      for (const k of c.classes) io.stdout(`    ${k.therapy}: ${k.before.class} ${k.before.tier} -> ${k.after.class} ${k.after.tier}\n`);
    }
    if (report.unranked.length) io.stdout(`  never ranked: ${report.unranked.join(', ')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
