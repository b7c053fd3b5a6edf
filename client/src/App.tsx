/** The board client: a hash-routed shell around the pages. */
import { clearDecisionDrafts } from './Decision.tsx';
import { lazy, Suspense } from 'react';
import { listMeetings } from './api.ts';
import { CaseView } from './CaseView.tsx';
import { ErrorMessage } from './ErrorMessage.tsx';
import { Home } from './Home.tsx';
import { href, useAsync, useRoute } from './hooks.ts';
import { Intake } from './Intake.tsx';
import { Outcomes } from './Outcomes.tsx';
import { Presenter } from './Presenter.tsx';
import { AuthGate } from './SignIn.tsx';
import type { Me } from './api.ts';

const Bench = lazy(() => import('./bench/BenchPage.tsx'));

/** The board behind the sign-in (a fresh install first creates the admin account). */
export function App() {
  return <AuthGate>{(who, signOut) => <Board who={who} signOut={signOut} />}</AuthGate>;
}

function Board({ who, signOut }: { who: Me; signOut: () => void }) {
  const route = useRoute();
  const [page, ...rest] = route.path;
  const meetings = useAsync(listMeetings, [page]);

  if (page === 'present' && rest[0]) return <Presenter meetingId={rest[0]} caseHint={route.query.get('case') ?? undefined} />;
  if (page === 'bench')
    return (
      <Suspense fallback={<p>Loading…</p>}>
        <Bench nodes={Number(route.query.get('n') ?? 1000)} />
      </Suspense>
    );

  const nav = [
    ['', 'Agenda and cases'],
    ['intake', 'New case / quick rank'],
    ['outcomes', 'Outcomes'],
  ] as const;
  return (
    <>
      <a href="#main" className="skip" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header className="app-header">
        <p className="brand">
          <a href={href()}>mtbnet</a> <span>evidence-network therapy ranking for molecular tumour boards</span>
        </p>
        <nav aria-label="Main">
          <ul>
            {nav.map(([p, label]) => (
              <li key={p}>
                <a href={href(...(p ? [p] : []))} aria-current={(page ?? '') === p ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {who.mode === 'accounts' && who.user && (
          <p className="account">
            {who.user.name ?? who.user.id} ({who.user.roles.join(', ')}){' '}
            <button
              type="button"
              className="button"
              onClick={() => {
                // Unsaved decisions stay with whoever typed them, not with the next person at a shared screen.
                clearDecisionDrafts();
                signOut();
              }}
            >
              Sign out
            </button>
          </p>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {meetings.error && page !== 'intake' && <ErrorMessage error={meetings.error} title="Could not load the meetings" />}
        {page === 'intake' ? (
          <Intake meetings={meetings.data} />
        ) : page === 'cases' && rest[0] ? (
          <CaseView id={rest[0]} meetings={meetings.data ?? []} meetingHint={route.query.get('meeting') ?? undefined} />
        ) : page === 'outcomes' ? (
          <Outcomes />
        ) : page === undefined ? (
          <Home meetings={meetings.data ?? []} reloadMeetings={meetings.reload} />
        ) : (
          <p>
            No such page. <a href={href()}>Back to the agenda</a>.
          </p>
        )}
      </main>
    </>
  );
}
