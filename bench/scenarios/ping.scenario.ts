import type { Scenario } from './scenario.ts';

/** The cheapest route: measures the fixed cost of MiniMovie's hooks, logging and headers. */
export const pingScenario: Scenario = {
  name: 'ping',
  description: 'GET /ping (no auth, text/plain)',
  request: () => ({ method: 'GET', path: '/ping' }),
  baseline: { body: 'pong', headers: { 'content-type': 'text/plain; charset=utf-8' } },
};
