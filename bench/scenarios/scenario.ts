import type { Config } from '../../src/config/config.ts';
import type { Container } from '../../src/container.ts';
import type { App } from '../../src/http/app.ts';

/** What a scenario's setup and request builder can use: the running app and a valid client token. */
export interface BenchContext {
  /** Base URL of the MiniMovie server under test, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** A client token signed with the server's secret. */
  token: string;
  app: App;
  container: Container;
  config: Config;
}

export interface BenchRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/movies/550?language=en-US`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One benchmark. The same request is sent to MiniMovie and to a bare Fastify
 * baseline that answers the same bytes, so results are ratios rather than
 * absolute numbers from a noisy machine.
 */
export interface Scenario {
  /** Short id used on the command line: `npm run bench -- <name>`. */
  name: string;
  description: string;
  /** Seed data or warm caches before anything is measured. */
  setup?(ctx: BenchContext): Promise<void> | void;
  request(ctx: BenchContext): BenchRequest;
  /** Status MiniMovie must answer (default 200); the run stops when it does not. */
  expectStatus?: number;
  /**
   * What the baseline answers. By default it replays MiniMovie's own answer to
   * one request: the same body bytes and Content-Type.
   */
  baseline?: { body: string | Buffer; headers: Record<string, string> };
}
