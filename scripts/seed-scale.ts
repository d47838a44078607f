// `bun run seed:scale [--videos 100000] [--reactions-per-video 10] [--seed 1] [--viewers 5]
//                     [--analytics-videos 200] [--state-dir DIR] [--password PW] [--reset-seeded]`
// (`--help` prints the usage)
//
// Fills the LOCAL platform's D1 (the SQLite file under `${MARQUEE_STATE_DIR:-.wrangler/state}`) with a
// synthetic catalogue, no media: categories, creators with channels, viewers with adult/teen/kids
// profiles, videos (vocabulary titles, descriptions and tags, mixed maturity and visibility, ready,
// published over the last year), reactions (D1 only: `video_reaction_index` + the videos' counts, not
// the reaction Durable Objects), subscriptions, watch history with playback beacons, view days,
// affinities and trending, and analytics rollups: a year of day rows and the last 7 days of hour rows
// for --analytics-videos videos (their channels' and the platform's too; scripts/lib/scale-seed-analytics.ts). Deterministic for a given --seed (ids and content; timestamps follow
// the clock). Applies the migrations first. Refuses to run twice on the same database unless
// --reset-seeded, which first removes every seeded row (ids `<prefix>_lseed…`).
//
// Seed before `bun run dev` starts if you can: writing while wrangler holds the file is safe (SQLite
// locks), but the running worker may answer from half a seed meanwhile.

import { resolve } from "node:path";
import { hashPassword } from "../packages/shared/src/passwords";
import { defineCommand, integerBetween, parseOrExit } from "./lib/cli";
import { defaultStateDir, localD1File, migrateLocal } from "./lib/local-d1";
import {
  AlreadySeededError,
  DEFAULT_SEED_PASSWORD,
  edgeTrending,
  openForSeeding,
  seedScale,
} from "./lib/scale-seed";

const count = (description: string, def: string, min: number, max: number) =>
  ({ type: "string", valueName: "N", default: def, check: integerBetween(min, max), description }) as const;

const SEED_SCALE = defineCommand({
  name: "seed:scale",
  invocation: "bun run seed:scale",
  summary: "Fills the local platform's D1 with a deterministic synthetic catalogue (no media).",
  options: {
    videos: count("videos to make", "100000", 1, 5_000_000),
    "reactions-per-video": count("likes and dislikes per video, on average", "10", 0, 1000),
    seed: count("the random seed (same seed, same ids and content)", "1", 0, 2 ** 31 - 1),
    viewers: count("viewer accounts with adult, teen and kids profiles", "5", 0, 1000),
    "analytics-videos": count("videos given a year of analytics rollups", "200", 0, 100_000),
    "state-dir": {
      type: "string",
      valueName: "dir",
      description: "the local state dir (default: MARQUEE_STATE_DIR or .wrangler/state)",
    },
    password: {
      type: "string",
      valueName: "password",
      secret: true,
      default: DEFAULT_SEED_PASSWORD,
      check: (pw) => (pw.length < 10 ? "must be at least 10 characters (the sign-up rule)" : undefined),
      description: "every seeded account's password",
    },
    "reset-seeded": { type: "boolean", description: "first remove every seeded row (ids <prefix>_lseed…)" },
  },
  notes: ["Refuses to seed the same database twice unless --reset-seeded."],
});

const { values } = parseOrExit(SEED_SCALE);

function fail(message: string): never {
  console.error(`seed:scale: ${message}`);
  process.exit(2);
}

const videos = Number(values.videos);
const reactionsPerVideo = Number(values["reactions-per-video"]);
const seed = Number(values.seed);
const viewers = Number(values.viewers);
const analyticsVideos = Number(values["analytics-videos"]);
const password = values.password;
const stateDir = values["state-dir"] ? resolve(values["state-dir"]) : defaultStateDir();

console.log(`seed:scale: state dir ${stateDir}`);
console.log("seed:scale: applying migrations (wrangler d1 migrations apply DB --local) …");
migrateLocal(stateDir);
const file = localD1File(stateDir);
if (!file) fail(`no D1 database under ${stateDir} after applying migrations`);
console.log(`seed:scale: D1 file ${file}`);

const db = openForSeeding(file);
try {
  const result = await seedScale(db, {
    videos,
    reactionsPerVideo,
    seed,
    viewers,
    analyticsVideos,
    password,
    passwordHash: await hashPassword(password),
    resetSeeded: values["reset-seeded"],
    recomputeTrending: edgeTrending,
  });
  console.log("");
  console.log(`seed:scale: done in ${result.seconds.toFixed(1)}s`);
  for (const [table, n] of Object.entries(result.counts))
    console.log(`  ${table.padEnd(22)} ${n.toLocaleString("en")}`);
  console.log("");
  console.log(`Every seeded account signs in with the password ${JSON.stringify(password)}, e.g.:`);
  for (const v of result.viewers) {
    console.log(
      `  ${v.email}  (profiles: ${v.profiles.map((p) => p.maturity).join(", ")}; history, likes, subscriptions)`,
    );
  }
  console.log("  creator-1@seed.marquee.test (a creator with a channel), viewer-1@seed.marquee.test, …");
  console.log(
    "Synthetic likes live in D1 only (video_reaction_index, like_count), not in the reaction Durable Objects.",
  );
} catch (err) {
  if (err instanceof AlreadySeededError) fail(err.message);
  throw err;
} finally {
  db.$client.close();
}
