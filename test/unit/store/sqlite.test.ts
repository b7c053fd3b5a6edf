/** The SQLite file itself: durability settings, schema version, immutable snapshots, where it lives. */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteCaseStore } from '../../../server/store/sqlite/store.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../server/store/sqlite/migrations.ts';
import { openStore, storeConfigFromEnv } from '../../../server/store/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'mtbnet-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the SQLite case store', () => {
  it('creates its folder and runs with WAL, synchronous=FULL and foreign keys', async () => {
    const store = new SqliteCaseStore({ file: join(dir, 'nested', 'data', 'cases.sqlite') });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.info()).toMatchObject({ kind: 'sqlite', schemaVersion: SCHEMA_VERSION });
    await store.close();
  });

  it('migrates once: reopening keeps the schema version and the data', async () => {
    const file = join(dir, 'reopen.sqlite');
    const a = new SqliteCaseStore({ file });
    a.db.prepare(`INSERT INTO cases VALUES ('C1', NULL, 'new', 't', 't')`).run();
    await a.close();
    const b = new SqliteCaseStore({ file });
    expect(b.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(b.db.prepare('SELECT id FROM cases').all()).toEqual([{ id: 'C1' }]);
    await b.close();
  });

  it('gives the profiles of a version 1 database their summaries and search texts (migration 2), and the case list finds them', async () => {
    const file = join(dir, 'v1.sqlite');
    const v1 = new Database(file);
    v1.exec(MIGRATIONS[0]!.sql);
    v1.pragma('user_version = 1');
    const profile = { id: 'C1', tumourType: 'COADREAD', alterations: [{ key: 'KRAS:p.G12D', label: 'KRAS G12D', gene: 'KRAS', kind: 'mutation' }] };
    v1.exec(`INSERT INTO cases VALUES ('C1', 'COADREAD', 'new', 't1', 't1'), ('C2', 'LUAD', 'new', 't2', 't2')`);
    v1.prepare(`INSERT INTO profiles VALUES ('C1', 1, NULL, NULL, 't1', ?)`).run(JSON.stringify(profile));
    v1.prepare(`INSERT INTO profiles VALUES ('C2', 1, NULL, NULL, 't2', ?)`).run(JSON.stringify({ ...profile, id: 'C2', alterations: [] }));
    // A profile without its list (written by hand): summarised as empty, the store still opens.
    v1.exec(`INSERT INTO cases VALUES ('C3', NULL, 'new', 't0', 't0'); INSERT INTO profiles VALUES ('C3', 1, NULL, NULL, 't0', '{}')`);
    v1.close();
    const store = new SqliteCaseStore({ file });
    expect(store.info().schemaVersion).toBe(SCHEMA_VERSION);
    const page = (terms: string[]) => store.pageCaseSummaries({ terms, limit: 10, offset: 0 });
    expect(await page(['kras', 'g12d'])).toEqual({
      cases: [{ id: 'C1', tumourType: 'COADREAD', status: 'new', createdAt: 't1', updatedAt: 't1', alterations: [{ key: 'KRAS:p.G12D', label: 'KRAS G12D', gene: 'KRAS' }], top: [] }],
      total: 1, limit: 10, offset: 0,
    });
    expect((await page([])).cases.map((c) => c.id)).toEqual(['C2', 'C1', 'C3']);
    expect((await page(['c3'])).cases[0]!.alterations).toEqual([]);
    expect((await page(['luad'])).cases.map((c) => c.id)).toEqual(['C2']);
    await store.close();
  });

  it('refuses a database written by a newer mtbnet', () => {
    const file = join(dir, 'newer.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new SqliteCaseStore({ file })).toThrow(/newer than this mtbnet/);
  });

  it('refuses to change or delete a ranking snapshot', async () => {
    const store = new SqliteCaseStore({ file: ':memory:' });
    store.db.exec(`
      INSERT INTO cases VALUES ('C1', NULL, 'new', 't', 't');
      INSERT INTO profiles (case_id, seq, sample, collected_on, created_at, profile) VALUES ('C1', 1, NULL, NULL, 't', '{}');
      INSERT INTO snapshots VALUES ('S1', 'C1', 1, 't', 'kb', '1', 'h', '1', 'FDA', '[]', '{}');`);
    expect(() => store.db.prepare(`UPDATE snapshots SET result = '{"x":1}'`).run()).toThrow(/immutable/);
    expect(() => store.db.prepare('DELETE FROM snapshots').run()).toThrow(/immutable/);
    await store.close();
  });

  it('lives in ./data by default, MTBNET_DATA_DIR or --data elsewhere', async () => {
    expect(storeConfigFromEnv({})).toEqual({ dataDir: 'data', neo4j: undefined });
    expect(storeConfigFromEnv({ MTBNET_DATA_DIR: '/srv/mtb' }).dataDir).toBe('/srv/mtb');
    expect(storeConfigFromEnv({ MTBNET_DATA_DIR: '/srv/mtb' }, { dataDir: 'x' }).dataDir).toBe('x');
    expect(storeConfigFromEnv({ NEO4J_URI: 'bolt://h:7687', NEO4J_PASSWORD: 'p' }).neo4j).toMatchObject({ uri: 'bolt://h:7687', user: 'neo4j' });
    const store = await openStore({ dataDir: join(dir, 'fresh') });
    expect(existsSync(join(dir, 'fresh', 'mtbnet.sqlite'))).toBe(true);
    await store.close();
  });
});

describe('the security schema', () => {
  it('moves a store of the previous version (2) to back-channel logout, keeping its sessions', async () => {
    const { SECURITY_MIGRATIONS, SECURITY_SCHEMA_VERSION, migrateSecurity } = await import('../../../server/store/sqlite/security-migrations.ts');
    const { SqliteSecurityStore } = await import('../../../server/store/sqlite/security-store.ts');
    const db = new Database(':memory:');
    db.exec('CREATE TABLE security_schema (version INTEGER NOT NULL) STRICT');
    for (const m of SECURITY_MIGRATIONS.filter((x) => x.version <= 2)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO security_schema (version) VALUES (?)').run(m.version);
    }
    db.prepare("INSERT INTO users (id, roles, password_hash, created_at, updated_at) VALUES ('ann', 'viewer', 'x', 't', 't')").run();
    db.prepare("INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, expires_at) VALUES ('h1', 'ann', 'c', 1, 1, 9999999999999)").run();
    expect(migrateSecurity(db)).toBe(SECURITY_SCHEMA_VERSION);
    expect(SECURITY_SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
    const store = new SqliteSecurityStore(db);
    expect(store.getSession('h1')).toMatchObject({ userId: 'ann', csrf: 'c' });
    // The old session has no provider session: a logout by sid leaves it, one by the account ends it.
    expect(store.deleteOidcSessions({ sid: 'some-sid' })).toBe(0);
    expect(store.noteLogoutToken('j1', 100, 0)).toBe(true);
    expect(store.noteLogoutToken('j1', 100, 50)).toBe(false);
    expect(store.noteLogoutToken('j1', 300, 200)).toBe(true); // expired by then, so taken anew
    // A token naming the account and a provider session also ends the account's sessions that carry none.
    db.prepare("INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, expires_at, oidc_sid) VALUES ('h2', 'ann', 'c', 1, 1, 9999999999999, 'sid-2')").run();
    db.prepare("INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, expires_at, oidc_sid) VALUES ('h3', 'ann', 'c', 1, 1, 9999999999999, 'sid-3')").run();
    expect(store.takeLogoutToken('j2', 1000, 0, { sid: 'sid-2', userId: 'ann' })).toBe(2);
    expect(store.getSession('h1')).toBeUndefined();
    expect(store.getSession('h3')).toMatchObject({ userId: 'ann' });
    // A replay ends nothing, in the same transaction as the note.
    expect(store.takeLogoutToken('j2', 1000, 10, { userId: 'ann' })).toBeUndefined();
    expect(store.getSession('h3')).toMatchObject({ userId: 'ann' });
    expect(store.deleteOidcSessions({ userId: 'ann' })).toBe(1);
    db.close();
  });
});
