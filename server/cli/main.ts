/**
 * The `mtbnet` command (DESIGN §5). Exit codes: 0 done, 2 bad input or usage
 * (the message names the field or line), 1 an internal error.
 */
import { parseArgs } from 'node:util';
import { AGENCIES, type Agency } from '../domain/knowledge.ts';
import { AppError, formatDetails } from '../domain/errors.ts';
import { createEngine } from '../engine.ts';
import { PROFILE_FORMATS, type ProfileFormat } from '../profile/types.ts';
import { batchCommand } from './commands/batch.ts';
import { evidenceCheckCommand } from './commands/evidence.ts';
import { rankCommand } from './commands/rank.ts';
import { isReportFormat, reportFormatOf } from '../report/render.ts';
import { processIo, UsageError, type Io } from './io.ts';

export const USAGE = `mtbnet: evidence-network therapy ranking for molecular tumour boards

Usage:
  mtbnet serve [--port 3000] [--host 127.0.0.1]      the board application and HTTP API
              [--workers N]                              server processes sharing the port (or MTBNET_WORKERS)
              [--data DIR]                            case store folder (default ./data; or MTBNET_DATA_DIR)
  mtbnet rank <file|-> [--tumour CODE] [--json]        rank one profile: JSON, text, VCF, MAF, CNV or fusion
              [--agency FDA|EMA] [--format F] [--id ID]  table (gzip read directly; - reads stdin)
              [--sample NAME]                            (one sample of a multi-sample VCF, MAF or table)
              [--sample-map FILE] [--sample-ids FILE]    sample names: your IDs / write which became which
  mtbnet batch --in FILE --out results.jsonl           many profiles in (JSONL, MAF, multi-sample VCF),
              [--tumour CODE] [--agency FDA|EMA]         one rank result per line out, progress on stderr
              [--workers N]                              ranking threads (default: all cores for inputs over 2 MB)
              [--report-dir DIR --format pdf|html|fhir|csv]  also one report per profile (then --out is optional)
              [--sample-map FILE] [--sample-ids FILE]    sample names: your IDs / write which became which
              [--check]                                  read and check every profile, rank and write nothing
              [--progress SECONDS]                       progress line every SECONDS (default 0.25 on a terminal, else 5)
                                                         exit 3: finished, but bad lines were skipped (named on stderr)
  mtbnet report <case-id|file> --format html|pdf|fhir|csv  the report of a stored case (--data DIR) or of a
              [--out FILE] [--data DIR] [--snapshot ID]  profile file (--date YYYY-MM-DD, --tumour CODE);
              [--date D] [--tumour CODE]                 stdout without --out; nothing is written on an error
  mtbnet users add NAME --role R[,R] [--name N]       accounts (roles: admin, curator, clinician, viewer); prints a
              [--password-stdin]                         generated password once, or reads it from stdin
  mtbnet users list | disable NAME | enable NAME | reset NAME [--password-stdin]
  mtbnet audit verify | list [--json] [--limit N]     check the audit log's hash chain (exit 1 when tampered) or print it
  mtbnet backup FILE [--data DIR]                      online backup of the SQLite store (cases, accounts, audit log)
  mtbnet restore FILE [--data DIR] --force             replace the store by a backup (stop the server first)
  mtbnet evidence check [--json]                      validate the knowledge base and print its counts
  mtbnet reevaluate [--save] [--json] [--data DIR]    re-rank open cases with the current knowledge base; list
                                                       those whose top therapies changed (--save stores snapshots)
  mtbnet evidence load-neo4j                           load the knowledge base into Neo4j (NEO4J_URI, NEO4J_USER,
                                                       NEO4J_PASSWORD); idempotent
  mtbnet evidence diff <old> <new> [--json]           added, removed and changed items between two knowledge-base
                                                       versions (git refs of this repository, or folders)
  mtbnet import civic <dir> | cgi <file> [--json]      import a public release into evidence/imports/<name>.yaml;
              [--store DIR]                              audited in the store's audit log (default ./data)
  mtbnet validate civic|cgi|civic-assertions           rank open reference items, report hit@1/3/10 and misses
              [--json] [--out FILE] [--imports a,b]      (curated knowledge base only unless --imports is given)
  (evidence check, import and validate read the open data from --data DIR, default ../shared/data)

Sample names (VCF sample columns, MAF barcodes, sample columns, file names) become pseudonymous
IDs (S- and 12 hex digits) unless --id or --sample-map (lines "sample<TAB>case-id") names them. The
key is pseudonym.key in the data folder (rank, batch, report: --data DIR; default ./data or
MTBNET_DATA_DIR), created on first use; the server uses the same one.

Common options:
  --evidence DIR   knowledge-base folder (default: the shipped evidence/; or MTBNET_EVIDENCE_DIR)
  --imports a,b    imported evidence sets to switch on (evidence/imports/<name>.yaml)
  -h, --help       this text
`;

const OPTIONS = {
  tumour: { type: 'string' },
  json: { type: 'boolean' },
  agency: { type: 'string' },
  format: { type: 'string' },
  id: { type: 'string' },
  sample: { type: 'string' },
  workers: { type: 'string' },
  in: { type: 'string' },
  out: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  evidence: { type: 'string' },
  imports: { type: 'string' },
  data: { type: 'string' },
  save: { type: 'boolean' },
  date: { type: 'string' },
  snapshot: { type: 'string' },
  'report-dir': { type: 'string' },
  check: { type: 'boolean' },
  progress: { type: 'string' },
  'report-format': { type: 'string' },
  'sample-map': { type: 'string' },
  'sample-ids': { type: 'string' },
  store: { type: 'string' },
  role: { type: 'string' },
  name: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  force: { type: 'boolean' },
  limit: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function agencyOf(v: string | undefined): Agency | undefined {
  if (v === undefined) return undefined;
  const up = v.toUpperCase();
  if (!(AGENCIES as readonly string[]).includes(up)) throw new UsageError(`--agency must be one of ${AGENCIES.join(', ')}`);
  return up as Agency;
}
function workersOf(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new UsageError('--workers must be a whole number from 0 (in-process) to 64');
  return n;
}
function progressOf(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const s = /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
  if (!(s >= 0.01 && s <= 86_400)) throw new UsageError('--progress must be seconds between progress lines, from 0.01 to 86400 (e.g. 30)');
  return s;
}
function formatOf(v: string | undefined): ProfileFormat | undefined {
  if (v === undefined) return undefined;
  if (!(PROFILE_FORMATS as readonly string[]).includes(v)) throw new UsageError(`--format must be one of ${PROFILE_FORMATS.join(', ')}`);
  return v as ProfileFormat;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      io.stdout(USAGE);
      return command || values.help ? 0 : 2;
    }
    const imports = values.imports?.split(',').filter(Boolean);
    const engineOptions = { evidenceDir: values.evidence, imports };
    /** Commands that read lab files name samples by the installation's key (in the data folder, created on first use). */
    const namingEngine = async () => {
      const { loadPseudonymKey } = await import('../security/pseudonym-key.ts');
      return createEngine({ ...engineOptions, pseudonymKey: () => loadPseudonymKey({ dataDir: values.data }) });
    };
    switch (command) {
      case 'rank':
        return await rankCommand(await namingEngine(), {
          input: rest[0],
          tumour: values.tumour,
          json: values.json,
          agency: agencyOf(values.agency),
          format: formatOf(values.format),
          id: values.id,
          sample: values.sample,
          sampleMap: values['sample-map'],
          sampleIds: values['sample-ids'],
        }, io);
      case 'batch': {
        // With --report-dir, --format names the report format when it is one (html, pdf, fhir, csv); profile formats keep their meaning.
        const reportDir = values['report-dir'];
        const asReport = reportDir !== undefined && values.format !== undefined && isReportFormat(values.format);
        const reportFormat = reportDir !== undefined ? reportFormatOf(values['report-format'] ?? (asReport ? values.format : undefined), 'pdf') : undefined;
        return await batchCommand(await namingEngine(), {
          in: values.in, out: values.out, tumour: values.tumour, agency: agencyOf(values.agency), format: asReport ? undefined : formatOf(values.format),
          workers: workersOf(values.workers), reportDir, reportFormat, date: values.date,
          sampleMap: values['sample-map'], sampleIds: values['sample-ids'], check: values.check, progressSeconds: progressOf(values.progress),
        }, io);
      }
      case 'report': {
        const { reportCommand } = await import('./commands/report.ts');
        if (rest.length > 1) throw new UsageError(`report: one case id or profile file at a time (got ${rest.length})`);
        return await reportCommand(await namingEngine(), {
          target: rest[0], format: reportFormatOf(values.format ?? 'html'), out: values.out, data: values.data, date: values.date, snapshot: values.snapshot,
          tumour: values.tumour, agency: agencyOf(values.agency), id: values.id, sample: values.sample, sampleMap: values['sample-map'],
        }, io);
      }
      case 'serve': {
        const workers = workersOf(values.workers) ?? workersOf(process.env.MTBNET_WORKERS) ?? 1;
        const { runPrimary, isPrimary } = await import('../cluster.ts');
        if (workers > 1 && isPrimary()) {
          await runPrimary(workers, { dataDir: values.data });
          return await new Promise<number>(() => {});
        }
        const { serve } = await import('../main.ts');
        const port = values.port !== undefined ? Number(values.port) : undefined;
        if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError('--port must be a port number');
        await serve({ ...engineOptions, port, host: values.host, dataDir: values.data });
        return await new Promise<number>(() => {}); // runs until a signal stops it
      }
      case 'users': {
        const { usersCommand } = await import('./commands/users.ts');
        return await usersCommand({ sub: rest[0], username: rest[1], role: values.role, name: values.name, passwordStdin: values['password-stdin'], json: values.json, data: values.data }, io);
      }
      case 'audit': {
        const { auditCommand } = await import('./commands/audit.ts');
        return await auditCommand({ sub: rest[0], json: values.json, data: values.data, limit: values.limit !== undefined ? Number(values.limit) || undefined : undefined }, io);
      }
      case 'backup': {
        const { backupCommand } = await import('./commands/backup.ts');
        return await backupCommand({ file: rest[0], data: values.data }, io);
      }
      case 'restore': {
        const { restoreCommand } = await import('./commands/backup.ts');
        return await restoreCommand({ file: rest[0], data: values.data, force: values.force }, io);
      }
      case 'reevaluate': {
        const { reevaluateCommand } = await import('./commands/reevaluate.ts');
        return await reevaluateCommand(createEngine(engineOptions), { save: values.save, json: values.json, data: values.data }, io);
      }
      case 'import': {
        const { importCommand } = await import('./commands/import.ts');
        return await importCommand({ source: rest[0], input: rest[1], evidence: values.evidence, data: values.data, json: values.json, store: values.store }, io);
      }
      case 'validate': {
        const { validateCommand } = await import('./commands/validate.ts');
        return await validateCommand({ reference: rest[0], evidence: values.evidence, data: values.data, json: values.json, out: values.out, imports }, io);
      }
      case 'evidence':
        if (rest[0] === 'diff') {
          const { diffCommand } = await import('./commands/diff.ts');
          return await diffCommand({ old: rest[1], new: rest[2], evidence: values.evidence, json: values.json, imports }, io);
        }
        if (rest[0] === 'check') return await evidenceCheckCommand({ evidence: values.evidence, json: values.json, imports, data: values.data }, io);
        if (rest[0] === 'load-neo4j') {
          const { loadNeo4jCommand } = await import('./commands/load-neo4j.ts');
          return await loadNeo4jCommand(createEngine(engineOptions), io);
        }
        throw new UsageError(`evidence: unknown subcommand "${rest[0] ?? ''}" (try: mtbnet evidence check, mtbnet evidence load-neo4j)`);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`mtbnet: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof AppError) {
      io.stderr(`mtbnet: ${e.message}\n${e.details.length ? `${formatDetails(e.details).replace(/^/gm, '  ')}\n` : ''}`);
      return e.status >= 500 && e.code !== 'invalid_knowledge_base' ? 1 : 2;
    }
    io.stderr(`mtbnet: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
