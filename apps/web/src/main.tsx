import { StrictMode, startTransition } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { initI18n, useProfileLanguage } from "./i18n";
import { firstScreen, leaveFirstScreen } from "./lib/firstScreen";
import { timeAgo } from "./lib/format";
import { useProfiles } from "./lib/profiles";
import { useSession } from "./lib/session";
import { applyInitialTheme, useProfileTheme } from "./lib/theme";
import { type AppRouter, createAppRouter } from "./routes";
import { Toaster } from "./ui";
import "./styles.css";

/** The active profile's theme and language, applied wherever it is chosen or changed. */
function ProfilePreferences() {
  const { active, items } = useProfiles();
  const signedIn = useSession() !== null;
  useProfileTheme(active);
  // Signed in, the language waits for the profile (the cached one holds meanwhile) instead of
  // flashing the browser's; signed out, the browser's.
  useProfileLanguage(active?.language, signedIn && items === null);
  return null;
}

/** The rest of this task goes to the browser (input, paint); the caller goes on in a new task. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Resolves once the router has the page's module (a lazy page is its own chunk). With a first
 * screen from the edge on display, React renders only then: its first render is the page itself,
 * drawn over the same content, not a spinner in between.
 */
function routerReady(router: AppRouter): Promise<void> {
  if (!firstScreen() || router.state.initialized) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = router.subscribe((state) => {
      if (!state.initialized) return;
      stop();
      resolve();
    });
  });
}

/** The first screen's data is for the page it came with: the first navigation retires it. */
function retireFirstScreenOnNavigation(router: AppRouter) {
  const landing = router.state.location.key;
  const stop = router.subscribe((state) => {
    if (state.location.key === landing) return;
    leaveFirstScreen();
    stop();
  });
}

/**
 * Starts the app in steps, each its own task, so none blocks input for long (Total Blocking Time):
 * evaluating the modules (this task), starting i18next, making the router (which matches the
 * address and asks for the page's chunk), then React's first render, itself a transition that
 * React renders in slices of a few milliseconds, yielding in between. What the HTML already
 * painted (the shell, or the edge's first screen) stays on screen until that render is ready.
 */
async function start() {
  applyInitialTheme();
  const root = document.getElementById("root");
  if (!root) throw new Error("#root is missing from index.html");
  await nextTask();
  // The page's first Intl object loads ICU's locale data (~25 ms here, ~100 ms under Lighthouse's
  // 4x slowdown; i18next's plural rules would be the first): in a task of its own.
  timeAgo(new Date().toISOString());
  await nextTask();
  // Strings that fail to load (a German chunk on a dropped connection) leave English, never a blank page.
  const strings = initI18n().catch(() => undefined);
  await nextTask();
  const router = createAppRouter();
  retireFirstScreenOnNavigation(router);
  await Promise.all([strings, routerReady(router)]);
  const app = createRoot(root);
  startTransition(() =>
    app.render(
      <StrictMode>
        <ProfilePreferences />
        <RouterProvider router={router} />
        <Toaster />
      </StrictMode>,
    ),
  );
}

void start();
