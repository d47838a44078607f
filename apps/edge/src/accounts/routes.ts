import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { clientAddress } from "../auth/limits";
import { requireActor } from "../auth/middleware";
import { authorize } from "../auth/permissions";
import { CodeBody, NewPassword } from "../auth/schemas";
import * as auth from "../auth/service";
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonContent, routesOf } from "../lib/openapi";
import { ProfileParam } from "../lib/params";
import { services } from "../services";
import type { AppEnv } from "../types";
import { cancelUndoLinks, changeEmail } from "./email-change";
import {
  AccountPatch,
  AccountSchema,
  EmailChangeBody,
  Password,
  PhoneBody,
  ProfileCreate,
  ProfilePatch,
  ProfileSchema,
  SwitchedProfile,
} from "./schemas";
import * as accounts from "./service";

/** The services and actor of a caller allowed to manage its own account (authorised before anything is built). */
function accountManager(c: Context<AppEnv>) {
  const actor = requireActor(c);
  authorize(actor, "account.manage");
  return [services(c), actor] as const;
}

/** The services and actor of a caller allowed to manage (or switch to) its own account's profiles. */
function ownProfiles(c: Context<AppEnv>, permission: "profile.manage" | "profile.switch") {
  const actor = requireActor(c);
  authorize(actor, permission, { ownerAccountId: actor.accountId });
  return [services(c), actor] as const;
}

const route = routesOf({ tags: ["accounts"], security: bearerSecurity });
const noContent = { 204: { description: "Done" } };

export const accountRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/me",
      summary: "The signed-in account",
      responses: { 200: jsonContent(AccountSchema, "The account"), ...commonErrors },
    }),
    async (c) => c.json(await accounts.getAccount(services(c), requireActor(c).accountId), 200),
  )
  .openapi(
    route({
      method: "patch",
      path: "/me",
      summary: "Change the display name (the email has its own route: POST /me/email)",
      request: { body: jsonBody(AccountPatch) },
      responses: { 200: jsonContent(AccountSchema, "Updated"), ...commonErrors },
    }),
    async (c) => {
      return c.json(await accounts.updateAccount(...accountManager(c), c.req.valid("json")), 200);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/me/email",
      summary: "Change the email (confirm with the password); it must be verified again",
      description:
        "The previous address is mailed a single-use undo link (POST /auth/email-change/undo); every other " +
        "session ends. 409 if another account has the address (or holds it with a live undo link). 429 with " +
        "Retry-After past the verification-mail limits, or once the client has had five 409s here or at " +
        "signup in the hour (for every address, registered or not).",
      request: { body: jsonBody(EmailChangeBody) },
      responses: { 200: jsonContent(AccountSchema, "Changed"), ...commonErrors },
    }),
    async (c) => {
      const [s, actor] = accountManager(c);
      await changeEmail(s, actor, c.req.valid("json"), clientAddress(c));
      return c.json(await accounts.getAccount(s, actor.accountId), 200);
    },
  )
  .openapi(
    route({
      method: "delete",
      path: "/me/email/undo-links",
      summary: "Cancel the pending undo links of earlier email changes (confirm with the password)",
      description:
        "For an owner whose previous mailbox is no longer safe. Allowed only from a client (IPv4 address or " +
        "IPv6 /64) that had been signing in with the previous address for at least 7 days before the change; " +
        "otherwise 409 and nothing is cancelled. 204 when nothing is pending.",
      request: { body: jsonBody(z.strictObject({ password: Password })) },
      responses: { ...noContent, ...commonErrors },
    }),
    async (c) => {
      await cancelUndoLinks(...accountManager(c), c.req.valid("json").password, clientAddress(c));
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "delete",
      path: "/me",
      summary: "Erase the account (confirm with the password); emits account.deleted",
      request: { body: jsonBody(z.strictObject({ password: Password })) },
      responses: { ...noContent, ...commonErrors },
    }),
    async (c) => {
      await accounts.deleteAccount(...accountManager(c), c.req.valid("json").password);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/me/password",
      summary: "Change the password; every other session ends",
      request: { body: jsonBody(z.strictObject({ currentPassword: Password, newPassword: NewPassword })) },
      responses: { ...noContent, ...commonErrors },
    }),
    async (c) => {
      const { currentPassword, newPassword } = c.req.valid("json");
      await auth.changePassword(...accountManager(c), currentPassword, newPassword);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/me/phone",
      summary: "Set a phone number (confirm with the password) and text it a verification code",
      request: { body: jsonBody(PhoneBody) },
      responses: { 202: { description: "Code sent" }, ...commonErrors },
    }),
    async (c) => {
      await auth.startPhoneVerification(...accountManager(c), c.req.valid("json"), clientAddress(c));
      return c.body(null, 202);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/me/phone/verify",
      summary: "Verify the phone number with the texted code",
      request: { body: jsonBody(CodeBody) },
      responses: { ...noContent, ...commonErrors },
    }),
    async (c) => {
      await auth.verifyPhone(...accountManager(c), c.req.valid("json").code);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/me/profiles",
      summary: "The account's profiles (at most five)",
      responses: {
        200: jsonContent(z.object({ items: z.array(ProfileSchema) }), "Profiles"),
        ...commonErrors,
      },
    }),
    async (c) => c.json({ items: await accounts.listProfiles(services(c), requireActor(c).accountId) }, 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/me/profiles",
      summary: "Add a profile; the sixth is refused with 409",
      request: { body: jsonBody(ProfileCreate) },
      responses: { 201: jsonContent(ProfileSchema, "Created"), ...commonErrors },
    }),
    async (c) => {
      return c.json(
        await accounts.createProfile(...ownProfiles(c, "profile.manage"), c.req.valid("json")),
        201,
      );
    },
  )
  .openapi(
    route({
      method: "patch",
      path: "/me/profiles/{profileId}",
      summary: "Edit a profile",
      request: { params: ProfileParam, body: jsonBody(ProfilePatch) },
      responses: { 200: jsonContent(ProfileSchema, "Updated"), ...commonErrors },
    }),
    async (c) => {
      return c.json(
        await accounts.updateProfile(
          ...ownProfiles(c, "profile.manage"),
          c.req.valid("param").profileId,
          c.req.valid("json"),
        ),
        200,
      );
    },
  )
  .openapi(
    route({
      method: "delete",
      path: "/me/profiles/{profileId}",
      summary: "Delete a profile (not the last one)",
      request: { params: ProfileParam },
      responses: { ...noContent, ...commonErrors },
    }),
    async (c) => {
      await accounts.deleteProfile(...ownProfiles(c, "profile.manage"), c.req.valid("param").profileId);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/me/profiles/{profileId}/switch",
      summary: "Switch the active profile: answers an access token whose claims carry it",
      request: { params: ProfileParam },
      responses: { 200: jsonContent(SwitchedProfile, "Switched"), ...commonErrors },
    }),
    async (c) => {
      return c.json(
        await accounts.switchProfile(...ownProfiles(c, "profile.switch"), c.req.valid("param").profileId),
        200,
      );
    },
  );
