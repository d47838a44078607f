// Every /api/** request of the pages, answered from the fixtures. Each route names an API path and
// method of the generated `paths` type and must return that operation's success body (or a Status),
// so a renamed path or a changed response shape is a type error here.
import type { components, paths } from "../../../apps/web/src/api/schema";
import {
  CARDS,
  CATEGORIES,
  CHANNELS,
  COMMENTS,
  CREATOR_ACCOUNT,
  CREATOR_PROFILE,
  CREATOR_TOKEN,
  FEED,
  HISTORY,
  KIDS_PROFILE,
  NOTIFICATIONS,
  NOW,
  PLAYBACK,
  REPLIES,
  STUDIO_VIDEOS,
  TOKEN_PAIR,
  WATCHED,
} from "./fixtures";

type Method = "get" | "put" | "post" | "patch" | "delete";
type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : never;
/** The JSON body of an operation's 200, 201 or 202 answer. */
type Success<O> = O extends { responses: infer R } ? JsonOf<R[keyof R & (200 | 201 | 202)]> : never;

/** An answer other than the success body: a problem (or 204). */
export class Status {
  constructor(
    readonly status: number,
    readonly title = "",
  ) {}
}
const NO_CONTENT = new Status(204);
const unauthorized = () => new Status(401, "Sign in first");
const notFound = () => new Status(404, "Not found");

export interface Ask {
  /** Path parameters by name ({videoId} → params.videoId). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The request carried the creator's token. */
  signedIn: boolean;
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  literalSegments: number;
  answer: (ask: Ask) => unknown;
}

const routes: Route[] = [];

function route<P extends keyof paths, M extends Method>(
  method: M,
  path: P,
  answer: (ask: Ask) => Success<paths[P][M]> | Status,
): void {
  const names: string[] = [];
  const source = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  const literalSegments = path.split("/").filter((s) => s && !s.startsWith("{")).length;
  routes.push({
    method: method.toUpperCase(),
    pattern: new RegExp(`^${source}$`),
    names,
    literalSegments,
    answer,
  });
}

/** Answers only with a signed-in creator; 401 for the visitor. */
function mine<T>(body: () => T): (ask: Ask) => T | Status {
  return (ask) => (ask.signedIn ? body() : unauthorized());
}

const cardPage = (items: components["schemas"]["VideoCard"][]) => ({ items, nextCursor: null });
const channelById = (id: string | undefined) => CHANNELS.find((c) => c.id === id);

// Accounts and profiles
route(
  "get",
  "/api/v1/me",
  mine(() => CREATOR_ACCOUNT),
);
route(
  "get",
  "/api/v1/me/profiles",
  mine(() => ({ items: [CREATOR_PROFILE, KIDS_PROFILE] })),
);
// The header's plan badge: a free plan shows none, so the screenshots stay as they were.
route(
  "get",
  "/api/v1/me/billing",
  mine(() => ({
    entitlements: { plan: "free", maxHeight: 720, adFree: false, streams: 1, premiumContent: false },
    subscription: null,
    lastPaymentProblem: null,
  })),
);
route(
  "post",
  "/api/v1/me/profiles/{profileId}/switch",
  mine(() => ({
    accessToken: CREATOR_TOKEN,
    tokenType: "Bearer" as const,
    expiresIn: 900,
    profile: CREATOR_PROFILE,
  })),
);
route("post", "/api/v1/auth/refresh", (ask) => (ask.signedIn ? TOKEN_PAIR : unauthorized()));
route("post", "/api/v1/auth/logout", () => NO_CONTENT);

// Channels, videos, playback
route("get", "/api/v1/channels/{channelId}", ({ params }) => channelById(params.channelId) ?? notFound());
route("get", "/api/v1/channels/{channelId}/videos", ({ params }) =>
  cardPage(CARDS.filter((c) => c.channel.id === params.channelId)),
);
route(
  "get",
  "/api/v1/channels/{channelId}/subscription",
  mine(() => subscription(false)),
);
route(
  "put",
  "/api/v1/channels/{channelId}/subscription",
  mine(() => subscription(true)),
);
route(
  "delete",
  "/api/v1/channels/{channelId}/subscription",
  mine(() => NO_CONTENT),
);
route(
  "get",
  "/api/v1/me/subscriptions",
  mine(() => ({ items: [], nextCursor: null })),
);
route("get", "/api/v1/videos/{videoId}", ({ params }) => {
  const found = [WATCHED, ...STUDIO_VIDEOS].find((v) => v.id === params.videoId);
  return found ?? notFound();
});
route("get", "/api/v1/videos/{videoId}/playback", ({ params }) =>
  params.videoId === WATCHED.id ? PLAYBACK : notFound(),
);
route("get", "/api/v1/videos/{videoId}/reactions", () => ({ likes: WATCHED.likeCount, mine: null }));
route(
  "put",
  "/api/v1/videos/{videoId}/reaction",
  mine(() => ({ value: "like" as const, likes: WATCHED.likeCount + 1 })),
);
route(
  "delete",
  "/api/v1/videos/{videoId}/reaction",
  mine(() => ({ value: null, likes: WATCHED.likeCount })),
);
route("get", "/api/v1/videos/{videoId}/comments", () => COMMENTS);
route("get", "/api/v1/comments/{commentId}/replies", () => REPLIES);
route(
  "get",
  "/api/v1/me/history/{videoId}",
  mine(() => ({ ...(HISTORY.items[0] as components["schemas"]["HistoryEntry"]), positionMs: 0 })),
);
route(
  "get",
  "/api/v1/me/history",
  mine(() => HISTORY),
);
route(
  "get",
  "/api/v1/me/history/settings",
  mine(() => ({ paused: false })),
);
route("post", "/api/v1/events/playback", () => ({ accepted: 0, duplicates: 0, rejected: [] }));

// Listings
route("get", "/api/v1/trending", () => cardPage(CARDS));
route(
  "get",
  "/api/v1/feed",
  mine(() => FEED),
);
route(
  "get",
  "/api/v1/feed/subscriptions",
  mine(() => cardPage(CARDS.slice(2, 5))),
);
route("get", "/api/v1/search", () => cardPage(CARDS.slice(0, 4)));
route("get", "/api/v1/search/suggest", () => ({ items: [] }));
route("get", "/api/v1/tags/{tag}/videos", () => cardPage(CARDS.slice(0, 4)));
route("get", "/api/v1/categories", () => CATEGORIES);

// Studio
route(
  "get",
  "/api/v1/me/videos",
  mine(() => ({ items: STUDIO_VIDEOS, nextCursor: null })),
);

// Notifications
route(
  "get",
  "/api/v1/me/notifications",
  mine(() => NOTIFICATIONS),
);
route(
  "get",
  "/api/v1/me/notifications/unread-count",
  mine(() => ({ unread: NOTIFICATIONS.unread })),
);

function subscription(subscribed: boolean): components["schemas"]["SubscriptionState"] {
  const channel = CHANNELS[0] as components["schemas"]["Channel"];
  return {
    channelId: channel.id,
    subscribed,
    level: subscribed ? "all" : null,
    subscribedAt: subscribed ? new Date(NOW).toISOString() : null,
    subscriberCount: channel.subscriberCount + (subscribed ? 1 : 0),
  };
}

// The most literal route wins: /me/history/settings before /me/history/{videoId}.
routes.sort((a, b) => b.literalSegments - a.literalSegments);

export interface Answer {
  status: number;
  body: unknown;
}

/** The fixture answer to a request, or null when no route knows it. */
export function answerApi(method: string, url: URL, authorization: string | undefined): Answer | null {
  const signedIn = authorization === `Bearer ${CREATOR_TOKEN}`;
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(url.pathname);
    if (!m) continue;
    const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? "")]));
    const body = r.answer({ params, query: url.searchParams, signedIn });
    if (!(body instanceof Status)) return { status: 200, body };
    if (body.status === 204) return { status: 204, body: null };
    return {
      status: body.status,
      body: { type: "about:blank", title: body.title, status: body.status, code: "fixture" },
    };
  }
  return null;
}
