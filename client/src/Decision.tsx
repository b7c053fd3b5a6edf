/**
 * Decision capture in a few keystrokes (therapy preselected, rationale, dissent,
 * Ctrl+Enter saves) and follow-up entry afterwards; the lists of both.
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { RankResult } from '../../server/domain/result.ts';
import { errorBody, recordDecision, recordFollowUp, type ApiErrorBody, type Decision, type FollowUp, type Saved } from './api.ts';
import { ErrorMessage } from './ErrorMessage.tsx';

const OTHER = '__other__';

interface Draft {
  /** The board's own pick, when it changed the preselected therapy; else the therapy on screen is taken. */
  choice?: string;
  other: string;
  rationale: string;
  dissent: string;
  /** The evidence cited, for `choice` (or the therapy it was made for). */
  citedFor: string;
  cited: string[];
  alternatives: string[];
}
/**
 * What was typed for a case at a meeting and not yet saved: closing the form (Esc in the presenter) keeps it, and
 * reopening it (D) brings it back. Only once something was typed or picked; kept for the page's life; cleared when
 * the decision is saved and when the board signs out (clearDecisionDrafts).
 */
const drafts = new Map<string, Draft>();

/** Forget every unsaved decision (sign-out on a shared screen). */
export function clearDecisionDrafts(): void {
  drafts.clear();
}

export interface DecisionFormProps {
  caseId: string;
  meetingId: string;
  result: RankResult | undefined;
  /** Therapy id preselected (the one on screen). */
  therapyId?: string;
  /** The recorded decision, with the server's `privacyWarnings` when the text looks identifying (show them: PrivacyWarnings). */
  onSaved: (d: Saved<Decision>) => void;
  onCancel?: () => void;
  autoFocus?: boolean;
}

/** One form per case and meeting: moving to another case (the same page, other props) starts from that case's own state. */
export function DecisionForm(props: DecisionFormProps) {
  return <CaseDecisionForm key={`${props.meetingId}\u0000${props.caseId}`} {...props} />;
}

function CaseDecisionForm({ caseId, meetingId, result, therapyId, onSaved, onCancel, autoFocus }: DecisionFormProps) {
  const therapies = result?.therapies ?? [];
  const draftKey = `${meetingId}\u0000${caseId}`;
  const ranked = (id: string | undefined) => id !== undefined && (id === OTHER || therapies.some((t) => t.id === id));
  // A draft made against another ranking (the case was ranked again) keeps its text, not choices the ranking lacks.
  const draft = drafts.get(draftKey);
  /** The chosen therapy's evidence the board cites: its supporting evidence unless the board changes it. */
  const supportingEvidence = (id: string) => therapies.find((t) => t.id === id)?.evidence.filter((e) => e.contribution > 0 && !e.inference) ?? [];
  const supporting = (id: string) => supportingEvidence(id).map((e) => e.id);
  const initial = ranked(draft?.choice) ? draft!.choice! : ranked(therapyId) ? therapyId! : (therapies[0]?.id ?? OTHER);
  const [choice, setChoice] = useState(initial);
  const [choiceEdited, setChoiceEdited] = useState(ranked(draft?.choice));
  const [other, setOther] = useState(draft?.other ?? '');
  const [rationale, setRationale] = useState(draft?.rationale ?? '');
  const [dissent, setDissent] = useState(draft?.dissent ?? '');
  const [cited, setCited] = useState<string[]>(() => {
    const own = supporting(initial);
    return draft && draft.citedFor === initial ? draft.cited.filter((id) => own.includes(id)) : own;
  });
  const [alternatives, setAlternatives] = useState<string[]>(() => (draft?.alternatives ?? []).filter((id) => id !== initial && ranked(id)));
  /** Has the board typed or picked anything? Only then is there a draft to keep. */
  const [edited, setEdited] = useState(draft !== undefined);
  useEffect(() => {
    if (edited) drafts.set(draftKey, { choice: choiceEdited ? choice : undefined, other, rationale, dissent, citedFor: choice, cited, alternatives });
  }, [edited, draftKey, choiceEdited, choice, other, rationale, dissent, cited, alternatives]);
  const [error, setError] = useState<ApiErrorBody['error']>();
  const [busy, setBusy] = useState(false);
  const rationaleRef = useRef<HTMLTextAreaElement>(null);
  // The therapy on screen is preselected whenever it changes, unless the board picked one itself.
  const opened = useRef(false);
  useEffect(() => {
    const first = !opened.current;
    opened.current = true;
    if (!first && therapyId && !choiceEdited && ranked(therapyId)) choose(therapyId);
  }, [therapyId]); // eslint-disable-line react-hooks/exhaustive-deps
  function choose(id: string) {
    setChoice(id);
    setCited(supporting(id));
    setAlternatives((a) => a.filter((x) => x !== id));
  }
  /** A change made by the board: from now on the form is a draft. */
  const byBoard = <T,>(set: (v: T) => void) => (v: T) => {
    setEdited(true);
    set(v);
  };
  useEffect(() => {
    if (autoFocus) rationaleRef.current?.focus();
  }, [autoFocus]);

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    const drugs =
      choice === OTHER
        ? other.split(/[+,]/).map((d) => d.trim().toLowerCase()).filter(Boolean)
        : (therapies.find((t) => t.id === choice)?.drugs ?? []);
    setBusy(true);
    try {
      const alternativeDrugs = alternatives.map((id) => therapies.find((t) => t.id === id)?.drugs ?? []).filter((d) => d.length > 0);
      const d = await recordDecision(meetingId, {
        caseId,
        therapy: drugs,
        rationale,
        dissent: dissent.trim() || undefined,
        evidenceCited: choice === OTHER ? [] : cited,
        alternatives: alternativeDrugs,
      });
      drafts.delete(draftKey);
      setError(undefined);
      onSaved(d);
    } catch (err) {
      setError(errorBody(err));
    } finally {
      setBusy(false);
    }
  }
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit();
    } else if (e.key === 'Escape' && onCancel) {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    }
  };
  /** The chosen therapy's supporting evidence, offered to cite. */
  const chosenSupport = choice === OTHER ? [] : supportingEvidence(choice);
  return (
    <form className="decision-form card" onSubmit={submit} onKeyDown={onKeyDown} aria-label="Record the decision">
      <h3>Record the board's decision</h3>
      <div className="row">
        <label htmlFor="d-therapy" className="grow">
          Chosen therapy
          <select
            id="d-therapy"
            value={choice}
            onChange={(e) => {
              setEdited(true);
              setChoiceEdited(true);
              choose(e.target.value);
            }}
          >
            {therapies.map((t, i) => (
              <option key={t.id} value={t.id}>
                #{i + 1} {t.drugs.join(' + ')} ({t.class}, {t.tier})
              </option>
            ))}
            <option value={OTHER}>another therapy…</option>
          </select>
        </label>
        {choice === OTHER && (
          <label htmlFor="d-other" className="grow">
            Drugs (lower-case INN, “+” between)
            <input id="d-other" value={other} onChange={(e) => byBoard(setOther)(e.target.value)} placeholder="e.g. dabrafenib + trametinib" required />
          </label>
        )}
      </div>
      {chosenSupport.length > 0 && (
        <fieldset className="d-cited">
          <legend>Evidence cited</legend>
          {chosenSupport.map((e) => (
              <label key={e.id} className="check">
                <input
                  type="checkbox"
                  checked={cited.includes(e.id)}
                  onChange={(ev) => byBoard(setCited)(ev.target.checked ? [...cited, e.id] : cited.filter((x) => x !== e.id))}
                />
                {e.id} <span className="muted small">({e.level}, {e.tumour})</span>
              </label>
            ))}
        </fieldset>
      )}
      {therapies.length > 1 && (
        <label htmlFor="d-alternatives">
          Alternatives the board named (optional)
          <select
            id="d-alternatives"
            multiple
            size={Math.min(4, therapies.length)}
            value={alternatives}
            onChange={(e) => byBoard(setAlternatives)([...e.target.selectedOptions].map((o) => o.value))}
          >
            {therapies
              .filter((t) => t.id !== choice)
              .map((t) => (
                <option key={t.id} value={t.id}>
                  {t.drugs.join(' + ')}
                </option>
              ))}
          </select>
        </label>
      )}
      <label htmlFor="d-rationale">
        Rationale
        <textarea id="d-rationale" ref={rationaleRef} rows={3} value={rationale} onChange={(e) => byBoard(setRationale)(e.target.value)} required />
      </label>
      <label htmlFor="d-dissent">
        Dissent (optional)
        <textarea id="d-dissent" rows={2} value={dissent} onChange={(e) => byBoard(setDissent)(e.target.value)} />
      </label>
      <div className="row">
        <button type="submit" disabled={busy || rationale.trim() === ''}>
          Save decision
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
        <span className="muted small">Ctrl+Enter saves{onCancel ? ', Esc closes (what you typed is kept until saved)' : ''}.</span>
      </div>
      <ErrorMessage error={error} title="Not saved; your text is kept" />
    </form>
  );
}

export function DecisionList({ decisions, followUps }: { decisions: Decision[]; followUps: FollowUp[] }) {
  if (decisions.length === 0) return <p className="muted">No decision recorded yet.</p>;
  return (
    <ol className="decisions">
      {decisions.map((d) => (
        <li key={d.id} className="card" data-decision={d.id}>
          <p>
            <strong className="decision-therapy">{d.therapy.join(' + ')}</strong>{' '}
            {d.rank ? `(rank ${d.rank}${d.followedTopRank ? ', the top rank' : ''}${d.class ? `, ${d.class}` : ''}${d.tier ? `, tier ${d.tier}` : ''})` : '(not in the ranking)'}
            <span className="muted"> · {d.recordedAt.slice(0, 16).replace('T', ' ')} by {d.recordedBy}</span>
          </p>
          <p>
            <span className="kicker">Rationale</span> {d.rationale}
          </p>
          {d.dissent && (
            <p>
              <span className="kicker">Dissent</span> {d.dissent}
            </p>
          )}
          {followUps
            .filter((f) => f.decisionId === d.id)
            .map((f) => (
              <p key={f.id} className="follow-up">
                <span className="kicker">Follow-up</span>{' '}
                {f.started ? `started${f.startedOn ? ` ${f.startedOn}` : ''}` : `not started: ${f.reasonNotStarted}`}
                {f.bestResponse ? ` · best response ${f.bestResponse}` : ''}
                {f.progressionDate ? ` · progression ${f.progressionDate}` : ''}
              </p>
            ))}
        </li>
      ))}
    </ol>
  );
}

export function FollowUpForm({ caseId, decisionId, onSaved }: { caseId: string; decisionId: string; onSaved: (f: Saved<FollowUp>) => void }) {
  const [started, setStarted] = useState(true);
  const [reason, setReason] = useState('');
  const [startedOn, setStartedOn] = useState('');
  const [response, setResponse] = useState('');
  const [progression, setProgression] = useState('');
  const [error, setError] = useState<ApiErrorBody['error']>();
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const saved = await recordFollowUp(caseId, {
        decisionId,
        started,
        reasonNotStarted: started ? undefined : reason,
        startedOn: started ? startedOn || undefined : undefined,
        bestResponse: started ? response || undefined : undefined,
        progressionDate: started ? progression || undefined : undefined,
      });
      setError(undefined);
      onSaved(saved);
    } catch (err) {
      setError(errorBody(err));
    }
  }
  return (
    <form className="card" onSubmit={submit} aria-label="Record follow-up">
      <h3>Follow-up</h3>
      <fieldset className="row">
        <legend>Treatment</legend>
        <label className="check">
          <input type="radio" name="started" checked={started} onChange={() => setStarted(true)} /> started
        </label>
        <label className="check">
          <input type="radio" name="started" checked={!started} onChange={() => setStarted(false)} /> not started
        </label>
      </fieldset>
      {started ? (
        <div className="row">
          <label htmlFor="f-start">
            Started on
            <input id="f-start" type="date" value={startedOn} onChange={(e) => setStartedOn(e.target.value)} />
          </label>
          <label htmlFor="f-resp">
            Best response (RECIST)
            <select id="f-resp" value={response} onChange={(e) => setResponse(e.target.value)}>
              <option value="">not yet known</option>
              {['CR', 'PR', 'SD', 'PD', 'NE'].map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <label htmlFor="f-prog">
            Progression on
            <input id="f-prog" type="date" value={progression} onChange={(e) => setProgression(e.target.value)} />
          </label>
        </div>
      ) : (
        <label htmlFor="f-reason">
          Why not started
          <input id="f-reason" value={reason} onChange={(e) => setReason(e.target.value)} required />
        </label>
      )}
      <button type="submit">Save follow-up</button>
      <ErrorMessage error={error} title="Not saved; your entries are kept" />
    </form>
  );
}
