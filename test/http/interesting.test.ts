import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { interestingInfo } from '../../src/data/schema.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { buildTestApp, type TestApp } from '../helpers/build-test-app.ts';
import { factsEnvelope, factsText, startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.ts';
import { startFakeTmdb, type FakeTmdb } from '../helpers/fake-tmdb.ts';

/*
 * GET /interesting/person/{id} (§5.8, §8) against a fake Anthropic Messages API.
 * Every test uses its own person id, so stored rows never leak between tests.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- stored JSON, asserted on

const DAY_MS = 24 * 60 * 60 * 1000;
const clock = fixedClock('2026-11-01T12:00:00Z');
let anthropic: FakeAnthropic;
let tmdb: FakeTmdb;
let t: TestApp;
const statuses: number[] = [];

beforeAll(async () => {
  anthropic = await startFakeAnthropic();
  tmdb = await startFakeTmdb({ fixtures: false });
  t = await buildTestApp({
    env: {
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: anthropic.baseUrl,
      AUGUR_MODEL: 'claude-test-model',
      TMDB_ACCESS_TOKEN: 'test-token',
      TMDB_BASE_URL: tmdb.baseUrl,
    },
    overrides: { clock },
  });
});
afterAll(async () => {
  await t?.close();
  await anthropic?.close();
  await tmdb?.close();
  // Whatever went wrong, nothing here may be a 500.
  expect(statuses).not.toContain(500);
});
/** The names TMDB reports per person id in a test; any other id is 'Tom Cruise'. */
const tmdbNames = new Map<number, string>();
beforeEach(() => {
  tmdb.otherwise('/person/:id', (req) => ({
    body: { id: Number(req.params.id), name: tmdbNames.get(Number(req.params.id)) ?? 'Tom Cruise', combined_credits: { cast: [], crew: [] } },
  }));
});
afterEach(() => {
  anthropic.reset();
  tmdb.reset();
  tmdbNames.clear();
});

async function get(app: TestApp, url: string, headers: Record<string, string> = {}) {
  const res = await app.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${app.clientToken}`, ...headers } });
  statuses.push(res.statusCode);
  return res;
}

const facts = (id: number, name = 'Tom Cruise') => `/interesting/person/${id}?name=${encodeURIComponent(name)}`;

async function storedRow(id: number) {
  const rows = await t.container.db
    .select()
    .from(interestingInfo)
    .where(and(eq(interestingInfo.entityType, 'person'), eq(interestingInfo.entityId, id)));
  return rows[0];
}

describe('GET /interesting/person/{id}: happy path', () => {
  it('answers the facts in the Go key order, with sources, and stores the envelope with an expiry', async () => {
    const res = await get(t, facts(1001));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['netWorth', 'parents', 'siblings', 'children', 'spouse', 'interestingFact', 'notes']);
    expect(Object.keys(body.netWorth)).toEqual(['value', 'confidence', 'sources']);
    expect(body.netWorth).toEqual({ value: 120000000, confidence: 0.9, sources: [{ title: 'About netWorth', url: 'https://example.org/netWorth' }] });
    expect(body.children.value).toEqual(['Isabella Cruise', 'Connor Cruise', 'Suri Cruise']);
    expect(body.spouse.value).toBe('Katie Holmes');
    expect(body.notes).toBe('A famously hands-on actor with a large family.');
    expect(res.headers['cache-control']).toBe('private, max-age=300');
    expect(String(res.headers.vary)).toContain('MM-Cache-Bypass');

    const row = await storedRow(1001);
    expect(row).toMatchObject({ name: 'Tom Cruise', fetchedAt: clock.now() });
    expect(row!.expiresAt!.getTime()).toBe(clock.now().getTime() + 30 * DAY_MS);
    expect((row!.data as Json).data.netWorth).toBe(120000000);
  });

  it('sends one Messages API call: model, web search (max 2 uses), the §8.2 prompt, the key as a bearer token, no temperature', async () => {
    tmdbNames.set(1002, 'Meryl Streep');
    await get(t, facts(1002, 'Meryl Streep'));
    expect(anthropic.calls).toHaveLength(1);
    const [call] = anthropic.calls;
    expect(call!.headers.authorization).toBe('Bearer test-key');
    expect(call!.body.model).toBe('claude-test-model');
    expect(call!.body.max_tokens).toBe(4096);
    expect(call!.body.tools).toEqual([{ type: 'web_search_20250305', name: 'web_search', max_uses: 2 }]);
    expect(call!.body).not.toHaveProperty('temperature');
    expect(call!.prompt).toContain('Net worth, family relationships, and one interesting fact for the actor/actress <person>Meryl Streep</person>');
    expect(call!.prompt).toContain('Focus on USD net worth and immediate family');
    expect(call!.body.system).toContain('"meta"');
  });

  it('reads JSON in a markdown fence and JSON wrapped in prose', async () => {
    anthropic.enqueue({ text: 'Here you go:\n```json\n' + factsText({ spouse: 'Fenced' }) + '\n```\nHope this helps.' });
    const fenced = await get(t, facts(1003));
    expect(fenced.statusCode, fenced.body).toBe(200);
    expect(fenced.json().spouse.value).toBe('Fenced');

    anthropic.enqueue({ text: 'Based on my research, ' + factsText({ spouse: 'Prose' }) + ' — all figures are estimates.' });
    const prose = await get(t, facts(1004));
    expect(prose.statusCode, prose.body).toBe(200);
    expect(prose.json().spouse.value).toBe('Prose');
  });

  it('coerces "$400 million" to a number and a single name to a one-element list', async () => {
    anthropic.enqueue({ text: factsText({ netWorth: '$400 million', parents: 'Jane Doe', siblings: null, confidence: { netWorth: 0.8, parents: 0.8, siblings: 0.8 } }) });
    const body = (await get(t, facts(1005))).json();
    expect(body.netWorth.value).toBe(400_000_000);
    expect(body.parents.value).toEqual(['Jane Doe']);
    expect(body.siblings.value).toBeNull();
  });

  it('continues a paused server-tool turn (stop_reason pause_turn) and reads the final text', async () => {
    anthropic.enqueue({ text: 'Still searching...', stopReason: 'pause_turn' }, { text: factsText({ spouse: 'After Pause' }) });
    const res = await get(t, facts(1008));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().spouse.value).toBe('After Pause');
    expect(anthropic.calls).toHaveLength(2);
    expect(anthropic.calls[1]!.body.messages.map((m: Json) => m.role)).toEqual(['user', 'assistant']);
  });

  it('retries with a focused prompt when netWorth is missing, and merges the answer', async () => {
    anthropic.enqueue({ text: factsText({ netWorth: null, confidence: { netWorth: undefined } }) }, { text: JSON.stringify({ data: { netWorth: 5_000_000 }, meta: { netWorth: { confidence: 0.7 } } }) });
    const res = await get(t, facts(1006));
    expect(res.statusCode, res.body).toBe(200);
    expect(anthropic.calls).toHaveLength(2);
    expect(anthropic.calls[1]!.prompt).toContain('Estimated net worth in USD');
    const body = res.json();
    expect(body.netWorth).toEqual({ value: 5_000_000, confidence: 0.7 });
    expect(body.spouse.value).toBe('Katie Holmes');
  });

  it('serves the other facts when netWorth stays unresolved after the retries', async () => {
    anthropic.setDefault({ text: factsText({ netWorth: 'unknown', confidence: { netWorth: undefined } }) });
    const res = await get(t, facts(1007));
    expect(res.statusCode, res.body).toBe(200);
    expect(anthropic.calls).toHaveLength(2);
    expect(res.json()).not.toHaveProperty('netWorth');
    expect(res.json().spouse.value).toBe('Katie Holmes');
  });
});

describe('confidence threshold (AUGUR_MIN_CONFIDENCE 0.65, applied at response time)', () => {
  it('drops facts below the threshold and keeps one exactly at it', async () => {
    anthropic.enqueue({ text: factsText({ confidence: { netWorth: 0.65, parents: 0.64, siblings: 0.2, children: undefined, spouse: 0.9, interestingFact: 0.5 } }) });
    const body = (await get(t, facts(1101))).json();
    expect(Object.keys(body)).toEqual(['netWorth', 'spouse', 'notes']);
    expect(body.netWorth.confidence).toBe(0.65);
    // The stored row keeps every field, so a lower threshold would show them.
    expect(Object.keys((await storedRow(1101))!.data as Json)).toEqual(['data', 'meta', 'notes']);
  });

  it('answers only notes "No data available" when nothing passes', async () => {
    anthropic.enqueue({ text: factsText({ confidence: { netWorth: 0.1, parents: 0.1, siblings: 0.1, children: 0.1, spouse: 0.1, interestingFact: 0.1 } }) });
    const res = await get(t, facts(1102));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ notes: 'No data available' });
  });
});

describe('cache', () => {
  it('serves a second request from interesting_info without calling the model', async () => {
    const first = await get(t, facts(1201));
    const second = await get(t, facts(1201, 'Another Name'));
    expect(second.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    expect(anthropic.calls).toHaveLength(1);
    const metrics = await t.container.metrics.prometheus();
    expect(metrics).toMatch(/cache_operations_total\{[^}]*operation="hit"[^}]*store="interesting_info"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/augur_requests_total\{[^}]*status="success"/);
    expect(metrics).toMatch(/augur_tokens_total\{[^}]*model="claude-test-model"[^}]*kind="input"/);
    expect(metrics).toMatch(/augur_fields_total\{[^}]*outcome="returned"/);
  });

  it('MM-Cache-Bypass: true asks the model again, stores the new answer and is not cacheable', async () => {
    await get(t, facts(1202));
    anthropic.enqueue({ text: factsText({ spouse: 'Fresh Spouse' }) });
    const bypass = await get(t, facts(1202), { 'mm-cache-bypass': 'true' });
    expect(bypass.statusCode).toBe(200);
    expect(bypass.json().spouse.value).toBe('Fresh Spouse');
    expect(bypass.headers['cache-control']).toBe('no-store');
    expect(anthropic.calls).toHaveLength(2);
    // Only exactly "true" bypasses.
    const after = await get(t, facts(1202), { 'mm-cache-bypass': 'TRUE' });
    expect(after.json().spouse.value).toBe('Fresh Spouse');
    expect(anthropic.calls).toHaveLength(2);
  });

  it('shares one model call between 10 concurrent requests for one person', async () => {
    anthropic.setDefault({ text: factsText(), latencyMs: 200 });
    const responses = await Promise.all(Array.from({ length: 10 }, () => get(t, facts(1203))));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(new Set(responses.map((r) => r.body)).size).toBe(1);
    expect(anthropic.calls).toHaveLength(1);
  });

  it('expires stored facts after INTERESTING_INFO_TTL_DAYS (30)', async () => {
    const start = clock.now();
    try {
      await get(t, facts(1204));
      clock.advance(30 * DAY_MS - 1000);
      await get(t, facts(1204));
      expect(anthropic.calls).toHaveLength(1);
      clock.advance(1000);
      await get(t, facts(1204));
      expect(anthropic.calls).toHaveLength(2);
      const row = await storedRow(1204);
      expect(row!.expiresAt!.getTime()).toBe(clock.now().getTime() + 30 * DAY_MS);
    } finally {
      clock.set(start);
    }
  });

  it('expires a person when the TMDB sync sees them change', async () => {
    await get(t, facts(1205));
    await get(t, facts(1206));
    tmdb.on('/person/changes', () => ({ body: { page: 1, total_pages: 1, total_results: 1, results: [{ id: 1205, adult: false }] } }));
    const result = await t.container.personSync.run({ start: '2026-10-30', end: '2026-10-31' });
    expect(result).not.toHaveProperty('skipped');
    expect((await storedRow(1205))!.expiresAt!.getTime()).toBe(clock.now().getTime());

    await get(t, facts(1205));
    await get(t, facts(1206));
    expect(anthropic.calls).toHaveLength(3);
  });

  it('rows written by the Go service (no expires_at) live INTERESTING_INFO_TTL_DAYS after fetched_at', async () => {
    const legacy = (id: number, ageDays: number) => ({
      entityType: 'person',
      entityId: id,
      name: 'Tom Cruise',
      data: factsEnvelope({ spouse: 'From Go' }),
      fetchedAt: new Date(clock.now().getTime() - ageDays * DAY_MS),
      expiresAt: null,
    });
    await t.container.db.insert(interestingInfo).values([legacy(1210, 10), legacy(1211, 31)]);
    expect((await get(t, facts(1210))).json().spouse.value).toBe('From Go');
    expect(anthropic.calls).toHaveLength(0);
    expect((await get(t, facts(1211))).json().spouse.value).toBe('Katie Holmes');
    expect(anthropic.calls).toHaveLength(1);
    await t.container.db.insert(interestingInfo).values(legacy(1212, 31));
    await t.container.cleanup.run();
    expect(await storedRow(1212)).toBeUndefined();
    expect(await storedRow(1210)).toBeDefined();
  });

  it('a stored row that is not a valid envelope is a miss, not an error', async () => {
    await t.container.db.insert(interestingInfo).values({ entityType: 'person', entityId: 1213, name: 'X', data: { data: null }, expiresAt: new Date(clock.now().getTime() + DAY_MS) });
    const res = await get(t, facts(1213));
    expect(res.statusCode).toBe(200);
    expect(anthropic.calls).toHaveLength(1);
  });

  it('the cleanup job purges expired rows and keeps live ones', async () => {
    const start = clock.now();
    try {
      await get(t, facts(1207));
      clock.advance(10 * DAY_MS);
      await get(t, facts(1208));
      clock.advance(25 * DAY_MS);
      const report = await t.container.cleanup.run();
      const table = report.tables.find((r) => r.table === 'interesting_info');
      expect(table?.removed).toBeGreaterThanOrEqual(1);
      expect(await storedRow(1207)).toBeUndefined();
      expect(await storedRow(1208)).toBeDefined();
    } finally {
      clock.set(start);
    }
  });
});

describe('errors', () => {
  it.each([
    ['abc', 'INVALID_ID'],
    ['0', 'INVALID_ID'],
    ['007', 'INVALID_ID'],
    ['-5', 'INVALID_ID'],
    ['3000000000', 'INVALID_ID'],
    ['12345678901', 'INVALID_ID'],
  ])('id %s → 400 %s', async (id, code) => {
    const res = await get(t, `/interesting/person/${id}?name=X`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'Bad Request', code, message: 'Invalid person ID' });
  });

  it.each([
    ['missing', ''],
    ['empty', '?name='],
    ['blank', '?name=%20%20'],
    ['too long', `?name=${'a'.repeat(201)}`],
  ])('name %s → 400 INVALID_NAME', async (_label, query) => {
    const res = await get(t, `/interesting/person/1301${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('INVALID_NAME');
    expect(anthropic.calls).toHaveLength(0);
  });

  it('a name of 200 characters is accepted', async () => {
    expect((await get(t, facts(1302, 'a'.repeat(200)))).statusCode).toBe(200);
  });

  it('Anthropic 429 → 503 LLM_UNAVAILABLE with Retry-After, and nothing stored', async () => {
    anthropic.enqueue({ status: 429, headers: { 'retry-after': '17' } });
    const res = await get(t, facts(1303));
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('17');
    expect(res.json()).toMatchObject({ error: 'Service Unavailable', code: 'LLM_UNAVAILABLE' });
    expect(anthropic.calls).toHaveLength(1);
    expect(await storedRow(1303)).toBeUndefined();
  });

  it('Anthropic 529 (overloaded) → 503 LLM_UNAVAILABLE with a default Retry-After', async () => {
    anthropic.enqueue({ status: 529 });
    const res = await get(t, facts(1304));
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('Anthropic 500 → 502 LLM_ERROR', async () => {
    anthropic.enqueue({ status: 500 });
    const res = await get(t, facts(1305));
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ error: 'Bad Gateway', code: 'LLM_ERROR' });
  });

  it('an unreachable Anthropic → 502 LLM_ERROR', async () => {
    const dead = await startFakeAnthropic();
    const url = dead.baseUrl;
    await dead.close();
    const app = await buildTestApp({ env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: url, TMDB_ACCESS_TOKEN: 't', TMDB_BASE_URL: tmdb.baseUrl } });
    try {
      const res = await get(app, facts(1306));
      expect(res.statusCode).toBe(502);
      expect(res.json().code).toBe('LLM_ERROR');
    } finally {
      await app.close();
    }
  });

  it.each([
    ['prose without JSON', 'I could not find anything about this person.'],
    ['truncated JSON', factsText().slice(0, 80)],
    ['JSON of the wrong shape', '{"data": "nothing"}'],
    ['a JSON array', '[1, 2, 3]'],
    ['an empty reply', ''],
  ])('unusable model output (%s) on every attempt → 502 LLM_ERROR after the retry', async (_label, text) => {
    anthropic.setDefault({ text });
    const res = await get(t, facts(1310 + text.length));
    expect(res.statusCode, res.body).toBe(502);
    expect(res.json().code).toBe('LLM_ERROR');
    expect(anthropic.calls).toHaveLength(2);
    expect(anthropic.calls[1]!.prompt).toContain('could not be parsed');
  });

  it('malformed output, then a good reply on the retry → 200', async () => {
    anthropic.enqueue({ text: '{"data": {"netWorth": ' }, { text: factsText() });
    const res = await get(t, facts(1320));
    expect(res.statusCode).toBe(200);
    expect(res.json().netWorth.value).toBe(120000000);
  });

  it('model output with a javascript: source, an over-long value and a percentage confidence is sanitised', async () => {
    const envelope = factsEnvelope({ interestingFact: 'x'.repeat(5000) });
    (envelope.meta as Json).spouse = { confidence: '90%', sources: [{ title: 'bad', url: 'javascript:alert(1)' }, { title: 'good', url: 'https://example.org/s' }] };
    anthropic.enqueue({ text: JSON.stringify(envelope) });
    const body = (await get(t, facts(1321))).json();
    expect(body.spouse).toEqual({ value: 'Katie Holmes', confidence: 0.9, sources: [{ title: 'good', url: 'https://example.org/s' }] });
    expect(body.interestingFact.value.length).toBe(2000);
  });
});

describe('timeouts (AUGUR_TIMEOUT=1)', () => {
  it('a model that never answers → 504 LLM_TIMEOUT within the deadline', async () => {
    const app = await buildTestApp({
      env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: anthropic.baseUrl, AUGUR_TIMEOUT: '1', TMDB_ACCESS_TOKEN: 't', TMDB_BASE_URL: tmdb.baseUrl },
    });
    try {
      anthropic.setDefault({ hang: true });
      const started = Date.now();
      const res = await get(app, facts(1401));
      expect(res.statusCode).toBe(504);
      expect(res.json()).toMatchObject({ error: 'Gateway Timeout', code: 'LLM_TIMEOUT' });
      expect(Date.now() - started).toBeLessThan(3000);
      // The shared query has the same deadline: it gives up on the model too.
      await vi.waitFor(() => expect(anthropic.calls[0]!.aborted).toBe(true), { timeout: 2000 });
    } finally {
      await app.close();
    }
  });
});

describe('disabled (no ANTHROPIC_API_KEY)', () => {
  let off: TestApp;
  beforeAll(async () => {
    off = await buildTestApp();
  });
  afterAll(async () => {
    await off?.close();
  });

  it('answers 503 INTERESTING_INFO_DISABLED, before validating the id and the name', async () => {
    for (const url of [facts(1501), '/interesting/person/abc', '/interesting/person/5']) {
      const res = await get(off, url);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ error: 'Service Unavailable', message: 'Person Interesting Info is not available', code: 'INTERESTING_INFO_DISABLED' });
    }
  });

  it('still asks for authentication first', async () => {
    const res = await off.app.inject({ method: 'GET', url: '/interesting/person/abc?name=X' });
    statuses.push(res.statusCode);
    expect(res.statusCode).toBe(401);
  });
});

describe('auth', () => {
  it('401 without a token, with a bad token, and never reaches the model', async () => {
    const none = await t.app.inject({ method: 'GET', url: facts(1601) });
    const bad = await t.app.inject({ method: 'GET', url: facts(1601), headers: { authorization: 'Bearer a.b.c' } });
    statuses.push(none.statusCode, bad.statusCode);
    expect(none.statusCode).toBe(401);
    expect(bad.statusCode).toBe(401);
    expect(anthropic.calls).toHaveLength(0);
  });

  it('401 comes before the 400 of a bad id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/interesting/person/abc' });
    statuses.push(res.statusCode);
    expect(res.statusCode).toBe(401);
  });

  it('is in the OpenAPI document with every status', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = doc.paths['/interesting/person/{id}'].get;
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '500', '502', '503', '504']);
  });
});

describe('GET /interesting/person/{id}: the name comes from TMDB', () => {
  it('asks about and stores under the TMDB name, whatever ?name= says, so facts cannot be planted', async () => {
    tmdbNames.set(1401, 'Rami Malek');
    const res = await get(t, facts(1401, 'Somebody Else'), { 'mm-cache-bypass': 'true' });
    expect(res.statusCode).toBe(200);
    expect(anthropic.calls[0]?.prompt).toContain('Rami Malek');
    expect(anthropic.calls[0]?.prompt).not.toContain('Somebody Else');
    expect((await storedRow(1401))?.name).toBe('Rami Malek');
  });

  it('a person TMDB does not know is 404 PERSON_NOT_FOUND, and the model is not asked', async () => {
    tmdb.on('/person/1402', { status: 404 });
    const res = await get(t, facts(1402));
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('PERSON_NOT_FOUND');
    expect(anthropic.calls).toHaveLength(0);
  });

  it('when TMDB cannot be reached, the caller’s name is used for this answer only and nothing is stored', async () => {
    tmdb.on('/person/1403', { status: 401 });
    const res = await get(t, facts(1403, 'Tom Cruise'));
    expect(res.statusCode).toBe(200);
    expect(await storedRow(1403)).toBeUndefined();
  });
});
