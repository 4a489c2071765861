import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/load.js';
import { authGuard } from '../src/ops/web/auth-guard.js';
import { hashPassword, verifyPassword } from '../src/ops/web/password-hash.js';

const BASE = 'detectors: { d: { model: a.onnx } }\ncameras: { x: { url: a.mp4 } }\n';
const parse = (http: string, env: Record<string, string> = {}) =>
  parseConfigText(`${BASE}http: ${http}\n`, 'x.yml', env);
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('http.auth and http.allow_anonymous', () => {
  it('refuses a non-loopback listen without a login, naming the key and both fixes', () => {
    expect(() => parse('{ listen: 0.0.0.0:9464 }')).toThrow(
      /http\.listen.*beyond this machine, without a login.*http\.auth\.user.*http\.allow_anonymous: true/s,
    );
    expect(parse('{ listen: 0.0.0.0:9464, allow_anonymous: true }').http).toEqual({
      enabled: true,
      host: '0.0.0.0',
      port: 9464,
    });
    expect(parse('{ listen: 127.0.0.1:9464 }').http.auth).toBeUndefined();
  });

  it('takes a user with an scrypt hash, or a token from the environment', () => {
    const hash = hashPassword('pw');
    expect(parse(`{ listen: 0.0.0.0:1, auth: { user: admin, password_hash: "${hash}" } }`).http.auth).toEqual(
      {
        user: 'admin',
        passwordHash: hash,
      },
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's env-var syntax, on purpose
    expect(parse('{ listen: 0.0.0.0:1, auth: { token: "${TOKEN}" } }', { TOKEN: 't0k' }).http.auth).toEqual({
      token: 't0k',
    });
  });

  it('refuses a password written in place of its hash, and half a login', () => {
    expect(() => parse('{ listen: 0.0.0.0:1, auth: { user: admin, password_hash: hunter2 } }')).toThrow(
      /http\.auth\.password_hash.*not an scrypt hash.*never write the password itself/s,
    );
    expect(() => parse('{ listen: 0.0.0.0:1, auth: { user: admin } }')).toThrow(
      /http\.auth\.password_hash.*needs both `user` and `password_hash`/s,
    );
  });
});

describe('the login guard', () => {
  const guard = authGuard({ user: 'admin', passwordHash: hashPassword('right'), token: 'tok' });
  const status = (path: string, authorization?: string) =>
    guard({ path, headers: authorization ? { authorization } : {} })?.status ?? 200;

  it('lets the right password or token through and challenges everything else but /healthz', () => {
    expect(status('/healthz')).toBe(200);
    expect(status('/')).toBe(401);
    expect(guard({ path: '/', headers: {} })?.headers?.['www-authenticate']).toBe(
      'Basic realm="rxvision", charset="UTF-8"',
    );
    expect(status('/api/cameras', basic('admin', 'wrong'))).toBe(401);
    expect(status('/api/cameras', basic('root', 'right'))).toBe(401);
    expect(status('/api/cameras', basic('admin', 'right'))).toBe(200);
    // The second time comes from the remembered digest: the same answer.
    expect(status('/api/cameras', basic('admin', 'right'))).toBe(200);
    expect(status('/metrics', 'Bearer tok')).toBe(200);
    expect(status('/metrics', 'Bearer tok2')).toBe(401);
    expect(status('/metrics', 'Basic !!!')).toBe(401);
  });

  it('hashes with a fresh salt each time, and verifies only its own password', () => {
    const a = hashPassword('pw');
    expect(a).not.toBe(hashPassword('pw'));
    expect(verifyPassword('pw', a)).toBe(true);
    expect(verifyPassword('pW', a)).toBe(false);
  });
});
