/** Single sign-on settings and the claim -> role mapping, as an administrator writes and a provider sends them. */
import { describe, expect, it } from 'vitest';
import { usernameFromClaim } from '../../../server/security/accounts.ts';
import { claimAt, oidcSettingsFromEnv, OidcConfigError, parseRoleMap, rolesFromClaims } from '../../../server/security/oidc.ts';

const BASE = {
  MTBNET_OIDC_ISSUER: 'https://sso.hospital.example/realms/mtb',
  MTBNET_OIDC_CLIENT_ID: 'mtbnet',
  MTBNET_OIDC_CLIENT_SECRET: 's3cret-from-the-provider',
  MTBNET_OIDC_REDIRECT_URI: 'https://mtbnet.hospital.example/api/auth/oidc/callback',
  MTBNET_OIDC_ROLE_MAP: 'mtb-admins=admin, mtb-board=viewer',
};

describe('single sign-on settings from the environment', () => {
  it('is off without an issuer, and fills the defaults with one', () => {
    expect(oidcSettingsFromEnv({})).toBeUndefined();
    const s = oidcSettingsFromEnv(BASE)!;
    expect(s).toMatchObject({
      clientId: 'mtbnet', name: 'sso.hospital.example', scopes: ['openid', 'profile', 'email'], roleClaim: 'groups',
      usernameClaim: 'preferred_username', tokenAuthMethod: 'client_secret_basic', defaultRole: undefined,
    });
    expect(s.issuer.href).toBe('https://sso.hospital.example/realms/mtb');
    expect([...s.roleMap]).toEqual([['mtb-admins', ['admin']], ['mtb-board', ['viewer']]]);
    // Signing out of mtbnet leaves the provider's session unless asked; the board is where the provider sends one back.
    expect(s.logout).toBe('local');
    expect(s.postLogoutRedirectUri.href).toBe('https://mtbnet.hospital.example/');
  });

  it('reads every setting', () => {
    const s = oidcSettingsFromEnv({
      ...BASE, MTBNET_OIDC_CLIENT_SECRET: '', MTBNET_OIDC_NAME: 'Klinikum SSO', MTBNET_OIDC_SCOPES: 'profile groups', MTBNET_OIDC_ROLE_CLAIM: 'realm_access.roles',
      MTBNET_OIDC_DEFAULT_ROLE: 'viewer', MTBNET_OIDC_USERNAME_CLAIM: 'email', MTBNET_OIDC_TOKEN_AUTH_METHOD: 'none',
      MTBNET_OIDC_LOGOUT: 'provider',
    })!;
    expect(s).toMatchObject({
      name: 'Klinikum SSO', scopes: ['openid', 'profile', 'groups'], roleClaim: 'realm_access.roles', defaultRole: 'viewer',
      usernameClaim: 'email', tokenAuthMethod: 'none', clientSecret: undefined, logout: 'provider',
    });
  });

  it.each([
    [{ MTBNET_OIDC_CLIENT_ID: 'x' }, /MTBNET_OIDC_CLIENT_ID set but MTBNET_OIDC_ISSUER is not/],
    [{ ...BASE, MTBNET_OIDC_CLIENT_ID: '' }, /set MTBNET_OIDC_CLIENT_ID/],
    [{ ...BASE, MTBNET_OIDC_REDIRECT_URI: '' }, /set MTBNET_OIDC_REDIRECT_URI/],
    [{ ...BASE, MTBNET_OIDC_ISSUER: 'not a url' }, /MTBNET_OIDC_ISSUER is not a URL/],
    [{ ...BASE, MTBNET_OIDC_ISSUER: 'http://sso.hospital.example' }, /must use https \(http is allowed on a loopback address only\)/],
    [{ ...BASE, MTBNET_OIDC_REDIRECT_URI: 'https://mtbnet.hospital.example/callback' }, /must end in \/api\/auth\/oidc\/callback/],
    [{ ...BASE, MTBNET_OIDC_ROLE_MAP: '' }, /no one could sign in/],
    [{ ...BASE, MTBNET_OIDC_ROLE_MAP: 'mtb-admins=root' }, /"root" for "mtb-admins" is not one of admin, curator, clinician, viewer/],
    [{ ...BASE, MTBNET_OIDC_ROLE_MAP: 'mtb-admins' }, /is not value=role/],
    [{ ...BASE, MTBNET_OIDC_ROLE_MAP: '{"a": ' }, /not valid JSON/],
    [{ ...BASE, MTBNET_OIDC_DEFAULT_ROLE: 'guest' }, /MTBNET_OIDC_DEFAULT_ROLE: "guest"/],
    [{ ...BASE, MTBNET_OIDC_TOKEN_AUTH_METHOD: 'private_key_jwt' }, /MTBNET_OIDC_TOKEN_AUTH_METHOD/],
    [{ ...BASE, MTBNET_OIDC_CLIENT_SECRET: '', MTBNET_OIDC_TOKEN_AUTH_METHOD: 'client_secret_post' }, /client_secret_post needs MTBNET_OIDC_CLIENT_SECRET/],
    [{ ...BASE, MTBNET_OIDC_LOGOUT: 'everywhere' }, /MTBNET_OIDC_LOGOUT: "everywhere" is not local \(sign out of mtbnet only\) or provider/],
  ])('refuses to start half-configured: %o', (env, message) => {
    expect(() => oidcSettingsFromEnv(env)).toThrow(OidcConfigError);
    expect(() => oidcSettingsFromEnv(env)).toThrow(message);
  });

  it('allows a provider over http on this machine (development, tests)', () => {
    const s = oidcSettingsFromEnv({ ...BASE, MTBNET_OIDC_ISSUER: 'http://localhost:8080/realms/mtb', MTBNET_OIDC_REDIRECT_URI: 'http://127.0.0.1:3000/api/auth/oidc/callback' })!;
    expect(s.issuer.protocol).toBe('http:');
  });
});

describe('claims to roles', () => {
  const settings = {
    roleClaim: 'groups',
    roleMap: parseRoleMap('/mtb/admins=admin; pathology=clinician\npathology=curator, board=viewer'),
    defaultRole: undefined,
  };

  it('reads group=role lists (commas, semicolons, lines) and JSON, values accumulating', () => {
    expect([...settings.roleMap]).toEqual([['/mtb/admins', ['admin']], ['pathology', ['clinician', 'curator']], ['board', ['viewer']]]);
    expect([...parseRoleMap('{"pathology": ["clinician", "curator"], "board": "viewer"}')]).toEqual([['pathology', ['clinician', 'curator']], ['board', ['viewer']]]);
  });

  it('gives every mapped value its roles, in the usual order, and ignores the rest', () => {
    expect(rolesFromClaims({ groups: ['board', 'pathology', 'radiology'] }, settings)).toEqual(['curator', 'clinician', 'viewer']);
    expect(rolesFromClaims({ groups: '/mtb/admins' }, settings)).toEqual(['admin']);
  });

  it('refuses (no role) when nothing maps, unless there is a default role', () => {
    expect(rolesFromClaims({ groups: ['radiology'] }, settings)).toEqual([]);
    expect(rolesFromClaims({}, settings)).toEqual([]);
    expect(rolesFromClaims({ groups: [42, null] }, settings)).toEqual([]);
    expect(rolesFromClaims({ groups: ['radiology'] }, { ...settings, defaultRole: 'viewer' })).toEqual(['viewer']);
    // A mapped value wins over the default.
    expect(rolesFromClaims({ groups: ['pathology'] }, { ...settings, defaultRole: 'viewer' })).toEqual(['curator', 'clinician']);
  });

  it('reaches nested claims (Keycloak realm roles) and namespaced claim names', () => {
    const claims = { realm_access: { roles: ['board', 'offline_access'] }, 'https://mtbnet.example/roles': ['pathology'] };
    expect(claimAt(claims, 'realm_access.roles')).toEqual(['board', 'offline_access']);
    expect(rolesFromClaims(claims, { ...settings, roleClaim: 'realm_access.roles' })).toEqual(['viewer']);
    expect(rolesFromClaims(claims, { ...settings, roleClaim: 'https://mtbnet.example/roles' })).toEqual(['curator', 'clinician']);
    expect(claimAt(claims, 'realm_access.missing.deeper')).toBeUndefined();
    expect(claimAt({ a: { constructor: 1 } }, 'a.toString')).toBeUndefined();
  });
});

describe('user names for new single sign-on accounts', () => {
  it.each([
    ['dr.lee', 'dr.lee'],
    ['Dr.Lee@Klinikum.example', 'dr.lee'],
    ['Zoë Müller-Lüdenscheidt', 'zoe-muller-ludenscheidt'],
    ['  __weird  name!! ', 'weird-name'],
    ['@@@', 'sso-user'],
    ['f:3d2a-0c11 9e', 'f-3d2a-0c11-9e'],
    ['x'.repeat(100), 'x'.repeat(56)],
  ])('%s -> %s', (hint, id) => {
    expect(usernameFromClaim(hint)).toBe(id);
    expect(id).toMatch(/^[a-z0-9][a-z0-9._-]{0,63}$/);
  });
});
