import { describe, expect, it } from 'vitest';
import { redactUrl } from './logger.ts';

describe('redactUrl', () => {
  it('replaces the values of credential-like query parameters', () => {
    expect(redactUrl('/auth/google/callback?code=abc&state=def&iss=https%3A%2F%2Fx')).toBe('/auth/google/callback?code=[redacted]&state=[redacted]&iss=https%3A%2F%2Fx');
    expect(redactUrl('/auth/google/start?redirect_uri=minimovie%3A%2F%2Fauth&code_challenge=x&link_token=y&Code=z')).toBe(
      '/auth/google/start?redirect_uri=minimovie%3A%2F%2Fauth&code_challenge=[redacted]&link_token=[redacted]&Code=[redacted]',
    );
    expect(redactUrl('/movies/550?language=en')).toBe('/movies/550?language=en');
    expect(redactUrl('/x?%E0%A4%A=secret')).toBe('/x?%E0%A4%A=[redacted]');
    expect(redactUrl('/x')).toBe('/x');
  });
});
