// Bench viewers without sign-ups: `n` accounts, each with one profile and one live session, written
// straight into D1 (no PBKDF2 per account), and an access token per session signed with the dev key.
// Ids are `acc_|prf_|ses_<prefix><stamp>x<i>`, so each bench's fans stay apart in one state dir.
import { importJWK, SignJWT } from "jose";
import { devVar } from "../../scripts/lib/dev-vars";

export interface Fan {
  index: number;
  accountId: string;
  profileId: string;
  sessionId: string;
}

export const fanOf = (prefix: string, stamp: string, i: number): Fan => ({
  index: i,
  accountId: `acc_${prefix}${stamp}x${i}`,
  profileId: `prf_${prefix}${stamp}x${i}`,
  sessionId: `ses_${prefix}${stamp}x${i}`,
});

/** SQL statements (no trailing `;`) that insert the `n` fans' accounts, profiles and sessions. */
export function fanSeedStatements(prefix: string, stamp: string, n: number): string[] {
  const fan = `acc_${prefix}${stamp}x`;
  const suffix = `substr(id, ${fan.length + 1})`;
  const expires = Date.now() + 24 * 3600 * 1000;
  return [
    `WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < ${n})
     INSERT INTO accounts (id, email, display_name) SELECT '${fan}' || i, '${prefix}' || i || '-${stamp}@bench.test', 'Fan' FROM k`,
    `INSERT INTO profiles (id, account_id, name) SELECT 'prf_${prefix}${stamp}x' || ${suffix}, id, 'Fan' FROM accounts WHERE id LIKE '${fan}%'`,
    `INSERT INTO sessions (id, account_id, profile_id, expires_at)
     SELECT 'ses_${prefix}${stamp}x' || ${suffix}, id, 'prf_${prefix}${stamp}x' || ${suffix}, ${expires} FROM accounts WHERE id LIKE '${fan}%'`,
  ];
}

/** A seed file's text: the statements joined, each ended by `;`. */
export const seedFileText = (statements: readonly string[]) => `${statements.join(";\n")};\n`;

/** A two-hour access token for each of the `n` fans, as the edge signs them (ES256, the dev key). */
export async function fanTokens(prefix: string, stamp: string, n: number): Promise<string[]> {
  const jwk = JSON.parse(devVar("JWT_PRIVATE_JWK")) as { kid: string } & Record<string, unknown>;
  const key = await importJWK({ ...jwk, alg: "ES256" }, "ES256");
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const fan = fanOf(prefix, stamp, i);
    out.push(
      await new SignJWT({ sid: fan.sessionId, pid: fan.profileId })
        .setProtectedHeader({ alg: "ES256", kid: jwk.kid, typ: "JWT" })
        .setSubject(fan.accountId)
        .setIssuer("marquee")
        .setAudience("marquee-api")
        .setIssuedAt()
        .setExpirationTime("2h")
        .sign(key),
    );
  }
  return out;
}
