import { describe, expect, it } from 'vitest';
import { redactSecrets, redactUrl } from './logger.ts';

describe('redactSecrets', () => {
  it('redacts top-level tokens, nested codes and credential headers', () => {
    const out = redactSecrets({
      token: 'abc',
      code: 'MOVIE_NOT_FOUND',
      body: { code: 'one-time', nested: { id_token: 'jwt', keep: 1 } },
      req: { headers: { authorization: 'Bearer x', Cookie: 'jwt=1', accept: 'json' } },
      list: [{ token: 'in-array-kept' }],
    });
    expect(out).toEqual({
      token: '[redacted]',
      code: 'MOVIE_NOT_FOUND',
      body: { code: '[redacted]', nested: { id_token: '[redacted]', keep: 1 } },
      req: { headers: { authorization: '[redacted]', Cookie: '[redacted]', accept: 'json' } },
      list: [{ token: 'in-array-kept' }],
    });
  });

  it('returns the same object when there is nothing to redact', () => {
    const obj = { reqId: 'x', status: 200, nested: { a: 1 } };
    expect(redactSecrets(obj)).toBe(obj);
  });

  it('never mutates the logged object', () => {
    const obj = { body: { refresh_token: 'r' } };
    redactSecrets(obj);
    expect(obj.body.refresh_token).toBe('r');
  });
});

describe('redactUrl', () => {
  it('hides credential query values', () => {
    expect(redactUrl('/auth/token?code=abc&x=1')).toBe('/auth/token?code=[redacted]&x=1');
    expect(redactUrl('/movies/1')).toBe('/movies/1');
  });
});
