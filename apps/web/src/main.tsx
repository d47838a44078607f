import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { initI18n, useProfileLanguage } from "./i18n";
import { useProfiles } from "./lib/profiles";
import { applyInitialTheme, useProfileTheme } from "./lib/theme";
import { router } from "./routes";
import { Toaster } from "./ui";
import "./styles.css";

/** The active profile's theme and language, applied wherever it is chosen or changed. */
function ProfilePreferences() {
  const { active } = useProfiles();
  useProfileTheme(active);
  useProfileLanguage(active?.language);
  return null;
}

applyInitialTheme();
const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");
void initI18n().then(() =>
  createRoot(root).render(
    <StrictMode>
      <ProfilePreferences />
      <RouterProvider router={router} />
      <Toaster />
    </StrictMode>,
  ),
);
