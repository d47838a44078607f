/**
 * GET /api/v1/admin/audit: filters, cursor pages newest first, admins only; and that nothing in the
 * API writes the log (no other method on its paths).
 */
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, apiJson, listAll, seedCastBeforeAll } from "../../test/harness";
import { auditLog } from "../db/schema";
import { type AuditActor, type AuditEntry, auditInsert, SYSTEM } from "./log";

interface EntryJson {
  seq: number;
  at: string;
  actor: { accountId: string | null; roles: string[] };
  action: string;
  target: { type: string; id: string };
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
  prevHash: string | null;
  hash: string | null;
}

const cast = seedCastBeforeAll("auditr", {
  admin: { roles: ["admin"] },
  moderator: { roles: ["moderator"] },
  viewer: {},
  creator: { channel: true },
});

const T0 = Date.parse("2026-03-01T00:00:00.000Z");
const HOUR = 3_600_000;

async function insert(by: AuditActor, entry: AuditEntry, at: number): Promise<number> {
  const db = testDb();
  const [row] = await auditInsert({ db, requestId: "req-audit-routes" }, by, entry, at).returning({
    seq: auditLog.seq,
  });
  return (row as { seq: number }).seq;
}

const list = (query: string) => listAll<EntryJson>(`/api/v1/admin/audit${query}`, cast.admin.accessToken, 2);

describe("GET /admin/audit", () => {
  let seqs: number[] = [];

  it("lists every row newest first, over cursor pages, with who, what, target, before/after", async () => {
    const admin = { accountId: cast.admin.accountId, roles: cast.admin.roles };
    const moderator = { accountId: cast.moderator.accountId, roles: cast.moderator.roles };
    seqs = [
      await insert(
        admin,
        {
          action: "admin.roles.set",
          targetType: "account",
          targetId: cast.viewer.accountId,
          before: { roles: ["viewer"] },
          after: { roles: ["viewer", "moderator"] },
          reason: "new hire",
        },
        T0,
      ),
      await insert(
        moderator,
        {
          action: "moderation.comment",
          targetType: "comment",
          targetId: "cmt_a1",
          after: { status: "removed" },
        },
        T0 + HOUR,
      ),
      await insert(
        SYSTEM,
        { action: "moderation.auto_hide", targetType: "video", targetId: "vid_a1" },
        T0 + 2 * HOUR,
      ),
      await insert(
        moderator,
        { action: "moderation.comment", targetType: "comment", targetId: "cmt_a2" },
        T0 + 3 * HOUR,
      ),
      await insert(
        admin,
        { action: "admin.category.create", targetType: "category", targetId: "cat_a1" },
        T0 + 4 * HOUR,
      ),
    ];

    const all = await list("");
    expect(all.map((e) => e.seq)).toEqual([...seqs].reverse());
    expect(all[4]).toEqual({
      seq: seqs[0],
      at: "2026-03-01T00:00:00.000Z",
      actor: { accountId: cast.admin.accountId, roles: ["viewer", "admin"] },
      action: "admin.roles.set",
      target: { type: "account", id: cast.viewer.accountId },
      before: { roles: ["viewer"] },
      after: { roles: ["viewer", "moderator"] },
      reason: "new hire",
      requestId: "req-audit-routes",
      prevHash: null,
      hash: null,
    });
    expect(all[2]).toMatchObject({
      actor: { accountId: null, roles: ["system"] },
      before: null,
      after: null,
    });
  });

  it("filters by action, actor, target and time (from inclusive, to exclusive), combined with AND", async () => {
    const seqsOf = async (query: string) => (await list(query)).map((e) => e.seq);
    expect(await seqsOf("?action=moderation.comment")).toEqual([seqs[3], seqs[1]]);
    expect(await seqsOf(`?actorAccountId=${cast.admin.accountId}`)).toEqual([seqs[4], seqs[0]]);
    expect(await seqsOf("?targetType=comment&targetId=cmt_a2")).toEqual([seqs[3]]);
    expect(await seqsOf("?targetType=video")).toEqual([seqs[2]]);
    expect(
      await seqsOf(`?from=${new Date(T0 + HOUR).toISOString()}&to=${new Date(T0 + 3 * HOUR).toISOString()}`),
    ).toEqual([seqs[2], seqs[1]]);
    expect(await seqsOf(`?from=2026-03-01T02:00:00%2B01:00`)).toEqual([seqs[4], seqs[3], seqs[2], seqs[1]]);
    expect(await seqsOf(`?action=moderation.comment&actorAccountId=${cast.admin.accountId}`)).toEqual([]);
  });

  it("shows hashes once sealed (GET /admin/audit/verify seals)", async () => {
    await apiJson("/api/v1/admin/audit/verify", 200, { token: cast.admin.accessToken });
    const [newest] = await list("?targetType=category");
    expect(newest?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(newest?.prevHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a bad action, a bad time, and a cursor it did not hand out (400)", async () => {
    for (const query of [
      "?action=videos.delete",
      "?from=yesterday",
      "?to=2026-13-01T00:00:00Z",
      "?cursor=abc",
    ]) {
      const res = await api(`/api/v1/admin/audit${query}`, { token: cast.admin.accessToken });
      expect(res.status, query).toBe(400);
    }
  });

  it("answers admins only: 401 without a token, 403 to a moderator, a creator and a viewer", async () => {
    for (const path of ["/api/v1/admin/audit", "/api/v1/admin/audit/verify"]) {
      expect((await api(path)).status).toBe(401);
      for (const who of [cast.moderator, cast.creator, cast.viewer]) {
        const res = await api(path, { token: who.accessToken });
        expect(res.status, `${path} as ${who.roles.join(",")}`).toBe(403);
      }
    }
  });

  it("has no way to write: no other method on its paths, and the rows are unchanged after trying", async () => {
    const before = await list("");
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      for (const path of [
        "/api/v1/admin/audit",
        `/api/v1/admin/audit/${seqs[0]}`,
        "/api/v1/admin/audit/verify",
      ]) {
        const res = await api(path, { method, token: cast.admin.accessToken, json: { reason: "x" } });
        expect(res.status, `${method} ${path}`).toBe(404);
      }
    }
    const after = await list("");
    expect(after.map(({ hash: _h, prevHash: _p, ...rest }) => rest)).toEqual(
      before.map(({ hash: _h, prevHash: _p, ...rest }) => rest),
    );
  });
});
