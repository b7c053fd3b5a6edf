import { useState, type FormEvent } from 'react';
import type { RankResult } from '../../server/domain/result.ts';
import { ApiError, rankProfile } from './api.ts';
import { RankingTable } from './RankingTable.tsx';

const EXAMPLE = 'EGFR L858R; EGFR T790M';

/** The first board page: paste a profile, rank it, read the therapies. */
export function App() {
  const [text, setText] = useState(EXAMPLE);
  const [tumour, setTumour] = useState('LUAD');
  const [agency, setAgency] = useState<'FDA' | 'EMA'>('FDA');
  const [result, setResult] = useState<RankResult>();
  const [error, setError] = useState<ApiError['body']>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setResult(await rankProfile(text, tumour.trim().toUpperCase(), agency));
    } catch (err) {
      setError(err instanceof ApiError ? err.body : { code: 'network', message: String(err), details: [] });
    } finally {
      setBusy(false);
    }
  }

  return (
    <main>
      <header>
        <h1>mtbnet</h1>
        <p>Evidence-network therapy ranking for molecular tumour boards</p>
      </header>
      <form onSubmit={submit} aria-label="Profile">
        <label htmlFor="profile">Molecular profile (text or JSON)</label>
        <textarea id="profile" rows={6} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
        <div className="row">
          <label>
            Tumour type (OncoTree)
            <input id="tumour" value={tumour} onChange={(e) => setTumour(e.target.value)} placeholder="LUAD" />
          </label>
          <label>
            Agency
            <select id="agency" value={agency} onChange={(e) => setAgency(e.target.value as 'FDA' | 'EMA')}>
              <option>FDA</option>
              <option>EMA</option>
            </select>
          </label>
          <button type="submit" disabled={busy}>
            {busy ? 'Ranking…' : 'Rank therapies'}
          </button>
        </div>
      </form>
      {error && (
        <div role="alert" className="error">
          <strong>{error.message}</strong>
          <ul>
            {error.details.map((d, i) => (
              <li key={i}>
                {d.line !== undefined ? `line ${d.line}: ` : ''}
                {d.path ? `${d.path}: ` : ''}
                {d.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {result && (
        <section aria-label="Ranking">
          <p className="meta">
            Case {result.id} · {result.tumourType ?? 'no tumour type'} · knowledge base {result.kb.version} ({result.kb.hash}) · scoring v
            {result.scoring.version} ({result.scoring.agency})
          </p>
          <RankingTable result={result} />
          {result.warnings.length > 0 && (
            <ul className="warnings" aria-label="Warnings">
              {result.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
        </section>
      )}
    </main>
  );
}
