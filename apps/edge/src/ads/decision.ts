import type { Services } from "../services";
import type { AdContext, AdDecision } from "./types";

/**
 * One pre-roll for a viewer who is not ad-free: eligible campaigns by targeting, a second-price
 * auction on CPM, pacing and caps exact in the two objects. Null when nothing is eligible.
 * STUB: the ads-core helper fills it in.
 */
export async function decideAd(_s: Services, _ctx: AdContext): Promise<AdDecision | null> {
  return null;
}
