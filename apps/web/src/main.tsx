import { StrictMode, Suspense, startTransition } from "react";
import { BrowserRouter } from "react-router";
import { initI18n, useProfileLanguage } from "./i18n";
import { firstScreen } from "./lib/firstScreen";
import { currentLanguage, formatNumber, timeAgo } from "./lib/format";
import { useProfiles } from "./lib/profiles";
import { useSession } from "./lib/session";
import { applyInitialTheme, useProfileTheme } from "./lib/theme";
import { createRoot } from "./reactDom";
import { AppRoutes, NavigationWatcher, pageReady } from "./routes";
import { PageLoading, Toaster } from "./ui";
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
 * Starts the app in steps, each its own task, so none blocks input for long (Total Blocking Time):
 * evaluating the modules (this task), warming Intl, starting i18next, asking for the page's chunk,
 * then React's first render, itself a transition that React renders in slices of a few
 * milliseconds, yielding in between. What the HTML already painted (the shell, or the edge's first
 * screen) stays on screen until that render is ready.
 */
async function start() {
  applyInitialTheme();
  const root = document.getElementById("root");
  if (!root) throw new Error("#root is missing from index.html");
  // The page's first Intl objects load ICU's data (~25 ms here, ~100 ms under Lighthouse's 4x
  // slowdown; i18next's plural rules would be the first): locale resolution, then the number data,
  // then relative time, each in a task of its own, so none is long.
  for (const warm of [
    () => new Intl.Locale(currentLanguage()).maximize(),
    () => formatNumber(1234.5),
    () => timeAgo(new Date().toISOString()),
  ]) {
    await nextTask();
    warm();
  }
  await nextTask();
  // Strings that fail to load (a German chunk on a dropped connection) leave English, never a blank page.
  const strings = initI18n().catch(() => undefined);
  await nextTask();
  // The page's chunk, asked for before the first render. With a first screen from the edge on
  // display, React renders only once it is in: its first render is the page itself, drawn over the
  // same content, not a spinner in between.
  const page = pageReady(window.location.pathname);
  await Promise.all([strings, firstScreen() ? page : undefined]);
  const app = createRoot(root);
  startTransition(() =>
    app.render(
      <StrictMode>
        <ProfilePreferences />
        <BrowserRouter>
          <NavigationWatcher />
          <Suspense fallback={<PageLoading />}>
            <AppRoutes />
          </Suspense>
        </BrowserRouter>
        <Toaster />
      </StrictMode>,
    ),
  );
}

void start();
