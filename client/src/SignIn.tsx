/**
 * The doors of the board application: the first-run form that creates the
 * admin account (a fresh install has no account and no default password), and
 * the sign-in form, with "Sign in with <provider>" when single sign-on is
 * configured (a link: the browser goes to the provider and comes back signed
 * in). `AuthGate` shows one of them until someone is signed in.
 */
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { createFirstAdmin, errorBody, me, signIn, signOut, type ApiErrorBody, type Me } from './api.ts';
import { ErrorMessage } from './ErrorMessage.tsx';

function Door({ title, intro, children }: { title: string; intro: ReactNode; children: ReactNode }) {
  return (
    <main id="main" className="door" tabIndex={-1}>
      <p className="brand">mtbnet</p>
      <h1>{title}</h1>
      {intro}
      {children}
    </main>
  );
}

/** Where single sign-on leads, when the server offers it (GET /api/auth/me `sso`). */
export type Sso = NonNullable<Me['sso']>;

export function FirstAdmin({ onDone, sso }: { onDone: () => void; sso?: Sso | null }) {
  const [error, setError] = useState<ApiErrorBody['error']>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const password = String(f.get('password') ?? '');
    if (password !== String(f.get('repeat') ?? '')) {
      setError({ code: 'mismatch', message: 'The two passwords differ', details: [] });
      return;
    }
    setBusy(true);
    try {
      await createFirstAdmin({ username: String(f.get('username') ?? ''), password, name: String(f.get('name') ?? '') || undefined });
      onDone();
    } catch (err) {
      setError(errorBody(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Door
      title="Create the admin account"
      intro={
        <>
          <p>This mtbnet has no account yet. The first account is the administrator's; it adds the board's other accounts (<code>mtbnet users add</code>). Use at least 12 characters for the password.</p>
          {sso && <p>Sign-in with {sso.name} opens once this account exists.</p>}
        </>
      }
    >
      <form onSubmit={submit} className="door-form" aria-label="Create the admin account">
        <label>User name<input name="username" autoComplete="username" required maxLength={64} /></label>
        <label>Display name (optional)<input name="name" maxLength={200} /></label>
        <label>Password<input name="password" type="password" autoComplete="new-password" required minLength={12} /></label>
        <label>Repeat the password<input name="repeat" type="password" autoComplete="new-password" required minLength={12} /></label>
        <ErrorMessage error={error} title="Could not create the account" />
        <button type="submit" className="button primary" disabled={busy}>Create the admin account</button>
      </form>
    </Door>
  );
}

/** The sign-in page: the single sign-on button first when there is one, then the local account form. */
export function SignIn({ onDone, sso }: { onDone: () => void; sso?: Sso | null }) {
  const [error, setError] = useState<ApiErrorBody['error']>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    try {
      await signIn(String(f.get('username') ?? ''), String(f.get('password') ?? ''));
      onDone();
    } catch (err) {
      setError(errorBody(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Door
      title="Sign in"
      intro={<p>{sso ? `Sign in with your ${sso.name} account, or with an mtbnet account.` : 'Sign in with your mtbnet account. Ask the administrator for one.'}</p>}
    >
      {sso && (
        <p className="door-sso">
          <a className="button primary" href={sso.loginUrl}>Sign in with {sso.name}</a>
        </p>
      )}
      <form onSubmit={submit} className="door-form" aria-label="Sign in">
        <label>User name<input name="username" autoComplete="username" required maxLength={64} /></label>
        <label>Password<input name="password" type="password" autoComplete="current-password" required /></label>
        <ErrorMessage error={error} title="Could not sign in" />
        <button type="submit" className={sso ? 'button secondary' : 'button primary'} disabled={busy}>Sign in</button>
      </form>
    </Door>
  );
}

/** Renders `children(me, signOut)` once someone is signed in; the setup or sign-in form before. */
export function AuthGate({ children }: { children: (who: Me, signOut: () => void) => ReactNode }) {
  const [who, setWho] = useState<Me>();
  const [error, setError] = useState<ApiErrorBody['error']>();
  const refresh = useCallback(() => {
    me().then(setWho, (err) => setError(errorBody(err)));
  }, []);
  useEffect(() => {
    refresh();
    const onSignedOut = () => refresh();
    window.addEventListener('mtbnet:signed-out', onSignedOut);
    return () => window.removeEventListener('mtbnet:signed-out', onSignedOut);
  }, [refresh]);
  if (error && !who) return <ErrorMessage error={error} title="Could not reach the mtbnet server" />;
  if (!who) return <p>Loading…</p>;
  if (who.setupRequired) return <FirstAdmin onDone={refresh} sso={who.sso} />;
  if (!who.user) return <SignIn onDone={refresh} sso={who.sso} />;
  // Signed out of mtbnet; with an end-session page, on to the provider, which sends the browser back here.
  const leave = () => void signOut().then((endSession) => (endSession ? window.location.assign(endSession) : refresh()));
  return <>{children(who, leave)}</>;
}
