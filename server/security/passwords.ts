/**
 * Password hashing with node:crypto scrypt (RFC 7914): a random 16-byte salt
 * per password, N = 2^15, r = 8, p = 1, a 64-byte key, compared in constant
 * time. The stored form names its parameters (`scrypt$15$8$1$salt$key`), so
 * they can be raised later and old hashes still verify.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../domain/errors.ts';

export const SCRYPT_DEFAULTS = { logN: 15, r: 8, p: 1, keyLength: 64 };
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

export class WeakPasswordError extends AppError {
  constructor(message: string) {
    super('weak_password', `security/passwords: ${message}`, 400, [{ path: 'password', message }]);
  }
}

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))));
}

const options = (logN: number, r: number, p: number): ScryptOptions => ({ N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r });

/**
 * Throws WeakPasswordError when the password is too short, too long, has fewer than four different characters, or
 * holds the account's username (the first guess anyone makes), whatever its case.
 */
export function checkPasswordPolicy(password: string, username?: string): void {
  if (typeof password !== 'string' || password.length < PASSWORD_MIN_LENGTH) {
    throw new WeakPasswordError(`a password has at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  if (password.length > PASSWORD_MAX_LENGTH) throw new WeakPasswordError(`a password has at most ${PASSWORD_MAX_LENGTH} characters`);
  if (new Set(password).size < 4) throw new WeakPasswordError('a password needs at least 4 different characters');
  const name = username?.normalize('NFC').toLowerCase();
  if (name !== undefined && name.length >= 3 && password.normalize('NFC').toLowerCase().includes(name)) {
    throw new WeakPasswordError('a password must not contain the username');
  }
}

export async function hashPassword(password: string, { logN, r, p, keyLength } = SCRYPT_DEFAULTS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password.normalize('NFC'), salt, keyLength, options(logN, r, p));
  return ['scrypt', logN, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![logN, r, p].every((n) => Number.isInteger(n) && n > 0) || logN > 20) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await scryptAsync(password.normalize('NFC'), salt, expected.length, options(logN, r, p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A password for `mtbnet users add|reset` to print once: 20 characters from a 64-letter alphabet (120 bits). */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
