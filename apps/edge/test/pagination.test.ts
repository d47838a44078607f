/**
 * Every list route, found in openapi.json by its `cursor` query parameter, pages the one way
 * (src/lib/pagination.ts): its 200 answer is declared and sent as `{ items, nextCursor }` (plus the
 * few whole-list fields PAGE_EXTRAS names, which `pageOf` adds flat beside them),
 * and a cursor it did not hand out — garbage, another list's kind, another list's real cursor, its
 * own with a byte changed — is a 400 problem at `query.cursor`. Each list is read with a legitimate
 * request (pagination/lists.ts) in a world where it has more than one item, so `limit=1` gives a
 * real cursor to tamper with.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type JsonSchema, listOperations, type OpenApiDoc, type Operation, typesOf } from "./fuzz/openapi";
import { api, openApiDocument } from "./harness";
import { TAMPERS, withQuery } from "./pagination/cursors";
import { LIST_REQUESTS, type ListWorld, seedListWorld } from "./pagination/lists";

const doc = await openApiDocument<OpenApiDoc>();
const lists = listOperations(doc).filter((op) => op.queryParams.some((p) => p.name === "cursor"));

/** Fields about the whole list some pages carry beside items and nextCursor (pageOf's `extra`). */
const PAGE_EXTRAS: Record<string, string[]> = {
  "GET /api/v1/videos/{videoId}/comments": ["commentCount", "commentsMode"],
  "GET /api/v1/me/notifications": ["unread"],
  "GET /api/v1/me/earnings": ["account", "currency", "estimate", "totals"],
  "GET /api/v1/me/strikes": ["activeStrikes", "channelState", "frozenUntil"],
};
const pageKeys = (op: Operation) => ["items", "nextCursor", ...(PAGE_EXTRAS[op.id] ?? [])].sort();

let world: ListWorld;
beforeAll(async () => {
  world = await seedListWorld();
}, 60_000);

interface FirstPage {
  status: number;
  body: Record<string, unknown> | null;
  text: string;
}

/** Each list's first page of one item, read once. */
const firstPages = new Map<string, Promise<FirstPage>>();
function firstPage(op: Operation): Promise<FirstPage> {
  let page = firstPages.get(op.id);
  if (!page) {
    page = read(op).then(async (res) => {
      const text = await res.text();
      return { status: res.status, body: res.status === 200 ? JSON.parse(text) : null, text };
    });
    firstPages.set(op.id, page);
  }
  return page;
}

const takesLimit = (op: Operation) => op.queryParams.some((p) => p.name === "limit");

function read(op: Operation, cursor?: string): Promise<Response> {
  const make = LIST_REQUESTS[op.id];
  if (!make) throw new Error(`${op.id} has no legitimate request: add one to test/pagination/lists.ts`);
  const { path, token } = make(world);
  const query = { ...(takesLimit(op) ? { limit: "1" } : {}), ...(cursor === undefined ? {} : { cursor }) };
  return api(withQuery(path, query), { ...(token ? { token } : {}) });
}

/** The nextCursor of the list's first page; fails when there is none to tamper with. */
async function realCursor(op: Operation): Promise<string> {
  const page = await firstPage(op);
  const cursor = page.body?.nextCursor;
  if (typeof cursor !== "string") {
    throw new Error(
      `${op.id} handed out no cursor (${page.status}: ${page.text.slice(0, 300)}): seed more than one item`,
    );
  }
  return cursor;
}

/** The real cursors of every other list that hands one out: none of them may open this list. */
async function otherListsCursors(op: Operation): Promise<{ list: string; cursor: string }[]> {
  const found: { list: string; cursor: string }[] = [];
  for (const other of lists) {
    if (other === op) continue;
    const cursor = (await firstPage(other)).body?.nextCursor;
    if (typeof cursor === "string") found.push({ list: other.id, cursor });
  }
  if (found.length === 0) throw new Error("no other list handed out a cursor");
  return found;
}

/** The request's answer when it is not a 400 problem at query.cursor, or null when it is. */
async function notRefused(op: Operation, cursor: string): Promise<string | null> {
  const res = await read(op, cursor);
  const text = await res.text();
  const problem = res.status === 400 ? (JSON.parse(text) as { errors?: { path: string }[] }) : null;
  const refused =
    res.headers.get("content-type")?.includes("application/problem+json") &&
    problem?.errors?.some((e) => e.path === "query.cursor");
  return refused ? null : `${res.status}: ${text.slice(0, 200)}`;
}

const isNullableString = (s: JsonSchema) => {
  const types = [...typesOf(s), ...(s.anyOf ?? []).flatMap(typesOf)];
  return types.includes("string") && (types.includes("null") || s.nullable === true);
};

it("finds the list routes, each with a legitimate request, and no request for a route that is gone", () => {
  expect(lists.length).toBeGreaterThan(0);
  const ids = lists.map((op) => op.id);
  expect({
    "lists without a legitimate request": ids.filter((id) => !(id in LIST_REQUESTS)),
    "requests naming no list operation": Object.keys(LIST_REQUESTS).filter((id) => !ids.includes(id)),
  }).toEqual({ "lists without a legitimate request": [], "requests naming no list operation": [] });
});

for (const op of lists) {
  describe(op.id, () => {
    it("declares its 200 answer as { items: array, nextCursor: string | null } (+ its PAGE_EXTRAS)", () => {
      const ok = op.ok ?? {};
      expect(Object.keys(ok.properties ?? {}).sort()).toEqual(pageKeys(op));
      expect(typesOf(ok.properties?.items ?? {})).toEqual(["array"]);
      expect(isNullableString(ok.properties?.nextCursor ?? {}), "nextCursor is string | null").toBe(true);
      expect([...(ok.required ?? [])].sort()).toEqual(pageKeys(op));
    });

    it("answers a legitimate request with { items, nextCursor } and a cursor to its next page", async () => {
      const page = await firstPage(op);
      expect(page.status, page.text.slice(0, 300)).toBe(200);
      expect(Object.keys(page.body ?? {}).sort()).toEqual(pageKeys(op));
      expect(Array.isArray(page.body?.items)).toBe(true);
      expect(typeof (await realCursor(op))).toBe("string");
    });

    for (const tamper of TAMPERS) {
      it(`refuses ${tamper.name} as the cursor: 400 at query.cursor`, async () => {
        const real = tamper.from === "own" ? await realCursor(op) : "";
        expect(await notRefused(op, tamper.make(real))).toBeNull();
      });
    }

    it("refuses the real cursor of every other list: 400 at query.cursor", async () => {
      const accepted: Record<string, string> = {};
      for (const { list, cursor } of await otherListsCursors(op)) {
        const answer = await notRefused(op, cursor);
        if (answer !== null) accepted[list] = answer;
      }
      expect(accepted).toEqual({});
    });
  });
}
