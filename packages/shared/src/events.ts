/**
 * Messages on the `marquee-events` queue. Every message is a small envelope with a unique id
 * (consumers must be idempotent: the queue delivers at least once) and a `type` that names what
 * happened, in the past tense.
 */
export interface EventEnvelope<T extends string, P> {
  id: string;
  type: T;
  occurredAt: string;
  payload: P;
}

/** Emitted after an account and its credentials, sessions and profiles are erased. */
export type AccountDeleted = EventEnvelope<"account.deleted", { accountId: string; profileIds: string[] }>;

/** Emitted after one profile (not the whole account) is deleted; its rows that cascade are gone already. */
export type ProfileDeleted = EventEnvelope<"profile.deleted", { accountId: string; profileId: string }>;

/** Emitted when a video becomes ready (its ladder is complete and it can be listed). */
export type VideoPublished = EventEnvelope<
  "video.published",
  { videoId: string; channelId: string; accountId: string; title: string; visibility: string }
>;

/** Emitted when a video is deleted; the storage cleanup consumer removes `videos/{videoId}/`. */
export type VideoDeleted = EventEnvelope<"video.deleted", { videoId: string; channelId: string }>;

/** Emitted when a video's transcode failed for good (its last attempt); not for ad creatives. */
export type VideoFailed = EventEnvelope<
  "video.failed",
  { videoId: string; channelId: string; reason: string }
>;

/** A profile newly subscribed to a channel (not a level change of an existing subscription). */
export type SubscriptionCreated = EventEnvelope<
  "subscription.created",
  { channelId: string; profileId: string; level: "all" | "none" }
>;

/** A top-level comment was published on a video (to notify the video's owner). */
export type CommentCreated = EventEnvelope<
  "comment.created",
  {
    commentId: string;
    videoId: string;
    videoOwnerAccountId: string;
    authorProfileId: string;
    excerpt: string;
  }
>;

/** A reply was published under someone's comment (to notify that comment's author). */
export type CommentReplied = EventEnvelope<
  "comment.replied",
  {
    commentId: string;
    parentId: string;
    videoId: string;
    parentAuthorProfileId: string;
    authorProfileId: string;
    excerpt: string;
  }
>;

/** A published comment mentions channels by @handle (to notify their owners). */
export type Mentioned = EventEnvelope<
  "mention",
  { commentId: string; videoId: string; authorProfileId: string; handles: string[]; excerpt: string }
>;

/**
 * Internal to notifications: one batch of a fan-out (a few hundred recipients), so a channel with
 * 100k subscribers is many small messages, never one giant one.
 */
export type NotificationBatch = EventEnvelope<
  "notification.batch",
  {
    notificationType:
      | "video.published"
      | "comment.created"
      | "comment.replied"
      | "mention"
      | "report.resolved"
      | "strike.issued"
      | "appeal.decided";
    /** Stable per source event, so a redelivered batch never duplicates an inbox entry. */
    sourceEventId: string;
    recipientProfileIds: string[];
    data: Record<string, string>;
  }
>;

export type DomainEvent =
  | AccountDeleted
  | ProfileDeleted
  | VideoPublished
  | VideoDeleted
  | VideoFailed
  | SubscriptionCreated
  | CommentCreated
  | CommentReplied
  | Mentioned
  | NotificationBatch;
export type DomainEventType = DomainEvent["type"];
