import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { videoRef } from "./videos";

/**
 * A video's captions in one language (docs/captions.md). The WebVTT and its HLS subtitles playlist
 * live in R2 under `videos/<id>/hls/subs/<language>-<revision>/`: every upload is a new revision (a
 * random name), so a cached playlist or segment of the old one is never served as the new one, and
 * two uploads at once never write the same objects (the row's compare-and-set picks one). `text` is the cues'
 * plain text, cut for the search index (migration 0019's triggers copy it into `video_search`).
 */
export const captions = sqliteTable(
  "captions",
  {
    videoId: videoRef(),
    /** A BCP 47 tag as the creator gave it, normalised (`en`, `pt-BR`). */
    language: text("language").notNull(),
    /** What the player's menu shows (`English`, `Português (Brasil)`). */
    label: text("label").notNull(),
    revision: text("revision").notNull(),
    /**
     * The revision this one replaced, still served (not listed) so players that loaded it before
     * the replace play on; the one before it is deleted when it falls out.
     */
    previousRevision: text("previous_revision"),
    cueCount: integer("cue_count").notNull(),
    text: text("text").notNull(),
    ...timestamps(),
  },
  (t) => [primaryKey({ columns: [t.videoId, t.language] })],
);
