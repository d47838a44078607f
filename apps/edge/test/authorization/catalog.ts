/**
 * Authorisation-matrix entries of the catalog routes (issue 5; see matrix.ts).
 *
 * Category routes on an existing category need one, and the matrix's world has none: this module
 * seeds its own (in a `beforeAll` registered when the matrix test imports it; `afterRefusals` checks
 * every refused attempt left it exactly as it was). Categories are site-wide, so every non-admin
 * caller gets 403 (never 404): there is nothing of theirs to hide. The owner is the world's admin.
 */
import { beforeAll, expect } from "vitest";
import { apiJson, seedAccount, unique } from "../harness";
import { notKids, signedIn } from "./intruders";
import type { MatrixEntry, OwnerCheck } from "./matrix";
import { afterRefusals } from "./phases";

let category = { id: "cat_notseededyet", slug: "", name: "Matrix", position: 7 };

beforeAll(async () => {
  const admin = await seedAccount({ tag: "mxcatadmin", roles: ["admin"] });
  category = await apiJson("/api/v1/admin/categories", 201, {
    method: "POST",
    token: admin.accessToken,
    json: {
      slug: unique("mx")
        .toLowerCase()
        .replace(/[^a-z0-9]/g, ""),
      name: "Matrix",
      position: 7,
    },
  });
});

afterRefusals("the category is as it was", async () => {
  const { items } = await apiJson<{ items: (typeof category)[] }>("/api/v1/categories", 200);
  expect(items.find((c) => c.id === category.id)).toEqual(category);
});

const adminOnly = { ...signedIn, viewer: 403, otherAccount: 403, kids: 403 } as const;
const asAdmin = (check: Omit<OwnerCheck, "as">): OwnerCheck => ({
  as: (w) => ({ token: w.admin.accessToken }),
  ...check,
});
const slug = () =>
  unique("mx")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");

export const CATALOG_ENTRIES: MatrixEntry[] = [
  {
    operation: "POST /api/v1/admin/categories",
    request: () => ({
      path: "/api/v1/admin/categories",
      json: { slug: slug(), name: "Intruder" },
    }),
    refuse: adminOnly,
    owner: asAdmin({ status: 201 }),
  },
  {
    operation: "PATCH /api/v1/admin/categories/{categoryId}",
    request: () => ({ path: `/api/v1/admin/categories/${category.id}`, json: { name: "Taken over" } }),
    refuse: adminOnly,
    owner: asAdmin({ status: 200 }),
  },
  {
    operation: "DELETE /api/v1/admin/categories/{categoryId}",
    request: () => ({ path: `/api/v1/admin/categories/${category.id}` }),
    refuse: adminOnly,
    owner: asAdmin({ status: 204, last: true }),
  },
  {
    // The studio list is the caller's own account's; kids profiles manage nothing.
    operation: "GET /api/v1/me/videos",
    request: () => ({ path: "/api/v1/me/videos" }),
    refuse: notKids,
    owner: { status: 200 },
  },
];

/** Operations anyone may call, with the reason. */
export const CATALOG_PUBLIC_OPERATIONS: Record<string, string> = {
  "GET /api/v1/categories": "the site-wide category list is public",
  "GET /api/v1/tags/{tag}/videos":
    "listed videos only, filtered by the caller's maturity level (signed out = adult)",
  "GET /api/v1/channels/{channelId}/videos": "listed videos only, filtered by the caller's maturity level",
  "GET /api/v1/search": "listed videos only, filtered by the caller's maturity level",
  "GET /api/v1/search/suggest": "drawn from listed videos only, filtered by the caller's maturity level",
};
