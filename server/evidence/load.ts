/**
 * Read the knowledge base from a folder (evidence/ by default) and build the
 * evidence graph. The content hash covers every file read, so a rank result
 * names exactly the knowledge base that produced it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, isMap, isSeq, LineCounter } from 'yaml';
import { KnowledgeBaseError, zodDetails, type ErrorDetail } from '../domain/errors.ts';
import { CoordinatesFile } from '../domain/knowledge.ts';
import { buildEvidenceGraph, type EvidenceGraph, type KbCounts, type KbFile, type KbFiles } from './build.ts';

export const DEFAULT_EVIDENCE_DIR = fileURLToPath(new URL('../../evidence', import.meta.url));

export interface LoadOptions {
  /** Imported sets to switch on, by name (`civic`, `cgi`); each is evidence/imports/<name>.yaml. */
  imports?: string[];
}

export interface LoadedKnowledgeBase {
  graph: EvidenceGraph;
  /** Genomic coordinates of named protein changes (coordinates.yaml), empty when absent. */
  coordinates: CoordinatesFile['variants'];
  counts: KbCounts;
  dir: string;
  files: string[];
}

/** Parse one YAML file's text, keeping the line of each top-level evidence item for error messages. */
function parseYamlText(path: string, text: string, details: ErrorDetail[]): KbFile | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      details.push({ path, line: err.linePos?.[0]?.line, message: `YAML: ${err.message.split('\n')[0]}` });
    }
    return undefined;
  }
  const lines = new Map<number, number>();
  const contents = doc.contents;
  if (isMap(contents)) {
    const ev = contents.get('evidence', true);
    if (isSeq(ev)) {
      ev.items.forEach((item, i) => {
        const range = (item as { range?: [number, number, number] }).range;
        if (range) lines.set(i, lineCounter.linePos(range[0]).line);
      });
    }
  }
  return { path, data: doc.toJS(), lines };
}

/**
 * Parsed YAML is cached by content hash (in the system's temporary folder), so a
 * start-up or a CLI call does not parse the same files again (batch workers take
 * the loaded graph from the main thread and read no file).
 * The cache holds only what the files say; validation and the graph are rebuilt
 * every time. MTBNET_KB_CACHE=off turns it off.
 */
const CACHE_FORMAT = 1;
function cachePath(hash: string): string | undefined {
  if (process.env.MTBNET_KB_CACHE === 'off') return undefined;
  return join(process.env.MTBNET_KB_CACHE || join(tmpdir(), 'mtbnet-kb-cache'), `v${CACHE_FORMAT}-${hash}.json`);
}
type CachedFile = { path: string; data: unknown; lines: Array<[number, number]> };
function readCache(file: string | undefined): Map<string, KbFile> | undefined {
  if (!file || !existsSync(file)) return undefined;
  try {
    const entries = JSON.parse(readFileSync(file, 'utf8')) as CachedFile[];
    return new Map(entries.map((e) => [e.path, { path: e.path, data: e.data, lines: new Map(e.lines) }]));
  } catch {
    return undefined; // a damaged cache is ignored and rewritten
  }
}
function writeCache(file: string | undefined, files: KbFile[]): void {
  if (!file) return;
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(files.map((f): CachedFile => ({ path: f.path, data: f.data, lines: [...(f.lines ?? new Map())] }))));
    renameSync(tmp, file);
  } catch {
    // The cache is an optimisation: a read-only or full disk only costs parsing time.
  }
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Read and validate the knowledge base; throws KnowledgeBaseError naming file, item and field. */
export function loadKnowledgeBase(dir: string = DEFAULT_EVIDENCE_DIR, options: LoadOptions = {}): LoadedKnowledgeBase {
  if (!existsSync(join(dir, 'kb.yaml'))) {
    throw new KnowledgeBaseError(`evidence: no knowledge base at ${dir} (expected kb.yaml there)`, [
      { path: dir, message: 'set MTBNET_EVIDENCE_DIR or pass --evidence DIR to a folder holding kb.yaml' },
    ]);
  }
  const details: ErrorDetail[] = [];
  // Which files make up this knowledge base, in a fixed order (the hash depends on it).
  const paths: string[] = [];
  for (const name of ['kb.yaml', 'tumour-types.yaml', 'drugs.yaml']) {
    if (existsSync(join(dir, name))) paths.push(join(dir, name));
    else details.push({ path: name, message: 'missing file' });
  }
  for (const name of ['pathways.yaml', 'coordinates.yaml']) if (existsSync(join(dir, name))) paths.push(join(dir, name));
  paths.push(...yamlFiles(join(dir, 'genes')), ...yamlFiles(join(dir, 'signatures')));
  for (const name of options.imports ?? []) {
    const abs = join(dir, 'imports', `${name}.yaml`);
    if (existsSync(abs)) paths.push(abs);
    else details.push({ path: `imports/${name}.yaml`, message: `imported set "${name}" not found: run mtbnet import ${name} first` });
  }
  if (details.length > 0) throw new KnowledgeBaseError(`evidence: ${details.length} unreadable file(s)`, details);

  // Read every file once: the bytes give the content hash, the text the parsed data.
  const rel = (abs: string) => relative(dir, abs).split(sep).join('/');
  const hash = createHash('sha256');
  const texts = paths.map((abs) => {
    const bytes = readFileSync(abs);
    hash.update(rel(abs));
    hash.update('\0');
    hash.update(bytes);
    hash.update('\0');
    return { path: rel(abs), text: bytes.toString('utf8') };
  });
  const digest = `sha256:${hash.digest('hex').slice(0, 16)}`;
  const cache = cachePath(digest.slice(7));
  let parsed = readCache(cache);
  if (!parsed) {
    const fresh = texts.map((t) => parseYamlText(t.path, t.text, details)).filter((f): f is KbFile => f !== undefined);
    if (details.length > 0) throw new KnowledgeBaseError(`evidence: ${details.length} unreadable file(s)`, details);
    writeCache(cache, fresh);
    parsed = new Map(fresh.map((f) => [f.path, f]));
  }
  const get = (path: string) => parsed.get(path);
  const under = (folder: string) => texts.filter((t) => t.path.startsWith(`${folder}/`)).map((t) => get(t.path)!);

  let coordinates: CoordinatesFile['variants'] = [];
  const coordinatesFile = get('coordinates.yaml');
  if (coordinatesFile) {
    const result = CoordinatesFile.safeParse(coordinatesFile.data);
    if (result.success) coordinates = result.data.variants;
    else throw new KnowledgeBaseError('evidence: invalid coordinates.yaml', zodDetails(result.error.issues, 'coordinates.yaml'));
  }
  const files: KbFiles = {
    manifest: get('kb.yaml')!,
    tumourTypes: get('tumour-types.yaml')!,
    drugs: get('drugs.yaml')!,
    pathways: get('pathways.yaml'),
    genes: under('genes'),
    signatures: under('signatures'),
    imports: under('imports'),
  };
  const { graph, counts } = buildEvidenceGraph(files, digest);
  const all = paths;
  return { graph, coordinates, counts, dir, files: all.map((a) => relative(dir, a).split(sep).join('/')) };
}
