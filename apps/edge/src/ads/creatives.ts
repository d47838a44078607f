/**
 * A campaign's creative: a `videos` row of kind `ad`, private, in the advertiser's channel, uploaded
 * through the same signed-upload path as any video (one PUT or a multipart plan, then
 * `POST /videos/{id}/upload-complete`), and transcoded by the origin into the ad ladder.
 */
import { eq } from "drizzle-orm";
import { accounts, channels, videos } from "../db/schema";
import { uniqueViolation } from "../lib/db-errors";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Services } from "../services";
import type { Actor } from "../types";
import { PartPlanError, shapeUpload } from "../videos/plan";
import { uploadPlan } from "../videos/upload-urls";
import { sourceKey, type VideoRow, videoView } from "../videos/view";
import { APPROVED, type CampaignRow, loadOwnCampaign, pushConfig, writeIfUnchanged } from "./campaigns";
import type { CreativeCreate } from "./schemas";

const invalidUpload = (message: string) =>
  new AppError("validation_failed", "Some fields are missing or invalid.", {
    errors: [{ path: "body.upload", message }],
  });

/**
 * The advertiser's channel, made for them when they have none (creatives live in a channel like any
 * video). Made directly rather than through channels/service.ts createChannel: that one makes the
 * *caller* a creator, and here the caller may be an admin acting for the advertiser; an advertiser
 * does not become a creator by buying ads. Two creatives racing both try: the loser reads the winner's.
 */
async function channelOf(s: Services, accountId: string): Promise<string> {
  const existing = await s.db
    .select({ id: channels.id })
    .from(channels)
    .where(eq(channels.accountId, accountId))
    .get();
  if (existing) return existing.id;
  const account = await s.db
    .select({ displayName: accounts.displayName })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .get();
  const id = newId("chn");
  try {
    await s.db.insert(channels).values({
      id,
      accountId,
      // Handles are 3–30 of [a-z0-9_]: a random one the advertiser never has to pick.
      handle: `ads_${id.slice(4, 24)}`,
      name: (account?.displayName ?? "Advertiser").slice(0, 80),
    });
    return id;
  } catch (cause) {
    if (uniqueViolation(cause) === null) throw cause;
    const winner = await s.db
      .select({ id: channels.id })
      .from(channels)
      .where(eq(channels.accountId, accountId))
      .get();
    if (!winner) throw cause;
    return winner.id;
  }
}

/**
 * POST /ads/campaigns/{id}/creative: a new creative video awaiting its upload, answered exactly like
 * POST /videos. It replaces the campaign's creative; an approved campaign goes back to review (the
 * moderators approved the old one, not this one). The old creative video stays (the advertiser's,
 * private); it no longer runs.
 */
export async function createCreative(s: Services, actor: Actor, campaignId: string, input: CreativeCreate) {
  const campaign = await loadOwnCampaign(s, actor, campaignId);
  if (campaign.status === "ended") throw new AppError("conflict", "The campaign has ended; it cannot change");
  const { size, contentType, partSize } = input.upload;
  if (size > s.config.uploads.maxBytes) {
    throw invalidUpload(`Files may have at most ${s.config.uploads.maxBytes} bytes`);
  }
  let shape: ReturnType<typeof shapeUpload>;
  try {
    shape = shapeUpload(size, s.config.uploads.singleMaxBytes, partSize);
  } catch (error) {
    if (error instanceof PartPlanError) throw invalidUpload(error.message);
    throw error;
  }
  const channelId = await channelOf(s, campaign.accountId);

  const id = newId("vid");
  const key = sourceKey(id);
  // The multipart upload exists before the row names it; if the row cannot be written it is aborted.
  const multipart =
    shape.kind === "multipart"
      ? await s.env.MEDIA.createMultipartUpload(key, { httpMetadata: { contentType } })
      : null;
  let row: VideoRow;
  try {
    row = await s.db
      .insert(videos)
      .values({
        id,
        channelId,
        // The advertiser's, even when an admin uploads it: they own and complete it.
        accountId: campaign.accountId,
        kind: "ad",
        visibility: "private",
        title: input.title ?? campaign.name,
        sourceKey: key,
        sourceSize: size,
        sourceType: contentType,
        uploadId: multipart?.uploadId ?? null,
        uploadPartSize: shape.kind === "multipart" ? shape.partSize : null,
        uploadPartCount: shape.kind === "multipart" ? shape.partCount : null,
      })
      .returning()
      .get();
  } catch (error) {
    await multipart?.abort().catch(() => {});
    throw error;
  }
  await attach(s, campaign, id);

  return { video: videoView(row), upload: await uploadPlan(s.config, row, shape) };
}

/** Names the new creative on the campaign (back to review if it was approved) and pushes the config. */
async function attach(s: Services, campaign: CampaignRow, videoId: string): Promise<void> {
  const approved = APPROVED.includes(campaign.status);
  const row = await writeIfUnchanged(s, campaign, {
    creativeVideoId: videoId,
    // Approval returns a campaign its owner had paused to `paused` (reviews.ts).
    ...(approved ? { status: "in_review" as const, pausedBeforeReview: campaign.status === "paused" } : {}),
  });
  await pushConfig(s, row);
}
