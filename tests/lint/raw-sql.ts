/**
 * The lint step's data-access check (`bun run lint`): D1 is reached only through drizzle, so no
 * source file may call `.prepare(` (D1's raw statement API) or `DB.exec(`. Durable Objects' own
 * SQLite (`ctx.storage.sql.exec`) is a different API and is not matched. A file that truly needs
 * raw D1 goes in ALLOWED with the reason, and docs/architecture.md says the same.
 *
 * Runs on Node (vitest, tests/lint/raw-sql.test.ts) and on Bun (the CLI below): node: APIs only.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** Folders whose TypeScript may not use raw D1. */
export const CHECKED = ["apps/edge/src", "apps/edge/test", "apps/edge/bench"];

/** Repo-relative files allowed to use raw D1, each with why. Empty: drizzle's `sql` covers every case. */
export const ALLOWED: Record<string, string> = {};

const RAW_D1 = /\.prepare\s*\(|\bDB\s*\.\s*exec\s*\(/;

export interface Finding {
  file: string;
  line: number;
  text: string;
}

function* tsFiles(dir: string): Generator<string> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") yield* tsFiles(path);
    } else if (/\.tsx?$/.test(entry.name)) yield path;
  }
}

/** Every raw-D1 call under `root`'s checked folders that ALLOWED does not excuse. */
export function findRawD1(root: string, allowed: Record<string, string> = ALLOWED): Finding[] {
  const findings: Finding[] = [];
  for (const folder of CHECKED) {
    for (const path of tsFiles(join(root, folder))) {
      const file = relative(root, path).split("\\").join("/");
      if (file in allowed) continue;
      readFileSync(path, "utf8")
        .split("\n")
        .forEach((text, n) => {
          if (RAW_D1.test(text) && !/^\s*(\/\/|\*)/.test(text))
            findings.push({ file, line: n + 1, text: text.trim() });
        });
    }
  }
  return findings;
}

// CLI: `bun tests/lint/raw-sql.ts` from the lint script; exits 1 with one line per finding.
if (process.argv[1]?.endsWith("raw-sql.ts")) {
  const findings = findRawD1(join(import.meta.dirname, "../.."));
  for (const f of findings) {
    console.error(`${f.file}:${f.line}: raw D1 (${f.text}) — use drizzle (see apps/edge/CONTRIBUTING.md)`);
  }
  if (findings.length > 0) process.exit(1);
}
