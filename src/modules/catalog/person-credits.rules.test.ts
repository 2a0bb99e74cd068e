import { describe, expect, it } from 'vitest';
import { filmCredits, genderLabel } from './person-credits.rules.ts';

describe('filmCredits', () => {
  it('takes cast then crew of one media type, sorted by popularity with stable ties, order kept even when 0', () => {
    const list = filmCredits(
      [
        { id: 1, media_type: 'movie', title: 'M1', character: 'Lead', order: 0, popularity: 5 },
        { id: 2, media_type: 'tv', name: 'T1', character: 'Guest', popularity: 9, episode_count: 2, first_air_date: '2001-01-01' },
        { id: 3, media_type: 'movie', title: 'M3', character: '', order: 4, popularity: 5 },
      ],
      [{ id: 1, media_type: 'movie', title: 'M1', job: 'Producer', popularity: 5 }],
      'movie',
    );
    expect(list.map((c) => [c.id, c.type, c.order])).toEqual([
      [1, 'cast', 0],
      [3, 'cast', 4],
      [1, 'crew', undefined],
    ]);
    const tv = filmCredits([{ id: 2, media_type: 'tv', name: 'T1', character: 'Guest', popularity: 9, episode_count: 2, first_air_date: '2001-01-01' }], [], 'tv');
    expect(tv).toEqual([
      { id: 2, title: 'T1', posterUrl: '', releaseDate: '2001-01-01', role: 'Guest', popularity: 9, voteAverage: 0, voteCount: 0, episodeCount: 2, type: 'cast' },
    ]);
  });

  it('maps gender codes', () => {
    expect([0, 1, 2, 3, 7, null].map(genderLabel)).toEqual(['Not specified', 'Female', 'Male', 'Non-binary', 'Not specified', 'Not specified']);
  });
});
