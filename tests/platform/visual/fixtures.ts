// The catalogue the visual tests show: typed with the web app's generated API types, so a change of
// the API's shapes breaks these fixtures at type-check time (and the screenshots then show it).
// Dates are relative to NOW, the frozen clock of every page, so "3 days ago" never moves.
import type { components } from "../../../apps/web/src/api/schema";

type S = components["schemas"];

/** The pages' frozen clock (Date.now() in every page). */
export const NOW = Date.parse("2026-03-02T10:00:00.000Z");

function ago(days: number, hours = 0): string {
  return new Date(NOW - (days * 24 + hours) * 3_600_000).toISOString();
}

/** Committed files under media/, served at /media/fixture/<name>. */
export const MEDIA_BASE = "/media/fixture";
const poster = (n: number) => `${MEDIA_BASE}/poster-${((n - 1) % 4) + 1}.jpg`;

/** An unsigned JWT-shaped token: the web app only reads its `pid` claim. */
function token(profileId: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part({ sub: "acc_creator", pid: profileId })}.fixture`;
}

export const CREATOR_PROFILE: S["Profile"] = {
  id: "prf_ada",
  name: "Ada",
  avatarUrl: null,
  language: "en",
  maturity: "adult",
  theme: "system",
  createdAt: ago(400),
};

export const KIDS_PROFILE: S["Profile"] = {
  id: "prf_kids",
  name: "Robin",
  avatarUrl: null,
  language: "en",
  maturity: "kids",
  theme: "system",
  createdAt: ago(120),
};

export const CREATOR_TOKEN = token(CREATOR_PROFILE.id);

export const CREATOR_ACCOUNT: S["Account"] = {
  id: "acc_creator",
  email: "ada@example.test",
  emailVerified: true,
  phone: null,
  phoneVerified: false,
  displayName: "Ada Lovelace",
  roles: ["viewer", "creator"],
  plan: "free",
  channelId: "ch_northern",
  createdAt: ago(400),
};

/** What the sign-in init script puts in localStorage["marquee.session"] (apps/web/src/lib/session.ts). */
export const CREATOR_SESSION = {
  accessToken: CREATOR_TOKEN,
  refreshToken: "fixture-refresh-token",
  accountId: CREATOR_ACCOUNT.id,
  profileId: CREATOR_PROFILE.id,
};

export const TOKEN_PAIR: S["TokenPair"] = {
  accessToken: CREATOR_TOKEN,
  refreshToken: "fixture-refresh-token",
  tokenType: "Bearer",
  expiresIn: 900,
  accountId: CREATOR_ACCOUNT.id,
  profileId: CREATOR_PROFILE.id,
};

export const CHANNELS: S["Channel"][] = [
  {
    id: "ch_northern",
    handle: "northernlights",
    name: "Northern Lights Studio",
    description:
      "Slow films about light, weather and the far north. New videos every other Friday, shot on location.",
    ownerAccountId: CREATOR_ACCOUNT.id,
    subscriberCount: 12_480,
    createdAt: ago(380),
  },
  {
    id: "ch_kitchen",
    handle: "kitchentable",
    name: "Kitchen Table",
    description: "Recipes you can cook on a weeknight.",
    ownerAccountId: "acc_other",
    subscriberCount: 3_210,
    createdAt: ago(200),
  },
];

const channelRef = (c: S["Channel"]) => ({ id: c.id, handle: c.handle, name: c.name });
const [NORTHERN, KITCHEN] = CHANNELS as [S["Channel"], S["Channel"]];

const TITLES: [string, S["Channel"], number, number][] = [
  ["Aurora over Tromsø in real time", NORTHERN, 754_000, 182_400],
  ["Ten minutes of falling snow", NORTHERN, 600_000, 9_870],
  ["Weeknight ramen from scratch", KITCHEN, 1_265_000, 45_210],
  ["How a glacier moves: a time-lapse year", NORTHERN, 2_495_000, 1_204_000],
  ["The perfect omelette, three ways", KITCHEN, 412_000, 880],
  ["Midnight sun on the Lofoten coast", NORTHERN, 3_720_000, 27_300],
  ["Sourdough for people in a hurry", KITCHEN, 905_000, 61_000],
  ["Polar night: a day without sunrise", NORTHERN, 1_810_000, 3_400],
];

export const CARDS: S["VideoCard"][] = TITLES.map(([title, channel, durationMs, viewCount], i) => ({
  id: `vid_${i + 1}`,
  title,
  channel: channelRef(channel),
  durationMs,
  publishedAt: ago([3, 9, 1, 40, 14, 200, 2, 70][i] ?? 5, 2),
  viewCount,
  likeCount: Math.round(viewCount / 25),
  maturity: i === 4 ? "kids" : "adult",
  categoryId: channel === KITCHEN ? "cat_food" : "cat_nature",
  tags: channel === KITCHEN ? ["cooking"] : ["nature", "timelapse"],
  premium: i === 5,
  processing: false,
  posterUrl: poster(i + 1),
  storyboardUrl: i === 5 ? null : `${MEDIA_BASE}/storyboard.vtt`,
}));

/** The watched video (the first card) with its full metadata. */
export const WATCHED: S["Video"] = {
  id: "vid_1",
  channelId: NORTHERN.id,
  title: "Aurora over Tromsø in real time",
  description:
    "Filmed on a clear January night 20 km outside Tromsø, no speed-up, no grading.\nCamera: one wide lens on a tripod, four hours of waiting.",
  tags: ["nature", "timelapse", "aurora"],
  categoryId: "cat_nature",
  visibility: "public",
  status: "ready",
  failureReason: null,
  playable: true,
  progress: 100,
  durationMs: 2_000,
  width: 320,
  height: 180,
  createdAt: ago(3, 4),
  updatedAt: ago(3, 2),
  publishedAt: ago(3, 2),
  maturity: "adult",
  likeCount: 7_296,
  dislikeCount: 41,
  commentCount: 3,
  viewCount: 182_400,
  // None: the baselines predate chapters (tests/platform/web.test.ts shows them in a real page).
  chapters: [],
};

export const PLAYBACK: S["Playback"] = {
  videoId: WATCHED.id,
  ad: null,
  status: "ready",
  playable: true,
  progress: 100,
  growing: false,
  durationMs: 2_000,
  maxHeight: 180,
  // As tall as the plan allows: no quality upgrade offered in the screenshots.
  sourceHeight: 180,
  streamId: null,
  heartbeatSeconds: null,
  manifestUrl: `${MEDIA_BASE}/master.m3u8`,
  posterUrl: poster(1),
  storyboardUrl: `${MEDIA_BASE}/storyboard.vtt`,
  expiresAt: ago(-1),
};

/** The creator's studio: one of each state a creator meets. */
export const STUDIO_VIDEOS: S["StudioVideo"][] = [
  {
    ...WATCHED,
    id: "vid_new",
    title: "Storm front over the fjord",
    description: "",
    status: "processing",
    playable: false,
    progress: 42,
    durationMs: null,
    publishedAt: null,
    createdAt: ago(0, 1),
    updatedAt: ago(0, 1),
    likeCount: 0,
    dislikeCount: 0,
    commentCount: 0,
    viewCount: 0,
    posterUrl: null,
  },
  { ...WATCHED, posterUrl: poster(1) },
  {
    ...WATCHED,
    posterUrl: poster(2),
    id: "vid_2",
    title: "Ten minutes of falling snow",
    visibility: "unlisted",
    durationMs: 600_000,
    createdAt: ago(9, 3),
    publishedAt: ago(9, 2),
    likeCount: 312,
    commentCount: 12,
    viewCount: 9_870,
  },
  {
    ...WATCHED,
    id: "vid_broken",
    title: "Test upload (phone)",
    status: "failed",
    failureReason: "The file is not a video ffmpeg can read.",
    posterUrl: null,
    playable: false,
    progress: 0,
    durationMs: null,
    publishedAt: null,
    visibility: "private",
    createdAt: ago(12),
    likeCount: 0,
    dislikeCount: 0,
    commentCount: 0,
    viewCount: 0,
  },
];

function comment(
  id: string,
  name: string,
  body: string,
  hoursAgo: number,
  extra: Partial<S["Comment"]> = {},
) {
  const c: S["Comment"] = {
    id,
    videoId: WATCHED.id,
    parentId: null,
    author: { profileId: `prf_${name.toLowerCase()}`, name, avatarUrl: null },
    body,
    status: "published",
    heldReason: null,
    likeCount: 0,
    dislikeCount: null,
    replyCount: 0,
    edited: false,
    editedAt: null,
    pinned: false,
    createdAt: ago(0, hoursAgo),
    ...extra,
  };
  return c;
}

export const COMMENTS: S["CommentPage"] = {
  items: [
    comment(
      "cmt_1",
      "Northern Lights Studio",
      "Thanks for watching! The full four hours are coming next week.",
      50,
      {
        pinned: true,
        likeCount: 120,
      },
    ),
    comment("cmt_2", "Mika", "The part at 4:10 where the whole sky turns green is unreal.", 20, {
      likeCount: 34,
      replyCount: 1,
    }),
    comment("cmt_3", "Jonas", "What lens did you use? The stars stay sharp to the corners.", 5, {
      edited: true,
    }),
  ],
  nextCursor: null,
  commentsMode: "open",
  commentCount: 4,
};

export const REPLIES: S["ReplyPage"] = {
  items: [comment("cmt_4", "Ada", "Same! I watched it three times.", 18, { parentId: "cmt_2" })],
  nextCursor: null,
};

export const NOTIFICATIONS: S["NotificationPage"] = {
  items: [
    {
      id: "ntf_1",
      type: "comment.created",
      data: { videoId: WATCHED.id, videoTitle: WATCHED.title, authorName: "Jonas", excerpt: "What lens…" },
      read: false,
      createdAt: ago(0, 5),
    },
    {
      id: "ntf_2",
      type: "video.published",
      data: { videoId: "vid_3", channelName: "Kitchen Table", title: "Weeknight ramen from scratch" },
      read: false,
      createdAt: ago(1, 2),
    },
  ],
  nextCursor: null,
  unread: 2,
};

export const CATEGORIES: S["CategoryList"] = {
  items: [
    { id: "cat_nature", slug: "nature", name: "Nature", position: 1 },
    { id: "cat_food", slug: "food", name: "Food", position: 2 },
    { id: "cat_music", slug: "music", name: "Music", position: 3 },
    { id: "cat_science", slug: "science-tech", name: "Science & tech", position: 4 },
  ],
};

const item = (card: S["VideoCard"], reason: S["FeedReason"]): S["FeedItem"] => ({ video: card, reason });
const TRENDING: S["FeedReason"] = { type: "trending" };
const FROM_KITCHEN: S["FeedReason"] = {
  type: "new_from_subscriptions",
  channelId: KITCHEN.id,
  channelName: KITCHEN.name,
};

const CONTINUE: S["FeedReason"] = { type: "continue_watching" };

export const FEED: S["FeedPage"] = {
  items: [
    {
      id: "row_continue",
      title: "Continue watching",
      reason: CONTINUE,
      items: [3, 1].map((i) => ({ ...item(CARDS[i] as S["VideoCard"], CONTINUE), positionMs: 400_000 })),
    },
    {
      id: "row_subs",
      title: "New from Kitchen Table",
      reason: FROM_KITCHEN,
      items: [2, 4, 6].map((i) => item(CARDS[i] as S["VideoCard"], FROM_KITCHEN)),
    },
    { id: "row_trending", title: "Trending", reason: TRENDING, items: CARDS.map((c) => item(c, TRENDING)) },
  ],
  nextCursor: null,
};

export const HISTORY: S["HistoryPage"] = {
  items: CARDS.slice(0, 3).map((video, i) => ({
    video,
    positionMs: [300_000, 60_000, 0][i] ?? 0,
    watchedMs: 300_000,
    completed: i === 2,
    lastWatchedAt: ago(i, 3),
  })),
  nextCursor: null,
};
