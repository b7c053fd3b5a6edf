/**
 * The ranking of one profile with everything the board does to it: agency
 * switch, class filters, what-if (alterations off, another tumour type; the
 * server re-ranks a JSON profile in a few ms), the evidence network of the
 * selected therapy or of the whole profile, and the evidence behind it as text.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RankResult, TherapyClass } from '../../server/domain/result.ts';
import type { Profile } from '../../server/domain/profile.ts';
import { driverStyle, driverText } from '../../server/domain/driver-text.ts';
import { explainProfile, explainTherapy } from '../../server/scoring/explain.ts';
import { errorBody, rankJson, type Agency, type ApiErrorBody } from './api.ts';
import { ErrorMessage } from './ErrorMessage.tsx';
import { EvidenceTable } from './EvidenceTable.tsx';
import { labelledText } from '../../server/domain/label-text.ts';
import { EvidenceNetwork } from './network/EvidenceNetwork.tsx';
import { whatIfProfile } from './profile-input.ts';
import { CLASSES, CLASS_LABEL, RankingTable } from './RankingTable.tsx';
import { TumourTypeField, useTumourTypes } from './TumourTypeField.tsx';

export interface RankingWorkbenchProps {
  profile: Profile;
  /** A stored ranking of this profile (a snapshot); shown until the board changes something. */
  initial?: RankResult;
  /** Told about the ranking on screen and whether it is a what-if (not the stored one). */
  onResult?: (result: RankResult, whatIf: boolean) => void;
  /** Told which therapy is selected. */
  onSelect?: (therapyId: string | undefined) => void;
}

/** Above this many nodes the whole-profile network is limited to the top therapies. */
const PROFILE_NETWORK_LIMIT = 25;
/** Rows of the ranking shown before "Show all". */
const ROWS = 15;

export function RankingWorkbench({ profile, initial, onResult, onSelect }: RankingWorkbenchProps) {
  const [agency, setAgency] = useState<Agency>((initial?.scoring.agency as Agency) ?? 'FDA');
  const [disabled, setDisabled] = useState<ReadonlySet<string>>(new Set());
  const [tumour, setTumour] = useState<string | undefined>(undefined);
  const [live, setLive] = useState<RankResult>();
  const [error, setError] = useState<ApiErrorBody['error']>();
  const [busy, setBusy] = useState(false);
  const [ms, setMs] = useState<number>();
  const [classes, setClasses] = useState<ReadonlySet<TherapyClass>>(new Set(CLASSES));
  const [selected, setSelected] = useState<string>();
  const [showNetwork, setShowNetwork] = useState(true);
  const [scope, setScope] = useState<'therapy' | 'profile'>('therapy');
  const [all, setAll] = useState(false);
  const types = useTumourTypes();

  const changed = disabled.size > 0 || (tumour !== undefined && tumour !== (profile.tumourType ?? '')) || (initial !== undefined && agency !== initial.scoring.agency);
  const useInitial = initial !== undefined && !changed;

  // Re-rank on every change; a newer request wins.
  const seq = useRef(0);
  useEffect(() => {
    if (useInitial) {
      setLive(undefined);
      setError(undefined);
      return;
    }
    const mine = ++seq.current;
    const ctrl = new AbortController();
    const t0 = performance.now();
    setBusy(true);
    rankJson(whatIfProfile(profile, { disabled, tumourType: tumour || undefined }), agency, ctrl.signal).then(
      (r) => {
        if (mine !== seq.current) return;
        setLive(r);
        setError(undefined);
        setMs(performance.now() - t0);
        setBusy(false);
      },
      (err) => {
        if (mine !== seq.current || ctrl.signal.aborted) return;
        setError(errorBody(err));
        setBusy(false);
      },
    );
    return () => ctrl.abort();
  }, [profile, disabled, tumour, agency, useInitial]);

  const result = useInitial ? initial : live;
  useEffect(() => {
    if (result) onResult?.(result, changed);
  }, [result]); // eslint-disable-line react-hooks/exhaustive-deps

  // Keep the selection when it is still ranked; otherwise select the top.
  const selectedTherapy = result?.therapies.find((t) => t.id === selected) ?? result?.therapies[0];
  useEffect(() => {
    onSelect?.(selectedTherapy?.id);
  }, [selectedTherapy?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const explanation = useMemo(() => {
    if (!result || !selectedTherapy) return undefined;
    return scope === 'therapy' ? explainTherapy(result, selectedTherapy.id) : explainProfile(result, { limit: PROFILE_NETWORK_LIMIT });
  }, [result, selectedTherapy?.id, scope]); // eslint-disable-line react-hooks/exhaustive-deps

  const toggle = (key: string) =>
    setDisabled((d) => {
      const next = new Set(d);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const reset = () => {
    setDisabled(new Set());
    setTumour(undefined);
    if (initial) setAgency(initial.scoring.agency as Agency);
  };
  const driverOf = new Map(result?.alterations.map((a) => [a.key, a]) ?? []);
  const tumourName = (code?: string | null) => (code ? (types.find((t) => t.code === code)?.name ?? 'not in the knowledge base') : 'none');

  return (
    <div className="workbench">
      <section className="controls" aria-label="Ranking options and what-if">
        <fieldset className="whatif">
          <legend>What if: alterations</legend>
          <p className="muted small">Untick an alteration to rank without it. Nothing is saved.</p>
          <ul className="alteration-toggles">
            {profile.alterations.map((a) => (
              <li key={a.key}>
                <label className={disabled.has(a.key) ? 'off' : undefined}>
                  <input type="checkbox" checked={!disabled.has(a.key)} onChange={() => toggle(a.key)} data-alteration={a.key} />
                  {a.label}
                  {driverOf.get(a.key) && <span className={`driver ${driverStyle(driverOf.get(a.key)!)}`}>{driverText(driverOf.get(a.key)!)}</span>}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <fieldset>
          <legend>Tumour type and agency</legend>
          <TumourTypeField
            id="whatif-tumour"
            label="Tumour type (what-if)"
            value={tumour ?? profile.tumourType ?? ''}
            onChange={(v) => setTumour(v.trim().toUpperCase())}
            types={types}
          />
          <div className="agency" role="radiogroup" aria-label="Approvals of">
            {(['FDA', 'EMA'] as const).map((a) => (
              <label key={a}>
                <input type="radio" name="agency" value={a} checked={agency === a} onChange={() => setAgency(a)} />
                {a}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>Show classes</legend>
          {CLASSES.map((c) => (
            <label key={c} className="check">
              <input
                type="checkbox"
                checked={classes.has(c)}
                onChange={() =>
                  setClasses((s) => {
                    const n = new Set(s);
                    if (n.has(c)) n.delete(c);
                    else n.add(c);
                    return n;
                  })
                }
              />
              <span className={`badge ${c}`}>{CLASS_LABEL[c]}</span>
            </label>
          ))}
        </fieldset>
      </section>

      <div className="status-line" role="status" aria-live="polite">
        {busy ? (
          'Ranking…'
        ) : changed ? (
          <span className="whatif-banner">
            What-if ranking (not saved): {disabled.size > 0 ? `${disabled.size} alteration${disabled.size > 1 ? 's' : ''} off` : ''}
            {disabled.size > 0 && tumour !== undefined && tumour !== (profile.tumourType ?? '') ? '; ' : ''}
            {tumour !== undefined && tumour !== (profile.tumourType ?? '') ? `tumour type ${tumour || 'none'}` : ''}
            {initial && agency !== initial.scoring.agency ? ` ${agency} approvals` : ''}
            {ms !== undefined ? ` · re-ranked in ${Math.round(ms)} ms` : ''}{' '}
            <button type="button" className="link-button" onClick={reset}>
              Reset
            </button>
          </span>
        ) : initial ? (
          'Stored ranking (snapshot)'
        ) : ms !== undefined ? (
          `Ranked in ${Math.round(ms)} ms`
        ) : (
          ''
        )}
      </div>
      <ErrorMessage error={error} title="Ranking failed; your choices are kept" />

      {result && (
        <>
          <p className="meta">
            {result.id} · tumour type {result.tumourType ?? 'none'} ({tumourName(result.tumourType)}) · {result.therapies.length} therapies · knowledge base{' '}
            {result.kb.version} ({result.kb.hash}) · scoring v{result.scoring.version}, {result.scoring.agency} approvals
          </p>
          <RankingTable result={result} selected={selectedTherapy?.id} onSelect={setSelected} classes={classes} limit={all ? Infinity : ROWS} />
          {result.therapies.length > ROWS && (
            <button type="button" className="secondary" aria-expanded={all} onClick={() => setAll((a) => !a)}>
              {all ? `Show the first ${ROWS} only` : `Show all ${result.therapies.length} therapies`}
            </button>
          )}
          {result.warnings.length > 0 && (
            <ul className="warnings" aria-label="Ranking warnings">
              {result.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
          {selectedTherapy && (
            <section className="evidence-section" aria-label={`Evidence for ${selectedTherapy.drugs.join(' + ')}`}>
              <div className="section-head">
                <h3>Evidence network: {scope === 'therapy' ? selectedTherapy.drugs.join(' + ') : `whole profile (top ${PROFILE_NETWORK_LIMIT})`}</h3>
                <button type="button" aria-expanded={showNetwork} onClick={() => setShowNetwork((s) => !s)}>
                  {showNetwork ? 'Hide network' : 'Show network'}
                </button>
                <label className="check">
                  <input type="checkbox" checked={scope === 'profile'} onChange={(e) => setScope(e.target.checked ? 'profile' : 'therapy')} />
                  Whole profile
                </label>
              </div>
              {showNetwork && explanation && (
                <EvidenceNetwork
                  explanation={explanation}
                  title={scope === 'therapy' ? `Evidence network of ${selectedTherapy.drugs.join(' + ')}` : 'Evidence network of the profile'}
                  focusTherapy={selectedTherapy.id}
                  onFocusTherapy={setSelected}
                />
              )}
              {selectedTherapy.labelled && (
                <p className="label-basis" data-testid="label-basis">
                  {labelledText(selectedTherapy.labelled, (code) => types.find((t) => t.code === code)?.name)}
                </p>
              )}
              <EvidenceTable therapy={selectedTherapy} result={result} />
            </section>
          )}
        </>
      )}
    </div>
  );
}
