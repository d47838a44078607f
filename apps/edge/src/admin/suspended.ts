import { AppError } from "../lib/errors";

/**
 * The problem a suspended account gets when it signs in or refreshes (docs/moderation.md): 403
 * `account_suspended`, the admin's reason in the detail so the person knows why and whom to ask.
 */
export const accountSuspended = (reason: string | null) =>
  new AppError(
    "account_suspended",
    `This account is suspended${reason ? `: ${reason}` : ""}. Contact support to appeal.`,
  );

/** Why a session ended, in `sessions.revoked_reason`, when its account was suspended. */
export const SUSPENDED_REASON = "suspended";
