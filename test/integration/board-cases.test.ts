/**
 * Named cases a tumour board would recognise, each with the citation that
 * makes it true, ranked end to end against the shipped knowledge base.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../server/engine.ts';
import type { RankResult, TherapyClass } from '../../server/domain/result.ts';

let engine: Engine;
beforeAll(() => {
  engine = createEngine();
});

interface Case {
  name: string;
  cite: string;
  tumour: string;
  profile: string;
  agency?: 'FDA' | 'EMA';
  classes?: Record<string, TherapyClass>;
  /** [a, b]: therapy a ranks above therapy b (or b is absent / not positive). */
  above?: Array<[string, string]>;
  first?: string[];
  negative?: string[];
  inferredOnly?: string[];
  /** No sensitivity is inferred from this alteration for these therapies (ranked on other grounds, or not at all). */
  notInferredFrom?: { alteration: string; therapies: string[] };
  /** These therapies carry resistance evidence (a negative sum) from the profile. */
  resisted?: string[];
  /** Sensitivity is still inferred from this alteration for these therapies (the control of a case above). */
  inferredFrom?: { alteration: string; therapies: string[] };
}

const CASES: Case[] = [
  {
    name: 'EGFR L858R + T790M in LUAD ranks osimertinib first and marks gefitinib not-recommended',
    cite: 'PMID 27959700 (AURA3), PMID 15728811 (T790M resistance)',
    tumour: 'LUAD', profile: 'EGFR L858R; EGFR T790M',
    first: ['osimertinib'], classes: { gefitinib: 'not-recommended', erlotinib: 'not-recommended', osimertinib: 'on-label' },
  },
  {
    name: 'BRAF V600E in colorectal cancer ranks encorafenib + cetuximab above vemurafenib alone',
    cite: 'PMID 31566309 (BEACON), PMID 26460303 (vemurafenib monotherapy in CRC)',
    tumour: 'COADREAD', profile: 'BRAF V600E',
    above: [['cetuximab + encorafenib', 'vemurafenib']], classes: { 'cetuximab + encorafenib': 'on-label' },
  },
  {
    name: 'KRAS G12C in NSCLC ranks sotorasib and adagrasib on-label',
    cite: 'FDA labels of sotorasib (2021) and adagrasib (2022); PMID 34096690 (CodeBreaK 100)',
    tumour: 'NSCLC', profile: 'KRAS G12C',
    classes: { sotorasib: 'on-label', adagrasib: 'on-label' },
  },
  {
    name: 'an NTRK fusion in any solid tumour ranks larotrectinib and entrectinib on-label',
    cite: 'PMID 29466156 (larotrectinib), FDA labels (tumour-agnostic approvals 2018, 2019)',
    tumour: 'SACA', profile: 'ETV6::NTRK3',
    classes: { larotrectinib: 'on-label', entrectinib: 'on-label' },
  },
  {
    name: 'ERBB2 amplification in colorectal cancer brings HER2-directed options, on-label for the FDA and off-label for the EMA',
    cite: 'FDA label of tucatinib with trastuzumab (2023, MOUNTAINEER); PMID 27108243 (HERACLES)',
    tumour: 'COADREAD', profile: 'ERBB2 amplification',
    classes: { 'trastuzumab + tucatinib': 'on-label' },
  },
  {
    name: 'ERBB2 amplification in colorectal cancer with the EMA as agency: HER2 drugs are off-label',
    cite: 'EMA: tucatinib is authorised only in breast cancer',
    tumour: 'COADREAD', profile: 'ERBB2 amplification', agency: 'EMA',
    classes: { 'trastuzumab + tucatinib': 'off-label' },
  },
  {
    name: 'KRAS G12D in colorectal cancer makes cetuximab and panitumumab not-recommended',
    cite: 'PMID 18316791 (Amado, panitumumab), PMID 18946061 (CO.17, cetuximab)',
    tumour: 'COADREAD', profile: 'KRAS G12D',
    classes: { cetuximab: 'not-recommended', panitumumab: 'not-recommended' },
  },
  {
    name: 'EML4::ALK in NSCLC ranks alectinib on-label',
    cite: 'PMID 28586279 (ALEX)',
    tumour: 'LUAD', profile: 'EML4::ALK',
    classes: { alectinib: 'on-label', lorlatinib: 'on-label', crizotinib: 'on-label' },
  },
  {
    name: 'ALK G1202R after an ALK inhibitor ranks lorlatinib above crizotinib',
    cite: 'PMID 27432227 (Gainor 2016, ALK resistance mutations)',
    tumour: 'LUAD', profile: 'EML4::ALK; ALK G1202R',
    above: [['lorlatinib', 'crizotinib'], ['lorlatinib', 'alectinib'], ['lorlatinib', 'ceritinib'], ['lorlatinib', 'brigatinib']],
    classes: { ceritinib: 'not-recommended', alectinib: 'not-recommended', crizotinib: 'not-recommended' },
  },
  {
    name: 'a ROS1 fusion in NSCLC ranks crizotinib and entrectinib on-label',
    cite: 'PMID 25264305 (PROFILE 1001 ROS1 cohort)',
    tumour: 'NSCLC', profile: 'CD74::ROS1',
    classes: { crizotinib: 'on-label', entrectinib: 'on-label' },
  },
  {
    name: 'MSI-H in pancreatic cancer ranks pembrolizumab on-label (tumour-agnostic)',
    cite: 'PMID 26028255 (Le 2015), FDA label 2017',
    tumour: 'PAAD', profile: 'MSI-H',
    classes: { pembrolizumab: 'on-label' },
  },
  {
    name: 'TMB 14 mut/Mb is an FDA-only tumour-agnostic indication for pembrolizumab',
    cite: 'PMID 32919526 (KEYNOTE-158 TMB), FDA label 2020',
    tumour: 'SCLC', profile: 'TMB 14', agency: 'EMA',
    classes: { pembrolizumab: 'off-label' },
  },
  {
    name: 'a BRCA2 frameshift in prostate cancer ranks olaparib on-label',
    cite: 'PMID 32343890 (PROfound)',
    tumour: 'PRAD', profile: 'BRCA2 E1493fs',
    classes: { olaparib: 'on-label' },
  },
  {
    name: 'a BRCA1 nonsense variant in high-grade serous ovarian cancer ranks olaparib on-label',
    cite: 'PMID 30345884 (SOLO-1)',
    tumour: 'HGSOC', profile: 'BRCA1 Q1756*',
    classes: { olaparib: 'on-label' },
  },
  {
    name: 'a KIT exon 11 deletion in GIST ranks imatinib on-label',
    cite: 'PMID 12181401 (Demetri 2002)',
    tumour: 'GIST', profile: 'KIT W557_K558del',
    classes: { imatinib: 'on-label' },
  },
  {
    name: 'PDGFRA D842V in GIST ranks avapritinib above imatinib, which it makes not-recommended',
    cite: 'PMID 32615108 (NAVIGATOR), PMID 15146165 context; imatinib resistance of D842V',
    tumour: 'GIST', profile: 'PDGFRA D842V',
    above: [['avapritinib', 'imatinib']], classes: { avapritinib: 'on-label', imatinib: 'not-recommended' },
  },
  {
    name: 'BCR::ABL1 with ABL1 T315I in CML ranks ponatinib above imatinib',
    cite: 'PMID 24180494 (PACE)',
    tumour: 'CML', profile: 'BCR::ABL1; ABL1 T315I',
    above: [['ponatinib', 'imatinib']], classes: { imatinib: 'not-recommended' },
  },
  {
    name: 'BTK C481S in CLL ranks the non-covalent pirtobrutinib first and gives ibrutinib a negative score',
    cite: 'PMID 24869598 (Woyach 2014), FDA label of pirtobrutinib (2023)',
    tumour: 'CLLSLL', profile: 'BTK C481S',
    first: ['pirtobrutinib'], negative: ['ibrutinib'],
  },
  {
    name: 'an ESR1 Y537S mutation in breast cancer ranks elacestrant on-label',
    cite: 'FDA label of elacestrant (2023, EMERALD)',
    tumour: 'BRCA', profile: 'ESR1 Y537S',
    classes: { elacestrant: 'on-label' },
  },
  {
    name: 'PIK3CA H1047R in breast cancer ranks alpelisib + fulvestrant on-label',
    cite: 'PMID 31091374 (SOLAR-1)',
    tumour: 'BRCA', profile: 'PIK3CA H1047R',
    classes: { 'alpelisib + fulvestrant': 'on-label' },
  },
  {
    name: 'IDH1 R132H in AML ranks ivosidenib on-label',
    cite: 'PMID 29860938 (DiNardo 2018)',
    tumour: 'AML', profile: 'IDH1 R132H',
    classes: { ivosidenib: 'on-label' },
  },
  {
    name: 'an FGFR2 fusion in cholangiocarcinoma ranks pemigatinib on-label',
    cite: 'PMID 32203698 (FIGHT-202)',
    tumour: 'IHCH', profile: 'FGFR2::BICC1',
    classes: { pemigatinib: 'on-label' },
  },
  {
    name: 'a RET fusion in NSCLC ranks selpercatinib on-label',
    cite: 'PMID 32846060 (LIBRETTO-001)',
    tumour: 'NSCLC', profile: 'KIF5B::RET',
    classes: { selpercatinib: 'on-label' },
  },
  {
    name: 'MET exon 14 skipping in NSCLC ranks capmatinib and tepotinib on-label',
    cite: 'PMID 32877583 (GEOMETRY mono-1), PMID 32469185 (VISION)',
    tumour: 'NSCLC', profile: 'MET exon 14 skipping',
    classes: { capmatinib: 'on-label', tepotinib: 'on-label' },
  },
  {
    name: 'BRAF V600E melanoma ranks dabrafenib + trametinib on-label (off-label use of melanoma data elsewhere is tier III)',
    cite: 'PMID 25399551 (COMBI-d)',
    tumour: 'SKCM', profile: 'BRAF V600E',
    classes: { 'dabrafenib + trametinib': 'on-label' },
  },
  {
    name: 'NF1 truncation in melanoma proposes MEK inhibitors by pathway inference only, labelled as such',
    cite: 'KEGG MAPK map hsa04010 (NF1 -| RAS -> RAF -> MEK)',
    tumour: 'SKCM', profile: 'NF1 R1362*',
    inferredOnly: ['trametinib'],
  },
  {
    name: 'MEK1 C121S beside BRAF V600E in melanoma infers no MEK-inhibitor sensitivity and gives selumetinib a negative score',
    cite: 'PMID 21383288 (Wagle 2011, MEK1 C121S), PMID 19915144 (Emery 2009)',
    tumour: 'MEL', profile: 'BRAF V600E; MAP2K1 C121S',
    first: ['dabrafenib + trametinib'], negative: ['selumetinib'],
    notInferredFrom: { alteration: 'MAP2K1:p.C121S', therapies: ['trametinib', 'binimetinib', 'mirdametinib', 'selumetinib', 'cobimetinib'] },
  },
  {
    name: 'MEK1 K57N, with no resistance evidence of its own, still infers MEK-inhibitor sensitivity',
    cite: 'KEGG MAPK map hsa04010; PMID 18632602 (MEK1 K57N in lung adenocarcinoma)',
    tumour: 'LUAD', profile: 'MAP2K1 K57N',
    inferredFrom: { alteration: 'MAP2K1:p.K57N', therapies: ['binimetinib', 'mirdametinib'] },
  },
  {
    name: 'NRAS Q61K beside BRAF V600E in melanoma lowers vemurafenib and dabrafenib alone by their resistance evidence',
    cite: 'PMID 23569304 (Trunzer 2013), PMID 24265153 (Van Allen 2014)',
    tumour: 'MEL', profile: 'BRAF V600E; NRAS Q61K',
    first: ['dabrafenib + trametinib'],
    resisted: ['vemurafenib', 'dabrafenib'],
  },
  {
    name: 'ALK G1202R infers no sensitivity to the second-generation ALK inhibitors it resists',
    cite: 'PMID 27432227 (Gainor 2016)',
    tumour: 'LUAD', profile: 'EML4::ALK; ALK G1202R',
    notInferredFrom: { alteration: 'ALK:p.G1202R', therapies: ['alectinib', 'brigatinib', 'ceritinib'] },
  },
];

const rank = (c: Case): RankResult => engine.rank(engine.parse({ text: c.profile, tumourType: c.tumour }).profile, { agency: c.agency });

describe('board cases on the shipped knowledge base', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = rank(c);
    const ids = r.therapies.map((t) => t.id);
    const find = (id: string) => {
      const t = r.therapies.find((x) => x.id === id);
      if (!t) throw new Error(`${id} is not ranked for ${c.profile} in ${c.tumour} (${c.cite}); ranked: ${ids.slice(0, 12).join(', ')}`);
      return t;
    };
    for (const [id, cls] of Object.entries(c.classes ?? {})) expect(`${id}: ${find(id).class}`).toBe(`${id}: ${cls}`);
    for (const id of c.first ?? []) expect(ids[0]).toBe(id);
    for (const [a, b] of c.above ?? []) {
      const ia = ids.indexOf(find(a).id);
      const tb = r.therapies.find((x) => x.id === b);
      if (tb && tb.score > 0) expect(ia).toBeLessThan(ids.indexOf(b));
    }
    for (const id of c.negative ?? []) expect(find(id).score).toBeLessThan(0);
    for (const id of c.resisted ?? []) expect(`${id}: ${find(id).negative < 0}`).toBe(`${id}: true`);
    for (const id of c.inferredOnly ?? []) {
      const t = find(id);
      expect(t.evidence.every((e) => e.inference)).toBe(true);
      expect(t.tier).toBe('IV');
    }
    const inferredFrom = (id: string, alteration: string) =>
      r.therapies.find((x) => x.id === id)?.evidence.some((e) => e.inference && e.alterations.includes(alteration)) ?? false;
    if (c.notInferredFrom) for (const id of c.notInferredFrom.therapies) expect(`${id}: ${inferredFrom(id, c.notInferredFrom.alteration)}`).toBe(`${id}: false`);
    if (c.inferredFrom) for (const id of c.inferredFrom.therapies) expect(`${id}: ${inferredFrom(id, c.inferredFrom.alteration)}`).toBe(`${id}: true`);
  });
});
