import AjvCompiler from '@fastify/ajv-compiler';

type ValidatorFactory = ReturnType<typeof AjvCompiler>;
type FactoryOptions = Parameters<ValidatorFactory>[1];

/**
 * Two Ajv instances: the query string, path parameters and headers arrive as
 * text, so they are coerced to the schema's types (`?limit=10` → 10); JSON
 * bodies are not, so `{"rating":"5"}` is a 400 rather than silently becoming 5.
 * Used as Fastify's `schemaController.compilersFactory.buildValidator`.
 */
export function buildSplitValidator(externalSchemas: unknown, options: FactoryOptions) {
  const schemas = externalSchemas as Parameters<ValidatorFactory>[0];
  const coercing = AjvCompiler()(schemas, options);
  const strictOptions = { ...options, customOptions: { ...(options?.customOptions ?? {}), coerceTypes: false } } as FactoryOptions;
  const strict = AjvCompiler()(schemas, strictOptions);
  return (route: Parameters<typeof coercing>[0]) => (route.httpPart === 'body' ? strict(route) : coercing(route));
}
