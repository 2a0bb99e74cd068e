import { TmdbNotFoundError, type TmdbCallOptions, type TmdbClient } from '../../clients/tmdb/tmdb.client.ts';
import type { PeopleRepository, PersonWrite } from '../../data/repositories/people.repository.ts';
import { utcDate, type Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { withTimeout } from '../../shared/timeout.ts';
import type { AgeDates, CatalogContext, CreditAges } from '../catalog/catalog.service.ts';
import type { CreditPerson, Credits } from '../catalog/credits.rules.ts';
import type { SearchResult } from '../catalog/catalog.mappers.ts';
import { age, ageAtEvent, ageRange, currentAge } from './age.rules.ts';
import type { PeopleDatesCache, PersonDates } from './people-dates.cache.ts';
import type { PeopleWriter } from './people-writer.ts';

/** A person whose dates a page needs, with the priority of §6.1 (1 is fetched first). */
export interface PersonRef {
  id: number;
  name: string;
  priority: number;
}

export interface AgesService extends CreditAges {
  /** Dates for these people: memory, then the `people` table, then TMDB within the per-request limit. */
  resolve(refs: readonly PersonRef[], ctx?: Pick<CatalogContext, 'signal' | 'deadline' | 'agesIncomplete'>): Promise<Map<number, PersonDates>>;
  /** Fetch people not known yet (the warm-up job); `failed` counts TMDB failures worth a retry. */
  warm(people: readonly { id: number; name: string }[]): Promise<{ fetched: number; failed: number }>;
  /** Forget cached dates (the sync job saw these people change). */
  forget(ids: readonly number[]): void;
}

export interface AgesDeps {
  tmdb: TmdbClient;
  people: PeopleRepository;
  cache: PeopleDatesCache;
  writer: PeopleWriter;
  clock: Clock;
  logger: Logger;
  maxFetchPerRequest: number;
  /** Queue people beyond the per-request limit for the background warm-up job. */
  enqueueWarmup?: (people: { id: number; name: string }[]) => Promise<void>;
  cacheEvent?: (operation: 'hit' | 'miss' | 'write') => void;
}

const OTHER_CREW: readonly (keyof Credits)[] = ['producers', 'composers', 'cinematographers', 'editors', 'productionDesign', 'costumeDesign', 'casting'];
const DB_READ_TIMEOUT_MS = 3000;

/** People of a credits object in fetch priority: directors, writers, first 10 cast, other cast, other crew. */
export function creditRefs(credits: Credits, extra: CreditPerson[][] = []): PersonRef[] {
  const refs: PersonRef[] = [];
  for (const p of credits.directors ?? []) refs.push({ id: p.id, name: p.name, priority: 1 });
  for (const p of credits.writers ?? []) refs.push({ id: p.id, name: p.name, priority: 2 });
  (credits.cast ?? []).forEach((p, i) => refs.push({ id: p.id, name: p.name, priority: i < 10 ? 3 : 4 }));
  for (const list of extra) for (const p of list) refs.push({ id: p.id, name: p.name, priority: 4 });
  for (const group of OTHER_CREW) for (const p of credits[group] ?? []) refs.push({ id: p.id, name: p.name, priority: 5 });
  return refs;
}

/**
 * De-duplicate by id, keeping each person's best priority, then order by
 * priority; ties keep first-seen order (a stable sort). Duplicates therefore
 * never use up fetch slots (the Go service let them).
 */
export function fetchOrder(refs: readonly PersonRef[]): PersonRef[] {
  const best = new Map<number, PersonRef>();
  for (const ref of refs) {
    const seen = best.get(ref.id);
    if (!seen || ref.priority < seen.priority) best.set(ref.id, seen ? { ...seen, priority: ref.priority } : ref);
  }
  return [...best.values()].sort((a, b) => a.priority - b.priority);
}

function datesOfRow(row: { dateOfBirth: string | null; dateOfDeath: string | null }): PersonDates {
  return { birthday: row.dateOfBirth ?? undefined, deathday: row.dateOfDeath ?? undefined };
}

/**
 * Ages for every credit (§6): resolve dates through three tiers, then apply
 * the age rules. "Today" is the UTC date.
 */
export function createAgesService(deps: AgesDeps): AgesService {
  const { cache, clock, logger } = deps;

  async function readDb(ids: number[]) {
    try {
      return await withTimeout(deps.people.findMany(ids), DB_READ_TIMEOUT_MS, 'people lookup');
    } catch (err) {
      // As in the Go service, a database problem degrades to "not stored" rather than failing the page.
      logger.warn({ err, count: ids.length }, 'people lookup failed; fetching from TMDB instead');
      return [];
    }
  }

  async function fetchPerson(ref: { id: number; name: string }, opts: TmdbCallOptions): Promise<PersonWrite | undefined> {
    try {
      const { data } = await deps.tmdb.person(ref.id, opts);
      return { id: ref.id, name: data.name || ref.name, dateOfBirth: data.birthday || null, dateOfDeath: data.deathday || null };
    } catch (err) {
      // A person TMDB no longer has is stored without dates, so nobody asks for them again until a sync.
      if (err instanceof TmdbNotFoundError) return { id: ref.id, name: ref.name, dateOfBirth: null, dateOfDeath: null };
      logger.debug({ err, personId: ref.id }, 'person fetch for ages failed');
      return undefined;
    }
  }

  async function resolve(refs: readonly PersonRef[], ctx: Pick<CatalogContext, 'signal' | 'deadline' | 'agesIncomplete'> = {}) {
    const result = new Map<number, PersonDates>();
    const ordered = fetchOrder(refs);
    const now = clock.now().getTime();
    const misses: PersonRef[] = [];
    for (const ref of ordered) {
      const hit = cache.get(ref.id, now);
      deps.cacheEvent?.(hit ? 'hit' : 'miss');
      if (hit) result.set(ref.id, hit);
      else misses.push(ref);
    }
    if (misses.length === 0) return result;

    const rows = await readDb(misses.map((m) => m.id));
    const stored = new Map(rows.map((r) => [r.id, r]));
    const toFetch: PersonRef[] = [];
    for (const ref of misses) {
      const row = stored.get(ref.id);
      if (row) {
        // A stale row still gives (old) dates for this page while it is refreshed.
        result.set(ref.id, datesOfRow(row));
        if (row.fetched) cache.set(ref.id, datesOfRow(row), now);
      }
      if (!row || !row.fetched) toFetch.push(ref);
    }
    const now2 = toFetch.slice(0, deps.maxFetchPerRequest);
    const later = toFetch.slice(deps.maxFetchPerRequest);
    const opts: TmdbCallOptions = {
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(ctx.deadline !== undefined ? { deadline: ctx.deadline } : {}),
    };
    const fetched = (await Promise.all(now2.map((ref) => fetchPerson(ref, opts)))).filter((p): p is PersonWrite => p !== undefined);
    for (const p of fetched) {
      const dates = datesOfRow(p);
      result.set(p.id, dates);
      cache.set(p.id, dates, now);
      deps.cacheEvent?.('write');
    }
    if (fetched.length > 0) deps.writer.enqueue(fetched);
    const missing = [...later, ...now2.filter((ref) => !fetched.some((p) => p.id === ref.id))].filter((ref) => !result.has(ref.id));
    if (missing.length > 0) {
      ctx.agesIncomplete = true;
      if (deps.enqueueWarmup) {
        deps.enqueueWarmup(missing.map(({ id, name }) => ({ id, name }))).catch((err: unknown) => {
          logger.warn({ err, count: missing.length }, 'could not queue the people warm-up');
        });
      }
    }
    return result;
  }

  function applyTo(person: CreditPerson, dates: PersonDates | undefined, when: AgeDates, today: string): void {
    if (!dates?.birthday) return;
    person.birthday = dates.birthday;
    if (dates.deathday) person.deathday = dates.deathday;
    const now = currentAge(dates.birthday, dates.deathday, today);
    if (now !== undefined) person.currentAge = now;
    if (when.end && when.end !== when.start) {
      const range = ageRange(dates.birthday, when.start, when.end);
      if (range) person.ageRange = range;
    } else {
      const at = ageAtEvent(dates.birthday, dates.deathday, when.start, today);
      if (at !== undefined) person.ageAtRelease = at;
    }
  }

  return {
    resolve,

    async applyToCredits({ credits, extra }, when, ctx) {
      const refs = creditRefs(credits, extra);
      if (refs.length === 0) return;
      const dates = await resolve(refs, ctx);
      const today = utcDate(clock.now());
      const groups: CreditPerson[][] = [...Object.values(credits), ...(extra ?? [])];
      for (const list of groups) for (const person of list) applyTo(person, dates.get(person.id), when, today);
    },

    async applyToSearch(results: SearchResult[], ctx) {
      const people = results.filter((r) => r.mediaType === 'person');
      if (people.length === 0) return;
      const dates = await resolve(
        people.map((p) => ({ id: p.id, name: p.title, priority: 4 })),
        ctx,
      );
      const today = utcDate(clock.now());
      for (const person of people) {
        const d = dates.get(person.id);
        if (!d?.birthday) continue;
        // -1 means "deceased", as the web client expects; an unparseable birthday just leaves `age` out.
        const value = d.deathday ? (age(d.birthday, today) === undefined ? undefined : -1) : age(d.birthday, today);
        if (value !== undefined) person.age = value;
      }
    },

    async warm(list) {
      const ids = [...new Set(list.map((p) => p.id))];
      const rows = await deps.people.findMany(ids);
      const current = new Set(rows.filter((r) => r.fetched).map((r) => r.id));
      const names = new Map(list.map((p) => [p.id, p.name]));
      const todo = ids.filter((id) => !current.has(id));
      const results = await Promise.all(todo.map((id) => fetchPerson({ id, name: names.get(id) ?? '' }, {})));
      const fetched = results.filter((p): p is PersonWrite => p !== undefined);
      if (fetched.length > 0) await deps.people.upsertFetched(fetched);
      const now = clock.now().getTime();
      for (const p of fetched) cache.set(p.id, datesOfRow(p), now);
      return { fetched: fetched.length, failed: results.length - fetched.length };
    },

    forget(ids) {
      for (const id of ids) cache.delete(id);
    },
  };
}
