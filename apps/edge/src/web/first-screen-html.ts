import { avatarColour, initials } from "@marquee/shared/format";
import type { FirstScreenStrings } from "./first-screen-strings";

/**
 * The first screen's markup: the same elements and classes the web app's components render
 * (Home's Trending grid and VideoCard, Watch's PlayerSlot placeholder and title), so the styles
 * that arrive with the page's CSS lay it out exactly as React later will. React does not hydrate
 * it: its first render replaces it (apps/web/src/main.tsx), with the same data from the JSON below.
 */

/** Text and attribute values, escaped for HTML. */
export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** JSON inside a <script type="application/json">: no "<" can end the element or open a comment. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

export interface FirstScreenCard {
  id: string;
  title: string;
  channel: { id: string; name: string };
  durationMs: number | null;
  publishedAt: string | null;
  viewCount: number;
  posterUrl: string;
}

/** How many of the first posters load at once, as the app's grid does (VideoGrid's eagerCount). */
const EAGER_POSTERS = 4;

function card(v: FirstScreenCard, eager: boolean, s: FirstScreenStrings): string {
  const watch = `/watch/${encodeURIComponent(v.id)}`;
  const age = s.timeAgo(v.publishedAt);
  const duration = s.duration(v.durationMs);
  return (
    `<li><article class="video-card" data-video-id="${esc(v.id)}">` +
    `<div class="video-thumb"><a href="${watch}" class="video-thumb-link" tabindex="-1" aria-hidden="true">` +
    `<img src="${esc(v.posterUrl)}" alt="" loading="${eager ? "eager" : "lazy"}" fetchpriority="${eager ? "high" : "auto"}" decoding="async" width="320" height="180"></a>` +
    (duration
      ? `<span class="video-thumb-duration"><span aria-hidden="true">${esc(duration)}</span></span>`
      : "") +
    `</div><div class="video-card-body">` +
    `<span aria-hidden="true" class="ui-avatar ui-avatar--sm ui-avatar--c${avatarColour(v.channel.id)}"><span class="ui-avatar-fallback">${esc(initials(v.channel.name))}</span></span>` +
    `<div class="video-card-text"><h3 class="video-card-title"><a href="${watch}">${esc(v.title)}</a></h3>` +
    `<a href="/channel/${encodeURIComponent(v.channel.id)}" class="video-card-channel">${esc(v.channel.name)}</a>` +
    `<p class="video-card-meta">${esc(s.views(v.viewCount))}` +
    (age ? `<span aria-hidden="true"> · </span><span class="video-card-age">${esc(age)}</span>` : "") +
    `</p></div></div></article></li>`
  );
}

/** Home for a signed-out visitor: the trending grid (pages/Home.tsx `Trending`). */
export function homeHtml(cards: FirstScreenCard[], s: FirstScreenStrings): string {
  return (
    `<main class="page" id="main"><section class="home" aria-labelledby="trending">` +
    `<div class="home-welcome"><div><h1 id="trending">${esc(s.trending)}</h1><p class="muted">${esc(s.signedOutHint)}</p></div>` +
    `<a href="/signup" class="ui-button ui-button--secondary ui-button--md">${esc(s.signedOutAction)}</a></div>` +
    `<ul class="card-grid">${cards.map((c, i) => card(c, i < EAGER_POSTERS, s)).join("")}</ul>` +
    `</section></main>`
  );
}

/** The watch page before the player: the poster in the player's frame, and the title (pages/Watch.tsx). */
export function watchHtml(video: { title: string }, posterUrl: string | null): string {
  const poster = posterUrl
    ? `<img class="player-poster" src="${esc(posterUrl)}" alt="" fetchpriority="high" decoding="async">`
    : "";
  return (
    `<main class="page" id="main"><article class="watch" aria-labelledby="watch-title">` +
    `<div class="player"><div class="player-frame player-placeholder">${poster}</div><div class="player-bar" aria-hidden="true"></div></div>` +
    `<div class="watch-details"><h1 id="watch-title" class="watch-title">${esc(video.title)}</h1></div>` +
    `</article></main>`
  );
}

/** The poster, asked for before anything else the page loads (it is the largest paint). */
export function preloadImage(url: string): string {
  return `<link rel="preload" as="image" href="${esc(url)}" fetchpriority="high">`;
}
