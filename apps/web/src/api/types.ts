/** Short names for the API's schemas (all from the generated schema.d.ts, never hand-written). */
import type { components } from "./schema";

type Schemas = components["schemas"];
export type VideoCardData = Schemas["VideoCard"];
export type Video = Schemas["Video"];
export type Playback = Schemas["Playback"];
export type Channel = Schemas["Channel"];
export type Profile = Schemas["Profile"];
export type Comment = Schemas["Comment"];
export type Category = Schemas["Category"];
export type Maturity = Profile["maturity"];
export type Account = Schemas["Account"];
export type Plan = Schemas["Plan"];
export type BillingState = Schemas["BillingState"];
export type Subscription = NonNullable<BillingState["subscription"]>;
export type Invoice = Schemas["Invoice"];
export type PaymentProvider = Plan["providers"][number];
export type BillingInterval = Schemas["CheckoutBody"]["interval"];
