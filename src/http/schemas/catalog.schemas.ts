import { Type, type TSchema } from '@sinclair/typebox';

/*
 * Response schemas of the catalog routes. Property order here IS the wire key
 * order (fast-json-stringify writes keys in schema order), and it follows the
 * Go service (§5). Optional properties are omitted when the mapper leaves them
 * undefined. Every `*Path` image field has a `*Url` twin with the full TMDB URL
 * for the older web client (§16.3).
 */

const opt = <T extends TSchema>(schema: T) => Type.Optional(schema);
const url = (description: string) => Type.String({ description: `${description} Full https://image.tmdb.org URL, or "" when there is no image (for the older web client).` });

export const CreditPersonSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    photoPath: opt(Type.String({ description: 'TMDB profile path; omitted when empty.' })),
    photoUrl: url('Profile photo, w92.'),
    role: opt(Type.String({ description: 'Character (cast) or job (crew). For aggregate cast, the first role.' })),
    order: opt(Type.Integer({ description: 'Billing order. 0 (top billing) is omitted, as in the Go service.' })),
    episodeCount: opt(Type.Integer({ description: 'Series and season cast only: episodes this person is in.' })),
    birthday: opt(Type.String({ format: 'date' })),
    deathday: opt(Type.String({ format: 'date' })),
    currentAge: opt(Type.Integer({ description: 'Age today (UTC), or age at death for a deceased person (the Go service did not cap it at death).' })),
    ageAtRelease: opt(Type.Integer({ description: 'Age on the release/air date, capped at death and at today.' })),
    ageRange: opt(Type.String({ description: 'Series only: ages from first to last air date, e.g. "38-41", "40", "?-41", "38-".' })),
  },
  { $id: 'CreditPerson', title: 'CreditPerson' },
);
const personRef = Type.Ref(CreditPersonSchema);
const personList = Type.Array(personRef);

export const CreditsSchema = Type.Object(
  {
    cast: opt(personList),
    directors: opt(personList),
    writers: opt(personList),
    producers: opt(personList),
    composers: opt(personList),
    cinematographers: opt(personList),
    editors: opt(personList),
    productionDesign: opt(personList),
    costumeDesign: opt(personList),
    casting: opt(personList),
  },
  {
    $id: 'Credits',
    title: 'Credits',
    description:
      'Cast in TMDB order, then crew grouped by exact job (Director; Screenplay/Writer/Story; Producer/Executive Producer; Original Music Composer; Director of Photography; Editor; Production Design/Set Designer; Costume Design; Casting). No de-duplication: one entry per job. Empty groups are omitted.',
  },
);

const ProviderSchema = Type.Object({ name: Type.String(), logoPath: Type.String(), logoUrl: url('Provider logo, w45.') });
export const WhereToWatchSchema = Type.Object(
  {
    stream: opt(Type.Array(ProviderSchema)),
    rent: opt(Type.Array(ProviderSchema)),
    buy: opt(Type.Array(ProviderSchema)),
    free: opt(Type.Array(ProviderSchema)),
    ads: opt(Type.Array(ProviderSchema)),
  },
  { $id: 'WhereToWatch', title: 'WhereToWatch', description: 'Providers in the requested `region` (default US). Omitted when TMDB has none for that country.' },
);

export const TrailerSchema = Type.Object(
  {
    name: Type.String(),
    site: Type.String({ examples: ['YouTube'] }),
    key: Type.String(),
    url: Type.String({ description: 'Watch URL for YouTube and Vimeo; "" for other sites.' }),
    official: Type.Boolean(),
    publishedAt: Type.String(),
  },
  { $id: 'Trailer', title: 'Trailer' },
);
const trailersField = Type.Array(Type.Ref(TrailerSchema), { description: 'TMDB trailers: official first, then newest first.' });

const CollectionPartSchema = Type.Object(
  {
    id: Type.Integer(),
    title: Type.String(),
    overview: Type.String(),
    posterPath: Type.String(),
    posterUrl: url('Poster, w300.'),
    releaseDate: Type.String(),
    voteAverage: Type.Number(),
  },
  {
    $id: 'CollectionPart',
    title: 'CollectionPart',
    description:
      'A movie of the collection, in TMDB order (the current movie included). The Go service padded each part with every movie field at its zero value (`"genres": null`, `"runtime": 0`, ...); MiniMovie sends only the fields that carry data.',
  },
);

export const MovieSchema = Type.Object(
  {
    id: Type.Integer(),
    imdbID: Type.String({ description: 'Note the spelling `imdbID` (people use `imdbId`), kept from the Go service.' }),
    title: Type.String(),
    tagline: Type.String(),
    overview: Type.String(),
    genres: Type.Array(Type.String()),
    posterPath: Type.String(),
    posterUrl: url('Poster, w300.'),
    status: Type.String(),
    releaseDate: Type.String(),
    runtime: Type.Integer(),
    budget: Type.Number(),
    revenue: Type.Number(),
    voteAverage: Type.Number(),
    originalTitle: Type.String(),
    originalLanguage: Type.String(),
    originCountry: Type.String({ description: 'First element of TMDB origin_country, or "".' }),
    spokenLanguages: Type.Array(Type.String(), { description: 'English names.' }),
    productionCompanies: Type.Array(Type.String()),
    productionCountries: Type.Array(Type.String(), { description: 'ISO 3166-1 codes.' }),
    whereToWatch: opt(Type.Ref(WhereToWatchSchema)),
    trailers: trailersField,
    credits: Type.Ref(CreditsSchema),
    collectionInfo: opt(
      Type.Object({
        id: Type.Integer(),
        name: Type.String(),
        overview: Type.String(),
        posterPath: Type.String(),
        posterUrl: url('Poster, w300.'),
        parts: Type.Array(Type.Ref(CollectionPartSchema)),
      }, { description: 'The collection the movie belongs to; omitted when it has none or TMDB could not supply it.' }),
    ),
  },
  { $id: 'Movie', title: 'Movie' },
);

const NetworkSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  logoPath: Type.String(),
  logoUrl: url('Network logo, w92.'),
  originCountry: Type.String(),
});

const SeriesSeasonSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  overview: Type.String(),
  seasonNumber: Type.Integer(),
  episodeCount: Type.Integer(),
  airDate: Type.String(),
  posterPath: Type.String(),
  posterUrl: url('Season poster, w92.'),
  voteAverage: Type.Number(),
});

export const SeriesSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    tagline: Type.String(),
    overview: Type.String(),
    genres: Type.Array(Type.String()),
    posterPath: Type.String(),
    posterUrl: url('Poster, w300.'),
    status: Type.String(),
    inProduction: Type.Boolean(),
    firstAirDate: Type.String(),
    lastAirDate: Type.String(),
    numberOfSeasons: Type.Integer(),
    numberOfEpisodes: Type.Integer(),
    episodeRunTime: Type.Union([Type.Array(Type.Integer()), Type.Null()], { description: 'Copied from TMDB; null when TMDB sent none.' }),
    voteAverage: Type.Number(),
    originalName: Type.String(),
    originalLanguage: Type.String(),
    originCountry: Type.String(),
    spokenLanguages: Type.Array(Type.String()),
    productionCompanies: Type.Array(Type.String()),
    productionCountries: Type.Array(Type.String()),
    createdBy: Type.Array(
      Type.Object({ id: Type.Integer(), name: Type.String(), photoPath: opt(Type.String()), photoUrl: url('Photo, w92.') }),
    ),
    networks: Type.Array(NetworkSchema),
    seasons: Type.Array(SeriesSeasonSchema, { description: 'Regular seasons; Specials (season 0) are excluded.' }),
    whereToWatch: opt(Type.Ref(WhereToWatchSchema)),
    trailers: trailersField,
    credits: Type.Ref(CreditsSchema),
  },
  { $id: 'Series', title: 'Series' },
);

const SeasonEpisodeSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  overview: Type.String(),
  episodeNumber: Type.Integer(),
  seasonNumber: Type.Integer(),
  airDate: Type.String(),
  runtime: Type.Integer(),
  stillPath: Type.String(),
  stillUrl: url('Still, w300.'),
  voteAverage: Type.Number(),
});

export const SeasonSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    overview: Type.String(),
    posterPath: Type.String(),
    posterUrl: url('Poster, w300.'),
    seasonNumber: Type.Integer(),
    airDate: Type.String(),
    voteAverage: Type.Number(),
    episodes: Type.Array(SeasonEpisodeSchema),
    whereToWatch: opt(Type.Ref(WhereToWatchSchema)),
    credits: Type.Ref(CreditsSchema),
  },
  { $id: 'Season', title: 'Season' },
);

export const EpisodeSchema = Type.Object(
  {
    ...SeasonEpisodeSchema.properties,
    voteCount: Type.Integer(),
    guestStars: Type.Array(personRef, {
      description: 'Guest stars as a separate list, as the older web client reads them (with ages at release). The same people are also merged into `credits.cast`.',
    }),
    credits: Type.Ref(CreditsSchema, {
      description: '`cast` is the regular cast merged with the guest stars: a guest replaces a regular with the same id only when its order is lower; sorted by order (stable).',
    }),
  },
  { $id: 'Episode', title: 'Episode' },
);

const FilmCreditSchema = Type.Object(
  {
    id: Type.Integer(),
    title: Type.String(),
    posterPath: opt(Type.String()),
    posterUrl: url('Poster, w92.'),
    releaseDate: opt(Type.String()),
    role: Type.String(),
    order: opt(Type.Integer({ description: 'Movie cast only; 0 is kept.' })),
    popularity: Type.Number(),
    voteAverage: Type.Number(),
    voteCount: Type.Integer(),
    episodeCount: opt(Type.Integer()),
    type: Type.Union([Type.Literal('cast'), Type.Literal('crew')]),
  },
  { $id: 'FilmCredit', title: 'FilmCredit' },
);

export const PersonSchema = Type.Object(
  {
    id: Type.Integer(),
    imdbId: Type.String(),
    name: Type.String(),
    biography: Type.String(),
    birthday: opt(Type.String()),
    deathday: opt(Type.String()),
    currentAge: opt(Type.Integer({ description: 'Age today (UTC), or at death. Omitted when the birthday is unknown or unparseable.' })),
    gender: Type.String({ examples: ['Female', 'Male', 'Non-binary', 'Not specified'] }),
    placeOfBirth: opt(Type.String()),
    photoPath: Type.String(),
    photoUrl: url('Photo, w92.'),
    knownFor: Type.String(),
    alsoKnownAs: opt(Type.Array(Type.String())),
    movieCredits: opt(Type.Array(Type.Ref(FilmCreditSchema), { description: 'Cast then crew entries, no de-duplication, sorted by popularity (stable).' })),
    seriesCredits: opt(Type.Array(Type.Ref(FilmCreditSchema))),
  },
  { $id: 'Person', title: 'Person' },
);

export const SearchResultSchema = Type.Object(
  {
    id: Type.Integer(),
    mediaType: Type.String({ description: '"movie", "series" or "person" ("" for other TMDB media types in a multi search).' }),
    title: Type.String(),
    overview: opt(Type.String()),
    posterPath: opt(Type.String({ description: 'Poster, or profile photo for people.' })),
    posterUrl: url('w185.'),
    releaseDate: opt(Type.String()),
    knownFor: opt(Type.String()),
    age: opt(Type.Integer({ description: 'People only: -1 when deceased, else age today. Omitted when unknown (and when 0).' })),
  },
  { $id: 'SearchResult', title: 'SearchResult' },
);

export const SearchResponseSchema = Type.Object(
  {
    page: Type.Integer(),
    totalPages: Type.Integer(),
    totalResults: Type.Integer(),
    results: Type.Array(Type.Ref(SearchResultSchema)),
  },
  { $id: 'SearchResponse', title: 'SearchResponse' },
);

export const PersonSeriesCreditsSchema = Type.Object(
  {
    person: Type.Object({ id: Type.Integer(), name: Type.String(), photoPath: opt(Type.String()), photoUrl: url('Photo, w92.') }),
    series: Type.Object({ id: Type.Integer(), name: Type.String(), posterPath: opt(Type.String()), posterUrl: url('Poster, w300.') }),
    totalEpisodeCount: Type.Integer(),
    roles: Type.Array(Type.Object({ character: Type.String() })),
    seasons: Type.Array(
      Type.Object({
        seasonNumber: Type.Integer(),
        name: Type.String(),
        airDate: opt(Type.String()),
        totalEpisodes: Type.Integer(),
        episodeCount: Type.Integer({ description: "This person's episodes in the season, from the season's aggregate credits." }),
        episodes: Type.Array(
          Type.Object({
            episodeNumber: Type.Integer(),
            name: Type.String(),
            airDate: opt(Type.String()),
            stillPath: opt(Type.String()),
            stillUrl: url('Still, w300.'),
          }),
        ),
      }),
      {
        description:
          'Regular seasons the person appears in, ascending. Always an array (the Go service sent null when empty). A recurring regular who is in some but not all episodes and is not listed as a guest keeps the season, with `episodeCount` and `episodes: []` (the Go service dropped it).',
      },
    ),
  },
  { $id: 'PersonSeriesCredits', title: 'PersonSeriesCredits' },
);

/** Every shared schema, registered once with `app.addSchema`. */
export const catalogSchemas = [
  CreditPersonSchema,
  CreditsSchema,
  WhereToWatchSchema,
  TrailerSchema,
  CollectionPartSchema,
  FilmCreditSchema,
  SearchResultSchema,
];
