/**
 * The web player's version as beacons report it (`playerVersion`, the admin quality dashboard's
 * "player" breakdown): `web-<WEB_PLAYER_VERSION>+hls-<hls.js version>`, or `+native` where the
 * browser plays HLS itself. Bump WEB_PLAYER_VERSION when the player's behaviour changes in a way
 * its quality figures should be told apart by (the app has no build version of its own).
 */
export const WEB_PLAYER_VERSION = "1.0.0";

const ALLOWED = /[^A-Za-z0-9._+-]/g;

/** `hlsVersion`: hls.js' `Hls.version`; null where the browser's own HLS plays. */
export function playerVersion(hlsVersion: string | null): string {
  const engine = hlsVersion === null ? "native" : `hls-${hlsVersion.replace(ALLOWED, "")}`;
  return `web-${WEB_PLAYER_VERSION}+${engine}`.slice(0, 32);
}
