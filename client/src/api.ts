/** The client's only way to the server: the documented HTTP API. */
import type { RankResult } from '../../server/domain/result.ts';

export interface ApiErrorBody {
  error: { code: string; message: string; details: Array<{ path?: string; line?: number; message: string }> };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody['error'],
  ) {
    super(body.message);
  }
}

async function call<T>(path: string, init: RequestInit): Promise<T> {
  const res = await fetch(path, init);
  const body = await res.json().catch(() => undefined);
  if (!res.ok) {
    throw new ApiError(res.status, (body as ApiErrorBody | undefined)?.error ?? { code: 'http', message: `HTTP ${res.status}`, details: [] });
  }
  return body as T;
}

export function rankProfile(text: string, tumourType: string, agency: 'FDA' | 'EMA'): Promise<RankResult> {
  return call<RankResult>('/api/rank', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, tumourType: tumourType || undefined, agency }),
  });
}
