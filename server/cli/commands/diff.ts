/**
 * `mtbnet evidence diff <old> <new> [--json] [--imports a,b]`: what changed
 * between two knowledge-base versions (git refs of this repository, e.g.
 * `HEAD~5 HEAD` or `v1.0 WORKTREE`, or two folders). `WORKTREE` (or `.`) is
 * the knowledge-base folder as it is on disk.
 */
import { DEFAULT_EVIDENCE_DIR } from '../../evidence/load.ts';
import { diffKnowledgeBases, type KbDiff, type Section } from '../../evidence/diff.ts';
import { UsageError, type Io } from '../io.ts';

export interface DiffArgs {
  old?: string;
  new?: string;
  evidence?: string;
  json?: boolean;
  imports?: string[];
}

const show = (v: unknown) => (v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));

export async function diffCommand(args: DiffArgs, io: Io): Promise<number> {
  if (!args.old || !args.new) throw new UsageError('evidence diff: give two versions: mtbnet evidence diff <old-ref|dir> <new-ref|dir>');
  const dir = args.evidence ?? process.env.MTBNET_EVIDENCE_DIR ?? DEFAULT_EVIDENCE_DIR;
  const spec = (s: string) => (s === 'WORKTREE' || s === '.' ? dir : s);
  const d = diffKnowledgeBases(spec(args.old), spec(args.new), dir, args.imports ?? []);
  if (args.json) io.stdout(`${JSON.stringify(d, null, 2)}\n`);
  else io.stdout(formatDiff(d));
  return 0;
}

export function formatDiff(d: KbDiff): string {
  const lines: string[] = [`evidence diff: ${d.old.source} (${d.old.version ?? '?'}) -> ${d.new.source} (${d.new.version ?? '?'})`];
  const part = (title: string, s: Section) => {
    lines.push(`  ${title}: ${s.added.length} added, ${s.removed.length} removed, ${s.changed.length} changed`);
    for (const a of s.added) lines.push(`    + ${a.id}  (${a.file})`);
    for (const r of s.removed) lines.push(`    - ${r.id}  (${r.file})`);
    for (const c of s.changed) {
      lines.push(`    ~ ${c.id}  (${c.file})`);
      for (const f of c.fields) lines.push(`        ${f.field}: ${show(f.old)} -> ${show(f.new)}`);
    }
  };
  part('evidence', d.evidence);
  part('drugs', d.drugs);
  part('genes', d.genes);
  part('tumour types', d.tumourTypes);
  return `${lines.join('\n')}\n`;
}
