/**
 * Privacy checks (DESIGN §1, problem 5: only molecular profiles, no names,
 * birth dates or record numbers). The case model has no field for a person;
 * free text can still carry one, so the free-text fields of a request
 * (rationale, dissent, notes, ...) are scanned for what looks like an
 * identifier and the caller is warned. Warnings name the field and the kind of
 * pattern, never the matched text, and nothing here is logged.
 */
import { createHmac } from 'node:crypto';

export const FREE_TEXT_FIELDS = ['rationale', 'dissent', 'reasonNotStarted', 'notes', 'note', 'comment', 'comments', 'reason', 'summary', 'description', 'board'] as const;

export interface PrivacyWarning {
  path: string;
  message: string;
}

const PATTERNS: Array<{ kind: string; re: RegExp }> = [
  { kind: 'a date of birth', re: /\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?|geb\.?|geboren)\b/i },
  // Full calendar dates: 1961-03-14, 14.03.1961, 14/03/61, 3/14/1961.
  { kind: 'a full date (a date of birth?)', re: /\b(?:(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])|(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:19|20)?\d{2}|(?:0?[1-9]|1[0-2])\/(?:0?[1-9]|[12]\d|3[01])\/(?:19|20)\d{2})\b/ },
  { kind: 'a record number', re: /\b(?:MRN|NHS|SSN|PID|KVNR|med(?:ical)?\.? rec(?:ord)?|record|chart|patient|pat\.?|case|fall)\s*(?:no\.?|nr\.?|number|num|id|#)\s*[:#]?\s*[A-Z0-9-]{4,}/i },
  { kind: 'a record number', re: /(?<!(?:PMID|pmid|PubMed|pubmed|NCT|doi|DOI)[:\s]{0,3})\b\d{6,}\b/ },
  { kind: 'a name after "patient"', re: /\b(?:[Pp]atient(?:in)?|[Pp]t\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Frau|Herr)\s+[A-Z][a-z'’-]+/ },
  { kind: 'an e-mail address', re: /\b[\w.+-]+@[\w-]+\.[\w.-]+\b/ },
  { kind: 'a phone number', re: /(?:\+\d{1,3}[\s-]?)?\(?\d{2,4}\)?[\s-]\d{3,4}[\s-]\d{3,4}\b/ },
];

/** The kinds of identifier-like patterns found in one piece of text. */
export function identifierPatterns(text: string): string[] {
  const found = new Set<string>();
  for (const { kind, re } of PATTERNS) if (re.test(text)) found.add(kind);
  return [...found];
}

/** Warnings for every free-text field of a request body (searched to a depth of 4). */
export function freeTextWarnings(body: unknown): PrivacyWarning[] {
  const out: PrivacyWarning[] = [];
  const visit = (v: unknown, path: string, depth: number) => {
    if (depth > 4 || v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const p = path ? `${path}.${k}` : k;
      if (typeof x === 'string' && (FREE_TEXT_FIELDS as readonly string[]).includes(k)) {
        for (const kind of identifierPatterns(x)) {
          out.push({ path: p, message: `privacy: ${p} contains what looks like ${kind}; mtbnet holds no personal identifiers: please remove it` });
        }
      } else if (typeof x === 'object') visit(x, p, depth + 1);
    }
  };
  visit(body, '', 0);
  return out;
}

/**
 * A stable pseudonymous ID for a sample name (`S-` and 12 hex digits of an
 * HMAC-SHA256 under the installation's key): the same sample gets the same ID
 * in one installation, and the name cannot be read back from it.
 */
export function pseudonymousId(sampleName: string, key: string | Buffer): string {
  return `S-${createHmac('sha256', key).update(sampleName).digest('hex').slice(0, 12)}`;
}

/** Mask what looks like an identifier in a log line (long digit runs, e-mail addresses, dates). */
export function redactForLog(line: string): string {
  return line
    .replace(/\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g, '[email]')
    .replace(/\b(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\b/g, '[date]')
    .replace(/\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b/g, '[date]')
    .replace(/\b\d{6,}\b/g, '[number]');
}
