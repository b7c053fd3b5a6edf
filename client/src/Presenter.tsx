/**
 * Presenter mode for the shared screen: one case at a time, large type, high
 * contrast, driven by keyboard. Everything is on screen as text (no
 * hover-only information): the selected therapy's evidence and citations are
 * listed beside the ranking; the network is one key away.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { backboneText } from '../../server/domain/regimen.ts';
import { driverStyle, driverText } from '../../server/domain/driver-text.ts';
import { explainTherapy } from '../../server/scoring/explain.ts';
import { errorBody, getMeeting, rankCase, type ApiErrorBody } from './api.ts';
import { loadCase } from './CaseView.tsx';
import { Citations } from './Citations.tsx';
import { DecisionForm, DecisionList } from './Decision.tsx';
import { ErrorMessage } from './ErrorMessage.tsx';
import { STATUS_LABEL } from './Home.tsx';
import { PrivacyWarnings } from './PrivacyWarnings.tsx';
import { href, navigate, useAsync } from './hooks.ts';
import { EvidenceNetwork } from './network/EvidenceNetwork.tsx';
import { CLASS_LABEL, inference } from './RankingTable.tsx';
import { labelledText } from '../../server/domain/label-text.ts';

export const PRESENTER_KEYS: Array<[string, string]> = [
  ['→ / PageDown', 'next case'],
  ['← / PageUp', 'previous case'],
  ['↓ / J', 'next therapy'],
  ['↑ / K', 'previous therapy'],
  ['N', 'network on/off'],
  ['D', 'record decision'],
  ['Esc', 'leave presenter'],
];

/** What a key does in presenter mode; undefined when it does nothing. */
export function presenterAction(key: string): 'next-case' | 'prev-case' | 'next-therapy' | 'prev-therapy' | 'network' | 'decision' | 'exit' | undefined {
  switch (key) {
    case 'ArrowRight':
    case 'PageDown':
      return 'next-case';
    case 'ArrowLeft':
    case 'PageUp':
      return 'prev-case';
    case 'ArrowDown':
    case 'j':
    case 'J':
      return 'next-therapy';
    case 'ArrowUp':
    case 'k':
    case 'K':
      return 'prev-therapy';
    case 'n':
    case 'N':
      return 'network';
    case 'd':
    case 'D':
      return 'decision';
    case 'Escape':
      return 'exit';
    default:
      return undefined;
  }
}

const TOP = 8;

export function Presenter({ meetingId, caseHint }: { meetingId: string; caseHint?: string }) {
  const meeting = useAsync(() => getMeeting(meetingId), [meetingId]);
  const agenda = meeting.data?.agenda ?? [];
  const [index, setIndex] = useState(0);
  useEffect(() => {
    if (caseHint && agenda.includes(caseHint)) setIndex(agenda.indexOf(caseHint));
  }, [caseHint, agenda.length]); // eslint-disable-line react-hooks/exhaustive-deps
  const caseId = agenda[index];
  const data = useAsync(() => (caseId ? loadCase(caseId) : Promise.resolve(undefined)), [caseId]);
  const [therapy, setTherapy] = useState(0);
  const [network, setNetwork] = useState(false);
  const [deciding, setDeciding] = useState(false);
  /** Privacy warnings of the decision just saved, for the case they belong to. */
  const [privacy, setPrivacy] = useState<{ caseId: string; warnings: string[] }>();
  const [error, setError] = useState<ApiErrorBody['error']>();
  useEffect(() => {
    setTherapy(0);
    setDeciding(false);
    setError(undefined);
  }, [caseId]);

  const loaded = data.data && data.data.case.id === caseId ? data.data : undefined;
  // A stored ranking of an earlier profile (one was added since) is not shown as the case's: it lacks the new alterations.
  const newestSeq = loaded?.case.profiles[loaded.case.profiles.length - 1]?.seq;
  const outdated = loaded?.snapshot !== undefined && loaded.snapshot.profileSeq !== newestSeq;
  const result = outdated ? undefined : loaded?.snapshot?.result;
  const therapies = result?.therapies ?? [];
  const current = therapies[Math.min(therapy, therapies.length - 1)];
  const explanation = useMemo(() => (result && current ? explainTherapy(result, current.id) : undefined), [result, current]);

  const onKey = useCallback(
    (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      const typing = target.closest('input, textarea, select, [contenteditable]') !== null;
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      // Inside the network drawing the arrow keys move between nodes.
      if (target.closest('.network svg') && e.key.startsWith('Arrow')) return;
      const action = presenterAction(e.key);
      if (!action) return;
      e.preventDefault();
      switch (action) {
        case 'next-case':
          setIndex((i) => Math.min(agenda.length - 1, i + 1));
          break;
        case 'prev-case':
          setIndex((i) => Math.max(0, i - 1));
          break;
        case 'next-therapy':
          setTherapy((t) => Math.min(therapies.length - 1, Math.min(t, therapies.length - 1) + 1));
          break;
        case 'prev-therapy':
          setTherapy((t) => Math.max(0, Math.min(t, therapies.length - 1) - 1));
          break;
        case 'network':
          setNetwork((n) => !n);
          break;
        case 'decision':
          setDeciding(true);
          break;
        case 'exit':
          if (deciding) setDeciding(false);
          else navigate(href());
          break;
      }
    },
    [agenda.length, therapies.length, deciding],
  );
  useEffect(() => {
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onKey]);

  if (meeting.error) return <div className="presenter"><ErrorMessage error={meeting.error} title="Could not open the meeting" /></div>;
  if (!meeting.data) return <div className="presenter"><p role="status">Opening the meeting…</p></div>;
  const c = loaded?.case;
  const labels = new Map(result?.alterations.map((a) => [a.key, a]) ?? []);
  const canDecide = c && (c.status === 'prepared' || c.status === 'discussed');

  return (
    <div className="presenter">
      <header className="presenter-bar">
        <span>
          {meeting.data.date} · {meeting.data.board}
        </span>
        <span aria-live="polite" className="position">
          Case {agenda.length ? index + 1 : 0} of {agenda.length}
        </span>
        <a href={href()} className="exit">
          Leave presenter (Esc)
        </a>
      </header>
      {!caseId ? (
        <p>The agenda is empty.</p>
      ) : !loaded ? (
        data.error ? <ErrorMessage error={data.error} /> : <p role="status">Loading {caseId}…</p>
      ) : (
        <main className="presenter-main" aria-labelledby="presented-case">
          <h1 id="presented-case" data-case={c!.id}>
            {c!.id} <span className="tumour">{c!.tumourType ?? 'no tumour type'}</span> <span className={`status ${c!.status}`}>{STATUS_LABEL[c!.status]}</span>
          </h1>
          <ul className="chips big" aria-label="Alterations">
            {(result?.alterations ?? c!.profiles[c!.profiles.length - 1]!.profile.alterations.map((a) => ({ key: a.key, label: a.label, kind: a.kind, driver: undefined }))).map((a) => (
              <li key={a.key}>
                {a.label} {a.driver && <span className={`driver ${driverStyle({ kind: a.kind, driver: a.driver })}`}>{driverText({ kind: a.kind, driver: a.driver })}</span>}
              </li>
            ))}
          </ul>
          {!result ? (
            <div>
              <p>{outdated ? `Profile ${newestSeq} was added after the stored ranking: rank it before the board discusses the case.` : 'This case has not been ranked yet.'}</p>
              <button
                type="button"
                onClick={() =>
                  rankCase(c!.id).then(
                    () => data.reload(),
                    (err) => setError(errorBody(err)),
                  )
                }
              >
                Rank now
              </button>
              <ErrorMessage error={error} />
            </div>
          ) : (
            <div className={`presenter-grid${network ? ' with-network' : ''}`}>
              <section aria-label="Top therapies">
                <h2>Therapies</h2>
                <ol className="therapy-list">
                  {therapies.slice(0, Math.max(TOP, therapy + 1)).map((t, i) => (
                    <li key={t.id} aria-current={t.id === current?.id ? 'true' : undefined} className={t.id === current?.id ? 'current' : undefined} data-therapy={t.id}>
                      <button type="button" onClick={() => setTherapy(i)}>
                        <span className="rank">{i + 1}</span>
                        <span className="name">{t.drugs.join(' + ')}</span>
                        <span className={`badge ${t.class}`}>{CLASS_LABEL[t.class]}</span>
                        <span className="tier">{t.tier}</span>
                        <span className="score">{t.score.toFixed(0)}</span>
                        {inference(t) !== 'curated' && <span className="inferred-tag">inferred</span>}
                      </button>
                    </li>
                  ))}
                </ol>
                {therapies.length > TOP && <p className="muted">{therapies.length - TOP} more below (↓)</p>}
              </section>
              {current && (
                <section aria-label={`Why ${current.drugs.join(' + ')}`} className="why">
                  <h2>
                    {current.drugs.join(' + ')} <span className={`badge ${current.class}`}>{CLASS_LABEL[current.class]}</span>
                  </h2>
                  <p className="score-line">
                    Score {current.score.toFixed(1)} = +{current.positive.toFixed(1)} {current.negative < 0 ? `− ${Math.abs(current.negative).toFixed(1)}` : '− 0'} · tier {current.tier}
                    {current.oncokb ? ` · OncoKB ${current.oncokb}` : ''}
                  </p>
                  <p>Driven by {current.alterations.map((k) => labels.get(k)?.label ?? k).join(', ')}</p>
                  {current.labelled && <p className="label-basis">{labelledText(current.labelled)}</p>}
                  {network && explanation ? (
                    <div className="presenter-network">
                      <EvidenceNetwork explanation={explanation} title={`Evidence network of ${current.drugs.join(' + ')}`} focusTherapy={current.id} large />
                    </div>
                  ) : (
                    <ol className="presenter-evidence">
                      {[...current.evidence]
                        .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
                        .slice(0, 5)
                        .map((e) => (
                          <li key={e.id}>
                            <span className={`dir ${e.direction}`}>{e.direction}</span> {e.level} ·{' '}
                            <strong>{e.contribution >= 0 ? `+${e.contribution.toFixed(0)}` : `−${Math.abs(e.contribution).toFixed(0)}`}</strong>
                            {e.inference && <span className="inferred-tag">inferred</span>}
                            {e.superiority && <span className="comparison-tag">beat {e.superiority.comparator}</span>}
                            <p>{e.statement}</p>
                            {e.backbone && <p className="muted small backbone">{backboneText(e.backbone)}</p>}
                            <Citations sources={e.sources as Array<Record<string, string>>} />
                          </li>
                        ))}
                    </ol>
                  )}
                </section>
              )}
            </div>
          )}
          <section aria-label="Decision" className="presenter-decision">
            {privacy?.caseId === c!.id && <PrivacyWarnings what="Decision" warnings={privacy.warnings} onDismiss={() => setPrivacy(undefined)} />}
            {loaded.decisions.length > 0 && <DecisionList decisions={loaded.decisions} followUps={loaded.followUps} />}
            {deciding && canDecide && (
              <DecisionForm
                caseId={c!.id}
                meetingId={meetingId}
                result={result}
                therapyId={current?.id}
                autoFocus
                onCancel={() => setDeciding(false)}
                onSaved={(d) => {
                  setPrivacy(d.privacyWarnings?.length ? { caseId: d.caseId, warnings: d.privacyWarnings } : undefined);
                  setDeciding(false);
                  data.reload();
                  meeting.reload();
                }}
              />
            )}
            {deciding && !canDecide && <p className="warn-text">A decision is recorded for a prepared or discussed case (this one is {c!.status}).</p>}
          </section>
        </main>
      )}
      <footer className="keys" aria-label="Keyboard">
        {PRESENTER_KEYS.map(([k, what]) => (
          <span key={k}>
            <kbd>{k}</kbd> {what}
          </span>
        ))}
      </footer>
    </div>
  );
}
