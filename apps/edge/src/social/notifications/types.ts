import type { Maturity, NotificationBatch } from "@marquee/shared";

/** The kinds of notification an inbox holds; each can be turned off per profile. */
export type NotificationType = NotificationBatch["payload"]["notificationType"];

export const NOTIFICATION_TYPES = [
  "video.published",
  "comment.created",
  "comment.replied",
  "mention",
  // Trust and safety (docs/moderation.md): a reporter told the outcome; a creator told of a strike
  // or warning and of the decision on their appeal.
  "report.resolved",
  "strike.issued",
  "appeal.decided",
] as const satisfies readonly NotificationType[];

/** What the fan-out hands an inbox. `id` is derived from (source event, recipient): see ids.ts. */
export interface NotificationInput {
  id: string;
  type: NotificationType;
  data: Record<string, string>;
  /** Epoch milliseconds of the fact notified (the source event). */
  createdAt: number;
  /** The rating of the video it names: a profile below it neither sees, counts nor hears it. */
  maturity: Maturity;
}

/** A notification as the API and the live socket show it. */
export interface NotificationView {
  id: string;
  type: NotificationType;
  data: Record<string, string>;
  read: boolean;
  createdAt: string;
}

/** A page as the Inbox object answers it (the API turns `nextSeq` into its cursor). */
export interface InboxPage {
  items: NotificationView[];
  /** Pass back as `beforeSeq` for the next (older) page; null on the last page. */
  nextSeq: number | null;
  unread: number;
}

/** Frames the live socket sends (JSON text). */
export type LiveFrame =
  | { type: "hello"; unread: number }
  | { type: "notification"; notification: NotificationView; unread: number }
  | { type: "read"; ids: string[] | "all"; unread: number }
  | { type: "error"; message: string };
