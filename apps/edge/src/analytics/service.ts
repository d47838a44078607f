/** Reads the analytics rollups for the API (SCAFFOLD: implemented by the query work). */
import { AppError } from "../lib/errors";
import type { Services } from "../services";
import type { Actor } from "../types";
import type { AnalyticsQuery } from "./schemas";

export async function videoAnalytics(
  _s: Services,
  _actor: Actor,
  _videoId: string,
  _q: AnalyticsQuery,
): Promise<never> {
  throw new AppError("not_found");
}
export async function channelAnalytics(_s: Services, _actor: Actor, _q: AnalyticsQuery): Promise<never> {
  throw new AppError("not_found");
}
export async function platformQoe(_s: Services, _actor: Actor, _q: AnalyticsQuery): Promise<never> {
  throw new AppError("not_found");
}
