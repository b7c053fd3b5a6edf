/**
 * Evidence levels and directions of open releases on the DESIGN §4 scale.
 *
 * CIViC (evidence level A-E, https://civic.readthedocs.io, "Evidence Level"):
 *   A validated association   -> guideline   (our `approved` needs the agency and the year of
 *                                             the approval; CIViC rows carry neither, so the
 *                                             approvals, and the on-label class, stay curated)
 *   B clinical evidence       -> phase3 when the statement names a phase 3 or randomised trial,
 *                                phase1 when it names only a phase 1 trial, retrospective when it
 *                                names a retrospective or cohort study, otherwise phase2
 *   C case study              -> case-report
 *   D preclinical             -> preclinical
 *   E inferential             -> inferential
 * CIViC trust rating (1-5 stars) -> quality = rating / 5; unrated items 0.4 (two stars).
 *
 * CGI (Evidence level):
 *   FDA guidelines                      -> guideline (same reason as CIViC A: no approval year)
 *   NCCN, NCCN/CAP, ESMO, European LeukemiaNet guidelines -> guideline
 *   Late trials                         -> phase3
 *   Clinical trials                     -> phase2
 *   Early trials                        -> phase1 (CGI groups phase 1 and 1/2 trials here)
 *   Case report                         -> case-report
 *   Pre-clinical                        -> preclinical
 *   CPIC guidelines                     -> not imported (germline pharmacogenomics)
 *   several levels in one cell          -> the first
 */
import type { Direction, Level } from '../domain/knowledge.ts';

export function civicLevel(level: string, statement = ''): Level | undefined {
  switch (level) {
    case 'A':
      return 'guideline';
    case 'B': {
      const s = statement.toLowerCase();
      if (/phase (iii|3)|phase (ii|2)\/(iii|3)|randomi[sz]ed/.test(s)) return 'phase3';
      if (/phase (ii|2)\b|phase (i|1)\/(ii|2)|phase (ib|1b)\/(ii|2)/.test(s)) return 'phase2';
      if (/phase (i|1|ib|1b)\b/.test(s)) return 'phase1';
      if (/retrospective|cohort|case series/.test(s)) return 'retrospective';
      return 'phase2';
    }
    case 'C':
      return 'case-report';
    case 'D':
      return 'preclinical';
    case 'E':
      return 'inferential';
    default:
      return undefined;
  }
}

export function civicQuality(rating: number | undefined): number {
  return rating === undefined ? 0.4 : Math.round((rating / 5) * 100) / 100;
}

/**
 * CIViC significance + direction -> ours, or undefined with nothing to import:
 * Sensitivity/Response supported -> sensitivity; not supported -> no-benefit;
 * Resistance and Reduced Sensitivity supported -> resistance; Adverse Response -> adverse.
 * "Does not support resistance" says nothing usable and is left out.
 */
export function civicDirection(significance: string, direction: string): Direction | undefined {
  const supports = direction === 'Supports';
  const refutes = direction === 'Does Not Support';
  switch (significance) {
    case 'Sensitivity/Response':
    case 'Sensitivity':
      return supports ? 'sensitivity' : refutes ? 'no-benefit' : undefined;
    case 'Resistance':
    case 'Reduced Sensitivity':
      return supports ? 'resistance' : undefined;
    case 'Adverse Response':
      return supports ? 'adverse' : undefined;
    default:
      return undefined;
  }
}

export function cgiLevel(level: string): Level | undefined {
  const first = level.split(/[,;]/)[0]!.trim().toLowerCase();
  if (first === 'fda guidelines') return 'guideline';
  if (/^(nccn|nccn\/cap|esmo|european leukemianet) guidelines$/.test(first)) return 'guideline';
  if (first === 'late trials') return 'phase3';
  if (first === 'clinical trials') return 'phase2';
  if (first === 'early trials') return 'phase1';
  if (first === 'case report') return 'case-report';
  if (first === 'pre-clinical') return 'preclinical';
  return undefined;
}

/** Guideline-level CGI items (FDA, NCCN, ESMO, ELN): what `mtbnet validate cgi` reads. */
export function isCgiGuideline(level: string): boolean {
  return /^(fda|nccn|nccn\/cap|esmo|european leukemianet) guidelines$/i.test(level.split(/[,;]/)[0]!.trim());
}

export function cgiDirection(association: string): Direction | undefined {
  const a = association.trim().toLowerCase();
  if (a === 'responsive') return 'sensitivity';
  if (a === 'resistant') return 'resistance';
  if (a === 'no responsive') return 'no-benefit';
  if (a.startsWith('increased toxicity')) return 'adverse';
  return undefined;
}
