/**
 * The sign-in, account and audit-log paths of the OpenAPI document (the
 * routes of server/api/auth/router.ts), generated from the same zod schemas
 * that validate their requests. Every route of the router must be in the
 * document: test/integration/openapi.test.ts walks the router and fails on a
 * route that is missing here or in the other path tables.
 */
import { z } from 'zod';
import { ROLES } from '../security/roles.ts';
import { AuditQuery, LoginInput, NewUserInput, PasswordChangeInput, SetupInput, UserChangeInput } from './auth/schema.ts';

import { body, err, json, ok, ref, toSchema } from './openapi-helpers.ts';
const noContent = (description: string) => ({ '204': { description } });
const setCookie = { 'Set-Cookie': { schema: { type: 'string' }, description: 'mtbnet_session: HttpOnly; SameSite=Strict; Path=/ (Secure over https)' } };
const csrf = 'A session must send its CSRF token in X-CSRF-Token.';

const User = z.object({
  id: z.string().describe('the user name'),
  name: z.string().nullable(),
  roles: z.array(z.enum(ROLES)),
  disabled: z.boolean(),
  sso: z.boolean().describe('signs in through single sign-on (OpenID Connect): no password'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const SignedIn = z.object({
  user: z.object({ id: z.string(), name: z.string().nullable(), roles: z.array(z.enum(ROLES)) }),
  csrfToken: z.string().describe('send it in X-CSRF-Token with every POST, PUT, PATCH and DELETE of this session'),
});
const Me = z.object({
  user: SignedIn.shape.user.nullable().describe('null: not signed in'),
  csrfToken: z.string().nullable(),
  setupRequired: z.boolean().describe('no account exists yet: the client shows the form that creates the first admin'),
  mode: z.enum(['accounts', 'local']),
  sso: z
    .object({ name: z.string(), loginUrl: z.literal('/api/auth/oidc/login') })
    .nullable()
    .describe('single sign-on (OpenID Connect), when configured: the sign-in page shows "Sign in with <name>", a link to loginUrl; null when not'),
});
const SignedOut = z.object({
  endSession: z
    .string()
    .describe("the provider's end-session page (OpenID Connect RP-Initiated Logout 1.0), with client_id and post_logout_redirect_uri: the client navigates there, the provider signs the person out (it may ask first) and sends them back to the board"),
});
const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.string().describe('UTC, ISO 8601'),
  actor: z.string().describe('user id, or cli:<os user> for the command line'),
  action: z.string().describe('the route (e.g. POST /api/meetings/:id/decisions) or command (mtbnet import civic)'),
  target: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string().describe('SHA-256 over the previous row\'s hash and this row'),
});
const AuditVerification = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  firstBad: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
  lastHash: z.string(),
});

export function authSchemas(): Record<string, Record<string, unknown>> {
  return {
    Login: toSchema(LoginInput, 'input'),
    Setup: toSchema(SetupInput, 'input'),
    PasswordChange: toSchema(PasswordChangeInput, 'input'),
    NewUser: toSchema(NewUserInput, 'input'),
    UserChange: toSchema(UserChangeInput, 'input'),
    User: toSchema(User, 'output'),
    SignedIn: toSchema(SignedIn, 'output'),
    Me: toSchema(Me, 'output'),
    SignedOut: toSchema(SignedOut, 'output'),
    AuditEntry: toSchema(AuditEntry, 'output'),
    AuditVerification: toSchema(AuditVerification, 'output'),
  };
}

export function authPaths(): Record<string, unknown> {
  const userId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'user name' };
  const auditQuery = Object.entries((toSchema(AuditQuery, 'input').properties ?? {}) as Record<string, unknown>).map(([name, schema]) => ({
    name, in: 'query', schema, description: name === 'after' ? 'rows after this sequence number' : 'at most this many rows (default 200, at most 1000)',
  }));
  return {
    '/api/openapi.json': {
      get: { summary: 'This document', description: 'Public.', responses: ok('the OpenAPI 3.1 document', { type: 'object' }) },
    },
    '/api/auth/me': {
      get: {
        summary: 'Who is signed in, the session\'s CSRF token, and whether the first admin must be created',
        description: 'Public.',
        responses: { ...ok('the caller', ref('Me')), ...err('400', 'unexpected query parameters') },
      },
    },
    '/api/auth/setup': {
      post: {
        summary: 'First run: create the admin account and sign in (only while no account exists)',
        description: 'Public; refused from another site. 10 failed attempts per address per 15 minutes.',
        requestBody: body('Setup'),
        responses: {
          '201': { description: 'the admin exists and is signed in', headers: setCookie, content: json(ref('SignedIn')) },
          ...err('400', 'invalid body (a password needs 12 characters or more)'), ...err('409', 'the first account exists already'), ...err('429', 'too many attempts'),
        },
      },
    },
    '/api/auth/login': {
      post: {
        summary: 'Sign in with a local account: a server-side session in an HttpOnly cookie, and its CSRF token',
        description: 'Public; refused from another site. 10 failed attempts per address per 15 minutes.',
        requestBody: body('Login'),
        responses: {
          '200': { description: 'signed in', headers: setCookie, content: json(ref('SignedIn')) },
          ...err('400', 'invalid body'), ...err('401', 'unknown user name or wrong password (the answer does not say which)'), ...err('429', 'too many attempts'),
        },
      },
    },
    '/api/auth/logout': {
      post: {
        summary: 'Sign out: the session ends and the cookie is cleared',
        description:
          `Roles: any signed-in user. ${csrf} With MTBNET_OIDC_LOGOUT=provider, a single sign-on account is signed out here and answered 200 with ` +
          "the provider's end-session page to go on to, so that it signs out there too; otherwise (or when the provider cannot be read within 3 s or has no such page) 204.",
        responses: {
          '200': { description: 'signed out of mtbnet; go on to endSession to sign out of the provider too', headers: setCookie, content: json(ref('SignedOut')) },
          '204': { description: 'signed out', headers: setCookie },
          ...err('401', 'not signed in'), ...err('403', 'missing CSRF token'),
        },
      },
    },
    '/api/auth/password': {
      post: {
        summary: 'Change your own password; every session of yours ends',
        description: `Roles: any signed-in user. ${csrf}`,
        requestBody: body('PasswordChange'),
        responses: {
          ...noContent('changed; sign in again'), ...err('400', 'invalid body or too short a password'), ...err('401', 'the current password is wrong'),
          ...err('403', 'missing CSRF token'), ...err('429', 'too many attempts'),
        },
      },
    },
    '/api/users': {
      get: {
        summary: 'The accounts',
        description: 'Roles: admin.',
        responses: { ...ok('accounts', { type: 'object', properties: { users: { type: 'array', items: ref('User') } } }), ...err('401', 'not signed in'), ...err('403', 'not an admin') },
      },
      post: {
        summary: 'Add an account with one or more roles (viewer, clinician, curator, admin)',
        description: `Roles: admin. ${csrf} Audited.`,
        requestBody: body('NewUser'),
        responses: {
          ...ok('created', { type: 'object', properties: { user: ref('User') } }, '201'), ...err('400', 'invalid body; details name the field'),
          ...err('403', 'not an admin, or missing CSRF token'), ...err('409', 'the user name exists'),
        },
      },
    },
    '/api/users/{id}': {
      patch: {
        summary: 'Change an account\'s roles, disable or enable it, or set a new password (the user\'s sessions end)',
        description: `Roles: admin. ${csrf} Audited.`,
        parameters: [userId],
        requestBody: body('UserChange'),
        responses: {
          ...ok('changed', { type: 'object', properties: { user: ref('User') } }), ...err('400', 'invalid body'),
          ...err('403', 'not an admin, or missing CSRF token'), ...err('404', 'no such user'),
        },
      },
    },
    '/api/audit': {
      get: {
        summary: 'The audit log: who did what, when, with the state before and after (append-only, hash-chained)',
        description: 'Roles: admin.',
        parameters: auditQuery,
        responses: { ...ok('rows, oldest first', { type: 'object', properties: { entries: { type: 'array', items: ref('AuditEntry') } } }), ...err('400', 'bad query'), ...err('403', 'not an admin') },
      },
    },
    '/api/audit/verify': {
      get: {
        summary: 'Check the audit log\'s hash chain: ok, or the first row that was edited, inserted or removed',
        description: 'Roles: admin.',
        responses: { ...ok('the verification', ref('AuditVerification')), ...err('403', 'not an admin') },
      },
    },
  };
}
