import { describe, expect, it } from 'vitest';
import { trailers, videoUrl } from './trailers.rules.ts';

describe('trailers', () => {
  it('keeps trailers only, official first, newest first, with watch URLs', () => {
    const list = trailers({
      results: [
        { name: 'Old official', site: 'YouTube', key: 'a', type: 'Trailer', official: true, published_at: '2019-01-01T00:00:00.000Z' },
        { name: 'Teaser', site: 'YouTube', key: 'b', type: 'Teaser', official: true, published_at: '2020-01-01T00:00:00.000Z' },
        { name: 'Fan', site: 'Vimeo', key: 'c', type: 'Trailer', official: false, published_at: '2021-01-01T00:00:00.000Z' },
        { name: 'New official', site: 'YouTube', key: 'd', type: 'Trailer', official: true, published_at: '2020-06-01T00:00:00.000Z' },
      ],
    });
    expect(list.map((t) => t.name)).toEqual(['New official', 'Old official', 'Fan']);
    expect(list[2]).toEqual({ name: 'Fan', site: 'Vimeo', key: 'c', url: 'https://vimeo.com/c', official: false, publishedAt: '2021-01-01T00:00:00.000Z' });
  });

  it('gives no URL for unknown sites and [] for no videos', () => {
    expect(videoUrl('Dailymotion', 'x')).toBe('');
    expect(videoUrl('YouTube', 'a b')).toBe('https://www.youtube.com/watch?v=a%20b');
    expect(trailers(undefined)).toEqual([]);
  });
});
