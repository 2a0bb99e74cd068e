/**
 * The one set of parsing rules for environment variables. Every variable in
 * `config.schema.ts` is read through one of these parsers, so that booleans,
 * lists, numbers and durations behave the same everywhere.
 */

export type ParseResult<T> = { ok: true; value: T; warning?: string } | { ok: false; expected: string };

export interface EnvParser<T> {
  /** Human description of the accepted values, used in errors and in the README table. */
  readonly type: string;
  parse(raw: string): ParseResult<T>;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

export function bool(): EnvParser<boolean> {
  return {
    type: 'boolean',
    parse(raw) {
      const v = raw.trim().toLowerCase();
      if (TRUE_WORDS.has(v)) return { ok: true, value: true };
      if (FALSE_WORDS.has(v)) return { ok: true, value: false };
      return { ok: false, expected: 'a boolean (true/false, 1/0, yes/no, on/off)' };
    },
  };
}

const INTEGER = /^[+-]?\d+$/;

export function int(opts: { min?: number; max?: number } = {}): EnvParser<number> {
  const { min, max } = opts;
  const range =
    min !== undefined && max !== undefined
      ? ` between ${min} and ${max}`
      : min !== undefined
        ? ` of at least ${min}`
        : max !== undefined
          ? ` of at most ${max}`
          : '';
  return {
    type: `integer${range}`,
    parse(raw) {
      const v = raw.trim();
      const n = Number(v);
      if (!INTEGER.test(v) || !Number.isSafeInteger(n)) return { ok: false, expected: `an integer${range}` };
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
        return { ok: false, expected: `an integer${range}` };
      }
      return { ok: true, value: n };
    },
  };
}

export function float(opts: { min?: number; max?: number } = {}): EnvParser<number> {
  const { min, max } = opts;
  const range = min !== undefined && max !== undefined ? ` between ${min} and ${max}` : min !== undefined ? ` of at least ${min}` : '';
  return {
    type: `number${range}`,
    parse(raw) {
      const v = raw.trim();
      const n = Number(v);
      const expected = `a number${range}`;
      if (v === '' || !Number.isFinite(n)) return { ok: false, expected };
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) return { ok: false, expected };
      return { ok: true, value: n };
    },
  };
}

export function str(opts: { minLength?: number } = {}): EnvParser<string> {
  return {
    type: 'string',
    parse(raw) {
      if (opts.minLength !== undefined && raw.length < opts.minLength) {
        return { ok: false, expected: `a string of at least ${opts.minLength} characters` };
      }
      return { ok: true, value: raw };
    },
  };
}

export function url(opts: { protocols: readonly string[] }): EnvParser<string> {
  const list = opts.protocols.map((p) => `${p}//`).join(' or ');
  return {
    type: 'URL',
    parse(raw) {
      let parsed: URL;
      try {
        parsed = new URL(raw.trim());
      } catch {
        return { ok: false, expected: `a URL starting with ${list}` };
      }
      if (!opts.protocols.includes(parsed.protocol)) return { ok: false, expected: `a URL starting with ${list}` };
      if (!parsed.hostname && parsed.protocol.startsWith('http')) return { ok: false, expected: 'a URL with a host' };
      return { ok: true, value: raw.trim().replace(/\/+$/, '') };
    },
  };
}

/** Hosts on which a plain `http://` OpenID issuer is tolerated (tests and local development). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** An OpenID issuer URL: https, or plain http on a loopback address only. */
export function issuerUrl(): EnvParser<string> {
  const base = url({ protocols: ['http:', 'https:'] });
  return {
    type: 'https URL (http only on a loopback address)',
    parse(raw) {
      const result = base.parse(raw);
      if (!result.ok) return result;
      const parsed = new URL(result.value);
      if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
        return { ok: false, expected: 'an https URL (plain http is accepted only on 127.0.0.0/8, localhost or [::1])' };
      }
      if (parsed.search || parsed.hash || parsed.username || parsed.password) {
        return { ok: false, expected: 'an issuer URL without query, fragment or credentials' };
      }
      return result;
    },
  };
}

export function list(): EnvParser<string[]> {
  return {
    type: 'comma-separated list',
    parse(raw) {
      return {
        ok: true,
        value: raw
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
      };
    },
  };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date in `YYYY-MM-DD` form that really exists. */
export function date(): EnvParser<string> {
  return {
    type: 'date (YYYY-MM-DD)',
    parse(raw) {
      const v = raw.trim();
      const m = DATE.exec(v);
      if (m) {
        const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
        if (d.toISOString().slice(0, 10) === v) return { ok: true, value: v };
      }
      return { ok: false, expected: 'a real calendar date in YYYY-MM-DD form' };
    },
  };
}

/** A choice from a fixed set. With `lenient`, an unknown value warns and falls back instead of failing. */
export function oneOf<const T extends string>(
  values: readonly T[],
  opts: { lenient?: { fallback: T } } = {},
): EnvParser<T> {
  return {
    type: `one of ${values.join(', ')}`,
    parse(raw) {
      const v = raw.trim().toLowerCase();
      const hit = values.find((x) => x === v);
      if (hit) return { ok: true, value: hit };
      if (opts.lenient) {
        return {
          ok: true,
          value: opts.lenient.fallback,
          warning: `unknown value "${raw}", expected one of ${values.join(', ')}; using "${opts.lenient.fallback}"`,
        };
      }
      return { ok: false, expected: `one of ${values.join(', ')}` };
    },
  };
}

/**
 * `TRUST_PROXY`: `false`, `true` (trust exactly one proxy hop, the usual
 * single reverse proxy), a number of hops, or a comma-separated list of proxy
 * addresses/CIDRs. Trusting every hop would let a client pick its own IP by
 * sending `X-Forwarded-For`, and with it its rate-limit budget.
 */
export function trustProxy(): EnvParser<false | number | string[]> {
  const words = bool();
  return {
    type: 'boolean, hop count or list of proxy addresses',
    parse(raw) {
      const asBool = words.parse(raw);
      if (asBool.ok) return { ok: true, value: asBool.value ? 1 : false };
      const v = raw.trim();
      if (/^\d{1,2}$/.test(v)) return { ok: true, value: Number(v) === 0 ? false : Number(v) };
      const list = v.split(',').map((x) => x.trim()).filter(Boolean);
      if (list.length > 0 && list.every((x) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(x))) return { ok: true, value: list };
      return { ok: false, expected: 'true/false, a number of proxy hops, or comma-separated proxy addresses (CIDR allowed)' };
    },
  };
}
