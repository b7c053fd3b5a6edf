/**
 * What happens around every state-changing request once the caller is known:
 * - the audit log gets one row per acknowledged change (who, which route,
 *   which case, the case's state before, the answer after), written before
 *   the answer is sent, so an acknowledged change is an audited one;
 * - free-text fields are checked for what looks like a personal identifier,
 *   and the answer carries `privacyWarnings` (the text is stored as sent).
 * And around every request that reads one case (caseReads): who opened which case, its snapshots, similar cases or
 * report, and with what answer, as a hospital's access log of its records expects.
 */
import { statfsSync } from 'node:fs';
import type { Request, RequestHandler } from 'express';
import type { Accounts } from '../../security/accounts.ts';
import { freeTextWarnings } from '../../security/privacy.ts';
import type { CaseStore } from '../../store/types.ts';
import { UNSAFE_METHODS } from '../auth.ts';

/** POST routes that compute and change nothing. */
const READS = /^\/(?:rank|profiles\/parse)\/?$/;

/** Free MB of the disk holding `dir`, or undefined when it cannot be asked (a lost mount). Health and writeReserve read it. */
export function freeMb(dir: string): number | undefined {
  try {
    const fs = statfsSync(dir);
    return (fs.bavail * fs.bsize) / (1024 * 1024);
  } catch {
    return undefined;
  }
}

/**
 * Writes are refused (507, nothing changed) while the data folder's disk has less than `mb` MB free. A change and its
 * audit row are written one after the other (writeHooks): on a disk that fills up between the two, a change could
 * be saved and its row not, and the caller told it failed. Stopping writes while a reserve is left keeps both
 * possible: a case, a decision or a snapshot and its row take kilobytes. Reads, rankings and sign-ins go on.
 */
export function writeReserve(dir: string, mb: number): RequestHandler {
  return (req, res, next) => {
    if (!UNSAFE_METHODS.has(req.method) || READS.test(req.path)) return next();
    const free = freeMb(dir);
    if (free === undefined || free >= mb) return next();
    res.status(507).json({
      error: {
        code: 'insufficient_storage',
        message: `api: the data folder's disk has less than ${mb} MB free, so nothing was saved: free disk space, then try again`,
        details: [{ path: 'data', message: `writes stop while less than MTBNET_WRITE_RESERVE_MB (${mb} MB) is free, so that every change can still be written with its audit row; GET /api/health/ready says when the disk runs low` }],
      },
    });
  };
}

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

/** GET routes that show one case: the case, its snapshots, the cases like it, its report (not the lists of cases). */
const CASE_READ = /^\/cases\/[^/]+(?:\/|$)/;

/**
 * One audit row per read of a case by someone signed in: actor, `GET /api/cases/:id` (the route), the case, and the
 * answer's status (404 for a case that is not there: someone trying IDs shows). Written once the answer has gone,
 * whole or not (`complete: false` when the connection closed first); a row that cannot be written (a full disk:
 * /api/health says so first) is reported to the server's log, and the read is not held back for it.
 */
export function caseReads(accounts: Accounts | undefined, log: (message: string) => void): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' || !accounts || !req.principal || !CASE_READ.test(req.path)) return next();
    const actor = req.principal.id;
    const target = caseIdOf(req) ?? null;
    // Where this router is mounted, read now: Express puts the URL back as an error leaves the routers.
    const base = req.baseUrl;
    const path = req.path;
    res.once('close', () => {
      const route = `${base}${typeof req.route?.path === 'string' ? req.route.path : path}`;
      try {
        accounts.audit.append({ actor, action: `GET ${route}`, target, after: { status: res.statusCode, ...(res.writableFinished ? {} : { complete: false }) } });
      } catch (e) {
        log(`audit: could not record that ${actor} read case ${target}: ${(e as Error).message}`);
      }
    });
    next();
  };
}
