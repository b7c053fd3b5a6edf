/** Accounts on a real SQLite file: the last enabled admin cannot be disabled or lose the role. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../server/domain/errors.ts';
import { Accounts } from '../../../server/security/accounts.ts';
import { SqliteSecurityStore } from '../../../server/store/sqlite/security-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const PASSWORD = 'correct horse battery staple 42';

/** Accounts on a new SQLite file in a folder of its own (removed after the test). */
function openAccounts(): { store: SqliteSecurityStore; accounts: Accounts } {
  const dir = mkdtempSync(join(tmpdir(), 'mtbnet-accounts-'));
  dirs.push(dir);
  const store = new SqliteSecurityStore({ file: join(dir, 'mtbnet.sqlite') });
  return { store, accounts: new Accounts(store) };
}

describe('the last enabled admin', () => {
  it('cannot be disabled or lose the admin role while no other admin is enabled; can once there is one', async () => {
    const { store, accounts } = openAccounts();
    try {
      await accounts.addUser({ username: 'root', password: PASSWORD, roles: ['admin'] }, 'setup', { firstAdmin: true });
      await accounts.addUser({ username: 'dr.lee', password: PASSWORD, roles: ['clinician'] }, 'root');
      expect(() => accounts.setDisabled('root', true, 'root')).toThrow(ConflictError);
      expect(() => accounts.setDisabled('root', true, 'root')).toThrow(/"root" is the last enabled admin; make another account admin first/);
      expect(() => accounts.setRoles('root', ['clinician'], 'root')).toThrow(/last enabled admin/);
      expect(accounts.listUsers().find((u) => u.id === 'root')).toMatchObject({ roles: ['admin'], disabled: false });
      // A disabled admin does not count.
      await accounts.addUser({ username: 'old.admin', password: PASSWORD, roles: ['admin'] }, 'root');
      accounts.setDisabled('old.admin', true, 'root');
      expect(() => accounts.setDisabled('root', true, 'root')).toThrow(/last enabled admin/);
      // With another enabled admin, either may step down; other accounts are never held.
      accounts.setRoles('dr.lee', ['clinician', 'admin'], 'root');
      expect(accounts.setRoles('root', ['viewer'], 'dr.lee').roles).toEqual(['viewer']);
      expect(() => accounts.setDisabled('dr.lee', true, 'dr.lee')).toThrow(/last enabled admin/);
      expect(accounts.setDisabled('old.admin', false, 'dr.lee').disabled).toBe(false);
    } finally {
      store.close();
    }
  });
});

describe('a password holding the username', () => {
  it('is refused when an account is made or its password set, whatever the case, and nothing is stored', async () => {
    const { store, accounts } = openAccounts();
    try {
      await expect(accounts.addUser({ username: 'Chief', password: 'chief-of-the-board-2026', roles: ['admin'] }, 'setup', { firstAdmin: true })).rejects.toMatchObject({
        code: 'weak_password',
        status: 400,
        details: [{ path: 'password', message: 'a password must not contain the username' }],
      });
      expect(accounts.listUsers()).toEqual([]);
      await accounts.addUser({ username: 'chief', password: PASSWORD, roles: ['admin'] }, 'setup', { firstAdmin: true });
      await expect(accounts.setPassword('chief', 'my name is CHIEF, 12345', 'chief')).rejects.toMatchObject({ code: 'weak_password' });
      expect(await accounts.checkPassword('chief', PASSWORD)).toBe(true);
      // A short name is no reason to refuse (every password holds "dr" somewhere, sooner or later).
      await accounts.addUser({ username: 'jo', password: 'jo and the board 2026', roles: ['viewer'] }, 'chief');
    } finally {
      store.close();
    }
  });
});
