import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { ACCESS_FLUSH_MS, createAccessLogWriter, createLogger, jsonString, redactSecrets, redactUrl, withLazyRequestLoggers } from './logger.ts';

function sinkLines() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter((l) => l.length > 0));
      done();
    },
  });
  return { lines, sink };
}

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
    const { lines, sink } = sinkLines();
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

describe('jsonString', () => {
  it.each(['/movies/1', 'a"b', 'a\\b', 'tab\there', 'x\u0001y', '\ud800 lone', 'é/ü/日本', '', '</script>'])('matches JSON.stringify for %j', (text) => {
    expect(jsonString(text)).toBe(JSON.stringify(text));
  });
});

describe('buffered access lines', () => {
  it('gathers lines and writes them within ACCESS_FLUSH_MS, in order, without waiting for more traffic', async () => {
    vi.useFakeTimers();
    try {
      const { lines, sink } = sinkLines();
      const logger = createLogger({ level: 'info', format: 'json', destination: sink });
      const access = createAccessLogWriter(logger);
      access.write({ reqId: 'a', method: 'GET', url: '/1', route: '/x', status: 200, ms: 1 });
      access.write({ reqId: 'b', method: 'GET', url: '/2', route: '/x', status: 404, ms: 1 });
      expect(lines).toHaveLength(0);
      vi.advanceTimersByTime(ACCESS_FLUSH_MS);
      expect(lines.map((l) => (JSON.parse(l) as { reqId: string }).reqId)).toEqual(['a', 'b']);
      access.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes everything on close, and each later line at once', () => {
    const { lines, sink } = sinkLines();
    const logger = createLogger({ level: 'info', format: 'json', destination: sink });
    const access = createAccessLogWriter(logger);
    access.write({ reqId: 'a', method: 'GET', url: '/1', route: '/x', status: 200, ms: 1 });
    access.close();
    expect(lines).toHaveLength(1);
    access.write({ reqId: 'b', method: 'GET', url: '/2', route: '/x', status: 200, ms: 1 });
    expect(lines).toHaveLength(2);
  });

  it('logs durations to 0.1 ms', () => {
    const { lines, sink } = sinkLines();
    const access = createAccessLogWriter(createLogger({ level: 'info', format: 'json', destination: sink }));
    for (const ms of [0.04, 0.06, 12.345, 7, 1234.56]) access.write({ reqId: 'a', method: 'GET', url: '/', route: '/', status: 200, ms });
    access.close();
    expect(lines.map((l) => (JSON.parse(l) as { ms: number }).ms)).toEqual([0, 0.1, 12.3, 7, 1234.6]);
  });
});

describe('lazy request loggers', () => {
  it('logs with the request bindings and honours a route log level, building the child only when used', () => {
    const { lines, sink } = sinkLines();
    const parent = createLogger({ level: 'info', format: 'json', destination: sink });
    const childSpy = vi.spyOn(parent, 'child');
    const quiet = withLazyRequestLoggers(parent).child({ reqId: 'r-9' }, { level: 'warn' });
    expect(quiet.level).toBe('warn');
    expect(childSpy).not.toHaveBeenCalled();
    quiet.info('dropped');
    quiet.warn({ code: 'X' }, 'kept');
    expect(childSpy).toHaveBeenCalledTimes(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(lines).toHaveLength(1);
    expect(line).toMatchObject({ reqId: 'r-9', code: 'X', msg: 'kept', level: 'warn' });
    const grandchild = withLazyRequestLoggers(parent).child({ reqId: 'r-10' }).child({ step: 2 });
    grandchild.error('boom');
    expect(JSON.parse(lines[1]!)).toMatchObject({ reqId: 'r-10', step: 2, msg: 'boom' });
  });
});

describe('withLazyRequestLoggers', () => {
  it('logs straight through the root and gives lazy children with their bindings', () => {
    const { lines, sink } = sinkLines();
    const parent = createLogger({ level: 'info', format: 'json', destination: sink });
    const root = withLazyRequestLoggers(parent);
    root.info({ step: 'start' }, 'root line');
    const childSpy = vi.spyOn(parent, 'child');
    const request = root.child({ reqId: 'r-1' });
    expect(childSpy).not.toHaveBeenCalled();
    request.error({ err: new Error('x') }, 'failed');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toMatchObject([
      { step: 'start', msg: 'root line' },
      { reqId: 'r-1', msg: 'failed', level: 'error' },
    ]);
    root.level = 'error';
    expect(parent.level).toBe('error');
  });
});
