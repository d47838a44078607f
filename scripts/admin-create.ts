// `bun run admin:create --email you@example.com [--password ...] [--name "..."] [--remote]` (`--help`)
//
// Makes the first admin. If the account exists it gains the admin role; otherwise it is created
// (with a first profile) and made admin. Works on the local platform's D1 (the same state dir
// `bun run dev` uses, MARQUEE_STATE_DIR) or, with --remote, on the production D1 through
// wrangler. The password comes from --password or MARQUEE_ADMIN_PASSWORD, so it need not land
// in shell history.
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { newId } from "../apps/edge/src/lib/ids";
import { hashPassword } from "../packages/shared/src/passwords";
import { defineCommand, parseOrExit } from "./lib/cli";

const ROOT = resolve(import.meta.dir, "..");
const STATE_DIR = resolve(ROOT, process.env.MARQUEE_STATE_DIR || ".wrangler/state");

const ADMIN_CREATE = defineCommand({
  name: "admin:create",
  invocation: "bun run admin:create",
  summary: "Makes an account an admin, creating it (with a first profile) if it does not exist.",
  options: {
    email: { type: "string", required: true, valueName: "address", description: "the admin's email" },
    password: {
      type: "string",
      secret: true,
      valueName: "password",
      env: "MARQUEE_ADMIN_PASSWORD",
      description: "a new account's password, at least 10 characters",
    },
    name: {
      type: "string",
      valueName: "name",
      description: "a new account's display name (default: the email's local part)",
    },
    remote: { type: "boolean", description: "on the production D1 through wrangler, not the local one" },
  },
  notes: ["The local D1 is the one `bun run dev` uses: MARQUEE_STATE_DIR, default .wrangler/state."],
});

const { values, usageError: refuse } = parseOrExit(ADMIN_CREATE);
// Annotated, so TypeScript knows a call to it ends the process (narrowing after it).
const usageError: (reason: string) => never = refuse;

function fail(message: string): never {
  console.error(`admin:create: ${message}`);
  process.exit(2);
}

const email = values.email.trim().toLowerCase();
if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
  usageError(`--email must be a valid address, got ${JSON.stringify(values.email)}`);
const password = values.password;
const name = (values.name ?? email.split("@")[0] ?? "Admin").slice(0, 80);
const target = values.remote ? ["--remote"] : ["--local", "--persist-to", STATE_DIR];

const env = {
  ...process.env,
  PATH: `${join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  CI: "true", // never prompt
};

function wrangler(args: string[]): string {
  const run = spawnSync("wrangler", args, { cwd: ROOT, env, encoding: "utf8" });
  if (run.status !== 0) fail(`wrangler ${args.slice(0, 3).join(" ")} failed:\n${run.stderr || run.stdout}`);
  return run.stdout;
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

function query<T>(sql: string): T[] {
  const out = wrangler(["d1", "execute", "DB", ...target, "--json", "--command", sql]);
  const parsed = JSON.parse(out) as { results: T[] }[];
  return parsed[0]?.results ?? [];
}

wrangler(["d1", "migrations", "apply", "DB", ...target]);
const [existing] = query<{ id: string; roles: string }>(
  `SELECT id, roles FROM accounts WHERE email = ${quote(email)}`,
);

if (existing) {
  const roles = [...new Set([...(JSON.parse(existing.roles) as string[]), "admin"])];
  query(`UPDATE accounts SET roles = ${quote(JSON.stringify(roles))} WHERE id = ${quote(existing.id)}`);
  console.log(JSON.stringify({ accountId: existing.id, email, roles, created: false }));
} else {
  if (!password || password.length < 10)
    usageError("a new account needs --password (or MARQUEE_ADMIN_PASSWORD) of at least 10 characters");
  const accountId = newId("acc");
  const profileId = newId("prf");
  const roles = JSON.stringify(["viewer", "admin"]);
  const hash = await hashPassword(password);
  query(
    [
      `INSERT INTO accounts (id, email, display_name, roles, email_verified_at) VALUES (${quote(accountId)}, ${quote(email)}, ${quote(name)}, ${quote(roles)}, unixepoch() * 1000)`,
      `INSERT INTO credentials (account_id, password_hash) VALUES (${quote(accountId)}, ${quote(hash)})`,
      `INSERT INTO profiles (id, account_id, name) VALUES (${quote(profileId)}, ${quote(accountId)}, ${quote(name.slice(0, 50))})`,
    ].join("; "),
  );
  console.log(JSON.stringify({ accountId, email, roles: ["viewer", "admin"], created: true }));
}
