/**
 * First-start demo content: a creator account and one video made by ffmpeg (test pattern + tone),
 * uploaded through the real upload path, so a newcomer has something to watch.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createClient, uploadVideo } from "../../packages/sdk/src";
import { ApiClient, ApiError } from "./api-client";
import { withBookmark } from "./bookmark";
import { makeTestPatternClip } from "./media-tools";

export const DEMO_CREATOR = {
  email: "demo@marquee.local",
  password: "marquee-demo-password",
  displayName: "Marquee Demo",
};

export async function makeDemoClip(dir: string, seconds = 20): Promise<string> {
  const out = join(dir, "demo-clip.mp4");
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  return makeTestPatternClip(out, { seconds });
}

/** Seeds once per state dir (a marker file records it). Returns the video id, or null if already seeded. */
export async function seedDemo(
  baseUrl: string,
  stateDir: string,
  log: (line: string) => void,
): Promise<string | null> {
  const marker = join(stateDir, "demo-seeded.json");
  if (existsSync(marker)) return null;
  const api = new ApiClient(baseUrl, withBookmark());
  try {
    await api.signup(DEMO_CREATOR.email, DEMO_CREATOR.password, DEMO_CREATOR.displayName);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 409)) throw error;
    await api.login(DEMO_CREATOR.email, DEMO_CREATOR.password);
  }
  try {
    await api.createChannel({
      handle: "marquee_demo",
      name: "Marquee Demo",
      description: "Test patterns, made by ffmpeg.",
    });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 409)) throw error;
  }
  const clip = await makeDemoClip(join(stateDir, "demo"), Number(process.env.MARQUEE_DEMO_SECONDS ?? 20));
  const sdk = createClient({ baseUrl, fetch: withBookmark(), tokens: { accessToken: api.token ?? "" } });
  const videoId = await uploadVideo(
    sdk,
    Bun.file(clip),
    {
      title: "Test pattern with a 440 Hz tone",
      description: "The demo video every new Marquee starts with.",
      tags: ["demo"],
    },
    { onProgress: (p) => log(`demo upload ${Math.round((100 * p.bytesDone) / Math.max(1, p.bytesTotal))}%`) },
  );
  writeFileSync(marker, JSON.stringify({ videoId, at: new Date().toISOString() }));
  return videoId;
}
