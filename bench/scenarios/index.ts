import { movieWarmScenario } from './movie-warm.scenario.ts';
import { pingScenario } from './ping.scenario.ts';
import type { Scenario } from './scenario.ts';

/** Every scenario `npm run bench` runs, in order. Add new ones here. */
export const scenarios: Scenario[] = [pingScenario, movieWarmScenario];
