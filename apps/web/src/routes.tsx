import { type ComponentType, use, useLayoutEffect, useReducer, useRef } from "react";
import { matchRoutes, type RouteObject, useLocation, useRoutes } from "react-router";
import { Layout } from "./components/Layout";
import { loadNamespaces } from "./i18n";
import type { Namespace } from "./i18n/languages";
import { leaveFirstScreen } from "./lib/firstScreen";
import { noteNavigation } from "./lib/trafficSource";
import { HomePage } from "./pages/Home";
import { ErrorState } from "./ui";

/**
 * A page loaded on demand: each page (and what only it imports, like hls.js for the player) is its
 * own chunk, so the home page's JavaScript is the shell and Home alone (Home is in the shell itself).
 * Its strings (`namespaces` beyond the bundled common/layout/home/notifications) load at the same
 * time, not after it renders. Until both are in, the page suspends (Layout's Suspense shows
 * PageLoading; an in-app navigation is a transition, so the previous page stays meanwhile). A chunk
 * that fails to load (a dropped connection, a deploy that replaced it) shows an error with Retry.
 *
 * Declarative routes (useRoutes) rather than a data router: the app uses none of the data APIs
 * (loaders, actions, fetchers), and they cost the shell ~18 kB gzipped and a long task to set up.
 */
function page(
  load: () => Promise<Record<string, unknown>>,
  name: string,
  namespaces: readonly Namespace[] = [],
): Pick<RouteObject, "element" | "handle"> {
  const entry: PageEntry = {
    preload() {
      entry.loading ??= Promise.all([load(), loadNamespaces(namespaces)]).then(
        ([module]) => {
          entry.Component = module[name] as ComponentType;
        },
        (error: unknown) => {
          // Retry (LazyPage) clears the failure and loads it again.
          entry.loading = undefined;
          entry.failure = error;
        },
      );
      return entry.loading;
    },
  };
  return { element: <LazyPage entry={entry} />, handle: entry satisfies PageHandle };
}

interface PageHandle {
  /** Loads the page's chunk and strings; resolves (never rejects) once they are in or failed. */
  preload: () => Promise<void>;
}

interface PageEntry extends PageHandle {
  Component?: ComponentType;
  failure?: unknown;
  loading?: Promise<void>;
}

function LazyPage({ entry }: { entry: PageEntry }) {
  const [, retry] = useReducer((n: number) => n + 1, 0);
  if (!entry.Component && entry.failure === undefined) use(entry.preload());
  const { Component } = entry;
  if (Component) return <Component />;
  return (
    <ErrorState
      error={entry.failure}
      onRetry={() => {
        entry.failure = undefined;
        retry();
      }}
    />
  );
}

/** Every page of the app. The edge serves index.html for any path (SPA fallback). */
const routes: RouteObject[] = [
  // The embed is the player alone, for other sites' iframes: no header.
  {
    path: "/embed/:videoId",
    ...page(() => import("./pages/Embed"), "EmbedPage", ["player", "watch"]),
  },
  {
    element: <Layout />,
    children: [
      // The landing page comes with the shell: one round trip less before the first cards.
      { path: "/", Component: HomePage },
      { path: "/search", ...page(() => import("./pages/Search"), "SearchPage", ["search"]) },
      {
        path: "/channel/:channelId",
        ...page(() => import("./pages/Channel"), "ChannelPage", ["channel", "watch"]),
      },
      {
        path: "/playlist/:playlistId",
        ...page(() => import("./pages/Playlist"), "PlaylistPage", ["playlists", "layout"]),
      },
      {
        path: "/playlists",
        ...page(() => import("./pages/Playlists"), "MyPlaylistsPage", ["playlists", "watch"]),
      },
      {
        path: "/watch/:videoId",
        ...page(() => import("./pages/Watch"), "WatchPage", ["watch", "player", "comments"]),
      },
      { path: "/signin", ...page(() => import("./pages/SignIn"), "SignInPage", ["auth"]) },
      { path: "/signup", ...page(() => import("./pages/SignUp"), "SignUpPage", ["auth"]) },
      { path: "/verify-email", ...page(() => import("./pages/VerifyEmail"), "VerifyEmailPage", ["auth"]) },
      {
        path: "/reset-password",
        ...page(() => import("./pages/ResetPassword"), "ResetPasswordPage", ["auth"]),
      },
      {
        path: "/undo-email-change",
        ...page(() => import("./pages/UndoEmailChange"), "UndoEmailChangePage", ["auth"]),
      },
      { path: "/profiles", ...page(() => import("./pages/Profiles"), "ProfilesPage", ["profiles"]) },
      { path: "/account", ...page(() => import("./pages/Account"), "AccountPage", ["account"]) },
      {
        path: "/account/billing",
        ...page(() => import("./pages/Billing"), "BillingPage", ["billing"]),
      },
      { path: "/plans", ...page(() => import("./pages/Plans"), "PlansPage", ["billing"]) },
      { path: "/history", ...page(() => import("./pages/History"), "HistoryPage", ["history"]) },
      // "analytics" for the links to the analytics pages (drawn at once, not after a second fetch).
      {
        path: "/studio",
        ...page(() => import("./pages/Studio"), "StudioPage", ["studio", "watch", "analytics"]),
      },
      {
        path: "/studio/upload",
        ...page(() => import("./pages/Upload"), "UploadPage", ["upload", "studio", "watch"]),
      },
      {
        path: "/studio/videos/:videoId",
        ...page(() => import("./pages/StudioVideo"), "StudioVideoPage", ["studio", "analytics"]),
      },
      // Payouts: the creator's earnings and the admins' payout runs (Chart.js only in the earnings
      // chart's own chunk, loaded after the page).
      {
        path: "/studio/earnings",
        ...page(() => import("./pages/payouts/Earnings"), "EarningsPage", ["payouts"]),
      },
      // Webhooks for integrators (docs/webhooks.md): the channel's endpoints and their delivery logs.
      {
        path: "/studio/webhooks",
        ...page(() => import("./pages/webhooks/Webhooks"), "WebhooksPage", ["webhooks"]),
      },
      {
        path: "/admin/payouts",
        ...page(() => import("./pages/payouts/AdminPayouts"), "AdminPayoutsPage", ["payouts"]),
      },
      // Analytics (docs/analytics.md): the channel's and a video's, and the admins' playback quality.
      // Chart.js comes with these chunks only.
      {
        path: "/studio/analytics",
        ...page(() => import("./pages/analytics/ChannelAnalytics"), "ChannelAnalyticsPage", ["analytics"]),
      },
      {
        path: "/studio/videos/:videoId/analytics",
        ...page(() => import("./pages/analytics/VideoAnalytics"), "VideoAnalyticsPage", ["analytics"]),
      },
      {
        path: "/admin/quality",
        ...page(() => import("./pages/analytics/QualityDashboard"), "QualityDashboardPage", ["analytics"]),
      },
      {
        path: "/studio/channel",
        ...page(() => import("./pages/CreateChannel"), "CreateChannelPage", ["studio", "watch"]),
      },
      // Ads: the advertiser's campaigns and the moderators' review queue (each page its own chunk;
      // Chart.js only in the campaign page's report, loaded after it).
      {
        path: "/ads",
        ...page(() => import("./pages/ads/Campaigns"), "AdsCampaignsPage", ["ads", "watch"]),
      },
      {
        path: "/ads/new",
        ...page(() => import("./pages/ads/Campaign"), "NewCampaignPage", ["ads", "watch"]),
      },
      {
        path: "/ads/campaigns/:campaignId",
        ...page(() => import("./pages/ads/Campaign"), "CampaignPage", ["ads", "watch"]),
      },
      {
        path: "/moderation/ads",
        ...page(() => import("./pages/ads/Reviews"), "AdReviewsPage", ["ads", "watch"]),
      },
      // Trust and safety (docs/moderation.md): a profile's reports, a creator's strikes and appeals,
      // the moderators' queue and appeals, and the admins' users, audit log and configuration.
      {
        path: "/me/reports",
        ...page(() => import("./pages/reports/MyReports"), "MyReportsPage", ["reports"]),
      },
      {
        path: "/studio/strikes",
        ...page(() => import("./pages/reports/Strikes"), "StrikesPage", ["reports"]),
      },
      {
        path: "/moderation",
        ...page(() => import("./pages/moderation/Queue"), "ModerationQueuePage", ["moderation", "reports"]),
      },
      {
        path: "/moderation/cases/:caseId",
        ...page(() => import("./pages/moderation/Case"), "ModerationCasePage", ["moderation", "reports"]),
      },
      {
        path: "/moderation/appeals",
        ...page(() => import("./pages/moderation/Appeals"), "ModerationAppealsPage", [
          "moderation",
          "reports",
        ]),
      },
      { path: "/admin/users", ...page(() => import("./pages/admin/Users"), "AdminUsersPage", ["admin"]) },
      { path: "/admin/audit", ...page(() => import("./pages/admin/Audit"), "AdminAuditPage", ["admin"]) },
      {
        path: "/admin/config",
        ...page(() => import("./pages/admin/Config"), "AdminConfigPage", ["admin"]),
      },
      { path: "*", ...page(() => import("./pages/NotFound"), "NotFoundPage") },
    ],
  },
];

/** The page for the current address. */
export function AppRoutes() {
  return useRoutes(routes);
}

/**
 * Resolves once the page at `pathname` has its chunk and strings (at once for Home, which is in the
 * shell). With a first screen from the edge on display, main.tsx renders only then: React's first
 * render is the page itself, drawn over the same content, not a spinner in between.
 */
export function pageReady(pathname: string): Promise<void> {
  const leaf = matchRoutes(routes, pathname)?.at(-1)?.route.handle as PageHandle | undefined;
  return leaf ? leaf.preload() : Promise.resolve();
}

/**
 * Follows in-app navigations: the first one retires the first screen's data (it is for the page it
 * came with), and each tells the traffic source where the viewer went. A layout effect, in the
 * first element under the router: it runs before any effect of the page being shown.
 */
export function NavigationWatcher() {
  const location = useLocation();
  const seen = useRef(location.key);
  useLayoutEffect(() => {
    if (location.key === seen.current) return;
    seen.current = location.key;
    leaveFirstScreen();
    noteNavigation(location.pathname);
  }, [location.key, location.pathname]);
  return null;
}
