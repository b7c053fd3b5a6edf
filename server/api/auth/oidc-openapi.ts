/**
 * The single sign-on paths of the OpenAPI document (the routes of
 * ./oidc.ts). They are browser navigations, not calls for scripts: both
 * answer with redirects, and with a short HTML page instead of the JSON error
 * when the browser asks for HTML. (`GET /api/auth/me` tells the client
 * whether to offer single sign-on: its `sso` field, in ../openapi-auth.ts.)
 */
import { json, ref } from '../openapi-helpers.ts';

/** An error answer: JSON for scripts, a short HTML page for the browser. */
const err = (status: string, description: string) => ({
  [status]: { description, content: { ...json(ref('Error')), 'text/html': { schema: { type: 'string' } } } },
});

export function oidcPaths(): Record<string, unknown> {
  return {
    '/api/auth/oidc/login': {
      get: {
        summary: 'Single sign-on, step 1: send the browser to the OpenID provider (Authorization Code flow with PKCE, state and nonce)',
        description:
          'Public; a browser navigation. Sets the mtbnet_oidc cookie (HttpOnly; SameSite=Lax; Path=/api/auth/oidc; 10 minutes) that ties the sign-in ' +
          'to this browser; state, nonce and the PKCE verifier stay on the server. Opens only once the first admin exists (first-run setup). ' +
          '10 x the sign-in limit of starts per address per 15 minutes.',
        responses: {
          '303': { description: 'to the provider\'s authorization endpoint', headers: { Location: { schema: { type: 'string' } }, 'Set-Cookie': { schema: { type: 'string' } } } },
          ...err('400', 'unexpected query parameters'),
          ...err('404', 'single sign-on is not configured (sso_off)'),
          ...err('409', 'no account exists yet: create the admin first (setup_required)'),
          ...err('429', 'too many sign-in starts from this address'),
          ...err('502', 'the provider cannot be reached or its configuration is unusable (sso_unavailable)'),
          ...err('503', 'too many sign-ins in progress (busy)'),
        },
      },
    },
    '/api/auth/oidc/callback': {
      get: {
        summary: 'Single sign-on, step 2: the provider sends the browser back; mtbnet checks the answer, signs the person in and opens the board',
        description:
          'Public; the redirect URI registered at the provider (MTBNET_OIDC_REDIRECT_URI). Needs the mtbnet_oidc cookie of step 1; the sign-in can ' +
          'be completed once. On success the same server-side session as a local sign-in (mtbnet_session cookie; the CSRF token from GET /api/auth/me) ' +
          'and an audit row auth.login. Failed attempts count against the sign-in limit and are audited (auth.login-failed).',
        parameters: [
          { name: 'code', in: 'query', schema: { type: 'string' }, description: 'the authorization code' },
          { name: 'state', in: 'query', schema: { type: 'string' }, description: 'must be the state of this browser\'s sign-in' },
          { name: 'error', in: 'query', schema: { type: 'string' }, description: 'the provider refused (e.g. access_denied)' },
          { name: 'error_description', in: 'query', schema: { type: 'string' } },
          { name: 'iss', in: 'query', schema: { type: 'string' }, description: 'the issuer (RFC 9207), checked when present' },
        ],
        responses: {
          '303': { description: 'signed in: to the board (/)', headers: { Location: { schema: { type: 'string' } }, 'Set-Cookie': { schema: { type: 'string' } } } },
          ...err('400', 'no sign-in in progress in this browser (sso_no_sign_in), wrong state (sso_state), or an answer that fails a check: nonce, PKCE, signature, issuer, a used code (sso_rejected); invalid query'),
          ...err('403', 'the provider refused (sso_denied), the account is disabled (account_disabled), or no claim value maps to a role (no_role)'),
          ...err('404', 'single sign-on is not configured (sso_off)'),
          ...err('409', 'no account exists yet (setup_required)'),
          ...err('429', 'too many failed sign-ins from this address'),
          ...err('502', 'the provider cannot be reached (sso_unavailable)'),
        },
      },
    },
    '/api/auth/oidc/backchannel-logout': {
      post: {
        summary: 'Single sign-on: the provider ends sessions (OpenID Connect Back-Channel Logout 1.0)',
        description:
          'Public; called by the provider, server to server, not by a browser: register it as the client\'s back-channel logout URI. The logout ' +
          'token must be signed by the provider\'s keys (jwks_uri; asymmetric algorithms only), issued by the configured issuer for this client, ' +
          'at most 10 minutes old (60 s clock tolerance), carry the back-channel logout event and a jti, name sub or sid, and carry no nonce; each token is taken once. ' +
          'With a sid, the sessions that provider session started end (with sub also given: of the linked account, with its sessions that carry ' +
          'no provider session); with sub alone, every session of the linked account. Audited as auth.logout (via oidc-backchannel), refusals ' +
          'as auth.logout-failed.',
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: { type: 'object', required: ['logout_token'], properties: { logout_token: { type: 'string', description: 'the logout token (a signed JWT)' } } },
            },
          },
        },
        responses: {
          '200': { description: 'taken: the sessions it names have ended (none, when none were open)' },
          '400': { description: 'no logout_token, or one that fails a check (sso_logout_token), or was used already (sso_logout_replayed)', content: json(ref('Error')) },
          '404': { description: 'single sign-on is not configured (sso_off)', content: json(ref('Error')) },
          '429': { description: 'too many refused logout tokens from this address (a budget apart from sign-ins)', content: json(ref('Error')) },
          '502': { description: 'the provider\'s configuration or keys cannot be read (sso_unavailable)', content: json(ref('Error')) },
        },
      },
    },
  };
}
