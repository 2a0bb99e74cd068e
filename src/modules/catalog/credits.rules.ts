import { IMAGE_SIZES, imageUrl } from './images.ts';

/**
 * A cast or crew member as every title page shows them (§5.0.1). Keys are
 * listed in wire order; the response schema serializes in this order.
 * The age fields are filled by the ages module.
 */
export interface CreditPerson {
  id: number;
  name: string;
  photoPath?: string;
  photoUrl: string;
  role?: string;
  order?: number;
  episodeCount?: number;
  birthday?: string;
  deathday?: string;
  currentAge?: number;
  ageAtRelease?: number;
  ageRange?: string;
}

/** The crew groups, in wire order (§5.0.2). */
export const CREW_GROUPS = [
  'directors',
  'writers',
  'producers',
  'composers',
  'cinematographers',
  'editors',
  'productionDesign',
  'costumeDesign',
  'casting',
] as const;
export type CrewGroup = (typeof CREW_GROUPS)[number];

export type Credits = { cast?: CreditPerson[] } & { [G in CrewGroup]?: CreditPerson[] };

/** Exact, case-sensitive TMDB job → group. Any other job is dropped. */
const JOB_GROUPS: Readonly<Record<string, CrewGroup>> = {
  Director: 'directors',
  Screenplay: 'writers',
  Writer: 'writers',
  Story: 'writers',
  Producer: 'producers',
  'Executive Producer': 'producers',
  'Original Music Composer': 'composers',
  'Director of Photography': 'cinematographers',
  Editor: 'editors',
  'Production Design': 'productionDesign',
  'Set Designer': 'productionDesign',
  'Costume Design': 'costumeDesign',
  Casting: 'casting',
};

export function crewGroupOf(job: string | null | undefined): CrewGroup | undefined {
  return job ? JOB_GROUPS[job] : undefined;
}

interface RawPersonRef {
  id: number;
  name?: string | null;
  profile_path?: string | null;
}
export interface RawCastMember extends RawPersonRef {
  character?: string | null;
  order?: number | null;
}
export interface RawAggregateCastMember extends RawPersonRef {
  roles?: { character?: string | null }[] | null;
  total_episode_count?: number | null;
  order?: number | null;
}
export interface RawCrewMember extends RawPersonRef {
  job?: string | null;
}
export interface RawAggregateCrewMember extends RawPersonRef {
  jobs?: { job?: string | null }[] | null;
}

function basePerson(raw: RawPersonRef): CreditPerson {
  const person: CreditPerson = { id: raw.id, name: raw.name ?? '', photoUrl: imageUrl(raw.profile_path, IMAGE_SIZES.photo) };
  if (raw.profile_path) person.photoPath = raw.profile_path;
  return person;
}

/** A cast member; `order` 0 is omitted, as the Go service did (§3.7). */
export function castPerson(raw: RawCastMember): CreditPerson {
  const p = basePerson(raw);
  if (raw.character) p.role = raw.character;
  if (raw.order) p.order = raw.order;
  return p;
}

/** An aggregate (series or season) cast member: the first role, and the episode count. */
export function aggregateCastPerson(raw: RawAggregateCastMember): CreditPerson {
  const p = basePerson(raw);
  const role = raw.roles?.[0]?.character;
  if (role) p.role = role;
  if (raw.order) p.order = raw.order;
  if (raw.total_episode_count) p.episodeCount = raw.total_episode_count;
  return p;
}

/** A crew member credited with one job. */
export function crewPerson(raw: RawPersonRef, job: string): CreditPerson {
  const p = basePerson(raw);
  if (job) p.role = job;
  return p;
}

function pushGroup(credits: Credits, group: CrewGroup, person: CreditPerson): void {
  (credits[group] ??= []).push(person);
}

/** Put crew into groups in TMDB order, with no de-duplication (one entry per job). */
function addCrew(credits: Credits, crew: readonly RawCrewMember[]): void {
  for (const member of crew) {
    const group = crewGroupOf(member.job);
    if (group) pushGroup(credits, group, crewPerson(member, member.job ?? ''));
  }
}

function addAggregateCrew(credits: Credits, crew: readonly RawAggregateCrewMember[]): void {
  for (const member of crew) {
    for (const { job } of member.jobs ?? []) {
      const group = crewGroupOf(job);
      if (group) pushGroup(credits, group, crewPerson(member, job ?? ''));
    }
  }
}

/** Build a Credits object with keys in wire order; empty groups are left out. */
function ordered(credits: Credits): Credits {
  const out: Credits = {};
  if (credits.cast && credits.cast.length > 0) out.cast = credits.cast;
  for (const group of CREW_GROUPS) {
    const list = credits[group];
    if (list && list.length > 0) out[group] = list;
  }
  return out;
}

/** Credits of a movie or an episode (plain `credits`). */
export function buildCredits(cast: readonly CreditPerson[], crew: readonly RawCrewMember[] | null | undefined): Credits {
  const credits: Credits = { cast: [...cast] };
  addCrew(credits, crew ?? []);
  return ordered(credits);
}

/** Credits of a series or a season (`aggregate_credits`). */
export function buildAggregateCredits(
  cast: readonly RawAggregateCastMember[] | null | undefined,
  crew: readonly RawAggregateCrewMember[] | null | undefined,
): Credits {
  const credits: Credits = { cast: (cast ?? []).map(aggregateCastPerson) };
  addAggregateCrew(credits, crew ?? []);
  return ordered(credits);
}

/**
 * The episode cast merge (§5.5): regulars in order, then each guest star
 * either replaces a regular with the same id (only when its `order` is
 * strictly lower) or is appended; finally a **stable** sort by `order`.
 */
export function mergeEpisodeCast(regulars: readonly RawCastMember[], guests: readonly RawCastMember[]): RawCastMember[] {
  const merged: RawCastMember[] = [...regulars];
  for (const guest of guests) {
    const at = merged.findIndex((m) => m.id === guest.id);
    if (at === -1) merged.push(guest);
    else if ((guest.order ?? 0) < (merged[at]?.order ?? 0)) merged[at] = guest;
  }
  // Array.prototype.sort is stable, so equal orders keep merge order.
  return merged.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
}
