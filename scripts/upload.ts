// `bun run upload <file> --title "..." [--description ..] [--tags a,b] [--visibility public|unlisted|private|premium]
//                    [--api http://127.0.0.1:8787] [--email .. --password ..] [--wait]`
//
// Uploads a video through the API with a progress bar. An interrupted multipart upload (Ctrl-C,
// network loss) resumes on the next run of the same command: the video id is remembered per file
// (path, size, mtime) in ~/.cache/marquee/uploads.json, and only missing parts are sent.
// Credentials: --email/--password or MARQUEE_EMAIL/MARQUEE_PASSWORD.
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ApiClient, ApiError } from "./lib/api-client";
import { mib, progressBar } from "./lib/progress-bar";
import { createAndUpload, type Progress, resumeUpload, waitForProcessing } from "./lib/uploader";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    title: { type: "string" },
    description: { type: "string" },
    tags: { type: "string" },
    visibility: { type: "string" },
    api: { type: "string", default: process.env.MARQUEE_API ?? "http://127.0.0.1:8787" },
    email: { type: "string" },
    password: { type: "string" },
    wait: { type: "boolean", default: false },
  },
});

function fail(message: string): never {
  console.error(`upload: ${message}`);
  process.exit(2);
}

const path = positionals[0]
  ? resolve(positionals[0])
  : fail("give the file to upload: bun run upload <file> --title ...");
let stat: ReturnType<typeof statSync>;
try {
  stat = statSync(path);
} catch {
  fail(`cannot read ${path}`);
}
const email = values.email ?? process.env.MARQUEE_EMAIL ?? fail("--email (or MARQUEE_EMAIL) is required");
const password =
  values.password ?? process.env.MARQUEE_PASSWORD ?? fail("--password (or MARQUEE_PASSWORD) is required");

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

const api = new ApiClient(values.api ?? "http://127.0.0.1:8787");
const bar = progressBar("upload");
const onProgress = (p: Progress) =>
  bar.update(
    p.bytesTotal ? p.bytesDone / p.bytesTotal : 1,
    `${mib(p.bytesDone)} / ${mib(p.bytesTotal)}, part ${p.partsDone}/${p.partsTotal}`,
  );

try {
  await api.login(email, password);
  const file = Bun.file(path);
  const remembered = readState()[fileKey];
  let videoId: string;
  if (remembered) {
    console.log(`upload: resuming video ${remembered}`);
    await resumeUpload(api, remembered, file, onProgress);
    videoId = remembered;
  } else {
    if (!values.title) fail("--title is required");
    videoId = await createAndUpload(
      api,
      file,
      {
        title: values.title,
        ...(values.description ? { description: values.description } : {}),
        ...(values.tags ? { tags: values.tags.split(",").map((t) => t.trim()) } : {}),
        ...(values.visibility ? { visibility: values.visibility as "public" } : {}),
      },
      onProgress,
      (id) => writeState({ ...readState(), [fileKey]: id }),
    );
  }
  const state = readState();
  delete state[fileKey];
  writeState(state);
  bar.done(`done: video ${videoId} is queued for processing`);
  if (values.wait) {
    const transcode = progressBar("process");
    const final = await waitForProcessing(api, videoId, (v) =>
      transcode.update(v.progress / 100, `${v.status}${v.playable ? ", playable" : ""}`),
    );
    transcode.done(final.status === "ready" ? "ready" : `failed: ${final.failureReason}`);
    if (final.status !== "ready") process.exit(1);
  }
  console.log(JSON.stringify({ videoId }));
} catch (error) {
  if (process.stdout.isTTY) process.stdout.write("\n");
  console.error(
    `upload: ${error instanceof ApiError || error instanceof Error ? error.message : String(error)}`,
  );
  console.error("upload: run the same command again to resume.");
  process.exit(1);
}
