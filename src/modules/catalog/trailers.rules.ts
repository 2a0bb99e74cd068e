export interface Trailer {
  name: string;
  site: string;
  key: string;
  url: string;
  official: boolean;
  publishedAt: string;
}

interface RawVideo {
  name?: string | null;
  site?: string | null;
  key?: string | null;
  type?: string | null;
  official?: boolean | null;
  published_at?: string | null;
}
export interface RawVideos {
  results?: RawVideo[] | null;
}

/** A watch URL for the sites we know; `""` for others. */
export function videoUrl(site: string, key: string): string {
  if (!key) return '';
  switch (site.toLowerCase()) {
    case 'youtube':
      return `https://www.youtube.com/watch?v=${encodeURIComponent(key)}`;
    case 'vimeo':
      return `https://vimeo.com/${encodeURIComponent(key)}`;
    default:
      return '';
  }
}

/** Trailers from TMDB videos: official ones first, then newest first; ties keep TMDB order. */
export function trailers(raw: RawVideos | null | undefined): Trailer[] {
  const list = (raw?.results ?? []).filter((v) => v.type === 'Trailer' && v.key);
  const mapped = list.map((v) => ({
    name: v.name ?? '',
    site: v.site ?? '',
    key: v.key ?? '',
    url: videoUrl(v.site ?? '', v.key ?? ''),
    official: v.official === true,
    publishedAt: v.published_at ?? '',
  }));
  return mapped.sort((a, b) => {
    if (a.official !== b.official) return a.official ? -1 : 1;
    const ta = Date.parse(a.publishedAt) || 0;
    const tb = Date.parse(b.publishedAt) || 0;
    return tb - ta;
  });
}
