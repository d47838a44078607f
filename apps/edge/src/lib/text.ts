import { z } from "@hono/zod-openapi";

/**
 * Human text that other people will see: no control characters (tabs and newlines only where a
 * field is multi-line), no lone UTF-16 surrogates (they would be stored as U+FFFD), and no bidi
 * override characters (they can disguise what a name says).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above, newlines and tabs included
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f]/;
const BIDI_OVERRIDES = /[\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const clean = (multiLine: boolean) => (s: string) =>
  !(multiLine ? CONTROL : CONTROL_SINGLE_LINE).test(s) && !BIDI_OVERRIDES.test(s) && !LONE_SURROGATE.test(s);

const MESSAGE = "Contains characters that are not allowed (control, bidi override or broken Unicode)";

/** A one-line name or title, trimmed, length in characters (code points). */
export const SingleLineText = (min: number, max: number) =>
  z
    .string()
    .trim()
    .refine((s) => Array.from(s).length >= min, `At least ${min} characters`)
    .refine((s) => Array.from(s).length <= max, `At most ${max} characters`)
    .refine(clean(false), MESSAGE);

/** A multi-line description. */
export const MultiLineText = (max: number) =>
  z
    .string()
    .trim()
    .refine((s) => Array.from(s).length <= max, `At most ${max} characters`)
    .refine(clean(true), MESSAGE);
