/**
 * The knowledge-base file format (evidence/ in the repository): zod schemas
 * for each file, and the node attribute types of the evidence graph (DESIGN §3).
 * Files are YAML; these schemas are the single definition of what they may hold.
 */
import { z } from 'zod';

export const LEVELS = [
  'approved',
  'guideline',
  'phase3',
  'phase2',
  'phase1',
  'retrospective',
  'case-report',
  'preclinical',
  'inferential',
] as const;
export type Level = (typeof LEVELS)[number];

export const DIRECTIONS = ['sensitivity', 'resistance', 'no-benefit', 'adverse'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const AGENCIES = ['FDA', 'EMA'] as const;
export type Agency = (typeof AGENCIES)[number];

/** Levels of evidence that can name the control arm they beat (`superiorTo`): randomised, practice-changing results. */
export const SUPERIORITY_LEVELS: ReadonlySet<Level> = new Set<Level>(['approved', 'guideline', 'phase3']);

export const GENE_ROLES = ['oncogene', 'tsg', 'both', 'other'] as const;
export type GeneRole = (typeof GENE_ROLES)[number];

const PMID = z.string().regex(/^[1-9]\d{0,8}$/, 'pmid is the PubMed number, digits only (e.g. "29151359")');
/** What is wrong with a source that is none of the four kinds: the curator's likeliest mistakes first. */
function sourceProblem(input: unknown): string {
  const kinds = 'a source is {pmid: "29151359"}, {nct: NCT02296125}, {label: FDA} or {url: "https://..."}, each with an optional note';
  if (!input || typeof input !== 'object' || Array.isArray(input)) return kinds;
  const o = input as Record<string, unknown>;
  if (typeof o.pmid === 'number') return `pmid is written in quotes, as a string of digits: pmid: "${o.pmid}"`;
  if ('pmid' in o) return `pmid is the PubMed number in quotes, digits only (e.g. "29151359"), got ${JSON.stringify(o.pmid)}`;
  if ('nct' in o) return `nct is a ClinicalTrials.gov id such as NCT02296125, got ${JSON.stringify(o.nct)}`;
  if ('label' in o) return `label is the agency whose prescribing information is cited: FDA or EMA, got ${JSON.stringify(o.label)}`;
  if ('url' in o) return `url is an https address (http is not accepted), got ${JSON.stringify(o.url)}`;
  return `${kinds}; got {${Object.keys(o).join(', ')}}`;
}
export const Source = z.union(
  [
    z.strictObject({ pmid: PMID, note: z.string().optional() }),
    z.strictObject({ nct: z.string().regex(/^NCT\d{8}$/, 'nct is a ClinicalTrials.gov id such as NCT02296125') }),
    z.strictObject({
      label: z.enum(AGENCIES, { error: 'label is the agency whose prescribing information is cited: FDA or EMA' }),
      note: z.string().optional(),
    }),
    z.strictObject({ url: z.url({ protocol: /^https$/, error: 'url is an https address (http is not accepted)' }), note: z.string().optional() }),
  ],
  { error: (iss) => sourceProblem(iss.input) },
);
export type Source = z.infer<typeof Source>;

export const Approval = z
  .strictObject({
    agency: z.enum(AGENCIES),
    year: z.number().int().min(1990).max(2030),
    /**
     * The year the indication was withdrawn (mobocertinib 2023): kept as history in the knowledge base (its files,
     * `evidence diff`, the Neo4j graph), never making a therapy on-label or a drug approved.
     */
    withdrawn: z.number().int().min(1990).max(2030).optional(),
    note: z.string().optional(),
  })
  .refine((a) => a.withdrawn === undefined || a.withdrawn >= a.year, { path: ['withdrawn'], message: 'withdrawn: a year no earlier than the approval' });
/** Is the approval in force (not withdrawn)? */
export const isCurrentApproval = (a: Approval): boolean => a.withdrawn === undefined;
export type Approval = z.infer<typeof Approval>;

const drugName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9 -]*$/, 'drug names are lower-case INNs (e.g. "osimertinib")');

const CriteriaSource: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string().min(1),
    z.strictObject({ all: z.array(CriteriaSource).min(1) }),
    z.strictObject({ any: z.array(CriteriaSource).min(1) }),
    z.strictObject({ not: CriteriaSource }),
  ]),
);

export const EvidenceItem = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'id: letters, digits, . _ -'),
    biomarker: CriteriaSource,
    therapy: z.union([drugName, z.array(drugName).min(1)]),
    tumour: z.string().regex(/^[A-Z0-9_/-]+$/, 'tumour is an OncoTree code (e.g. NSCLC) or TISSUE for tumour-agnostic'),
    level: z.enum(LEVELS),
    direction: z.enum(DIRECTIONS),
    statement: z.string().min(10, 'statement: one sentence in our own words'),
    sources: z.array(Source).min(1, 'sources: every item cites at least one source'),
    approvals: z.array(Approval).optional(),
    /** Tumour types (with their descendants) the item does not apply to: a tumour-agnostic label's exclusions. */
    excludeTumours: z.array(z.string().regex(/^[A-Z0-9_/-]+$/)).optional(),
    quality: z.number().min(0).max(1).optional(),
    unverified: z.boolean().optional(),
    /**
     * The biomarker selects patients within this tumour type and says nothing of the drug's target elsewhere (17p
     * deletion or TP53 mutation in CLL marks resistance to chemoimmunotherapy; ibrutinib targets BTK): the item counts
     * for this tumour type and those related to it, never for an unrelated one.
     */
    tumourSpecific: z.literal(true).optional(),
    /**
     * The control arm(s) a randomised trial of this therapy beat, each a list of drugs (`[[vemurafenib]]`;
     * FLAURA: `[[gefitinib], [erlotinib]]`). Scoring lifts the therapy's positive sum to at least the
     * comparator's for the same profile (docs/scoring.md, "Randomised comparisons").
     */
    superiorTo: z.array(z.array(drugName).min(1, 'superiorTo: each control arm lists at least one drug')).min(1).optional(),
    /**
     * The chemotherapy (or other partner) the therapy was given with in the study, when the item names
     * only the targeted part of the regimen: one or more alternatives, each a list of drugs (CLEOPATRA:
     * `[[docetaxel]]`; ToGA: `[[cisplatin, capecitabine], [cisplatin, fluorouracil]]`). Shown to the board
     * with the evidence; not scored: the therapy is ranked as the item names it.
     */
    backbone: z.array(z.array(drugName).min(1, 'backbone: each alternative lists at least one drug')).min(1).optional(),
  })
  .superRefine((e, ctx) => {
    // A study cited twice in one item is a slip (a second PMID meant, or a copy): it would read as two sources.
    const cited = new Set<string>();
    e.sources.forEach((src, i) => {
      const id = 'pmid' in src ? `PMID ${src.pmid}` : 'nct' in src ? src.nct : undefined;
      if (id === undefined) return;
      if (cited.has(id)) ctx.addIssue({ code: 'custom', path: ['sources', i], message: `${id} is cited twice in this item: cite each study once` });
      cited.add(id);
    });
    // A withdrawn approval is history: an item may keep it at the level of the trial behind it.
    if (e.approvals && e.level !== 'approved' && e.approvals.some(isCurrentApproval)) {
      ctx.addIssue({ code: 'custom', path: ['approvals'], message: 'approvals in force only go with level: approved (a withdrawn one is marked withdrawn: YEAR)' });
    }
    if (e.level === 'approved' && (!e.approvals || e.approvals.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['approvals'], message: 'level approved needs approvals: [{agency, year}]' });
    } else if (e.level === 'approved' && !e.approvals!.some(isCurrentApproval)) {
      ctx.addIssue({
        code: 'custom',
        path: ['level'],
        message: 'every approval of this item is withdrawn: give the level of the trial behind it (phase2 for an accelerated approval on a phase 2 trial), keeping the approvals as history',
      });
    }
    if (e.backbone) {
      const own = new Set(Array.isArray(e.therapy) ? e.therapy : [e.therapy]);
      e.backbone.forEach((alt, i) => {
        const twice = alt.filter((d) => own.has(d));
        if (twice.length > 0) ctx.addIssue({ code: 'custom', path: ['backbone', i], message: `backbone lists drugs the therapy already holds: ${twice.join(', ')}` });
      });
    }
    if (e.superiorTo) {
      if (!SUPERIORITY_LEVELS.has(e.level)) {
        ctx.addIssue({
          code: 'custom',
          path: ['superiorTo'],
          message: `superiorTo names the control arm of a randomised trial: only on phase3, approved or guideline items, not ${e.level}`,
        });
      }
      if (e.direction !== 'sensitivity') {
        ctx.addIssue({ code: 'custom', path: ['superiorTo'], message: `superiorTo only goes with direction: sensitivity, not ${e.direction}` });
      }
      if (e.sources.every((src) => 'url' in src)) {
        ctx.addIssue({
          code: 'custom',
          path: ['superiorTo'],
          message: 'superiorTo names a randomised trial: cite its publication (pmid), its registration (nct) or the label that reports it, not a web page alone',
        });
      }
      const own = therapyId(Array.isArray(e.therapy) ? e.therapy : [e.therapy]);
      const seen = new Set<string>();
      e.superiorTo.forEach((arm, i) => {
        const id = therapyId(arm);
        if (id === own) ctx.addIssue({ code: 'custom', path: ['superiorTo', i], message: `a therapy cannot be superior to itself (${id})` });
        else if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['superiorTo', i], message: `control arm ${id} is listed twice` });
        seen.add(id);
      });
    }
  });
export type EvidenceItem = z.infer<typeof EvidenceItem>;

const ProteinRange = z.tuple([z.number().int().min(1), z.number().int().min(1)]);

export const GeneFile = z.strictObject({
  gene: z.string().regex(/^[A-Z0-9][A-Z0-9.-]*$/, 'gene is an upper-case HGNC symbol'),
  name: z.string().optional(),
  role: z.enum(GENE_ROLES),
  aliases: z.array(z.string()).default([]),
  /** Protein residue ranges of exons that criteria name (`exon 19 deletion`). */
  exons: z.record(z.string().regex(/^\d+$/), ProteinRange).default({}),
  /** Protein residue ranges of domains (`kinase-domain mutation`). */
  domains: z.record(z.string().regex(/^[a-z0-9]+$/), ProteinRange).default({}),
  /**
   * The domain where this gene's internal tandem duplications lie (FLT3: juxtamembrane), so an ITD
   * reported without residues (`FLT3 ITD`) meets that domain's criteria (`FLT3 juxtamembrane-domain mutation`).
   */
  itd: z.string().regex(/^[a-z0-9]+$/).optional(),
  /** Driver classification, in criteria written without the gene (`V600E`, `exon 19 deletion`, `amplification`). */
  drivers: z
    .strictObject({ oncogenic: z.array(z.string()).default([]), likely: z.array(z.string()).default([]) })
    .default({ oncogenic: [], likely: [] }),
  evidence: z.array(EvidenceItem).default([]),
}).superRefine((g, ctx) => {
  if (g.itd !== undefined && !(g.itd in g.domains)) {
    ctx.addIssue({ code: 'custom', path: ['itd'], message: `itd names domain "${g.itd}", which is not under domains (${Object.keys(g.domains).join(', ') || 'none'})` });
  }
});
export type GeneFile = z.infer<typeof GeneFile>;

/** Evidence not tied to one gene (signatures such as MSI-H, TMB-H, HRD). */
export const SignatureFile = z.strictObject({
  evidence: z.array(EvidenceItem).default([]),
});

export const DrugEntry = z.strictObject({
  name: drugName,
  synonyms: z.array(z.string()).default([]),
  brands: z.array(z.string()).default([]),
  class: z.string().min(2),
  targets: z.array(z.string().regex(/^[A-Z0-9][A-Z0-9.-]*$/)).default([]),
  /** Agencies that approved the drug for any indication (biomarker-directed or not). */
  approved: z.array(z.enum(AGENCIES)).default([]),
  /**
   * Tumour types an agency's label names for the drug without asking for any biomarker (temozolomide: newly
   * diagnosed glioblastoma), as OncoTree codes: in these types and those under them, every biomarker is within the
   * label, so a therapy of such drugs is on-label there. Only types a code names whole: anaplastic astrocytoma
   * is ASTR3, and astrocytoma without a grade (ASTR) is left out for a label that does not name grade 2.
   */
  labelled: z
    .array(z.strictObject({ agency: z.enum(AGENCIES), tumours: z.array(z.string().regex(/^[A-Z0-9_/-]+$/, 'an OncoTree code')).min(1) }))
    .default([]),
  /**
   * The drug acts only on specific mutant forms of its targets (sotorasib: KRAS G12C; vemurafenib: BRAF V600):
   * it is never proposed by target- or pathway-based inference, only by direct evidence.
   */
  mutantSelective: z.boolean().default(false),
});
export type DrugEntry = z.infer<typeof DrugEntry>;
export const DrugsFile = z.strictObject({ drugs: z.array(DrugEntry) });

export const TumourTypeEntry = z.strictObject({
  code: z.string().regex(/^[A-Z0-9_/-]+$/),
  name: z.string().min(2),
  parent: z.string().regex(/^[A-Z0-9_/-]+$/).nullable(),
});
export type TumourTypeEntry = z.infer<typeof TumourTypeEntry>;
export const TumourTypesFile = z.strictObject({ root: z.string(), tumourTypes: z.array(TumourTypeEntry).min(1) });

export const PathwaysFile = z
  .strictObject({
    sources: z.record(z.string(), z.url({ protocol: /^https$/ })),
    edges: z.array(
      z.strictObject({
        from: z.string().regex(/^[A-Z0-9][A-Z0-9.-]*$/),
        to: z.string().regex(/^[A-Z0-9][A-Z0-9.-]*$/),
        effect: z.enum(['activates', 'inhibits']),
        source: z.string(),
      }),
    ),
  })
  .superRefine((f, ctx) => {
    f.edges.forEach((e, i) => {
      if (!(e.source in f.sources)) ctx.addIssue({ code: 'custom', path: ['edges', i, 'source'], message: `unknown source "${e.source}": list it under sources` });
    });
  });
export type PathwaysFile = z.infer<typeof PathwaysFile>;

/** Genomic coordinates of named protein changes (evidence/coordinates.yaml), for placing unannotated VCF records. */
export const CoordinatesFile = z.strictObject({
  variants: z.array(
    z.strictObject({
      gene: z.string().regex(/^[A-Z0-9][A-Z0-9.-]*$/),
      change: z.string().min(2),
      build: z.enum(['GRCh37', 'GRCh38']),
      chrom: z.string().regex(/^(chr)?([0-9]{1,2}|X|Y|MT?)$/),
      pos: z.number().int().min(1),
      ref: z.string().regex(/^[ACGTN]+$/),
      alt: z.string().regex(/^[ACGTN]+$/),
    }),
  ),
});
export type CoordinatesFile = z.infer<typeof CoordinatesFile>;

export const ManifestFile = z.strictObject({
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
});

// ---- graph node attributes (one place, DESIGN §3) ----

export interface GeneNode {
  type: 'gene';
  symbol: string;
  role: GeneRole;
  aliases: string[];
  exons: Record<string, [number, number]>;
  domains: Record<string, [number, number]>;
  /** The domain where the gene's internal tandem duplications lie (GeneFile.itd). */
  itd?: string;
  /** Driver classes as parsed criteria (without NOT): what makes an alteration oncogenic or likely oncogenic. */
  drivers: { oncogenic: import('./criteria.ts').Criteria[]; likely: import('./criteria.ts').Criteria[] };
}
export interface BiomarkerNode {
  type: 'biomarker';
  id: string;
  label: string;
  /** Parsed criteria (server/domain/criteria.ts). */
  criteria: import('./criteria.ts').Criteria;
}
export interface EvidenceNode {
  type: 'evidence';
  id: string;
  level: Level;
  direction: Direction;
  statement: string;
  sources: Source[];
  tumour: string;
  approvals: Approval[];
  excludeTumours: string[];
  quality: number;
  origin: string;
  unverified: boolean;
  file: string;
  /** The study's partner drugs (`backbone`), alternatives each a list; absent when the item names the whole regimen. */
  backbone?: string[][];
  /** Never carried to an unrelated tumour type (EvidenceItem `tumourSpecific`); absent otherwise. */
  tumourSpecific?: true;
}
export interface TherapyNode {
  type: 'therapy';
  id: string;
  drugs: string[];
}
export interface DrugNode {
  type: 'drug';
  name: string;
  synonyms: string[];
  brands: string[];
  class: string;
  targets: string[];
  approved: Agency[];
  /** Tumour types labelled without a biomarker, per agency (DrugEntry). */
  labelled: Array<{ agency: Agency; tumours: string[] }>;
  mutantSelective: boolean;
}
export interface TumourNode {
  type: 'tumour';
  code: string;
  name: string;
  parent: string | null;
}
export type NodeAttrs = GeneNode | BiomarkerNode | EvidenceNode | TherapyNode | DrugNode | TumourNode;

/** SUPERIOR_TO: from an evidence item to the therapy (control arm) its randomised trial beat (`superiorTo`). */
export type EdgeType = 'FOR_BIOMARKER' | 'FOR_THERAPY' | 'USES' | 'IN_TUMOUR' | 'TARGETS' | 'IS_A' | 'ABOUT_GENE' | 'SIGNALS_TO' | 'SUPERIOR_TO';
export interface EdgeAttrs {
  type: EdgeType;
  /** SIGNALS_TO edges: the effect of the source gene on the target, and the pathway map cited. */
  effect?: 'activates' | 'inhibits';
  source?: string;
}

export interface KnowledgeBaseInfo {
  name: string;
  version: string;
  /** sha256 of the knowledge-base content (files sorted by path). */
  hash: string;
  root: string;
}

export const nodeKey = {
  gene: (symbol: string) => `gene:${symbol}`,
  biomarker: (id: string) => `biomarker:${id}`,
  evidence: (id: string) => `evidence:${id}`,
  therapy: (id: string) => `therapy:${id}`,
  drug: (name: string) => `drug:${name}`,
  tumour: (code: string) => `tumour:${code}`,
};

/** A therapy's id: its drugs, sorted, joined with ` + `. */
export function therapyId(drugs: readonly string[]): string {
  return [...drugs].sort().join(' + ');
}
