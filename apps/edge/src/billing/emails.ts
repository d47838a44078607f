/** The billing emails (sent through Services.mailer: the dev mailbox locally, Resend in production). */
import type { OutgoingEmail } from "../notify";

const day = (d: Date) =>
  d.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });

export function paymentFailedEmail(input: {
  to: string;
  name: string;
  planName: string;
  graceEndsAt: Date;
  publicUrl: string;
}): OutgoingEmail {
  const link = new URL("/account/billing", input.publicUrl).toString();
  return {
    to: input.to,
    subject: `Your payment for Marquee ${input.planName} failed`,
    text:
      `Hi ${input.name},\n\n` +
      `Your payment for Marquee ${input.planName} failed. Please update your payment method by ` +
      `${day(input.graceEndsAt)} to keep ${input.planName}; after that your account moves to the free plan.\n\n` +
      `Update it here: ${link}\n`,
    tag: "billing_payment_failed",
  };
}
