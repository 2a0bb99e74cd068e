import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccessLine } from '../../shared/logger.ts';
import type { CachedPage } from './catalog-response.ts';
import { createPageEdge, type PageEdgeOptions } from './page-edge.ts';

/*
 * The page edge on a real Node server, with the app's collaborators replaced by
 * plain functions; whatever the edge does not answer, a fallback handler
 * (standing for Fastify) answers with 299 so the tests can tell who answered.
 */

const body = Buffer.from('{"id":1}');
const page: CachedPage = {
  body,
  etag: '"abc"',
  route: '/movies/:id',
  okHeaders: ['etag', '"abc"', 'x-cache', 'HIT', 'content-type', 'application/json; charset=utf-8', 'content-length', String(body.length)],
  notModifiedHeaders: ['etag', '"abc"', 'x-cache', 'HIT'],
};

interface Reported {
  err: unknown;
  answered: boolean;
  failures: number;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function start(overrides: Partial<PageEdgeOptions>) {
  const lines: AccessLine[] = [];
  const reports: Reported[] = [];
  let clock = 0;
  const edge = createPageEdge({
    responder: { peek: (url) => (url === '/movies/1' ? page : undefined) },
    isKnownClient: (request: IncomingMessage) => request.headers.authorization === 'Bearer good',
    requestId: () => 'id-1',
    corsHeaders: () => ['vary', 'Origin'],
    observe: (line) => lines.push(line),
    closing: () => false,
    onError: (err, _request, detail) => reports.push({ err, ...detail }),
    now: () => clock,
    ...overrides,
  });
  server = createServer((request, response) => {
    if (!edge(request, response)) response.writeHead(299, { 'content-type': 'text/plain' }).end('fallback');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (path = '/movies/1', headers: Record<string, string> = { authorization: 'Bearer good' }) => {
    const res = await fetch(`${base}${path}`, { headers });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  return { get, lines, reports, tick: (ms: number) => (clock += ms) };
}

describe('page edge', () => {
  it('answers a cached page for a known client, and records it', async () => {
    const { get, lines } = await start({});
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"id":1}');
    expect(res.headers.get('x-request-id')).toBe('id-1');
    expect(res.headers.get('vary')).toBe('Origin');
    expect(res.headers.get('x-cache')).toBe('HIT');
    expect(lines).toEqual([expect.objectContaining({ reqId: 'id-1', method: 'GET', url: '/movies/1', route: '/movies/:id', status: 200 })]);
  });

  it('leaves unknown clients, other URLs and a closing server to the fallback', async () => {
    const { get, lines } = await start({});
    expect((await get('/movies/1', { authorization: 'Bearer other' })).status).toBe(299);
    expect((await get('/movies/1', {})).status).toBe(299);
    expect((await get('/movies/2')).status).toBe(299);
    expect(lines).toEqual([]);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const closing = await start({ closing: () => true });
    expect((await closing.get()).status).toBe(299);
  });

  it('hands the request to the fallback when it fails before answering, and reports at most once a minute', async () => {
    const { get, reports, tick } = await start({
      responder: {
        peek: () => {
          throw new Error('cache broke');
        },
      },
    });
    expect((await get()).text).toBe('fallback');
    expect((await get()).text).toBe('fallback');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ answered: false, failures: 1 });
    tick(60_000);
    expect((await get()).status).toBe(299);
    expect(reports).toHaveLength(2);
    expect(reports[1]).toMatchObject({ answered: false, failures: 2 });
  });

  it('falls back when Node refuses a header, before anything was written', async () => {
    const { get, reports } = await start({ corsHeaders: () => ['vary', 'Origin\r\nX-Injected: 1'] });
    const res = await get();
    expect(res.status).toBe(299);
    expect(res.headers.get('x-injected')).toBeNull();
    expect(reports[0]).toMatchObject({ answered: false });
  });

  it('keeps a whole answer whole when recording it fails, and a reporter that throws does not take the server down', async () => {
    const { get } = await start({
      observe: () => {
        throw new Error('metrics broke');
      },
      onError: () => {
        throw new Error('logger broke too');
      },
    });
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"id":1}');
    expect((await get()).status).toBe(200);
  });
});
