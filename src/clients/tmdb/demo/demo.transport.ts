import { TmdbTransportError, type TmdbRequest, type TmdbResponse, type TmdbTransport } from '../tmdb.transport.ts';
import type { TmdbErrorBody, TmdbPage } from '../tmdb.types.ts';
import { buildDemoCatalog, type DemoCatalog } from './demo-catalog.ts';

const PAGE_SIZE = 20;
const HEADERS = { 'content-type': 'application/json;charset=utf-8' };

const NOT_FOUND: TmdbErrorBody = { success: false, status_code: 34, status_message: 'The resource you requested could not be found.' };
const INVALID_PAGE: TmdbErrorBody = {
  success: false,
  status_code: 22,
  status_message: 'Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.',
};

/** Appends that TMDB also serves on their own, e.g. `/movie/{id}/credits`, with the owner's `id` added. */
const SUB_RESOURCES = ['credits', 'watch/providers', 'videos', 'aggregate_credits', 'combined_credits'] as const;

const SEARCH_KINDS = ['multi', 'movie', 'tv', 'person'] as const;
type SearchKind = (typeof SEARCH_KINDS)[number];

function json(status: number, body: unknown): TmdbResponse {
  return { status, headers: { ...HEADERS }, body: JSON.stringify(body) };
}

/** TMDB accepts pages 1..500 and answers 400 (status_code 22) otherwise. */
function parsePage(raw: string | undefined): number | undefined {
  if (raw === undefined) return 1;
  const page = Number(raw);
  return /^\d+$/.test(raw) && page >= 1 && page <= 500 ? page : undefined;
}

function paginate<T>(items: readonly T[], page: number): TmdbPage<T> {
  return {
    page,
    results: items.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
    total_pages: Math.max(1, Math.ceil(items.length / PAGE_SIZE)),
    total_results: items.length,
  };
}

function search(catalog: DemoCatalog, kind: SearchKind, query: string): unknown[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  const hit = (...texts: string[]) => texts.some((t) => t.toLowerCase().includes(needle));
  const movies = catalog.movies.filter((m) => hit(m.title, m.original_title));
  const series = catalog.series.filter((s) => hit(s.name, s.original_name));
  const people = catalog.people.filter((p) => hit(p.name, p.original_name));
  switch (kind) {
    case 'movie':
      return [...movies].sort((a, b) => b.popularity - a.popularity);
    case 'tv':
      return [...series].sort((a, b) => b.popularity - a.popularity);
    case 'person':
      return [...people].sort((a, b) => b.popularity - a.popularity);
    case 'multi':
      return [
        ...movies.map((m) => ({ ...m, media_type: 'movie' as const })),
        ...series.map((s) => ({ ...s, media_type: 'tv' as const })),
        ...people.map((p) => ({ ...p, media_type: 'person' as const })),
      ].sort((a, b) => b.popularity - a.popularity);
  }
}

/** Answer one TMDB path from the catalog, the way TMDB would (appends, sub-resources, search, 404). */
export function answerFromCatalog(catalog: DemoCatalog, path: string, query: Readonly<Record<string, string>>): TmdbResponse {
  const resource = catalog.resources.get(path);
  if (resource) {
    const body: Record<string, unknown> = { ...resource.base };
    for (const name of (query.append_to_response ?? '').split(',')) {
      const part = resource.appends[name.trim()];
      if (part !== undefined) body[name.trim()] = part;
    }
    return json(200, body);
  }

  for (const name of SUB_RESOURCES) {
    if (!path.endsWith(`/${name}`)) continue;
    const owner = catalog.resources.get(path.slice(0, -name.length - 1));
    const part = owner?.appends[name];
    if (owner && part) return json(200, { id: (owner.base as { id: number }).id, ...part });
  }

  if (path.startsWith('/search/')) {
    const kind = path.slice('/search/'.length);
    if ((SEARCH_KINDS as readonly string[]).includes(kind)) {
      const page = parsePage(query.page);
      if (page === undefined) return json(400, INVALID_PAGE);
      return json(200, paginate(search(catalog, kind as SearchKind, query.query ?? ''), page));
    }
  }

  if (path === '/person/changes') {
    const page = parsePage(query.page);
    if (page === undefined) return json(400, INVALID_PAGE);
    return json(200, paginate([], page));
  }

  return json(404, NOT_FOUND);
}

/**
 * A TMDB transport that answers from the built-in demo catalog, so MiniMovie works offline
 * without a TMDB token. It serves the same paths, appends and error bodies as TMDB;
 * `/person/changes` is always empty.
 */
export function createDemoTransport(catalog: DemoCatalog = buildDemoCatalog()): TmdbTransport {
  return {
    mode: 'demo',
    async request(req: TmdbRequest): Promise<TmdbResponse> {
      if (req.signal?.aborted) throw new TmdbTransportError('aborted', `TMDB call aborted: GET ${req.path}`, { cause: req.signal.reason });
      return answerFromCatalog(catalog, req.path, req.query);
    },
    async close() {},
  };
}
