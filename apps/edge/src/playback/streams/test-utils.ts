/** Helpers for tests of the streams object and routes (run in workerd). */
import { env } from "cloudflare:test";
import { loadConfig } from "../../config";
import type { AccountStreams, AcquireInput } from "./object";
import type { StreamServices } from "./service";

/** The streams object of `accountId` (a seeded account's, or any unique name for a private one). */
export function streamsOf(accountId: string): DurableObjectStub<AccountStreams> {
  return env.ACCOUNT_STREAMS.get(env.ACCOUNT_STREAMS.idFromName(accountId));
}

/** What service.ts needs, from the test worker's own bindings and config. */
export const testServices = (): StreamServices => ({ env, config: loadConfig(env) });

/** The configured lapse, as service.ts passes it to the object (acquire and heartbeat). */
export const lapse = () => ({ lapseSeconds: loadConfig(env).billing.streamLapseSeconds });

/** An acquire for the account's first profile on a desktop browser, with the configured lapse. */
export const play = (limit: number, extra: Partial<AcquireInput> = {}): AcquireInput => ({
  profileId: "profile_test",
  device: "Chrome on Linux",
  videoId: "video_test",
  limit,
  ...lapse(),
  ...extra,
});

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
