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
