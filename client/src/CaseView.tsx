/**
 * One case: its profile, the stored ranking with what-if, the evidence
 * network, the board's decision and follow-up, and similar cases.
 */
import { useMemo, useState } from 'react';
import type { RankResult } from '../../server/domain/result.ts';
import { addProfile, errorBody, getCase, reportUrl, getSnapshot, rankCase, setStatus, similarCases, type ApiErrorBody, type Meeting } from './api.ts';
import { DecisionForm, DecisionList, FollowUpForm } from './Decision.tsx';
import { ErrorMessage } from './ErrorMessage.tsx';
import { STATUS_LABEL } from './Home.tsx';
import { PrivacyWarnings } from './PrivacyWarnings.tsx';
import { fileSamples, sampleToRead } from './profile-input.ts';
import { href, useAsync } from './hooks.ts';
import { RankingWorkbench } from './RankingWorkbench.tsx';
import { SampleToRead } from './SampleToRead.tsx';

/** Load a case with its latest ranking snapshot. */
export async function loadCase(id: string) {
  const view = await getCase(id);
  const latest = view.snapshots[0];
  const snapshot = latest ? await getSnapshot(id, latest.id) : undefined;
  return { ...view, snapshot };
}

export function CaseView({ id, meetings, meetingHint }: { id: string; meetings: Meeting[]; meetingHint?: string }) {
  const data = useAsync(() => loadCase(id), [id]);
  const [onScreen, setOnScreen] = useState<{ result: RankResult; whatIf: boolean }>();
  const [selected, setSelected] = useState<string>();
  const [error, setError] = useState<ApiErrorBody['error']>();
  const [busy, setBusy] = useState(false);
  /** The privacy warnings of the last save on this case page (they outlive the form, which may close on save). */
  const [privacy, setPrivacy] = useState<{ caseId: string; what: string; warnings: string[] }>();
  const saved = (what: string) => (r: { privacyWarnings?: string[] }) => {
    setPrivacy(r.privacyWarnings?.length ? { caseId: id, what, warnings: r.privacyWarnings } : undefined);
    data.reload();
  };
  const onAgenda = meetings.filter((m) => m.agenda.includes(id)).sort((a, b) => b.date.localeCompare(a.date));
  const meeting = onAgenda.find((m) => m.id === meetingHint) ?? onAgenda[0];

  if (data.error && !data.data) return <ErrorMessage error={data.error} title={`Case ${id}`} />;
  if (!data.data) return <p role="status">Loading case {id}…</p>;
  const { case: c, snapshot, decisions, followUps } = data.data;
  const latest = c.profiles[c.profiles.length - 1]!;
  /** A profile was added after the stored ranking: that ranking is not of what the case holds now. */
  const outdated = snapshot !== undefined && snapshot.profileSeq !== latest.seq;

  async function act(f: () => Promise<unknown>) {
    setBusy(true);
    try {
      await f();
      setError(undefined);
      data.reload();
    } catch (err) {
      setError(errorBody(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="case" aria-labelledby="case-h">
      <header className="case-head">
        <h2 id="case-h">
          Case {c.id}
        </h2>
        <p className="meta">
          {c.tumourType ?? 'no tumour type'} · <span className={`status ${c.status}`}>{STATUS_LABEL[c.status]}</span> · profile {latest.seq}
          {latest.sample ? ` (${latest.sample})` : ''} · {latest.profile.alterations.length} alterations
          {snapshot
            ? ` · ${outdated ? `profile ${snapshot.profileSeq} ` : ''}ranked ${snapshot.createdAt.slice(0, 16).replace('T', ' ')} with knowledge base ${snapshot.kb.version}`
            : ' · not ranked yet'}
        </p>
        {outdated && (
          <p role="alert" className="error inline" data-testid="outdated-ranking">
            Profile {latest.seq} was added after the stored ranking (of profile {snapshot!.profileSeq}). The ranking below is of profile {latest.seq}, not
            saved: rank again and save before the board decides.
          </p>
        )}
        <div className="row">
          {c.status !== 'follow-up' && (
            <button type="button" disabled={busy} onClick={() => act(() => rankCase(c.id, (onScreen?.result.scoring.agency as 'FDA' | 'EMA') ?? undefined))}>
              {snapshot ? 'Rank again and save' : 'Rank and save'}
            </button>
          )}
          {c.status === 'prepared' && (
            <button type="button" className="secondary" disabled={busy} onClick={() => act(() => setStatus(c.id, 'discussed'))}>
              Mark discussed
            </button>
          )}
          {meeting && (
            <a className="button secondary" href={`${href('present', meeting.id)}?case=${encodeURIComponent(c.id)}`}>
              Present ({meeting.date})
            </a>
          )}
          <ReportLinks caseId={c.id} />
        </div>
        <ErrorMessage error={error} />
      </header>

      {c.status !== 'follow-up' && <AddProfile key={c.id} caseId={c.id} next={latest.seq + 1} onAdded={() => data.reload()} />}

      <section aria-label="Ranking">
        <RankingWorkbench
          key={`${latest.seq}:${snapshot?.id ?? ''}`}
          profile={latest.profile}
          initial={outdated ? undefined : snapshot?.result}
          onResult={(result, whatIf) => setOnScreen({ result, whatIf })}
          onSelect={setSelected}
        />
      </section>

      <section aria-labelledby="decision-h" className="decision">
        <h2 id="decision-h">Decision</h2>
        {privacy?.caseId === id && <PrivacyWarnings what={privacy.what} warnings={privacy.warnings} onDismiss={() => setPrivacy(undefined)} />}
        <DecisionList decisions={decisions} followUps={followUps} />
        {(c.status === 'prepared' || c.status === 'discussed') &&
          (outdated ? (
            <p className="warn-text">Rank the newest profile and save before recording the decision.</p>
          ) : meeting ? (
            <>
              {onScreen?.whatIf && <p className="warn-text">The ranking on screen is a what-if; the decision is recorded against the stored ranking.</p>}
              <DecisionForm caseId={c.id} meetingId={meeting.id} result={snapshot?.result} therapyId={selected} onSaved={saved('Decision')} />
            </>
          ) : (
            <p className="muted">Put the case on a meeting's agenda (start page) to record the board's decision.</p>
          ))}
        {c.status === 'new' && <p className="muted">Rank the case to prepare it for the board.</p>}
        {(c.status === 'decided' || c.status === 'follow-up') && decisions.length > 0 && (
          <FollowUpForm caseId={c.id} decisionId={decisions[decisions.length - 1]!.id} onSaved={saved('Follow-up')} />
        )}
      </section>

      <SimilarCases id={c.id} />
    </article>
  );
}

/**
 * Add a profile to the case (a relapse sample, a corrected report), in any format the intake reads. The case keeps
 * every profile; the newest is the one ranked, and the page says so until it is ranked and saved.
 */
function AddProfile({ caseId, next, onAdded }: { caseId: string; next: number; onAdded: () => void }) {
  const [text, setText] = useState('');
  const [sample, setSample] = useState('');
  const [collectedOn, setCollectedOn] = useState('');
  /** A file of several samples (a VCF, a MAF, a copy-number or fusion table) is read one sample at a time (as on the intake page). */
  const samples = useMemo(() => fileSamples(text), [text]);
  const [chosenSample, setChosenSample] = useState<string>();
  const readSample = sampleToRead(samples, chosenSample);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody['error']>();
  const [warnings, setWarnings] = useState<string[]>([]);
  async function onAdd() {
    setBusy(true);
    setError(undefined);
    try {
      const r = await addProfile(caseId, { text, sample: sample.trim(), collectedOn, readSample });
      setWarnings(r.warnings);
      setText('');
      setChosenSample(undefined);
      setSample('');
      setCollectedOn('');
      onAdded();
    } catch (err) {
      setError(errorBody(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <details className="add-profile">
      <summary>Add a profile (a new sample or a corrected report)</summary>
      <label htmlFor="add-profile-text">Profile {next}: text, JSON, VCF, MAF, CNV or fusion table</label>
      <textarea id="add-profile-text" rows={5} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      {samples.samples.length > 1 && <SampleToRead id="add-profile-sample" file={samples} value={readSample} onChange={setChosenSample} />}
      <div className="row">
        <label>
          Sample label (optional, no names)
          <input value={sample} onChange={(e) => setSample(e.target.value)} placeholder="e.g. relapse biopsy" autoComplete="off" />
        </label>
        <label>
          Collected on (optional)
          <input type="date" value={collectedOn} onChange={(e) => setCollectedOn(e.target.value)} />
        </label>
        <button type="button" disabled={busy || text.trim() === ''} onClick={onAdd}>
          Add profile {next}
        </button>
      </div>
      <ErrorMessage error={error} title="The profile was not added; your input is kept" />
      {warnings.length > 0 && (
        <ul className="warnings" aria-label="Reader warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </details>
  );
}

/**
 * The case report (issue 8): the HTML report opens in a new tab (print it from there), the PDF, FHIR
 * bundle and CSV download. All are rendered by the server from the stored ranking and decision.
 */
export function ReportLinks({ caseId }: { caseId: string }) {
  const url = (format: string) => reportUrl(caseId, format);
  return (
    <span className="report-links" role="group" aria-label="Case report" style={{ display: 'inline-flex', gap: '0.8rem', alignItems: 'center' }}>
      <a className="button secondary" href={url('html')} target="_blank" rel="noopener">
        Report
      </a>
      <a className="link-button" href={url('pdf')} download>
        PDF
      </a>
      <a className="link-button" href={url('fhir')} download title="FHIR R4 Genomics Reporting bundle">
        FHIR
      </a>
      <a className="link-button" href={url('csv')} download title="The ranking as CSV">
        CSV
      </a>
    </span>
  );
}

export function SimilarCases({ id }: { id: string }) {
  const similar = useAsync(() => similarCases(id), [id]);
  return (
    <section aria-labelledby="similar-h" className="similar">
      <h2 id="similar-h">Similar cases</h2>
      <ErrorMessage error={similar.error} />
      {similar.data && similar.data.length === 0 && <p className="muted">No other case shares an alteration with this one.</p>}
      {similar.data && similar.data.length > 0 && (
        <table aria-label="Similar cases">
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Tumour type</th>
              <th scope="col">Shared alterations</th>
              <th scope="col">Decision</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {similar.data.map((s) => {
              const d = s.decisions[s.decisions.length - 1];
              const f = s.followUps[s.followUps.length - 1];
              return (
                <tr key={s.caseId}>
                  <th scope="row">
                    <a href={href('cases', s.caseId)}>{s.caseId}</a>
                  </th>
                  <td>{s.tumourType ?? '—'}</td>
                  <td>{s.shared.join(', ')}</td>
                  <td>{d ? d.therapy.join(' + ') : <span className="muted">{s.status}</span>}</td>
                  <td>{f ? (f.started ? (f.bestResponse ?? 'started') : 'not started') : <span className="muted">—</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
