/** Accounts on a real SQLite file: the last enabled admin cannot be disabled or lose the role. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../server/domain/errors.ts';
import { Accounts, LAST_ADMIN_KEPT } from '../../../server/security/accounts.ts';
import type { OidcIdentity } from '../../../server/security/oidc.ts';
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

describe('the last enabled admin signing in through the provider', () => {
  const carol = (roles: OidcIdentity['roles'], claimValues: string[]): OidcIdentity => ({
    issuer: 'https://idp.hospital.example', subject: 'c-42', username: 'carol', name: 'Carol Chair', roles, claimValues,
  });
  const lastRoles = (accounts: Accounts) => accounts.audit.list({ newestFirst: true }).find((e) => e.action === 'users.roles');

  it('keeps the admin role the groups no longer give while no other admin is enabled, says so in the audit log, and gives it up once there is one', async () => {
    const { store, accounts } = openAccounts();
    try {
      await accounts.addUser({ username: 'root', password: PASSWORD, roles: ['admin'] }, 'setup', { firstAdmin: true });
      await accounts.signInWithOidc(carol(['admin', 'curator'], ['mtb-admins', 'mtb-curators']));
      // An installation run through the provider alone: the local admin goes once carol is an admin.
      accounts.setDisabled('root', true, 'carol');

      // The provider drops the admin group: carol stays admin (else nobody could manage accounts), and curator.
      const kept = await accounts.signInWithOidc(carol(['curator'], ['mtb-curators']));
      expect(kept.user.roles).toEqual(['admin', 'curator']);
      expect(accounts.getUser('carol')).toMatchObject({ roles: ['admin', 'curator'], disabled: false });
      expect(lastRoles(accounts)).toMatchObject({
        actor: 'oidc', target: 'carol', before: { roles: ['admin', 'curator'] },
        after: { roles: ['admin', 'curator'], via: 'oidc', claimValues: ['mtb-curators'], keptAdmin: LAST_ADMIN_KEPT },
      });
      // Other roles still follow the provider.
      expect((await accounts.signInWithOidc(carol(['curator', 'viewer'], ['mtb-curators', 'mtb-board']))).user.roles).toEqual(['admin', 'curator', 'viewer']);
      expect(lastRoles(accounts)!.after).toMatchObject({ roles: ['admin', 'curator', 'viewer'], keptAdmin: LAST_ADMIN_KEPT });

      // With another enabled admin, the provider's answer stands.
      accounts.setDisabled('root', false, 'carol');
      const demoted = await accounts.signInWithOidc(carol(['curator'], ['mtb-curators']));
      expect(demoted.user.roles).toEqual(['curator']);
      expect(lastRoles(accounts)).toMatchObject({ before: { roles: ['admin', 'curator', 'viewer'] }, after: { roles: ['curator'] } });
      expect(lastRoles(accounts)!.after).not.toHaveProperty('keptAdmin');
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
