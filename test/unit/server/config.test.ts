/** Settings from the environment (server/main.ts): a security setting is never guessed, a typo stops the start. */
import { describe, expect, it } from 'vitest';
import { bodyLimitFromEnv, ConfigError, cookieSecureFromEnv, numberFromEnv, trustProxyFromEnv } from '../../../server/main.ts';

describe('settings from the environment', () => {
  it('reads MTBNET_COOKIE_SECURE in any case, and refuses anything else, naming it', () => {
    expect([undefined, '', 'auto', 'AUTO'].map(cookieSecureFromEnv)).toEqual(['auto', 'auto', 'auto', 'auto']);
    expect(['true', 'TRUE', '1', ' True '].map(cookieSecureFromEnv)).toEqual([true, true, true, true]);
    expect(['false', 'False', '0'].map(cookieSecureFromEnv)).toEqual([false, false, false]);
    for (const v of ['yes', 'on', 'secure', 'ture']) {
      expect(() => cookieSecureFromEnv(v)).toThrow(ConfigError);
      expect(() => cookieSecureFromEnv(v)).toThrow(new RegExp(`MTBNET_COOKIE_SECURE is "${v}": use true, false or auto`));
    }
  });

  it('reads request limits as whole numbers, and refuses anything else, naming the variable', () => {
    expect(numberFromEnv('MTBNET_LOGIN_LIMIT', undefined)).toBeUndefined();
    expect(numberFromEnv('MTBNET_LOGIN_LIMIT', '')).toBeUndefined();
    expect(numberFromEnv('MTBNET_LOGIN_LIMIT', '0')).toBe(0);
    expect(numberFromEnv('MTBNET_RANK_LIMIT', ' 600 ')).toBe(600);
    for (const v of ['ten', '-5', '1.5', '1e3']) expect(() => numberFromEnv('MTBNET_RANK_LIMIT', v)).toThrow(/MTBNET_RANK_LIMIT is ".*": give a whole number/);
    expect(() => numberFromEnv('MTBNET_MIN_FREE_MB', '1 GB', 'megabytes (0 turns the check off)')).toThrow('MTBNET_MIN_FREE_MB is "1 GB": give a whole number of megabytes (0 turns the check off)');
  });

  it('reads MTBNET_TRUST_PROXY as Express does, and MTBNET_BODY_LIMIT as a size, refusing anything else', () => {
    expect(trustProxyFromEnv('true')).toBe(true);
    expect(trustProxyFromEnv('1')).toBe(1);
    expect(trustProxyFromEnv('loopback, 10.0.0.0/8')).toBe('loopback, 10.0.0.0/8');
    expect(() => trustProxyFromEnv('yes')).toThrow(/MTBNET_TRUST_PROXY is "yes": .*use true, a number of proxies, or their addresses/);
    expect(bodyLimitFromEnv('20mb')).toBe('20mb');
    expect(bodyLimitFromEnv('1048576')).toBe('1048576');
    expect(bodyLimitFromEnv(undefined)).toBeUndefined();
    expect(() => bodyLimitFromEnv('twenty megs')).toThrow(ConfigError);
  });
});
