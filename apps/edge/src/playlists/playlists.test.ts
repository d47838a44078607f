/** Playlists and Watch later through the API (docs/playlists.md). */
import { beforeAll, describe, expect, it } from "vitest";
import { insertVideo } from "../../test/fixtures";
import { api, apiJson, eventually, type SeededAccount, seedAccount } from "../../test/harness";

interface Playlist {
  id: string;
  kind: string;
  visibility: string;
  itemCount: number;
  mine: boolean;
  channel: { id: string } | null;
}
interface Items {
  items: { position: number; video: { id: string } }[];
  nextCursor: string | null;
}

let creator: SeededAccount;
let viewer: SeededAccount;
let family: SeededAccount;
let videos: string[];

const create = (who: { accessToken?: string; token?: string }, json: Record<string, unknown>) =>
  apiJson<Playlist>("/api/v1/me/playlists", 201, {
    method: "POST",
    token: who.accessToken ?? who.token,
    json,
  });
const add = (token: string, playlistId: string, videoId: string, status = 200) =>
  apiJson<{ position: number; added: boolean }>(`/api/v1/playlists/${playlistId}/items/${videoId}`, status, {
    method: "PUT",
    token,
  });
const order = async (playlistId: string, token?: string) =>
  (await apiJson<Items>(`/api/v1/playlists/${playlistId}/items?limit=100`, 200, { token })).items.map(
    (i) => i.video.id,
  );

beforeAll(async () => {
  [creator, viewer, family] = await Promise.all([
    seedAccount({ tag: "plcreator", channel: true }),
    seedAccount({ tag: "plviewer" }),
    seedAccount({ tag: "plfamily", profiles: [{ name: "Sibling" }, { name: "Kid", maturity: "kids" }] }),
  ]);
  videos = await Promise.all([1, 2, 3, 4].map((n) => insertVideo(creator, { title: `Playlist video ${n}` })));
});

describe("playlists", () => {
  it("keeps the order videos were added in, moves one, removes one; adding twice is a no-op", async () => {
    const list = await create(viewer, { title: "Road trip", visibility: "public" });
    for (const id of videos.slice(0, 3)) await add(viewer.accessToken, list.id, id);
    expect(await add(viewer.accessToken, list.id, videos[0] as string)).toMatchObject({
      position: 0,
      added: false,
    });
    expect(await order(list.id)).toEqual(videos.slice(0, 3));
    await apiJson(`/api/v1/playlists/${list.id}/items/${videos[2]}/move`, 200, {
      method: "POST",
      token: viewer.accessToken,
      json: { position: 0 },
    });
    expect(await order(list.id)).toEqual([videos[2], videos[0], videos[1]]);
    expect(
      (
        await api(`/api/v1/playlists/${list.id}/items/${videos[0]}`, {
          method: "DELETE",
          token: viewer.accessToken,
        })
      ).status,
    ).toBe(204);
    expect(await order(list.id)).toEqual([videos[2], videos[1]]);
    const read = await apiJson<Playlist>(`/api/v1/playlists/${list.id}`, 200);
    expect(read).toMatchObject({ itemCount: 2, mine: false, visibility: "public" });
  });

  it("pages items in order with a cursor", async () => {
    const list = await create(viewer, { title: "Paged", visibility: "unlisted" });
    for (const id of videos) await add(viewer.accessToken, list.id, id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Items = await apiJson<Items>(
        `/api/v1/playlists/${list.id}/items?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        200,
      );
      seen.push(...page.items.map((i) => i.video.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(videos);
  });

  it("a private playlist is 404 to everyone else, the account's other profiles included; unlisted is readable by link", async () => {
    const secret = await create(family, { title: "Mine only" });
    expect(secret.visibility).toBe("private");
    const sibling = family.profiles.find((p) => p.name === "Sibling");
    expect((await api(`/api/v1/playlists/${secret.id}`, { token: sibling?.token })).status).toBe(404);
    expect((await api(`/api/v1/playlists/${secret.id}`)).status).toBe(404);
    expect((await api(`/api/v1/playlists/${secret.id}/items`, { token: viewer.accessToken })).status).toBe(
      404,
    );
    // Nobody else changes it, whatever its visibility.
    const shared = await create(family, { title: "By link", visibility: "unlisted" });
    expect((await api(`/api/v1/playlists/${shared.id}`)).status).toBe(200);
    for (const [method, path, json] of [
      ["PATCH", `/api/v1/playlists/${shared.id}`, { title: "Taken" }],
      ["DELETE", `/api/v1/playlists/${shared.id}`, undefined],
      ["PUT", `/api/v1/playlists/${shared.id}/items/${videos[0]}`, undefined],
    ] as const) {
      expect((await api(path, { method, token: sibling?.token, json })).status, `${method} ${path}`).toBe(
        404,
      );
    }
  });

  it("shows only videos the reader may watch: a private video is its own account's", async () => {
    const hidden = await insertVideo(creator, { title: "Private one", visibility: "private" });
    const list = await create(creator, { title: "Mixed", visibility: "public" });
    await add(creator.accessToken, list.id, videos[0] as string);
    await add(creator.accessToken, list.id, hidden);
    expect(await order(list.id, creator.accessToken)).toEqual([videos[0], hidden]);
    expect(await order(list.id, viewer.accessToken)).toEqual([videos[0]]);
    // Nor can anyone else add it (its id cannot be probed here).
    const mine = await create(viewer, { title: "Probe" });
    expect(
      (
        await api(`/api/v1/playlists/${mine.id}/items/${hidden}`, {
          method: "PUT",
          token: viewer.accessToken,
        })
      ).status,
    ).toBe(404);
  });

  it("another account's unlisted video shows only to the playlist's own profile; the creator's own shows to all", async () => {
    const unlisted = await insertVideo(creator, { title: "By link only", visibility: "unlisted" });
    const theirs = await create(viewer, { title: "Found by link", visibility: "public" });
    await add(viewer.accessToken, theirs.id, unlisted);
    expect(await order(theirs.id, viewer.accessToken)).toEqual([unlisted]);
    expect(await order(theirs.id)).toEqual([]);
    const own = await create(creator, { title: "My unlisted", visibility: "public" });
    await add(creator.accessToken, own.id, unlisted);
    expect(await order(own.id)).toEqual([unlisted]);
  });

  it("a deleted video leaves every playlist, and the count follows", async () => {
    const doomed = await insertVideo(creator, { title: "Soon gone" });
    const list = await create(viewer, { title: "Has a goner", visibility: "public" });
    await add(viewer.accessToken, list.id, doomed);
    await add(viewer.accessToken, list.id, videos[0] as string);
    expect(
      (await api(`/api/v1/videos/${doomed}`, { method: "DELETE", token: creator.accessToken })).status,
    ).toBe(204);
    await eventually(
      async () => (await apiJson<Playlist>(`/api/v1/playlists/${list.id}`, 200)).itemCount === 1,
      15_000,
    );
    expect(await order(list.id, viewer.accessToken)).toEqual([videos[0]]);
  });

  it("a profile made kids shares its playlists no more", async () => {
    const grown = await seedAccount({ tag: "plgrown", profiles: [{ name: "Later kid" }] });
    const later = grown.profiles.find((p) => p.name === "Later kid");
    const shared = await create({ token: later?.token }, { title: "Shared before", visibility: "public" });
    expect((await api(`/api/v1/playlists/${shared.id}`)).status).toBe(200);
    const res = await api(`/api/v1/me/profiles/${later?.id}`, {
      method: "PATCH",
      token: grown.accessToken,
      json: { maturity: "kids" },
    });
    expect(res.status).toBe(200);
    expect((await api(`/api/v1/playlists/${shared.id}`)).status).toBe(404);
  });

  it("Watch later is one per profile, made on first use, private, and cannot be renamed or deleted", async () => {
    const first = await apiJson<Playlist>("/api/v1/me/watch-later", 200, { token: viewer.accessToken });
    const again = await apiJson<Playlist>("/api/v1/me/watch-later", 200, { token: viewer.accessToken });
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ kind: "watch_later", visibility: "private", mine: true });
    await add(viewer.accessToken, first.id, videos[1] as string);
    expect(await order(first.id, viewer.accessToken)).toEqual([videos[1]]);
    expect(
      (
        await api(`/api/v1/playlists/${first.id}`, {
          method: "PATCH",
          token: viewer.accessToken,
          json: { visibility: "public" },
        })
      ).status,
    ).toBe(409);
    expect(
      (await api(`/api/v1/playlists/${first.id}`, { method: "DELETE", token: viewer.accessToken })).status,
    ).toBe(409);
    const mine = await apiJson<{ items: Playlist[] }>("/api/v1/me/playlists?limit=100", 200, {
      token: viewer.accessToken,
    });
    expect(mine.items.filter((p) => p.kind === "watch_later")).toHaveLength(1);
  });

  it("a channel's page lists its account's public playlists only; a kids profile's stay private", async () => {
    const pub = await create(creator, { title: "Best of", visibility: "public" });
    const unlisted = await create(creator, { title: "Drafts", visibility: "unlisted" });
    const page = await apiJson<{ items: Playlist[] }>(
      `/api/v1/channels/${creator.channelId}/playlists?limit=100`,
      200,
    );
    const ids = page.items.map((p) => p.id);
    expect(ids).toContain(pub.id);
    expect(ids).not.toContain(unlisted.id);
    expect(page.items.find((p) => p.id === pub.id)?.channel?.id).toBe(creator.channelId);
    const kid = family.profiles.find((p) => p.maturity === "kids");
    const kids = await create({ token: kid?.token }, { title: "Cartoons", visibility: "public" });
    expect(kids.visibility).toBe("private");
  });

  it("refuses bad input with 400 and unknown ids with 404", async () => {
    const list = await create(viewer, { title: "Checks" });
    for (const json of [{ title: "" }, { title: "x", visibility: "everyone" }, { title: "x", extra: 1 }]) {
      expect(
        (await api("/api/v1/me/playlists", { method: "POST", token: viewer.accessToken, json })).status,
      ).toBe(400);
    }
    expect(
      (
        await api(`/api/v1/playlists/${list.id}/items/${videos[0]}/move`, {
          method: "POST",
          token: viewer.accessToken,
          json: { position: -1 },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await api(`/api/v1/playlists/${list.id}/items/${videos[0]}/move`, {
          method: "POST",
          token: viewer.accessToken,
          json: { position: 0 },
        })
      ).status,
    ).toBe(404);
    expect((await api("/api/v1/playlists/pl_nothing", { token: viewer.accessToken })).status).toBe(404);
    expect((await api("/api/v1/playlists/NOT-AN-ID")).status).toBe(400);
  });
});
