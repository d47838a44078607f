import { DurableObject } from "cloudflare:workers";

/**
 * One viewer's frequency caps (binding AD_FREQUENCY, idFromName(viewerKey)): impressions plus live
 * reservations per campaign and UTC day stay within the cap. STUB: the ads-core helper fills it in.
 */
export class AdFrequency extends DurableObject<Env> {
  async reserve(_input: {
    sessionId: string;
    campaignId: string;
    capPerDay: number;
    lapseSeconds: number;
  }): Promise<boolean> {
    throw new Error("not implemented");
  }
  /** The session's impression happened: its slot no longer lapses. */
  async confirm(_sessionId: string): Promise<void> {
    throw new Error("not implemented");
  }
  async release(_sessionId: string): Promise<void> {
    throw new Error("not implemented");
  }
}
