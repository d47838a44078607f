/**
 * A local stand-in for the SaaS APIs the edge talks to (Resend, Twilio), strict
 * enough about the wire format to catch mistakes. Runs in Node (vitest globalSetup),
 * never in workerd.
 *
 *   POST   /resend/emails                                        Resend "send email"
 *   POST   /twilio/2010-04-01/Accounts/{AccountSid}/Messages.json  Twilio "create message"
 *   GET    /__requests?service=resend|twilio                      recorded requests (JSON array)
 *   DELETE /__requests                                            forget recorded requests
 *
 * Simulated failures: a Resend recipient containing `fail-500@` gets a 500, one containing
 * `slow@` is answered after 2 s; the Twilio number +15005550009 gets a 429.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const RESEND_TEST_KEY = "re_test_key";
export const TWILIO_TEST_TOKEN = "twilio_test_token";
export const TWILIO_RATE_LIMITED_TO = "+15005550009";

export type SaasService = "resend" | "twilio";

export interface RecordedRequest {
  service: SaasService | "other";
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON (Resend), form fields (Twilio), or null when unparseable. */
  body: unknown;
  rawBody: string;
  receivedAt: string;
  /** What the server answered. */
  status?: number;
  response?: unknown;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const FROM = /^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const ACCOUNT_SID = /^AC[0-9a-f]{32}$/;
const SERVICE_SID = /^MG[0-9a-f]{32}$/;
const TAG = /^[A-Za-z0-9_-]{1,256}$/;

interface Reply {
  status: number;
  body: unknown;
  delayMs?: number;
}

// ---------- Resend ----------

function resendError(statusCode: number, name: string, message: string): Reply {
  return { status: statusCode, body: { statusCode, name, message } };
}

function resend(req: IncomingMessage, path: string, raw: string, rec: RecordedRequest): Reply {
  if (path !== "/resend/emails")
    return resendError(404, "not_found", "The requested endpoint does not exist.");
  if (req.method !== "POST")
    return resendError(405, "method_not_allowed", "Method is not allowed for the requested path.");

  const auth = req.headers.authorization;
  if (!auth) return resendError(401, "missing_api_key", "Missing API key in the authorization header.");
  if (auth !== `Bearer ${RESEND_TEST_KEY}`) return resendError(401, "invalid_api_key", "API key is invalid.");

  if (!(req.headers["content-type"] ?? "").toLowerCase().startsWith("application/json")) {
    return resendError(422, "validation_error", "Content-Type must be application/json.");
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return resendError(422, "validation_error", "Request body is not valid JSON.");
  }
  rec.body = body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return resendError(422, "validation_error", "Request body must be a JSON object.");
  }
  const b = body as Record<string, unknown>;

  if (typeof b.from !== "string" || b.from.trim() === "") {
    return resendError(422, "missing_required_field", "Missing `from` field.");
  }
  if (!FROM.test(b.from)) {
    return resendError(
      422,
      "validation_error",
      "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.",
    );
  }
  if (!Array.isArray(b.to) || b.to.length === 0 || b.to.length > 50) {
    return resendError(
      422,
      "validation_error",
      "Invalid `to` field. Expected an array of 1 to 50 email addresses.",
    );
  }
  for (const to of b.to) {
    if (typeof to !== "string" || !EMAIL.test(to)) {
      return resendError(
        422,
        "validation_error",
        `Invalid \`to\` field. The email address needs to follow the \`email@example.com\` format.`,
      );
    }
  }
  if (typeof b.subject !== "string" || b.subject === "") {
    return resendError(422, "missing_required_field", "Missing `subject` field.");
  }
  if (b.text === undefined && b.html === undefined) {
    return resendError(422, "missing_required_field", "Missing `text` or `html` field.");
  }
  for (const field of ["text", "html"] as const) {
    if (b[field] !== undefined && typeof b[field] !== "string") {
      return resendError(422, "validation_error", `Invalid \`${field}\` field. Expected a string.`);
    }
  }
  if (b.tags !== undefined) {
    const ok =
      Array.isArray(b.tags) &&
      b.tags.every(
        (t: unknown) =>
          typeof t === "object" &&
          t !== null &&
          typeof (t as { name?: unknown }).name === "string" &&
          typeof (t as { value?: unknown }).value === "string" &&
          TAG.test((t as { name: string }).name) &&
          TAG.test((t as { value: string }).value),
      );
    if (!ok) {
      return resendError(
        422,
        "validation_error",
        "Invalid `tags` field. Tags are `{ name, value }` of ASCII letters, numbers, underscores or dashes.",
      );
    }
  }

  const to = b.to as string[];
  if (to.some((t) => t.includes("fail-500@"))) {
    return resendError(500, "internal_server_error", "An unexpected error occurred.");
  }
  const reply: Reply = { status: 200, body: { id: randomUUID() } };
  if (to.some((t) => t.includes("slow@"))) reply.delayMs = 2000;
  return reply;
}

// ---------- Twilio ----------

function twilioError(status: number, code: number, message: string): Reply {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

function basicAuth(header: string | undefined): { user: string; pass: string } | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? "");
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] ?? "", "base64").toString("utf8");
  const i = decoded.indexOf(":");
  return i < 0 ? undefined : { user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
}

function rfc2822(d: Date): string {
  return d.toUTCString().replace("GMT", "+0000");
}

function twilio(req: IncomingMessage, path: string, raw: string, rec: RecordedRequest): Reply {
  const m = /^\/twilio\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
  if (!m)
    return twilioError(404, 20404, `The requested resource ${path.slice("/twilio".length)} was not found`);
  if (req.method !== "POST") return twilioError(405, 20004, "Method not allowed");
  const accountSid = decodeURIComponent(m[1] ?? "");

  const auth = basicAuth(req.headers.authorization);
  if (!auth || !ACCOUNT_SID.test(auth.user) || auth.pass !== TWILIO_TEST_TOKEN || auth.user !== accountSid) {
    return twilioError(401, 20003, "Authenticate");
  }

  if (!(req.headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    // Twilio only reads form-encoded parameters: anything else arrives as "no parameters".
    rec.body = null;
    return twilioError(
      400,
      21602,
      "Message body is required. (Content-Type must be application/x-www-form-urlencoded.)",
    );
  }
  const form = new URLSearchParams(raw);
  const fields = Object.fromEntries(form);
  rec.body = fields;

  const to = form.get("To");
  const from = form.get("From");
  const serviceSid = form.get("MessagingServiceSid");
  const text = form.get("Body");
  if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
  if (!E164.test(to)) return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
  if (!from && !serviceSid) return twilioError(400, 21603, "A 'From' phone number is required.");
  if (from && !E164.test(from))
    return twilioError(
      400,
      21212,
      `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
    );
  if (serviceSid && !SERVICE_SID.test(serviceSid)) {
    return twilioError(400, 21705, `The Messaging Service Sid ${serviceSid} is invalid.`);
  }
  if (!text) return twilioError(400, 21602, "Message body is required.");
  if (text.length > 1600)
    return twilioError(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
  if (to === TWILIO_RATE_LIMITED_TO) return twilioError(429, 20429, "Too Many Requests");

  const sid = `SM${randomBytes(16).toString("hex")}`;
  const now = rfc2822(new Date());
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`;
  return {
    status: 201,
    body: {
      account_sid: accountSid,
      api_version: "2010-04-01",
      body: text,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: "outbound-api",
      error_code: null,
      error_message: null,
      from: from ?? null,
      messaging_service_sid: serviceSid ?? null,
      num_media: "0",
      num_segments: String(Math.max(1, Math.ceil(text.length / 160))),
      price: null,
      price_unit: "USD",
      sid,
      // Twilio answers "accepted" when only a Messaging Service picks the sender.
      status: !from && serviceSid ? "accepted" : "queued",
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
      to,
      uri,
    },
  };
}

// ---------- server ----------

export interface SaasServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

export async function startSaasServer(port = 0, host = "127.0.0.1"): Promise<SaasServer> {
  const requests: RecordedRequest[] = [];

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://local");
      const path = url.pathname;
      if (path === "/__requests") {
        if (req.method === "DELETE") {
          requests.length = 0;
          res.writeHead(204).end();
        } else {
          const service = url.searchParams.get("service");
          send(res, 200, service ? requests.filter((r) => r.service === service) : requests);
        }
        return;
      }

      const raw = await readBody(req);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      }
      const service = path.startsWith("/resend/")
        ? "resend"
        : path.startsWith("/twilio/")
          ? "twilio"
          : "other";
      const rec: RecordedRequest = {
        service,
        method: req.method ?? "",
        path,
        headers,
        body: null,
        rawBody: raw,
        receivedAt: new Date().toISOString(),
      };
      requests.push(rec);

      const reply =
        service === "resend"
          ? resend(req, path, raw, rec)
          : service === "twilio"
            ? twilio(req, path, raw, rec)
            : { status: 404, body: { error: "not found" } };
      rec.status = reply.status;
      rec.response = reply.body;
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (!res.destroyed) send(res, reply.status, reply.body);
    })().catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: String(err) });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
