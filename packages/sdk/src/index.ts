export {
  type ClientOptions,
  createClient,
  type Fetch,
  type Marquee,
  MarqueeClient,
  type Tokens,
} from "./client";
export { type FieldProblem, MarqueeApiError } from "./errors";
export { OPERATIONS } from "./operations";
export type { Args, OperationId, Result } from "./types";
export {
  processingStage,
  resumeUpload,
  type UploadOptions,
  type UploadProgress,
  uploadVideo,
  type Video,
  type VideoMetadata,
  waitUntilProcessed,
} from "./upload";
