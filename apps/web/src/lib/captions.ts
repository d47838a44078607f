/**
 * A video's captions in the studio (docs/captions.md): the languages it has, a file (WebVTT or SRT)
 * added or replaced per language, the stored WebVTT read back for editing, a language removed.
 * The API checks every file and names the line that is wrong in its problem's `detail`.
 */
import { api, must } from "../api/client";
import type { components } from "../api/schema";

export type CaptionTrack = components["schemas"]["CaptionTrack"];

/** The API's limit on one file (512 KiB), checked here too so a big file is not sent for nothing. */
export const MAX_CAPTION_BYTES = 512 * 1024;
/** The longest label the player's menu takes. */
export const MAX_LABEL_CHARS = 40;
/** What the file input offers. */
export const CAPTION_FILE_ACCEPT = ".vtt,.srt,text/vtt";

/** The languages the form suggests (any other tag may be typed). */
export const COMMON_LANGUAGES = [
  "en",
  "en-GB",
  "es",
  "es-419",
  "fr",
  "de",
  "it",
  "pt",
  "pt-BR",
  "nl",
  "pl",
  "sv",
  "da",
  "nb",
  "fi",
  "cs",
  "el",
  "tr",
  "ru",
  "uk",
  "ar",
  "he",
  "hi",
  "id",
  "vi",
  "th",
  "ja",
  "ko",
  "zh-Hans",
  "zh-Hant",
] as const;

/** The tag as the API takes it (a language and up to two subtags), spelled canonically; null if it is none. */
export function languageTag(input: string): string | null {
  const text = input.trim().replace(/_/g, "-");
  if (!/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,2}$/.test(text)) return null;
  try {
    return Intl.getCanonicalLocales(text)[0] ?? null;
  } catch {
    return null;
  }
}

/** A language's name in the UI's language ("Portuguese (Brazil)"), or its tag when the browser has none. */
export function languageName(tag: string, uiLanguage: string): string {
  try {
    return new Intl.DisplayNames([uiLanguage], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** What is wrong with a label before it is sent: too long, or a double quote (the playlist quotes it). */
export function labelProblem(label: string): "tooLong" | "quote" | null {
  if (Array.from(label.trim()).length > MAX_LABEL_CHARS) return "tooLong";
  return label.includes('"') ? "quote" : null;
}

/** The content type a file goes up with: the three the API takes, told by the name. */
export function captionContentType(name: string): "text/vtt" | "application/x-subrip" | "text/plain" {
  const lower = name.toLowerCase();
  if (lower.endsWith(".vtt")) return "text/vtt";
  if (lower.endsWith(".srt")) return "application/x-subrip";
  return "text/plain";
}

export async function listCaptions(videoId: string): Promise<CaptionTrack[]> {
  const body = await must(api.GET("/api/v1/videos/{videoId}/captions", { params: { path: { videoId } } }));
  return body.items;
}

/**
 * Adds or replaces one language: the file's bytes as they are (the API checks they are UTF-8) or
 * the editor's text. `label` empty: the API keeps a replaced language's label, and names a new one
 * (the language's own name for itself).
 */
export async function putCaptions(
  videoId: string,
  language: string,
  content: Blob | string,
  { label, type }: { label?: string; type: ReturnType<typeof captionContentType> },
): Promise<{ track: CaptionTrack; created: boolean }> {
  const trimmed = label?.trim();
  const result = await api.PUT("/api/v1/videos/{videoId}/captions/{language}", {
    params: { path: { videoId, language }, query: trimmed ? { label: trimmed } : {} },
    // The schema types the body as text; a File goes as its bytes (no JSON serializing either way).
    body: content as string,
    bodySerializer: (body: unknown) => body as BodyInit,
    headers: { "content-type": type },
  });
  const track = await must(Promise.resolve(result));
  return { track, created: result.response.status === 201 };
}

/** The stored WebVTT of one language (what the editor starts from). */
export function captionsText(videoId: string, language: string): Promise<string> {
  return must(
    api.GET("/api/v1/videos/{videoId}/captions/{language}", {
      params: { path: { videoId, language } },
      parseAs: "text",
    }),
  );
}

export async function deleteCaptions(videoId: string, language: string): Promise<void> {
  await must(
    api.DELETE("/api/v1/videos/{videoId}/captions/{language}", { params: { path: { videoId, language } } }),
  );
}

/** The list with `track` added or put in place of its language's, in the API's order (by tag). */
export function withTrack(tracks: readonly CaptionTrack[], track: CaptionTrack): CaptionTrack[] {
  return [...tracks.filter((t) => t.language !== track.language), track].sort((a, b) =>
    a.language < b.language ? -1 : a.language > b.language ? 1 : 0,
  );
}
