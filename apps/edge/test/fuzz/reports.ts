/**
 * Legitimate requests of the reporting routes for the fuzz test (see stateful.ts). A schema sample's
 * target id names nothing (404), and the fuzz world's main account may not report its own video
 * (403): the legitimate case is a fresh account reporting the victim's channel (201), so a second
 * run of it is not the 409 of a repeated report.
 */
import { seedAccount } from "../harness";
import type { World } from "./stateful";

interface StatefulCase {
  body: unknown;
  token?: string;
  path?: string;
}

export const REPORTS_STATEFUL: Record<string, (w: World) => Promise<StatefulCase>> = {
  "POST /api/v1/reports": async (w) => {
    const reporter = await seedAccount({ tag: "fuzzreport" });
    return {
      body: {
        targetType: "channel",
        targetId: w.victim.channelId,
        reason: "spam_or_misleading",
        text: "fuzz",
      },
      token: reporter.accessToken,
    };
  },
};
