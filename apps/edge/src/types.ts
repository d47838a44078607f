import type { Maturity, Role } from "@marquee/shared";
import type { Config } from "./config";
import type { Db } from "./db/client";
import type { Logger } from "./lib/logger";

/** Who is calling: resolved once per request from the access token and the session row. */
export interface Actor {
  accountId: string;
  sessionId: string;
  email: string;
  emailVerified: boolean;
  roles: Role[];
  /** The active profile; null only if the token's profile was deleted. */
  profileId: string | null;
  profileMaturity: Maturity | null;
  /** The active profile's language (BCP 47), read with the session; absent where an actor is made by hand. */
  profileLanguage?: string | null;
}

export interface AppVariables {
  requestId: string;
  config: Config;
  db: Db;
  log: Logger;
  actor: Actor | null;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}

declare global {
  interface Env {
    /**
     * The origin containers (Cloudflare Containers). Bound only in wrangler.toml's
     * [env.production]; absent locally and in tests, where the origin is a Bun process.
     */
    ORIGIN_CONTAINER?: DurableObjectNamespace<import("./origin-container/object").OriginContainer>;
  }
}
