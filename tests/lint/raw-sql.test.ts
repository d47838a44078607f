import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findRawD1 } from "./raw-sql";

const ROOT = join(import.meta.dirname, "../..");

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "raw-sql-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("the raw-D1 lint check", () => {
  it("finds nothing in the repository: every D1 access goes through drizzle", () => {
    expect(findRawD1(ROOT)).toEqual([]);
  });

  it("fails on a .prepare( added to a domain, a test or the bench entry", () => {
    const root = tree({
      "apps/edge/src/videos/service.ts": 'await env.DB.prepare("SELECT 1").first();\n',
      "apps/edge/test/harness.ts": "const row = await db\n  .prepare(`UPDATE videos SET x = 1`)\n  .run();\n",
      "apps/edge/bench/worker.ts": 'await c.env.DB.exec("DELETE FROM videos");\n',
    });
    expect(
      findRawD1(root)
        .map((f) => `${f.file}:${f.line}`)
        .sort(),
    ).toEqual([
      "apps/edge/bench/worker.ts:1",
      "apps/edge/src/videos/service.ts:1",
      "apps/edge/test/harness.ts:2",
    ]);
  });

  it("leaves Durable Objects' own SQLite, comments and the allowed list alone", () => {
    const root = tree({
      "apps/edge/src/social/inbox.ts": 'this.ctx.storage.sql.exec("SELECT 1");\n// never .prepare( here\n',
      "apps/edge/src/search/fts.ts": 'await env.DB.prepare("SELECT bm25(x)").all();\n',
    });
    expect(findRawD1(root, { "apps/edge/src/search/fts.ts": "why" })).toEqual([]);
  });
});
