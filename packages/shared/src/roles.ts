export const ROLES = ["viewer", "creator", "moderator", "advertiser", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const MATURITY_LEVELS = ["kids", "teen", "adult"] as const;
export type Maturity = (typeof MATURITY_LEVELS)[number];

export const MAX_PROFILES_PER_ACCOUNT = 5;
