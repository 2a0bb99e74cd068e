import type { TmdbPerson } from '../tmdb.types.ts';

/** Invented people of the demo catalog (`/person/{id}` without `combined_credits`, which is derived from the titles). */
export const DEMO_PEOPLE: readonly TmdbPerson[] = [
  {
    adult: false, also_known_as: ['Mara J. Ellison'], biography: 'Mara Ellison is a stage-trained actress best known for leading the Lantern Keeper films and the space drama The Quiet Orbit. She was born on a leap day and likes to say she has had only a handful of real birthdays.',
    birthday: '1984-02-29', deathday: null, gender: 1, homepage: null, id: 9300001, imdb_id: null, known_for_department: 'Acting',
    name: 'Mara Ellison', place_of_birth: 'Bristol, England, UK', popularity: 38.512, profile_path: '/demo-mara-ellison.jpg',
  },
  {
    adult: false, also_known_as: [], biography: 'Tobias Renn is a character actor who moved from radio plays to film in his thirties.',
    birthday: '1971-08-14', deathday: null, gender: 2, homepage: null, id: 9300002, imdb_id: null, known_for_department: 'Acting',
    name: 'Tobias Renn', place_of_birth: 'Rotterdam, Netherlands', popularity: 21.07, profile_path: '/demo-tobias-renn.jpg',
  },
  {
    adult: false, also_known_as: ['Inès Okafor'], biography: 'Ines Okafor began acting as a teenager in French cinema and later led the coastal drama Harbor Lights.',
    birthday: '1975-12-03', deathday: null, gender: 1, homepage: null, id: 9300003, imdb_id: null, known_for_department: 'Acting',
    name: 'Ines Okafor', place_of_birth: 'Lyon, France', popularity: 17.3, profile_path: '/demo-ines-okafor.jpg',
  },
  {
    adult: false, also_known_as: [], biography: 'Rufus Hale was a much-loved supporting actor whose career spanned five decades. He died in 2016.',
    birthday: '1948-05-21', deathday: '2016-02-11', gender: 2, homepage: null, id: 9300004, imdb_id: null, known_for_department: 'Acting',
    name: 'Rufus Hale', place_of_birth: 'Cork, Ireland', popularity: 9.842, profile_path: '/demo-rufus-hale.jpg',
  },
  {
    adult: false, also_known_as: [], biography: 'June Takahara is an actress and stunt performer.',
    birthday: '1990-06-30', deathday: null, gender: 1, homepage: null, id: 9300005, imdb_id: null, known_for_department: 'Acting',
    name: 'June Takahara', place_of_birth: 'Osaka, Japan', popularity: 12.66, profile_path: '/demo-june-takahara.jpg',
  },
  {
    adult: false, also_known_as: [], biography: 'Dorian Vasquez is an actor known for playing lawmen.',
    birthday: '1966-10-09', deathday: null, gender: 2, homepage: null, id: 9300006, imdb_id: null, known_for_department: 'Acting',
    name: 'Dorian Vasquez', place_of_birth: 'San Antonio, Texas, USA', popularity: 8.115, profile_path: '/demo-dorian-vasquez.jpg',
  },
  {
    adult: false, also_known_as: [], biography: 'Priya Lindqvist started acting as a child in The Lantern Keeper.',
    birthday: '2004-01-15', deathday: null, gender: 1, homepage: null, id: 9300007, imdb_id: null, known_for_department: 'Acting',
    name: 'Priya Lindqvist', place_of_birth: 'Gothenburg, Sweden', popularity: 11.204, profile_path: '/demo-priya-lindqvist.jpg',
  },
  {
    adult: false, also_known_as: [], biography: '',
    birthday: '1958-04-04', deathday: null, gender: 2, homepage: null, id: 9300008, imdb_id: null, known_for_department: 'Acting',
    name: 'Oskar Brandt', place_of_birth: 'Hamburg, Germany', popularity: 4.31, profile_path: '/demo-oskar-brandt.jpg',
  },
  {
    adult: false, also_known_as: [], biography: 'Celeste Moreau is an actress and playwright.',
    birthday: '1979-07-22', deathday: null, gender: 1, homepage: null, id: 9300009, imdb_id: null, known_for_department: 'Acting',
    name: 'Celeste Moreau', place_of_birth: 'Quebec City, Quebec, Canada', popularity: 7.52, profile_path: '/demo-celeste-moreau.jpg',
  },
  {
    adult: false, also_known_as: [], biography: '',
    birthday: '1962-11-30', deathday: null, gender: 2, homepage: null, id: 9300010, imdb_id: null, known_for_department: 'Acting',
    name: 'Hamish Doyle', place_of_birth: 'Aberdeen, Scotland, UK', popularity: 3.9, profile_path: null,
  },
  {
    adult: false, also_known_as: [], biography: '',
    birthday: null, deathday: null, gender: 1, homepage: null, id: 9300011, imdb_id: null, known_for_department: 'Acting',
    name: 'Lotte Verhoeven', place_of_birth: null, popularity: 1.02, profile_path: null,
  },
  {
    adult: false, also_known_as: [], biography: 'Sami Haddad is an actor and musician.',
    birthday: '1988-03-17', deathday: null, gender: 2, homepage: null, id: 9300012, imdb_id: null, known_for_department: 'Acting',
    name: 'Sami Haddad', place_of_birth: 'Beirut, Lebanon', popularity: 6.73, profile_path: '/demo-sami-haddad.jpg',
  },
  {
    adult: false, also_known_as: [], biography: 'Evelyn Marsh writes and directs family adventure films.',
    birthday: '1969-09-05', deathday: null, gender: 1, homepage: null, id: 9300013, imdb_id: null, known_for_department: 'Directing',
    name: 'Evelyn Marsh', place_of_birth: 'Cardiff, Wales, UK', popularity: 5.44, profile_path: '/demo-evelyn-marsh.jpg',
  },
  {
    adult: false, also_known_as: [], biography: 'Arjun Patel is a director and showrunner.',
    birthday: '1977-01-26', deathday: null, gender: 2, homepage: null, id: 9300014, imdb_id: null, known_for_department: 'Directing',
    name: 'Arjun Patel', place_of_birth: 'Leicester, England, UK', popularity: 6.02, profile_path: '/demo-arjun-patel.jpg',
  },
  {
    adult: false, also_known_as: [], biography: 'Nadia Brooks is a screenwriter and the creator of Harbor Lights.',
    birthday: '1981-05-12', deathday: null, gender: 1, homepage: null, id: 9300015, imdb_id: null, known_for_department: 'Writing',
    name: 'Nadia Brooks', place_of_birth: 'Halifax, Nova Scotia, Canada', popularity: 3.35, profile_path: '/demo-nadia-brooks.jpg',
  },
  {
    adult: false, also_known_as: [], biography: 'Cornelius Webb was a novelist whose book inspired The Lantern Keeper.',
    birthday: '1889-03-02', deathday: '1968-10-19', gender: 2, homepage: null, id: 9300016, imdb_id: null, known_for_department: 'Writing',
    name: 'Cornelius Webb', place_of_birth: 'Whitby, England, UK', popularity: 1.8, profile_path: null,
  },
  {
    adult: false, also_known_as: [], biography: '',
    birthday: '1955-12-24', deathday: null, gender: 2, homepage: null, id: 9300017, imdb_id: null, known_for_department: 'Production',
    name: 'Gideon Frost', place_of_birth: 'Boston, Massachusetts, USA', popularity: 2.11, profile_path: '/demo-gideon-frost.jpg',
  },
  {
    adult: false, also_known_as: [], biography: 'Hana Kowalczyk composes for film and television.',
    birthday: '1973-04-08', deathday: null, gender: 1, homepage: null, id: 9300018, imdb_id: null, known_for_department: 'Sound',
    name: 'Hana Kowalczyk', place_of_birth: 'Kraków, Poland', popularity: 2.64, profile_path: '/demo-hana-kowalczyk.jpg',
  },
  {
    adult: false, also_known_as: [], biography: '',
    birthday: '1980-08-01', deathday: null, gender: 2, homepage: null, id: 9300019, imdb_id: null, known_for_department: 'Camera',
    name: 'Felix Adeyemi', place_of_birth: 'Lagos, Nigeria', popularity: 1.47, profile_path: null,
  },
  {
    adult: false, also_known_as: [], biography: '',
    birthday: null, deathday: null, gender: 1, homepage: null, id: 9300020, imdb_id: null, known_for_department: 'Editing',
    name: 'Marguerite Olsen', place_of_birth: null, popularity: 0.93, profile_path: null,
  },
  {
    adult: false, also_known_as: [], biography: '',
    birthday: '1986-10-10', deathday: null, gender: 1, homepage: null, id: 9300021, imdb_id: null, known_for_department: 'Art',
    name: 'Teodora Ilic', place_of_birth: 'Novi Sad, Serbia', popularity: 0.88, profile_path: null,
  },
  {
    adult: false, also_known_as: [], biography: '',
    birthday: '1964-02-14', deathday: null, gender: 1, homepage: null, id: 9300022, imdb_id: null, known_for_department: 'Costume & Make-Up',
    name: 'Beatrix Lund', place_of_birth: 'Aarhus, Denmark', popularity: 0.71, profile_path: null,
  },
  {
    adult: false, also_known_as: [], biography: '',
    birthday: null, deathday: null, gender: 2, homepage: null, id: 9300023, imdb_id: null, known_for_department: 'Production',
    name: 'Yusuf Demir', place_of_birth: null, popularity: 0.65, profile_path: null,
  },
  {
    adult: false, also_known_as: [], biography: 'Kwame Asante is an actor known for villains and clergymen.',
    birthday: '1983-07-07', deathday: null, gender: 2, homepage: null, id: 9300024, imdb_id: null, known_for_department: 'Acting',
    name: 'Kwame Asante', place_of_birth: 'Kumasi, Ghana', popularity: 10.38, profile_path: '/demo-kwame-asante.jpg',
  },
  {
    adult: false, also_known_as: ['Célestine Arnaud-Roux'], biography: 'Célestine Arnaud was a French actress. Her last film was released after her death in 1993.',
    birthday: '1940-01-19', deathday: '1993-10-02', gender: 1, homepage: null, id: 9300025, imdb_id: null, known_for_department: 'Acting',
    name: 'Célestine Arnaud', place_of_birth: 'Nantes, France', popularity: 2.9, profile_path: '/demo-celestine-arnaud.jpg',
  },
  {
    adult: false, also_known_as: [], biography: 'Henri Duval was a French director and screenwriter.',
    birthday: '1931-06-11', deathday: '2009-12-01', gender: 2, homepage: null, id: 9300026, imdb_id: null, known_for_department: 'Directing',
    name: 'Henri Duval', place_of_birth: 'Paris, France', popularity: 2.2, profile_path: '/demo-henri-duval.jpg',
  },
  {
    adult: false, also_known_as: [], biography: 'Lena Sorensen directs television drama.',
    birthday: '1978-03-31', deathday: null, gender: 1, homepage: null, id: 9300027, imdb_id: null, known_for_department: 'Directing',
    name: 'Lena Sorensen', place_of_birth: 'Odense, Denmark', popularity: 1.75, profile_path: null,
  },
  {
    adult: false, also_known_as: [], biography: 'Noor Al-Sayed is an actress and former pilot.',
    birthday: '1992-09-23', deathday: null, gender: 1, homepage: null, id: 9300028, imdb_id: null, known_for_department: 'Acting',
    name: 'Noor Al-Sayed', place_of_birth: 'Amman, Jordan', popularity: 14.9, profile_path: '/demo-noor-al-sayed.jpg',
  },
  {
    adult: false, also_known_as: [], biography: 'Ash Kerrigan is a voice and screen actor.',
    birthday: '1995-11-11', deathday: null, gender: 3, homepage: null, id: 9300029, imdb_id: null, known_for_department: 'Acting',
    name: 'Ash Kerrigan', place_of_birth: 'Dublin, Ireland', popularity: 9.61, profile_path: '/demo-ash-kerrigan.jpg',
  },
  {
    adult: false, also_known_as: [], biography: '',
    birthday: null, deathday: null, gender: 0, homepage: null, id: 9300030, imdb_id: null, known_for_department: 'Acting',
    name: 'Vera Koslova', place_of_birth: null, popularity: 0.6, profile_path: null,
  },
];
