/**
 * Disease -> OncoTree code, for CIViC (Disease Ontology names and DOIDs) and
 * CGI (its own tumour acronyms). In order:
 *
 * 1. a small hand-made table of the diseases CIViC and CGI use most whose
 *    DOID has no UMLS link to an OncoTree node (CML, colorectal cancer,
 *    "Cancer" = tumour-agnostic, ...), each checked against OncoTree names;
 * 2. DOID -> UMLS CUI (PCGR's oncotree_phenotypes.tsv.gz, MIT) -> the
 *    OncoTree nodes carrying that CUI;
 * 3. the disease name equal to an OncoTree name (case-insensitive).
 *
 * When several nodes match, their lowest common ancestor is used (AML and
 * AMLNOS -> AML). Genetic syndromes (Lynch, von Hippel-Lindau, ...) and
 * non-cancer conditions are left unmapped on purpose: they are not tumour types.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { commonAncestor, readOncoTree, type OncoTree } from './oncotree.ts';
import { readTsv } from './tsv.ts';

/** CIViC disease (by DOID, or lower-case name when there is no DOID) -> OncoTree code. */
export const CIVIC_DISEASES: Record<string, string> = {
  // DOID: code
  '162': 'TISSUE', // Cancer
  'solid tumor': 'TISSUE',
  '8552': 'CML',
  '9256': 'COADREAD', // colorectal cancer
  '219': 'COAD', // colon cancer
  '1520': 'COAD', // colon carcinoma
  '3029': 'MACR', // colon mucinous adenocarcinoma
  '1993': 'READ', // rectum cancer
  '1612': 'BRCA', // breast cancer
  '3459': 'BRCA', // breast carcinoma
  '0060079': 'BRCA', // HER2-positive breast cancer
  '0060080': 'BRCA',
  '0060075': 'BRCA', // ER-positive
  '0060081': 'BRCA', // triple negative
  '4922': 'JSCB', // breast secretory carcinoma
  '2394': 'OVARY', // ovarian cancer
  '4001': 'OVARY',
  '0050933': 'SOC', // ovarian serous carcinoma
  '5746': 'SOC',
  '0050934': 'CCOV',
  '7651': 'SCCO',
  '0080369': 'SCST',
  '0080146': 'BLL', // childhood B-ALL
  '0080638': 'BLL',
  '0060592': 'BLL',
  '0080650': 'BLL', // BCR-ABL1-like B-ALL
  '9952': 'BLL', // ALL (mostly B-lineage in CIViC)
  '0080144': 'BLL',
  '1037': 'LNM', // lymphoid leukemia
  '715': 'TLL',
  '1040': 'CLLSLL',
  '10283': 'PRAD', // prostate cancer
  '10286': 'PRAD',
  '1793': 'PAAD', // pancreatic cancer
  '4905': 'PAAD',
  '3498': 'PAAD',
  '3587': 'PAAD',
  '1795': 'PANCREAS',
  '1380': 'UCEC', // endometrial cancer
  '0050939': 'UCEC',
  '363': 'UTERUS',
  '1115': 'SOFT_TISSUE', // sarcoma
  '4235': 'SOFT_TISSUE',
  '5517': 'STAD', // stomach carcinoma
  '10534': 'STAD',
  '1324': 'LUNG', // lung cancer
  '3905': 'LUNG',
  '4926': 'LUAD', // bronchiolo-alveolar adenocarcinoma
  '6482': 'LUAD',
  '4007': 'BLCA', // bladder carcinoma
  '11054': 'BLCA',
  '2671': 'BLCA', // transitional cell carcinoma
  '6477': 'BLCA',
  '0050745': 'DLBCLNOS',
  '0060318': 'APLPMLRARA',
  '1790': 'PLMESO', // malignant mesothelioma (pleural in CIViC's items)
  '7474': 'PLMESO',
  '3070': 'DIFG', // malignant glioma
  '0060108': 'DIFG', // brain glioma
  'glioma': 'DIFG',
  '3073': 'GB',
  '0050804': 'GB',
  '3181': 'ODG',
  '0080684': 'DMG',
  '6812': 'PAST', // pilocytic astrocytoma
  'pediatric low-grade glioma (plgg)': 'BRAIN',
  '11934': 'HNSC', // head and neck cancer
  '1542': 'HNSC',
  '8557': 'OPHSC',
  '2600': 'HNSC',
  '0080164': 'MLNER', // myeloid/lymphoid neoplasms with eosinophilia
  '3368': 'ES',
  '1781': 'THYROID',
  '3963': 'THYROID',
  'anaplastic thyroid carcinoma': 'THAP',
  '2531': 'TISSUE', // hematologic cancer: no single OncoTree node below the root
  '4971': 'PMF',
  '0050929': 'MEL',
  '1240': 'MNM', // leukemia
  '4451': 'RCC',
  '4362': 'CERVIX',
  '2893': 'CERVIX',
  '8850': 'SACA',
  '1107': 'ESCA',
  '5041': 'ESCA',
  '7941': 'EGC',
  '4896': 'CHOL',
  '4607': 'BILIARY_TRACT',
  '0050751': 'TLGL',
  '0050626': 'GINET',
  '169': 'NETNOS',
  '0080182': 'FLC',
  '0050618': 'SLCT',
  '8418': 'IFS', // congenital (infantile) fibrosarcoma
  '0050892': 'PHC',
  '6886': 'SCBC',
  '0080372': 'IMT',
  '0080190': 'EHAE',
  '5151': 'NFIB',
  '0050903': 'EPM',
};

/** CGI primary tumour acronyms -> OncoTree code (CGI names its own acronyms; most differ from OncoTree). */
export const CGI_TUMOURS: Record<string, string> = {
  CANCER: 'TISSUE', SOLID: 'TISSUE', HEMATO: 'TISSUE',
  CML: 'CML', ACML: 'ACML', CM: 'SKCM', L: 'LUNG', LUAD: 'LUAD', LUSC: 'LUSC', NSCLC: 'NSCLC',
  BRCA: 'BRCA', COREAD: 'COADREAD', G: 'DIFG', GIST: 'GIST', AML: 'AML', PRAD: 'PRAD', OV: 'OVARY',
  BLCA: 'BLCA', ED: 'UCEC', R: 'RCC', MPN: 'MPNST', ALL: 'BLL', ST: 'STAD', PA: 'PAAD', PAAD: 'PAAD',
  MYMA: 'PCM', MM: 'PCM', TH: 'THYROID', THCA: 'THYROID', PLEN: 'NFIB', SCHW: 'SCHW', HNC: 'HNSC', HNSC: 'HNSC',
  THYM: 'THYM', MDPS: 'MDS/MPN', MEN: 'MNG', BCC: 'BCC', LY: 'LNM', BT: 'BILIARY_TRACT', MB: 'MBL', HC: 'HCC',
  CLL: 'CLLSLL', NB: 'NBL', RB: 'RBL', MRT: 'MRT', LIP: 'LIPO', CH: 'CHOL', MKB: 'AMKL', OS: 'OS',
  BCL: 'MBN', RA: 'ANGL', MA: 'ASTR', MCL: 'MCL', CESC: 'CESC', GB: 'GB', GBM: 'GB', RHBDS: 'RMS',
  CER: 'CERVIX', MY: 'PMF', SM: 'SM', WM: 'WM', NF: 'NFIB', ADCC: 'ACYC', HES: 'MLNER', ECL: 'CELNOS',
  MDS: 'MDS', APML: 'APLPMLRARA', IM: 'IMT', DFS: 'DFSP', NMC: 'NUTCL', UTC: 'BLADDER', MGCT: 'TESTIS',
  FGCT: 'OVARY', GEJA: 'GEJ', HISLC: 'LCH', HISEC: 'ECD', LK: 'MNM', NEU: 'NETNOS', PG: 'DIFG',
  HCL: 'HCL', AS: 'ANGS', FH: 'SOFT_TISSUE', S: 'SOFT_TISSUE', AA: 'ADRENAL_GLAND', LAM: 'LAM', GCA: 'BRAIN',
  AG: 'ODG', MESO: 'PLMESO',
};

export interface DiseaseMapper {
  tree: OncoTree;
  /** CIViC disease -> OncoTree code, or undefined with the reason. */
  civic(disease: string, doid: string): { code?: string; how: string };
  /** CGI acronyms (several give their common ancestor). */
  cgi(acronyms: readonly string[]): { code?: string; how: string };
}

export function defaultOncoTreePath(dataDir: string): string {
  return join(dataDir, 'oncotree', 'oncotree_2025_10_03.flat.tsv');
}

/** Build the mapper from a shared-data folder (oncotree/ and pcgr/ inside). */
export function createDiseaseMapper(dataDir: string): DiseaseMapper {
  const tree = readOncoTree(defaultOncoTreePath(dataDir));
  const doidToCui = new Map<string, Set<string>>();
  const pcgr = join(dataDir, 'pcgr', 'oncotree_phenotypes.tsv.gz');
  if (existsSync(pcgr)) {
    for (const row of readTsv(pcgr, { required: ['cui', 'do_id'] }).rows) {
      const doid = row.get('do_id').replace(/^DOID:/, '');
      if (doid === '' || doid === 'NA') continue;
      let s = doidToCui.get(doid);
      if (!s) doidToCui.set(doid, (s = new Set()));
      s.add(row.get('cui'));
    }
  }
  const checked = (code: string | undefined) => (code && tree.nodes.has(code) ? code : undefined);
  return {
    tree,
    civic(disease, doid) {
      const table = checked(CIVIC_DISEASES[doid]) ?? checked(CIVIC_DISEASES[disease.toLowerCase()]);
      if (table) return { code: table, how: 'table' };
      const codes = new Set<string>();
      for (const cui of doidToCui.get(doid) ?? []) for (const c of tree.byUmls.get(cui) ?? []) codes.add(c);
      if (codes.size > 0) return { code: commonAncestor(tree, [...codes]), how: 'doid-umls' };
      const byName = tree.byName.get(disease.toLowerCase());
      if (byName) return { code: byName, how: 'name' };
      return { how: `disease "${disease}"${doid ? ` (DOID:${doid})` : ''} has no OncoTree code` };
    },
    cgi(acronyms) {
      const codes: string[] = [];
      for (const a of acronyms) {
        const c = checked(CGI_TUMOURS[a]) ?? checked(a);
        if (!c) return { how: `CGI tumour "${a}" has no OncoTree code` };
        codes.push(c);
      }
      if (codes.length === 0) return { how: 'no tumour type given' };
      return { code: commonAncestor(tree, codes), how: codes.length > 1 ? 'common-ancestor' : 'table' };
    },
  };
}

/**
 * The nearest code the knowledge base knows: the code itself or its closest
 * ancestor in `known` (imported evidence must name a tumour type of
 * tumour-types.yaml; a profile is ranked in the closest type the hierarchy has).
 */
export function nearestKnown(tree: OncoTree, code: string, known: ReadonlySet<string>): string | undefined {
  for (const c of tree.ancestors(code)) if (known.has(c)) return c;
  return undefined;
}
