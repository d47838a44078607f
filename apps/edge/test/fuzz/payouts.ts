/**
 * Legitimate requests of the payouts routes for the fuzz test (see stateful.ts). The creator's
 * routes need none: the fuzz world's main account owns a channel, so its cases get through. The
 * origin's /internal/payouts reads need a period whose id parses and which has closed, which no
 * schema sample makes: they send the authorisation matrix's requests (an old, closed month; empty
 * statements, which change nothing).
 */
import { PAYOUTS_INTERNAL_REQUESTS } from "../authorization/payouts";

interface StatefulCase {
  body: unknown;
  path?: string;
}

export const PAYOUTS_STATEFUL: Record<string, () => Promise<StatefulCase>> = Object.fromEntries(
  Object.entries(PAYOUTS_INTERNAL_REQUESTS).map(([op, { path, json }]) => [
    op,
    async (): Promise<StatefulCase> => ({ path, body: json }),
  ]),
);
