/**
 * Every approved indication in the shipped knowledge base is reachable: for
 * each approval, the single-alteration profile that meets its biomarker, in
 * its tumour type, ranks the approved therapy on-label and in the top 3
 * (competition ranking: at most two therapies score strictly higher) — or,
 * where more than three therapies are approved for that biomarker and tumour
 * type (HER2-positive breast cancer has a dozen), behind therapies with
 * tier I evidence in this tumour type only (other approvals, or phase 3
 * evidence for an unapproved combination).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Atom, Criteria } from '../../server/domain/criteria.ts';
import type { Agency, EvidenceNode, TherapyNode } from '../../server/domain/knowledge.ts';
import { createEngine } from '../../server/engine.ts';

const engine = createEngine();
const graph = engine.kb.graph;

/** One profile alteration that meets an atom (as a lab would report it). */
function alterationFor(atom: Atom): unknown | undefined {
  switch (atom.type) {
    case 'change':
      return { kind: 'mutation', gene: atom.gene, change: atom.change.canonical };
    case 'position':
      return { kind: 'mutation', gene: atom.gene, change: `${atom.ref}${atom.pos}${atom.ref === 'V' ? 'E' : atom.ref === 'G' ? 'D' : 'V'}` };
    case 'exon':
      return { kind: 'mutation', gene: atom.gene, change: `exon ${atom.exon} ${atom.variant === 'insertion' ? 'insertion' : 'deletion'}` };
    case 'amplification':
    case 'deletion':
      return { kind: atom.type, gene: atom.gene };
    case 'fusion':
      return { kind: 'fusion', gene: atom.gene, ...(atom.partner ? { partner: atom.partner } : {}) };
    case 'expression':
      return { kind: 'expression', gene: atom.gene, value: 'high' };
    case 'methylation':
      return { kind: 'methylation', gene: atom.gene, value: 'methylated' };
    case 'lof':
      return { kind: 'deletion', gene: atom.gene };
    case 'msi-high':
      return { kind: 'signature', name: 'MSI', value: 'high' };
    case 'mmr-deficient':
      return { kind: 'signature', name: 'MMR', value: 'deficient' };
    case 'tmb':
      return { kind: 'signature', name: 'TMB', value: atom.min + 2 };
    case 'hrd':
      return { kind: 'signature', name: 'HRD', value: 'positive' };
    default:
      return undefined; // activating / domain / any-mutation: resolved from the gene's drivers below
  }
}

/** A known oncogenic mutation of the gene (inside the domain, for domain criteria), as the lab would report it. */
function driverAlteration(gene: string, domain?: string): unknown | undefined {
  const g = graph.getNodeAttributes(`gene:${gene}`);
  if (g.type !== 'gene') return undefined;
  const range = domain ? g.domains[domain] : undefined;
  for (const c of g.drivers.oncogenic) {
    if (c.op !== 'atom') continue;
    if (range && !(c.atom.type === 'change' && c.atom.change.pos !== undefined && c.atom.change.pos >= range[0] && c.atom.change.pos <= range[1])) continue;
    const a = alterationFor(c.atom);
    if (a && (a as { kind: string }).kind === 'mutation') return a;
  }
  // A domain the gene's drivers name as a whole (FLT3 juxtamembrane: internal tandem duplications): an in-frame insertion there.
  if (range && g.drivers.oncogenic.some((c) => c.op === 'atom' && c.atom.type === 'domain' && c.atom.domain === domain)) {
    return { kind: 'mutation', gene, change: `X${range[0] + 10}_X${range[0] + 11}insFREYEYD` };
  }
  return undefined;
}

/** The smallest set of alterations that meets the criteria (first branch of each ANY, no NOT). */
function satisfy(c: Criteria): unknown[] | undefined {
  switch (c.op) {
    case 'atom': {
      const a = alterationFor(c.atom) ?? ('gene' in c.atom ? driverAlteration(c.atom.gene, c.atom.type === 'domain' ? c.atom.domain : undefined) : undefined);
      return a ? [a] : undefined;
    }
    case 'not':
      return [];
    case 'any':
      for (const x of c.of) {
        const r = satisfy(x);
        if (r && r.length > 0) return r;
      }
      return undefined;
    case 'all': {
      const out: unknown[] = [];
      for (const x of c.of) {
        const r = satisfy(x);
        if (!r) return undefined;
        out.push(...r);
      }
      return out;
    }
  }
}

interface Approval {
  evidence: EvidenceNode;
  therapy: TherapyNode;
  criteria: Criteria;
  agency: Agency;
}
const approvals: Approval[] = [];
graph.forEachNode((key, a) => {
  if (a.type !== 'evidence' || a.level !== 'approved' || a.direction !== 'sensitivity') return;
  let therapy: TherapyNode | undefined;
  let criteria: Criteria | undefined;
  graph.forEachOutEdge(key, (_e, attrs, _s, target) => {
    const t = graph.getNodeAttributes(target);
    if (attrs.type === 'FOR_THERAPY' && t.type === 'therapy') therapy = t;
    if (attrs.type === 'FOR_BIOMARKER' && t.type === 'biomarker') criteria = t.criteria;
  });
  // The agency of an approval in force (a withdrawn one makes nothing on-label).
  const agency = a.approvals.some((x) => x.agency === 'FDA' && x.withdrawn === undefined) ? 'FDA' : 'EMA';
  approvals.push({ evidence: a, therapy: therapy!, criteria: criteria!, agency });
});

const crowded: string[] = [];

describe('every approved indication is reachable', () => {
  afterAll(() => {
    console.info(`approvals: ${approvals.length} checked, ${approvals.length - crowded.length} in the top 3, ${crowded.length} in crowded indications behind tier I therapies only`);
  });

  it('the knowledge base has approvals to check', () => {
    expect(approvals.length).toBeGreaterThan(100);
  });

  it.each(approvals.map((a) => [`${a.evidence.id}: ${a.therapy.id} in ${a.evidence.tumour} (${a.agency})`, a] as const))('%s', (_name, a) => {
    const alterations = satisfy(a.criteria);
    expect(alterations, `no single profile meets ${a.evidence.id}`).toBeDefined();
    const tumourType = a.evidence.tumour === 'TISSUE' ? (a.evidence.excludeTumours.includes('PAAD') ? 'BLCA' : 'PAAD') : a.evidence.tumour;
    const { profile } = engine.parse({ text: JSON.stringify({ id: 'approval', tumourType, alterations }), format: 'json' });
    const r = engine.rank(profile, { agency: a.agency });
    const t = r.therapies.find((x) => x.id === a.therapy.id);
    expect(t, `${a.therapy.id} not ranked for ${JSON.stringify(alterations)} in ${tumourType}`).toBeDefined();
    expect(t!.class).toBe('on-label');
    const above = r.therapies.filter((x) => x.score > t!.score);
    const rank = 1 + above.length;
    if (rank > 3) {
      crowded.push(`${a.evidence.id} (rank ${rank})`);
      expect(above.filter((x) => !x.tier.startsWith('I-')).map((x) => `${x.id} ${x.tier}`), `${a.therapy.id} ranks ${rank}`).toEqual([]);
    }
  });
});
