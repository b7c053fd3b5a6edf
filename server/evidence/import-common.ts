/**
 * What the importers (import-civic.ts, import-cgi.ts) and the evidence diff
 * share: reading a knowledge base's files from a folder or a git ref, the
 * deterministic YAML of an imported set, and the safe write of an import
 * (temp file, whole knowledge base built with the import switched on, rename).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parse, stringify } from 'yaml';
import { KnowledgeBaseError } from '../domain/errors.ts';
import type { EvidenceItem } from '../domain/knowledge.ts';
import { buildEvidenceGraph, type KbFile, type KbFiles } from './build.ts';

/** Read access to one knowledge-base version: a folder, or a git ref of the repository holding it. */
export interface KbSource {
  label: string;
  /** Paths relative to the knowledge-base root, `/`-separated, sorted. */
  list(): string[];
  read(path: string): string | undefined;
}

export function folderSource(dir: string): KbSource {
  const root = resolve(dir);
  const walk = (d: string): string[] =>
    existsSync(d)
      ? readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : /\.ya?ml$/.test(e.name) ? [join(d, e.name)] : []))
      : [];
  return {
    label: root,
    list: () => walk(root).map((p) => relative(root, p).split(sep).join('/')).sort(),
    read: (p) => (existsSync(join(root, p)) ? readFileSync(join(root, p), 'utf8') : undefined),
  };
}

/** A git ref (`HEAD~3`, `v1.2`, a commit) of the repository holding `dir`; `dir` is the knowledge base inside it. */
export function gitSource(ref: string, dir: string): KbSource {
  const cwd = resolve(dir);
  const git = (args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel']).trim();
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new KnowledgeBaseError(`evidence/diff: "${ref}" is neither a folder nor a git ref of the repository at ${cwd}`);
  }
  const prefix = relative(top, cwd).split(sep).join('/');
  // --full-name: ls-tree takes the path from the top and names files from there (without it, both are read
  // relative to the working folder, inside the knowledge base: only its top-level files were listed).
  const files = git(['ls-tree', '-r', '--full-name', '--name-only', ref, '--', top])
    .split('\n')
    .filter((f) => /\.ya?ml$/.test(f) && (prefix === '' || f.startsWith(`${prefix}/`)))
    .map((f) => (prefix ? f.slice(prefix.length + 1) : f))
    .sort();
  return {
    label: `${ref}:${prefix}`,
    list: () => files,
    read: (p) => {
      try {
        return git(['show', `${ref}:${prefix ? `${prefix}/` : ''}${p}`]);
      } catch {
        return undefined;
      }
    },
  };
}

function yamlFile(source: KbSource, path: string, text?: string): KbFile | undefined {
  const t = text ?? source.read(path);
  if (t === undefined) return undefined;
  return { path, data: parse(t, { uniqueKeys: true }) };
}

/**
 * The files of a knowledge base as the builder takes them. `imports` names the
 * imported sets to switch on; `override` replaces the text of a file (an import
 * not yet written).
 */
export function kbFilesFrom(source: KbSource, imports: readonly string[] = [], override: Record<string, string> = {}): KbFiles {
  const all = source.list();
  const need = (p: string) => {
    const f = yamlFile(source, p, override[p]);
    if (!f) throw new KnowledgeBaseError(`evidence: ${source.label} has no ${p}`);
    return f;
  };
  const under = (folder: string) => all.filter((p) => p.startsWith(`${folder}/`) && !p.slice(folder.length + 1).includes('/'));
  return {
    manifest: need('kb.yaml'),
    tumourTypes: need('tumour-types.yaml'),
    drugs: need('drugs.yaml'),
    pathways: all.includes('pathways.yaml') ? need('pathways.yaml') : undefined,
    genes: under('genes').map((p) => need(p)),
    signatures: under('signatures').map((p) => need(p)),
    imports: imports.map((n) => need(`imports/${n}.yaml`)),
  };
}

/** One row the importer could not map: where it is, what it is, why. */
export interface Unmapped {
  line: number;
  id: string;
  what: string;
  reason: string;
  /** The reason's group, for counts ("drug not in the knowledge base", "variant not understood", ...). */
  group: string;
}

export interface ImportReport {
  name: string;
  source: string;
  file: string;
  /** Rows considered (accepted predictive evidence; CGI biomarker rows). */
  considered: number;
  /** Rows that gave at least one evidence item. */
  mapped: number;
  items: number;
  unmapped: Unmapped[];
  byGroup: Record<string, number>;
  byLevel: Record<string, number>;
  changes: { added: number; removed: number; changed: number; unchanged: boolean };
  written: boolean;
  /** The audit-log row that records this import (the CLI's). */
  audit?: { seq: number; database: string };
}

export function countBy<T>(list: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of list) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

/** Deterministic YAML of an imported set: same items in, same bytes out (so a second run changes nothing). */
export function importYaml(header: string, items: readonly EvidenceItem[]): string {
  const sorted = [...items].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  const body = stringify({ evidence: sorted }, { lineWidth: 0, flowCollectionPadding: false, defaultStringType: 'PLAIN' });
  return `${header.split('\n').map((l) => `# ${l}`.trimEnd()).join('\n')}\n${body}`;
}

/** Compare the items of two versions of an imported set by id. */
export function compareItems(before: readonly EvidenceItem[], after: readonly EvidenceItem[]): { added: number; removed: number; changed: number } {
  const old = new Map(before.map((e) => [e.id, JSON.stringify(e)]));
  let added = 0;
  let changed = 0;
  for (const e of after) {
    const o = old.get(e.id);
    if (o === undefined) added++;
    else if (o !== JSON.stringify(e)) changed++;
    old.delete(e.id);
  }
  return { added, removed: old.size, changed };
}

/**
 * Write an imported set safely: the new file is written beside the old one
 * under a temporary name, the whole knowledge base is built with the import
 * switched on, and only then renamed into place. Nothing is written when the
 * content is unchanged or the build fails (KnowledgeBaseError).
 */
export function writeImport(evidenceDir: string, name: string, text: string): { written: boolean; before: EvidenceItem[]; after: EvidenceItem[] } {
  const rel = `imports/${name}.yaml`;
  const target = join(evidenceDir, rel);
  const previous = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  const before = previous ? (((parse(previous) as { evidence?: EvidenceItem[] })?.evidence ?? []) as EvidenceItem[]) : [];
  const after = ((parse(text) as { evidence?: EvidenceItem[] }).evidence ?? []) as EvidenceItem[];
  if (previous === text) return { written: false, before, after };
  // Built in memory with the new text first, so a failure never leaves a file behind.
  buildEvidenceGraph(kbFilesFrom(folderSource(evidenceDir), [name], { [rel]: text }), 'sha256:import-check');
  mkdirSync(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${name}.yaml.tmp-${process.pid}`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { force: true });
  }
  return { written: true, before, after };
}
