/**
 * `mtbnet import civic <dir|file>` and `mtbnet import cgi <file>`: bring a
 * public release into evidence/imports/<name>.yaml (see import-civic.ts,
 * import-cgi.ts). Prints what was imported, every row that was not (line and
 * reason) and what changed; exit 2 when the release is truncated or garbled
 * (nothing is written then).
 *
 * Every import that goes through is a row of the audit log (docs/security.md):
 * who (the operating-system user), what (source, release file and its
 * SHA-256, counts, changes), when, and before/after (the import file's
 * SHA-256 and item count, the knowledge base's hash with the import switched
 * on). The log is the one of the data folder's database (--store DIR,
 * MTBNET_DATA_DIR, default ./data), created when there is none yet, like
 * `mtbnet users` does; it is opened before anything is written, so an import
 * that cannot be audited writes nothing. A rejected import changes nothing
 * and leaves no row.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { KnowledgeBaseError, formatDetails } from '../../domain/errors.ts';
import { loadKnowledgeBase, DEFAULT_EVIDENCE_DIR } from '../../evidence/load.ts';
import { buildCivicImport, readCivicRelease, type BuiltImport, type ImportContext } from '../../evidence/import-civic.ts';
import { buildCgiImport } from '../../evidence/import-cgi.ts';
import { compareItems, countBy, importYaml, writeImport, type ImportReport } from '../../evidence/import-common.ts';
import { readCgiBiomarkers } from '../../opendata/cgi.ts';
import { openDataContext } from '../../opendata/context.ts';
import { openDataDir } from '../../opendata/paths.ts';
import { OpenDataError } from '../../opendata/tsv.ts';
import { UsageError, type Io } from '../io.ts';
import { join } from 'node:path';
import { cliActor, openAccounts, securityDbFile } from '../../security/open.ts';
import type { Accounts } from '../../security/accounts.ts';

export interface ImportArgs {
  source?: string;
  input?: string;
  evidence?: string;
  data?: string;
  json?: boolean;
  /** Write under imports/<name>.yaml (default: the source name). */
  name?: string;
  /** The data folder whose database holds the audit log (default MTBNET_DATA_DIR, else ./data). */
  store?: string;
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** The import file and the knowledge base with it switched on, as the audit log records them (null: no import file). */
function importState(evidenceDir: string, name: string) {
  const path = join(evidenceDir, 'imports', `${name}.yaml`);
  if (!existsSync(path)) return null;
  const file = { sha256: sha256(readFileSync(path)) };
  try {
    const kb = loadKnowledgeBase(evidenceDir, { imports: [name] });
    return { file, kb: { version: String(kb.graph.getAttribute('version')), hash: String(kb.graph.getAttribute('hash')), evidence: kb.counts.evidence } };
  } catch (e) {
    // A broken earlier import is recorded as such (and replaced), not a reason to refuse the new one.
    if (e instanceof KnowledgeBaseError) return { file, kb: null, loads: `no: ${e.message}` };
    throw e;
  }
}

/** A release's dated name where it has one (CIViC: 01-Aug-2021), else its file name. */
function releaseName(file: string): string {
  const dated = /\b(\d{2}-[A-Za-z]{3}-\d{4}|\d{4}-\d{2}-\d{2})\b/.exec(`${basename(dirname(file))}/${basename(file)}`)?.[1];
  return dated ?? basename(file);
}

/** What an importer needs from the curated knowledge base: its drugs, tumour types and gene aliases. */
export function importContext(evidenceDir: string, dataDir: string): ImportContext {
  return openDataContext(loadKnowledgeBase(evidenceDir).graph, dataDir);
}

export async function importCommand(args: ImportArgs, io: Io): Promise<number> {
  const source = args.source;
  if (source !== 'civic' && source !== 'cgi') throw new UsageError('import: name the source: mtbnet import civic <dir> | mtbnet import cgi <file>');
  if (!args.input) throw new UsageError(`import ${source}: give the release ${source === 'civic' ? 'folder (or evidence TSV)' : 'file (cgi_biomarkers_per_variant.tsv)'}`);
  const evidenceDir = args.evidence ?? process.env.MTBNET_EVIDENCE_DIR ?? DEFAULT_EVIDENCE_DIR;
  const name = args.name ?? source;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new UsageError('--name: lower-case letters, digits and -');
  let accounts: Accounts | undefined;
  try {
    const ctx = importContext(evidenceDir, openDataDir(args.data));
    let built: BuiltImport;
    let file: string;
    if (source === 'civic') {
      const release = readCivicRelease(args.input);
      file = release.file;
      built = buildCivicImport(release.records, ctx);
    } else {
      file = args.input;
      built = buildCgiImport(readCgiBiomarkers(args.input), ctx);
    }
    const header = [
      `Imported from ${source === 'civic' ? 'CIViC (civicdb.org, CC0)' : 'the Cancer Genome Interpreter biomarkers (CC0)'}: ${basename(file)}.`,
      `Generated by \`mtbnet import ${source}\`: do not edit by hand, re-run the import instead.`,
      'Levels, directions and trust follow server/opendata/levels.ts; statements are ours.',
    ].join('\n');
    const text = importYaml(header, built.items);
    // The audit log is opened before anything is written: an import that cannot be audited does not happen.
    const auditFile = securityDbFile(process.env, args.store);
    accounts = openAccounts(auditFile);
    const stateBefore = importState(evidenceDir, name);
    const { written, before, after } = writeImport(evidenceDir, name, text);
    const changes = compareItems(before, after);
    const report: ImportReport = {
      name,
      source: file,
      file: join(evidenceDir, 'imports', `${name}.yaml`),
      considered: built.considered,
      mapped: built.mapped,
      items: built.items.length,
      unmapped: built.unmapped,
      byGroup: countBy(built.unmapped.filter((u) => !u.group.includes('partly')), (u) => u.group),
      byLevel: countBy(built.items, (i) => i.level),
      changes: { ...changes, unchanged: !written },
      written,
    };
    const row = accounts.audit.append({
      actor: cliActor(),
      action: `mtbnet import ${source}`,
      target: `evidence/imports/${name}.yaml`,
      before: stateBefore,
      after: {
        source: { name: source, release: releaseName(file), file: basename(file), sha256: sha256(readFileSync(file)) },
        considered: report.considered, mapped: report.mapped, items: report.items, unmapped: report.unmapped.length,
        changes: report.changes,
        ...importState(evidenceDir, name),
      },
    });
    report.audit = { seq: row.seq, database: auditFile };
    if (args.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else io.stdout(formatImport(report));
    return 0;
  } catch (e) {
    if (e instanceof OpenDataError) {
      io.stderr(`import ${source}: rejected, nothing imported: ${e.message}\n`);
      return 2;
    }
    if (e instanceof KnowledgeBaseError) {
      io.stderr(`import ${source}: the knowledge base does not build with this import, nothing written: ${e.message}\n${formatDetails(e.details.slice(0, 50)).replace(/^/gm, '  ')}\n`);
      return 2;
    }
    throw e;
  } finally {
    accounts?.store.close();
  }
}

export function formatImport(r: ImportReport): string {
  const lines: string[] = [];
  lines.push(`import ${r.name}: ${r.source}`);
  lines.push(`  ${r.considered} rows considered, ${r.mapped} mapped (${((100 * r.mapped) / Math.max(1, r.considered)).toFixed(1)}%), ${r.items} evidence items -> ${r.file}`);
  lines.push(`  by level: ${Object.entries(r.byLevel).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  lines.push(`  not mapped: ${Object.entries(r.byGroup).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
  lines.push(
    r.changes.unchanged
      ? '  no changes: the import file is already up to date'
      : `  changes: ${r.changes.added} added, ${r.changes.removed} removed, ${r.changes.changed} changed`,
  );
  if (r.audit) lines.push(`  audit log: row ${r.audit.seq} in ${r.audit.database}`);
  if (r.unmapped.length > 0) {
    lines.push('');
    lines.push('Rows not imported (line, id, what: reason):');
    const groups = new Map<string, typeof r.unmapped>();
    for (const u of r.unmapped) groups.set(u.group, [...(groups.get(u.group) ?? []), u]);
    for (const [group, list] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
      lines.push(`  ${group} (${list.length})`);
      for (const u of list) lines.push(`    line ${u.line}  ${u.id}  ${u.what}: ${u.reason}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
