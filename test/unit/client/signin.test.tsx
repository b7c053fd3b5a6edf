/** The sign-in doors: "Sign in with <provider>" appears exactly when the server offers single sign-on. */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FirstAdmin, SignIn } from '../../../client/src/SignIn.tsx';

const sso = { name: 'Klinikum SSO', loginUrl: '/api/auth/oidc/login' };

describe('the sign-in page', () => {
  it('offers "Sign in with Klinikum SSO" as a link to the handshake, and keeps the local form', () => {
    const html = renderToStaticMarkup(<SignIn onDone={() => {}} sso={sso} />);
    expect(html).toContain('<a class="button primary" href="/api/auth/oidc/login">Sign in with Klinikum SSO</a>');
    expect(html).toContain('aria-label="Sign in"');
    expect(html).toContain('name="password"');
  });

  it('shows no single sign-on button when the server offers none', () => {
    for (const none of [null, undefined]) {
      const html = renderToStaticMarkup(<SignIn onDone={() => {}} sso={none} />);
      expect(html).not.toContain('/api/auth/oidc/login');
      expect(html).toContain('Sign in with your mtbnet account');
    }
  });

  it('says on the first-run form that single sign-on opens after the admin account exists, with no button', () => {
    const html = renderToStaticMarkup(<FirstAdmin onDone={() => {}} sso={sso} />);
    expect(html).toContain('Sign-in with Klinikum SSO opens once this account exists.');
    expect(html).not.toContain('href="/api/auth/oidc/login"');
  });
});
