/** One season in which a person appears, with the episodes they are in (§5.6). */
export interface PersonSeason {
  seasonNumber: number;
  name: string;
  airDate?: string;
  totalEpisodes: number;
  episodeCount: number;
  episodes: PersonEpisode[];
}

export interface PersonEpisode {
  episodeNumber: number;
  name: string;
  airDate?: string;
  stillPath?: string;
  stillUrl: string;
}

export interface RawSeasonEpisode {
  episode_number: number;
  name?: string | null;
  air_date?: string | null;
  still_path?: string | null;
  guest_stars?: { id: number }[] | null;
}

export interface RawAppendedSeason {
  season_number: number;
  name?: string | null;
  air_date?: string | null;
  episodes?: RawSeasonEpisode[] | null;
}

/**
 * Which episodes of each regular season a person is in.
 *
 * - A person whose season episode count covers every episode is listed in all of them.
 * - Otherwise the episodes where they are a guest star are listed.
 * - A recurring regular in some but not all episodes, never listed as a guest,
 *   keeps the season with `episodes: []` and their `episodeCount` from the
 *   season cast map (the Go service dropped the season).
 * - Specials (season 0) are not considered; seasons are ascending.
 */
export function personSeasons(
  personId: number,
  seasons: ReadonlyMap<number, RawAppendedSeason>,
  castMaps: ReadonlyMap<number, ReadonlyMap<number, number>>,
  numberOfSeasons: number,
  still: (path: string | null | undefined) => string,
): PersonSeason[] {
  const out: PersonSeason[] = [];
  for (let n = 1; n <= numberOfSeasons; n++) {
    const season = seasons.get(n);
    if (!season) continue;
    const episodes = season.episodes ?? [];
    const count = castMaps.get(n)?.get(personId) ?? 0;
    const inAll = episodes.length > 0 && count >= episodes.length;
    const listed = inAll ? episodes : episodes.filter((e) => (e.guest_stars ?? []).some((g) => g.id === personId));
    if (listed.length === 0 && count === 0) continue;
    const entry: PersonSeason = {
      seasonNumber: n,
      name: season.name ?? '',
      totalEpisodes: episodes.length,
      episodeCount: Math.max(count, listed.length),
      episodes: listed.map((e) => {
        const ep: PersonEpisode = { episodeNumber: e.episode_number, name: e.name ?? '', stillUrl: still(e.still_path) };
        if (e.air_date) ep.airDate = e.air_date;
        if (e.still_path) ep.stillPath = e.still_path;
        return ep;
      }),
    };
    if (season.air_date) entry.airDate = season.air_date;
    out.push(entry);
  }
  return out;
}
