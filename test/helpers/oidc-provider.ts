/**
 * A real OpenID provider for the single sign-on tests: oidc-provider (panva)
 * on a loopback port, one confidential client, test accounts with groups, and
 * its development interactions (a login form and a consent form). A small
 * browser (`WebBrowser`) follows redirects by hand, keeps cookies per host
 * and path like a browser does (not per port), and fills in the provider's
 * forms from the HTML it is served.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export const CLIENT_ID = 'mtbnet';
export const CLIENT_SECRET = 'the mtbnet test client secret, 32+ chars';

export interface TestAccount {
  preferred_username?: string;
  name?: string;
  email?: string;
  groups?: string[];
}

export interface TestProvider {
  issuer: string;
  /** The accounts the provider knows (changeable between sign-ins: groups move). */
  accounts: Record<string, TestAccount>;
  /**
   * Register the client's redirect URIs (once the apps listen) and start
   * answering, as `issuer` or under another name of this address
   * (`http://localhost:PORT`, another site than 127.0.0.1 for a browser).
   */
  start: (redirectUris: string[], issuerName?: string, backchannelLogoutUri?: string) => void;
  close: () => Promise<void>;
  /** The provider's signing key (RS256, `kid` test-key), so a test can sign its own logout tokens the provider's way. */
  signingKey: { privateKey: CryptoKey; kid: string };
}

/** Listen first (the issuer needs the port), answer once `start` has the client's redirect URIs. */
/** `endSession: false`: the provider publishes no end-session endpoint (RP-initiated logout off). */
export async function listenTestProvider(accounts: Record<string, TestAccount>, options: { endSession?: boolean } = {}): Promise<TestProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: 'test-key', use: 'sig', alg: 'RS256' };
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    accounts,
    signingKey: { privateKey, kid: 'test-key' },
    start: (redirectUris, issuerName = issuer, backchannelLogoutUri) => {
      const provider = new Provider(issuerName, {
        clients: [{
          client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: redirectUris,
          // Each app's board (its address + `/`), where the provider may send a browser after signing it out.
          post_logout_redirect_uris: [...new Set(redirectUris.map((u) => new URL('/', u).href))],
          grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
          ...(backchannelLogoutUri ? { backchannel_logout_uri: backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
        }],
        jwks: { keys: [jwk] },
        // The provider refuses to call special-use addresses (SSRF protection); the test's mtbnet is on loopback.
        fetch: (url: string | URL | Request, options?: RequestInit) => {
          if (options) delete (options as { dispatcher?: unknown }).dispatcher;
          return fetch(url, options);
        },
        features: { backchannelLogout: { enabled: true }, rpInitiatedLogout: { enabled: options.endSession ?? true } },
        claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'], groups: ['groups'] },
        findAccount: (_ctx, id) => {
          const a = accounts[id];
          return a ? { accountId: id, claims: async () => ({ sub: id, ...a }) } : undefined;
        },
        cookies: { keys: ['oidc-provider test cookie key'] },
        pkce: { required: () => true },
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
      });
      server.on('request', provider.callback());
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

interface Cookie { name: string; value: string; path: string }

/** A browser for the handshake: cookies by host (ports share them, as in browsers) and path, redirects followed by hand. */
export class WebBrowser {
  private readonly jar = new Map<string, Cookie[]>();

  cookieHeader(url: URL): string | undefined {
    const list = (this.jar.get(url.hostname) ?? []).filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`));
    return list.length ? list.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.find((c) => c.name === name)?.value;
  }

  private keep(url: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      let path = '/';
      let gone = value === '';
      for (const a of attrs) {
        const [k, v = ''] = a.split('=');
        const key = k!.trim().toLowerCase();
        if (key === 'path') path = v.trim();
        if (key === 'max-age' && Number(v) <= 0) gone = true;
        if (key === 'expires' && Date.parse(v) < Date.now()) gone = true;
      }
      const list = (this.jar.get(url.hostname) ?? []).filter((c) => !(c.name === name && c.path === path));
      if (!gone) list.push({ name, value, path });
      this.jar.set(url.hostname, list);
    }
  }

  /** One request, no redirect followed. */
  async request(url: string | URL, init: { method?: string; form?: Record<string, string>; accept?: string } = {}): Promise<{ res: Response; url: URL; text: string }> {
    const u = new URL(url);
    const headers: Record<string, string> = { accept: init.accept ?? 'text/html,application/json;q=0.9' };
    const cookie = this.cookieHeader(u);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(u, { method: init.method ?? 'GET', headers, body, redirect: 'manual' });
    this.keep(u, res);
    return { res, url: u, text: await res.text() };
  }

  /**
   * From `start`, through the provider's forms (sign in as `login`, consent),
   * until a redirect leads to a URL starting with `stopAt` (returned unvisited),
   * or a page that is not the provider's form (returned).
   */
  async handshake(start: string | URL, options: { login: string; stopAt: string; abort?: boolean }): Promise<{ stoppedAt?: URL; last?: { res: Response; url: URL; text: string } }> {
    let next: { url: URL; method?: string; form?: Record<string, string> } = { url: new URL(start) };
    for (let hop = 0; hop < 20; hop++) {
      if (next.url.href.startsWith(options.stopAt)) return { stoppedAt: next.url };
      const r = await this.request(next.url, { method: next.method, form: next.form });
      const location = r.res.headers.get('location');
      if (r.res.status >= 300 && r.res.status < 400 && location) {
        next = { url: new URL(location, r.url) };
        continue;
      }
      const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(r.text);
      if (r.res.status !== 200 || !form) return { last: r };
      const fields: Record<string, string> = {};
      for (const m of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)) fields[m[1]!] = m[2]!;
      if (options.abort) {
        const abort = /<a href="([^"]+\/abort)"/.exec(r.text);
        if (!abort) throw new Error(`no abort link in the provider's page: ${r.text.slice(0, 400)}`);
        next = { url: new URL(abort[1]!.replace(/&amp;/g, '&'), r.url) };
        continue;
      }
      if (fields.prompt === 'login') Object.assign(fields, { login: options.login, password: 'any password (devInteractions)' });
      else if (fields.prompt !== 'consent') throw new Error(`an unexpected form at the provider: ${form[0]}`);
      next = { url: new URL(form[1]!.replace(/&amp;/g, '&'), r.url), method: 'POST', form: fields };
    }
    throw new Error('more than 20 redirects');
  }

  /**
   * Sign out at the provider from an end-session URL a client sent the browser to (RP-initiated logout), confirming
   * as a person would: where the provider then sends the browser (not visited).
   */
  async endSession(url: string | URL): Promise<URL> {
    const { r, form } = await this.logoutForm(url);
    const done = await this.request(new URL(form.action, r.url), { method: 'POST', form: form.fields });
    const location = done.res.headers.get('location');
    if (done.res.status < 300 || done.res.status >= 400 || !location) throw new Error(`the provider did not send the browser on: ${done.res.status} ${done.text.slice(0, 400)}`);
    return new URL(location, done.url);
  }

  /** The provider's "sign out?" page and the fields its form posts when confirmed. */
  private async logoutForm(url: string | URL) {
    const r = await this.request(url);
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(r.text);
    if (r.res.status !== 200 || !form) throw new Error(`no sign-out form at the provider: ${r.res.status} ${r.text.slice(0, 400)}`);
    const fields: Record<string, string> = { logout: 'yes' };
    for (const m of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)) fields[m[1]!] = m[2]!;
    return { r, form: { action: form[1]!.replace(/&amp;/g, '&'), fields } };
  }

  /** Sign out at the provider (its end-session page, confirmed as a person would): it then calls the clients' back-channel logout. */
  async signOutAtProvider(issuer: string): Promise<void> {
    const { r: page, form } = await this.logoutForm(`${issuer}/session/end`);
    let r = await this.request(new URL(form.action, page.url), { method: 'POST', form: form.fields });
    for (let hop = 0; hop < 5 && r.res.status >= 300 && r.res.status < 400 && r.res.headers.get('location'); hop++) {
      r = await this.request(new URL(r.res.headers.get('location')!, r.url));
    }
    if (r.res.status !== 200) throw new Error(`sign-out at the provider failed: ${r.res.status} ${r.text.slice(0, 400)}`);
  }
}
