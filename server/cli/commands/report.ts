/**
 * `mtbnet report <case-id|profile-file> --format html|pdf|fhir|csv --out FILE`:
 * the report of a stored case (the SQLite store under ./data or --data DIR, or
 * Neo4j when NEO4J_URI is set), or of a profile file in any reader format. A
 * path that exists is a profile file; anything else is a case id. The report
 * is rendered completely before anything is written, then written to a
 * temporary file and renamed, so an error never leaves a file behind.
 * Without --out (or with -) the report goes to standard output.
 */
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Agency } from '../../domain/knowledge.ts';
import { CASE_ID } from '../../domain/profile.ts';
import { InvalidInputError, NotFoundError } from '../../domain/errors.ts';
import type { Engine } from '../../engine.ts';
import type { ProfileFormat } from '../../profile/types.ts';
import { caseContext } from '../../cases/index.ts';
import { DB_FILE, openStore, storeConfigFromEnv } from '../../store/index.ts';
import { caseReport, profileReport } from '../../report/case-report.ts';
import type { ReportFormat, ReportModel } from '../../report/model.ts';
import { createPdfRenderer } from '../../report/pdf.ts';
import { renderReport } from '../../report/render.ts';
import { UsageError, type Io } from '../io.ts';
import { readSampleMapFile } from '../sample-ids.ts';

export interface ReportArgs {
  target?: string;
  format: ReportFormat;
  out?: string;
  data?: string;
  /** A profile file's date (YYYY-MM-DD or ISO 8601); default SOURCE_DATE_EPOCH, else the file's modification time. */
  date?: string;
  snapshot?: string;
  tumour?: string;
  agency?: Agency;
  profileFormat?: ProfileFormat;
  id?: string;
  sample?: string;
  /** A profile file's sample names: a file of `sample<TAB>case-id` lines (others become pseudonymous IDs). */
  sampleMap?: string;
  /** Write binary output (PDF) to a terminal anyway. */
  stdoutIsTty?: boolean;
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** The date of a report from a file: explicit, else SOURCE_DATE_EPOCH (reproducible builds), else the file's mtime. */
export function reportDate(explicit: string | undefined, file: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit !== undefined) {
    if (!ISO.test(explicit) || Number.isNaN(Date.parse(explicit))) throw new UsageError(`--date must be a date such as 2025-03-04 or an ISO 8601 time, not "${explicit}"`);
    return explicit;
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  if (file) return statSync(file).mtime.toISOString();
  throw new UsageError('report: give --date for a profile read from standard input');
}

/** Write all bytes or nothing: a temporary file beside the target, renamed into place. */
export function writeAtomically(path: string, body: Buffer): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, body);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

async function modelOf(engine: Engine, args: ReportArgs, io: Io): Promise<ReportModel> {
  const target = args.target!;
  if (target === '-' || existsSync(target)) {
    if (args.snapshot) throw new UsageError('report: --snapshot names a stored ranking of a case, not of a profile file');
    const source = target === '-' ? await io.readStdinBytes() : { path: target };
    const { profile, warnings } = await engine.read(source, {
      format: args.profileFormat,
      tumourType: args.tumour,
      id: args.id,
      sample: args.sample,
      filename: target === '-' ? undefined : basename(target),
      sampleMap: args.sampleMap ? readSampleMapFile(args.sampleMap) : undefined,
    });
    return profileReport(engine, profile, {
      date: reportDate(args.date, target === '-' ? undefined : target),
      agency: args.agency,
      warnings: warnings.map((w) => (w.line !== undefined ? `line ${w.line}: ${w.message}` : w.message)),
    });
  }
  if (!CASE_ID.test(target)) {
    throw new InvalidInputError(`report: "${target}" is neither a profile file nor a case id`, [{ path: target, message: 'no such file, and not a pseudonymous case id' }]);
  }
  const config = storeConfigFromEnv(process.env, { dataDir: args.data });
  if (!config.neo4j) {
    // Opening a store creates it; a report only reads, so a missing store is a missing case.
    const file = join(resolve(config.dataDir ?? 'data'), DB_FILE);
    if (!existsSync(file)) throw new NotFoundError(`report: no case "${target}": there is no case store at ${file} (use --data DIR), and no file of that name`);
  }
  const store = await openStore(config);
  try {
    return await caseReport(caseContext(store, engine), target, { snapshotId: args.snapshot });
  } catch (e) {
    if (e instanceof NotFoundError && !args.snapshot) throw new NotFoundError(`report: no case "${target}" in ${store.info().location}, and no file of that name`, e.details);
    throw e;
  } finally {
    await store.close();
  }
}

export async function reportCommand(engine: Engine, args: ReportArgs, io: Io): Promise<number> {
  if (!args.target) throw new UsageError('report: give a case id or a profile file');
  const toStdout = args.out === undefined || args.out === '-';
  if (toStdout && args.format === 'pdf' && (args.stdoutIsTty ?? process.stdout.isTTY)) {
    throw new UsageError('report: a PDF is binary; give --out FILE (or redirect standard output)');
  }
  if (!toStdout && existsSync(args.out!) && statSync(args.out!).isDirectory()) throw new UsageError(`report: --out ${args.out} is a folder; give a file name`);
  const model = await modelOf(engine, args, io);
  const pdf = args.format === 'pdf' ? await createPdfRenderer() : undefined;
  let rendered;
  try {
    rendered = await renderReport(model, args.format, pdf);
  } finally {
    await pdf?.close();
  }
  if (toStdout) {
    if (args.format === 'pdf') await new Promise<void>((done, fail) => process.stdout.write(rendered.body, (e) => (e ? fail(e) : done())));
    else io.stdout(rendered.body.toString('utf8'));
    return 0;
  }
  writeAtomically(args.out!, rendered.body);
  io.stderr(`report: ${model.caseId} (${args.format}, ${rendered.body.length} bytes, ${model.therapies.length} therapies) -> ${args.out}\n`);
  return 0;
}
