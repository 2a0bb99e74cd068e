import { createDemoTransport } from './demo/demo.transport.ts';
import type { TmdbConfig } from './tmdb.config.ts';
import { createHttpTransport } from './tmdb-http.transport.ts';
import type { TmdbTransport } from './tmdb.transport.ts';

/** The live HTTP transport when an access token is configured, the built-in demo catalog otherwise. */
export function createTmdbTransport(config: TmdbConfig): TmdbTransport {
  if (!config.accessToken) return createDemoTransport();
  return createHttpTransport({ baseUrl: config.baseUrl, accessToken: config.accessToken, timeoutMs: config.timeoutMs });
}
