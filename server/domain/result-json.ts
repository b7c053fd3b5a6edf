/**
 * The JSON text of a rank result, byte for byte what JSON.stringify gives,
 * faster: a frozen contribution (server/scoring/intern.ts hands out the same
 * frozen object for equal inputs) has its text computed once and reused, and
 * the rest is written field by field in the object's own key order. A cohort
 * or a board's repeated re-ranking spends most of its serialising time on the
 * 25 fields of each contribution; this is where that time goes away.
 *
 * Ranked therapies, alterations and warnings of the shape rank.ts builds are
 * written from templates (strings that need no escape as they are); a ranked
 * therapy, knowledge-base or scoring entry that ranking shares (marked by
 * `shareValue`, never merely frozen) has its text remembered by identity.
 * Anything else is written by JSON.stringify, so the text never depends on what
 * this module knows of the result's shape; property tests hold every path to
 * JSON.stringify's bytes.
 */
import type { EvidenceContribution, RankResult } from './result.ts';

const texts = new WeakMap<EvidenceContribution, string>();
/**
 * Contributions written once: the text is kept on the second write. Most of a cohort's distinct contributions are
 * written once (what a passenger variant seen in one sample infers: 75,000 of a 20,000-sample panel cohort's), and
 * keeping each one's text (650 characters) had every young-generation collection copy it twice for nothing: about
 * 0.2 s of a cohort's CPU (docs/performance.md). A shared therapy's text is kept once each of its contributions' is.
 */
const seenOnce = new WeakSet<object>();

/** A plain object JSON.stringify writes field by field (no toJSON, no class). */
const plain = (o: unknown): o is Record<string, unknown> =>
  typeof o === 'object' && o !== null && !Array.isArray(o) && Object.getPrototypeOf(o) === Object.prototype && !('toJSON' in o);

/** JSON.stringify of an array element (undefined, functions and symbols become null). */
const elementJson = (v: unknown) => JSON.stringify(v) ?? 'null';

function contributionJson(c: unknown): string {
  // Only frozen plain objects are ever remembered, so a remembered text is the fast path.
  const known = typeof c === 'object' && c !== null ? texts.get(c as EvidenceContribution) : undefined;
  if (known !== undefined) return known;
  const text = elementJson(c);
  if (plain(c) && Object.isFrozen(c)) {
    if (seenOnce.has(c)) texts.set(c as EvidenceContribution, text);
    else seenOnce.add(c);
  }
  return text;
}

/** Write one object's fields as JSON.stringify would, with `special` writing the values of some keys. */
function objectJson(o: Record<string, unknown>, parts: string[], special: (key: string, value: unknown, parts: string[]) => boolean): void {
  parts.push('{');
  let first = true;
  for (const key of Object.keys(o)) {
    const value = o[key];
    // JSON.stringify leaves out undefined, functions and symbols in objects.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    parts.push(first ? '' : ',', scalarJson(key), ':');
    first = false;
    if (!special(key, value, parts)) parts.push(JSON.stringify(value));
  }
  parts.push('}');
}

function evidenceJson(key: string, value: unknown, parts: string[]): boolean {
  if (key !== 'evidence' || !Array.isArray(value) || 'toJSON' in value) return false;
  parts.push('[');
  for (let i = 0; i < value.length; i++) {
    if (i > 0) parts.push(',');
    parts.push(contributionJson(value[i]));
  }
  parts.push(']');
  return true;
}

/**
 * The keys of a RankedTherapy in the order rank.ts builds it: such a therapy is written from a template. A therapy
 * on-label by its labels has one more, last: `labelled` (rank.ts), a list of {drug, agency, tumour} of strings.
 */
const THERAPY_KEYS = ['id', 'drugs', 'score', 'positive', 'negative', 'class', 'tier', 'oncokb', 'alterations', 'evidence'];
const LABELLED_KEYS = [...THERAPY_KEYS, 'labelled'];
const LABEL_KEYS = ['drug', 'agency', 'tumour'];

/** A `labelled` list of the shape rank.ts builds, which the template writes; anything else takes the general path. */
function labelList(v: unknown): v is ReadonlyArray<{ drug: string; agency: string; tumour: string }> {
  if (!Array.isArray(v) || 'toJSON' in v) return false;
  for (let i = 0; i < v.length; i++) {
    const l = v[i] as unknown;
    if (!plain(l) || !sameItems(Object.keys(l), LABEL_KEYS) || typeof l.drug !== 'string' || typeof l.agency !== 'string' || typeof l.tumour !== 'string') return false;
  }
  return true;
}

/** The same elements, in the same order (by identity). */
function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
/** A value JSON.stringify writes as itself: a string, a finite number, a boolean or null. */
const scalar = (v: unknown) => v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
/** An array of strings JSON.stringify writes element by element (no `toJSON` of its own). */
function stringArray(v: unknown): boolean {
  if (!Array.isArray(v) || 'toJSON' in v) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
}

/**
 * A string's JSON. Most strings need no escape (no quote, backslash, control character or surrogate), and are
 * written as they are: faster than JSON.stringify, which checks every character in Node 20's V8. Everything else
 * goes to JSON.stringify, which escapes it (and lone surrogates) its own way.
 */
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;
const quote = (s: string) => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

/** An array of strings (stringArray holds) as JSON. */
function stringsJson(v: readonly string[]): string {
  let text = '[';
  for (let i = 0; i < v.length; i++) text += (i > 0 ? ',' : '') + quote(v[i]!);
  return `${text}]`;
}

/** The keys of a RankedAlteration in the order rank.ts builds it. */
const ALTERATION_KEYS = ['key', 'label', 'kind', 'gene', 'driver', 'matched'];

/** A result's alterations, each of the ranked-alteration shape written from a template (else JSON.stringify). */
function alterationsJson(value: unknown[], parts: string[]): void {
  parts.push('[');
  for (let i = 0; i < value.length; i++) {
    if (i > 0) parts.push(',');
    const a = value[i];
    if (
      !plain(a) || !sameItems(Object.keys(a), ALTERATION_KEYS) || typeof a.key !== 'string' || typeof a.label !== 'string' ||
      typeof a.kind !== 'string' || typeof a.gene !== 'string' || typeof a.driver !== 'string' || !stringArray(a.matched)
    ) {
      parts.push(elementJson(a));
      continue;
    }
    parts.push(
      `{"key":${quote(a.key)},"label":${quote(a.label)},"kind":${quote(a.kind)},"gene":${quote(a.gene)},"driver":${quote(a.driver)},"matched":${stringsJson(a.matched as string[])}}`,
    );
  }
  parts.push(']');
}

/** A scalar's JSON: numbers and booleans as String writes them (the same text for finite numbers), strings remembered. */
const stringTexts = new Map<string, string>();
function scalarJson(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') return 'null';
  let text = stringTexts.get(v);
  if (text === undefined) {
    text = quote(v);
    // Class, tier and level names: a handful of values. The bound keeps an unusual caller from growing it.
    if (stringTexts.size < 1000) stringTexts.set(v, text);
  }
  return text;
}

/**
 * Values that rankings share: ranked therapies resting on one shared contribution (server/scoring/rank.ts hands
 * out one frozen object for each, most of a cohort's), and the knowledge-base and scoring entries of a result.
 * Their identity is their content, so their text is found by identity alone, once written.
 */
const shared = new WeakSet<object>();
const sharedTexts = new WeakMap<object, string>();

/**
 * Freeze a value and mark it as shared. Its own fields must be data, and its lists and contributions frozen (a
 * ranked therapy's lists are checked again before its text is kept); only ranking calls this.
 */
export function shareValue<T extends object>(value: T): Readonly<T> {
  shared.add(Object.freeze(value));
  return value;
}
const sealed = (t: object, drugs: readonly string[], alterations: readonly string[], evidence: readonly unknown[], labelled: unknown) =>
  shared.has(t) && Object.isFrozen(drugs) && Object.isFrozen(alterations) && Object.isFrozen(evidence) &&
  // Labels marked as shared by ranking (frozen plain data), not merely frozen: a frozen object may still have a getter.
  (labelled === undefined || (shared.has(labelled as object) && (labelled as readonly object[]).every((l) => shared.has(l))));

function therapyJson(t: Record<string, unknown>, parts: string[]): void {
  const sharedText = sharedTexts.get(t);
  if (sharedText !== undefined) {
    parts.push(sharedText);
    return;
  }
  // The template writes exactly what JSON.stringify would for this shape; anything else takes the general path.
  const keys = Object.keys(t);
  const labelled = keys.length === LABELLED_KEYS.length ? t.labelled : undefined;
  if (
    !(sameItems(keys, THERAPY_KEYS) || (sameItems(keys, LABELLED_KEYS) && labelList(labelled))) ||
    typeof t.id !== 'string' || !stringArray(t.drugs) || !scalar(t.score) || !scalar(t.positive) || !scalar(t.negative) ||
    !scalar(t.class) || !scalar(t.tier) || !scalar(t.oncokb) || !stringArray(t.alterations) || !Array.isArray(t.evidence) ||
    'toJSON' in t.evidence
  ) {
    objectJson(t, parts, evidenceJson);
    return;
  }
  const evidence = t.evidence as unknown[];
  const drugs = t.drugs as string[];
  const alterations = t.alterations as string[];
  const own: string[] = [
    `{"id":${quote(t.id)},"drugs":${stringsJson(drugs)},"score":` + scalarJson(t.score) + ',"positive":' + scalarJson(t.positive) + ',"negative":' + scalarJson(t.negative) +
      ',"class":' + scalarJson(t.class) + ',"tier":' + scalarJson(t.tier) + ',"oncokb":' + scalarJson(t.oncokb) +
      ',"alterations":' + JSON.stringify(alterations) + ',"evidence":',
  ];
  evidenceJson('evidence', evidence, own);
  // labelList held: plain {drug, agency, tumour} of strings, in that order, which JSON.stringify writes as they are.
  if (labelled !== undefined) own.push(',"labelled":' + JSON.stringify(labelled));
  own.push('}');
  const text = own.join('');
  parts.push(text);
  // Kept for a shared therapy whose every contribution is frozen (its identity is its content) and remembered (plain).
  if (
    sealed(t, drugs, alterations, evidence, labelled) &&
    evidence.every((e) => typeof e === 'object' && e !== null && Object.isFrozen(e) && texts.has(e as EvidenceContribution))
  ) {
    sharedTexts.set(t, text);
  }
}

/** A rank result's own fields: its therapies, alterations and warnings written in place, the rest by JSON.stringify. */
function resultFieldJson(key: string, value: unknown, parts: string[]): boolean {
  if (key === 'therapies') return therapiesJson(value, parts);
  if ((key === 'kb' || key === 'scoring') && typeof value === 'object' && value !== null && shared.has(value)) {
    // One shared object per knowledge base and per agency (rank.ts): written once.
    let text = sharedTexts.get(value);
    if (text === undefined) sharedTexts.set(value, (text = JSON.stringify(value)));
    parts.push(text);
    return true;
  }
  if (!Array.isArray(value) || 'toJSON' in value) return false;
  if (key === 'alterations') {
    alterationsJson(value, parts);
    return true;
  }
  if (key === 'warnings' && stringArray(value)) {
    parts.push(stringsJson(value));
    return true;
  }
  return false;
}

function therapiesJson(value: unknown, parts: string[]): boolean {
  if (!Array.isArray(value) || 'toJSON' in value) return false;
  parts.push('[');
  for (let i = 0; i < value.length; i++) {
    const t = value[i] as unknown;
    if (i > 0) parts.push(',');
    if (plain(t)) therapyJson(t, parts);
    else parts.push(elementJson(t));
  }
  parts.push(']');
  return true;
}

/**
 * `JSON.stringify(result)` for a rank result, or any object holding its fields and more (the API adds reader
 * warnings and `sampleIds`): the same text, with the contributions' text reused.
 */
export function rankResultJson(result: RankResult | (Record<string, unknown> & Pick<RankResult, 'therapies'>)): string {
  if (!plain(result)) return JSON.stringify(result);
  const parts: string[] = [];
  objectJson(result, parts, resultFieldJson);
  return parts.join('');
}
