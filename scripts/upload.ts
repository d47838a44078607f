// `bun run upload <file> --title "..." [--description ..] [--tags a,b] [--visibility public|unlisted|private|premium]
//                    [--api http://127.0.0.1:8787] [--email .. --password ..] [--wait [--timeout 1800]]`
//
// Uploads a video through the API with a progress bar. An interrupted multipart upload (Ctrl-C,
// network loss) resumes on the next run of the same command: the video id is remembered per file
// (path, size, mtime) in ~/.cache/marquee/uploads.json, and only missing parts are sent.
// Credentials: --email/--password or MARQUEE_EMAIL/MARQUEE_PASSWORD. `--help` prints the usage.
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import {
  createClient,
  processingStage,
  resumeUpload,
  type UploadProgress,
  uploadVideo,
  waitUntilProcessed,
} from "../packages/sdk/src";
import { VISIBILITIES } from "../packages/shared/src/media";
import { withBookmark } from "./lib/bookmark";
import { defineCommand, integerBetween, parseOrExit } from "./lib/cli";
import { mib, progressBar } from "./lib/progress-bar";

const UPLOAD = defineCommand({
  name: "upload",
  invocation: "bun run upload",
  summary: "Uploads a video through the API with a progress bar; an interrupted upload resumes on a rerun.",
  positionals: [{ name: "file", description: "the video file to upload", required: true }],
  options: {
    title: { type: "string", short: "t", valueName: "text", description: "title (needed unless resuming)" },
    description: { type: "string", valueName: "text", description: "description" },
    tags: { type: "string", valueName: "a,b", description: "comma-separated tags" },
    visibility: { type: "string", choices: VISIBILITIES, description: "who may watch it" },
    api: {
      type: "string",
      valueName: "url",
      env: "MARQUEE_API",
      default: "http://127.0.0.1:8787",
      description: "the edge's address",
    },
    email: {
      type: "string",
      required: true,
      valueName: "address",
      env: "MARQUEE_EMAIL",
      description: "the creator's email",
    },
    password: {
      type: "string",
      secret: true,
      required: true,
      valueName: "password",
      env: "MARQUEE_PASSWORD",
      description: "their password",
    },
    wait: {
      type: "boolean",
      short: "w",
      description: "then show processing as a bar until ready (exit 0) or failed (exit 1)",
    },
    timeout: {
      type: "string",
      valueName: "seconds",
      default: "1800",
      check: integerBetween(1, 7 * 24 * 3600),
      description: "how long --wait waits before it gives up (exit 1)",
    },
  },
  notes: [
    "The upload's progress goes to stdout, --wait's to stderr; stdout's last line is {\"videoId\": ...}.",
    "Upload state (for resuming): MARQUEE_UPLOAD_STATE, default ~/.cache/marquee/uploads.json.",
  ],
});

const { values, positionals, usageError: refuse } = parseOrExit(UPLOAD);
// Annotated, so TypeScript knows a call to it ends the process (narrowing after it).
const usageError: (reason: string) => never = refuse;

const path = resolve(positionals[0] as string);
let stat: ReturnType<typeof statSync>;
try {
  stat = statSync(path);
} catch {
  usageError(`cannot read ${path}`);
}

const STATE = process.env.MARQUEE_UPLOAD_STATE ?? join(homedir(), ".cache/marquee/uploads.json");
const fileKey = `${path}:${stat.size}:${stat.mtimeMs}`;
const readState = (): Record<string, string> => {
  try {
    return JSON.parse(readFileSync(STATE, "utf8"));
  } catch {
    return {};
  }
};
const writeState = (state: Record<string, string>) => {
  mkdirSync(dirname(STATE), { recursive: true });
  writeFileSync(STATE, JSON.stringify(state, null, 2));
};
const remembered = readState()[fileKey];
if (!remembered && !values.title) usageError("--title is required for a new upload");

// The SDK's client (packages/sdk). It sends back the newest D1 bookmark the API returned, so polls
// after the upload read their own writes.
const api = createClient({ baseUrl: values.api, fetch: withBookmark() });
const bar = progressBar("upload");
const onProgress = (p: UploadProgress) =>
  bar.update(
    p.bytesTotal ? p.bytesDone / p.bytesTotal : 1,
    `${mib(p.bytesDone)} / ${mib(p.bytesTotal)}, part ${p.partsDone}/${p.partsTotal}`,
  );
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

let videoId: string;
try {
  await api.signIn(values.email, values.password);
  const file = Bun.file(path);
  if (remembered) {
    console.log(`upload: resuming video ${remembered}`);
    await resumeUpload(api, remembered, file, { onProgress });
    videoId = remembered;
  } else {
    videoId = await uploadVideo(
      api,
      file,
      {
        title: values.title as string,
        ...(values.description ? { description: values.description } : {}),
        ...(values.tags ? { tags: values.tags.split(",").map((t) => t.trim()) } : {}),
        ...(values.visibility ? { visibility: values.visibility as (typeof VISIBILITIES)[number] } : {}),
      },
      { onProgress, onCreated: (id) => writeState({ ...readState(), [fileKey]: id }) },
    );
  }
  const state = readState();
  delete state[fileKey];
  writeState(state);
  bar.done(`done: video ${videoId} is queued for processing`);
} catch (error) {
  if (process.stdout.isTTY) process.stdout.write("\n");
  console.error(`upload: ${message(error)}`);
  console.error("upload: run the same command again to resume.");
  process.exit(1);
}

if (values.wait) {
  // The upload is complete here (its resume state is gone): a failure below is about processing, and
  // running the command again would upload the file anew.
  const processing = progressBar("process", process.stderr);
  try {
    const final = await waitUntilProcessed(api, videoId, {
      onState: (v) => processing.update(v.progress / 100, processingStage(v)),
      timeoutMs: Number(values.timeout) * 1000,
    });
    if (final.status !== "ready") {
      processing.done(`failed: video ${videoId}: ${final.failureReason ?? "no reason given"}`);
      process.exit(1);
    }
    processing.done("ready");
  } catch (error) {
    if (process.stderr.isTTY) process.stderr.write("\n");
    console.error(`upload: ${message(error)} (the upload itself is complete)`);
    process.exit(1);
  }
}
console.log(JSON.stringify({ videoId }));
