// See apps/edge/src/web/routes.ts.
const entry = new URL(import.meta.url).searchParams.get("entry") ?? "";
const ours = (href) => /^\/assets\/[\w.-]+\.js$/.test(href);
// A session older than the signed-in flag: the first screen was not for it.
if (localStorage.getItem("marquee.session") && !document.cookie.includes("marquee_signed_in=")) {
  document.querySelector("#root > main")?.remove();
}
let started = false;
function start() {
  if (started) return;
  started = true;
  if (ours(entry)) import(entry);
  setTimeout(() => {
    for (const link of document.querySelectorAll("link[data-later-href]")) {
      const href = link.getAttribute("data-later-href") ?? "";
      if (ours(href)) link.setAttribute("href", href);
    }
  }, 0);
}
requestAnimationFrame(() => setTimeout(start, 0));
setTimeout(start, 200);
