/**
 * The sandbox as tests drive it, over real HTTP with fetch only (no node: imports), so the same
 * helpers run under Node/Bun (the sandbox's own tests) and in workerd (the edge's billing tests):
 * its /__control test controls and a person's clicks on its hosted pages.
 */

/** A /__control call: GET without a body, POST with one (JSON). Throws on a non-2xx answer. */
export async function control(sandboxUrl: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${sandboxUrl}/__control/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`sandbox control ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Submits a hosted page's form the way a browser does (form-encoded POST, no redirect following). */
export async function submit(url: string, fields: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

// The pages' escaping (escapeHtml in http.ts, which imports node:crypto and so cannot be shared here).
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The `action` of the form whose button reads `label` on a hosted page. */
export function formAction(page: string, label: string): string {
  for (const m of page.matchAll(/<form method="post" action="([^"]+)">(.*?)<\/form>/gs)) {
    if (m[2]?.includes(`>${escapeHtml(label)}</button>`)) return (m[1] ?? "").replaceAll("&#38;", "&");
  }
  throw new Error(`no form with a "${label}" button`);
}

/**
 * Opens a hosted page and clicks its `label` button, as a person would; answers the form post's
 * response (a redirect: no following).
 */
export async function press(pageUrl: string, label: string): Promise<Response> {
  const page = await fetch(pageUrl);
  const html = await page.text();
  if (!page.ok) throw new Error(`page ${pageUrl}: ${page.status} ${html.slice(0, 200)}`);
  return submit(new URL(formAction(html, label), pageUrl).toString());
}
