/**
 * `mtbnet rank <file|-> [--tumour CODE] [--json] [--agency FDA|EMA] [--format F]`: any reader's format, gzip included.
 * Sample and file names become pseudonymous IDs unless `--id` or `--sample-map` names them;
 * `--sample-ids FILE` writes which name became which ID (for the user only; stdout and stderr never show a name).
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Agency } from '../../domain/knowledge.ts';
import { InvalidInputError } from '../../domain/errors.ts';
import type { Engine } from '../../engine.ts';
import type { ProfileFormat } from '../../profile/types.ts';
import { formatRankTable } from '../format.ts';
import { UsageError, type Io } from '../io.ts';
import { noteSampleIds, readSampleMapFile, writeSampleIds } from '../sample-ids.ts';

export interface RankArgs {
  input?: string;
  tumour?: string;
  json?: boolean;
  agency?: Agency;
  format?: ProfileFormat;
  id?: string;
  sample?: string;
  /** A file of `sample<TAB>case-id` lines: the user's own IDs. */
  sampleMap?: string;
  /** Write which sample name became which ID here. */
  sampleIds?: string;
}

export async function rankCommand(engine: Engine, args: RankArgs, io: Io): Promise<number> {
  if (!args.input) throw new UsageError('rank: give a profile file, or - to read standard input');
  if (args.input !== '-' && !existsSync(args.input)) {
    throw new InvalidInputError(`cli: cannot read ${args.input}: no such file`, [{ path: args.input, message: 'check the path, or use - to read standard input' }]);
  }
  const source = args.input === '-' ? await io.readStdinBytes() : { path: args.input };
  const naming = engine.naming(args.sampleMap ? readSampleMapFile(args.sampleMap) : undefined);
  const { profile, warnings, sampleIds } = await engine.read(source, {
    format: args.format,
    tumourType: args.tumour,
    id: args.id,
    sample: args.sample,
    filename: args.input === '-' ? undefined : basename(args.input),
    naming,
  });
  if (args.sampleIds) writeSampleIds(args.sampleIds, sampleIds);
  const result = engine.rank(profile, { agency: args.agency });
  const readerWarnings = warnings.map((w) => (w.line !== undefined ? `line ${w.line}: ${w.message}` : w.message));
  const out = { ...result, warnings: [...readerWarnings, ...result.warnings] };
  io.stdout(args.json ? `${JSON.stringify(out, null, 2)}\n` : `${formatRankTable(out)}\n`);
  noteSampleIds('rank', sampleIds, args.sampleIds, io);
  return 0;
}
