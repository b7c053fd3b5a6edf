/**
 * What changed between two knowledge-base versions (`mtbnet evidence diff`):
 * evidence items by id (added, removed, changed with the fields that
 * changed), drugs by name, genes by symbol (role, aliases, exons, domains,
 * drivers), tumour types by code, and the manifest version. Works on the
 * parsed files, so a version that does not build can still be compared.
 */
import { existsSync, statSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { folderSource, gitSource, kbFilesFrom, type KbSource } from './import-common.ts';
import type { KbFile, KbFiles } from './build.ts';

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}
export interface Changed {
  id: string;
  file: string;
  fields: FieldChange[];
}
export interface Section {
  added: Array<{ id: string; file: string }>;
  removed: Array<{ id: string; file: string }>;
  changed: Changed[];
}
export interface KbDiff {
  old: { source: string; version?: string };
  new: { source: string; version?: string };
  evidence: Section;
  drugs: Section;
  genes: Section;
  tumourTypes: Section;
}

/** A folder, or a git ref of the repository holding `evidenceDir`. */
export function kbSource(spec: string, evidenceDir: string): KbSource {
  if (existsSync(spec) && statSync(spec).isDirectory()) return folderSource(spec);
  return gitSource(spec, evidenceDir);
}

type Keyed = Map<string, { file: string; value: Record<string, unknown> }>;

function evidenceOf(files: KbFiles): Keyed {
  const out: Keyed = new Map();
  for (const f of [...files.genes, ...files.signatures, ...(files.imports ?? [])]) {
    const list = (f.data as { evidence?: Array<Record<string, unknown>> } | null)?.evidence ?? [];
    for (const e of list) if (typeof e?.id === 'string') out.set(e.id, { file: f.path, value: e });
  }
  return out;
}
function listOf(file: KbFile | undefined, key: string, id: string): Keyed {
  const out: Keyed = new Map();
  const list = (file?.data as Record<string, Array<Record<string, unknown>>> | null)?.[key] ?? [];
  for (const x of list) if (typeof x?.[id] === 'string') out.set(x[id] as string, { file: file!.path, value: x });
  return out;
}
function genesOf(files: KbFiles): Keyed {
  const out: Keyed = new Map();
  for (const f of files.genes) {
    const d = f.data as Record<string, unknown> | null;
    if (!d || typeof d.gene !== 'string') continue;
    const { evidence: _e, ...rest } = d;
    out.set(d.gene, { file: f.path, value: rest });
  }
  return out;
}

function section(a: Keyed, b: Keyed): Section {
  const s: Section = { added: [], removed: [], changed: [] };
  for (const [id, { file, value }] of b) {
    const old = a.get(id);
    if (!old) {
      s.added.push({ id, file });
      continue;
    }
    const fields: FieldChange[] = [];
    for (const k of [...new Set([...Object.keys(old.value), ...Object.keys(value)])].sort()) {
      if (!isDeepStrictEqual(old.value[k], value[k])) fields.push({ field: k, old: old.value[k], new: value[k] });
    }
    if (old.file !== file) fields.push({ field: '(file)', old: old.file, new: file });
    if (fields.length > 0) s.changed.push({ id, file, fields });
  }
  for (const [id, { file }] of a) if (!b.has(id)) s.removed.push({ id, file });
  const byId = (x: { id: string }, y: { id: string }) => x.id.localeCompare(y.id, 'en', { numeric: true });
  s.added.sort(byId);
  s.removed.sort(byId);
  s.changed.sort(byId);
  return s;
}

export function diffKbFiles(a: KbFiles, b: KbFiles, labels: { old: string; new: string }): KbDiff {
  const version = (f: KbFiles) => (f.manifest.data as { version?: string } | null)?.version;
  return {
    old: { source: labels.old, version: version(a) },
    new: { source: labels.new, version: version(b) },
    evidence: section(evidenceOf(a), evidenceOf(b)),
    drugs: section(listOf(a.drugs, 'drugs', 'name'), listOf(b.drugs, 'drugs', 'name')),
    genes: section(genesOf(a), genesOf(b)),
    tumourTypes: section(listOf(a.tumourTypes, 'tumourTypes', 'code'), listOf(b.tumourTypes, 'tumourTypes', 'code')),
  };
}

/** Imported sets present in a version (for `--imports all`). */
function importsIn(source: KbSource, wanted: readonly string[]): string[] {
  const present = source.list().filter((p) => /^imports\/[^/]+\.ya?ml$/.test(p)).map((p) => p.replace(/^imports\//, '').replace(/\.ya?ml$/, ''));
  return wanted.filter((w) => present.includes(w));
}

export function diffKnowledgeBases(oldSpec: string, newSpec: string, evidenceDir: string, imports: readonly string[] = []): KbDiff {
  const a = kbSource(oldSpec, evidenceDir);
  const b = kbSource(newSpec, evidenceDir);
  return diffKbFiles(kbFilesFrom(a, importsIn(a, imports)), kbFilesFrom(b, importsIn(b, imports)), { old: a.label, new: b.label });
}
