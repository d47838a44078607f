/**
 * What trust and safety tells people (docs/moderation.md): each reporter the outcome of their report
 * (`report.resolved`), a creator a strike or warning (`strike.issued`) and the decision on their
 * appeal (`appeal.decided`). Delivered after the decision's batch committed, idempotent by the
 * report/strike/appeal id (deliverToInboxes), never failing the decision: a failed delivery is logged.
 *
 * Every notice is rated `kids` (any profile may see it: it names no video a profile could be shown)
 * and carries `targetType`/`targetId`, never `videoId`: the inbox hides notices naming a video the
 * profile cannot see, and a removed video is one nobody can.
 */
import { and, eq, ne } from "drizzle-orm";
import { profiles } from "../db/schema";
import type { Services } from "../services";
import {
  DELIVERY_CONCURRENCY,
  deliverToInboxes,
  forEachLimited,
  type Notice,
  withPreferenceOn,
} from "../social/notifications/delivery";

async function deliver(s: Services, notice: Notice, recipients: string[]): Promise<void> {
  try {
    const on = await withPreferenceOn(s.db, notice.type, recipients, "kids");
    if (on.length > 0) await deliverToInboxes(s.env, notice, on);
  } catch (error) {
    s.log("warn", { event: "moderation-notice-failed", type: notice.type, error: String(error) });
  }
}

/** Every grown-up profile of the account: a creator's notices are the account's business, not a child's. */
async function grownUpProfiles(s: Services, accountId: string): Promise<string[]> {
  const rows = await s.db
    .select({ id: profiles.id })
    .from(profiles)
    .where(and(eq(profiles.accountId, accountId), ne(profiles.maturity, "kids")));
  return rows.map((r) => r.id);
}

export interface ResolvedReport {
  id: string;
  profileId: string | null;
}

/**
 * `report.resolved` to the profile that filed each report (one notice per report, its own source
 * id). Preferences are read once for all of them; inboxes are called DELIVERY_CONCURRENCY at a time.
 */
export async function notifyReporters(
  s: Services,
  decided: ResolvedReport[],
  c: { caseId: string; targetType: string; targetId: string; decision: string },
  at: number,
): Promise<void> {
  const outcome = c.decision === "dismiss" ? "dismissed" : "upheld";
  try {
    const wanted = new Set(
      await withPreferenceOn(
        s.db,
        "report.resolved",
        decided.flatMap((r) => (r.profileId ? [r.profileId] : [])),
        "kids",
      ),
    );
    const to = decided.filter((r): r is { id: string; profileId: string } => wanted.has(r.profileId ?? ""));
    await forEachLimited(to, DELIVERY_CONCURRENCY, (r) =>
      deliverToInboxes(
        s.env,
        {
          sourceEventId: `report.resolved:${r.id}`,
          type: "report.resolved",
          createdAt: at,
          data: {
            maturity: "kids",
            reportId: r.id,
            caseId: c.caseId,
            targetType: c.targetType,
            targetId: c.targetId,
            outcome,
            decision: c.decision,
          },
        },
        [r.profileId],
      ),
    );
  } catch (error) {
    s.log("warn", { event: "moderation-notice-failed", type: "report.resolved", error: String(error) });
  }
}

/** `strike.issued` to every grown-up profile of the channel's account. */
export async function notifyStrike(
  s: Services,
  strike: {
    id: string;
    accountId: string;
    channelId: string;
    kind: string;
    ordinal: number;
    freezeUntil: number | null;
  },
  target: { targetType: string; targetId: string },
  at: number,
): Promise<void> {
  await deliver(
    s,
    {
      sourceEventId: `strike.issued:${strike.id}`,
      type: "strike.issued",
      createdAt: at,
      data: {
        maturity: "kids",
        strikeId: strike.id,
        channelId: strike.channelId,
        kind: strike.kind,
        ordinal: String(strike.ordinal),
        ...(strike.freezeUntil === null ? {} : { frozenUntil: new Date(strike.freezeUntil).toISOString() }),
        targetType: target.targetType,
        targetId: target.targetId,
      },
    },
    await grownUpProfiles(s, strike.accountId),
  );
}

/** `appeal.decided` to every grown-up profile of the appealing account. */
export async function notifyAppeal(
  s: Services,
  appeal: { id: string; strikeId: string; accountId: string },
  granted: boolean,
  at: number,
): Promise<void> {
  await deliver(
    s,
    {
      sourceEventId: `appeal.decided:${appeal.id}`,
      type: "appeal.decided",
      createdAt: at,
      data: {
        maturity: "kids",
        appealId: appeal.id,
        strikeId: appeal.strikeId,
        outcome: granted ? "granted" : "denied",
        targetType: "strike",
        targetId: appeal.strikeId,
      },
    },
    await grownUpProfiles(s, appeal.accountId),
  );
}
