/**
 * Indexes over the evidence graph that make ranking a lookup: biomarkers by
 * gene, evidence by biomarker, tumour-type ancestry, drug approvals. Computed
 * once per graph and cached (a WeakMap keyed by the graph, so a new graph gets
 * a new index and nothing leaks). Pure: reads the graph, never changes it.
 */
import type { AbstractGraph } from 'graphology-types';
import { DirectedGraph } from 'graphology';
import { atomGene, atomPosition, positiveAtoms, type Atom } from '../domain/criteria.ts';
import { isCurrentApproval } from '../domain/knowledge.ts';
import type { AlterationKind } from '../domain/alteration.ts';
import type {
  Agency, Approval, BiomarkerNode, DrugNode, EdgeAttrs, EvidenceNode, GeneNode, KnowledgeBaseInfo, NodeAttrs, TherapyNode,
} from '../domain/knowledge.ts';

export type EvidenceGraphLike = AbstractGraph<NodeAttrs, EdgeAttrs, KnowledgeBaseInfo>;

export interface EvidenceLink {
  evidence: EvidenceNode;
  therapy: TherapyNode;
}

export interface GraphIndex {
  info: KnowledgeBaseInfo;
  /**
   * Gene -> protein position -> biomarkers whose every positive atom is one protein change or position: only a
   * mutation at that position can meet them, so a profile's other alterations of the gene never evaluate them.
   */
  biomarkersByPosition: Map<string, Map<number, BiomarkerNode[]>>;
  /**
   * Gene (the genes its positive atoms are filed under: atomIndexKeys) -> kind of alteration that can meet one of
   * those atoms (atomKinds) -> biomarkers, except those held in `biomarkersByPosition`. A biomarker is met through a
   * positive hit, so a profile's alteration need only evaluate those its own kind can meet through its gene (an EGFR
   * missense variant, not EGFR amplification or expression).
   */
  biomarkersByGeneKind: Map<string, Map<AlterationKind, BiomarkerNode[]>>;
  evidenceByBiomarker: Map<string, EvidenceLink[]>;
  /** Tumour code -> itself and its ancestors up to the root, nearest first. */
  ancestors: Map<string, string[]>;
  genes: Map<string, GeneNode>;
  drugs: Map<string, DrugNode>;
  /** Drug -> agencies that approved it for any indication (drug entry or any approved evidence). */
  drugApprovals: Map<string, Set<Agency>>;
  /** Drug -> agency -> tumour types its label names without a biomarker (drugs.yaml `labelled`). */
  drugLabels: Map<string, Map<Agency, string[]>>;
  /** Gene -> the changes and positions evidence names exactly: known variants, not VUS (classify-driver.ts). */
  knownByGene: Map<string, { changes: Set<string>; positions: Set<number> }>;
  /** Alias or previous symbol -> current symbol. */
  aliases: Map<string, string>;
  /** Evidence id -> the approvals in force it records (withdrawn ones left out). */
  approvalsByEvidence: Map<string, Approval[]>;
  /** Gene -> drugs that target it (sorted), mutant-selective drugs excepted: what inference may propose. */
  drugsByTarget: Map<string, string[]>;
  /**
   * Evidence id -> the therapies (control arms) its randomised trial beat (SUPERIOR_TO edges), sorted by id.
   * Empty for most knowledge bases: ranking then skips the superiority step at once.
   */
  superiorTo: Map<string, TherapyNode[]>;
  /** Therapies holding an item with `superiorTo`: the only ones whose evidence the superiority step reads. */
  superiorWinners: Set<string>;
  /** The signalling graph: gene symbols, SIGNALS_TO edges with their effect and cited pathway map. */
  signalling: DirectedGraph<Record<string, never>, { effect: 'activates' | 'inhibits'; source?: string }>;
}

const cache = new WeakMap<object, GraphIndex>();

/**
 * The one gene an atom is filed under, or undefined when it is filed under two (atomIndexKeys): most atoms, looked up
 * without a list (match-biomarkers.ts runs this for every atom of every biomarker of every gene a profile holds).
 */
export function atomIndexKey(atom: Atom): string | undefined {
  if (atom.type === 'msi-high' || atom.type === 'mmr-deficient' || (atom.type === 'fusion' && atom.partner)) return undefined;
  return atomGene(atom);
}

/** Genes under which an atom is filed: its gene, a fusion partner, both signature names for MSI-H / dMMR. */
export function atomIndexKeys(atom: Atom): string[] {
  const one = atomIndexKey(atom);
  if (one !== undefined) return [one];
  return atom.type === 'fusion' ? [atom.gene, atom.partner!] : ['MSI', 'MMR'];
}

function knownOf(index: GraphIndex, gene: string): { changes: Set<string>; positions: Set<number> } {
  let known = index.knownByGene.get(gene);
  if (known === undefined) index.knownByGene.set(gene, (known = { changes: new Set(), positions: new Set() }));
  return known;
}

/**
 * The kinds of alteration that can meet an atom (match-biomarkers.ts, matchAtom): signatures for MSI, MMR, TMB and
 * HRD, its own kind for a fusion, an amplification, a deletion, expression or methylation, a mutation for every
 * protein-level atom, and a deletion too for loss of function.
 */
export function atomKinds(atom: Atom): readonly AlterationKind[] {
  switch (atom.type) {
    case 'msi-high':
    case 'mmr-deficient':
    case 'tmb':
    case 'hrd':
      return ['signature'];
    case 'fusion':
    case 'amplification':
    case 'deletion':
    case 'expression':
    case 'methylation':
      return [atom.type];
    case 'lof':
      return ['mutation', 'deletion'];
    default:
      return ['mutation'];
  }
}

export function prepareGraph(graph: EvidenceGraphLike): GraphIndex {
  const hit = cache.get(graph);
  if (hit) return hit;
  const index: GraphIndex = {
    info: graph.getAttributes(),
    biomarkersByPosition: new Map(),
    biomarkersByGeneKind: new Map(),
    evidenceByBiomarker: new Map(),
    ancestors: new Map(),
    genes: new Map(),
    drugs: new Map(),
    drugApprovals: new Map(),
    drugLabels: new Map(),
    knownByGene: new Map(),
    aliases: new Map(),
    approvalsByEvidence: new Map(),
    drugsByTarget: new Map(),
    superiorTo: new Map(),
    superiorWinners: new Set(),
    signalling: new DirectedGraph(),
  };
  const parents = new Map<string, string | null>();
  graph.forEachNode((key, a) => {
    switch (a.type) {
      case 'gene':
        index.genes.set(a.symbol, a);
        for (const alias of a.aliases) index.aliases.set(alias, a.symbol);
        break;
      case 'drug':
        index.drugs.set(a.name, a);
        index.drugApprovals.set(a.name, new Set(a.approved));
        for (const { agency, tumours } of a.labelled ?? []) {
          let byAgency = index.drugLabels.get(a.name);
          if (!byAgency) index.drugLabels.set(a.name, (byAgency = new Map()));
          byAgency.set(agency, [...(byAgency.get(agency) ?? []), ...tumours]);
        }
        for (const t of a.mutantSelective ? [] : a.targets) {
          const list = index.drugsByTarget.get(t);
          if (list) list.push(a.name);
          else index.drugsByTarget.set(t, [a.name]);
        }
        break;
      case 'tumour':
        parents.set(a.code, a.parent);
        break;
      case 'biomarker': {
        const links: EvidenceLink[] = [];
        graph.forEachInEdge(key, (_e, attrs, source) => {
          if (attrs.type !== 'FOR_BIOMARKER') return;
          const evidence = graph.getNodeAttributes(source) as EvidenceNode;
          graph.forEachOutEdge(source, (_e2, attrs2, _s, target) => {
            if (attrs2.type === 'FOR_THERAPY') links.push({ evidence, therapy: graph.getNodeAttributes(target) as TherapyNode });
          });
        });
        links.sort((x, y) => (x.evidence.id < y.evidence.id ? -1 : x.evidence.id > y.evidence.id ? 1 : 0));
        index.evidenceByBiomarker.set(a.id, links);
        const atoms = positiveAtoms(a.criteria);
        for (const atom of atoms) {
          if (atom.type === 'change') knownOf(index, atom.gene).changes.add(atom.change.canonical);
          if (atom.type === 'position') knownOf(index, atom.gene).positions.add(atom.pos);
        }
        // A change atom is met only by the same canonical change, which names the same position.
        if (atoms.length > 0 && atoms.every((atom) => atomPosition(atom) !== undefined)) {
          for (const atom of atoms) {
            let byPos = index.biomarkersByPosition.get(atomGene(atom));
            if (!byPos) index.biomarkersByPosition.set(atomGene(atom), (byPos = new Map()));
            const list = byPos.get(atomPosition(atom)!);
            if (!list) byPos.set(atomPosition(atom)!, [a]);
            else if (!list.includes(a)) list.push(a);
          }
          break;
        }
        for (const atom of atoms) {
          for (const k of atomIndexKeys(atom)) {
            let byKind = index.biomarkersByGeneKind.get(k);
            if (!byKind) index.biomarkersByGeneKind.set(k, (byKind = new Map()));
            for (const kind of atomKinds(atom)) {
              const list = byKind.get(kind);
              if (!list) byKind.set(kind, [a]);
              else if (!list.includes(a)) list.push(a);
            }
          }
        }
        break;
      }
    }
  });
  graph.forEachEdge((_e, attrs, source, target) => {
    if (attrs.type === 'SUPERIOR_TO') {
      const evidence = graph.getNodeAttributes(source) as EvidenceNode;
      const comparator = graph.getNodeAttributes(target) as TherapyNode;
      const list = index.superiorTo.get(evidence.id);
      if (list) list.push(comparator);
      else index.superiorTo.set(evidence.id, [comparator]);
      graph.forEachOutEdge(source, (_e2, attrs2, _s, therapy) => {
        if (attrs2.type === 'FOR_THERAPY') index.superiorWinners.add((graph.getNodeAttributes(therapy) as TherapyNode).id);
      });
      return;
    }
    if (attrs.type !== 'SIGNALS_TO') return;
    const from = (graph.getNodeAttributes(source) as GeneNode).symbol;
    const to = (graph.getNodeAttributes(target) as GeneNode).symbol;
    index.signalling.mergeNode(from);
    index.signalling.mergeNode(to);
    index.signalling.mergeEdge(from, to, { effect: attrs.effect ?? 'activates', source: attrs.source });
  });
  for (const list of index.drugsByTarget.values()) list.sort();
  for (const list of index.superiorTo.values()) list.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  for (const byKind of index.biomarkersByGeneKind.values()) {
    for (const list of byKind.values()) list.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  }
  // Approvals recorded on evidence also make a drug "approved somewhere".
  for (const links of index.evidenceByBiomarker.values()) {
    for (const { evidence, therapy } of links) {
      // Only approvals in force: a withdrawn one makes nothing on-label and no drug approved.
      const current = evidence.approvals.filter(isCurrentApproval);
      if (current.length > 0) index.approvalsByEvidence.set(evidence.id, current);
      for (const approval of current) {
        for (const d of therapy.drugs) index.drugApprovals.get(d)?.add(approval.agency);
      }
    }
  }
  for (const code of parents.keys()) {
    const chain: string[] = [];
    let c: string | null | undefined = code;
    while (c && !chain.includes(c)) {
      chain.push(c);
      c = parents.get(c);
    }
    index.ancestors.set(code, chain);
  }
  cache.set(graph, index);
  return index;
}
