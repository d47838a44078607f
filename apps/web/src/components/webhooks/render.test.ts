/**
 * The webhooks components drawn to HTML on Node (react-dom/server, no browser): what an endpoint's
 * card, a delivery and the events field say for given data, in English and German. The dialogs
 * open only in a browser; their triggers are drawn here.
 */
import i18next from "i18next";
import { createElement, type FunctionComponent } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { initReactI18next } from "react-i18next";
import { MemoryRouter } from "react-router";
import { beforeAll, describe, expect, it, vi } from "vitest";
import commonDe from "../../i18n/locales/de/common.json";
import webhooksDe from "../../i18n/locales/de/webhooks.json";
import common from "../../i18n/locales/en/common.json";
import webhooks from "../../i18n/locales/en/webhooks.json";

// The API client reads window.location when imported; nothing here calls the API.
vi.mock("../../api/client", () => ({
  ApiProblem: class ApiProblem extends Error {},
  api: {},
  must: () => Promise.reject(new Error("no API in unit tests")),
}));

const { DeliveryItem } = await import("./DeliveryItem");
const { EventsField } = await import("./EventsField");
const { WebhookList } = await import("./WebhookList");
type Webhook = import("../../lib/webhooks").Webhook;
type WebhookDelivery = import("../../lib/webhooks").WebhookDelivery;

beforeAll(async () => {
  await i18next.use(initReactI18next).init({
    resources: { en: { common, webhooks }, de: { common: commonDe, webhooks: webhooksDe } },
    lng: "en",
    fallbackLng: "en",
    defaultNS: "common",
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
  });
});

async function html<P extends object>(component: FunctionComponent<P>, props: P, lang = "en") {
  await i18next.changeLanguage(lang);
  return renderToStaticMarkup(createElement(MemoryRouter, null, createElement(component, props)));
}

/** The page's text without tags, one space between pieces. */
const text = (markup: string) =>
  markup
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();

const webhook: Webhook = {
  id: "whe_1",
  channelId: "chn_1",
  url: "https://hooks.example.com/marquee",
  description: "",
  events: ["subscription.created", "video.ready"],
  previousSecretExpiresAt: "2026-12-02T10:00:00.000Z",
  createdAt: "2026-12-01T10:00:00.000Z",
  updatedAt: "2026-12-01T10:00:00.000Z",
};

const delivery = (over: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  id: "dlv_1",
  eventId: "evt_1",
  eventType: "video.ready",
  status: "succeeded",
  attempts: [],
  nextAttemptAt: null,
  createdAt: "2026-12-01T10:00:00.000Z",
  completedAt: null,
  ...over,
});

describe("an endpoint's card", () => {
  const props = {
    channelId: "chn_1",
    webhooks: [webhook],
    onChanged: () => undefined,
    onRotated: () => undefined,
    onDeleted: () => undefined,
  };

  it("shows the URL, the events in order, the previous secret's end and every action", async () => {
    const out = text(await html(WebhookList, props));
    expect(out).toContain("Your endpoints (1 of 10)");
    expect(out).toContain("https://hooks.example.com/marquee No description Added Dec 1, 2026");
    expect(out).toContain("video.ready subscription.created");
    expect(out).toContain("The previous secret also signs until Dec 2, 2026, 10:00 AM");
    expect(out).toContain("Send test event Rotate secret Edit Delete Show deliveries");
  });

  it("keeps the log closed until asked, its toggle saying so", async () => {
    const out = await html(WebhookList, props);
    expect(out).toMatch(/aria-expanded="false"[^>]*data-testid="webhook-log-toggle"/);
    expect(out).not.toContain('data-testid="webhook-deliveries"');
  });

  it("says nothing of a previous secret when there is none", async () => {
    const out = await html(WebhookList, {
      ...props,
      webhooks: [{ ...webhook, previousSecretExpiresAt: null }],
    });
    expect(out).not.toContain("webhook-previous-secret");
  });

  it("speaks German", async () => {
    const out = text(await html(WebhookList, props, "de"));
    expect(out).toContain("Deine Endpunkte (1 von 10)");
    expect(out).toContain("Keine Beschreibung Hinzugefügt am 01.12.2026");
    expect(out).toContain("Testereignis senden Geheimnis erneuern Bearbeiten Löschen Zustellungen anzeigen");
  });
});

describe("a delivery", () => {
  it("shows each attempt's response code or error, and the next attempt", async () => {
    const out = text(
      await html(DeliveryItem, {
        delivery: delivery({
          status: "pending",
          attempts: [
            { attempt: 1, at: "2026-12-01T10:00:01.000Z", statusCode: 500, error: null, durationMs: 1234 },
            {
              attempt: 2,
              at: "2026-12-01T10:00:31.000Z",
              statusCode: null,
              error: "timed out after 10 s",
              durationMs: 10000,
            },
          ],
          nextAttemptAt: new Date(Date.now() + 60_000).toISOString(),
        }),
      }),
    );
    expect(out).toContain("Video ready video.ready Pending Sent Dec 1, 2026, 10:00 AM");
    expect(out).toContain("Attempt 1 HTTP 500 1,234 ms Dec 1, 2026, 10:00 AM");
    expect(out).toContain("Attempt 2 Error: timed out after 10 s 10,000 ms");
    expect(out).toContain("Next attempt in 1 minute");
  });

  it("marks a 2xx green and a test event by name", async () => {
    const out = await html(DeliveryItem, {
      delivery: delivery({
        eventType: "webhook.test",
        attempts: [
          { attempt: 1, at: "2026-12-01T10:00:01.000Z", statusCode: 204, error: null, durationMs: 8 },
        ],
      }),
    });
    expect(out).toContain("ui-tone--success");
    expect(text(out)).toContain("Test event webhook.test Delivered");
    expect(text(out)).toContain("Attempt 1 HTTP 204 8 ms");
  });

  it("shows an unknown event type as it came, and says when nothing was attempted", async () => {
    const out = text(
      await html(DeliveryItem, { delivery: delivery({ eventType: "video.renamed", status: "failed" }) }),
    );
    expect(out).toContain("video.renamed Failed");
    expect(out).toContain("Not attempted yet");
  });

  it("speaks German", async () => {
    const out = text(
      await html(
        DeliveryItem,
        {
          delivery: delivery({
            attempts: [
              { attempt: 1, at: "2026-12-01T10:00:01.000Z", statusCode: 200, error: null, durationMs: 1500 },
            ],
          }),
        },
        "de",
      ),
    );
    expect(out).toContain("Video bereit video.ready Zugestellt Gesendet am 01.12.2026, 10:00");
    expect(out).toContain("Versuch 1 HTTP 200 1.500 ms");
  });
});

describe("the events field", () => {
  it("offers the five events, checks the chosen ones, and reads out its error", async () => {
    const out = await html(EventsField, {
      value: ["comment.created"],
      onChange: () => undefined,
      error: "Pick at least one event.",
    });
    expect(out.match(/type="checkbox"/g)).toHaveLength(5);
    expect(out.match(/checked=""/g)).toHaveLength(1);
    expect(out).toMatch(/checked="" value="comment.created"/);
    expect(text(out)).toContain("Events Pick at least one. Video ready video.ready");
    const errorId = /id="([^"]+)" class="ui-field-error"/.exec(out)?.[1];
    expect(errorId).toBeTruthy();
    expect(out).toContain(`aria-describedby="${errorId} `);
  });
});
