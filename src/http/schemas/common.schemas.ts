import { Type, type Static, type TString } from '@sinclair/typebox';

/** The error body of every 4xx/5xx response. */
export const ErrorSchema = Type.Object(
  {
    error: Type.String({ description: 'HTTP status text, as the Go service sent it.', examples: ['Not Found'] }),
    message: Type.String({ description: 'A human-readable sentence.' }),
    code: Type.String({ description: 'Stable machine-readable error code.', examples: ['MOVIE_NOT_FOUND'] }),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { $id: 'Error', title: 'Error' },
);
export type ErrorResponse = Static<typeof ErrorSchema>;

/** A reference to the shared error schema, with a description for one status. */
export const errorRef = (description: string) => Type.Ref(ErrorSchema, { description });

/** Standard error responses shared by every route. */
export const commonErrors = {
  400: errorRef('Invalid input. `code` says which parameter.'),
  500: errorRef('Unexpected server error. The request id in `X-Request-Id` finds it in the logs.'),
};

/** Error responses of routes behind client-token or session auth. */
export const authErrors = {
  401: errorRef('Missing, invalid or expired token (`TOKEN_MISSING`, `TOKEN_INVALID`, `TOKEN_EXPIRED`, `SESSION_INVALID`, `SESSION_EXPIRED`).'),
};

/**
 * A positive TMDB id in plain decimal. The pattern forbids signs, leading
 * zeros and anything that is not a digit; on a mismatch the error handler
 * answers `x-error-code` with the message `Invalid <label>`.
 */
export function tmdbIdParam(errorCode: string, label: string): TString {
  return Type.String({
    pattern: '^[1-9][0-9]{0,9}$',
    maxLength: 10,
    description: `${label}: a positive integer in plain decimal (no sign, no leading zeros).`,
    'x-error-code': errorCode,
    'x-error-message': `Invalid ${label}`,
    examples: ['550'],
  });
}

/** A non-negative integer in plain decimal (season and episode numbers; 0 is Specials). */
export function ordinalParam(errorCode: string, label: string): TString {
  return Type.String({
    pattern: '^(0|[1-9][0-9]{0,5})$',
    maxLength: 6,
    description: `${label}: an integer of 0 or more in plain decimal.`,
    'x-error-code': errorCode,
    'x-error-message': `Invalid ${label}`,
    examples: ['1'],
  });
}
