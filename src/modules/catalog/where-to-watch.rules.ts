import { IMAGE_SIZES, imageUrl } from './images.ts';

export interface Provider {
  name: string;
  logoPath: string;
  logoUrl: string;
}

export interface WhereToWatch {
  stream?: Provider[];
  rent?: Provider[];
  buy?: Provider[];
  free?: Provider[];
  ads?: Provider[];
}

interface RawProvider {
  provider_name?: string | null;
  logo_path?: string | null;
}
interface RawCountryProviders {
  flatrate?: RawProvider[] | null;
  rent?: RawProvider[] | null;
  buy?: RawProvider[] | null;
  free?: RawProvider[] | null;
  ads?: RawProvider[] | null;
}
export interface RawWatchProviders {
  results?: Record<string, RawCountryProviders | undefined> | null;
}

const toProvider = (p: RawProvider): Provider => ({
  name: p.provider_name ?? '',
  logoPath: p.logo_path ?? '',
  logoUrl: imageUrl(p.logo_path, IMAGE_SIZES.providerLogo),
});

/**
 * Providers for one country (§5.0.3), TMDB order kept. Undefined when TMDB has
 * no entry for the country, so the key is left out; `{}` is possible.
 * Unlike the Go service, the country is the request's `region`, not always US.
 */
export function whereToWatch(raw: RawWatchProviders | null | undefined, region: string): WhereToWatch | undefined {
  const country = raw?.results?.[region];
  if (!country) return undefined;
  const out: WhereToWatch = {};
  const pairs = [
    ['stream', country.flatrate],
    ['rent', country.rent],
    ['buy', country.buy],
    ['free', country.free],
    ['ads', country.ads],
  ] as const;
  for (const [key, list] of pairs) {
    if (list && list.length > 0) out[key] = list.map(toProvider);
  }
  return out;
}
