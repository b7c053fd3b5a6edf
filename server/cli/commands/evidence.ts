/**
 * `mtbnet evidence check [--json] [--evidence DIR]`: validate the knowledge
 * base, print its counts; exit 2 naming file, item and field of every invalid entry.
 */
import { KnowledgeBaseError, formatDetails } from '../../domain/errors.ts';
import { loadKnowledgeBase, DEFAULT_EVIDENCE_DIR } from '../../evidence/load.ts';
import type { Io } from '../io.ts';
import { corroborate, readCitationIndex, type CorroborationReport } from '../../evidence/corroborate.ts';
import { openDataDir } from '../../opendata/paths.ts';

export interface EvidenceCheckArgs {
  evidence?: string;
  json?: boolean;
  imports?: string[];
  /** Open-data folder for citation corroboration (default ../shared/data). */
  data?: string;
}

export async function evidenceCheckCommand(args: EvidenceCheckArgs, io: Io): Promise<number> {
  const dir = args.evidence ?? process.env.MTBNET_EVIDENCE_DIR ?? DEFAULT_EVIDENCE_DIR;
  const dataDir = openDataDir(args.data);
  try {
    const kb = loadKnowledgeBase(dir, { imports: args.imports });
    const c = kb.counts;
    const info = kb.graph.getAttributes();
    const pmids = new Set<string>();
    let unverified = 0;
    kb.graph.forEachNode((_k, a) => {
      if (a.type !== 'evidence') return;
      if (a.unverified) unverified++;
      for (const s of a.sources) if ('pmid' in s) pmids.add(s.pmid);
    });
    const report = {
      kb: { name: info.name, version: info.version, hash: info.hash, dir },
      evidence: c.evidence,
      biomarkers: c.biomarkers,
      therapies: c.therapies,
      drugs: c.drugs,
      genes: c.genes,
      tumourTypes: c.tumourTypes,
      approvals: c.approvals,
      superiorTo: c.superiorTo,
      byLevel: c.byLevel,
      byDirection: c.byDirection,
      pmids: { total: pmids.size } as { total: number; corroborated?: number; share?: number; bySource?: CorroborationReport['bySource']; notFound?: CorroborationReport['notFound'] },
      corroboration: { data: dataDir, skipped: undefined as string | undefined },
      unverified,
      invalid: 0,
    };
    // Citation corroboration against the open releases (DESIGN §7).
    const index = readCitationIndex(dataDir);
    if (!index) report.corroboration.skipped = `no open data at ${dataDir} (pass --data DIR): corroboration skipped`;
    else {
      const aliases = new Map<string, string[]>();
      kb.graph.forEachNode((_k, a) => {
        if (a.type === 'gene') aliases.set(a.symbol, [a.symbol, ...a.aliases]);
      });
      const r = corroborate(kb.graph, index, (g) => aliases.get(g) ?? [g]);
      report.pmids = { total: r.total, corroborated: r.corroborated, share: r.share, bySource: r.bySource, notFound: r.notFound };
    }
    if (args.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else {
      io.stdout(`evidence check: ${info.name} ${info.version} (${info.hash}) in ${dir}: valid\n`);
      io.stdout(
        `  ${c.evidence} evidence items, ${c.biomarkers} biomarkers, ${c.therapies} therapies, ${c.drugs} drugs, ${c.genes} genes, ${c.tumourTypes} tumour types, ${c.approvals} approvals, ${c.superiorTo} randomised comparison(s) (superiorTo)\n`,
      );
      io.stdout(`  by level: ${Object.entries(c.byLevel).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
      io.stdout(`  by direction: ${Object.entries(c.byDirection).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
      io.stdout(`  ${pmids.size} distinct PMIDs cited; ${unverified} item(s) marked unverified\n`);
      const p = report.pmids;
      if (report.corroboration.skipped) io.stdout(`  corroboration: ${report.corroboration.skipped}\n`);
      else if (p.corroborated !== undefined) {
        io.stdout(
          `  corroboration (CIViC, CGI in ${dataDir}): ${p.corroborated} of ${p.total} curated PMIDs (${(100 * (p.share ?? 0)).toFixed(1)}%) cited there for the same gene ` +
            `(CIViC ${p.bySource!.civic}, CGI ${p.bySource!.cgi}, both ${p.bySource!.both}); ${p.notFound!.length} not found:\n`,
        );
        for (const n of p.notFound!) io.stdout(`    PMID ${n.pmid}  ${n.genes.join(', ')}  ${n.note}  (${n.items.join(', ')})\n`);
      }
    }
    return 0;
  } catch (e) {
    if (!(e instanceof KnowledgeBaseError)) throw e;
    if (args.json) io.stdout(`${JSON.stringify({ invalid: e.details.length, errors: e.details }, null, 2)}\n`);
    io.stderr(`evidence check: ${e.message}\n${formatDetails(e.details).replace(/^/gm, '  ')}\n`);
    return 2;
  }
}
