const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Parse `30d`, `12h`, `90m`, `45s`, `1y` or a plain number of seconds. Returns undefined when invalid. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,9})([smhdwy]?)$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * (UNITS[m[2] || 's'] ?? 1);
  return n > 0 ? n : undefined;
}
