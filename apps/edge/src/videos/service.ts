import { and, eq, ne } from "drizzle-orm";
import { sealStaffVideoDeletion, staffVideoDeletion } from "../audit/staff";
import { authorize } from "../auth/permissions";
import { assertCategoryExists } from "../catalog/categories";
import { canSee } from "../catalog/maturity";
import { channels, videos } from "../db/schema";
import { publishEvent } from "../events/publish";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { assertCanUpload } from "../moderation/strikes";
import { channelHiddenAtInsert } from "../moderation/targets";
import { bumpGeneration, narrowsAudience, revokeDeletedVideo } from "../playback/revocation";
import type { Services } from "../services";
import { cancelTranscode } from "../transcode-queue/client";
import type { Actor } from "../types";
import { assertCanRead, authorizeVideo, loadVideo } from "./access";
import { forgetParts } from "./parts";
import { PartPlanError, shapeUpload } from "./plan";
import type { VideoCreate, VideoPatch } from "./schemas";
import { uploadPlan } from "./upload-urls";
import { sourceKey, type VideoRow, videoView } from "./view";

const invalidUpload = (message: string) =>
  new AppError("validation_failed", "Some fields are missing or invalid.", {
    errors: [{ path: "body.upload", message }],
  });

/**
 * Creates a video awaiting its upload and answers how to upload it: one signed PUT, or a
 * multipart upload (created in R2 now) with a signed URL per part.
 */
export async function createVideo(s: Services, actor: Actor, input: VideoCreate) {
  authorize(actor, "video.create");
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
  const channel = await s.db
    .select({ id: channels.id })
    .from(channels)
    .where(eq(channels.accountId, actor.accountId))
    .get();
  if (!channel) throw new AppError("forbidden", "Create a channel first (POST /api/v1/me/channel)");
  // Strikes freeze a channel's uploads; a suspended channel uploads nothing (docs/moderation.md).
  await assertCanUpload(s, channel.id);
  if (input.categoryId) await assertCategoryExists(s, input.categoryId, "body.categoryId");

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
        channelId: channel.id,
        accountId: actor.accountId,
        title: input.title,
        description: input.description ?? "",
        tags: input.tags ?? [],
        categoryId: input.categoryId ?? null,
        maturity: input.maturity,
        visibility: input.visibility,
        // A new video of a held or suspended channel starts hidden like the rest (docs/moderation.md).
        channelHidden: channelHiddenAtInsert(channel.id),
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

  return { video: videoView(row), upload: await uploadPlan(s.config, row, shape) };
}

export async function getVideo(s: Services, actor: Actor | null, videoId: string) {
  const video = await loadVideo(s.db, videoId);
  assertCanRead(actor, video);
  return videoView(video);
}

export async function updateVideo(s: Services, actor: Actor, videoId: string, patch: VideoPatch) {
  const video = await loadVideo(s.db, videoId);
  authorizeVideo(actor, "video.manage", video);
  // An ad creative runs only through its campaign (reviewed, budgeted, tracked): made public or
  // unlisted it would be a free, unreviewed video in the advertiser's channel.
  if (video.kind === "ad" && patch.visibility !== undefined && patch.visibility !== "private") {
    throw new AppError("conflict", "An ad creative stays private: it is shown only through its campaign");
  }
  // Viewers see an ad's title with the ad, and moderators reviewed it: changed here it would run
  // unreviewed. A new title comes with a new creative (POST /ads/campaigns/{id}/creative → review).
  const retitled =
    (patch.title !== undefined && patch.title !== video.title) ||
    (patch.description !== undefined && patch.description !== video.description);
  if (video.kind === "ad" && retitled) {
    throw new AppError("conflict", "An ad creative's title and description change only with a new creative");
  }
  if (patch.categoryId) await assertCategoryExists(s, patch.categoryId, "body.categoryId");
  // A moderator's age restriction is a floor the owner cannot go below (docs/moderation.md).
  if (patch.maturity !== undefined && video.maturityFloor && !canSee(patch.maturity, video.maturityFloor)) {
    throw new AppError("validation_failed", undefined, {
      errors: [
        {
          path: "body.maturity",
          message: `A moderator rated this video ${video.maturityFloor}; it cannot go lower`,
        },
      ],
    });
  }
  const revoke = async () => {
    try {
      await bumpGeneration(s.env.SETTINGS, videoId);
    } catch (error) {
      s.log("error", { event: "media-revoke-failed", videoId, error: String(error) });
      throw error;
    }
  };
  // Fewer people may watch now: links handed out before stop (playback/revocation.ts). Revoked
  // first, so a failure answers 500 with nothing written and the owner's retry still narrows (and
  // revokes); a retry after the row was written would no longer look like a narrowing.
  const narrows = narrowsAudience(video, patch);
  if (narrows) await revoke();
  // The row as it was right before this write, read in the same transaction: compared with `video`
  // (read earlier) a concurrent edit could hide that this one narrows the audience.
  const [[before], [row]] = await s.db.batch([
    s.db.select().from(videos).where(eq(videos.id, videoId)),
    s.db
      .update(videos)
      .set({ ...patch, updatedAt: Date.now() })
      .where(and(eq(videos.id, videoId), ne(videos.status, "deleted")))
      .returning(),
  ]);
  if (!row || !before) throw new AppError("not_found", "No such video");
  // And again after the row is written: a playback grant reads the generation before the row, so
  // one that read the new generation but the old row (between the two writes) is revoked too.
  if (narrows || narrowsAudience(before, patch)) await revoke();
  return videoView(row);
}

/**
 * Marks the video deleted (it disappears at once) and revokes every media link handed out for it,
 * then tidies up around it: a pending multipart upload is aborted, its transcode job cancelled, and
 * `video.deleted` tells the storage cleanup to remove `videos/{id}/` (and purge it from the media
 * cache). Those steps are best effort: the orphan sweep catches whatever they miss. A revocation KV
 * refused is repeated by the storage cleanup (housekeeping/storage.ts `removeVideoMedia`).
 */
export async function deleteVideo(s: Services, actor: Actor, videoId: string): Promise<void> {
  const video = await loadVideo(s.db, videoId);
  authorizeVideo(actor, "video.delete", video);
  const now = Date.now();
  const live = and(eq(videos.id, videoId), ne(videos.status, "deleted"));
  // Staff deleting someone else's video: its audit row in the same batch (audit/staff.ts). The
  // part records of an upload in progress go in it too: after the row is deleted no request could
  // clear them.
  const results = await s.db.batch([
    ...staffVideoDeletion(s, actor, video, live),
    s.db
      .update(videos)
      .set({ status: "deleted", deletedAt: now, updatedAt: now, uploadId: null, playable: false })
      .where(live)
      .returning({ id: videos.id }),
    forgetParts(s.db, videoId),
  ]);
  const deleted = (results[results.length - 2] as { id: string }[])[0];
  if (!deleted) throw new AppError("not_found", "No such video");
  await sealStaffVideoDeletion(s, actor, video);
  await revokeDeletedVideo(s.env.SETTINGS, videoId, s.config.playback.tokenTtlSeconds).catch((error) =>
    s.log("error", { event: "media-revoke-failed", videoId, error: String(error) }),
  );

  if (video.uploadId) {
    await s.env.MEDIA.resumeMultipartUpload(video.sourceKey, video.uploadId)
      .abort()
      .catch((error) => s.log("warn", { event: "multipart-abort-failed", videoId, error: String(error) }));
  }
  await cancelTranscode(s.env, s.log, videoId);
  try {
    await publishEvent(s.env, "video.deleted", { videoId, channelId: video.channelId });
  } catch (error) {
    s.log("error", { event: "video-deleted-publish-failed", videoId, error: String(error) });
  }
}
