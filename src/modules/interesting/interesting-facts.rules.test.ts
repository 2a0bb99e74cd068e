import { describe, expect, it } from 'vitest';
import {
  buildPersonFacts,
  coerceAmount,
  coerceList,
  coerceString,
  extractJsonObject,
  mergeNetWorth,
  NO_DATA_NOTES,
  parseFactsReply,
  readStoredEnvelope,
  type FactsEnvelope,
} from './interesting-facts.rules.ts';

describe('coerceAmount', () => {
  it.each<[unknown, number | undefined]>([
    [400000000, 400000000],
    [1.6e8, 160000000],
    [12.4, 12],
    ['$400 million', 400000000],
    ['400 Million USD', 400000000],
    ['US$1.2B', 1200000000],
    ['$1.5 billion', 1500000000],
    ['approximately 20,000,000', 20000000],
    ['$250k', 250000],
    ['$10–20 million', 10000000],
    ['10 to 20 million', 10000000],
    ['3 bn', 3000000000],
    ['unknown', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    [1e20, undefined],
    [true, undefined],
    [{ amount: 5 }, undefined],
  ])('%j → %j', (raw, expected) => {
    expect(coerceAmount(raw)).toBe(expected);
  });
});

describe('coerceList and coerceString', () => {
  it.each<[unknown, string[] | null]>([
    [['A', 'B'], ['A', 'B']],
    ['Only One', ['Only One']],
    [[' A ', '', null, 7, { name: 'C' }], ['A', '7', 'C']],
    [[], []],
    [null, null],
    [undefined, null],
    ['', null],
  ])('list %j → %j', (raw, expected) => {
    expect(coerceList(raw)).toEqual(expected);
  });

  it.each<[unknown, string]>([
    ['Katie Holmes', 'Katie Holmes'],
    ['  padded ', 'padded'],
    [['A', 'B'], 'A, B'],
    [null, ''],
    [undefined, ''],
    [42, '42'],
    [{ name: 'Obj' }, 'Obj'],
  ])('string %j → %j', (raw, expected) => {
    expect(coerceString(raw)).toBe(expected);
  });
});

describe('extractJsonObject', () => {
  const obj = { data: { netWorth: 1 }, notes: 'has } and { inside' };
  const json = JSON.stringify(obj);
  it.each([
    ['direct', json],
    ['padded', `\n  ${json}  \n`],
    ['fenced json', `Sure!\n\`\`\`json\n${json}\n\`\`\``],
    ['fenced bare', `\`\`\`\n${json}\n\`\`\``],
    ['prose around', `Here is what I found: ${json} Let me know.`],
  ])('%s', (_label, text) => {
    expect(extractJsonObject(text)).toEqual(obj);
  });

  it.each([['no JSON', 'nothing here'], ['array', '[1,2]'], ['truncated', '{"data": {"netWorth": 1'], ['empty', ''], ['string', '"text"']])(
    '%s → undefined',
    (_label, text) => {
      expect(extractJsonObject(text)).toBeUndefined();
    },
  );
});

describe('parseFactsReply', () => {
  it('coerces values, keeps meta of known fields only, and clamps percentages', () => {
    const parsed = parseFactsReply(
      JSON.stringify({
        data: { netWorth: '$2 million', parents: 'Solo Parent', spouse: null, unknownField: 'x' },
        meta: {
          netWorth: { confidence: 0.8, sources: [{ title: 'T', url: 'https://a.example/x' }, { url: 'ftp://nope' }] },
          parents: { confidence: '70%' },
          spouse: { confidence: 'high' },
          unknownField: { confidence: 1 },
        },
        notes: ' Nice person. ',
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      netWorthResolved: true,
      envelope: {
        data: { netWorth: 2000000, parents: ['Solo Parent'], siblings: null, children: null, spouse: '', interestingFact: '' },
        meta: { netWorth: { confidence: 0.8, sources: [{ title: 'T', url: 'https://a.example/x' }] }, parents: { confidence: 0.7 } },
        notes: 'Nice person.',
      },
    });
  });

  it('accepts a reply whose top level is the data itself (no metadata)', () => {
    const parsed = parseFactsReply('{"netWorth": 5, "spouse": "X"}');
    expect(parsed).toMatchObject({ ok: true, netWorthResolved: true, envelope: { data: { netWorth: 5, spouse: 'X' } } });
    expect(parsed.ok && parsed.envelope.meta).toBeFalsy();
  });

  it('reports an unresolved netWorth', () => {
    expect(parseFactsReply('{"data": {"netWorth": null}}')).toMatchObject({ ok: true, netWorthResolved: false });
  });

  it.each([['prose', 'no idea'], ['data not an object', '{"data": [1]}'], ['unrelated object', '{"hello": "world"}']])('%s → not ok', (_label, text) => {
    expect(parseFactsReply(text).ok).toBe(false);
  });
});

const envelope: FactsEnvelope = {
  data: { netWorth: 10, parents: ['P'], siblings: null, children: [], spouse: 'S', interestingFact: '' },
  meta: { netWorth: { confidence: 0.9 }, parents: { confidence: 0.5 }, siblings: { confidence: 0.7 }, spouse: { confidence: 0.65, sources: [{ title: 't', url: 'https://x' }] } },
  notes: 'N',
};

describe('buildPersonFacts', () => {
  it('keeps facts with metadata at or above the threshold, in order, values as stored', () => {
    const facts = buildPersonFacts(envelope, 0.65);
    expect(Object.keys(facts)).toEqual(['netWorth', 'siblings', 'spouse', 'notes']);
    expect(facts).toEqual({
      netWorth: { value: 10, confidence: 0.9 },
      siblings: { value: null, confidence: 0.7 },
      spouse: { value: 'S', confidence: 0.65, sources: [{ title: 't', url: 'https://x' }] },
      notes: 'N',
    });
  });

  it('says "No data available" when nothing passes', () => {
    expect(buildPersonFacts(envelope, 0.95)).toEqual({ notes: NO_DATA_NOTES });
    expect(buildPersonFacts({ data: envelope.data }, 0)).toEqual({ notes: NO_DATA_NOTES });
  });
});

describe('mergeNetWorth and readStoredEnvelope', () => {
  it('takes netWorth and its metadata from the retry', () => {
    const retry: FactsEnvelope = { data: { ...envelope.data, netWorth: 99, spouse: 'other' }, meta: { netWorth: { confidence: 0.8 } } };
    const merged = mergeNetWorth({ ...envelope, data: { ...envelope.data, netWorth: null } }, retry);
    expect(merged.data).toEqual({ ...envelope.data, netWorth: 99 });
    expect(merged.meta?.netWorth).toEqual({ confidence: 0.8 });
    expect(merged.meta?.spouse).toEqual(envelope.meta?.spouse);
  });

  it('reads only rows that match the stored schema', () => {
    expect(readStoredEnvelope(envelope)).toEqual(envelope);
    expect(readStoredEnvelope({ data: null })).toBeUndefined();
    expect(readStoredEnvelope('text')).toBeUndefined();
    expect(readStoredEnvelope({ data: { netWorth: 'x' } })).toBeUndefined();
  });
});
