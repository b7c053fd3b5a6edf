/** The CaseStore contract on the embedded SQLite store (a fresh file per test). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteCaseStore } from '../../server/store/sqlite/store.ts';
import { caseStoreContract } from './case-store.contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'mtbnet-contract-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

caseStoreContract('sqlite', async () => new SqliteCaseStore({ file: join(dir, `store-${++n}.sqlite`) }));
