import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CacheStatus } from '../../clients/tmdb/tmdb.client.ts';
import type { Served } from '../../modules/catalog/catalog.service.ts';
import { createLruCache, type LruCache } from '../../shared/lru-cache.ts';

/** A rendered catalog page: the exact bytes sent, and their strong ETag. */
interface Rendered {
  /** Bytes, not a string: Node would otherwise re-encode the whole page on every write. */
  body: Buffer;
  etag: string;
}

/** The headers of a page's answer, as flat name/value lists (what both the Fastify path and the page edge send). */
interface PageHeaders {
  /** Headers of a 200 answer. */
  okHeaders: readonly string[];
  /** Headers of a 304 answer. */
  notModifiedHeaders: readonly string[];
}

/** A page in the rendered-page cache, with its HIT headers, ready to be written to a raw Node response too. */
export interface CachedPage extends Rendered, PageHeaders {
  /** The route pattern that rendered it (`/movies/:id`), for the access log and the metrics. */
  route: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export interface CatalogResponder {
  /** Answer from the rendered-page cache when possible; returns true when the reply was sent. */
  tryCached(request: FastifyRequest, reply: FastifyReply): boolean;
  /** The cached page for this URL while it is fresh (for the server's edge path, which answers without Fastify). */
  peek(url: string): CachedPage | undefined;
  /** Serialize through the route schema, remember the bytes, and send with ETag/304/Cache-Control/X-Cache. */
  send<T>(request: FastifyRequest, reply: FastifyReply, served: Served<T>): FastifyReply;
}

export interface CatalogResponderOptions {
  /** `CACHE_MAX_AGE`; 0 sends no Cache-Control. */
  cacheMaxAge: number;
  /** Bytes for rendered pages; 0 turns the cache off. */
  cacheBytes: number;
  /** How long a rendered page is reused. */
  ttlMs: number;
  now?: () => number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** What a cached page costs besides its body and URL (its header lists and the entry), counted against the cache's bytes. */
const PAGE_OVERHEAD_BYTES = 512;

/** Strong ETag: a hash of the exact bytes (so any change, even in ages, changes it). */
export function strongEtag(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/**
 * True when `If-None-Match` lists this ETag (or `*`). If-None-Match uses the weak comparison
 * (RFC 9110 §13.1.2), so `W/"x"` matches our `"x"`: proxies that compress a response weaken its ETag.
 */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);
  return header.split(',').some((tag) => opaque(tag.trim()) === opaque(etag));
}

/**
 * Sends catalog pages. A rendered page is reused for `ttlMs` (never past the
 * next UTC midnight, because ages change with the date), so a warm request
 * costs a map lookup and a socket write instead of mapping and serializing
 * the whole page again. Only pages fully served from fresh TMDB data and with
 * complete ages are reused; STALE pages are always rebuilt.
 */
export function createCatalogResponder(opts: CatalogResponderOptions): CatalogResponder {
  const now = opts.now ?? Date.now;
  const pages: LruCache<string, CachedPage> | undefined = opts.cacheBytes > 0 ? createLruCache(opts.cacheBytes) : undefined;
  const cacheControl = opts.cacheMaxAge > 0 ? `public, max-age=${opts.cacheMaxAge}, s-maxage=${opts.cacheMaxAge}` : undefined;

  function headersOf(page: Rendered, cache: CacheStatus): PageHeaders {
    const notModifiedHeaders = ['etag', page.etag, 'x-cache', cache, ...(cacheControl ? ['cache-control', cacheControl] : [])];
    return { notModifiedHeaders, okHeaders: [...notModifiedHeaders, 'content-type', JSON_TYPE, 'content-length', String(page.body.length)] };
  }

  function write(request: FastifyRequest, reply: FastifyReply, page: Rendered, headers: PageHeaders): FastifyReply {
    const notModified = matchesIfNoneMatch(request.headers['if-none-match'], page.etag);
    const list = notModified ? headers.notModifiedHeaders : headers.okHeaders;
    for (let i = 0; i < list.length; i += 2) void reply.header(list[i]!, list[i + 1]!);
    return notModified ? reply.code(304).send() : reply.send(page.body);
  }

  return {
    tryCached(request, reply) {
      const page = pages?.get(request.url, now());
      if (!page) return false;
      void write(request, reply, page, page);
      return true;
    },
    peek(url) {
      return pages?.get(url, now());
    },
    send(request, reply, served) {
      const body = Buffer.from(reply.serialize(served.body) as string);
      const page: Rendered = { body, etag: strongEtag(body) };
      const headers = headersOf(page, served.cache);
      if (pages && served.cache !== 'STALE' && served.complete !== false) {
        const t = now();
        const midnight = Math.ceil((t + 1) / DAY_MS) * DAY_MS;
        const entry: CachedPage = { ...page, ...(served.cache === 'HIT' ? headers : headersOf(page, 'HIT')), route: request.routeOptions.url ?? 'unknown' };
        pages.set(request.url, entry, { weight: body.length + request.url.length + PAGE_OVERHEAD_BYTES, expiresAt: Math.min(t + opts.ttlMs, midnight) });
      }
      return write(request, reply, page, headers);
    },
  };
}
