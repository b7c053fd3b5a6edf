/**
 * The evidence graph <-> Neo4j property rows, both ways, without a driver:
 * `evidenceRows(graph)` is what `load-neo4j` writes (DESIGN §3 labels; maps
 * that Neo4j cannot hold as properties are JSON strings), and
 * `graphFromSubgraph(subgraph)` rebuilds, from what EVIDENCE.subgraph returns,
 * a graphology graph that the scoring core ranks exactly as the full graph.
 * SUPERIOR_TO relationships (randomised comparisons) travel as their own rows
 * and, in a subgraph, as each item's list of control-arm therapy ids.
 */
import { DirectedGraph } from 'graphology';
import type { Profile } from '../../domain/profile.ts';
import {
  nodeKey, type BiomarkerNode, type DrugNode, type EdgeAttrs, type EvidenceNode, type GeneNode, type KnowledgeBaseInfo, type NodeAttrs,
  type TherapyNode, type TumourNode,
} from '../../domain/knowledge.ts';
import type { EvidenceGraph } from '../../evidence/build.ts';
import { atomIndexKeys } from '../../scoring/prepare.ts';
import { positiveAtoms } from '../../domain/criteria.ts';

/** Every row carries `attrs`: the full node (or edge) attributes as JSON, so the graph round-trips whatever the schema adds. */
interface WithAttrs { attrs: string }
export interface TumourRow extends WithAttrs { code: string; name: string; parent: string | null }
export interface GeneRow extends WithAttrs { symbol: string; role: string; aliases: string[] }
export interface DrugRow extends WithAttrs { name: string; synonyms: string[]; brands: string[]; class: string; targets: string[]; approved: string[] }
export interface TherapyRow extends WithAttrs { id: string; drugs: string[] }
export interface BiomarkerRow extends WithAttrs { id: string; label: string; keys: string[]; genes: string[] }
export interface EvidenceRow extends WithAttrs {
  id: string; level: string; direction: string; statement: string; tumour: string; quality: number; origin: string; unverified: boolean; file: string;
}
export interface SignalRow extends WithAttrs { source: string; target: string; effect: string | null }
/** A drug's approval for a tumour type, by an evidence item; `withdrawn` the year it was withdrawn, null while in force. */
export interface ApprovalRow { drug: string; tumour: string; agency: string; evidence: string; year: number; withdrawn: number | null }
/** One SUPERIOR_TO relationship: an evidence item and the therapy (control arm) its randomised trial beat. */
export interface SuperiorToRow { evidence: string; therapy: string }

export interface EvidenceRows {
  kb: KnowledgeBaseInfo;
  tumours: TumourRow[];
  genes: GeneRow[];
  drugs: DrugRow[];
  therapies: TherapyRow[];
  biomarkers: BiomarkerRow[];
  evidence: Array<EvidenceRow & { biomarker: string; therapy: string }>;
  signals: SignalRow[];
  approvals: ApprovalRow[];
  superiorTo: SuperiorToRow[];
}

/** What EVIDENCE.subgraph returns (Integers already converted). */
export interface Subgraph {
  kb: KnowledgeBaseInfo;
  tumours: TumourRow[];
  genes: GeneRow[];
  drugs: DrugRow[];
  therapies: TherapyRow[];
  signals: SignalRow[];
  /** `superiorTo`: the therapy ids of the control arms the item's randomised trial beat (absent or empty: none). */
  items: Array<{ biomarker: BiomarkerRow; evidence: EvidenceRow; therapy: string; superiorTo?: string[] }>;
}

/** Every property row of the evidence graph, as load-neo4j writes it. */
export function evidenceRows(graph: EvidenceGraph): EvidenceRows {
  const rows: EvidenceRows = {
    kb: graph.getAttributes(), tumours: [], genes: [], drugs: [], therapies: [], biomarkers: [], evidence: [], signals: [], approvals: [], superiorTo: [],
  };
  graph.forEachNode((key, a) => {
    const attrs = JSON.stringify(a);
    switch (a.type) {
      case 'tumour':
        rows.tumours.push({ code: a.code, name: a.name, parent: a.parent, attrs });
        break;
      case 'gene':
        rows.genes.push({ symbol: a.symbol, role: a.role, aliases: a.aliases, attrs });
        break;
      case 'drug':
        rows.drugs.push({ name: a.name, synonyms: a.synonyms, brands: a.brands, class: a.class, targets: a.targets, approved: a.approved, attrs });
        break;
      case 'therapy':
        rows.therapies.push({ id: a.id, drugs: a.drugs, attrs });
        break;
      case 'biomarker': {
        const genes: string[] = [];
        graph.forEachOutEdge(key, (_e, e, _s, target) => {
          if (e.type === 'ABOUT_GENE') genes.push((graph.getNodeAttributes(target) as GeneNode).symbol);
        });
        const keys = [...new Set(positiveAtoms(a.criteria).flatMap(atomIndexKeys))].sort();
        rows.biomarkers.push({ id: a.id, label: a.label, keys, genes, attrs });
        break;
      }
      case 'evidence': {
        let biomarker = '';
        let therapy = '';
        graph.forEachOutEdge(key, (_e, e, _s, target) => {
          const t = graph.getNodeAttributes(target);
          if (e.type === 'FOR_BIOMARKER' && t.type === 'biomarker') biomarker = t.id;
          if (e.type === 'FOR_THERAPY' && t.type === 'therapy') therapy = t.id;
        });
        rows.evidence.push({
          id: a.id, level: a.level, direction: a.direction, statement: a.statement, tumour: a.tumour, quality: a.quality, origin: a.origin,
          unverified: a.unverified, file: a.file, attrs, biomarker, therapy,
        });
        const drugs = (graph.getNodeAttributes(nodeKey.therapy(therapy)) as TherapyNode).drugs;
        for (const ap of a.approvals) for (const drug of drugs) rows.approvals.push({ drug, tumour: a.tumour, agency: ap.agency, evidence: a.id, year: ap.year, withdrawn: ap.withdrawn ?? null });
        break;
      }
    }
  });
  graph.forEachEdge((_e, e, source, target) => {
    if (e.type === 'SUPERIOR_TO') {
      rows.superiorTo.push({ evidence: (graph.getNodeAttributes(source) as EvidenceNode).id, therapy: (graph.getNodeAttributes(target) as TherapyNode).id });
      return;
    }
    if (e.type !== 'SIGNALS_TO') return;
    rows.signals.push({
      source: (graph.getNodeAttributes(source) as GeneNode).symbol,
      target: (graph.getNodeAttributes(target) as GeneNode).symbol,
      effect: e.effect ?? null,
      attrs: JSON.stringify(e),
    });
  });
  return rows;
}

/** The index keys a profile's alterations look biomarkers up by (scoring/match: gene, fusion partner, signature name). */
export function profileKeys(profile: Profile): string[] {
  const keys = new Set<string>();
  for (const a of profile.alterations) {
    keys.add(a.gene);
    if (a.kind === 'fusion' && a.partner) keys.add(a.partner);
  }
  return [...keys].sort();
}

/**
 * The same selection as EVIDENCE.subgraph, made from rows in memory: the
 * reference the Cypher is tested against, and what a test feeds to graphFromSubgraph.
 */
export function selectSubgraph(rows: EvidenceRows, keys: readonly string[]): Subgraph {
  const wanted = new Set(keys);
  const biomarkers = new Map(rows.biomarkers.filter((b) => b.keys.some((k) => wanted.has(k))).map((b) => [b.id, b]));
  const arms = new Map<string, string[]>();
  for (const r of rows.superiorTo) arms.set(r.evidence, [...(arms.get(r.evidence) ?? []), r.therapy]);
  return {
    kb: rows.kb, tumours: rows.tumours, genes: rows.genes, drugs: rows.drugs, therapies: rows.therapies, signals: rows.signals,
    items: rows.evidence
      .filter((e) => biomarkers.has(e.biomarker))
      .map(({ biomarker, therapy, ...evidence }) => ({ biomarker: biomarkers.get(biomarker)!, evidence, therapy, superiorTo: arms.get(evidence.id) ?? [] })),
  };
}

/** Rebuild a graphology evidence graph from a fetched subgraph. */
export function graphFromSubgraph(sub: Subgraph): EvidenceGraph {
  const graph: EvidenceGraph = new DirectedGraph<NodeAttrs, EdgeAttrs, KnowledgeBaseInfo>();
  graph.replaceAttributes({ name: sub.kb.name, version: sub.kb.version, hash: sub.kb.hash, root: sub.kb.root });
  const attrs = <T extends NodeAttrs>(row: WithAttrs) => JSON.parse(row.attrs) as T;
  for (const t of sub.tumours) graph.addNode(nodeKey.tumour(t.code), attrs<TumourNode>(t));
  for (const t of sub.tumours) if (t.parent && graph.hasNode(nodeKey.tumour(t.parent))) graph.mergeEdge(nodeKey.tumour(t.code), nodeKey.tumour(t.parent), { type: 'IS_A' });
  for (const g of sub.genes) graph.addNode(nodeKey.gene(g.symbol), attrs<GeneNode>(g));
  for (const d of sub.drugs) {
    graph.addNode(nodeKey.drug(d.name), attrs<DrugNode>(d));
    for (const t of d.targets ?? []) if (graph.hasNode(nodeKey.gene(t))) graph.mergeEdge(nodeKey.drug(d.name), nodeKey.gene(t), { type: 'TARGETS' });
  }
  for (const s of sub.signals) {
    if (graph.hasNode(nodeKey.gene(s.source)) && graph.hasNode(nodeKey.gene(s.target))) {
      graph.mergeEdge(nodeKey.gene(s.source), nodeKey.gene(s.target), JSON.parse(s.attrs) as EdgeAttrs);
    }
  }
  for (const t of sub.therapies) {
    graph.addNode(nodeKey.therapy(t.id), attrs<TherapyNode>(t));
    for (const d of t.drugs) if (graph.hasNode(nodeKey.drug(d))) graph.mergeEdge(nodeKey.therapy(t.id), nodeKey.drug(d), { type: 'USES' });
  }
  for (const { biomarker: b, evidence: e, therapy, superiorTo } of sub.items) {
    const bKey = nodeKey.biomarker(b.id);
    if (!graph.hasNode(bKey)) {
      graph.addNode(bKey, attrs<BiomarkerNode>(b));
      for (const g of b.genes ?? []) if (graph.hasNode(nodeKey.gene(g))) graph.mergeEdge(bKey, nodeKey.gene(g), { type: 'ABOUT_GENE' });
    }
    const eKey = nodeKey.evidence(e.id);
    if (graph.hasNode(eKey)) continue;
    graph.addNode(eKey, attrs<EvidenceNode>(e));
    graph.addEdge(eKey, bKey, { type: 'FOR_BIOMARKER' });
    graph.addEdge(eKey, nodeKey.therapy(therapy), { type: 'FOR_THERAPY' });
    if (graph.hasNode(nodeKey.tumour(e.tumour))) graph.addEdge(eKey, nodeKey.tumour(e.tumour), { type: 'IN_TUMOUR' });
    // Control arms are therapies, and every therapy came with the backbone.
    for (const arm of [...(superiorTo ?? [])].sort()) if (graph.hasNode(nodeKey.therapy(arm))) graph.mergeEdge(eKey, nodeKey.therapy(arm), { type: 'SUPERIOR_TO' });
  }
  return graph;
}
