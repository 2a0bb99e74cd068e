/** Redirect-URI rules of the browser/app flow (RFC 8252 §7, RFC 6749 §4.1.2). */

/** Exact string match against the allow-list: no prefix, case or trailing-slash leniency, so the server is never an open redirect. */
export function isAllowedRedirect(uri: string, allowlist: readonly string[]): boolean {
  return allowlist.includes(uri);
}

/** The app's redirect URI with response parameters added to its query (existing query parameters are kept). */
export function appRedirect(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

/** An OAuth `error` from a provider, passed on only when it looks like one (RFC 6749 error codes are [a-z_]). */
export function sanitizeProviderError(error: unknown): string {
  return typeof error === 'string' && /^[a-z_]{1,64}$/.test(error) ? error : 'access_denied';
}
