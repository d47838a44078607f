/**
 * Body cases of an operation that takes JSON: not JSON at all, the wrong top-level type, missing,
 * mistyped, hostile and unknown fields, mismatched content types and sizes around the limit.
 */
import type { FuzzContext, Parts } from "./cases";
import { type JsonSchema, typesOf } from "./openapi";
import { badStrings, emailInvalid, UNICODE_STRINGS, wrongTypes } from "./values";

const utf8 = new TextEncoder();
export const byteLength = (body: string | Uint8Array) =>
  typeof body === "string" ? utf8.encode(body).length : body.length;

export function addBodyCases(
  schema: JsonSchema,
  fresh: () => Record<string, unknown>,
  add: (p: Parts) => void,
  ctx: FuzzContext,
  limit: number,
) {
  const { rng } = ctx;
  const json = () => JSON.stringify(fresh());
  const required = schema.required ?? [];
  const props = Object.entries(schema.properties ?? {});
  const strict = schema.additionalProperties === false;

  // Not JSON at all, with a JSON content type: always 400 (malformed JSON).
  const notJson: [string, string][] = [
    ["empty", ""],
    ["plain text", "not json"],
    ["lone brace", "{"],
    ["closing brace", "}"],
    ["trailing comma", '{"a":1,}'],
    ["single quotes", "{'a': 'b'}"],
    ["NaN literal", '{"a": NaN}'],
    ["comment", "// hi\n{}"],
    ["two documents", `${json()}${json()}`],
    ["xml", "<?xml version='1.0'?><a/>"],
    ["form encoded", "a=1&b=2"],
    ["NUL bytes", "\u0000\u0000\u0000"],
    ["unterminated string", '{"a": "abc'],
  ];
  for (let i = 0; i < 3; i++) {
    const whole = json();
    const cut = rng.int(1, Math.max(1, whole.length - 1));
    notJson.push([`truncated at ${cut}`, whole.slice(0, cut)]);
  }
  for (const [name, body] of notJson) add({ name: `body not json: ${name}`, body, expect: [400] });
  add({
    name: "body not json: invalid utf-8",
    body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
    expect: [400],
  });
  add({
    name: "body: deeply nested arrays",
    body: `${"[".repeat(20_000)}${"]".repeat(20_000)}`,
    expect: [400],
  });
  add({ name: "body: UTF-8 BOM before JSON", body: `\ufeff${json()}` });

  // JSON of the wrong top-level type.
  const wrongTop: [string, string][] = [
    ["array", "[]"],
    ["array of the valid body", `[${json()}]`],
    ["number", "42"],
    ["negative float", "-1.5e300"],
    ["string", '"hello"'],
    ["null", "null"],
    ["true", "true"],
  ];
  for (const [name, body] of wrongTop) add({ name: `body top-level ${name}`, body, expect: [400] });
  add({ name: "body: empty object", body: "{}", ...(required.length > 0 ? { expect: [400] } : {}) });

  // Required fields missing, one at a time (all at once is the empty object above).
  for (const key of required) {
    const { [key]: _dropped, ...rest } = fresh();
    add({ name: `body missing ${key}`, body: JSON.stringify(rest), expect: [400] });
  }

  // Every field: wrong types, then a sample of hostile strings.
  for (const [key, fieldSchema] of props) {
    for (const [name, value] of wrongTypes(fieldSchema)) {
      add({
        name: `body ${key}: ${name}`,
        body: JSON.stringify({ ...fresh(), [key]: value }),
        expect: [400],
      });
    }
    if (typesOf(fieldSchema).includes("string") || fieldSchema.format) {
      const strings = badStrings(fieldSchema, ctx);
      // Length probes, invalid emails and every unicode oddity always; a seeded sample of the rest.
      const always = strings.filter(
        (s) =>
          s.tooLong ||
          emailInvalid(s.value) ||
          s.name.startsWith("maxLength") ||
          UNICODE_STRINGS.some((u) => u.value === s.value),
      );
      const rest = rng.sample(
        strings.filter((s) => !always.includes(s)),
        10,
      );
      for (const s of [...always, ...rest]) {
        const definitelyBad = s.tooLong || emailInvalid(s.value);
        add({
          name: `body ${key}: ${s.name}`,
          body: JSON.stringify({ ...fresh(), [key]: s.value }),
          ...(definitelyBad ? { expect: [400] } : {}),
        });
      }
    }
    if (typesOf(fieldSchema).includes("array")) {
      const arrays: [string, unknown][] = [
        // Only an enum makes an arbitrary string item wrong; free-form items (tags) accept it.
        ...(fieldSchema.items?.enum ? ([["unknown item", ["not-a-real-value"]]] as [string, unknown][]) : []),
        ["number items", [1, 2]],
        ["null item", [null]],
        ["nested array", [[fieldSchema.items?.enum?.[0] ?? "x"]]],
        ["1000 items", Array.from({ length: 1000 }, () => fieldSchema.items?.enum?.[0] ?? "x")],
      ];
      for (const [name, value] of arrays) {
        add({
          name: `body ${key}: ${name}`,
          body: JSON.stringify({ ...fresh(), [key]: value }),
          expect: [400],
        });
      }
    }
  }

  // Unknown fields (every body schema is strict, so these must be refused).
  const unknown: [string, string][] = [
    ["extra field", JSON.stringify({ ...fresh(), extra: 1 })],
    ["role escalation", JSON.stringify({ ...fresh(), roles: ["admin"], accountId: "acc_fuzz" })],
    ["__proto__ key", `{"__proto__":{"admin":true},${json().slice(1)}`],
    ["constructor key", JSON.stringify({ ...fresh(), constructor: { prototype: { admin: true } } })],
    [
      "1000 extra fields",
      JSON.stringify({
        ...fresh(),
        ...Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])),
      }),
    ],
  ];
  for (const [name, body] of unknown)
    add({
      name: `body ${name}`,
      body,
      ...(strict ? { expect: [400] } : {}),
    });
  const firstKey = props[0]?.[0];
  if (firstKey) add({ name: "body duplicate key (last wins)", body: `{"${firstKey}":1,${json().slice(1)}` });

  // Content types that do not match the JSON body.
  const contentTypes: [string, string | null][] = [
    ["missing", null],
    ["empty", ""],
    ["text/plain", "text/plain"],
    ["form-urlencoded", "application/x-www-form-urlencoded"],
    ["multipart without boundary", "multipart/form-data"],
    ["xml", "application/xml"],
    ["json utf-16 charset", "application/json; charset=utf-16"],
    ["uppercase json", "APPLICATION/JSON"],
    ["merge-patch+json", "application/merge-patch+json"],
    ["jsonx", "application/jsonx"],
    ["list", "application/json, text/plain"],
    ["wildcard", "*/*"],
  ];
  for (const [name, contentType] of contentTypes) {
    add({
      name: `content-type ${name}`,
      body: json(),
      contentType,
    });
  }
  add({
    name: "content-type form with form body",
    body: "email=a%40b.test&password=x",
    contentType: "application/x-www-form-urlencoded",
  });

  // Size limits: exactly at the limit is allowed; one byte over is 413, however it is sent.
  const padTo = (size: number) => {
    const body = json();
    return body + " ".repeat(Math.max(0, size - byteLength(body)));
  };
  add({ name: `body exactly ${limit} bytes`, body: padTo(limit), reject: [413] });
  add({ name: `body ${limit + 1} bytes`, body: padTo(limit + 1), expect: [413] });
  const mib = 1024 * 1024;
  if (limit < mib) add({ name: "body 1 MiB", body: padTo(mib), expect: [413] });
  add({ name: "body streamed, small", body: json(), stream: true });
  add({ name: "body streamed, over the limit", body: padTo(limit * 2), stream: true });
}
