/** Settings from the environment (server/main.ts): a security setting is never guessed, a typo stops the start. */
import { describe, expect, it } from 'vitest';
import { ConfigError, cookieSecureFromEnv, numberFromEnv } from '../../../server/main.ts';

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
  });
});
