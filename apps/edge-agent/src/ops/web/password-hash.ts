import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** `scrypt:<salt hex>:<key hex>`: scrypt with Node's defaults (N 16384, r 8, p 1), a 64-byte key. */
const FORMAT = /^scrypt:([0-9a-f]{16,}):([0-9a-f]{128})$/;

/** The `http.auth.password_hash` text for `password`, with a fresh random salt. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt:${salt.toString('hex')}:${scryptSync(password, salt, 64).toString('hex')}`;
}

/** Whether `hash` is written as `hashPassword` writes it. */
export function isPasswordHash(hash: string): boolean {
  return FORMAT.test(hash);
}

/** Whether `password` is the one `hash` was made from (constant time in the key). */
export function verifyPassword(password: string, hash: string): boolean {
  const match = FORMAT.exec(hash);
  if (!match?.[1] || !match[2]) return false;
  const expected = Buffer.from(match[2], 'hex');
  return timingSafeEqual(scryptSync(password, Buffer.from(match[1], 'hex'), expected.length), expected);
}
