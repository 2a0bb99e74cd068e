import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorBody } from '../../shared/errors.ts';
import { noStoreIfPrivate } from './auth.plugin.ts';

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

const CONTEXT_CODES: Record<string, string> = {
  params: 'INVALID_PATH_PARAMETER',
  querystring: 'INVALID_QUERY_PARAMETER',
  body: 'INVALID_BODY',
  headers: 'INVALID_HEADER',
};

/**
 * Find the `x-error-code` of the schema property that failed validation, so a
 * bad `/movies/{id}` answers `INVALID_ID` rather than a generic code.
 */
function fieldErrorInfo(
  request: FastifyRequest,
  context: string,
  issue: ValidationIssue | undefined,
): { code?: string; message?: string } {
  if (!issue) return {};
  const schemaKey = context === 'querystring' ? 'querystring' : context;
  const schema = (request.routeOptions.schema as Record<string, unknown> | undefined)?.[schemaKey] as
    | { properties?: Record<string, Record<string, unknown>> }
    | undefined;
  const field =
    issue.keyword === 'required'
      ? String(issue.params.missingProperty)
      : (issue.instancePath.split('/')[1] ?? '');
  const prop = schema?.properties?.[field];
  const code = prop?.['x-error-code'];
  const message = prop?.['x-error-message'];
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

function describeValidation(context: string, issues: ValidationIssue[]): { message: string; details: Record<string, unknown> } {
  const first = issues[0];
  const where = context === 'querystring' ? 'query' : context;
  const field =
    first?.keyword === 'required'
      ? String(first.params.missingProperty)
      : first?.instancePath
        ? first.instancePath.slice(1).replaceAll('/', '.')
        : '';
  const message = field ? `Invalid ${where} field '${field}': ${first?.message ?? 'invalid value'}` : `Invalid ${where}: ${first?.message ?? 'invalid value'}`;
  return {
    message,
    details: {
      location: where,
      issues: issues.slice(0, 10).map((i) => ({ path: i.instancePath || '/', message: i.message ?? i.keyword })),
    },
  };
}

/** Fastify's own error codes that are the client's fault, with our stable codes. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'BODY_TOO_LARGE', message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Content-Type' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'INVALID_JSON', message: 'Body is empty but Content-Type is application/json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'INVALID_JSON', message: 'Body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'INVALID_CONTENT_LENGTH', message: 'Content-Length does not match the body' },
  FST_ERR_CTP_INVALID_TYPE: { status: 400, code: 'INVALID_CONTENT_TYPE', message: 'Invalid Content-Type header' },
  FST_ERR_BAD_URL: { status: 400, code: 'INVALID_URL', message: 'The URL is malformed' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'URL_TOO_LONG', message: 'A path parameter of the URL is too long' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'INVALID_REQUEST', message: 'Invalid request' },
};

/** Turn any thrown value into the house error body and send it. */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) {
    if (error.status >= 500) request.log.warn({ err: error, code: error.code }, error.message);
    if (error.headers) void reply.headers(error.headers);
    return reply.code(error.status).send(errorBody(error.status, error.code, error.message, error.details));
  }
  const fe = error as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
  if (fe.validation) {
    const context = fe.validationContext ?? 'body';
    const info = fieldErrorInfo(request, context, fe.validation[0]);
    const code = info.code ?? CONTEXT_CODES[context] ?? 'INVALID_REQUEST';
    const { message, details } = describeValidation(context, fe.validation);
    return reply.code(400).send(errorBody(400, code, info.message ?? message, details));
  }
  const known = fe.code ? FASTIFY_CLIENT_ERRORS[fe.code] : undefined;
  if (known) return reply.code(known.status).send(errorBody(known.status, known.code, known.message));
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = fe.code?.startsWith('FST_') || !fe.code ? 'INVALID_REQUEST' : fe.code;
    return reply.code(fe.statusCode).send(errorBody(fe.statusCode, code, fe.message || 'Invalid request'));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send(errorBody(500, 'INTERNAL_ERROR', 'Something went wrong on our side. Quote the X-Request-Id header when reporting it.'));
}

/** One error handler and a JSON 404/405 for unknown routes. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));

  app.setNotFoundHandler((request, reply) => {
    noStoreIfPrivate(request.url, reply);
    const path = (request.url.split('?')[0] ?? '/').slice(0, 200);
    const allowed = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter(
      (method) => method !== request.method && app.findRoute({ method, url: path }) !== null,
    );
    if (allowed.length > 0) {
      void reply.header('allow', allowed.join(', '));
      return reply
        .code(405)
        .send(errorBody(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed here; use ${allowed.join(', ')}`));
    }
    return reply.code(404).send(errorBody(404, 'ROUTE_NOT_FOUND', `No route for ${request.method} ${path}`));
  });
}
