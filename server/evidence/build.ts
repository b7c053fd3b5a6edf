/**
 * Build the evidence graph (DESIGN §3) from parsed knowledge-base files.
 * Pure: takes file contents already read, returns a graphology graph or throws
 * KnowledgeBaseError listing every problem with its file, item and field.
 */
import { DirectedGraph } from 'graphology';
import { z } from 'zod';
import { KnowledgeBaseError, type ErrorDetail } from '../domain/errors.ts';
import { parseCriteria, criteriaToString, CriteriaError, type Atom, type Criteria, positiveAtoms, atomGene } from '../domain/criteria.ts';
import { SIGNATURE_NAMES } from '../domain/alteration.ts';
import { createGeneResolver, type GeneTableResolver } from '../profile/genes.ts';
import {
  DrugsFile,
  GeneFile,
  ManifestFile,
  PathwaysFile,
  SignatureFile,
  TumourTypesFile,
  isCurrentApproval,
  nodeKey,
  therapyId,
  type DrugNode,
  type EdgeAttrs,
  type EvidenceItem,
  type KnowledgeBaseInfo,
  type NodeAttrs,
} from '../domain/knowledge.ts';

export type EvidenceGraph = DirectedGraph<NodeAttrs, EdgeAttrs, KnowledgeBaseInfo>;
/** What signature atoms name instead of a gene (criteria.ts atomGene): the signatures a profile carries. */
const SIGNATURE_GENES: ReadonlySet<string> = new Set(SIGNATURE_NAMES);

/** One knowledge-base file as read from disk (or from git, for diffs). */
export interface KbFile {
  /** Path relative to the knowledge-base root, with `/` separators. */
  path: string;
  /** Parsed YAML/JSON content. */
  data: unknown;
  /** Line of each top-level evidence item, when known, for error messages. */
  lines?: Map<number, number>;
}

export interface KbFiles {
  manifest: KbFile;
  tumourTypes: KbFile;
  drugs: KbFile;
  genes: KbFile[];
  signatures: KbFile[];
  /** Curated signalling edges (pathways.yaml), optional. */
  pathways?: KbFile;
  /** Imported sets (CIViC, CGI, ...) switched on for this deployment. */
  imports?: KbFile[];
}

export interface KbCounts {
  evidence: number;
  biomarkers: number;
  therapies: number;
  drugs: number;
  genes: number;
  tumourTypes: number;
  approvals: number;
  /** Randomised comparisons: (evidence item, control arm) pairs of `superiorTo` (SUPERIOR_TO edges). */
  superiorTo: number;
  byLevel: Record<string, number>;
  byDirection: Record<string, number>;
}

function parseFile<T>(schema: z.ZodType<T>, file: KbFile, details: ErrorDetail[]): T | undefined {
  const r = schema.safeParse(file.data);
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const path = issue.path.map(String);
    let item = '';
    let field = path.join('.');
    let line: number | undefined;
    // Name the evidence item by its id when the problem is inside one.
    if (path[0] === 'evidence' && path[1] !== undefined) {
      const idx = Number(path[1]);
      const raw = (file.data as { evidence?: Array<{ id?: unknown }> })?.evidence?.[idx];
      item = typeof raw?.id === 'string' ? ` item ${raw.id}` : ` item #${idx + 1}`;
      line = file.lines?.get(idx);
      field = path.slice(2).join('.');
    }
    details.push({ path: `${file.path}${item}: ${field || '(item)'}`, line, message: issue.message });
  }
  return undefined;
}

/**
 * Validate every file and build the graph. All problems are collected before
 * throwing, so a curator sees the whole list at once.
 */
export function buildEvidenceGraph(files: KbFiles, hash: string): { graph: EvidenceGraph; counts: KbCounts } {
  const details: ErrorDetail[] = [];
  const manifest = parseFile(ManifestFile, files.manifest, details);
  const tumours = parseFile(TumourTypesFile, files.tumourTypes, details);
  const drugs = parseFile(DrugsFile, files.drugs, details);
  const genes = files.genes.map((f) => ({ file: f, data: parseFile(GeneFile, f, details) }));
  const pathways = files.pathways ? parseFile(PathwaysFile, files.pathways, details) : undefined;
  const signatures = [...files.signatures, ...(files.imports ?? [])].map((f) => ({
    file: f,
    data: parseFile(SignatureFile, f, details),
  }));
  if (details.length > 0 || !manifest || !tumours || !drugs) {
    throw new KnowledgeBaseError(`evidence: ${details.length} invalid entr${details.length === 1 ? 'y' : 'ies'}`, details);
  }

  const graph: EvidenceGraph = new DirectedGraph<NodeAttrs, EdgeAttrs, KnowledgeBaseInfo>();
  graph.replaceAttributes({ name: manifest.name, version: manifest.version, hash, root: tumours.root });
  const where = (file: KbFile, id: string, field: string) => `${file.path} item ${id}: ${field}`;

  // Tumour types and their hierarchy.
  for (const t of tumours.tumourTypes) {
    if (graph.hasNode(nodeKey.tumour(t.code))) {
      details.push({ path: `${files.tumourTypes.path}: ${t.code}`, message: 'duplicate tumour type code' });
      continue;
    }
    graph.addNode(nodeKey.tumour(t.code), { type: 'tumour', code: t.code, name: t.name, parent: t.parent });
  }
  for (const t of tumours.tumourTypes) {
    if (t.parent === null) continue;
    if (!graph.hasNode(nodeKey.tumour(t.parent))) {
      details.push({ path: `${files.tumourTypes.path}: ${t.code}.parent`, message: `unknown parent "${t.parent}"` });
    } else {
      graph.mergeEdge(nodeKey.tumour(t.code), nodeKey.tumour(t.parent), { type: 'IS_A' });
    }
  }
  if (!graph.hasNode(nodeKey.tumour(tumours.root))) {
    details.push({ path: `${files.tumourTypes.path}: root`, message: `root "${tumours.root}" is not a listed tumour type` });
  }

  // Drugs and their targets.
  for (const d of drugs.drugs) {
    if (graph.hasNode(nodeKey.drug(d.name))) {
      details.push({ path: `${files.drugs.path}: ${d.name}`, message: 'duplicate drug' });
      continue;
    }
    graph.addNode(nodeKey.drug(d.name), { type: 'drug', ...d });
    for (const { agency, tumours: codes } of d.labelled) {
      const path = `${files.drugs.path}: ${d.name}: labelled`;
      if (!d.approved.includes(agency)) details.push({ path, message: `labelled by ${agency}: add ${agency} to approved` });
      for (const code of codes) {
        if (code === tumours.root) {
          details.push({ path, message: `${code} is every tumour type: a label names the tumour types it covers` });
        } else if (!graph.hasNode(nodeKey.tumour(code))) {
          details.push({ path, message: `unknown tumour type "${code}": run \`npx tsx scripts/tumour-types.ts\` (it reads drugs.yaml too) to add it from OncoTree` });
        }
      }
    }
  }

  // Genes (with their driver classes).
  for (const { file, data } of genes) {
    if (!data) continue;
    const expected = `genes/${data.gene}.yaml`;
    if (file.path !== expected) details.push({ path: file.path, message: `gene ${data.gene} belongs in ${expected}` });
    const parseList = (list: string[], cls: string) =>
      list.flatMap((spec) => {
        try {
          return [parseCriteria(spec, data.gene)];
        } catch (e) {
          details.push({ path: `${file.path}: drivers.${cls}`, message: (e as Error).message });
          return [];
        }
      });
    if (graph.hasNode(nodeKey.gene(data.gene))) {
      details.push({ path: file.path, message: `gene ${data.gene} is defined twice` });
      continue;
    }
    graph.addNode(nodeKey.gene(data.gene), {
      type: 'gene',
      symbol: data.gene,
      role: data.role,
      aliases: data.aliases.map((a) => a.toUpperCase()),
      exons: data.exons,
      domains: data.domains,
      ...(data.itd !== undefined ? { itd: data.itd } : {}),
      drivers: { oncogenic: parseList(data.drivers.oncogenic, 'oncogenic'), likely: parseList(data.drivers.likely, 'likely') },
    });
  }
  // Genes named only as drug targets or in pathways get a plain node.
  const ensureGene = (symbol: string) => {
    if (!graph.hasNode(nodeKey.gene(symbol))) {
      graph.addNode(nodeKey.gene(symbol), {
        type: 'gene', symbol, role: 'other', aliases: [], exons: {}, domains: {}, drivers: { oncogenic: [], likely: [] },
      });
    }
  };
  for (const d of drugs.drugs) {
    for (const target of d.targets) {
      ensureGene(target);
      graph.mergeEdge(nodeKey.drug(d.name), nodeKey.gene(target), { type: 'TARGETS' });
    }
  }

  // Signalling edges between genes (pathway-based inference).
  for (const e of pathways?.edges ?? []) {
    ensureGene(e.from);
    ensureGene(e.to);
    graph.mergeEdge(nodeKey.gene(e.from), nodeKey.gene(e.to), { type: 'SIGNALS_TO', effect: e.effect, source: pathways!.sources[e.source] });
  }

  // Evidence, biomarkers and therapies.
  /** Items naming the control arm(s) their randomised trial beat: linked once every therapy node exists. */
  const superiority: Array<{ file: KbFile; id: string; arms: string[][] }> = [];
  const geneChecks: Array<{ file: KbFile; id: string; atoms: Atom[] }> = [];
  /** Evidence ids by their lower-case form, with the file that gave each first. */
  const idsSeen = new Map<string, { id: string; file: string }>();
  /** (therapy, gene, PMID) of every curated item: what an imported item must not count a second time. */
  const curatedClaims = new Set<string>();
  const addEvidence = (file: KbFile, e: EvidenceItem, defaultGene: string | undefined, origin: string) => {
    const eKey = nodeKey.evidence(e.id);
    // Ids differing only in case are one id to a reader (and to case-insensitive file systems and databases).
    const first = idsSeen.get(e.id.toLowerCase());
    if (first !== undefined) {
      details.push({
        path: where(file, e.id, 'id'),
        message: `duplicate evidence id: ${first.id === e.id ? 'the same id' : `"${first.id}", the same id but for case,`} is also given to an item in ${first.file}; give one of them another id`,
      });
      return;
    }
    idsSeen.set(e.id.toLowerCase(), { id: e.id, file: file.path });
    let criteria: Criteria;
    try {
      criteria = parseCriteria(e.biomarker, defaultGene);
    } catch (err) {
      details.push({ path: where(file, e.id, 'biomarker'), message: err instanceof CriteriaError ? err.message : String(err) });
      return;
    }
    const atoms = positiveAtoms(criteria);
    if (atoms.length === 0) {
      details.push({ path: where(file, e.id, 'biomarker'), message: 'a biomarker needs at least one condition that is not negated' });
      return;
    }
    // Curated criteria name genes of the knowledge base (checked once every file is read): a misspelt symbol
    // (BRAFF V600E) would give an item no profile can ever meet.
    if (origin === 'curated') geneChecks.push({ file, id: e.id, atoms });
    const drugsOf = Array.isArray(e.therapy) ? e.therapy : [e.therapy];
    const missing = drugsOf.filter((d) => !graph.hasNode(nodeKey.drug(d)));
    if (missing.length > 0) {
      details.push({ path: where(file, e.id, 'therapy'), message: `unknown drug ${missing.map((m) => `"${m}"`).join(', ')}: add it to drugs.yaml` });
      return;
    }
    // An approval in force of a regimen is an approval of each of its drugs by that agency: drugs.yaml must say so,
    // or the item names an approval that was never given (or drugs.yaml is behind).
    const lackingFor = (agency: DrugNode['approved'][number]) => drugsOf.filter((d) => !(graph.getNodeAttributes(nodeKey.drug(d)) as DrugNode).approved.includes(agency));
    const i = (e.approvals ?? []).findIndex((a) => isCurrentApproval(a) && lackingFor(a.agency).length > 0);
    if (i >= 0) {
      const a = e.approvals![i]!;
      details.push({
        path: where(file, e.id, `approvals.${i}`),
        message: `an ${a.agency} approval (${a.year}), but drugs.yaml does not list ${a.agency} under approved for ${lackingFor(a.agency).map((d) => `"${d}"`).join(', ')}: correct the approval (withdrawn: YEAR if it was withdrawn), or add ${a.agency} to the drug`,
      });
      return;
    }
    if (!graph.hasNode(nodeKey.tumour(e.tumour))) {
      details.push({ path: where(file, e.id, 'tumour'), message: `unknown tumour type "${e.tumour}": check the OncoTree code, or add it with npx tsx scripts/tumour-types.ts ${e.tumour} (tumour-types.yaml is generated from OncoTree)` });
      return;
    }
    // Drug lists beside the therapy (control arms, partner drugs): every drug in drugs.yaml.
    for (const field of ['superiorTo', 'backbone'] as const) {
      const unknown = [...new Set((e[field] ?? []).flat().filter((d) => !graph.hasNode(nodeKey.drug(d))))];
      if (unknown.length > 0) {
        details.push({ path: where(file, e.id, field), message: `unknown drug ${unknown.map((m) => `"${m}"`).join(', ')}: add it to drugs.yaml` });
        return;
      }
    }
    const unknownExcluded = (e.excludeTumours ?? []).filter((c) => !graph.hasNode(nodeKey.tumour(c)));
    if (unknownExcluded.length > 0) {
      details.push({ path: where(file, e.id, 'excludeTumours'), message: `unknown tumour type ${unknownExcluded.map((c) => `"${c}"`).join(', ')}` });
      return;
    }
    const bmId = criteriaToString(criteria);
    const bKey = nodeKey.biomarker(bmId);
    if (!graph.hasNode(bKey)) {
      graph.addNode(bKey, { type: 'biomarker', id: bmId, label: bmId, criteria });
      for (const atom of atoms) {
        const g = atomGene(atom);
        if (graph.hasNode(nodeKey.gene(g))) graph.mergeEdge(bKey, nodeKey.gene(g), { type: 'ABOUT_GENE' });
      }
    }
    const tId = therapyId(drugsOf);
    // One study is counted once: an imported item whose study a curated item already cites for the same
    // therapy and gene is left out (the curated reading, with its exclusions, stands). Curated items come first.
    const claims = e.sources.flatMap((s) => ('pmid' in s && s.pmid ? atoms.map((a) => `${tId}\u0000${atomGene(a)}\u0000${s.pmid}`) : []));
    if (origin === 'curated') for (const c of claims) curatedClaims.add(c);
    else if (claims.some((c) => curatedClaims.has(c))) return;
    const tKey = nodeKey.therapy(tId);
    if (!graph.hasNode(tKey)) {
      graph.addNode(tKey, { type: 'therapy', id: tId, drugs: [...drugsOf].sort() });
      for (const d of drugsOf) graph.mergeEdge(tKey, nodeKey.drug(d), { type: 'USES' });
    }
    graph.addNode(eKey, {
      type: 'evidence',
      id: e.id,
      level: e.level,
      direction: e.direction,
      statement: e.statement,
      sources: e.sources,
      tumour: e.tumour,
      approvals: e.approvals ?? [],
      excludeTumours: e.excludeTumours ?? [],
      quality: e.quality ?? 1,
      origin,
      unverified: e.unverified ?? false,
      file: file.path,
      ...(e.backbone ? { backbone: e.backbone } : {}),
      ...(e.tumourSpecific ? { tumourSpecific: true as const } : {}),
    });
    graph.addEdge(eKey, bKey, { type: 'FOR_BIOMARKER' });
    graph.addEdge(eKey, tKey, { type: 'FOR_THERAPY' });
    graph.addEdge(eKey, nodeKey.tumour(e.tumour), { type: 'IN_TUMOUR' });
    if (e.superiorTo) superiority.push({ file, id: e.id, arms: e.superiorTo });
  };

  for (const { file, data } of genes) if (data) for (const e of data.evidence) addEvidence(file, e, data.gene, 'curated');
  for (const { file, data } of signatures) {
    if (!data) continue;
    const origin = file.path.startsWith('imports/') ? file.path.split('/')[1]!.replace(/\.(ya?ml|json)$/, '') : 'curated';
    for (const e of data.evidence) addEvidence(file, e, undefined, origin);
  }

  // (Evidence)-[:SUPERIOR_TO]->(Therapy): the control arm must be a therapy some item holds, or it could never lift anything.
  for (const { file, id, arms } of superiority) {
    for (const arm of arms) {
      const tKey = nodeKey.therapy(therapyId(arm));
      if (!graph.hasNode(tKey)) {
        details.push({
          path: where(file, id, 'superiorTo'),
          message: `control arm "${therapyId(arm)}" is not a therapy of the knowledge base (no evidence item holds it), so it could never lift this therapy`,
        });
        continue;
      }
      graph.mergeEdge(nodeKey.evidence(id), tKey, { type: 'SUPERIOR_TO' });
    }
  }

  let hgnc: GeneTableResolver | undefined;
  for (const { file, id, atoms } of geneChecks) {
    /** Each problem as it will be read: `"BRAFF"`, or `"MLL" (write KMT2A, its current symbol)`. */
    const unknown = new Set<string>();
    for (const atom of atoms) {
      const gene = atomGene(atom);
      if (!SIGNATURE_GENES.has(gene) && !graph.hasNode(nodeKey.gene(gene))) unknown.add(`"${gene}"`);
      // A fusion's 5' partner needs no file of its own (EML4, BCR), but it must be a gene, by its current symbol:
      // profiles read an alias (MLL) as its symbol (KMT2A), so an alias here would never match.
      if (atom.type === 'fusion' && atom.partner !== undefined && !graph.hasNode(nodeKey.gene(atom.partner))) {
        const r = (hgnc ??= createGeneResolver()).lookup(atom.partner);
        if (r.via === 'unknown' || r.via === 'ambiguous') unknown.add(`"${atom.partner}"`);
        else if (r.via !== 'current') unknown.add(`"${atom.partner}" (write ${r.symbol}, its current symbol)`);
      }
    }
    if (unknown.size > 0) {
      details.push({
        path: where(file, id, 'biomarker'),
        message: `unknown gene ${[...unknown].join(', ')}: check the symbol (HGNC), or add genes/<SYMBOL>.yaml for a gene the knowledge base does not have yet`,
      });
    }
  }

  if (details.length > 0) {
    throw new KnowledgeBaseError(`evidence: ${details.length} invalid entr${details.length === 1 ? 'y' : 'ies'}`, details);
  }
  return { graph, counts: countGraph(graph) };
}

export function countGraph(graph: EvidenceGraph): KbCounts {
  const counts: KbCounts = {
    evidence: 0, biomarkers: 0, therapies: 0, drugs: 0, genes: 0, tumourTypes: 0, approvals: 0, superiorTo: 0, byLevel: {}, byDirection: {},
  };
  graph.forEachEdge((_e, a) => {
    if (a.type === 'SUPERIOR_TO') counts.superiorTo++;
  });
  graph.forEachNode((_, a) => {
    switch (a.type) {
      case 'evidence':
        counts.evidence++;
        counts.approvals += a.approvals.length;
        counts.byLevel[a.level] = (counts.byLevel[a.level] ?? 0) + 1;
        counts.byDirection[a.direction] = (counts.byDirection[a.direction] ?? 0) + 1;
        break;
      case 'biomarker':
        counts.biomarkers++;
        break;
      case 'therapy':
        counts.therapies++;
        break;
      case 'drug':
        counts.drugs++;
        break;
      case 'gene':
        counts.genes++;
        break;
      case 'tumour':
        counts.tumourTypes++;
        break;
    }
  });
  return counts;
}
