/**
 * The explanation network of a ranking (DESIGN §4): alterations -> biomarkers
 * -> evidence -> therapies, and alteration -> gene -> ... -> drug -> therapy
 * for inferred paths. Built from the result alone, so the client, the reports
 * and the tests draw exactly what was scored. A randomised-comparison lift
 * (superiority.ts) runs along its trial's path and is told on that evidence
 * node. Pure.
 */
import type { Direction, Level } from '../domain/knowledge.ts';
import type { EvidenceContribution, RankResult, RankedTherapy, TherapyClass } from '../domain/result.ts';

export type ExplanationNodeType = 'alteration' | 'biomarker' | 'evidence' | 'therapy' | 'gene' | 'drug';

export interface ExplanationNode {
  id: string;
  type: ExplanationNodeType;
  label: string;
  /** Evidence: its level, direction, statement and citations; therapies: class and score. */
  level?: Level;
  direction?: Direction;
  statement?: string;
  sources?: Array<Record<string, string>>;
  contribution?: number;
  inferred?: boolean;
  therapyClass?: TherapyClass;
  score?: number;
  driver?: string;
  /** The alteration's kind (an alteration node): a status result's annotation reads as a status (driver-text.ts). */
  kind?: string;
  /**
   * Evidence of a randomised trial whose `superiorTo` lifted the therapy to the control arm it beat
   * (the comparator's therapy id, and the lift added to the positive sum).
   */
  superiority?: { comparator: string; lift: number; statement: string };
}

export interface ExplanationLink {
  source: string;
  target: string;
  /** Signed contribution of the evidence this link carries (width by |contribution|, colour by sign). */
  contribution: number;
}

export interface Explanation {
  nodes: ExplanationNode[];
  links: ExplanationLink[];
}

const label = (id: string) => id.slice(id.indexOf(':') + 1);

/**
 * The path one contribution stands for, as node ids: alteration -> biomarker -> evidence -> therapy, or for
 * inferred evidence alteration -> gene -> ... -> gene -> drug -> therapy. Derived here rather than carried in
 * every result, which keeps a cohort's results a third smaller.
 */
export function contributionPath(e: EvidenceContribution, therapyId: string): string[] {
  const from = `alteration:${e.alterations[0]}`;
  if (e.inference) {
    const drug = therapyId;
    return [from, ...e.inference.genes.map((g) => `gene:${g}`), `drug:${drug}`, `therapy:${therapyId}`];
  }
  // A randomised-comparison lift runs through the trial's own evidence node.
  return [from, `biomarker:${e.biomarker}`, `evidence:${e.superiority?.evidence ?? e.id}`, `therapy:${therapyId}`];
}

function addTherapy(result: RankResult, t: RankedTherapy, nodes: Map<string, ExplanationNode>, links: Map<string, ExplanationLink>) {
  const alterations = new Map(result.alterations.map((a) => [a.key, a]));
  const node = (id: string, extra: Partial<ExplanationNode> = {}) => {
    const existing = nodes.get(id);
    if (existing) return existing;
    const type = id.slice(0, id.indexOf(':')) as ExplanationNodeType;
    const a = type === 'alteration' ? alterations.get(label(id)) : undefined;
    const n: ExplanationNode = { id, type, label: a?.label ?? label(id), ...(a ? { driver: a.driver, kind: a.kind } : {}), ...extra };
    nodes.set(id, n);
    return n;
  };
  const link = (source: string, target: string, contribution: number) => {
    const key = `${source}\u0000${target}`;
    const l = links.get(key);
    if (l) l.contribution += contribution;
    else links.set(key, { source, target, contribution });
  };
  node(`therapy:${t.id}`, { label: t.drugs.join(' + '), therapyClass: t.class, score: t.score });
  for (const e of t.evidence) {
    const path = contributionPath(e, t.id);
    path.forEach((id) => node(id));
    if (e.superiority) {
      // The lift widens the trial's path and is told on its evidence node; the item's own attributes come from its own contribution.
      nodes.get(path[2]!)!.superiority = { comparator: e.superiority.comparator, lift: e.contribution, statement: e.statement };
      for (const k of e.alterations) link(node(`alteration:${k}`).id, path[1]!, e.contribution);
      for (let i = 1; i < path.length - 1; i++) link(path[i]!, path[i + 1]!, e.contribution);
    } else if (!e.inference) {
      const ev = nodes.get(path[2]!)!;
      Object.assign(ev, {
        label: e.id,
        level: e.level,
        direction: e.direction,
        statement: e.statement,
        sources: e.sources as Array<Record<string, string>>,
        contribution: e.contribution,
      });
      // Every alteration that met the biomarker links to it, not only the anchor.
      for (const k of e.alterations) link(node(`alteration:${k}`).id, path[1]!, e.contribution);
      for (let i = 1; i < path.length - 1; i++) link(path[i]!, path[i + 1]!, e.contribution);
    } else {
      const drug = nodes.get(path[path.length - 2]!)!;
      Object.assign(drug, { inferred: true, statement: e.statement, sources: e.sources as Array<Record<string, string>> });
      for (let i = 0; i < path.length - 1; i++) link(path[i]!, path[i + 1]!, e.contribution);
    }
  }
}

/** The network behind one therapy. Throws when the therapy is not in the result. */
export function explainTherapy(result: RankResult, therapyId: string): Explanation {
  const t = result.therapies.find((x) => x.id === therapyId);
  if (!t) throw new Error(`scoring/explain: therapy "${therapyId}" is not in the ranking of ${result.id}`);
  const nodes = new Map<string, ExplanationNode>();
  const links = new Map<string, ExplanationLink>();
  addTherapy(result, t, nodes, links);
  return { nodes: [...nodes.values()], links: [...links.values()] };
}

/** The network of the whole profile (optionally only the top `limit` therapies). */
export function explainProfile(result: RankResult, options: { limit?: number } = {}): Explanation {
  const { limit = Infinity } = options;
  const nodes = new Map<string, ExplanationNode>();
  const links = new Map<string, ExplanationLink>();
  for (const a of result.alterations) nodes.set(`alteration:${a.key}`, { id: `alteration:${a.key}`, type: 'alteration', label: a.label, driver: a.driver, kind: a.kind });
  result.therapies.slice(0, limit).forEach((t) => addTherapy(result, t, nodes, links));
  return { nodes: [...nodes.values()], links: [...links.values()] };
}
