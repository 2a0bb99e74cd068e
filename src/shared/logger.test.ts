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

describe('createAccessLogWriter', () => {
  it('writes one JSON line with the same shape as pino lines, and honours the level', async () => {
    const { Writable } = await import('node:stream');
    const { createAccessLogWriter, createLogger } = await import('./logger.ts');
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'info', format: 'json', destination: sink });
    const write = createAccessLogWriter(logger);
    write.write({ reqId: 'r-1', method: 'GET', url: '/movies/1?q="x"', route: '/movies/:id', status: 200, ms: 1.5 });
    write.flush();
    logger.info({ a: 1 }, 'other');
    const access = JSON.parse(lines[0]!);
    const other = JSON.parse(lines[1]!);
    expect(access).toMatchObject({ level: 'info', service: 'minimovie', reqId: 'r-1', method: 'GET', url: '/movies/1?q="x"', route: '/movies/:id', status: 200, ms: 1.5, msg: 'request completed' });
    expect(Object.keys(access).slice(0, 3)).toEqual(Object.keys(other).slice(0, 3));
    expect(Number.isNaN(Date.parse(access.time))).toBe(false);
    logger.level = 'warn';
    write.write({ reqId: 'r-2', method: 'GET', url: '/', route: '/', status: 200, ms: 1 });
    write.flush();
    expect(lines).toHaveLength(2);
  });
});
