import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { initI18n, useProfileLanguage } from "./i18n";
import { useProfiles } from "./lib/profiles";
import { useSession } from "./lib/session";
import { applyInitialTheme, useProfileTheme } from "./lib/theme";
import { router } from "./routes";
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

applyInitialTheme();
const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");
// Strings that fail to load (a German chunk on a dropped connection) leave English, never a blank page.
void initI18n()
  .catch(() => undefined)
  .then(() =>
    createRoot(root).render(
      <StrictMode>
        <ProfilePreferences />
        <RouterProvider router={router} />
        <Toaster />
      </StrictMode>,
    ),
  );
