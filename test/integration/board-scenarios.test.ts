/**
 * What a tumour board expects from the shipped knowledge base, ranked end to
 * end through the same engine the CLI and the API use.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../server/engine.ts';
import type { RankResult } from '../../server/domain/result.ts';
import type { DrugNode } from '../../server/domain/knowledge.ts';

let engine: Engine;
beforeAll(() => {
  engine = createEngine();
});

const rank = (tumourType: string, text: string, agency?: 'FDA' | 'EMA'): RankResult =>
  engine.rank(engine.parse({ text, tumourType }).profile, { agency });
const therapy = (r: RankResult, id: string) => {
  const t = r.therapies.find((x) => x.id === id);
  if (!t) throw new Error(`${id} is not in the ranking: ${r.therapies.map((x) => x.id).join(', ')}`);
  return t;
};
const targets = (drug: string) => (engine.kb.graph.getNodeAttributes(`drug:${drug}`) as DrugNode).targets;

describe('EGFR-mutant lung adenocarcinoma', () => {
  it('EGFR L858R in LUAD ranks an on-label EGFR inhibitor first, with PMIDs', () => {
    const r = rank('LUAD', 'EGFR L858R');
    const top = r.therapies[0]!;
    expect(top.drugs.every((d) => targets(d).includes('EGFR'))).toBe(true);
    expect(top.class).toBe('on-label');
    expect(top.evidence.some((e) => e.sources.some((s) => 'pmid' in s))).toBe(true);
  });

  it('adding EGFR T790M ranks osimertinib above gefitinib, erlotinib and afatinib and gives gefitinib a negative sum', () => {
    const r = rank('LUAD', 'EGFR L858R; EGFR T790M');
    const osi = r.therapies.findIndex((t) => t.id === 'osimertinib');
    for (const first of ['gefitinib', 'erlotinib', 'afatinib']) {
      expect(osi).toBeLessThan(r.therapies.findIndex((t) => t.id === first));
    }
    expect(therapy(r, 'gefitinib').negative).toBeLessThan(0);
    expect(therapy(r, 'gefitinib').evidence.some((e) => e.alterations.includes('EGFR:p.T790M') && e.contribution < 0)).toBe(true);
  });
});

describe('RAS-mutant colorectal cancer', () => {
  it('KRAS G12D in COADREAD makes cetuximab and panitumumab not-recommended', () => {
    const r = rank('COADREAD', 'KRAS G12D');
    expect(therapy(r, 'cetuximab').class).toBe('not-recommended');
    expect(therapy(r, 'panitumumab').class).toBe('not-recommended');
  });
});

describe('FLT3-ITD acute myeloid leukaemia', () => {
  it.each(['FLT3-ITD', 'FLT3 ITD', 'FLT3 internal tandem duplication', 'FLT3 p.D600_L601insFREYEYD'])(
    '%s in AML ranks the approved FLT3 inhibitors first, on-label',
    (text) => {
      const r = rank('AML', text);
      expect(r.alterations).toHaveLength(1);
      expect(r.alterations[0]!.driver).toBe('oncogenic');
      expect(r.therapies.slice(0, 3).map((t) => t.id).sort()).toEqual(['gilteritinib', 'midostaurin', 'quizartinib']);
      for (const t of r.therapies.slice(0, 3)) expect(t.class).toBe('on-label');
    },
  );

  it('warns against retinoic acid in non-promyelocytic AML with FLT3-ITD, never in APL (by type or by fusion)', () => {
    expect(therapy(rank('AML', 'FLT3-ITD'), 'tretinoin').negative).toBeLessThan(0);
    expect(rank('APLPMLRARA', 'FLT3-ITD').therapies.find((t) => t.id === 'tretinoin')?.negative ?? 0).toBe(0);
    // APL entered under the parent codes, recognised by its fusion: retinoic acid keeps its full support.
    for (const code of ['AML', 'AMLRGA']) {
      const apl = therapy(rank(code, 'PML::RARA fusion; FLT3-ITD'), 'tretinoin');
      expect(apl.negative).toBe(0);
      expect(apl.positive).toBe(therapy(rank(code, 'PML::RARA fusion'), 'tretinoin').positive);
    }
  });
});

describe('HER2 in breast cancer, by IHC and ISH', () => {
  const tdxdEvidence = (r: RankResult) => r.therapies.find((t) => t.id === 'trastuzumab deruxtecan')?.evidence.map((e) => e.id).sort() ?? [];

  it.each(['HER2-low', 'HER2 IHC 1+', 'HER2 IHC 2+ ISH-', 'HER2 IHC 2+/FISH negative'])('%s ranks trastuzumab deruxtecan first, on-label I-A, from DESTINY-Breast04', (text) => {
    const r = rank('BRCA', text);
    expect(r.alterations.map((a) => [a.key, a.driver])).toEqual([['ERBB2:expr:low', 'oncogenic']]);
    const top = r.therapies[0]!;
    expect([top.id, top.class, top.tier]).toEqual(['trastuzumab deruxtecan', 'on-label', 'I-A']);
    // DESTINY-Breast06 asks for hormone receptor-positive disease, which this profile does not say
    expect(tdxdEvidence(r)).toEqual(['ERBB2-low-trastuzumab-deruxtecan-BRCA']);
    expect(top.evidence.flatMap((e) => e.sources.flatMap((s) => ('pmid' in s ? [s.pmid] : [])))).toEqual(['35665782']);
    // HER2-low is not HER2-positive: no trastuzumab, pertuzumab or HER2 kinase inhibitor
    for (const id of ['trastuzumab', 'pertuzumab + trastuzumab', 'trastuzumab emtansine', 'neratinib']) expect(r.therapies.map((t) => t.id)).not.toContain(id);
  });

  it('with ER positive beside it, HER2-low also reaches DESTINY-Breast06', () => {
    const r = rank('BRCA', 'HER2-low; ER positive');
    expect(tdxdEvidence(r)).toEqual(['ERBB2-low-trastuzumab-deruxtecan-BRCA', 'ERBB2-low-ultralow-trastuzumab-deruxtecan-BRCA-endocrine']);
    expect(therapy(r, 'trastuzumab deruxtecan').evidence.flatMap((e) => e.sources.flatMap((s) => ('pmid' in s ? [s.pmid] : []))).sort()).toEqual(['35665782', '39282896']);
  });

  it('HER2-ultralow reaches only DESTINY-Breast06, and only in hormone receptor-positive disease', () => {
    const r = rank('BRCA', 'HER2-ultralow; ER positive');
    expect(tdxdEvidence(r)).toEqual(['ERBB2-low-ultralow-trastuzumab-deruxtecan-BRCA-endocrine']);
    expect(therapy(r, 'trastuzumab deruxtecan').class).toBe('on-label');
    // ER-negative (or unstated): no approval covers HER2-ultralow
    expect(tdxdEvidence(rank('BRCA', 'HER2-ultralow'))).toEqual([]);
    expect(tdxdEvidence(rank('BRCA', 'HER2-ultralow; ER negative'))).toEqual([]);
  });

  it('HER2 IHC 0 reaches no HER2-directed therapy, and says what HER2-low would be', () => {
    const parsed = engine.parse({ text: 'HER2 IHC 0', tumourType: 'BRCA' });
    expect(parsed.warnings.map((w) => w.message).join('\n')).toMatch(/read as no HER2 expression \(IHC 0\).*"HER2-low"/);
    const r = engine.rank(parsed.profile);
    expect(r.therapies.filter((t) => t.drugs.some((d) => targets(d).includes('ERBB2')))).toEqual([]);
  });

  it('HER2-positive (IHC 3+, or 2+ with amplification) keeps the HER2-positive evidence, not the HER2-low trials', () => {
    for (const text of ['HER2 IHC 3+', 'HER2 IHC 2+ ISH+', 'ERBB2 amplification']) {
      const r = rank('BRCA', text);
      expect(therapy(r, 'pertuzumab + trastuzumab').class).toBe('on-label');
      expect(tdxdEvidence(r)).not.toContain('ERBB2-low-trastuzumab-deruxtecan-BRCA');
      expect(tdxdEvidence(r)).not.toContain('ERBB2-low-ultralow-trastuzumab-deruxtecan-BRCA-endocrine');
    }
  });

  it('a HER2 result infers nothing through the signalling graph unless it is overexpression', () => {
    for (const text of ['HER2-low', 'HER2-ultralow', 'HER2 IHC 0']) {
      expect(rank('BRCA', text).therapies.flatMap((t) => t.evidence.filter((e) => e.inference))).toEqual([]);
    }
    expect(rank('BRCA', 'HER2 IHC 3+').therapies.some((t) => t.evidence.some((e) => e.inference))).toBe(true);
  });
});

describe('gene-level labels (BRCA1/2 loss of function)', () => {
  it.each([
    ['PRAD', 'BRCA2 W2626*', 'olaparib'],
    ['HGSOC', 'BRCA1 Q1756fs', 'olaparib'],
    ['PRAD', 'BRCA2 deletion', 'rucaparib'],
  ])('%s with %s: %s is on-label and tier I-A, not III-B', (tumour, text, id) => {
    const t = therapy(rank(tumour, text), id);
    expect([t.class, t.tier, t.oncokb]).toEqual(['on-label', 'I-A', '1']);
  });
});

describe('labels for HER2-negative breast cancer', () => {
  const herNegative = ['alpelisib + fulvestrant', 'capivasertib + fulvestrant', 'fulvestrant + inavolisib + palbociclib'];
  it('PIK3CA H1047R alone makes the PI3K and AKT inhibitors on-label', () => {
    const r = rank('BRCA', 'PIK3CA H1047R');
    for (const id of herNegative) expect(therapy(r, id).class, id).toBe('on-label');
  });
  it.each(['ERBB2 amplification', 'HER2 IHC 3+'])('with %s beside it they are not: their labels ask for HER2-negative disease', (her2) => {
    const r = rank('BRCA', `PIK3CA H1047R; ${her2}`);
    for (const id of herNegative) expect(r.therapies.find((t) => t.id === id)?.class ?? 'absent', id).not.toBe('on-label');
    // and a germline BRCA2 variant in HER2-positive disease does not make olaparib or talazoparib on-label either
    const brca = rank('BRCA', `BRCA2 W2626*; ${her2}`);
    for (const id of ['olaparib', 'talazoparib']) expect(brca.therapies.find((t) => t.id === id)?.class ?? 'absent', id).not.toBe('on-label');
  });
  it('HER2-low is HER2-negative: the PI3K inhibitors stay on-label beside trastuzumab deruxtecan', () => {
    const r = rank('BRCA', 'PIK3CA H1047R; HER2-low');
    for (const id of herNegative) expect(therapy(r, id).class, id).toBe('on-label');
    expect(therapy(r, 'trastuzumab deruxtecan').class).toBe('on-label');
  });
});

describe('withdrawn approvals', () => {
  it('a therapy whose approval was withdrawn is ranked on its trial, never on-label (mobocertinib, infigratinib, pralsetinib in MTC)', () => {
    const cases: Array<[string, string, string]> = [
      ['LUAD', 'EGFR A767_V769dup', 'mobocertinib'],
      ['IHCH', 'FGFR2::BICC1', 'infigratinib'],
      ['THME', 'RET M918T', 'pralsetinib'],
    ];
    for (const [tumour, text, id] of cases) {
      for (const agency of ['FDA', 'EMA'] as const) {
        const t = therapy(rank(tumour, text, agency), id);
        expect(t.class, `${id} in ${tumour} (${agency})`).not.toBe('on-label');
        expect(t.evidence.every((e) => e.level !== 'approved'), `${id} in ${tumour}`).toBe(true);
      }
    }
    // withdrawn everywhere: no longer an approved drug at all
    expect(therapy(rank('LUAD', 'EGFR A767_V769dup'), 'mobocertinib').class).toBe('investigational');
  });
});

describe('variants of unknown significance', () => {
  it.each(['TP53 X999Y', 'NOTAREALGENE1 V600E'])('%s alone yields nothing above the off-label range and a warning naming it', (text) => {
    const r = rank('LUAD', text);
    for (const t of r.therapies) {
      expect(t.class).not.toBe('on-label');
      expect(t.score).toBeLessThanOrEqual(10);
    }
    const name = text.split(' ')[0]!;
    expect(r.warnings.some((w) => w.includes(name))).toBe(true);
  });
});

describe('tumour-agnostic signatures', () => {
  it('MSI-H ranks pembrolizumab on-label in any solid tumour', () => {
    const r = rank('PAAD', 'MSI-H');
    expect(therapy(r, 'pembrolizumab').class).toBe('on-label');
  });
});
