import { describe, expect, it } from 'vitest';
import { mapCgiAlteration, mapCivicVariant, mapMolecularProfile } from '../../../server/opendata/variants.ts';
import { parseCriteria, criteriaToString } from '../../../server/domain/criteria.ts';
import { civicDirection, civicLevel, cgiLevel } from '../../../server/opendata/levels.ts';
import { createDrugLookup } from '../../../server/opendata/drugs.ts';

const crit = (m: ReturnType<typeof mapCivicVariant>) => (m.ok ? criteriaToString(parseCriteria(m.criteria)) : `UNMAPPED: ${m.reason}`);

describe('opendata/variants: CIViC 2021 variants into our criteria', () => {
  it.each([
    ['BRAF', 'V600E', 'BRAF V600E'],
    ['KRAS', 'G12', 'KRAS G12'],
    ['EGFR', 'EXON 19 DELETION', 'EGFR exon 19 deletion'],
    ['MET', 'EXON 14 SKIPPING MUTATION', 'MET exon14skip'],
    ['KIT', 'EXON 11 MUTATION', 'KIT exon 11 mutation'],
    ['ERBB2', 'AMPLIFICATION', 'ERBB2 amplification'],
    ['CDKN2A', 'LOSS', 'CDKN2A deletion'],
    ['BRCA2', 'LOSS-OF-FUNCTION', 'BRCA2 loss-of-function'],
    ['ALK', 'EML4-ALK', 'EML4::ALK fusion'],
    ['ALK', 'ALK FUSIONS', 'ALK fusion'],
    ['ABL1', 'BCR-ABL T315I', 'ALL [BCR::ABL1 fusion; ABL1 T315I]'],
    ['KRAS', 'G12/G13', 'ANY [KRAS G12; KRAS G13]'],
    ['EGFR', 'Y772_A775DUP', 'EGFR Y772_A775dup'],
    ['KIT', 'W557_K558DELWK', 'KIT W557_K558del'],
    ['ERBB2', 'OVEREXPRESSION', 'ERBB2 overexpression'],
    // HGNC symbols with a hyphen are genes like any other (they were once refused as "not upper case")
    ['H3-3A', 'K27M', 'H3-3A K27M'],
    ['MGMT', 'PROMOTER METHYLATION', 'MGMT promoter methylation'],
    ['MLH1', 'METHYLATION', 'MLH1 promoter methylation'],
    ['HLA-DRA', 'EXPRESSION', 'HLA-DRA overexpression'],
  ])('%s %s -> %s', (gene, variant, expected) => {
    expect(crit(mapCivicVariant(gene, variant))).toBe(expected);
  });

  it.each([
    ['TP53', 'WILD TYPE', /wild-type/],
    ['VEGFA', 'UNDEREXPRESSION', /underexpression is not mapped/],
    ['KRAS', 'RS61764370', /rs id/],
    ['EGFR', 'VIII', /EGFRvIII/],
  ])('%s %s is reported, not guessed', (gene, variant, reason) => {
    const m = mapCivicVariant(gene, variant);
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.reason).toMatch(reason);
  });

  it('gives the profile of a patient for single variants only', () => {
    const exact = mapCivicVariant('BRAF', 'V600E');
    expect(exact.ok && exact.alterations).toEqual([{ kind: 'mutation', gene: 'BRAF', change: 'V600E' }]);
    const category = mapCivicVariant('KIT', 'EXON 11 MUTATION');
    expect(category.ok && category.alterations).toBeUndefined();
    const pos = mapCivicVariant('KRAS', 'G12', { representative: () => 'G12D' });
    expect(pos.ok && pos.alterations).toEqual([{ kind: 'mutation', gene: 'KRAS', change: 'G12D' }]);
  });

  it('"Ex19 del L858R" is the population with either common sensitising EGFR mutation', () => {
    const m = mapCivicVariant('EGFR', 'Ex19 del L858R');
    expect(m.ok && crit(m)).toBe('ANY [EGFR exon 19 deletion; EGFR L858R]');
    expect(m.ok && m.alterations).toEqual([{ kind: 'mutation', gene: 'EGFR', change: 'exon 19 deletion' }]);
  });

  it('a category stands for its representative change when one is given; gene-level "mutation" never does', () => {
    const asked: string[] = [];
    const category = (gene: string, criteria: string) => {
      asked.push(criteria);
      return criteria === 'KIT exon 11 mutation' ? 'V560D' : criteria === 'BRCA2 loss-of-function' ? 'K3226*' : undefined;
    };
    const exon = mapCivicVariant('KIT', 'EXON 11 MUTATION', { category });
    expect(exon.ok && exon.criteria).toBe('KIT exon 11 mutation');
    expect(exon.ok && exon.alterations).toEqual([{ kind: 'mutation', gene: 'KIT', change: 'V560D' }]);
    const lof = mapCivicVariant('BRCA2', 'LOSS-OF-FUNCTION', { category });
    expect(lof.ok && lof.alterations).toEqual([{ kind: 'mutation', gene: 'BRCA2', change: 'K3226*' }]);
    const none = mapCivicVariant('FLT3', 'TKD MUTATION', { category });
    expect(none.ok && none.alterations).toBeUndefined();
    expect(none.ok && none.noProfile).toMatch(/kinase-domain category/);
    const gene = mapCivicVariant('EGFR', 'MUTATION', { category });
    expect(gene.ok && gene.alterations).toBeUndefined();
    expect(asked).not.toContain('EGFR mutation');
  });
});

describe('opendata/variants: current-layout molecular profiles and CGI alterations', () => {
  it('reads fusions, any-partner fusions and AND / OR profiles', () => {
    expect(crit(mapMolecularProfile('BCR::ABL1 Fusion AND ABL1 T315I'))).toBe('ALL [BCR::ABL1 fusion; ABL1 T315I]');
    expect(crit(mapMolecularProfile('v::ALK Fusion'))).toBe('ALK fusion');
    expect(crit(mapMolecularProfile('EGFR L858R OR EGFR Exon 19 Deletion'))).toBe('ANY [EGFR L858R; EGFR exon 19 deletion]');
    expect(mapMolecularProfile('EGFR L858R AND NOT EGFR T790M').ok).toBe(false);
  });

  it('reads CGI alterations: variant lists, CNAs, fusions with the partner 5\'', () => {
    expect(crit(mapCgiAlteration('ERBB2:amp', 'CNA', ''))).toBe('ERBB2 amplification');
    expect(crit(mapCgiAlteration('ABL1__BCR', 'FUS', ''))).toBe('BCR::ABL1 fusion');
    const list = mapCgiAlteration('EGFR:L858R,G719A', 'MUT', 'EGFR:G719A');
    expect(crit(list)).toBe('ANY [EGFR L858R; EGFR G719A]');
    expect(list.ok && list.alterations).toEqual([{ kind: 'mutation', gene: 'EGFR', change: 'G719A' }]);
  });
});

describe('opendata/levels and drugs', () => {
  it('maps CIViC levels by the statement for level B, and never to approved', () => {
    expect(civicLevel('A')).toBe('guideline');
    expect(civicLevel('B', 'In a randomized phase III trial ...')).toBe('phase3');
    expect(civicLevel('B', 'A phase II study of ...')).toBe('phase2');
    expect(civicLevel('B', 'In a retrospective study of 50 patients ...')).toBe('retrospective');
    expect(civicLevel('C')).toBe('case-report');
    expect(civicLevel('D')).toBe('preclinical');
    expect(civicLevel('E')).toBe('inferential');
    expect(cgiLevel('FDA guidelines')).toBe('guideline');
    expect(cgiLevel('Late trials')).toBe('phase3');
    expect(cgiLevel('Early trials,Case Report')).toBe('phase1');
  });

  it('maps significance and direction, leaving unsupported resistance out', () => {
    expect(civicDirection('Sensitivity/Response', 'Supports')).toBe('sensitivity');
    expect(civicDirection('Sensitivity/Response', 'Does Not Support')).toBe('no-benefit');
    expect(civicDirection('Resistance', 'Supports')).toBe('resistance');
    expect(civicDirection('Resistance', 'Does Not Support')).toBeUndefined();
  });

  it('finds drugs by name, synonym, brand and salt form', () => {
    const d = createDrugLookup([{ name: 'imatinib', synonyms: ['STI571'], brands: ['Gleevec'] }, { name: 'trastuzumab emtansine', synonyms: ['ado-trastuzumab emtansine'] }]);
    expect(d('Imatinib Mesylate')).toBe('imatinib');
    expect(d('gleevec')).toBe('imatinib');
    expect(d('Ado-Trastuzumab Emtansine')).toBe('trastuzumab emtansine');
    expect(d('Mystery Compound X')).toBeUndefined();
  });

  it("reads NCIt's mechanism-and-code names through the code, and only through an exact code synonym", () => {
    const d = createDrugLookup([{ name: 'dordaviprone', synonyms: ['ONC201', 'TIC10'] }, { name: 'buparlisib', synonyms: ['BKM120'] }]);
    expect(d('Akt/ERK Inhibitor ONC201')).toBe('dordaviprone');
    expect(d('PI3K Inhibitor BKM120')).toBe('buparlisib');
    expect(d('FGFR Inhibitor AZD4547')).toBeUndefined();
    // a final word that is not code-shaped is not looked up on its own
    expect(d('Something Dordaviprone')).toBeUndefined();
  });
});
