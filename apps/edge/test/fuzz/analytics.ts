/**
 * Legitimate requests of the analytics routes for the fuzz test (see stateful.ts). A schema sample's
 * video id names nothing (404): the legitimate case reads the fuzz world's ready video, which its
 * main account owns. The channel's analytics need none (main owns a channel), nor does the admin's
 * quality read (admin routes are sent with the admin's token).
 */
interface StatefulCase {
  body: unknown;
  path?: string;
}

export const ANALYTICS_STATEFUL: Record<string, (w: unknown, videoId: string) => Promise<StatefulCase>> = {
  "GET /api/v1/studio/videos/{videoId}/analytics": async (_w, videoId) => ({
    body: undefined,
    path: `/api/v1/studio/videos/${videoId}/analytics?granularity=hour`,
  }),
};
