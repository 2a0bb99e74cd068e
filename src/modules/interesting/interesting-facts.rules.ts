import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** The facts asked about a person, in the order the response lists them (§5.8). */
export const FACT_FIELDS = ['netWorth', 'parents', 'siblings', 'children', 'spouse', 'interestingFact'] as const;
export type FactField = (typeof FACT_FIELDS)[number];

/** Longest string kept from the model for one value, note or title; the rest is cut (the model is not trusted to be brief). */
const MAX_TEXT = 2000;
const MAX_LIST_ITEMS = 50;
const MAX_SOURCES = 10;
const MAX_URL = 2000;

const SourceSchema = Type.Object({ title: Type.String(), url: Type.String() });
export type FactSource = Static<typeof SourceSchema>;

const FieldMetaSchema = Type.Object({
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  sources: Type.Optional(Type.Array(SourceSchema)),
});
export type FieldMeta = Static<typeof FieldMetaSchema>;

const NullableList = Type.Union([Type.Array(Type.String()), Type.Null()]);

/**
 * What is stored in `interesting_info.data`, the Go layout of §8.3:
 * unresolved lists are `null`, unresolved strings `""`, `meta` and `notes` left out when empty.
 */
export const FactsEnvelopeSchema = Type.Object({
  data: Type.Object({
    netWorth: Type.Union([Type.Integer(), Type.Null()]),
    parents: NullableList,
    siblings: NullableList,
    children: NullableList,
    spouse: Type.String(),
    interestingFact: Type.String(),
  }),
  meta: Type.Optional(
    Type.Object({
      netWorth: Type.Optional(FieldMetaSchema),
      parents: Type.Optional(FieldMetaSchema),
      siblings: Type.Optional(FieldMetaSchema),
      children: Type.Optional(FieldMetaSchema),
      spouse: Type.Optional(FieldMetaSchema),
      interestingFact: Type.Optional(FieldMetaSchema),
    }),
  ),
  notes: Type.Optional(Type.String()),
});
export type FactsEnvelope = Static<typeof FactsEnvelopeSchema>;

/** One fact as the API shows it. */
export interface Fact<T> {
  value: T;
  confidence: number;
  sources?: FactSource[];
}

/** The response of `GET /interesting/person/{id}`; a fact is present only when it passes the confidence threshold. */
export interface PersonFacts {
  netWorth?: Fact<number | null>;
  parents?: Fact<string[] | null>;
  siblings?: Fact<string[] | null>;
  children?: Fact<string[] | null>;
  spouse?: Fact<string>;
  interestingFact?: Fact<string>;
  notes: string;
}

export const NO_DATA_NOTES = 'No data available';

/**
 * Pull a JSON object out of a model reply, the way augur does: the whole text,
 * then the first fenced code block, then the first `{` to the last `}`.
 * Returns undefined when none of them parses to an object.
 */
export function extractJsonObject(text: string): Record<string, unknown> | undefined {
  const candidates: string[] = [text.trim()];
  const fence = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/.exec(text);
  if (fence?.[1]) candidates.push(fence[1].trim());
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(text.slice(first, last + 1));
  for (const candidate of candidates) {
    if (!candidate.startsWith('{')) continue;
    try {
      const parsed: unknown = JSON.parse(candidate);
      if (isRecord(parsed)) return parsed;
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

const MULTIPLIERS: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  mm: 1e6,
  mn: 1e6,
  mil: 1e6,
  million: 1e6,
  millions: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
  billions: 1e9,
  t: 1e12,
  tn: 1e12,
  trillion: 1e12,
};

/**
 * A USD amount from what the model wrote: a number, or text such as
 * "$400 million", "US$1.2B", "approximately 20,000,000" or "$10–20 million"
 * (a range counts as its lower bound). Undefined when there is no amount.
 */
export function coerceAmount(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && Math.abs(raw) < 1e15 ? Math.round(raw) : undefined;
  if (typeof raw !== 'string') return undefined;
  const text = raw.toLowerCase().replace(/\u00a0/g, ' ');
  const m = /(-?\d[\d,]*(?:\.\d+)?)\s*(?:(?:-|–|—|to)\s*\$?\s*\d[\d,]*(?:\.\d+)?\s*)?([a-z]+)?/.exec(text);
  if (!m?.[1]) return undefined;
  const base = Number(m[1].replace(/,/g, ''));
  if (!Number.isFinite(base)) return undefined;
  const multiplier = m[2] ? (MULTIPLIERS[m[2]] ?? 1) : 1;
  const value = Math.round(base * multiplier);
  return Number.isSafeInteger(value) && Math.abs(value) < 1e15 ? value : undefined;
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}

function asText(raw: unknown): string | undefined {
  if (typeof raw === 'string') return clip(raw.trim());
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (isRecord(raw) && typeof raw.name === 'string') return clip(raw.name.trim());
  return undefined;
}

/** A list of names: an array as it is, a single scalar as a one-element array; null when unknown. */
export function coerceList(raw: unknown): string[] | null {
  if (raw === null || raw === undefined) return null;
  const items = Array.isArray(raw) ? raw : [raw];
  const out = items
    .map(asText)
    .filter((s): s is string => s !== undefined && s.length > 0)
    .slice(0, MAX_LIST_ITEMS);
  return out.length > 0 || Array.isArray(raw) ? out : null;
}

/** A string value; lists are joined with ", "; unknown is "". */
export function coerceString(raw: unknown): string {
  if (Array.isArray(raw)) return clip(raw.map(asText).filter((s): s is string => !!s).join(', '));
  return asText(raw) ?? '';
}

function coerceConfidence(raw: unknown): number | undefined {
  let n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim().replace(/%$/, '')) : NaN;
  if (!Number.isFinite(n) || n < 0) return undefined;
  // Some replies use percentages.
  if (n > 1 && n <= 100) n /= 100;
  return n > 1 ? undefined : n;
}

function coerceSources(raw: unknown): FactSource[] {
  if (!Array.isArray(raw)) return [];
  const out: FactSource[] = [];
  for (const item of raw) {
    const url = typeof item === 'string' ? item : isRecord(item) && typeof item.url === 'string' ? item.url : undefined;
    // Only web links reach clients: a model-written `javascript:` URL must never become a clickable source.
    if (!url || url.length > MAX_URL || !/^https?:\/\/[^\s]+$/i.test(url.trim())) continue;
    const title = isRecord(item) && typeof item.title === 'string' && item.title.trim() ? clip(item.title.trim()) : url.trim();
    out.push({ title, url: url.trim() });
    if (out.length >= MAX_SOURCES) break;
  }
  return out;
}

/** The outcome of reading one model reply. */
export type ParsedReply =
  | { ok: true; envelope: FactsEnvelope; netWorthResolved: boolean }
  | { ok: false; reason: string };

/**
 * Turn a model reply into the stored envelope: extract the JSON, coerce each
 * value to its type, keep metadata only for known fields with a usable
 * confidence, and check the result against {@link FactsEnvelopeSchema}.
 * A reply whose top level is the data itself (no `data` key) is accepted, without metadata.
 */
export function parseFactsReply(text: string): ParsedReply {
  const json = extractJsonObject(text);
  if (!json) return { ok: false, reason: 'no JSON object in the reply' };
  const rawData = isRecord(json.data) ? json.data : json.data === undefined && FACT_FIELDS.some((f) => f in json) ? json : undefined;
  if (!rawData) return { ok: false, reason: 'the reply has no data object' };

  const netWorth = coerceAmount(rawData.netWorth) ?? null;
  const data: FactsEnvelope['data'] = {
    netWorth,
    parents: coerceList(rawData.parents),
    siblings: coerceList(rawData.siblings),
    children: coerceList(rawData.children),
    spouse: coerceString(rawData.spouse),
    interestingFact: coerceString(rawData.interestingFact),
  };

  const meta: NonNullable<FactsEnvelope['meta']> = {};
  const rawMeta = rawData === json ? undefined : json.meta;
  if (isRecord(rawMeta)) {
    for (const field of FACT_FIELDS) {
      const entry = rawMeta[field];
      const confidence = coerceConfidence(isRecord(entry) ? entry.confidence : entry);
      if (confidence === undefined) continue;
      const sources = isRecord(entry) ? coerceSources(entry.sources) : [];
      meta[field] = sources.length > 0 ? { confidence, sources } : { confidence };
    }
  }
  const notes = typeof json.notes === 'string' ? clip(json.notes.trim()) : '';
  const envelope: FactsEnvelope = {
    data,
    ...(Object.keys(meta).length > 0 ? { meta } : {}),
    ...(notes ? { notes } : {}),
  };
  if (!Value.Check(FactsEnvelopeSchema, envelope)) return { ok: false, reason: 'the reply does not match the facts schema' };
  return { ok: true, envelope, netWorthResolved: netWorth !== null };
}

/** Take `netWorth` (value and metadata) from a focused retry into the first reply. */
export function mergeNetWorth(base: FactsEnvelope, retry: FactsEnvelope): FactsEnvelope {
  const retryMeta = retry.meta?.netWorth;
  const meta = { ...(base.meta ?? {}) };
  if (retryMeta) meta.netWorth = retryMeta;
  else delete meta.netWorth;
  return {
    ...base,
    data: { ...base.data, netWorth: retry.data.netWorth },
    ...(Object.keys(meta).length > 0 ? { meta } : {}),
  };
}

/** Read a stored `interesting_info.data` value; undefined when it is not a usable envelope (then it counts as a miss). */
export function readStoredEnvelope(stored: unknown): FactsEnvelope | undefined {
  if (!isRecord(stored) || !isRecord(stored.data)) return undefined;
  return Value.Check(FactsEnvelopeSchema, stored) ? stored : undefined;
}

/**
 * The response of §8.4: each fact in order, only when its metadata exists and
 * its confidence reaches `minConfidence`; `notes` is the stored notes, or
 * "No data available" when no fact passes. Applied at response time, so a new
 * threshold also applies to cached rows.
 */
export function buildPersonFacts(envelope: FactsEnvelope, minConfidence: number): PersonFacts {
  const out: Omit<PersonFacts, 'notes'> = {};
  let passed = 0;
  for (const field of FACT_FIELDS) {
    const meta = envelope.meta?.[field];
    if (!meta || meta.confidence < minConfidence) continue;
    const fact = { value: envelope.data[field], confidence: meta.confidence, ...(meta.sources?.length ? { sources: meta.sources } : {}) };
    (out as Record<FactField, unknown>)[field] = fact;
    passed++;
  }
  return { ...out, notes: passed > 0 ? (envelope.notes ?? '') : NO_DATA_NOTES };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
