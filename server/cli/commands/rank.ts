/** `mtbnet rank <file|-> [--tumour CODE] [--json] [--agency FDA|EMA] [--format F]` */
import { basename } from 'node:path';
import type { Agency } from '../../domain/knowledge.ts';
import type { Engine } from '../../engine.ts';
import type { ProfileFormat } from '../../profile/types.ts';
import { formatRankTable } from '../format.ts';
import { readInput, UsageError, type Io } from '../io.ts';

export interface RankArgs {
  input?: string;
  tumour?: string;
  json?: boolean;
  agency?: Agency;
  format?: ProfileFormat;
  id?: string;
}

export async function rankCommand(engine: Engine, args: RankArgs, io: Io): Promise<number> {
  if (!args.input) throw new UsageError('rank: give a profile file, or - to read standard input');
  const text = await readInput(args.input, io);
  const { profile, warnings } = engine.parse({
    text,
    format: args.format,
    tumourType: args.tumour,
    id: args.id,
    filename: args.input === '-' ? undefined : basename(args.input),
  });
  const result = engine.rank(profile, { agency: args.agency });
  const readerWarnings = warnings.map((w) => (w.line !== undefined ? `line ${w.line}: ${w.message}` : w.message));
  const out = { ...result, warnings: [...readerWarnings, ...result.warnings] };
  io.stdout(args.json ? `${JSON.stringify(out, null, 2)}\n` : `${formatRankTable(out)}\n`);
  return 0;
}
