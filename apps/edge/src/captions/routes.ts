import { AppError } from "../lib/errors";
import { bearerSecurity, commonErrors, createRouter, jsonContent, routesOf } from "../lib/openapi";
import { CaptionParam, LANGUAGE_TAG, VideoParam } from "../lib/params";
import { caller } from "../services";
import { CaptionTrack, CaptionTrackList, CaptionUploadBody, CaptionUploadQuery } from "./schemas";
import * as captions from "./service";

/** The upload's path: app.ts gives its body the caption files' limit instead of the JSON one. */
export const CAPTION_UPLOAD_PATH = /^\/api\/v1\/videos\/[^/]+\/captions\/[^/]+$/;

const route = routesOf({ tags: ["captions"], security: bearerSecurity });

/**
 * The tag spelled canonically (`pt-br` → `pt-BR`). One the parameter's pattern let through but no
 * locale is, or whose canonical spelling leaves the pattern (`en-US-POSIX` → `en-US-u-va-posix`,
 * which the media route's subtitles path would not name), is a 400.
 */
function languageTag(raw: string): string {
  try {
    const [tag] = Intl.getCanonicalLocales(raw);
    if (tag && LANGUAGE_TAG.test(tag)) return tag;
  } catch {
    // RangeError: not a well-formed tag
  }
  throw new AppError("validation_failed", undefined, {
    errors: [{ path: "params.language", message: "A language tag such as en or pt-BR" }],
  });
}

export const captionRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/videos/{videoId}/captions",
      summary: "The video's caption languages (its owner's studio; viewers get them in the master playlist)",
      request: { params: VideoParam },
      responses: { 200: jsonContent(CaptionTrackList, "The languages, by tag"), ...commonErrors },
    }),
    async (c) =>
      c.json({ items: await captions.listCaptions(...caller(c), c.req.valid("param").videoId) }, 200),
  )
  .openapi(
    route({
      method: "put",
      path: "/videos/{videoId}/captions/{language}",
      summary: "Add or replace the captions in one language (WebVTT or SRT; kept as WebVTT)",
      request: { params: CaptionParam, query: CaptionUploadQuery, body: CaptionUploadBody },
      responses: {
        200: jsonContent(CaptionTrack, "Replaced"),
        201: jsonContent(CaptionTrack, "Added"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { videoId, language } = c.req.valid("param");
      const body = new Uint8Array(await c.req.arrayBuffer());
      const { track, created } = await captions.putCaptions(
        ...caller(c),
        videoId,
        languageTag(language),
        body,
        c.req.valid("query").label,
      );
      return c.json(track, created ? 201 : 200);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/videos/{videoId}/captions/{language}",
      summary: "The captions in one language as WebVTT (what the studio's editor starts from)",
      request: { params: CaptionParam },
      responses: {
        200: {
          description: "The WebVTT",
          content: { "text/vtt": { schema: CaptionUploadBody.content["text/vtt"].schema } },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const { videoId, language } = c.req.valid("param");
      const text = await captions.captionsFile(...caller(c), videoId, languageTag(language));
      return c.body(text, 200, { "content-type": "text/vtt; charset=utf-8", "cache-control": "no-store" });
    },
  )
  .openapi(
    route({
      method: "delete",
      path: "/videos/{videoId}/captions/{language}",
      summary: "Remove the captions in one language",
      request: { params: CaptionParam },
      responses: { 204: { description: "Removed" }, ...commonErrors },
    }),
    async (c) => {
      const { videoId, language } = c.req.valid("param");
      await captions.deleteCaptions(...caller(c), videoId, languageTag(language));
      return c.body(null, 204);
    },
  );
