import type { Context } from "hono";
import { requireActor } from "./auth/middleware";
import type { Config } from "./config";
import type { Db } from "./db/client";
import type { Logger } from "./lib/logger";
import { createNotifiers, type Mailer, type SmsSender } from "./notify";
import type { AppEnv } from "./types";

/**
 * What a service function may use. Handlers build it from the request context; services never
 * see Hono or raw env strings, which keeps them callable from queue consumers and tests.
 */
export interface Services {
  config: Config;
  db: Db;
  env: Env;
  log: Logger;
  mailer: Mailer;
  sms: SmsSender;
  /** The request's id (x-request-id), recorded in audit rows; absent outside a request. */
  requestId?: string;
}

const cache = new WeakMap<Context, Services>();

export function services(c: Context<AppEnv>): Services {
  let s = cache.get(c);
  if (!s) {
    const { mailer, sms } = createNotifiers(
      { mailer: c.var.config.mailer, sms: c.var.config.sms },
      { kv: c.env.SETTINGS, log: (fields) => c.var.log("info", fields) },
    );
    s = {
      config: c.var.config,
      db: c.var.db,
      env: c.env,
      log: c.var.log,
      mailer,
      sms,
      requestId: c.var.requestId,
    };
    cache.set(c, s);
  }
  return s;
}

/**
 * The first two arguments of a service call a signed-in route makes: `fn(...caller(c), input)`.
 * Throws the 401 problem when no actor signed in (requireActor).
 */
export function caller(c: Context<AppEnv>) {
  return [services(c), requireActor(c)] as const;
}
