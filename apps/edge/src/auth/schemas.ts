import { z } from "@hono/zod-openapi";
import { SingleLineText } from "../lib/text";

export const Email = z.email().max(254).openapi({ example: "ada@example.com" });
export const NewPassword = z
  .string()
  .min(10, "Use at least 10 characters")
  .max(128)
  .openapi({ example: "correct horse battery staple" });
export const SixDigitCode = z.string().regex(/^\d{6}$/, "A code is six digits");
export const OpaqueToken = z
  .string()
  .min(20)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, "Not a token");

export const SignupBody = z
  .strictObject({ email: Email, password: NewPassword, displayName: SingleLineText(1, 80) })
  .openapi("SignupRequest");
export const LoginBody = z
  .strictObject({ email: Email, password: z.string().min(1).max(128) })
  .openapi("LoginRequest");
export const RefreshBody = z.strictObject({ refreshToken: OpaqueToken }).openapi("RefreshRequest");
export const CodeBody = z.strictObject({ code: SixDigitCode });
export const ResetRequestBody = z.strictObject({ email: Email });
export const ResetConfirmBody = z.strictObject({ token: OpaqueToken, password: NewPassword });
export const EmailChangeUndoBody = z
  .strictObject({ token: OpaqueToken, password: NewPassword })
  .openapi("EmailChangeUndo");

export const TokenPair = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal("Bearer"),
    expiresIn: z.number().int().openapi({ description: "Seconds until the access token expires" }),
    accountId: z.string(),
    profileId: z.string().nullable(),
  })
  .openapi("TokenPair");
