import { z } from "@hono/zod-openapi";
import { MATURITY_LEVELS, ROLES } from "@marquee/shared";
import { Email } from "../auth/schemas";
import { PROFILE_THEMES } from "../db/schema";
import { SingleLineText } from "../lib/text";

export const AccountSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    emailVerified: z.boolean(),
    phone: z.string().nullable(),
    phoneVerified: z.boolean(),
    displayName: z.string(),
    roles: z.array(z.enum(ROLES)),
    plan: z.string(),
    channelId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Account");

export const AccountPatch = z
  .strictObject({ displayName: SingleLineText(1, 80).optional() })
  .refine((p) => Object.keys(p).length > 0, "Send at least one field to change")
  .openapi("AccountPatch");

export const Password = z.string().min(1).max(128);

const ProfileName = SingleLineText(1, 50);
const AvatarUrl = z
  .string()
  .max(500)
  .regex(/^(https:\/\/|\/)[^\s]*$/, "An https:// URL or a path on this site")
  .nullable();
const Language = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/, "A language tag such as en or pt-BR");
const Maturity = z
  .enum(MATURITY_LEVELS)
  .openapi({ description: "kids profiles see only content rated for kids" });
const Theme = z
  .enum(PROFILE_THEMES)
  .openapi({ description: 'The web app\'s colour scheme; "system" follows the device' });

export const ProfileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    avatarUrl: z.string().nullable(),
    language: z.string(),
    maturity: Maturity,
    theme: Theme,
    createdAt: z.string(),
  })
  .openapi("Profile");

export const ProfileCreate = z
  .strictObject({
    name: ProfileName,
    avatarUrl: AvatarUrl.optional(),
    language: Language.optional(),
    maturity: Maturity.optional(),
    theme: Theme.optional(),
  })
  .openapi("ProfileCreate");

export const ProfilePatch = ProfileCreate.partial()
  .refine((p) => Object.keys(p).length > 0, "Send at least one field to change")
  .openapi("ProfilePatch");

export const SwitchedProfile = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal("Bearer"),
    expiresIn: z.number().int(),
    profile: ProfileSchema,
  })
  .openapi("SwitchedProfile");

export const PhoneBody = z.strictObject({
  phone: z.string().regex(/^\+[1-9]\d{6,14}$/, "A phone number in E.164 form, e.g. +14155550100"),
  password: Password,
});

export const EmailChangeBody = z.strictObject({ email: Email, password: Password }).openapi("EmailChange");
