/**
 * What happens around every state-changing request once the caller is known:
 * - the audit log gets one row per acknowledged change (who, which route,
 *   which case, the case's state before, the answer after), written before
 *   the answer is sent, so an acknowledged change is an audited one;
 * - free-text fields are checked for what looks like a personal identifier,
 *   and the answer carries `privacyWarnings` (the text is stored as sent).
 */
import type { Request, RequestHandler } from 'express';
import type { Accounts } from '../../security/accounts.ts';
import { freeTextWarnings } from '../../security/privacy.ts';
import type { CaseStore } from '../../store/types.ts';
import { UNSAFE_METHODS } from '../auth.ts';

/** POST routes that compute and change nothing. */
const READS = /^\/(?:rank|profiles\/parse)\/?$/;

function caseIdOf(req: Request): string | undefined {
  const m = /^\/cases\/([^/]+)/.exec(req.path);
  if (m) {
    try {
      return decodeURIComponent(m[1]!);
    } catch {
      return undefined;
    }
  }
  const b = req.body as { caseId?: unknown } | undefined;
  return b && typeof b === 'object' && typeof b.caseId === 'string' ? b.caseId : undefined;
}

/** The answer as the audit log keeps it: a snapshot by its id and top therapies, not its whole result. */
function summarise(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const b = body as Record<string, unknown>;
  if ('result' in b && 'top' in b) return { id: b.id, caseId: b.caseId, profileSeq: b.profileSeq, kb: b.kb, top: b.top };
  return body;
}

export function writeHooks(accounts: Accounts | undefined, store: CaseStore | undefined): RequestHandler {
  return async (req, res, next) => {
    if (!UNSAFE_METHODS.has(req.method)) return next();
    const warnings = freeTextWarnings(req.body);
    const audited = !!accounts && !!req.principal && !READS.test(req.path);
    let before: unknown;
    const caseId = audited ? caseIdOf(req) : undefined;
    if (audited && store && caseId) {
      const c = await store.getCase(caseId).catch(() => undefined);
      if (c) before = { case: { id: c.id, status: c.status, updatedAt: c.updatedAt, profiles: c.profiles.length } };
    }
    const json = res.json.bind(res);
    /** The audit row and privacy warnings of a successful answer (also for routes that write their JSON text themselves). */
    const decorate = (body: unknown): unknown => {
      if (res.statusCode >= 200 && res.statusCode < 300) {
        if (audited) {
          const answer = (body && typeof body === 'object' ? body : {}) as { id?: unknown; case?: { id?: unknown } };
          const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
          const target = caseId ?? str(answer.case?.id) ?? str(req.params?.id) ?? str(answer.id) ?? null;
          accounts!.audit.append({
            actor: req.principal!.id,
            action: `${req.method} ${req.baseUrl}${typeof req.route?.path === 'string' ? req.route.path : req.path}`,
            target,
            before,
            after: summarise(body),
          });
        }
        if (warnings.length && body && typeof body === 'object' && !Array.isArray(body)) {
          body = { ...(body as object), privacyWarnings: warnings.map((w) => w.message) };
        }
      }
      return body;
    };
    res.locals.beforeJson = decorate;
    res.json = (body: unknown) => json(decorate(body));
    next();
  };
}
