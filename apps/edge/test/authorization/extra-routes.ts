/**
 * Authorisation-matrix entries of the routes outside openapi.json (see matrix.ts).
 *
 * - The local storage route, `/storage/{key}` (src/storage/routes.ts): no user token, the signed
 *   URL is the credential. Its refusals are forgeries (`attempts`): no signature, a wrong one, an
 *   expired URL, a URL signed for another key or another method. The owner is whoever holds the
 *   URL the edge signed: the creator's upload plan (PUT) and a GET signed like the origin's.
 */
import { env } from "cloudflare:test";
import { beforeAll, expect } from "vitest";
import { LocalStorageSigner } from "../../src/storage/signer";
import { createVideo, seedAccount, sourceKey, testBytes } from "../harness";
import type { Attempt, MatrixEntry, MatrixRequest } from "./matrix";
import { afterRefusals } from "./phases";

/** Routes outside openapi.json, and what they are. Every one must have a matrix entry. */
export const EXTRA_OPERATIONS: Record<string, string> = {
  "PUT /storage/{key}": "local storage: a PUT through a URL the edge signed (uploads, transcoder outputs)",
  "GET /storage/{key}": "local storage: a GET through a URL the edge signed (the origin reads sources)",
};

const SIZE = 64;
const bytes = testBytes(SIZE, 7);
const signer = () => new LocalStorageSigner("http://marquee.test", env.MEDIA_SIGNING_KEY);
const local = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/** The creator's upload URL (PUT of `putKey`) and its headers. */
let put = {
  key: "videos/vid_notseededyet/source",
  url: "/storage/none",
  headers: {} as Record<string, string>,
};
/** Another video's upload URL, to try on `put.key`. */
let otherPutUrl = "/storage/none";
/** A GET URL of an object written straight to storage, and another object's. */
let get = { key: "videos/vid_notseededyet/source", url: "/storage/none" };
let otherGetUrl = "/storage/none";

beforeAll(async () => {
  const creator = await seedAccount({ tag: "mxstorage", channel: true });
  const [mine, theirs, readable, other] = await Promise.all([
    createVideo(creator, { size: SIZE }),
    createVideo(creator, { size: SIZE }),
    createVideo(creator, { size: SIZE }),
    createVideo(creator, { size: SIZE }),
  ]);
  for (const v of [mine, theirs]) {
    if (v.upload.kind !== "single") throw new Error(`a ${SIZE}-byte upload should be a single PUT`);
  }
  const plan = mine.upload as { url: string; headers?: Record<string, string> };
  put = { key: sourceKey(mine.video.id), url: local(plan.url), headers: plan.headers ?? {} };
  otherPutUrl = local((theirs.upload as { url: string }).url);
  get = { key: sourceKey(readable.video.id), url: "" };
  await env.MEDIA.put(get.key, bytes);
  const s = signer();
  get.url = local(await s.presign({ method: "GET", key: get.key, expiresInSeconds: 600 }));
  otherGetUrl = local(
    await s.presign({ method: "GET", key: sourceKey(other.video.id), expiresInSeconds: 600 }),
  );
});

afterRefusals("no forged storage PUT stored anything", async () => {
  expect(await env.MEDIA.head(put.key)).toBeNull();
});

/** `url`'s path with `other`'s query: a signature made for another object. */
const pathWithQueryOf = (url: string, other: string) => `${url.split("?")[0]}?${other.split("?")[1]}`;
const withParam = (url: string, name: string, value: string | null) => {
  const u = new URL(url, "http://marquee.test");
  if (value === null) u.searchParams.delete(name);
  else u.searchParams.set(name, value);
  return `${u.pathname}${u.search}`;
};
/** The same signature with one character changed. */
const flipped = (signature: string) => `${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`;

function forgeries(
  method: "GET" | "PUT",
  target: () => { key: string; url: string },
  send: (path: string) => MatrixRequest,
  otherUrl: () => string,
): Attempt[] {
  return [
    {
      name: "unsigned",
      request: () => send(withParam(target().url, "X-Signature", null)),
      status: 403,
    },
    {
      name: "bad signature",
      request: () => {
        const sig = new URL(target().url, "http://x").searchParams.get("X-Signature") ?? "";
        return send(withParam(target().url, "X-Signature", flipped(sig)));
      },
      status: 403,
    },
    {
      name: "expired",
      request: async () => {
        const url = await signer().presign({
          method,
          key: target().key,
          expiresInSeconds: -60,
          ...(method === "PUT" ? { contentLength: SIZE, contentType: "video/mp4" } : {}),
        });
        return send(local(url));
      },
      status: 403,
    },
    {
      name: "signed for another key",
      request: () => send(pathWithQueryOf(target().url, otherUrl())),
      status: 403,
    },
  ];
}

const putRequest = (path: string): MatrixRequest => ({ path, body: bytes, headers: put.headers });
const getRequest = (path: string): MatrixRequest => ({ path });

export const EXTRA_ENTRIES: MatrixEntry[] = [
  {
    operation: "PUT /storage/{key}",
    request: () => putRequest(put.url),
    refuse: {},
    attempts: [
      ...forgeries(
        "PUT",
        () => put,
        putRequest,
        () => otherPutUrl,
      ),
      {
        name: "a GET URL used to PUT",
        request: async () =>
          putRequest(local(await signer().presign({ method: "GET", key: put.key, expiresInSeconds: 600 }))),
        status: 403,
      },
    ],
    owner: { as: () => ({}), status: 200 },
  },
  {
    operation: "GET /storage/{key}",
    request: () => getRequest(get.url),
    refuse: {},
    attempts: [
      ...forgeries(
        "GET",
        () => get,
        getRequest,
        () => otherGetUrl,
      ),
      {
        name: "a PUT URL used to GET",
        request: () => getRequest(put.url),
        status: 403,
      },
    ],
    owner: { as: () => ({}), status: 200 },
  },
];
