import { describe, expect, it, vi } from "vitest";

// lib/webhooks.ts imports the API client, which needs a window; only its pure helpers are tested here.
vi.mock("../api/client", () => {
  class ApiProblem extends Error {
    constructor(readonly problem: Record<string, unknown> & { title: string; status: number }) {
      super(problem.title);
    }
  }
  return { ApiProblem, api: {}, must: () => Promise.reject(new Error("no API in unit tests")) };
});

const { ApiProblem } = await import("../api/client");
const {
  attemptOutcome,
  checkValues,
  isKnownEvent,
  keepPolling,
  patchOf,
  problemFields,
  sortEvents,
  valuesOf,
  WEBHOOK_EVENTS,
} = await import("./webhooks");
type Webhook = import("./webhooks").Webhook;

const webhook: Webhook = {
  id: "whe_1",
  channelId: "chn_1",
  url: "https://hooks.example.com/marquee",
  description: "Production",
  events: ["comment.created", "video.ready"],
  previousSecretExpiresAt: null,
  createdAt: "2026-12-01T10:00:00.000Z",
  updatedAt: "2026-12-01T10:00:00.000Z",
};

describe("event types", () => {
  it("are the API's five, in the form's order", () => {
    expect(WEBHOOK_EVENTS).toEqual([
      "video.ready",
      "video.failed",
      "video.deleted",
      "comment.created",
      "subscription.created",
    ]);
  });

  it("sorts and drops repeats", () => {
    expect(sortEvents(["subscription.created", "video.ready", "subscription.created"])).toEqual([
      "video.ready",
      "subscription.created",
    ]);
  });

  it("knows the five and the test event, nothing else (not even Object's keys)", () => {
    expect(isKnownEvent("video.deleted")).toBe(true);
    expect(isKnownEvent("webhook.test")).toBe(true);
    expect(isKnownEvent("video.published")).toBe(false);
    expect(isKnownEvent("toString")).toBe(false);
  });
});

describe("the form's checks", () => {
  const ok = {
    url: " https://hooks.example.com/x ",
    events: ["video.failed", "video.ready"],
    description: " a ",
  };

  it("trims, sorts the events and answers the API's input", () => {
    expect(checkValues({ ...ok, events: ["video.failed", "video.ready"] })).toEqual({
      ok: true,
      input: {
        url: "https://hooks.example.com/x",
        events: ["video.ready", "video.failed"],
        description: "a",
      },
    });
  });

  it("names each field in trouble", () => {
    expect(checkValues({ url: "", events: [], description: "x".repeat(201) })).toEqual({
      ok: false,
      errors: { url: "urlRequired", events: "eventsRequired", description: "descriptionTooLong" },
    });
  });

  it("wants an absolute web address, and leaves https and public to the API", () => {
    const urlError = (url: string) => {
      const checked = checkValues({ url, events: ["video.ready"], description: "" });
      return checked.ok ? null : checked.errors.url;
    };
    expect(urlError("hooks.example.com/x")).toBe("urlInvalid");
    expect(urlError("ftp://hooks.example.com/x")).toBe("urlInvalid");
    expect(urlError("javascript:alert(1)")).toBe("urlInvalid");
    expect(urlError(`https://example.com/${"a".repeat(2048)}`)).toBe("urlTooLong");
    // The API refuses these with its reason under the field (a test setup may allow a local http one).
    expect(urlError("http://127.0.0.1:8893/hook")).toBeNull();
    expect(urlError("https://loopback.example/x")).toBeNull();
  });

  it("starts from an endpoint's values, or empty", () => {
    expect(valuesOf(webhook)).toEqual({
      url: webhook.url,
      events: ["video.ready", "comment.created"],
      description: "Production",
    });
    expect(valuesOf()).toEqual({ url: "", events: [], description: "" });
  });
});

describe("an edit's PATCH", () => {
  it("is empty when nothing changed (events compared as a set)", () => {
    expect(
      patchOf(webhook, {
        url: webhook.url,
        events: ["video.ready", "comment.created"],
        description: "Production",
      }),
    ).toEqual({});
  });

  it("holds only what changed", () => {
    expect(
      patchOf(webhook, { url: "https://other.example.com/", events: ["video.ready"], description: "" }),
    ).toEqual({ url: "https://other.example.com/", events: ["video.ready"], description: "" });
    expect(patchOf(webhook, { url: webhook.url, events: webhook.events, description: "Staging" })).toEqual({
      description: "Staging",
    });
  });
});

describe("the API's answer on the form's fields", () => {
  it("puts a refused URL's reason under the URL, and nothing above the buttons", () => {
    const reason = "The URL's host resolves to a private address (127.0.0.1)";
    const refused = new ApiProblem({
      title: "Validation failed",
      status: 400,
      code: "validation_failed",
      detail: reason,
      errors: [{ path: "body.url", message: reason }],
    });
    expect(problemFields(refused)).toEqual({ fields: { url: reason }, general: false });
  });

  it("maps the schema's json.* paths too, the first message per field", () => {
    const invalid = new ApiProblem({
      title: "Validation failed",
      status: 400,
      detail: "Some fields are missing or invalid.",
      errors: [
        { path: "json.url", message: "Invalid URL" },
        { path: "json.events.0", message: "Invalid option" },
        { path: "json.events", message: "Too small" },
      ],
    });
    expect(problemFields(invalid)).toEqual({
      fields: { url: "Invalid URL", events: "Invalid option" },
      general: false,
    });
  });

  it("puts an unreachable resolver's detail under the URL", () => {
    const unavailable = new ApiProblem({
      title: "Service unavailable",
      status: 503,
      code: "unavailable",
      detail: "The webhook URL's host could not be looked up; try again",
    });
    expect(problemFields(unavailable)).toEqual({
      fields: { url: "The webhook URL's host could not be looked up; try again" },
      general: false,
    });
  });

  it("leaves anything else to the whole-problem message", () => {
    const limit = new ApiProblem({ title: "Limit reached", status: 409, code: "limit_reached" });
    expect(problemFields(limit)).toEqual({ fields: {}, general: true });
    const other = new ApiProblem({
      title: "Validation failed",
      status: 400,
      errors: [{ path: "body", message: "Unrecognized key" }],
    });
    expect(problemFields(other)).toEqual({ fields: {}, general: true });
    expect(problemFields(new TypeError("Failed to fetch"))).toEqual({ fields: {}, general: true });
    expect(problemFields(null)).toEqual({ fields: {}, general: false });
  });
});

describe("an attempt's outcome", () => {
  it("is the status code, 2xx ok", () => {
    expect(attemptOutcome({ statusCode: 204, error: null })).toEqual({ kind: "status", code: 204, ok: true });
    expect(attemptOutcome({ statusCode: 302, error: "redirects are not followed" })).toEqual({
      kind: "status",
      code: 302,
      ok: false,
    });
    expect(attemptOutcome({ statusCode: 500, error: null })).toEqual({
      kind: "status",
      code: 500,
      ok: false,
    });
  });

  it("or the error when there was no response", () => {
    expect(attemptOutcome({ statusCode: null, error: "timed out after 10 s" })).toEqual({
      kind: "error",
      message: "timed out after 10 s",
    });
    expect(attemptOutcome({ statusCode: null, error: null })).toEqual({ kind: "error", message: "" });
  });
});

describe("polling after a test event", () => {
  const since = 1_000_000;
  const pending = { id: "dlv_1", status: "pending" as const, attempts: [] };
  const attempt = {
    attempt: 1,
    at: "2026-12-01T10:00:01.000Z",
    statusCode: 200,
    error: null,
    durationMs: 12,
  };

  it("goes on while the delivery is not in the log yet, or has no attempt", () => {
    expect(keepPolling([], "dlv_1", since, since + 2000)).toBe(true);
    expect(keepPolling([pending], "dlv_1", since, since + 4000)).toBe(true);
  });

  it("stops at the first attempt, or once the delivery is settled", () => {
    expect(
      keepPolling(
        [{ ...pending, attempts: [{ ...attempt, statusCode: 500 }] }],
        "dlv_1",
        since,
        since + 2000,
      ),
    ).toBe(false);
    expect(
      keepPolling([{ ...pending, status: "succeeded", attempts: [attempt] }], "dlv_1", since, since),
    ).toBe(false);
  });

  it("stops after 10 s whatever the log says", () => {
    expect(keepPolling([], "dlv_1", since, since + 9_999)).toBe(true);
    expect(keepPolling([], "dlv_1", since, since + 10_000)).toBe(false);
  });
});
