/**
 * Validation against open references (issue 11): each reference item is a
 * single-alteration profile in its tumour type and the therapy the reference
 * names; the ranking is checked against it. Types shared by the selections
 * (civic.ts, cgi.ts) and the harness (run.ts).
 */
import type { AlterationInput } from '../domain/alteration.ts';
import type { VariantKind } from '../opendata/variants.ts';

export type Reference = 'civic' | 'cgi' | 'civic-assertions';

export const MISS_REASONS = [
  'alteration not understood',
  'tumour type not mapped',
  'biomarker not in the knowledge base',
  'ranked too low',
  'wrong direction',
] as const;
export type MissReason = (typeof MISS_REASONS)[number];

export interface ValidationItem {
  /** Stable id: `EID1234`, `EID1234/erlotinib`, `AID7`, `cgi:line:drug`. */
  id: string;
  line: number;
  /** Reference level: CIViC A/B, AMP tier, CGI evidence level. */
  level: string;
  direction: 'sensitivity' | 'resistance';
  /** The variant as the reference writes it. */
  label: string;
  disease: string;
  /** Drug names as the reference writes them, and as the knowledge base names them (undefined: unknown). */
  drugsGiven: string[];
  drugs: Array<string | undefined>;
  /** Names given that name no drug of the knowledge base (regimens are read as their drugs; see drugs.ts). When absent, the drugs[i] left undefined. */
  unknownDrugs?: string[];
  /** Drug classes named (`Platinum Compound`), each as the knowledge-base drugs of the class: the therapy must hold one of each (drugs.ts). */
  drugClasses?: Array<{ name: string; drugs: string[] }>;
  kind?: VariantKind;
  gene?: string;
  /** OncoTree code the disease maps to, the code the profile is ranked in, and its tissue (lineage). */
  oncotree?: string;
  tumour?: string;
  lineage?: string;
  alterations?: AlterationInput[];
  /** Set when the item cannot become a profile: alteration not understood or tumour type not mapped. */
  unmapped?: { reason: Extract<MissReason, 'alteration not understood' | 'tumour type not mapped'>; detail: string };
}

export interface ItemOutcome {
  item: ValidationItem;
  /** 1-based rank of the best-ranked therapy holding all of the item's drugs. */
  rank?: number;
  score?: number;
  therapy?: string;
  /** Set when the therapy holds the item's drugs only with the partner drugs its evidence's study gave it with (`backbone`). */
  withBackbone?: string[];
  therapyClass?: string;
  hit1: boolean;
  hit3: boolean;
  hit10: boolean;
  flagged: boolean;
  miss?: { reason: MissReason; detail: string };
}

export interface Tally {
  items: number;
  unmapped: number;
  sensitivity: number;
  hit1: number;
  hit3: number;
  hit10: number;
  resistance: number;
  resistance_flagged: number;
}

export interface ValidationReport {
  reference: Reference;
  source: string;
  knowledgeBase: { name: string; version: string; hash: string; imports: string[]; curatedOnly: boolean };
  note: string;
  /** Items selected from the reference (after splitting substitutes / alternatives into one item per drug). */
  items: number;
  unmapped: number;
  /** Shares of the mapped sensitivity items found in the top 1 / 3 / 10 with a positive score. */
  hit1: number;
  hit3: number;
  hit10: number;
  /** Share of the mapped resistance items whose therapy is not-recommended or carries a negative part. */
  resistance_flagged: number;
  counts: Tally;
  byLevel: Record<string, Tally>;
  byKind: Record<string, Tally>;
  byLineage: Record<string, Tally>;
  missReasons: Record<string, number>;
  missGroups: Array<{ reason: string; detail: string; count: number; examples: string[] }>;
  misses: Array<{ id: string; line: number; level: string; direction: string; label: string; disease: string; tumour?: string; drugs: string; reason: string; detail: string; rank?: number }>;
  excluded: Record<string, number>;
}
