/**
 * Pseudonymous sample IDs (DESIGN §1, problem 5: no names, birth dates or
 * record numbers). Lab files name their samples (VCF sample columns, the MAF
 * Tumor_Sample_Barcode, a sample column of a copy-number or fusion table) and
 * are named themselves; those names are often built from the patient's name,
 * birth date or record number. The readers turn such a name into a profile id
 * through `ReadOptions.sampleId`; the engine passes `SampleNaming.idFor`, so
 * a name the user did not map to a case ID of their own becomes
 * `S-` + 12 hex digits of HMAC-SHA256 under the installation's key
 * (`pseudonymousId`): the same name gives the same ID in one installation,
 * and the name cannot be read back without the key.
 *
 * The key and where it lives: pseudonym-key.ts.
 */
import { InvalidInputError, type ErrorDetail } from '../domain/errors.ts';
import { CASE_ID } from '../domain/profile.ts';
import { pseudonymousId } from './privacy.ts';

/** Which input name became which profile id: told to the uploader only, never stored or logged. */
export interface SampleIdEntry {
  /** The name as the input gave it (a sample column, or the file's name). */
  sample: string;
  id: string;
  /** `mapped`: the user's own id (a sample map, or the id given with the upload); `pseudonym`: the keyed hash. */
  how: 'pseudonym' | 'mapped';
}

/**
 * Names taken from one input, and the ids they became. `idFor` is what the
 * readers call (`ReadOptions.sampleId`); `entries()` is the list for the
 * uploader. The key is asked for only when a name needs a pseudonym.
 */
export class SampleNaming {
  private readonly seen = new Map<string, SampleIdEntry>();
  private readonly used = new Set<string>();

  constructor(
    private readonly key: () => Buffer,
    private readonly map: ReadonlyMap<string, string> = new Map(),
  ) {}

  readonly idFor = (name: string, fallback = 'profile'): string => {
    const known = this.seen.get(name);
    if (known) return known.id;
    const trimmed = name.trim();
    if (trimmed === '') return fallback;
    const key = this.map.has(name) ? name : trimmed;
    const mapped = this.map.get(key);
    if (mapped !== undefined) this.used.add(key);
    const entry: SampleIdEntry = mapped !== undefined
      ? { sample: name, id: mapped, how: 'mapped' }
      : { sample: name, id: pseudonymousId(trimmed, this.key()), how: 'pseudonym' };
    this.seen.set(name, entry);
    return entry.id;
  };

  /** The profile that got `fromId` is named `toId` by the user (an id given with a one-profile upload). */
  rename(fromId: string, toId: string): void {
    for (const [name, e] of this.seen) if (e.id === fromId) this.seen.set(name, { sample: name, id: toId, how: 'mapped' });
  }

  entries(): SampleIdEntry[] {
    return [...this.seen.values()];
  }

  /** How many names became pseudonyms. */
  get pseudonyms(): number {
    let n = 0;
    for (const e of this.seen.values()) if (e.how === 'pseudonym') n++;
    return n;
  }

  /** Names of the map that the input did not hold. */
  unused(): number {
    return this.map.size - this.used.size;
  }
}

const MAP_HEADER = /^(sample|sample[_ ]?id|sample[_ ]?name|tumou?r_sample_barcode|name)$/i;

/**
 * Check a user's sample map (sample name -> case ID): every id a valid
 * pseudonymous case ID, no sample twice, no two samples under one id. Each
 * entry carries where it came from (a file line, a JSON path) for the errors.
 */
export function checkSampleMap(entries: Iterable<{ name: string; id: string; at: { path?: string; line?: number } }>, module = 'privacy/sample-map'): Map<string, string> {
  const map = new Map<string, string>();
  const owner = new Map<string, string>();
  const details: ErrorDetail[] = [];
  for (const { name: rawName, id: rawId, at } of entries) {
    const name = rawName.trim();
    const id = rawId.trim();
    if (name === '') details.push({ ...at, message: 'the sample name is empty' });
    else if (!CASE_ID.test(id)) details.push({ ...at, message: `"${id}" is not a case ID: letters, digits, . _ : - (at most 64), starting with a letter or digit` });
    else if (map.has(name) && map.get(name) !== id) details.push({ ...at, message: 'this sample is mapped twice, to different case IDs' });
    else if (owner.has(id) && owner.get(id) !== name) details.push({ ...at, message: `case ID "${id}" is given to two samples` });
    else {
      map.set(name, id);
      owner.set(id, name);
    }
    if (details.length >= 50) break;
  }
  if (details.length > 0) throw new InvalidInputError(`${module}: ${details.length} bad entr${details.length === 1 ? 'y' : 'ies'}`, details);
  return map;
}

/**
 * Read a sample map file: one `sample<TAB>case-id` (or comma-separated) pair
 * per line; blank lines and `#` comments are skipped, and a first line naming
 * the columns (`sample`, `case_id`) is a header.
 */
export function parseSampleMap(text: string, source = 'sample map'): Map<string, string> {
  const entries: Array<{ name: string; id: string; at: { path: string; line: number } }> = [];
  const bad: ErrorDetail[] = [];
  let first = true;
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const cells = (line.includes('\t') ? line.split('\t') : line.split(',')).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    const header = first && MAP_HEADER.test(cells[0] ?? '');
    first = false;
    if (header) return;
    if (cells.length !== 2 || cells[1] === '') {
      if (bad.length < 50) bad.push({ path: source, line: i + 1, message: `expected two columns, the sample name and its case ID (tab- or comma-separated); found ${cells.length}` });
      return;
    }
    entries.push({ name: cells[0]!, id: cells[1]!, at: { path: source, line: i + 1 } });
  });
  if (bad.length > 0) throw new InvalidInputError(`privacy/sample-map: ${source} cannot be read`, bad);
  return checkSampleMap(entries);
}
