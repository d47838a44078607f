import { DurableObject } from "cloudflare:workers";
import type {
  CampaignConfig,
  CampaignSpend,
  ReserveInput,
  ReserveResult,
  TrackEvent,
  TrackResult,
} from "../types";

/**
 * One campaign's money (binding AD_CAMPAIGNS, idFromName(campaignId)): budget, daily budget, pacing,
 * reservations that lapse, billed impressions and tracking once per session. STUB: the ads-core
 * helper fills it in.
 */
export class AdCampaign extends DurableObject<Env> {
  async configure(_config: CampaignConfig): Promise<CampaignSpend> {
    throw new Error("not implemented");
  }
  async reserve(_input: ReserveInput): Promise<ReserveResult> {
    throw new Error("not implemented");
  }
  async release(_sessionId: string): Promise<void> {
    throw new Error("not implemented");
  }
  async track(_sessionId: string, _events: TrackEvent[]): Promise<TrackResult> {
    throw new Error("not implemented");
  }
  async spend(): Promise<CampaignSpend> {
    throw new Error("not implemented");
  }
  /** Writes pending facts to D1 now (the alarm does it too); for tests and reports. */
  async flush(): Promise<void> {
    throw new Error("not implemented");
  }
}
