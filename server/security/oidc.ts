/**
 * Single sign-on through OpenID Connect: the Authorization Code flow with
 * PKCE (S256), state and nonce, on openid-client (panva, v6), and the
 * configuration that says which provider, which client, and which claim
 * values make which of the four roles.
 *
 * This file speaks to the provider and turns its answer into an identity
 * (issuer, subject, a user name, roles); the session that follows is the one
 * a local sign-in makes (server/security/accounts.ts), and the HTTP side is
 * server/api/auth/oidc.ts. Reference: OpenID Connect Core 1.0 §3.1 and
 * RFC 7636 (PKCE); docs/security.md explains the settings.
 */
import * as client from 'openid-client';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AppError } from '../domain/errors.ts';
import { isRole, ROLES, type Role } from './roles.ts';

export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';
/** How long signing out waits for the provider's configuration before it is mtbnet's sign-out alone. */
export const END_SESSION_WAIT_MS = 3000;
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

export type TokenAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface OidcSettings {
  /** The provider's issuer identifier, exactly as its discovery document states it. */
  issuer: URL;
  clientId: string;
  /** Absent for a public client (token_endpoint_auth_method none; PKCE protects the code). */
  clientSecret?: string;
  /** mtbnet's callback as registered at the provider: `https://mtbnet.example.org/api/auth/oidc/callback`. */
  redirectUri: URL;
  /** Shown on the sign-in page: "Sign in with <name>". */
  name: string;
  /** Requested scopes; always includes `openid`. */
  scopes: string[];
  /** The claim holding group or role values (a dotted path reaches nested claims: `realm_access.roles`). */
  roleClaim: string;
  /** Claim value -> the mtbnet roles it grants (values accumulate). */
  roleMap: ReadonlyMap<string, readonly Role[]>;
  /** The role of a signed-in person whose claim values map to none; undefined: such a person is refused. */
  defaultRole?: Role;
  /** The claim a new account's user name is made from (then `email`, then the subject). */
  usernameClaim: string;
  tokenAuthMethod: TokenAuthMethod;
  /**
   * What signing out of mtbnet does to the provider's session: `local` leaves it (the next sign-in may pass
   * straight through); `provider` sends the browser on to the provider's end-session endpoint (OpenID Connect
   * RP-Initiated Logout 1.0), which signs the person out there too and sends them back to `postLogoutRedirectUri`.
   */
  logout: OidcLogout;
  /** Where the provider sends the browser after signing out: the board (the redirect URI's origin + `/`). */
  postLogoutRedirectUri: URL;
}

export type OidcLogout = 'local' | 'provider';

/** What the provider vouched for, in mtbnet's terms. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  /** A user name to start from (accounts make it valid and unique). */
  username: string;
  name: string | null;
  /** The roles the claims map to; empty when none maps and there is no default role. */
  roles: Role[];
  /** The claim values found under the role claim (for the audit log). */
  claimValues: string[];
  /** The provider's session (`sid` of the ID token), when it names one: back-channel logout ends what it started. */
  sid?: string;
}

/** The event a back-channel logout token carries (OpenID Connect Back-Channel Logout 1.0, §2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** How old a logout token may be (its `iat`). */
export const LOGOUT_TOKEN_MAX_AGE_S = 600;
/** The clock difference with the provider that a logout token's times are allowed. */
export const LOGOUT_CLOCK_TOLERANCE_S = 60;

/** A checked logout token: whom to sign out (`sub`, `sid` or both), and the token's id against replay. */
export interface LogoutRequest {
  issuer: string;
  subject?: string;
  sid?: string;
  jti: string;
  /** Until when (ms) a token with this `jti` would still be accepted: how long to remember it against replay. */
  acceptableUntil: number;
}

/** What the callback must see again: kept server-side between the redirect to the provider and the callback. */
export interface OidcStart {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The MTBNET_OIDC_* settings are incomplete or invalid: `mtbnet serve` stops with this message (exit 2). */
export class OidcConfigError extends AppError {
  constructor(message: string) {
    super('invalid_oidc_config', `security/oidc: ${message}`, 400);
  }
}

/** The provider cannot be reached or its metadata is unusable: not the caller's fault. */
export class OidcUnavailableError extends AppError {
  constructor(message: string) {
    super('sso_unavailable', `security/oidc: ${message}`, 502);
  }
}

/** The provider's answer did not check out (state, nonce, PKCE, signature, issuer, a used code...). */
export class OidcRejectedError extends AppError {
  constructor(code: string, message: string, status = 400) {
    super(code, `security/oidc: ${message}`, status);
  }
}

// Configuration

function url(name: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new OidcConfigError(`${name} is not a URL: "${value}"`);
  }
}

/** https, or http on a loopback address (a provider on the same machine, for development and tests). */
function checkTransport(name: string, u: URL): void {
  if (u.protocol === 'https:') return;
  if (u.protocol === 'http:' && LOOPBACK.has(u.hostname)) return;
  throw new OidcConfigError(`${name} must use https (http is allowed on a loopback address only): "${u.href}"`);
}

/**
 * `group=role` entries separated by commas, semicolons or new lines
 * (`mtb-admins=admin, mtb-board=viewer, pathology=clinician, pathology=curator`),
 * or a JSON object (`{"mtb-admins": "admin", "pathology": ["clinician", "curator"]}`).
 */
export function parseRoleMap(text: string): Map<string, Role[]> {
  const map = new Map<string, Role[]>();
  const add = (value: string, role: unknown) => {
    const v = value.trim();
    const r = typeof role === 'string' ? role.trim() : role;
    if (!v) throw new OidcConfigError('MTBNET_OIDC_ROLE_MAP: an entry has no claim value before "="');
    if (typeof r !== 'string' || !isRole(r)) throw new OidcConfigError(`MTBNET_OIDC_ROLE_MAP: "${String(r)}" for "${v}" is not one of ${ROLES.join(', ')}`);
    const roles = map.get(v) ?? [];
    if (!roles.includes(r)) roles.push(r);
    map.set(v, roles);
  };
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      throw new OidcConfigError(`MTBNET_OIDC_ROLE_MAP is not valid JSON: ${(e as Error).message}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new OidcConfigError('MTBNET_OIDC_ROLE_MAP: a JSON object of value -> role(s)');
    for (const [value, roles] of Object.entries(parsed)) for (const r of Array.isArray(roles) ? roles : [roles]) add(value, r);
    return map;
  }
  for (const entry of trimmed.split(/[,;\n]/)) {
    if (!entry.trim()) continue;
    const eq = entry.lastIndexOf('=');
    if (eq < 0) throw new OidcConfigError(`MTBNET_OIDC_ROLE_MAP: "${entry.trim()}" is not value=role`);
    add(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return map;
}

/**
 * The settings from the environment; undefined when MTBNET_OIDC_ISSUER is not
 * set (single sign-on off). Anything incomplete or invalid throws, so the
 * server does not start half-configured.
 */
export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OidcSettings | undefined {
  const get = (k: string) => {
    const v = env[k]?.trim();
    return v ? v : undefined;
  };
  const issuerText = get('MTBNET_OIDC_ISSUER');
  if (!issuerText) {
    const stray = ['MTBNET_OIDC_CLIENT_ID', 'MTBNET_OIDC_CLIENT_SECRET', 'MTBNET_OIDC_REDIRECT_URI', 'MTBNET_OIDC_ROLE_MAP'].filter((k) => get(k));
    if (stray.length) throw new OidcConfigError(`${stray.join(', ')} set but MTBNET_OIDC_ISSUER is not`);
    return undefined;
  }
  const clientId = get('MTBNET_OIDC_CLIENT_ID');
  if (!clientId) throw new OidcConfigError('MTBNET_OIDC_ISSUER is set: set MTBNET_OIDC_CLIENT_ID too');
  const redirect = get('MTBNET_OIDC_REDIRECT_URI');
  if (!redirect) throw new OidcConfigError(`MTBNET_OIDC_ISSUER is set: set MTBNET_OIDC_REDIRECT_URI to this server's address + ${OIDC_CALLBACK_PATH}`);
  const defaultRole = get('MTBNET_OIDC_DEFAULT_ROLE');
  if (defaultRole && defaultRole !== 'none' && !isRole(defaultRole)) {
    throw new OidcConfigError(`MTBNET_OIDC_DEFAULT_ROLE: "${defaultRole}" is not one of ${ROLES.join(', ')} or none`);
  }
  const logout = get('MTBNET_OIDC_LOGOUT');
  if (logout && logout !== 'local' && logout !== 'provider') {
    throw new OidcConfigError(`MTBNET_OIDC_LOGOUT: "${logout}" is not local (sign out of mtbnet only) or provider (of the provider too)`);
  }
  const method = get('MTBNET_OIDC_TOKEN_AUTH_METHOD');
  if (method && !['client_secret_basic', 'client_secret_post', 'none'].includes(method)) {
    throw new OidcConfigError(`MTBNET_OIDC_TOKEN_AUTH_METHOD: "${method}" is not client_secret_basic, client_secret_post or none`);
  }
  return checkOidcSettings({
    issuer: url('MTBNET_OIDC_ISSUER', issuerText),
    clientId,
    clientSecret: get('MTBNET_OIDC_CLIENT_SECRET'),
    redirectUri: url('MTBNET_OIDC_REDIRECT_URI', redirect),
    name: get('MTBNET_OIDC_NAME'),
    scopes: get('MTBNET_OIDC_SCOPES')?.split(/[\s,]+/).filter(Boolean),
    roleClaim: get('MTBNET_OIDC_ROLE_CLAIM'),
    roleMap: parseRoleMap(get('MTBNET_OIDC_ROLE_MAP') ?? ''),
    defaultRole: defaultRole && defaultRole !== 'none' ? (defaultRole as Role) : undefined,
    usernameClaim: get('MTBNET_OIDC_USERNAME_CLAIM'),
    tokenAuthMethod: method as TokenAuthMethod | undefined,
    logout: logout as OidcLogout | undefined,
  });
}

/** Fill the defaults and check the whole: the settings a test passes go through here too. */
export function checkOidcSettings(s: Partial<Omit<OidcSettings, 'postLogoutRedirectUri'>> & Pick<OidcSettings, 'issuer' | 'clientId' | 'redirectUri'>): OidcSettings {
  checkTransport('MTBNET_OIDC_ISSUER', s.issuer);
  checkTransport('MTBNET_OIDC_REDIRECT_URI', s.redirectUri);
  if (s.redirectUri.pathname !== OIDC_CALLBACK_PATH || s.redirectUri.search || s.redirectUri.hash) {
    throw new OidcConfigError(`MTBNET_OIDC_REDIRECT_URI must end in ${OIDC_CALLBACK_PATH} (no query): "${s.redirectUri.href}"`);
  }
  const roleMap = s.roleMap ?? new Map();
  if (roleMap.size === 0 && !s.defaultRole) {
    throw new OidcConfigError('no one could sign in: set MTBNET_OIDC_ROLE_MAP (claim value=role, ...) or MTBNET_OIDC_DEFAULT_ROLE');
  }
  const tokenAuthMethod = s.tokenAuthMethod ?? (s.clientSecret ? 'client_secret_basic' : 'none');
  if (tokenAuthMethod !== 'none' && !s.clientSecret) throw new OidcConfigError(`${tokenAuthMethod} needs MTBNET_OIDC_CLIENT_SECRET`);
  const scopes = [...new Set(['openid', ...(s.scopes ?? ['profile', 'email'])])];
  return {
    issuer: s.issuer, clientId: s.clientId, clientSecret: s.clientSecret, redirectUri: s.redirectUri,
    name: s.name?.trim() || s.issuer.hostname,
    scopes,
    roleClaim: s.roleClaim ?? 'groups',
    roleMap,
    defaultRole: s.defaultRole,
    usernameClaim: s.usernameClaim ?? 'preferred_username',
    tokenAuthMethod,
    logout: s.logout ?? 'local',
    postLogoutRedirectUri: new URL('/', s.redirectUri),
  };
}

// Claims -> identity

/** A claim by name, or by a dotted path into nested objects (`realm_access.roles`); the exact name wins. */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let at: unknown = claims;
  for (const part of path.split('.')) {
    if (!at || typeof at !== 'object' || Array.isArray(at) || !Object.hasOwn(at, part)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** The string values of a claim: an array of strings, or one string. */
export function claimValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The roles the claims grant: every mapped value's roles, else the default role, else none (refused). */
export function rolesFromClaims(claims: Record<string, unknown>, settings: Pick<OidcSettings, 'roleClaim' | 'roleMap' | 'defaultRole'>): Role[] {
  const roles = new Set<Role>();
  for (const v of claimValues(claimAt(claims, settings.roleClaim))) for (const r of settings.roleMap.get(v) ?? []) roles.add(r);
  if (roles.size === 0 && settings.defaultRole) roles.add(settings.defaultRole);
  return ROLES.filter((r) => roles.has(r));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

// The provider

/** Talks to one provider: discovery (once, retried after a failure), the redirect, the callback. */
export class OidcClient {
  private config: Promise<client.Configuration> | undefined;
  /** Said once: a provider without an end-session endpoint (MTBNET_OIDC_LOGOUT=provider) does not grow one per sign-out. */
  private noEndSessionLogged = false;

  constructor(
    readonly settings: OidcSettings,
    /** `log` hears why discovery failed (the caller only gets a 502). */
    private readonly options: { timeoutSeconds?: number; log?: (message: string) => void } = {},
  ) {}

  get name(): string {
    return this.settings.name;
  }

  private discover(): Promise<client.Configuration> {
    if (!this.config) {
      const s = this.settings;
      const auth = s.tokenAuthMethod === 'none'
        ? client.None()
        : s.tokenAuthMethod === 'client_secret_post' ? client.ClientSecretPost(s.clientSecret) : client.ClientSecretBasic(s.clientSecret);
      const insecure = s.issuer.protocol === 'http:';
      this.config = client
        .discovery(s.issuer, s.clientId, s.clientSecret ? { client_secret: s.clientSecret } : undefined, auth, {
          timeout: this.options.timeoutSeconds ?? 10,
          // http only for a provider on a loopback address (checked in checkOidcSettings).
          ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
        })
        .catch((e: unknown) => {
          this.config = undefined;
          const cause = (e as Error & { cause?: unknown }).cause;
          this.options.log?.(`mtbnet: single sign-on: cannot read the provider's configuration at ${s.issuer.href}: ${(e as Error).message}${cause instanceof Error ? ` (${cause.message})` : ''}`);
          throw new OidcUnavailableError(`cannot read the provider's configuration at ${s.issuer.href}: ${(e as Error).message}`);
        });
    }
    return this.config;
  }

  /** Where to send the browser, and the secrets the callback must match. */
  async begin(): Promise<OidcStart> {
    const config = await this.discover();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri.href,
      scope: this.settings.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, state, nonce, codeVerifier };
  }

  /**
   * Where to send a browser signing out of mtbnet so that it signs out of the provider too (OpenID Connect
   * RP-Initiated Logout 1.0): the provider's end-session endpoint with this client's id and the board's address to
   * come back to (which must be registered at the provider as a post-logout redirect URI). No ID token is sent as a
   * hint (mtbnet keeps none), so the provider ends the session of the browser it sees, and may ask first. Undefined
   * (and logged) when the provider publishes no end-session endpoint, cannot be read, or does not answer within
   * `waitMs`: the sign-out is then mtbnet's alone.
   */
  async endSessionUrl(waitMs = END_SESSION_WAIT_MS): Promise<URL | undefined> {
    const log = (why: string) => this.options.log?.(`mtbnet: single sign-on: signing out of mtbnet did not sign out of the provider at ${this.settings.issuer.href}: ${why}`);
    // The person is signed out of mtbnet already and waits on the button: the provider's configuration (read at
    // the first sign-in, normally) gets a few seconds, not discovery's full timeout.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), waitMs)));
    try {
      const config = await Promise.race([this.discover(), late]);
      if (config === 'late') {
        log(`its configuration did not come within ${waitMs / 1000} s`);
        return undefined;
      }
      if (!config.serverMetadata().end_session_endpoint) {
        if (!this.noEndSessionLogged) log('it publishes no end_session_endpoint (MTBNET_OIDC_LOGOUT=provider needs one)');
        this.noEndSessionLogged = true;
        return undefined;
      }
      return client.buildEndSessionUrl(config, { client_id: this.settings.clientId, post_logout_redirect_uri: this.settings.postLogoutRedirectUri.href });
    } catch (e) {
      // Discovery failures are logged where they happen; anything else (an end-session endpoint over http, say) here.
      if (!(e instanceof OidcUnavailableError)) log((e as Error).message);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Check the authorization response (`search`: the callback's query string)
   * against what `begin` made, redeem the code at the token endpoint, verify
   * the ID token (signature, issuer, audience, expiry, nonce), read the
   * userinfo when the ID token lacks the role or name claims, and map the
   * claims to an identity.
   */
  async finish(search: string, expected: { state: string; nonce: string; codeVerifier: string }): Promise<OidcIdentity> {
    const config = await this.discover();
    const current = new URL(this.settings.redirectUri.href);
    current.search = search;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
    } catch (e) {
      throw this.explain(e);
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw new OidcRejectedError('sso_rejected', 'the provider returned no ID token');
    let claims: Record<string, unknown> = { ...idClaims };
    const s = this.settings;
    const lacking = claimAt(claims, s.roleClaim) === undefined || !str(claimAt(claims, s.usernameClaim));
    if (lacking && config.serverMetadata().userinfo_endpoint) {
      try {
        const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...info, ...idClaims };
      } catch (e) {
        throw this.explain(e);
      }
    }
    const issuer = config.serverMetadata().issuer;
    const username = str(claimAt(claims, s.usernameClaim)) ?? str(claims.email) ?? idClaims.sub;
    const sid = typeof idClaims.sid === 'string' && idClaims.sid !== '' ? idClaims.sid : undefined;
    return {
      issuer,
      subject: idClaims.sub,
      username,
      name: str(claims.name) ?? null,
      roles: rolesFromClaims(claims, s),
      claimValues: claimValues(claimAt(claims, s.roleClaim)).slice(0, 50),
      ...(sid ? { sid } : {}),
    };
  }

  private keys: JWTVerifyGetKey | undefined;

  /**
   * Check a back-channel logout token (OpenID Connect Back-Channel Logout 1.0, §2.6): signed by the provider's
   * keys (its `jwks_uri`), issued by it for this client, at most LOGOUT_TOKEN_MAX_AGE_S old, carrying the logout
   * event, naming a subject or a provider session, with an id and without a nonce. Anything else is a 400.
   */
  async verifyLogoutToken(token: string): Promise<LogoutRequest> {
    const config = await this.discover();
    const meta = config.serverMetadata();
    if (!meta.jwks_uri) throw new OidcUnavailableError('the provider publishes no signing keys (jwks_uri), so no logout token can be checked');
    const jwksUri = new URL(meta.jwks_uri);
    // The keys decide who may sign people out: fetched over https only (http on a loopback address), as the issuer.
    try {
      checkTransport("the provider's jwks_uri", jwksUri);
    } catch (e) {
      throw new OidcUnavailableError((e as Error).message);
    }
    // Fetched when first needed and again when a token names a key not seen yet (rotation), as jose does.
    this.keys ??= createRemoteJWKSet(jwksUri, { timeoutDuration: (this.options.timeoutSeconds ?? 10) * 1000 });
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: meta.issuer,
        audience: this.settings.clientId,
        maxTokenAge: LOGOUT_TOKEN_MAX_AGE_S,
        clockTolerance: LOGOUT_CLOCK_TOLERANCE_S,
        requiredClaims: ['iat', 'jti', 'events'],
        // A logout token is never signed with a shared secret here: the client's secret is not a key to trust for it.
        algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
      }));
    } catch (e) {
      // The keys could not be read (timeout, not 200, not a key set): the provider may retry, so not a 400.
      const keysUnreadable = e instanceof joseErrors.JWKSTimeout || e instanceof joseErrors.JWKSInvalid ||
        (e instanceof joseErrors.JOSEError && e.code === 'ERR_JOSE_GENERIC' && /JSON Web Key Set/.test(e.message)) || !(e instanceof joseErrors.JOSEError);
      if (keysUnreadable) throw new OidcUnavailableError(`the provider's signing keys cannot be read: ${(e as Error).message}`);
      throw new OidcRejectedError('sso_logout_token', `the logout token does not check out: ${(e as Error).message}`);
    }
    const events = payload.events;
    const event = typeof events === 'object' && events !== null ? (events as Record<string, unknown>)[BACKCHANNEL_LOGOUT_EVENT] : undefined;
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw new OidcRejectedError('sso_logout_token', `the logout token carries no ${BACKCHANNEL_LOGOUT_EVENT} event`);
    }
    if (payload.nonce !== undefined) throw new OidcRejectedError('sso_logout_token', 'a logout token must not carry a nonce (is this an ID token?)');
    // Taken as the provider wrote them (sign-in keeps the ID token's sub and sid unchanged too).
    const subject = typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : undefined;
    const sid = typeof payload.sid === 'string' && payload.sid !== '' ? payload.sid : undefined;
    if (!subject && !sid) throw new OidcRejectedError('sso_logout_token', 'the logout token names neither a subject (sub) nor a session (sid)');
    const jti = str(payload.jti);
    if (!jti || jti.length > 256) throw new OidcRejectedError('sso_logout_token', 'the logout token has no usable id (jti)');
    const acceptableUntil = ((payload.iat as number) + LOGOUT_TOKEN_MAX_AGE_S + LOGOUT_CLOCK_TOLERANCE_S + 1) * 1000;
    return { issuer: meta.issuer, jti, acceptableUntil, ...(subject ? { subject } : {}), ...(sid ? { sid } : {}) };
  }

  /** openid-client's errors as ours: the provider said no (403), its answer failed a check (400), it cannot be reached (502). */
  private explain(e: unknown): AppError {
    if (e instanceof AppError) return e;
    if (e instanceof client.AuthorizationResponseError) {
      return new OidcRejectedError('sso_denied', `the provider refused the sign-in: ${e.error}${e.error_description ? ` (${e.error_description})` : ''}`, 403);
    }
    if (e instanceof client.ResponseBodyError) {
      return new OidcRejectedError('sso_rejected', `the provider refused to redeem the code: ${e.error}${e.error_description ? ` (${e.error_description})` : ''}`);
    }
    if (e instanceof client.ClientError) {
      const cause = (e as Error & { cause?: unknown }).cause;
      const why = cause instanceof Error && cause.message !== e.message ? `${e.message}: ${cause.message}` : e.message;
      if (e.code === 'OAUTH_HTTP_REQUEST_FORBIDDEN' || e.code === 'OAUTH_REQUEST_PROTOCOL_FORBIDDEN') return new OidcUnavailableError(why);
      return new OidcRejectedError('sso_rejected', `the answer does not check out: ${why}`);
    }
    if (e instanceof TypeError) return new OidcUnavailableError(`the provider cannot be reached: ${e.message}`);
    return new OidcUnavailableError(`the sign-in could not be completed: ${(e as Error)?.message ?? String(e)}`);
  }
}
