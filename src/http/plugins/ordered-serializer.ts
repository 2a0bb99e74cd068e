import fastJsonStringify from 'fast-json-stringify';

/** Deep copy of a JSON schema without `required`, so the serializer keeps the schema's property order. */
export function withoutRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRequired);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'required' && Array.isArray(value)) continue;
    out[key] = withoutRequired(value);
  }
  return out;
}

type FjsSchema = Parameters<typeof fastJsonStringify>[0];

/**
 * fast-json-stringify writes required properties before optional ones. Our
 * wire format (inherited from the Go service) interleaves them, e.g. an
 * optional `photoPath` before the always-present `photoUrl`. Serializing
 * through a copy of each schema without `required` makes the schema's
 * property order the key order on the wire; the route schemas themselves
 * (validation, OpenAPI) keep `required`.
 *
 * Used as Fastify's `schemaController.compilersFactory.buildSerializer`, so it
 * sees the shared schemas of each encapsulation context.
 */
export function buildOrderedSerializer(externalSchemas?: unknown, serializerOpts?: unknown): (route: { schema?: unknown }) => (doc: unknown) => string {
  const external = Object.fromEntries(
    Object.entries((externalSchemas ?? {}) as Record<string, unknown>).map(([id, s]) => [id, withoutRequired(s)]),
  ) as Record<string, FjsSchema>;
  return ({ schema }) => fastJsonStringify(withoutRequired(schema) as FjsSchema, { ...(serializerOpts ?? {}), schema: external });
}
