import { describe, expect, it } from 'vitest';
import { buildAggregateCredits, buildCredits, castPerson, mergeEpisodeCast } from './credits.rules.ts';

describe('castPerson', () => {
  it('omits order 0 and empty photo, but always has photoUrl', () => {
    expect(castPerson({ id: 1, name: 'A', profile_path: null, character: 'Hero', order: 0 })).toEqual({ id: 1, name: 'A', photoUrl: '', role: 'Hero' });
    expect(castPerson({ id: 2, name: 'B', profile_path: '/b.jpg', character: '', order: 3 })).toEqual({
      id: 2,
      name: 'B',
      photoPath: '/b.jpg',
      photoUrl: 'https://image.tmdb.org/t/p/w92/b.jpg',
      order: 3,
    });
  });
});

describe('buildCredits', () => {
  it('groups crew by exact job, keeps duplicates and TMDB order, drops other jobs, orders keys', () => {
    const credits = buildCredits([], [
      { id: 1, name: 'Writer One', job: 'Story' },
      { id: 2, name: 'Dir', job: 'Director' },
      { id: 1, name: 'Writer One', job: 'Screenplay' },
      { id: 3, name: 'Art', job: 'Art Direction' },
      { id: 4, name: 'director lower', job: 'director' },
      { id: 2, name: 'Dir', job: 'Writer' },
      { id: 5, name: 'Cast', job: 'Casting' },
      { id: 6, name: 'Set', job: 'Set Designer' },
    ]);
    expect(Object.keys(credits)).toEqual(['directors', 'writers', 'productionDesign', 'casting']);
    expect(credits.writers?.map((p) => [p.id, p.role])).toEqual([
      [1, 'Story'],
      [1, 'Screenplay'],
      [2, 'Writer'],
    ]);
    expect(credits.directors).toEqual([{ id: 2, name: 'Dir', photoUrl: '', role: 'Director' }]);
  });

  it('is {} with no credits at all', () => {
    expect(buildCredits([], undefined)).toEqual({});
  });
});

describe('buildAggregateCredits', () => {
  it('takes the first role, the total episode count, and every job of a crew member', () => {
    const credits = buildAggregateCredits(
      [{ id: 9, name: 'Lead', roles: [{ character: 'First' }, { character: 'Second' }], total_episode_count: 45, order: 0 }],
      [{ id: 7, name: 'Maker', jobs: [{ job: 'Art Direction' }, { job: 'Production Design' }, { job: 'Executive Producer' }] }],
    );
    expect(credits.cast).toEqual([{ id: 9, name: 'Lead', photoUrl: '', role: 'First', episodeCount: 45 }]);
    expect(credits.productionDesign?.[0]?.role).toBe('Production Design');
    expect(credits.producers?.[0]?.role).toBe('Executive Producer');
    expect(Object.keys(credits)).toEqual(['cast', 'producers', 'productionDesign']);
  });
});

describe('mergeEpisodeCast', () => {
  it('appends new guests, replaces a regular only for a strictly lower order, and sorts stably', () => {
    const merged = mergeEpisodeCast(
      [
        { id: 1, name: 'R1', order: 0 },
        { id: 2, name: 'R2', order: 5 },
        { id: 3, name: 'R3', order: 2 },
      ],
      [
        { id: 2, name: 'R2 as guest', order: 1 },
        { id: 3, name: 'R3 as guest', order: 2 },
        { id: 4, name: 'G4', order: 558 },
        { id: 5, name: 'G5', order: 2 },
      ],
    );
    expect(merged.map((m) => m.name)).toEqual(['R1', 'R2 as guest', 'R3', 'G5', 'G4']);
  });
});
