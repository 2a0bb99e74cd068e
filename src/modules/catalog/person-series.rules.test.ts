import { describe, expect, it } from 'vitest';
import { personSeasons, type RawAppendedSeason } from './person-series.rules.ts';

const ep = (n: number, guests: number[] = []) => ({ episode_number: n, name: `E${n}`, air_date: `2020-01-0${n}`, still_path: null, guest_stars: guests.map((id) => ({ id })) });
const still = (p: string | null | undefined) => (p ? `url${p}` : '');

describe('personSeasons', () => {
  const seasons = new Map<number, RawAppendedSeason>([
    [0, { season_number: 0, name: 'Specials', episodes: [ep(1, [7])] }],
    [1, { season_number: 1, name: 'S1', air_date: '2020-01-01', episodes: [ep(1), ep(2), ep(3)] }],
    [2, { season_number: 2, name: 'S2', air_date: '', episodes: [ep(1), ep(2, [7]), ep(3)] }],
    [3, { season_number: 3, name: 'S3', episodes: [ep(1), ep(2)] }],
  ]);

  it('lists every episode for a full-season regular and guest episodes otherwise; specials ignored', () => {
    const maps = new Map([
      [1, new Map([[7, 3]])],
      [2, new Map([[7, 1]])],
    ]);
    const result = personSeasons(7, seasons, maps, 3, still);
    expect(result.map((s) => [s.seasonNumber, s.episodes.map((e) => e.episodeNumber), s.episodeCount])).toEqual([
      [1, [1, 2, 3], 3],
      [2, [2], 1],
    ]);
    expect(result[0]).toMatchObject({ name: 'S1', airDate: '2020-01-01', totalEpisodes: 3 });
    expect(result[1]).not.toHaveProperty('airDate');
  });

  it('keeps a recurring regular in some episodes without guest listings (Go dropped them)', () => {
    const maps = new Map([[3, new Map([[8, 1]])]]);
    expect(personSeasons(8, seasons, maps, 3, still)).toEqual([{ seasonNumber: 3, name: 'S3', totalEpisodes: 2, episodeCount: 1, episodes: [] }]);
  });

  it('is [] (not null) when nothing qualifies', () => {
    expect(personSeasons(99, seasons, new Map(), 3, still)).toEqual([]);
  });
});
