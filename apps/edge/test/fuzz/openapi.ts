/**
 * The slice of an OpenAPI 3.1 document the route-driven tests read: operations, their parameters,
 * their JSON request body and 200 answer schemas (with `$ref`s resolved) and whether they declare
 * bearer security.
 */
import type { Rng } from "./prng";

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  example?: unknown;
  default?: unknown;
}

interface RawParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: JsonSchema;
}

interface RawOperation {
  security?: Record<string, string[]>[];
  parameters?: RawParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Parameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  /** "POST /api/v1/auth/login", as the summary and the per-operation counts name it. */
  id: string;
  method: string;
  /** The templated path, e.g. /api/v1/channels/{channelId}. */
  path: string;
  /** Authenticated by a machine's bearer token (/internal/*) rather than a user's. */
  origin: boolean;
  /** That machine token is PAYOUTS_TOKEN (/internal/payouts/*), not ORIGIN_TOKEN. */
  payouts: boolean;
  /** Declares bearer security (the fuzzer then sends most cases with a valid token). */
  authenticated: boolean;
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** The resolved application/json body schema, when the operation takes one. */
  body: JsonSchema | null;
  /** The resolved application/json schema of its 200 answer, when it has one. */
  ok: JsonSchema | null;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export function listOperations(doc: OpenApiDoc): Operation[] {
  const resolve = (schema: JsonSchema | undefined): JsonSchema => resolveRefs(doc, schema ?? {});
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method)) continue;
      const params = op.parameters ?? [];
      const toParam = (p: RawParameter): Parameter => ({
        name: p.name,
        required: p.required ?? false,
        schema: resolve(p.schema),
      });
      const bodySchema = op.requestBody?.content?.["application/json"]?.schema;
      const okSchema = op.responses?.["200"]?.content?.["application/json"]?.schema;
      ops.push({
        id: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        authenticated: (op.security ?? []).some(
          (s) => "bearerAuth" in s || "originToken" in s || "payoutsToken" in s,
        ),
        origin: (op.security ?? []).some((s) => "originToken" in s || "payoutsToken" in s),
        payouts: (op.security ?? []).some((s) => "payoutsToken" in s),
        pathParams: params.filter((p) => p.in === "path").map(toParam),
        queryParams: params.filter((p) => p.in === "query").map(toParam),
        body: bodySchema ? resolve(bodySchema) : null,
        ok: okSchema ? resolve(okSchema) : null,
      });
    }
  }
  return ops;
}

function resolveRefs(doc: OpenApiDoc, schema: JsonSchema, depth = 0): JsonSchema {
  if (depth > 20) return schema;
  if (schema.$ref) {
    const name = schema.$ref.replace("#/components/schemas/", "");
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`openapi.json: unresolved ${schema.$ref}`);
    return resolveRefs(doc, target, depth + 1);
  }
  if (schema.allOf) {
    // An extended schema: the parts' properties and required lists, merged.
    const { allOf, ...rest } = schema;
    const parts = allOf.map((s) => resolveRefs(doc, s, depth + 1));
    return resolveRefs(
      doc,
      {
        ...rest,
        type: "object",
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
        required: parts.flatMap((p) => p.required ?? []),
      },
      depth + 1,
    );
  }
  const out: JsonSchema = { ...schema };
  if (schema.items) out.items = resolveRefs(doc, schema.items, depth + 1);
  if (schema.anyOf) out.anyOf = schema.anyOf.map((s) => resolveRefs(doc, s, depth + 1));
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, resolveRefs(doc, v, depth + 1)]),
    );
  }
  return out;
}

export const typesOf = (schema: JsonSchema): string[] =>
  Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];

/** Values for patterns the API uses, so the baseline of each operation gets past validation. */
const PATTERN_SAMPLES: [RegExp, (rng: Rng) => string][] = [
  [/video\\\//, () => "video/mp4"],
  [/\\d\{6\}/, (rng) => String(rng.int(0, 999_999)).padStart(6, "0")],
  [/\\\+\[1-9\]/, (rng) => `+1415555${String(rng.int(0, 9999)).padStart(4, "0")}`],
  [/https/, (rng) => `https://example.test/avatars/${rng.word(8)}.png`],
  [/\[a-z\]\{2,3\}/, (rng) => rng.pick(["en", "pt-BR", "fr", "zh-Hant-TW"])],
  [/\[a-z0-9_\]\{3,30\}/, (rng) => `fz_${rng.word(12)}`],
  [/\[A-Za-z0-9_-\]\+/, (rng) => `fuzz${rng.word(40)}`],
  [/\[a-z\]\+_\[a-z0-9\]\+/, (rng) => `acc_${rng.word(16)}`],
];

/**
 * A plausible value for a schema: what a well-behaved client would send. Objects get their
 * required properties, or only their first property when none is required (a PATCH changes one
 * thing, so the baseline never rewrites, say, the account's email and display name at once).
 */
export function sampleFor(schema: JsonSchema, rng: Rng): unknown {
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const types = typesOf(schema).filter((t) => t !== "null");
  const type = types[0] ?? (schema.properties ? "object" : "string");
  switch (type) {
    case "object": {
      const props = schema.properties ?? {};
      const keys = schema.required?.length ? schema.required : Object.keys(props).slice(0, 1);
      return Object.fromEntries(keys.map((k) => [k, sampleFor(props[k] ?? {}, rng)]));
    }
    case "array":
      return schema.items ? [sampleFor(schema.items, rng)] : [];
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return true;
    default:
      return sampleString(schema, rng);
  }
}

function sampleString(schema: JsonSchema, rng: Rng): string {
  if (schema.format === "email") return `fuzz-${rng.word(10)}@example.test`;
  if (schema.pattern) {
    const known = PATTERN_SAMPLES.find(([re]) => re.test(schema.pattern ?? ""));
    if (known) return known[1](rng);
  }
  const min = schema.minLength ?? 1;
  const base = min >= 10 ? `fuzz passphrase ${rng.word(12)}` : `Fuzz ${rng.word(6)}`;
  return base.slice(0, schema.maxLength ?? base.length);
}
