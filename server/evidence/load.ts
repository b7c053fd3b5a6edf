/**
 * Read the knowledge base from a folder (evidence/ by default) and build the
 * evidence graph. The content hash covers every file read, so a rank result
 * names exactly the knowledge base that produced it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
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

function readYaml(root: string, abs: string, details: ErrorDetail[]): KbFile | undefined {
  const path = relative(root, abs).split(sep).join('/');
  const text = readFileSync(abs, 'utf8');
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
  const required = (name: string) => {
    const abs = join(dir, name);
    if (!existsSync(abs)) {
      details.push({ path: name, message: 'missing file' });
      return undefined;
    }
    return readYaml(dir, abs, details);
  };
  const manifest = required('kb.yaml');
  const tumourTypes = required('tumour-types.yaml');
  const drugs = required('drugs.yaml');
  const hasPathways = existsSync(join(dir, 'pathways.yaml'));
  const pathways = hasPathways ? required('pathways.yaml') : undefined;
  const hasCoordinates = existsSync(join(dir, 'coordinates.yaml'));
  const coordinatesFile = hasCoordinates ? required('coordinates.yaml') : undefined;
  let coordinates: CoordinatesFile['variants'] = [];
  if (coordinatesFile) {
    const parsed = CoordinatesFile.safeParse(coordinatesFile.data);
    if (parsed.success) coordinates = parsed.data.variants;
    else details.push(...zodDetails(parsed.error.issues, 'coordinates.yaml'));
  }
  const genePaths = yamlFiles(join(dir, 'genes'));
  const signaturePaths = yamlFiles(join(dir, 'signatures'));
  const importPaths = (options.imports ?? []).map((name) => {
    const abs = join(dir, 'imports', `${name}.yaml`);
    if (!existsSync(abs)) details.push({ path: `imports/${name}.yaml`, message: `imported set "${name}" not found: run mtbnet import ${name} first` });
    return abs;
  }).filter(existsSync);
  const genes = genePaths.map((p) => readYaml(dir, p, details)).filter((f): f is KbFile => f !== undefined);
  const signatures = signaturePaths.map((p) => readYaml(dir, p, details)).filter((f): f is KbFile => f !== undefined);
  const imports = importPaths.map((p) => readYaml(dir, p, details)).filter((f): f is KbFile => f !== undefined);
  if (details.length > 0 || !manifest || !tumourTypes || !drugs) {
    throw new KnowledgeBaseError(`evidence: ${details.length} unreadable file(s)`, details);
  }

  const all = [join(dir, 'kb.yaml'), join(dir, 'tumour-types.yaml'), join(dir, 'drugs.yaml'), ...(hasPathways ? [join(dir, 'pathways.yaml')] : []), ...(hasCoordinates ? [join(dir, 'coordinates.yaml')] : []), ...genePaths, ...signaturePaths, ...importPaths];
  const hash = createHash('sha256');
  for (const abs of all) {
    hash.update(relative(dir, abs).split(sep).join('/'));
    hash.update('\0');
    hash.update(readFileSync(abs));
    hash.update('\0');
  }
  const files: KbFiles = { manifest, tumourTypes, drugs, pathways, genes, signatures, imports };
  const { graph, counts } = buildEvidenceGraph(files, `sha256:${hash.digest('hex').slice(0, 16)}`);
  return { graph, coordinates, counts, dir, files: all.map((a) => relative(dir, a).split(sep).join('/')) };
}
