import { describe, expect, it } from 'vitest';
import { appRedirect, isAllowedRedirect, sanitizeProviderError } from './redirect.rules.ts';

describe('isAllowedRedirect', () => {
  const list = ['minimovie://auth', 'https://minimovie.info/auth/done'];
  it('accepts exact matches only', () => {
    expect(isAllowedRedirect('minimovie://auth', list)).toBe(true);
    expect(isAllowedRedirect('https://minimovie.info/auth/done', list)).toBe(true);
    for (const bad of ['minimovie://auth/', 'MINIMOVIE://auth', 'https://minimovie.info/auth/done?x=1', 'https://minimovie.info/auth/done/../evil', 'https://minimovie.info.evil.com/auth/done', '']) {
      expect(isAllowedRedirect(bad, list)).toBe(false);
    }
  });
});

describe('appRedirect', () => {
  it('adds parameters and keeps the existing query', () => {
    expect(appRedirect('minimovie://auth', { code: 'c', state: 's' })).toBe('minimovie://auth?code=c&state=s');
    expect(appRedirect('https://x.test/done?a=1', { error: 'access_denied', state: 'a b', skip: undefined })).toBe(
      'https://x.test/done?a=1&error=access_denied&state=a+b',
    );
  });
});

describe('sanitizeProviderError', () => {
  it('passes OAuth error codes and replaces anything else', () => {
    expect(sanitizeProviderError('access_denied')).toBe('access_denied');
    expect(sanitizeProviderError('user_cancelled_authorize')).toBe('user_cancelled_authorize');
    expect(sanitizeProviderError('<script>')).toBe('access_denied');
    expect(sanitizeProviderError(undefined)).toBe('access_denied');
  });
});
