import type { ComponentType } from "react";
import { createBrowserRouter, type RouteObject } from "react-router";
import { Layout } from "./components/Layout";
import { PageLoading } from "./ui";

/**
 * A page loaded on demand: each page (and what only it imports, like hls.js for the player) is its
 * own chunk, so the home page's JavaScript is the shell and Home alone.
 */
function page(load: () => Promise<Record<string, unknown>>, name: string): RouteObject["lazy"] {
  return async () => ({ Component: (await load())[name] as ComponentType });
}

/** Every page of the app. The edge serves index.html for any path (SPA fallback). */
export const router = createBrowserRouter([
  // The embed is the player alone, for other sites' iframes: no header.
  {
    path: "/embed/:videoId",
    lazy: page(() => import("./pages/Embed"), "EmbedPage"),
    hydrateFallbackElement: <PageLoading />,
  },
  {
    element: <Layout />,
    hydrateFallbackElement: <PageLoading />,
    children: [
      { path: "/", lazy: page(() => import("./pages/Home"), "HomePage") },
      { path: "/search", lazy: page(() => import("./pages/Search"), "SearchPage") },
      { path: "/channel/:channelId", lazy: page(() => import("./pages/Channel"), "ChannelPage") },
      { path: "/watch/:videoId", lazy: page(() => import("./pages/Watch"), "WatchPage") },
      { path: "/signin", lazy: page(() => import("./pages/SignIn"), "SignInPage") },
      { path: "/signup", lazy: page(() => import("./pages/SignUp"), "SignUpPage") },
      { path: "/verify-email", lazy: page(() => import("./pages/VerifyEmail"), "VerifyEmailPage") },
      { path: "/reset-password", lazy: page(() => import("./pages/ResetPassword"), "ResetPasswordPage") },
      {
        path: "/undo-email-change",
        lazy: page(() => import("./pages/UndoEmailChange"), "UndoEmailChangePage"),
      },
      { path: "/profiles", lazy: page(() => import("./pages/Profiles"), "ProfilesPage") },
      { path: "/account", lazy: page(() => import("./pages/Account"), "AccountPage") },
      { path: "/history", lazy: page(() => import("./pages/History"), "HistoryPage") },
      { path: "/studio", lazy: page(() => import("./pages/Studio"), "StudioPage") },
      { path: "/studio/upload", lazy: page(() => import("./pages/Upload"), "UploadPage") },
      { path: "/studio/videos/:videoId", lazy: page(() => import("./pages/StudioVideo"), "StudioVideoPage") },
      { path: "/studio/channel", lazy: page(() => import("./pages/CreateChannel"), "CreateChannelPage") },
      { path: "*", lazy: page(() => import("./pages/NotFound"), "NotFoundPage") },
    ],
  },
]);
