/**
 * The client's only way to the server: the documented HTTP API (/api/openapi.json).
 * Types come from server/domain (type-only imports: nothing of the server is bundled).
 */
import type { RankResult } from '../../server/domain/result.ts';
import type { Profile } from '../../server/domain/profile.ts';
import type { AlterationInput } from '../../server/domain/alteration.ts';
import type {
  CaseDetail, CaseRecord, CaseStatus, CaseSummary, CaseSummaryPage, Decision, FollowUp, Meeting, OutcomeSummary, SimilarCase, Snapshot,
} from '../../server/domain/case.ts';

export type Agency = 'FDA' | 'EMA';
export type { RankResult, Profile, CaseDetail, CaseRecord, CaseStatus, CaseSummary, CaseSummaryPage, Decision, FollowUp, Meeting, OutcomeSummary, SimilarCase, Snapshot };

export interface ErrorDetail {
  path?: string;
  line?: number;
  message: string;
}
export interface ApiErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody['error'],
  ) {
    super(body.message);
  }
}

/** Any thrown value as an error body the page can show. */
export function errorBody(err: unknown): ApiErrorBody['error'] {
  if (err instanceof ApiError) return err.body;
  return { code: 'network', message: `Could not reach the mtbnet server: ${err instanceof Error ? err.message : String(err)}`, details: [] };
}

/** The session's CSRF token (from sign-in or /api/auth/me), sent with every state-changing request. */
let csrfToken: string | null = null;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  if (csrfToken && UNSAFE.has((init.method ?? 'GET').toUpperCase())) {
    init = { ...init, headers: { ...(init.headers as Record<string, string> | undefined), 'x-csrf-token': csrfToken } };
  }
  const res = await fetch(path, { credentials: 'same-origin', ...init });
  const body = await res.json().catch(() => undefined);
  // The session ended (signed out elsewhere, expired): the shell shows the sign-in page.
  if (res.status === 401 && !path.startsWith('/api/auth/')) window.dispatchEvent(new Event('mtbnet:signed-out'));
  if (!res.ok) {
    const e = (body as ApiErrorBody | undefined)?.error;
    throw new ApiError(res.status, e && typeof e.message === 'string' ? { ...e, details: e.details ?? [] } : { code: 'http', message: `The server answered HTTP ${res.status}`, details: [] });
  }
  return body as T;
}
const post = <T>(path: string, body: unknown) =>
  call<T>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const enc = encodeURIComponent;

/**
 * The answer to a write with free text (rationale, dissent, reasonNotStarted, ...): the record, and
 * `privacyWarnings` when the text looks like it holds a personal identifier (it is stored as sent).
 */
export type Saved<T> = T & { privacyWarnings?: string[] };

/** What the readers understood of a profile: the normalised profile, driver annotation, line-level warnings. */
/** Which sample name in the upload became which stored ID (told to the uploader only; the name is never stored). */
export interface SampleIdEntry {
  sample: string;
  id: string;
  /** `pseudonym`: the installation's keyed hash of the name; `mapped`: the uploader's own ID. */
  how: 'pseudonym' | 'mapped';
}

export interface ParseResult {
  profile: Profile;
  alterations: Array<{ key: string; label: string; kind: string; gene: string; driver: 'oncogenic' | 'likely' | 'unknown'; known: boolean }>;
  warnings: ErrorDetail[];
  /** Present when the input named samples (VCF sample columns, MAF barcodes, file names). */
  sampleIds?: SampleIdEntry[];
}

export interface ProfileText {
  text: string;
  tumourType?: string;
  filename?: string;
  format?: string;
  id?: string;
  /** The sample to read of a file holding several: a VCF's sample column, a MAF's barcode, a copy-number or fusion table's sample. */
  sample?: string;
}

export function parseProfile(input: ProfileText, signal?: AbortSignal): Promise<ParseResult> {
  return call<ParseResult>('/api/profiles/parse', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(clean(input)),
    signal,
  });
}

/** Rank text in any reader's format. */
export function rankText(input: ProfileText & { agency: Agency }, signal?: AbortSignal): Promise<RankResult> {
  return call<RankResult>('/api/rank', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(clean(input)), signal });
}

/** Rank a DESIGN §5 JSON profile (the what-if path: a few ms on the server). */
export function rankJson(profile: { id?: string; tumourType?: string; alterations: AlterationInput[] }, agency: Agency, signal?: AbortSignal): Promise<RankResult> {
  return call<RankResult>(`/api/rank?agency=${agency}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(profile),
    signal,
  });
}

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

export interface TumourType {
  code: string;
  name: string;
  parent: string | null;
}
export const tumourTypes = () => call<{ tumourTypes: TumourType[] }>('/api/tumour-types').then((r) => r.tumourTypes);

export interface SnapshotSummary {
  id: string;
  caseId: string;
  profileSeq: number;
  createdAt: string;
  kb: Snapshot['kb'];
  scoring: Snapshot['scoring'];
  top: string[];
}
export interface CaseView {
  case: CaseDetail;
  snapshots: SnapshotSummary[];
  decisions: Decision[];
  followUps: FollowUp[];
}

/** One page of the case list, searched and filtered on the server (GET /api/case-summaries). */
export const listCaseSummaries = (query: { q?: string; status?: CaseStatus; ids?: readonly string[]; limit?: number; offset?: number }) => {
  const params = new URLSearchParams();
  if (query.q?.trim()) params.set('q', query.q.trim());
  if (query.status) params.set('status', query.status);
  if (query.ids) params.set('ids', query.ids.join(','));
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (query.offset !== undefined) params.set('offset', String(query.offset));
  const qs = params.toString();
  return call<CaseSummaryPage>(`/api/case-summaries${qs ? `?${qs}` : ''}`);
};
export const getCase = (id: string) => call<CaseView>(`/api/cases/${enc(id)}`);
export const getSnapshot = (caseId: string, snapshotId: string) => call<Snapshot>(`/api/cases/${enc(caseId)}/snapshots/${enc(snapshotId)}`);
export const createCase = (input: { id: string; tumourType?: string; profile: { text: string; format?: string; readSample?: string } }) =>
  post<Saved<{ case: CaseDetail; warnings: string[] }>>('/api/cases', { ...input, tumourType: input.tumourType || undefined });
/** Another profile of a case (a new sample, a corrected report): the case keeps every profile, the newest counts. */
export const addProfile = (id: string, input: { text: string; sample?: string; collectedOn?: string; readSample?: string }) =>
  post<{ profile: { seq: number }; warnings: string[] }>(`/api/cases/${enc(id)}/profiles`, {
    text: input.text,
    sample: input.sample || undefined,
    collectedOn: input.collectedOn || undefined,
    readSample: input.readSample || undefined,
  });
export const rankCase = (id: string, agency?: Agency) => call<Snapshot>(`/api/cases/${enc(id)}/rank${agency ? `?agency=${agency}` : ''}`, { method: 'POST' });
export const setStatus = (id: string, status: CaseStatus) => post<{ case: CaseRecord }>(`/api/cases/${enc(id)}/status`, { status });
export const similarCases = (id: string) => call<{ similar: SimilarCase[] }>(`/api/cases/${enc(id)}/similar`).then((r) => r.similar);
export const recordFollowUp = (
  id: string,
  input: { decisionId?: string; started: boolean; reasonNotStarted?: string; startedOn?: string; bestResponse?: string; progressionDate?: string },
) => post<Saved<FollowUp>>(`/api/cases/${enc(id)}/follow-ups`, clean(input));

export type MeetingView = Meeting & { decisions: Decision[] };
export const listMeetings = () => call<{ meetings: Meeting[] }>('/api/meetings').then((r) => r.meetings);
export const getMeeting = (id: string) => call<MeetingView>(`/api/meetings/${enc(id)}`);
export const createMeeting = (input: { date: string; board: string; attendees?: string[]; agenda?: string[] }) => post<Saved<Meeting>>('/api/meetings', input);
export const addToAgenda = (meetingId: string, caseId: string) => post<Meeting>(`/api/meetings/${enc(meetingId)}/agenda`, { caseId });
export const recordDecision = (
  meetingId: string,
  input: { caseId: string; therapy: string[]; rationale: string; dissent?: string; evidenceCited?: string[]; alternatives?: string[][] },
) => post<Saved<Decision>>(`/api/meetings/${enc(meetingId)}/decisions`, clean(input));
export const outcomes = () => call<OutcomeSummary>('/api/outcomes');

/** Who is signed in, whether the first admin must be created, and the session's CSRF token. */
export interface Me {
  user: { id: string; name: string | null; roles: string[] } | null;
  csrfToken: string | null;
  setupRequired: boolean;
  mode: 'accounts' | 'local';
  /** Single sign-on, when configured: the provider's name and where the browser goes to sign in there. */
  sso?: { name: string; loginUrl: string } | null;
}
export async function me(): Promise<Me> {
  const m = await call<Me>('/api/auth/me');
  csrfToken = m.csrfToken;
  return m;
}
export async function signIn(username: string, password: string): Promise<void> {
  csrfToken = null;
  csrfToken = (await post<{ csrfToken: string }>('/api/auth/login', { username, password })).csrfToken;
}
export async function createFirstAdmin(input: { username: string; password: string; name?: string }): Promise<void> {
  csrfToken = null;
  csrfToken = (await post<{ csrfToken: string }>('/api/auth/setup', clean(input))).csrfToken;
}
/**
 * Sign out. Resolves to the provider's end-session page when the server asks the browser to sign out there too
 * (MTBNET_OIDC_LOGOUT=provider, a single sign-on account), else undefined.
 */
export async function signOut(): Promise<string | undefined> {
  const res = await fetch('/api/auth/logout', { method: 'POST', headers: csrfToken ? { 'x-csrf-token': csrfToken } : {} }).catch(() => undefined);
  csrfToken = null;
  if (res?.status !== 200) return undefined;
  const body = (await res.json().catch(() => undefined)) as { endSession?: unknown } | undefined;
  return typeof body?.endSession === 'string' ? body.endSession : undefined;
}

/** Where the report of a case is (GET /api/cases/:id/report?format=html|pdf|fhir|csv); a link, not a fetch. */
export function reportUrl(caseId: string, format: 'html' | 'pdf' | 'fhir' | 'csv' | string): string {
  return `/api/cases/${enc(caseId)}/report?format=${enc(format)}`;
}
