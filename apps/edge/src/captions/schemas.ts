import { z } from "@hono/zod-openapi";
import { SingleLineText } from "../lib/text";

export const CaptionTrack = z
  .object({
    language: z.string().openapi({ example: "pt-BR" }),
    label: z
      .string()
      .openapi({ description: "What the player's captions menu shows", example: "Português (Brasil)" }),
    cueCount: z.number().int(),
    updatedAt: z.string().datetime(),
  })
  .openapi("CaptionTrack");

export const CaptionTrackList = z.object({ items: z.array(CaptionTrack) }).openapi("CaptionTrackList");

export const CaptionUploadQuery = z.object({
  label: SingleLineText(1, 40)
    .refine((s) => !s.includes('"'), "No double quotes")
    .optional()
    .openapi({ description: "The menu's name for it; by default the language's own name for itself" }),
});

/** The file as sent: WebVTT or SRT, UTF-8, at most 512 KiB. */
const captionFile = { schema: z.string().openapi({ format: "binary" }) };
export const CaptionUploadBody = {
  required: true,
  description: "A WebVTT or SRT file, UTF-8, at most 512 KiB (the type is told from the content)",
  content: {
    "text/vtt": captionFile,
    "application/x-subrip": captionFile,
    "text/plain": captionFile,
    "application/octet-stream": captionFile,
  },
};
