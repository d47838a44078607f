import type { ComponentType } from "react";
import { createBrowserRouter, type RouteObject } from "react-router";
import { Layout } from "./components/Layout";
import { loadNamespaces } from "./i18n";
import type { Namespace } from "./i18n/languages";
import { trackNavigations } from "./lib/trafficSource";
import { HomePage } from "./pages/Home";
import { PageLoading } from "./ui";

/**
 * A page loaded on demand: each page (and what only it imports, like hls.js for the player) is its
 * own chunk, so the home page's JavaScript is the shell and Home alone (Home is in the shell itself). Its strings (`namespaces`
 * beyond the bundled common/layout/home/notifications) load at the same time, not after it renders.
 */
function page(
  load: () => Promise<Record<string, unknown>>,
  name: string,
  namespaces: readonly Namespace[] = [],
): RouteObject["lazy"] {
  return async () => {
    const [module] = await Promise.all([load(), loadNamespaces(namespaces)]);
    return { Component: module[name] as ComponentType };
  };
}

/** Every page of the app. The edge serves index.html for any path (SPA fallback). */
const routes: RouteObject[] = [
  // The embed is the player alone, for other sites' iframes: no header.
  {
    path: "/embed/:videoId",
    lazy: page(() => import("./pages/Embed"), "EmbedPage", ["player", "watch"]),
    hydrateFallbackElement: <PageLoading />,
  },
  {
    element: <Layout />,
    hydrateFallbackElement: <PageLoading />,
    children: [
      // The landing page comes with the shell: one round trip less before the first cards.
      { path: "/", Component: HomePage },
      { path: "/search", lazy: page(() => import("./pages/Search"), "SearchPage", ["search"]) },
      {
        path: "/channel/:channelId",
        lazy: page(() => import("./pages/Channel"), "ChannelPage", ["channel", "watch"]),
      },
      {
        path: "/watch/:videoId",
        lazy: page(() => import("./pages/Watch"), "WatchPage", ["watch", "player", "comments"]),
      },
      { path: "/signin", lazy: page(() => import("./pages/SignIn"), "SignInPage", ["auth"]) },
      { path: "/signup", lazy: page(() => import("./pages/SignUp"), "SignUpPage", ["auth"]) },
      { path: "/verify-email", lazy: page(() => import("./pages/VerifyEmail"), "VerifyEmailPage", ["auth"]) },
      {
        path: "/reset-password",
        lazy: page(() => import("./pages/ResetPassword"), "ResetPasswordPage", ["auth"]),
      },
      {
        path: "/undo-email-change",
        lazy: page(() => import("./pages/UndoEmailChange"), "UndoEmailChangePage", ["auth"]),
      },
      { path: "/profiles", lazy: page(() => import("./pages/Profiles"), "ProfilesPage", ["profiles"]) },
      { path: "/account", lazy: page(() => import("./pages/Account"), "AccountPage", ["account"]) },
      {
        path: "/account/billing",
        lazy: page(() => import("./pages/Billing"), "BillingPage", ["billing"]),
      },
      { path: "/plans", lazy: page(() => import("./pages/Plans"), "PlansPage", ["billing"]) },
      { path: "/history", lazy: page(() => import("./pages/History"), "HistoryPage", ["history"]) },
      // "analytics" for the links to the analytics pages (drawn at once, not after a second fetch).
      {
        path: "/studio",
        lazy: page(() => import("./pages/Studio"), "StudioPage", ["studio", "watch", "analytics"]),
      },
      {
        path: "/studio/upload",
        lazy: page(() => import("./pages/Upload"), "UploadPage", ["upload", "studio", "watch"]),
      },
      {
        path: "/studio/videos/:videoId",
        lazy: page(() => import("./pages/StudioVideo"), "StudioVideoPage", ["studio", "analytics"]),
      },
      // Payouts: the creator's earnings and the admins' payout runs (Chart.js only in the earnings
      // chart's own chunk, loaded after the page).
      {
        path: "/studio/earnings",
        lazy: page(() => import("./pages/payouts/Earnings"), "EarningsPage", ["payouts"]),
      },
      {
        path: "/admin/payouts",
        lazy: page(() => import("./pages/payouts/AdminPayouts"), "AdminPayoutsPage", ["payouts"]),
      },
      // Analytics (docs/analytics.md): the channel's and a video's, and the admins' playback quality.
      // Chart.js comes with these chunks only.
      {
        path: "/studio/analytics",
        lazy: page(() => import("./pages/analytics/ChannelAnalytics"), "ChannelAnalyticsPage", ["analytics"]),
      },
      {
        path: "/studio/videos/:videoId/analytics",
        lazy: page(() => import("./pages/analytics/VideoAnalytics"), "VideoAnalyticsPage", ["analytics"]),
      },
      {
        path: "/admin/quality",
        lazy: page(() => import("./pages/analytics/QualityDashboard"), "QualityDashboardPage", ["analytics"]),
      },
      {
        path: "/studio/channel",
        lazy: page(() => import("./pages/CreateChannel"), "CreateChannelPage", ["studio", "watch"]),
      },
      // Ads: the advertiser's campaigns and the moderators' review queue (each page its own chunk;
      // Chart.js only in the campaign page's report, loaded after it).
      {
        path: "/ads",
        lazy: page(() => import("./pages/ads/Campaigns"), "AdsCampaignsPage", ["ads", "watch"]),
      },
      {
        path: "/ads/new",
        lazy: page(() => import("./pages/ads/Campaign"), "NewCampaignPage", ["ads", "watch"]),
      },
      {
        path: "/ads/campaigns/:campaignId",
        lazy: page(() => import("./pages/ads/Campaign"), "CampaignPage", ["ads", "watch"]),
      },
      {
        path: "/moderation/ads",
        lazy: page(() => import("./pages/ads/Reviews"), "AdReviewsPage", ["ads", "watch"]),
      },
      // Trust and safety (docs/moderation.md): a profile's reports, a creator's strikes and appeals,
      // the moderators' queue and appeals, and the admins' users, audit log and configuration.
      {
        path: "/me/reports",
        lazy: page(() => import("./pages/reports/MyReports"), "MyReportsPage", ["reports"]),
      },
      {
        path: "/studio/strikes",
        lazy: page(() => import("./pages/reports/Strikes"), "StrikesPage", ["reports"]),
      },
      {
        path: "/moderation",
        lazy: page(() => import("./pages/moderation/Queue"), "ModerationQueuePage", [
          "moderation",
          "reports",
        ]),
      },
      {
        path: "/moderation/cases/:caseId",
        lazy: page(() => import("./pages/moderation/Case"), "ModerationCasePage", ["moderation", "reports"]),
      },
      {
        path: "/moderation/appeals",
        lazy: page(() => import("./pages/moderation/Appeals"), "ModerationAppealsPage", [
          "moderation",
          "reports",
        ]),
      },
      { path: "/admin/users", lazy: page(() => import("./pages/admin/Users"), "AdminUsersPage", ["admin"]) },
      { path: "/admin/audit", lazy: page(() => import("./pages/admin/Audit"), "AdminAuditPage", ["admin"]) },
      {
        path: "/admin/config",
        lazy: page(() => import("./pages/admin/Config"), "AdminConfigPage", ["admin"]),
      },
      { path: "*", lazy: page(() => import("./pages/NotFound"), "NotFoundPage") },
    ],
  },
];

/**
 * The app's router. Made when main.tsx asks, not when this module loads: creating it matches the
 * address and starts loading the page's chunk, work main.tsx gives its own task.
 */
export function createAppRouter() {
  const router = createBrowserRouter(routes);
  // Where each watch came from (analytics' traffic source): the router tells every in-app navigation.
  trackNavigations(router);
  return router;
}

export type AppRouter = ReturnType<typeof createAppRouter>;
