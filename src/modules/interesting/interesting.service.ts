import { performance } from 'node:perf_hooks';
import { LlmError, LlmRateLimitedError, LlmTimeoutError, type LlmClient } from '../../clients/llm/anthropic.client.ts';
import type { AugurMetrics } from '../../clients/telemetry/metrics.ts';
import type { InterestingInfoRepository } from '../../data/repositories/interesting-info.repository.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import {
  buildPersonFacts,
  FACT_FIELDS,
  mergeNetWorth,
  parseFactsReply,
  readStoredEnvelope,
  type FactsEnvelope,
  type PersonFacts,
} from './interesting-facts.rules.ts';
import { factsPrompt, netWorthPrompt, strictFactsPrompt } from './interesting.prompt.ts';

/** Anthropic's web search server tool may run at most this many searches per query (§8.2). */
const WEB_SEARCH_MAX_USES = 2;
const QUERY_TYPE = 'person';

export interface InterestingServiceDeps {
  /** Undefined when `ANTHROPIC_API_KEY` is unset: the feature is off. */
  llm: LlmClient | undefined;
  repository: InterestingInfoRepository;
  clock: Clock;
  logger: Logger;
  metrics?: AugurMetrics | undefined;
  cacheEvent?: ((operation: 'hit' | 'miss' | 'write') => void) | undefined;
  /** `AUGUR_MIN_CONFIDENCE`, applied when a response is built. */
  minConfidence: number;
  /** `AUGUR_MAX_RETRIES`: extra model calls when the reply is unusable or `netWorth` is unresolved. */
  maxRetries: number;
  /** `INTERESTING_INFO_TTL_DAYS` in milliseconds. */
  ttlMs: number;
  /** `AUGUR_TIMEOUT`: the longest one shared LLM query may run, retries included. */
  timeoutMs: number;
  /**
   * The person's name as TMDB has it: `{ name }`, `'not_found'`, or undefined
   * when TMDB cannot say right now. Facts are asked for and stored under that
   * name, never under the caller's `?name=`, so nobody can plant facts about
   * someone else under a person's id.
   */
  canonicalName?: (personId: number, signal?: AbortSignal) => Promise<{ name: string } | 'not_found' | undefined>;
}

export interface PersonFactsOptions {
  /** `MM-Cache-Bypass: true`: skip the stored row (the fresh result is still stored). */
  bypassCache?: boolean;
  /** The caller's deadline; when it fires the caller gets 504, but a shared query keeps running for the others. */
  signal?: AbortSignal | undefined;
}

export interface InterestingService {
  /** False without an API key; every call then answers 503 `INTERESTING_INFO_DISABLED`. */
  readonly enabled: boolean;
  /** Net worth, family and one interesting fact about a person, from the cache or the LLM (§8). */
  personFacts(personId: number, name: string, opts?: PersonFactsOptions): Promise<PersonFacts>;
  /** The sync saw these people change: their stored facts expire now. */
  expirePeople(personIds: readonly number[]): Promise<number>;
  /** Delete expired rows (the cleanup job). */
  purgeExpired(now: Date): Promise<number>;
  /** Abort queries in flight and wait for them to settle. */
  close(): Promise<void>;
}

export const disabledError = () => new AppError(503, 'INTERESTING_INFO_DISABLED', 'Person Interesting Info is not available');

/** What an LLM failure means for the caller: 504 on a timeout, 503 with `Retry-After` on a rate limit, else 502. */
export function mapLlmError(err: unknown): unknown {
  if (err instanceof LlmTimeoutError) return new AppError(504, 'LLM_TIMEOUT', 'The language model did not answer in time', undefined, { cause: err });
  if (err instanceof LlmRateLimitedError) {
    return new AppError(503, 'LLM_UNAVAILABLE', 'The language model is busy; try again later', undefined, {
      cause: err,
      headers: { 'retry-after': String(Math.max(1, Math.ceil(err.retryAfterSeconds))) },
    });
  }
  if (err instanceof LlmError) return new AppError(502, 'LLM_ERROR', 'The language model failed or sent an unusable answer', undefined, { cause: err });
  return err;
}

/** Settle with `promise`, or reject with a timeout as soon as `signal` aborts (the promise itself keeps running). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new LlmTimeoutError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new LlmTimeoutError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * Interesting facts about people (§8), with these changes from the Go service:
 * - stored rows expire after `ttlMs`, and when the sync sees the person change;
 * - concurrent requests for one person share one LLM query;
 * - failures say what happened (502/503/504) instead of a 500;
 * - `netWorth` still unresolved after the retries no longer fails the request: the other facts are served.
 */
export function createInterestingService(deps: InterestingServiceDeps): InterestingService {
  const { llm, repository, clock, logger, metrics, minConfidence } = deps;
  const inFlight = new Map<string, Promise<FactsEnvelope>>();
  const closing = new AbortController();
  const rule = () => ({ now: clock.now(), legacyTtlMs: deps.ttlMs });

  async function readCached(personId: number, name: string): Promise<FactsEnvelope | undefined> {
    try {
      const row = await repository.findPerson(personId, rule());
      // A row stored for another name (a renamed person, or an old row) is a miss.
      return row && sameName(row.name, name) ? readStoredEnvelope(row.data) : undefined;
    } catch (err) {
      // As in Go, a failed read is a miss: the LLM can still answer.
      logger.warn({ err, personId }, 'interesting_info read failed');
      return undefined;
    }
  }

  /** The model calls for one person: the first query, then focused retries while the reply is unusable or `netWorth` unresolved. */
  async function ask(client: LlmClient, name: string, signal: AbortSignal): Promise<{ envelope: FactsEnvelope; model: string; input: number; output: number }> {
    let envelope: FactsEnvelope | undefined;
    let model = '';
    let input = 0;
    let output = 0;
    let lastProblem = '';
    for (let attempt = 0; attempt <= deps.maxRetries; attempt++) {
      const prompt = attempt === 0 ? factsPrompt(name) : envelope ? netWorthPrompt(name) : strictFactsPrompt(name);
      const reply = await client.complete({ ...prompt, webSearchMaxUses: WEB_SEARCH_MAX_USES, signal });
      model = reply.model;
      input += reply.inputTokens;
      output += reply.outputTokens;
      const parsed = parseFactsReply(reply.text);
      if (!parsed.ok) {
        lastProblem = parsed.reason;
        logger.warn({ attempt, reason: parsed.reason }, 'unusable LLM reply');
        continue;
      }
      if (!envelope) envelope = parsed.envelope;
      else if (parsed.netWorthResolved) envelope = mergeNetWorth(envelope, parsed.envelope);
      if (envelope.data.netWorth !== null) break;
    }
    if (!envelope) throw new LlmError(`The language model sent no usable answer (${lastProblem})`);
    return { envelope, model, input, output };
  }

  /** One LLM query for a person, shared by every request that arrives while it runs; stores the result. */
  function query(client: LlmClient, personId: number, name: string, store: boolean): Promise<FactsEnvelope> {
    const key = `${personId}:${name.toLowerCase()}`;
    const running = inFlight.get(key);
    if (running) return running;
    const signal = AbortSignal.any([closing.signal, AbortSignal.timeout(deps.timeoutMs)]);
    const started = performance.now();
    const promise = (async () => {
      let result: Awaited<ReturnType<typeof ask>>;
      try {
        result = await ask(client, name, signal);
      } catch (err) {
        metrics?.request({ queryType: QUERY_TYPE, status: 'error', durationSeconds: (performance.now() - started) / 1000 });
        throw err;
      }
      const { envelope } = result;
      const entries = FACT_FIELDS.flatMap((field) => {
        const meta = envelope.meta?.[field];
        return meta ? [{ field, confidence: meta.confidence }] : [];
      });
      metrics?.request({ queryType: QUERY_TYPE, status: entries.length > 0 ? 'success' : 'empty', durationSeconds: (performance.now() - started) / 1000 });
      for (const e of entries) metrics?.field({ ...e, returned: e.confidence >= minConfidence });
      metrics?.tokens({ queryType: QUERY_TYPE, model: result.model, input: result.input, output: result.output });

      const now = clock.now();
      if (!store) return envelope;
      try {
        await repository.upsertPerson({ entityId: personId, name, data: envelope, fetchedAt: now, expiresAt: new Date(now.getTime() + deps.ttlMs) });
        deps.cacheEvent?.('write');
      } catch (err) {
        // As in Go, a failed store is only logged: the caller still gets the facts.
        logger.error({ err, personId }, 'interesting_info write failed');
      }
      return envelope;
    })().finally(() => inFlight.delete(key));
    // Every waiter may have given up (deadline) before the query settles; its failure must not be an unhandled rejection.
    promise.catch(() => undefined);
    inFlight.set(key, promise);
    return promise;
  }

  return {
    enabled: llm !== undefined,

    async personFacts(personId, name, opts = {}) {
      if (!llm) throw disabledError();
      const lookup = async (): Promise<FactsEnvelope> => {
        const canonical = deps.canonicalName ? await deps.canonicalName(personId, opts.signal) : undefined;
        if (canonical === 'not_found') throw new AppError(404, 'PERSON_NOT_FOUND', 'Person not found');
        // Without TMDB's word on the name, the caller's name is used for this answer only and nothing is stored.
        const effective = canonical?.name ?? name.trim();
        const store = canonical !== undefined || !deps.canonicalName;
        if (!opts.bypassCache) {
          const cached = await readCached(personId, effective);
          if (cached) {
            deps.cacheEvent?.('hit');
            return cached;
          }
          deps.cacheEvent?.('miss');
        }
        return query(llm, personId, effective, store);
      };
      try {
        // The deadline covers the cache read too, so a stuck database also ends in a 504.
        return buildPersonFacts(await untilAborted(lookup(), opts.signal), minConfidence);
      } catch (err) {
        throw mapLlmError(err);
      }
    },

    async expirePeople(personIds) {
      if (personIds.length === 0) return 0;
      return repository.expirePeople(personIds, clock.now());
    },

    purgeExpired(now) {
      return repository.deleteExpired({ now, legacyTtlMs: deps.ttlMs });
    },

    async close() {
      closing.abort();
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
