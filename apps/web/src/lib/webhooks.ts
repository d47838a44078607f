/**
 * A channel's webhooks from the browser (docs/webhooks.md): its endpoints, their secrets, the test
 * event and each endpoint's delivery log. Also the pure pieces the studio's Webhooks page uses:
 * the form's checks, the API's field errors on the form's fields, what changed for a PATCH, an
 * attempt's outcome and when to stop polling after a test event (unit-tested in webhooks.test.ts).
 *
 * The wire types are the generated schema's (api/schema.d.ts, from the edge's route declarations).
 */

import { ApiProblem, api, must } from "../api/client";
import type { components } from "../api/schema";
import type { Tone } from "../ui";
import { cursorQuery } from "./usePagedList";

// ---- the API's shapes ----

type Schemas = components["schemas"];
export type Webhook = Schemas["Webhook"];
export type WebhookWithSecret = Schemas["WebhookWithSecret"];
export type WebhookDelivery = Schemas["WebhookDelivery"];
export type DeliveryPage = Schemas["WebhookDeliveryPage"];
export type DeliveryAttempt = WebhookDelivery["attempts"][number];
export type DeliveryStatus = WebhookDelivery["status"];
export type WebhookEvent = Webhook["events"][number];
/** What a create sends (and, all optional, a PATCH). */
export interface WebhookInput {
  url: string;
  events: WebhookEvent[];
  description?: string;
}
/** The event "send test event" delivers, whatever the endpoint subscribes to. */
export const TEST_EVENT = "webhook.test";

/** Where each event comes in the form and on the badges (a Record: a new event type must be placed). */
const EVENT_RANK: Record<WebhookEvent, number> = {
  "video.ready": 0,
  "video.failed": 1,
  "video.deleted": 2,
  "comment.created": 3,
  "subscription.created": 4,
};
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = (Object.keys(EVENT_RANK) as WebhookEvent[]).sort(
  (a, b) => EVENT_RANK[a] - EVENT_RANK[b],
);

/** An event type the page has words for (a delivery's `eventType` is any string on the wire). */
export function isKnownEvent(type: string): type is WebhookEvent | typeof TEST_EVENT {
  return type === TEST_EVENT || Object.hasOwn(EVENT_RANK, type);
}

/** The events in the form's order, each once. */
export const sortEvents = (events: readonly WebhookEvent[]): WebhookEvent[] =>
  [...new Set(events)].sort((a, b) => EVENT_RANK[a] - EVENT_RANK[b]);

/** At most this many endpoints per channel (the API answers 409 beyond it). */
export const MAX_WEBHOOKS = 10;
/** The description's longest (the API's limit). */
export const MAX_DESCRIPTION = 200;
export const MAX_URL = 2048;

// ---- the calls ----

export const webhooksApi = {
  list: (channelId: string) =>
    must(api.GET("/api/v1/channels/{channelId}/webhooks", { params: { path: { channelId } } })),
  create: (channelId: string, body: WebhookInput) =>
    must(api.POST("/api/v1/channels/{channelId}/webhooks", { params: { path: { channelId } }, body })),
  update: (channelId: string, webhookId: string, body: Partial<WebhookInput>) =>
    must(
      api.PATCH("/api/v1/channels/{channelId}/webhooks/{webhookId}", {
        params: { path: { channelId, webhookId } },
        body,
      }),
    ),
  remove: (channelId: string, webhookId: string) =>
    must(
      api.DELETE("/api/v1/channels/{channelId}/webhooks/{webhookId}", {
        params: { path: { channelId, webhookId } },
      }),
    ),
  rotateSecret: (channelId: string, webhookId: string) =>
    must(
      api.POST("/api/v1/channels/{channelId}/webhooks/{webhookId}/rotate-secret", {
        params: { path: { channelId, webhookId } },
      }),
    ),
  sendTest: (channelId: string, webhookId: string) =>
    must(
      api.POST("/api/v1/channels/{channelId}/webhooks/{webhookId}/test", {
        params: { path: { channelId, webhookId } },
      }),
    ),
  deliveries: (channelId: string, webhookId: string, cursor?: string, limit = 10) =>
    must(
      api.GET("/api/v1/channels/{channelId}/webhooks/{webhookId}/deliveries", {
        params: { path: { channelId, webhookId }, query: { limit, ...cursorQuery(cursor) } },
      }),
    ),
};

// ---- the form ----

/** What the form holds while it is typed in. */
export interface WebhookValues {
  url: string;
  events: WebhookEvent[];
  description: string;
}

export const valuesOf = (webhook?: Pick<Webhook, "url" | "events" | "description">): WebhookValues => ({
  url: webhook?.url ?? "",
  events: webhook ? sortEvents(webhook.events) : [],
  description: webhook?.description ?? "",
});

/** What the form can tell before asking (words in `webhooks:form.error.*`). */
export type LocalError =
  | "urlRequired"
  | "urlInvalid"
  | "urlTooLong"
  | "eventsRequired"
  | "descriptionTooLong";
export type WebhookField = "url" | "events" | "description";

/**
 * The values as the API's input, or what is wrong with them. Only what the browser can see: the
 * URL must be an absolute http(s) address; whether it is https and public the API decides (its
 * reason shows under the field), since a test setup may allow a local http receiver.
 */
export function checkValues(
  values: WebhookValues,
): { ok: true; input: WebhookInput } | { ok: false; errors: Partial<Record<WebhookField, LocalError>> } {
  const errors: Partial<Record<WebhookField, LocalError>> = {};
  const url = values.url.trim();
  if (!url) errors.url = "urlRequired";
  else if (url.length > MAX_URL) errors.url = "urlTooLong";
  else if (!isWebAddress(url)) errors.url = "urlInvalid";
  if (values.events.length === 0) errors.events = "eventsRequired";
  const description = values.description.trim();
  if (description.length > MAX_DESCRIPTION) errors.description = "descriptionTooLong";
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, input: { url, events: sortEvents(values.events), description } };
}

function isWebAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** The PATCH for an edit: only what differs from the endpoint as it is (empty: nothing to send). */
export function patchOf(webhook: Pick<Webhook, "url" | "events" | "description">, input: WebhookInput) {
  const patch: Partial<WebhookInput> = {};
  if (input.url !== webhook.url) patch.url = input.url;
  const before = sortEvents(webhook.events);
  const after = sortEvents(input.events);
  if (before.join(",") !== after.join(",")) patch.events = after;
  if ((input.description ?? "") !== webhook.description) patch.description = input.description ?? "";
  return patch;
}

/**
 * The API's answer on the form's fields: a refused URL is a 400 with the reason on `body.url`
 * (`json.url` for one the schema refused), a host that could not be looked up a 503 whose detail
 * is about the URL too. `general` is true when something is left that names no field (the form
 * then shows the whole problem).
 */
export function problemFields(error: unknown): {
  fields: Partial<Record<WebhookField, string>>;
  general: boolean;
} {
  if (!(error instanceof ApiProblem)) return { fields: {}, general: error != null };
  const { problem } = error;
  const fields: Partial<Record<WebhookField, string>> = {};
  let general = false;
  for (const e of problem.errors ?? []) {
    const name = (e.path ?? "").replace(/^(body|json)\./, "").split(".")[0];
    if (name === "url" || name === "events" || name === "description") {
      // A URL refused for where it points says why in `detail` as well: the same words.
      fields[name] ??= e.message;
    } else general = true;
  }
  if (problem.status === 503 && problem.code === "unavailable" && !fields.url)
    fields.url = problem.detail ?? problem.title;
  if (Object.keys(fields).length === 0) general = true;
  return { fields, general };
}

// ---- the delivery log ----

/** How a delivery's state is drawn (StatusChip tone). */
export const DELIVERY_TONE = {
  pending: "info",
  succeeded: "success",
  failed: "danger",
} as const satisfies Record<DeliveryStatus, Tone>;

/** One attempt's outcome: the receiver's status code (2xx is success) or the error that stopped it. */
export function attemptOutcome(
  attempt: Pick<DeliveryAttempt, "statusCode" | "error">,
): { kind: "status"; code: number; ok: boolean } | { kind: "error"; message: string } {
  if (attempt.statusCode !== null && attempt.statusCode !== undefined) {
    const code = attempt.statusCode;
    return { kind: "status", code, ok: code >= 200 && code < 300 };
  }
  return { kind: "error", message: attempt.error ?? "" };
}

/** After "send test event", the log is asked again this often, for at most this long. */
export const TEST_POLL_MS = 2000;
export const TEST_POLL_FOR_MS = 10_000;

/**
 * Whether to ask for the log again after a test event sent at `since`: while the window lasts and
 * its delivery is not in the log yet, or is still waiting for its first attempt.
 */
export function keepPolling(
  deliveries: readonly Pick<WebhookDelivery, "id" | "status" | "attempts">[],
  deliveryId: string,
  since: number,
  now = Date.now(),
  windowMs = TEST_POLL_FOR_MS,
): boolean {
  if (now - since >= windowMs) return false;
  const delivery = deliveries.find((d) => d.id === deliveryId);
  return !delivery || (delivery.status === "pending" && delivery.attempts.length === 0);
}
