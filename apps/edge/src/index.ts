import { createApp } from "./app";
import { consumeEvents } from "./events/consumer";

export { LoginThrottle } from "./auth/login-throttle";
export { TranscodeQueue } from "./jobs/transcode-queue";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeEvents(batch, env),
} satisfies ExportedHandler<Env>;
