import { describe, expect, it } from "vitest";
import { NAMESPACES, SUPPORTED_LANGUAGES } from "./languages";

type Json = { [key: string]: string | Json };

const files: Record<string, Record<string, Json>> = {
  en: import.meta.glob<Json>("./locales/en/*.json", { eager: true, import: "default" }),
  de: import.meta.glob<Json>("./locales/de/*.json", { eager: true, import: "default" }),
};

const namespaceOf = (path: string) => path.replace(/^.*\/|\.json$/g, "");
const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every string by its dotted key. */
function flatten(json: Json, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(json)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** What a string interpolates: {{names}} (formats dropped) and <0>/<tag> components for <Trans>. */
function placeholders(text: string): string[] {
  const names = [...text.matchAll(/\{\{\s*([^,}\s]+)/g)].map((m) => `{{${m[1]}}}`);
  const tags = [...text.matchAll(/<\/?([\w-]+)\s*\/?>/g)].map((m) => `<${m[1]}>`);
  return [...new Set([...names, ...tags])].sort();
}

/** Keys grouped by their base (plural forms together): base → { forms, placeholders }. */
function shape(language: string, json: Json) {
  const groups = new Map<string, { forms: Set<string>; placeholders: Set<string> }>();
  for (const [key, text] of flatten(json)) {
    const match = key.match(PLURAL);
    const base = match ? key.slice(0, -match[0].length) : key;
    const group = groups.get(base) ?? { forms: new Set(), placeholders: new Set() };
    group.forms.add(match?.[1] ?? "");
    for (const p of placeholders(text)) if (p !== "{{count}}") group.placeholders.add(p);
    if (match) group.placeholders.add("{{count}}");
    groups.set(base, group);
    expect(text.trim(), `${language} ${key} is empty`).not.toBe("");
  }
  return groups;
}

describe("locale files", () => {
  it("every language has a file for every namespace, and nothing else", () => {
    for (const language of SUPPORTED_LANGUAGES) {
      expect(
        Object.keys(files[language] ?? {})
          .map(namespaceOf)
          .sort(),
        language,
      ).toEqual([...NAMESPACES].sort());
    }
  });

  for (const ns of NAMESPACES) {
    it(`${ns}: the same keys, variables and plural forms in English and German`, () => {
      const en = shape("en", files.en?.[`./locales/en/${ns}.json`] ?? {});
      const de = shape("de", files.de?.[`./locales/de/${ns}.json`] ?? {});
      expect([...de.keys()].sort(), `keys of de/${ns}.json`).toEqual([...en.keys()].sort());
      for (const [base, english] of en) {
        const german = de.get(base);
        if (!german) continue;
        expect([...german.placeholders].sort(), `variables of ${ns}:${base}`).toEqual(
          [...english.placeholders].sort(),
        );
        const plural = english.forms.has("other") || german.forms.has("other");
        for (const [language, group] of [
          ["en", english],
          ["de", german],
        ] as const) {
          const expected = plural ? new Intl.PluralRules(language).resolvedOptions().pluralCategories : [""];
          expect([...group.forms].sort(), `plural forms of ${language} ${ns}:${base}`).toEqual(
            [...expected].sort(),
          );
        }
      }
    });
  }
});
