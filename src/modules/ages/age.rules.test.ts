import { describe, expect, it } from 'vitest';
import { age, ageAtEvent, ageRange, currentAge, parseDate } from './age.rules.ts';

describe('parseDate', () => {
  it.each([
    ['1980-05-17', { year: 1980, month: 5, day: 17 }],
    ['2000-02-29', { year: 2000, month: 2, day: 29 }],
  ])('accepts %s', (text, expected) => expect(parseDate(text)).toEqual(expected));

  it.each(['', '1980-5-17', '80-05-17', '2023-02-30', '2023-02-29', '1900-02-29', '2023-13-01', '2023-00-10', '2023-04-31', '2023-01-01T00:00:00Z', ' 2023-01-01', 'abcd-ef-gh', null, undefined])(
    'rejects %j',
    (text) => expect(parseDate(text)).toBeUndefined(),
  );
});

describe('age(birth, date)', () => {
  it.each([
    ['1980-05-17', '2020-05-16', 39, 'the day before the birthday'],
    ['1980-05-17', '2020-05-17', 40, 'on the birthday'],
    ['1980-05-17', '2020-12-31', 40, 'later in the year'],
    ['2000-02-29', '2023-02-28', 22, 'Feb-29 birthday, non-leap year, Feb 28'],
    ['2000-02-29', '2023-03-01', 23, 'Feb-29 birthday ticks over on Mar 1'],
    ['2000-02-29', '2024-02-29', 24, 'Feb-29 birthday in a leap year'],
    ['2000-01-01', '2000-01-01', 0, 'born that day'],
  ])('%s on %s is %i (%s)', (birth, on, expected) => expect(age(birth, on)).toBe(expected));

  it.each([
    ['2001-01-01', '2000-12-31', 'born after the date'],
    ['', '2020-01-01', 'no birth date'],
    ['1980-02-30', '2020-01-01', 'unparseable birth date'],
    ['1980-01-01', '', 'no event date'],
    ['1980-01-01', 'TBA', 'unparseable event date'],
  ])('%s on %s has no value (%s)', (birth, on) => expect(age(birth, on)).toBeUndefined());
});

describe('ageAtEvent(birth, death, event, today)', () => {
  const today = '2026-11-26';
  it.each([
    ['1950-03-10', '', '1990-06-01', 40, 'alive at release'],
    ['1950-03-10', '1985-01-01', '1990-06-01', 34, 'died before the release: age at death'],
    ['1950-03-10', '1995-01-01', '1990-06-01', 40, 'died after the release'],
    ['1990-12-31', '', '2030-01-01', 35, 'unreleased title: current age'],
    ['1950-03-10', '2000-01-01', '2030-01-01', 49, 'unreleased title, deceased: age at death'],
    ['1950-03-10', 'not-a-date', '1990-06-01', 40, 'unparseable death date is ignored'],
  ])('%s †%s at %s → %i (%s)', (birth, death, event, expected) => expect(ageAtEvent(birth, death, event, today)).toBe(expected));

  it.each([
    ['1950-03-10', '', '', 'no event date'],
    ['1950-03-10', '', '1990-02-30', 'unparseable event date'],
    ['2000-01-01', '', '1990-01-01', 'born after the event'],
    ['garbage', '', '1990-01-01', 'unparseable birth date never throws'],
  ])('%s at %s has no value (%s)', (birth, death, event) => expect(ageAtEvent(birth, death, event, today)).toBeUndefined());
});

describe('currentAge', () => {
  it('is today’s age for the living', () => expect(currentAge('1980-11-27', null, '2026-11-26')).toBe(45));
  it('is the age at death for the deceased (Go quirk fixed)', () => expect(currentAge('1930-01-01', '1990-06-30', '2026-11-26')).toBe(60));
  it('has no value without a birthday', () => expect(currentAge(null, null, '2026-11-26')).toBeUndefined());
});

describe('ageRange(birth, start, end)', () => {
  it.each([
    ['1980-06-01', '2018-01-01', '2021-12-31', '37-41', 'different ages'],
    ['1980-06-01', '2020-07-01', '2021-05-01', '40', 'equal ages'],
    ['2019-01-01', '2015-01-01', '2021-06-01', '?-2', 'born after the first air date'],
    ['1980-06-01', '2018-01-01', 'bad', '37-', 'unparseable end'],
    ['1980-06-01', 'bad', 'bad', '', 'no ages at all'],
    ['', '2018-01-01', '2021-12-31', '', 'no birthday'],
  ])('%s over %s..%s → %j (%s)', (birth, start, end, expected) => expect(ageRange(birth, start, end)).toBe(expected));
});
