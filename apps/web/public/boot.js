// See apps/edge/src/web/routes.ts.
const entry = new URL(import.meta.url).searchParams.get("entry") ?? "";
const ours = (href) => /^\/assets\/[\w.-]+\.js$/.test(href);
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
// A session older than the signed-in flag: the first screen was not for it.
if (localStorage.getItem("marquee.session") && !document.cookie.includes("marquee_signed_in=")) {
  document.querySelector("#root > main")?.remove();
}
let started = false;
/**
 * Fetches the entry's chunks at once (arming the disarmed module preloads), then evaluates them one
 * chunk per task, and the entry last: one import of the entry would evaluate the whole graph
 * (React DOM, the router, i18next, the app) in one task, the longest of the page's load (Total
 * Blocking Time). Each chunk imports what it needs itself, so the order changes only which task
 * pays for what.
 */
async function start() {
  if (started) return;
  started = true;
  const links = [...document.querySelectorAll("link[data-later-href]")];
  const chunks = links.map((link) => link.getAttribute("data-later-href") ?? "");
  links.forEach((link, i) => {
    if (ours(chunks[i])) link.setAttribute("href", chunks[i]);
  });
  for (const chunk of chunks.filter(ours)) {
    await nextTask();
    // A chunk that fails here fails again, and is reported, when the entry imports it.
    await import(chunk).catch(() => undefined);
  }
  await nextTask();
  if (ours(entry)) import(entry);
}
requestAnimationFrame(() => setTimeout(start, 0));
setTimeout(start, 200);
