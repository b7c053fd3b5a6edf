/**
 * matchBiomarkers looks biomarkers up by gene, and those whose every positive atom is one protein change or
 * position by gene and position (prepare.ts): a profile's other alterations of the gene never evaluate them. The
 * lookup must never lose a match: over the shipped knowledge base, it returns exactly the biomarkers that
 * evaluating every biomarker on the whole profile meets with a positive anchor. Profiles are drawn from the
 * changes, positions, exons and genes the knowledge base names, with neighbours and other kinds around them.
 * Seeded, so failures reproduce.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseAlteration, type Alteration } from '../../../server/domain/alteration.ts';
import { positiveAtoms, type Atom } from '../../../server/domain/criteria.ts';
import type { BiomarkerNode } from '../../../server/domain/knowledge.ts';
import { loadKnowledgeBase } from '../../../server/evidence/load.ts';
import { classifyDriver, evaluateCriteria, matchBiomarkers, prepareGraph, type GraphIndex } from '../../../server/scoring/index.ts';
import { alterationsByGene } from '../../../server/scoring/match-biomarkers.ts';
import { parseProteinChange } from '../../../server/domain/protein.ts';
import { makeKb } from '../../helpers/kb.ts';

const { graph } = loadKnowledgeBase();
const index = prepareGraph(graph);
const biomarkers: BiomarkerNode[] = [];
graph.forEachNode((_k, a) => {
  if (a.type === 'biomarker') biomarkers.push(a as BiomarkerNode);
});
const atoms: Atom[] = biomarkers.flatMap((b) => positiveAtoms(b.criteria));
const AA = 'ACDEFGHIKLMNPQRSTVWY';

/** An input near one atom of the knowledge base: the atom itself, its position with another residue, or its gene otherwise. */
const nearAtom = fc.tuple(fc.constantFrom(...atoms), fc.integer({ min: 0, max: 6 }), fc.constantFrom(...AA)).map(([atom, variant, residue]) => {
  if (atom.type === 'msi-high') return { kind: 'signature', name: 'MSI', value: 'high' };
  if (atom.type === 'mmr-deficient') return { kind: 'signature', name: 'MMR', value: 'deficient' };
  if (atom.type === 'tmb') return { kind: 'signature', name: 'TMB', value: atom.min + variant - 3 };
  if (atom.type === 'hrd') return { kind: 'signature', name: 'HRD', value: 'positive' };
  const gene = atom.gene;
  if (atom.type === 'fusion') return { kind: 'fusion', gene, partner: atom.partner ?? 'NCOA4' };
  if (atom.type === 'amplification' || variant === 5) return { kind: 'amplification', gene };
  if (atom.type === 'deletion' || variant === 6) return { kind: 'deletion', gene };
  if (atom.type === 'expression') return { kind: 'expression', gene, value: 'high' };
  if (atom.type === 'methylation') return { kind: 'methylation', gene, value: 'methylated' };
  const pos = atom.type === 'position' ? atom.pos : atom.type === 'change' ? atom.change.pos : atom.type === 'exon' ? undefined : undefined;
  if (atom.type === 'change' && variant < 2) return { kind: 'mutation', gene, change: atom.change.canonical };
  if (pos !== undefined) {
    const ref = atom.type === 'position' ? atom.ref : atom.type === 'change' ? (atom.change.ref ?? 'A') : 'A';
    if (variant === 2) return { kind: 'mutation', gene, change: `${ref}${pos}*` };
    if (variant === 3) return { kind: 'mutation', gene, change: `${ref}${pos + 1}${residue}` };
    return { kind: 'mutation', gene, change: `${ref}${pos}${residue === ref ? 'W' : residue}` };
  }
  // Gene-level, exon and domain atoms: a change somewhere in the gene.
  return { kind: 'mutation', gene, change: variant < 3 ? `A${50 + variant * 300}${residue}` : `E${700 + variant * 20}fs` };
});

const profile = fc.array(nearAtom, { minLength: 1, maxLength: 12 });

/** matchBiomarkers answers exactly the biomarkers that evaluating each one on the whole profile meets with an anchor. */
function expectFullEvaluation(on: GraphIndex, all: readonly BiomarkerNode[], alterations: Alteration[]): void {
  const ctx = { genes: on.genes, driverOf: (a: Alteration) => classifyDriver(on, a), byGene: alterationsByGene(alterations) };
  const found = matchBiomarkers(on, alterations, ctx).map((m) => m.biomarker.id);
  const expected = all
    .filter((b) => {
      const r = evaluateCriteria(b.criteria, alterations, ctx);
      return r.met && r.anchor !== undefined;
    })
    .map((b) => b.id)
    .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  expect(found).toEqual(expected);
}

describe('the position index of biomarkers', () => {
  it('keeps some biomarkers out of the gene lists (so the property below tests something)', () => {
    const byPosition = [...index.biomarkersByPosition.values()].reduce((n, m) => n + [...m.values()].reduce((k, l) => k + l.length, 0), 0);
    expect(byPosition).toBeGreaterThan(100);
  });

  it('matches exactly the biomarkers a full evaluation meets', () => {
    fc.assert(
      fc.property(profile, (inputs) => {
        const alterations: Alteration[] = [];
        for (const input of inputs) {
          try {
            alterations.push(normaliseAlteration(input));
          } catch {
            // an input the profile would refuse (a change the gene cannot have) is left out
          }
        }
        expectFullEvaluation(index, biomarkers, alterations);
      }),
      { seed: 20261123, numRuns: 400 },
    );
  });

  // Every form of protein change the criteria language names, at a few shared positions, alone and in compounds.
  const FORMS = [
    'E746_A750del', 'L747_P753delinsS', 'D770_N771insSVD', 'S768dup', 'A767_V769dup', 'R213*', 'L747fs', 'X1010_splice',
    '*1211ext', 'M1?', 'V600=', 'V600E', 'V600_K601delinsE', 'ITD', 'exon 14 skipping', 'exon 19 deletion', 'exon 20 insertion', 'G719',
  ];
  const fixture = makeKb(
    [
      {
        gene: 'EGFR',
        exons: { '19': [729, 761], '20': [762, 823] },
        evidence: [
          ...FORMS.map((f, i) => ({ id: `e${i}`, biomarker: `EGFR ${f}`, therapy: `drug-${i % 5}` })),
          { id: 'all', biomarker: { all: ['EGFR L747fs', 'EGFR R213*'] }, therapy: 'drug-a' },
          { id: 'any', biomarker: { any: ['EGFR S768dup', 'EGFR A767_V769dup', 'KRAS G12C'] }, therapy: 'drug-b' },
          { id: 'not', biomarker: { all: ['EGFR V600E', { not: 'EGFR E746_A750del' }] }, therapy: 'drug-c' },
          { id: 'mix', biomarker: { all: ['EGFR M1?', 'KRAS amplification'] }, therapy: 'drug-d' },
        ],
      },
      { gene: 'KRAS', evidence: [{ id: 'k', biomarker: 'KRAS G12C', therapy: 'drug-e' }] },
    ],
  );
  const fixtureIndex = prepareGraph(fixture);
  const fixtureBiomarkers: BiomarkerNode[] = [];
  fixture.forEachNode((_k, a) => {
    if (a.type === 'biomarker') fixtureBiomarkers.push(a as BiomarkerNode);
  });
  // The same changes, others at the same positions (a range starting there, a stop, a frameshift), and neighbours.
  const PROFILE_CHANGES = [
    ...FORMS.filter((f) => !f.startsWith('exon') && f !== 'G719'), 'E746_A751del', 'E746*', 'E746fs', 'L747_P753del', 'D770_N771insG', 'S768I',
    'A767_V769del', 'R213Q', 'L747Sfs*3', 'X1010_splice', '*1211Wext*5', 'M1I', 'V600K', 'V601E', 'G719S', 'G719_A720del', 'E745_A750del',
  ];
  const fixtureInput = fc.oneof(
    fc.constantFrom(...PROFILE_CHANGES).map((change) => ({ kind: 'mutation', gene: 'EGFR', change })),
    fc.constantFrom({ kind: 'mutation', gene: 'KRAS', change: 'G12C' }, { kind: 'amplification', gene: 'KRAS' }, { kind: 'amplification', gene: 'EGFR' }),
  );

  it('matches exactly what a full evaluation meets for every form of protein change, in compounds too', () => {
    const byPosition = [...fixtureIndex.biomarkersByPosition.values()].reduce((n, m) => n + [...m.values()].reduce((k, l) => k + l.length, 0), 0);
    expect(byPosition).toBeGreaterThan(10);
    fc.assert(
      fc.property(fc.array(fixtureInput, { minLength: 1, maxLength: 6 }), (inputs) => {
        const alterations = inputs.map((input) => normaliseAlteration(input));
        expectFullEvaluation(fixtureIndex, fixtureBiomarkers, alterations);
      }),
      { seed: 20261123, numRuns: 500 },
    );
  });

  it('a change names the position its canonical form names (what the index relies on)', () => {
    const residue = fc.constantFrom(...AA.split(''));
    const pos = fc.integer({ min: 1, max: 3000 });
    const change = fc.oneof(
      fc.tuple(residue, pos, residue).map(([r, p, a]) => `${r}${p}${a}`),
      fc.tuple(residue, pos).map(([r, p]) => `${r}${p}*`),
      fc.tuple(residue, pos, residue).map(([r, p, a]) => `${r}${p}${a}fs*${(p % 40) + 1}`),
      fc.tuple(residue, pos, residue, fc.integer({ min: 1, max: 12 })).map(([r, p, e, n]) => `${r}${p}_${e}${p + n}del`),
      fc.tuple(residue, pos, residue, fc.integer({ min: 1, max: 12 }), residue).map(([r, p, e, n, a]) => `${r}${p}_${e}${p + n}delins${a}`),
      fc.tuple(residue, pos, residue).map(([r, p, e]) => `${r}${p}_${e}${p + 1}insGG`),
      fc.tuple(residue, pos).map(([r, p]) => `${r}${p}dup`),
      fc.tuple(residue, pos).map(([r, p]) => `p.${r}${p}=`),
      pos.map((p) => `X${p}_splice`),
      pos.map((p) => `*${p}Wext*7`),
      fc.constantFrom(...FORMS),
    );
    fc.assert(
      fc.property(change, (text) => {
        const parsed = parseProteinChange(text);
        if (parsed === undefined) return;
        expect(parseProteinChange(parsed.canonical)?.pos).toBe(parsed.pos);
      }),
      { seed: 20261123, numRuns: 1000 },
    );
  });
});
