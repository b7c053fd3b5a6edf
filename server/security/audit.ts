/**
 * The audit log: who did what, when, with the state before and after. Rows
 * are append-only (SQLite triggers) and hash-chained: each row's hash is
 * SHA-256 over the previous row's hash and the row's own fields in a fixed
 * order, so changing, inserting or removing a row by hand (with the triggers
 * dropped, or with another tool) breaks the chain from that row on, and
 * `mtbnet audit verify` names the first broken row.
 */
import { createHash } from 'node:crypto';
import type { AuditRow, SqliteSecurityStore } from '../store/sqlite/security-store.ts';

export const GENESIS = '0'.repeat(64);
/** Larger before/after values are stored as their size and hash (the full value is in the case store). */
export const MAX_AUDIT_VALUE = 16_384;

export interface AuditEvent {
  actor: string;
  action: string;
  target?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  before: unknown;
  after: unknown;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  /** The first row whose hash or link does not hold. */
  firstBad?: { seq: number; reason: string };
  lastHash: string;
}

export function rowHash(prevHash: string, r: { seq: number; at: string; actor: string; action: string; target: string | null; before: string | null; after: string | null }): string {
  const h = createHash('sha256');
  h.update(prevHash);
  // Length-prefixed fields: no two different rows serialise alike.
  for (const f of [String(r.seq), r.at, r.actor, r.action, r.target ?? '\u0000', r.before ?? '\u0000', r.after ?? '\u0000']) {
    h.update(`${Buffer.byteLength(f)}:`);
    h.update(f);
  }
  return h.digest('hex');
}

function encode(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(value);
  if (text.length <= MAX_AUDIT_VALUE) return text;
  return JSON.stringify({ truncated: true, bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') });
}

export class AuditLog {
  constructor(
    private readonly store: SqliteSecurityStore,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  append(event: AuditEvent): AuditRecord {
    const entry = {
      at: this.now(), actor: event.actor, action: event.action, target: event.target ?? null,
      before: encode(event.before), after: encode(event.after),
    };
    const row = this.store.appendAudit(entry, (seq, prevHash) => rowHash(prevHash, { seq, ...entry }), GENESIS);
    return toRecord(row);
  }

  list(options: { afterSeq?: number; limit?: number; newestFirst?: boolean } = {}): AuditRecord[] {
    return this.store.listAudit(options).map(toRecord);
  }

  verify(): AuditVerification {
    let prev = GENESIS;
    let expectedSeq = 1;
    let rows = 0;
    for (const r of this.store.iterateAudit()) {
      rows++;
      if (r.seq !== expectedSeq) return { ok: false, rows, firstBad: { seq: r.seq, reason: `expected row ${expectedSeq} here: rows are missing` }, lastHash: prev };
      if (r.prevHash !== prev) return { ok: false, rows, firstBad: { seq: r.seq, reason: 'its link to the previous row does not match' }, lastHash: prev };
      if (rowHash(prev, r) !== r.hash) return { ok: false, rows, firstBad: { seq: r.seq, reason: 'its contents do not match its hash (edited)' }, lastHash: prev };
      prev = r.hash;
      expectedSeq++;
    }
    return { ok: true, rows, lastHash: prev };
  }
}

function toRecord(r: AuditRow): AuditRecord {
  return {
    seq: r.seq, at: r.at, actor: r.actor, action: r.action, target: r.target,
    before: r.before === null ? null : JSON.parse(r.before), after: r.after === null ? null : JSON.parse(r.after), hash: r.hash,
  };
}
