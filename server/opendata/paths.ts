/** Where the open data lives: `--data DIR`, else MTBNET_OPEN_DATA, else ../shared/data beside the repository. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function openDataDir(given?: string): string {
  return resolve(given ?? process.env.MTBNET_OPEN_DATA ?? join(REPO_ROOT, '..', 'shared', 'data'));
}

export function hasOpenData(dir: string): boolean {
  return existsSync(join(dir, 'civic')) || existsSync(join(dir, 'cgi'));
}

export const CIVIC_2021 = (dir: string) => join(dir, 'civic', '01-Aug-2021');
export const CGI_FILE = (dir: string) => join(dir, 'cgi', 'cgi_biomarkers_per_variant.tsv');
