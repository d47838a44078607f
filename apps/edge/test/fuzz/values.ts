/**
 * Bad values the fuzzer tries: wrong JSON types, hostile strings (lengths, unicode, injections,
 * emails), path segments and query values, each with what makes it certainly invalid.
 */
import type { FuzzContext } from "./cases";
import { type JsonSchema, typesOf } from "./openapi";
import type { Rng } from "./prng";

// ---------------------------------------------------------------------------------------------
// Value dictionaries
// ---------------------------------------------------------------------------------------------

/** Values of the wrong JSON type for a field whose schema is `schema`. */
export function wrongTypes(schema: JsonSchema): [string, unknown][] {
  const types = typesOf(schema);
  const all: [string, unknown, string][] = [
    ["number 0", 0, "number"],
    ["number -1", -1, "number"],
    ["float 1.5", 1.5, "number"],
    ["number 1e308", 1e308, "number"],
    ["number 2^53+1", 2 ** 53 + 1, "number"],
    ["true", true, "boolean"],
    ["false", false, "boolean"],
    ["empty array", [], "array"],
    ["array of string", ["x"], "array"],
    ["empty object", {}, "object"],
    ["object", { nested: "x" }, "object"],
    ["null", null, "null"],
    ["string", "12", "string"],
  ];
  const accepts = (t: string) => types.includes(t) || (t === "number" && types.includes("integer"));
  return all.filter(([, , t]) => !accepts(t)).map(([name, value]) => [name, value]);
}

export interface BadString {
  name: string;
  value: string;
}

export const UNICODE_STRINGS: BadString[] = [
  { name: "emoji", value: "😀🎬🍿 fuzz 🎞️" },
  { name: "emoji x41 (41 code points, 82 UTF-16 units)", value: "😀".repeat(41) },
  { name: "emoji x81", value: "😀".repeat(81) },
  // Code that truncates by UTF-16 units (e.g. to 50) would cut the 25th emoji in half.
  { name: "emoji straddling 50 UTF-16 units", value: `a${"😀".repeat(30)}` },
  { name: "NUL", value: "\u0000" },
  { name: "embedded NUL", value: "a\u0000b" },
  { name: "control chars", value: "\u0001\u0002\u0007\b\u001b[31mred\u007f" },
  { name: "RTL override", value: "\u202eevil\u202c" },
  { name: "lone high surrogate", value: "a\ud800b" },
  { name: "lone low surrogate", value: "\udc00" },
  { name: "noncharacter", value: "\uffff\ufffe" },
  { name: "BOM", value: "\ufeffname" },
  { name: "zalgo", value: "Z̷̢͎̈́a̸̛̺l̶̰̀g̵̣̈o̷̥͝" },
  { name: "CJK and Arabic", value: "漢字 مرحبا ñ" },
  { name: "zero-width", value: "\u200b\u200c\u200d" },
  { name: "line separators", value: "a\u2028b\u2029c" },
];

const INJECTION_STRINGS: BadString[] = [
  { name: "sql", value: "' OR 1=1--" },
  { name: "sql drop", value: "'); DROP TABLE accounts;--" },
  { name: "html", value: "<script>alert(1)</script>" },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal template-injection probe
  { name: "template", value: "${7*7}{{7*7}}" },
  { name: "path traversal", value: "../../../../etc/passwd" },
  { name: "percent", value: "%00%2e%2e%2f" },
  { name: "format", value: "%s%s%n%x" },
  { name: "json-ish", value: '{"a":1}' },
  { name: "word null", value: "null" },
  { name: "word undefined", value: "undefined" },
  { name: "word NaN", value: "NaN" },
  { name: "numeric", value: "-1e309" },
  { name: "__proto__", value: "__proto__" },
];

const EMAILS: (BadString & { invalid: boolean })[] = [
  { name: "no at", value: "plainaddress", invalid: true },
  { name: "no local part", value: "@example.test", invalid: true },
  { name: "no domain", value: "someone@", invalid: true },
  { name: "space", value: "some one@example.test", invalid: true },
  { name: "two ats", value: "a@@example.test", invalid: true },
  { name: "double dot", value: "a@example..test", invalid: true },
  { name: "300-char local part", value: `${"a".repeat(300)}@example.test`, invalid: true },
  { name: "1000-char domain", value: `a@${"b".repeat(1000)}.test`, invalid: true },
  {
    name: "254 chars",
    value: `${"a".repeat(64)}@${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.test`,
    invalid: false,
  },
  { name: "unicode", value: "ünï@exämple.test", invalid: false },
  { name: "emoji", value: "😀@example.test", invalid: false },
  { name: "uppercase", value: "FUZZ.UPPER@EXAMPLE.TEST", invalid: false },
  { name: "trailing newline", value: "a@example.test\n", invalid: false },
  { name: "plus tag", value: "a+tag@example.test", invalid: false },
  { name: "quoted local", value: '"a b"@example.test', invalid: false },
  { name: "ip literal", value: "a@[127.0.0.1]", invalid: false },
];

/** Strings for a string field: lengths around and far beyond its limit, unicode, injections. */
export function badStrings(
  schema: JsonSchema,
  ctx: Pick<FuzzContext, "dictionary">,
): (BadString & { tooLong: boolean })[] {
  const max = schema.maxLength;
  // JSON Schema (and zod) count string length in code points, not UTF-16 units.
  const long = (name: string, value: string) => ({
    name,
    value,
    tooLong: max !== undefined && [...value].length > max,
  });
  const out: (BadString & { tooLong: boolean })[] = [
    long("empty", ""),
    long("space", " "),
    long("whitespace", "\t\n\r "),
    long("padded", "   padded   "),
    long("10k chars", "x".repeat(10_000)),
    long("30k two-byte chars", "é".repeat(30_000)),
    long("100k chars", "y".repeat(100_000)),
  ];
  if (max !== undefined) {
    out.push(long(`maxLength ${max}`, "m".repeat(max)), long(`maxLength+1 ${max + 1}`, "m".repeat(max + 1)));
  }
  for (const s of [...UNICODE_STRINGS, ...INJECTION_STRINGS]) out.push(long(s.name, s.value));
  for (const value of ctx.dictionary) out.push(long(`known value ${value.slice(0, 24)}`, value));
  if (schema.format === "email") for (const e of EMAILS) out.push(long(`email ${e.name}`, e.value));
  return out;
}

export const emailInvalid = (value: string) => EMAILS.some((e) => e.invalid && e.value === value);

/** Path parameter values, as they go on the wire (already encoded where a case wants that). */
export function badPathValues(rng: Rng): { name: string; raw: string; routes: boolean }[] {
  const enc = encodeURIComponent;
  // `routes: false` means the value changes which route matches (so 404 is the honest answer).
  return [
    { name: "empty", raw: "", routes: false },
    { name: "space", raw: "%20", routes: true },
    { name: "dot", raw: ".", routes: false },
    { name: "dotdot", raw: "..", routes: false },
    { name: "encoded traversal", raw: "..%2F..%2F..%2Fetc%2Fpasswd", routes: true },
    { name: "double-encoded traversal", raw: "%252e%252e%252f", routes: true },
    { name: "1000 chars", raw: "a".repeat(1000), routes: true },
    { name: "16k chars", raw: "a".repeat(16_000), routes: true },
    { name: "64 chars", raw: `acc_${"z".repeat(60)}`, routes: true },
    { name: "65 chars", raw: `acc_${"z".repeat(61)}`, routes: true },
    { name: "sql", raw: enc("' OR 1=1--"), routes: true },
    { name: "sql unencoded quote", raw: "'OR'1'='1", routes: true },
    { name: "emoji", raw: enc("😀"), routes: true },
    { name: "raw unicode", raw: "ñandú", routes: true },
    { name: "NUL", raw: "%00", routes: true },
    { name: "lone percent", raw: "%", routes: true },
    { name: "bad percent escape", raw: "%zz", routes: true },
    { name: "truncated utf-8 escape", raw: "%E0%A4%A", routes: true },
    { name: "invalid utf-8 escape", raw: "%C3%28", routes: true },
    { name: "encoded slash", raw: "a%2Fb", routes: true },
    { name: "encoded question mark", raw: "a%3Fb%3Dc", routes: true },
    { name: "encoded hash", raw: "a%23b", routes: true },
    { name: "uppercase id", raw: "ACC_ZZZZ", routes: true },
    { name: "nonexistent account id", raw: `acc_${rng.word(20)}`, routes: true },
    { name: "nonexistent profile id", raw: `prf_${rng.word(20)}`, routes: true },
    { name: "nonexistent channel id", raw: `chn_${rng.word(20)}`, routes: true },
    { name: "nonexistent handle", raw: `@${rng.word(12)}`, routes: true },
    { name: "bare at", raw: "@", routes: true },
    { name: "word null", raw: "null", routes: true },
    { name: "negative number", raw: "-1", routes: true },
    { name: "huge number", raw: "1e309", routes: true },
    { name: "html", raw: enc("<script>alert(1)</script>"), routes: true },
  ];
}

export function queryValues(schema: JsonSchema): { value: string; invalid: boolean }[] {
  const types = typesOf(schema);
  if (types.includes("integer") || types.includes("number")) {
    const min = schema.minimum ?? Number.NEGATIVE_INFINITY;
    const max = schema.maximum ?? Number.POSITIVE_INFINITY;
    const integer = types.includes("integer");
    // Mirrors z.coerce.number(): Number(value), then the bounds.
    const invalid = (v: string) => {
      const n = Number(v);
      return Number.isNaN(n) || (integer && !Number.isInteger(n)) || n < min || n > max;
    };
    return [
      "",
      " ",
      "0",
      "-1",
      "1.5",
      "abc",
      "1e3",
      "NaN",
      "Infinity",
      "-Infinity",
      "0x10",
      "99999999999999999999",
      String(max),
      String(max + 1),
    ].map((value) => ({ value, invalid: invalid(value) }));
  }
  const max = schema.maxLength ?? Number.POSITIVE_INFINITY;
  return [
    "",
    "%",
    "😀",
    "\u0000",
    "' OR 1=1--",
    "x".repeat(Math.min(max, 500)),
    "x".repeat(Math.min(max + 1, 4000)),
  ].map((value) => ({
    value,
    invalid: value.length > max,
  }));
}
