import { createBrowserRouter } from "react-router";
import { Layout } from "./components/Layout";
import { AccountPage } from "./pages/Account";
import { ChannelPage } from "./pages/Channel";
import { CreateChannelPage } from "./pages/CreateChannel";
import { EmbedPage } from "./pages/Embed";
import { HistoryPage } from "./pages/History";
import { HomePage } from "./pages/Home";
import { NotFoundPage } from "./pages/NotFound";
import { ProfilesPage } from "./pages/Profiles";
import { ResetPasswordPage } from "./pages/ResetPassword";
import { SearchPage } from "./pages/Search";
import { SignInPage } from "./pages/SignIn";
import { SignUpPage } from "./pages/SignUp";
import { StudioPage } from "./pages/Studio";
import { StudioVideoPage } from "./pages/StudioVideo";
import { UndoEmailChangePage } from "./pages/UndoEmailChange";
import { UploadPage } from "./pages/Upload";
import { VerifyEmailPage } from "./pages/VerifyEmail";
import { WatchPage } from "./pages/Watch";

/** Every page of the app. The edge serves index.html for any path (SPA fallback). */
export const router = createBrowserRouter([
  // The embed is the player alone, for other sites' iframes: no header.
  { path: "/embed/:videoId", element: <EmbedPage /> },
  {
    element: <Layout />,
    children: [
      { path: "/", element: <HomePage /> },
      { path: "/search", element: <SearchPage /> },
      { path: "/channel/:channelId", element: <ChannelPage /> },
      { path: "/watch/:videoId", element: <WatchPage /> },
      { path: "/signin", element: <SignInPage /> },
      { path: "/signup", element: <SignUpPage /> },
      { path: "/verify-email", element: <VerifyEmailPage /> },
      { path: "/reset-password", element: <ResetPasswordPage /> },
      { path: "/undo-email-change", element: <UndoEmailChangePage /> },
      { path: "/profiles", element: <ProfilesPage /> },
      { path: "/account", element: <AccountPage /> },
      { path: "/history", element: <HistoryPage /> },
      { path: "/studio", element: <StudioPage /> },
      { path: "/studio/upload", element: <UploadPage /> },
      { path: "/studio/videos/:videoId", element: <StudioVideoPage /> },
      { path: "/studio/channel", element: <CreateChannelPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
