import { describe, expect, it } from "vitest";
import { api, apiJson, createVideo, seedAccount, videoPath, videoRow } from "../../test/harness";
import { makeCategory, storedVideo, uniqueWord } from "./test-utils";

interface CategoryJson {
  id: string;
  slug: string;
  name: string;
  position: number;
}

const listCategories = () => apiJson<{ items: CategoryJson[] }>("/api/v1/categories", 200);

describe("categories", () => {
  it("an admin creates, renames and deletes categories; the public list follows, ordered by position then name", async () => {
    const admin = await seedAccount({ tag: "catadmin", roles: ["admin"] });
    const first = await makeCategory(admin, "Zebra crossings", 1);
    const second = await makeCategory(admin, "Aardvarks", 1);
    const third = await makeCategory(admin, "Music", 0);
    expect(first).toMatchObject({ name: "Zebra crossings", position: 1 });
    expect(first.id).toMatch(/^cat_[a-z0-9]+$/);

    const mine = (await listCategories()).items.filter((c) => [first.id, second.id, third.id].includes(c.id));
    // position 0 first; within position 1, by name
    expect(mine.map((c) => c.id)).toEqual([third.id, second.id, first.id]);
    expect(mine[0]).toEqual(third);

    const renamed = await apiJson<CategoryJson>(`/api/v1/admin/categories/${first.id}`, 200, {
      method: "PATCH",
      token: admin.accessToken,
      json: { name: "Crossings", position: 0 },
    });
    expect(renamed).toMatchObject({ id: first.id, slug: first.slug, name: "Crossings", position: 0 });
    const reordered = (await listCategories()).items.filter((c) => [first.id, third.id].includes(c.id));
    expect(reordered.map((c) => c.name)).toEqual(["Crossings", "Music"]);

    expect(
      (await api(`/api/v1/admin/categories/${second.id}`, { method: "DELETE", token: admin.accessToken }))
        .status,
    ).toBe(204);
    expect((await listCategories()).items.some((c) => c.id === second.id)).toBe(false);
    expect(
      (await api(`/api/v1/admin/categories/${second.id}`, { method: "DELETE", token: admin.accessToken }))
        .status,
    ).toBe(404);
  });

  it("normalises slugs, refuses malformed ones and answers 409 for a slug already taken", async () => {
    const admin = await seedAccount({ tag: "catslug", roles: ["admin"] });
    const slug = uniqueWord("s");
    const made = await apiJson<CategoryJson>("/api/v1/admin/categories", 201, {
      method: "POST",
      token: admin.accessToken,
      json: { slug: `  ${slug.toUpperCase()} `, name: "Slugs" },
    });
    expect(made).toMatchObject({ slug, position: 0 });
    const again = await api("/api/v1/admin/categories", {
      method: "POST",
      token: admin.accessToken,
      json: { slug, name: "Slugs again" },
    });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    const other = await makeCategory(admin);
    const steal = await api(`/api/v1/admin/categories/${other.id}`, {
      method: "PATCH",
      token: admin.accessToken,
      json: { slug },
    });
    expect(steal.status).toBe(409);
    for (const bad of ["with space", "under_score", "-lead", "trail-", "a--b", "", "x".repeat(41)]) {
      const res = await api("/api/v1/admin/categories", {
        method: "POST",
        token: admin.accessToken,
        json: { slug: bad, name: "Bad" },
      });
      expect(res.status, bad).toBe(400);
    }
    const empty = await api(`/api/v1/admin/categories/${other.id}`, {
      method: "PATCH",
      token: admin.accessToken,
      json: {},
    });
    expect(empty.status).toBe(400);
  });

  it("only admins manage categories: a creator gets 403 and changes nothing", async () => {
    const admin = await seedAccount({ tag: "catonly", roles: ["admin"] });
    const creator = await seedAccount({ tag: "catcreator", channel: true });
    const category = await makeCategory(admin, "Kept");
    const attempts = [
      api("/api/v1/admin/categories", {
        method: "POST",
        token: creator.accessToken,
        json: { slug: uniqueWord(), name: "X" },
      }),
      api(`/api/v1/admin/categories/${category.id}`, {
        method: "PATCH",
        token: creator.accessToken,
        json: { name: "X" },
      }),
      api(`/api/v1/admin/categories/${category.id}`, { method: "DELETE", token: creator.accessToken }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(403);
    expect((await listCategories()).items.find((c) => c.id === category.id)).toEqual(category);
  });
});

describe("a video's category and maturity", () => {
  it("are set on create and edit, shown with the counts, and an unknown category is a 400 on body.categoryId", async () => {
    const admin = await seedAccount({ tag: "vcadmin", roles: ["admin"] });
    const owner = await seedAccount({ tag: "vcowner", channel: true });
    const music = await makeCategory(admin, "Music");
    const films = await makeCategory(admin, "Films");

    const { video } = await createVideo(owner, { size: 100 }, { categoryId: music.id, maturity: "teen" });
    expect(video).toMatchObject({
      categoryId: music.id,
      maturity: "teen",
      viewCount: 0,
      likeCount: 0,
      dislikeCount: 0,
      commentCount: 0,
    });
    const plain = await createVideo(owner, { size: 100 });
    expect(plain.video).toMatchObject({ categoryId: null, maturity: "adult" });

    const unknown = await api("/api/v1/videos", {
      method: "POST",
      token: owner.accessToken,
      json: { title: "Nope", categoryId: "cat_doesnotexist", upload: { size: 10, contentType: "video/mp4" } },
    });
    expect(unknown.status).toBe(400);
    const problem = (await unknown.json()) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe("validation_failed");
    expect(problem.errors.map((e) => e.path)).toEqual(["body.categoryId"]);

    const edited = await apiJson(videoPath(video.id), 200, {
      method: "PATCH",
      token: owner.accessToken,
      json: { categoryId: films.id, maturity: "kids" },
    });
    expect(edited).toMatchObject({ categoryId: films.id, maturity: "kids" });
    const badEdit = await api(videoPath(video.id), {
      method: "PATCH",
      token: owner.accessToken,
      json: { categoryId: "cat_gone" },
    });
    expect(badEdit.status).toBe(400);
    const badMaturity = await api(videoPath(video.id), {
      method: "PATCH",
      token: owner.accessToken,
      json: { maturity: "everyone" },
    });
    expect(badMaturity.status).toBe(400);
    expect(await videoRow(video.id)).toMatchObject({ categoryId: films.id, maturity: "kids" });

    const cleared = await apiJson(videoPath(video.id), 200, {
      method: "PATCH",
      token: owner.accessToken,
      json: { categoryId: null },
    });
    expect(cleared).toMatchObject({ categoryId: null });
  });

  it("GET /videos/{id} shows the view count and rating", async () => {
    const owner = await seedAccount({ tag: "vcviews", channel: true });
    const id = await storedVideo(owner, { viewCount: 42, likeCount: 3, maturity: "teen" });
    expect(await apiJson(videoPath(id), 200)).toMatchObject({
      viewCount: 42,
      likeCount: 3,
      maturity: "teen",
    });
  });

  it("deleting a category leaves its videos without one", async () => {
    const admin = await seedAccount({ tag: "vcdel", roles: ["admin"] });
    const owner = await seedAccount({ tag: "vcdelowner", channel: true });
    const doomed = await makeCategory(admin, "Doomed");
    const kept = await makeCategory(admin, "Kept");
    const a = await storedVideo(owner, { categoryId: doomed.id });
    const b = await storedVideo(owner, { categoryId: kept.id });
    await apiJson(`/api/v1/admin/categories/${doomed.id}`, 204, {
      method: "DELETE",
      token: admin.accessToken,
    });
    expect(await apiJson(videoPath(a), 200)).toMatchObject({ categoryId: null });
    expect(await apiJson(videoPath(b), 200)).toMatchObject({ categoryId: kept.id });
  });
});
