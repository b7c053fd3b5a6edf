/**
 * The start page: today's meeting (or the next one) with its agenda and each
 * case's status, and the case list, searched on the server by case ID, gene,
 * alteration or tumour type (GET /api/case-summaries: one request per page).
 */
import { useMemo, useState, type FormEvent } from 'react';
import { addToAgenda, createMeeting, errorBody, getMeeting, listCaseSummaries, type ApiErrorBody, type CaseStatus, type CaseSummary, type Meeting } from './api.ts';
import { ErrorMessage } from './ErrorMessage.tsx';
import { href, today, useAsync, useDebounced } from './hooks.ts';

export const STATUS_LABEL: Record<CaseStatus, string> = {
  new: 'new',
  prepared: 'prepared',
  discussed: 'discussed',
  decided: 'decided',
  'follow-up': 'follow-up',
};

/** The meeting to show first: today's, else the next one, else the latest. */
export function defaultMeeting(meetings: readonly Meeting[], day = today()): Meeting | undefined {
  const sorted = [...meetings].sort((a, b) => a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt));
  return sorted.find((m) => m.date === day) ?? sorted.find((m) => m.date > day) ?? sorted[sorted.length - 1];
}

/** How many cases one page of the list shows (the most recently updated that match the search). */
export const RECENT_CASES = 300;
/** Agenda case ids per summary request. */
const AGENDA_CHUNK = 100;

export function Home({ meetings, reloadMeetings }: { meetings: Meeting[]; reloadMeetings: () => void }) {
  const [chosen, setChosen] = useState<string>();
  const meeting = meetings.find((m) => m.id === chosen) ?? defaultMeeting(meetings);
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<'' | CaseStatus>('');
  const q = useDebounced(query, 250);
  // The page of the list, searched and filtered on the server.
  const cases = useAsync(() => listCaseSummaries({ q, status: status || undefined, limit: RECENT_CASES }), [q, status]);
  // The shown meeting's agenda, however old its cases.
  const agendaIds = meeting?.agenda ?? [];
  const agendaCases = useAsync(async () => {
    // In pieces of AGENDA_CHUNK ids, so a long agenda stays within the page limit and a URL's length.
    const pieces: string[][] = [];
    for (let i = 0; i < agendaIds.length; i += AGENDA_CHUNK) pieces.push(agendaIds.slice(i, i + AGENDA_CHUNK));
    const pages = await Promise.all(pieces.map((ids) => listCaseSummaries({ ids, limit: ids.length })));
    return pages.flatMap((p) => p.cases);
  }, [agendaIds.join(',')]);
  const byId = useMemo(() => new Map((agendaCases.data ?? []).map((c) => [c.id, c])), [agendaCases.data]);
  const shown = cases.data?.cases ?? [];

  return (
    <div className="home">
      <section aria-labelledby="meeting-h" className="meeting">
        <div className="section-head">
          <h2 id="meeting-h">{meeting ? (meeting.date === today() ? "Today's meeting" : 'Meeting') : 'Meetings'}</h2>
          {meetings.length > 1 && (
            <label htmlFor="meeting-pick" className="inline-label">
              Meeting
              <select id="meeting-pick" value={meeting?.id ?? ''} onChange={(e) => setChosen(e.target.value)}>
                {[...meetings]
                  .sort((a, b) => b.date.localeCompare(a.date))
                  .map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.date} · {m.board}
                    </option>
                  ))}
              </select>
            </label>
          )}
        </div>
        {meeting ? (
          <>
            <ErrorMessage error={agendaCases.error} title="Could not load the agenda's cases" />
            <Agenda meeting={meeting} cases={byId} onChanged={reloadMeetings} candidatesFrom={shown} />
          </>
        ) : (
          <p>No meeting is scheduled yet.</p>
        )}
        <NewMeeting onCreated={reloadMeetings} />
      </section>

      <section aria-labelledby="cases-h" className="cases">
        <div className="section-head">
          <h2 id="cases-h">Cases</h2>
          <a href={href('intake')} className="button">
            New case
          </a>
        </div>
        <div className="row">
          <label htmlFor="search" className="grow">
            Search by case ID, gene or tumour type
            <input id="search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="e.g. KRAS, LUAD, MTB-2025" />
          </label>
          <label htmlFor="status-filter">
            Status
            <select id="status-filter" value={status} onChange={(e) => setStatus(e.target.value as CaseStatus | '')}>
              <option value="">any</option>
              {Object.keys(STATUS_LABEL).map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
        </div>
        <ErrorMessage error={cases.error} title="Could not load the cases" />
        {cases.data && cases.data.total > cases.data.cases.length && (
          <p className="small muted" role="note">
            Showing the {cases.data.cases.length} most recently updated of {cases.data.total} {q || status ? 'matching ' : ''}cases; search by
            case ID, gene or tumour type to find an older one.
          </p>
        )}
        {cases.loading && !cases.data ? (
          <p role="status">Loading cases…</p>
        ) : (
          <table className="case-list" aria-label="Cases">
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Tumour type</th>
                <th scope="col">Status</th>
                <th scope="col">Alterations</th>
                <th scope="col">Top therapy</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => (
                <CaseRow key={c.id} summary={c} />
              ))}
              {shown.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    {q || status ? 'No case matches.' : 'No cases yet.'}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function CaseRow({ summary: c }: { summary: CaseSummary }) {
  return (
    <tr data-case={c.id}>
      <th scope="row">
        <a href={href('cases', c.id)}>{c.id}</a>
      </th>
      <td>{c.tumourType ?? '—'}</td>
      <td>
        <span className={`status ${c.status}`}>{STATUS_LABEL[c.status]}</span>
      </td>
      <td>{c.alterations.map((a) => a.label).join(', ')}</td>
      <td>{c.top[0] ?? <span className="muted">not ranked</span>}</td>
      <td>{c.updatedAt.slice(0, 10)}</td>
    </tr>
  );
}

function Agenda({ meeting, cases, candidatesFrom, onChanged }: { meeting: Meeting; cases: Map<string, CaseSummary>; candidatesFrom: CaseSummary[]; onChanged: () => void }) {
  const detail = useAsync(() => getMeeting(meeting.id), [meeting.id, meeting.agenda.length]);
  const [adding, setAdding] = useState('');
  const [error, setError] = useState<ApiErrorBody['error']>();
  const decided = new Map((detail.data?.decisions ?? []).map((d) => [d.caseId, d]));
  const candidates = candidatesFrom.filter((c) => !meeting.agenda.includes(c.id) && c.status !== 'follow-up');
  async function add(e: FormEvent) {
    e.preventDefault();
    if (!adding) return;
    try {
      await addToAgenda(meeting.id, adding);
      setAdding('');
      setError(undefined);
      onChanged();
    } catch (err) {
      setError(errorBody(err));
    }
  }
  return (
    <div>
      <p className="meta">
        {meeting.date} · {meeting.board}
        {meeting.attendees.length > 0 ? ` · ${meeting.attendees.join(', ')}` : ''}
      </p>
      <table className="agenda" aria-label={`Agenda of ${meeting.date}`}>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Case</th>
            <th scope="col">Tumour type</th>
            <th scope="col">Status</th>
            <th scope="col">Top therapy</th>
            <th scope="col">Decision</th>
          </tr>
        </thead>
        <tbody>
          {meeting.agenda.map((id, i) => {
            const v = cases.get(id);
            const d = decided.get(id);
            return (
              <tr key={id} data-case={id}>
                <td className="num">{i + 1}</td>
                <th scope="row">
                  <a href={`${href('cases', id)}?meeting=${encodeURIComponent(meeting.id)}`}>{id}</a>
                </th>
                <td>{v?.tumourType ?? '—'}</td>
                <td>{v && <span className={`status ${v.status}`}>{STATUS_LABEL[v.status]}</span>}</td>
                <td>{v ? (v.top[0] ?? <span className="muted">not ranked</span>) : null}</td>
                <td>{d ? d.therapy.join(' + ') : <span className="muted">—</span>}</td>
              </tr>
            );
          })}
          {meeting.agenda.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No case on the agenda yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="row">
        {meeting.agenda.length > 0 && (
          <a className="button primary" href={href('present', meeting.id)}>
            Present this meeting
          </a>
        )}
        <form className="inline-form" onSubmit={add} aria-label="Add a case to the agenda">
          <label htmlFor="agenda-add" className="inline-label">
            Add case
            <select id="agenda-add" value={adding} onChange={(e) => setAdding(e.target.value)}>
              <option value="">choose…</option>
              {candidates.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.id} ({c.tumourType ?? 'no type'}, {c.status})
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={!adding}>
            Add to agenda
          </button>
        </form>
      </div>
      <ErrorMessage error={error} />
    </div>
  );
}

function NewMeeting({ onCreated }: { onCreated: () => void }) {
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState(today());
  const [board, setBoard] = useState('Molecular tumour board');
  const [attendees, setAttendees] = useState('');
  const [error, setError] = useState<ApiErrorBody['error']>();
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await createMeeting({ date, board, attendees: attendees.split(',').map((a) => a.trim()).filter(Boolean) });
      setOpen(false);
      setError(undefined);
      onCreated();
    } catch (err) {
      setError(errorBody(err));
    }
  }
  if (!open)
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Schedule a meeting…
      </button>
    );
  return (
    <form onSubmit={submit} aria-label="New meeting" className="card">
      <div className="row">
        <label htmlFor="m-date">
          Date
          <input id="m-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </label>
        <label htmlFor="m-board" className="grow">
          Board
          <input id="m-board" value={board} onChange={(e) => setBoard(e.target.value)} required />
        </label>
        <label htmlFor="m-att" className="grow">
          Attendees (roles or initials, comma-separated)
          <input id="m-att" value={attendees} onChange={(e) => setAttendees(e.target.value)} placeholder="pathologist, AB, CD" />
        </label>
      </div>
      <div className="row">
        <button type="submit">Schedule</button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
