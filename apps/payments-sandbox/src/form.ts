/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with bracket paths, as stripe-node
 * writes it (`line_items[0][price]=…`, `metadata[accountId]=…`, `expand[0]=…` or `expand[]=…`).
 * Parsed into nested objects; an object whose keys are all indices becomes an array. Values stay
 * strings: each endpoint converts the fields it reads (an empty string means "unset", as in Stripe).
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = splitKey(rawKey);
    if (path.length === 0) continue;
    let node: FormObject = root;
    for (let i = 0; i < path.length; i++) {
      let key = path[i] as string;
      const last = i === path.length - 1;
      if (key === "") key = String(Object.keys(node).length); // `expand[]` appends
      if (last) {
        node[key] = value;
      } else {
        const next = node[key];
        if (typeof next !== "object" || next === null || Array.isArray(next)) node[key] = {};
        node = node[key] as FormObject;
      }
    }
  }
  return arrayify(root) as FormObject;
}

function splitKey(key: string): string[] {
  const open = key.indexOf("[");
  if (open < 0) return [key];
  const parts = [key.slice(0, open)];
  for (const m of key.slice(open).matchAll(/\[([^\]]*)\]/g)) parts.push(m[1] ?? "");
  return parts;
}

function arrayify(value: FormValue): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const out: FormObject = {};
  for (const k of keys) out[k] = arrayify(value[k] as FormValue);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => out[String(k)] as FormValue);
  }
  return out;
}

export const str = (v: FormValue | undefined): string | undefined => (typeof v === "string" ? v : undefined);

export const obj = (v: FormValue | undefined): FormObject | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? v : undefined;

export const list = (v: FormValue | undefined): FormValue[] =>
  Array.isArray(v) ? v : obj(v) ? Object.values(v as FormObject) : [];

/** `metadata[k]=v` as Stripe reads it: string values; an empty string removes the key on update. */
export function metadataOf(
  v: FormValue | undefined,
  base: Record<string, string> = {},
): Record<string, string> {
  const out = { ...base };
  for (const [k, val] of Object.entries(obj(v) ?? {})) {
    if (typeof val !== "string") continue;
    if (val === "") delete out[k];
    else out[k] = val;
  }
  return out;
}

export const bool = (v: FormValue | undefined): boolean | undefined =>
  v === "true" ? true : v === "false" ? false : undefined;
